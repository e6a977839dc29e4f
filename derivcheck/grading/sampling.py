"""Sample points for grading: inside the function's real domain, away from its kinks.

Where the function (and its derivative) is defined and smooth is read from
:mod:`derivcheck.calculus.domain`, which reads the catalogue: its
:func:`~derivcheck.calculus.domain.restrictions` (allowed sets, edges and poles of
arguments), :func:`~derivcheck.calculus.domain.break_sites` (kinks, jumps, ties) and
:func:`~derivcheck.calculus.domain.periodic_arguments` (kept moderate, where floating
point still carries a trigonometric function's value).

>>> from derivcheck.reading.parser import parse, symbol
>>> x = symbol("x")
>>> f = parse("ln(x) + |x - 1|")
>>> points = sample_points(f, parse("1/x + sign(x - 1)"), x, None, (x,))
>>> bool((points.env[x] > 0).all() and (abs(points.env[x] - 1) > 1e-3).all())
True
>>> sample_points(parse("relu(x)"), parse("sign(x)"), x, parse("0"), ()) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.domain import Restriction, break_sites, periodic_arguments, restrictions
from derivcheck.calculus.precise import precise
from derivcheck.calculus.smoothness import Smoothness, smoothness
from derivcheck.errors import DerivcheckError
from derivcheck.grading.numbers import exact_number, values
from derivcheck.numeric.evaluate import compile_expr, compile_perturbed

__all__ = [
    "SamplePoints",
    "sample_points",
    "at_break",
    "differences_agree",
    "POINTS_MAIN",
    "POINTS_WIDE",
    "SEED",
]

POINTS_MAIN = 8  # sample points from |x| <= 3
POINTS_WIDE = 2  # and from |x| <= 20, when the function is defined there
SEED = 20240527
_EDGE = 1e-3  # distance kept from an edge of the domain
_NEAR_ZERO = 1e-3  # relative size below which a pole's or a kink's expression counts as zero
_MODERATE = 1e3  # largest trigonometric argument sampled
#: Smallest value of a pole's or kink's expression trusted to have its sign, far from its zero
_SMALLEST_BARRIER = 1e-8


@dataclass(frozen=True)
class SamplePoints:
    """The points: float arrays by symbol (``env``) and the same points as exact rationals."""

    env: dict[Symbol, np.ndarray]
    exact: tuple[dict[Symbol, Expr], ...]

    @property
    def size(self) -> int:
        return len(self.exact)


@dataclass(frozen=True)
class _Condition:
    """``argument`` must lie in ``intervals`` (open, edges kept at a distance) or, for
    ``kind="nonzero"``, away from zero; ``kind="integers"``: away from the integers."""

    kind: str  # "inside", "nonzero", "integers", "moderate"
    argument: Expr
    intervals: tuple[tuple[float, float], ...] = ()
    #: "nonzero": d(argument)/dx, which tells how far its zero is (None: not known)
    slope: Expr | None = None
    variable: Symbol | None = None


def _intervals(allowed: sympy.Set) -> tuple[tuple[float, float], ...]:
    """A set of the catalogue (an interval, a union of intervals, everything or nothing) as
    (low, high) float pairs."""
    if allowed is sympy.S.Reals:
        return ((-np.inf, np.inf),)
    pieces = allowed.args if isinstance(allowed, sympy.Union) else (allowed,)
    found = []
    for piece in pieces:
        if isinstance(piece, sympy.Interval):
            found.append((float(piece.start), float(piece.end)))
    return tuple(found)


def _conditions(
    expressions: Iterable[Expr], x: Symbol | None = None, hidden: Iterable[Restriction] = ()
) -> list[_Condition]:
    found: dict[_Condition, None] = {}

    def away_from_zero(argument: Expr) -> _Condition:
        slope = None
        if x is not None and x in argument.free_symbols:
            slope = sympy.diff(argument, x)
            if slope.has(sympy.DiracDelta, sympy.Derivative, sympy.Subs):
                slope = None
        return _Condition("nonzero", argument, slope=slope, variable=x if slope else None)

    expressions = tuple(expressions)
    for restriction in (*(r for e in expressions for r in restrictions(e)), *hidden):
        if restriction.allowed is not sympy.S.Reals:
            inside = _Condition("inside", restriction.argument, _intervals(restriction.allowed))
            found[inside] = None
        if restriction.poles is not None:
            found[away_from_zero(restriction.poles)] = None
    for expression in expressions:
        for site in break_sites(expression):
            if site.brk.points == "integers":
                found[_Condition("integers", site.argument)] = None
            for barrier in site.barriers():
                found[away_from_zero(barrier)] = None
        for argument in periodic_arguments(expression):
            found[_Condition("moderate", argument)] = None
    return list(found)


def _satisfied(
    condition: _Condition, value: np.ndarray, x: np.ndarray | None = None, slope=None
) -> np.ndarray:
    """Where ``value`` (the condition's argument at the points) meets the condition. For
    "nonzero", with the points ``x`` and the argument's ``slope`` there: not small beside
    its typical size, or, where it is small on a whole piece, farther from its zero than
    :data:`_NEAR_ZERO` (relative to |x|) by Newton's estimate |value/slope|.
    tanh(x) − tanh(5) stays below 10⁻⁴ for every x > 5, and hardtanh of it + ... was
    never sampled there: an answer wrong only there was graded correct (differential case
    2026:99850)."""
    with np.errstate(all="ignore"):
        if condition.kind == "inside":
            good = np.zeros(value.shape, dtype=bool)
            for low, high in condition.intervals:
                good |= (value > low + _EDGE) & (value < high - _EDGE)
            return good
        if condition.kind == "nonzero":
            finite = np.isfinite(value)
            typical = float(np.median(np.abs(value[finite]))) if finite.any() else 1.0
            good = np.abs(value) > _NEAR_ZERO * max(1.0, typical)
            if slope is not None and x is not None:
                far = np.abs(value) > _NEAR_ZERO * np.abs(slope) * np.maximum(1.0, np.abs(x))
                good |= far & (np.abs(value) > _SMALLEST_BARRIER) & np.isfinite(slope)
            return good
        if condition.kind == "integers":
            return np.abs(value - np.round(value)) > _EDGE
        return np.abs(value) < _MODERATE  # moderate


def _grid(numbers: np.ndarray) -> np.ndarray:
    """Round to multiples of 1/256 so each float is an exact, short rational."""
    return np.round(numbers * 256.0) / 256.0


def sample_points(
    function: Expr,
    derivative: Expr,
    x: Symbol,
    at_value: Expr | None,
    symbols: tuple[Symbol, ...],
    hidden: tuple[Restriction, ...] = (),
) -> SamplePoints | None:
    """Deterministic points where the function and its derivative are real, finite, smooth.
    ``hidden``: restrictions of the function as typed that SymPy simplified away
    (:func:`~derivcheck.calculus.domain.hidden_restrictions`): tanh(arccosh(u))⁻² is
    u²/((u − 1)(u + 1)) for SymPy, defined for u < −1 too, but arccosh is not, and a right
    answer was graded "undefined where the derivative is 0.0255" at such a point
    (differential case 2026:148500); the points satisfy them too.

    Eight points from |x| <= 3 and two from |x| <= 20 (wider, then narrower, only when
    too few are found), on a 1/256 grid so that each is an exact rational too.
    Parameters (other names in the function, the ``symbols`` besides ``x``) take values
    in [0.5, 2.5]. With ``at`` and no parameters there is one exact point, checked
    exactly. ``None`` when there are no such points.
    """
    if not symbols:
        if at_value is None or not _defined_exactly_at(function, derivative, x, at_value):
            return None
        if any(r.violated({x: at_value}) for r in hidden):
            return None
        return SamplePoints({x: np.full(1, float(at_value))}, ({x: at_value},))
    conditions = _conditions((function, derivative), x, hidden)
    rng = np.random.default_rng(SEED)
    perturbed: dict[Expr, object] = {}  # compiled once for every pool of points
    chosen: dict[Symbol, list[float]] = {s: [] for s in symbols}
    pools = (  # (points wanted, width, pool size, only when too few points were found)
        (POINTS_MAIN, 3.0, 64, False),
        (POINTS_WIDE, 20.0, 32, False),
        (POINTS_MAIN, 200.0, 128, True),
        (POINTS_MAIN, 10_000.0, 256, True),
        # narrower, for fast oscillation: sin(10606x) keeps its argument moderate
        # (_MODERATE) only for |x| < 0.094, where the first pools had two points
        (POINTS_MAIN, 0.25, 128, True),
        (POINTS_MAIN, 0.05, 128, True),
    )
    for wanted, width, size, fallback in pools:
        found = len(chosen[symbols[0]])
        if fallback and found >= POINTS_MAIN:
            break
        env: dict[Symbol, np.ndarray] = {
            s: _grid(rng.uniform(-width, width, size) if s == x else rng.uniform(0.5, 2.5, size))
            for s in symbols
        }
        if at_value is not None:
            env[x] = np.full(size, float(at_value))
        good = _usable(function, derivative, conditions, env, size, perturbed)
        picked = np.flatnonzero(good)[: max(wanted, POINTS_MAIN - found)]
        for s in symbols:
            chosen[s].extend(float(v) for v in env[s][picked])
    if at_value is None:
        _cover_every_piece(function, derivative, x, conditions, chosen, rng, perturbed)
    count = len(chosen[symbols[0]])
    if count < 3:
        return None
    env = {s: np.array(v) for s, v in chosen.items()}
    if at_value is not None:
        env[x] = np.full(count, float(at_value))
    exact = []
    for i in range(count):
        point = {s: sympy.Rational(Fraction(chosen[s][i])) for s in symbols}
        if at_value is not None:
            point[x] = at_value
        exact.append(point)
    for array in env.values():
        array.setflags(write=False)
    return SamplePoints(env, tuple(exact))


def _usable(function, derivative, conditions, env, size, perturbed) -> np.ndarray:
    """Which of ``size`` points of ``env`` satisfy every condition, give finite values of
    the function and its derivative, and values that rounding does not move."""
    good = np.ones(size, dtype=bool)
    for condition in conditions:
        found = values(condition.argument, env, size)
        slope = at = None
        if condition.slope is not None and condition.variable in env:
            at = env[condition.variable]
            try:
                slope = np.broadcast_to(values(condition.slope, env, size), (size,))
            except (DerivcheckError, TypeError, ValueError, ArithmeticError):
                slope = None
        good &= _satisfied(condition, found, at, slope)
    for expression in (function, derivative):
        found_values = values(expression, env, size)
        good &= np.isfinite(found_values) & (np.abs(found_values) < 1e100)
        if expression.free_symbols:  # e^(1000x) at x = -2 underflows to 0, and so does
            # every answer there (e^(1000x) for 1000e^(1000x) was graded correct): a value
            # below 1e-100 says nothing; an exact 0 (2x at 0) is kept unless it is rounding
            tiny = (np.abs(found_values) < 1e-100) & (found_values != 0)
            good &= ~tiny & ~_underflowed(expression, env, found_values)
    for expression in (function, derivative):  # only where the points are otherwise good
        good[good] = stable_points(expression, {s: v[good] for s, v in env.items()}, perturbed)
    return good


def _underflowed(expression: Expr, env, found: np.ndarray) -> np.ndarray:
    """Points where ``expression`` is 0.0 in floating point but not exactly: e^(1000x) at
    x = -2 (e^-2000), or 1000·e^(1000x) there. Decided from the exact value at a few such
    points (30 digits), since a true zero (2x at 0) must stay."""
    zeros = np.flatnonzero(found == 0)
    flagged = np.zeros(found.shape, dtype=bool)
    if zeros.size == 0:
        return flagged
    symbols = tuple(env)
    for i in zeros[:_ZERO_CHECKS]:
        point = {s: sympy.Rational(Fraction(float(env[s][i]))) for s in symbols}
        flagged[i] = not _exactly_zero(expression, point)
    if zeros.size > _ZERO_CHECKS and flagged[zeros[:_ZERO_CHECKS]].any():
        flagged[zeros[_ZERO_CHECKS:]] = True  # the same underflow: not worth 30 digits each
    return flagged


def _exactly_zero(expression: Expr, point: dict[Symbol, Expr]) -> bool:
    """``expression`` at ``point`` is 0 to 3,000 digits, with exponents of any size
    (e^-5456 is no float's 0).

    mpmath's evaluation with every sum watched (:func:`~derivcheck.calculus.precise.precise`)
    decides it: 7 - 7·tanh(121)² is 2.2e-104, found in under a millisecond, where SymPy's
    assumptions and ``N`` took 10-30 ms each, a quarter of grading a course file. What is
    left below 10^-3000 is the working precision's last digits (sin(3π) unevaluated), zero.
    The point goes in as exact values, never through SymPy's substitution, which computed
    (1/2)^(10^4000) exactly and took the exercise x^(10^4000) to its 10 s limit; a value
    past 10^(±10^6) (a LimitError) or not defined (max(ceil(1/x), …) at 0: differential
    case 2026:2230) is no zero.
    """
    if expression == 0:
        return True
    try:
        number = precise(expression, 5, env=point)
    except (DerivcheckError, TypeError, ValueError, ArithmeticError):
        return False
    return number is not None and abs(number) < _ZERO_BELOW


#: Below this an exact value counts as 0 (past float's range by thousands of digits).
_ZERO_BELOW = mpmath.mpf(10) ** -3000

#: Zeros of a sampled value checked exactly, at most, per pool of points.
_ZERO_CHECKS = 4

#: Points added, at most, for each piece of a piecewise function the others missed.
_PER_PIECE = 2
_PIECE_POOL = 4096


def _cover_every_piece(function, derivative, x, conditions, chosen, rng, perturbed) -> None:
    """Add points so that every piece of each non-smooth function in f is sampled.

    hardtanh(x(x + 9/2)) is flat (|x(x + 9/2)| > 1) at most points of |x| <= 3, and so is
    floor((3x)^-2) (0 for |x| > 1/3): an answer that is wrong only on the other pieces
    (hardtanh's rule without its inner derivative; the function itself for its
    derivative) was graded correct (differential cases 2026:5880 and 2026:3300).
    Pieces: between consecutive break points of the argument, or, at the integers, a
    second integer part. Points come from |x| <= 20, under the same conditions."""
    symbols = tuple(chosen)
    sites = break_sites(function)
    if not sites or not chosen[x]:
        return
    for width in (3.0, 20.0):  # the main range first: "nonzero" is relative to the pool's size
        env = {s: _grid(rng.uniform(-width, width, _PIECE_POOL) if s == x
                        else rng.uniform(0.5, 2.5, _PIECE_POOL)) for s in symbols}  # fmt: skip
        good = _usable(function, derivative, conditions, env, _PIECE_POOL, perturbed)
        now = {s: np.array(v) for s, v in chosen.items()}
        for site in sites:
            if site.brk.points == "ties":
                pieces = _missing_winners(site, now, len(now[x]), env)
            else:
                have = values(site.argument, now, len(now[x]))
                pool = values(site.argument, env, _PIECE_POOL)
                pieces = _missing_pieces(site, have, pool)
            for piece in pieces:
                picked = np.flatnonzero(good & piece)[:_PER_PIECE]
                for s in symbols:
                    chosen[s].extend(float(v) for v in env[s][picked])


def _missing_winners(site, now, count: int, env) -> list[np.ndarray]:
    """For max or min: for each argument that wins at no chosen point, the points of the
    pool ``env`` where it wins. min(x, x⁴) is x⁴ only on (0, 1), where no point of the
    main pools lay, and exp(min(x, x⁴)) itself was graded its own derivative (differential
    case 2026:28110)."""
    pick = np.argmax if site.record.key == "max" else np.argmin
    size = len(next(iter(env.values())))

    def winners(points, n):
        table = np.stack([np.broadcast_to(values(a, points, n), (n,)) for a in site.arguments])
        finite = np.isfinite(table).all(axis=0)
        return np.where(finite, pick(np.where(np.isfinite(table), table, 0.0), axis=0), -1)

    have, pool = winners(now, count), winners(env, size)
    return [pool == k for k in range(len(site.arguments)) if not np.any(have == k)]


def _missing_pieces(site, have: np.ndarray, pool: np.ndarray) -> list[np.ndarray]:
    """For each piece of ``site`` that no chosen point's argument (``have``) lies on, which
    points of ``pool`` do."""
    if site.brk.points == "integers":  # a new integer part, and the new one nearest 0:
        # tanh(floor(g)) saturates away from it, and 1 − tanh²(floor(g)) (the inner
        # derivative missing) was 0 to every float digit at points where |floor(g)| ≥ 28,
        # where the derivative is 0 too: graded correct (differential case 2026:150320)
        parts = np.floor(have[np.isfinite(have)])
        if not parts.size:
            return []
        floors = np.floor(pool)
        new = ~np.isin(floors, parts) & np.isfinite(pool)
        if not np.any(new):
            return [new]
        nearest = floors[new][np.argmin(np.abs(floors[new]))]
        return [floors == nearest, new & (floors != nearest)]
    edges = [-np.inf, *sorted(float(p) for p in site.brk.points), np.inf]
    return [
        (pool > low) & (pool < high)
        for low, high in zip(edges, edges[1:])
        if not np.any((have > low) & (have < high))
    ]


#: Relative change, when every operation is perturbed by an ulp, above which a value is
#: too uncertain to grade against: 7(1 - tanh(7x)²) at x = 3 is 0 in floating point (tanh
#: rounds to 1) while 7/cosh(7x)² is 3e-18, and the two must not count as different.
_UNSTABLE = 1e-10
_COPIES = 16  # perturbed evaluations of each point (an ulp's factor often rounds to 1)


def stable_points(
    expression: Expr, env: dict[Symbol, np.ndarray], compiled: dict[Expr, object]
) -> np.ndarray:
    """Points of ``env`` where ``expression``'s floating-point value does not move
    (relatively more than :data:`_UNSTABLE`) when its operations are perturbed by an ulp
    (:func:`~derivcheck.numeric.evaluate.compile_perturbed`, kept in ``compiled``): no
    cancellation there."""
    size = len(next(iter(env.values())))
    if not expression.free_symbols or size == 0:
        return np.ones(size, dtype=bool)
    symbols = tuple(env)
    if expression not in compiled:
        compiled[expression] = compile_perturbed(expression, symbols)
    found = values(expression, env, size)
    moved_values = compiled[expression](*(np.tile(env[s], _COPIES) for s in symbols))  # type: ignore[operator]
    moved_values = np.asarray(moved_values)
    if np.iscomplexobj(moved_values):
        moved_values = np.where(moved_values.imag != 0, np.nan, moved_values.real)
    with np.errstate(all="ignore"):
        moved = np.abs(moved_values.reshape(_COPIES, -1) - found).max(axis=0)
        return ~(moved > _UNSTABLE * np.abs(found))


def _defined_exactly_at(function: Expr, derivative: Expr, x: Symbol, at_value: Expr) -> bool:
    """Function and derivative real and finite at the exact point, inside every domain
    restriction and on no break (a kink, a jump, a tie)."""
    point = {x: at_value}
    for expression in (function, derivative):
        value = exact_number(expression.xreplace(point))
        if value is None or abs(value.imag) > 1e-20 * max(1.0, abs(value.real)):
            return False
        if any(r.violated(point) for r in restrictions(expression)):
            return False
        if any(site.at(point) for site in break_sites(expression)):
            return False
    return True


def at_break(function: Expr, x: Symbol, at_value: Expr) -> Smoothness | None:
    """At an exact point where a kink, jump or tie of ``function`` sits: whether it is
    differentiable there after all (:mod:`derivcheck.calculus.smoothness`: x·|x| and
    relu(x)² are, |x| is not); None away from every break.

    >>> from derivcheck.reading.parser import parse, symbol
    >>> x = symbol("x")
    >>> at_break(parse("x|x|"), x, parse("0")).derivative
    0
    >>> at_break(parse("|x|"), x, parse("0")).kind
    'kink'
    >>> at_break(parse("|x|"), x, parse("1")) is None
    True
    """
    point = {x: at_value}
    if not any(site.at(point) for site in break_sites(function)):
        return None
    return smoothness(function, x, point)


#: Relative agreement asked of the derivative and the function's central differences.
_AGREE = 1e-6


def differences_agree(function: Expr, derivative: Expr, x: Symbol, points: SamplePoints) -> bool:
    """True when ``derivative`` agrees with ``function``'s central differences in ``x`` at
    every sample point (Richardson's extrapolation of steps h and h/2, h = 10⁻⁵, to a
    relative 10⁻⁶): an independent check of a derivative built by the rules.
    False says only that it could not be confirmed this way (the caller checks otherwise).

    >>> from derivcheck.reading.parser import parse, symbol
    >>> x = symbol("x")
    >>> points = SamplePoints({x: np.array([0.5, 1.5, -2.0])}, ())
    >>> differences_agree(parse("sin(x^2)"), parse("2x cos(x^2)"), x, points)
    True
    >>> differences_agree(parse("sin(x^2)"), parse("cos(x^2)"), x, points)
    False
    """
    env = points.env
    symbols = tuple(env)
    try:
        compiled = compile_expr(function, symbols)
    except DerivcheckError:
        return False
    at = env[x]
    h = np.full(len(at), 1e-5)  # points are at least 10⁻³ from an edge or a kink

    def shifted(step: np.ndarray) -> np.ndarray:
        found = np.asarray(compiled(*(at + step if s == x else env[s] for s in symbols)))
        return np.where(found.imag != 0, np.nan, found.real) if np.iscomplexobj(found) else found

    with np.errstate(all="ignore"):
        wide = (shifted(h) - shifted(-h)) / (2 * h)
        narrow = (shifted(h / 2) - shifted(-h / 2)) / h
        estimate = (4 * narrow - wide) / 3
        want = values(derivative, env, len(at))
        scale = np.abs(want) + 1e-3 * float(np.median(np.abs(want))) + 1e-300
        return bool(np.all(np.abs(estimate - want) <= _AGREE * scale))
