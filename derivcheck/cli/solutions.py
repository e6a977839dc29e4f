"""``derivcheck solutions``: a solution sheet (LaTeX, or PDF) for a whole exercise file.

The file is read with :func:`derivcheck.grading.files.read_rows` — the format of
``derivcheck check`` (CSV, JSON, JSON Lines, YAML; UTF-8 or GBK). Rows that ask
the same thing (function, variable, point) share one solution, so an answer file
of a whole class gives one entry per exercise; the students' answers are not
printed. A row that cannot be solved is listed with its line and the reason, and
the rest of the sheet is still written.
"""

from __future__ import annotations

import argparse
from typing import Any

from derivcheck.cli import add_lang_argument
from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message

DESCRIPTION = (
    "Write a solution sheet for an exercise file (the format of `derivcheck check`: "
    "columns id, function and optionally var, at). Each exercise is derived rule by rule "
    "(or along the chain-rule graph with --style chain), with its value at the point when "
    "the file gives one. -o FILE.pdf compiles the sheet when pdflatex is installed."
)
EPILOG = """examples:
  derivcheck solutions exercises.csv -o solutions.tex
  derivcheck solutions exercises.csv -o solutions.pdf
  derivcheck solutions 作业.csv --lang zh -o 参考答案.pdf      (xelatex and ctex)
  derivcheck solutions answers.json --style chain -o sheet.tex

file format (CSV; JSON and YAML use the same keys):
  id,function,var,at
  1,(2x+1)^3,x,1
  2,x^x,,2
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="exercises: .csv, .tsv, .json, .jsonl, .yaml")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="FILE.tex or FILE.pdf (compiled); default: stdout"
    )
    add_lang_argument(parser)
    parser.add_argument(
        "--style",
        choices=("rules", "chain"),
        default="rules",
        help="rule by rule (default) or along the chain-rule graph (needs a point)",
    )
    parser.add_argument("--encoding", metavar="E", help="text encoding of FILE (default: detect)")


def _heading(ids: list[str], lang: str) -> str:
    from derivcheck.render.latex import phrase

    return f"{phrase('exercise', lang)} {', '.join(ids)}"


def exercise_sections(row: Any, lang: str, style: str) -> tuple[Any, list[Any]]:
    """(heading text, sections) for one exercise row; raises DerivcheckError when unsolvable.

    The variable defaults as in ``derivcheck check``
    (:func:`~derivcheck.grading.files.default_variable`).
    """
    from derivcheck.calculus.derivation import derive
    from derivcheck.explanation import explain
    from derivcheck.grading.files import default_variable
    from derivcheck.reading.parser import Program, parse_source
    from derivcheck.render.latex import (
        derivative_latex,
        explanation_sections,
        explanation_title,
        rule_sections,
        text,
    )

    if not row.function:
        raise DerivcheckError("cli.row_no_function")
    source = parse_source(row.function)
    expression = source.expression() if isinstance(source, Program) else source
    names = sorted(s.name for s in expression.free_symbols)
    var = row.var or default_variable(names)
    if var is None:
        raise DerivcheckError("cli.row_several_names", names=", ".join(names))
    if row.at is None:
        derivation = derive(expression, var)
        return text((True, derivative_latex(derivation))), rule_sections(derivation, lang)
    if "=" not in row.at and len(names) > 1:
        raise DerivcheckError("cli.row_name_every_value")
    point = named_point(row.at) if "=" in row.at else {var: row.at}
    explanation = explain(row.function, point, wrt=var, lang=lang)
    return explanation_title(explanation, lang), explanation_sections(explanation, lang, style)


def named_point(at: str) -> dict[str, str]:
    """``"x=1, a=2"`` (commas or semicolons) -> ``{"x": "1", "a": "2"}``.

    >>> named_point("x = 1; a=2")
    {'x': '1', 'a': '2'}
    """

    point: dict[str, str] = {}
    for part in at.replace(";", ",").split(","):
        name, equals, value = (piece.strip() for piece in part.partition("="))
        if not (equals and name and value) or name in point:
            raise DerivcheckError("cli.row_at_malformed", at=at)
        point[name] = value
    return point


def solution_sheet(rows: list[Any], lang: str = "en", style: str = "rules", name: str = "") -> str:
    """The whole sheet as a LaTeX document (ctexart for ``lang="zh"``)."""
    from derivcheck.render.latex import (
        latex_document,
        paragraph_text,
        phrase,
        sections_to_body,
        tex_text,
    )

    groups: dict[tuple[str, str | None, str | None], list[Any]] = {}
    problems: list[tuple[Any, str]] = []
    for row in rows:
        if row.problem:
            problems.append((row, row.problem))
            continue
        key = ((row.function or "").strip(), row.var, row.at)
        groups.setdefault(key, []).append(row)
    zh = lang == "zh"
    parts = [f"{{\\Large\\bfseries {tex_text(phrase('solutions', lang), zh)}}}\\par"]
    if name:
        parts.append(f"\\texttt{{{tex_text(name, zh)}}}\\par")
    for members in groups.values():
        first = members[0]
        ids = list(dict.fromkeys(m.id for m in members))
        heading = tex_text(_heading(ids, lang), zh)
        try:
            title, sections = exercise_sections(first, lang, style)
        except DerivcheckError as error:
            first_line = error.to_text(lang).splitlines()[0]
            reason = tex_text(phrase("row_problem", lang, reason=first_line), zh)
            function = tex_text(first.function or "", zh)
            parts.append(f"\\section*{{{heading}}}\n\\texttt{{{function}}}: {reason}\\par")
            continue
        parts.append(f"\\section*{{{heading}: {paragraph_text(title, lang)}}}")
        parts.append(sections_to_body(sections, lang))
    for row, reason in problems:
        line = Message("cli.row_line", line=row.line).to_text(lang)
        heading = tex_text(f"{_heading([row.id], lang)}{line}", zh)
        reason_text = tex_text(phrase("row_problem", lang, reason=reason), zh)
        parts.append(f"\\section*{{{heading}}}\n{reason_text}\\par")
    return latex_document("\n".join(parts) + "\n", lang)


def run(args: argparse.Namespace) -> int:
    from derivcheck.cli.latex import write_document
    from derivcheck.cli.output import DOCUMENTS, check_output
    from derivcheck.grading.files import read_rows

    if args.output:
        check_output(args.output, "-o", DOCUMENTS)
    rows = list(read_rows(args.file, encoding=args.encoding))
    source = solution_sheet(rows, args.lang, args.style, name=str(args.file))
    return write_document(source, args.output, args.lang)
