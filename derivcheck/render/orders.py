"""Higher derivatives, partials, Hessians and derivations without a point, drawn by the
shared layout (:mod:`derivcheck.render.layout`): text, LaTeX, Markdown and plain data.

>>> from derivcheck import explain
>>> print(explain("x^3", 2, order=2).to_text().splitlines()[0])
Derivatives of y = x^3 up to order 2 at x = 2
"""

from __future__ import annotations

import math
from typing import Any

from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message, check_language, rule_message
from derivcheck.render import layout as lay
from derivcheck.render.layout import (
    WIDE,
    At,
    D,
    Equation,
    Math,
    Name,
    Num,
    Product,
    Section,
    Sentence,
    Words,
)

__all__ = [
    "higher_sections",
    "higher_to_mermaid",
    "higher_title",
    "higher_to_text",
    "higher_to_latex",
    "higher_to_markdown",
    "higher_to_dict",
]


def _d(e: Any, step: Any) -> D:
    return D(e.output.name, tuple(v.name for v in step.variables), step.partial)


def _point(point: dict) -> lay.Points:
    return lay.Points(tuple((k.name, lay.point_value(v)) for k, v in point.items()))


def higher_title(e: Any) -> Words:
    function = Math(e.expr)
    output = e.output.name
    if e.single:
        if e.point is not None:
            key, params = "orders.title", {"point": _point(e.point), "order": e.order}
        elif e.order == 1:
            key, params = "orders.title_symbolic", {}
        else:
            key, params = "orders.title_symbolic_order", {"order": e.order}
    else:
        key = "orders.title_partials" if e.order == 1 else "orders.title_hessian"
        params = {}
        if e.point is not None:
            key += "_at"
            params["point"] = _point(e.point)
    return Words(Message(key, output=output, function=function, **params))


def _checked(step: Any) -> Sentence:
    key = "orders.checked_exact" if step.check == "exact" else "orders.checked_numeric"
    return Sentence(Words(Message(key, times=step.order)))


def _status(verdict: Any) -> Message:
    if verdict is None:
        return Message("orders.status_none")
    return Message("orders.status_agrees" if verdict.agrees else "orders.status_disagrees")


def _numeric_rows(result: Any, order: int) -> list[Any]:
    """The numeric check of one order: estimate ± error, verdict, why the budget grew."""
    if result is None:
        return []
    numeric, verdict = result.numeric, result.verdict
    if numeric is None or not numeric.ok:
        note = lay.numeric_note(numeric) if numeric is not None else "—"
        return [Sentence(Words(Message("orders.no_numeric", reason=note)))]
    rows: list[Any] = [
        Sentence(Words(Message(
            "orders.numeric_check", method=lay.method_message(numeric.method),
            evaluations=numeric.evaluations, estimate=Num(numeric.estimate, WIDE),
            error=Num(numeric.error_estimate, 2),
        )))
    ]  # fmt: skip
    rows.append(lay._verdict(numeric, verdict))
    if order >= 2 and numeric.method == "complex":
        factor = math.factorial(order) / numeric.step**order
        rows.append(Sentence(Words(Message(
            "orders.budget_why_complex", order=order, factor=Num(factor, 3),
            radius=Num(numeric.step, 3),
        ))))  # fmt: skip
    elif order >= 2:
        rows.append(Sentence(Words(Message(
            "orders.budget_why_richardson", order=order, step=Num(numeric.step, 3)
        ))))  # fmt: skip
    return rows


def _steps_rows(e: Any, step: Any) -> list[Any]:
    """The rule-by-rule steps that give this order from the previous one."""
    output = e.output.name
    if step.derivation is None:
        message = Message("orders.steps_too_long", previous=Math(step.previous), raw=Math(step.raw))
        return [Sentence(Words(message))]
    rows = lay.rule_sections(step.derivation, output)[0].rows
    unique: dict[Any, None] = {}
    for row in rows:  # the same sub-step used twice is shown once
        if isinstance(row, Equation):
            try:
                unique.setdefault(row, None)
            except TypeError:  # pragma: no cover - an unhashable piece
                return [r for r in rows if isinstance(r, Equation)]
    return list(unique)


def _order_section(e: Any, step: Any, result: Any) -> Section:
    symbol = _d(e, step)
    if step.order == 1 or step.partial and step.order == 1:
        if step.partial:
            title = Message(
                "orders.partial_heading", symbol=symbol, variable=Name(step.variable.name)
            )
        else:
            title = Message("orders.first_heading", symbol=symbol)
    elif step.partial:
        previous = D(e.output.name, tuple(v.name for v in step.variables[:-1]), True)
        title = Message(
            "orders.second_heading", symbol=symbol, previous=previous,
            variable=Name(step.variable.name),
        )  # fmt: skip
    else:
        previous = D(e.output.name, tuple(v.name for v in step.variables[:-1]), False)
        title = Message("orders.order_heading", order=step.order, symbol=symbol, previous=previous)
    rows: list[Any] = _steps_rows(e, step)
    rhs: tuple[Any, ...] = (Math(step.raw), Math(step.expression))
    rows.append(Equation(symbol, rhs))
    if result is not None:
        if len(e.point) == 1:
            ((name, value),) = e.point.items()
            rows.append(
                Equation(At(symbol, name.name, lay.point_value(value)), (Num(result.value, WIDE),))
            )
        else:
            note = Words(
                Message(
                    "render.heading_inline",
                    title=Message("orders.exact_value"),
                    row=_point(e.point),
                )
            )
            rows.append(Equation(symbol, (Num(result.value, WIDE),), (note,)))
    rows.append(_checked(step))
    rows += _numeric_rows(result, step.order)
    return Section(Words(title), tuple(rows), kind=f"order{step.order}")


def _graph_sections(e: Any) -> list[Section]:
    """Intermediate variables, local derivatives and the chain product, without numbers."""
    graph = e.graph
    v = e.variable
    rows = [Equation(Name(s.name.name), (Math(s.definition),)) for s in graph.steps]
    locals_ = []
    for s in graph.steps:
        partial = len(s.local_derivatives) > 1
        for arg, local in s.local_derivatives.items():
            note = Words(rule_message(s.rule))
            locals_.append(Equation(D(s.name.name, arg.name, partial), (Math(local),), (note,)))
    sections = [
        Section(Words(Message("orders.intermediate")), tuple(rows), kind="forward"),
        Section(Words(Message("orders.local")), tuple(locals_), kind="local"),
    ]
    if graph.is_chain(v) and len(graph.steps) > 1:
        chain = [(s, s.arguments[0]) for s in reversed(graph.steps)]
        rhs = (
            Product(tuple(D(s.name.name, a.name) for s, a in chain)),
            Product(tuple(Math(s.local_derivatives[a]) for s, a in chain)),
            Math(graph.derivative(v)),
        )
        row = Equation(D(e.output.name, v.name), rhs)
        sections.append(Section(Words(Message("orders.chain_heading")), (row,), kind="chain"))
    return sections


def _samples_section(e: Any) -> Section:
    if not e.samples:
        return Section(
            Words(Message("orders.samples_heading")),
            (Sentence(Words(Message("orders.samples_none"))),),
            kind="samples",
        )
    rows = []
    for sample in e.samples:
        where = _point(sample.point)
        numeric = sample.numeric
        row = Message(
            "orders.sample_row", exact=Num(sample.value, WIDE),
            estimate=Num(numeric.estimate, WIDE), error=Num(numeric.error_estimate, 2),
            status=_status(sample.verdict),
        )  # fmt: skip
        rows.append(Equation(where, (), (Words(row),)))
    return Section(Words(Message("orders.samples_heading")), tuple(rows), kind="samples")


def _hessian_section(e: Any) -> Section:
    names = [v.name for v in e.wrt]
    rows = []
    values = e.hessian
    if values is not None:
        for a in names:
            row = "[ " + "  ".join(lay_number(values[a][b]) for b in names) + " ]"
            rows.append(Sentence(Words(Message("orders.hessian_row", row=row))))
    else:
        for a in e.wrt:
            cells = "[ " + "  ".join(str(e._entry(a, b).expression) for b in e.wrt) + " ]"
            rows.append(Sentence(Words(Message("orders.hessian_row", row=cells))))
    rows.insert(0, Sentence(Words(Message("orders.hessian_of", names=", ".join(names)))))
    return Section(Words(Message("orders.hessian_heading")), tuple(rows), kind="hessian")


def lay_number(value: float) -> str:
    from derivcheck.render.printing import number

    return number(value, 10)


def _summary(e: Any) -> list[Section]:
    checks = e.checks()
    if not checks:
        return []
    bad = sum(1 for c in checks if not c.agrees)
    key = "orders.summary_agrees" if not bad else "orders.summary_disagrees"
    row = Sentence(Words(Message(key, count=len(checks), bad=bad)))
    return [Section(None, (row,), kind="summary")]


def tangent_section(e: Any) -> Section | None:
    """y = f(x0) + f′(x0)(x − x0) (see :attr:`HigherExplanation.tangent`)."""
    tangent = e.tangent
    if tangent is None:
        return None
    where = _point(e.point)
    if tangent.vertical:
        line = Words(Message("orders.tangent_vertical", point=where, x0=Num(tangent.x0, WIDE)))
    else:
        line = Words(Message("orders.tangent_line", line=str(tangent)))
    return Section(
        Words(Message("orders.tangent_heading", point=where)), (Sentence(line),), kind="tangent"
    )


def higher_sections(e: Any, tangent: bool = False) -> list[Section]:
    """Every section of a :class:`~derivcheck.higher.HigherExplanation`."""
    sections: list[Section] = []
    if e.single:
        if e.point is None and e.order == 1:
            sections += _graph_sections(e)
        results = e.results or (None,) * len(e.orders)
        for step, result in zip(e.orders, results):
            sections.append(_order_section(e, step, result))
    else:
        for v in e.wrt:
            sections.append(_order_section(e, e.partials[v], e.partial_results.get(v)))
        for key, entry in e.entries.items():
            section = _order_section(e, entry.first, e.entry_results.get(key))
            if entry.symmetric is not None:
                how = Message(
                    "orders.how_exact" if entry.symmetric == "exact" else "orders.how_numeric"
                )
                symmetric = Message(
                    "orders.symmetric", first=_d(e, entry.first), second=_d(e, entry.second),
                    how=how,
                )  # fmt: skip
                section = Section(
                    section.title, (*section.rows, Sentence(Words(symmetric))), kind=section.kind
                )
            sections.append(section)
        if e.entries:
            sections.append(_hessian_section(e))
    if e.point is None:
        sections.append(_samples_section(e))
    if e.reason_message is not None:
        sentence = Sentence(Words(Message("domain_sentence", reason=e.reason_message)))
        sections.append(Section(None, closing=(sentence,), kind="domain"))
    if tangent:
        found = tangent_section(e)
        if found is not None:
            sections.append(found)
    return sections + _summary(e)


def higher_to_text(e: Any, lang: str = "en", tangent: bool = False) -> str:
    from derivcheck.render.text import TextRenderer, sections_to_text

    lang = check_language(lang)
    title = TextRenderer(lang).render(higher_title(e))
    return title + "\n\n" + sections_to_text(higher_sections(e, tangent), lang)


def higher_to_latex(
    e: Any, standalone: bool = False, lang: str = "en", tangent: bool = False, style: str = "rules"
) -> str:
    """Every order rule by rule (``style`` can only be "rules"), in ``align*`` or a document."""
    _rules_only(style)
    from derivcheck.render.latex import (
        latex_document,
        sections_to_align,
        sections_to_body,
        words_text,
    )

    lang = check_language(lang)
    sections = higher_sections(e, tangent)
    if not standalone:
        return sections_to_align(sections, lang)
    return latex_document(sections_to_body(sections, lang), lang, words_text(higher_title(e), lang))


def higher_to_markdown(
    e: Any,
    lang: str = "en",
    level: int = 2,
    tangent: bool = False,
    style: str = "rules",
    graph: bool = True,
) -> str:
    """A page section: the title, the computational graph (Mermaid; ``graph=False`` leaves
    it out) and every order's ``$$`` blocks (rule by rule)."""
    _rules_only(style)
    from derivcheck.render.latex import phrase, words_text
    from derivcheck.render.markdown import md_text, paragraph_text, sections_to_markdown

    lang = check_language(lang)
    parts = ["#" * level + " " + paragraph_text(words_text(higher_title(e), lang))]
    if graph:
        parts.append("#" * (level + 1) + " " + md_text(phrase("computational_graph", lang)))
        parts.append("```mermaid\n" + higher_to_mermaid(e, lang).rstrip("\n") + "\n```")
        key = "orders.graph_caption" if e.point is None else "orders.graph_caption_values"
        parts.append(md_text(Message(key).to_text(lang)))
    body = "\n\n".join(parts) + "\n\n"
    return body + sections_to_markdown(higher_sections(e, tangent), level + 1, lang)


def higher_to_mermaid(e: Any, lang: str = "en") -> str:
    """The computational graph of f as a Mermaid flowchart: the intermediate variables and
    their local derivatives, formulas only without a point (with their values at one).

    >>> from derivcheck import explain
    >>> print(explain("sin(x^2)").to_mermaid().splitlines()[4])
        n0 -->|"du/dx = 2x"| n1
    """
    from derivcheck.render.markdown import flowchart, graph_edges, graph_nodes
    from derivcheck.render.printing import show

    lang = check_language(lang)
    values = e.graph.values() if e.point is not None else None
    definitions = [show(s.definition) for s in e.steps]
    return flowchart(graph_nodes(e, definitions, values, lang), graph_edges(e, lang))


def _rules_only(style: str) -> None:
    """Higher derivatives are shown one way: each order derived rule by rule."""
    if style != "rules":
        raise DerivcheckError("orders.style", style=repr(style))


def _result_dict(result: Any, lang: str) -> dict[str, Any]:
    from derivcheck.render.data import finite, numeric_to_dict

    verdict = result.verdict
    return {
        "value": finite(result.value),
        "numeric": numeric_to_dict(result.numeric, lang) if result.numeric is not None else None,
        "verdict": None
        if verdict is None
        else {
            "agrees": verdict.agrees,
            "difference": finite(verdict.difference),
            "budget": finite(verdict.budget),
            "ratio": finite(verdict.ratio),
        },
    }


def _step_dict(e: Any, step: Any) -> dict[str, Any]:
    from derivcheck.render.text import TextRenderer

    derivation = step.derivation
    return {
        "order": step.order,
        "variables": [v.name for v in step.variables],
        "notation": TextRenderer().render(_d(e, step)),
        "derivative": str(step.expression),
        "rules": list(derivation.rules_used) if derivation is not None else [],
        "check": step.check,
    }


def higher_to_dict(e: Any) -> dict[str, Any]:
    """Plain data (JSON-ready)."""
    from derivcheck.render.data import finite

    lang = e.lang
    data: dict[str, Any] = {
        "expression": str(e.expr),
        "source": e.source,
        "variables": [v.name for v in e.wrt],
        "wrt": [v.name for v in e.wrt],  # as Explanation.to_dict() names them
        "order": e.order,
        "point": None
        if e.point is None
        else {k.name: finite(float(v.evalf(17))) for k, v in e.point.items()},
        "value": finite(e.value) if e.value is not None else None,
        "agrees": e.agrees,
        "differentiable": e.differentiable,
        "reason": e.reason,
    }
    if e.single:
        results = e.results or (None,) * len(e.orders)
        data["orders"] = [
            {**_step_dict(e, s), **(_result_dict(r, lang) if r is not None else {})}
            for s, r in zip(e.orders, results)
        ]
        tangent = e.tangent
        if tangent is not None:
            data["tangent"] = {
                "x0": tangent.x0, "y0": finite(tangent.y0), "slope": finite(tangent.slope),
                "text": str(tangent),
            }  # fmt: skip
    else:
        data["partials"] = {
            v.name: {
                **_step_dict(e, p),
                **(_result_dict(e.partial_results[v], lang) if v in e.partial_results else {}),
            }
            for v, p in e.partials.items()
        }
        if e.entries:
            data["hessian_entries"] = [
                {
                    **_step_dict(e, entry.first),
                    "symmetric": entry.symmetric,
                    **(_result_dict(e.entry_results[k], lang) if k in e.entry_results else {}),
                }
                for k, entry in e.entries.items()
            ]
            data["hessian"] = e.hessian
    if e.point is None:
        data["samples"] = [
            {
                "point": {k.name: float(v) for k, v in s.point.items()},
                "value": finite(s.value),
                "estimate": finite(s.numeric.estimate),
                "error_estimate": finite(s.numeric.error_estimate),
                "agrees": s.agrees,
            }
            for s in e.samples
        ]
    return data
