"""Numeric derivatives of a curve's y(x) (see :mod:`derivcheck.curves.solve`), with error
estimates: order 1 by the numeric engine's Richardson extrapolation (a black box, left and
right slopes compared); order n > 1 by central n-th differences at steps h0, h0/2, …
extrapolated in the engine's Neville tableau (:func:`derivcheck.numeric.richardson.extrapolate`),
their rounding error the noise of y(x) (measured, as the engine measures it) times the sum
of the stencil's |coefficients| over hⁿ.

>>> import numpy as np
>>> r = curve_derivative(np.exp, 0.0, 2, 0.25)
>>> round(r.estimate, 9), r.error_estimate < 1e-7, r.method
(1.0, True, 'richardson')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from math import comb
from typing import Any

import numpy as np

from derivcheck.numeric import derivative
from derivcheck.numeric.budget import ROUNDING_ULPS, rounding_floor
from derivcheck.numeric.line import Line
from derivcheck.numeric.results import NumericResult
from derivcheck.numeric.richardson import (
    RATIO,
    extrapolate,
    measured_noise,
    reference_quotient,
    resolved_rows,
)

__all__ = ["curve_derivative", "ROWS"]

#: Rows of the tableau for n > 1: steps h0 … h0·2^-(ROWS-1); rounding grows as h^-n, so
#: fewer rows than the engine's 36 for a first derivative.
ROWS = 24


def curve_derivative(f: Callable[[Any], Any], x0: float, order: int, h0: float) -> NumericResult:
    """The ``order``-th derivative of ``f`` (a vectorised function of x, nan where it has no
    value) at ``x0``, starting from the step ``h0``."""
    if order == 1:
        return derivative(f, x0, method="richardson", h=h0)
    line = Line(f)
    offsets = np.arange(order + 1, dtype=float) - order / 2.0
    coefficients = np.array([(-1.0) ** (order - k) * comb(order, k) for k in range(order + 1)])
    steps = h0 * RATIO ** -np.arange(ROWS, dtype=float)
    with np.errstate(all="ignore"):
        nodes = x0 + steps[:, None] * offsets[None, :]
        values = line.real(nodes.ravel()).reshape(nodes.shape)
        quotients = values @ coefficients / steps**order
        finite = np.all(np.isfinite(values), axis=1)
        quotients = np.where(finite, quotients, np.nan)
        scale = np.max(np.where(np.isfinite(values), np.abs(values), 0.0), axis=1)
        slope = np.where(finite, np.abs(values[:, -1] - values[:, 0]) / (order * steps), 0.0)
        spread = float(np.sum(np.abs(coefficients)))
        width = steps**order / spread
        noise_of_f = measured_noise(line, np.asarray([x0]), np.asarray([h0]), 0)[0]
        floor = rounding_floor(line.eps, scale, x0, slope, width, ROUNDING_ULPS)
        noise = floor + noise_of_f / width
    column = quotients[:, None]
    resolved = resolved_rows(column, noise[:, None], 2)
    reference = reference_quotient(column, noise[:, None], resolved)
    best, error, step = extrapolate(
        column, steps[:, None], noise[:, None], (2, 2), resolved, reference
    )
    estimate, error_estimate = float(best[0]), float(error[0])
    if not (math.isfinite(estimate) and math.isfinite(error_estimate)):
        return NumericResult(
            math.nan, math.inf, "richardson", float(step[0]), line.evaluations, problem="domain"
        )
    return NumericResult(estimate, error_estimate, "richardson", float(step[0]), line.evaluations)
