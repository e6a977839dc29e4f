"""Expressions and numbers as people write them: ``2x``, ``(y - target)^2``, ``relu'(z1)``.

>>> from derivcheck import parse
>>> from derivcheck.reading.parser import symbol
>>> show(parse("(3x+2)^2"))
'(3x + 2)^2'
>>> show(parse("w1*x + b1"), values={symbol("w1"): 0.5, symbol("x"): 2, symbol("b1"): 0.1})
'0.1 + 0.5·2'
>>> show(parse("18x + 12"))
'6(3x + 2)'
>>> number(-2.4859999999999998), number(0.36319491480172617, digits=15)
('-2.486', '0.363194914801726')
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import sympy
from sympy.printing.str import StrPrinter

from derivcheck.calculus.catalogue import lookup, record_of
from derivcheck.reading.order import showing, typed_terms

T = TypeVar("T")

__all__ = ["show", "number", "GREEK", "renderer"]

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip


#: A rational whose numerator or denominator is longer than this (about 900 digits) is shown
#: as its value: 26244x^13121 - 13122x^13121 at x = 255/256 is a fraction of 31,000 digits
#: (differential case 2026:98180)
_LONGEST_EXACT_BITS = 3000


def number(value: float | None, digits: int = 6, undefined: str = "undefined") -> str:
    """A float in at most ``digits`` significant digits, without trailing zeros or float noise;
    a number that is not whole but rounds to one gets the digits that show it is not.

    >>> number(0.9999995836543678), number(2.9999999999999996), number(1e-7), number(3.0)
    ('0.9999996', '3', '1e-7', '3')

    ``undefined`` is what stands for nan or None (the word in the reader's language).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return undefined
    estimate = getattr(value, "estimate", None)  # a number beyond float range (BeyondFloat)
    if estimate is not None:
        import mpmath

        mantissa, _, exponent = mpmath.nstr(estimate, digits, min_fixed=1, max_fixed=0).partition(
            "e"
        )
        return f"{mantissa}e{int(exponent)}"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.{digits}g}"
    shown = digits  # 0.9999996 is no "1": beside a domain's edge (artanh(1) = 7.69 read as a
    # contradiction) a whole number shown must be one, unless only float noise (2.9999999999999996)
    noise = abs(value - round(value)) <= 1e-12 * max(1.0, abs(value))
    while shown < 13 and not noise and not any(c in text for c in ".en"):
        shown += 1
        text = f"{value:.{shown}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text


class _TextPrinter(StrPrinter):
    """StrPrinter with textbook conventions and optional numbers in place of names."""

    printmethod = "_derivcheck_text"  # these methods, not the classes' own _sympystr

    def __init__(
        self,
        values: Mapping[sympy.Symbol, float] | None = None,
        digits: int = 6,
        undefined: str = "undefined",
    ):
        super().__init__({"order": None})
        self.values = values or {}
        self.digits = digits
        self.undefined = undefined

    def _print_Symbol(self, expr):
        if expr in self.values:
            text = number(self.values[expr], self.digits, self.undefined)
            leading, self.leading = getattr(self, "leading", False), False
            return f"({text})" if text.startswith("-") and not leading else text
        return GREEK.get(expr.name, expr.name)

    def _print_Add(self, expr, order=None):
        typed = typed_terms(expr)  # as the user typed it
        terms = list(typed or self._as_ordered_terms(expr, order=None))
        positive = [t for t in terms if not _is_negative(t)]
        negative = [t for t in terms if _is_negative(t)]
        pieces: list[str] = []
        for term in terms if typed else positive + negative:
            if _is_negative(term):
                body = self._print(-term)
                if isinstance(-term, sympy.Add):
                    body = f"({body})"
                pieces.append(("- " if pieces else "-") + body)
            else:
                self.leading = not pieces and isinstance(term, sympy.Symbol)
                body = self._print(term)
                self.leading = False
                pieces.append(("+ " if pieces else "") + body)
        return " ".join(pieces)

    def _print_Mul(self, expr):
        if _is_negative(expr):
            inner = self._print(-expr)
            return "-" + (f"({inner})" if isinstance(-expr, sympy.Add) else inner)
        numerator, denominator = [], []
        for factor in expr.as_ordered_factors():
            if (
                factor.is_Pow
                and factor.exp.is_number
                and factor.exp.is_negative
                and (factor.exp != -1 or not factor.base.is_Number)
            ):
                denominator.append(factor.base ** (-factor.exp))
            elif factor.is_Rational and factor.q != 1:
                if factor.p != 1:
                    numerator.append(sympy.Integer(factor.p))
                denominator.append(sympy.Integer(factor.q))
            else:
                numerator.append(factor)
        top = self._join(numerator) if numerator else "1"
        if not denominator:
            return top
        bottom = self._join(denominator)
        if len(denominator) > 1 or isinstance(denominator[0], sympy.Mul):
            bottom = f"({bottom})"
        return f"{top}/{bottom}"

    def _join(self, factors: list[sympy.Expr]) -> str:
        text = ""
        previous: sympy.Expr | None = None
        for factor in factors:
            piece = self._print(factor)
            if _needs_brackets_in_product(factor):
                piece = f"({piece})"
            if previous is None:
                text = piece
            elif (
                previous.is_Number
                and not self.values
                and (isinstance(factor, (sympy.Symbol, sympy.Add)) or piece[0] in "(√|")
            ):
                text += piece  # 2x, 3(x + 1), 2√x
            else:
                text += "·" + piece
            previous = factor
        return text

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.args
        if exponent == sympy.S.Half:
            inner = self._print(base)
            return f"√{inner}" if _is_atom(base) else f"√({inner})"
        if exponent.is_number and exponent.is_negative:
            return self._print_Mul(sympy.Mul(sympy.S.One, expr, evaluate=False))
        if base == sympy.E:
            return self._print(sympy.exp(exponent))
        base_text = self._print(base)
        if not _is_atom(base) or (base.is_Number and (base.is_negative or not base.is_Integer)):
            base_text = f"({base_text})"
        exp_text = self._print(exponent)
        if not (exponent.is_Integer and exponent >= 0) and not isinstance(exponent, sympy.Symbol):
            exp_text = f"({exp_text})"
        return f"{base_text}^{exp_text}"

    def _print_exp(self, expr):
        argument = expr.args[0]
        text = self._print(argument)
        return f"e^{text}" if _is_atom(argument) and not text.startswith("-") else f"e^({text})"

    def _print_Abs(self, expr):
        return f"|{self._print_leading(expr.args[0])}|"

    def _print_Heaviside(self, expr):
        inner = self._print(expr.args[0])
        if len(expr.args) > 1 and expr.args[1] == 0:  # relu's derivative, relu'(0) = 0
            return f"{lookup('relu').text}'({inner})"
        return f"{record_of(expr).text}({inner})"

    def _print_Function(self, expr):
        record = record_of(expr)
        name = record.text if record is not None else expr.func.__name__
        args = expr.args
        if record is not None and record.parameters and args[-1] == record.parameters[-1].default:
            args = args[:-1]  # leaky_relu(x), not leaky_relu(x, 1/100)
        return f"{name}({', '.join(self._print_leading(a) for a in args)})"

    def _print_leading(self, expr):
        """Print with no brackets around a leading negative number: sin(-1), not sin((-1))."""
        self.leading = isinstance(expr, sympy.Symbol)
        text = self._print(expr)
        self.leading = False
        return text

    _print_log = _print_Function
    _print_Max = _print_Function
    _print_Min = _print_Function

    def _print_Exp1(self, expr):
        return "e"

    def _print_Pi(self, expr):
        return "π"

    def _print_Integer(self, expr):
        if abs(int(expr.p)).bit_length() > _LONGEST_EXACT_BITS:
            return self._print_Rational(expr)
        return str(expr.p)

    def _print_Rational(self, expr):
        if max(abs(int(expr.p)).bit_length(), int(expr.q).bit_length()) > _LONGEST_EXACT_BITS:
            import mpmath  # thousands of digits (Python refuses to write over 4,300): its value

            p, q = int(expr.p), int(expr.q)
            whole = (2 * p + q) // (2 * q)  # the nearest whole number, and how far from it
            with mpmath.workdps(30):
                value = mpmath.mpf(p) / q
                offset = mpmath.mpf(p - whole * q) / q
            near = float(value)
            if near and math.isfinite(near) and not (near.is_integer() and offset):
                return number(near, self.digits, self.undefined)
            from derivcheck.calculus.precise import BeyondFloat

            if not (whole and offset and abs(whole) < 10**15):  # no whole number to stand by
                return number(BeyondFloat(near, value), self.digits, self.undefined)
            rest = number(BeyondFloat(float(offset), abs(offset)), self.digits, self.undefined)
            return f"{whole} {'+' if offset > 0 else '-'} {rest}"  # 1 + 1.4e-3340
        return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)

    def _print_Float(self, expr):
        return number(float(expr), self.digits, self.undefined)

    def _print_ImaginaryUnit(self, expr):
        return "i"


def _is_negative(term: sympy.Expr) -> bool:
    coefficient, _ = term.as_coeff_Mul()
    return bool(coefficient.is_number and coefficient.is_negative)


def _is_atom(expr: sympy.Expr) -> bool:
    return (
        isinstance(expr, sympy.Symbol)
        or (expr.is_Integer and expr >= 0)
        or isinstance(expr, (sympy.core.numbers.Pi, sympy.core.numbers.Exp1))
        or isinstance(expr, sympy.Function)
    )


def _needs_brackets_in_product(factor: sympy.Expr) -> bool:
    return isinstance(factor, sympy.Add) or (factor.is_Rational and not factor.is_Integer)


def show(
    expr: sympy.Expr,
    values: Mapping[sympy.Symbol, float] | None = None,
    digits: int = 6,
    undefined: str = "undefined",
) -> str:
    """``expr`` as text; with ``values``, each named symbol is replaced by its number.

    Without values, common factors are pulled out first (``18x + 12`` shows as ``6(3x + 2)``).
    """
    if not values and isinstance(expr, sympy.Basic) and expr.is_Add and typed_terms(expr) is None:
        expr = sympy.factor_terms(expr)
    return _TextPrinter(values, digits, undefined).doprint(expr)


def renderer(render: Callable[..., T]) -> Callable[..., T]:
    """Decorate a renderer of an explanation: its sums are shown in the order typed, and it
    runs under the same time limit as ``explain()`` (a huge derivation ends in a LimitError,
    not a hang)."""

    @functools.wraps(render)
    def rendered(explanation: Any, *args: Any, **kwargs: Any) -> T:
        from derivcheck.limits import DEFAULT_SECONDS, time_limit

        with showing(getattr(explanation, "typed_order", None)):
            with time_limit(DEFAULT_SECONDS, "limits.what.render"):
                return render(explanation, *args, **kwargs)

    return rendered
