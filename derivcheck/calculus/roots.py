"""Odd roots are real, as textbooks mean them: ∛(−8) = −2, (−8)^(2/3) = 4.

SymPy (like NumPy and mpmath) takes the principal complex root of a negative base. For a
rational exponent p/q with q odd, derivcheck takes the real root instead, wherever it
evaluates: exactly (:func:`real_form` before numbers are substituted), with mpmath
(:mod:`derivcheck.calculus.precise`), with NumPy (:mod:`derivcheck.numeric.evaluate`, in a form
that stays analytic for the complex step) and in the domain (:mod:`derivcheck.calculus.domain`:
no restriction on the base, a pole at 0 for a negative exponent). The expressions themselves
keep SymPy's powers, so derivatives are SymPy's: d/dx x^(2/3) = 2/(3·x^(1/3)), also real.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> real_form(x ** sympy.Rational(2, 3)).xreplace({x: -8})
4
>>> odd_root(sympy.Rational(3, 5)), odd_root(sympy.Rational(1, 2)), odd_root(sympy.Integer(2))
(True, False, False)
"""

from __future__ import annotations

import sympy
from sympy import Expr

__all__ = ["odd_root", "real_form", "has_odd_root", "even_root_as_size", "real_power"]


def odd_root(exponent: Expr) -> bool:
    """True for a rational exponent p/q that is not an integer and has an odd q."""
    return bool(exponent.is_Rational and not exponent.is_Integer and exponent.q % 2 == 1)


def _is_odd_power(node: Expr) -> bool:
    return bool(node.is_Pow and node.base.free_symbols and odd_root(node.exp))


def has_odd_root(expression: Expr) -> bool:
    """True when ``expression`` has a power of a variable base with an odd-root exponent."""
    return any(_is_odd_power(p) for p in expression.atoms(sympy.Pow))


def real_form(expression: Expr) -> Expr:
    """``expression`` with each u^(p/q), q odd, written sign(u)^p·|u|^(p/q): the same for
    u ≥ 0, the real root for u < 0, so that substituting numbers gives real values."""
    if not has_odd_root(expression):
        return expression

    def real(node: Expr) -> Expr:
        base, exponent = node.args
        return sympy.sign(base) ** exponent.p * sympy.Abs(base) ** exponent

    return expression.replace(_is_odd_power, real)


def even_root_as_size(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    """u^(p/q) with p even and q odd is |u|^(p/q) as a real root (x^(2/3) at -8 is 4); raised
    to a non-integer power, SymPy would merge the exponents into one with an odd numerator
    ((x^(2/3))^(5/2) = x^(5/3), negative for x < 0, where the function typed is positive;
    differential case 2026:1957). Written with |u| the merge is right. So for each factor
    of a product (((πx)^(1/3))^-2)^(1/2) is (π^(-2/3)·x^(-2/3))^(1/2), which SymPy wrote
    as π^(-1/3)·x^(-1/3), negative for x < 0: differential case 2026:8512)."""
    if base.is_Mul:
        factors = [even_root_as_size(f, exponent) for f in base.args]
        return sympy.Mul(*factors) if list(base.args) != factors else base
    if not (base.is_Pow and base.exp.is_Rational and not base.exp.is_Integer):
        return base
    if base.exp.q % 2 == 0 or base.exp.p % 2 != 0:
        return base
    if exponent.is_Integer or not exponent.is_Rational or base.base.is_nonnegative:
        return base
    return sympy.Abs(base.base) ** base.exp


def real_power(base: Expr, exponent: Expr) -> Expr:
    """base^exponent with real roots: even_root_as_size first (√(∛x²) is |x|^(1/3)).

    >>> x = sympy.Symbol("x", real=True)
    >>> real_power(x ** sympy.Rational(2, 3), sympy.S.Half)
    Abs(x)**(1/3)
    """
    return even_root_as_size(base, exponent) ** exponent
