"""The ``derivcheck`` command line.

Each subcommand lives in a module of this package that defines
``configure(parser)`` (adds its arguments) and ``run(args) -> int``.
Errors a user causes print a short message on stderr and exit with status 2;
no traceback is shown unless ``DERIVCHECK_DEBUG=1``. Everything the command line says
itself is a key of :mod:`derivcheck.messages.cli`, shown in the command's ``--lang``;
the help texts are English.

:func:`main` can be called in-process and returns the exit status:

>>> main(["net", "program"])
z1 = w1*x + b1
h = relu(z1)
y = w2*h + b2
L = (y - target)^2
0
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec

from derivcheck.errors import DerivcheckError
from derivcheck.messages import LANGUAGES, Message, text

# (subcommand, module, one-line help). A module that does not exist yet is skipped.
SUBCOMMANDS = [
    ("explain", "derivcheck.cli.explain", "explain a derivative step by step and check it"),
    ("check", "derivcheck.cli.check", "grade a file of derivative answers"),
    ("net", "derivcheck.cli.net", "the chapter's two-layer network: check gradients, train"),
    (
        "backprop",
        "derivcheck.cli.backprop",
        "check a backward pass derived by hand, in matrix form",
    ),
    ("latex", "derivcheck.cli.latex", "write a derivation as LaTeX (and PDF when pdflatex exists)"),
    ("solutions", "derivcheck.cli.solutions", "write a solution sheet for an exercise file"),
    ("serve", "derivcheck.cli.serve", "the web page and JSON API (needs the web extra)"),
]

EPILOG = """examples:
  derivcheck explain "sin(exp(x^2))" --at 0.5
  derivcheck explain "(3x+2)^2" --at 1 --lang zh
  derivcheck explain "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2" \\
      --at x=2 --at target=1 --at w1=0.5 --at b1=0.1 --at w2=-0.3 --at b2=0.2 --wrt w1,b1,w2,b2
  derivcheck explain "\\frac{1}{1+e^{-x}}" --at 0 --format json
"""


class UsageError(Exception):
    """A command line argparse cannot read; :func:`main` prints it in the command's language."""

    def __init__(self, parser: argparse.ArgumentParser, reason: str, problem: Message | None):
        super().__init__(reason)
        self.parser = parser
        self.reason = reason
        self.problem = problem


class ArgumentProblem(argparse.ArgumentTypeError):
    """A value of an option that a ``type=`` function refuses, as a :class:`Message`."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors reach :func:`main` instead of exiting."""

    def error(self, message: str):  # type: ignore[override]
        # argparse calls this from its ``except ArgumentError``; a type= function's
        # ArgumentProblem is that error's context and keeps the sentence as a Message.
        current = sys.exc_info()[1]
        problem = None
        if isinstance(current, argparse.ArgumentError) and isinstance(
            current.__context__, ArgumentProblem
        ):
            problem = Message(
                "cli.bad_argument",
                argument=current.argument_name,
                problem=current.__context__.message,
            )
        raise UsageError(self, message, problem)


def add_lang_argument(parser: argparse.ArgumentParser, help: str = "language") -> None:
    """``--lang en|zh``: the language of everything the command prints (default en)."""
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help=help)


def build_parser() -> argparse.ArgumentParser:
    from derivcheck import __version__

    parser = Parser(
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


def requested_language(argv: list[str]) -> str:
    """The ``--lang`` of a command line, read before argparse has read it (else "en").

    >>> requested_language(["explain", "x", "--lang", "zh"]), requested_language(["--lang=fr"])
    ('zh', 'en')
    """
    for index, item in enumerate(argv):
        value = None
        if item == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif item.startswith("--lang="):
            value = item.partition("=")[2]
        if value in LANGUAGES:
            return value
    return "en"


@contextlib.contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """argparse's own sentences ("invalid choice", "the following arguments are required")
    in ``lang`` while the command line is read: argparse looks each up through gettext, and
    derivcheck's table (:data:`derivcheck.messages.cli.ARGPARSE_ZH`) answers for Chinese."""
    if lang != "zh":
        yield
        return
    from derivcheck.messages.cli import ARGPARSE_ZH

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda msgid: ARGPARSE_ZH.get(msgid, msgid)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: ARGPARSE_ZH.get(  # type: ignore[attr-defined]
        one if n == 1 else many, one if n == 1 else many
    )
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def say(key: str, lang: str, **params: object) -> None:
    """Print the message ``key`` in ``lang`` on stderr."""
    print(text(Message(key, **params), lang), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 1 internal error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if (
        len(argv) > 1
        and argv[0] in ("explain", "latex")
        and argv[1].startswith("-")
        and (argv[1] not in ("-h", "--help", "-o") and not argv[1].startswith("--"))
    ):
        argv[1] = " " + argv[1]  # "-x^2" is the expression, not an option
    lang = requested_language(argv)
    parser = build_parser()
    with argparse_language(lang):
        try:
            args = parser.parse_args(argv)
        except UsageError as error:
            error.parser.print_usage(sys.stderr)
            reason = error.problem if error.problem is not None else error.reason
            say("cli.usage_error", lang, prog=error.parser.prog, text=reason)
            return 2
        except SystemExit as stop:  # --help and --version: argparse has printed them
            return stop.code if isinstance(stop.code, int) else 0
    if getattr(args, "_run", None) is None:
        parser.print_help()
        return 2
    lang = getattr(args, "lang", lang)
    try:
        return int(args._run(args) or 0)
    except DerivcheckError as error:
        say("cli.error", lang, text=error.to_text(lang))
        return 2
    except KeyboardInterrupt:
        say("cli.interrupted", lang)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug of ours: say so plainly, no traceback for users
        if os.environ.get("DERIVCHECK_DEBUG"):
            raise
        say("cli.internal_error", lang, kind=type(error).__name__, detail=error)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
