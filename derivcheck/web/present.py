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

from collections.abc import Callable, Iterable
from typing import Any

from derivcheck.render import layout as lay
from derivcheck.render.latex import Row, Text, join_rhs, latex_row, sections_to_align, words_text

__all__ = ["parts", "sections_data", "section_data", "typesetter", "typeset_sections"]

Typeset = Callable[[lay.Equation], Row]


def typesetter(lang: str) -> Typeset:
    """:func:`~derivcheck.render.latex.latex_row` in ``lang``, each equation typeset once:
    the page's rows and the whole ``align*`` of an answer share them.

    >>> from derivcheck import explain
    >>> from derivcheck.render import layout
    >>> equation = layout.explanation_sections(explain("(3x+2)^2", 1))[2].rows[0]
    >>> typeset = typesetter("en")
    >>> typeset(equation) is typeset(equation)
    True
    """
    rows: dict[int, tuple[lay.Equation, Row]] = {}

    def typeset(equation: lay.Equation) -> Row:
        kept = rows.get(id(equation))
        if kept is None or kept[0] is not equation:  # the equation is kept: its id stays its
            kept = rows[id(equation)] = (equation, latex_row(equation, lang))
        return kept[1]

    return typeset


def parts(value: Text) -> list[dict[str, str]]:
    """Text with mathematics as ``[{"text": …}, {"math": …}, …]``."""
    return [{"math": content} if is_math else {"text": content} for is_math, content in value]


def _rows(run: Iterable[lay.Equation], typeset: Typeset) -> list[dict[str, Any]]:
    rows = []
    for equation in run:
        row = typeset(equation)
        rows.append(
            {
                "lhs": row.lhs,
                "relation": row.relation if row.rhs else "",
                "rhs": join_rhs(row.rhs),
                "note": parts(row.note),
            }
        )
    return rows


def section_data(section: lay.Section, lang: str, typeset: Typeset | None = None) -> dict[str, Any]:
    """One section: ``kind``, ``title`` (parts, or None) and ``blocks`` (each
    ``{"rows": […]}`` or ``{"sentence": parts}``); ``typeset`` makes the rows (default:
    :func:`typesetter`)."""
    typeset = typeset or typesetter(lang)
    blocks: list[dict[str, Any]] = []
    for block in lay.blocks(section):
        if isinstance(block, lay.Sentence):
            blocks.append({"sentence": parts(words_text(block.words, lang))})
        else:
            blocks.append({"rows": _rows(block, typeset)})
    title = parts(words_text(section.title, lang)) if section.title is not None else None
    return {"kind": section.kind, "title": title, "blocks": blocks}


def sections_data(
    sections: Iterable[lay.Section], lang: str, typeset: Typeset | None = None
) -> list[dict[str, Any]]:
    """Every section, in order (see :func:`section_data`)."""
    typeset = typeset or typesetter(lang)
    return [section_data(section, lang, typeset) for section in sections]


def typeset_sections(sections: list[lay.Section], lang: str) -> dict[str, Any]:
    """``{"sections": …, "latex": …}`` of an answer: the page's rows (:func:`sections_data`)
    and the whole derivation as one ``align*``, each equation typeset once for both."""
    typeset = typesetter(lang)
    return {
        "sections": sections_data(sections, lang, typeset),
        "latex": sections_to_align(sections, lang, typeset),
    }
