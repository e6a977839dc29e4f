"""A :class:`~derivcheck.curves.result.CurveExplanation` as a layout of
:mod:`derivcheck.render.layout` (drawn by the text, LaTeX and Markdown renderers), and as
plain data.

>>> from derivcheck.curves import explain_curve
>>> layout = curve_layout(explain_curve("x^2 + y^2 = 1", {"x": 0.6, "y": 0.8}))
>>> [section.kind for section in layout.sections]
['on_curve', 'both_sides', 'solve', 'rules', 'exact', 'numeric']
"""

from __future__ import annotations

from typing import Any

import sympy

from derivcheck.messages import Message
from derivcheck.render import layout as lay
from derivcheck.render.layout import (
    WIDE,
    Chain,
    D,
    Equation,
    Fraction,
    Layout,
    Math,
    Name,
    Neg,
    Num,
    Operator,
    Points,
    Product,
    Section,
    Sentence,
    Sum,
    Words,
)

__all__ = ["curve_layout", "curve_to_dict"]


def _heading(key: str, **params: Any) -> Words:
    return Words(Message(key, **params))


def _sentence(key: str, **params: Any) -> Sentence:
    return Sentence(Words(Message(key, **params)))


def _times(factor: sympy.Expr, piece: Any) -> Any:
    """factor · piece, without a factor 1 (and −piece for −1)."""
    if factor == 1:
        return piece
    if factor == -1:
        return Neg(piece)
    return Product((Math(factor), piece))


def _points(e: Any) -> Points:
    return Points(tuple((k.name, lay.point_value(v)) for k, v in e.point.items()))


def _d(e: Any, order: int = 1) -> D:
    return D(e.dependent.name, e.variable.name, order=order)


def _values(e: Any) -> dict[Any, float]:
    return {**e.point_floats, **e.coordinates}


def _rule_rows(e: Any) -> Section:
    """Every non-trivial step of the derivations of the partial derivatives, rule by rule."""
    rows: list[Any] = []
    outputs = ("F", "F") if e.kind == "implicit" else (e.variable.name, e.dependent.name)
    for (expression, derivations), output in zip(e.derivations, outputs):
        for d in derivations:
            if d.variable in expression.free_symbols:
                rows.extend(lay.rule_sections(d, output)[0].rows)
    key = "curves.rules_implicit" if e.kind == "implicit" else "curves.rules_parametric"
    names = {"x": Name(e.variable.name), "y": Name(e.dependent.name)}
    if e.parameter is not None:
        names["t"] = Name(e.parameter.name)
    closing = (_sentence("render.checked_exact"),)
    return Section(_heading(key, **names), tuple(rows), closing, kind="rules")


def _total(value_x: sympy.Expr, value_y: sympy.Expr, e: Any) -> Any:
    """∂/∂x + ∂/∂y · dy/dx of one side, without its zero terms."""
    terms: list[Any] = []
    signs: list[int] = []
    if value_x != 0:
        terms.append(Math(value_x))
        signs.append(1)
    if value_y != 0:
        negative = bool(terms) and bool(value_y.could_extract_minus_sign())
        terms.append(_times(-value_y if negative else value_y, _d(e)))
        signs.append(-1 if negative else 1)
    return Sum(tuple(terms), tuple(signs)) if terms else Math(sympy.S.Zero)


def _implicit_sections(e: Any) -> list[Section]:
    x, y = e.variable.name, e.dependent.name
    (lhs, (lx, ly)), (rhs, (rx, ry)) = e.derivations
    fx, fy = e.partials
    sections = []
    if e.residual == 0:
        on_curve = _sentence("curves.on_curve", function=Math(lhs - rhs), point=_points(e))
    else:
        on_curve = _sentence(
            "curves.on_curve_rounding", function=Math(lhs - rhs), point=_points(e),
            residual=Num(e.residual, 2), tolerance=Num(e.tolerance, 2),
        )  # fmt: skip
    sections.append(Section(None, closing=(on_curve,), kind="on_curve"))
    both = (
        Equation(Operator(lhs, x), (Operator(rhs, x),)),
        Equation(
            _total(lx.simplified, ly.simplified, e), (_total(rx.simplified, ry.simplified, e),)
        ),
    )
    heading = _heading("curves.both_sides", x=Name(x), y=Name(y), derivative=_d(e))
    sections.append(Section(heading, both, kind="both_sides"))
    collected = Equation(_times(fy, _d(e)), (Math(-fx),))
    solved = Equation(_d(e), (Neg(Fraction(Math(fx), Math(fy))), Math(e.formulas[0])))
    using = Words(Message("curves.using_equation", equation=Chain(Math(lhs), (Math(rhs),))))

    def on_curve(order: int) -> tuple[Equation, ...]:
        forms = e.on_curve_forms
        form = forms[order - 1] if len(forms) >= order else None
        return () if form is None else (Equation(_d(e, order), (Math(form),), (using,)),)

    formula = Equation(
        _d(e),
        (Neg(Fraction(D("F", x, True), D("F", y, True))),),
    )
    closing = (_sentence("curves.formula_note", formula=formula_chain(formula),
                         function=Chain(Name("F"), (Math(lhs - rhs),))),)  # fmt: skip
    sections.append(
        Section(
            _heading("curves.solve", derivative=_d(e)),
            (collected, solved, *on_curve(1)),
            closing,
            "solve",
        )  # fmt: skip
    )
    for stage in e.stages:
        gx, gy = stage.parts
        by_rule = Sum((Operator(stage.previous, x, True),
                       Product((Operator(stage.previous, y, True), _d(e)))))  # fmt: skip
        substituted = Sum((Math(gx), Product((Math(gy), Math(e.formulas[0])))))
        row = Equation(_d(e, stage.order), (by_rule, substituted, Math(stage.formula)))
        heading = _heading("curves.again_implicit", derivative=_d(e, stage.order), x=Name(x),
                           y=Name(y), first=_d(e))  # fmt: skip
        sections.append(Section(heading, (row, *on_curve(stage.order)), kind="again"))
    sections.append(_rule_rows(e))
    return sections


def formula_chain(equation: Equation) -> Chain:
    return Chain(equation.lhs, equation.rhs)


def _parametric_sections(e: Any) -> list[Section]:
    t = e.parameter.name
    (xt, _), (yt, _) = e.derivations
    dx, dy = e.partials
    values = _values(e)
    rows = tuple(
        Equation(Name(s.name), (Math(f), Math(f, values), Num(e.coordinates[s], WIDE)))
        for s, f in ((e.variable, xt), (e.dependent, yt))
    )
    sections = [Section(_heading("curves.the_point", t=Name(t)), rows, kind="point")]
    rows = tuple(
        Equation(D(s.name, t), (Math(f), Math(f, values), Num(v)))
        for s, f, v in zip((e.variable, e.dependent), (dx, dy), e.partial_values)
    )
    sections.append(Section(_heading("curves.by_parameter", t=Name(t)), rows, kind="by_parameter"))
    dydx = Equation(
        _d(e),
        (Fraction(D(e.dependent.name, t), D(e.variable.name, t)), Fraction(Math(dy), Math(dx)),
         Math(e.formulas[0])),
    )  # fmt: skip
    sections.append(Section(_heading("curves.quotient", derivative=_d(e)), (dydx,), kind="solve"))
    for stage in e.stages:
        (dg,) = stage.parts
        row = Equation(
            _d(e, stage.order),
            (Fraction(Operator(stage.previous, t), D(e.variable.name, t)),
             Fraction(Math(dg), Math(dx)), Math(stage.formula)),
        )  # fmt: skip
        heading = _heading("curves.again_parametric", derivative=_d(e, stage.order),
                           previous=_d(e, stage.order - 1), t=Name(t),
                           dxdt=D(e.variable.name, t))  # fmt: skip
        sections.append(Section(heading, (row,), kind="again"))
    sections.append(_rule_rows(e))
    return sections


def _exact(e: Any) -> Section:
    """Each order's formula with the point's numbers, and its value."""
    values = _values(e)
    rows = []
    if e.kind == "implicit":
        names = (("F", e.variable.name), ("F", e.dependent.name))
        for (top, bottom), f, v in zip(names, e.partials, e.partial_values):
            rows.append(Equation(D(top, bottom, True), (Math(f), Math(f, values), Num(v))))
    for k, (f, v) in enumerate(zip(e.formulas, e.exact_values), 1):
        rows.append(Equation(_d(e, k), (Math(f), Math(f, values), Num(v, WIDE))))
    return Section(_heading("curves.at_point", point=_points(e)), tuple(rows), kind="exact")


def _numeric(e: Any) -> Section:
    result = e.numeric
    names = {"x": Name(e.variable.name), "y": Name(e.dependent.name)}
    if e.parameter is not None:
        names["t"] = Name(e.parameter.name)
    how = Message(f"curves.how_{e.kind}", **names)
    if result is None:
        heading = _heading("curves.numeric_heading_none", how=how)
        return Section(heading, (_sentence("no_numeric", reason=e.numeric_note),), kind="numeric")
    heading = _heading(
        "curves.numeric_heading", how=how, method=lay.method_message(result.method),
        step=Num(result.step, 3), evaluations=result.evaluations, derivative=_d(e, e.order),
    )  # fmt: skip
    estimate = Message(
        "render.estimate", estimate=Num(result.estimate, WIDE), error=Num(result.error_estimate, 2)
    )
    rows: list[Any] = [Sentence(Words(estimate)), lay._verdict(result, e.verdict)]
    return Section(heading, tuple(rows), kind="numeric")


def curve_layout(e: Any) -> Layout:
    """The derivation's title and sections."""
    if e.kind == "implicit":
        equation = Chain(Math(e.curve.lhs), (Math(e.curve.rhs),))
        title = _heading("curves.implicit_title", equation=equation, point=_points(e),
                         x=Name(e.variable.name), y=Name(e.dependent.name))  # fmt: skip
        sections = _implicit_sections(e)
    else:
        pair = e.curve
        title = _heading(
            "curves.parametric_title",
            x=Chain(Name(pair.x.name), (Math(pair.x_of_t),)),
            y=Chain(Name(pair.y.name), (Math(pair.y_of_t),)),
            point=_points(e),
        )
        sections = _parametric_sections(e)
    if e.reason_message is not None:
        sections.append(Section(None, closing=(Sentence(Words(e.reason_message)),), kind="domain"))
    else:
        sections.append(_exact(e))
    sections.append(_numeric(e))
    return Layout(title, tuple(sections))


def curve_to_dict(e: Any) -> dict[str, Any]:
    """Plain data (JSON-ready): the curve, the point, each order's formula and value, the checks."""
    from derivcheck.render.data import _verdict_to_dict, finite, numeric_to_dict

    lang = e.lang
    data: dict[str, Any] = {
        "kind": e.kind,
        "source": e.source,
        "variable": e.variable.name,
        "dependent": e.dependent.name,
        "parameter": e.parameter.name if e.parameter is not None else None,
        "order": e.order,
        "point": {k.name: v for k, v in e.point_floats.items()},
        "partials": {
            name: {"expression": str(f), "value": finite(v)}
            for name, f, v in zip(_partial_names(e), e.partials, e.partial_values)
        },
        "derivatives": [
            {"order": k, "expression": str(f), "value": finite(v)}
            for k, (f, v) in enumerate(zip(e.formulas, e.exact_values), 1)
        ],
        "value": finite(e.value),
        "differentiable": e.differentiable,
        "reason": e.reason_message.to_text(lang) if e.reason_message is not None else None,
        "numeric": numeric_to_dict(e.numeric, lang),
        "numeric_note": e.numeric_note.to_text(lang) if e.numeric_note is not None else None,
        "verdict": _verdict_to_dict(e.verdict),
        "agrees": e.agrees,
        "text": e.to_text(lang),
    }
    if e.numeric is not None:
        data["numeric"]["note"] = e.numeric.note_text(lang)
    if e.kind == "implicit":
        data["residual"] = e.residual
        data["tolerance"] = e.tolerance
    else:
        data["coordinates"] = {k.name: finite(v) for k, v in e.coordinates.items()}
    return data


def _partial_names(e: Any) -> tuple[str, str]:
    if e.kind == "implicit":
        return (f"dF/d{e.variable.name}", f"dF/d{e.dependent.name}")
    t = e.parameter.name
    return (f"d{e.variable.name}/d{t}", f"d{e.dependent.name}/d{t}")
