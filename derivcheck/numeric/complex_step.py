"""The complex step: f'(x) = Im f(x + ih) / h, exact to rounding for analytic functions.

>>> import numpy as np
>>> from derivcheck.numeric.line import Line
>>> result, doubt = complex_step_derivative(Line(np.sin), 0.0, None, cross_check=True)
>>> result.estimate, doubt
(1.0, None)
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from derivcheck.messages import Message
from derivcheck.numeric.barriers import PERTURBED_SAMPLES, analysis_of, magnitudes
from derivcheck.numeric.budget import (
    VERDICT_MULTIPLE,
    central_difference,
    central_step,
    rounding_floor,
)
from derivcheck.numeric.line import Line, line_arguments, value_at_point
from derivcheck.numeric.problems import problem_result
from derivcheck.numeric.results import NumericResult
from derivcheck.numeric.stencils import representable_step

COMPLEX_STEP = 1e-20

COMPLEX_RATIOS = (1.0, 0.6180339887498949, 0.3819660112501051)  # different mantissas


def not_analytic(
    line: Line, xs: np.ndarray, estimates: np.ndarray, stencil: np.ndarray, h
) -> np.ndarray:
    """Where complex-step estimates disagree with central differences beyond their budget.

    ``stencil``: the real values f(x + h), f(x - h), f(x + 2h), f(x - 2h) (rows; or four
    floats, with floats ``xs``, ``estimates`` and ``h``, for one point). A callable that
    accepts complex numbers without being analytic (conj, abs written by hand, np.sign)
    gives a complex step that disagrees with them.
    """
    d1, truncation = central_difference(
        stencil[0], stencil[1], stencil[2], stencil[3], 2 * h, 4 * h
    )
    one = type(d1) is float
    size = max(map(abs, stencil)) if one else np.max(np.abs(stencil), axis=0)
    budget = truncation + rounding_floor(line.eps, size, xs, d1, h)
    limit = VERDICT_MULTIPLE * budget + 1e-12 * abs(estimates)
    if one:  # one point: the same test without NumPy scalars
        return math.isfinite(d1) and abs(d1 - estimates) > limit
    return np.isfinite(d1) & (abs(d1 - estimates) > limit)


#: Below this |f'|·h, the imaginary part of f(x + ih) is subnormal and loses digits.
_SMALLEST_NORMAL = float(np.finfo(float).tiny)
#: Below this |x0|, steps relative to |x0| and steps of 1e-20 are both tried.
_TINY = 1e-200


def complex_step_size(t0: Any, relative: bool = False) -> Any:
    """The complex step for x0, elementwise: 1e-20·|x0|, and 1e-20 for |x0| <= 1e-200.

    Far below the scale on which a function of x0 varies, so the truncation error
    h²·f'''/6 is negligible. Near 0 that scale may be |x0| (ln x at 1e-300) or 1 (e^x at
    1e-300): ``relative`` gives the step for the first, 1e-20·|x0| but at least the smallest
    normal number while that is below 1e-8·|x0|, so that Im f(x0 + ih) keeps its digits.

    >>> [float(complex_step_size(x)) for x in (1e10, 0.0, 1e-300)]
    [9.999999999999999e-11, 1e-20, 1e-20]
    >>> float(complex_step_size(1e-300, relative=True))
    1e-308
    """
    if type(t0) is float and not relative:  # one point: the same rule without arrays
        return COMPLEX_STEP * (abs(t0) if abs(t0) > _TINY else 1.0)
    size = np.abs(np.asarray(t0, dtype=float))
    if relative:
        step = np.maximum(COMPLEX_STEP * size, np.minimum(_SMALLEST_NORMAL, 1e-8 * size))
        return np.where(size > 0, step, COMPLEX_STEP)
    return COMPLEX_STEP * np.where(size > _TINY, size, 1.0)


def cross_check_steps(t0: float) -> list[float]:
    """Steps of the central differences that check a black box's complex step: the usual
    eps^(1/3)·max(1, |x0|), and for large |x0| smaller ones down to eps^(1/3), so that one of
    them resolves a function that varies on a scale of 1 far from 0 (sin at 1e10)."""
    step = float(central_step(t0))
    if step < 4096 * _SMALLEST_CENTRAL_STEP:  # |x0| < 4096: the usual step only
        return [representable_step(t0, step)]
    steps = [step]
    while steps[-1] / 4096 >= _SMALLEST_CENTRAL_STEP:
        steps.append(steps[-1] / 4096)
    return [representable_step(t0, h) for h in steps]


_SMALLEST_CENTRAL_STEP = float(central_step(0.0))


def complex_step_derivative(line: Line, t0: float, h: float | None, cross_check: bool):
    """Complex-step estimate: (result, None); (None, reason) when it cannot be used at all;
    (result, reason) when it was computed but its error is too large to trust for ``auto``.

    One vectorised call evaluates f at x0 (is f real and finite there?) and at three points:
    x0 + i·h (the estimate) and x0 ± δ + i·h_k, δ two ulps of x0, with steps h_k of other
    mantissas. The error estimate is the sum of

    * twice the second difference of the three estimates: rounding that changes between
      neighbouring points, and the truncation h²·f'''/6 that the steps see (a second
      difference, so the real change of f' over 2δ, large where f varies on a scale far
      below |x0| as sin does at 1e10, cancels);
    * for a compiled expression, twice the largest change of the estimate when every
      operation in f is perturbed by an ulp (see
      :func:`~derivcheck.numeric.evaluate.compile_perturbed`): cancellation inside f, such
      as arcsin of a value rounded next to 1, which neighbouring points need not show;
    * 4 ulps of the estimate, the spacing of the imaginary parts (Im f underflows for tiny
      steps), and eps·|f(x0)|/max(1, |x0|) (terms of the derivative that cancel).

    With ``cross_check`` (plain callables) the same call also evaluates central stencils, so
    that a callable that accepts complex numbers without being analytic (conj, abs written
    by hand, np.sign) is caught: it disagrees with every one of them.

    For 0 < |x0| <= 1e-200 both a step relative to |x0| and the step 1e-20 are tried, and
    the one with the smaller error estimate is kept (one trusted by ``auto`` first).
    """
    if h is None and 0 < abs(t0) <= _TINY:
        tries = [
            complex_step_derivative(line, t0, float(step), cross_check)
            for step in (complex_step_size(t0), complex_step_size(t0, relative=True))
        ]
        usable = [t for t in tries if t[0] is not None and t[0].ok]
        if not usable:
            return tries[0]
        result, doubt = min(usable, key=lambda t: (t[1] is not None, t[0].error_estimate))
        return replace(result, evaluations=line.evaluations), doubt
    base = float(complex_step_size(t0)) if h is None else float(h)
    steps = (base, base * COMPLEX_RATIOS[1], base * COMPLEX_RATIOS[2])
    if steps[2] <= 0:  # a relative step below the smallest float (x0 = 1e-320)
        return None, Message("numeric.complex.not_finite")
    shift = 2.0 * math.ulp(abs(t0)) if t0 != 0 else 0.0
    points = [t0, complex(t0, base), complex(t0 + shift, steps[1]), complex(t0 - shift, steps[2])]
    checks = cross_check_steps(t0) if cross_check else ()
    for hc in checks:
        points += (t0 + hc, t0 - hc, t0 + 2 * hc, t0 - 2 * hc)
    perturbed = None
    analysis = analysis_of(line)
    if analysis is not None:  # f and its perturbed copies at x0 + ih in one call
        zs = np.array(points + [complex(t0, steps[0])] * PERTURBED_SAMPLES)
        line.evaluations += zs.size
        both = np.asarray(  # (the compiled f ignores floating-point errors itself)
            analysis.perturbed(*line_arguments(line, zs), exact=len(points)), dtype=complex
        )
        out, perturbed = both[: len(points)], both[len(points) :]
    else:
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
    z1, z2, z3 = values[1], values[2], values[3]
    estimate, e2, e3 = z1.imag / steps[0], z2.imag / steps[1], z3.imag / steps[2]
    # a kernel that refuses the complex argument gives nan + 0j: its 0 is no slope (erf
    # through sec at -1.2e9 was read as a derivative of 0, differential case 2026:4567)
    isfinite = math.isfinite
    if not (
        isfinite(z1.real)
        and isfinite(z2.real)
        and isfinite(z3.real)
        and isfinite(estimate)
        and isfinite(e2)
        and isfinite(e3)
    ):
        return None, Message("numeric.complex.not_finite")
    if cross_check and not (z1.imag or z2.imag or z3.imag or any(v.imag for v in values[4:])):
        return None, Message("numeric.complex.real_only")
    second = abs(e2 + e3 - 2.0 * estimate)
    ulp = math.ulp
    spacing = max(
        ulp(abs(z1.imag)) / steps[0], ulp(abs(z2.imag)) / steps[1], ulp(abs(z3.imag)) / steps[2]
    )
    # eps·|f(x0)| / max(1, |x0|): the rounding of terms that cancel in the derivative (at
    # x ~ 0, (6 - 2x)·exp(x/3) has f' = -2 + 2 - 2x/3 ...: the -2 + 2 is exact, the rest is lost).
    cancellation = line.eps * abs(f0.real) / max(1.0, abs(t0))
    stepping = 2.0 * second + spacing  # what the steps themselves do
    rounding = 4.0 * line.eps * abs(estimate) + cancellation
    error = stepping + rounding
    if perturbed is not None:
        error += 2.0 * _perturbed_change(perturbed, steps[0], estimate)
    if not isfinite(error):
        return None, Message("numeric.complex.not_finite")
    if checks:
        stencil = values[4:]
        reals = [v.real for v in stencil]
        if any(v.imag for v in stencil) or not all(map(isfinite, reals)):
            return None, Message("numeric.complex.not_real_near")
        for k, hc in enumerate(checks):  # analytic unless every stencil disagrees
            if not not_analytic(line, t0, estimate, reals[4 * k : 4 * k + 4], hc):
                break
        else:
            return None, Message("numeric.complex.disagrees")
    # For auto: estimates at the three steps that differ by much next to the derivative's
    # scale mean the step was not small next to a nearby singularity (or underflowed);
    # Richardson is then tried too. (Rounding inside f, seen by the perturbations, would
    # spoil any other method as much.) The scale is |f'| or |f(x0)| / max(1, |x0|), so that a
    # derivative that is 0 up to rounding (x·exp(-x) at 1) keeps its complex-step estimate.
    scale = max(abs(estimate), abs(f0.real) / max(1.0, abs(t0)))
    trusted = stepping <= 1e-8 * scale
    result = NumericResult.plain(estimate, error, "complex", steps[0], line.evaluations)
    return result, None if trusted else Message("numeric.complex.spread")


def _perturbed_change(values: np.ndarray | None, step: float, estimate: float) -> float:
    """The largest change of the complex-step estimate when f's operations are perturbed by
    an ulp (0 for a black box, whose operations are out of reach: ``values`` None)."""
    if values is None:
        return 0.0
    changes = [abs(complex(v).imag / step - estimate) for v in np.ravel(values).tolist()]
    changes = [c for c in changes if math.isfinite(c)]  # a perturbation may leave the domain
    return max(changes) if changes else math.inf


def complex_curve(line: Line, xs: np.ndarray):
    """Complex step at every point in one call; None when it cannot be trusted.

    For a black box the same call also evaluates a central stencil at every point, and any
    disagreement beyond the central difference's error budget (a callable that accepts complex
    input without being analytic) rejects the complex step for the whole curve.
    """
    steps = complex_step_size(xs)
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
    # nan + 0j from a kernel that refused the complex argument is no slope of 0
    estimates = np.where(np.isfinite(base) & np.isfinite(shifted.real), estimates, np.nan)
    return estimates, 4.0 * line.eps * np.abs(estimates)


#: Points on each circle of the Cauchy contour (at least 4·order + 8, a power of 2).
CONTOUR_POINTS = 64
#: Radii tried, r0·2^(-k/2) for k = 0 .. CONTOUR_RADII - 1.
CONTOUR_RADII = 40


def contour_derivative(
    line: Line, t0: float, order: int, radius: float | None = None
) -> NumericResult | None:
    """The complex step of order n: Cauchy's integral f⁽ⁿ⁾(x0) = n!/(2πi)∮ f(z)/(z−x0)ⁿ⁺¹ dz
    by the trapezoidal rule on circles of radius r (Lyness and Moler; Bornemann 2011).

    The FFT of f at N points x0 + r·e^(2πij/N) gives c_k ≈ f⁽ᵏ⁾(x0)·rᵏ/k! for every k at once,
    wrong by aliasing ``c_(k+N)`` (the Taylor series truncated) and by rounding. Both show in
    the coefficients of the upper half, k = N/2 … N−1: for f analytic in the disc they are the
    decayed Taylor terms plus the rounding noise of the values (flat across k), while a pole or
    a branch cut inside the circle puts its Laurent terms there. So the error estimate of c_n
    is twice their largest size, plus |Im c_n| (f is real on the real axis) and 4 ulps of the
    largest |f| on the circle, times n!/rⁿ; the radius (below half the distance to the nearest
    real pole or domain edge, ``radius``) with the smallest error estimate wins, and a
    disagreement with the next smaller circle is added to it. The budget grows with the order
    as n!/rⁿ. None when f does not accept complex input or no circle gives a finite estimate.

    >>> import numpy as np
    >>> r = contour_derivative(Line(np.exp), 0.0, 5)
    >>> round(r.estimate, 12), r.error_estimate < 1e-12
    (1.0, True)
    """
    n = int(order)
    size_needed = 4 * n + 8
    points = max(CONTOUR_POINTS, 1 << (size_needed - 1).bit_length())
    r0 = max(1.0, abs(t0)) if radius is None else min(radius, max(1.0, abs(t0)))
    if not r0 > 0:
        return None
    radii = r0 * 2.0 ** (-np.arange(CONTOUR_RADII) / 2.0)
    radii = radii[radii > 64 * float(np.spacing(max(abs(t0), 1e-300)))]
    if radii.size < 2:
        return None
    circle = np.exp(2j * np.pi * np.arange(points) / points)
    zs = t0 + radii[:, None] * circle[None, :]
    out = line.complex(zs.ravel())
    if out is None:
        return None
    values = out.reshape(zs.shape)
    finite = np.all(np.isfinite(values), axis=1)
    coefficients = np.fft.fft(np.where(np.isfinite(values), values, 0.0), axis=1) / points
    tail = np.max(np.abs(coefficients[:, points // 2 :]), axis=1)
    size = np.max(np.abs(np.where(np.isfinite(values), values, 0.0)), axis=1)
    magnitude = float(magnitudes(line, np.asarray([t0]))[0]) if line.compiled else 0.0
    c_n = coefficients[:, n]
    with np.errstate(all="ignore"):
        scale = math.factorial(n) / radii**n
        estimates = scale * c_n.real
        floor = 4.0 * line.eps * np.maximum(size, magnitude)
        errors = scale * (2.0 * tail + np.abs(c_n.imag) + floor)
    errors = np.where(finite & np.isfinite(estimates) & np.isfinite(errors), errors, np.inf)
    best = int(np.argmin(errors))
    if not math.isfinite(float(errors[best])):
        return None
    error = float(errors[best])
    if best + 1 < radii.size and math.isfinite(float(errors[best + 1])):
        apart = abs(float(estimates[best] - estimates[best + 1]))
        if apart > error + float(errors[best + 1]):
            error += apart
    error += 2.0 * line.eps * abs(float(estimates[best]))
    return NumericResult(
        float(estimates[best]), error, "complex", float(radii[best]), line.evaluations
    )
