"""``derivcheck backprop FILE``: check a hand-derived backward pass written in matrix form.

Exit status 0 when every formula is right, 1 when one is wrong, 2 on bad input (a file that
cannot be read, a program derivcheck cannot check). The report goes to standard output,
or to ``-o PATH`` (whose extension picks the format: .txt, .md, .tex, .json).
"""

from __future__ import annotations

import argparse
import json
import sys

from derivcheck.cli import ArgumentProblem, add_lang_argument, say
from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message

DESCRIPTION = """\
Check a backward pass derived by hand, written as you would write NumPy: the forward
pass ending in a scalar loss, then one formula per gradient, d<name> meaning dL/d<name>
(dW1, dL_dW1 and dL/dW1 are the same). Inputs get their shapes in dimension names
(X: D×N, W1: H×D). Shapes are checked in the names first (a formula whose shapes do not
fit is reported without computing anything), then the values at random inputs at two
sets of sizes against derivcheck's own reverse accumulation; each formula is checked with
the true values of the gradients before it, so one mistake is reported once, with its
diagnosis (missing-transpose, wrong-product-order, missing-mean, missing-relu-mask, ...).
Exit status: 0 all right, 1 a formula is wrong, 2 bad input."""

EPILOG = """examples:
  derivcheck net program --hidden 3 --matrix > ex2.txt
  derivcheck backprop ex2.txt
  derivcheck backprop mine.txt --dims D=1,H=3,N=50 --lang zh
  derivcheck backprop mine.txt --format markdown -o report.md
"""

FORMATS = ("text", "markdown", "latex", "json")
_EXTENSIONS = {".txt": "text", ".md": "markdown", ".tex": "latex", ".json": "json"}
#: Largest program file read, in bytes.
MAX_BYTES = 1_000_000


def _dims(text: str) -> dict[str, int]:
    """``D=1,H=3`` -> {"D": 1, "H": 3}."""
    sizes: dict[str, int] = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        name, equals, value = part.partition("=")
        name = name.strip()
        try:
            size = int(value.strip())
        except ValueError:
            size = 0
        if not equals or not name.isidentifier() or size < 1:
            raise ArgumentProblem(Message("matrix.cli.dims", text=part.strip()))
        sizes[name] = size
    return sizes


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ArgumentProblem(Message("cli.expected_integer", text=text)) from None
    if not 0 <= value < 2**32:
        raise ArgumentProblem(Message("cli.integer_range", low=0, high=2**32 - 1, value=value))
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the program ('-' reads standard input)")
    parser.add_argument(
        "--dims",
        type=_dims,
        default=None,
        metavar="D=1,H=3",
        help="sizes of dimension names for the first check (they win over the file's dims:)",
    )
    parser.add_argument(
        "--seed", type=_seed, default=0, help="seed of the random inputs (default 0)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="text (default), markdown, latex or json; -o's extension picks it otherwise",
    )
    parser.add_argument(
        "-o", "--out", metavar="PATH", help="write the report here (.txt, .md, .tex, .json)"
    )
    parser.add_argument(
        "--standalone", action="store_true", help="with latex: a whole document for pdflatex"
    )
    add_lang_argument(parser, "language of the report")


def _read(path: str) -> str:
    from derivcheck.cli.output import os_reason
    from derivcheck.grading.files import decode

    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise DerivcheckError(
                "matrix.cli.cannot_read", path=path, reason=os_reason(error)
            ) from None
    if len(data) > MAX_BYTES:
        raise DerivcheckError("matrix.cli.too_large", path=path, limit=MAX_BYTES)
    return decode(data, None, path)[0]


def run(args: argparse.Namespace) -> int:
    from derivcheck.cli.output import cannot_write, check_output, make_folder
    from derivcheck.matrix import check_backprop

    output = check_output(args.out, "-o", tuple(_EXTENSIONS)) if args.out else None
    chosen = args.format or (_EXTENSIONS[output.suffix.lower()] if output else "text")
    report = check_backprop(_read(args.file), dims=args.dims, seed=args.seed, lang=args.lang)
    if chosen == "json":
        text = json.dumps(report.to_dict(args.lang), indent=2, ensure_ascii=False) + "\n"
    elif chosen == "markdown":
        text = report.to_markdown(args.lang)
    elif chosen == "latex":
        text = report.to_latex(args.lang, standalone=args.standalone)
    else:
        text = report.to_text(args.lang) + "\n"
    if output is not None:
        try:
            make_folder(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise cannot_write(output, error) from None
        say("cli.wrote", args.lang, path=output)
    else:
        sys.stdout.write(text)
    return 0 if report.ok else 1
