"""Numbers for the grader: values at the sample points, exact values, closeness.

Values come from derivcheck's one NumPy evaluator,
:func:`derivcheck.numeric.evaluate.compile_expr`; exact values are 30-digit SymPy numbers.

>>> import numpy as np
>>> from derivcheck.reading.parser import parse, symbol
>>> x = symbol("x")
>>> values(parse("ln(x)"), {x: np.array([1.0, -1.0])}, 2).tolist()
[0.0, nan]
>>> exact_number(parse("sqrt(2)")).real
1.4142135623730951
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import sympy
from sympy import Expr, Symbol

from derivcheck.errors import LimitError
from derivcheck.numeric.evaluate import compile_expr

__all__ = ["values", "exact_number", "real_number", "all_close", "is_rational_expression"]


def values(expression: Expr, env: Mapping[Symbol, np.ndarray], size: int) -> np.ndarray:
    """``expression`` at the ``size`` points of ``env`` (real floats; nan where undefined)."""
    symbols = tuple(env)
    result = np.asarray(compile_expr(expression, symbols)(*(env[s] for s in symbols)))
    if np.iscomplexobj(result):
        result = np.where(result.imag != 0, np.nan, result.real)
    return np.broadcast_to(result.astype(float, copy=False), (size,))


def exact_number(expression: Expr) -> complex | None:
    """A constant SymPy expression to 30 digits; None when undefined.

    The time limit's :class:`LimitError` (a ValueError too) goes through: running out of
    time says nothing about the value.
    """
    try:
        value = complex(sympy.N(expression, 30))
    except LimitError:
        raise
    except (TypeError, ValueError, ArithmeticError):
        return None
    return value if math.isfinite(value.real) and math.isfinite(value.imag) else None


def real_number(expression: Expr) -> float | None:
    """The real value of a constant expression as a float; None when undefined or not real."""
    exact = exact_number(expression)
    return exact.real if exact is not None and abs(exact.imag) < 1e-20 else None


def all_close(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    """Every pair within ``tolerance`` relative to the larger of the two."""
    scale = np.maximum(np.abs(a), np.abs(b))
    return bool(np.all(np.abs(a - b) <= tolerance * scale + 1e-300))


def is_rational_expression(expression: Expr) -> bool:
    """Only names, rational numbers, sums, products and integer powers: an expression whose
    value at a rational point is an exact rational.

    >>> from derivcheck.reading.parser import parse
    >>> is_rational_expression(parse("(x^2 + 1)/(3x) - 10^-20"))
    True
    >>> is_rational_expression(parse("√x"))
    False
    """
    return all(
        node.is_Symbol
        or node.is_Rational
        or node.is_Add
        or node.is_Mul
        or (node.is_Pow and node.exp.is_Integer)
        for node in sympy.preorder_traversal(expression)
    )
