"""A numeric check in extended precision, for functions whose values float cannot hold.

``ln(1 + e^x)`` at x = 800 passes through e^800 ≈ 10^347, beyond float64 (at most about
1.8·10^308), although its derivative e^x/(1 + e^x) is about 1. Floating-point differences
cannot check it; differences of the same function evaluated with mpmath at ``DIGITS``
digits can, and they are as honest as the float ones:

* step ``h = 10^(-DIGITS/4)·max(1, |x0|)``, so that rounding (``10^-DIGITS·F/h``) and
  truncation (``h²·f‴/6``) both sit far below float resolution;
* ``D(h) = (f(x0 + h) - f(x0 - h)) / 2h`` and ``D(2h)``; the estimate is Richardson's
  ``(4·D(h) - D(2h)) / 3`` (error O(h⁴));
* error estimate: ``|D(h) - D(2h)| / 3`` (the error of D(h) itself, a bound far above that of
  the extrapolated value) plus the rounding floor ``ROUNDING_ULPS·10^-DIGITS·F/h``.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> result = extended_partial(sympy.log(1 + sympy.exp(x)), {x: sympy.Integer(800)}, x)
>>> result.estimate, result.method, result.error_estimate < 1e-25
(1.0, 'extended', True)

Values that float64 cannot hold at all (σ′(−800) ≈ 3.7·10^-348) come back as
:class:`~derivcheck.calculus.precise.BeyondFloat` (0 as a float, the value kept for display),
and :func:`extended_verdict` compares them in mpmath, never as 0 against 0:

>>> sigmoid = 1 / (1 + sympy.exp(-x))
>>> derivative = sympy.diff(sigmoid, x)
>>> result = extended_partial(sigmoid, {x: sympy.Integer(-800)}, x)
>>> verdict = extended_verdict(derivative, {x: sympy.Integer(-800)}, result)
>>> float(result.estimate), verdict.agrees, verdict.ratio < 1e-10
(0.0, True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import mpmath
from sympy import Expr, Symbol

from derivcheck.calculus.precise import BeyondFloat, approximate, digits_for
from derivcheck.messages import Message
from derivcheck.numeric.budget import EPS, VALUE_FLOOR_ULPS, VERDICT_MULTIPLE
from derivcheck.numeric.results import NumericResult, Verdict

__all__ = ["DIGITS", "UNRESOLVED", "extended_partial", "extended_verdict"]

#: Working precision of the extended check (decimal digits).
DIGITS = 50

#: A float check whose error estimate exceeds this fraction of the exact value says too
#: little (x²·e^(x/3) at 5·10^-174: 0 ± 2.5·10^-130 for 1.02·10^-173); it is redone here.
UNRESOLVED = 1e-6

#: The steps tried, 10^-k times the point's scale; the one with the smallest error estimate
#: is kept.
_STEP_EXPONENTS = (10, 14, 18, 22)

#: Units in the last place (of ``DIGITS`` digits) trusted in each value of f.
ROUNDING_ULPS = 4

#: Extra digits of the second evaluation of each value of f, which measures its rounding.
NOISE_DIGITS = 15


def extended_partial(
    expression: Expr,
    point: Mapping[Symbol, Expr],
    variable: Symbol,
    why: Message | None = None,
    variation: Any = None,
    side: int = 0,
) -> NumericResult:
    """∂expression/∂variable at the exact ``point`` by differences at ``DIGITS`` digits.

    Two steps are tried, ``10^(-DIGITS/4)·max(1, |x0|)`` and, for a tiny x0, the same
    relative to |x0| (x²·e^(x/3) at 5·10^-174 varies on the scale of x0, where float's
    complex step underflows); the one with the smaller error estimate is kept. The
    result's ``problem`` is ``"domain"`` when f is not a real number at an offset. ``why``
    is the note (default: float cannot hold the values). ``variation``: the scale on which f
    varies at x0 (|f′|/|f″| or |f|/|f′|), when it is below the steps' scale: steps of
    10^-3, 10^-5 and 10^-7 of it are tried too, with the digits they need (sin(1/(x + 2))
    at -2.0000000000002 swings every 4e-26, far below 10^-18·|x0|: differential case
    2026:52704). ``side`` -1 or 1: the one-sided derivative, from differences on that side
    only (a kink at x0).
    """
    digits = digits_for(point[variable], DIGITS)  # 1e-88: 10^x is 1 − 2.3e-88
    with mpmath.workdps(digits + 10):
        x0 = approximate(point[variable], digits=digits + 10)
        fine_steps = []
        if variation is not None and 0 < variation:
            # only below the finest of the usual steps (10^-k of the point's scale)
            smallest = mpmath.mpf(10) ** -max(_STEP_EXPONENTS) * min(_scales(x0))
            fine_steps = [
                h
                for k in (3, 5, 7)
                if (h := mpmath.mpf(10) ** -k * mpmath.mpf(variation)) < 1e4 * smallest
            ]
        if fine_steps and x0 != 0:  # the digits to hold x0 ± the finest, and 30 beyond
            needed = int(mpmath.log10(abs(x0) / fine_steps[-1])) + 30
            digits = max(digits, min(needed, _MOST_DIGITS))
    with mpmath.workdps(digits + 10):
        env = {s: approximate(v, digits=digits + 10) for s, v in point.items()}
        x0 = env[variable]
        # Steps down to 10^-22 of the scale: a pole 10^-11 away (csc(3x - 3) at 1.00000000001)
        # is resolved by the smaller ones; rounding at DIGITS digits stays below 10^-20.
        steps = [mpmath.mpf(10) ** -k * scale for scale in _scales(x0) for k in _STEP_EXPONENTS]
        # no finer than the working digits resolve around x0
        finest = mpmath.mpf(10) ** (15 - digits) * max(abs(x0), mpmath.mpf(10) ** -digits)
        steps += [h for h in fine_steps if h >= finest]
        note = why or Message("numeric.extended", digits=DIGITS)
        if digits != DIGITS:  # the note says how many digits were used
            note = Message(note.key, **{**dict(note.params), "digits": digits})
        results = [
            _differences(expression, env, variable, x0, h, note, digits, side) for h in steps
        ]
    usable = [r for r in results if r.ok or isinstance(r.estimate, BeyondFloat)]
    if not usable:
        return results[0]
    return min(_converged(usable), key=lambda r: _mp(r.error_estimate))


#: The most digits :func:`extended_partial` works with for steps from f's scale of variation.
_MOST_DIGITS = 400


def _scales(x0: Any) -> list[Any]:
    """The scales the usual steps are fractions of: max(1, |x0|), and |x0| when it is tiny."""
    return [max(mpmath.mpf(1), abs(x0))] + ([abs(x0)] if 0 < abs(x0) < 1 else [])


def _converged(results: list[NumericResult]) -> list[NumericResult]:
    """The results that agree with the one of the smallest step (within both error
    estimates, ``VERDICT_MULTIPLE`` times): the derivative is the limit as h shrinks, and a
    larger step whose stencil spans a pole or swings of f may look precise and be wrong —
    (x^-2)/(5/7) + x at -6.9e-189 with h = 1e-10 straddles the pole at 0, where f is even,
    and gave 1 ± 6e-149 for -8.6e564 (differential case 2026:36289); cos(x²) at -2.1e8
    with h = 0.021 sees x² move by 8.8e6 (2026:95322)."""
    finest = min(results, key=lambda r: r.step)
    reference, spread = _mp(finest.estimate), _mp(finest.error_estimate)
    return [
        r
        for r in results
        if abs(_mp(r.estimate) - reference)
        <= VERDICT_MULTIPLE * (_mp(r.error_estimate) + spread)
        + EPS * max(abs(reference), abs(_mp(r.estimate)))
    ]


def _differences(expression, env, variable, x0, h, note, digits=DIGITS, side=0) -> NumericResult:
    """Richardson's value from the differences at h and 2h, with its budget: central
    differences, or (``side`` ±1) the one-sided second-order differences
    ±(-3f(x0) + 4f(x0 ± h) - f(x0 ± 2h))/2h, whose error is O(h²) too.

    Each value of f is taken at ``digits`` and at ``digits + NOISE_DIGITS`` digits: the
    differences use the finer, and how far the coarser lies from it is f's rounding as
    measured, not guessed from |f| (x - log₃(3^x) at 1552.73 is 0, from terms of 10^740:
    the guess 4·10^-50·|f| said ±1.7e-40 for an error of 1.6e-30, differential case
    2026:24020)."""
    offsets = (-2, -1, 1, 2) if side == 0 else (0, side, 2 * side, 4 * side)
    values, noise = {}, mpmath.mpf(0)
    for k in offsets:
        at = {**env, variable: x0 + k * h}
        coarse = approximate(expression, at, digits)
        value = approximate(expression, at, digits + NOISE_DIGITS)
        if any(
            v is None or isinstance(v, mpmath.mpc) or not mpmath.isfinite(v)
            for v in (coarse, value)
        ):
            return NumericResult(
                math.nan, math.inf, "extended", float(h), len(values) + 1,
                Message("numeric.extended_undefined"), "domain",
            )  # fmt: skip
        values[k] = value
        noise = max(noise, abs(coarse - value))
    with mpmath.workdps(digits + NOISE_DIGITS):
        if side == 0:
            small = (values[1] - values[-1]) / (2 * h)
            large = (values[2] - values[-2]) / (4 * h)
            weight = 1  # each difference: two values over 2h
        else:
            f0, f1, f2, f4 = (values[k] for k in offsets)
            small = side * (-3 * f0 + 4 * f1 - f2) / (2 * h)
            large = side * (-3 * f0 + 4 * f2 - f4) / (4 * h)
            weight = 4  # |-3| + |4| + |-1| values over 2h
        estimate = (4 * small - large) / 3
        size = max(abs(v) for v in values.values())
        rounding = weight * (ROUNDING_ULPS * mpmath.mpf(10) ** (-digits) * size + 2 * noise) / h
        error = abs(small - large) / 3 + rounding
    method = "extended" if side == 0 else f"extended ({'left' if side < 0 else 'right'}-sided)"
    return NumericResult(_as_float(estimate), _as_float(error), method, float(h), 8, note)


def extended_verdict(
    derivative: Expr, point: Mapping[Symbol, Expr], result: NumericResult
) -> Verdict:
    """The exact ``derivative`` at ``point`` against an extended ``result``, in mpmath: the
    same budget as float verdicts (``VERDICT_MULTIPLE``·error estimate plus
    ``VALUE_FLOOR_ULPS``·(eps·|value| + 2^-1074), see
    :func:`~derivcheck.numeric.budget.verdict_budget`), computed on the values float
    cannot hold."""
    with mpmath.workdps(DIGITS + 10):
        exact = _exact_at(derivative, point)
        estimate, error = (_mp(v) for v in (result.estimate, result.error_estimate))
        if exact is None or isinstance(exact, mpmath.mpc) or not mpmath.isfinite(exact):
            return Verdict(
                False, math.nan, math.nan, math.nan, Message("numeric.nothing_to_compare")
            )
        difference = abs(exact - estimate)
        # + 2^-1074: an estimate kept as a float below 2.2e-308 is rounded to that spacing
        rounding = EPS * max(abs(exact), abs(estimate)) + math.ulp(0.0)
        budget = VERDICT_MULTIPLE * error + VALUE_FLOOR_ULPS * rounding
        ratio = difference / budget if budget else (0 if difference == 0 else mpmath.inf)
        return Verdict(
            bool(difference <= budget), _as_float(difference), _as_float(budget), float(ratio)
        )


def _exact_at(derivative: Expr, point: Mapping[Symbol, Expr]) -> Any:
    """The derivative at the exact point to DIGITS digits, with more digits where its
    terms cancel (calculus.precise): x·sec²x − tan x at 6.6e-27 cancels to x³, and at 60
    fixed digits gave -8.2e-25 for 4.4e-27 (a false DISAGREES; differential run)."""
    from derivcheck.calculus.graph import value_at
    from derivcheck.calculus.precise import precise

    try:  # value_at keeps a value beyond 10^±4000 to 50 digits, not as an exact rational
        return precise(value_at(derivative, dict(point)), DIGITS)  # ((1/2)^1855140: 8 s)
    except TypeError:  # an operation the mpmath evaluator does not know
        env = {s: approximate(v, digits=DIGITS + 10) for s, v in point.items()}
        return approximate(derivative, env, DIGITS)


def _as_float(value: mpmath.mpf) -> float:
    """A float, or a BeyondFloat that keeps the value when float64 cannot hold it."""
    if value != 0 and (mpmath.mag(value) > 1025 or mpmath.mag(value) < -1074):
        return BeyondFloat(
            math.copysign(math.inf if mpmath.mag(value) > 0 else 0.0, float(mpmath.sign(value))),
            value,
        )
    return float(value)


def _mp(value: float) -> mpmath.mpf:
    estimate = getattr(value, "estimate", None)
    return estimate if estimate is not None else mpmath.mpf(value)
