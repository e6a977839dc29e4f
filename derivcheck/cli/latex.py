"""``derivcheck latex``: a derivation as a LaTeX document, compiled to PDF when TeX is installed.

``-o steps.pdf`` runs pdflatex (xelatex with ctex for ``--lang zh``); without the
engine it writes ``steps.tex`` next to it and says so. ``-o steps.tex`` writes the
source only; no ``-o`` prints it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from derivcheck.cli import say

DESCRIPTION = (
    "Write the derivation of EXPR at a point as a LaTeX document (amsmath, align*). "
    "With -o FILE.pdf, compile it with pdflatex (xelatex and ctex for --lang zh) when "
    "installed; otherwise write FILE.tex and say so."
)
EPILOG = """examples:
  derivcheck latex "(3x+2)^2" --at 1 -o steps.pdf
  derivcheck latex "x^x" --at 2 --style rules -o x_to_the_x.pdf
  derivcheck latex "sin(exp(x^2))" --at 0.5 --lang zh -o steps_zh.pdf
  derivcheck latex "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2" \\
      --at x=2 --at target=1 --at w1=0.5 --at b1=0.1 --at w2=-0.3 --at b2=0.2 \\
      --wrt w1,b1,w2,b2 --lr 0.1 -o network.pdf
"""


def configure(parser: argparse.ArgumentParser) -> None:
    from derivcheck.cli.explain import add_point_arguments

    add_point_arguments(
        parser, "chain-rule graph (default) or rule-by-rule derivation (one variable)"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="FILE.pdf (compiled) or FILE.tex; default: stdout"
    )


def write_document(source: str, output: str | None, lang: str) -> int:
    """Print ``source``, write it to a .tex file, or compile it to a .pdf file.

    Returns the exit status: 0 when written (also when TeX is missing and the
    .tex was written instead), 1 when the engine failed on our document. A file
    that cannot be written is a :class:`DerivcheckError` naming it (exit status 2);
    missing folders are created.
    """
    from derivcheck.cli.output import DOCUMENTS, cannot_write, check_output, make_folder

    if output is None:
        sys.stdout.write(source)
        return 0
    try:
        return _write(source, make_folder(check_output(output, "-o", DOCUMENTS)), lang)
    except OSError as error:
        raise cannot_write(output, error) from None


def _write(source: str, path: Path, lang: str) -> int:
    from derivcheck.render.latex import LatexError, compile_latex, latex_engine

    suffix = path.suffix.lower()
    tex = path.with_suffix(".tex")
    if suffix == ".tex":
        tex.write_text(source, encoding="utf-8")
        say("cli.wrote", lang, path=tex)
        return 0
    engine = latex_engine(source)
    chinese = "{ctexart}" in source
    if engine is None:
        tex.write_text(source, encoding="utf-8")
        name = "xelatex/ctex" if chinese else "pdflatex"
        packages = (
            "texlive-xetex texlive-lang-chinese"
            if chinese
            else "texlive-latex-base texlive-latex-recommended"
        )
        command = f"{'xelatex' if chinese else 'pdflatex'} {tex.name}"
        say("cli.no_engine", lang, engine=name, tex=tex, pdf=path, packages=packages,
            command=command)  # fmt: skip
        return 0
    try:
        compile_latex(source, path, engine=engine)
    except LatexError as error:
        tex.write_text(source, encoding="utf-8")
        say("cli.compile_failed", lang, engine=Path(engine).name, reason=error, tex=tex)
        return 1
    say("cli.wrote", lang, path=path)
    return 0


def run(args: argparse.Namespace) -> int:
    from derivcheck.cli.explain import explain_arguments
    from derivcheck.cli.output import DOCUMENTS, check_output
    from derivcheck.render.latex import (
        explanation_sections,
        explanation_title,
        latex_document,
        sections_to_body,
        update_section,
    )

    if args.output:
        check_output(args.output, "-o", DOCUMENTS)
    explanation = explain_arguments(args)
    from derivcheck.higher import HigherExplanation

    if getattr(explanation, "kind", None) in ("implicit", "parametric"):  # a curve
        return write_document(explanation.to_latex(True, args.lang), args.output, args.lang)
    if isinstance(explanation, HigherExplanation):  # no --at, or --order N
        from derivcheck.render.orders import higher_to_latex

        return write_document(higher_to_latex(explanation, True, args.lang), args.output, args.lang)
    sections = explanation_sections(explanation, args.lang, args.style)
    if args.lr is not None:
        update = explanation.update(args.lr)
        sections.append(update_section(update, explanation.output.name, args.lang))
    body = sections_to_body(sections, args.lang)
    source = latex_document(body, args.lang, explanation_title(explanation, args.lang))
    return write_document(source, args.output, args.lang)
