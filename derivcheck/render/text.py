"""An :class:`~derivcheck.Explanation` as plain text that reads like the chapter.

The text draws the layout of :mod:`derivcheck.render.layout`, as LaTeX and Markdown do:
names are aligned in a column, a rule's name stands aside in brackets, a table's cells
are aligned, and a chain too long for one line puts each step on a line of its own.

>>> from derivcheck import explain
>>> print(explain("(3x+2)^2", 1).to_text())  # doctest: +ELLIPSIS
Derivative of y = (3x + 2)^2 at x = 1
...
  dy/dx = dy/du · du/dx = 2u · 3 = 10 · 3 = 30
...
"""

from __future__ import annotations

from typing import Any

import sympy

from derivcheck.messages import check_language
from derivcheck.render import layout as lay
from derivcheck.render.printing import GREEK, number, renderer, show

__all__ = [
    "explanation_to_text",
    "layout_to_text",
    "sections_to_text",
    "update_to_text",
    "method_name",
    "name_of",
    "d",
    "substituted_source",
    "exact_number_text",
    "TextRenderer",
]

_LINE = 100  # longest one-line chain before it is split over lines
_GAP = "   "  # between an equation and its aside, and between the cells of a table


def name_of(symbol: sympy.Symbol | str) -> str:
    name = symbol if isinstance(symbol, str) else symbol.name
    return GREEK.get(name, name)


def d(top: sympy.Symbol | str, bottom: sympy.Symbol | str, partial: bool = False) -> str:
    """``dy/dx`` (``∂y/∂x`` when ``partial``)."""
    mark = "∂" if partial else "d"
    return f"{mark}{name_of(top)}/{mark}{name_of(bottom)}"


def method_name(method: str, lang: str) -> str:
    """The numeric method's name in ``lang`` ('complex step', '复步长法')."""
    return TextRenderer(lang).render(lay.Words(lay.method_message(method)))


def exact_number_text(value: sympy.Expr) -> str:
    """1/2 -> '0.5', 1/3 -> '1/3', pi/4 -> 'π/4': decimals only where they are exact."""
    return TextRenderer().render(lay.point_value(value))


def substituted_source(
    source: str,
    spans: tuple[tuple[int, int, str], ...],
    values: dict,
    undefined: str = "undefined",
) -> str:
    """The user's own text with each name replaced by its number: 'w1*x + b1' -> '0.5*2 + 0.1'.

    >>> substituted_source("3x + 2", ((1, 2, "x"),), {"x": 1.0})
    '3·1 + 2'
    """
    out = []
    last = 0
    for start, end, name in spans:
        out.append(source[last:start])
        text = number(values[name], undefined=undefined)
        before = source[:start].rstrip()
        if text.startswith("-") and before and before[-1] not in "(=,":
            text = f"({text})"
        if start > 0 and (source[start - 1].isalnum() or source[start - 1] in ").²³"):
            text = "·" + text  # 3x at x = 1 is 3·1, not 31
        if end < len(source) and (source[end].isalnum() or source[end] in "(√|"):
            text += "·"
        out.append(text)
        last = end
    out.append(source[last:])
    return "".join(out)


class TextRenderer(lay.Renderer):
    """Pieces as plain text: ``dy/du · du/dx``, ``2u``, ``e^(x^2)``, ``relu'(z1)``."""

    def _math(self, piece: lay.Math) -> str:
        return show(piece.expr, piece.values, piece.digits, self.undefined())

    def _num(self, piece: lay.Num) -> str:
        return number(piece.value, piece.digits, self.undefined())

    def _name(self, piece: lay.Name) -> str:
        return name_of(piece.name)

    def _d(self, piece: lay.D) -> str:
        from derivcheck.calculus.orders import superscript

        mark = "∂" if piece.partial and not piece.of_output else "d"
        power = "" if piece.order == 1 else superscript(piece.order)
        below = "".join(
            f"{mark}{name_of(n)}" + ("" if k == 1 else superscript(k)) for n, k in piece.groups()
        )
        return f"{mark}{power}{name_of(piece.top)}/{below}"

    def _operator(self, piece: lay.Operator) -> str:
        return f"{d('', piece.variable, piece.partial)}[{show(piece.expr)}]"

    def _at(self, piece: lay.At) -> str:
        return f"{self.render(piece.piece)}|({name_of(piece.name)} = {self.render(piece.value)})"

    def _value(self, piece: lay.Value) -> str:
        return self.render(piece.value)

    def _source(self, piece: lay.Source) -> str:
        if piece.values is None:
            return piece.source
        return substituted_source(piece.source, piece.spans, piece.values, self.undefined())

    def _call(self, piece: lay.Call) -> str:
        from derivcheck.calculus.catalogue import lookup

        record = lookup(piece.function)
        name = record.text if record is not None else piece.function
        if not piece.args and not piece.prime:
            return name
        args = ", ".join(self.render(a) for a in piece.args)
        return f"{name}{chr(39) if piece.prime else ''}({args})"

    def _fraction(self, piece: lay.Fraction) -> str:
        top, bottom = self.render(piece.top), self.render(piece.bottom)
        if not isinstance(piece.top, (lay.Name, lay.Num)):
            top = self.bracket(top)
        if not isinstance(piece.bottom, (lay.Name, lay.Num, lay.Power)):
            bottom = self.bracket(bottom)
        return f"{top}/{bottom}"

    def _power(self, piece: lay.Power) -> str:
        base = self.render(piece.base)
        if lay.needs_power_brackets(piece.base):
            base = self.bracket(base)
        exponent = self.render(piece.exponent)
        if not exponent.isalnum():
            exponent = self.bracket(exponent)
        return f"{base}^{exponent}"

    def _points(self, piece: lay.Points) -> str:
        return ", ".join(f"{name_of(n)} = {self.render(v)}" for n, v in piece.points)

    def _formula(self, piece: lay.Formula) -> str:
        if piece.record is None:
            return piece.latex  # a structural rule, stated in LaTeX only (derivation.py)
        from derivcheck.calculus.statements import rule_statement

        statement = rule_statement(piece.record)
        lhs = f"{d('', statement.variable.name, statement.partial)} {show(statement.function)}"
        cases = [
            show(slope) + ("" if condition is None else f" ({self.condition(condition)})")
            for slope, condition in statement.cases
        ]
        return f"{lhs} = " + self.word("render.separator").join(cases)

    def condition(self, condition: Any) -> str:
        x = name_of(condition.variable)
        if condition.off_integers:
            return f"{x} ∉ ℤ"
        if condition.excluded:
            return ", ".join(f"{x} ≠ {show(p)}" for p in condition.excluded)
        low = f"{show(condition.lower)} < " if condition.lower is not None else ""
        high = f" < {show(condition.upper)}" if condition.upper is not None else ""
        if condition.lower is not None and condition.upper is None:
            return f"{x} > {show(condition.lower)}"
        return f"{low}{x}{high}"


# --------------------------------------------------------------------------------------
# Rows and sections
# --------------------------------------------------------------------------------------


def _equation(lhs: str, rest: list[str], relation: str) -> str:
    if not rest:
        return lhs
    return f"{lhs}{':' if relation == ':' else ' ='} " + " = ".join(rest)


def _equation_lines(run: tuple[lay.Equation, ...], r: TextRenderer) -> list[str]:
    parts = [r.parts(eq.lhs, eq.rhs) for eq in run]
    notes = [[r.render(cell) for cell in eq.note] for eq in run]
    if any(len(cells) > 1 for cells in notes):  # a table: every column aligned
        table = [[p[0], " = ".join(p[1:]), *cells] for p, cells in zip(parts, notes)]
        columns = max(len(row) for row in table)
        widths = [max(len(row[i]) for row in table if i < len(row)) for i in range(columns)]
        lines = []
        for row in table:
            cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
            lines.append(f"{cells[0]} = {cells[1]}" + "".join(_GAP + c for c in cells[2:]))
        return [line.rstrip() for line in lines]
    if any(notes):  # asides: the rule's name in a column of its own
        texts = [_equation(p[0], p[1:], eq.relation) for p, eq in zip(parts, run)]
        width = max(len(t) for t in texts)
        return [
            t.ljust(width) + _GAP + r.word("render.aside", text=cells[0]) if cells else t
            for t, cells in zip(texts, notes)
        ]
    if all(isinstance(eq.lhs, lay.Name) for eq in run):  # names: aligned
        width = max(len(p[0]) for p in parts)
        parts = [[p[0].ljust(width), *p[1:]] for p in parts]
    lines = []
    for p, eq in zip(parts, run):
        one_line = _equation(p[0], p[1:], eq.relation)
        if len(one_line) + 2 <= _LINE or len(p) <= 2:
            lines.append(one_line)
            continue
        lines.append(_equation(p[0], p[1:2], eq.relation))
        lines.extend(" " * len(p[0]) + f" = {step}" for step in p[2:])
    return lines


def _section_lines(section: lay.Section, r: TextRenderer) -> list[str]:
    body: list[str] = []
    for run in lay.equation_runs(section.rows):
        if isinstance(run, lay.Sentence):
            body.append(r.render(run.words))
        else:
            body.extend(_equation_lines(run, r))
    lines = []
    if section.title is not None:
        heading = r.render(section.title)
        if section.compact and len(body) == 1:
            lines.append(r.word("render.heading_inline", title=heading, row=body.pop()))
        else:
            lines.append(r.word("render.heading", title=heading))
    lines.extend("  " + line for line in body)
    lines.extend(r.render(sentence.words) for sentence in section.closing)
    return lines


def sections_to_text(sections: list[lay.Section], lang: str = "en") -> str:
    """Sections as text: a heading line each, its rows indented, a blank line between."""
    r = TextRenderer(check_language(lang))
    blocks = ["\n".join(_section_lines(section, r)) for section in sections]
    return "\n\n".join(blocks) + "\n"


def layout_to_text(layout: lay.Layout, lang: str = "en") -> str:
    """A whole :class:`~derivcheck.render.layout.Layout`: its title line, then its sections."""
    r = TextRenderer(check_language(lang))
    return r.render(layout.title) + "\n\n" + sections_to_text(list(layout.sections), lang)


@renderer
def explanation_to_text(e: Any, lang: str = "en", style: str = "chain") -> str:
    """The derivation as text (``style="rules"``: rule by rule, one variable)."""
    return layout_to_text(lay.explanation_layout(e, style), lang)


def update_to_text(update: Any, output: str, lang: str = "en") -> str:
    """Section 2.4 of the chapter: each parameter before → after, and the output's change."""
    return sections_to_text([lay.update_section(update, output)], lang)
