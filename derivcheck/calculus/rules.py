"""Local differentiation rules: one small frozen dataclass per rule.

Each rule describes one operation of the chain-rule graph, states its formula
in the docstring, and ``partials()`` recomputes the local derivatives from that
formula alone. ``verify()`` checks them against ``sympy.diff``, so every step
of an explanation can prove itself.

>>> import sympy
>>> u = sympy.Symbol("u", real=True)
>>> rule = PowerRule(base=u, exponent=sympy.Integer(2))
>>> rule.partials()
{u: 2*u}
>>> rule.verify()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.catalogue import FunctionRecord, record_of
from derivcheck.calculus.verify import (
    StepCheckError,
    reference_derivative,
    verify_equal,
    written_out,
)

__all__ = [
    "LocalRule",
    "SumRule",
    "ConstantMultipleRule",
    "ProductRule",
    "QuotientRule",
    "PowerRule",
    "ExponentialRule",
    "GeneralPowerRule",
    "FunctionRule",
    "ExtremumRule",
    "IdentityRule",
    "ConstantRule",
    "CompositeRule",
]


class LocalRule:
    """A rule giving the partial derivatives of one step's definition."""

    name: ClassVar[str] = "rule"

    @property
    def definition(self) -> Expr:  # pragma: no cover - every rule overrides
        raise NotImplementedError

    def partials(self) -> dict[Symbol, Expr]:  # pragma: no cover
        raise NotImplementedError

    def check(self) -> str:
        """Compare every partial with the independent reference; 'exact' or 'numeric'.

        Raises :class:`~derivcheck.calculus.verify.StepCheckError` when one disagrees: a
        rule that does not check is a bug in derivcheck. With many arguments (a long sum
        or product) the partials are checked together along a fixed direction w with
        distinct rational weights: Σ w_i·∂f/∂u_i = d/dt f(u + t·w) at t = 0, one
        derivative instead of n.
        """
        partials = self.partials()
        definition = self.definition
        if len(partials) <= _DIRECT_CHECKS:
            results = [
                verify_equal(partial, reference_derivative(definition, arg), definition, self.name)
                for arg, partial in partials.items()
            ]
        else:
            t = sympy.Dummy("t")
            weights = {arg: sympy.Rational(97 * k % 89 + 1, 13) for k, arg in enumerate(partials)}
            moved = written_out(definition).xreplace({a: a + t * w for a, w in weights.items()})
            expected = sympy.diff(moved, t).xreplace({t: 0})
            claimed = sympy.Add(*(weights[a] * p for a, p in partials.items()))
            results = [verify_equal(claimed, expected, definition, self.name)]
        return "numeric" if "numeric" in results else "exact"

    def verify(self) -> bool:
        """True when every partial derivative equals the reference (see :meth:`check`)."""
        try:
            self.check()
        except StepCheckError:
            return False
        return True


_DIRECT_CHECKS = 8  # up to this many arguments, each partial is checked on its own


@dataclass(frozen=True)
class SumRule(LocalRule):
    """d/du_i (c_0 + Σ c_j·u_j) = c_i  (sum rule, with constant multiples)."""

    terms: tuple[tuple[Symbol, Expr], ...]  # (u_j, c_j)
    constant: Expr = sympy.S.Zero
    name: ClassVar[str] = "sum"

    @property
    def definition(self) -> Expr:
        return self.constant + sympy.Add(*(c * u for u, c in self.terms))

    def partials(self) -> dict[Symbol, Expr]:
        return {u: c for u, c in self.terms}


@dataclass(frozen=True)
class ConstantMultipleRule(LocalRule):
    """d/du (c·u) = c."""

    factor: Expr
    argument: Symbol
    name: ClassVar[str] = "constant multiple"

    @property
    def definition(self) -> Expr:
        return self.factor * self.argument

    def partials(self) -> dict[Symbol, Expr]:
        return {self.argument: self.factor}


@dataclass(frozen=True)
class ProductRule(LocalRule):
    """d/du_i (c·u_1·u_2·…·u_n) = c·∏_{j≠i} u_j  (product rule)."""

    factors: tuple[Symbol, ...]
    coefficient: Expr = sympy.S.One
    name: ClassVar[str] = "product"

    @property
    def definition(self) -> Expr:
        return self.coefficient * sympy.Mul(*self.factors)

    def partials(self) -> dict[Symbol, Expr]:
        return {
            u: self.coefficient * sympy.Mul(*(v for v in self.factors if v != u))
            for u in self.factors
        }


@dataclass(frozen=True)
class QuotientRule(LocalRule):
    """d/dn (c·n/d) = c/d and d/dd (c·n/d) = −c·n/d²  (quotient rule)."""

    numerator: Expr  # a symbol, or a constant when only the denominator varies
    denominator: Symbol
    coefficient: Expr = sympy.S.One
    name: ClassVar[str] = "quotient"

    @property
    def definition(self) -> Expr:
        return self.coefficient * self.numerator / self.denominator

    def partials(self) -> dict[Symbol, Expr]:
        c, n, d = self.coefficient, self.numerator, self.denominator
        result: dict[Symbol, Expr] = {}
        if isinstance(n, Symbol):
            result[n] = c / d
        result[d] = -c * n / d**2
        return result


@dataclass(frozen=True)
class PowerRule(LocalRule):
    """d/du u^n = n·u^(n−1) for a constant n  (power rule)."""

    base: Symbol
    exponent: Expr
    name: ClassVar[str] = "power"

    @property
    def definition(self) -> Expr:
        return self.base**self.exponent

    def partials(self) -> dict[Symbol, Expr]:
        return {self.base: self.exponent * self.base ** (self.exponent - 1)}


@dataclass(frozen=True)
class ExponentialRule(LocalRule):
    """d/du a^u = a^u·ln a for a constant a > 0  (exponential rule)."""

    base: Expr
    exponent: Symbol
    name: ClassVar[str] = "exponential"

    @property
    def definition(self) -> Expr:
        return self.base**self.exponent

    def partials(self) -> dict[Symbol, Expr]:
        if self.base == 0:  # 0^u = 0 wherever it is defined (u > 0): constant there
            return {self.exponent: sympy.S.Zero}
        return {self.exponent: self.base**self.exponent * sympy.log(self.base)}

    def check(self) -> str:
        """As :meth:`LocalRule.check`; 0^u (a base that cancelled to 0: (1.6 - x) - (1.6 - x))
        is 0 for every u > 0 and undefined for u ≤ 0, where SymPy's reference 0^u·ln 0 has
        no value at all (differential case 2026:12946)."""
        if self.base == 0:  # the reference on the domain: u > 0, where SymPy's 0^u is 0
            u = sympy.Dummy("u", positive=True)
            partial = self.partials()[self.exponent].xreplace({self.exponent: u})
            return verify_equal(partial, sympy.diff(self.base**u, u), None, self.name)
        return super().check()


@dataclass(frozen=True)
class GeneralPowerRule(LocalRule):
    """∂/∂u u^v = v·u^(v−1),  ∂/∂v u^v = u^v·ln u  (logarithmic differentiation)."""

    base: Symbol
    exponent: Symbol
    name: ClassVar[str] = "general power"

    @property
    def definition(self) -> Expr:
        return self.base**self.exponent

    def partials(self) -> dict[Symbol, Expr]:
        u, v = self.base, self.exponent
        if u == v:  # x^x: both paths lead to the same variable, so their terms add
            return {u: u**u * (1 + sympy.log(u))}
        return {u: v * u ** (v - 1), v: u**v * sympy.log(u)}


@dataclass(frozen=True)
class FunctionRule(LocalRule):
    """d/du f(u) = f'(u) from the table of derivatives: the catalogue record's ``derivative``
    (sin' = cos, exp' = exp, ln' = 1/u, relu' = H, …); ``parameters`` are constant extra
    arguments (leaky_relu's slope)."""

    function: type
    argument: Symbol
    parameters: tuple[Expr, ...] = ()

    @property
    def record(self) -> FunctionRecord:
        record = record_of(self.function)
        if record is None:  # pragma: no cover - the builder only makes rules for records
            raise KeyError(self.function)
        return record

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.record.key

    @property
    def definition(self) -> Expr:
        return self.function(self.argument, *self.parameters)

    def partials(self) -> dict[Symbol, Expr]:
        return {self.argument: self.record.derivative(self.argument, *self.parameters)}

    def check(self) -> str:
        """Checked once per function (and parameters) with a generic u, then remembered."""
        key = (self.function, self.parameters)
        if key not in _FUNCTION_CHECKS:
            u = sympy.Dummy("u", real=True)
            generic = FunctionRule(self.function, u, self.parameters)  # type: ignore[arg-type]
            _FUNCTION_CHECKS[key] = LocalRule.check(generic)
        return _FUNCTION_CHECKS[key]


#: (function, parameters) -> how its rule was proved ("exact" or "numeric"): each table
#: entry is checked once per process, the first time a graph uses it.
_FUNCTION_CHECKS: dict[tuple, str] = {}


@dataclass(frozen=True)
class ExtremumRule(LocalRule):
    """∂/∂u_i max(u_1, …, u_n) = H(u_i − max of the others): 1 where u_i wins, 0 where
    another does (min likewise with the signs swapped; H(0) = 1/2 at a tie)."""

    function: type  # sympy.Max or sympy.Min
    arguments: tuple[Expr, ...]

    @property
    def name(self) -> str:  # type: ignore[override]
        return "max" if self.function is sympy.Max else "min"

    @property
    def definition(self) -> Expr:
        return self.function(*self.arguments)

    def partials(self) -> dict[Symbol, Expr]:
        sign = 1 if self.function is sympy.Max else -1
        result: dict[Symbol, Expr] = {}
        for i, a in enumerate(self.arguments):
            if not isinstance(a, Symbol):
                continue
            others = self.arguments[:i] + self.arguments[i + 1 :]
            rest = others[0] if len(others) == 1 else self.function(*others)
            result[a] = sympy.Heaviside(sign * (a - rest))
        return result


@dataclass(frozen=True)
class IdentityRule(LocalRule):
    """d/du u = 1  (the output is an input itself)."""

    argument: Symbol
    name: ClassVar[str] = "identity"

    @property
    def definition(self) -> Expr:
        return self.argument

    def partials(self) -> dict[Symbol, Expr]:
        return {self.argument: sympy.S.One}


@dataclass(frozen=True)
class ConstantRule(LocalRule):
    """d/dx c = 0."""

    value: Expr
    name: ClassVar[str] = "constant"

    @property
    def definition(self) -> Expr:
        return self.value

    def partials(self) -> dict[Symbol, Expr]:
        return {}


@dataclass(frozen=True)
class CompositeRule(LocalRule):
    """A user's assignment kept whole: ∂/∂u of the definition by the textbook rules inside
    it (the assignment's own chain-rule graph), not by ``sympy.diff``.

    ``name`` is the rule of the outermost operation (sum, product, power, relu, …),
    with "chain" added when an inner operation contributes too.
    """

    expression: Expr
    arguments: tuple[Symbol, ...]

    @property
    def definition(self) -> Expr:
        return self.expression

    @property
    def name(self) -> str:  # type: ignore[override]
        return describe_operation(self.expression, self.arguments)

    def partials(self) -> dict[Symbol, Expr]:
        from derivcheck.calculus.graph import program_partials

        return program_partials(self.expression, self.arguments)


def describe_operation(expression: Expr, arguments: tuple[Symbol, ...] = ()) -> str:
    """The rule name of the outermost operation, e.g. 'power' for (y - t)^2, 'sum' for w*x + b."""
    node = expression
    if isinstance(node, Symbol):
        return "identity"
    if not node.free_symbols:
        return "constant"
    if node.is_Add:
        name = "sum"
    elif node.is_Mul:
        constant = [f for f in node.args if not f.free_symbols]
        varying = [f for f in node.args if f.free_symbols]
        if any(f.is_Pow and f.exp.is_number and f.exp.is_negative for f in varying):
            name = "quotient"
        elif len(varying) == 1 and constant:
            name = "constant multiple"
        else:
            name = "product"
    elif node.is_Pow:
        if not node.exp.free_symbols:
            name = "power"
        elif not node.base.free_symbols:
            name = "exponential"
        else:
            name = "general power"
    else:
        record = record_of(node)
        name = record.key if record is not None else getattr(node.func, "__name__", "function")
    inner = [a for a in node.args if a.free_symbols and not isinstance(a, Symbol)]
    if name in ("sum", "product", "constant multiple"):
        inner = [a for a in inner if not _is_simple_product(a)]
    return f"{name} (chain)" if inner else name


def _is_simple_product(node: Expr) -> bool:
    return node.is_Mul and all(isinstance(f, Symbol) or not f.free_symbols for f in node.args)
