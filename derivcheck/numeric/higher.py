"""Numeric derivatives of order n, with error estimates that grow honestly with n.

The first derivative is :func:`derivcheck.numeric.derivative`. For n ≥ 2:

* ``"complex"`` -- the complex step of order n, Cauchy's integral on circles around x0
  (:func:`~derivcheck.numeric.complex_step.contour_derivative`): exact to rounding for analytic
  functions, its error n!/rⁿ times the rounding noise and truncation read off the FFT;
* ``"richardson"`` -- n-th central differences (the stencil of the right order,
  :func:`~derivcheck.numeric.budget.stencil_weights`) extrapolated in Ridders' tableau
  (:func:`~derivcheck.numeric.richardson.ridders_order`), with steps that stay short of kinks,
  poles and domain edges of a compiled expression; its rounding error grows as 2ⁿ·eps/hⁿ;
* ``"auto"`` -- the complex step for analytic compiled expressions (Richardson when no circle
  gives an estimate), Richardson for expressions with relu/abs/max/…; a plain callable is
  tried with complex input and cross-checked against Richardson, which wins on disagreement.

The result is a :class:`~derivcheck.numeric.NumericResult`; :func:`~derivcheck.numeric.verdict`
compares it with an exact value. Measured honesty: ``tests/orders/test_budget.py`` and
``python benchmarks/orders.py``.

>>> import numpy as np
>>> r = nth_derivative(np.sin, 0.5, 3)
>>> round(r.estimate, 12) == round(-float(np.cos(0.5)), 12), r.method
(True, 'complex')
>>> round(nth_derivative(lambda x: abs(x) * x**2, 1.0, 2, method="richardson").estimate, 6)
6.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from derivcheck.errors import EvaluationError
from derivcheck.messages import Message
from derivcheck.numeric.barriers import analysis_of, find_rooms
from derivcheck.numeric.budget import VERDICT_MULTIPLE
from derivcheck.numeric.complex_step import contour_derivative
from derivcheck.numeric.engine import _checked_step, _derivative, _finite_point
from derivcheck.numeric.line import Line, point_text, value_at_point
from derivcheck.numeric.problems import problem_result
from derivcheck.numeric.results import NumericResult
from derivcheck.numeric.richardson import RICHARDSON_SCALE, ridders_order

__all__ = ["ORDER_METHODS", "MAX_ORDER", "nth_derivative", "nth_partial"]

#: Methods for n ≥ 2 (order 1 accepts every method of :func:`derivcheck.numeric.derivative`).
ORDER_METHODS = ("auto", "complex", "richardson")

#: The highest order the numeric engine is asked for.
MAX_ORDER = 20


def nth_derivative(
    f: Callable[..., Any], x0: float, order: int, method: str = "auto", h: float | None = None
) -> NumericResult:
    """The ``order``-th derivative of a function of one variable at x0, with an error estimate.

    ``h``: the initial step of Richardson (the largest radius of the complex step).

    >>> round(nth_derivative(lambda x: x**4, 1.0, 4, method="richardson").estimate, 6)
    24.0
    """
    return _nth(Line(f), x0, order, method, h)


def nth_partial(
    f: Callable[..., Any],
    point: Sequence[float],
    index: int,
    order: int,
    method: str = "auto",
    h: float | None = None,
) -> NumericResult:
    """∂ⁿf/∂xᵢⁿ of ``f(*point)`` (the other arguments fixed).

    >>> round(nth_partial(lambda x, y: x**3 * y, [2.0, 5.0], 0, 2).estimate, 9)
    60.0
    """
    point = [float(v) for v in point]
    if not 0 <= index < len(point):
        raise EvaluationError("numeric.error.index", index=index, size=len(point))
    return _nth(Line(f, point, index), point[index], order, method, h)


def _checked_order(order: Any) -> int:
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)):
        raise EvaluationError("orders.bad_order", order=order, largest=MAX_ORDER)
    if not 1 <= int(order) <= MAX_ORDER:
        raise EvaluationError("orders.bad_order", order=order, largest=MAX_ORDER)
    return int(order)


@np.errstate(all="ignore")
def _nth(line: Line, x0: float, order: Any, method: str, h: float | None) -> NumericResult:
    n = _checked_order(order)
    t0, h = _finite_point(x0), _checked_step(h)
    if n == 1:
        return _derivative(line, t0, method, h)
    if method not in ORDER_METHODS:
        raise EvaluationError(
            "orders.numeric_method", method=method, methods=", ".join(ORDER_METHODS)
        )
    f0 = value_at_point(line, t0)
    if not math.isfinite(f0):
        return problem_result(line, t0, f0, method, h or 0.0)
    analysis = analysis_of(line)
    reach = RICHARDSON_SCALE * max(1.0, abs(t0)) if h is None else h
    radius = max(1.0, abs(t0)) if h is None else h
    kinked = False
    if analysis is not None and analysis.barriers:
        rooms = find_rooms(line, analysis, t0, max(reach * n / 2.0, radius))
        if rooms.on:
            note = Message("orders.numeric_on_kink", where=point_text(line, t0), order=n)
            return NumericResult(
                math.nan, math.inf, "richardson", 0.0, line.evaluations, note, "kink"
            )
        singular = rooms.singular
        radius = min(radius, 0.5 * singular)
        reach = min(reach, rooms.limit(reach * n / 2.0) * 2.0 / n)
        kinked = bool(analysis.kinks)
    analytic = analysis is None or (analysis.analytic and not kinked)
    if method == "complex" and analysis is not None and not analysis.analytic:
        raise EvaluationError("orders.not_analytic", expr=str(line.expr))
    contour = None
    if method in ("complex", "auto") and analytic and radius > 0:
        contour = contour_derivative(line, t0, n, radius)
        if contour is not None and method == "complex":
            return contour
        if contour is not None and analysis is not None:
            return contour
    if method == "complex":
        raise EvaluationError("orders.complex_impossible", where=point_text(line, t0))
    richardson = ridders_order(line, t0, n, reach) if reach > 0 else None
    if richardson is None:
        note = Message("orders.numeric_no_stencil", where=point_text(line, t0), order=n)
        return NumericResult(
            math.nan, math.inf, "richardson", reach, line.evaluations, note, "domain"
        )
    if contour is not None:  # a black box that accepts complex input: trust it if both agree
        apart = abs(contour.estimate - richardson.estimate)
        if apart <= VERDICT_MULTIPLE * (contour.error_estimate + richardson.error_estimate):
            return replace(contour, evaluations=line.evaluations)
    return replace(richardson, evaluations=line.evaluations)
