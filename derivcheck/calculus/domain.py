r"""Where an expression is defined, and where it is not smooth — read from the catalogue.

Every part of derivcheck that asks "is f real here?", "where are the poles?", "where are
the kinks?" asks this module: the explanation's domain reasons, the numeric engine's
barriers (a stencil must not straddle an edge, a pole or a kink), and the grader's sample
points (kept inside the domain and away from kinks).

* :func:`restrictions` — each sub-expression that limits the domain: a catalogue function
  with a restricted domain or poles (ln, arcsin, tan, …), a fractional power (√u needs
  u ≥ 0), a negative power (1/u has a pole at u = 0), a variable base (u^v needs u > 0).
* :func:`break_sites` — each sub-expression that may not be smooth: a catalogue function
  with breaks (|u|, relu, sign, floor, max, …) applied to its argument(s).
* :func:`periodic_arguments` — arguments of trigonometric functions, which floating point
  carries only while they stay moderate.

>>> from derivcheck import parse
>>> [(str(r.argument), r.reason) for r in restrictions(parse("ln(x - 1) + √x + tan(2x)"))]
[('x', 'domain.root'), ('x - 1', 'domain.positive'), ('2*x', 'domain.trig_pole')]
>>> [(s.record.key, str(s.arguments[0])) for s in break_sites(parse("relu(3x - 1) + |x|"))]
[('abs', 'x'), ('relu', '3*x - 1')]
>>> r = restrictions(parse("ln(x - 1)"))[0]
>>> r.violated({parse("x"): 1}), r.violated({parse("x"): 2})
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import sympy
from sympy import Expr, Interval, S, Symbol, oo

from derivcheck.calculus.catalogue import Break, FunctionRecord, is_zero, record_of
from derivcheck.calculus.roots import odd_root, real_form
from derivcheck.errors import DerivcheckError, LimitError
from derivcheck.limits import BudgetSpent, spend_at_most

__all__ = [
    "Restriction",
    "BreakSite",
    "restrictions",
    "break_sites",
    "periodic_arguments",
    "first_violation",
    "hidden_restrictions",
    "exact_value",
    "as_exact",
]


@dataclass(frozen=True)
class Restriction:
    """A sub-expression ``node`` that is real only where ``argument`` lies in ``allowed``
    and is not a zero of ``poles`` (an expression in the same variables).

    ``reason`` is the message key explaining a violation; ``function`` the display name
    (ln, arcsin, √, …) for that message.
    """

    node: Expr
    argument: Expr
    allowed: sympy.Set
    poles: Expr | None
    reason: str
    function: str

    @property
    def edges(self) -> tuple[Expr, ...]:
        """Finite boundary points of ``allowed`` (0 for ln, ±1 for arcsin)."""
        if self.allowed in (S.Reals, S.EmptySet):
            return ()
        return tuple(sorted(p for p in self.allowed.boundary if p.is_finite))

    def barriers(self) -> tuple[Expr, ...]:
        """Expressions whose sign changes exactly where the domain's edge or a pole is."""
        found = tuple(self.argument - edge for edge in self.edges)
        return found + ((self.poles,) if self.poles is not None else ())

    def violated(
        self, env: Mapping[Symbol, Expr], full: Mapping[Symbol, Expr] | None = None
    ) -> bool:
        """True when the exact point ``env`` lies outside (unknown counts as inside).
        ``full``: names in ``env`` (a graph's steps) as expressions in the others (its
        inputs), from which an argument next to an edge is evaluated again (:func:`_contains`).
        """
        if self.allowed is S.EmptySet:
            return True
        value = exact_value(self.argument, env)
        if value is None:
            return False
        argument = self.argument.xreplace(full) if full else self.argument
        inside = _contains(self.allowed, value, self.edges, argument, env)
        if inside is sympy.false:
            return True
        if self.poles is not None:
            pole = exact_value(self.poles, env)
            if pole is not None and is_zero(pole):
                return True
        return False


def _contains(
    allowed: sympy.Set,
    value: Expr,
    edges: tuple[Expr, ...],
    argument: Expr | None = None,
    env: Mapping[Symbol, object] | None = None,
) -> Any:
    """Whether the exact number ``value`` lies in ``allowed``. Away from the edges its
    30-digit value decides (SymPy decided sec(4575175/2) ≥ 0 at 2 digits, wrongly: the
    argument needs reducing by 2π with seven more; differential case 2026:4976). Next to
    an edge, the sign of ``argument`` − edge at the exact point ``env`` (by precise, which
    keeps what cancels) decides, where it can be had: ``value`` may come from a 60-digit
    float of the point, at which erf(A(x)) − erf(A(e/2)) + 1 is 1.0 where it is
    1 − 6e-9149, outside arcsec's domain (differential case 2026:16193). On the edge, or
    where neither decides, SymPy's exact comparison does."""
    from derivcheck.calculus.precise import precise

    try:
        number = precise(value, 30) if value.is_number else None
    except (TypeError, LimitError):
        number = None
    near = [e for e in edges if number is None or _near(number, e)]
    if number is not None and not near:
        return allowed.contains(sympy.Float(number, 30))
    if argument is not None and env is not None and len(near) == 1:
        exact = {s: as_exact(env[s]) for s in argument.free_symbols if s in env}
        try:  # exactly on the edge when SymPy cancels it (erf(gelu(7x)) − erf(gelu(56))
            # at 8, which precise would take to 4,000 digits of erf first: 2.5 s)
            on_it = substituted(argument - near[0], exact) == 0
            offset = None if on_it else precise(argument - near[0], 30, exact)
        except (TypeError, ArithmeticError, ValueError, LimitError):
            offset = None
        if offset is not None and offset != 0:  # beside the edge: a number just there
            side = sympy.Rational(1 if offset > 0 else -1, 10**40)
            return allowed.contains(near[0] + side)
    return allowed.contains(value)


def _near(number: Any, edge: Expr) -> bool:
    """True when the 30-digit ``number`` is within 10^-20 (relative) of ``edge``."""
    return abs(number - float(edge)) <= 1e-20 * max(1, abs(float(edge)))


@dataclass(frozen=True)
class BreakSite:
    """A catalogue function with breaks (``record``, ``brk``) applied to ``arguments``."""

    node: Expr
    arguments: tuple[Expr, ...]
    record: FunctionRecord
    brk: Break

    @property
    def argument(self) -> Expr:
        """The argument whose value decides the break (max/min: the first difference)."""
        if self.brk.points == "ties":
            return self.arguments[0] - self.arguments[1]
        return self.arguments[0]

    def barriers(self) -> tuple[Expr, ...]:
        """Expressions whose sign changes at the breaks (ties: every pairwise difference).

        Breaks at the integers have none: :meth:`at` and the numeric engine's indicator
        (the floor of the argument) find them.
        """
        if self.brk.points == "ties":
            args = self.arguments
            return tuple(a - b for i, a in enumerate(args) for b in args[i + 1 :])
        if self.brk.points == "integers":
            return ()
        return tuple(self.arguments[0] - p for p in self.brk.points)

    def at(self, env: Mapping[Symbol, Expr]) -> bool:
        """True when the exact point ``env`` sits on a break of this site."""
        values = [exact_value(a, env) for a in self.arguments]
        if any(v is None for v in values):
            return False
        if self.brk.points == "ties":
            best = (
                max(values, key=_sort_key)
                if self.record.key == "max"
                else min(values, key=_sort_key)
            )
            return sum(is_zero(v - best) for v in values) > 1
        return self.brk.at(values[0])


def _sort_key(value: Expr) -> float:
    return float(value.evalf(30))


def as_exact(value: object) -> Expr:
    """A number as an exact SymPy number: 3 -> 3, 0.1 -> 1/10 (through its shortest repr)."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, int):
        return sympy.Integer(value)
    fraction = Fraction(repr(float(value)))  # type: ignore[arg-type]
    return sympy.Rational(fraction.numerator, fraction.denominator)


def exact_value(expression: Expr, env: Mapping[Symbol, object]) -> Expr | None:
    """``expression`` at the exact point ``env``; None when it is not a finite real number.
    Exact where that is affordable (see :func:`affordable_point`), else to 30 digits or more.
    Odd roots are real (calculus.roots): max(x, ∛(-4x)) at 2 is max(2, -2), where SymPy's
    principal root 2·(-1)^(1/3) is not comparable (a ValueError escaped: differential case
    2026:542)."""
    exact = {s: as_exact(env[s]) for s in expression.free_symbols if s in env}
    try:
        value = substituted(real_form(expression), affordable_point(expression, exact))
    except (ValueError, TypeError):  # SymPy: "not comparable", and the like
        return None
    if value.free_symbols or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    if value.is_real is False:
        return None
    return value


#: A point whose denominator is longer than this, raised to a variable power, is evaluated
#: at 30 digits: an exact root of it can take SymPy minutes.
_LONG_DENOMINATOR = 2**20
#: ... and a fraction whose numerator or denominator is longer than this, likewise (10^4
#: let x^(x²) at 9993/7000 through: a root of degree 7000² took the 10 s limit, differential
#: case 2026:112522).
_LONG_FRACTION = 10**3


def affordable_point(expression: Expr, env: Mapping[Symbol, Expr]) -> dict[Symbol, Expr]:
    """The values to put into ``expression`` for its value at ``env``: the exact numbers
    where SymPy's exact arithmetic is cheap; floats of 30 digits (60 for a long fraction,
    more for a tiny point: :func:`~derivcheck.calculus.precise.digits_for`) where exact
    numbers would explode — a power with an exponent above 64, a point that is already a
    float, or a point with a long denominator under a variable exponent (x^x at
    5.9999999994 = 29999999997/5000000000: SymPy's exact root of it takes minutes).

    >>> x = sympy.Symbol("x")
    >>> affordable_point(x**2, {x: sympy.Rational(1, 3)})
    {x: 1/3}
    >>> affordable_point(x**x, {x: sympy.Rational(29999999997, 5000000000)})
    {x: 5.99999999940000000000000000000000000000000000000000000000000}
    """
    needed = {s: env[s] for s in expression.free_symbols if s in env}
    powers = expression.atoms(sympy.Pow)
    long_fraction = any(  # x^x at -40000000000007/70000000000000: SymPy would take the root;
        # at 999999/200000 it raised 999999 to the 999999th power first (differential case
        # 2026:10738 ran into the 10 s limit)
        isinstance(v, sympy.Rational)
        and (v.q > _LONG_DENOMINATOR or (v.q > 1 and max(abs(v.p), v.q) > _LONG_FRACTION))
        for v in needed.values()
    ) and any(p.exp.free_symbols for p in powers)
    if (
        long_fraction
        or any(isinstance(v, sympy.Float) for v in needed.values())
        or any(_explodes(p) for p in powers)
        or _huge_under_a_root(needed, powers)
    ):
        needed = as_floats(needed, 60 if long_fraction else 30)
    return needed


def _huge_under_a_root(values: Mapping[Symbol, Expr], powers) -> bool:
    """True when a value's numerator or denominator, raised to the largest whole power in
    the expression, has more than :data:`_ROOT_DIGITS` digits and the expression takes a
    root (a power with a fraction for exponent): SymPy
    looks for perfect powers in the exact radicand by factoring it, and √(1 - u²) for
    u = (−4x²)^5 at −3.0875e-221 (a fraction of 4,400 digits) ran to the 10 s limit
    (differential case 2026:111175)."""
    if not any(p.exp.is_Rational and not p.exp.is_Integer for p in powers):
        return False
    growth = max([1] + [abs(int(p.exp)) for p in powers if p.exp.is_Integer])  # x^10: ×10
    return any(
        isinstance(v, sympy.Rational)
        and max(abs(int(v.p)).bit_length(), int(v.q).bit_length()) * growth > _ROOT_DIGITS * 3.33
        for v in values.values()
    )


_ROOT_DIGITS = 300  # digits of a fraction under a root beyond which floats are put in


def _explodes(power: sympy.Pow) -> bool:
    """True for a power whose exact value would be a huge number of digits: a rational (or
    float) exponent above 64. An irrational one (3^(-sinh 9), 10^(288√12)) stays a symbol
    for SymPy, and exact: with floats of 30 digits, 10^(12^(5/2)) - 10^(12^(5/2)) - 1 was
    -1 + 4e-471 instead of -1, off hardtanh's kink (differential case 2026:31881)."""
    exponent = power.exp
    if not (exponent.is_number and abs(exponent) > 64):
        return False
    return bool(exponent.is_Rational or exponent.has(sympy.Float))


def as_floats(values: Mapping[Symbol, Expr], digits: int = 30) -> dict[Symbol, Expr]:
    """``values`` as SymPy floats of ``digits`` digits (more for a tiny number: see
    :func:`~derivcheck.calculus.precise.digits_for`); a value that is already a float keeps
    all its digits."""
    from derivcheck.calculus.precise import digits_for

    return {
        k: (
            sympy.Float(v.evalf(digits_for(v, digits)), digits_for(v, digits))
            if v.is_number and not v.has(sympy.I) and not v.is_Float and v.is_finite is not False
            else v  # zoo stays zoo (sec(π/2) as a step's value: differential case 2026:45176)
        )
        for k, v in values.items()
    }


def substituted(expression: Expr, values: Mapping[Symbol, Expr]) -> Expr:
    """``expression.xreplace(values)``, at 30-digit floats where SymPy's exact arithmetic
    overflows (its perfect-power test calls math.log on GMP integers when SymPy runs on
    gmpy2's: √ of a 360-digit fraction) or fails: SymPy 1.14's factor cache rejects a
    composite factor that its own factorint found, raising ValueError "… is not a prime
    factor of …" for √(1 - x²) at x = -228099/(5·10^271) (differential case 2026:1365)."""
    try:
        with spend_at_most(_SUBSTITUTION_SECONDS):
            return expression.xreplace(values)
    except OverflowError:
        return expression.xreplace(as_floats(values))
    except ValueError as error:
        if "prime factor" not in str(error):
            raise  # "not comparable" and the like: the caller says what is not defined
        return expression.xreplace(as_floats(values))
    except (ArithmeticError, BudgetSpent):  # SymPy's assumptions evaluating a number they
        # cannot tell from 0 (PrecisionExhausted: sinh asks whether floor(2 + erf(cosh
        # 6.00006) − erf(cosh 6)) is 0, case 2026:138659), or for seconds (Heaviside asks
        # the sign of a difference of gelu tails of 10^-739000 at −4.500000004: case
        # 2026:13596): the same exact value, left unevaluated, for derivcheck's evaluator
        with sympy.evaluate(False):
            return expression.xreplace(values)


#: CPU seconds SymPy's automatic evaluation may take in :func:`substituted`.
_SUBSTITUTION_SECONDS = 0.25


@lru_cache(maxsize=4096)
def restrictions(expression: Expr) -> tuple[Restriction, ...]:
    """Every restriction inside ``expression``, innermost first (post-order)."""
    found: dict[tuple, Restriction] = {}
    for node in sympy.postorder_traversal(expression):
        for restriction in _restrictions_of(node):
            found.setdefault((restriction.node, restriction.reason), restriction)
    return tuple(found.values())


def _restrictions_of(node: Expr) -> list[Restriction]:
    # free symbols last: they are a walk of the node's whole tree, for every node visited
    if not isinstance(node, sympy.Basic) or node.is_Symbol:
        return []
    if node.is_Pow:
        return _power_restrictions(node) if node.free_symbols else []
    record = record_of(node)
    if record is None or record.domain.everywhere or not node.args or not node.free_symbols:
        return []
    argument = node.args[0]
    poles = record.domain.poles(argument) if record.domain.poles is not None else None
    return [
        Restriction(node, argument, record.domain.allowed, poles, record.domain.reason, record.text)
    ]


def _positive_number(value: Expr) -> bool:
    """True when the number ``value`` is > 0 by its digits, where SymPy's assumptions cannot
    tell (arccsc(π) = 0.32 and 1 + arcsec(5)² are positive; as bases of x-powers they were
    said to be ≤ 0, not real for most x: differential cases 2026:96063 and 94870)."""
    from derivcheck.calculus.precise import precise

    try:
        number = precise(value, 20)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return False
    return number is not None and number > 0


def _power_restrictions(node: sympy.Pow) -> list[Restriction]:
    base, exponent = node.args
    if not base.free_symbols:  # a^g(x): real for a > 0
        if base.is_positive or (base.is_positive is None and _positive_number(base)):
            return []
        return [Restriction(node, exponent, S.EmptySet, None, "domain.negative_base", str(base))]
    if exponent.free_symbols:  # u(x)^v(x): real near the point only where u > 0
        return [Restriction(node, base, Interval.open(0, oo), None, "domain.power_base", "^")]
    if exponent.is_integer or odd_root(exponent):  # odd roots are real for a negative base
        if exponent.is_negative:
            return [Restriction(node, base, S.Reals, base, "domain.pole", "1/")]
        return []
    if exponent.is_positive:
        return [Restriction(node, base, Interval(0, oo), None, "domain.root", "√")]
    return [Restriction(node, base, Interval.open(0, oo), None, "domain.negative_root", "√")]


@lru_cache(maxsize=4096)
def break_sites(expression: Expr) -> tuple[BreakSite, ...]:
    """Every non-smooth function application inside ``expression``, innermost first."""
    found: dict[Expr, BreakSite] = {}
    for node in sympy.postorder_traversal(expression):
        if not isinstance(node, sympy.Basic) or node.is_Symbol:
            continue
        record = record_of(node)  # before the free symbols, a walk of the node's tree
        if record is None or not record.breaks or not node.free_symbols:
            continue
        arguments = tuple(node.args) if record.breaks[0].points == "ties" else (node.args[0],)
        if all(not a.free_symbols for a in arguments):
            continue
        for brk in record.breaks:
            found.setdefault(node, BreakSite(node, arguments, record, brk))
    return tuple(found.values())


@lru_cache(maxsize=4096)
def periodic_arguments(expression: Expr) -> tuple[Expr, ...]:
    """Arguments of periodic (trigonometric) functions in ``expression``."""
    found: dict[Expr, None] = {}
    for node in sympy.preorder_traversal(expression):
        record = record_of(node) if isinstance(node, sympy.Basic) else None
        if record is not None and record.periodic and node.args[0].free_symbols:
            found.setdefault(node.args[0], None)
    return tuple(found)


def first_violation(
    expression: Expr, env: Mapping[Symbol, Expr], full: Mapping[Symbol, Expr] | None = None
) -> Restriction | None:
    """The innermost restriction of ``expression`` that the exact point violates, if any
    (``full``: as for :meth:`Restriction.violated`)."""
    for restriction in restrictions(expression):
        if restriction.violated(env, full):
            return restriction
    return None


def hidden_restrictions(typed: Iterable[Expr], expression: Expr) -> tuple[Restriction, ...]:
    """The restrictions of what was typed (``typed``: the nodes the grammar built, see
    :func:`derivcheck.reading.order.noting_built`) that ``expression`` no longer has:
    SymPy writes e^(ln x) as x, x/x as 1 and ln x − ln x as 0, but the function typed is
    still undefined for x ≤ 0 (or at 0).

    >>> x = sympy.Symbol("x", real=True)
    >>> typed = [sympy.log(x), sympy.exp(sympy.log(x), evaluate=False)]
    >>> [r.reason for r in hidden_restrictions(typed, x)]
    ['domain.positive']
    """
    kept = {_what_it_needs(r) for r in restrictions(expression)}
    found: dict[tuple, Restriction] = {}
    for node in typed:
        for r in _restrictions_of(node):
            if _what_it_needs(r) not in kept:
                found.setdefault(_what_it_needs(r), r)
    return tuple(found.values())


def _what_it_needs(r: Restriction) -> tuple:
    """What a restriction asks of its argument: (H^(-1/2))^(-1/2) is H^(1/4) for SymPy, a
    root of the same argument, but the typed one needs H > 0, the simplified one H ≥ 0
    (differential case 2026:145165)."""
    return (r.argument, r.reason, r.allowed, r.poles)
