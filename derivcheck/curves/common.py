"""What implicit and parametric differentiation share: names, the point, exact values,
simplification and the numeric verdict.

>>> from derivcheck.reading.parser import symbol
>>> x, y = symbol("x"), symbol("y")
>>> point_of({"x": 0.6, "y": "4/5"}, (x, y))
{x: 3/5, y: 4/5}
>>> tidy(-(2*x) / (2*y))
-x/y
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.derivation import _tidy
from derivcheck.calculus.graph import to_float, value_at
from derivcheck.errors import DerivcheckError, EvaluationError
from derivcheck.explanation import exact_point_value
from derivcheck.messages import Message
from derivcheck.numeric.budget import EPS

__all__ = ["MAX_ORDER", "point_of", "named", "tidy", "value_of", "negligible", "verdict_of"]

#: Orders of d^n y/dx^n offered for curves (each order's formula grows fast).
MAX_ORDER = 6

#: A value is taken as 0 when it is below this many ulps of the scale it comes from.
ZERO_ULPS = 64.0


def named(name: Any, names: tuple[Symbol, ...], what: Message) -> Symbol:
    """The name among ``names`` that ``name`` (text or Symbol) spells, else a DerivcheckError."""
    text = name.name if isinstance(name, Symbol) else str(name).strip()
    for s in names:
        if s.name == text:
            return s
    known = ", ".join(s.name for s in names) or "-"
    raise EvaluationError("curves.unknown_name", what=what, name=text, known=known)


def point_of(x0: Any, names: tuple[Symbol, ...]) -> dict[Symbol, Expr]:
    """Every name's exact value, from a mapping name -> number (or one number for one name)."""
    if not isinstance(x0, Mapping):
        if x0 is None:
            raise EvaluationError("curves.no_point", names=", ".join(s.name for s in names))
        if len(names) != 1:
            raise EvaluationError(
                "curves.point_mapping",
                names=", ".join(s.name for s in names),
                example=", ".join(f'"{s.name}": …' for s in names),
            )
        return {names[0]: exact_point_value(x0, names[0].name)}
    point: dict[Symbol, Expr] = {}
    for key, value in x0.items():
        target = named(key, names, Message("curves.what.point"))
        point[target] = exact_point_value(value, target.name)
    missing = [s.name for s in names if s not in point]
    if missing:
        raise EvaluationError("curves.missing_values", names=", ".join(missing))
    return {s: point[s] for s in names}


@lru_cache(maxsize=1024)
def tidy(expression: Expr) -> Expr:
    """A short equal form: the rule-by-rule derivation's simplification, after cancelling,
    and (for small expressions with sin and cos) SymPy's trigsimp; the fewest fraction
    bars, then the fewest operations, win. Kept (a bounded cache): a curve explained at
    several points, or at several orders, tidies the same derivatives again.

    >>> from derivcheck.reading.parser import symbol
    >>> t = symbol("t")
    >>> tidy((-sympy.sin(t)**2 - sympy.cos(t)**2) / sympy.sin(t)**3)
    -1/sin(t)**3
    """
    if sympy.count_ops(expression) > 300:
        return expression
    candidates = [expression, _tidy(expression), _tidy(sympy.cancel(expression))]
    if expression.has(sympy.sin, sympy.cos, sympy.tan) and sympy.count_ops(expression) <= 80:
        candidates.append(sympy.trigsimp(expression))
    # fewest fraction bars first (no fractions inside fractions), then fewest operations
    return min(candidates, key=lambda e: (str(e).count("/"), sympy.count_ops(e), len(str(e))))


@lru_cache(maxsize=1024)
def on_curve_form(expression: Expr, function: Expr, x: Symbol, y: Symbol) -> Expr | None:
    """A shorter form of ``expression`` on the curve ``function = 0`` (x² + y² = 1 turns
    −(x² + y²)/y³ into −1/y³), for conics: polynomials of degree 2 at most; else None.
    Kept (a bounded cache), like :func:`tidy`.

    >>> from derivcheck.reading.parser import symbol
    >>> x, y = symbol("x"), symbol("y")
    >>> on_curve_form((-x**2 - y**2) / y**3, x**2 + y**2 - 1, x, y)
    -1/y**3
    """
    try:
        polynomial = sympy.Poly(function, x, y)
    except sympy.PolynomialError:
        return None
    if polynomial.total_degree() > 2 or not expression.is_rational_function(x, y):
        return None
    reduced = sympy.ratsimpmodprime(expression, [function], x, y)
    if sympy.count_ops(reduced) < sympy.count_ops(expression):
        return reduced
    return None


def value_of(expression: Expr, point: Mapping[Symbol, Expr]) -> float:
    """``expression`` at the point as a float (nan where it has no real value)."""
    exact = value_at(expression, point)
    return to_float(exact) if exact is not None else math.nan


def negligible(value: float, scale: float) -> bool:
    """True for 0, and for a value within rounding of 0 next to ``scale``."""
    return value == 0 or abs(value) <= ZERO_ULPS * EPS * max(scale, 1e-300)


def verdict_of(exact: float, result: Any) -> Any:
    """The numeric verdict, or None when either side has no number."""
    from derivcheck import numeric

    if result is None or not result.ok or not math.isfinite(exact):
        return None
    return numeric.verdict(exact, result)


def numeric_check(
    y_of_x: Any, x0: float, order: int, radius: float, reason: Message | None
) -> tuple[Any, Message | None]:
    """The numeric d^n y/dx^n of the solved curve ``y_of_x`` and, when there is none (no
    derivative here, no branch found, differences that did not converge), why."""
    from derivcheck.curves.numeric import curve_derivative

    if reason is not None:
        return None, Message("curves.no_derivative_here")
    if y_of_x is None or radius == 0:
        return None, Message("curves.no_branch")
    result = curve_derivative(y_of_x, x0, order, radius)
    return result, None if result.ok else Message("curves.numeric_failed")


def check_order(order: Any) -> int:
    """``order`` as an int from 1 to MAX_ORDER, else a DerivcheckError."""
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        raise DerivcheckError("curves.bad_order", order=repr(order), most=MAX_ORDER)
    return order
