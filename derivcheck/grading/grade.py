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

import decimal
import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import sympy
from sympy import Expr

from derivcheck.calculus.catalogue import spellings
from derivcheck.calculus.orders import leibniz, order_symbol
from derivcheck.calculus.precise import precise
from derivcheck.calculus.roots import real_form
from derivcheck.errors import DerivcheckError, LimitError, ParseError
from derivcheck.grading.candidates import DIAGNOSES, MATCH
from derivcheck.grading.exercise import (
    EXERCISES,
    Bounded,
    Exercise,
    ExerciseCache,
    PreparationError,
    as_text,
    exercise_key,
    reread,
)
from derivcheck.grading.numbers import exact_number, is_rational_expression
from derivcheck.grading.sampling import stable_points
from derivcheck.limits import time_limit
from derivcheck.messages import Message, check_language
from derivcheck.reading.light import Light, exact_value, read_light
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
    "MAX_ORDER",
    "derivative_symbol",
]

#: The four verdicts.
VERDICTS = ("correct", "incorrect", "unparseable", "error")
#: Seconds one answer may take before it is stopped with verdict "error".
DEFAULT_TIME_LIMIT = 2.0

#: The highest order of derivative an exercise may ask for.
MAX_ORDER = 10

_CLOSE = 1e-9  # relative difference below which two values are equal
_FAR = 1e-3  # relative difference above which they clearly differ


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


def message_to_data(message: Message) -> dict[str, Any]:
    """A message as JSON-ready data (its key and parameters, nested messages included)."""
    return {"key": message.key, "params": {k: _encode(v) for k, v in message.params}}


def _render(message: Message, lang: str) -> str:
    """A message in words; the same few messages come back for many rows of a class, and a
    message and its words never change, so they are kept (at most 4,096)."""
    try:
        return _render_cached(message, lang)
    except TypeError:  # a parameter that cannot be hashed (a list)
        return message.to_text(lang)


@lru_cache(maxsize=4096)
def _render_cached(message: Message, lang: str) -> str:
    return message.to_text(lang)


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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
    _exercise_key: tuple[Any, ...] | None = field(default=None, repr=False, compare=False)
    #: A worked solution's lines, checked one by one (a StepsResult), or None
    steps: Any = field(default=None, repr=False, compare=False)
    #: The order of the derivative asked for (f″: 2)
    order: int = 1
    #: True when the function has several names: the answer is a partial derivative
    partial: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.note, str):  # a sentence given as text
            object.__setattr__(self, "note", Message("grading.text", text=self.note))

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    @property
    def derivative_symbol(self) -> str:
        """What was asked for: f′, f″, f⁽⁴⁾, or ∂f/∂x, ∂²f/∂y² for a partial derivative."""
        return derivative_symbol(self.order, self.var or "x", self.partial)

    @property
    def message(self) -> str:
        """What the student is told, in the result's language."""
        return _render(self.note, self.lang)

    def message_in(self, lang: str) -> str:
        """What the student is told, in ``lang``."""
        return _render(self.note, check_language(lang))

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
        asked: dict[str, object] = {}
        if self.order != 1 or self.partial:  # first derivatives' reports stay as they were
            asked = {"order": self.order, "asked": self.derivative_symbol}
        return {
            "id": self.id,
            "student": self.student,
            "line": self.line,
            "function": self.function,
            "var": self.var,
            "at": self.at,
            **asked,
            "answer": self.answer,
            "verdict": self.verdict,
            "correct": self.correct,
            "diagnosis": self.diagnosis,
            "message": _render(self.note, lang),
            "expected": self.expected_text,
            "expected_value": self.expected_value_text,
            "expected_number": self.expected_number,
            "parse_error": self.parse_error.to_dict(lang) if self.parse_error else None,
            **(self.steps.report_fields(lang) if self.steps is not None else {}),
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
        if self.steps is not None:
            record["steps"] = self.steps.to_record()
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
        order = int(data.get("order") or 1)
        key = (str(data.get("function") or ""), data.get("var"), data.get("at"))
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
            _exercise_key=key if order == 1 else (*key, order),
            steps=_steps_from(data.get("steps")),
            order=order,
            partial=str(data.get("asked") or "").startswith("∂"),
        )


def _steps_from(data: object) -> Any:
    """A worked solution's checked lines from a record (None when there are none)."""
    if not isinstance(data, Mapping) or "note" not in data:
        return None
    from derivcheck.grading.steps import StepsResult

    return StepsResult.from_record(data)


# --------------------------------------------------------------------------------------
# Reading the answer
# --------------------------------------------------------------------------------------

_LABEL = re.compile(r"^\s*(?:答案?|解|导数|ans(?:wer)?)\s*[:：]\s*", re.IGNORECASE)
_EQUALS = re.compile(r"(?<![=<>!])(?:=|≈)(?!=)")
_NUMBER = re.compile(r"^\s*[-+−]?\s*(\d*)(?:\.(\d+))?\s*$")
_TRAILING_NOTE = re.compile(r"\s*(?:[(（]([^()（）]*)[)）]|[,;，；]([^,;，；=]*))\s*$")
_PROSE_WORD = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]+")
_COMMA = re.compile(r"[,;，；]")


def _clean_answer(answer: str) -> tuple[str, int]:
    """The part of an answer to grade, and where it starts in the text as typed.

    ``答：``/``Answer:`` labels go; with ``=`` or ``≈`` the last part is the
    answer (``y' = …``, ``dy/dx = …``, ``f'(1) = 54``, worked steps
    ``3(2x+1)²·2 = 6(2x+1)²``); a final full stop goes, and so does a final remark in
    words, in brackets (``6(2x+1)^2 (chain rule)``, ``…（链式法则）``) or, in Chinese, after
    a comma (``…，链式法则``).

    >>> _clean_answer("y' = 6(2x+1)^2 (chain rule).")
    (' 6(2x+1)^2', 4)
    """
    label = _LABEL.match(answer)
    offset = label.end() if label else 0
    equals = [m.end() for m in _EQUALS.finditer(answer, offset)]
    if equals and answer[equals[-1] :].strip():
        offset = equals[-1]
    cleaned = _without_full_stop(answer[offset:].rstrip())
    while cleaned[-1:] in (")", "）") or _COMMA.search(cleaned):
        remark = _TRAILING_NOTE.search(cleaned)
        if remark is None or remark.start() == 0 or not _is_prose(remark.group(1, 2)):
            break
        chinese = re.search(r"[\u4e00-\u9fff]", remark.group(1) or "")
        spaced = remark.group(0)[:1].isspace()  # "2x (power rule)": a remark after a space
        call = cleaned[remark.start() - 1].isalpha() and not (chinese or spaced)
        if remark.group(1) is not None and call:
            break  # sqrt(pi): a call, not a remark (2x（幂函数求导法则） is one)
        cleaned = _without_full_stop(cleaned[: remark.start()].rstrip())
    return cleaned, offset


def _without_full_stop(text: str) -> str:
    if text.endswith("。") or (text.endswith(".") and len(text) > 1 and not text[-2].isdigit()):
        return text[:-1].rstrip()
    return text


def _is_prose(groups: tuple[str | None, str | None]) -> bool:
    """Words, not mathematics: Chinese, or English words that name no function, with no
    digit or operator among them."""
    bracketed, after_comma = groups
    content = bracketed if bracketed is not None else after_comma or ""
    if re.search(r"[\u4e00-\u9fff]", content):
        return not re.search(r"[=+*/^]", content)
    if bracketed is None:  # after a comma, only Chinese: "2x; import os" is no remark
        return False
    if re.search(r"[\d=+*/^·×]", content):
        return False
    words = _PROSE_WORD.findall(content)
    names = spellings() | {"pi", "e", "inf"}
    # "power rule" is prose although power is a function's name: a word that names
    # nothing ("rule") says so; "(sinh cosh)" is only names
    return len(words) >= 2 and not all(w.lower() in names for w in words)


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

#: Significant digits a decimal answer needs when the exercise does not say (digits column).
DEFAULT_SIGNIFICANT = 3


@dataclass(frozen=True)
class Precision:
    """How exact a number answer must be: ``places`` decimal places (the file's ``digits``
    column), or within an absolute ``tolerance``; by default a decimal must be the value
    correctly rounded, with at least :data:`DEFAULT_SIGNIFICANT` significant digits."""

    places: int | None = None
    tolerance: float | None = None


def _grade(
    exercise: Exercise,
    answer: str,
    precision: Precision = Precision(),
    graded: Bounded | None = None,
) -> _Graded:
    """(verdict, diagnosis, message, extra fields) for a prepared exercise and an answer;
    ``graded`` keeps the grades of answer expressions already met (formulas only: how a
    number is written matters)."""
    cleaned, offset = _clean_answer(answer)
    quick = _grade_light(exercise, cleaned, graded)
    if quick is not None:
        return quick
    try:
        expression = _parse_answer(exercise, cleaned)
    except ParseError as error:
        position = None if error.position is None else error.position + offset
        problem = ParseProblem(position, error.message, answer)
        if error.message.key == "parse.derivative_operator":  # \frac{d}{dx}(x^2): the question
            message = Message("grading.operator_left", var=exercise.var.name)
            return "unparseable", None, message, {"parse_error": problem}
        if "?" in cleaned:  # a character the file's encoding could not hold (GBK has no ²)
            column = answer.index("?", offset) + 1
            return (
                "unparseable",
                None,
                Message("grading.lost_character", column=column),
                {"parse_error": problem},
            )
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
    if exercise.single_value:  # two numbers: compared exactly
        return _grade_number(exercise, expression, cleaned, precision)
    if graded is None:
        return _grade_formula(exercise, expression)
    key = (exercise.key, expression)
    found = graded.get(key)
    if found is None:
        found = _grade_formula(exercise, expression)
        graded.put(key, found)
    return found


def _grade_formula(exercise: Exercise, expression: Expr) -> _Graded:
    """An answer that is a formula, against the derivative at the sample points."""
    values = exercise.values_of(expression)
    outcome, index = _compare(values, exercise.target_values)
    if outcome == "different" and exercise.at_value is None:
        # floats that cancel are no evidence: 8e^(40+8x) + (8 - 8e^(40+8x))·H(x + 5) is 8,
        # and 0 in floating point, so a right answer was "Not the derivative" (differential
        # case 2026:19030); where rounding moves the answer, 30 digits decide
        if not stable_points(expression, exercise.env, {}).all():
            outcome = "borderline"
    if outcome == "borderline":
        outcome, index = _confirm_exactly(expression, exercise, values)
    if outcome == "equal":
        difference = _exact_difference(expression, exercise)
        if difference is None and not exercise.target_is_rational and _hides_small_terms(exercise):
            difference = _confirm_large(expression, exercise)
        if difference is None:
            return "correct", None, Message("grading.correct"), {}
        shown = number(float(difference)) if abs(difference) > 1e-300 else show(difference)
        return "incorrect", None, Message("grading.exactly_different", difference=shown), {}
    return _different(exercise, values, index)


def _grade_light(exercise: Exercise, cleaned: str, graded: Bounded | None = None) -> _Graded | None:
    """The grade of a formula answer from its light reading (:mod:`derivcheck.reading.light`:
    the same grammar, no SymPy), when that reading settles it: its values at the sample
    points are surely those of its SymPy reading, with names the exercise has, and clearly
    equal to the derivative's (exactly, at a rational point, when both are rational) or
    clearly different. None otherwise: the answer is then read with parse(). ``graded``
    keeps the grades of light trees already met."""
    if exercise.at_value is not None:
        return None
    typed = (exercise.key, "typed", cleaned)  # the same text reads as the same tree
    found = graded.get(typed) if graded is not None else None
    if found is not None:
        return found
    tree = read_light(cleaned)
    if not isinstance(tree, Light) or not tree.names <= set(exercise.names):
        return None  # a number, an error, a foreign name: parse() says what it is
    if graded is None:
        return _grade_tree(exercise, tree)
    key = (exercise.key, tree.key)
    found = graded.get(key)
    if found is None:
        found = _grade_tree(exercise, tree)
    if found is not None:
        graded.put(key, found)
        graded.put(typed, found)
    return found


def _grade_tree(exercise: Exercise, tree: Light) -> _Graded | None:
    """:func:`_grade_light` once the tree is read."""
    values = exercise.light_points.values(tree, exercise.target_values)
    if values is None:
        return None
    outcome, index = _compare(values, exercise.target_values)
    if outcome == "borderline":
        return None
    if outcome == "different":
        return _different(exercise, values, index)
    if exercise.target_is_rational:  # 2x + 10^-20 is not 2x: the exact values must agree
        point = {s.name: Fraction(int(v.p), int(v.q)) for s, v in exercise.exact_points[0].items()}
        exact = exact_value(tree, point)
        if exact is None or exact != exercise.target_exact:
            return None
    elif _hides_small_terms(exercise):  # 30 digits decide (the SymPy reading)
        return None
    return "correct", None, Message("grading.correct"), {}


def _hides_small_terms(exercise: Exercise) -> bool:
    """True when the derivative is so large at every sample point that a term of ordinary
    size (a stray + 1) is below the floats' tolerance there: e^(4(x + 6)²)·… is 10^60 at
    the points, and the derivative + 1 was graded correct (differential case 2026:23550)."""
    return bool(np.min(np.abs(exercise.target_values)) >= _LARGE)


#: Smallest |f′| at every sample point from which 30 digits confirm an equal answer: a
#: stray term of 0.1 is within _CLOSE of f′, relative, there.
_LARGE = 0.1 / _CLOSE


def _confirm_large(expression: Expr, exercise: Exercise) -> Expr | None:
    """Where :func:`_hides_small_terms`: the answer's difference from the derivative at the
    sample point where the derivative is smallest (:func:`_digits_at`, which adds digits
    where the two cancel), when it is more than 10^-25 of the derivative there; None when
    they agree (or there is no real value to compare)."""
    index = int(np.argmin(np.abs(exercise.target_values)))
    point = exercise.exact_points[index]
    size = abs(float(exercise.target_values[index]))
    difference = _digits_at(expression - exercise.target, point)
    if difference is None or abs(difference) <= 1e-25 * size:
        return None
    return sympy.Float(difference, 3)


def _different(exercise: Exercise, values: np.ndarray, index: int) -> _Graded:
    """An answer whose ``values`` differ from the derivative's (most at point ``index``):
    the mistake it is, or where it differs."""
    candidate = _diagnose(exercise, values, None)
    if candidate is not None:
        return "incorrect", candidate[0], candidate[1], {}
    where = exercise.point_text(index)
    want = number(float(exercise.target_values[index]))
    if np.isnan(values[index]):
        return "incorrect", None, Message("grading.incorrect_undefined", point=where, want=want), {}
    if np.isinf(values[index]):
        return "incorrect", None, Message("grading.incorrect_huge", point=where, want=want), {}
    got = number(float(values[index]))
    if _asks_beyond_f_prime(exercise):  # say which derivative: f″, ∂f/∂y
        asked = _symbol_of(exercise, exercise.order)
        message = Message("grading.incorrect_asked", asked=asked, point=where, got=got, want=want)
        return "incorrect", None, message, {}
    return "incorrect", None, Message("grading.incorrect", point=where, got=got, want=want), {}


def _grade_number(
    exercise: Exercise, expression: Expr, cleaned: str, precision: Precision
) -> _Graded:
    """An answer that is one number, against the exact value of the derivative.

    A decimal is correct when it is the value correctly rounded to the places it gives
    (and gives enough of them); a rejection because of precision says so.
    """
    point = exercise.point or ""
    if _compare_numbers(expression, exercise.target) == "equal":
        return "correct", None, Message("grading.correct"), {}
    got, want = exact_number(expression), exact_number(exercise.target)
    difference = abs(got - want) if got is not None and want is not None else math.inf
    literal = _NUMBER.match(cleaned)
    places = (
        len(literal.group(2) or "") if literal and (literal.group(1) or literal.group(2)) else None
    )
    tolerance = None
    if precision.tolerance is not None:
        tolerance = precision.tolerance
        if difference <= tolerance:
            return (
                "correct",
                None,
                Message("grading.correct_within", tolerance=number(tolerance)),
                {},
            )
    elif places is not None:
        tolerance = 0.5 * 10.0**-places * (1 + 1e-9)  # half a unit in the last place
        if difference <= tolerance:
            return _rounded(cleaned, literal, places, precision)
    candidate = _diagnose(exercise, exercise.values_of(expression), tolerance)
    if candidate is not None:
        return "incorrect", candidate[0], candidate[1], {}
    if places and precision.tolerance is None and difference < 10.0**-places * (1 + 1e-9):
        rounded = _round(exercise.target, places)
        message = Message(
            "grading.wrong_rounding",
            places=_places(places),
            rounded=rounded,
            answer=cleaned.strip(),
        )
        return "incorrect", None, message, {}
    if _asks_beyond_f_prime(exercise):
        asked = _symbol_of(exercise, exercise.order)
        return (
            "incorrect",
            None,
            Message("grading.incorrect_value_asked", asked=asked, point=point),
            {},
        )
    return "incorrect", None, Message("grading.incorrect_value", point=point), {}


def _rounded(cleaned: str, literal: re.Match, places: int, precision: Precision) -> _Graded:
    """The answer is the value correctly rounded to ``places``: enough of them?"""
    whole, fraction = literal.group(1) or "", literal.group(2) or ""
    significant = len((whole + fraction).lstrip("0"))
    if precision.places is not None:
        enough = places >= precision.places
        wanted = _places(precision.places)
    else:
        enough = significant >= DEFAULT_SIGNIFICANT
        wanted = Message("grading.significant", count=DEFAULT_SIGNIFICANT)
    if not enough:
        message = Message(
            "grading.too_few_digits", answer=cleaned.strip(), given=_places(places), wanted=wanted
        )
        return "incorrect", None, message, {}
    if places == 0:
        return "correct", None, Message("grading.correct_rounded_whole"), {}
    key = "grading.correct_rounded_one" if places == 1 else "grading.correct_rounded"
    return "correct", None, Message(key, places=places), {}


def _places(count: int) -> Message:
    if count == 0:
        return Message("grading.whole_number")
    return Message("grading.places_one" if count == 1 else "grading.places", count=count)


def _round(value: Expr, places: int) -> str:
    """The exact ``value`` rounded half up to ``places`` decimal places, as text."""
    exact = decimal.Decimal(str(sympy.N(value, 30)))
    return str(exact.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP))


def _exact_difference(expression: Expr, exercise: Exercise) -> Expr | None:
    """When the answer and the derivative are both rational expressions with exact
    coefficients, their difference at an exact sample point, if it is not zero
    (``2x + 10^-20`` is not ``2x``, though no float shows it); else None."""
    if not (exercise.target_is_rational and is_rational_expression(expression)):
        return None
    difference = (expression - exercise.target).xreplace(exercise.exact_points[0])
    return difference if difference != 0 and difference.is_Rational else None


def _at_point(expression: Expr, point: dict) -> Expr:
    """``expression`` at an exact sample point, odd roots real (calculus.roots): SymPy's
    principal root of a negative base is complex, and heaviside of it raised ValueError
    (differential case 2026:46530). Any other failure goes on to check_answer, which makes
    it the answer's ``error`` verdict: a point SymPy cannot evaluate proves no difference."""
    return real_form(expression).xreplace(point)


def _digits_at(expression: Expr, point: dict) -> Any:
    """``expression`` at an exact sample point to 30 digits (an mpmath number; None where it
    is not a real number), the point put in as exact values by
    :func:`~derivcheck.calculus.precise.precise`: SymPy's substitution computes powers
    exactly, and (x²/10)^(9x³) at 299/128 took 4.7 s of an answer's 2 s (differential case
    2026:107280: a wrong answer was 'error', not 'incorrect'). An operation precise does
    not know goes through SymPy (:func:`_at_point`)."""
    try:
        return precise(real_form(expression), 30, env=point)
    except TypeError:
        return precise(exact_number(_at_point(expression, point)), 30)


def _compare(answer: np.ndarray, target: np.ndarray) -> tuple[str, int]:
    """("equal" | "different" | "borderline", index of the most telling point)."""
    difference = np.abs(answer - target)
    scale = np.maximum(np.abs(answer), np.abs(target))
    finite = np.isfinite(answer)
    tolerance = _CLOSE * scale + 1e-300
    close = finite & (difference <= tolerance)
    if close.all():
        return "equal", 0
    typical = float(np.median(np.abs(target)))
    meaningful = scale > 1e-6 * typical
    far = finite & ~close & (difference > _FAR * scale) & meaningful
    if far.sum() >= min(2, len(far)):  # one odd point is checked exactly before it counts
        return "different", int(np.argmax(far))
    return "borderline", int(np.argmax(~close))


def _compare_numbers(answer: Expr, target: Expr) -> str:
    """Two constant expressions: "equal" or "different" — exactly for two rationals, else
    to 20 digits."""
    if answer == target:
        return "equal"
    if answer.is_Rational and target.is_Rational:
        return "different"
    got, want = exact_number(answer), exact_number(target)
    if got is None or want is None:
        return "different"
    difference = abs(got - want)
    return "equal" if difference <= 1e-20 * max(abs(got), abs(want)) + 1e-40 else "different"


def _confirm_exactly(expression: Expr, exercise: Exercise, values: np.ndarray) -> tuple[str, int]:
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
        try:
            got, want = _digits_at(expression, point), _digits_at(target, point)
        except LimitError as error:  # a value past 10^(10^6) on the way (e^(e^17.3) in a
            if error.message.key == "limits.took_too_long":  # finite ratio): no evidence
                raise  # either way, the other points decide (case 2026:116870, where the
            continue  # answer was 'error: took longer than 2 s' after 13 ms)
        if got is None or want is None:
            return "different", index
        allowed = 1e-20 * max(abs(got), abs(want)) + 1e-40
        if abs(got - want) > allowed:
            return "different", index
    return "equal", 0


_deferring = threading.local()  # on: check_answer is grading (see _NeedsCandidates)


class _NeedsCandidates(Exception):
    """A wrong answer needs the exercise's candidate mistakes, not computed yet: they are
    computed outside the answer's time limit (:func:`check_answer`), then it is graded again."""


def _diagnose(
    exercise: Exercise, values: np.ndarray, rounding: float | None
) -> tuple[str, Message] | None:
    if not np.isfinite(values).all():
        return None
    if exercise.order > 1 and _matches(values, exercise.values_of(exercise.function), rounding):
        return "not-differentiated", _order_short(exercise)  # f′ where f″ is asked
    if not exercise.candidates_ready and getattr(_deferring, "on", False):
        raise _NeedsCandidates  # check_answer computes them outside the answer's limit
    for candidate in exercise.candidates:  # elsewhere: now, within the caller's time limit
        if _matches(values, candidate.values, rounding):
            return candidate.code, candidate.message
    factor = _constant_factor(values, exercise.target_values)
    if factor is not None:
        return "constant-factor", Message("grading.constant_factor", factor=factor)
    return None


def derivative_symbol(order: int, var: str = "x", partial: bool = False) -> str:
    """f′, f″, f⁽⁴⁾ …, or with ``partial`` ∂f/∂x, ∂²f/∂x² … (the order asked for).

    >>> derivative_symbol(2), derivative_symbol(4), derivative_symbol(1, "y", True)
    ('f″', 'f⁽⁴⁾', '∂f/∂y')
    """
    if partial:
        from derivcheck.reading.parser import symbol

        return leibniz((symbol(var),) * order, partial=True)
    return order_symbol(order)


def _matches(values: np.ndarray, other: np.ndarray, rounding: float | None) -> bool:
    """True when an answer's values are a mistake's (to :data:`MATCH`, or the rounding)."""
    tolerance = MATCH * np.maximum(np.abs(values), np.abs(other)) + 1e-300
    if rounding is not None:
        tolerance = np.maximum(tolerance, rounding)
    return bool(np.all(np.abs(values - other) <= tolerance))


def _asks_beyond_f_prime(exercise: Exercise) -> bool:
    """A higher order or a partial derivative (messages then name which one)."""
    return exercise.order > 1 or len(exercise.names) > 1


def _symbol_of(exercise: Exercise, order: int) -> str:
    """The exercise's derivative of ``order`` as written: f″, ∂²f/∂y²."""
    return derivative_symbol(order, exercise.var.name, len(exercise.names) > 1)


def _order_short(exercise: Exercise) -> Message:
    """The answer is the derivative of one order lower (f′ where f″ is asked for)."""
    return Message(
        "grading.order_short",
        have=_symbol_of(exercise, exercise.order - 1),
        want=_symbol_of(exercise, exercise.order),
    )


def _order(order: object) -> int | Message:
    """The order asked for as an int from 1 to :data:`MAX_ORDER` (blank: 1), or the message
    saying why it cannot be used."""
    if order is None or (isinstance(order, str) and not order.strip()):
        return 1
    if isinstance(order, bool):
        return Message("grading.bad_order", order=repr(order), largest=MAX_ORDER)
    try:  # 2, "2", and 2.0 as a spreadsheet may write it
        number_ = float(order) if isinstance(order, float) else float(str(order).strip())
        value = int(number_) if number_.is_integer() else 0
    except (ValueError, OverflowError):
        value = 0
    if not 1 <= value <= MAX_ORDER:
        return Message("grading.bad_order", order=repr(order), largest=MAX_ORDER)
    return value


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


def _precision(digits: object, tolerance: object) -> Precision | Message:
    """The precision asked for, or the message saying why it cannot be used."""
    places = value = None
    if digits is not None and str(digits).strip():
        try:
            places = int(str(digits).strip())
        except ValueError:
            places = -1
        if not 0 <= places <= 30:
            return Message("grading.bad_digits", digits=repr(digits))
    if tolerance is not None and str(tolerance).strip():
        try:
            value = float(str(tolerance).strip())
        except ValueError:
            value = -1.0
        if not (math.isfinite(value) and value > 0):
            return Message("grading.bad_tolerance", tolerance=repr(tolerance))
    return Precision(places, value)


def prepare_exercise(
    function: object,
    var: object = None,
    at: object = None,
    cache: ExerciseCache | None = None,
    order: object = 1,
) -> bool:
    """Prepare (and cache) an exercise ahead of its answers; False when it cannot be graded."""
    n = _order(order)
    if isinstance(n, Message):
        return False
    key = exercise_key(function, var, at, n)
    return isinstance((EXERCISES if cache is None else cache).prepare(*key), Exercise)


def check_answer(
    function: str,
    answer: str | None,
    var: str | None = None,
    at: object = None,
    lang: str = "en",
    *,
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT,
    cache: ExerciseCache | None = None,
    digits: int | str | None = None,
    tolerance: float | str | None = None,
    order: int | str | None = 1,
) -> AnswerResult:
    """Grade ``answer`` as the derivative of ``function`` (or, with ``at``, its value there).

    ``order`` asks for a higher derivative (``order=2``: f″, up to :data:`MAX_ORDER`),
    graded the same way; a wrong answer's diagnosis names the mistake of the last
    differentiation (an answer that is f′ where f″ is asked is one order short).
    ``var`` defaults to the function's only variable (``x`` when there are
    several and ``x`` is one of them); other names are constants, and the answer is the
    partial derivative ∂f/∂var (``result.derivative_symbol``). ``at`` is a
    number or text (``1``, ``"1/2"``, ``"π/4"``). The answer may be a formula
    in any syntax :func:`derivcheck.parse` accepts, may start with ``y' =`` or
    ``dy/dx =``, and with ``at`` is a number (``54``, ``54.0``, ``3/2``,
    ``√2/2``; a decimal with at least three significant digits may be rounded
    or cut in its last place). Never raises on a bad answer or function: the
    verdict says so. ``lang`` is the language ``result.message`` is shown in (the
    grading itself does not depend on it). ``time_limit_seconds`` bounds one answer (in
    the main thread; elsewhere the size limits of the parser bound the work).
    ``cache`` holds the prepared exercises (default: the module's
    :data:`~derivcheck.grading.exercise.EXERCISES`). With ``at``, a decimal answer is
    correct when it is the value correctly rounded to the places it gives, and gives at
    least ``digits`` decimal places (default: at least three significant digits); or,
    with ``tolerance``, when it lies within that distance of the value.

    >>> r = check_answer("x·sin(x)", "cos(x)")
    >>> r.verdict, r.diagnosis
    ('incorrect', 'product-rule')
    >>> check_answer("sin(x)/x", "(sin(x) - x cos(x))/x^2").diagnosis
    'quotient-rule-sign'
    >>> check_answer("(2x+1)^3", "55", at=1).verdict
    'incorrect'
    >>> check_answer("x^3", "6x", order=2).verdict
    'correct'
    >>> check_answer("x^2 y", "2y", "x", order=2).derivative_symbol
    '∂²f/∂x²'
    """
    lang = check_language(lang)
    n = _order(order)
    key = exercise_key(function, var, at, 1 if isinstance(n, Message) else n)
    answer_text = as_text(answer)
    base: dict[str, Any] = {
        "function": key[0],
        "answer": answer_text,
        "var": key[1],
        "at": key[2],
        "lang": lang,
        "_exercise_key": key,
    }
    if isinstance(n, Message):
        return AnswerResult("error", None, n, **base)
    base["order"] = n
    exercise = (EXERCISES if cache is None else cache).prepare(*key)
    if isinstance(exercise, PreparationError):
        return AnswerResult(
            "error", None, Message("grading.bad_function", reason=exercise.message), **base
        )
    base["var"] = exercise.var.name
    base["partial"] = len(exercise.names) > 1  # as _symbol_of writes it
    base["expected_text"] = exercise.expected_text
    if exercise.expected_value is not None:
        base["expected_value_text"] = exercise.expected_value_text
        base["expected_number"] = exercise.expected_number
    if answer_text is None or not answer_text.strip():
        problem = ParseProblem(0, Message("grading.empty_reason"), answer_text or "")
        return AnswerResult(
            "unparseable", None, Message("grading.empty"), parse_error=problem, **base
        )
    precision = _precision(digits, tolerance)
    if isinstance(precision, Message):
        return AnswerResult("error", None, precision, **base)
    from derivcheck.grading.steps_reading import is_worked

    if is_worked(answer_text):  # several lines: checked one by one, the last one graded
        from derivcheck.grading.steps import check_steps

        steps = check_steps(
            key[0], answer_text, key[1], key[2], lang, cache=cache, digits=digits,
            tolerance=tolerance, line_time_limit=time_limit_seconds, order=n,
        )  # fmt: skip
        return AnswerResult(steps.verdict, steps.diagnosis, steps.note, steps=steps, **base)
    extra: dict[str, Any] = {}
    graded = (EXERCISES if cache is None else cache).answers

    def grade() -> _Graded:
        deferring, _deferring.on = getattr(_deferring, "on", False), True
        try:
            with time_limit(time_limit_seconds, "grading the answer"):
                return _grade(exercise, answer_text, precision, graded)
        finally:
            _deferring.on = deferring

    try:
        try:
            verdict, diagnosis, message, extra = grade()
        except _NeedsCandidates:  # the first wrong answer to this exercise
            exercise.prepare_candidates()
            (EXERCISES if cache is None else cache).keep(exercise)
            verdict, diagnosis, message, extra = grade()
    except LimitError as error:
        verdict, diagnosis = "error", None
        if error.message.key == "limits.took_too_long":
            message = Message("grading.timeout", seconds=number(time_limit_seconds or 0))
        else:  # a bound on sizes (10^(10^6)): not a time-out, whatever its class
            message = Message("grading.failed", reason=error.message)
    except RecursionError:
        verdict, diagnosis = "error", None
        message = Message("grading.failed", reason=Message("grading.too_deep"))
    except DerivcheckError as error:
        verdict, diagnosis, message = "error", None, Message("grading.failed", reason=error.message)
    except Exception as error:  # noqa: BLE001 - any failure is this answer's, never the batch's
        reason = Message("grading.internal", error=type(error).__name__)
        verdict, diagnosis, message = "error", None, Message("grading.failed", reason=reason)
    return AnswerResult(verdict, diagnosis, message, **base, **extra)
