"""The complex step: f'(x) = Im f(x + ih) / h, exact to rounding for analytic functions.

>>> import numpy as np
>>> from derivcheck.numeric.line import Line
>>> result, doubt = complex_step_derivative(Line(np.sin), 0.0, None, cross_check=True)
>>> result.estimate, doubt
(1.0, None)
"""

from __future__ import annotations

import math

import numpy as np

from derivcheck.messages import Message
from derivcheck.numeric.budget import (
    EPS,
    VERDICT_MULTIPLE,
    central_difference,
    central_step,
    rounding_floor,
)
from derivcheck.numeric.line import Line, value_at_point
from derivcheck.numeric.problems import problem_result
from derivcheck.numeric.results import NumericResult
from derivcheck.numeric.stencils import representable_step

COMPLEX_STEP = 1e-20

COMPLEX_RATIOS = (1.0, 0.6180339887498949, 0.3819660112501051)  # different mantissas


def not_analytic(
    line: Line, xs: np.ndarray, estimates: np.ndarray, stencil: np.ndarray, h
) -> np.ndarray:
    """Where complex-step estimates disagree with central differences beyond their budget.

    ``stencil``: the real values f(x + h), f(x - h), f(x + 2h), f(x - 2h) (rows). A callable
    that accepts complex numbers without being analytic (conj, abs written by hand, np.sign)
    gives a complex step that disagrees with them.
    """
    d1, truncation = central_difference(
        stencil[0], stencil[1], stencil[2], stencil[3], 2 * h, 4 * h
    )
    budget = truncation + rounding_floor(line.eps, np.max(np.abs(stencil), axis=0), xs, d1, h)
    limit = VERDICT_MULTIPLE * budget + 1e-12 * np.abs(estimates)
    return np.isfinite(d1) & (np.abs(d1 - estimates) > limit)


def complex_step_derivative(line: Line, t0: float, h: float | None, cross_check: bool):
    """Complex-step estimate: (result, None); (None, reason) when it cannot be used at all;
    (result, reason) when it was computed but its spread is too large to trust for ``auto``.

    One vectorised call evaluates f at x0 (is f real and finite there?) and at three points
    x0 + δ_k + i·h_k whose steps h_k have different mantissas and whose δ_k move x0 by a few ulps:
    the spread of the three estimates measures the rounding inside f, and twice the spread plus
    4 ulps of the estimate is the error estimate. With ``cross_check`` (plain callables) the same
    call also evaluates a central stencil, so that a callable that accepts complex numbers without
    being analytic (conj, abs written by hand, np.sign) is caught.
    """
    if h is None:
        base = COMPLEX_STEP * (abs(t0) if abs(t0) > 1e-200 else 1.0)
    else:
        base = float(h)
    steps = [base * r for r in COMPLEX_RATIOS]
    shift = 4.0 * EPS * abs(t0)
    points = [
        complex(t0, 0.0),
        complex(t0, steps[0]),
        complex(t0 + shift, steps[1]),
        complex(t0 - shift, steps[2]),
    ]
    hc = representable_step(t0, central_step(t0))
    if cross_check:
        points += [t0 + hc, t0 - hc, t0 + 2 * hc, t0 - 2 * hc]
    out = line.complex(np.array(points))
    if out is None:
        return None, Message("numeric.complex.no_input")
    values = out.tolist()
    f0 = values[0]
    if not (math.isfinite(f0.real) and math.isfinite(f0.imag)) or f0.imag != 0:
        if not line.compiled:
            return None, Message("numeric.complex.not_real")
        real_f0 = value_at_point(line, t0)
        return problem_result(line, t0, real_f0, "complex", steps[0]), None
    estimates = [values[k + 1].imag / steps[k] for k in range(3)]
    if not all(math.isfinite(e) for e in estimates):
        return None, Message("numeric.complex.not_finite")
    if cross_check and all(v.imag == 0 for v in values):
        return None, Message("numeric.complex.real_only")
    estimate = sorted(estimates)[1]
    spread = max(estimates) - min(estimates)
    # eps·|f(x0)| / max(1, |x0|): the rounding of terms that cancel in the derivative (at
    # x ~ 0, (6 - 2x)·exp(x/3) has f' = -2 + 2 - 2x/3 ...: the -2 + 2 is exact, the rest is lost).
    cancellation = line.eps * abs(f0.real) / max(1.0, abs(t0))
    error = 2.0 * spread + 4.0 * line.eps * abs(estimate) + cancellation
    if cross_check:
        stencil = values[4:]
        if any(v.imag != 0 or not math.isfinite(v.real) for v in stencil):
            return None, Message("numeric.complex.not_real_near")
        real = np.array([[v.real] for v in stencil])
        if not_analytic(line, np.asarray([t0]), np.asarray([estimate]), real, hc)[0]:
            return None, Message("numeric.complex.disagrees")
    # For auto: a spread that is large next to the derivative's scale means the step was not
    # small next to a nearby singularity (or underflowed); Richardson is then tried instead.
    # The scale is |f'| or |f(x0)| / max(1, |x0|), so that a derivative that is 0 up to
    # rounding (x·exp(-x) at 1) keeps its complex-step estimate.
    scale = max(abs(estimate), abs(f0.real) / max(1.0, abs(t0)))
    trusted = error <= 1e-8 * scale
    result = NumericResult(estimate, error, "complex", steps[0], line.evaluations)
    return result, None if trusted else Message("numeric.complex.spread")


def complex_curve(line: Line, xs: np.ndarray):
    """Complex step at every point in one call; None when it cannot be trusted.

    For a black box the same call also evaluates a central stencil at every point, and any
    disagreement beyond the central difference's error budget (a callable that accepts complex
    input without being analytic) rejects the complex step for the whole curve.
    """
    steps = COMPLEX_STEP * np.where(np.abs(xs) > 1e-200, np.abs(xs), 1.0)
    if line.compiled:
        out = line.complex(xs + 1j * steps)
        if out is None:
            return None
        shifted = out
    else:
        h = central_step(xs)
        offsets = np.stack([1j * steps, h, -h, 2 * h, -2 * h])
        out = line.complex((xs[None, :] + offsets).ravel())
        if out is None:
            return None
        out = out.reshape(offsets.shape)
        shifted, stencil = out[0], out[1:]
        if np.all(out.imag == 0) or np.any(stencil.imag != 0):
            return None
        if np.any(not_analytic(line, xs, shifted.imag / steps, stencil.real, h)):
            return None
    base = line.real(xs)
    estimates = shifted.imag / steps
    estimates = np.where(np.isfinite(base), estimates, np.nan)
    return estimates, 4.0 * line.eps * np.abs(estimates)
