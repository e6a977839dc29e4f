r"""A checked worked solution as something a teacher hands back: text, Markdown, LaTeX.

Each line is shown as the student wrote it, marked ✓ (right), ✗ (wrong), → (follows from
a wrong line), ? (unreadable) or ! (not checked), with the message beside a line that is
not right; then the final answer and the first wrong line. Every word is a message key
(``steps.*``), in English or Chinese. These functions read a
:class:`~derivcheck.grading.steps.StepsResult`; they compute nothing.

>>> from derivcheck.grading.steps import check_steps
>>> r = check_steps("(2x+1)^3", "u = 2x + 1\nf'(x) = 6(2x+1)^2\nf'(1) = 6·9 = 56", at=1)
>>> print(steps_text(r, "en"))
Worked solution: the derivative of (2x+1)^3 at x = 1
  1  ✓  u = 2x + 1
  2  ✓  f'(x) = 6(2x+1)^2
  3  ✗  f'(1) = 6·9 = 56   ← Arithmetic mistake: 54 is not 56.
First wrong line: 3.
Final answer: incorrect. Not the value of the derivative at x = 1.
"""

from __future__ import annotations

from typing import Any

from derivcheck.messages import text
from derivcheck.render.latex import tex_text
from derivcheck.render.markdown import md_text

__all__ = ["MARKS", "steps_text", "steps_markdown", "steps_latex"]

#: The mark of each line verdict.
MARKS = {
    "correct": "✓",
    "incorrect": "✗",
    "carried": "→",
    "unparseable": "?",
    "error": "!",
    "skipped": "",
}
_LATEX_MARKS = {
    "correct": r"$\surd$",
    "incorrect": r"$\times$",
    "carried": r"$\rightarrow$",
    "unparseable": "?",
    "error": "!",
    "skipped": "",
}


def _title(result: Any, lang: str) -> str:
    if result.at is not None:
        point = f"{result.var or 'x'} = {result.at}"
        return text("steps.title_at", lang, function=result.function, point=point)
    return text("steps.title", lang, function=result.function)


def _comment(line: Any, lang: str) -> str:
    if line.note is None or line.verdict in ("correct", "skipped"):
        return ""
    return line.note.to_text(lang)


def _summary(result: Any, lang: str) -> list[str]:
    first = result.first_error
    lines = [
        text("steps.first_wrong", lang, line=first)
        if first is not None
        else text("steps.all_right", lang)
    ]
    verdict = text(f"batch.verdict.{result.verdict}", lang)
    lines.append(text("steps.final", lang, verdict=verdict, comment=result.note.to_text(lang)))
    return lines


def steps_text(result: Any, lang: str = "en") -> str:
    """Plain text: the title, one marked line per line of the solution, the summary."""
    width = max((len(line.text) for line in result.lines), default=0)
    out = [_title(result, lang)]
    for line in result.lines:
        comment = _comment(line, lang)
        mark = MARKS[line.verdict] or " "
        shown = f"  {line.number}  {mark}  {line.text}"
        if comment:
            shown = f"  {line.number}  {mark}  {line.text.ljust(min(width, 40))}  ← {comment}"
        out.append(shown.rstrip())
    return "\n".join(out + _summary(result, lang))


def _md_cell(value: str) -> str:
    return md_text(value.replace("\n", " "))


def steps_markdown(result: Any, lang: str = "en") -> str:
    """A Markdown table (line, working, check, comment) under a bold title, then the summary."""
    columns = ("line_column", "work_column", "check_column", "comment_column")
    header = "| " + " | ".join(text(f"steps.{c}", lang) for c in columns) + " |"
    out = [f"**{md_text(_title(result, lang))}**", "", header, "|---:|---|:---:|---|"]
    for line in result.lines:
        cells = (
            str(line.number),
            _md_cell(line.text),
            MARKS[line.verdict],
            _md_cell(_comment(line, lang)),
        )
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out += [md_text(sentence) + "  " for sentence in _summary(result, lang)]
    return "\n".join(out).rstrip() + "\n"


def steps_latex(result: Any, lang: str = "en") -> str:
    """A LaTeX ``longtable``-free tabular (line, working, mark, comment) and the summary,
    for pdflatex (English) or xelatex with ctex (Chinese)."""
    unicode_ok = lang == "zh"

    def tex(value: str) -> str:
        return tex_text(value, unicode_ok=unicode_ok)

    columns = ("line_column", "work_column", "check_column", "comment_column")
    header = " & ".join(rf"\textbf{{{tex(text(f'steps.{c}', lang))}}}" for c in columns)
    out = [
        rf"\paragraph{{{tex(_title(result, lang))}}}",
        "",
        r"\begin{tabular}{r p{0.38\linewidth} c p{0.42\linewidth}}",
        header + r" \\ \hline",
    ]
    for line in result.lines:
        cells = (
            str(line.number),
            rf"\texttt{{{tex(line.text)}}}",
            _LATEX_MARKS[line.verdict],
            tex(_comment(line, lang)),
        )
        out.append(" & ".join(cells) + r" \\")
    out += [r"\end{tabular}", ""]
    out += [tex(sentence) + r"\par" for sentence in _summary(result, lang)]
    return "\n".join(out) + "\n"
