"""Grade a student's derivative: is it right, and if not, which rule went wrong?

The exercise's function is parsed once and decomposed into its chain-rule
graph; from the graph come the derivative and the *candidate wrong
derivatives* a student typically writes (an inner derivative forgotten at some
depth, a sign flipped, the power not reduced, the product or quotient rule
misremembered). An answer is parsed with the same safe parser (nothing the
student types is ever run), evaluated at points drawn inside the function's
real domain, and compared with the derivative and with every candidate.

>>> result = check_answer("(2x+1)^3", "6(2x+1)^2")
>>> result.verdict, result.correct
('correct', True)
>>> result = check_answer("(2x+1)^3", "3(2x+1)^2")
>>> result.verdict, result.diagnosis
('incorrect', 'missing-inner-derivative')
>>> print(result.message)
Chain rule: the derivative of the inner function 2x + 1 is missing; multiply by (2x + 1)′ = 2.
>>> check_answer("(2x+1)^3", "54", at=1).verdict
'correct'
>>> check_answer("sigmoid(x)", "1/(4cosh(x/2)^2)").verdict
'correct'
>>> check_answer("x^3", "3x^3", lang="zh").message
'幂函数求导：(uⁿ)′ = n·uⁿ⁻¹，x 的指数要减 1（从 3 变为 2）。'
>>> check_answer("x^2", "__import__('os').system('rm -rf /')").verdict
'unparseable'

Equivalence is decided numerically at up to ten points inside the real domain
(fixed seeds, so every run gives the same verdicts), with a relative
tolerance; only when the numbers are borderline is the difference evaluated
with exact arithmetic at the exact sample points. Each answer has a time limit
(2 s by default) and ends in verdict ``"error"`` rather than hanging.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.functions import relu
from derivcheck.calculus.graph import Graph, build_graph
from derivcheck.calculus.rules import (
    ExponentialRule,
    FunctionRule,
    GeneralPowerRule,
    PowerRule,
    ProductRule,
    QuotientRule,
    SumRule,
)
from derivcheck.errors import DerivcheckError, LimitError, ParseError
from derivcheck.grading.files import default_variable
from derivcheck.limits import time_limit
from derivcheck.messages import check_language, localize_error, translate
from derivcheck.numeric.evaluate import NUMPY_FUNCTIONS  # the compiler's table: one per function
from derivcheck.reading.parser import parse, symbol
from derivcheck.render.printing import number, show

__all__ = [
    "check_answer",
    "AnswerResult",
    "ParseProblem",
    "VERDICTS",
    "DIAGNOSES",
    "DEFAULT_TIME_LIMIT",
]

#: The four verdicts.
VERDICTS = ("correct", "incorrect", "unparseable", "error")
#: Diagnosis codes, most specific first: when several fit, the earliest wins.
DIAGNOSES = (
    "quotient-rule-sign",
    "product-rule",
    "power-not-reduced",
    "missing-inner-derivative",
    "not-differentiated",
    "sign-error",
    "constant-factor",
)
_RANK = {code: rank for rank, code in enumerate(DIAGNOSES)}
#: Seconds one answer may take before it is stopped with verdict "error".
DEFAULT_TIME_LIMIT = 2.0
#: Seconds preparing one exercise (derivative, sample points, candidates) may take.
PREPARE_TIME_LIMIT = 10.0

_POINTS_MAIN = 8  # sample points from |x| <= 3
_POINTS_WIDE = 2  # and from |x| <= 20, when the function is defined there
_SEED = 20240527
_CLOSE = 1e-9  # relative difference below which two values are equal
_FAR = 1e-3  # relative difference above which they clearly differ
_MATCH = 1e-8  # relative tolerance when matching a candidate wrong derivative


# --------------------------------------------------------------------------------------
# Messages (English and Chinese)
# --------------------------------------------------------------------------------------

_MESSAGES: dict[str, dict[str, str]] = {
    "correct": {"en": "Correct.", "zh": "正确。"},
    "correct_rounded": {
        "en": "Correct (to the {digits} decimal place{s} given).",
        "zh": "正确（精确到所给的 {digits} 位小数）。",
    },
    "incorrect": {
        "en": "Not the derivative: at {point} your answer gives {got}, "
        "but the derivative is {want}.",
        "zh": "不正确：在 {point} 处，你的答案等于 {got}，而导数等于 {want}。",
    },
    "incorrect_undefined": {
        "en": "Not the derivative: your answer is undefined at {point}, where the derivative is "
        "{want}.",
        "zh": "不正确：你的答案在 {point} 处没有定义，而导数在该处等于 {want}。",
    },
    "incorrect_huge": {
        "en": "Not the derivative: at {point} your answer is beyond 10^308, but the derivative "
        "is {want}.",
        "zh": "不正确：在 {point} 处，你的答案超过 10^308，而导数等于 {want}。",
    },
    "incorrect_value": {
        "en": "Not the value of the derivative at {point}.",
        "zh": "这不是导数在 {point} 处的值。",
    },
    "formula_not_value": {
        "en": "The exercise asks for the value of the derivative at {point}, a number, "
        "not a formula in {var}.",
        "zh": "题目要求的是导数在 {point} 处的值（一个数），而不是含 {var} 的表达式。",
    },
    "foreign_names": {
        "en": "Your answer uses {names}, which the function does not contain.",
        "zh": "你的答案中出现了 {names}，而原函数中没有。",
    },
    "operator_left": {
        "en": "Your answer still contains d/d{var} or d{var}: write the derivative itself, "
        "not the operator.",
        "zh": "你的答案中还有 d/d{var} 或 d{var}：请写出求导的结果，而不是求导符号。",
    },
    "missing-inner-derivative": {
        "en": "Chain rule: the derivative of the inner function {inner} is missing; "
        "multiply by ({inner})′ = {factor}.",
        "zh": "链式法则：漏乘了内层函数 {inner} 的导数，应再乘以 ({inner})′ = {factor}。",
    },
    "missing-inner-derivative/layer": {
        "en": "Chain rule: the factor {factor} is missing (the derivative of {layer} with "
        "respect to its inside {inner}).",
        "zh": "链式法则：漏乘了因子 {factor}（即 {layer} 对其内层 {inner} 的导数）。",
    },
    "missing-inner-derivative/all": {
        "en": "Chain rule: the inner derivatives are missing; each layer's derivative must "
        "be multiplied in.",
        "zh": "链式法则：漏乘了内层函数的导数，每一层的导数都要乘上。",
    },
    "sign-error": {
        "en": "Sign error: your answer is the negative of the derivative.",
        "zh": "符号错误：你的答案是导数的相反数。",
    },
    "sign-error/part": {
        "en": "Sign error in the derivative of {part}.",
        "zh": "符号错误：{part} 的导数符号弄反了。",
    },
    "sign-error/rule": {
        "en": "Sign error in the derivative of {part}: d/d{u} {definition} = {local}.",
        "zh": "符号错误：{part} 的导数符号弄反了，d/d{u} {definition} = {local}。",
    },
    "constant-factor": {
        "en": "Off by a constant factor: your answer is {factor} times the derivative.",
        "zh": "差一个常数因子：你的答案是导数的 {factor} 倍。",
    },
    "not-differentiated": {
        "en": "This is the function itself, not its derivative.",
        "zh": "这是原函数本身，还没有求导。",
    },
    "power-not-reduced": {
        "en": "Power rule: (uⁿ)′ = n·uⁿ⁻¹; the exponent of {base} must drop by one "
        "(from {n} to {n_minus_1}).",
        "zh": "幂函数求导：(uⁿ)′ = n·uⁿ⁻¹，{base} 的指数要减 1（从 {n} 变为 {n_minus_1}）。",
    },
    "power-not-reduced/all": {
        "en": "Power rule: (xⁿ)′ = n·xⁿ⁻¹; every exponent must drop by one.",
        "zh": "幂函数求导：(xⁿ)′ = n·xⁿ⁻¹，每一项的指数都要减 1。",
    },
    "product-rule": {
        "en": "Product rule: (uv)′ = u′v + uv′, not u′v′ (here the factors are {factors}).",
        "zh": "乘积法则：(uv)′ = u′v + uv′，而不是 u′v′（这里的因子是 {factors}）。",
    },
    "product-rule/term": {
        "en": "Product rule: (uv)′ = u′v + uv′; the term with the derivative of {factor} "
        "is missing.",
        "zh": "乘积法则：(uv)′ = u′v + uv′，漏掉了含 {factor} 的导数的那一项。",
    },
    "quotient-rule-sign": {
        "en": "Quotient rule: (u/v)′ = (u′v − uv′)/v²; the two terms of the numerator are in "
        "the wrong order (here u = {numerator}, v = {denominator}).",
        "zh": "商的求导法则：(u/v)′ = (u′v − uv′)/v²，分子两项的顺序颠倒了"
        "（这里 u = {numerator}，v = {denominator}）。",
    },
    "quotient-rule-sign/plus": {
        "en": "Quotient rule: (u/v)′ = (u′v − uv′)/v²; the numerator needs a minus sign, "
        "not a plus (here u = {numerator}, v = {denominator}).",
        "zh": "商的求导法则：(u/v)′ = (u′v − uv′)/v²，分子中间应是减号而不是加号"
        "（这里 u = {numerator}，v = {denominator}）。",
    },
    "empty": {"en": "The answer is empty.", "zh": "答案为空。"},
    "unparseable": {
        "en": "Could not read the answer: {reason} (at character {column}).",
        "zh": "无法识别答案：{reason}（第 {column} 个字符处）。",
    },
    "bad_function": {
        "en": "The exercise cannot be graded: {reason}",
        "zh": "这道题无法评分：{reason}",
    },
    "timeout": {
        "en": "Grading this answer took longer than {seconds} s and was stopped.",
        "zh": "评阅这个答案超过了 {seconds} 秒，已停止。",
    },
    "failed": {
        "en": "This answer could not be graded: {reason}",
        "zh": "这个答案无法评分：{reason}",
    },
}


def _message(key: str, lang: str, **params: object) -> str:
    return translate(_MESSAGES, key, lang, **params)


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParseProblem:
    """Why an answer could not be read: 0-based ``position`` in the answer and the ``message``."""

    position: int | None
    message: str
    text: str = ""

    def __str__(self) -> str:
        return str(ParseError(self.message, self.text, self.position))

    def to_dict(self) -> dict[str, object]:
        return {"position": self.position, "message": self.message}


@dataclass(frozen=True)
class AnswerResult:
    """The grade of one answer.

    ``verdict`` is one of :data:`VERDICTS`; ``diagnosis`` is ``None`` or one of
    :data:`DIAGNOSES`; ``message`` is a sentence for the student. ``expected``
    is the derivative (a SymPy expression) and, with ``at``,
    ``expected_value`` its exact value there. Batch grading fills ``id``,
    ``student`` and ``line`` from the file.
    """

    verdict: str
    diagnosis: str | None
    message: str
    function: str
    answer: str | None
    var: str | None = None
    at: str | None = None
    parse_error: ParseProblem | None = None
    expected_text: str | None = None
    expected_value_text: str | None = None
    expected_number: float | None = None
    id: str | None = None
    student: str | None = None
    line: int | None = None
    index: int | None = None
    _exercise_key: tuple[str, str | None, str | None] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    @property
    def expected(self) -> Expr | None:
        """The derivative of the function (SymPy), or ``None`` when the function is unusable."""
        exercise = self._exercise()
        return exercise.derivative if exercise is not None else None

    @property
    def expected_value(self) -> Expr | None:
        """With ``at``: the exact value of the derivative there (SymPy); else ``None``."""
        exercise = self._exercise()
        return exercise.expected_value if exercise is not None else None

    def _exercise(self) -> _Exercise | None:
        if self._exercise_key is None:
            return None
        prepared = _prepare(*self._exercise_key)
        return prepared if isinstance(prepared, _Exercise) else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: id, student, line, function, var, at, answer, verdict, ..."""
        return {
            "id": self.id,
            "student": self.student,
            "line": self.line,
            "function": self.function,
            "var": self.var,
            "at": self.at,
            "answer": self.answer,
            "verdict": self.verdict,
            "correct": self.correct,
            "diagnosis": self.diagnosis,
            "message": self.message,
            "expected": self.expected_text,
            "expected_value": self.expected_value_text,
            "expected_number": self.expected_number,
            "parse_error": self.parse_error.to_dict() if self.parse_error else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], index: int | None = None) -> AnswerResult:
        """The inverse of :meth:`to_dict` (used to resume an interrupted batch)."""
        problem = data.get("parse_error")
        return cls(
            verdict=str(data["verdict"]),
            diagnosis=data.get("diagnosis"),
            message=str(data.get("message", "")),
            function=str(data.get("function") or ""),
            answer=data.get("answer"),
            var=data.get("var"),
            at=data.get("at"),
            parse_error=ParseProblem(problem.get("position"), str(problem.get("message")), "")
            if isinstance(problem, Mapping)
            else None,
            expected_text=data.get("expected"),
            expected_value_text=data.get("expected_value"),
            expected_number=data.get("expected_number"),
            id=data.get("id"),
            student=data.get("student"),
            line=data.get("line"),
            index=index,
            _exercise_key=(str(data.get("function") or ""), data.get("var"), data.get("at")),
        )


# --------------------------------------------------------------------------------------
# Numbers: a small NumPy interpreter for SymPy trees. An answer is evaluated once, and
# walking its tree costs about a tenth of compiling it with evaluate.compile_expr (which
# evaluates every constant with evalf); the functions table is the compiler's.
# --------------------------------------------------------------------------------------

_CONSTANTS: dict[Expr, float] = {}  # pi, E, ...: float() of a SymPy constant is slow


def _big(numerator: int) -> float:
    """An integer beyond float range, as the infinity of its sign."""
    return math.inf if numerator > 0 else -math.inf


def _numeric(node: Expr, env: Mapping[Symbol, np.ndarray]) -> Any:
    """Evaluate a SymPy tree with NumPy on the arrays in ``env`` (nan where undefined)."""
    if node.is_Symbol:
        return env[node]
    if node.is_Integer:
        return float(node.p) if abs(node.p) < 2**1000 else _big(node.p)
    if node.is_Rational:
        try:
            return node.p / node.q
        except OverflowError:
            return _big(node.p)
    if node.is_Float:
        return float(node)
    if node.is_Number or node.is_NumberSymbol:
        value = _CONSTANTS.get(node)
        if value is None:
            value = _CONSTANTS.setdefault(node, float(node))
        return value
    args = node.args
    if node.is_Add:
        total = _numeric(args[0], env)
        for arg in args[1:]:
            total = total + _numeric(arg, env)
        return total
    if node.is_Mul:
        product = _numeric(args[0], env)
        for arg in args[1:]:
            product = product * _numeric(arg, env)
        return product
    if node.is_Pow:
        base, exponent = args
        if base is sympy.E:
            return np.exp(_numeric(exponent, env))
        value = _numeric(base, env)
        if exponent is sympy.S.Half:
            return np.sqrt(value)
        if exponent.is_Integer and abs(exponent.p) <= 10_000:
            n = int(exponent.p)
            return value**n if n >= 0 else 1.0 / value ** (-n)
        return np.power(np.asarray(value, dtype=float), _numeric(exponent, env))
    function = NUMPY_FUNCTIONS.get(node.func)
    if function is not None:
        return function(_numeric(args[0], env))
    if node.func is sympy.log:
        value = np.log(_numeric(args[0], env))
        return value / np.log(_numeric(args[1], env)) if len(args) == 2 else value
    if node.func is sympy.Heaviside:
        at_zero = float(args[1]) if len(args) > 1 else 0.5
        return np.heaviside(_numeric(args[0], env), at_zero)
    if node.func in (sympy.Max, sympy.Min):
        pick = np.maximum if node.func is sympy.Max else np.minimum
        result = _numeric(args[0], env)
        for arg in args[1:]:
            result = pick(result, _numeric(arg, env))
        return result
    raise DerivcheckError(f"derivcheck cannot evaluate {node.func.__name__} numerically")


def _values(expression: Expr, env: Mapping[Symbol, np.ndarray], size: int) -> np.ndarray:
    with np.errstate(all="ignore"):
        result = np.asarray(_numeric(expression, env))
    if np.iscomplexobj(result):  # pragma: no cover - the interpreter stays real
        result = np.where(np.abs(result.imag) > 0, np.nan, result.real)
    return np.broadcast_to(result.astype(float, copy=False), (size,))


def _exact_number(expression: Expr) -> complex | None:
    """A constant SymPy expression to 30 digits; None when undefined.

    The time limit's :class:`LimitError` (a ValueError too) goes through: running out of
    time says nothing about the value.
    """
    try:
        value = complex(sympy.N(expression, 30))
    except LimitError:
        raise
    except (TypeError, ValueError, ArithmeticError):
        return None
    return value if math.isfinite(value.real) and math.isfinite(value.imag) else None


# --------------------------------------------------------------------------------------
# Domain of a function and sample points
# --------------------------------------------------------------------------------------


def _domain_conditions(expression: Expr) -> list[tuple[str, Expr]]:
    """Where the expression (and its derivative) is real and finite, away from kinks.

    ``positive``: log and non-integer powers; ``nonzero``: denominators and the
    arguments of |.|, relu, sign, max/min (kinks); ``cos`` / ``sin``: tan, sec /
    cot, csc poles; ``unit``: arcsin, arccos, artanh; ``above_one``: arcosh;
    ``moderate``: arguments of trigonometric functions below 1000 in size,
    where floating point still carries their value.
    """
    found: dict[tuple[str, Expr], None] = {}
    for node in sympy.preorder_traversal(expression):
        if not node.free_symbols or node.is_Symbol:
            continue
        if node.is_Pow:
            base, exponent = node.args
            if not base.free_symbols:
                continue
            if exponent.is_Integer:
                if exponent.is_negative:
                    found[("nonzero", base)] = None
            else:
                found[("positive", base)] = None
            continue
        func, args = node.func, node.args
        if func in (sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot):
            found[("moderate", args[0])] = None  # sin(5e16) in floats is noise
        if func is sympy.log:
            found[("positive", args[0])] = None
        elif func in (sympy.tan, sympy.sec):
            found[("cos", args[0])] = None
        elif func in (sympy.cot, sympy.csc):
            found[("sin", args[0])] = None
        elif func in (sympy.asin, sympy.acos, sympy.atanh):
            found[("unit", args[0])] = None
        elif func is sympy.acosh:
            found[("above_one", args[0])] = None
        elif func in (sympy.Abs, relu, sympy.sign, sympy.Heaviside):
            found[("nonzero", args[0])] = None
        elif func in (sympy.Max, sympy.Min):
            for i, a in enumerate(args):
                for b in args[i + 1 :]:
                    found[("nonzero", a - b)] = None
    return list(found)


def _inside(kind: str, value: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        if kind == "positive":
            return value > 1e-3
        if kind == "nonzero":
            typical = float(np.nanmedian(np.abs(value))) if np.isfinite(value).any() else 1.0
            return np.abs(value) > 1e-3 * max(1.0, typical)
        if kind == "cos":
            return np.abs(np.cos(value)) > 1e-2
        if kind == "sin":
            return np.abs(np.sin(value)) > 1e-2
        if kind == "unit":
            return np.abs(value) < 1 - 1e-3
        if kind == "moderate":
            return np.abs(value) < 1e3
        return value > 1 + 1e-3  # above_one


def _grid(values: np.ndarray) -> np.ndarray:
    """Round to multiples of 1/256 so each float is an exact, short rational."""
    return np.round(values * 256.0) / 256.0


# --------------------------------------------------------------------------------------
# Exercises: everything that depends on the function only, prepared once and cached
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    code: str
    key: str  # message key
    params: tuple[tuple[str, str], ...]
    values: np.ndarray


@dataclass
class _Exercise:
    function_text: str
    var: Symbol
    point: str | None  # "x = 1/2": the point as the exercise writes it
    function: Expr
    derivative: Expr
    expected_text: str
    names: tuple[str, ...]  # every name the function uses, and the variable
    symbols: tuple[Symbol, ...]  # sampled symbols: the variable (unless at) and parameters
    env: dict[Symbol, np.ndarray]
    exact_points: list[dict[Symbol, Expr]]
    target: Expr  # what the answer must equal: the derivative, or its value at the point
    target_values: np.ndarray
    candidates: list[_Candidate]
    at_value: Expr | None = None
    expected_value: Expr | None = None
    expected_number: float | None = None

    @property
    def size(self) -> int:
        return len(self.target_values)

    def point_text(self, index: int) -> str:
        point = self.exact_points[index]
        shown = [self.point] if self.point is not None else []
        shown += [f"{show(s)} = {number(float(point[s]))}" for s in self.symbols]
        return ", ".join(shown)


class _PreparationError(DerivcheckError):
    """The exercise itself cannot be graded (its function, variable or point)."""


def _parse_function(text: str, var: str | None) -> Expr:
    """Parse the exercise's function; glued ``xe^x`` reads as x·e^x when x is the variable."""
    plain = parse(text)
    single_letters = {s.name for s in plain.free_symbols if len(s.name) == 1}
    return _reread(text, plain, ({var.strip()} if var else {"x"}) | single_letters)


def _reread(text: str, plain: Expr, known: set[str]) -> Expr:
    """``plain`` when it uses only ``known`` names; else ``text`` read again with ``known``
    as the only names (``xe^x`` -> x·e^x) when that reading fits, else ``plain``."""
    if {s.name for s in plain.free_symbols} <= known:
        return plain
    try:
        again = parse(text, variables=known)
    except ParseError:
        return plain
    return again if {s.name for s in again.free_symbols} <= known else plain


def _pick_variable(function: Expr, var: str | None) -> Symbol:
    names = sorted(s.name for s in function.free_symbols)
    if var is not None:
        name = var.strip()
        if not re.fullmatch(r"[^\W\d]\w*", name):
            raise _PreparationError(f"the variable {var!r} is not a name")
        return symbol(name)
    default = default_variable(names)
    if default is not None:
        return symbol(default)
    raise _PreparationError(
        f"the function has several names ({', '.join(names)}): say which is the variable (var)"
    )


def _parse_point(at: str, var: Symbol) -> tuple[Expr, str]:
    """The point's exact value, and ``x = …`` as written (``at`` may say ``x = 1/2``)."""
    text = re.sub(rf"^\s*{re.escape(var.name)}\s*=", "", at).strip()
    try:
        value = parse(text)
    except ParseError as error:
        raise _PreparationError(f"the point at={at!r} cannot be read: {error.reason}") from None
    if value.free_symbols or not value.is_real:
        raise _PreparationError(f"the point at={at!r} must be a real number")
    if not math.isfinite(float(value)):
        raise _PreparationError(f"the point at={at!r} is beyond 10^308, too far to evaluate")
    return value, f"{var} = {text}"


@lru_cache(maxsize=2048)
def _prepare(function_text: str, var: str | None, at: str | None) -> _Exercise | _PreparationError:
    """The exercise, prepared once per (function, var, at); a failure is cached as the error."""
    try:
        with time_limit(PREPARE_TIME_LIMIT, "preparing the exercise"):
            return _build_exercise(function_text, var, at)
    except _PreparationError as error:
        return error.with_traceback(None)
    except ParseError as error:
        where = f" (at character {error.position + 1})" if error.position is not None else ""
        return _PreparationError(f"the function cannot be read: {error.reason}{where}")
    except DerivcheckError as error:
        return _PreparationError(str(error))
    except (ArithmeticError, TypeError, ValueError, RecursionError) as error:
        return _PreparationError(f"{type(error).__name__}: {error}")


def _build_exercise(function_text: str, var: str | None, at: str | None) -> _Exercise:
    function = _parse_function(function_text, var)
    x = _pick_variable(function, var)
    if x not in function.free_symbols and function.free_symbols:
        names = ", ".join(sorted(s.name for s in function.free_symbols))
        raise _PreparationError(
            f"the function does not contain {x} (its names are {names}); "
            "write a*x for a product, or give the variable"
        )
    graph = build_graph(function)
    derivative = graph.derivative(x) if x in function.free_symbols else sympy.S.Zero
    parameters = tuple(sorted(function.free_symbols - {x}, key=lambda s: s.name))
    names = tuple(sorted({s.name for s in function.free_symbols} | {x.name}))
    at_value, point = _parse_point(at, x) if at is not None else (None, None)
    conditions = _domain_conditions(function) + _domain_conditions(derivative)
    symbols = parameters if at_value is not None else (x, *parameters)
    sampled = _sample_points(function, derivative, x, at_value, symbols, conditions)
    if sampled is None and point is not None:
        raise _PreparationError(
            f"{function_text} is not differentiable at {point} (outside its domain or on a kink)"
        )
    if sampled is None:
        raise _PreparationError(
            f"could not find points where {function_text} is defined and differentiable"
        )
    env, exact_points = sampled
    size = len(exact_points)
    exercise = _Exercise(
        function_text=function_text,
        var=x,
        point=point,
        function=function,
        derivative=derivative,
        expected_text=show(derivative),
        names=names,
        symbols=symbols,
        env=env,
        exact_points=exact_points,
        target=derivative,
        target_values=_values(derivative, env, size),
        candidates=[],
        at_value=at_value,
    )
    if at_value is not None:
        exercise.expected_value = derivative.xreplace({x: at_value})
        exercise.target = exercise.expected_value
        if not parameters:
            exercise.expected_number = _real_number(exercise.expected_value)
    exercise.candidates = _candidates(graph, exercise)
    return exercise


def _real_number(value: Expr) -> float | None:
    exact = _exact_number(value)
    return exact.real if exact is not None and abs(exact.imag) < 1e-20 else None


def _sample_points(
    function: Expr,
    derivative: Expr,
    x: Symbol,
    at_value: Expr | None,
    symbols: tuple[Symbol, ...],
    conditions: list[tuple[str, Expr]],
) -> tuple[dict[Symbol, np.ndarray], list[dict[Symbol, Expr]]] | None:
    """Deterministic points where the function and its derivative are real, finite, smooth.

    Eight points from |x| <= 3 and two from |x| <= 20 (wider only when too few
    are found), on a 1/256 grid so that each is an exact rational too.
    Parameters (other names in the function) take values in [0.5, 2.5].
    With ``at`` and no parameters there is one exact point, checked exactly.
    ``None`` when there are no such points.
    """
    if not symbols:
        if not _defined_exactly_at(function, derivative, x, at_value, conditions):
            return None
        return {x: np.full(1, float(at_value))}, [{x: at_value}]
    rng = np.random.default_rng(_SEED)
    chosen: dict[Symbol, list[float]] = {s: [] for s in symbols}
    pools = (
        (_POINTS_MAIN, 3.0, 64),
        (_POINTS_WIDE, 20.0, 32),
        (_POINTS_MAIN, 200.0, 128),  # the last two only when too few points were found
        (_POINTS_MAIN, 10_000.0, 256),
    )
    for wanted, width, size in pools:
        found = len(chosen[symbols[0]])
        if width > 20.0 and found >= _POINTS_MAIN:
            break
        env: dict[Symbol, np.ndarray] = {
            s: _grid(rng.uniform(-width, width, size) if s == x else rng.uniform(0.5, 2.5, size))
            for s in symbols
        }
        if at_value is not None:
            env[x] = np.full(size, float(at_value))
        good = np.ones(size, dtype=bool)
        for kind, argument in conditions:
            good &= _inside(kind, _values(argument, env, size))
        for expression in (function, derivative):
            values = _values(expression, env, size)
            good &= np.isfinite(values) & (np.abs(values) < 1e100)
        picked = np.flatnonzero(good)[: max(wanted, _POINTS_MAIN - found)]
        for s in symbols:
            chosen[s].extend(float(v) for v in env[s][picked])
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
    return env, exact


def _defined_exactly_at(
    function: Expr,
    derivative: Expr,
    x: Symbol,
    at_value: Expr,
    conditions: list[tuple[str, Expr]],
) -> bool:
    """The domain conditions, checked with exact numbers at one point."""
    point = {x: at_value}
    for expression in (function, derivative):
        value = _exact_number(expression.xreplace(point))
        if value is None or abs(value.imag) > 1e-20 * max(1.0, abs(value.real)):
            return False
    for kind, argument in conditions:
        value = _exact_number(argument.xreplace(point))
        if value is None:
            return False
        v = value.real
        tiny = 1e-25 * max(1.0, abs(v))
        ok = {
            "positive": v > tiny,
            "nonzero": abs(v) > tiny,
            "cos": abs(math.cos(v)) > 1e-12 if abs(v) < 1e6 else True,
            "sin": abs(math.sin(v)) > 1e-12 if abs(v) < 1e6 else True,
            "unit": abs(v) < 1 - tiny,
            "above_one": v > 1 + tiny,
            "moderate": True,  # exact arithmetic has no trouble with large arguments
        }[kind]
        if not ok:
            return False
    return True


# --------------------------------------------------------------------------------------
# Candidate wrong derivatives, from the chain-rule graph
# --------------------------------------------------------------------------------------


def _propagate(
    graph: Graph,
    x: Symbol,
    local: Mapping[tuple[Symbol, Symbol], Expr] | None = None,
    inner: Mapping[tuple[Symbol, Symbol], Expr] | None = None,
    whole: Mapping[Symbol, Callable[[dict[Symbol, Expr]], Expr]] | None = None,
) -> Expr:
    """Forward accumulation with a mistake built in.

    ``local[(step, arg)]`` replaces a local derivative, ``inner[(step, arg)]``
    replaces the tangent of ``arg`` as that step uses it, ``whole[step]``
    computes the step's tangent from the others.
    """
    local = local or {}
    inner = inner or {}
    whole = whole or {}
    tangent: dict[Symbol, Expr] = {v: sympy.S.Zero for v in graph.inputs}
    tangent[x] = sympy.S.One
    for step in graph.steps:
        if step.name in whole:
            tangent[step.name] = whole[step.name](tangent)
            continue
        tangent[step.name] = sympy.Add(
            *(
                local.get((step.name, arg), d)
                * inner.get((step.name, arg), tangent.get(arg, sympy.S.Zero))
                for arg, d in step.local_derivatives.items()
            )
        )
    return tangent[graph.output].xreplace(graph.full_definitions)


@dataclass
class _Mistake:
    """A wrong derivative a student may write: which rule, the message, and how to build it.

    The derivative is rebuilt by forward accumulation over the graph with the
    mistake put in (see :func:`_propagate`), or given whole as ``expression``.
    """

    code: str
    key: str  # message key
    params: dict[str, str] = field(default_factory=dict)
    local: dict[tuple[Symbol, Symbol], Expr] = field(default_factory=dict)
    inner: dict[tuple[Symbol, Symbol], Expr] = field(default_factory=dict)
    whole: dict[Symbol, Callable[[dict[Symbol, Expr]], Expr]] = field(default_factory=dict)
    expression: Expr | None = None

    def build(self, graph: Graph, x: Symbol) -> Expr:
        if self.expression is not None:
            return self.expression
        return _propagate(graph, x, self.local, self.inner, self.whole)


def _candidates(graph: Graph, exercise: _Exercise) -> list[_Candidate]:
    """The typical wrong derivatives of this function, from its chain-rule graph's steps."""
    x = exercise.var
    if x not in exercise.function.free_symbols:
        return []
    full = graph.full_definitions
    tangents = graph.tangents(x)

    def varies(arg: Symbol) -> bool:
        return tangents.get(arg, sympy.S.Zero) != 0

    def shown(expression: Expr) -> str:
        return show(expression.xreplace(full))

    first = [_Mistake("not-differentiated", "not-differentiated", expression=exercise.function)]
    # "The negative of the derivative" comes after the sign flips of rules that carry their
    # own minus sign (cos' = -sin, (1/v)' = -1/v², a term -3x): when a flip amounts to the
    # negative, the message names that rule.
    last = [_Mistake("sign-error", "sign-error", expression=-exercise.derivative)]
    all_inner: dict[tuple[Symbol, Symbol], Expr] = {}
    all_powers: dict[tuple[Symbol, Symbol], Expr] = {}
    for step in graph.steps:
        rule, name, partials = step.derivation, step.name, step.local_derivatives
        arguments = [a for a in partials if varies(a)]
        chain_like = isinstance(
            rule, (FunctionRule, PowerRule, ExponentialRule, GeneralPowerRule)
        ) or (isinstance(rule, QuotientRule) and not isinstance(rule.numerator, Symbol))
        # Chain rule: the inner derivative forgotten (everything inside this step), or the
        # factor of this step forgotten between an outer and an inner layer.
        for arg in arguments if chain_like else ():
            if arg in graph.inputs:
                continue
            all_inner[(name, arg)] = sympy.S.One
            first.append(
                _Mistake(
                    "missing-inner-derivative",
                    "missing-inner-derivative",
                    {"inner": shown(arg), "factor": shown(tangents[arg])},
                    inner={(name, arg): sympy.S.One},
                )
            )
            if name != graph.output:
                first.append(
                    _Mistake(
                        "missing-inner-derivative",
                        "missing-inner-derivative/layer",
                        {"factor": shown(partials[arg]), "layer": shown(name), "inner": shown(arg)},
                        local={(name, arg): sympy.S.One},
                    )
                )
        # Power rule: n·u^n instead of n·u^(n-1).
        if isinstance(rule, PowerRule) and rule.exponent not in (0, 1) and varies(rule.base):
            n, base = rule.exponent, rule.base
            all_powers[(name, base)] = n * base**n
            first.append(
                _Mistake(
                    "power-not-reduced",
                    "power-not-reduced",
                    {"base": shown(base), "n": show(n), "n_minus_1": show(n - 1)},
                    local={(name, base): n * base**n},
                )
            )
        # Product rule: u'v' instead of u'v + uv', or one of the terms missing.
        if isinstance(rule, ProductRule) and len(arguments) >= 2:
            constant = rule.coefficient * sympy.Mul(
                *(f for f in rule.factors if f not in arguments)
            )
            varying = tuple(arguments)

            def product_of_derivatives(t, constant=constant, varying=varying):
                return constant * sympy.Mul(*(t[a] for a in varying))

            first.append(
                _Mistake(
                    "product-rule",
                    "product-rule",
                    {"factors": ", ".join(shown(a) for a in arguments)},
                    whole={name: product_of_derivatives},
                )
            )
            for arg in arguments:
                first.append(
                    _Mistake(
                        "product-rule",
                        "product-rule/term",
                        {"factor": shown(arg)},
                        local={(name, arg): sympy.S.Zero},
                    )
                )
        # Quotient rule: (uv' - u'v)/v² (terms swapped) or (u'v + uv')/v².
        if (
            isinstance(rule, QuotientRule)
            and isinstance(rule.numerator, Symbol)
            and varies(rule.numerator)
            and varies(rule.denominator)
        ):
            n, d = rule.numerator, rule.denominator
            params = {"numerator": shown(n), "denominator": shown(d)}
            flip_n, flip_d = {(name, n): -partials[n]}, {(name, d): -partials[d]}
            first.append(
                _Mistake("quotient-rule-sign", "quotient-rule-sign", params, {**flip_n, **flip_d})
            )
            first.append(_Mistake("quotient-rule-sign", "quotient-rule-sign/plus", params, flip_d))
            continue
        # Sign flipped inside one factor: one local derivative with the wrong sign.
        for arg in arguments:
            if isinstance(rule, SumRule) or len(partials) > 1:
                part = partials[arg] * arg if isinstance(rule, SumRule) else name
                key, params = "sign-error/part", {"part": shown(part)}
            else:
                u = symbol("v" if "u" in exercise.names else "u")
                key = "sign-error/rule"
                params = {
                    "part": shown(name),
                    "u": show(u),
                    "definition": show(step.definition.xreplace({arg: u})),
                    "local": show(partials[arg].xreplace({arg: u})),
                }
            mistake = _Mistake("sign-error", key, params, {(name, arg): -partials[arg]})
            (first if partials[arg].could_extract_minus_sign() else last).append(mistake)
    if len(all_powers) > 1:  # every power left unreduced; then also x read as x^1 (2x -> 2x)
        first.append(_Mistake("power-not-reduced", "power-not-reduced/all", local=all_powers))
        with_x = dict(all_powers)
        for step in graph.steps:
            if isinstance(step.derivation, SumRule) and x in step.local_derivatives:
                with_x[(step.name, x)] = step.local_derivatives[x] * x
        first.append(_Mistake("power-not-reduced", "power-not-reduced/all", local=with_x))
    if len(all_inner) > 1:
        first.append(
            _Mistake("missing-inner-derivative", "missing-inner-derivative/all", inner=all_inner)
        )
    return _evaluate_candidates(first + last, graph, exercise)


def _evaluate_candidates(
    mistakes: list[_Mistake], graph: Graph, exercise: _Exercise
) -> list[_Candidate]:
    """Keep candidates that differ from the derivative, most specific first, no duplicates."""
    kept: list[_Candidate] = []
    for mistake in sorted(mistakes, key=lambda m: _RANK[m.code]):  # stable: order kept in a code
        expression = mistake.build(graph, exercise.var)
        if exercise.at_value is not None:
            expression = expression.xreplace({exercise.var: exercise.at_value})
        values = _values(expression, exercise.env, exercise.size)
        if not np.isfinite(values).all() or _all_close(values, exercise.target_values, _MATCH):
            continue
        if any(_all_close(values, other.values, _MATCH) for other in kept):
            continue
        kept.append(_Candidate(mistake.code, mistake.key, tuple(mistake.params.items()), values))
    return kept


def _all_close(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    scale = np.maximum(np.abs(a), np.abs(b))
    return bool(np.all(np.abs(a - b) <= tolerance * scale + 1e-300))


# --------------------------------------------------------------------------------------
# Grading one answer
# --------------------------------------------------------------------------------------

_LABEL = re.compile(r"^\s*(?:答案?|解|导数|ans(?:wer)?)\s*[:：]\s*", re.IGNORECASE)
_EQUALS = re.compile(r"(?<![=<>!])(?:=|≈)(?!=)")
_DECIMAL = re.compile(r"^\s*[-+−]?\s*(\d*)\.(\d+)\s*$")


def _clean_answer(text: str) -> tuple[str, int]:
    """The part of an answer to grade, and where it starts in the text as typed.

    ``答：``/``Answer:`` labels go; with ``=`` or ``≈`` the last part is the
    answer (``y' = …``, ``dy/dx = …``, ``f'(1) = 54``, worked steps
    ``3(2x+1)²·2 = 6(2x+1)²``); a final full stop goes.
    """
    label = _LABEL.match(text)
    offset = label.end() if label else 0
    equals = [m.end() for m in _EQUALS.finditer(text, offset)]
    if equals and text[equals[-1] :].strip():
        offset = equals[-1]
    answer = text[offset:].rstrip()
    if answer.endswith("。") or (
        answer.endswith(".") and len(answer) > 1 and not answer[-2].isdigit()
    ):
        answer = answer[:-1]
    return answer, offset


def _parse_answer(exercise: _Exercise, text: str) -> Expr:
    """Parse; when names the function lacks appear (``xe^x``), re-read with its names."""
    allowed = set(exercise.names)
    try:
        plain = parse(text)
    except ParseError as error:
        try:
            return parse(text, variables=allowed)
        except ParseError:
            raise error from None
    return _reread(text, plain, allowed)


def _grade(exercise: _Exercise, answer: str, lang: str) -> tuple[str, str | None, str, dict]:
    """(verdict, diagnosis, message, extra fields) for a parsed exercise and an answer text."""
    text, offset = _clean_answer(answer)
    try:
        expression = _parse_answer(exercise, text)
    except ParseError as error:
        position = None if error.position is None else error.position + offset
        problem = ParseProblem(position, error.reason, answer)
        column = (position or 0) + 1
        reason = localize_error(error.reason, lang)
        message = _message("unparseable", lang, reason=reason, column=column)
        return "unparseable", None, message, {"parse_error": problem}
    x = exercise.var
    foreign = sorted(s.name for s in expression.free_symbols if s.name not in exercise.names)
    if f"d{x.name}" in foreign:  # \frac{d}{dx}(x^2), d/dx x^2, 2x dx
        return "incorrect", None, _message("operator_left", lang, var=x.name), {}
    if foreign:
        names = ", ".join(foreign)
        return "incorrect", None, _message("foreign_names", lang, names=names), {}
    point = exercise.point or ""
    if exercise.at_value is not None and x in expression.free_symbols:
        message = _message("formula_not_value", lang, point=point, var=x.name)
        return "incorrect", None, message, {}
    values = _values(expression, exercise.env, exercise.size)
    rounding = _rounding_tolerance(text) if exercise.at_value is not None else None
    if exercise.at_value is not None and not exercise.symbols:  # two numbers: compare exactly
        outcome, index = _compare_numbers(expression, exercise.target, rounding), 0
        rounded = outcome == "equal" and (
            _compare_numbers(expression, exercise.target, None) != "equal"
        )
    else:
        outcome, index = _compare(values, exercise.target_values, rounding)
        if outcome == "borderline":
            outcome, index = _confirm_exactly(expression, exercise, values, rounding)
        rounded = rounding is not None and not _all_close(values, exercise.target_values, _CLOSE)
    if outcome == "equal":
        if rounded:
            digits = len(_DECIMAL.match(text).group(2))
            plural = "" if digits == 1 else "s"
            message = _message("correct_rounded", lang, digits=digits, s=plural)
            return "correct", None, message, {}
        return "correct", None, _message("correct", lang), {}
    candidate = _diagnose(exercise, values, rounding)
    if candidate is not None:
        code, key, params = candidate
        return "incorrect", code, _message(key, lang, **params), {}
    if exercise.at_value is not None and not exercise.symbols:
        return "incorrect", None, _message("incorrect_value", lang, point=point), {}
    where = exercise.point_text(index)
    want = number(float(exercise.target_values[index]))
    if np.isnan(values[index]):
        return "incorrect", None, _message("incorrect_undefined", lang, point=where, want=want), {}
    if np.isinf(values[index]):
        return "incorrect", None, _message("incorrect_huge", lang, point=where, want=want), {}
    got = number(float(values[index]))
    return "incorrect", None, _message("incorrect", lang, point=where, got=got, want=want), {}


def _rounding_tolerance(text: str) -> float | None:
    """A decimal answer with at least 3 significant digits may be off by one in its last place."""
    match = _DECIMAL.match(text)
    if match is None:
        return None
    whole, fraction = match.groups()
    significant = len((whole + fraction).lstrip("0"))
    if significant < 3:
        return None
    return 10.0 ** (-len(fraction)) * (1 + 1e-9)


def _compare(
    answer: np.ndarray, target: np.ndarray, rounding: float | None = None
) -> tuple[str, int]:
    """("equal" | "different" | "borderline", index of the most telling point)."""
    difference = np.abs(answer - target)
    scale = np.maximum(np.abs(answer), np.abs(target))
    finite = np.isfinite(answer)
    tolerance = _CLOSE * scale + 1e-300
    if rounding is not None:
        tolerance = np.maximum(tolerance, rounding)
    close = finite & (difference <= tolerance)
    if close.all():
        return "equal", 0
    typical = float(np.median(np.abs(target)))
    meaningful = scale > 1e-6 * typical
    far = finite & ~close & (difference > _FAR * scale) & meaningful
    if far.sum() >= min(2, len(far)):  # one odd point is checked exactly before it counts
        return "different", int(np.argmax(far))
    return "borderline", int(np.argmax(~close))


def _compare_numbers(answer: Expr, target: Expr, rounding: float | None) -> str:
    """Two constant expressions: "equal" (to 20 digits, or within ``rounding``) or "different"."""
    if answer == target:
        return "equal"
    got, want = _exact_number(answer), _exact_number(target)
    if got is None or want is None:
        return "different"
    difference = abs(got - want)
    if difference <= 1e-20 * max(abs(got), abs(want)) + 1e-40:
        return "equal"
    return "equal" if rounding is not None and difference <= rounding else "different"


def _confirm_exactly(
    expression: Expr, exercise: _Exercise, values: np.ndarray, rounding: float | None
) -> tuple[str, int]:
    """Decide a borderline comparison with 30-digit arithmetic at the exact sample points.

    Points where the answer overflowed come last: 30 digits of x^x^x^x at x = 2.3 take
    longer than the time limit, while a point elsewhere may already decide.
    """
    target = exercise.target
    for index in sorted(range(exercise.size), key=lambda i: np.isinf(values[i])):
        tolerance = _CLOSE * max(abs(values[index]), abs(exercise.target_values[index]))
        if np.isfinite(values[index]) and abs(values[index] - exercise.target_values[index]) <= (
            tolerance
        ):
            continue
        point = exercise.exact_points[index]
        got = _exact_number(expression.xreplace(point))
        want = _exact_number(target.xreplace(point))
        if got is None or want is None:
            return "different", index
        allowed = 1e-20 * max(abs(got), abs(want)) + 1e-40
        if rounding is not None:
            allowed = max(allowed, rounding)
        if abs(got - want) > allowed:
            return "different", index
    return "equal", 0


def _diagnose(
    exercise: _Exercise, values: np.ndarray, rounding: float | None
) -> tuple[str, str, dict[str, str]] | None:
    if not np.isfinite(values).all():
        return None
    for candidate in exercise.candidates:
        scale = np.maximum(np.abs(values), np.abs(candidate.values))
        tolerance = _MATCH * scale + 1e-300
        if rounding is not None:
            tolerance = np.maximum(tolerance, rounding)
        if np.all(np.abs(values - candidate.values) <= tolerance):
            return candidate.code, candidate.key, dict(candidate.params)
    factor = _constant_factor(values, exercise.target_values)
    if factor is not None:
        return "constant-factor", "constant-factor", {"factor": factor}
    return None


def _constant_factor(answer: np.ndarray, target: np.ndarray) -> str | None:
    """The constant c (not 0 or ±1) with answer = c·derivative at every point, as text."""
    if len(target) < 3:
        return None  # one number is a multiple of any other: no evidence
    typical = float(np.median(np.abs(target)))
    if typical == 0:
        return None
    usable = np.abs(target) > 1e-6 * typical
    if usable.sum() < 3 or np.any(np.abs(answer[~usable]) > 1e-9 * typical):
        return None
    ratios = answer[usable] / target[usable]
    ratio = float(np.median(ratios))
    if not math.isfinite(ratio) or np.any(np.abs(ratios - ratio) > _MATCH * abs(ratio)):
        return None
    if abs(ratio) < 1e-12 or abs(abs(ratio) - 1) < 1e-9:
        return None
    fraction = Fraction(ratio).limit_denominator(1000)
    if abs(float(fraction) - ratio) <= 1e-9 * abs(ratio):
        return str(fraction)
    return number(ratio)


# --------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, sympy.Basic):
        return show(value)
    return str(value)


def _exercise_key(function: object, var: object, at: object) -> tuple[str, str | None, str | None]:
    function_text = _as_text(function) or ""
    at_text = _as_text(at)
    if at_text is not None and not at_text.strip():
        at_text = None
    var_text = var.strip() if isinstance(var, str) and var.strip() else None
    return function_text, var_text, at_text


def prepare_exercise(function: object, var: object = None, at: object = None) -> bool:
    """Prepare (and cache) an exercise ahead of its answers; False when it cannot be graded."""
    return isinstance(_prepare(*_exercise_key(function, var, at)), _Exercise)


def check_answer(
    function: str,
    answer: str | None,
    var: str | None = None,
    at: object = None,
    lang: str = "en",
    *,
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT,
) -> AnswerResult:
    """Grade ``answer`` as the derivative of ``function`` (or, with ``at``, its value there).

    ``var`` defaults to the function's only variable (``x`` when there are
    several and ``x`` is one of them); other names are constants. ``at`` is a
    number or text (``1``, ``"1/2"``, ``"π/4"``). The answer may be a formula
    in any syntax :func:`derivcheck.parse` accepts, may start with ``y' =`` or
    ``dy/dx =``, and with ``at`` is a number (``54``, ``54.0``, ``3/2``,
    ``√2/2``; a decimal with at least three significant digits may be rounded
    or cut in its last place). Never raises on a bad answer or function: the
    verdict says so. ``time_limit_seconds`` bounds one answer (in the main
    thread; elsewhere the size limits of the parser bound the work).

    >>> r = check_answer("x·sin(x)", "cos(x)")
    >>> r.verdict, r.diagnosis
    ('incorrect', 'product-rule')
    >>> check_answer("sin(x)/x", "(sin(x) - x cos(x))/x^2").diagnosis
    'quotient-rule-sign'
    >>> check_answer("(2x+1)^3", "55", at=1).verdict
    'incorrect'
    """
    lang = check_language(lang)
    key = _exercise_key(function, var, at)
    answer_text = _as_text(answer)
    base: dict[str, Any] = {
        "function": key[0],
        "answer": answer_text,
        "var": key[1],
        "at": key[2],
        "_exercise_key": key,
    }
    exercise = _prepare(*key)
    if isinstance(exercise, _PreparationError):
        message = _message("bad_function", lang, reason=str(exercise))
        return AnswerResult("error", None, message, **base)
    base["var"] = exercise.var.name
    base["expected_text"] = exercise.expected_text
    if exercise.expected_value is not None:
        base["expected_value_text"] = show(exercise.expected_value)
        base["expected_number"] = exercise.expected_number
    if answer_text is None or not answer_text.strip():
        problem = ParseProblem(0, "the answer is empty", answer_text or "")
        return AnswerResult(
            "unparseable", None, _message("empty", lang), parse_error=problem, **base
        )
    extra: dict[str, Any] = {}
    try:
        with time_limit(time_limit_seconds, "grading the answer"):
            verdict, diagnosis, message, extra = _grade(exercise, answer_text, lang)
    except LimitError:
        seconds = number(time_limit_seconds or 0)
        verdict, diagnosis, message = "error", None, _message("timeout", lang, seconds=seconds)
    except RecursionError:
        reason = "the answer is nested too deeply"
        verdict, diagnosis, message = "error", None, _message("failed", lang, reason=reason)
    except (DerivcheckError, ArithmeticError, TypeError, ValueError) as error:
        reason = f"{type(error).__name__}: {error}"
        verdict, diagnosis, message = "error", None, _message("failed", lang, reason=reason)
    return AnswerResult(verdict, diagnosis, message, **base, **extra)


def __getattr__(name: str) -> Any:
    """``check_answers`` and ``BatchReport`` live in :mod:`derivcheck.grading.batch`."""
    if name in ("check_answers", "BatchReport"):
        from derivcheck.grading import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'derivcheck.grading.answers' has no attribute {name!r}")
