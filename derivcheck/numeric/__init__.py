"""Numeric derivatives with honest error estimates (see :mod:`derivcheck.numeric.engine`).

>>> from derivcheck.numeric import derivative, verdict
>>> result = derivative(lambda x: (3 * x + 2) ** 2, 1.0)
>>> verdict(30.0, result).agrees
True
"""

from derivcheck.numeric.engine import (
    EPS,
    METHODS,
    VERDICT_MULTIPLE,
    Kink,
    NumericResult,
    Verdict,
    derivative,
    derivative_curve,
    detect_kink,
    error_vs_step,
    gradient,
    kinks_near,
    one_sided,
    partial,
    verdict,
)

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
