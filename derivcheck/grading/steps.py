r"""Worked solutions checked line by line: :func:`check_steps` and its :class:`StepsResult`.

A teacher grades the working, not only the last line. Each line of a worked solution
(:mod:`~derivcheck.grading.steps_reading` reads it) is one of

* a **substitution** ``u = 2x + 1`` (``令``/``设``/``let``): the intermediate variable must
  stand for a part of the function, and ``y = u³`` must be the function;
* a **local derivative** ``dy/du = 3u²``, ``u' = 2``, ``(u³)' = 3u²``: checked against the
  student's own substitution, the chapter's chain of intermediate variables;
* an **equality** ``y' = 3(2x+1)²·(2x+1)' = 6(2x+1)²``: every side must be the derivative
  of what the line differentiates. A wrong side that *evaluates* a derivative is a
  calculus mistake, diagnosed with the grader's typical mistakes
  (:mod:`~derivcheck.grading.candidates`: missing inner derivative, product rule as u′v′,
  …); a wrong side that only rewrites the one before is an algebra mistake (a dropped
  term, a sign, an expansion);
* a **value** ``f'(1) = 54``, ``x = 1 时 dy/dx = 54``: checked exactly, with the rounding
  policy of answers;
* **prose** (``by the product rule``, ``由链式法则``): recognised and skipped.

The final verdict is the grade of the final answer, as :func:`check_answer` gives it;
``first_error`` is the first wrong line, even when the final answer is right.

>>> r = check_steps("(2x+1)^3", "u = 2x + 1\ny = u^3\ndy/du = 3u^2\ndu/dx = 2\n"
...                 "dy/dx = 3u^2 · 2 = 6(2x+1)^2")
>>> r.verdict, r.first_error, [line.kind for line in r.lines][:3]
('correct', None, ['substitution', 'substitution', 'local-derivative'])
>>> r = check_steps("(2x+1)^3", "y' = 3(2x+1)^2\n= 6(2x+1)^2")
>>> r.verdict, r.first_error, r.lines[0].diagnosis
('correct', 1, 'missing-inner-derivative')
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import sympy
from sympy import Expr, Symbol

from derivcheck.errors import DerivcheckError, LimitError, ParseError
from derivcheck.grading.exercise import EXERCISES, Exercise, ExerciseCache, exercise_key
from derivcheck.grading.grade import (
    Precision,
    _compare,
    _compare_numbers,
    _confirm_exactly,
    _grade_formula,
    _grade_number,
    _precision,
    message_from_data,
    message_to_data,
)
from derivcheck.grading.numbers import exact_number, values
from derivcheck.grading.steps_reading import (
    MAX_CHARS,
    MAX_LINE_CHARS,
    MAX_LINES,
    PLACEHOLDER,
    Label,
    Mark,
    Side,
    clean_line,
    is_prose,
    point_phrase,
    read_label,
    read_side,
    sides,
    split_lines,
    statements,
)
from derivcheck.limits import time_limit
from derivcheck.messages import Message, check_language
from derivcheck.reading.parser import parse, symbol
from derivcheck.render.printing import number, show

__all__ = ["check_steps", "StepsResult", "StepLine", "KINDS", "LINE_VERDICTS"]

#: Kinds of line.
KINDS = ("equality", "substitution", "local-derivative", "value", "prose")
#: Verdicts of a line: ``carried`` follows correctly from a wrong line before it.
LINE_VERDICTS = ("correct", "incorrect", "carried", "unparseable", "error", "skipped")
#: Seconds one line may take, and the whole solution.
LINE_TIME_LIMIT = 2.0
TOTAL_TIME_LIMIT = 10.0

_WRONG = ("incorrect", "unparseable", "error")


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepLine:
    """One line of a worked solution: its ``number`` (from 1), ``text``, ``kind`` (one of
    :data:`KINDS`), ``verdict`` (:data:`LINE_VERDICTS`), ``diagnosis`` code and ``note``
    (a message, None for a right line); ``message`` is the note in the result's language."""

    number: int
    text: str
    kind: str
    verdict: str
    diagnosis: str | None = None
    note: Message | None = None
    lang: str = "en"

    @property
    def message(self) -> str | None:
        return self.note.to_text(self.lang) if self.note is not None else None

    @property
    def wrong(self) -> bool:
        return self.verdict in _WRONG

    def to_dict(self, lang: str | None = None) -> dict[str, object]:
        return {
            "number": self.number,
            "text": self.text,
            "kind": self.kind,
            "verdict": self.verdict,
            "diagnosis": self.diagnosis,
            "message": self.note.to_text(lang or self.lang) if self.note is not None else None,
        }

    def to_record(self) -> dict[str, object]:
        record = self.to_dict()
        record["note"] = message_to_data(self.note) if self.note is not None else None
        return record

    @classmethod
    def from_record(cls, data: Mapping[str, Any], lang: str = "en") -> StepLine:
        note = data.get("note")
        return cls(
            int(data["number"]),
            str(data["text"]),
            str(data["kind"]),
            str(data["verdict"]),
            data.get("diagnosis"),
            message_from_data(note) if note else None,
            lang,
        )


@dataclass(frozen=True)
class StepsResult:
    """A worked solution checked line by line.

    ``verdict`` and ``diagnosis`` are those of the final answer (correct, incorrect,
    unparseable, error, as :func:`~derivcheck.grading.grade.check_answer` gives them);
    ``note`` what the student is told about it; ``lines`` one :class:`StepLine` per line;
    ``first_error`` the number of the first wrong line (None when every line is right).
    ``to_text``/``to_markdown``/``to_latex`` show the solution with each line marked.
    """

    function: str
    text: str
    verdict: str
    diagnosis: str | None
    note: Message
    lines: tuple[StepLine, ...]
    var: str | None = None
    at: str | None = None
    lang: str = "en"

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    @property
    def first_error(self) -> int | None:
        return next((line.number for line in self.lines if line.wrong), None)

    @property
    def first_wrong_line(self) -> StepLine | None:
        return next((line for line in self.lines if line.wrong), None)

    @property
    def message(self) -> str:
        """The final answer's message, in the result's language."""
        return self.note.to_text(self.lang)

    def to_dict(self, lang: str | None = None) -> dict[str, object]:
        """JSON-ready: verdict, diagnosis, message, first_error and the lines."""
        lang = lang or self.lang
        fields = self.report_fields(lang)
        return {
            "function": self.function,
            "var": self.var,
            "at": self.at,
            "verdict": self.verdict,
            "diagnosis": self.diagnosis,
            "message": self.note.to_text(lang),
            "first_error": fields["first_error"],
            "first_error_message": fields["first_error_message"],
            "lines": fields["steps"],
        }

    def report_fields(self, lang: str | None = None) -> dict[str, object]:
        """What a batch report adds for a worked solution: the first wrong line, its
        message, and every line."""
        lang = lang or self.lang
        first = self.first_wrong_line
        return {
            "first_error": first.number if first else None,
            "first_error_message": first.note.to_text(lang) if first and first.note else None,
            "steps": [line.to_dict(lang) for line in self.lines],
        }

    def to_record(self) -> dict[str, object]:
        """:meth:`to_dict` with the messages as data (:meth:`from_record` restores them)."""
        return {
            "function": self.function,
            "text": self.text,
            "var": self.var,
            "at": self.at,
            "verdict": self.verdict,
            "diagnosis": self.diagnosis,
            "note": message_to_data(self.note),
            "lang": self.lang,
            "lines": [line.to_record() for line in self.lines],
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> StepsResult:
        lang = str(data.get("lang") or "en")
        return cls(
            function=str(data["function"]),
            text=str(data["text"]),
            verdict=str(data["verdict"]),
            diagnosis=data.get("diagnosis"),
            note=message_from_data(data["note"]),
            lines=tuple(StepLine.from_record(line, lang) for line in data["lines"]),
            var=data.get("var"),
            at=data.get("at"),
            lang=lang,
        )

    def in_language(self, lang: str) -> StepsResult:
        """The same result shown in ``lang``."""
        lang = check_language(lang)
        return replace(self, lang=lang, lines=tuple(replace(x, lang=lang) for x in self.lines))

    def to_text(self, lang: str | None = None) -> str:
        """The solution as plain text, each line marked ✓ or ✗ with the message beside."""
        from derivcheck.render.steps import steps_text

        return steps_text(self, lang or self.lang)

    def to_markdown(self, lang: str | None = None) -> str:
        """The solution as a Markdown table (line, working, mark, comment)."""
        from derivcheck.render.steps import steps_markdown

        return steps_markdown(self, lang or self.lang)

    def to_latex(self, lang: str | None = None) -> str:
        """The solution as a LaTeX tabular, each line marked."""
        from derivcheck.render.steps import steps_latex

        return steps_latex(self, lang or self.lang)

    def __str__(self) -> str:
        return self.to_text()


# --------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------


class _LineProblem(Exception):
    """A statement cannot be checked: its verdict and message."""

    def __init__(self, verdict: str, note: Message, diagnosis: str | None = None):
        super().__init__(note.key)
        self.verdict, self.note, self.diagnosis = verdict, note, diagnosis


@dataclass
class _Outcome:
    verdict: str = "correct"
    diagnosis: str | None = None
    note: Message | None = None

    def worse(self, verdict: str, diagnosis: str | None, note: Message | None) -> None:
        """Keep the first problem of a line."""
        if self.verdict in ("correct", "skipped"):
            self.verdict, self.diagnosis, self.note = verdict, diagnosis, note


@dataclass
class _Chain:
    """What the sides of a derivative line must equal: ``target`` (in the variable), or
    at ``point`` the number ``value``; ``of`` is the function differentiated (for the
    grader's diagnoses), None when unknown. ``last`` is the last side's value, whether it
    was right, and the line it came from."""

    target: Expr
    of: Expr | None
    point: Expr | None = None
    last: Expr | None = None
    last_marks: int = 0
    last_right: bool = True
    last_line: int = 0
    last_terms: tuple[Expr, ...] = ()


@dataclass
class _Final:
    kind: str  # "formula" | "value"
    expression: Expr
    text: str
    point: Expr | None
    line: int


class _Checker:
    def __init__(
        self, exercise: Exercise, at_key: tuple[Any, ...] | None, cache: ExerciseCache,
        precision: Precision, asked: Exercise | None = None,
    ):  # fmt: skip
        self.exercise = exercise
        self.cache = cache
        self.precision = precision
        self.at_key = at_key
        self.x = exercise.var
        self.function = exercise.function
        #: the exercise the final answer answers (order n: f⁽ⁿ⁾), and what it differentiates
        self.asked = asked or exercise
        self.order = self.asked.order
        self.main = self.asked.function
        free = {s.name for s in self.function.free_symbols}
        self.defs: dict[Symbol, Expr] = {}  # as the student wrote them
        self.full: dict[Symbol, Expr] = {}  # in the variable
        for name in ("y", "f"):
            if name not in free:
                self.defs[symbol(name)] = self.function
                self.full[symbol(name)] = self.function
        self.outputs = {s for s in self.defs}
        self.student: list[Symbol] = []
        self.chain: _Chain | None = None
        self.point: Expr | None = None
        self.finals: list[_Final] = []
        self.function_values = self._values(self.function)
        self.line_number = 0
        self.main_formula: tuple[Expr, bool] | None = None  # the last one, and if right

    # ---- names and values ----

    @property
    def known(self) -> set[str]:
        return set(self.exercise.names) | {s.name for s in self.defs}

    def _values(self, expression: Expr) -> np.ndarray:
        return values(expression, self.exercise.env, self.exercise.size)

    def expand(self, expression: Expr) -> Expr:
        """In the variable: the student's names replaced by what they stand for."""
        return expression.xreplace(self.full)

    def mark_value(self, mark: Mark) -> Expr:
        """The true value of a derivative mark, in the variable."""
        x = self.x
        if mark.kind in ("prime", "operator"):
            assert mark.operand is not None
            operand = self.side_in_names(mark.operand)
            wrt = symbol(mark.wrt) if mark.wrt else None
            names = {s for s in operand.free_symbols if s in self.defs and s not in self.outputs}
            if wrt is None and x not in operand.free_symbols and len(names) == 1:
                wrt = names.pop()  # (u^3)' = 3u^2: with respect to the student's u
            if wrt is None or wrt == x:
                return sympy.diff(self.expand(operand), x)
            return self.expand(sympy.diff(self.in_terms_of(operand, wrt), wrt))
        name = symbol(mark.name or "")
        if mark.kind == "name":
            return sympy.diff(self.full[name], x)
        wrt = symbol(mark.wrt or "")
        if name not in self.defs or (wrt not in self.defs and wrt != x):
            raise _LineProblem(
                "incorrect", Message("steps.unknown_derivative", name=name.name, wrt=wrt.name)
            )
        return self.local_derivative(name, wrt)

    def in_terms_of(self, expression: Expr, wrt: Symbol) -> Expr:
        """``expression`` with every name but ``wrt`` replaced by its definition, and
        ``wrt``'s own expansion read back as ``wrt`` (y = (2x+1)³ with u = 2x + 1 is u³)."""
        for _ in range(len(self.defs) + 1):
            again = expression.xreplace({s: d for s, d in self.defs.items() if s != wrt})
            if again == expression:
                break
            expression = again
        if wrt != self.x and self.x in expression.free_symbols and wrt in self.full:
            expression = expression.subs(self.full[wrt], wrt)
        return expression

    def local_derivative(self, name: Symbol, wrt: Symbol) -> Expr:
        """d(name)/d(wrt) from the student's definitions, in the variable."""
        if wrt == self.x:
            return sympy.diff(self.full[name], self.x)
        return self.expand(sympy.diff(self.in_terms_of(self.defs[name], wrt), wrt))

    def side_in_names(self, side: Side) -> Expr:
        """A side's formula with its marks' values put in (still in the student's names)."""
        return side.template.xreplace({m.symbol: self.mark_value(m) for m in side.marks})

    def read(self, text: str) -> Side:
        try:
            side = read_side(text, self.known)
        except ParseError as error:
            column = (error.position or 0) + 1
            reason = error.message
            raise _LineProblem(
                "unparseable", Message("steps.unreadable", reason=reason, column=column)
            ) from None
        unknown = sorted(
            s.name
            for s in side.template.free_symbols
            if s.name not in self.known and not s.name.startswith(PLACEHOLDER)
        )
        if unknown:  # words (import os) cannot be read; a stray letter is a wrong name
            verdict = "unparseable" if any(len(name) > 1 for name in unknown) else "incorrect"
            note = Message("steps.unknown_names", names=", ".join(unknown))
            raise _LineProblem(verdict, note, None if verdict == "unparseable" else "unknown")
        return side

    def same(self, a: Expr, b: Expr) -> tuple[bool, int]:
        """Whether two formulas in the variable are equal (the grader's comparison: the
        sample points, then 30 digits at the exact points when borderline), and the most
        telling point."""
        a_values, b_values = self._values(a), self._values(b)
        outcome, index = _compare(a_values, b_values)
        if outcome == "borderline":
            bare = replace(self.exercise, target=b, target_values=b_values, at_value=None)
            outcome, index = _confirm_exactly(a, bare, a_values)
        return outcome == "equal", index

    def at_point(self, expression: Expr, point: Expr) -> Expr:
        return expression.xreplace({self.x: point})

    def point_text(self, point: Expr) -> str:
        return f"{self.x.name} = {show(point)}"

    def sample_text(self, index: int) -> str:
        return self.exercise.point_text(index)

    def shown(self, expression: Expr) -> str:
        return show(expression)

    def read_point(self, text: str) -> Expr:
        try:
            value = parse(text)
        except ParseError as error:
            raise _LineProblem(
                "unparseable", Message("steps.point_unreadable", point=text, reason=error.message)
            ) from None
        if value.free_symbols or exact_number(value) is None:
            raise _LineProblem(
                "unparseable",
                Message("steps.point_unreadable", point=text, reason=Message("steps.not_number")),
            )
        return value

    # ---- a line ----

    def check_line(self, number: int, text: str) -> StepLine:
        self.line_number = number
        cleaned = clean_line(text)
        if is_prose(cleaned):
            return StepLine(number, text, "prose", "skipped")
        outcome = _Outcome()
        kinds: list[str] = []
        pending = statements(cleaned) or [cleaned]
        deferred: list[str] = []  # y = u³, u = 2x + 1: y waits for u
        while pending:
            statement = pending.pop(0)
            try:
                kinds.append(self.statement(statement, outcome))
            except _LineProblem as problem:
                if problem.diagnosis == "unknown" and pending and statement not in deferred:
                    deferred.append(statement)
                    pending.append(statement)
                    continue
                outcome.worse(problem.verdict, problem.diagnosis, problem.note)
                kinds.append("equality")
        kind = next((k for k in kinds if k != "value"), kinds[0]) if kinds else "prose"
        if "value" in kinds and kind == "equality":
            kind = "value"
        verdict = outcome.verdict
        return StepLine(number, text, kind, verdict, outcome.diagnosis, outcome.note)

    def statement(self, statement: str, outcome: _Outcome) -> str:
        point = point_phrase(statement, self.x.name)
        if point is not None:
            self.point = self.read_point(point[0])
            if not point[1]:
                return "value"
            statement = clean_line(point[1])
            if is_prose(statement):
                return "value"
        parts = sides(statement)
        first = parts[0][1].strip()
        if len(parts) == 1:  # a formula alone: the next side of the derivative
            return self.chain_sides(None, [first], outcome, continued=False)
        if not first:  # "= 6(2x+1)^2": the line before goes on
            return self.chain_sides(None, [p for _, p in parts[1:]], outcome, continued=True)
        label = read_label(first)
        if label is None:
            name = self.assigned_name(first)
            if name is not None:
                return self.substitution(name, [p for _, p in parts[1:]], outcome)
        return self.chain_sides(label, [p for _, p in parts], outcome, continued=False)

    def assigned_name(self, text: str) -> Symbol | None:
        """The name a substitution defines (``u``, ``y``, ``f(x)``), or None."""
        import re

        match = re.fullmatch(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:\(\s*([A-Za-z]\w*)\s*\))?\s*", text)
        if match is None:
            return None
        name = symbol(match.group(1))
        if match.group(2) is not None and match.group(2) != self.x.name:
            return None
        if name == self.x:
            raise _LineProblem("incorrect", Message("steps.redefines_variable", name=name.name))
        if name.name in self.exercise.names:
            return None
        return name

    # ---- substitutions ----

    def substitution(self, name: Symbol, parts: list[str], outcome: _Outcome) -> str:
        read = [self.read(p) for p in parts]
        written = self.side_in_names(read[0])
        expanded = self.expand(written)
        if self.x not in expanded.free_symbols and name not in self.outputs:
            pass  # a constant: nothing to check against the function
        if name in self.outputs:
            if not self.same(expanded, self.function)[0]:
                note = Message(
                    "steps.not_the_function",
                    name=name.name,
                    definition=show(written),
                    function=show(self.function),
                    expanded=show(expanded),
                )
                outcome.worse("incorrect", "not-the-function", note)
        elif not self.is_part(expanded):
            note = Message(
                "steps.not_a_part",
                name=name.name,
                definition=show(written),
                function=show(self.function),
            )
            outcome.worse("incorrect", "not-a-part", note)
        for side in read[1:]:  # u = 2x + 1 = 1 + 2x: each side the same
            other = self.expand(self.side_in_names(side))
            if not self.same(other, expanded)[0]:
                self.algebra(expanded, other, (), outcome)
        self.defs[name] = written
        self.full[name] = expanded
        if name not in self.student:
            self.student.append(name)
        self.chain = None
        self.point = None
        return "substitution"

    def is_part(self, expanded: Expr) -> bool:
        """``expanded`` is a sub-expression of the function (or of a sum's or a product's
        terms), compared by value at the sample points."""
        wanted = self._values(expanded)
        for node in sympy.preorder_traversal(self.function):
            if node == expanded:
                return True
            pieces = [node]
            if (node.is_Add or node.is_Mul) and len(node.args) <= 6:
                from itertools import combinations

                for size in range(2, len(node.args)):
                    pieces += [node.func(*c) for c in combinations(node.args, size)]
            for piece in pieces:
                if piece.free_symbols and np.allclose(
                    self._values(piece), wanted, rtol=1e-9, atol=1e-12, equal_nan=False
                ):
                    return True
        return False

    # ---- derivative chains ----

    def chain_for(self, label: Label | None, first: Side | None) -> tuple[_Chain, bool]:
        """The chain a line's first side starts; True when that side is the label
        (not itself checked)."""
        x = self.x
        if label is not None:
            name = symbol(label.name)
            if name not in self.defs:
                raise _LineProblem(
                    "incorrect", Message("steps.unknown_names", names=label.name), "unknown"
                )
            point = self.read_point(label.point) if label.point is not None else self.point
            wrt = symbol(label.wrt) if label.wrt else x
            if label.wrt is None and label.argument and label.argument != x.name:
                if label.point is None:
                    wrt = symbol(label.argument)
            target = self.local_derivative(name, wrt)
            for _ in range(label.order - 1):
                target = sympy.diff(target, x)
            of = None  # what the line differentiates: y″ = (y′)′
            if wrt == x:
                of = (
                    self.full[name]
                    if label.order == 1
                    else sympy.diff(self.full[name], x, label.order - 1)
                )
            chain = _Chain(target, of, point)
            if name not in self.outputs or wrt != x:
                chain.local = (name, wrt)  # type: ignore[attr-defined]
            return chain, True
        if first is not None and len(first.marks) == 1 and first.template == first.marks[0].symbol:
            mark = first.marks[0]  # (x^2 sin x)' = …, d/dx[…] = …: the mark is the label
            target = self.mark_value(mark)
            of = None
            if mark.kind in ("prime", "operator") and mark.operand is not None:
                operand = self.side_in_names(mark.operand)
                if self.x in self.expand(operand).free_symbols:
                    wrt_names = {s for s in operand.free_symbols if s in self.defs}
                    if self.x in operand.free_symbols or not wrt_names:
                        of = self.expand(operand)
            elif mark.kind == "name" or (mark.kind == "leibniz" and mark.wrt == x.name):
                of = self.full[symbol(mark.name or "")]
            chain = _Chain(target, of, self.point)
            if mark.kind == "leibniz" and mark.wrt != x.name:
                chain.local = (symbol(mark.name or ""), symbol(mark.wrt or ""))  # type: ignore[attr-defined]
            elif mark.kind == "prime" and of is None:
                operand = self.side_in_names(mark.operand)  # type: ignore[arg-type]
                names = [s for s in operand.free_symbols if s in self.defs]
                if len(names) == 1:  # (u^3)' is d/du; (e^u)' = e^u·u' reads it as d/dx
                    chain.local = (operand, names[0])  # type: ignore[attr-defined]
                    expanded = self.expand(operand)
                    chain.alternative = (sympy.diff(expanded, x), expanded)  # type: ignore[attr-defined]
            return chain, True
        return _Chain(sympy.diff(self.main, x), self.main, self.point), False

    def chain_sides(
        self, label: Label | None, parts: list[str], outcome: _Outcome, continued: bool
    ) -> str:
        read = (
            [self.read(p) for p in parts]
            if label is None
            else [None] + [self.read(p) for p in parts[1:]]
        )
        if continued and self.chain is not None:
            chain, is_label = self.chain, False
        else:
            chain, is_label = self.chain_for(label, read[0])
            if not is_label:
                chain.point = self.point
            self.chain = chain
        kind = "local-derivative" if hasattr(chain, "local") else "equality"
        start = 1 if is_label else 0
        for index, side in enumerate(read[start:], start):
            assert side is not None
            text = parts[index].strip()
            value_kind = self.check_side(
                chain, side, text, outcome, index == start and not continued
            )
            if value_kind:
                kind = "value"
        return kind

    def check_side(
        self, chain: _Chain, side: Side, text: str, outcome: _Outcome, first: bool
    ) -> bool:
        """Check one side against its chain; True when it is a value at a point."""
        in_names = self.side_in_names(side)
        expression = self.expand(in_names)
        marks = len(side.all_marks)
        point = chain.point
        if point is None and self.at_key is not None and chain.of is not None:
            if not (expression.free_symbols & {self.x}) and chain.target.has(self.x):
                point = self.exercise_at_point()
        if point is not None:
            self.check_value(chain, expression, text, point, marks, outcome)
            return True
        right, index = self.same(expression, chain.target)
        alternative = getattr(chain, "alternative", None)
        if not right and alternative is not None and chain.last is None:
            if self.same(expression, alternative[0])[0]:  # (e^u)' = e^u·u': d/dx after all
                chain.target, chain.of, right = alternative[0], alternative[1], True
                del chain.local  # type: ignore[attr-defined]
        if self.is_main(chain) and not marks:
            self.finals.append(_Final("formula", expression, text, None, self.line_number))
            self.main_formula = (expression, right)
        if right:
            verdict = "correct"
        elif (
            chain.last is not None and not chain.last_right and self.same(expression, chain.last)[0]
        ):
            verdict = "carried"
            outcome.worse("carried", "carried", Message("steps.carried", line=chain.last_line))
        else:
            verdict = "incorrect"
            self.diagnose(chain, side, in_names, expression, index, marks, first, outcome)
        chain.last, chain.last_marks = expression, marks
        chain.last_right = verdict == "correct"
        chain.last_line = self.line_number if verdict == "incorrect" else chain.last_line
        chain.last_terms = sympy.Add.make_args(expression)
        return False

    def is_main(self, chain: _Chain) -> bool:
        """The chain differentiates the function itself (order n: its derivative of order
        n − 1), so it ends in the final answer."""
        of = chain.of
        return of is not None and (of == self.main or self.same(of, self.main)[0])

    def exercise_at_point(self) -> Expr:
        prepared = self.cache.prepare(*self.at_key)  # type: ignore[misc]
        assert isinstance(prepared, Exercise) and prepared.at_value is not None
        return prepared.at_value

    def diagnose(
        self, chain: _Chain, side: Side, in_names: Expr, expression: Expr, index: int,
        marks: int, first: bool, outcome: _Outcome,
    ) -> None:  # fmt: skip
        """Name the mistake of a wrong side: a calculus one (the grader's typical mistakes
        of what is differentiated) or an algebra one (relative to the side before)."""
        local = getattr(chain, "local", None)
        previous_right = chain.last is not None and chain.last_right
        differentiates = chain.last is None or chain.last_marks > marks
        if local is not None and (chain.last is None or differentiates):
            self.local_mistake(local, in_names, expression, chain, outcome)
            return
        if chain.of is not None and (differentiates or not previous_right):
            found = self.grader_diagnosis(chain.of, expression, plain=chain.last is None)
            if found is not None:
                outcome.worse("incorrect", found[0], found[1])
                return
        if previous_right and not differentiates:
            self.algebra(chain.last, expression, chain.last_terms, outcome)  # type: ignore[arg-type]
            return
        before = number(float(self._values(chain.target)[index]))
        after = number(float(self._values(expression)[index]))
        derivatives = self.evaluated(side, chain)
        note = Message(
            "steps.derivative_step",
            derivatives=derivatives,
            point=self.sample_text(index),
            before=before,
            after=after,
        )
        outcome.worse("incorrect", "differentiation", note)

    def evaluated(self, side: Side, chain: _Chain) -> Message:
        """The derivatives this step had to evaluate, as ``(2x + 1)′ = 2`` (from the marks
        of the side before, or of what the chain differentiates)."""
        marks = getattr(chain, "previous_marks", ())
        shown = []
        for mark in marks[:4]:
            shown.append(self.mark_text(mark))
        if not shown and chain.of is not None:
            shown.append(
                Message(
                    "steps.derivative_of",
                    operand=f"({show(chain.of)})",
                    derivative=show(sympy.diff(chain.of, self.x)),
                )
            )
        if not shown:
            return Message("grading.text", text=show(chain.target))
        result = shown[-1]
        for item in reversed(shown[:-1]):
            result = Message("steps.list", first=item, rest=result)
        return result

    def mark_text(self, mark: Mark) -> Message:
        operand = mark.text.rstrip("'") if mark.kind != "leibniz" else mark.text
        return Message(
            "steps.derivative_of", operand=operand.strip(), derivative=show(self.mark_value(mark))
        )

    def grader_diagnosis(
        self, of: Expr, expression: Expr, plain: bool = False
    ) -> tuple[str, Message] | None:
        """The grader's diagnosis of ``expression`` as the derivative of ``of``; with
        ``plain``, also its message when it names no typical mistake (a first side)."""
        exercise = self.exercise if of == self.function else self.sub_exercise(of, self.x)
        if exercise is None:
            return None
        verdict, diagnosis, message, _ = _grade_formula(exercise, expression)
        if verdict == "incorrect" and (diagnosis is not None or plain):
            return diagnosis or "differentiation", message
        return None

    def sub_exercise(self, of: Expr, var: Symbol) -> Exercise | None:
        prepared = self.cache.prepare(*exercise_key(show(of), var.name, None))
        return prepared if isinstance(prepared, Exercise) else None

    def local_mistake(
        self, local: tuple[Expr, Symbol], in_names: Expr, expression: Expr, chain: _Chain,
        outcome: _Outcome,
    ) -> None:  # fmt: skip
        """A wrong local derivative dy/du: diagnosed as the derivative of y's definition in
        u (y = u³: 3u instead of 3u² is the power not reduced), else shown as it should be."""
        name, wrt = local
        definition = self.defs[name] if isinstance(name, Symbol) and name in self.defs else name
        in_wrt = self.in_terms_of(definition, wrt)
        expected = sympy.diff(in_wrt, wrt)
        got = self.in_terms_of(in_names, wrt)
        label = name.name if isinstance(name, Symbol) else f"({show(name)})"
        params = {"name": label, "wrt": wrt.name, "definition": show(in_wrt)}
        if self.x not in in_wrt.free_symbols and self.x not in got.free_symbols:
            exercise = self.sub_exercise(in_wrt, wrt)
            if exercise is not None:
                verdict, diagnosis, message, _ = _grade_formula(exercise, got)
                if verdict == "incorrect" and diagnosis is not None:
                    note = Message("steps.local_rule", reason=message, **params)
                    outcome.worse("incorrect", diagnosis, note)
                    return
        note = Message("steps.local_wrong", expected=show(expected), got=show(got), **params)
        outcome.worse("incorrect", "local-derivative", note)

    def algebra(
        self, before: Expr, after: Expr, terms: tuple[Expr, ...], outcome: _Outcome
    ) -> None:
        """An algebra step that changed the value: a dropped term, a term's sign, or else
        the values at the most telling point."""
        terms = terms or sympy.Add.make_args(before)
        if len(terms) > 1:
            for term in terms:
                if self.same(after, before - term)[0]:
                    note = Message("steps.dropped_term", term=show(term))
                    outcome.worse("incorrect", "algebra", note)
                    return
                if self.same(after, before - 2 * term)[0]:
                    outcome.worse(
                        "incorrect", "algebra", Message("steps.term_sign", term=show(term))
                    )
                    return
        _, index = self.same(after, before)
        note = Message(
            "steps.algebra",
            point=self.sample_text(index),
            before=number(float(self._values(before)[index])),
            after=number(float(self._values(after)[index])),
        )
        outcome.worse("incorrect", "algebra", note)

    # ---- values ----

    def check_value(
        self, chain: _Chain, expression: Expr, text: str, point: Expr, marks: int,
        outcome: _Outcome,
    ) -> None:  # fmt: skip
        got = self.at_point(expression, point)
        want = self.at_point(chain.target, point)
        is_main = self.is_main(chain)
        right = _compare_numbers(got, want) == "equal"
        note = None
        if is_main and not got.free_symbols:
            exercise = self.cache.prepare(
                *exercise_key(self.exercise.key[0], self.x.name, show(point), self.order)
            )
            if isinstance(exercise, Exercise):
                verdict, diagnosis, note, _ = _grade_number(exercise, got, text, self.precision)
                right = verdict == "correct"
                if not right and diagnosis is not None:
                    outcome.worse("incorrect", diagnosis, note)
                if not right and note.key in ("grading.wrong_rounding", "grading.too_few_digits"):
                    outcome.worse("incorrect", "rounding", note)
                self.finals.append(_Final("value", got, text, point, self.line_number))
        if right:
            verdict = "correct"
        elif (
            chain.last is not None
            and not chain.last_right
            and _compare_numbers(got, self.at_point(chain.last, point)) == "equal"
        ):
            verdict = "carried"
            outcome.worse("carried", "carried", Message("steps.carried", line=chain.last_line))
        else:
            verdict = "incorrect"
            shown_got, shown_want = _number_text(got), _number_text(want)
            formula = self.main_formula if chain.last is None and is_main else None
            if formula is not None and formula[1]:  # a right formula, evaluated wrongly
                before = _number_text(self.at_point(formula[0], point))
                note = Message("steps.arithmetic", before=before, after=shown_got)
                outcome.worse("incorrect", "arithmetic", note)
            elif chain.last is not None and chain.last_right and chain.last_marks <= marks:
                before = _number_text(self.at_point(chain.last, point))
                note = Message("steps.arithmetic", before=before, after=shown_got)
                outcome.worse("incorrect", "arithmetic", note)
            else:
                note = Message(
                    "steps.wrong_value",
                    point=self.point_text(point),
                    got=shown_got,
                    want=shown_want,
                )
                outcome.worse("incorrect", "differentiation", note)
        chain.last, chain.last_marks = self.at_point(expression, point), marks
        chain.last_right = verdict == "correct"
        chain.last_line = self.line_number if verdict == "incorrect" else chain.last_line

    # ---- the final answer ----

    def final(self, lines: list[StepLine]) -> tuple[str, str | None, Message]:
        """The grade of the final answer, as check_answer gives it."""
        last = next((line for line in reversed(lines) if line.kind != "prose"), None)
        if last is not None and last.verdict in ("unparseable", "error") and last.note:
            verdict = "unparseable" if last.verdict == "unparseable" else "error"
            return verdict, None, Message("steps.final_unreadable", reason=last.note)
        if last is not None and last.wrong and all(f.line != last.number for f in self.finals):
            return last.verdict, last.diagnosis, last.note or Message("steps.no_answer")
        if self.at_key is not None:
            point = self.exercise_at_point()
            for found in reversed(self.finals):
                if found.kind == "value" and _compare_numbers(found.point, point) == "equal":
                    exercise = self.cache.prepare(*self.at_key)
                    assert isinstance(exercise, Exercise)
                    verdict, diagnosis, note, _ = _grade_number(
                        exercise, found.expression, found.text, self.precision
                    )
                    return verdict, diagnosis, note
            formulas = [f for f in self.finals if f.kind == "formula"]
            if formulas:
                point_text = self.point_text(point)
                note = Message("grading.formula_not_value", point=point_text, var=self.x.name)
                return "incorrect", None, note
            return "incorrect", None, Message("steps.no_value", point=self.point_text(point))
        formulas = [f for f in self.finals if f.kind == "formula"]
        if not formulas:
            return "incorrect", None, Message("steps.no_answer")
        verdict, diagnosis, note, _ = _grade_formula(self.asked, formulas[-1].expression)
        return verdict, diagnosis, note


def _number_text(value: Expr) -> str:
    if value.is_Rational:
        return show(value)
    exact = exact_number(value)
    return number(exact.real) if exact is not None else show(value)


# --------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------


def check_steps(
    function: str,
    text: str | None,
    var: str | None = None,
    at: object = None,
    lang: str = "en",
    *,
    cache: ExerciseCache | None = None,
    digits: int | str | None = None,
    tolerance: float | str | None = None,
    line_time_limit: float | None = LINE_TIME_LIMIT,
    order: int = 1,
) -> StepsResult:
    r"""Check a worked solution of the derivative of ``function`` line by line.

    ``text`` holds the lines (new lines or ``;``); ``var``, ``at`` and ``order`` are those of
    :func:`~derivcheck.grading.grade.check_answer` (with ``at`` the final answer is the
    derivative's value there, with its rounding policy: ``digits``, ``tolerance``; with
    ``order`` n, the final answer is f⁽ⁿ⁾, and ``y″ = …`` lines are checked as (y′)′).
    Never raises on a bad solution: a line that cannot be read gets its own verdict,
    and work is bounded (:data:`~derivcheck.grading.steps_reading.MAX_CHARS` characters,
    :data:`~derivcheck.grading.steps_reading.MAX_LINES` lines, ``line_time_limit`` seconds
    a line, :data:`TOTAL_TIME_LIMIT` in all).

    >>> r = check_steps("x^2 sin x", "by the product rule\ny' = (x^2)' sin x + x^2 (sin x)'\n"
    ...                 "= 2x sin x + x^2 cos x")
    >>> r.verdict, r.first_error, [line.verdict for line in r.lines]
    ('correct', None, ['skipped', 'correct', 'correct'])
    >>> r = check_steps("(2x+1)^3", "u = 2x + 1; y = u^3; dy/du = 3u^3; dy/dx = 6(2x+1)^2")
    >>> r.first_error, r.lines[2].diagnosis
    (3, 'power-not-reduced')
    """
    lang = check_language(lang)
    key = exercise_key(function, var, at)
    cache = EXERCISES if cache is None else cache
    text = "" if text is None else str(text)
    base = {"function": key[0], "text": text, "var": key[1], "at": key[2], "lang": lang}

    def result(verdict: str, diagnosis: str | None, note: Message, lines: list[StepLine]):
        made = tuple(replace(line, lang=lang) for line in lines)
        return StepsResult(verdict=verdict, diagnosis=diagnosis, note=note, lines=made, **base)

    exercise = cache.prepare(key[0], key[1], None)
    if not isinstance(exercise, Exercise):
        note = Message("grading.bad_function", reason=exercise.message)
        return result("error", None, note, [])
    base["var"] = exercise.var.name
    asked = exercise if order == 1 else cache.prepare(key[0], key[1], None, order)
    if not isinstance(asked, Exercise):
        return result("error", None, Message("grading.bad_function", reason=asked.message), [])
    at_key = None
    if key[2] is not None:
        at_key = exercise_key(key[0], key[1], key[2], order)
        prepared = cache.prepare(*at_key)
        if not isinstance(prepared, Exercise):
            return result(
                "error", None, Message("grading.bad_function", reason=prepared.message), []
            )
    precision = _precision(digits, tolerance)
    if isinstance(precision, Message):
        return result("error", None, precision, [])
    if len(text) > MAX_CHARS:  # refused before it is even split
        note = Message("steps.too_long", size=len(text), limit=MAX_CHARS)
        line = StepLine(1, text[:80] + "…", "equality", "error", None, note)
        return result("error", None, note, [line])
    numbered = split_lines(text)
    if not numbered:
        return result("unparseable", None, Message("grading.empty"), [])
    checker = _Checker(exercise, at_key, cache, precision, asked)
    lines: list[StepLine] = []
    started = time.process_time()
    for number_, line_text in numbered[:MAX_LINES]:
        if time.process_time() - started > TOTAL_TIME_LIMIT:
            seconds = number(TOTAL_TIME_LIMIT)
            note = Message("steps.out_of_time", seconds=seconds)
            lines.append(StepLine(number_, line_text, "equality", "error", None, note))
            continue
        lines.append(_checked(checker, number_, line_text, line_time_limit))
    if len(numbered) > MAX_LINES:
        first, last = MAX_LINES + 1, len(numbered)
        note = Message("steps.too_many_lines", first=first, last=last, limit=MAX_LINES)
        lines.append(StepLine(first, numbered[MAX_LINES][1], "equality", "error", None, note))
        return result("error", None, note, lines)
    try:
        with time_limit(line_time_limit, "grading the answer"):
            verdict, diagnosis, note = checker.final(lines)
    except (LimitError, DerivcheckError, RecursionError, _LineProblem) as error:
        reason = _reason(error, line_time_limit)
        verdict, diagnosis, note = "error", None, Message("grading.failed", reason=reason)
    return result(verdict, diagnosis, note, lines)


def _checked(checker: _Checker, number_: int, text: str, seconds: float | None) -> StepLine:
    """One line checked, its problems (time, depth, anything) kept as its own verdict."""
    if len(text) > MAX_LINE_CHARS:
        note = Message("steps.line_too_long", size=len(text), limit=MAX_LINE_CHARS)
        return StepLine(number_, text[:80] + "…", "equality", "error", None, note)
    try:
        with time_limit(seconds, "grading the answer"):
            return checker.check_line(number_, text)
    except LimitError:
        note = Message("steps.line_timeout", seconds=number(seconds or 0))
    except (DerivcheckError, RecursionError) as error:
        note = Message("steps.failed", reason=_reason(error, seconds))
    except Exception as error:  # noqa: BLE001 - a line's failure is its own, never the batch's
        note = Message(
            "steps.failed", reason=Message("grading.internal", error=type(error).__name__)
        )
    checker.chain = None
    return StepLine(number_, text, "equality", "error", None, note)


def _reason(error: BaseException, seconds: float | None) -> Message:
    if isinstance(error, LimitError):
        return Message("grading.timeout", seconds=number(seconds or 0))
    if isinstance(error, RecursionError):
        return Message("grading.too_deep")
    if isinstance(error, _LineProblem):
        return error.note
    if isinstance(error, DerivcheckError):
        return error.message
    return Message("grading.internal", error=type(error).__name__)
