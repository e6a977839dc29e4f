"""The ``derivcheck`` command line.

Each subcommand lives in a module of this package that defines
``configure(parser)`` (adds its arguments) and ``run(args) -> int``.
Errors a user causes print a short message on stderr and exit with status 2;
no traceback is shown unless ``DERIVCHECK_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module
from importlib.util import find_spec

from derivcheck.errors import DerivcheckError

# (subcommand, module, one-line help). A module that does not exist yet is skipped.
SUBCOMMANDS = [
    ("explain", "derivcheck.cli.explain", "explain a derivative step by step and check it"),
    ("check", "derivcheck.cli.check", "grade a file of derivative answers"),
    ("net", "derivcheck.cli.net", "the chapter's two-layer network: check gradients, train"),
    ("latex", "derivcheck.cli.latex", "write a derivation as LaTeX (and PDF when pdflatex exists)"),
    ("solutions", "derivcheck.cli.solutions", "write a solution sheet for an exercise file"),
]

EPILOG = """examples:
  derivcheck explain "sin(exp(x^2))" --at 0.5
  derivcheck explain "(3x+2)^2" --at 1 --lang zh
  derivcheck explain "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2" \\
      --at x=2 --at target=1 --at w1=0.5 --at b1=0.1 --at w2=-0.3 --at b2=0.2 --wrt w1,b1,w2,b2
  derivcheck explain "\\frac{1}{1+e^{-x}}" --at 0 --format json
"""


def build_parser() -> argparse.ArgumentParser:
    from derivcheck import __version__

    parser = argparse.ArgumentParser(
        prog="derivcheck",
        description="Explain and check derivatives: chain rule step by step, "
        "proved exactly (SymPy) and numerically (finite differences).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"derivcheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name, help_text in SUBCOMMANDS:
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        sub = commands.add_parser(
            name,
            help=help_text,
            description=getattr(module, "DESCRIPTION", help_text),
            epilog=getattr(module, "EPILOG", None),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.configure(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 1 internal error)."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if (
        len(argv) > 1
        and argv[0] in ("explain", "latex")
        and argv[1].startswith("-")
        and (argv[1] not in ("-h", "--help", "-o") and not argv[1].startswith("--"))
    ):
        argv[1] = " " + argv[1]  # "-x^2" is the expression, not an option
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, a usage error: argparse has printed it
        return stop.code if isinstance(stop.code, int) else 2
    if getattr(args, "_run", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except DerivcheckError as error:
        from derivcheck.messages import localize_error

        lang = getattr(args, "lang", "en")
        label = "错误" if lang == "zh" else "error"
        print(f"derivcheck: {label}: {localize_error(str(error), lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("derivcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug of ours: say so plainly, no traceback for users
        if os.environ.get("DERIVCHECK_DEBUG"):
            raise
        print(
            f"derivcheck: internal error: {type(error).__name__}: {error}\n"
            "  (this is a bug in derivcheck; run with DERIVCHECK_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
