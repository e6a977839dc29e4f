"""A curve near a point as a function y(x), by a bracketed Newton iteration (NumPy only).

For the numeric check of dy/dx and d²y/dx², the curve is solved for y near the point,
independently of the formulas derived: for an equation F(x, y) = 0, y(x) is the root
of F(x, ·) in a bracket [y0 − r, y0 + r] on which ∂F/∂y keeps its sign (so the root is
unique there and on the branch through the point); for a parametric curve, t(x) is the
root of x(t) − x near t0 in the same way, and y(x) = y(t(x)).

>>> import numpy as np
>>> branch = Branch.of(lambda a, s: a**2 + s**2 - 1, lambda a, s: 2 * s, 0.6, 0.8)
>>> [round(float(v), 12) for v in branch(np.array([0.6, 0.7, 2.0]))]
[0.8, 0.714142842854, nan]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Branch", "solve_bracketed"]

#: Grid on which the sign of ∂G/∂s is checked over the box around the point.
_GRID = 33

#: A Newton step below this (relative to max(1, |s|)) that no longer shrinks is noise.
_NOISE = 1e-9

#: Newton iterations at most (bisection steps included); convergence takes about 6.
_ITERATIONS = 200


def solve_bracketed(
    g: Callable[[np.ndarray, np.ndarray], np.ndarray],
    dg: Callable[[np.ndarray, np.ndarray], np.ndarray],
    a: np.ndarray,
    low: float,
    high: float,
    start: float,
) -> np.ndarray:
    """The root s of g(a, s) = 0 in [low, high] for each a (nan where g has no sign change
    there): Newton steps from ``start``, kept inside the bracket (a bisection step where
    Newton would leave it), until the step is below 2 ulps, g is 0, or the steps stop
    shrinking while below 1e-9 of the root (the rounding noise of g)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        g_low = g(a, np.full(a.shape, low))
        g_high = g(a, np.full(a.shape, high))
        usable = np.isfinite(g_low) & np.isfinite(g_high) & (np.sign(g_low) != np.sign(g_high))
        negative = np.where(g_low < 0, low, high)  # the end where g < 0, and where g > 0
        positive = np.where(g_low < 0, high, low)
        s = np.full(a.shape, float(start))
        active = usable.copy()
        last = np.full(a.shape, np.inf)
        for _ in range(_ITERATIONS):
            if not active.any():
                break
            value = g(a, s)
            exact = value == 0
            negative = np.where(active & (value < 0), s, negative)
            positive = np.where(active & (value > 0), s, positive)
            step = value / dg(a, s)
            proposed = s - step
            lower, upper = np.minimum(negative, positive), np.maximum(negative, positive)
            inside = np.isfinite(proposed) & (proposed >= lower) & (proposed <= upper)
            proposed = np.where(inside, proposed, 0.5 * (lower + upper))
            moved = np.abs(proposed - s)
            width = upper - lower
            tiny = 2.0 * np.spacing(np.maximum(np.abs(s), np.abs(proposed)))
            # Newton converges quadratically; steps that stop shrinking while already tiny
            # are the rounding noise of g (a root known to a few ulps): done too
            stalled = (
                inside & (moved >= 0.5 * last) & (moved <= _NOISE * np.maximum(1.0, np.abs(s)))
            )
            done = exact | (inside & (moved <= tiny)) | (width <= tiny) | stalled
            last = np.where(inside, moved, np.inf)
            s = np.where(active & ~exact, proposed, s)
            active &= ~done
        return np.where(usable & ~active, s, np.nan)


@dataclass(frozen=True)
class Branch:
    """y(x) near (x0, y0) on the curve g(x, y) = 0: a callable on arrays of x.

    ``radius`` is the half-width of the box [x0 ± radius] × [y0 ± radius] on which ∂g/∂y
    was seen to keep its sign; outside it, or where the bracket holds no root, y is nan.
    """

    g: Callable[[np.ndarray, np.ndarray], np.ndarray]
    dg: Callable[[np.ndarray, np.ndarray], np.ndarray]
    x0: float
    y0: float
    radius: float

    @classmethod
    def of(cls, g, dg, x0: float, y0: float) -> Branch:
        """The branch through (x0, y0), with the largest box (from 0.25·max(1, |x0|, |y0|),
        halved up to 40 times) on whose grid ∂g/∂y is finite and keeps the sign it has at
        the point. A radius of 0 means that no such box was found."""
        sign = np.sign(dg(np.asarray(x0), np.asarray(y0)))
        radius = 0.25 * max(1.0, abs(x0), abs(y0))
        grid = np.linspace(-1.0, 1.0, _GRID)
        for _ in range(40):
            xs = x0 + radius * grid[:, None]
            ys = y0 + radius * grid[None, :]
            with np.errstate(all="ignore"):
                slopes = dg(xs + 0 * ys, ys + 0 * xs)
            if sign != 0 and np.all(np.isfinite(slopes)) and np.all(np.sign(slopes) == sign):
                return cls(g, dg, float(x0), float(y0), radius)
            radius /= 2.0
        return cls(g, dg, float(x0), float(y0), 0.0)

    def __call__(self, x):
        x = np.asarray(x, dtype=float)
        shape = x.shape
        flat = x.ravel()
        low, high = self.y0 - self.radius, self.y0 + self.radius
        roots = solve_bracketed(self.g, self.dg, flat, low, high, self.y0)
        roots = np.where(np.abs(flat - self.x0) <= self.radius, roots, np.nan)
        return roots.reshape(shape)
