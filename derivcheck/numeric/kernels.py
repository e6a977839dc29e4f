"""NumPy implementations of the catalogue's functions that NumPy does not have by name.

Each takes and returns arrays. The analytic ones accept complex input (the complex-step
method needs f(x + ih)); the non-smooth ones use the real part, as their records say they
are not analytic.

>>> import numpy as np
>>> [float(v) for v in logistic(np.array([0.0, -800.0]))]
[0.5, 0.0]
>>> float(logistic(-40.0))      # e^-40/(1 + e^-40), to the last digit
4.248354255291589e-18
>>> float(softplus(800.0)), float(softplus(-800.0))
(800.0, 0.0)
>>> round(float(np.imag(erf(np.array(0.5 + 1e-20j)))) / 1e-20, 15)   # erf'(0.5), complex step
0.878782578935445
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "logistic", "log1p", "softplus", "silu", "gelu", "erf", "erfc", "relu", "leaky_relu", "elu",
    "hardtanh", "sign", "heaviside", "floor", "ceil", "sec", "csc", "cot", "sech", "csch", "coth",
    "arccot", "arcsec", "arccsc",
]  # fmt: skip


def _real(z: Any) -> Any:
    return np.real(z) if np.iscomplexobj(z) else z


def logistic(z: Any) -> np.ndarray:
    """σ(z) = 1/(1 + e^-z) for real or complex z, without overflow in either tail.

    1/(1+e^-z) for Re z >= 0 and e^z/(1+e^z) for Re z < 0: full relative accuracy in both
    tails (0.5·(1 + tanh(z/2)) loses it for z << 0), and analytic for complex z.
    """
    z = np.asarray(z)
    negative = np.real(z) < 0
    w = np.exp(np.where(negative, z, -z))
    return np.where(negative, w, 1.0) / (1.0 + w)


def log1p(w: Any) -> np.ndarray:
    """ln(1 + w), accurate for small w also when w is complex (NumPy's complex log1p loses
    the real part's digits: it computes log|1 + w|).

    >>> round(float(np.real(log1p(np.array(2.8e-8 + 1e-25j)))) / 2.7999999608000007e-08, 15)
    1.0
    """
    w = np.asarray(w)
    if not np.iscomplexobj(w):
        return np.log1p(w)
    real = 0.5 * np.log1p(2.0 * w.real + w.real**2 + w.imag**2)
    return real + 1j * np.arctan2(w.imag, 1.0 + w.real)


def softplus(z: Any) -> np.ndarray:
    """ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|), for real or complex z."""
    z = np.asarray(z)
    positive = np.real(z) > 0
    return np.where(positive, z, 0.0) + log1p(np.exp(np.where(positive, -z, z)))


def silu(z: Any) -> np.ndarray:
    """z·σ(z)."""
    return np.asarray(z) * logistic(z)


_ERF = np.vectorize(math.erf, otypes=[float])
_ERFC = np.vectorize(math.erfc, otypes=[float])


def _with_slope(function, sign: float, z: Any) -> np.ndarray:
    """function(z) for real z, and for z = x + iy with a tiny y (the complex step)
    function(x) + iy·function′(x), function′ = sign·2/√π·e^(-x²).

    The complex-step method evaluates f(x + ih) with h ≈ 1e-20|x|; to that order the first
    Taylor term is exact. A complex argument with a larger imaginary part gives nan.
    """
    z = np.asarray(z)
    if not np.iscomplexobj(z):
        return function(z)
    x, y = z.real, z.imag
    # the next Taylor term changes Im by a relative y²·(4x² - 2)/6 (for erf): below 1e-16
    # while |y|·max(1, |x|) <= 1e-8. A step amplified by an inner function (sec(x) at
    # -1.2e9 turns h = 1.2e-11 into 6e-11) is still small; 1e-12·|x| refused it (nan)
    small = np.abs(y) * np.maximum(1.0, np.abs(x)) <= 1e-8
    slope = sign * 2.0 / math.sqrt(math.pi) * np.exp(-(x**2))
    value = function(x) + 1j * y * slope
    return np.where(small, value, np.nan + 0j)


def erf(z: Any) -> np.ndarray:
    """erf for real z, and for z = x + iy with a tiny y (the complex step): erf(x) + iy·erf′(x)."""
    return _with_slope(_ERF, 1.0, z)


def erfc(z: Any) -> np.ndarray:
    """1 − erf(z), without cancellation for large z (complex step as for :func:`erf`)."""
    return _with_slope(_ERFC, -1.0, z)


def gelu(z: Any) -> np.ndarray:
    """z/2·(1 + erf(z/√2)) = z/2·erfc(−z/√2): no cancellation in the left tail.

    >>> round(float(gelu(-8.0)) / -4.976768459417427e-15, 13)   # -8·Φ(-8) (mpmath)
    1.0
    """
    z = np.asarray(z)
    return z / 2.0 * erfc(-z / math.sqrt(2.0))


def relu(z: Any) -> np.ndarray:
    return np.maximum(_real(z), 0.0)


def leaky_relu(z: Any, a: Any = 0.01) -> np.ndarray:
    z = _real(z)
    return np.where(z > 0, z, a * z)


def elu(z: Any, a: Any = 1.0) -> np.ndarray:
    z = _real(z)
    return np.where(z > 0, z, a * np.expm1(np.minimum(z, 0.0)))


def hardtanh(z: Any) -> np.ndarray:
    return np.clip(_real(z), -1.0, 1.0)


def sign(z: Any) -> np.ndarray:
    return np.sign(_real(z))


def heaviside(z: Any, at_zero: Any = 0.5) -> np.ndarray:
    return np.heaviside(_real(z), at_zero)


def floor(z: Any) -> np.ndarray:
    return np.floor(_real(z))


def ceil(z: Any) -> np.ndarray:
    return np.ceil(_real(z))


def sec(z: Any) -> np.ndarray:
    return 1.0 / np.cos(z)


def csc(z: Any) -> np.ndarray:
    return 1.0 / np.sin(z)


def cot(z: Any) -> np.ndarray:
    return np.cos(z) / np.sin(z)


def sech(z: Any) -> np.ndarray:
    return 1.0 / np.cosh(z)


def csch(z: Any) -> np.ndarray:
    return 1.0 / np.sinh(z)


def coth(z: Any) -> np.ndarray:
    """1/tanh z (cosh z / sinh z loses the imaginary part of a complex step for large z)."""
    return 1.0 / np.tanh(z)


def arccot(z: Any) -> np.ndarray:
    """π/2 − arctan z, values in (0, π), continuous at 0: computed as arctan(1/z) (+ π for
    Re z < 0), which keeps its digits for large |z| where π/2 − arctan z cancels.

    >>> float(arccot(1e8)), float(arccot(-1.0)) == 3 * np.pi / 4
    (1e-08, True)
    """
    z = np.asarray(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.arctan(1.0 / np.where(z == 0, 1.0, z))
    shifted = np.where(np.real(z) < 0, inverse + np.pi, inverse)
    return np.where(z == 0, np.pi / 2 + 0 * z, shifted)


def arcsec(z: Any) -> np.ndarray:
    return np.arccos(1.0 / np.asarray(z))


def arccsc(z: Any) -> np.ndarray:
    return np.arcsin(1.0 / np.asarray(z))
