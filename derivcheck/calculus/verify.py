"""Checking a derivative against an independent reference: the rules check themselves.

Every local rule of the chain-rule graph and every step of a rule-by-rule derivation is
compared with :func:`reference_derivative` when it is built. The reference is
``sympy.diff`` — except for derivcheck's own functions (relu, softplus, gelu, …), whose
SymPy derivative *is* the catalogue's rule; those are first written out in SymPy's own
functions (their ``definition``), so the check is never circular.

>>> import sympy
>>> from derivcheck.calculus.functions import softplus, sigmoid
>>> x = sympy.Symbol("x", real=True)
>>> reference_derivative(softplus(x), x)
exp(x)/(exp(x) + 1)
>>> verify_equal(sigmoid(x), reference_derivative(softplus(x), x))
'exact'
>>> acosh = sympy.acosh(x)
>>> verify_equal(1 / sympy.sqrt(x**2 - 1), sympy.diff(acosh, x), domain=acosh)
'numeric'
"""

from __future__ import annotations

import math
from functools import lru_cache

import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.functions import DerivcheckFunction
from derivcheck.errors import LimitError

__all__ = [
    "StepCheckError",
    "verify_equal",
    "reference_derivative",
    "written_out",
    "diff_between_breaks",
    "clear_caches",
]


class StepCheckError(AssertionError):
    """A rule's result disagrees with the reference: a bug in derivcheck, never printed."""


def written_out(expr: Expr) -> Expr:
    """``expr`` with derivcheck's own functions replaced by their definitions."""
    if not expr.atoms(DerivcheckFunction):
        return expr
    return expr.replace(lambda e: isinstance(e, DerivcheckFunction), lambda e: e.definition_form())


@lru_cache(maxsize=4096)
def reference_derivative(expr: Expr, variable: Symbol) -> Expr:
    """The independent reference for d(expr)/d(variable) (see the module docstring).

    Where SymPy leaves a derivative unevaluated (floor, ceiling: constant between their
    jumps), the slope of the function's own branch between breaks is used.

    Kept (a bounded cache, see :func:`clear_caches`): derivations and higher orders ask for
    the same small derivatives again and again (d/du sin(u) in every chain rule of sin).
    """
    return diff_between_breaks(written_out(expr), variable)


def diff_between_breaks(expr: Expr, variable: Symbol) -> Expr:
    """``sympy.diff``, with the derivatives SymPy leaves unevaluated (floor, ceiling) taken
    between their breaks, where each is constant: d/dx ceiling(x) is 0 there.

    >>> x = sympy.Symbol("x", real=True)
    >>> diff_between_breaks(sympy.ceiling(x) + x**2, x)
    2*x
    """
    result = sympy.diff(expr, variable)
    if result.has(sympy.Derivative):
        result = result.replace(lambda e: isinstance(e, sympy.Derivative), _branch_slope)
    if result.has(sympy.Subs):  # floor(-x)′ is Subs(floor′(ξ), ξ, -x)·(-1): Subs(0, ξ, -x)
        result = result.replace(lambda e: isinstance(e, sympy.Subs), lambda e: e.doit())
    return result


def _branch_slope(derivative: sympy.Derivative) -> Expr:
    from derivcheck.calculus.catalogue import record_of

    function = derivative.expr
    record = record_of(function)
    if record is None or not record.breaks or len(derivative.variables) != 1:
        return derivative
    (u,) = derivative.variables
    at = sympy.Dummy("u0", real=True)  # the break's location: a constant between breaks
    slope = sympy.diff(record.breaks[0].right(u, at), u)
    return slope * sympy.diff(function.args[0], u)


_SAMPLES = ("0.3719", "0.8123", "1.2937", "1.9061", "2.7183", "-0.4417", "-1.3331", "-2.2371",
            "3.5017", "0.1093", "-0.0731", "5.4421")  # fmt: skip


def verify_equal(
    result: Expr, expected: Expr, domain: Expr | None = None, what: str = "rule"
) -> str:
    """'exact' when ``result - expected`` simplifies to 0, 'numeric' when SymPy cannot
    simplify it but both agree to 25 digits at ≥ 3 sample points where ``domain``
    (the function differentiated) is real; else raise :class:`StepCheckError`.

    The verdict depends on the three expressions alone, so it is kept (a bounded cache,
    see :func:`clear_caches`): a derivation checks d/du sin(u) = cos(u) at every chain rule
    of sin, and the orders of a higher derivative repeat most steps of the previous order.
    ``what`` only names the step in the error.

    >>> x = sympy.Symbol("x", real=True)
    >>> verify_equal(2 * x * 3, sympy.diff(3 * x**2, x))
    'exact'
    """
    proof = _proof(result, expected, domain)
    if proof is None:
        raise StepCheckError(
            f"derivcheck bug: the {what} step gives {result}, but the reference gives {expected}"
        )
    return proof


@lru_cache(maxsize=4096)
def _proof(result: Expr, expected: Expr, domain: Expr | None) -> str | None:
    """How ``result`` = ``expected`` is shown ('exact' or 'numeric'), None when they differ
    (see :func:`verify_equal`). A LimitError (out of time) propagates and is not kept."""
    difference = result - expected
    if difference == 0:
        return "exact"
    expanded = sympy.expand(difference)
    if expanded == 0:
        return "exact"
    small = sympy.count_ops(difference) < 400
    if small and sympy.cancel(sympy.together(expanded)) == 0:
        return "exact"
    agreeing = _numeric_agreement(result, expected, domain)
    if agreeing < 0:  # a sample point where they differ: no identity can make them equal
        return None
    piecewise = difference.has(sympy.Piecewise, sympy.Heaviside, sympy.sign, sympy.Abs)
    if small and not piecewise:
        # Trigonometric and hyperbolic identities: written with exponentials they cancel.
        if sympy.cancel(sympy.expand(difference.rewrite(sympy.exp))) == 0:
            return "exact"
        if sympy.count_ops(difference) < 60 and sympy.simplify(difference) == 0:
            return "exact"
    if agreeing >= 3:
        return "numeric"
    return None


def clear_caches() -> None:
    """Forget the kept verdicts of :func:`verify_equal`, the values at its sample points and
    the kept :func:`reference_derivative` results (for tests that change what they depend
    on)."""
    _proof.cache_clear()
    reference_derivative.cache_clear()
    _sample_value.cache_clear()


def _numeric_agreement(a: Expr, b: Expr, domain: Expr | None = None) -> int:
    """At how many sample points ``a`` and ``b`` (and ``domain``) are finite and real
    and agree to 25 digits; -1000 if they differ at one of them."""
    checked = (a, b) if domain is None else (a, b, domain)
    symbols = sorted(set().union(*(e.free_symbols for e in checked)), key=lambda s: s.name)
    agreeing = 0
    for k, sample in enumerate(_SAMPLES):
        env = {
            s: sympy.Float(sample, 30) + sympy.Rational(j, 7) * (1 + k % 3)
            for j, s in enumerate(symbols)
        }
        at = tuple(env.items())
        values = [_sample_value(expression, at) for expression in checked]
        first, second = values[0], values[1]
        finite = all(
            math.isfinite(v.real) and math.isfinite(v.imag) and abs(v.imag) <= 1e-25 * (1 + abs(v))
            for v in values
        )
        if not finite:
            continue
        if abs(first - second) > 1e-25 * max(1.0, abs(first), abs(second)):
            return -1000
        agreeing += 1
    return agreeing


@lru_cache(maxsize=4096)
def _sample_value(expression: Expr, at: tuple) -> complex:
    """``expression`` at the sample point ``at`` ((symbol, value) pairs) to 30 digits; nan
    where it has no value. Kept (a bounded cache): the function differentiated is the
    ``domain`` of every step and every order checked against it, at the same points."""
    try:
        return complex(sympy.N(expression.xreplace(dict(at)), 30))
    except LimitError:  # a ValueError too: out of time is not "undefined here"
        raise
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return complex(math.nan)
