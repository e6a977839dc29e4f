"""Fixed-step finite differences: central (steps h and 2h) and forward/backward, each with
its error estimate (truncation from two step sizes, rounding from a floor and measured noise).

>>> import numpy as np
>>> from derivcheck.numeric.line import Line
>>> round(central_derivative(Line(np.exp), 0.0, None).estimate, 9)
1.0
"""

from __future__ import annotations

import math

import numpy as np

from derivcheck.numeric.barriers import magnitudes
from derivcheck.numeric.budget import (
    EPS,
    central_difference,
    central_step,
    largest_difference,
    rounding_floor,
)
from derivcheck.numeric.line import Line
from derivcheck.numeric.problems import stencil_problem
from derivcheck.numeric.results import NumericResult


def one_sided_step(x0: float) -> float:
    return 0.7 * math.sqrt(EPS) * max(1.0, abs(x0))  # not a power of 2: see central_derivative


def representable_step(t0: float, h: float) -> float:
    """A step close to h such that t0 + h is exactly t0 + step in floating point."""
    stepped = (t0 + h) - t0
    return stepped if stepped > 0 else h


def central_many(line: Line, xs: np.ndarray, h: np.ndarray):
    """Central differences with error estimates at many points (steps ``h`` representable).

    f is evaluated at x + k·h, k = -4..4. Returns (estimates, error estimates, values). The
    error is the truncation term of :func:`central_difference` plus the larger of the rounding
    floor (see rounding_floor) and the noise seen in fourth differences: h^4 times the fourth
    derivative is negligible, so they are rounding noise, and they catch the noise that a
    formula in |f| misses when f is computed from larger intermediate values (log(1 + x^2)
    near 0). Noise sigma in f gives sigma/(h*sqrt(2)) in D(h) and about 8.4 sigma in a fourth
    difference.
    """
    points = xs[None, :] + h[None, :] * np.arange(-4.0, 5.0)[:, None]  # x-4h, ..., x+4h
    values = line.real(points.ravel()).reshape(points.shape)
    d1, truncation = central_difference(
        values[5], values[3], values[6], values[2], points[5] - points[3], points[6] - points[2]
    )
    noise = 0.25 * np.max(np.abs(np.diff(values, n=4, axis=0)), axis=0) / h
    scale = np.maximum(np.max(np.abs(values[2:7]), axis=0), magnitudes(line, xs))
    rounding = rounding_floor(line.eps, scale, xs, d1, h)
    return d1, truncation + np.maximum(rounding, noise), values


def central_derivative(line: Line, t0: float, h: float | None) -> NumericResult:
    h = central_step(t0) if h is None else float(h)
    h = representable_step(t0, h)
    estimate, error, values = central_many(line, np.asarray([t0]), np.asarray([h]))
    if not np.all(np.isfinite(values)):
        return stencil_problem(line, t0, "central", h)
    return NumericResult(float(estimate[0]), float(error[0]), "central", h, line.evaluations)


def one_sided_derivative(line: Line, t0: float, h: float | None, direction: int) -> NumericResult:
    method = "forward" if direction > 0 else "backward"
    h = one_sided_step(t0) if h is None else float(h)
    h = representable_step(t0, h)
    points = t0 + direction * h * np.arange(8.0)
    values = line.real(points)
    if not np.all(np.isfinite(values)):
        return stencil_problem(line, t0, method, h)
    d1 = (values[1] - values[0]) / (points[1] - points[0])
    d2 = (values[2] - values[0]) / (points[2] - points[0])
    # Third differences are rounding noise of f (see central_derivative): sigma in f gives
    # sigma*sqrt(2)/h in d1 and about 4.5 sigma in a third difference.
    noise = 0.5 * largest_difference(values, 3) / h
    scale = max(float(np.max(np.abs(values[:3]))), float(magnitudes(line, np.asarray(t0))))
    error = abs(d1 - d2) + max(rounding_floor(line.eps, scale, t0, d1, h), noise)
    return NumericResult(float(d1), float(error), method, h, line.evaluations)
