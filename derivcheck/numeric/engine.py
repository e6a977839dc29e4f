"""Numeric derivatives with honest error estimates, for expressions and any Python callable.

Every estimate comes with an error estimate, and :func:`verdict` decides whether an
exact value agrees with it from that error budget, never from a fixed tolerance.

>>> import math
>>> from derivcheck.numeric import derivative, verdict
>>> result = derivative(lambda x: (3 * x + 2) ** 2, 1.0)
>>> round(result.estimate, 10), result.method
(30.0, 'complex')
>>> verdict(30.0, result).agrees
True
>>> kinked = derivative(lambda x: max(0.0, 3 * x - 1), 0.5)   # no complex input: Richardson
>>> round(kinked.estimate, 12), kinked.method
(3.0, 'richardson')

Compiled expressions (:func:`derivcheck.numeric.evaluate.compile_expr`) carry their SymPy tree,
so ``auto`` knows whether the complex step is valid and where the kinks are:

>>> import sympy
>>> from derivcheck.numeric.evaluate import compile_expr
>>> from derivcheck.calculus.functions import relu
>>> x = sympy.Symbol("x", real=True)
>>> f = compile_expr(sympy.sin(sympy.exp(x**2)), [x])
>>> derivative(f, 0.5).estimate              # the chapter's section 1.4 example
0.3631949148017262
>>> g = compile_expr(relu(3 * x - 1), [x])
>>> left, right = one_sided(g, 1 / 3)
>>> round(left.estimate, 12), round(right.estimate, 12)
(0.0, 3.0)
>>> round(derivative(g, 1 / 3 + 1e-9).estimate, 12)   # near the kink: steps stay on one side
3.0

Methods (``method=``):

* ``"central"``: (f(x+h) - f(x-h)) / 2h with h = eps^(1/3)·max(1, |x0|); error estimate =
  |D(h) - D(2h)| / 3 (truncation) + rounding: the larger of ``4·eps·(M + |x0·f'|) / h`` (M: the
  largest |f| in the stencil, or for a compiled expression the largest intermediate value) and
  the rounding noise of f seen in its fourth differences at x0 + kh, k = -4..4.
* ``"forward"`` / ``"backward"``: one-sided first-order differences, h = 0.7·sqrt(eps)·max(1,
  |x0|), error estimate |D(h) - D(2h)| + rounding (the larger of the floor above and the noise
  seen in the third differences of f at x0 ± kh, k = 0..7).
* ``"richardson"``: Ridders' method: central differences at 36 steps h0, h0/2, h0/4, ...
  (h0 = 0.2·max(1, |x0|), or ``h``) extrapolated to h = 0 in a Neville tableau of up to 6
  columns. Each entry's error estimate is the largest of its differences with its two parents
  and with the same extrapolation one row on (four values must agree), plus the rounding error
  propagated through the tableau, with f's noise measured by fourth differences near x0 (on
  a finer grid where f varies on a scale far below |x0|) and, for a compiled expression, by
  perturbing its operations by an ulp; the entry with the smallest estimate wins among those
  whose rows converge (a row whose quotients are tiny and wander, as for sin at 1e10 with
  steps from 2e9, is left out) and that agree with the best plain quotient of the finest
  converging rows. All steps are evaluated in one vectorised call, and rows where f is not
  finite (steps that leave the domain) are skipped. Where perturbed operations move f by a
  tenth of its size (sin of e^100), the result is ``problem = "resolution"``.
* ``"complex"``: the complex step Im f(x0 + ih) / h with h = 1e-20·|x0| (1e-20 when x0 = 0;
  below |x0| = 1e-200 both that and a step relative to |x0| are tried), exact to rounding for
  analytic functions, whatever the scale on which f varies (sin at 1e10). It is evaluated at
  x0 + ih and at x0 ± 2 ulps with steps of other mantissas: twice their second difference
  (rounding that changes between neighbours, and truncation), plus, for a compiled
  expression, twice the largest change when every operation of f is perturbed by an ulp
  (cancellation inside f: arcsin of a sigmoid rounded next to 1), plus 4 ulps, the spacing
  of the imaginary parts and eps·|f(x0)|/max(1, |x0|) (terms of the derivative that cancel)
  is the error estimate.
* ``"auto"``: the most accurate method the function allows. A compiled expression without
  abs/relu/max/min/sign/floor/Heaviside uses the complex step; one with them uses Richardson with
  steps that stay on one side of every kink (a kink is where the argument of relu/abs/sign is 0,
  where the arguments of max/min tie, where the argument of floor/ceiling is an integer); when
  x0 is closer to a kink than the step, the steps shrink, or a one-sided tableau on the far side
  is used, whichever has the smaller error estimate. A plain callable is tried with complex
  input, cross-checked against a central difference in the same call, and falls back to
  Richardson when it raises, returns non-finite values or a real-only result, or disagrees;
  that Richardson also compares the left and right derivatives, so a kink of a black box is
  reported instead of averaged.

Domain problems never raise: when f is not finite (or not real) at x0, or no stencil stays in
the domain, the result has ``estimate = nan``, ``error_estimate = inf``, ``problem`` set to
``"domain"``, ``"pole"``, ``"kink"`` or ``"resolution"`` and a ``note`` in plain words (for a
compiled expression it names the failing piece: "log(x) needs x > 0, but x = -1 at x = -1",
from the piece's restriction in :mod:`derivcheck.calculus.domain`). Notes are messages
(``note_message``, keys ``numeric.*`` in :mod:`derivcheck.messages.numeric`, shown with
``note_text("zh")`` in Chinese); ``note`` is the English sentence. ``result.near_kink`` says
that the steps were kept on one side of a kink close to x0.
Where the difference quotients grow without bound as the step shrinks (sqrt at 0 from the
right, cbrt at 0, x·log|x| at 0), Ridders' tableau would still return a finite number with a
finite, wrong error estimate; instead the result is ``estimate = ±inf`` with ``problem =
"infinite"``:

>>> print(one_sided(math.sqrt, 0.0)[1].problem, derivative(np.cbrt, 0.0).estimate)
infinite inf

Only requests that cannot be honoured raise :class:`~derivcheck.errors.EvaluationError` (an
unknown method, the complex step on a function that is not analytic or rejects complex input,
a callable with the wrong number of variables, a step that is not positive).

The pieces live in modules of their own: :mod:`~derivcheck.numeric.results` (the result
types), :mod:`~derivcheck.numeric.budget` (rounding floors, truncation from two steps, the
verdict budget; shared with gradcheck), :mod:`~derivcheck.numeric.line` (f along one
variable), :mod:`~derivcheck.numeric.barriers` (kinks, poles and domain edges of compiled
expressions, read from :mod:`derivcheck.calculus.domain`), :mod:`~derivcheck.numeric.problems`
(points where f is not defined), :mod:`~derivcheck.numeric.stencils` (central, forward,
backward), :mod:`~derivcheck.numeric.richardson` (Ridders' tableau, one-sided derivatives)
and :mod:`~derivcheck.numeric.complex_step`; this module holds the public functions.

Honesty of the error estimates (``tests/numeric/test_numeric.py::test_error_estimates_are_honest``,
400 random smooth functions and points; measured again on 3,600 cases, seeds 1 to 9): the true
error exceeded the estimate once in 25,200 results (forward, by a factor 1.03), never for the
other methods, on compiled expressions and on black boxes (Richardson). The largest ratios
true error / estimate were 0.98 (central, whose estimate is tight), 1.03 (forward), 0.95
(backward), 0.37 (Richardson on a black box), 0.18 (Richardson on an expression), 0.25
(complex step). The test allows 1% of exceedances and a worst ratio of 5. On random
compositions of two or three catalogue functions (``test_error_estimates_are_honest_on_random_
compositions_of_the_catalogue``; measured on 3,300 cases, seeds 1 to 11) no true error exceeded
its estimate (auto: worst ratio 0.40; richardson: 0.21), and every exact value agreed. Verdicts
use a budget of ``VERDICT_MULTIPLE = 10`` error estimates plus the rounding floor
``8·eps·|value|``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import sympy

from derivcheck.calculus.catalogue import record_of
from derivcheck.errors import EvaluationError
from derivcheck.messages import Message
from derivcheck.numeric.barriers import analysis_of, kink_locations
from derivcheck.numeric.budget import (
    EPS,
    VERDICT_MULTIPLE,
    central_step,
    verdict_budget,
)
from derivcheck.numeric.complex_step import complex_curve, complex_step_derivative
from derivcheck.numeric.line import Line, value_at_point
from derivcheck.numeric.problems import problem_result
from derivcheck.numeric.results import Kink, NumericResult, Verdict
from derivcheck.numeric.richardson import (
    RICHARDSON_SCALE,
    SIDES,
    black_box_richardson,
    both_sides,
    differentiable,
    richardson_derivative,
    richardson_start,
    ridders_many,
    vertical_tangent,
)
from derivcheck.numeric.stencils import central_derivative, central_many, one_sided_derivative

__all__ = [
    "EPS",
    "VERDICT_MULTIPLE",
    "METHODS",
    "NumericResult",
    "Verdict",
    "Kink",
    "derivative",
    "partial",
    "gradient",
    "verdict",
    "one_sided",
    "detect_kink",
    "kinks_near",
    "derivative_curve",
    "error_vs_step",
]


METHODS = ("auto", "central", "forward", "backward", "richardson", "complex")


def derivative(
    f: Callable[..., Any], x0: float, method: str = "auto", h: float | None = None
) -> NumericResult:
    """Numeric derivative of a function of one real variable at x0, with an error estimate.

    ``f``: any callable of one float (vectorised stencils are used when it accepts NumPy arrays);
    ``method``: one of :data:`METHODS`; ``h``: the step (the initial step for ``richardson``).

    >>> r = derivative(lambda x: x**3, 2.0, method="richardson")
    >>> round(r.estimate, 10), r.error_estimate < 1e-10
    (12.0, True)
    >>> bad = derivative(lambda x: math.log(x), -1.0)
    >>> bad.problem, math.isnan(bad.estimate)
    ('domain', True)
    """
    return _derivative(Line(f), x0, method, h)


def partial(
    f: Callable[..., Any],
    point: Sequence[float],
    index: int,
    method: str = "auto",
    h: float | None = None,
) -> NumericResult:
    """Partial derivative of ``f(*point)`` with respect to argument ``index``.

    >>> round(partial(lambda x, y: x**2 * y, [3.0, 2.0], 0).estimate, 12)
    12.0
    """
    point = [float(v) for v in point]
    if not 0 <= index < len(point):
        raise EvaluationError("numeric.error.index", index=index, size=len(point))
    return _derivative(Line(f, point, index), point[index], method, h)


def gradient(
    f: Callable[..., Any], point: Sequence[float], method: str = "auto"
) -> list[NumericResult]:
    """Every partial derivative of ``f(*point)``, in argument order.

    >>> [round(r.estimate, 12) for r in gradient(lambda x, y: x * y + y, [2.0, 5.0])]
    [5.0, 3.0]
    """
    return [partial(f, point, i, method) for i in range(len(point))]


def _derivative(line: Line, x0: float, method: str, h: float | None) -> NumericResult:
    t0, h = _finite_point(x0), _checked_step(h)
    first = None
    if method == "auto" and analysis_of(line) is None:
        # A black box's complex step is Python floats and f's own call, its warnings
        # silenced by Line: no errstate (1.5 µs, a tenth of it all) unless it falls back.
        first = complex_step_derivative(line, t0, None, cross_check=True)
        kept = _kept(first)
        if kept is not None:
            return kept
    with np.errstate(all="ignore"):
        return _by_method(line, t0, method, h, first)


def _by_method(
    line: Line, t0: float, method: str, h: float | None, first: tuple | None = None
) -> NumericResult:
    if method == "central":
        return central_derivative(line, t0, h)
    if method == "forward":
        return one_sided_derivative(line, t0, h, +1)
    if method == "backward":
        return one_sided_derivative(line, t0, h, -1)
    if method == "complex":
        analysis = analysis_of(line)
        if analysis is not None and not analysis.analytic:
            raise EvaluationError(
                "numeric.error.not_analytic",
                expr=str(line.expr),
                functions=", ".join(_not_analytic_functions(line.expr)),
            )
        result, reason = complex_step_derivative(line, t0, h, cross_check=False)
        if result is None:
            raise EvaluationError("numeric.error.complex_impossible", reason=reason)
        return result
    if method == "richardson":
        return richardson_derivative(line, t0, h, kink_aware=True)
    if method == "auto":
        return _auto(line, t0, h, first)
    raise EvaluationError("numeric.error.unknown_method", method=method, methods=", ".join(METHODS))


def _not_analytic_functions(expr: sympy.Basic) -> list[str]:
    """Display names of the functions in ``expr`` whose records are not analytic."""
    found = {}
    for node in sympy.preorder_traversal(expr):
        record = record_of(node) if node.is_Function else None
        if record is not None and not record.analytic:
            found[record.text] = None
    return list(found) or ["a function derivcheck does not know"]


def _kept(first: tuple) -> NumericResult | None:
    """The complex step's result when ``auto`` keeps it without trying Richardson too:
    trusted, or not usable at all (its problem is then the answer)."""
    result, doubt = first
    return result if result is not None and (doubt is None or not result.ok) else None


def _auto(line: Line, t0: float, h: float | None, first: tuple | None = None) -> NumericResult:
    """``first``: the complex step's (result, doubt) when it was already tried."""
    analysis = analysis_of(line)
    compiled = analysis is not None
    if compiled and not analysis.analytic:
        return richardson_derivative(line, t0, h, kink_aware=True)
    if first is None:
        first = complex_step_derivative(line, t0, None, cross_check=not compiled)
    kept = _kept(first)
    if kept is not None:
        return kept
    result = first[0]
    fallback = richardson_derivative(line, t0, h, kink_aware=True) if compiled else None
    if fallback is None:
        fallback = black_box_richardson(line, t0, h)
    if result is not None and result.ok and fallback.problem in (None, "resolution"):
        if not fallback.ok or result.error_estimate < fallback.error_estimate:
            return replace(result, evaluations=line.evaluations)
    return fallback


@np.errstate(all="ignore")
def one_sided(
    f: Callable[..., Any], x0: float, h: float | None = None
) -> tuple[NumericResult, NumericResult]:
    """Left and right derivatives at x0: Richardson extrapolation of one-sided secants.

    The secants join x0 ± h and x0 ± h/2 for h = h0, h0/2, ... (h0 = 0.25·max(1, |x0|), or
    ``h``), so they are exact for piecewise-linear functions and accurate for piecewise-smooth
    ones; for a compiled expression the steps stop short of the next kink on each side. They
    are the derivatives of the pieces left and right of x0 (the limits of f' from each side),
    also when f jumps at x0 (the note then says so). A side where f is not defined gets
    ``estimate = nan`` and ``problem = "domain"``; a side whose difference quotients grow
    without bound (sqrt at 0 from the right) gets ``estimate = ±inf`` and ``problem =
    "infinite"``.

    >>> left, right = one_sided(abs, 0.0)
    >>> left.estimate, right.estimate
    (-1.0, 1.0)
    """
    line = Line(f)
    t0, h = _finite_point(x0), _checked_step(h)
    f0 = value_at_point(line, t0)
    if not math.isfinite(f0):
        bad = problem_result(line, t0, f0, "richardson", richardson_start(t0, h))
        return bad, bad
    left, right, _ = both_sides(line, t0, h)
    results = []
    for side, name in ((left, SIDES[-1]), (right, SIDES[1])):
        slope = side.slope
        if side.defined and not side.continuous_with(f0):
            jump = Message("numeric.jumps_at_x0", side=name, limit=side.limit, value=f0)
            slope = replace(slope, note=jump)
        results.append(replace(slope, evaluations=line.evaluations))
    return results[0], results[1]


@np.errstate(all="ignore")
def detect_kink(f: Callable[..., Any], x0: float, h: float | None = None) -> Kink | None:
    """A :class:`Kink` when f is not differentiable at x0 although defined on both sides.

    Works on black-box callables: the left and right derivatives come from :func:`one_sided`;
    they disagree when their difference exceeds VERDICT_MULTIPLE times the sum of their error
    estimates plus 1e-8 relative (smaller slope jumps are not reported). A jump of f itself
    (a one-sided limit of f differing from f(x0)) is a kink too, with ``discontinuous=True``.
    None when f is differentiable at x0, has the same infinite derivative on both sides (a
    vertical tangent, such as cbrt at 0), or is not defined on both sides of it.

    >>> print(detect_kink(lambda x: max(0.0, 2 * x), 0.0))
    kink at x = 0: left derivative 0, right derivative 2
    >>> detect_kink(lambda x: x**2, 0.0) is None
    True
    """
    line = Line(f)
    t0, h = _finite_point(x0), _checked_step(h)
    f0 = value_at_point(line, t0)
    if not math.isfinite(f0):
        return None
    left, right, on = both_sides(line, t0, h)
    if not (left.defined and right.defined) or differentiable(left, right, f0):
        return None
    if vertical_tangent(left, right, f0) and not on:
        return None
    discontinuous = not (left.continuous_with(f0) and right.continuous_with(f0))
    argument = on[0].text if on else None
    jump = right.slope.estimate - left.slope.estimate
    left_result = replace(left.slope, evaluations=line.evaluations)
    right_result = replace(right.slope, evaluations=line.evaluations)
    return Kink(t0, left_result, right_result, jump, argument, discontinuous)


def verdict(exact: float, result: NumericResult, multiple: float = VERDICT_MULTIPLE) -> Verdict:
    """Compare an exact derivative with a numeric result using the result's error budget.

    budget = multiple * error_estimate + VALUE_FLOOR_ULPS * eps * max(|exact|, |estimate|);
    they agree when |exact - estimate| <= budget. ``multiple`` defaults to
    :data:`VERDICT_MULTIPLE` (10).

    >>> r = NumericResult(30.000000000001, 1e-12, "richardson", 1e-3, 20)
    >>> v = verdict(30, r)
    >>> v.agrees, round(v.ratio, 2)
    (True, 0.1)
    >>> verdict(31, r).agrees
    False
    """
    exact = float(exact)
    estimate = result.estimate
    if not (math.isfinite(exact) and math.isfinite(estimate)):
        note = result.note_message or result.note or Message("numeric.nothing_to_compare")
        return Verdict(False, math.nan, math.nan, math.nan, note)
    if not math.isfinite(result.error_estimate):  # an unbounded budget would accept anything
        note = result.note_message or result.note or Message("numeric.no_error_estimate")
        return Verdict(False, abs(exact - estimate), math.inf, math.nan, note)
    difference = abs(exact - estimate)
    budget = verdict_budget(exact, estimate, result.error_estimate, multiple)
    if budget > 0:
        ratio = difference / budget
    else:
        ratio = 0.0 if difference == 0 else math.inf
    return Verdict(difference <= budget, difference, budget, ratio)


@np.errstate(all="ignore")
def kinks_near(f: Callable[..., Any], x0: float, radius: float | None = None) -> list[float]:
    """Kink locations of a compiled expression within ``radius`` of x0 (empty for a black box).

    Finds sign changes of every kink argument on a grid and refines them by bisection.

    >>> import sympy
    >>> from derivcheck.numeric.evaluate import compile_expr
    >>> x = sympy.Symbol("x", real=True)
    >>> [round(k, 12) for k in kinks_near(compile_expr(abs(x - 0.3) + abs(x + 2), [x]), 0.0, 1)]
    [0.3]
    """
    line = Line(f)
    analysis = analysis_of(line)
    if analysis is None or not analysis.kinks:
        return []
    x0 = _finite_point(x0)
    radius = _checked_step(radius) or RICHARDSON_SCALE * max(1.0, abs(x0))
    kinks_only = replace(analysis, singular=())
    return sorted(kink_locations(line, kinks_only, x0 - radius, x0 + radius, 2049))


@np.errstate(all="ignore")
def derivative_curve(
    f: Callable[..., Any], xs: Sequence[float] | np.ndarray, method: str = "auto"
) -> tuple[np.ndarray, np.ndarray]:
    """Numeric derivative at many points at once: (estimates, error_estimates).

    Vectorised over the points: complex step in one call for analytic compiled expressions and
    complex-capable callables, otherwise a Ridders tableau evaluated for all points together
    (per-point steps that stop short of kinks for compiled expressions). Points on a kink,
    outside the domain or where the difference quotients grow without bound (an infinite
    derivative, see :func:`derivative`) get nan.

    The results have the shape of ``xs`` (a 0-d array for one point).

    >>> import numpy as np
    >>> estimates, errors = derivative_curve(np.sin, np.linspace(0, 1, 5))
    >>> bool(np.allclose(estimates, np.cos(np.linspace(0, 1, 5)), rtol=1e-14, atol=0))
    True
    """
    if method not in ("auto", "complex", "richardson", "central"):
        raise EvaluationError(
            "numeric.error.curve_methods", methods="auto, complex, richardson, central"
        )
    xs = np.asarray(xs, dtype=float)
    if xs.size == 0:
        return np.empty(xs.shape), np.empty(xs.shape)
    estimates, errors = _curve(Line(f), xs.reshape(-1), method)
    return estimates.reshape(xs.shape), errors.reshape(xs.shape)


def _curve(line: Line, xs: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    analysis = analysis_of(line)
    if method in ("auto", "complex"):
        use_complex = analysis.analytic if analysis is not None else True
        curve = complex_curve(line, xs) if use_complex else None
        if curve is not None:
            return curve
        if method == "complex":
            raise EvaluationError("numeric.error.complex_curve")
    if method == "central":
        h = central_step(xs)
        estimates, errors, _ = central_many(line, xs, (xs + h) - xs)
        return estimates, errors
    h0 = RICHARDSON_SCALE * np.maximum(1.0, np.abs(xs))
    if analysis is not None and analysis.barriers:
        kinks = np.array(
            kink_locations(line, analysis, xs.min() - h0.max(), xs.max() + h0.max(), 4097)
        )
        if kinks.size:
            distance = np.min(np.abs(xs[:, None] - kinks[None, :]), axis=1)
            h0 = np.minimum(h0, 0.9 * distance)
    found = ridders_many(line, xs, h0)
    usable = np.isfinite(line.real(xs)) & ~found["diverging"]
    return np.where(usable, found["best"], np.nan), np.where(usable, found["error"], np.inf)


def _finite_point(x0: Any) -> float:
    """x0 as a float; a point that is not a finite number cannot be honoured."""
    t0 = float(x0)
    if not math.isfinite(t0):
        raise EvaluationError("numeric.error.point", value=x0)
    return t0


def _checked_step(h: Any) -> float | None:
    """A step given by the caller as a float (None: the method's default); it must be positive."""
    if h is None:
        return None
    step = float(h)
    if not (step > 0 and math.isfinite(step)):
        raise EvaluationError("numeric.error.step", value=h)
    return step


@np.errstate(all="ignore")
def error_vs_step(
    f: Callable[..., Any], x0: float, exact: float, steps: Sequence[float] | None = None
) -> dict[str, np.ndarray]:
    """|error| against the step h for the forward, central and Richardson formulas.

    ``forward`` = (f(x0+h) - f(x0)) / h, ``central`` = (f(x0+h) - f(x0-h)) / 2h and
    ``richardson`` = (4·C(h/2) - C(h)) / 3 (one Richardson extrapolation of the central
    difference C), each with the raw step h as a textbook would use it. Default steps: 97 values
    from 1e-16 to 1, six per decade (times max(1, |x0|)). Returns arrays ``steps``,
    ``forward``, ``central``, ``richardson`` (absolute errors; 0 where a formula happens to be
    exact) and ``rounding`` = eps·M/h, the size of the rounding error of a difference quotient
    (M: the largest |f| at x0 and x0 ± h over all steps, eps: the precision of f's values).

    >>> data = error_vs_step(lambda x: x**2, 1.0, 2.0, steps=[1e-3])
    >>> float(data["central"][0]) < 1e-12 < float(data["forward"][0])
    True
    """
    x0 = _finite_point(x0)
    exact = float(exact)
    if steps is None:
        steps = np.logspace(-16, 0, 97) * max(1.0, abs(x0))
    hs = np.asarray(steps, dtype=float)
    line = Line(f)
    points = np.concatenate([[x0], x0 + hs, x0 - hs, x0 + hs / 2, x0 - hs / 2])
    values = line.real(points)
    n = hs.size
    f0 = values[0]
    plus, minus = values[1 : n + 1], values[n + 1 : 2 * n + 1]
    plus_half, minus_half = values[2 * n + 1 : 3 * n + 1], values[3 * n + 1 :]
    forward = (plus - f0) / hs
    central = (plus - minus) / (2 * hs)
    central_half = (plus_half - minus_half) / hs
    richardson = (4 * central_half - central) / 3
    stencil = np.abs(values[: 2 * n + 1])
    size = float(np.max(stencil[np.isfinite(stencil)], initial=0.0))
    return {
        "steps": hs,
        "forward": np.abs(forward - exact),
        "central": np.abs(central - exact),
        "richardson": np.abs(richardson - exact),
        "rounding": line.eps * max(size, 1e-300) / hs,
    }
