"""Grade one answer: :func:`check_answer` and its :class:`AnswerResult`.

An answer is parsed with derivcheck's own parser (nothing the student types is ever
run), evaluated at the exercise's sample points and compared with the derivative; when
it differs, with every candidate wrong derivative (:mod:`derivcheck.grading.candidates`).
Borderline numbers and a single point that disagrees are settled with 30-digit
arithmetic at the exact points. The result keeps its message as data (a
:class:`~derivcheck.messages.Message`): ``result.message`` is the sentence in the
result's language, ``result.to_text("zh")`` in another one.

>>> result = check_answer("(2x+1)^3", "3(2x+1)^2")
>>> result.verdict, result.diagnosis
('incorrect', 'missing-inner-derivative')
>>> result.message_in("zh")
'链式法则：漏乘了内层函数 2x + 1 的导数，应再乘以 (2x + 1)′ = 2。'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from sympy import Expr

from derivcheck.errors import DerivcheckError, LimitError, ParseError
from derivcheck.grading.candidates import DIAGNOSES, MATCH
from derivcheck.grading.exercise import (
    EXERCISES,
    Exercise,
    ExerciseCache,
    PreparationError,
    as_text,
    exercise_key,
    reread,
)
from derivcheck.grading.numbers import all_close, exact_number
from derivcheck.limits import time_limit
from derivcheck.messages import Message, check_language
from derivcheck.reading.parser import parse
from derivcheck.render.printing import number, show

__all__ = [
    "check_answer",
    "AnswerResult",
    "ParseProblem",
    "VERDICTS",
    "DIAGNOSES",
    "DEFAULT_TIME_LIMIT",
    "message_to_data",
    "message_from_data",
]

#: The four verdicts.
VERDICTS = ("correct", "incorrect", "unparseable", "error")
#: Seconds one answer may take before it is stopped with verdict "error".
DEFAULT_TIME_LIMIT = 2.0

_CLOSE = 1e-9  # relative difference below which two values are equal
_FAR = 1e-3  # relative difference above which they clearly differ


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


def message_to_data(message: Message) -> dict[str, Any]:
    """A message as JSON-ready data (its key and parameters, nested messages included)."""
    return {"key": message.key, "params": {k: _encode(v) for k, v in message.params}}


def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        return {"$message": message_to_data(value)}
    if isinstance(value, (list, tuple)):
        return {"$list": [_encode(v) for v in value]}
    return value


def message_from_data(data: Mapping[str, Any]) -> Message:
    """The inverse of :func:`message_to_data`."""
    return Message(str(data["key"]), **{k: _decode(v) for k, v in data["params"].items()})


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$message" in value:
        return message_from_data(value["$message"])
    if isinstance(value, dict) and "$list" in value:
        return tuple(_decode(v) for v in value["$list"])
    return value


@dataclass(frozen=True)
class ParseProblem:
    """Why an answer could not be read: 0-based ``position`` in the answer as typed and the
    ``reason`` (a message); ``message`` is the reason in English."""

    position: int | None
    reason: Message
    text: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.reason, str):
            object.__setattr__(self, "reason", Message("grading.text", text=self.reason))

    @property
    def message(self) -> str:
        return self.reason.to_text("en")

    def to_text(self, lang: str = "en") -> str:
        """The reason, the answer and a caret under the position, in ``lang``."""
        return ParseError(self.reason, self.text, self.position).to_text(lang)

    def __str__(self) -> str:
        return self.to_text("en")

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        return {"position": self.position, "message": self.reason.to_text(lang)}


@dataclass(frozen=True)
class AnswerResult:
    """The grade of one answer.

    ``verdict`` is one of :data:`VERDICTS`; ``diagnosis`` is ``None`` or one of
    :data:`DIAGNOSES`; ``note`` is what the student is told, as a message, and
    ``message`` that sentence in ``lang`` (:meth:`to_text` in another language).
    ``expected`` is the derivative (a SymPy expression) and, with ``at``,
    ``expected_value`` its exact value there. Batch grading fills ``id``, ``student``,
    ``line`` and ``index`` from the file.
    """

    verdict: str
    diagnosis: str | None
    note: Message
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
    lang: str = "en"
    _exercise_key: tuple[str, str | None, str | None] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if isinstance(self.note, str):  # a sentence given as text
            object.__setattr__(self, "note", Message("grading.text", text=self.note))

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    @property
    def message(self) -> str:
        """What the student is told, in the result's language."""
        return self.note.to_text(self.lang)

    def message_in(self, lang: str) -> str:
        """What the student is told, in ``lang``."""
        return self.note.to_text(check_language(lang))

    def to_text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the result's language)."""
        return self.message_in(lang or self.lang)

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

    def _exercise(self) -> Exercise | None:
        if self._exercise_key is None:
            return None
        prepared = EXERCISES.prepare(*self._exercise_key)
        return prepared if isinstance(prepared, Exercise) else None

    def to_dict(self, lang: str | None = None) -> dict[str, object]:
        """A JSON-ready dict: id, student, line, function, var, at, answer, verdict, ...;
        the message (and a parse error's) in ``lang``, by default the result's."""
        lang = lang or self.lang
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
            "message": self.note.to_text(lang),
            "expected": self.expected_text,
            "expected_value": self.expected_value_text,
            "expected_number": self.expected_number,
            "parse_error": self.parse_error.to_dict(lang) if self.parse_error else None,
        }

    def to_record(self) -> dict[str, object]:
        """:meth:`to_dict` plus the messages as data, so :meth:`from_dict` restores them
        exactly (the journal of a batch keeps these)."""
        record = self.to_dict()
        record["note"] = message_to_data(self.note)
        record["lang"] = self.lang
        if self.parse_error is not None:
            record["parse_error"] = {
                "position": self.parse_error.position,
                "message": self.parse_error.message,
                "reason": message_to_data(self.parse_error.reason),
            }
        return record

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], index: int | None = None) -> AnswerResult:
        """The inverse of :meth:`to_record` (and of :meth:`to_dict`, whose message is text)."""
        problem = data.get("parse_error")
        note = data.get("note")
        parse_error = None
        if isinstance(problem, Mapping):
            reason = problem.get("reason")
            parse_error = ParseProblem(
                problem.get("position"),
                message_from_data(reason) if reason else str(problem.get("message")),
                str(data.get("answer") or ""),
            )
        return cls(
            verdict=str(data["verdict"]),
            diagnosis=data.get("diagnosis"),
            note=message_from_data(note) if note else str(data.get("message", "")),
            function=str(data.get("function") or ""),
            answer=data.get("answer"),
            var=data.get("var"),
            at=data.get("at"),
            parse_error=parse_error,
            expected_text=data.get("expected"),
            expected_value_text=data.get("expected_value"),
            expected_number=data.get("expected_number"),
            id=data.get("id"),
            student=data.get("student"),
            line=data.get("line"),
            index=index,
            lang=str(data.get("lang") or "en"),
            _exercise_key=(str(data.get("function") or ""), data.get("var"), data.get("at")),
        )


# --------------------------------------------------------------------------------------
# Reading the answer
# --------------------------------------------------------------------------------------

_LABEL = re.compile(r"^\s*(?:答案?|解|导数|ans(?:wer)?)\s*[:：]\s*", re.IGNORECASE)
_EQUALS = re.compile(r"(?<![=<>!])(?:=|≈)(?!=)")
_DECIMAL = re.compile(r"^\s*[-+−]?\s*(\d*)\.(\d+)\s*$")


def _clean_answer(answer: str) -> tuple[str, int]:
    """The part of an answer to grade, and where it starts in the text as typed.

    ``答：``/``Answer:`` labels go; with ``=`` or ``≈`` the last part is the
    answer (``y' = …``, ``dy/dx = …``, ``f'(1) = 54``, worked steps
    ``3(2x+1)²·2 = 6(2x+1)²``); a final full stop goes.
    """
    label = _LABEL.match(answer)
    offset = label.end() if label else 0
    equals = [m.end() for m in _EQUALS.finditer(answer, offset)]
    if equals and answer[equals[-1] :].strip():
        offset = equals[-1]
    cleaned = answer[offset:].rstrip()
    if cleaned.endswith("。") or (
        cleaned.endswith(".") and len(cleaned) > 1 and not cleaned[-2].isdigit()
    ):
        cleaned = cleaned[:-1]
    return cleaned, offset


def _parse_answer(exercise: Exercise, answer: str) -> Expr:
    """Parse; when names the function lacks appear (``xe^x``), re-read with its names."""
    allowed = set(exercise.names)
    try:
        plain = parse(answer)
    except ParseError as error:
        try:
            return parse(answer, variables=allowed)
        except ParseError:
            raise error from None
    return reread(answer, plain, allowed)


# --------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------

_Graded = tuple[str, "str | None", Message, dict[str, Any]]


def _grade(exercise: Exercise, answer: str) -> _Graded:
    """(verdict, diagnosis, message, extra fields) for a prepared exercise and an answer."""
    cleaned, offset = _clean_answer(answer)
    try:
        expression = _parse_answer(exercise, cleaned)
    except ParseError as error:
        position = None if error.position is None else error.position + offset
        problem = ParseProblem(position, error.message, answer)
        message = Message("grading.unparseable", reason=error.message, column=(position or 0) + 1)
        return "unparseable", None, message, {"parse_error": problem}
    x = exercise.var
    foreign = sorted(s.name for s in expression.free_symbols if s.name not in exercise.names)
    if f"d{x.name}" in foreign:  # \frac{d}{dx}(x^2), d/dx x^2, 2x dx
        return "incorrect", None, Message("grading.operator_left", var=x.name), {}
    if foreign:
        return "incorrect", None, Message("grading.foreign_names", names=", ".join(foreign)), {}
    point = exercise.point or ""
    if exercise.at_value is not None and x in expression.free_symbols:
        return "incorrect", None, Message("grading.formula_not_value", point=point, var=x.name), {}
    values = exercise.values_of(expression)
    rounding = _rounding_tolerance(cleaned) if exercise.at_value is not None else None
    if exercise.single_value:  # two numbers: compare exactly
        outcome, index = _compare_numbers(expression, exercise.target, rounding), 0
        rounded = outcome == "equal" and (
            _compare_numbers(expression, exercise.target, None) != "equal"
        )
    else:
        outcome, index = _compare(values, exercise.target_values, rounding)
        if outcome == "borderline":
            outcome, index = _confirm_exactly(expression, exercise, values, rounding)
        rounded = rounding is not None and not all_close(values, exercise.target_values, _CLOSE)
    if outcome == "equal":
        if rounded:
            places = len(_DECIMAL.match(cleaned).group(2))
            key = "grading.correct_rounded_one" if places == 1 else "grading.correct_rounded"
            return "correct", None, Message(key, places=places), {}
        return "correct", None, Message("grading.correct"), {}
    candidate = _diagnose(exercise, values, rounding)
    if candidate is not None:
        return "incorrect", candidate[0], candidate[1], {}
    if exercise.single_value:
        return "incorrect", None, Message("grading.incorrect_value", point=point), {}
    where = exercise.point_text(index)
    want = number(float(exercise.target_values[index]))
    if np.isnan(values[index]):
        return "incorrect", None, Message("grading.incorrect_undefined", point=where, want=want), {}
    if np.isinf(values[index]):
        return "incorrect", None, Message("grading.incorrect_huge", point=where, want=want), {}
    got = number(float(values[index]))
    return "incorrect", None, Message("grading.incorrect", point=where, got=got, want=want), {}


def _rounding_tolerance(answer: str) -> float | None:
    """A decimal answer with at least 3 significant digits may be off by one in its last place."""
    match = _DECIMAL.match(answer)
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
    got, want = exact_number(answer), exact_number(target)
    if got is None or want is None:
        return "different"
    difference = abs(got - want)
    if difference <= 1e-20 * max(abs(got), abs(want)) + 1e-40:
        return "equal"
    return "equal" if rounding is not None and difference <= rounding else "different"


def _confirm_exactly(
    expression: Expr, exercise: Exercise, values: np.ndarray, rounding: float | None
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
        got = exact_number(expression.xreplace(point))
        want = exact_number(target.xreplace(point))
        if got is None or want is None:
            return "different", index
        allowed = 1e-20 * max(abs(got), abs(want)) + 1e-40
        if rounding is not None:
            allowed = max(allowed, rounding)
        if abs(got - want) > allowed:
            return "different", index
    return "equal", 0


def _diagnose(
    exercise: Exercise, values: np.ndarray, rounding: float | None
) -> tuple[str, Message] | None:
    if not np.isfinite(values).all():
        return None
    for candidate in exercise.candidates:
        scale = np.maximum(np.abs(values), np.abs(candidate.values))
        tolerance = MATCH * scale + 1e-300
        if rounding is not None:
            tolerance = np.maximum(tolerance, rounding)
        if np.all(np.abs(values - candidate.values) <= tolerance):
            return candidate.code, candidate.message
    factor = _constant_factor(values, exercise.target_values)
    if factor is not None:
        return "constant-factor", Message("grading.constant_factor", factor=factor)
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
    if not math.isfinite(ratio) or np.any(np.abs(ratios - ratio) > MATCH * abs(ratio)):
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


def prepare_exercise(
    function: object, var: object = None, at: object = None, cache: ExerciseCache | None = None
) -> bool:
    """Prepare (and cache) an exercise ahead of its answers; False when it cannot be graded."""
    prepared = (EXERCISES if cache is None else cache).prepare(*exercise_key(function, var, at))
    return isinstance(prepared, Exercise)


def check_answer(
    function: str,
    answer: str | None,
    var: str | None = None,
    at: object = None,
    lang: str = "en",
    *,
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT,
    cache: ExerciseCache | None = None,
) -> AnswerResult:
    """Grade ``answer`` as the derivative of ``function`` (or, with ``at``, its value there).

    ``var`` defaults to the function's only variable (``x`` when there are
    several and ``x`` is one of them); other names are constants. ``at`` is a
    number or text (``1``, ``"1/2"``, ``"π/4"``). The answer may be a formula
    in any syntax :func:`derivcheck.parse` accepts, may start with ``y' =`` or
    ``dy/dx =``, and with ``at`` is a number (``54``, ``54.0``, ``3/2``,
    ``√2/2``; a decimal with at least three significant digits may be rounded
    or cut in its last place). Never raises on a bad answer or function: the
    verdict says so. ``lang`` is the language ``result.message`` is shown in (the
    grading itself does not depend on it). ``time_limit_seconds`` bounds one answer (in
    the main thread; elsewhere the size limits of the parser bound the work).
    ``cache`` holds the prepared exercises (default: the module's
    :data:`~derivcheck.grading.exercise.EXERCISES`).

    >>> r = check_answer("x·sin(x)", "cos(x)")
    >>> r.verdict, r.diagnosis
    ('incorrect', 'product-rule')
    >>> check_answer("sin(x)/x", "(sin(x) - x cos(x))/x^2").diagnosis
    'quotient-rule-sign'
    >>> check_answer("(2x+1)^3", "55", at=1).verdict
    'incorrect'
    """
    lang = check_language(lang)
    key = exercise_key(function, var, at)
    answer_text = as_text(answer)
    base: dict[str, Any] = {
        "function": key[0],
        "answer": answer_text,
        "var": key[1],
        "at": key[2],
        "lang": lang,
        "_exercise_key": key,
    }
    exercise = (EXERCISES if cache is None else cache).prepare(*key)
    if isinstance(exercise, PreparationError):
        return AnswerResult(
            "error", None, Message("grading.bad_function", reason=exercise.message), **base
        )
    base["var"] = exercise.var.name
    base["expected_text"] = exercise.expected_text
    if exercise.expected_value is not None:
        base["expected_value_text"] = show(exercise.expected_value)
        base["expected_number"] = exercise.expected_number
    if answer_text is None or not answer_text.strip():
        problem = ParseProblem(0, Message("grading.empty_reason"), answer_text or "")
        return AnswerResult(
            "unparseable", None, Message("grading.empty"), parse_error=problem, **base
        )
    extra: dict[str, Any] = {}
    try:
        with time_limit(time_limit_seconds, "grading the answer"):
            verdict, diagnosis, message, extra = _grade(exercise, answer_text)
    except LimitError:
        seconds = number(time_limit_seconds or 0)
        verdict, diagnosis, message = "error", None, Message("grading.timeout", seconds=seconds)
    except RecursionError:
        verdict, diagnosis = "error", None
        message = Message("grading.failed", reason=Message("grading.too_deep"))
    except DerivcheckError as error:
        verdict, diagnosis, message = "error", None, Message("grading.failed", reason=error.message)
    except Exception as error:  # noqa: BLE001 - any failure is this answer's, never the batch's
        reason = Message("grading.internal", error=f"{type(error).__name__}: {error}"[:300])
        verdict, diagnosis, message = "error", None, Message("grading.failed", reason=reason)
    return AnswerResult(verdict, diagnosis, message, **base, **extra)
