"""Error budgets of finite differences: the pieces the numeric engine and gradcheck share.

A difference quotient ``D(h)`` of f is wrong by two things: truncation (D(h) is not
f' for h > 0) and rounding (f is computed in floating point). These functions estimate
both; :mod:`derivcheck.numeric.engine` and :mod:`derivcheck.network.gradcheck` build
their verdicts from them, each with its own safety factors (the engine's:
:data:`VERDICT_MULTIPLE` and :func:`verdict_budget`).

* :data:`EPS` -- the unit roundoff of float64 (2.2e-16);
* :func:`central_step` -- the step ``eps^(1/3)·max(1, |x|)`` that balances truncation
  (``h²``) against rounding (``eps/h``);
* :func:`central_difference` -- ``D(h)`` and its truncation error ``|D(h) - D(2h)| / 3``
  from two step sizes (the first Richardson term);
* :func:`rounding_floor` -- ``ulps·eps·(|f| + |x·f'|) / h``, the rounding error of a
  quotient when f is trusted to ``ulps`` units in the last place;
* :func:`largest_difference`, :func:`fourth_difference` and :func:`noise_from_fourth`
  -- the rounding noise of f *measured*: ``h⁴·f''''`` is negligible at small steps, so a
  fourth difference is pure noise, with standard deviation ``√70·σ`` for independent
  noise of size σ in each value (:data:`FOURTH_DIFFERENCE_SPREAD`);
* :func:`third_difference` -- the same on four nodes (``h³·f'''`` plus noise of spread
  ``√20·σ``, :data:`THIRD_DIFFERENCE_SPREAD`), and :func:`polynomial_at_zero` /
  :func:`slope_at_zero` -- the value and the slope at 0 of the polynomial through some nodes
  (one-sided extrapolations, which tell a jump or a kink at 0 from a smooth f);
* :func:`verdict_budget` -- ``multiple·error + VALUE_FLOOR_ULPS·eps·|value|``, what the
  engine's verdicts allow;
* :func:`stencil_weights` -- the n-th central difference (higher orders), whose rounding
  error grows as ``2^n·eps/h^n``.

>>> d, truncation = central_difference(1.0 + 1e-2, 1.0 - 1e-2, 1.0 + 2e-2, 1.0 - 2e-2,
...                                    2e-2, 4e-2)          # f(x) = x at 1, h = 0.01
>>> round(d, 12), round(truncation, 12)
(1.0, 0.0)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "EPS",
    "ROUNDING_ULPS",
    "VERDICT_MULTIPLE",
    "VALUE_FLOOR_ULPS",
    "FOURTH_DIFFERENCE_SPREAD",
    "THIRD_DIFFERENCE_SPREAD",
    "central_step",
    "central_difference",
    "rounding_floor",
    "largest_difference",
    "fourth_difference",
    "third_difference",
    "polynomial_at_zero",
    "slope_at_zero",
    "noise_from_fourth",
    "verdict_budget",
    "stencil_weights",
]

#: Unit roundoff of float64 (``np.finfo(float).eps``).
EPS = float(np.finfo(float).eps)

#: The numeric engine trusts each value of f to this many units in the last place.
ROUNDING_ULPS = 4.0

#: A verdict agrees when |exact - estimate| <= VERDICT_MULTIPLE * error_estimate + rounding floor.
#: The measured worst case of true error / error estimate is 1, so 10 leaves a wide margin while
#: wrong derivatives (off by far more than any error estimate of ~1e-10 relative) still fail.
VERDICT_MULTIPLE = 10.0

#: The rounding floor of a value v in verdicts: VALUE_FLOOR_ULPS * eps * |v|.
VALUE_FLOOR_ULPS = 8.0

#: Standard deviation of a fourth difference of values with independent noise σ, over σ:
#: the stencil 1, -4, 6, -4, 1 has ``1 + 16 + 36 + 16 + 1 = 70``.
FOURTH_DIFFERENCE_SPREAD = math.sqrt(70.0)

#: The same for a third difference: ``1 + 9 + 9 + 1 = 20``.
THIRD_DIFFERENCE_SPREAD = math.sqrt(20.0)

#: For Gaussian noise: the 75th percentile of the smaller of two independent |N(0, 1)|
#: values, which is the median of one (P(both > t) = 1/4 where P(one > t) = 1/2).
_SMALLER_OF_TWO_QUARTILE = 0.674


def central_step(x0: Any, eps: float = EPS) -> Any:
    """``eps^(1/3)·max(1, |x0|)``, elementwise: balances truncation (h²) against rounding (eps/h).

    >>> [f"{h:.4g}" for h in central_step(np.array([0.0, 0.5, -1000.0]))]
    ['6.055e-06', '6.055e-06', '0.006055']
    """
    if type(x0) is float and x0 == x0:  # one point, not nan: the same without arrays
        return eps ** (1.0 / 3.0) * max(1.0, abs(x0))
    return eps ** (1.0 / 3.0) * np.maximum(1.0, np.abs(x0))


def central_difference(plus, minus, plus2, minus2, width, width2):
    """Central differences at steps h and 2h, and the truncation error of the first.

    ``plus``/``minus``: f(x + h) and f(x - h); ``plus2``/``minus2``: f(x ± 2h); ``width`` and
    ``width2``: the distances between those points actually used (2h and 4h up to rounding).
    Returns ``(D(h), |D(h) - D(2h)| / 3)``: D(h) = f' + k h² + ..., D(2h) = f' + 4 k h² + ...,
    so the first Richardson term estimates the error k h² of D(h). Works elementwise on arrays.

    >>> d, truncation = central_difference(9.0 + 0.6 + 0.01, 9.0 - 0.6 + 0.01,
    ...                                    9.0 + 1.2 + 0.04, 9.0 - 1.2 + 0.04, 0.2, 0.4)
    >>> round(d, 12), round(truncation, 12)       # f = x² at 3, h = 0.1: exact, no truncation
    (6.0, 0.0)
    """
    d1 = (plus - minus) / width
    d2 = (plus2 - minus2) / width2
    return d1, abs(d1 - d2) / 3.0


def rounding_floor(eps: float, scale, x, slope, step, ulps: float = ROUNDING_ULPS):
    """Rounding error of a difference quotient, ``ulps·eps·(scale + |x·slope|) / step``.

    ``scale``: the largest |f| in the stencil (or a larger intermediate value that f's
    rounding errors come from); ``|x·slope|``: the error of rounding x itself (0 when the
    offsets actually applied are used). eps multiplies first, so that f near the largest
    float does not overflow the estimate. Works elementwise on arrays.

    >>> f"{rounding_floor(EPS, 1.0, 0.0, 0.0, 1e-5):.3g}"     # 4 ulps of 1 over h = 1e-5
    '8.88e-11'
    """
    unit = ulps * eps
    return (unit * scale + unit * abs(x) * abs(slope)) / step


def largest_difference(values: np.ndarray, order: int) -> float:
    """Largest |order-th difference| over the windows of equally spaced values.

    For a smooth f and a tiny step the differences of order 3 or 4 are pure rounding noise of
    f; taking the largest over several windows makes an accidentally small one harmless.

    >>> largest_difference(np.array([0.0, 1.0, 4.0, 9.0, 16.0, 25.0]), 3)   # x² has none
    0.0
    """
    differences = np.diff(values, n=order)
    return float(np.max(np.abs(differences)))


def _scaled_divided_difference(values, nodes, h) -> np.ndarray:
    """``|order!·h^order·f[t0, ..., t_order]|``: the ordinary difference on equal nodes."""
    order = len(values) - 1
    table = list(values)
    for k in range(1, order + 1):
        table = [
            (table[i + 1] - table[i]) / (nodes[i + k] - nodes[i]) for i in range(order + 1 - k)
        ]
    return np.abs(table[0]) * math.factorial(order) * np.asarray(h) ** order


def fourth_difference(f0, values, offsets, h) -> np.ndarray:
    """``|Δ⁴|`` on the nodes 0, t1..t4 (unequal spacing allowed), scaled to steps of ``h``.

    ``values`` and ``offsets`` are four sequences (or arrays, elementwise): f and the offset
    actually applied at about h, 2h, 3h, 4h; ``f0`` is f at offset 0. The result is
    ``24·h⁴`` times the fourth divided difference, which on equal nodes is the ordinary
    fourth difference ``f0 - 4f1 + 6f2 - 4f3 + f4``.

    >>> float(fourth_difference(1.0, [0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0], 1.0))
    1.0
    """
    table = [np.full(np.shape(values[0]), f0), *values]
    nodes = [np.zeros(np.shape(offsets[0])), *offsets]
    return _scaled_divided_difference(table, nodes, h)


def third_difference(values, offsets, h) -> np.ndarray:
    """``|Δ³|`` on four nodes t1..t4 (unequal spacing allowed), scaled to steps of ``h``.

    ``6·h³`` times the third divided difference: on equal nodes ``-f1 + 3f2 - 3f3 + f4``,
    which is h³ times the third derivative plus noise of spread ``√20·σ``
    (:data:`THIRD_DIFFERENCE_SPREAD`). On the nodes h..4h it leaves f(0) out, so a jump
    at 0 cannot spoil it.

    >>> float(third_difference([1.0, 8.0, 27.0, 64.0], [1.0, 2.0, 3.0, 4.0], 1.0))   # t³
    6.0
    """
    return _scaled_divided_difference(list(values), list(offsets), h)


def _newton_at_zero(values, offsets, derivative: bool):
    """Value (or slope) at 0 of the polynomial through the nodes, from its Newton form.

    Divided differences make a constant exactly constant (no rounding of weights that
    should cancel), and the value and slope at 0 come by Horner's rule.
    """
    coefficients = [values[0]]
    table = list(values)
    for k in range(1, len(values)):
        table = [
            (table[i + 1] - table[i]) / (offsets[i + k] - offsets[i]) for i in range(len(table) - 1)
        ]
        coefficients.append(table[0])
    value, slope = coefficients[-1], 0.0
    for k in range(len(coefficients) - 2, -1, -1):  # p = c_k + (t - t_k)·p, at t = 0
        slope = value - offsets[k] * slope
        value = coefficients[k] - offsets[k] * value
    return (slope if derivative else value) + 0.0  # + 0.0: no -0 in reports


def polynomial_at_zero(values, offsets):
    """The value at 0 of the polynomial through ``(offsets[i], values[i])``, elementwise.

    Through f(h), f(2h), f(3h) it is ``3f(h) - 3f(2h) + f(3h)``: f(0) up to h³ times the
    third derivative on a smooth f, the right-hand limit at a jump at 0.

    >>> float(polynomial_at_zero([1.0, 4.0, 9.0], [1.0, 2.0, 3.0]))       # t²
    0.0
    """
    return _newton_at_zero(values, offsets, derivative=False)


def slope_at_zero(values, offsets):
    """The slope at 0 of the polynomial through ``(offsets[i], values[i])``, elementwise.

    Through f(0), f(h), f(2h) it is the second-order one-sided slope; through f(h), f(2h),
    f(3h), which leave f(0) out, the slope of the branch on that side, jump or not.

    >>> float(slope_at_zero([5.0, 7.0, 9.0], [1.0, 2.0, 3.0]))           # 3 + 2t
    2.0
    """
    return _newton_at_zero(values, offsets, derivative=True)


def noise_from_fourth(smaller_side):
    """σ, the rounding noise of each value of f, from fourth differences on two sides.

    ``smaller_side`` is the smaller of the |Δ⁴| on the two sides of a point (a kink spoils
    at most one side), or the 75th percentile of those over several points. For Gaussian
    noise σ that percentile is ``0.674·√70·σ``, which this divides out. Works elementwise.

    >>> round(float(noise_from_fourth(0.674 * math.sqrt(70.0) * 1e-16)), 20)
    1e-16
    """
    return np.asarray(smaller_side) / (_SMALLER_OF_TWO_QUARTILE * FOURTH_DIFFERENCE_SPREAD)


def verdict_budget(
    exact: float, estimate: float, error_estimate: float, multiple: float = VERDICT_MULTIPLE
) -> float:
    """What |exact - estimate| may be for a verdict to agree: ``multiple·error_estimate +
    VALUE_FLOOR_ULPS·(eps·max(|exact|, |estimate|) + 2^-1074)`` (the second term: the
    rounding of the values themselves, whose spacing below 2.2e-308 is 2^-1074, not
    eps·|value|: 24x² at 2.27302e-157 is 1.24e-312, and an estimate one spacing from it
    was a false DISAGREES; differential case 2026:6553).

    >>> verdict_budget(30.0, 30.0, 1e-12) == 1e-11 + 8 * EPS * 30
    True
    >>> verdict_budget(1.24e-312, 1.24e-312, 0.0) >= 8 * math.ulp(0.0)
    True
    """
    budget = multiple * error_estimate
    rounding = EPS * max(abs(exact), abs(estimate)) + math.ulp(0.0)
    return budget + VALUE_FLOOR_ULPS * rounding


def stencil_weights(order: int) -> tuple[Any, Any]:
    """The n-th central difference: offsets ``n/2 - k`` and weights ``(-1)^k·C(n, k)``.

    ``Σ weights·f(x + offsets·h) / h^n`` is f⁽ⁿ⁾(x) + c₂h² + c₄h⁴ + …, a series in h²
    (the stencil is symmetric), so Ridders' tableau extrapolates it with powers (2, 2). Its
    rounding error is ``Σ|weights| = 2^n`` times that of one value, over ``h^n``: the reason
    the budget of a numeric n-th derivative grows with n.

    >>> offsets, weights = stencil_weights(2)
    >>> offsets.tolist(), weights.tolist()
    ([1.0, 0.0, -1.0], [1.0, -2.0, 1.0])
    """
    ks = np.arange(order + 1)
    offsets = order / 2.0 - ks
    weights = np.array([(-1.0) ** k * math.comb(order, int(k)) for k in ks])
    return offsets, weights
