"""The independent reference: values, derivatives and differentiability without derivcheck.

Everything here is SymPy's own functions and mpmath: a case's function is a SymPy
expression built by :mod:`tests.differential.generator` (derivcheck's own activations
written out with Piecewise/log/exp/erf there), its derivative is ``sympy.diff`` of that
expression, and both are evaluated by :func:`evaluate`, a small mpmath interpreter of
SymPy trees (at 50 digits or more, with real-domain rules: ``ln u`` needs u > 0, ``u^(p/q)``
needs u ≥ 0 for an even q and is real for an odd q (the README: "odd roots are real, as
textbooks mean"), ``u^v`` with v varying needs u > 0, ...). Whether f is differentiable at a point
is decided by one-sided difference quotients at high precision and tiny steps
(:func:`decide`), not by looking at the formula.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> t = decide(sympy.Abs(3 * x - 1), x, sympy.Rational(1, 3))
>>> t.kind, float(t.left), float(t.right)
('kink', -3.0, 3.0)
>>> t = decide(sympy.log(x), x, sympy.Rational(1, 10) ** 300)
>>> t.kind, float(t.value)
('smooth', 1e+300)
>>> decide(sympy.sqrt(x), x, sympy.S.Zero).kind
'edge'
>>> decide(sympy.cbrt(x), x, sympy.S.Zero).kind  # odd roots are real: a vertical tangent
'singular'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy
from mpmath import mpf

__all__ = [
    "Undefined",
    "Huge",
    "RefFloor",
    "RefCeil",
    "evaluate",
    "Truth",
    "decide",
    "exact_of_float",
    "break_sites",
    "break_within",
]


class Undefined(Exception):
    """The expression has no real finite value at the point."""


class Huge(Undefined):
    """An exponent beyond :data:`EXP_LIMIT`: mpmath could take hours, and derivcheck refuses
    such values (limits.magnitude); the reference does not decide them (:func:`decide`
    raises it: the case is "reference undecided", never "undefined")."""


#: Largest |argument| of exp the reference computes: beyond, mpmath's argument reduction
#: needs as many bits as the argument's exponent (e^(10^(10^7)) would take hours; e^(4e9) at
#: 90 digits takes 15 s).
EXP_LIMIT = mpf(10) ** 9


def _exp(argument: mpf) -> mpf:
    if abs(argument) > EXP_LIMIT:
        raise Huge(argument)
    return mpmath.exp(argument)


class RefFloor(sympy.Function):
    """floor, written so that ``sympy.diff`` gives its derivative where it has one (0)."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sympy.S.Zero


class RefCeil(sympy.Function):
    """ceil, as :class:`RefFloor`."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sympy.S.Zero


_MP_UNARY = {
    sympy.sin: mpmath.sin,
    sympy.cos: mpmath.cos,
    sympy.tan: mpmath.tan,
    sympy.cot: mpmath.cot,
    sympy.sec: mpmath.sec,
    sympy.csc: mpmath.csc,
    sympy.asin: mpmath.asin,
    sympy.acos: mpmath.acos,
    sympy.atan: mpmath.atan,
    sympy.asec: mpmath.asec,
    sympy.acsc: mpmath.acsc,
    sympy.sinh: mpmath.sinh,
    sympy.cosh: mpmath.cosh,
    sympy.tanh: mpmath.tanh,
    sympy.coth: mpmath.coth,
    sympy.sech: mpmath.sech,
    sympy.csch: mpmath.csch,
    sympy.asinh: mpmath.asinh,
    sympy.acosh: mpmath.acosh,
    sympy.atanh: mpmath.atanh,
    sympy.exp: mpmath.exp,
    sympy.log: mpmath.log,
    sympy.erf: mpmath.erf,
    sympy.erfc: mpmath.erfc,  # (in _tails: erf as 1 − erfc)
    sympy.Abs: abs,
}


class _Evaluator:
    """Evaluate a SymPy tree at x = ``value`` with mpmath (the working precision is the
    caller's). ``exact``: the point as an exact SymPy number, used to decide exactly whether
    an argument sits on a domain edge, a pole or a break (3·(1/3) − 1 is 0, not 1e-80)."""

    def __init__(self, x: sympy.Symbol, value: mpf, exact: sympy.Expr | None):
        self.x = x
        self.value = value
        self.exact = exact
        self.memo: dict[sympy.Expr, mpf] = {}
        self.tiny = mpf(10) ** (-(mpmath.mp.dps // 2))

    # ---- exact decisions near critical values ----
    def sign_of(self, node: sympy.Expr, value: mpf, critical) -> int:
        """The sign of node − critical, exactly when the point is exact and it is close."""
        difference = value - critical
        scale = max(abs(value), abs(mpf(critical)), mpf(1))
        if abs(difference) > self.tiny * scale:
            return int(mpmath.sign(difference))
        if self.exact is None:  # beside the point: rounding, unless node is critical always
            if _identically(node, critical):
                return 0
            found = self._again(node, critical)
            if found is None:
                return int(mpmath.sign(difference))
            again, digits = found
            if difference != 0:
                if abs(again) <= mpf(10) ** -mpmath.mp.dps * abs(difference):
                    return 0  # rounding only
                return int(mpmath.sign(difference))
            if again == 0:
                return 0
            # a true value past the working precision stays put with more digits, rounding
            # does not: erf(gelu(7x)) − erf(56) beside 8 is ±1e-1366, 0 at any working
            # precision, and 1 + it is outside arcsin's domain on one side (case 2026:150603,
            # where the reference said smooth)
            confirmed = self._again(node, critical, 2 * digits)
            if confirmed is None or abs(confirmed[0] - again) > mpf(10) ** -10 * abs(again):
                return 0
            return int(mpmath.sign(again))
        if critical == 0 and value != 0 and self._stays(node, value):
            return int(mpmath.sign(value))  # ln(1 + e^-1.5e7) = 1e-6562843: no cancellation
        d = node.xreplace({self.x: self.exact}) - sympy.Integer(int(critical))
        if d == 0 or d.is_zero is True or d.doit() == 0:  # -(-1 + exp(0)), kept unevaluated
            return 0  # as typed, is 0 (it came out -1: case 2026:15385)
        for form in (d, _tails(d)):  # the tails kept: erf(A) − erf(c) = erfc(c) − erfc(A)
            with mpmath.workdps(3 * mpmath.mp.dps):
                precise = sympy.N(form, 3 * mpmath.mp.dps)
                # zero when the terms cancel to the precision (relative to the terms:
                # sech(729) - sech(729 + 2e-10) is -3e-327, not 0)
                terms = form.args if form.is_Add else (form,)
                scale = max(abs(mpf(str(sympy.N(t, 30)))) for t in terms)
            tiny = mpf(10) ** (-2 * mpmath.mp.dps) * scale
            if not (precise == 0 or abs(mpf(str(precise))) < tiny):
                return 1 if precise > 0 else -1
        return 0

    def _again(
        self, node: sympy.Expr, critical, digits: int | None = None
    ) -> tuple[mpf, int] | None:
        """node − critical at this (inexact) point at three times the precision, with erf and
        tanh as their tails (:func:`_tails`, the difference formed before it is evaluated);
        with the digits used (``digits``: at least these); None where it has no value.
        The caller compares it with the difference at the
        working precision: one that shrinks by 10^dps is rounding, not a value. min(x + 6,
        −4x/x) − min(11/3 + 6, −4) is 0 around 3.67 (−4x/x is −4), but x⁻¹·(−4x) rounds to
        ±1e-50, and SymPy's simplify, which cannot tell min(−4, x + 6) from −4, does not
        see it: sign of it "jumped" (case 2026:140143). A tiny true value stays put:
        sech(−6293) is 1e-2733 at any precision (case 2026:142101)."""
        difference = node - sympy.Integer(int(critical))
        form = _tails(difference) if difference.has(sympy.erf, sympy.tanh) else difference
        digits = max(digits or 0, 3 * mpmath.mp.dps)
        try:
            with mpmath.workdps(digits):
                again = _Evaluator(self.x, self.value, None)(form)
            # 0 to every one of three times the digits: more, up to _AGAIN_DIGITS, before
            # it counts as 0 (1 − (1 + δ)², δ = erf(gelu(7x)) − erf(56) ≈ 1e-1366 beside 8,
            # is 0 at 150 digits; the reference took arcsin's edge for inside: case
            # 2026:150603)
            while again == 0 and digits < _AGAIN_DIGITS:
                digits = min(_AGAIN_DIGITS, 4 * digits)
                with mpmath.workdps(digits):
                    again = _Evaluator(self.x, self.value, None)(form)
            return again, digits
        except (Undefined, Huge, ValueError, ZeroDivisionError):
            return None

    def _stays(self, node: sympy.Expr, value: mpf) -> bool:
        """True when ``node`` evaluated again at three times the precision has the same
        value to ten digits: a value that comes from rounding moves, a tiny true one does
        not (softplus(u) at u = -1.5e7, which N() takes for 0: case 2026:36650)."""
        try:
            with mpmath.workdps(3 * mpmath.mp.dps):
                again = _Evaluator(self.x, _mp_of(self.exact), self.exact)(node)
        except (Undefined, Huge, ValueError, ZeroDivisionError):
            return False
        return bool(again) and abs(again - value) <= mpf(10) ** -10 * abs(again)

    def __call__(self, node: sympy.Expr) -> mpf:
        found = self.memo.get(node)
        if found is None:
            found = self.memo[node] = self.compute(node)
        return found

    def compute(self, node: sympy.Expr) -> mpf:  # noqa: C901 - one case per node type
        if node == self.x:
            return self.value
        if node.is_Integer:
            return mpf(int(node))
        if node.is_Rational:
            return mpf(int(node.p)) / int(node.q)
        if node.is_Float:
            return mpf(str(node))
        if node is sympy.pi:
            return +mpmath.pi
        if node is sympy.E:
            return +mpmath.e
        if node.is_Add:
            return mpmath.fsum(self(a) for a in node.args)
        if node.is_Mul:
            result = mpf(1)
            for a in node.args:
                result *= self(a)
            return result
        if node.is_Pow:
            return self.power(node)
        func = node.func
        if func in (sympy.Max, sympy.Min):
            values = [self(a) for a in node.args]
            return max(values) if func is sympy.Max else min(values)
        if func is sympy.Piecewise:
            for expression, condition in node.args:
                if self.holds(condition):
                    return self(expression)
            raise Undefined(node)
        if func is sympy.sign:
            return mpf(self.sign_of(node.args[0], self(node.args[0]), 0))
        if func is sympy.Heaviside:
            s = self.sign_of(node.args[0], self(node.args[0]), 0)
            if s == 0:
                h0 = node.args[1] if len(node.args) > 1 else sympy.S.Half
                return self(h0)
            return mpf(1 if s > 0 else 0)
        if func is sympy.DiracDelta:
            if self.sign_of(node.args[0], self(node.args[0]), 0) == 0:
                raise Undefined(node)
            return mpf(0)
        if func in (RefFloor, RefCeil):
            u = self(node.args[0])
            k = mpmath.floor(u) if func is RefFloor else mpmath.ceil(u)
            for candidate in (k - 1, k, k + 1):  # u within rounding of an integer: exactly
                if self.sign_of(node.args[0], u, candidate) == 0:
                    return candidate
            return k
        if func in _MP_UNARY:
            return self.unary(node)
        raise Undefined(f"no reference rule for {func}")

    def holds(self, condition) -> bool:
        if condition is sympy.true:
            return True
        if condition is sympy.false:
            return False
        if isinstance(condition, sympy.And):
            return all(self.holds(c) for c in condition.args)
        if isinstance(condition, sympy.Or):
            return any(self.holds(c) for c in condition.args)
        lhs = condition.lhs - condition.rhs
        s = self.sign_of(lhs, self(lhs), 0)
        if isinstance(condition, sympy.StrictGreaterThan):
            return s > 0
        if isinstance(condition, sympy.GreaterThan):
            return s >= 0
        if isinstance(condition, sympy.StrictLessThan):
            return s < 0
        if isinstance(condition, sympy.LessThan):
            return s <= 0
        raise Undefined(condition)

    def power(self, node: sympy.Pow) -> mpf:
        base, exponent = node.args
        b = self(base)
        constant = _constant_rational(exponent)
        if constant is not None and not exponent.is_Rational:
            self(exponent)  # x/(7x) is 1/7, but undefined at 0
            exponent = constant  # u^(x/(7x)) is u^(1/7): the rule of the number it is
        if exponent.is_Integer:
            n = int(exponent)
            if n < 0 and self.sign_of(base, b, 0) == 0:
                raise Undefined(node)
            return b**n
        if exponent.is_Rational:  # an even root needs a base ≥ 0; odd roots are real (README)
            s = self.sign_of(base, b, 0)
            if (s < 0 and exponent.q % 2 == 0) or (s == 0 and exponent < 0):
                raise Undefined(node)
            if s == 0:
                return mpf(0)
            magnitude = abs(b) ** self(exponent)
            return -magnitude if s < 0 and exponent.p % 2 else magnitude
        e = self(exponent)
        if base is sympy.E:
            return _exp(e)
        if self.sign_of(base, b, 0) <= 0:  # u^v with v varying: real only for u > 0
            raise Undefined(node)
        return _exp(e * mpmath.log(b))

    def unary(self, node: sympy.Expr) -> mpf:
        func = node.func
        argument = node.args[0]
        u = self(argument)
        if func is sympy.log and self.sign_of(argument, u, 0) <= 0:
            raise Undefined(node)
        if func in (sympy.asin, sympy.acos) and (
            self.sign_of(argument, u, 1) > 0 or self.sign_of(argument, u, -1) < 0
        ):
            raise Undefined(node)
        if func is sympy.acosh and self.sign_of(argument, u, 1) < 0:
            raise Undefined(node)
        if func is sympy.atanh and (
            self.sign_of(argument, u, 1) >= 0 or self.sign_of(argument, u, -1) <= 0
        ):
            raise Undefined(node)
        if func in (sympy.asec, sympy.acsc) and (
            self.sign_of(argument, u, 1) < 0 and self.sign_of(argument, u, -1) > 0
        ):
            raise Undefined(node)
        if func in (sympy.asin, sympy.acos, sympy.asec, sympy.acsc, sympy.acosh):
            for edge in (1, -1):  # on the edge exactly: rounding must not step outside
                if abs(u - edge) < self.tiny and self.sign_of(argument, u, edge) == 0:
                    u = mpf(edge)
        if func in (sympy.coth, sympy.csch) and self.sign_of(argument, u, 0) == 0:
            raise Undefined(node)
        if func in (sympy.tan, sympy.sec) and _near_zero(mpmath.cos(u), u):
            raise Undefined(node)
        if func in (sympy.cot, sympy.csc) and _near_zero(mpmath.sin(u), u):
            raise Undefined(node)
        if func in (sympy.exp, sympy.sinh, sympy.cosh) and abs(u) > EXP_LIMIT:
            raise Huge(node)
        if func is sympy.log and argument.is_Add and sympy.S.One in argument.args:
            # ln(1 + r) as log1p(r): softplus(u) = ln(1 + e^u) at u = -1.5e7 is e^u, not the
            # 0 that 1 + e^u rounds to at any working precision (case 2026:36650)
            return mpmath.log1p(self(argument - 1))
        value = _MP_UNARY[func](u)
        if isinstance(value, mpmath.mpc):
            raise Undefined(node)
        return value


#: The most digits :meth:`_Evaluator._again` evaluates a difference with.
_AGAIN_DIGITS = 2400


def _tails(expression: sympy.Expr) -> sympy.Expr:
    """``expression`` with erf(a) as 1 − erfc(a) and tanh(a) as 1 − 2/(e^(2a) + 1): the same
    function, whose sums SymPy evaluates with the tails that cancel in the other form
    (erf(A(x)) − erf(A(e/2)) + 1 at 1e-6 below e/2 is 1 − 6e-9149, outside arcsec's
    domain, where erf(A) − erf(c) cancels to 0 at any precision: case 2026:16193)."""
    return expression.replace(sympy.erf, lambda a: 1 - sympy.erfc(a)).replace(
        sympy.tanh, lambda a: 1 - 2 / (sympy.exp(2 * a) + 1)
    )


def _near_zero(value: mpf, argument: mpf) -> bool:
    """A trigonometric pole: cos u or sin u zero to the working precision (poles are at
    irrational points, never hit exactly by a rational argument)."""
    return abs(value) < mpf(10) ** (-(mpmath.mp.dps - 8)) * max(1, abs(argument))


def evaluate(
    expression: sympy.Expr, x: sympy.Symbol, value, exact: sympy.Expr | None = None
) -> mpf:
    """``expression`` at x = ``value`` (mpf or number) at the current mpmath precision.

    Raises :class:`Undefined` where it has no real finite value.

    >>> x = sympy.Symbol("x", real=True)
    >>> with mpmath.workdps(30):
    ...     print(evaluate(sympy.log(x) + sympy.sqrt(x), x, mpf(4)))
    3.38629436111989061883446424292
    >>> evaluate(sympy.log(x), x, mpf(-1))
    Traceback (most recent call last):
    ...
    tests.differential.reference.Undefined: log(x)
    """
    if not isinstance(value, mpf):
        value = _mp_of(value)
    result = _Evaluator(x, value, exact)(expression)
    if not mpmath.isfinite(result):
        raise Undefined(expression)
    return result


def _mp_of(value) -> mpf:
    if isinstance(value, sympy.Basic):
        if value.is_Rational:
            return mpf(int(value.p)) / int(value.q)
        return mpf(str(sympy.N(value, mpmath.mp.dps + 10)))
    if isinstance(value, Fraction):
        return mpf(value.numerator) / value.denominator
    return mpf(value)


def exact_of_float(value: float) -> sympy.Rational:
    """The exact number derivcheck reads for a float: its shortest decimal (README)."""
    fraction = Fraction(repr(float(value)))
    return sympy.Rational(fraction.numerator, fraction.denominator)


# --------------------------------------------------------------------------------------
# Breaks (for points given as floats: a break within float resolution counts as at x0)
# --------------------------------------------------------------------------------------


def break_sites(expression: sympy.Expr) -> list[tuple[sympy.Expr, str]]:
    """(g, kind) for every place where the expression may break: g = 0 (abs, sign,
    Heaviside, Piecewise conditions, max/min ties, poles: a negative power's base, tan's
    cos, cot's sin, ..., and edges of domains: a root's base, ln's argument, arcsin's
    argument ∓ 1, ...), or g an integer (floor, ceil)."""
    sites: list[tuple[sympy.Expr, str]] = []
    for node in sympy.preorder_traversal(expression):
        if not isinstance(node, sympy.Basic) or not node.free_symbols:
            continue
        if node.func in (sympy.Abs, sympy.sign, sympy.Heaviside):
            sites.append((node.args[0], "zero"))
        elif node.func in (RefFloor, RefCeil):
            sites.append((node.args[0], "integer"))
        elif node.func in (sympy.Max, sympy.Min):
            args = node.args
            sites.extend((a - b, "zero") for i, a in enumerate(args) for b in args[i + 1 :])
        elif node.is_Pow and node.exp.free_symbols and node.base is not sympy.E:
            sites.append((node.base, "zero"))  # u^v with v varying needs u > 0: an edge
        elif node.is_Pow and node.exp.is_number and not node.exp.is_Integer:
            sites.append((node.base, "zero"))  # a root's edge: as a kink, within resolution
        elif node.is_Pow and node.exp.is_number and node.exp.is_negative:
            sites.append((node.base, "pole"))  # f has no value on it (see decide)
        elif node.func is sympy.log:
            sites.append((node.args[0], "zero"))  # the edge of the domain
        elif node.func in (sympy.asin, sympy.acos, sympy.asec, sympy.acsc, sympy.atanh):
            sites.extend((node.args[0] - k, "zero") for k in (-1, 1))
        elif node.func is sympy.acosh:
            sites.append((node.args[0] - 1, "zero"))
        elif node.func in (sympy.tan, sympy.sec):
            sites.append((sympy.cos(node.args[0]), "pole"))
        elif node.func in (sympy.cot, sympy.csc):
            sites.append((sympy.sin(node.args[0]), "pole"))
        elif node.func in (sympy.coth, sympy.csch):
            sites.append((node.args[0], "pole"))
        elif node.func is sympy.Piecewise:
            for _, condition in node.args:
                if isinstance(condition, sympy.core.relational.Relational):
                    sites.append((condition.lhs - condition.rhs, "zero"))
    return sites


def break_within(
    expression: sympy.Expr, x: sympy.Symbol, point: sympy.Rational, radius: float
) -> mpf | None:
    """A break of ``expression`` within ``radius`` of ``point`` (a sign change of g, or of
    g − k for floor's integers k), located to 100 digits; None when there is none."""
    located = _locate_break(expression, x, point, radius)
    return None if located is None else located[0]


def _locate_break(
    expression: sympy.Expr, x: sympy.Symbol, point: sympy.Rational, radius: float
) -> tuple[mpf, sympy.Expr, mpf, str] | None:
    """:func:`break_within`, with the g and k whose sign change it located, and its kind."""
    sites = break_sites(expression)
    if any(_exactly_on(g, kind, x, point) for g, kind in sites):
        return None  # on a break exactly (a pole at 1/5 given as 0.2): decided exactly there
    with mpmath.workdps(LOCATED + 5):
        center = _mp_of(point)
        low, high = center - mpf(radius), center + mpf(radius)
        # the ends and points between them: g may cross and cross back inside the window
        # (cot(x⁵) at 17106.6 passes three million poles within one ulp)
        ts = [low + (high - low) * j / _WINDOW_PIECES for j in range(_WINDOW_PIECES + 1)]
        for g, kind in sites:
            try:
                gs = [evaluate(g, x, t) for t in ts]
                g0 = evaluate(g, x, center)
            except Undefined:
                continue
            offsets = [mpf(0)]
            if kind == "integer":
                offsets = [mpmath.floor(g0), mpmath.ceil(g0)]
            for k in offsets:
                for t1, t2, g1, g2 in zip(ts, ts[1:], gs, gs[1:]):
                    a, b = g1 - k, g2 - k
                    if a == 0:
                        return t1, g, k, kind
                    if b == 0:
                        return t2, g, k, kind
                    if (a < 0) != (b < 0):
                        return _bisect(g, x, t1, t2, k), g, k, kind
    return None


#: Pieces of the window x0 ± resolution in which :func:`_locate_break` looks for a change
#: of sign.
_WINDOW_PIECES = 8


def _exactly_on(g: sympy.Expr, kind: str, x: sympy.Symbol, point: sympy.Expr) -> bool:
    """True when g is exactly 0 (or, for floor's integers, exactly an integer) at point."""
    value = g.xreplace({x: point})
    if kind == "integer":
        value = value - sympy.floor(value)
    if value == 0 or value.is_zero is True:
        return True
    # SymPy's is_zero says False for sin(erf(-11/5) + erf(11/5)) built unevaluated: numbers,
    # below 10^-200 of the largest term of a sum in it (e^(x⁵) − e^((-11/3)⁵) at the decimal
    # -3.6666666666666665 is 2.2e-301 beside terms of 1e-287: not on the break, where an
    # absolute 10^-200 said it was, and the edge within its resolution went unseen: 2026:11579)
    with mpmath.workdps(250):
        terms = [t for node in sympy.preorder_traversal(value) if node.is_Add for t in node.args]
        scale = max((abs(_mp_of(t)) for t in terms), default=mpf(1))
        return abs(_mp_of(value)) < mpf(10) ** -200 * scale


#: Digits to which :func:`break_within` locates a break (relative to max(1, |x|)).
LOCATED = 105


def _bisect(g, x, low: mpf, high: mpf, k: mpf, digits: int = LOCATED) -> mpf:
    fl = evaluate(g, x, low) - k
    for _ in range(4 * digits):
        mid = (low + high) / 2
        fm = evaluate(g, x, mid) - k
        if fm == 0 or high - low < mpf(10) ** -digits * max(1, abs(mid)):
            return mid
        if (fm < 0) == (fl < 0):
            low, fl = mid, fm
        else:
            high = mid
    return (low + high) / 2


# --------------------------------------------------------------------------------------
# The truth at one point
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    """What mathematics says about f at a point.

    ``kind``: "smooth" (differentiable; ``value`` is f′), "kink" (continuous, finite one-sided
    derivatives ``left`` ≠ ``right``), "singular" (defined on both sides but not
    differentiable: a jump, a vertical tangent, a cusp), "edge" (defined on one side only,
    or at the point but not around it), "undefined" (no real value at the point).
    ``function``: f at the point (None when undefined). ``point``: where it was decided
    (x0, or the break within float resolution of a float x0). ``by_limits``: ``value``
    came from the one-sided limits because sympy.diff's formula has no value there.
    ``moved``: decided at a break within float resolution, not at the float itself;
    ``given_function`` is then f at the float (at a jump it differs from ``function``).
    """

    kind: str
    function: mpf | None = None
    value: mpf | None = None
    left: mpf | None = None
    right: mpf | None = None
    point: mpf | None = None
    by_limits: bool = False
    moved: bool = False
    given_function: mpf | None = None

    @property
    def differentiable(self) -> bool:
        return self.kind == "smooth"


#: How many times the step is divided by 1000 when two quotients disagree: a pole or a
#: break 1e-17 away (a float next to 1/3) needs steps far below it before they settle.
SHRINKS = 4


def _slope(f, x, p: mpf, h: mpf, side: int, f0: mpf) -> mpf | None:
    """The one-sided derivative from the side ``side``: difference quotients at steps
    h, h/1000, ... until two agree to 1e-10 (their O(h) term then removed); None when
    they never settle (a jump, a vertical tangent, a cusp)."""

    def quotient(step):
        return (evaluate(f, x, p + side * step) - f0) / (side * step)

    coarse = quotient(h)
    for _ in range(SHRINKS):
        h /= 1000
        fine = quotient(h)
        scale = max(mpf(1), abs(coarse), abs(fine))
        if abs(coarse - fine) <= mpf(10) ** -10 * scale:
            return (1000 * fine - coarse) / 999
        coarse = fine
    return None


def _zero_if_noise(expression, x, value: mpf, exact) -> mpf:
    """0 when ``value`` is only the rounding of terms that cancel: a tiny value (cos(-π/2)
    is -1.5e-99 at 100 digits) that shrinks by 20 orders at twice the precision."""
    if exact is None or abs(value) > mpf(10) ** -40:
        return value
    if value == 0:
        return _zero_or_below_the_digits(expression, x, exact)
    with mpmath.workdps(2 * mpmath.mp.dps):
        precise = evaluate(expression, x, _mp_of(exact), exact)
    return mpf(0) if abs(precise) < abs(value) * mpf(10) ** -20 else value


#: The most digits :func:`_zero_or_below_the_digits` tries.
_BELOW_DIGITS = 1600


def _zero_or_below_the_digits(expression, x, exact) -> mpf:
    """0, or the value that a formula cancelling to exactly 0 at the working precision has
    with more digits, when it stays put as they double: (1 − tanh²(cot(x − 4)))·(−1 −
    cot²(x − 4)) at 4.004 is −1.79e-212, 0 at 50 digits (case 2026:146295)."""
    found = _with_more_digits(expression, x, exact)
    return mpf(0) if found is None else found


def _with_more_digits(expression, x, exact) -> mpf | None:
    """The value of ``expression`` at the exact point with more digits than the working
    precision (doubling them up to :data:`_BELOW_DIGITS`), where at the working precision
    it is 0 or has none: the first nonzero value that stays put when the digits double
    again; None when there is none (noise that moves, or no value at any of them)."""
    digits = 2 * mpmath.mp.dps
    while digits <= _BELOW_DIGITS:
        try:
            with mpmath.workdps(digits):
                value = evaluate(expression, x, _mp_of(exact), exact)
        except (Undefined, ZeroDivisionError, ValueError):
            value = mpf(0)
        if value != 0:
            try:
                with mpmath.workdps(2 * digits):
                    again = evaluate(expression, x, _mp_of(exact), exact)
            except (Undefined, ZeroDivisionError, ValueError):
                return None
            return +again if abs(again - value) <= mpf(10) ** -10 * abs(again) else None
        digits *= 2
    return None


def _jumps(f, x, p: mpf, exact, t: mpf, slope: mpf, side: int) -> bool:
    """True when f is not continuous at p from ``side``: a jump that is tiny beside the
    slope (ceil(x) - (4x)^5 at 10^8: 1 beside 5e35 per unit) leaves the difference
    quotients settled, so f is compared with f(p) at a step t far below h, at three times
    the precision: a continuous f moves by about slope·t there, a jump by the jump."""
    steps = []
    for times in (3, 5):  # a jump's size does not depend on the precision; rounding does
        with mpmath.workdps(times * mpmath.mp.dps):
            at = _mp_of(exact) if exact is not None else p  # p + t must be that far from it
            f0 = evaluate(f, x, at, exact)
            step = abs(evaluate(f, x, at + side * t) - f0)
            scale = max(abs(f0), mpf(1))
            if step <= mpf(10) ** (-2 * mpmath.mp.dps // times) * scale + 2 * abs(slope * t):
                return False
            steps.append(step)
    return steps[1] > steps[0] / 2  # arccos(x/x): acos of 1 - 1e-370 is 1e-185, not a jump


#: Most digits the reference works at: a case that needs more is not decided (:class:`Huge`).
MAX_DIGITS = 5000
#: The step's largest move of f, relative to max(1, |f(x0)|), as sympy.diff's formula
#: predicts it: a coarser step does not resolve an f′ that changes fast.
STEP_MOVE = mpf(10) ** -20
#: How many orders smaller the step of the second look at a value by limits is.
RECHECK = 30


def _digits(h: mpf) -> int:
    # twice the step's digits: 1 + x² at x = 7e-247 needs 493 of them (arccsc of it)
    return 60 + 2 * max(0, int(-mpmath.log10(h))) + 3 * SHRINKS


#: What evaluating sympy.diff's formula may raise where it only sets a scale.
_UNREADABLE = (Undefined, ArithmeticError, ValueError, TypeError)


def _formula_at(derivative, x, p: mpf, exact) -> mpf | None:
    """sympy.diff's formula at p (rounding of cancelling terms taken as 0), or None where
    it has no value, or where the evaluator cannot read it (SymPy's own numbers for a term
    of it are complex: the formula only sets a scale, it decides nothing)."""
    try:
        value = evaluate(derivative, x, p, exact)
        return _zero_if_noise(derivative, x, value, exact)
    except _UNREADABLE:
        return None


def _scaled_step(h: mpf, f0: mpf, slope: mpf | None, floor: mpf) -> tuple[mpf, int]:
    """The step and the extra digits for a slope about ``slope`` (sympy.diff's formula at
    the point: it only sets the scale, the one-sided quotients still decide).

    A step chosen from |x0| alone is far too coarse where f varies fast (sin((x-3)/x) at
    -1e-261 has f′ ~ 3e522; cos(2/x²) at 1.8e-45 has f′ ~ 1e134): the step moves f by at
    most :data:`STEP_MOVE` of its size, but stays above ``floor`` (at a break located to
    100 digits, a step below that distance does not reach the other side). Where f′ is
    tiny beside f, f(x0 + h) − f(x0) may fall at the edge of the precision, where the
    quotients are noise of either sign (softplus(artanh(x³)) at -1e-97: f′ = 1.5e-194
    beside ln 2, 1.5e-316 per step at 316 digits): then log10(|f|/|f′|) more digits are
    kept. Far below the precision (3^(2^-x) at 10^5: f′ = -7.6e-30104 beside 1) the
    quotients see 0 on both sides and the formula's value is taken, as before; far above,
    they resolve it already. More than :data:`MAX_DIGITS`: :class:`Huge`, undecided."""
    if slope is None or slope == 0:
        return h, 0
    size = max(mpf(1), abs(f0))
    if abs(slope) * h > STEP_MOVE * size:
        h = mpf(10) ** int(mpmath.floor(mpmath.log10(STEP_MOVE * size / abs(slope))))
        h = max(h, floor)
    digits = _digits(h)
    extra = 0
    if abs(slope) < abs(f0):
        below = mpmath.log10(abs(f0) / (abs(slope) * h))  # f(x0 + h) − f(x0): digits down
        if digits - 30 < below < digits + 40:
            extra = int(mpmath.ceil(mpmath.log10(abs(f0) / abs(slope))))
    if digits + extra > MAX_DIGITS:
        raise Huge(f"the step {mpmath.nstr(h, 3)} needs {digits + extra} digits")
    return h, extra


def _integer_parts_held(f, x, p: mpf, exact) -> None:
    """Raise :class:`Huge` when a floor's or ceil's argument at p is too large for the
    working precision to hold its fractional part: mpmath's floor of it is the argument
    rounded (ceil(3^(x^x·7x²/4)) at 17/4: the argument is 5.8e7064), not decided."""
    evaluator = _Evaluator(x, p, exact)
    limit = mpf(10) ** (mpmath.mp.dps - 10)
    for node in sympy.preorder_traversal(f):
        if isinstance(node, (RefFloor, RefCeil)):
            try:
                u = evaluator(node.args[0])
            except Huge:
                raise
            except Undefined:
                continue
            if abs(u) > limit:
                raise Huge(node)


def _steps_stay_on_their_stairs(f, x, p: mpf, exact, h: mpf, moved: bool) -> None:
    """Raise :class:`Huge` when, over the step h, a floor's or ceil's argument that is not
    an integer at p moves by as much as its distance to the nearest integer (by the slope of
    sympy.diff's formula for it): the quotients then measure the staircase, not f′
    (ceil(x^(-1/2)) at 10^-217: the argument is 3.2e108 and moves by 1.6e83 over the step,
    while f is constant on a neighbourhood far below any step; case 2026:9327). ``moved``:
    p is a break located to :data:`LOCATED` digits, where an argument's distance to its
    integer is only known to that many digits times its slope."""
    here = _Evaluator(x, p, exact)
    for node in sympy.preorder_traversal(f):
        if not isinstance(node, (RefFloor, RefCeil)):
            continue
        try:
            u = here(node.args[0])
        except Undefined:
            continue
        slope = _formula_at(sympy.diff(node.args[0], x), x, p, exact)
        if slope is None:
            continue
        distance = abs(u - mpmath.nint(u))
        located = abs(slope) * mpf(10) ** (5 - LOCATED) * max(1, abs(p)) if moved else 0
        if distance <= max(located, mpf(10) ** (-mpmath.mp.dps // 2)):
            if abs(slope) * h >= 1:  # stairs narrower than the step: no test can see the
                raise Huge(node)  # jump (ceil((-x)^(-1/2)) at -3.9e-153; case 2026:138017)
            continue  # on a stair's edge (or a located one): the jump test decides
        if abs(slope) * h >= distance / 4:
            raise Huge(node)


def _resolved_above_location(g, x, p: mpf, floor: mpf) -> None:
    """Raise :class:`Huge` when the argument g of a break located within float resolution
    moves by more than 10⁻¹⁰ over the smallest step the reference may take there (``floor``,
    far above the distance the break is located to): the quotients then see f vary along
    g, not f′. cos|e^((x−7)⁴) − e^((π/6−7)⁴)| at the float of π/6 is cos of a smooth g
    (f′ = 0 at the break), but g′ is 10^767 (case 2026:9833, "singular" for the reference)."""
    slope = _formula_at(sympy.diff(g, x), x, p, None)
    if slope is not None and abs(slope) * floor > mpf(10) ** -10:
        raise Huge(f"the break's argument {g} moves by {mpmath.nstr(abs(slope) * floor, 3)}")


def _beside_located_edge(f, x, p: mpf, given: mpf | None) -> Truth | None:
    """An "edge" where a domain's edge located within a float's resolution (to
    :data:`LOCATED` digits) rounded to a point just outside, f defined on one side of it
    (see :func:`_edge_value`); None when f is defined on neither side or on both (a hole)."""
    hair = mpf(10) ** (10 - LOCATED) * max(1, abs(p))
    sides = []
    for side in (-1, 1):
        try:
            evaluate(f, x, p + side * hair)
            sides.append(side)
        except Undefined:
            pass
    if len(sides) != 1:
        return None
    function = _edge_value(f, x, p, sides[0])
    return Truth("edge", function=function, point=p, moved=True, given_function=given)


def _edge_value(f, x, p: mpf, side: int) -> mpf | None:
    """f at an edge located within a float's resolution, from its defined ``side``: f a
    hair and a hundredth of a hair inside (both far above the location's error) when they
    agree to 20 digits (sin(asin(x − ln 2 − 1)) at the float of ln 2 is −1 at the edge:
    cases 2026:10494, 14593); None when they do not (ln at its zero has no value there)."""
    hair = mpf(10) ** (10 - LOCATED) * max(1, abs(p))
    try:
        far, near = (evaluate(f, x, p + side * hair * scale) for scale in (1, mpf(10) ** -2))
    except Undefined:
        return None
    if abs(far - near) <= mpf(10) ** -20 * max(abs(far), abs(near), mpf(10) ** -300):
        return near
    return None


def _resolved_over_the_step(g, x, p: mpf, h: mpf, digits: int) -> None:
    """Raise :class:`Huge` when the argument g of a break located within float resolution
    moves by less than the working precision (relative to 1) over the step h: f beside the
    break is then f on it to every digit kept, on both sides, and an edge or a kink goes
    unseen. arcsin(e^(x⁵) − e^((-11/3)⁵) − 1) at the decimal -3.6666666666666665: g′ is
    1e-284, so over h ~ 1e-85 the argument −1 moves by 1e-369, and the reference said
    "smooth, f′ = 0" at an edge of the domain (case 2026:11579)."""
    slope = _formula_at(sympy.diff(g, x), x, p, None)
    if slope is not None and abs(slope) * h < mpf(10) ** (10 - digits):
        raise Huge(f"the break's argument {g} moves by {mpmath.nstr(abs(slope) * h, 3)}")


def _stairs_seen(f, x, p: mpf, exact) -> None:
    """Raise :class:`Huge` when a floor or ceil sits exactly on a stair's edge at p, f on
    the neighbouring stairs differs (their difference, in which SymPy cancels f's terms
    that do not depend on the stair, is not 0) but has the same value at the working
    precision: the jump is below what the quotients and the jump test can see.
    e^(3x/5) − swish(ceil x) at -10^6 jumps by swish(-999999) − swish(-10^6), about
    10^-434288, beside f ~ 10^-260577 (case 2026:9514, where the reference said "smooth");
    x + relu(floor x) at -3 is continuous (relu is 0 on both stairs), and decided."""
    if exact is None:
        return
    for node in sympy.preorder_traversal(f):
        if not isinstance(node, (RefFloor, RefCeil)):
            continue
        on = node.args[0].xreplace({x: exact})
        if not (on.is_number and on.is_Integer):
            continue
        stairs = [f.xreplace({node: on + k}) for k in (-1, 0, 1)]
        for a, b in zip(stairs, stairs[1:]):
            difference = a - b
            if difference == 0:  # SymPy sees the stairs are equal: relu(-4) and relu(-3)
                continue
            try:
                seen = evaluate(difference, x, p, exact)
                values = evaluate(a, x, p, exact), evaluate(b, x, p, exact)
            except Huge:
                raise
            except Undefined:
                continue
            if seen == 0:  # unequal to SymPy, equal to every digit here: tanh(150216) −
                raise Huge(node)  # tanh(150217) is 1e-130476 (case 2026:143000: "smooth")
            size = max(abs(v) for v in values)
            if abs(values[0] - values[1]) <= mpf(10) ** (10 - mpmath.mp.dps) * size:
                raise Huge(node)


def _settled_by_limits(f, x, p: mpf, exact, h: mpf, value: mpf) -> mpf:
    """A value by limits below the quotients' own resolution (they settle to 1e-10 beside
    max(1, |slope|)), looked at again with a step :data:`RECHECK` orders smaller: the
    Richardson remainder of f ~ c·(x − x0)³ (the quotients are c·h², sympy.diff's formula
    divides by the factor that is 0 at x0) shrinks with the step, a true f′ does not. 0
    when it shrinks, the finer value when it stays; :class:`Huge` (undecided) otherwise."""
    if value == 0 or abs(value) > mpf(10) ** -10:
        return value
    with mpmath.workdps(mpmath.mp.dps + 2 * RECHECK):
        slopes = _finer_slopes(f, x, p, exact, h)
        finer = (slopes[0] + slopes[1]) / 2
        if abs(finer) <= abs(value) * mpf(10) ** -6:
            return mpf(0)
        if abs(finer - value) <= mpf(10) ** -8 * abs(value):
            return finer  # the finer step's remainder is 10^-2·RECHECK of the coarser's
    raise Huge(f"the value by limits {mpmath.nstr(value, 5)} moves with the step")


def _finer_slopes(f, x, p: mpf, exact, h: mpf) -> list[mpf]:
    """Both one-sided slopes at the exact point (else p) with a step :data:`RECHECK` orders
    below h, at the caller's working precision (which it raises by 2·RECHECK digits);
    :class:`Huge` when one does not settle."""
    at = _mp_of(exact) if exact is not None else p
    f0 = evaluate(f, x, at, exact)
    finer = [_slope(f, x, at, h * mpf(10) ** -RECHECK, s, f0) for s in (-1, 1)]
    if None in finer:
        raise Huge(f"the one-sided limits do not settle at a {RECHECK} orders finer step")
    return finer


#: Below this, :func:`_slope`'s quotients settle absolutely, not relative to the slope.
_SETTLE_FLOOR = mpf(10) ** -10


def _tiny_sides(f, x, p: mpf, exact, h: mpf, left: mpf, right: mpf) -> tuple[mpf, mpf]:
    """One-sided slopes below :data:`_SETTLE_FLOOR`, which the quotients settle to only in
    absolute terms, looked at again with a step :data:`RECHECK` orders smaller: a slope that
    shrinks with the step is 0 ((x^(2/3))² = x^(4/3) at 0 has quotients ±h^(1/3), "slopes"
    ±4.6e-12 that the reference took for a kink: case 2026:147587), one that stays is the
    slope; :class:`Huge` (undecided) otherwise."""
    with mpmath.workdps(mpmath.mp.dps + 2 * RECHECK):
        finer = _finer_slopes(f, x, p, exact, h)
    sides = []
    for coarse, fine in zip((left, right), finer):
        if abs(fine) <= abs(coarse) * mpf(10) ** -6:
            sides.append(mpf(0))
        elif abs(fine - coarse) <= mpf(10) ** -8 * abs(coarse):
            sides.append(fine)
        else:
            raise Huge(f"one-sided slopes {mpmath.nstr(left, 3)} and {mpmath.nstr(right, 3)}")
    return sides[0], sides[1]


def _on_a_break(f, x, point) -> bool:
    """True when the exact point is exactly on one of f's breaks (a tie of max/min, a
    kink's or jump's argument at its critical value), as SymPy decides it: not a pole,
    and not a value that is only tiny (sech(−6293)² is 1e-5466, no break)."""
    for g, kind in break_sites(f):
        if kind == "pole":
            continue
        value = g.xreplace({x: point}).doit()  # the generator's trees are unevaluated
        if kind == "integer":
            value = value - sympy.floor(value)
        if value == 0 or value.is_zero is True:
            return True
    return False


def _kink_below_the_tolerance(f, x, p: mpf, exact, h: mpf, left: mpf, right: mpf):
    """At an exact point on a break, one-sided slopes that differ by less than the 1e-9
    (relative) within which sides count as equal, looked at again with a step
    :data:`RECHECK` orders smaller: a difference that shrinks with the step is the
    quotients' remainder (None: equal sides); one that stays is a kink (its finer slopes);
    :class:`Huge` otherwise. 10^x·max(erf(7.2), erf(9x)) at 4/5 has slopes that differ by
    10^0.8·9·erf′(7.2) ≈ 2e-21 beside 14.5: a kink, which the reference called smooth
    (case 2026:153460). Sides within half the working digits of each other are equal:
    their difference is rounding, which need not shrink with the step (erf(x)·floor(−1) at 9
    has sides equal to 25 digits and more: case 2026:9088)."""
    scale = max(abs(left), abs(right))
    if abs(left - right) <= mpf(10) ** -(mpmath.mp.dps // 2) * scale:
        return None
    with mpmath.workdps(mpmath.mp.dps + 2 * RECHECK):
        finer = _finer_slopes(f, x, p, exact, h)
        gap, finer_gap = abs(left - right), abs(finer[0] - finer[1])
        if finer_gap <= gap * mpf(10) ** -6:
            return None
        if abs(finer_gap - gap) <= mpf(10) ** -3 * gap:
            return finer[0], finer[1]
    raise Huge(f"one-sided slopes {mpmath.nstr(left, 12)} and {mpmath.nstr(right, 12)}")


def _location_noise(derivative, x, p: mpf, value: mpf) -> bool:
    """True when f′ = ``value`` at a break located to :data:`LOCATED` digits may be only
    the formula's change over that distance: cos(relu(x + 11/3)) at the 100-digit
    approximation of -11/3 gives -sin(1e-105), where both one-sided slopes are 0."""
    width = mpf(10) ** -LOCATED * max(1, abs(p))
    try:
        change = max(abs(evaluate(derivative, x, p + s * width) - value) for s in (-1, 1))
    except _UNREADABLE:
        return False
    return abs(value) <= 1000 * change


def _at_located_break(derivative, x, p: mpf, located, value: mpf) -> mpf:
    """f′ at a break located to :data:`LOCATED` digits, where the value is only the
    formula's change over that distance (:func:`_location_noise`): looked at again at the
    break located to three times the digits, 0 when it shrinks with the location, else
    the value there."""
    if located is None or value == 0 or not _location_noise(derivative, x, p, value):
        return value
    _, g, k, _ = located
    width = mpf(10) ** -LOCATED * max(1, abs(p))
    digits = 3 * LOCATED
    with mpmath.workdps(max(mpmath.mp.dps, digits + 10)):
        low, high = p - 2 * width, p + 2 * width
        try:
            a, b = evaluate(g, x, low) - k, evaluate(g, x, high) - k
        except Undefined:
            return value
        if a == 0 or b == 0 or (a < 0) == (b < 0):
            return value
        closer = _bisect(g, x, low, high, k, digits)
        try:
            there = evaluate(derivative, x, closer)
        except _UNREADABLE:
            return value
    return mpf(0) if abs(there) <= abs(value) * mpf(10) ** -100 else there


def decide(
    f: sympy.Expr,
    x: sympy.Symbol,
    point: sympy.Expr,
    derivative: sympy.Expr | None = None,
    resolution: float | None = None,
) -> Truth:
    """Decide differentiability and the derivative of ``f`` at the exact ``point``.

    ``resolution``: the point came as a float whose ulp is this; a break within it counts
    as being at the point (issue 10's policy: "a kink within float resolution of x0 is
    treated as at x0"). ``derivative``: sympy.diff(f, x), computed when not given.

    The step of the difference quotients is chosen from |x0| and from sympy.diff's
    formula at the point where it has a value (:func:`_scaled_step`); raises :class:`Huge`
    when that needs more than :data:`MAX_DIGITS` digits.
    """
    moved = False
    exact: sympy.Expr | None = point
    located = None
    if resolution is not None:
        located = _locate_break(f, x, point, resolution)
        if located is not None:
            exact, moved, position = None, True, located[0]
            if located[3] == "pole":  # f has no value on a pole, even where an outer
                # function would take it to a limit (arctan(1/(x² − e²/4)²) at the float of
                # e/2 tends to π/2 there: case 2026:142913, where the reference said smooth)
                with mpmath.workdps(30):
                    try:
                        given = evaluate(f, x, _mp_of(point), point)
                    except Undefined:
                        given = None
                return Truth("undefined", point=position, moved=True, given_function=given)
    magnitude = abs(_mp_of_hp(point)) if not moved else abs(position)
    if magnitude == 0:
        h = mpf(10) ** -25
    else:
        h = mpf(10) ** (int(mpmath.floor(mpmath.log10(magnitude))) - 25)
    if derivative is None:
        derivative = sympy.diff(f, x)
    with mpmath.workdps(_digits(h)):  # the formula's slope, to choose the step
        p = position if moved else _mp_of(point)
        try:
            f0 = evaluate(f, x, p, exact)
        except Huge:
            raise
        except Undefined:
            return Truth("undefined", point=p, moved=moved)
        slope = _formula_at(derivative, x, p, exact)
        if moved and slope is not None and _location_noise(derivative, x, p, slope):
            slope = None  # no scale: only the rounding of where the break is
        # at a located break, steps stay far above the distance it is located to
        floor = mpf(10) ** (20 - LOCATED) * max(1, abs(p)) if moved else mpf(0)
        if moved:
            _resolved_above_location(located[1], x, p, floor)
        h, extra = _scaled_step(h, f0, slope, floor)
    digits = _digits(h) + extra
    with mpmath.workdps(digits):
        p = position if moved else _mp_of(point)
        given = None
        if moved:  # f at the float itself (at a jump, either side's value is right)
            try:
                given = evaluate(f, x, _mp_of(point), point)
            except Undefined:
                pass
        try:
            f0 = _zero_if_noise(f, x, evaluate(f, x, p, exact), exact)
        except Huge:
            raise
        except Undefined:
            edge = _beside_located_edge(f, x, p, given) if moved else None
            return edge or Truth("undefined", point=p, moved=moved)
        if moved:
            _resolved_over_the_step(located[1], x, p, h, digits)
        _integer_parts_held(f, x, p, exact)
        _steps_stay_on_their_stairs(f, x, p, exact, h, moved)
        _stairs_seen(f, x, p, exact)
        defined = {}
        for side in (-1, 1):
            try:
                evaluate(f, x, p + side * h)
                defined[side] = True
            except Huge:
                raise
            except Undefined:
                defined[side] = False
        if not all(defined.values()):
            if moved:  # f0 is f at the edge's approximation: its limit there, or none
                inside = [side for side, ok in defined.items() if ok]
                f0 = _edge_value(f, x, p, inside[0]) if len(inside) == 1 else None
            return Truth("edge", function=f0, point=p, moved=moved, given_function=given)
        limits = {}
        for side in (-1, 1):
            try:
                limits[side] = _slope(f, x, p, h, side, f0)
            except Huge:
                raise
            except Undefined:  # defined at h but not closer: an edge after all
                return Truth("edge", function=f0, point=p, moved=moved, given_function=given)
            if limits[side] is None:
                return Truth("singular", function=f0, point=p, moved=moved, given_function=given)
        if any(_jumps(f, x, p, exact, h * mpf(10) ** -digits, limits[s], s) for s in (-1, 1)):
            return Truth("singular", function=f0, point=p, moved=moved, given_function=given)
        left, right = limits[-1], limits[1]
        if left != right and max(abs(left), abs(right)) <= _SETTLE_FLOOR:
            left, right = _tiny_sides(f, x, p, exact, h, left, right)
        apart = mpf(10) ** -9 * max(abs(left), abs(right))
        if 0 < abs(left - right) <= apart and not moved and _on_a_break(f, x, point):
            kink = _kink_below_the_tolerance(f, x, p, exact, h, left, right)
            if kink is not None:
                return Truth("kink", f0, None, kink[0], kink[1], p, False, moved, given)
        if abs(left - right) > apart + mpf(10) ** -40:
            return Truth("kink", f0, None, left, right, p, False, moved, given)
        if abs(left - right) > apart and not moved:  # sides apart, by less than the
            # absolute floor, at an exact point: a kink of slopes 1.47e-50 and 0
            # (hardtanh(csch(-8x)³ − csch(-40)³ + 1) at 5, case 2026:141870) or noise: not
            # decided (at a located break, the location's rounding: cos(relu(x + 11/3)))
            raise Huge(f"one-sided slopes {mpmath.nstr(left, 3)} and {mpmath.nstr(right, 3)}")
        by_limits = False
        try:
            value = evaluate(derivative, x, p, exact)
            agree = abs(value - (left + right) / 2) <= mpf(10) ** -8 * max(
                abs(value), mpf(10) ** -30
            ) + abs(left - right)
        except Undefined:
            agree = False
            if exact is not None and _with_more_digits(derivative, x, exact) is not None:
                # a value below the quotients' digits: asin(σ(x⁴) − σ(625) − 1) at −5.0005
                # is asin(−1 + 5e-273), f′ ≈ −1.1e-133, where f is −π/2 to every digit the
                # steps see and the formula's 1 − u² is 0 (case 2026:147502)
                raise Huge("the formula has a value only beyond the digits") from None
        if not agree:  # sympy.diff's formula is undefined here (x·|x| at 0): the limit
            value, by_limits = (left + right) / 2, True
            value = _settled_by_limits(f, x, p, exact, h, value)
        if not by_limits:
            value = _zero_if_noise(derivative, x, value, exact)
        if moved:
            value = _at_located_break(derivative, x, p, located, value)
        return Truth("smooth", f0, value, left, right, p, by_limits, moved, given)


def _mp_of_hp(point: sympy.Expr) -> mpf:
    with mpmath.workdps(120):
        return _mp_of(point)


def ulp(value: float) -> float:
    """The float resolution at ``value``."""
    return math.ulp(value)


_IDENTITIES: dict[tuple[sympy.Expr, object], bool] = {}


def _identically(node: sympy.Expr, critical) -> bool:
    """True when node equals ``critical`` wherever it is defined: (9x)/x - 8 is 1, so
    arccsc of it sits on its domain's edge at every x, and rounding (1 - 1e-100 at a
    point beside x0) must not make it leave the domain."""
    key = (node, critical)
    if key not in _IDENTITIES:
        _IDENTITIES[key] = bool(sympy.simplify(node - critical) == 0)
    return _IDENTITIES[key]


_CONSTANT_EXPONENTS: dict[sympy.Expr, sympy.Rational | None] = {}


def _constant_rational(exponent: sympy.Expr) -> sympy.Rational | None:
    """The rational number an exponent written with x equals wherever it is defined
    (x/(7x) → 1/7, x - x → 0), else None; remembered per exponent. An exponent with no x
    is the number its arithmetic gives: (-3/5)/(-3/5), kept unevaluated by the generator,
    is 1 (so (-3/5)^((-3/5)/(-3/5)) is -3/5, not a negative base to a varying power), 10^8
    is 100000000 (when no power in it is so large that exactly it is a huge integer)."""
    if exponent.is_Rational:
        return exponent
    if exponent not in _CONSTANT_EXPONENTS:
        if exponent.free_symbols:
            simple = sympy.cancel(sympy.simplify(exponent))
        else:
            simple = exponent.doit() if _modest(exponent) else None
        _CONSTANT_EXPONENTS[exponent] = (
            simple if simple is not None and simple.is_Rational else None
        )
    return _CONSTANT_EXPONENTS[exponent]


def _modest(number: sympy.Expr) -> bool:
    """True when SymPy can do the arithmetic of ``number`` exactly at once: no power in it
    has more than 10^5 digits or an exponent beyond 10^4 (10^(10^8) exactly is an integer
    of 10^8 digits)."""
    for node in sympy.preorder_traversal(number):
        if isinstance(node, sympy.Pow):
            try:
                e = abs(float(sympy.N(node.exp, 15)))
                b = abs(float(sympy.N(node.base, 15)))
            except (TypeError, ValueError, OverflowError):
                return False
            if not e <= 10**4 or not (b == 0 or e * abs(math.log10(b)) <= 10**5):
                return False
    return True
