"""The chain-rule graph: a formula or program as intermediate variables in evaluation order.

Each :class:`Step` keeps its definition and its local derivatives side by side
(as in micrograd's ``engine.py``); the derivative is assembled by one walk over
the steps: forward (tangents) for one variable, reverse (adjoints, backprop)
for several.

>>> from derivcheck import parse
>>> from derivcheck.reading.parser import symbol
>>> graph = build_graph(parse("sin(exp(x^2))"))
>>> [f"{s.name} = {s.definition}" for s in graph.steps]
['u1 = x**2', 'u2 = exp(u1)', 'y = sin(u2)']
>>> x = symbol("x")
>>> graph.derivative(x)
2*x*exp(x**2)*cos(exp(x**2))
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import mpmath
import sympy
from mpmath.libmp import prec_to_dps
from sympy import Expr, Symbol

from derivcheck.calculus.catalogue import record_of
from derivcheck.calculus.domain import affordable_point, break_sites, exact_value, substituted
from derivcheck.calculus.precise import (
    MAX_DIGITS,
    BeyondFloat,
    approximate,
    decimal_digits,
    digits_for,
    precise,
    precise_all,
)
from derivcheck.calculus.roots import real_form
from derivcheck.calculus.rules import (
    CompositeRule,
    ConstantMultipleRule,
    ConstantRule,
    ExponentialRule,
    ExtremumRule,
    FunctionRule,
    GeneralPowerRule,
    IdentityRule,
    LocalRule,
    PowerRule,
    ProductRule,
    QuotientRule,
    SumRule,
)
from derivcheck.calculus.verify import written_out
from derivcheck.errors import DerivcheckError, EvaluationError
from derivcheck.reading.parser import Program, symbol

__all__ = [
    "Step",
    "Graph",
    "Kink",
    "ForwardLine",
    "BackwardLine",
    "build_graph",
    "graph_from_program",
    "accumulate_forward",
    "accumulate_reverse",
    "program_partials",
    "evaluate_exact",
    "value_at",
    "exact_number",
    "to_float",
]


@dataclass(frozen=True)
class Step:
    """One intermediate variable: ``name = definition``, with its local derivatives.

    ``local_derivatives`` maps each input or earlier name used by the definition
    to ∂definition/∂name; ``rule`` names the rule that produced them, and
    ``derivation`` is that rule as an object whose ``verify()`` re-checks it.
    ``value`` and ``local_values`` are floats at the point (``None`` before
    :meth:`Graph.at`).
    """

    name: Symbol
    definition: Expr
    local_derivatives: Mapping[Symbol, Expr]
    rule: str
    derivation: LocalRule = field(repr=False, compare=False)
    user_named: bool = False
    value: float | None = None
    local_values: Mapping[Symbol, float] | None = None
    #: the same numbers as SymPy numbers: exact rationals where possible, else 30-digit floats
    exact_value: Expr | None = field(default=None, repr=False, compare=False)
    exact_local_values: Mapping[Symbol, Expr] | None = field(
        default=None, repr=False, compare=False
    )
    #: how the rule was proved when the graph was built: "exact" (SymPy showed the local
    #: derivatives equal the reference) or "numeric" (equal to 25 digits at sample points)
    check: str = field(default="exact", repr=False, compare=False)

    @property
    def arguments(self) -> tuple[Symbol, ...]:
        return tuple(self.local_derivatives)

    def verify(self) -> bool:
        """True when the rule's local derivatives equal the reference (see LocalRule.check)."""
        return self.derivation.verify()


@dataclass(frozen=True)
class Kink:
    """A step whose non-smooth function (relu, abs, max, sign, floor, …) is at a break here."""

    step: Symbol
    function: str  # the catalogue key: relu, abs, max, min, sign, floor, hardtanh, …
    argument: Expr  # in terms of inputs and step names
    argument_value: float  # where the break is: the argument's value there (0 for relu)
    kind: str = "kink"  # or "jump" (sign, floor, …)
    #: the local derivative the chain rule used there (a convention: relu'(0) = 0,
    #: leaky_relu'(0) = 0.01), when the step has one argument
    convention: float | None = None


@dataclass(frozen=True)
class ForwardLine:
    """d(node)/d(wrt) = Σ ∂node/∂arg · d(arg)/d(wrt), with the numbers (forward accumulation)."""

    node: Symbol
    terms: tuple[
        tuple[Symbol, Expr, float | None, float | None], ...
    ]  # arg, local, local value, tangent
    value: float | None


@dataclass(frozen=True)
class BackwardLine:
    """d(out)/d(node) = Σ d(out)/d(consumer) · ∂consumer/∂node (reverse accumulation, backprop)."""

    node: Symbol
    terms: tuple[
        tuple[Symbol, float | None, Expr, float | None], ...
    ]  # consumer, adjoint, local, value
    value: float | None
    is_input: bool


@dataclass(frozen=True)
class Graph:
    """Steps in evaluation order; ``inputs`` are the free names, ``output`` the last step."""

    inputs: tuple[Symbol, ...]
    steps: tuple[Step, ...]
    expression: Expr
    point: Mapping[Symbol, Expr] | None = None

    @property
    def output(self) -> Symbol:
        return self.steps[-1].name

    def step(self, name: Symbol | str) -> Step:
        key = name if isinstance(name, Symbol) else symbol(name)
        for s in self.steps:
            if s.name == key:
                return s
        raise KeyError(name)

    def undefined_from(self, name: Symbol) -> Graph:
        """The same graph with step ``name`` and every step that depends on it without a
        value (nan): the domain analysis found ``name`` outside its function's domain where
        its float, rounded onto an edge, had one (arcsec(1 - 6.1e-9149) is no real number,
        though arcsec(1.0) = 0: differential case 2026:16193)."""
        dead = {name}
        steps = []
        for s in self.steps:
            if s.name in dead or s.definition.free_symbols & dead:
                dead.add(s.name)
                s = replace(s, value=math.nan, exact_value=sympy.nan)
            steps.append(s)
        return replace(self, steps=tuple(steps))

    @property
    def full_definitions(self) -> dict[Symbol, Expr]:
        """Each step name -> its expression in the inputs only."""
        env: dict[Symbol, Expr] = {}
        for s in self.steps:
            env[s.name] = s.definition.xreplace(env)
        return env

    def is_chain(self, wrt: Symbol) -> bool:
        """True when each step uses exactly one varying thing: a pure chain x -> u1 -> u2 -> y."""
        varying = {wrt}
        previous = wrt
        for s in self.steps:
            used = [a for a in s.arguments if a in varying]
            if len(used) != 1 or used[0] != previous:
                return False
            varying.add(s.name)
            previous = s.name
        return True

    # ---- symbolic accumulation ----
    def tangents(self, wrt: Symbol) -> dict[Symbol, Expr]:
        """Forward accumulation: d(node)/d(wrt) for every node, in terms of step names."""
        return accumulate_forward(self, wrt)

    def adjoints(self) -> dict[Symbol, Expr]:
        """Reverse accumulation: d(output)/d(node) for every node, in terms of step names."""
        return accumulate_reverse(self)

    def derivative(self, wrt: Symbol) -> Expr:
        """d(output)/d(wrt) in the inputs, assembled by the chain rule over the graph."""
        return self.tangents(wrt)[self.output].xreplace(self.full_definitions)

    def gradient(self, wrt: Iterable[Symbol] | None = None) -> dict[Symbol, Expr]:
        """d(output)/d(v) for each v (default: every input), by one reverse sweep."""
        adjoint = self.adjoints()
        full = self.full_definitions
        names = tuple(self.inputs if wrt is None else wrt)
        return {v: adjoint.get(v, sympy.S.Zero).xreplace(full) for v in names}

    # ---- values at a point ----
    def at(self, point: Mapping[Symbol, Expr]) -> Graph:
        """The same graph with ``value`` and ``local_values`` filled in at ``point``."""
        missing = [str(x) for x in self.inputs if x not in point]
        if missing:
            raise EvaluationError("calculus.missing_value", names=", ".join(missing))
        env: dict[Symbol, Expr] = {x: point[x] for x in self.inputs}
        rough: dict[Symbol, Any] = {x: approximate(point[x]) for x in self.inputs}
        steps = []
        for s in self.steps:
            exact = value_at(s.definition, env, rough)
            env[s.name] = exact
            rough[s.name] = approximate(exact) if exact.is_number else None
            exact_locals = {a: value_at(d, env, rough) for a, d in s.local_derivatives.items()}
            steps.append(
                replace(
                    s,
                    value=to_float(exact),
                    exact_value=exact,
                    local_values=MappingProxyType(
                        {a: to_float(v) for a, v in exact_locals.items()}
                    ),
                    exact_local_values=MappingProxyType(exact_locals),
                )
            )
        steps = _from_the_inputs(self, steps, point)
        return replace(self, steps=tuple(steps), point=MappingProxyType(dict(point)))

    def values(self) -> dict[Symbol, float]:
        """Every input and step value at the point (after :meth:`at`)."""
        self._require_point()
        result = {x: to_float(self.point[x]) for x in self.inputs}  # type: ignore[index]
        result.update({s.name: s.value for s in self.steps})  # type: ignore[misc]
        return result

    def forward_lines(self, wrt: Symbol) -> list[ForwardLine]:
        """Forward accumulation with numbers: one line per step (after :meth:`at`)."""
        self._require_point()
        lines: list[ForwardLine] = []

        def record(step: Step, terms: list[tuple[Symbol, Expr, Expr]], total: Expr) -> None:
            shown = tuple(
                (arg, step.local_derivatives[arg], to_float(local), to_float(t))
                for arg, local, t in terms
                if t != 0
            )
            lines.append(ForwardLine(step.name, shown, to_float(total)))

        accumulate_forward(self, wrt, local=_exact_local, normalize=exact_number, record=record)
        return lines

    def backward_lines(self, wrt: Iterable[Symbol] | None = None) -> list[BackwardLine]:
        """Backprop with numbers, in the order the chapter prints it (after :meth:`at`).

        After each step's adjoint is known, the inputs it uses are printed first
        (in the order they appear in its definition), then the steps it uses.
        """
        self._require_point()
        wanted = set(self.inputs if wrt is None else wrt)
        step_names = {s.name for s in self.steps}
        lines: list[BackwardLine] = []

        def record(node: Symbol, terms: list[tuple[Step, Expr, Expr]], total: Expr) -> None:
            if node in step_names or node in wanted:
                shown = tuple(
                    (c.name, to_float(a), c.local_derivatives[node], to_float(local))
                    for c, a, local in terms
                )
                lines.append(BackwardLine(node, shown, to_float(total), node not in step_names))

        accumulate_reverse(self, local=_exact_local, normalize=exact_number, record=record)
        return lines

    def kinks(self, functions: Iterable[str] = ()) -> list[Kink]:
        """Steps whose non-smooth function (catalogue breaks) sits on a break at the point.

        ``functions``: catalogue keys known to be at a break although not exactly (a float
        point within float resolution of it); their first site counts as on it.
        """
        self._require_point()
        env: dict[Symbol, Expr] = {x: self.point[x] for x in self.inputs}  # type: ignore[index]
        loose = set(functions)
        found = []
        for s in self.steps:
            for site in break_sites(s.definition):
                exact = site.at(env)
                if exact or site.record.key in loose:
                    loose.discard(site.record.key)
                    value = exact_value(site.argument, env)
                    where = _break_location(site, value) if value is not None else 0.0
                    local = dict(s.local_values or {})
                    # the convention used on the break; a float point beside it (within
                    # resolution) used one side's value, which is no convention
                    used = next(iter(local.values())) if exact and len(local) == 1 else None
                    found.append(
                        Kink(s.name, site.record.key, site.argument, where, site.brk.kind, used)
                    )
            env[s.name] = s.exact_value  # type: ignore[assignment]
        return found

    def _require_point(self) -> None:
        if self.point is None:
            raise EvaluationError("calculus.no_point")


def _break_location(site, value: Expr) -> float:
    """The break of ``site`` nearest to its argument's value (0 for relu, ±1 for hardtanh)."""
    number = float(value.evalf(30))
    if site.brk.points == "integers":
        return float(round(number))
    if site.brk.points == "ties":
        return 0.0
    return min((float(p) for p in site.brk.points), key=lambda p: abs(p - number))


def _inexact(value: Expr | None) -> bool:
    return isinstance(value, Expr) and value.has(sympy.Float)


def _from_the_inputs(graph: Graph, steps: list[Step], point: Mapping[Symbol, Expr]) -> list[Step]:
    """The steps whose values are floats (a power too large for exact arithmetic upstream),
    their values and local derivatives each evaluated again from the exact point, as one
    expression in the inputs (:func:`~derivcheck.calculus.precise.precise_all`, adding
    digits until nothing moves): a float step computed from float steps inherits their
    rounding, and cos(u6) with u6 = 1.8·10¹⁹³ to 25 digits was 0.723 where it is 0.781
    (differential case 2026:66491). A value that is no real number from the exact point is
    nan (its float came from rounding); values precise cannot evaluate stay as they were."""
    wanted: list[tuple[int, Symbol | None]] = []
    full = graph.full_definitions
    expressions = []
    for n, s in enumerate(steps):
        if _inexact(s.exact_value):
            wanted.append((n, None))
            expressions.append(full[s.name])
        for a, v in s.exact_local_values.items():
            if _inexact(v):
                wanted.append((n, a))
                expressions.append(s.local_derivatives[a].xreplace(full))
    if not wanted:
        return steps
    exact_point = {x: point[x] for x in graph.inputs}
    if any(not v.is_number or v.has(sympy.I) for v in exact_point.values()):
        return steps
    floats = [f for s in steps for v in (s.exact_value, *s.exact_local_values.values())
              if _inexact(v) for f in v.atoms(sympy.Float)]  # fmt: skip
    digits = max([50] + [prec_to_dps(f._prec) for f in floats])
    try:
        numbers = precise_all([real_form(e) for e in expressions], digits, env=exact_point)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return steps
    steps = list(steps)
    for (n, local), number in zip(wanted, numbers):
        if number is None:  # no real value from the exact point: ln of a u5 that is 0 there
            exact = sympy.nan  # (its float, from the rounding of 10^1349 - 10^1349, was
            # 10^1287, and ln of it 2964.19: differential case 2026:85262)
        else:
            exact = sympy.S.Zero if number == 0 else sympy.Float(number, digits)
        s = steps[n]
        if local is None:
            steps[n] = replace(s, value=to_float(exact), exact_value=exact)
        else:
            exact_locals = {**s.exact_local_values, local: exact}
            local_values = {**s.local_values, local: to_float(exact)}
            steps[n] = replace(
                s,
                exact_local_values=MappingProxyType(exact_locals),
                local_values=MappingProxyType(local_values),
            )
    return steps


def value_at(
    expression: Expr, env: Mapping[Symbol, Expr], rough: Mapping[Symbol, Any] | None = None
) -> Expr:
    """``expression`` at the point ``env``: exact where that is affordable, else 50 digits.

    Its size is estimated first, at 20 digits (``rough``: the same point as mpmath numbers):
    a value of unbounded size is refused (LimitError) before SymPy starts on it, and one of
    more than :data:`~derivcheck.calculus.precise.MAX_DIGITS` digits (huge or tiny) is kept as
    a 50-digit float, where an exact rational would take millions of digits.
    """
    if rough is None:
        rough = {s: approximate(v) for s, v in env.items() if v is not None and v.is_number}
    estimate = approximate(expression, {s: v for s, v in rough.items() if v is not None}, 20)
    if estimate is None:  # undefined at 20 digits, or only rounded onto a pole or an edge:
        exact = exact_number(evaluate_exact(expression, env))  # acos′(10^(-1e-88)) is finite
        number = to_float(exact) if exact.is_number else math.nan
        return exact if math.isfinite(number) or isinstance(number, BeyondFloat) else sympy.nan
    if isinstance(estimate, mpmath.mpc) and estimate.imag != 0:
        # not a real number here, unless rounding pushed an argument that is exactly on an
        # edge off it: arcsin(u5) with u5 = cosh(log10(0.03)) - cosh(2 - log10 3) + 1 = 1 at
        # 20 digits is arcsin(1 + 1e-20), and arcsin(1) = π/2 (differential case 2026:133571)
        exact = {k: v for k, v in env.items() if v is not None and v.is_number}
        if expression.free_symbols <= set(exact):
            confirmed = _precise_value(expression, exact, 30)
            if confirmed is not None:
                return confirmed
        return sympy.nan  # no exact value to keep (nor to grow)
    if mpmath.isfinite(estimate) and estimate != 0 and abs(mpmath.mag(estimate)) > _HUGE_BITS:
        # beyond 10^±4000: an exact rational of millions of digits ((1/2)^1855140) costs
        # seconds in every later step; 50 significant digits keep the value
        with mpmath.workdps(50):
            careful = approximate(expression, dict(rough), 50)
        if not isinstance(careful, mpmath.mpf):  # no real value at 50 digits (2026:18310)
            return sympy.nan
        return sympy.Float(careful, 50)
    from_floats = _from_exact_inputs(expression, env)
    if from_floats is not None:
        return from_floats
    exact = exact_number(evaluate_exact(expression, env))
    if exact.is_Float and expression.is_Add and _below_the_floats(expression, exact, rough):
        exact = _with_exact_inputs(expression, env, exact)
    exact = _jump_decided(expression, env, _confirmed(exact, estimate, expression, env))
    return _exactly_whole(exact, estimate)


def _jump_decided(expression: Expr, env: Mapping[Symbol, Expr], exact: Expr) -> Expr:
    """A jump function's value (floor, ceil, sign, H: the catalogue's ``exact_values``)
    as :func:`~derivcheck.calculus.precise.precise` finds it, adding digits while its
    argument is within the working precision of a jump: SymPy's own ceiling of sec(9.8e-60)
    = 1 + 4.8e-119 is 1; it is 2 (differential case 2026:69483)."""
    record = record_of(expression) if isinstance(expression, sympy.Function) else None
    if record is None or not record.exact_values or not exact.is_Rational:
        return exact
    values = {s: env.get(s) for s in expression.free_symbols}
    if any(v is None or not v.is_number for v in values.values()):
        return exact
    if expression.args[0].xreplace(values).is_Rational:  # SymPy is exact on fractions (and
        return exact  # 20 digits are not: ceil(401^20) is no 20-digit number, case 115296)
    digits = decimal_digits(exact.p) + 10  # every digit of the whole number
    try:
        number = precise(expression, digits, env=values)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return exact
    if number is None:
        return exact
    with mpmath.workdps(digits):
        found = sympy.Rational(int(mpmath.nint(number * 2)), 2)  # whole, or H(0) = 1/2
    return exact if found == exact else found


def _exactly_whole(exact: Expr, estimate: Any) -> Expr:
    """A number made of logarithms of positive numbers (and rationals) that expanding its
    logarithms shows equal to the whole number it is within 10^-100 of, as that number:
    log2(x - 1/5) - log2(3/4 - 1/5) + 1 at 3/4 is ln(11/20)/ln 2 + 3 - ln(11/5)/ln 2,
    exactly 1, and arcosh of it is 0, not undefined (differential case 2026:71585); digits
    alone never tell 1 from 1 - 10^-5000. Only these identities (ln(ab) = ln a + ln b for
    a, b > 0), never ``simplify``: gelu(1000) is 1000 - 10^-217000, and simplify took its
    erf to the 10 s limit (case 2026:101351)."""
    if exact.is_Rational or not exact.is_number or not isinstance(estimate, mpmath.mpf):
        return exact
    functions = exact.atoms(sympy.Function)
    if not functions or any(
        f.func is not sympy.log or len(f.args) != 1 or f.args[0].is_positive is not True
        for f in functions
    ):
        return exact
    if any(_long_rational(r) for f in functions for r in f.args[0].atoms(sympy.Rational)):
        return exact  # SymPy's expand_log factors them: ln(3 - 8.27533e-71), a fraction of
        # 75 digits, ran 10 s in its ECM factoring (differential case 2026:133856)
    whole = mpmath.nint(estimate)
    if (
        not whole
        or abs(estimate - whole) > mpmath.mpf(10) ** -15 * abs(whole)
        or abs(whole) > 10**6
        or sympy.count_ops(exact) > _EXPAND_OPS
    ):
        return exact  # far from a whole number, by the 20-digit estimate (0: precise decides)
    candidate = sympy.Integer(int(whole))
    try:
        difference = sympy.expand(_logs_of_primes(sympy.expand_log(exact - candidate, force=True)))
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return exact
    return candidate if difference == 0 else exact


def _long_rational(r: Expr) -> bool:
    """True for a rational whose numerator or denominator has more than 30 digits."""
    return max(decimal_digits(r.p), decimal_digits(r.q)) > 30


def _logs_of_primes(value: Expr) -> Expr:
    """Each ln of a positive rational of at most 30 digits as the sum over its primes:
    ln 20 = 2 ln 2 + ln 5 (so that equal sums of logarithms cancel when expanded)."""

    def by_primes(node: Expr) -> Expr:
        r = node.args[0]
        if _long_rational(r):
            return node
        factors = {**sympy.factorint(int(r.p))}
        for prime, power in sympy.factorint(int(r.q)).items():
            factors[prime] = factors.get(prime, 0) - power
        return sympy.Add(*(k * sympy.log(sympy.Integer(q)) for q, k in factors.items() if q > 1))

    return value.replace(
        lambda n: (
            n.func is sympy.log and len(n.args) == 1 and n.args[0].is_Rational and n.args[0] > 0
        ),
        by_primes,
    )


_EXPAND_OPS = 40  # largest value whose logarithms are expanded to show it whole


def _from_exact_inputs(expression: Expr, env: Mapping[Symbol, Expr]) -> Expr | None:
    """Where exact arithmetic would explode and :func:`evaluate_exact` would put in 30-digit
    floats (:func:`~derivcheck.calculus.domain.affordable_point`), the value from the exact
    inputs by :func:`~derivcheck.calculus.precise.precise`, which adds digits until it stops
    moving: SymPy's arithmetic on those floats keeps no account of the digits it loses (cos
    of a 10¹⁹³ that came out of a sum cancelling 5 digits was -0.914, and is 0.781:
    differential case 2026:66491). A float of as many digits as those floats had (at least
    50); None where the floats are not needed or precise cannot say (the caller goes on)."""
    needed = affordable_point(expression, env)
    used = [v for v in needed.values() if v.is_Float]
    if not used:
        return None
    exact = {s: env[s] for s in needed}
    if any(not v.is_number or v.has(sympy.I) or v.is_finite is not True for v in exact.values()):
        return None
    digits = max([50] + [prec_to_dps(v._prec) for v in used])
    return _precise_value(expression, exact, digits)


def _precise_value(expression: Expr, values: Mapping[Symbol, Expr], digits: int) -> Expr | None:
    """``expression`` at ``values`` (SymPy numbers, put in as they are) by
    :func:`~derivcheck.calculus.precise.precise`, as a float of ``digits`` digits; None where
    precise cannot say. A 0 from exact values is 0; from float values (a step's value to 60
    digits: σ(216.56) = 1 - 8.9e-95 is 1.000…) it is a float, so that ln of it is evaluated
    again from the point: -3.87e-95 (differential case 2026:71238)."""
    try:
        number = precise(real_form(expression), digits, env=values)
    except (TypeError, ArithmeticError, ValueError):
        return None
    if number is None:
        return None
    if number == 0 and not any(v.is_Float for v in values.values()):
        return sympy.S.Zero
    return sympy.Float(0 if number == 0 else number, digits)  # Float(mpf(0)) is SymPy's 0


def _below_the_floats(expression: Expr, exact: Expr, rough: Mapping[Symbol, Any]) -> bool:
    """True when a sum, evaluated from 30-digit floats of its inputs (evaluate_exact: a
    power with a large exponent), came out smaller than its largest term by more than those
    digits: what is left is their rounding (3^(-sinh 9) - 1/3^(sinh 9) is 0, and was
    5.6e-1965 beside terms of 8.4e-1934: differential case 2026:38280)."""
    terms = [approximate(t, {k: v for k, v in rough.items() if v is not None}, 20)
             for t in expression.args]  # fmt: skip
    sizes = [abs(t) for t in terms if isinstance(t, mpmath.mpf) and mpmath.isfinite(t)]
    return bool(sizes) and abs(mpmath.mpf(exact)) < mpmath.mpf(10) ** -25 * max(sizes)


def _with_exact_inputs(expression: Expr, env: Mapping[Symbol, Expr], fallback: Expr) -> Expr:
    """The sum from its exact inputs (by :func:`~derivcheck.calculus.precise.precise`,
    which adds digits while terms cancel and takes a sum that still cancels at
    MAX_DIGITS as 0); ``fallback`` where that cannot be had."""
    values = {s: env.get(s) for s in expression.free_symbols}
    if any(v is None or not v.is_number for v in values.values()):
        return fallback
    found = _precise_value(expression, values, 30)
    return fallback if found is None else found


def _confirmed(exact: Expr, estimate: Any, expression: Expr, env: Mapping[Symbol, Expr]) -> Expr:
    """``exact``, unless mpmath says otherwise at two precisions: SymPy's own simplification
    can be wrong (atan(artanh(2999999999999399/3·10^15)) is 0 for SymPy 1.14, whose
    assumptions find artanh of a number near 1 zero; the value is -1.504; differential
    case 2026:10141; sech(arcsec(1 + 10^-11))² is 1 for it, 1 - 2·10^-11 in truth: case
    2026:11930). Only where the 20-digit estimate disagrees beyond 10^-12 is the step
    evaluated again from its exact inputs, at the digits they need
    (:func:`~derivcheck.calculus.precise.digits_for`) and at twice as many: when those two
    agree with each other and not with ``exact``, their 50-digit value is kept instead."""
    if not exact.is_number or not isinstance(estimate, mpmath.mpf):
        return exact
    number = approximate(exact, None, 30)
    if isinstance(number, mpmath.mpc) and abs(number.imag) <= 10**-25 * abs(number.real):
        # real, written with I: 1/√(-artanh(erf(csc 6))) is -I/√artanh(erf(csc 6)) for SymPy
        # 1.14, whose assumptions find artanh(erf(csc 6)) ≥ 0 (it is -7.69): the value came
        # out -0.36, and is 0.36 (differential case 2026:16752)
        number = number.real
    if not isinstance(number, mpmath.mpf) or _close(number, estimate, 10**-12):
        return exact
    values = {s: env.get(s) for s in expression.free_symbols}
    if any(v is None or not v.is_number for v in values.values()):
        return exact
    digits = max([60] + [digits_for(v, 60) for v in values.values()])
    if digits > _CONFIRM_DIGITS:  # bounded work: a long fraction's point keeps its exact
        return exact  # value (leaky_relu(erf(…) - erf(…)) at -3999997/1500000 took 10 s)
    careful = []
    for working in (digits, 2 * digits):
        with mpmath.workdps(working):
            inputs = {s: approximate(v, None, working) for s, v in values.items()}
            if any(v is None for v in inputs.values()):
                return exact
            careful.append(approximate(expression, inputs, working))
    first, second = careful
    if not (isinstance(first, mpmath.mpf) and isinstance(second, mpmath.mpf)) or not first:
        return exact
    if not _close(first, second, 10**-20) or _close(number, first, 10**-12):
        return exact
    return sympy.Float(first, 50)


#: Most digits an exact value is confirmed at (see :func:`_confirmed`).
_CONFIRM_DIGITS = 400


def _close(a: Any, b: Any, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


_HUGE_BITS = int(MAX_DIGITS * 3.33)  # values with more digits than this are kept as floats


def evaluate_exact(expression: Expr, env: Mapping[Symbol, Expr]) -> Expr:
    """The exact value where cheap; 30-digit floats where exact numbers would explode
    (a power with an exponent above 64, a point that is already a float, or a point with a
    long denominator under a variable exponent).

    A sub-expression that SymPy cannot evaluate at all (max of a number that is not real)
    is ``nan``: the domain analysis then says why.
    """
    needed = affordable_point(expression, env)
    try:
        return substituted(real_form(expression), needed)
    except (ValueError, TypeError, AttributeError):  # SymPy: "not comparable", complex parts
        return sympy.nan


def exact_number(value: Expr) -> Expr:
    """Keep exact values (1/10, √2/2, e^(1/4), σ(400)) unless they grow large; those become
    50-digit floats, evaluated with SymPy's precision tracking (see :func:`to_float`)."""
    if value.is_Rational or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return value
    if value.is_number and not value.atoms(sympy.Float) and sympy.count_ops(value) <= _EXACT_OPS:
        return value
    # as many digits as the floats in it carry (460 at x = -1e-100): (1/2)^x there is
    # 1 + 6.9e-101, which 50 digits round to 1, and acosh of it to 0
    floats = [f._prec for f in value.atoms(sympy.Float)]
    digits = max([50] + [prec_to_dps(b) for b in floats])
    try:
        number = precise(value, digits)
    except TypeError:  # an operation the mpmath evaluator does not know: SymPy's evalf
        number = written_out(value).evalf(digits, maxn=_MAX_DIGITS_OF_WORK)
        return number if number.is_number else value
    return sympy.nan if number is None else sympy.Float(number, digits)


_EXACT_OPS = 200  # operations an exact value may have before it is rounded to 50 digits
#: Working precision (digits) SymPy may reach while evaluating a value whose terms cancel:
#: σ(400)·(1 − σ(400)) needs about 180 digits to give 1.9e-174 instead of 0.
_MAX_DIGITS_OF_WORK = 2000


def to_float(value: Expr) -> float:
    """A SymPy number as a float, correct to the last digit even where its terms cancel:
    nan when not real or undefined, ±inf beyond float range.

    Evaluated by SymPy's ``evalf``, which tracks the accuracy of every operation and works
    at higher precision where terms cancel; derivcheck's own functions are written out in
    SymPy's (σ(u) = 1/(1 + e^(−u))) so that the tracking sees inside them.
    """
    if value is None:
        return float("nan")
    if value.has(sympy.zoo, sympy.nan):
        return float("nan")
    if value in (sympy.oo, -sympy.oo):
        return float(value)
    try:
        number = precise(value, 20)
    except TypeError:  # an operation the mpmath evaluator does not know: SymPy's evalf
        return _float_by_sympy(value)
    if number is None:
        return float("nan")
    if mpmath.mag(number) > 1025:  # beyond float range: ±inf that remembers its value
        return BeyondFloat(math.copysign(math.inf, float(mpmath.sign(number))), number)
    if number != 0 and mpmath.mag(number) < -1074:  # below the smallest float
        return BeyondFloat(math.copysign(0.0, float(mpmath.sign(number))), number)
    return float(number)


def _float_by_sympy(value: Expr) -> float:
    evaluated = None
    try:
        evaluated = written_out(value).evalf(20, maxn=_MAX_DIGITS_OF_WORK)
        number = complex(evaluated)
    except OverflowError:  # finite but beyond float range: keep its sign
        real = evaluated.as_real_imag()[0] if evaluated is not None else value
        return math.copysign(math.inf, float(sympy.sign(real)))
    except (TypeError, ValueError, AttributeError, ZeroDivisionError):
        return float("nan")
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        return float("nan")
    return number.real


# --------------------------------------------------------------------------------------
# Building graphs
# --------------------------------------------------------------------------------------


def _is_leaf(node: Expr) -> bool:
    return isinstance(node, Symbol) or not node.free_symbols


class _Builder:
    """Post-order walk: every operation becomes a step; identical sub-trees share one step."""

    def __init__(self, inputs: tuple[Symbol, ...]):
        self.inputs = inputs
        self.memo: dict[Expr, Symbol] = {}
        self.steps: list[tuple[Symbol, Expr, LocalRule]] = []
        taken = {str(x) for x in inputs}
        self.names = (symbol(name) for name in _fresh_names(taken))

    def visit(self, node: Expr) -> Expr:
        if _is_leaf(node):
            return node
        if node in self.memo:
            return self.memo[node]
        rule = self.rule_for(node)
        name = next(self.names)
        self.steps.append((name, rule.definition, rule))
        self.memo[node] = name
        return name

    def rule_for(self, node: Expr) -> LocalRule:
        if node.is_Add:
            constant = sympy.Add(*(t for t in node.args if not t.free_symbols))
            terms: dict[Symbol, Expr] = {}
            for term in node.args:
                if not term.free_symbols:
                    continue
                coefficient, rest = term.as_independent(*term.free_symbols, as_Add=False)
                reference = self.visit(rest)
                terms[reference] = terms.get(reference, 0) + coefficient
            return SumRule(tuple(terms.items()), constant)
        if node.is_Mul:
            return self.product_rule(node)
        if node.is_Pow:
            base, exponent = node.args
            if not exponent.free_symbols:
                return PowerRule(self.visit(base), exponent)
            if not base.free_symbols:
                return ExponentialRule(base, self.visit(exponent))
            return GeneralPowerRule(self.visit(base), self.visit(exponent))
        if node.func in (sympy.Max, sympy.Min):
            return ExtremumRule(node.func, tuple(self.visit(a) for a in node.args))
        record = record_of(node)
        if record is not None and record.derivative is not None:
            argument, *parameters = node.args
            if any(p.free_symbols for p in parameters):
                raise EvaluationError("calculus.variable_parameter", function=record.text)
            return FunctionRule(node.func, self.visit(argument), tuple(parameters))
        raise EvaluationError("calculus.no_rule", function=getattr(node.func, "__name__", "?"))

    def product_rule(self, node: Expr) -> LocalRule:
        coefficient, rest = node.as_independent(*node.free_symbols, as_Add=False)
        factors = list(sympy.Mul.make_args(rest))
        numerator = [f for f in factors if not _is_reciprocal(f)]
        denominator = [1 / f for f in factors if _is_reciprocal(f)]
        if denominator:
            den = self.visit(sympy.Mul(*denominator))
            num = self.visit(sympy.Mul(*numerator)) if numerator else sympy.S.One
            return QuotientRule(num, den, coefficient)
        if len(factors) == 1:
            return ConstantMultipleRule(coefficient, self.visit(factors[0]))
        return ProductRule(tuple(self.visit(f) for f in factors), coefficient)


def _is_reciprocal(factor: Expr) -> bool:
    return bool(factor.is_Pow and factor.exp.is_number and factor.exp.is_negative)


def _fresh_names(taken: set[str]) -> Iterator[str]:
    """u1, u2, … — or v1, w1, t1, s1 when the inputs use u1-style names already; when they
    use all of those, the next free names of the u-series (never a name that is taken)."""
    for prefix in ("u", "v", "w", "t", "s"):
        if not any(n.startswith(prefix) and n[len(prefix) :].isdigit() for n in taken):
            yield from (f"{prefix}{k}" for k in itertools.count(1))
    yield from (f"u{k}" for k in itertools.count(1) if f"u{k}" not in taken)


def _output_name(inputs: Iterable[Symbol]) -> Symbol:
    taken = {str(x) for x in inputs}
    fallback = (f"y{k}" for k in itertools.count(1))
    return symbol(
        next(n for n in itertools.chain(("y", "f", "out", "result"), fallback) if n not in taken)
    )


def build_graph(
    expression: Expr | Program, inputs: Iterable[Symbol] | None = None, *, checked: bool = True
) -> Graph:
    """Decompose a SymPy expression (or a :class:`Program`) into a chain-rule graph.

    Intermediate variables are named ``u1, u2, ...`` (``u`` when there is only
    one) and the output ``y``; a program keeps the user's names. Each step's rule is
    checked against the reference as it is built (``Step.check``); ``checked=False``
    skips that (``Step.check`` is then "unchecked"), for a caller that checks the
    result its own way (the grader, at its sample points).
    """
    if isinstance(expression, Program):
        return graph_from_program(expression)
    if not isinstance(expression, sympy.Basic):
        raise DerivcheckError("calculus.not_a_formula", kind=type(expression).__name__)
    input_order = tuple(inputs) if inputs is not None else _ordered_free(expression)
    builder = _Builder(input_order)
    builder.visit(expression)
    output = _output_name(input_order)
    raw = builder.steps
    if not raw:  # the whole expression is one input or a constant
        rule: LocalRule = (
            IdentityRule(expression) if isinstance(expression, Symbol) else ConstantRule(expression)
        )
        raw = [(output, rule.definition, rule)]
    renames = {raw[-1][0]: output}
    if len(raw) == 2:  # one intermediate variable: call it u, as the chapter does
        renames[raw[0][0]] = symbol(str(raw[0][0]).rstrip("0123456789"))
    steps = []
    for name, definition, rule in raw:
        definition = definition.xreplace(renames)
        rule = _rename_rule(rule, renames)
        partials = {a: d for a, d in rule.partials().items()}
        steps.append(
            Step(
                name=renames.get(name, name),
                definition=definition,
                local_derivatives=MappingProxyType(partials),
                rule=rule.name,
                derivation=rule,
                check=rule.check() if checked else "unchecked",
            )
        )
    return Graph(input_order, tuple(steps), expression)


def _rename_rule(rule: LocalRule, renames: dict[Symbol, Symbol]) -> LocalRule:
    if not renames:
        return rule
    changes = {}
    for name, value in vars(rule).items():
        if isinstance(value, sympy.Basic):
            changes[name] = value.xreplace(renames)
        elif isinstance(value, tuple):
            changes[name] = tuple(
                tuple(v.xreplace(renames) if isinstance(v, sympy.Basic) else v for v in item)
                if isinstance(item, tuple)
                else item.xreplace(renames)
                if isinstance(item, sympy.Basic)
                else item
                for item in value
            )
    return replace(rule, **changes)  # type: ignore[type-var]


def graph_from_program(program: Program) -> Graph:
    """One step per assignment, with the user's names; each step's local derivatives come
    from the textbook rules inside it (see :func:`program_partials`), checked as built."""
    if len(program.assignments) == 1:  # "y = formula": explain the formula, name the output y
        name, definition = program.assignments[0]
        graph = build_graph(definition, program.inputs)
        last = graph.steps[-1]
        renamed = replace(last, name=name, user_named=True)
        return replace(graph, steps=(*graph.steps[:-1], renamed))
    steps = []
    for name, definition in program.assignments:
        arguments = program.uses[len(steps)]
        rule = CompositeRule(definition, arguments)
        partials = rule.partials()
        steps.append(
            Step(
                name=name,
                definition=definition,
                local_derivatives=MappingProxyType(partials),
                rule=rule.name,
                derivation=rule,
                user_named=True,
                check=rule.check(),
            )
        )
    return Graph(program.inputs, tuple(steps), program.expression())


def _ordered_free(expression: Expr) -> tuple[Symbol, ...]:
    seen: dict[Symbol, None] = {}
    for node in sympy.preorder_traversal(expression):
        if isinstance(node, Symbol):
            seen.setdefault(node, None)
    return tuple(seen)


def program_partials(expression: Expr, arguments: tuple[Symbol, ...]) -> dict[Symbol, Expr]:
    """∂expression/∂a for each argument a, by the textbook rules of its own graph.

    A program's assignment (``h = relu(z1)``, ``L = (y - target)^2``) is taken apart like a
    formula, and one reverse sweep over that small graph gives every partial derivative.

    >>> from derivcheck.reading.parser import symbol
    >>> w, x, b = symbol("w"), symbol("x"), symbol("b")
    >>> program_partials(w * x + b, (w, x, b))
    {w: x, x: w, b: 1}
    """
    if not expression.free_symbols:
        return {a: sympy.S.Zero for a in arguments}
    graph = build_graph(expression, arguments)
    adjoint = graph.adjoints()
    full = graph.full_definitions
    return {a: adjoint.get(a, sympy.S.Zero).xreplace(full) for a in arguments}


# --------------------------------------------------------------------------------------
# The chain rule: one forward and one reverse accumulator
# --------------------------------------------------------------------------------------

LocalOf = Callable[[Step, Symbol], Expr]


def _symbolic_local(step: Step, arg: Symbol) -> Expr:
    return step.local_derivatives[arg]


def _exact_local(step: Step, arg: Symbol) -> Expr:
    return step.exact_local_values[arg]  # type: ignore[index]


def _unchanged(value: Expr) -> Expr:
    return value


def accumulate_forward(
    graph: Graph,
    wrt: Symbol,
    *,
    local: LocalOf = _symbolic_local,
    inner: Mapping[tuple[Symbol, Symbol], Expr] | None = None,
    whole: Mapping[Symbol, Callable[[dict[Symbol, Expr]], Expr]] | None = None,
    normalize: Callable[[Expr], Expr] = _unchanged,
    record: Callable[[Step, list[tuple[Symbol, Expr, Expr]], Expr], None] | None = None,
) -> dict[Symbol, Expr]:
    """Forward accumulation (tangents): ṅ = Σ ∂n/∂a · ȧ over the steps, in order.

    ``local(step, arg)`` gives ∂step/∂arg (default: the symbolic local derivative; the
    exact values at the point for the numbers of an explanation). ``inner[(step, arg)]``
    replaces the tangent of ``arg`` as ``step`` uses it and ``whole[step]`` computes a
    step's tangent from the others — the grader builds typical mistakes this way.
    ``normalize`` tidies each partial sum (exact numbers stay short); ``record(step,
    terms, total)`` sees each step's (arg, local, tangent) terms.
    """
    inner = inner or {}
    whole = whole or {}
    tangent: dict[Symbol, Expr] = {v: sympy.S.Zero for v in graph.inputs}
    tangent[wrt] = sympy.S.One
    for step in graph.steps:
        if step.name in whole:
            tangent[step.name] = whole[step.name](tangent)
            continue
        terms = [
            (arg, local(step, arg), inner.get((step.name, arg), tangent.get(arg, sympy.S.Zero)))
            for arg in step.local_derivatives
        ]
        total: Expr = sympy.S.Zero
        for _, partial, t in terms:
            if t != 0:
                total = normalize(total + partial * t)
        tangent[step.name] = total
        if record is not None:
            record(step, terms, total)
    return tangent


def accumulate_reverse(
    graph: Graph,
    *,
    local: LocalOf = _symbolic_local,
    normalize: Callable[[Expr], Expr] = _unchanged,
    record: Callable[[Symbol, list[tuple[Step, Expr, Expr]], Expr], None] | None = None,
) -> dict[Symbol, Expr]:
    """Reverse accumulation (adjoints, backprop): n̄ = Σ over consumers c of c̄ · ∂c/∂n.

    Nodes are finished in the order the chapter prints backprop: after each step's adjoint
    is known, the inputs it uses (in the order they appear in its definition), then the
    steps. ``record(node, terms, total)`` sees each node's (consumer, adjoint, local) terms.
    """
    consumers: dict[Symbol, list[Step]] = {}
    for s in graph.steps:
        for arg in s.local_derivatives:
            consumers.setdefault(arg, []).append(s)
    step_names = {s.name for s in graph.steps}
    adjoint: dict[Symbol, Expr] = {graph.output: sympy.S.One}
    done: set[Symbol] = {graph.output}

    def finish(node: Symbol) -> None:
        terms = [(c, adjoint[c.name], local(c, node)) for c in consumers.get(node, [])]
        total: Expr = sympy.S.Zero
        for _, a, partial in terms:
            total = normalize(total + a * partial)
        adjoint[node] = total
        done.add(node)
        if record is not None:
            record(node, terms, total)

    for s in reversed(graph.steps):
        if s.name not in done:
            finish(s.name)
        ready = [
            a for a in s.arguments
            if a not in done and all(c.name in done for c in consumers.get(a, []))
        ]  # fmt: skip
        for arg in sorted(ready, key=lambda a: (a in step_names, s.arguments.index(a))):
            if arg not in step_names:
                finish(arg)
    for x in graph.inputs:  # inputs nothing uses (possible only in odd programs)
        if x not in done:
            finish(x)
    return adjoint
