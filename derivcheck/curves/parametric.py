"""Parametric curves: dy/dx of x = x(t), y = y(t).

dx/dt and dy/dt are derived rule by rule (:func:`derivcheck.calculus.derivation.derive`),
dy/dx = (dy/dt)/(dx/dt), and each order more is d/dt of the last formula over dx/dt. The
numeric check inverts x(t) near t0 with a root finder and differences y(t(x)) in x.

>>> from derivcheck.curves.reading import read_curve
>>> e = explain_parametric(read_curve("x = cos t; y = sin t"), 0.5)
>>> e.derivative, round(e.value, 12), e.agrees
(-1/tan(t), -1.830487721712, True)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy

from derivcheck.calculus.derivation import derive
from derivcheck.curves.common import (
    check_order,
    named,
    negligible,
    numeric_check,
    point_of,
    tidy,
    value_of,
    verdict_of,
)
from derivcheck.curves.reading import ParametricPair, parametric_pair
from derivcheck.curves.result import CurveExplanation, Stage
from derivcheck.curves.solve import Branch
from derivcheck.errors import EvaluationError
from derivcheck.messages import Message

__all__ = ["explain_parametric"]


def _parameter(pair: ParametricPair, wrt: Any) -> ParametricPair:
    """The pair with ``wrt`` as its parameter (x or y of the pair name the same curve)."""
    if isinstance(wrt, (list, tuple)):
        if len(wrt) != 1:
            raise EvaluationError("curves.one_wrt", names=", ".join(map(str, wrt)))
        (wrt,) = wrt
    if wrt is None:
        return pair
    name = wrt.name if isinstance(wrt, sympy.Symbol) else str(wrt).strip()
    if name == pair.x.name:
        return pair
    chosen = named(name, pair.program.inputs, Message("curves.what.wrt"))
    return parametric_pair(pair.program, chosen) or pair


def explain_parametric(
    pair: ParametricPair, x0: Any, wrt: Any = None, lang: str = "en", *, order: int = 1
) -> CurveExplanation:
    """Explain and check d^n y/dx^n of the curve ``pair`` at the parameter value ``x0`` (a
    number, or a mapping giving the parameter and any constants)."""
    order = check_order(order)
    pair = _parameter(pair, wrt)
    t = pair.parameter
    point = point_of(x0, (t, *pair.constants))
    constants = {s: v for s, v in point.items() if s != t}
    xt, yt = (f.xreplace(constants) for f in (pair.x_of_t, pair.y_of_t))
    derivations = tuple((f, (derive(f, t),)) for f in (xt, yt))
    dx, dy = (tidy(d.simplified) for _, (d,) in derivations)

    first = tidy(dy / dx)
    formulas, stages = [first], []
    for k in range(2, order + 1):
        g = formulas[-1]
        dg = sympy.diff(g, t)
        raw = dg / dx
        stages.append(Stage(k, g, (dg,), raw, tidy(raw)))
        formulas.append(stages[-1].formula)

    dx_value, dy_value = value_of(dx, point), value_of(dy, point)
    coordinates = {pair.x: value_of(xt, point), pair.y: value_of(yt, point)}
    reason = None
    t0 = value_of(t, point)
    if negligible(dx_value, max(abs(dy_value), abs(t0) * abs(value_of(sympy.diff(dx, t), point)))):
        names = {"x": pair.x.name, "y": pair.y.name, "t": t.name}
        if negligible(dy_value, max(1.0, abs(t0))):
            reason = Message("curves.parametric_singular", **names)
        else:
            reason = Message("curves.parametric_vertical", dy=dy_value, **names)
    exact_values = (
        tuple(value_of(g, point) for g in formulas) if reason is None else (math.nan,) * order
    )

    function, radius = (None, 0.0) if reason else _y_of_x(xt, yt, dx, t, t0, coordinates[pair.x])
    numeric, note = numeric_check(function, coordinates[pair.x], order, radius, reason)
    return CurveExplanation(
        kind="parametric",
        source=pair.text or None,
        curve=pair,
        variable=pair.x,
        dependent=pair.y,
        parameter=t,
        point=point,
        order=order,
        derivations=derivations,
        partials=(dx, dy),
        partial_values=(dx_value, dy_value),
        formulas=tuple(formulas),
        stages=tuple(stages),
        exact_values=exact_values,
        numeric=numeric,
        verdict=verdict_of(exact_values[-1], numeric),
        coordinates=coordinates,
        reason_message=reason,
        numeric_note=note,
        lang=lang,
    )


def _y_of_x(xt, yt, dx, t, t0: float, x_at: float):
    """y as a function of x near the point: t(x) from x(t) = x by the bracketed Newton
    iteration of :mod:`derivcheck.curves.solve`, then y(t(x)); with the box's radius."""
    from derivcheck.numeric.evaluate import compile_expr

    try:
        x_of, y_of, slope = (compile_expr(f, [t]) for f in (xt, yt, dx))
    except EvaluationError:
        return None, 0.0
    branch = Branch.of(lambda a, s: x_of(s) - a, lambda a, s: slope(s) + 0 * a, x_at, t0)

    def y_of_x(x):
        return y_of(branch(np.asarray(x, dtype=float)))

    return y_of_x, branch.radius
