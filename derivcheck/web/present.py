r"""The derivation's layout as data for the page: rows of LaTeX and sentences with math.

The page draws what the command line and the LaTeX renderer draw — the sections of
:mod:`derivcheck.render.layout` — so it reuses the LaTeX renderer's pieces
(:func:`~derivcheck.render.latex.latex_row`, :func:`~derivcheck.render.latex.words_text`)
and only changes the container: each row is ``{"lhs", "relation", "rhs", "note"}`` (the
page aligns the rows on their relation and typesets each piece with KaTeX), and text with
mathematics in it is a list of ``{"text": …}`` and ``{"math": …}`` parts, so that words
reach the page as text, never as markup.

>>> from derivcheck import explain
>>> from derivcheck.render import layout
>>> sections = sections_data(layout.explanation_sections(explain("(3x+2)^2", 1)), "en")
>>> [s["kind"] for s in sections]
['forward', 'local', 'chain', 'exact', 'numeric']
>>> sections[2]["blocks"][0]["rows"][0]["rhs"]
'\\frac{dy}{du} \\cdot \\frac{du}{dx} = 2 u \\cdot 3 = 10 \\cdot 3 = 30'
>>> sections[1]["blocks"][0]["rows"][0]["note"]
[{'text': 'sum rule'}]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from derivcheck.render import layout as lay
from derivcheck.render.latex import Text, join_rhs, latex_row, words_text

__all__ = ["parts", "sections_data", "section_data"]


def parts(value: Text) -> list[dict[str, str]]:
    """Text with mathematics as ``[{"text": …}, {"math": …}, …]``."""
    return [{"math": content} if is_math else {"text": content} for is_math, content in value]


def _rows(run: Iterable[lay.Equation], lang: str) -> list[dict[str, Any]]:
    rows = []
    for equation in run:
        row = latex_row(equation, lang)
        rows.append(
            {
                "lhs": row.lhs,
                "relation": row.relation if row.rhs else "",
                "rhs": join_rhs(row.rhs),
                "note": parts(row.note),
            }
        )
    return rows


def section_data(section: lay.Section, lang: str) -> dict[str, Any]:
    """One section: ``kind``, ``title`` (parts, or None) and ``blocks`` (each
    ``{"rows": […]}`` or ``{"sentence": parts}``)."""
    blocks: list[dict[str, Any]] = []
    for block in lay.blocks(section):
        if isinstance(block, lay.Sentence):
            blocks.append({"sentence": parts(words_text(block.words, lang))})
        else:
            blocks.append({"rows": _rows(block, lang)})
    title = parts(words_text(section.title, lang)) if section.title is not None else None
    return {"kind": section.kind, "title": title, "blocks": blocks}


def sections_data(sections: Iterable[lay.Section], lang: str) -> list[dict[str, Any]]:
    """Every section, in order (see :func:`section_data`)."""
    return [section_data(section, lang) for section in sections]
