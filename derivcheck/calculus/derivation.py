r"""Rule-by-rule derivations, as SymPy Gamma shows them — and where Gamma gives up.

:func:`derive` takes a one-variable expression apart by the textbook rules
(sum, constant multiple, power, product, quotient, chain with a
u-substitution, the table of elementary derivatives, logarithmic
differentiation for ``f(x)^g(x)``). Each rule is a small frozen dataclass whose
docstring states the rule as a formula and whose :meth:`~RuleStep.result`
recomputes the derivative from that formula alone, using only the results of
its sub-steps. Every step is checked against ``sympy.diff`` as it is built; a
step that does not check raises :class:`StepCheckError` (a bug in derivcheck),
so a :class:`Derivation` that exists is one whose every line is right.

>>> from derivcheck import parse
>>> d = derive(parse("(3x+2)^2"))
>>> [step.key for step in d.steps]
['sum', 'power', 'chain']
>>> d.steps[-1].inner_symbol, d.steps[-1].inner.expr
(u, 3*x + 2)
>>> d.result
18*x + 12
>>> derive(parse("x^x")).simplified
x**x*(log(x) + 1)
>>> derive(parse("asin(x) + sinh(x) + |x|")).result
cosh(x) + sign(x) + 1/sqrt(1 - x**2)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.catalogue import FunctionRecord, record_of
from derivcheck.calculus.verify import StepCheckError, reference_derivative, verify_equal
from derivcheck.errors import DerivcheckError, LimitError
from derivcheck.limits import DEFAULT_SECONDS, time_limit
from derivcheck.messages import rule_name

__all__ = [
    "derive",
    "Derivation",
    "RuleStep",
    "StepCheckError",
    "rule_title",
    "ConstantRule",
    "VariableRule",
    "SumRule",
    "ConstantMultipleRule",
    "PowerRule",
    "ProductRule",
    "QuotientRule",
    "ChainRule",
    "LogarithmicDifferentiationRule",
    "ExtremumRule",
    "ExponentialRule",
    "TableRule",
    "verify_equal",
]


# The names of the rules, in English and in the chapter's Chinese.


def rule_title(key: str, lang: str = "en") -> str:
    """'power' -> 'power rule' (en) / '幂法则' (zh).

    >>> rule_title("chain", "zh"), rule_title("quotient")
    ('链式法则', 'quotient rule')
    """
    return rule_name(key, lang)


# --------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleStep:
    """One application of a rule: the derivative of ``expr`` with respect to ``variable``.

    ``key`` names the rule (see :func:`derivcheck.messages.rule_name`); ``formula`` states it in
    LaTeX with ``x`` as the variable. :meth:`result` recomputes the derivative
    from the rule's formula and the results of :meth:`children`.
    """

    expr: Expr
    variable: Symbol
    key: ClassVar[str] = "rule"
    formula: ClassVar[str] = ""

    def result(self) -> Expr:  # pragma: no cover - every rule overrides
        raise NotImplementedError

    def children(self) -> tuple[RuleStep, ...]:
        """The sub-derivations this rule combines, in the order they are used."""
        return ()

    @property
    def trivial(self) -> bool:
        """True for d/dx c = 0 and d/dx x = 1, which derivations show inline."""
        return False

    def check(self) -> str:
        """Compare :meth:`result` with ``sympy.diff``; return how it was proved.

        "exact": the difference simplifies to 0. "numeric": SymPy could not
        simplify it, but both agree to 25 digits at several points of the
        domain (e.g. ``1/sqrt(x^2-1)`` against ``1/(sqrt(x-1)·sqrt(x+1))``).
        Raises :class:`StepCheckError` otherwise.
        """
        expected = reference_derivative(self.expr, self.variable)
        return verify_equal(self.result(), expected, domain=self.expr, what=self.key)

    def walk(self) -> Iterator[RuleStep]:
        """Every step below and including this one, children before their parent."""
        for child in self.children():
            yield from child.walk()
        yield self


@dataclass(frozen=True)
class ConstantRule(RuleStep):
    r"""d/dx c = 0 for anything c that does not depend on x."""

    key: ClassVar[str] = "constant"
    formula: ClassVar[str] = r"\frac{d}{dx} c = 0"

    def result(self) -> Expr:
        return sympy.S.Zero

    @property
    def trivial(self) -> bool:
        return True


@dataclass(frozen=True)
class VariableRule(RuleStep):
    r"""d/dx x = 1."""

    key: ClassVar[str] = "variable"
    formula: ClassVar[str] = r"\frac{d}{dx} x = 1"

    def result(self) -> Expr:
        return sympy.S.One

    @property
    def trivial(self) -> bool:
        return True


@dataclass(frozen=True)
class SumRule(RuleStep):
    r"""(f + g + …)' = f' + g' + …  (sum rule)."""

    terms: tuple[RuleStep, ...]
    key: ClassVar[str] = "sum"
    formula: ClassVar[str] = r"\frac{d}{dx}\left(f + g\right) = f' + g'"

    def result(self) -> Expr:
        return sympy.Add(*(t.result() for t in self.terms))

    def children(self) -> tuple[RuleStep, ...]:
        return self.terms


@dataclass(frozen=True)
class ConstantMultipleRule(RuleStep):
    r"""(c·f)' = c·f' for a constant c  (constant multiple rule)."""

    constant: Expr
    inner: RuleStep
    key: ClassVar[str] = "constant multiple"
    formula: ClassVar[str] = r"\frac{d}{dx}\left(c f\right) = c f'"

    def result(self) -> Expr:
        return self.constant * self.inner.result()

    def children(self) -> tuple[RuleStep, ...]:
        return (self.inner,)

    @property
    def trivial(self) -> bool:
        """d/dx (c·x) = c is shown inline, like the constant and the variable."""
        return self.inner.trivial


@dataclass(frozen=True)
class PowerRule(RuleStep):
    r"""d/dx x^n = n·x^(n−1) for a constant n  (power rule)."""

    exponent: Expr
    key: ClassVar[str] = "power"
    formula: ClassVar[str] = r"\frac{d}{dx} x^{n} = n x^{n-1}"

    def result(self) -> Expr:
        return self.exponent * self.variable ** (self.exponent - 1)


@dataclass(frozen=True)
class ProductRule(RuleStep):
    r"""(f·g·h…)' = f'·g·h… + f·g'·h… + …  (product rule: each factor differentiated once)."""

    factors: tuple[RuleStep, ...]
    key: ClassVar[str] = "product"
    formula: ClassVar[str] = r"\frac{d}{dx}\left(f g\right) = f' g + f g'"

    def result(self) -> Expr:
        total = []
        for i, factor in enumerate(self.factors):
            others = [f.expr for j, f in enumerate(self.factors) if j != i]
            total.append(factor.result() * sympy.Mul(*others))
        return sympy.Add(*total)

    def children(self) -> tuple[RuleStep, ...]:
        return self.factors


@dataclass(frozen=True)
class QuotientRule(RuleStep):
    r"""(f/g)' = (f'·g − f·g') / g²  (quotient rule)."""

    numerator: RuleStep
    denominator: RuleStep
    key: ClassVar[str] = "quotient"
    formula: ClassVar[str] = r"\frac{d}{dx}\frac{f}{g} = \frac{f' g - f g'}{g^{2}}"

    def result(self) -> Expr:
        f, g = self.numerator.expr, self.denominator.expr
        df, dg = self.numerator.result(), self.denominator.result()
        return (df * g - f * dg) / g**2

    def children(self) -> tuple[RuleStep, ...]:
        return (self.numerator, self.denominator)


@dataclass(frozen=True)
class ChainRule(RuleStep):
    r"""d/dx f(g(x)) = f'(u)·g'(x) with u = g(x)  (chain rule, u-substitution).

    ``outer`` derives f(u) with respect to ``inner_symbol`` u; ``inner`` derives g(x).
    """

    inner_symbol: Symbol
    outer: RuleStep
    inner: RuleStep
    key: ClassVar[str] = "chain"
    formula: ClassVar[str] = r"\frac{d}{dx} f\bigl(g(x)\bigr) = f'(u)\, g'(x),\quad u = g(x)"

    def outer_at_inner(self) -> Expr:
        """f'(u) with u replaced by g(x)."""
        return self.outer.result().xreplace({self.inner_symbol: self.inner.expr})

    def result(self) -> Expr:
        return self.outer_at_inner() * self.inner.result()

    def children(self) -> tuple[RuleStep, ...]:
        """The inner function first, as the chapter peels the onion: u = g(x), then f(u)."""
        return (self.inner, self.outer)


@dataclass(frozen=True)
class LogarithmicDifferentiationRule(RuleStep):
    r"""y = f^g:  ln y = g·ln f,  so  y' = f^g·(g·ln f)'  (logarithmic differentiation, f > 0).

    ``log_form`` derives g·ln f.
    """

    base: Expr
    exponent: Expr
    log_form: RuleStep
    key: ClassVar[str] = "logarithmic differentiation"
    formula: ClassVar[str] = (
        r"y = f^{g} \;\Rightarrow\; \ln y = g \ln f \;\Rightarrow\; "
        r"y' = f^{g} \left(g \ln f\right)'"
    )

    def result(self) -> Expr:
        return self.expr * self.log_form.result()

    def children(self) -> tuple[RuleStep, ...]:
        return (self.log_form,)


@dataclass(frozen=True)
class ExtremumRule(RuleStep):
    r"""max(f, g)' = f'·H(f − g) + g'·H(g − f); min with the sides swapped (H: step function)."""

    first: RuleStep
    second: RuleStep
    formula: ClassVar[str] = r"\frac{d}{dx}\max(f, g) = f'\,H(f - g) + g'\,H(g - f)"

    @property
    def key(self) -> str:  # type: ignore[override]
        return "max" if self.expr.func is sympy.Max else "min"

    def result(self) -> Expr:
        f, g = self.first.expr, self.second.expr
        sign = 1 if self.expr.func is sympy.Max else -1
        return self.first.result() * sympy.Heaviside(sign * (f - g)) + self.second.result() * (
            sympy.Heaviside(sign * (g - f))
        )

    def children(self) -> tuple[RuleStep, ...]:
        return (self.first, self.second)


@dataclass(frozen=True)
class ExponentialRule(RuleStep):
    r"""d/dx a^x = a^x·ln a for a constant a > 0."""

    base: Expr
    key: ClassVar[str] = "exponential"
    formula: ClassVar[str] = r"\frac{d}{dx} a^{x} = a^{x} \ln a"

    def result(self) -> Expr:
        return self.base**self.variable * sympy.log(self.base)


# ---- the table of elementary derivatives: f(x) with the variable itself as argument ----


@dataclass(frozen=True)
class TableRule(RuleStep):
    r"""d/dx f(x) = f'(x) from the table of derivatives: one rule for every function of the
    catalogue (sin, ln, arcsin, sinh, |x|, relu, σ, softplus, …), whose record states f'.

    ``parameters`` are f's constant extra arguments (leaky_relu's slope).
    """

    record: FunctionRecord
    parameters: tuple[Expr, ...] = ()

    @property
    def key(self) -> str:  # type: ignore[override]
        return self.record.key

    def result(self) -> Expr:
        return self.record.derivative(self.variable, *self.parameters)


# --------------------------------------------------------------------------------------
# Building a derivation
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Derivation:
    """A checked rule-by-rule derivation of d(expr)/d(variable).

    ``root`` is the rule applied to the whole expression; ``steps`` lists every
    non-trivial step, sub-steps before the step that uses them (each line uses
    only lines above it); ``checks`` says how each step was proved ("exact" or
    "numeric"); ``result`` is what the rules give, ``simplified`` a tidier
    equal form (also checked).
    """

    expr: Expr
    variable: Symbol
    root: RuleStep
    steps: tuple[RuleStep, ...]
    checks: tuple[str, ...]
    result: Expr
    simplified: Expr

    @property
    def rules_used(self) -> tuple[str, ...]:
        """The keys of the rules used, each once, in order of first use."""
        return tuple(dict.fromkeys(s.key for s in self.root.walk() if not s.trivial)) or (
            self.root.key,
        )


def derive(
    expr: Expr | str, variable: Symbol | str | None = None, seconds: float | None = DEFAULT_SECONDS
) -> Derivation:
    """Derive ``expr`` with respect to ``variable`` rule by rule, checking every step.

    ``expr``: a SymPy expression, or text (read by :func:`derivcheck.parse`).
    ``variable`` defaults to the one free symbol; other symbols are constants.
    Raises :class:`~derivcheck.DerivcheckError` for an operation without a rule
    here (e.g. ``sign``) and :class:`StepCheckError` if a step does not check.

    >>> from derivcheck import parse
    >>> d = derive(parse("sin(x)/x"))
    >>> d.root.key, d.simplified
    ('quotient', (x*cos(x) - sin(x))/x**2)
    """
    expr = _as_expression(expr)
    variable = _variable(expr, variable)
    with time_limit(seconds, "limits.what.derivation"):
        builder = _Builder()
        root = builder.derive(expr, variable)
        steps = tuple(s for s in root.walk() if not s.trivial) or (root,)
        checks = tuple(builder.checks[id(s)] for s in steps)
        result = root.result()
        simplified = _tidy(result)
        if simplified != result:
            try:
                verify_equal(simplified, sympy.diff(expr, variable), expr, "simplified")
            except StepCheckError:  # pragma: no cover - simplify keeps equality
                simplified = result
    return Derivation(expr, variable, root, steps, checks, result, simplified)


def _as_expression(expr: Any) -> Expr:
    """Text goes through derivcheck's own parser (never sympify); numbers become SymPy's."""
    if isinstance(expr, sympy.Basic):
        return expr
    if isinstance(expr, str):
        from derivcheck.reading.parser import parse

        return parse(expr)
    if isinstance(expr, int) and not isinstance(expr, bool):
        return sympy.Integer(expr)
    raise DerivcheckError("calculus.not_a_formula", kind=type(expr).__name__)


def _variable(expr: Expr, variable: Symbol | str | None) -> Symbol:
    free = sorted(expr.free_symbols, key=lambda s: s.name)
    if variable is None:
        if len(free) == 1:
            return free[0]  # type: ignore[return-value]
        if not free:
            return sympy.Symbol("x", real=True)
        raise DerivcheckError("calculus.several_variables", names=", ".join(s.name for s in free))
    if isinstance(variable, str):
        for s in free:
            if s.name == variable:
                return s  # type: ignore[return-value]
        return sympy.Symbol(variable, real=True)
    return variable


@lru_cache(maxsize=1024)
def _tidy(result: Expr) -> Expr:
    """A shorter equal form (fewer operations) when factoring or cancelling finds one.

    No trigonometric rewriting: sin(x)·cos(x) stays, the way a textbook writes it.
    Kept (a bounded cache): the same derivative is tidied by :func:`derive`, again by the
    higher orders and the curves, and for every point it is explained at.
    """
    operations = sympy.count_ops(result)
    if operations > 300:
        return result
    candidates = [result, sympy.factor_terms(result)]
    for transform in (sympy.cancel, sympy.factor, sympy.together):
        try:
            candidates.append(sympy.factor_terms(transform(result)))
        except LimitError:
            raise
        except (sympy.PolynomialError, ValueError, TypeError):  # pragma: no cover
            pass
    return _shortest(candidates, {result: operations})


def _shortest(candidates: list[Expr], known: dict[Expr, int] | None = None) -> Expr:
    """``min(candidates, key=lambda e: (sympy.count_ops(e), len(str(e))))`` — the first
    candidate with the fewest operations, then the shortest text — measuring each distinct
    candidate once (``known``: operation counts already taken) and printing only those whose
    operations tie for the fewest. Equal candidates have equal keys, so the first of them is
    the one ``min`` would return.

    >>> x = sympy.Symbol("x")
    >>> _shortest([x * (x + 1), x**3 + x**2, x**2 + x])  # 2, 3 and 2 operations
    x**2 + x
    """
    distinct = list(dict.fromkeys(candidates))
    counts = dict(known or {})
    operations = [counts[e] if e in counts else sympy.count_ops(e) for e in distinct]
    fewest = min(operations)
    tied = [e for e, n in zip(distinct, operations) if n == fewest]
    return tied[0] if len(tied) == 1 else min(tied, key=lambda e: len(str(e)))


class _Builder:
    """Top-down choice of rules, bottom-up checking: each step is checked once it is built."""

    def __init__(self) -> None:
        self.checks: dict[int, str] = {}

    def checked(self, step: RuleStep) -> RuleStep:
        self.checks[id(step)] = step.check()
        return step

    def derive(self, expr: Expr, x: Symbol) -> RuleStep:
        if x not in expr.free_symbols:
            return self.checked(ConstantRule(expr, x))
        if expr == x:
            return self.checked(VariableRule(expr, x))
        if expr.is_Add:
            terms = tuple(self.derive(t, x) for t in expr.as_ordered_terms())
            return self.checked(SumRule(expr, x, terms))
        if expr.is_Mul:
            return self.product(expr, x)
        if expr.is_Pow:
            return self.power(expr, x)
        if expr.func in (sympy.Max, sympy.Min):
            if len(expr.args) != 2:
                raise DerivcheckError("calculus.extremum_of_two", function=record_of(expr).text)
            first, second = (self.derive(a, x) for a in expr.args)
            return self.checked(ExtremumRule(expr, x, first, second))
        record = record_of(expr)
        if record is not None and record.derivative is not None:
            argument, *rest = expr.args
            parameters = tuple(rest)
            if any(x in p.free_symbols for p in parameters):
                raise DerivcheckError("calculus.variable_parameter", function=record.text)
            if argument == x:
                return self.checked(TableRule(expr, x, record, parameters))
            u = _fresh(expr)
            outer = self.checked(TableRule(expr.func(u, *parameters), u, record, parameters))
            return self.chain(expr, x, u, outer, argument)
        name = getattr(expr.func, "__name__", str(expr.func))
        raise DerivcheckError("calculus.no_derivation_rule", function=name)

    def chain(self, expr: Expr, x: Symbol, u: Symbol, outer: RuleStep, inner: Expr) -> RuleStep:
        inner_step = self.derive(inner, x)
        return self.checked(ChainRule(expr, x, u, outer, inner_step))

    def product(self, expr: Expr, x: Symbol) -> RuleStep:
        constant, rest = expr.as_independent(x, as_Add=False)
        if constant != 1:
            return self.checked(ConstantMultipleRule(expr, x, constant, self.derive(rest, x)))
        factors = sympy.Mul.make_args(rest)
        denominator = [1 / f for f in factors if _is_reciprocal(f)]
        numerator = [f for f in factors if not _is_reciprocal(f)]
        if denominator:
            top = self.derive(sympy.Mul(*numerator), x)
            bottom = self.derive(sympy.Mul(*denominator), x)
            return self.checked(QuotientRule(expr, x, top, bottom))
        return self.checked(ProductRule(expr, x, tuple(self.derive(f, x) for f in factors)))

    def power(self, expr: Expr, x: Symbol) -> RuleStep:
        base, exponent = expr.args
        if x not in exponent.free_symbols:
            if base == x:
                return self.checked(PowerRule(expr, x, exponent))
            u = _fresh(expr)
            outer = self.checked(PowerRule(u**exponent, u, exponent))
            return self.chain(expr, x, u, outer, base)
        if x not in base.free_symbols:
            if exponent == x:
                return self.checked(ExponentialRule(expr, x, base))
            u = _fresh(expr)
            outer = self.checked(ExponentialRule(base**u, u, base))
            return self.chain(expr, x, u, outer, exponent)
        log_form = self.derive(exponent * sympy.log(base), x)
        return self.checked(LogarithmicDifferentiationRule(expr, x, base, exponent, log_form))


def _is_reciprocal(factor: Expr) -> bool:
    return bool(factor.is_Pow and factor.exp.is_number and factor.exp.is_negative)


def _fresh(expr: Expr) -> Symbol:
    """The substitution variable: u, unless the expression already uses that name (then
    v, w, t, s, z, u1, u2, ...)."""
    taken = {s.name for s in expr.free_symbols}
    names = itertools.chain(("u", "v", "w", "t", "s", "z"), (f"u{k}" for k in itertools.count(1)))
    return sympy.Symbol(next(n for n in names if n not in taken), real=True)
