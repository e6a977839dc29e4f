r"""The function catalogue: everything derivcheck knows about each elementary function.

One :class:`FunctionRecord` per function holds its SymPy class, every spelling the parser
accepts, its NumPy and mpmath implementations, its derivative f′(u) (one expression, from
which the graph's local rule, the rule-by-rule derivation and the LaTeX formula all come),
its real domain and poles, where it is not smooth (kinks with their branches, jumps), its
display names and its rule name in English and Chinese. The parser, the graph, the
derivations, the evaluators, the numeric engine, the domain and smoothness analysis, the
grader and the renderers all read it; adding a function is adding a record.

>>> import sympy
>>> record = lookup("arcsin")
>>> record.key, record.text, record.latex
('arcsin', 'arcsin', '\\arcsin')
>>> u = sympy.Symbol("u", real=True)
>>> record.derivative(u)
1/sqrt(1 - u**2)
>>> record.domain.contains(sympy.Integer(2))
False
>>> lookup("ReLU") is lookup("relu"), lookup("sin⁻¹") is None, inverse_of("sin").key
(True, True, 'arcsin')
>>> [(b.kind, b.points) for b in lookup("hardtanh").breaks]
[('kink', (-1, 1))]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import mpmath
import sympy
from sympy import Abs, Heaviside, Integer, Interval, Rational, S, exp, log, oo, pi, sqrt

from derivcheck.calculus.functions import function_class
from derivcheck.calculus.roots import real_power
from derivcheck.errors import LimitError
from derivcheck.limits import BudgetSpent, spend_at_most

__all__ = [
    "FunctionRecord",
    "Parameter",
    "Break",
    "Domain",
    "RECORDS",
    "ALIASES",
    "lookup",
    "record_of",
    "inverse_of",
    "records",
    "spellings",
    "EVERYWHERE",
    "is_zero",
]

Builder = Callable[..., sympy.Expr]


@dataclass(frozen=True)
class Parameter:
    """A constant second argument, such as leaky_relu's slope a (default 0.01)."""

    name: str
    default: sympy.Expr


@dataclass(frozen=True)
class Domain:
    """Where f(u) is real and finite: u in ``allowed`` and not a zero of ``poles(u)``.

    ``reason`` is the message key that says why a value is outside (``domain.positive``:
    "ln needs a positive argument, but …").
    """

    allowed: sympy.Set = S.Reals
    poles: Callable[[sympy.Expr], sympy.Expr] | None = None
    reason: str = "domain.not_real"

    @cached_property
    def everywhere(self) -> bool:
        """Real and finite for every real u (asked of every node the domain checks visit:
        kept, since comparing a set with the reals is slow)."""
        return self.allowed == S.Reals and self.poles is None

    @property
    def edges(self) -> tuple[sympy.Expr, ...]:
        """Finite boundary points of ``allowed`` (0 for ln, ±1 for arcsin)."""
        if self.allowed == S.Reals:
            return ()
        return tuple(sorted(p for p in self.allowed.boundary if p.is_finite))

    def contains(self, value: sympy.Expr) -> bool | None:
        """Whether an exact number lies in the domain; None when SymPy cannot decide."""
        inside = self.allowed.contains(value)
        if inside not in (sympy.true, sympy.false):
            return None
        if inside is sympy.false:
            return False
        if self.poles is not None:
            at_pole = self.poles(value)
            if is_zero(at_pole):
                return False
        return True


EVERYWHERE = Domain()


def _logs_expanded(value: sympy.Expr) -> sympy.Expr | None:
    """``value`` with its logarithms of positive numbers expanded (log(7/4) = log 7 − 2·log 2,
    the identities that hold for them), at most :data:`_EXPANDING_SECONDS` of CPU; None past
    it. SymPy keeps log(7/4) and log(7) − 2·log(2) apart, so a difference of the two,
    exactly 0, left the numbers adding digits to 4,000 for seconds before calling it 0
    (log2(7x) − log2(7/4) at 1/4 under a leaky relu: differential case 2026:137293)."""
    try:
        with spend_at_most(_EXPANDING_SECONDS):
            return sympy.expand_log(value)
    except (BudgetSpent, TypeError, ValueError, ArithmeticError, RecursionError):
        return None


#: CPU seconds :func:`_logs_expanded` may take, and SymPy's own ``is_zero`` in :func:`is_zero`.
_EXPANDING_SECONDS = 0.2
_DECIDING_SECONDS = 0.5


def is_zero(value: sympy.Expr) -> bool:
    """Exactly zero. An expression SymPy cannot decide is evaluated by
    :func:`~derivcheck.calculus.precise.precise`, which adds digits while its terms cancel
    (asinh(x) - x at 7.39e-141 is -6.7e-422, which an absolute 1e-40 called 0, and min of
    the two a tie: differential case 2026:45204); where it cannot, below 1e-40 at 50 digits.
    """
    if value == 0:
        return True
    if value.is_number and value.has(log) and _logs_expanded(value) == 0:
        return True
    try:
        with spend_at_most(_DECIDING_SECONDS):
            decided = value.is_zero
    except ArithmeticError:  # SymPy's own evaluation ran out of precision (PrecisionExhausted)
        decided = None
    except BudgetSpent:  # SymPy's evalf of a difference of gelu tails of 10^-739000 (case
        decided = None  # 2026:13596): derivcheck's evaluator below
    if decided is True or (decided is False and not value.is_number):
        return bool(decided)
    if value.is_number:  # SymPy's False included: it may come from a low-precision value of
        # terms that cancel (sin(1 − 4^(1/ln 2)/e²) is sin(0), "not zero" for SymPy, and elu's
        # sides at its break seemed to jump: differential case 2026:147351)
        from derivcheck.calculus.precise import precise

        try:
            number = precise(value, 20)
        except TypeError:  # an operation its evaluator does not know: SymPy's evalf below
            if decided is False:
                return False
        except (LimitError, ArithmeticError, ValueError):
            if decided is False:  # past what precise evaluates: SymPy's word stands
                return False
            raise
        else:
            return number is not None and number == 0
    if decided is False:
        return False
    number = value.evalf(50)  # compared as SymPy numbers: complex() of 1e-400 is 0, and of
    # an expression left unevaluated (a DiracDelta of a number) a TypeError (case 2026:12125)
    if not number.is_number:
        return False
    try:
        return bool(abs(number) < sympy.Float("1e-40"))
    except TypeError:  # nan, or no number after all
        return False


@dataclass(frozen=True)
class Break:
    """Where f is not smooth: a ``kink`` (f continuous, slopes differ) or a ``jump``.

    ``points``: the break locations in u, or ``"integers"`` (floor, ceil). ``left(u, u0,
    *params)`` and ``right(…)`` are the smooth branches f takes just left and right of the
    break at u0 (for relu: 0 and u), from which the one-sided values and slopes follow.
    """

    kind: str
    points: tuple[sympy.Expr, ...] | str
    left: Builder
    right: Builder

    def at(self, value: sympy.Expr) -> bool:
        """True when the exact number ``value`` is one of the break points."""
        if self.points == "integers":
            if value.is_Rational:
                return value.is_Integer
            from derivcheck.calculus.precise import MAX_DIGITS, precise

            size = None
            try:  # with its integer digits and 30 more, unless within those of an integer
                size = precise(value, 15)
                digits = 30 + (int(mpmath.log10(abs(size))) if size else 0)
                number = precise(value, digits) if 0 < digits <= MAX_DIGITS + 30 else None
            except (TypeError, ArithmeticError):
                number = None
            if number is not None:
                with mpmath.workdps(digits + 10):
                    nearest = mpmath.nint(number)
                    if abs(number - nearest) > mpmath.mpf(10) ** -20:
                        return False  # SymPy's floor of exp(e^12.12) − exp(e^12) took 10 s
                # within 10^-20 of one integer: it is one when it equals it (SymPy's floor
                # of 3^elu(-6/5) − 3^elu(-6/5) − 1 written two ways took 5 s of simplify
                # deciding the same: differential case 2026:15984)
                return is_zero(value - sympy.Integer(int(nearest)))
            elif size is not None and digits > MAX_DIGITS + 30:
                # more integer digits than any value derivcheck keeps (value_at rounds
                # them to 50 digits): whether it is an integer is past deciding
                return False
            try:
                return is_zero(value - sympy.floor(value))
            except ArithmeticError:  # SymPy's floor ran out of precision: e^(swish(x)) at
                # -10^-280 is 1 - 5e-281 (PrecisionExhausted: differential case 2026:65762)
                number = precise(value, 1000)
                if number is None:
                    return False
                with mpmath.workdps(1010):
                    return bool(abs(number - mpmath.nint(number)) < mpmath.mpf(10) ** -990)
        return any(is_zero(value - p) for p in self.points)

    def locations_near(self, center: float, radius: float) -> list[float]:
        """Break points (as floats) within ``radius`` of ``center``."""
        import math

        if self.points == "integers":
            low, high = math.ceil(center - radius), math.floor(center + radius)
            return [float(k) for k in range(low, high + 1)] if high - low < 10_000 else []
        return [float(p) for p in self.points if abs(float(p) - center) <= radius]


@dataclass(frozen=True)
class FunctionRecord:
    """One elementary function, every fact in one place (see the module docstring).

    ``derivative(u, *params)`` is f′(u) as the textbook table states it; ``definition``
    writes derivcheck's own functions in SymPy's (softplus(u) = ln(1 + e^u)); ``numpy``
    names the NumPy implementation (``np.sin``, or ``kernels.softplus`` in
    :mod:`derivcheck.numeric.kernels`), complex-capable when ``analytic``, or is a function
    written with operators only (``lambda z: z / (1 + abs(z))``); ``mpmath`` is the
    arbitrary-precision one. ``rule`` is the rule's name (en, zh); ``inverse_of`` the key of
    the function whose ⁻¹ this is (sin⁻¹ = arcsin); ``periodic`` marks trigonometric
    functions, whose arguments must stay moderate for floating point.
    """

    key: str
    sympy_class: Any
    names: tuple[str, ...]
    text: str
    latex: str
    rule: tuple[str, str]
    numpy: str | Callable[..., Any]
    mpmath: Callable[..., Any]
    derivative: Builder | None
    domain: Domain = EVERYWHERE
    breaks: tuple[Break, ...] = ()
    analytic: bool = True
    inverse_of: str | None = None
    parameters: tuple[Parameter, ...] = ()
    definition: Builder | None = None
    arity: tuple[int, ...] = (1,)
    periodic: bool = False
    exact_on_numbers: bool = False
    #: Its values are exact in floating point (whole numbers, or ½ for H(0)): a rounding
    #: model perturbs everything computed, but not these (numeric.evaluate.compile_perturbed)
    exact_values: bool = False
    #: f(u), or its distance from its limits ±1, grows or decays like e^|u| (sinh, tanh…):
    #: past |u| = ln(10^(10^6)) no value derivcheck writes down holds it (calculus.precise)
    exponential: bool = False
    #: f(u) = sign(u)·(1 − tail(|u|)) with ``tail`` (mpmath) accurate to its last digit
    #: however small: far out, f is ±1 less a tail that sums of such values cancel down to
    #: (erf(a) − erf(b) at a, b ≈ −82 is 10^-2930), so calculus.precise adds the tails
    tail: Callable[[Any], Any] | None = None
    #: f(i·u) = factor·g(u) for real u: (key of g, factor); sin(i·u) = i·sinh(u)
    imaginary: tuple[str, sympy.Expr] | None = None
    note: str = field(default="", compare=False)

    @property
    def smooth(self) -> bool:
        return not self.breaks

    @property
    def has_jumps(self) -> bool:
        return any(b.kind == "jump" for b in self.breaks)

    def build(self, *args: sympy.Expr) -> sympy.Expr:
        """f applied to parsed arguments (a missing parameter takes its default).

        SymPy itself can fail on some constant arguments (acos(sin(2^1000)) raises an
        AttributeError inside its cache): that is a clear error here, never a crash.
        """
        try:
            return self.sympy_class(*args)
        except (AttributeError, TypeError, ValueError, RecursionError) as error:
            from derivcheck.errors import EvaluationError

            raise EvaluationError(
                "calculus.cannot_evaluate", function=self.text, problem=type(error).__name__
            ) from None

    def numpy_function(self) -> Callable[..., Any]:
        """The NumPy implementation (NumPy is imported only now)."""
        return _resolve_numpy(self.numpy)

    def slopes(self, brk: Break, at: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
        """Left and right derivatives of f at the break point ``at`` (exact)."""
        u = sympy.Dummy("u", real=True)
        params = tuple(p.default for p in self.parameters)
        return tuple(  # type: ignore[return-value]
            sympy.diff(branch(u, at, *params), u).subs(u, at) for branch in (brk.left, brk.right)
        )


@cache
def _resolve_numpy(spec: str | Callable[..., Any]) -> Callable[..., Any]:
    if callable(spec):  # written with operators only: works on arrays without importing NumPy
        return spec
    module_name, _, attribute = spec.partition(".")
    if module_name == "np":
        import numpy

        return getattr(numpy, attribute)
    from derivcheck.numeric import kernels

    return getattr(kernels, attribute)


# --------------------------------------------------------------------------------------
# Branches of the non-smooth functions
# --------------------------------------------------------------------------------------


def _zero(u, u0, *params):
    return S.Zero


def _same(u, u0, *params):
    return u


def _minus(u, u0, *params):
    return -u


def _constant(value):
    number = Integer(value)
    return lambda u, u0, *params: number


def _pos(u):
    return Heaviside(u, 0)


_AT_ZERO = (Integer(0),)
_LEAK = Rational(1, 100)  # leaky_relu's default slope, as in PyTorch
_UNIT = Interval(-1, 1)
_ABOVE_ONE = Interval(1, oo)
_OUTSIDE_UNIT = sympy.Union(Interval(-oo, -1), Interval(1, oo))


def _mp_sigmoid(u):
    return 1 / (1 + mpmath.exp(-u))


def _mp_relu(u):
    return u if u > 0 else mpmath.mpf(0)


def _mp_heaviside(u: Any, at_zero: Any = 0.5) -> Any:
    """H(u) with mpmath: 0 below 0, 1 above, ``at_zero`` at 0 (SymPy's H(0) = 1/2 unless
    heaviside(u, h0) says otherwise), as the exact value and the NumPy kernel have it."""
    if u > 0:
        return mpmath.mpf(1)
    return mpmath.mpf(0) if u < 0 else mpmath.mpf(at_zero)


def _mp_sign(u):
    return mpmath.sign(u)


def _sigmoid(u):
    return by_key("sigmoid").sympy_class(u)


def _arccot(u):
    """π/2 − arctan(u) (values in (0, π)) without its cancellation for large u:
    arctan(1/u) for u > 0 (arccot(10^40) is 10^-40, not 0), π + arctan(1/u) for u < 0."""
    if u == 0:
        return mpmath.pi / 2
    return mpmath.atan(1 / u) if u > 0 else mpmath.pi + mpmath.atan(1 / u)


# --------------------------------------------------------------------------------------
# The records
# --------------------------------------------------------------------------------------

RECORDS: tuple[FunctionRecord, ...] = (
    # ---- trigonometric ----
    FunctionRecord(
        "sin", sympy.sin, ("sin",), "sin", r"\sin", ("sine rule", "正弦法则"), "np.sin",
        mpmath.sin, lambda u: sympy.cos(u), periodic=True, imaginary=("sinh", sympy.I),
    ),
    FunctionRecord(
        "cos", sympy.cos, ("cos",), "cos", r"\cos", ("cosine rule", "余弦法则"), "np.cos",
        mpmath.cos, lambda u: -sympy.sin(u), periodic=True,
        imaginary=("cosh", sympy.S.One),
    ),
    FunctionRecord(
        "tan", sympy.tan, ("tan", "tg"), "tan", r"\tan", ("tangent rule", "正切法则"),
        "np.tan", mpmath.tan, lambda u: sympy.sec(u) ** 2,
        domain=Domain(poles=sympy.cos, reason="domain.trig_pole"), periodic=True,
        imaginary=("tanh", sympy.I),
    ),
    FunctionRecord(
        "cot", sympy.cot, ("cot", "ctg"), "cot", r"\cot", ("cotangent rule", "余切法则"),
        "kernels.cot", mpmath.cot, lambda u: -sympy.csc(u) ** 2,
        domain=Domain(poles=sympy.sin, reason="domain.trig_pole"), periodic=True,
        imaginary=("coth", -sympy.I),
    ),
    FunctionRecord(
        "sec", sympy.sec, ("sec",), "sec", r"\sec", ("secant rule", "正割法则"), "kernels.sec",
        mpmath.sec, lambda u: sympy.sec(u) * sympy.tan(u),
        domain=Domain(poles=sympy.cos, reason="domain.trig_pole"), periodic=True,
        imaginary=("sech", sympy.S.One),
    ),
    FunctionRecord(
        "csc", sympy.csc, ("csc", "cosec"), "csc", r"\csc", ("cosecant rule", "余割法则"),
        "kernels.csc", mpmath.csc, lambda u: -sympy.csc(u) * sympy.cot(u),
        domain=Domain(poles=sympy.sin, reason="domain.trig_pole"), periodic=True,
        imaginary=("csch", -sympy.I),
    ),
    # ---- inverse trigonometric ----
    FunctionRecord(
        "arcsin", sympy.asin, ("arcsin", "asin"), "arcsin", r"\arcsin",
        ("arcsine rule", "反正弦法则"), "np.arcsin", mpmath.asin,
        lambda u: 1 / sqrt(1 - u**2),
        domain=Domain(_UNIT, reason="domain.unit_closed"), inverse_of="sin",
    ),
    FunctionRecord(
        "arccos", sympy.acos, ("arccos", "acos"), "arccos", r"\arccos",
        ("arccosine rule", "反余弦法则"), "np.arccos", mpmath.acos,
        lambda u: -1 / sqrt(1 - u**2),
        domain=Domain(_UNIT, reason="domain.unit_closed"), inverse_of="cos",
    ),
    FunctionRecord(
        "arctan", sympy.atan, ("arctan", "atan", "arctg"), "arctan", r"\arctan",
        ("arctangent rule", "反正切法则"), "np.arctan", mpmath.atan, lambda u: 1 / (1 + u**2),
        inverse_of="tan",
    ),
    FunctionRecord(
        "arccot",
        function_class("arccot", 1, "positive"),
        ("arccot", "acot", "arcctg"), "arccot", r"\operatorname{arccot}",
        ("arccotangent rule", "反余切法则"), "kernels.arccot",
        _arccot, lambda u: -1 / (1 + u**2),
        inverse_of="cot", definition=lambda u: pi / 2 - sympy.atan(u), exact_on_numbers=True,
    ),
    FunctionRecord(
        "arcsec", sympy.asec, ("arcsec", "asec"), "arcsec", r"\operatorname{arcsec}",
        ("arcsecant rule", "反正割法则"), "kernels.arcsec", mpmath.asec,
        lambda u: 1 / (Abs(u) * sqrt(u**2 - 1)),
        domain=Domain(_OUTSIDE_UNIT, reason="domain.outside_unit"), inverse_of="sec",
    ),
    FunctionRecord(
        "arccsc", sympy.acsc, ("arccsc", "acsc", "arccosec"), "arccsc", r"\operatorname{arccsc}",
        ("arccosecant rule", "反余割法则"), "kernels.arccsc", mpmath.acsc,
        lambda u: -1 / (Abs(u) * sqrt(u**2 - 1)),
        domain=Domain(_OUTSIDE_UNIT, reason="domain.outside_unit"), inverse_of="csc",
    ),
    # ---- hyperbolic ----
    FunctionRecord(
        "sinh", sympy.sinh, ("sinh", "sh"), "sinh", r"\sinh",
        ("hyperbolic sine rule", "双曲正弦法则"), "np.sinh", mpmath.sinh, lambda u: sympy.cosh(u),
        exponential=True,
    ),
    FunctionRecord(
        "cosh", sympy.cosh, ("cosh", "ch"), "cosh", r"\cosh",
        ("hyperbolic cosine rule", "双曲余弦法则"), "np.cosh", mpmath.cosh,
        lambda u: sympy.sinh(u),
        exponential=True,
    ),
    FunctionRecord(
        "tanh", sympy.tanh, ("tanh", "th"), "tanh", r"\tanh",
        ("hyperbolic tangent rule", "双曲正切法则"), "np.tanh", mpmath.tanh,
        lambda u: 1 - sympy.tanh(u) ** 2,
        exponential=True, tail=lambda v: 2 / (mpmath.exp(2 * v) + 1),
    ),
    FunctionRecord(
        "coth", sympy.coth, ("coth", "cth"), "coth", r"\coth",
        ("hyperbolic cotangent rule", "双曲余切法则"), "kernels.coth", mpmath.coth,
        lambda u: 1 - sympy.coth(u) ** 2,
        domain=Domain(poles=lambda u: u, reason="domain.pole_at_zero"),
        exponential=True,
    ),
    FunctionRecord(
        "sech", sympy.sech, ("sech",), "sech", r"\operatorname{sech}",
        ("hyperbolic secant rule", "双曲正割法则"), "kernels.sech", mpmath.sech,
        lambda u: -sympy.sech(u) * sympy.tanh(u),
        exponential=True,
    ),
    FunctionRecord(
        "csch", sympy.csch, ("csch", "cosech"), "csch", r"\operatorname{csch}",
        ("hyperbolic cosecant rule", "双曲余割法则"), "kernels.csch", mpmath.csch,
        lambda u: -sympy.csch(u) * sympy.coth(u),
        domain=Domain(poles=lambda u: u, reason="domain.pole_at_zero"),
        exponential=True,
    ),
    FunctionRecord(
        "arsinh", sympy.asinh, ("arsinh", "arcsinh", "asinh", "argsinh"), "arsinh",
        r"\operatorname{arsinh}", ("inverse hyperbolic sine rule", "反双曲正弦法则"),
        "np.arcsinh", mpmath.asinh, lambda u: 1 / sqrt(u**2 + 1), inverse_of="sinh",
    ),
    FunctionRecord(
        "arcosh", sympy.acosh, ("arcosh", "arccosh", "acosh", "argcosh"), "arcosh",
        r"\operatorname{arcosh}", ("inverse hyperbolic cosine rule", "反双曲余弦法则"),
        "np.arccosh", mpmath.acosh, lambda u: 1 / sqrt(u**2 - 1),
        domain=Domain(_ABOVE_ONE, reason="domain.at_least_one"), inverse_of="cosh",
    ),
    FunctionRecord(
        "artanh", sympy.atanh, ("artanh", "arctanh", "atanh", "argtanh"), "artanh",
        r"\operatorname{artanh}", ("inverse hyperbolic tangent rule", "反双曲正切法则"),
        "np.arctanh", mpmath.atanh, lambda u: 1 / (1 - u**2),
        domain=Domain(Interval.open(-1, 1), reason="domain.unit_open"), inverse_of="tanh",
    ),
    # ---- exponential and logarithm ----
    FunctionRecord(
        "exp", sympy.exp, ("exp",), "exp", r"\exp", ("exponential function rule", "指数函数法则"),
        "np.exp", mpmath.exp, lambda u: exp(u),
    ),
    FunctionRecord(
        "log", sympy.log, ("ln", "log"), "ln", r"\ln", ("logarithm rule", "对数法则"), "np.log",
        mpmath.log, lambda u: 1 / u,
        domain=Domain(Interval.open(0, oo), reason="domain.positive"), arity=(1, 2),
    ),
    FunctionRecord(
        "erf", sympy.erf, ("erf",), "erf", r"\operatorname{erf}",
        ("error function rule", "误差函数法则"), "kernels.erf", mpmath.erf,
        lambda u: 2 / sqrt(pi) * exp(-(u**2)), tail=mpmath.erfc,
    ),
    # ---- absolute value and other non-smooth functions ----
    FunctionRecord(
        "abs", Abs, ("abs",), "abs", r"\left|\cdot\right|", ("absolute value rule", "绝对值法则"),
        "np.abs", abs, lambda u: sympy.sign(u),
        breaks=(Break("kink", _AT_ZERO, _minus, _same),), analytic=False,
    ),
    FunctionRecord(
        "sign", sympy.sign, ("sign", "sgn"), "sign", r"\operatorname{sgn}",
        ("sign function rule", "符号函数法则"), "kernels.sign", _mp_sign, lambda u: S.Zero,
        breaks=(Break("jump", _AT_ZERO, _constant(-1), _constant(1)),), analytic=False,
        exact_values=True,
    ),
    FunctionRecord(
        "heaviside", Heaviside, ("heaviside",), "H", "H", ("step function rule", "阶跃函数法则"),
        "kernels.heaviside", _mp_heaviside,
        lambda u, *rest: S.Zero, arity=(1, 2),
        breaks=(Break("jump", _AT_ZERO, _constant(0), _constant(1)),), analytic=False,
        exact_values=True,
    ),
    FunctionRecord(
        "floor", sympy.floor, ("floor",), "floor", r"\operatorname{floor}",
        ("floor function rule", "向下取整法则"), "kernels.floor", mpmath.floor, lambda u: S.Zero,
        breaks=(Break("jump", "integers", lambda u, u0: u0 - 1, lambda u, u0: u0),),
        analytic=False,
        exact_values=True,
    ),
    FunctionRecord(
        "ceil", sympy.ceiling, ("ceil", "ceiling"), "ceil", r"\operatorname{ceil}",
        ("ceiling function rule", "向上取整法则"), "kernels.ceil", mpmath.ceil,
        lambda u: S.Zero,
        breaks=(Break("jump", "integers", lambda u, u0: u0, lambda u, u0: u0 + 1),),
        analytic=False,
        exact_values=True,
    ),
    FunctionRecord(
        "max", sympy.Max, ("max",), "max", r"\max", ("max rule", "max 法则"), "np.maximum",
        max, None, breaks=(Break("kink", "ties", _same, _same),), analytic=False,
        arity=(2, 3, 4, 5, 6, 7, 8),
    ),
    FunctionRecord(
        "min", sympy.Min, ("min",), "min", r"\min", ("min rule", "min 法则"), "np.minimum",
        min, None, breaks=(Break("kink", "ties", _same, _same),), analytic=False,
        arity=(2, 3, 4, 5, 6, 7, 8),
    ),
    # ---- activations ----
    FunctionRecord(
        "relu",
        function_class("relu", 1, "nonnegative"),
        ("relu",), "relu", r"\operatorname{relu}", ("ReLU rule", "ReLU 法则"),
        "kernels.relu", _mp_relu, _pos, definition=lambda u: sympy.Max(u, 0),
        breaks=(Break("kink", _AT_ZERO, _zero, _same),), analytic=False,
        note="relu'(0) = 0, as PyTorch takes it",
    ),
    FunctionRecord(
        "leaky_relu",
        function_class("leaky_relu", (1, 2)),
        ("leaky_relu", "leakyrelu", "lrelu"), "leaky_relu",
        r"\operatorname{leaky\_relu}", ("leaky ReLU rule", "Leaky ReLU 法则"),
        "kernels.leaky_relu", lambda u, a: u if u > 0 else a * u,
        lambda u, a: a + (1 - a) * Heaviside(u, 0),
        parameters=(Parameter("a", _LEAK),), arity=(1, 2),
        definition=lambda u, a: sympy.Piecewise((u, u > 0), (a * u, True)),
        breaks=(Break("kink", _AT_ZERO, lambda u, u0, a: a * u, _same),),
        analytic=False,
    ),
    FunctionRecord(
        "elu",
        function_class("elu", (1, 2)),
        ("elu",), "elu", r"\operatorname{elu}", ("ELU rule", "ELU 法则"),
        "kernels.elu", lambda u, a: u if u > 0 else a * mpmath.expm1(u),
        lambda u, a: Heaviside(u, 0) + a * exp(u) * Heaviside(-u, 1),
        parameters=(Parameter("a", S.One),), arity=(1, 2),
        definition=lambda u, a: sympy.Piecewise((u, u > 0), (a * (exp(u) - 1), True)),
        breaks=(Break("kink", _AT_ZERO, lambda u, u0, a: a * (exp(u) - 1), _same),),
        analytic=False,
    ),
    FunctionRecord(
        "sigmoid",
        function_class("sigmoid", 1, "positive"),
        ("sigmoid", "logistic", "σ"), "σ", r"\sigma",
        ("sigmoid rule", "sigmoid 法则"), "kernels.logistic", _mp_sigmoid,
        lambda u: _sigmoid(u) * (1 - _sigmoid(u)), definition=lambda u: 1 / (1 + exp(-u)),
    ),
    FunctionRecord(
        "softplus",
        function_class("softplus", 1, "positive"),
        ("softplus",), "softplus", r"\operatorname{softplus}",
        ("softplus rule", "softplus 法则"), "kernels.softplus",
        lambda u: mpmath.log1p(mpmath.exp(u)), lambda u: _sigmoid(u),
        definition=lambda u: log(1 + exp(u)), exact_on_numbers=True,
    ),
    FunctionRecord(
        "silu",
        function_class("silu", 1),
        ("silu", "swish"), "silu", r"\operatorname{silu}",
        ("SiLU (swish) rule", "SiLU（swish）法则"), "kernels.silu",
        lambda u: u / (1 + mpmath.exp(-u)),
        lambda u: _sigmoid(u) * (1 + u * (1 - _sigmoid(u))),
        definition=lambda u: u / (1 + exp(-u)),
    ),
    FunctionRecord(
        "gelu",
        function_class("gelu", 1),
        ("gelu",), "gelu", r"\operatorname{gelu}", ("GELU rule", "GELU 法则"),
        "kernels.gelu", lambda u: u / 2 * mpmath.erfc(-u / mpmath.sqrt(2)),  # erfc: no cancelling
        lambda u: (1 + sympy.erf(u / sqrt(2))) / 2 + u * exp(-(u**2) / 2) / sqrt(2 * pi),
        definition=lambda u: u / 2 * (1 + sympy.erf(u / sqrt(2))),
    ),
    FunctionRecord(
        "softsign",
        function_class("softsign", 1),
        ("softsign",), "softsign", r"\operatorname{softsign}",
        ("softsign rule", "softsign 法则"), lambda z: z / (1 + abs(z)),
        lambda u: u / (1 + abs(u)), lambda u: 1 / (1 + Abs(u)) ** 2,
        definition=lambda u: u / (1 + Abs(u)), analytic=False,
    ),
    FunctionRecord(
        "hardtanh",
        function_class("hardtanh", 1),
        ("hardtanh",), "hardtanh", r"\operatorname{hardtanh}",
        ("hardtanh rule", "hardtanh 法则"), "kernels.hardtanh",
        lambda u: max(mpmath.mpf(-1), min(mpmath.mpf(1), u)),
        lambda u: Heaviside(1 - u**2, 0),
        definition=lambda u: sympy.Min(1, sympy.Max(-1, u)),
        breaks=(
            Break(
                "kink",
                (Integer(-1), Integer(1)),
                lambda u, u0: sympy.Integer(-1) if u0 < 0 else u,
                lambda u, u0: u if u0 < 0 else sympy.Integer(1),
            ),
        ),
        analytic=False,
    ),
)  # fmt: skip

#: Spellings that build an expression from other operations rather than naming a function
#: of the catalogue: sqrt(u) = u^(1/2), lg u = log₁₀ u. name -> (builder, argument counts).
ALIASES: dict[str, tuple[Builder, tuple[int, ...]]] = {
    "sqrt": (lambda v: real_power(v, sympy.S.Half), (1,)),
    "cbrt": (lambda v: real_power(v, Rational(1, 3)), (1,)),
    "lg": (lambda v: log(v, 10), (1,)),
    "log10": (lambda v: log(v, 10), (1,)),
    "log2": (lambda v: log(v, 2), (1,)),
}


@cache
def _by_name() -> dict[str, FunctionRecord]:
    table: dict[str, FunctionRecord] = {}
    for record in RECORDS:
        for name in record.names:
            key = name.lower()
            if key in table:  # pragma: no cover - guarded by the catalogue's tests
                raise AssertionError(f"catalogue: '{name}' names two functions")
            table[key] = record
    return table


@cache
def _by_class() -> dict[Any, FunctionRecord]:
    return {record.sympy_class: record for record in RECORDS}


@cache
def _by_key() -> dict[str, FunctionRecord]:
    return {record.key: record for record in RECORDS}


def lookup(name: str) -> FunctionRecord | None:
    """The record a spelling names (case-insensitive: ``Sin``, ``ReLU``); None if unknown."""
    return _by_name().get(name.lower())


def record_of(function: Any) -> FunctionRecord | None:
    """The record of a SymPy class (``sympy.sin``) or of an applied function (``sin(x)``)."""
    if isinstance(function, sympy.Basic):
        function = function.func
    return _by_class().get(function)


def by_key(key: str) -> FunctionRecord:
    """The record with this key (``"arcsin"``); KeyError if there is none."""
    return _by_key()[key]


def inverse_of(key: str) -> FunctionRecord | None:
    """The record whose ⁻¹ spelling this is: ``inverse_of("sin")`` is arcsin."""
    return next((r for r in RECORDS if r.inverse_of == key), None)


def without_imaginary_arguments(expression: sympy.Expr) -> sympy.Expr:
    """``expression`` with every function of i·u that has a real form (a record's
    ``imaginary``: csc(i·u) = -i·csch(u)) written in it. SymPy writes sec(csch(x) + π/2) as
    -csc(i·csc(i·x)), and a graph of that has i·x as a step, "not a real number" at every
    real x (differential case 2026:10101).

    >>> x = sympy.Symbol("x", real=True)
    >>> without_imaginary_arguments(sympy.sec(sympy.csch(x) + sympy.pi / 2))
    -csc(csch(x))
    """
    if not expression.has(sympy.I):
        return expression

    def imaginary(node: sympy.Basic) -> bool:
        record = record_of(node) if isinstance(node, sympy.Function) else None
        return (
            record is not None
            and record.imaginary is not None
            and node.args[0].as_coefficient(sympy.I) is not None
        )

    def real(node: sympy.Basic) -> sympy.Expr:
        key, factor = record_of(node).imaginary  # type: ignore[union-attr]
        return factor * by_key(key).sympy_class(node.args[0].as_coefficient(sympy.I))

    return expression.replace(imaginary, real)


def records() -> Iterator[FunctionRecord]:
    """Every record, in catalogue order."""
    return iter(RECORDS)


def spellings() -> frozenset[str]:
    """Every name the parser accepts for a function, lower-case, aliases included."""
    return frozenset(_by_name()) | frozenset(ALIASES)
