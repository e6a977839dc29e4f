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

from derivcheck.calculus.functions import relu, sigmoid

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
    "FUNCTION_DERIVATIVES",
]


class LocalRule:
    """A rule giving the partial derivatives of one step's definition."""

    name: ClassVar[str] = "rule"

    @property
    def definition(self) -> Expr:  # pragma: no cover - every rule overrides
        raise NotImplementedError

    def partials(self) -> dict[Symbol, Expr]:  # pragma: no cover
        raise NotImplementedError

    def verify(self) -> bool:
        """True when every partial derivative equals ``sympy.diff`` of the definition."""
        return all(
            _same(partial, sympy.diff(self.definition, arg))
            for arg, partial in self.partials().items()
        )


def _same(a: Expr, b: Expr) -> bool:
    difference = sympy.expand(a - b)
    if difference == 0:
        return True
    rewritten = sympy.expand(sympy.simplify(difference.rewrite(sympy.exp)))
    return rewritten == 0


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
        return {self.exponent: self.base**self.exponent * sympy.log(self.base)}


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


# f -> f'(u), each written from the textbook table, not from sympy.diff.
FUNCTION_DERIVATIVES = {
    sympy.sin: lambda u: sympy.cos(u),
    sympy.cos: lambda u: -sympy.sin(u),
    sympy.tan: lambda u: 1 + sympy.tan(u) ** 2,
    sympy.sec: lambda u: sympy.sec(u) * sympy.tan(u),
    sympy.csc: lambda u: -sympy.csc(u) * sympy.cot(u),
    sympy.cot: lambda u: -1 - sympy.cot(u) ** 2,
    sympy.asin: lambda u: 1 / sympy.sqrt(1 - u**2),
    sympy.acos: lambda u: -1 / sympy.sqrt(1 - u**2),
    sympy.atan: lambda u: 1 / (1 + u**2),
    sympy.acot: lambda u: -1 / (1 + u**2),
    sympy.sinh: lambda u: sympy.cosh(u),
    sympy.cosh: lambda u: sympy.sinh(u),
    sympy.tanh: lambda u: 1 - sympy.tanh(u) ** 2,
    sympy.sech: lambda u: -sympy.sech(u) * sympy.tanh(u),
    sympy.csch: lambda u: -sympy.csch(u) * sympy.coth(u),
    sympy.coth: lambda u: 1 - sympy.coth(u) ** 2,
    sympy.asinh: lambda u: 1 / sympy.sqrt(u**2 + 1),
    sympy.acosh: lambda u: 1 / sympy.sqrt(u**2 - 1),
    sympy.atanh: lambda u: 1 / (1 - u**2),
    sympy.exp: lambda u: sympy.exp(u),
    sympy.log: lambda u: 1 / u,
    sympy.Abs: lambda u: sympy.sign(u),
    sympy.sign: lambda u: sympy.S.Zero,
    relu: lambda u: sympy.Heaviside(u, 0),
    sigmoid: lambda u: sigmoid(u) * (1 - sigmoid(u)),
}

_FUNCTION_RULE_NAMES = {
    sympy.asin: "arcsin", sympy.acos: "arccos", sympy.atan: "arctan", sympy.acot: "arccot",
    sympy.asinh: "arsinh", sympy.acosh: "arcosh", sympy.atanh: "artanh", sympy.Abs: "abs",
}  # fmt: skip


@dataclass(frozen=True)
class FunctionRule(LocalRule):
    """d/du f(u) = f'(u) from the table of derivatives (sin' = cos, exp' = exp, ln' = 1/u, …)."""

    function: type
    argument: Symbol

    @property
    def name(self) -> str:  # type: ignore[override]
        return _FUNCTION_RULE_NAMES.get(self.function, self.function.__name__)

    @property
    def definition(self) -> Expr:
        return self.function(self.argument)

    def partials(self) -> dict[Symbol, Expr]:
        return {self.argument: FUNCTION_DERIVATIVES[self.function](self.argument)}


@dataclass(frozen=True)
class ExtremumRule(LocalRule):
    """∂/∂u_i max(u_1, …) = H(u_i − the other argument), min likewise: 1 on the winning side."""

    function: type  # sympy.Max or sympy.Min
    arguments: tuple[Expr, ...]

    @property
    def name(self) -> str:  # type: ignore[override]
        return "max" if self.function is sympy.Max else "min"

    @property
    def definition(self) -> Expr:
        return self.function(*self.arguments)

    def partials(self) -> dict[Symbol, Expr]:
        # The textbook formula only covers two arguments; more fall back to SymPy's rule.
        symbols = [a for a in self.arguments if isinstance(a, Symbol)]
        if len(self.arguments) == 2:
            a, b = self.arguments
            sign = 1 if self.function is sympy.Max else -1
            result = {}
            if isinstance(a, Symbol):
                result[a] = sympy.Heaviside(sign * (a - b))
            if isinstance(b, Symbol):
                result[b] = sympy.Heaviside(sign * (b - a))
            return result
        return {u: sympy.diff(self.definition, u) for u in symbols}

    def verify(self) -> bool:
        definition = self.definition
        for arg, partial in self.partials().items():
            expected = sympy.diff(definition, arg)
            # Heaviside(a-b) and Heaviside(-(b-a)) print differently but are the same function
            points = [sympy.Rational(k, 7) for k in (-5, -2, 3, 9)]
            symbols = sorted(definition.free_symbols, key=str)
            for value in points:
                env = {s: value * (i + 1) for i, s in enumerate(symbols)}
                if sympy.N(partial.xreplace(env) - expected.xreplace(env)) != 0:
                    return False
        return True


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
    """A user's assignment kept whole: ∂/∂u of the definition by the rules inside it.

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
        return {u: sympy.diff(self.expression, u) for u in self.arguments}


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
    elif node.func in (sympy.Max, sympy.Min):
        name = "max" if node.func is sympy.Max else "min"
    else:
        name = _FUNCTION_RULE_NAMES.get(node.func, getattr(node.func, "__name__", "function"))
    inner = [a for a in node.args if a.free_symbols and not isinstance(a, Symbol)]
    if name in ("sum", "product", "constant multiple"):
        inner = [a for a in inner if not _is_simple_product(a)]
    return f"{name} (chain)" if inner else name


def _is_simple_product(node: Expr) -> bool:
    return node.is_Mul and all(isinstance(f, Symbol) or not f.free_symbols for f in node.args)
