"""Implicit differentiation: dy/dx of a curve F(x, y) = G(x, y), y a function of x.

Both sides are differentiated with respect to x, y = y(x) by the chain rule
(d/dx g(y) = g′(y)·dy/dx); the terms with dy/dx are collected, which gives
dy/dx = −F_x/F_y for F = lhs − rhs. Each order more differentiates the last formula
g(x, y) again: d/dx g = ∂g/∂x + ∂g/∂y · dy/dx. The partial derivatives are derived rule
by rule (:func:`derivcheck.calculus.derivation.derive`, each step checked against
``sympy.diff``); the point must lie on the curve; the numeric check solves the equation
for y near the point and differences that.

>>> from derivcheck.curves.reading import read_equation
>>> e = explain_implicit(read_equation("x^2 + y^2 = 1"), {"x": 0.6, "y": 0.8})
>>> e.derivative, e.value, e.agrees
(-x/y, -0.75, True)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.derivation import derive
from derivcheck.curves.common import (
    check_order,
    named,
    negligible,
    numeric_check,
    on_curve_form,
    point_of,
    tidy,
    value_of,
    verdict_of,
)
from derivcheck.curves.reading import Equation
from derivcheck.curves.result import CurveExplanation, Stage
from derivcheck.curves.solve import Branch
from derivcheck.errors import DerivcheckError, EvaluationError, ParseError
from derivcheck.messages import Message
from derivcheck.numeric.budget import EPS

__all__ = ["explain_implicit", "variables_of"]


def variables_of(
    equation: Equation, wrt: Any = None, dependent: Any = None
) -> tuple[Symbol, Symbol]:
    """(x, y): the variable and the name that is a function of it.

    Two names: ``wrt`` (default x if there is one, else the first name) and the other.
    More names need ``dependent=``; the rest are constants, given at the point.
    """
    names = equation.names
    if len(names) < 2:
        raise ParseError("curves.one_name", equation.text, equation.equals, count=len(names))
    if isinstance(wrt, (list, tuple)):
        if len(wrt) != 1:
            raise EvaluationError("curves.one_wrt", names=", ".join(map(str, wrt)))
        (wrt,) = wrt
    x = named(wrt, names, Message("curves.what.wrt")) if wrt is not None else None
    y = named(dependent, names, Message("curves.what.dependent")) if dependent is not None else None
    if x is not None and x == y:
        raise EvaluationError("curves.same_names", name=x.name)
    if y is None:
        others = [s for s in names if s != x]
        if x is None and len(names) == 2:
            x = next((s for s in names if s.name == "x"), names[0])
            others = [s for s in names if s != x]
        if len(names) > 2:
            candidate = next((s for s in others if s.name == "y"), others[0])
            known = ", ".join(s.name for s in names)
            raise ParseError(
                "curves.which_dependent",
                equation.text,
                equation.position_of(candidate),
                names=known,
                name=candidate.name,
            )
        y = others[0]
    if x is None:
        x = next((s for s in names if s.name == "x" and s != y), next(s for s in names if s != y))
    return x, y


def _scale(terms: list[float]) -> float:
    return max([abs(t) for t in terms if math.isfinite(t)] + [0.0])


def _on_curve(equation: Equation, point: dict[Symbol, Expr], x: Symbol, y: Symbol, fx, fy):
    """F at the point and the tolerance it must be within: 64 ulps of the largest of |lhs|,
    |rhs|, |x·F_x| and |y·F_y| (the change of F when x or y moves by an ulp)."""
    residual = value_of(equation.function, point)
    lhs, rhs = value_of(equation.lhs, point), value_of(equation.rhs, point)
    xs, ys = value_of(x, point), value_of(y, point)
    scale = _scale([lhs, rhs, xs * value_of(fx, point), ys * value_of(fy, point)])
    tolerance = 64.0 * EPS * max(scale, 1e-300)
    return residual, tolerance


def _not_on_curve(equation, point, x, y, residual, branch):
    """The error for a point off the curve, with the y the curve has at this x, if found."""
    shown = ", ".join(f"{s.name} = {value_of(s, point):.16g}" for s in point)
    nearest = float(branch(np.asarray([value_of(x, point)]))[0]) if branch is not None else None
    hint = (
        Message("curves.nearest", y=y.name, value=nearest)
        if nearest is not None and math.isfinite(nearest)
        else Message("curves.no_nearest")
    )
    return DerivcheckError(
        "curves.not_on_curve",
        equation=equation.text,
        point=shown,
        residual=residual,
        hint=hint,
    )


def explain_implicit(
    equation: Equation,
    x0: Any,
    wrt: Any = None,
    lang: str = "en",
    *,
    order: int = 1,
    dependent: Any = None,
) -> CurveExplanation:
    """Explain and check d^n y/dx^n on the curve ``equation`` at the point ``x0`` (a mapping
    name -> number giving x, y and any constants)."""
    order = check_order(order)
    x, y = variables_of(equation, wrt, dependent)
    point = point_of(x0, equation.names)
    constants = {s: v for s, v in point.items() if s not in (x, y)}
    lhs, rhs = (side.xreplace(constants) for side in (equation.lhs, equation.rhs))

    derivations = tuple((side, (derive(side, x), derive(side, y))) for side in (lhs, rhs))
    (_, (lx, ly)), (_, (rx, ry)) = derivations
    fx = tidy(lx.simplified - rx.simplified)
    fy = tidy(ly.simplified - ry.simplified)
    residual, tolerance = _on_curve(Equation(lhs, rhs, equation.text), point, x, y, fx, fy)

    f = lhs - rhs
    branch = _branch(f, fy, x, y, point)
    if not (math.isfinite(residual) and abs(residual) <= tolerance):
        raise _not_on_curve(equation, point, x, y, residual, branch)

    first = tidy(-fx / fy)
    formulas, stages = [first], []
    for k in range(2, order + 1):
        g = formulas[-1]
        gx, gy = sympy.diff(g, x), sympy.diff(g, y)
        raw = gx + gy * first
        stages.append(Stage(k, g, (gx, gy), raw, tidy(raw)))
        formulas.append(stages[-1].formula)

    fx_value, fy_value = value_of(fx, point), value_of(fy, point)
    reason = _special_point(fx, fy, fx_value, fy_value, point, x, y)
    if reason is None:
        exact_values = tuple(value_of(g, point) for g in formulas)
    else:
        exact_values = (math.nan,) * order

    radius = branch.radius if branch is not None else 0.0
    numeric, note = numeric_check(branch, value_of(x, point), order, radius, reason)
    return CurveExplanation(
        kind="implicit",
        source=equation.text,
        curve=equation,
        variable=x,
        dependent=y,
        parameter=None,
        point=point,
        order=order,
        derivations=derivations,
        partials=(fx, fy),
        partial_values=(fx_value, fy_value),
        formulas=tuple(formulas),
        stages=tuple(stages),
        exact_values=exact_values,
        numeric=numeric,
        verdict=verdict_of(exact_values[-1], numeric),
        residual=residual,
        tolerance=tolerance,
        on_curve_forms=tuple(on_curve_form(g, f, x, y) for g in formulas),
        reason_message=reason,
        numeric_note=note,
        lang=lang,
    )


def _special_point(fx: Expr, fy: Expr, fx_value, fy_value, point, x, y) -> Message | None:
    """A vertical tangent (F_y = 0, F_x ≠ 0) or a singular point (both 0), else None."""
    scale = _scale([fx_value, value_of(x, point) * value_of(sympy.diff(fy, x), point),
                    value_of(y, point) * value_of(sympy.diff(fy, y), point)])  # fmt: skip
    if not negligible(fy_value, scale):
        return None
    names = {"x": x.name, "y": y.name}
    if negligible(fx_value, _scale([value_of(x, point), value_of(y, point), 1.0])):
        return Message("curves.singular_point", **names)
    return Message("curves.vertical_tangent", fx=fx_value, **names)


def _branch(f: Expr, fy: Expr, x: Symbol, y: Symbol, point) -> Branch | None:
    """y(x) near the point, solved from F(x, y) = 0 (None where F cannot be compiled)."""
    from derivcheck.numeric.evaluate import compile_expr

    try:
        g = compile_expr(f, [x, y])
        dg = compile_expr(fy, [x, y])
    except EvaluationError:
        return None
    return Branch.of(g, dg, value_of(x, point), value_of(y, point))
