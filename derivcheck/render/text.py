"""An :class:`~derivcheck.Explanation` as plain text that reads like the chapter.

>>> from derivcheck import explain
>>> print(explain("(3x+2)^2", 1).to_text())  # doctest: +ELLIPSIS
Derivative of y = (3x + 2)^2 at x = 1
...
  dy/dx = dy/du · du/dx = 2u · 3 = 10 · 3 = 30
...
"""

from __future__ import annotations

import math
from typing import Any

import sympy

from derivcheck.messages import localize_note, rule_name, text, word
from derivcheck.render.printing import GREEK, number, show

__all__ = [
    "explanation_to_text",
    "update_to_text",
    "method_name",
    "name_of",
    "substituted_source",
]

_WIDE = 15  # significant digits for final results
_LINE = 100  # longest one-line chain before it is split over lines


def name_of(symbol: sympy.Symbol) -> str:
    return GREEK.get(symbol.name, symbol.name)


def d(top: sympy.Symbol, bottom: sympy.Symbol, partial: bool = False) -> str:
    mark = "∂" if partial else "d"
    return f"{mark}{name_of(top)}/{mark}{name_of(bottom)}"


def method_name(method: str, lang: str) -> str:
    key = f"method_{method.split()[0].split('-')[0]}"
    try:
        return word(key, lang)
    except KeyError:
        return method


def _point_text(e: Any) -> str:
    return ", ".join(f"{name_of(k)} = {exact_number_text(v)}" for k, v in e.point.items())


def exact_number_text(value: sympy.Expr) -> str:
    """1/2 -> '0.5', 1/3 -> '1/3', pi/4 -> 'π/4': decimals only where they are exact."""
    if value.is_Rational:
        q = int(value.q)
        while q % 2 == 0:
            q //= 2
        while q % 5 == 0:
            q //= 5
        if q == 1:
            return number(float(value), _WIDE)
        return show(value)
    if value.is_Float:
        return number(float(value), _WIDE)
    return show(value)


def substituted_source(source: str, spans: tuple[tuple[int, int, str], ...], values: dict) -> str:
    """The user's own text with each name replaced by its number: 'w1*x + b1' -> '0.5*2 + 0.1'.

    >>> substituted_source("3x + 2", ((1, 2, "x"),), {"x": 1.0})
    '3·1 + 2'
    """
    out = []
    last = 0
    for start, end, name in spans:
        out.append(source[last:start])
        text = number(values[name])
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


def explanation_to_text(e: Any, lang: str = "en") -> str:
    lines: list[str] = []
    output = e.output
    if e.single:
        lines.append(word("derivative_of", lang, expr=f"{name_of(output)} = {show(e.expr)}",
                          point=_point_text(e)))  # fmt: skip
    else:
        lines.append(word("gradient_of", lang, output=name_of(output), point=_point_text(e)))
    lines.append("")
    _forward_section(e, lines, lang)
    if e.reason_message is not None:
        lines.append(word("domain_sentence", lang, reason=e.reason_message))
        return "\n".join(lines)
    if e.single and e.program is None:
        _local_section(e, lines, lang)
        _chain_section(e, lines, lang)
    else:
        _backward_section(e, lines, lang)
    _kink_section(e, lines, lang)
    if not e.kinks:
        _result_section(e, lines, lang)
    return "\n".join(lines).rstrip() + "\n"


def _forward_section(e: Any, lines: list[str], lang: str) -> None:
    key = "forward_pass" if e.program is not None else "intermediate_variables"
    lines.append(word(key, lang) + ":")
    values = e.graph.values()
    by_name = {k.name: v for k, v in values.items()}
    width = max(len(name_of(s.name)) for s in e.steps)
    for index, s in enumerate(e.steps):
        label = name_of(s.name).ljust(width)
        if e.program is not None and len(e.program.assignments) > 1:
            source = e.program.sources[index]
            shown = substituted_source(source, e.program.name_spans[index], by_name)
        else:
            source = show(s.definition)
            shown = show(s.definition, values=values) if s.definition.free_symbols else source
        parts = [source]
        if shown != source:
            parts.append(shown)
        value = number(s.value, _WIDE if s is e.steps[-1] else 6)
        if value != shown:
            parts.append(value)
        lines.append(f"  {label} = " + " = ".join(parts))
    lines.append("")


def _local_section(e: Any, lines: list[str], lang: str) -> None:
    lines.append(word("local_derivatives", lang) + ":")
    rows = []
    for s in e.steps:
        partial = len(s.local_derivatives) > 1
        for arg, local in s.local_derivatives.items():
            symbolic = show(local)
            value = number(s.local_values[arg])
            text = f"{d(s.name, arg, partial)} = {symbolic}" + (
                "" if value == symbolic else f" = {value}"
            )
            rows.append((text, rule_name(s.rule, lang)))
    width = max((len(t) for t, _ in rows), default=0)
    for text, rule in rows:
        lines.append(f"  {text.ljust(width)}   ({rule})")
    lines.append("")


def _chain_section(e: Any, lines: list[str], lang: str) -> None:
    v = e.variable
    final = number(e.value, _WIDE)
    if e.is_chain:
        lines.append(word("chain_rule", lang) + ":")
        chain = [(s, s.arguments[0]) for s in reversed(e.steps)]
        names = " · ".join(d(s.name, a) for s, a in chain)
        symbolic = " · ".join(_factor(show(s.local_derivatives[a])) for s, a in chain)
        numeric = " · ".join(_factor(number(s.local_values[a])) for s, a in chain)
        parts = [f"{d(e.output, v)}", names, symbolic, numeric, final]
        parts = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]
        one_line = "  " + " = ".join(parts)
        if len(one_line) <= _LINE:
            lines.append(one_line)
        else:
            pad = " " * (2 + len(parts[0]))
            lines.append(f"  {parts[0]} = {parts[1]}")
            lines.extend(f"{pad} = {p}" for p in parts[2:])
    else:
        lines.append(word("forward_accumulation", lang) + ":")
        for line in e.forward_lines:
            step = e.graph.step(line.node)
            partial = len(step.local_derivatives) > 1
            names, numbers_ = [], []
            for arg, _local, local_value, tangent in line.terms:
                if arg == v:
                    names.append(d(line.node, arg, partial))
                    numbers_.append(_factor(number(local_value)))
                else:
                    names.append(f"{d(line.node, arg, partial)} · {d(arg, v)}")
                    numbers_.append(f"{_factor(number(local_value))} · {_factor(number(tangent))}")
            value = number(line.value, _WIDE if line.node == e.output else 6)
            parts = [d(line.node, v)]
            if names and names != [parts[0]]:
                parts.append(" + ".join(names))
                if len(numbers_) > 1 or " · " in numbers_[0]:
                    parts.append(" + ".join(numbers_))
            parts.append(value)
            lines.append("  " + " = ".join(parts))
    lines.append("")
    lines.append(
        f"{word('exact_derivative', lang)}: {d(e.output, v)} = {show(e.derivative)} = {final}"
    )
    lines.append("")


def _factor(text: str) -> str:
    """Bracket a sum or a negative number inside a product."""
    if text.startswith("-") or " + " in text or " - " in text:
        return f"({text})"
    return text


def _backward_section(e: Any, lines: list[str], lang: str) -> None:
    lines.append(
        f"{word('backward_pass', lang)} ({word('backward_intro', lang, output=name_of(e.output))}):"
    )
    out = e.output
    for line in e.backward_lines:
        target = d(out, line.node)
        names, symbolic, numeric = [], [], []
        for consumer, adjoint, local, local_value in line.terms:
            local_text = show(local)
            if consumer == out:
                names.append(local_text)
                numeric.append(_factor(number(local_value)))
                symbolic.append(local_text)
            else:
                names.append(f"{d(out, consumer)} · {_factor(local_text)}")
                first = number(adjoint)
                numeric.append(
                    f"{first if len(line.terms) == 1 else _factor(first)} · "
                    f"{_factor(number(local_value))}"
                )
        parts = [target, " + ".join(names)]
        numbers_text = " + ".join(numeric)
        if numbers_text != parts[-1] and not (len(numeric) == 1 and " · " not in numbers_text):
            parts.append(numbers_text)
        value = number(line.value, _WIDE)
        if parts[-1] != value:
            parts.append(value)
        lines.append("  " + " = ".join(parts))
    lines.append("")


def _kink_section(e: Any, lines: list[str], lang: str) -> None:
    if not e.kinks:
        return
    lines.append(word("not_differentiable", lang) + ":")
    for kink in e.kinks:
        sentence = word("kink_sentence", lang, function=kink.function, argument=show(kink.argument))
        key = "convention_half" if kink.function in ("max", "min") else "convention_pytorch"
        lines.append(f"  {sentence} {word(key, lang, function=kink.function)}")
    for v, sides in e.one_sided.items():
        for side, exact, result, verdict in (
            ("left_derivative", sides.left, sides.left_numeric, sides.left_verdict),
            ("right_derivative", sides.right, sides.right_numeric, sides.right_verdict),
        ):
            numeric = number(result.estimate, _WIDE) if result is not None else "—"
            status = word("agrees" if verdict is not None and verdict.agrees else "disagrees", lang)
            lines.append(
                f"  {word(side, lang)} {d(e.output, v)}: {word('symbolic', lang)} "
                f"{number(exact, _WIDE)}, {word('numeric', lang)} {numeric} → {status}"
            )
    lines.append("")


def _result_section(e: Any, lines: list[str], lang: str) -> None:
    if e.single:
        v = e.variable
        result = e.numerics[v]
        lines.append(_numeric_line(result, lang) + ":")
        lines.append(_estimate_line(result, e.verdicts[v], lang))
    else:
        lines.append(f"{word('gradient', lang)} — {word('numeric_check', lang)}:")
        rows = []
        for v in e.wrt:
            result = e.numerics[v]
            verdict = e.verdicts[v]
            rows.append((
                d(e.output, v),
                number(e.exact_values[v], _WIDE),
                f"{word('numeric', lang)} {number(result.estimate, _WIDE)} "
                f"± {number(result.error_estimate, 2)}",
                method_name(result.method, lang),
                _status(verdict, lang) if verdict is not None else "—",
            ))  # fmt: skip
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [row[i].ljust(widths[i]) for i in range(4)]
            lines.append(f"  {cells[0]} = {cells[1]}   {cells[2]}   {cells[3]}   {row[4]}")
    for note in e.near_kinks:
        shown = localize_note(note, lang) if isinstance(note, str) else text(note, lang)
        lines.append(f"  {word('note', lang)}: {shown}")


def _numeric_line(result: Any, lang: str) -> str:
    evaluations = f"{result.evaluations} {word('evaluations', lang)}"
    return (f"{word('numeric_check', lang)} ({method_name(result.method, lang)}, "
            f"h = {number(result.step, 3)}, {evaluations})")  # fmt: skip


def _estimate_line(result: Any, verdict: Any, lang: str) -> str:
    text = (f"  {word('estimate', lang)} {number(result.estimate, _WIDE)}, "
            f"{word('error_estimate', lang)} {number(result.error_estimate, 2)}")  # fmt: skip
    if verdict is None:
        reason = result.note or "—"
        return text + "\n  " + word("no_numeric", lang, reason=reason)
    return text + "\n  " + _status(verdict, lang, detailed=True)


def _status(verdict: Any, lang: str, detailed: bool = False) -> str:
    word_ = word("agrees" if verdict.agrees else "disagrees", lang)
    if not detailed:
        return word_
    sign = "≤" if verdict.agrees else ">"
    ratio = number(verdict.ratio, 2) if math.isfinite(verdict.ratio) else "∞"
    return (f"{word('difference', lang)} = {number(verdict.difference, 2)} {sign} "
            f"{word('budget', lang)} {number(verdict.budget, 2)} "
            f"({word('ratio', lang)} {ratio}) → {word_}")  # fmt: skip


def update_to_text(update: Any, output: str, lang: str = "en") -> str:
    """Section 2.4 of the chapter: each parameter before → after, and the output's change."""
    lines = [word("parameter_update", lang, lr=number(update.lr)) + ":"]
    width = max(len(name) for name in update.before)
    for name, before in update.before.items():
        lines.append(f"  {name.ljust(width)}: {number(before)} → {number(update.after[name])}")
    before, after = update.output_before, update.output_after
    trend = "decreased" if after < before else "increased" if after > before else "unchanged"
    lines.append(word("loss_change", lang, output=output, before=number(before),
                      after=number(after), trend=word(trend, lang)))  # fmt: skip
    return "\n".join(lines) + "\n"
