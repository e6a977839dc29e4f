r"""Is f differentiable at a point? Decided from the mathematics, not from the syntax.

A point is a *kink* when the one-sided derivatives of the whole expression differ there,
a *jump* when the one-sided limits of f differ — not merely because a relu, |·|, max or
floor appears in the formula. ``x·|x|``, ``|x|³``, ``relu(x)²`` and ``elu(x)`` are
differentiable at 0; ``|x|`` and ``leaky_relu(x)`` are not (with both slopes); ``sign(x)``
and ``floor(x)`` at an integer jump.

How: every non-smooth function sitting on one of its breaks at the point (its catalogue
:class:`~derivcheck.calculus.catalogue.Break`) is replaced, on each side, by the smooth
branch it follows there — which branch is decided by the sign of its argument's first
non-zero derivative (its Taylor term) at the point. Each side is then an ordinary smooth
expression, whose value and derivative at the point SymPy gives exactly.

>>> from derivcheck import parse
>>> from derivcheck.calculus.functions import elu, leaky_relu
>>> from derivcheck.reading.parser import symbol
>>> x = symbol("x")
>>> [smoothness(parse(f), x, {x: 0}).kind for f in ("x|x|", "|x|^3", "relu(x)^2")]
['smooth', 'smooth', 'smooth']
>>> smoothness(elu(x), x, {x: 0}).kind
'smooth'
>>> s = smoothness(leaky_relu(x), x, {x: 0})
>>> s.kind, s.left, s.right
('kink', 1/100, 1)
>>> import sympy
>>> smoothness(parse("sign(x)"), x, {x: 0}).kind, smoothness(sympy.floor(x), x, {x: 2}).kind
('jump', 'jump')
>>> smoothness(parse("relu(x) - relu(-x)"), x, {x: 0}).derivative   # = x: slope 1, not 0
1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.catalogue import is_zero, record_of
from derivcheck.calculus.domain import (
    Restriction,
    as_exact,
    break_sites,
    exact_value,
    restrictions,
)
from derivcheck.calculus.roots import real_form
from derivcheck.calculus.verify import diff_between_breaks, written_out
from derivcheck.errors import DerivcheckError, LimitError
from derivcheck.limits import BudgetSpent, spend_at_most
from derivcheck.messages import Message

__all__ = ["Smoothness", "smoothness", "singular_at_resolution", "KINDS"]

#: What :func:`smoothness` can answer ("edge": the point is at the edge of the domain, with
#: no real values on one side).
KINDS = ("smooth", "kink", "jump", "edge")

_TAYLOR_TERMS = 8  # derivatives tried when deciding on which side of a break an argument is


@dataclass(frozen=True)
class Smoothness:
    """The answer for one variable at one point.

    ``kind``: "smooth" (differentiable), "kink" (continuous, one-sided derivatives differ)
    or "jump" (one-sided limits of f differ). ``left``/``right``: the exact one-sided
    derivatives, and ``left_value``/``right_value`` the one-sided limits of f, when a
    non-smooth function sits on a break here (else None: nothing to compare). ``sources``:
    the catalogue keys of those functions (relu, abs, floor, …). ``method``: "exact", or
    "numeric" where SymPy could not decide and one-sided differences did.
    """

    kind: str
    variable: Symbol
    location: Expr
    left: Expr | None = None
    right: Expr | None = None
    left_value: Expr | None = None
    right_value: Expr | None = None
    sources: tuple[str, ...] = ()
    method: str = "exact"
    #: True when the break is not exactly at the point but within float resolution of it
    resolution: bool = False
    #: for kind "edge": the sides (-1 left, 1 right) where the function is not real
    outside: tuple[int, ...] = ()

    @property
    def differentiable(self) -> bool:
        return self.kind == "smooth"

    @property
    def at_break(self) -> bool:
        """True when some non-smooth function sits on a break here (smooth or not)."""
        return bool(self.sources)

    @property
    def derivative(self) -> Expr | None:
        """The derivative from the one-sided ones when they agree (None when not decided)."""
        if self.kind == "smooth" and self.left is not None:
            return self.left
        return None

    def message(self) -> Message | None:
        """What to tell the reader: why it is not differentiable, or why it still is."""
        if self.kind == "edge":
            side = {(-1,): "smoothness.side_left", (1,): "smoothness.side_right"}
            key = side.get(tuple(self.outside), "smoothness.side_both")
            return Message("smoothness.edge", point=self.location, side=Message(key))
        if not self.sources:
            return None
        functions = ", ".join(dict.fromkeys(self.sources))
        if self.resolution and self.kind != "smooth":
            return Message(
                f"smoothness.{self.kind}_at_resolution",
                functions=functions,
                point=repr(float(self.location)),
            )
        if self.kind == "jump":
            return Message("smoothness.jump", functions=functions)
        if self.kind == "kink":
            return Message("smoothness.kink", functions=functions)
        return Message("smoothness.smooth_at_break", functions=functions, slope=self.left)


def smoothness(
    expression: Expr,
    variable: Symbol,
    point: Mapping[Symbol, Expr],
    approximate: bool = False,
) -> Smoothness:
    """Decide whether ``expression`` is differentiable in ``variable`` at the exact ``point``
    (a mapping of every free name to an exact number); see the module docstring.

    ``approximate``: the point came as a float (0.3333333333333333 for 1/3, 0.785… for π/4),
    which cannot hold a break that lies between two floats. A break within float resolution
    of it (``RESOLUTION_ULPS`` units in the last place) is then taken as at the point, and
    the answer says so (``resolution``).
    """
    point = {k: as_exact(v) for k, v in point.items()}
    location = point[variable]
    others = {k: v for k, v in point.items() if k != variable}
    sliced = expression.xreplace(others)
    env = {variable: location}
    sites = break_sites(sliced)
    active = [site for site in sites if site.at(env)]
    near: dict[Expr, Expr] = {}
    if not active and approximate:
        near = _within_resolution(sites, variable, location)
        active = [site for site in sites if site.argument in near]
    if not active:
        outside = _outside_at_an_edge(sliced, variable, location)
        if outside:  # ((sec(2x/5) - sec(-2))^(3/2)) at -5: not real to the right
            return Smoothness("edge", variable, location, outside=outside)
        return Smoothness("smooth", variable, location)
    sources = tuple(site.record.key for site in active)
    outside = [side for side in (-1, 1) if not _real_beside(sliced, variable, location, side)]
    if outside:  # at the edge of the domain: only one side (or none) to take a limit from
        return Smoothness("edge", variable, location, sources=sources, outside=tuple(outside))
    try:
        sides = [_one_side(sliced, variable, location, side, near) for side in (-1, 1)]
    except (LimitError, KeyboardInterrupt):
        raise
    except (ArithmeticError, TypeError, ValueError, _Undecided):
        try:
            if near:
                raise _Undecided(sliced) from None
            sides = one_sided_limits(sliced, variable, location)
        except (LimitError, KeyboardInterrupt):
            raise
        except (ArithmeticError, TypeError, ValueError, NotImplementedError, _Undecided):
            return _numeric(sliced, variable, location, sources)
    (left_value, left, left_form), (right_value, right, right_form) = sides
    if near:  # the sides a hair from the break: compare what differs between their forms
        gap = left_form - right_form  # f's smooth rest cancels here, symbolically
        same_value = _negligible(gap, variable, location)
        same_slope = _negligible(diff_between_breaks(gap, variable), variable, location)
    else:
        same_value, same_slope = _equal(left_value, right_value), _equal(left, right)
        # cos(sign(x + 5/2)) at -5/2: both sides cos(1), f = 1; each break function takes
        # its value on the break (sign(log(10^x)/log 10 + 7) at -7 is sign(0), which SymPy
        # cannot see: differential case 2026:32507)
        at = exact_value(sliced.xreplace(_on_their_breaks(active, env)), env)
        same_value = same_value and at is not None and _equal(at, left_value)
    if not same_value:
        kind = "jump"
    elif same_slope:
        kind = "smooth"
    else:
        kind = "kink"
    return Smoothness(
        kind, variable, location, left, right, left_value, right_value, sources,
        resolution=bool(near),
    )  # fmt: skip


def _on_their_breaks(sites, env: Mapping[Symbol, Expr]) -> dict[Expr, Expr]:
    """Each break function whose argument is on a break at ``env``, as its value there
    (sign(u) → sign(0) = 0, floor(u) → the integer u is, heaviside(u, h0) → h0): SymPy
    may not see that the argument is exactly the break (log(10^(-7))/log(10) + 7)."""
    import mpmath

    from derivcheck.calculus.precise import precise

    values: dict[Expr, Expr] = {}
    for site in sites:
        points = site.brk.points
        if points == "ties" or not site.node.args:
            continue
        u = exact_value(site.arguments[0], env)
        if u is None:
            continue
        if points == "integers":
            number = precise(u, 30)
            if number is None:
                continue
            on = sympy.Integer(int(mpmath.nint(number)))
        else:
            on = next((q for q in points if is_zero(u - q)), None)
            if on is None:
                continue
        values[site.node] = site.node.func(on, *site.node.args[1:])
    return values


#: How close (in units in the last place of the point) a break must be to a float point to
#: count as at it: a float cannot land closer than half a unit to a number between floats.
RESOLUTION_ULPS = 2


def _within_resolution(sites, x: Symbol, p: Expr) -> dict[Expr, Expr]:
    """Arguments of ``sites`` whose break lies within float resolution of p, mapped to the
    break's value (where the argument would be exactly on it)."""
    import math

    found: dict[Expr, Expr] = {}
    for site in sites:
        g = site.argument  # max/min: the difference of their first two arguments
        line = _tangent(g, x, p)
        if line is None:
            continue
        value, slope = line
        g0 = _as_float(value)  # 1.0988e69 - 5.075e68·3^(45/64): evalf(30) kept no digit of
        # the 4e55 left, and the tie of min(…) at 6/7 was lost (differential case 2026:69029)
        if site.brk.points == "integers":
            targets = [sympy.Integer(round(g0))] if abs(g0) <= 2**53 else []
        elif site.brk.points == "ties":  # a tie: the two arguments equal
            targets = [sympy.S.Zero]
        else:
            targets = list(site.brk.points)
        for c in targets if math.isfinite(g0) else ():  # g(p) past float range: e^1755
            if _within_spacing(g - c, slope, x, p):  # differences (case 2026:9833)
                found[g] = c
        if g not in found:  # floor(x⁵) at 7376.99: x⁵ is 2.2e19 and passes 27,000 integers
            # within two units in the last place of x (differential case 2026:113455)
            crossed = _crossed(g, x, p, "integers" if site.brk.points == "integers" else targets)
            if crossed is not None:
                found[g] = crossed
    return found


#: Points on each side of a float point where :func:`_crossed` evaluates an argument.
_WINDOW_STEPS = 4
#: The most digits :func:`_crossed` works with (an argument of 10^980 has 980 before the
#: point); past them the numeric check's own test for jumps within its step still stands.
_CROSSING_DIGITS = 1000


def _window(p: Expr) -> list[Expr]:
    """Exact points across p ± :data:`RESOLUTION_ULPS` units in the last place of p, from
    the left end to the right (p in the middle)."""
    import math

    ulp = math.ulp(float(p)) if p != 0 else 5e-324
    step = sympy.Rational(RESOLUTION_ULPS) * sympy.Rational(ulp) / _WINDOW_STEPS
    return [p + k * step for k in range(-_WINDOW_STEPS, _WINDOW_STEPS + 1)]


def _crossed(g: Expr, x: Symbol, p: Expr, targets: Any) -> Expr | None:
    """The target that ``g`` crosses (or touches) within float resolution of p, seen from
    the sign of g − c across the window (:func:`_window`); ``targets`` "integers" means the
    integers next to g(p). Newton's distance |g/g′| misses what oscillates or moves fast:
    poles of tan(x⁵) at 1200.3 are 3.0e-13 apart, about the window's width (differential
    case 2026:114849 is of this kind), and floor(x⁵) at 7376.99 jumps every 6.8e-17
    (2026:113455). Each g − c is evaluated by precise, which keeps the digits that cancel
    (sec(9.8e-60) − 1 is 4.85e-119, not 0: ceil(sec x) there is 2 on the whole window).
    None when nothing is crossed (or g has no real value there)."""
    import mpmath

    from derivcheck.calculus.precise import precise

    try:
        if targets == "integers":
            middle = precise(g, 20, {x: p})
            if middle is None or not mpmath.isfinite(middle):
                return None
            digits = 20 + max(0, int(mpmath.log10(abs(middle) + 1)))  # every integer digit
            if digits > _CROSSING_DIGITS:
                return None
            n = sympy.Integer(int(mpmath.nint(precise(g, digits, {x: p}))))
            bases = [(n, (n - 1, n, n + 1))]  # g − n, against -1, 0 and 1
        else:
            bases = [(c, (c,)) for c in targets]
        window = _window(p)
        nearest_first = sorted(range(len(window) - 1), key=lambda j: abs(j - _WINDOW_STEPS + 0.5))
        for base, levels in bases:
            values = [precise(g - base, 20, {x: q}) for q in window]
            for j in nearest_first:
                a, b = values[j], values[j + 1]
                if a is None or b is None:
                    continue
                for c in levels:
                    below, above = a - int(c - base), b - int(c - base)
                    # a change of sign, or c reached at one end only: g equal to c on the
                    # whole window is no break nearby (heaviside(cot(e^x)) is 1 around 1.2,
                    # and arccsc(1) is defined: f is constant there)
                    if below * above < 0 or (below == 0) != (above == 0):
                        return c
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return None
    return None


def _as_float(value: Expr) -> float:
    """``value`` as a float, from :func:`~derivcheck.calculus.precise.precise` (digits added
    while its terms cancel); SymPy's evalf where precise cannot; nan when neither can."""
    from derivcheck.calculus.precise import precise

    try:
        number = precise(value, 30)
    except TypeError:
        number = value.evalf(30)
    except (DerivcheckError, ArithmeticError, ValueError):
        return float("nan")
    try:
        return float("nan") if number is None else float(number)
    except (TypeError, ValueError):
        return float("nan")


def _tangent(g: Expr, x: Symbol, p: Expr) -> tuple[Expr, Expr] | None:
    """g(p) and g′(p), exactly; None when either is unknown or the slope is 0 (floor(x)′
    stays a Derivative: no slope to divide by)."""
    value = exact_value(g, {x: p})
    derivative = sympy.diff(g, x)
    slope = None if derivative.has(sympy.Derivative) else exact_value(derivative, {x: p})
    if value is None or slope is None or is_zero(slope):
        return None
    if not (value.evalf(30).is_Number and slope.evalf(30).is_Number):  # a DiracDelta of
        return None  # cot(e^1.2) that SymPy leaves unevaluated (differential case 2026:12125)
    return value, slope


def _within_spacing(offset: Expr, slope: Expr, x: Symbol, p: Expr) -> bool:
    """True when ``offset`` (g − its target, a function of x), with slope ``slope`` at p,
    reaches 0 within :data:`RESOLUTION_ULPS` units in the last place of p. The offset is
    evaluated at the exact p by precise: a value at a 60-digit float of p loses what
    cancels (erf(A(x)) − erf(A(e/2)) at 1e-6 below e/2 is −6e-9149, where both erf round
    to 1.0 and the edge of arcsec seemed at the point: differential case 2026:16193)."""
    import math

    import mpmath

    from derivcheck.calculus.precise import precise

    spacing = RESOLUTION_ULPS * math.ulp(float(p)) if p != 0 else RESOLUTION_ULPS * 5e-324
    try:  # each by precise, divided in mpmath: SymPy's offset/slope of (x^(-x/2))′ at
        # 0.0702 is a fraction of 5,000 digits, whose evalf raised (case 2026:102993)
        off, rate = precise(offset, 20, {x: p}), precise(slope, 20)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return False
    if off is None or rate is None or rate == 0:
        return False
    distance = abs(off / rate)  # 2^-2000 is 0 as a float: compared as mpmath numbers
    return distance <= mpmath.mpf(spacing)


def singular_at_resolution(
    expression: Expr,
    variable: Symbol,
    point: Mapping[Symbol, Expr],
    hidden: Iterable[Restriction] = (),
):
    """The message for a pole of ``expression`` in ``variable``, or an edge of its domain,
    that lies within float resolution of a float point (but not on it): as with a kink
    there, the float cannot hold the exact point, so the pole or edge is taken as at the
    point (√(x - 1/3) at 0.33333333333333337 has no two-sided derivative); so is an odd
    root's vertical tangent (∛(x + 1/7) at -0.14285714285714285). None when there is none.
    ``hidden``: restrictions of the formula as typed that SymPy simplified away
    (:func:`~derivcheck.calculus.domain.hidden_restrictions`): cos(arccos(u)) is u, but
    only for |u| ≤ 1 (differential case 2026:362).

    >>> from derivcheck import parse
    >>> from derivcheck.reading.parser import symbol
    >>> x = symbol("x")
    >>> singular_at_resolution(parse("1/(x - 2/7)"), x, {x: sympy.Rational(2 / 7)}) is not None
    True
    >>> singular_at_resolution(parse("1/(x - 2/7)"), x, {x: sympy.Rational(0.3)}) is None
    True
    """
    point = {k: as_exact(v) for k, v in point.items()}
    location = point[variable]
    others = {k: v for k, v in point.items() if k != variable}
    sliced = expression.xreplace(others)
    typed = tuple(_sliced(r, others) for r in hidden)
    for restriction in (*restrictions(sliced), *typed):
        if restriction.poles is not None:
            line = _tangent(restriction.poles, variable, location)
            close = line is not None and _within_spacing(
                restriction.poles, line[1], variable, location
            )
            crossed = _crossed(restriction.poles, variable, location, [sympy.S.Zero])
            if close or crossed is not None:
                return Message(
                    "smoothness.pole_at_resolution",
                    node=restriction.node,
                    pole=restriction.poles,
                    point=repr(float(location)),
                )
        line = _tangent(restriction.argument, variable, location) if restriction.edges else None
        for edge in restriction.edges:
            close = line is not None and _within_spacing(
                restriction.argument - edge, line[1], variable, location
            )
            if close or _crossed(restriction.argument, variable, location, [edge]) is not None:
                return Message(
                    "smoothness.edge_at_resolution",
                    node=restriction.node,
                    argument=restriction.argument,
                    edge=edge,
                    point=repr(float(location)),
                )
    # an odd root's vertical tangent: u^(1/3) at u = 0, unless f does not depend on it near
    # the point (floor(x)·∛(x^x - 0.4^0.4) at 0.4 is 0 there: differential case 2026:33248)
    try:
        nearby = local_form(sliced, variable, location)
    except (ArithmeticError, TypeError, ValueError):  # floor of 10^79701: its digits
        nearby = sliced
    for node in nearby.atoms(sympy.Pow):
        q = node.exp
        if not (q.is_Rational and not q.is_Integer and 0 < q < 1):
            continue
        line = _tangent(node.base, variable, location)
        if line is not None and _within_spacing(node.base, line[1], variable, location):
            return Message(
                "smoothness.tangent_at_resolution",
                node=node,
                base=node.base,
                point=repr(float(location)),
            )
    return None


def _sliced(restriction: Restriction, others: Mapping[Symbol, Expr]) -> Restriction:
    """``restriction`` with the other variables at their values."""
    poles = restriction.poles
    return replace(
        restriction,
        argument=restriction.argument.xreplace(others),
        poles=None if poles is None else poles.xreplace(others),
    )


class _Undecided(Exception):
    """SymPy could not say on which side of a break an argument lies."""


LimitUndecided = _Undecided  # what one_sided_limits raises when SymPy gives no number


def _one_side(
    f: Expr, x: Symbol, p: Expr, side: int, near: Mapping[Expr, Expr]
) -> tuple[Expr, Expr, Expr]:
    """The limit of f and of f′ at p from one side, and the form they come from: f with
    every break replaced by the branch it follows on that side, evaluated exactly."""
    branch = _side_form(f, x, p, side, near)
    value = exact_value(branch, {x: p})
    # ceiling(x) away from the integers is constant: SymPy leaves its derivative
    # unevaluated, and substituting into that raised (differential case 2026:8003)
    slope = diff_between_breaks(branch, x).xreplace({x: p})
    if slope.has(sympy.Subs):  # floor(-3x/4)′ at -5/3 is Subs(0, ξ, 5/4): 0 once done, and
        slope = slope.doit()  # nan as it stood (differential case 2026:56199)
    if value is None:
        raise _Undecided(f)
    if slope.has(sympy.zoo, sympy.nan) or slope.free_symbols:
        raise _Undecided(f)
    return value, slope, branch


def one_sided_limits(f: Expr, x: Symbol, p: Expr) -> list[tuple[Expr, Expr, None]]:
    """The limits of f and of its difference quotient at p from each side, by SymPy's
    ``limit``, where the branches' derivatives have no value at p: |x^(2/3)|·x at 0 is
    |t|^(5/3) on both sides, with quotient |t|^(2/3) → 0, while the branch's derivative
    has x^(-1/3) in it (differential case 2026:6562 took a Richardson estimate, 1.9e-6 ±
    1.7e-6, for the exact derivative 0). Real odd roots throughout (calculus.roots)."""
    if sympy.count_ops(f) > _LIMIT_OPS:
        raise _Undecided(f)
    t = sympy.Dummy("t", positive=True)
    form = written_out(real_form(f))
    if form.has(*_NO_LIMITS):  # SymPy's limit ran past the 10 s limit on |heaviside(x/4)|^(1/3)
        raise _Undecided(f)  # at -1/4 (differential case 2026:27011): steps are for numerics
    if _quotient_grows(f, x, p):  # a vertical tangent: no finite limit to look for
        raise _Undecided(f)
    sides = []
    try:
        with spend_at_most(_LIMIT_SECONDS):
            for side in (-1, 1):
                g = form.xreplace({x: p + side * t})
                value = sympy.limit(g, t, 0, "+")
                finite = _finite(value)
                slope = sympy.limit((g - value) / (side * t), t, 0, "+") if finite else None
                if slope is None or not _finite(slope):
                    raise _Undecided(f)
                sides.append((value, slope, None))
    except BudgetSpent:  # SymPy ran 10 s on asin(1 + (1/2)^cosh(x - 9/2) - …) at -9 (2026:112754)
        raise _Undecided(f) from None
    return sides


#: CPU seconds SymPy's ``limit`` may spend on the one-sided limits of one point; past them
#: the numeric engine's one-sided differences decide.
_LIMIT_SECONDS = 1.5


def _quotient_grows(f: Expr, x: Symbol, p: Expr) -> bool:
    """True when a one-sided difference quotient of f at p grows like a power of the step,
    at least tenfold for each step 10¹⁰ times shorter (steps 10⁻¹⁰, 10⁻²⁰ and 10⁻³⁰ of |p|,
    or of 1 at 0, at 80 digits, each difference far above their rounding): f has a vertical
    tangent there, whose limit SymPy's ``limit`` can spend over 10 s not finding
    (cbrt(logistic(csch(x)) - logistic(csch(11/5))) at 11/5, differential case 2026:6550).
    Only a slope that is clearly infinite is decided so; a finite one is still SymPy's.

    >>> from sympy import Symbol, cbrt, sin
    >>> x = Symbol("x", real=True)
    >>> _quotient_grows(cbrt(sin(x)), x, sympy.S.Zero), _quotient_grows(x * abs(x), x, sympy.S.Zero)
    (True, False)
    """
    import mpmath

    from derivcheck.calculus.precise import approximate

    size = abs(p) if p != 0 else sympy.S.One
    if not size.is_Rational:
        size = sympy.Rational(float(size))
    centre = _mp_point(p, _QUOTIENT_DIGITS + 10)
    at_p = approximate(f, {x: centre}, _QUOTIENT_DIGITS)
    if at_p is None or isinstance(at_p, mpmath.mpc) or not mpmath.isfinite(at_p):
        return False
    for side in (-1, 1):
        sizes = []
        for k in (10, 20, 30):
            step = size / sympy.Integer(10) ** k
            beside = approximate(f, {x: _mp_point(p + side * step, _QUOTIENT_DIGITS + 10)},
                                 _QUOTIENT_DIGITS)  # fmt: skip
            if beside is None or isinstance(beside, mpmath.mpc) or not mpmath.isfinite(beside):
                break
            with mpmath.workdps(_QUOTIENT_DIGITS):
                difference = abs(beside - at_p)
                if difference <= mpmath.mpf(10) ** (20 - _QUOTIENT_DIGITS) * max(1, abs(at_p)):
                    break  # rounding, not f: a flat f's quotients would grow as 1/h
                sizes.append(difference / _mp_point(step, _QUOTIENT_DIGITS))
        if len(sizes) == 3 and 0 < 10 * sizes[0] <= sizes[1] and 10 * sizes[1] <= sizes[2]:
            return True
    return False


#: Digits of the difference quotients of _quotient_grows (its steps go down to 10⁻³⁰).
_QUOTIENT_DIGITS = 80


def _finite(value: Expr) -> bool:
    """A real number (no symbol, no infinity, no unevaluated limit)."""
    return (
        value.is_number
        and not value.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan, sympy.Limit)
        and value.is_extended_real is True
    )


#: Largest function (operations) whose one-sided limits are asked of SymPy's ``limit``.
_LIMIT_OPS = 60
#: Functions with steps, whose one-sided limits are not asked of SymPy's ``limit``.
_NO_LIMITS = (
    sympy.Heaviside,
    sympy.DiracDelta,
    sympy.floor,
    sympy.ceiling,
    sympy.Piecewise,
    sympy.Max,
    sympy.Min,
)


def local_form(node: Expr, x: Symbol, p: Expr) -> Expr:
    """``node`` as the smooth expression it equals on a whole neighbourhood of p, where no
    argument of a function with breaks is on a break: relu(u) with u(p) < 0 is 0 there,
    hardtanh(u) with u(p) > 1 is 1, max(a, b) is the larger. An argument on a break stays.

    >>> x = sympy.Symbol("x")
    >>> from derivcheck.calculus.functions import relu
    >>> local_form(sympy.sqrt(relu(x)), x, sympy.Integer(-1))
    0
    """
    if not node.args or not node.free_symbols:
        return node
    args = tuple(local_form(a, x, p) for a in node.args)
    rebuilt = node.func(*args) if args != node.args else node
    if rebuilt.func is not node.func:  # rewritten by SymPy (see _side_form)
        return local_form(rebuilt, x, p)
    record = record_of(rebuilt)
    if record is None or not record.breaks or not rebuilt.args:
        return rebuilt
    brk = record.breaks[0]
    values = [exact_value(a, {x: p}) for a in rebuilt.args]
    if any(v is None or not v.is_real for v in values):
        return rebuilt
    if brk.points == "ties":
        best = (max if record.key == "max" else min)(values, key=lambda v: float(v.evalf(30)))
        winners = [a for a, v in zip(rebuilt.args, values) if is_zero(v - best)]
        return winners[0] if len(winners) == 1 else rebuilt
    argument, *parameters = rebuilt.args
    at = values[0]
    if brk.points == "integers":
        if brk.at(at):
            return rebuilt
        below = _floor(at)
        return rebuilt if below is None else brk.right(argument, below, *parameters)
    points = sorted(brk.points, key=lambda q: float(q))
    if any(is_zero(at - q) for q in points):
        return rebuilt
    lower = [q for q in points if float((at - q).evalf(30)) > 0]
    if lower:
        return brk.right(argument, lower[-1], *parameters)
    return brk.left(argument, points[0], *parameters)


def _floor(value: Expr) -> Expr | None:
    """The integer below ``value``, an exact number that is no integer (Break.at said so),
    from its digits (precise, with every integer digit and 20 more) and the sign of its
    offset from the nearest integer (precise keeps what cancels: 3 − 10^-25 is below 3);
    None when they cannot be had. SymPy's floor may spend seconds proving what the digits
    show."""
    import mpmath

    from derivcheck.calculus.precise import MAX_DIGITS, precise

    if value.is_Rational:
        return sympy.floor(value)
    try:
        size = precise(value, 15)
        if size is None or not mpmath.isfinite(size):
            return None
        digits = 20 + (int(mpmath.log10(abs(size))) if size else 0)
        if digits > MAX_DIGITS:
            return None
        number = precise(value, digits)
        if number is None:
            return None
        with mpmath.workdps(digits + 10):
            nearest = sympy.Integer(int(mpmath.nint(number)))
        offset = precise(value - nearest, 20)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return None
    if offset is None or offset == 0:
        return None
    return nearest if offset > 0 else nearest - 1


def _side_form(node: Expr, x: Symbol, p: Expr, side: int, near: Mapping[Expr, Expr]) -> Expr:
    """``node`` as the smooth expression it equals just to the ``side`` of p; ``near`` maps
    arguments taken as on a break (float resolution) to that break."""
    if not node.args or not node.free_symbols:
        return node
    args = tuple(_side_form(a, x, p, side, near) for a in node.args)
    rebuilt = node.func(*args) if args != node.args else node
    if rebuilt.func is not node.func:  # SymPy rewrote it: |x/50| is |x|/50, whose |x| is
        return _side_form(rebuilt, x, p, side, near)  # still on its break (case 2026:65333)
    record = record_of(rebuilt)
    if record is None or not record.breaks or not rebuilt.args:
        return rebuilt
    brk = record.breaks[0]
    if brk.points == "ties":
        tie = len(rebuilt.args) > 1 and (rebuilt.args[0] - rebuilt.args[1]) in near
        return _extremum_side(rebuilt, record.key, x, p, side, tie)
    argument, *parameters = rebuilt.args
    if argument in near:
        at = near[argument]
    else:
        at = exact_value(argument, {x: p})
        if at is None or not brk.at(at):
            return rebuilt
    direction = _direction(argument - at, x, p, side)
    if direction == 0:  # the argument stays on the break near p: f is constant there
        return rebuilt
    branch = brk.left if direction < 0 else brk.right
    return branch(argument, at, *parameters)


def _extremum_side(node: Expr, key: str, x: Symbol, p: Expr, side: int, tie: bool = False) -> Expr:
    """max/min at a tie: the argument that wins just to the ``side`` of p. ``tie``: its
    first two arguments are taken as tied (they differ by less than float resolution)."""
    values = [exact_value(a, {x: p}) for a in node.args]
    if any(v is None for v in values):
        raise _Undecided(node)
    pick = max if key == "max" else min
    best = pick(values, key=lambda v: float(v.evalf(30)))
    tied = [a for a, v in zip(node.args, values) if is_zero(v - best)]
    if tie and len(tied) == 1 and tied[0] in node.args[:2]:
        tied = list(dict.fromkeys([*node.args[:2], *tied]))
    if len(tied) == 1:
        return node
    winner = tied[0]
    for candidate in tied[1:]:
        direction = _direction(candidate - winner, x, p, side)
        if (direction > 0) == (key == "max") and direction != 0:
            winner = candidate
    return winner


def _direction(h: Expr, x: Symbol, p: Expr, side: int) -> int:
    """The sign of h(p + side·t) for small t > 0, where h(p) = 0: from the first non-zero
    Taylor term h⁽ᵏ⁾(p)·(side·t)ᵏ/k!. 0 when h vanishes near p (asinh(sinh x) − x) or to
    every order tried."""
    if _vanishes_nearby(h, x, p):
        return 0
    derivative = h
    for k in range(1, _TAYLOR_TERMS + 1):
        derivative = sympy.diff(derivative, x)
        value = exact_value(derivative, {x: p})
        if value is None:  # no Taylor term: x^(4/3) has h″ = (4/9)·x^(-2/3), none at 0
            return _sign_beside(h, x, p, side)
        if not is_zero(value):
            sign = 1 if float(value.evalf(30)) > 0 else -1
            return sign * (side**k)
    return 0


def _sign_beside(h: Expr, x: Symbol, p: Expr, side: int) -> int:
    """The sign of h at p ± 2⁻⁴⁰·|p| and at p ± 2⁻⁸⁰·|p| (2⁻⁴⁰ and 2⁻⁸⁰ at 0; 30 digits),
    where h has no Taylor expansion at p to read it from: x^(4/3) beside 0 is positive on
    both sides, so ceil(x^(4/3)) is 1 beside 0 and 0 at it, a jump (it was "smooth" by
    one-sided differences that never looked at f(0)). Raises :class:`_Undecided` when the
    two disagree or either is not a real number."""
    import mpmath

    from derivcheck.calculus.precise import approximate

    size = abs(p) if p != 0 else sympy.S.One
    size = size if size.is_Rational else sympy.Rational(float(size))
    signs = set()
    for power in (40, 80):
        for digits in _BESIDE_DIGITS:  # softplus((2⁻⁸⁰)^1.8) - ln 2 is 2e-44: 0 at 30 digits
            at = _mp_point(p + side * size / sympy.Integer(2) ** power, digits + 30)
            value = approximate(h, {x: at}, digits)
            if value is None or isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
                raise _Undecided(h)
            if abs(value) > mpmath.mpf(10) ** (10 - digits):
                break
        signs.add(int(mpmath.sign(value)))
    if len(signs) != 1:
        raise _Undecided(h)
    return signs.pop()


def _outside_at_an_edge(f: Expr, x: Symbol, p: Expr) -> tuple[int, ...]:
    """The sides of p where f is not real, when p puts the argument of a restriction of f
    exactly on an edge of its domain (arccsc(x) at 1, u^(3/2) at u = 0); () otherwise.

    The derivative's formula can be finite there (x^(3/2) at 0 has slope 0 from the
    right), but with no real values on one side there is no two-sided derivative.
    """
    env = {x: p}
    for restriction in restrictions(f):
        edges = restriction.edges
        if not edges:
            continue
        value = exact_value(restriction.argument, env)
        if value is None or not any(is_zero(value - edge) for edge in edges):
            continue
        outside = tuple(
            side
            for side in (-1, 1)
            if not allowed_beside(restriction, x, p, side) or not _real_beside(f, x, p, side)
        )
        if outside:
            return outside
    return ()


def allowed_beside(restriction: Restriction, x: Symbol, p: Expr, side: int) -> bool:
    """True when the restriction's argument is in its domain just to the ``side`` of p:
    softplus(x^(5/2)) beside 0 on the left is log(2) + 5e-31 i, real to 30 digits beside
    its size, but x < 0 there is outside the root's domain (differential case 2026:6761).
    An argument that equals an edge to the digits used is looked at with more: (x² + 1)^x
    beside 0 is 1 - 2⁻¹²⁰ on the left, 1 to 30 digits, and arccsc of it is not real there
    (differential case 2026:3882)."""
    import mpmath

    from derivcheck.calculus.precise import approximate

    edges = [mpmath.mpf(sympy.Float(e, 30)) for e in restriction.edges if e.is_number]
    for digits in _BESIDE_DIGITS:
        value = approximate(restriction.argument, {x: _beside(p, side, digits + 10)}, digits)
        if value is None or (isinstance(value, mpmath.mpc) and value.imag != 0):
            return False
        if not mpmath.isfinite(value):
            return False
        with mpmath.workdps(digits):
            close = any(
                abs(value - e) <= mpmath.mpf(10) ** (5 - digits) * max(1, abs(e)) for e in edges
            )
        if not close:
            break
    real = sympy.Float(mpmath.re(value), digits)
    return bool(restriction.allowed.contains(real))


#: Digits with which allowed_beside looks beside a point, until the argument is off its edge.
_BESIDE_DIGITS = (30, 90, 270)


def _beside(p: Expr, side: int, digits: int = 40) -> Any:
    """The point p ± 2⁻⁴⁰·|p| (2⁻⁴⁰ at 0; ``digits`` digits), where the sides of p are looked at:
    relative to p, as a float's resolution is (2^-40 to the left of 2.07678e-25 is below
    0, and x^arccsc(heaviside(x)) was "at the edge" there: differential case 2026:25505)."""
    size = abs(p) if p != 0 else sympy.S.One
    step = sympy.Rational(1, 2**40) * (size if size.is_Rational else sympy.Rational(float(size)))
    return _mp_point(p + side * step, digits)


def _mp_point(point: Expr, digits: int) -> Any:
    """An exact point as an mpmath number of ``digits`` digits."""
    import mpmath

    from derivcheck.calculus.precise import approximate

    with mpmath.workdps(digits):
        return mpmath.mpf(point.p) / point.q if point.is_Rational else approximate(point)


def _real_beside(f: Expr, x: Symbol, p: Expr, side: int) -> bool:
    """True when f is real just to the ``side`` of p (at p ± 2⁻⁴⁰·max(1, |p|), 30 digits,
    by the mpmath evaluator, which knows every catalogue function), and so is every part
    of it (each restriction of the domain holds there): x^(3/2)·H(x) left of 0 is
    0·(a number that is not real), 0 for mpmath, and was differentiable at 0 (differential
    case 2026:107073)."""
    import mpmath

    from derivcheck.calculus.precise import approximate

    for restriction in restrictions(f):
        if restriction.allowed is sympy.S.Reals or x not in restriction.argument.free_symbols:
            continue
        if not allowed_beside(restriction, x, p, side):
            return False
    value = approximate(f, {x: _beside(p, side)}, 30)
    if value is None:
        return False
    if isinstance(value, mpmath.mpc):
        # relative to the value itself: (x^(1-x)/π - 1/π)^(3/2) beside 1 is -1.35e-37 i,
        # tiny because the value is, and no real number (differential case 2026:4676)
        return abs(value.imag) <= mpmath.mpf(10) ** -20 * abs(value)
    return bool(mpmath.isfinite(value))


def _vanishes_nearby(h: Expr, x: Symbol, p: Expr) -> bool:
    """True when h is 0 (below 10⁻¹⁰⁰, at 120 digits) at four points around p: h is
    identically zero there, whatever its formula looks like, and has no side. Evaluated by
    the mpmath evaluator: SymPy's evalf of ((x - 1.2)² + 1)^(x³) at -7/4 + 2⁻²⁰ takes the
    exact rational power first (over 10 s). 10⁻⁴⁰ at 50 digits was too coarse: the two
    sides of min(erf(x), σ(-9x) - σ(90) + erf(-10)) at -10 differ by 7.4e-39·t, 7e-45 at
    t = 2⁻²⁰, and the kink was lost (differential case 2026:67107)."""
    import mpmath

    from derivcheck.calculus.precise import approximate

    step = sympy.Rational(1, 2**20) * max(1, abs(int(float(p.evalf(20)))))
    for k in (-2, -1, 1, 2):
        value = approximate(h, {x: _mp_point(p + k * step, 130)}, 120)
        if value is None or abs(value) > mpmath.mpf(10) ** -100:
            return False
    return True


def _equal(a: Expr, b: Expr) -> bool:
    """Exactly equal; where :func:`~derivcheck.calculus.domain.exact_value` gave either as a
    Float (it keeps a large exact value as one, of 50 digits or more), equal to all but the
    last :data:`_FLOAT_SLACK` of the Float's digits: √(1 + sec²(p)) and its own 60-digit
    Float differ by the Float's rounding, 1e-61, which made (sec²x + 1)^H(H(x)) "jump" at
    -0.93, where H(x) = 0 all around (differential case 2026:5351)."""
    if is_zero(a - b):
        return True
    floats = a.atoms(sympy.Float) | b.atoms(sympy.Float)
    if not floats:
        return False
    import mpmath
    from sympy.core.evalf import prec_to_dps

    from derivcheck.calculus.precise import precise

    digits = min(prec_to_dps(f._prec) for f in floats)
    values = [precise(v, digits + 10) for v in (a, b)]
    if any(v is None for v in values):
        return False
    with mpmath.workdps(digits + 10):
        first, second = values
        slack = mpmath.mpf(10) ** (_FLOAT_SLACK - digits)
        return abs(first - second) <= slack * max(abs(first), abs(second))


#: Digits at the end of a Float that :func:`_equal` does not count on.
_FLOAT_SLACK = 5


def _negligible(gap: Expr, x: Symbol, p: Expr) -> bool:
    """True when ``gap`` (the difference of the two sides' forms, in which f's smooth rest
    has cancelled) is 0 at the break, judged at p a hair (at most ``RESOLUTION_ULPS`` ulps)
    from it: a join that is continuous at the break leaves at p only what the hair moves,
    |gap(p)| ≤ |gap′(p)|·hair (four times, for the curvature on the way).

    Measured against f's own size instead, a jump of 1 next to -1.1e10 (heaviside(…) −
    (49x² + 1)^x) or slopes ±1.85e-13 (a kink of |tanh(-7x) − tanh(49/3)|·sec(8x)) were
    lost; all found by the differential run.

    >>> x = sympy.Symbol("x")
    >>> p = 1 + sympy.Rational(1, 2**53)          # a hair right of a break at 1
    >>> _negligible(1 - x, x, p), _negligible(sympy.Integer(-1), x, p)   # relu; heaviside
    (True, False)
    """
    import math

    value = exact_value(gap, {x: p})
    if value is None:
        return False
    if is_zero(value):
        return True
    hair = RESOLUTION_ULPS * (math.ulp(float(p)) if p != 0 else 5e-324)
    # floor and ceil are constant between their breaks (floor(-x)·(e^u − 1 − u) at a float
    # of -5/7: SymPy's Derivative of floor had no value, and elu's smooth join a "kink":
    # differential case 2026:149437)
    slope = exact_value(diff_between_breaks(gap, x), {x: p})
    if slope is None:
        return False
    try:
        return abs(float(value.evalf(30))) <= 4 * abs(float(slope.evalf(30))) * hair
    except TypeError:  # no number (floor of a value SymPy leaves unevaluated): not shown to
        return False  # be 0 (differential case 2026:48040 raised TypeError here)


def _numeric(f: Expr, x: Symbol, p: Expr, sources: tuple[str, ...]) -> Smoothness:
    """Where SymPy cannot decide: the numeric engine's one-sided differences."""
    from derivcheck.numeric import one_sided
    from derivcheck.numeric.evaluate import compile_expr

    compiled = compile_expr(f, [x])
    left, right = one_sided(compiled, float(p))
    # f beside p and at p: ceil(x^(4/3)) is 1 on both sides of 0 and 0 at it, no less a jump
    at = float(p)
    values = [complex(v).real for v in compiled([at - 1e-12, at, at + 1e-12])]
    jump = any(abs(v - values[1]) > 1e-6 * max(1.0, abs(values[1])) for v in values)
    kind = "jump" if jump else ("kink" if not _close(left, right) else "smooth")
    return Smoothness(
        kind,
        x,
        p,
        sympy.Float(left.estimate),
        sympy.Float(right.estimate),
        None,
        None,
        sources,
        "numeric",
    )


def _close(left, right) -> bool:
    """The one-sided estimates agree within their budgets; an infinite or missing side (the
    right slope of sqrt(relu(x)) at 0) never agrees."""
    import math

    numbers = (left.estimate, right.estimate, left.error_estimate, right.error_estimate)
    if not all(math.isfinite(n) for n in numbers):
        return False
    budget = 10 * (left.error_estimate + right.error_estimate) + 1e-12
    return abs(left.estimate - right.estimate) <= budget
