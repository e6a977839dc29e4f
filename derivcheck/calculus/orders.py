r"""Higher derivatives and partial derivatives, each order derived from the previous one.

:func:`derivative_chain` differentiates n times: order k is the rule-by-rule derivative of
order k − 1 (:func:`derivcheck.calculus.derivation.derive`), tidied to a textbook form, and
checked against ``sympy.diff(f, x, k)`` computed from f directly (never from our previous
result). :func:`second_partials` gives the second partial derivatives of a function of
several variables (the Hessian), each mixed partial in both orders with the check that they
agree (Schwarz). These are symbolic; values and numeric checks at a point are added by
:mod:`derivcheck.higher`.

>>> from derivcheck import parse
>>> from derivcheck.reading.parser import symbol
>>> x = symbol("x")
>>> [str(o.expression) for o in derivative_chain(parse("x^x"), (x, x))]
['x**x*(log(x) + 1)', 'x**x*((log(x) + 1)**2 + 1/x)']
>>> [o.symbol() for o in derivative_chain(parse("x^4"), (x,) * 5)]
['f′', 'f″', 'f‴', 'f⁽⁴⁾', 'f⁽⁵⁾']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.cost import check_derivative_size
from derivcheck.calculus.derivation import Derivation, _tidy, derive
from derivcheck.calculus.graph import build_graph
from derivcheck.calculus.verify import StepCheckError, reference_derivative, verify_equal
from derivcheck.errors import DerivcheckError, LimitError

__all__ = [
    "OrderStep",
    "derivative_chain",
    "second_partials",
    "order_symbol",
    "prime_marks",
    "leibniz",
    "below",
    "superscript",
    "SUPERSCRIPTS",
]

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

#: Up to this many operations a derivative is tidied by factoring and cancelling (slow for
#: large ones, which are expanded and their common factors pulled out instead).
TIDY_OPS = 80
#: Above this many operations the rule-by-rule steps of an order are not built.
STEPS_OPS = 80


def prime_marks(order: int) -> str:
    """′, ″, ‴ for orders 1–3, then ⁽⁴⁾, ⁽⁵⁾ … as textbooks write them.

    >>> prime_marks(2), prime_marks(10)
    ('″', '⁽¹⁰⁾')
    """
    if order <= 3:
        return "′″‴"[order - 1]
    return "⁽" + str(order).translate(SUPERSCRIPTS) + "⁾"


def superscript(number: int) -> str:
    """² for 2, ¹⁰ for 10."""
    return str(number).translate(SUPERSCRIPTS)


def below(names: tuple[str, ...]) -> list[tuple[str, int]]:
    """(name, power) as written below the fraction bar, left to right, for the names
    differentiated by in the order applied (the last one applied is written first).

    >>> below(("x", "x", "y"))
    [('y', 1), ('x', 2)]
    """
    groups: list[tuple[str, int]] = []
    for name in reversed(names):
        if groups and groups[-1][0] == name:
            groups[-1] = (name, groups[-1][1] + 1)
        else:
            groups.append((name, 1))
    return groups


def order_symbol(order: int, function: str = "f") -> str:
    """f′, f″, f‴, f⁽⁴⁾ …"""
    return function + prime_marks(order)


def leibniz(variables: tuple[Symbol, ...], function: str = "f", partial: bool = False) -> str:
    """d²f/dx², or ∂²f/∂x∂y for partials (variables in the order they are applied).

    >>> from derivcheck.reading.parser import symbol
    >>> x, y = symbol("x"), symbol("y")
    >>> leibniz((x, x, x), "y"), leibniz((x, y), partial=True), leibniz((x,), partial=True)
    ('d³y/dx³', '∂²f/∂y∂x', '∂f/∂x')
    """
    d = "∂" if partial else "d"
    n = len(variables)
    power = "" if n == 1 else superscript(n)
    groups = below(tuple(v.name for v in variables))
    under = "".join(f"{d}{name}" + ("" if k == 1 else superscript(k)) for name, k in groups)
    return f"{d}{power}{function}/{under}"


@dataclass(frozen=True)
class OrderStep:
    """One derivative: ``expression`` = d/d(variables[-1]) of ``previous``.

    ``variables``: the variables differentiated by, in order (``(x, x, x)`` for f‴,
    ``(x, y)`` for ∂²f/∂y∂x); ``raw``: what the rules give; ``expression``: the tidied form
    (equal, checked); ``check``: how it was proved against ``sympy.diff`` of the original
    function ("exact" or "numeric": equal to 25 digits at sample points).
    """

    variables: tuple[Symbol, ...]
    function: Expr
    previous: Expr
    raw: Expr
    expression: Expr
    check: str
    partial: bool = False
    #: the rule-by-rule derivative of ``previous`` (None when too large to show, or when an
    #: operation has no textbook rule: sign, floor)
    derivation: Derivation | None = field(default=None, repr=False, compare=False)

    @property
    def order(self) -> int:
        return len(self.variables)

    @property
    def variable(self) -> Symbol:
        """The variable of this last differentiation."""
        return self.variables[-1]

    def symbol(self, function: str = "f") -> str:
        """f″ for one variable, ∂²f/∂y∂x for partials."""
        if self.partial:
            return leibniz(self.variables, function, partial=True)
        return order_symbol(self.order, function)

    def notation(self, function: str = "y") -> str:
        """d²y/dx² (Leibniz), or ∂²f/∂y∂x."""
        return leibniz(self.variables, function, partial=self.partial)


def _differentiate(expr: Expr, variable: Symbol) -> tuple[Expr, Derivation | None]:
    """d(expr)/d(variable) and its rule-by-rule derivation where the rules apply and the
    expression is small enough to show; else SymPy's derivative (the same value)."""
    if sympy.count_ops(expr) <= STEPS_OPS:
        try:
            derivation = derive(expr, variable)
            return derivation.result, derivation
        except LimitError:
            raise
        except DerivcheckError:
            pass
    return reference_derivative(expr, variable), None


def tidy(expr: Expr) -> Expr:
    """The shorter of SymPy's equal forms (factored, cancelled), as derivations show them."""
    if sympy.count_ops(expr) > TIDY_OPS:
        expanded = sympy.factor_terms(sympy.expand(expr))
        return min((expr, expanded), key=sympy.count_ops)
    return _tidy(expr)


def derivative_chain(
    function: Expr, variables: tuple[Symbol, ...], partial: bool = False, steps: bool = True
) -> list[OrderStep]:
    """d/d(variables[0]), then d/d(variables[1]) of that, …: one :class:`OrderStep` per order
    (cached: the same function at another point is not derived again).

    Each order is checked against ``sympy.diff(function, *variables[:k])``; a mismatch is a
    bug of derivcheck (:class:`~derivcheck.calculus.verify.StepCheckError`). With
    ``steps=False`` the orders come from the chain-rule graph without their rule-by-rule
    derivations (what grading needs: the same derivatives, a fraction of the time).
    """
    return list(_chain(function, tuple(variables), partial, steps))


@lru_cache(maxsize=64)
def _chain(
    function: Expr, variables: tuple[Symbol, ...], partial: bool, with_steps: bool = True
) -> tuple[OrderStep, ...]:
    steps: list[OrderStep] = []
    previous = function
    reference = function
    for k, v in enumerate(variables, 1):
        check_derivative_size(previous)
        if with_steps:
            raw, derivation = _differentiate(previous, v)
        else:
            raw, derivation = build_graph(previous).derivative(v), None
        shown = tidy(raw)
        reference = reference_derivative(reference, v)
        try:
            check = verify_equal(shown, reference, domain=function, what=f"order {k}")
        except StepCheckError:  # the tidied form: fall back on the rules' own result
            check = verify_equal(raw, reference, domain=function, what=f"order {k}")
            shown = raw
        steps.append(
            OrderStep(
                tuple(variables[:k]), function, previous, raw, shown, check, partial, derivation
            )
        )
        previous = shown
    return tuple(steps)


@dataclass(frozen=True)
class SecondPartial:
    """∂²f/∂b∂a both ways: ``first`` = d/db of ∂f/∂a, ``second`` = d/da of ∂f/∂b (the same
    step for a diagonal entry); ``symmetric``: how they were shown equal ("exact"/"numeric"),
    None on the diagonal."""

    first: OrderStep
    second: OrderStep
    symmetric: str | None

    @property
    def expression(self) -> Expr:
        return self.first.expression

    @property
    def variables(self) -> tuple[Symbol, Symbol]:
        return self.first.variables  # type: ignore[return-value]


def second_partials(
    function: Expr, variables: tuple[Symbol, ...]
) -> tuple[dict[Symbol, OrderStep], dict[tuple[Symbol, Symbol], SecondPartial]]:
    """The first partials and the Hessian's entries (a, b) for a ≤ b in ``variables`` order.

    >>> from derivcheck import parse
    >>> from derivcheck.reading.parser import symbol
    >>> x, y = symbol("x"), symbol("y")
    >>> first, hessian = second_partials(parse("x^2 y^3"), (x, y))
    >>> hessian[(x, y)].expression, hessian[(x, y)].symmetric
    (6*x*y**2, 'exact')
    """
    first = {v: derivative_chain(function, (v,), partial=True)[0] for v in variables}
    entries: dict[tuple[Symbol, Symbol], SecondPartial] = {}
    for i, a in enumerate(variables):
        for b in variables[i:]:
            one = _next(first[a], b)
            if a == b:
                entries[(a, b)] = SecondPartial(one, one, None)
                continue
            other = _next(first[b], a)
            symmetric = verify_equal(one.expression, other.expression, function, "symmetry")
            entries[(a, b)] = SecondPartial(one, other, symmetric)
    return first, entries


def _next(step: OrderStep, variable: Symbol) -> OrderStep:
    """The derivative of ``step`` with respect to ``variable``, checked against sympy.diff."""
    raw, derivation = _differentiate(step.expression, variable)
    shown = tidy(raw)
    reference = step.function
    for v in (*step.variables, variable):
        reference = reference_derivative(reference, v)
    what = "second partial"
    try:
        check = verify_equal(shown, reference, domain=step.function, what=what)
    except StepCheckError:
        check = verify_equal(raw, reference, domain=step.function, what=what)
        shown = raw
    return OrderStep(
        (*step.variables, variable),
        step.function,
        step.expression,
        raw,
        shown,
        check,
        True,
        derivation,
    )
