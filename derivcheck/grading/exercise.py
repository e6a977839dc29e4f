"""Preparing an exercise: its parse, derivative, sample points, target values and candidates.

Everything that depends on the exercise alone (function, variable, point) is computed
once and kept in an :class:`ExerciseCache`; the answers to it then cost only their own
parse and evaluation. A prepared :class:`Exercise` is immutable (its arrays are
read-only), so it can be shared by every answer, thread and forked worker.

>>> cache = ExerciseCache(maxsize=8)
>>> exercise = cache.prepare("(2x+1)^3", None, "1")
>>> exercise.expected_text, exercise.expected_value, len(cache)
('6(2x + 1)^2', 54, 1)
>>> isinstance(cache.prepare("ln(x)", None, "0"), PreparationError)
True
>>> cache.clear(); len(cache)
0
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.domain import Restriction, hidden_restrictions
from derivcheck.calculus.graph import Graph, build_graph
from derivcheck.errors import DerivcheckError, LimitError, ParseError
from derivcheck.grading.candidates import Candidate, candidates
from derivcheck.grading.files import default_variable
from derivcheck.grading.numbers import is_rational_expression, real_number, values
from derivcheck.grading.sampling import SamplePoints, at_break, differences_agree, sample_points
from derivcheck.limits import time_limit
from derivcheck.reading.light import Points
from derivcheck.reading.order import noting_built
from derivcheck.reading.parser import parse, symbol
from derivcheck.render.printing import number, show

__all__ = [
    "Exercise",
    "ExerciseCache",
    "PreparationError",
    "EXERCISES",
    "PREPARE_TIME_LIMIT",
    "exercise_key",
    "reread",
]

#: Seconds preparing one exercise (derivative, sample points, candidates) may take.
PREPARE_TIME_LIMIT = 10.0

#: (function, var, at), and the order after them when it is above 1
ExerciseKey = tuple[Any, ...]


class PreparationError(DerivcheckError):
    """The exercise itself cannot be graded (its function, variable or point)."""


@dataclass(frozen=True)
class Exercise:
    """An exercise ready for its answers (see the module docstring); never changed once made.

    ``target`` is what an answer must equal: the derivative, or with ``at`` its exact value
    there; ``target_values`` its values at the sample ``points``. ``symbols`` are the
    sampled names (the variable unless ``at`` is given, and the other names of the
    function, which are constants). ``candidates`` are the typical wrong derivatives, most
    specific first (:mod:`derivcheck.grading.candidates`): computed when first asked for
    (only a wrong answer needs them), then kept.
    """

    key: ExerciseKey  # (function, var, at) as given
    function_text: str
    var: Symbol
    point: str | None  # "x = 1/2": the point as the exercise writes it
    function: Expr
    derivative: Expr
    expected_text: str
    names: tuple[str, ...]  # every name the function uses, and the variable
    symbols: tuple[Symbol, ...]
    points: SamplePoints
    target: Expr
    target_values: np.ndarray
    at_value: Expr | None = None
    expected_value: Expr | None = None
    expected_number: float | None = None
    #: False on a break (relu(x)² at 0): mistakes built from formulas are not trusted there
    has_candidates: bool = True
    #: The order asked for; above 1, ``function`` is the derivative of order − 1 (the answer
    #: is its derivative, so the candidates are the mistakes of that last differentiation)
    order: int = 1

    @cached_property
    def expected_value_text(self) -> str | None:
        """:attr:`expected_value` as a result shows it (once per exercise, not per answer)."""
        return None if self.expected_value is None else show(self.expected_value)

    @property
    def candidates_ready(self) -> bool:
        """True once :attr:`candidates` has been computed (asking for it is then free)."""
        return "candidates" in self.__dict__

    @cached_property
    def candidates(self) -> tuple[Candidate, ...]:
        """The typical wrong derivatives (none when they cannot be computed: a verdict
        never depends on them). Running out of time (:data:`PREPARE_TIME_LIMIT`, or an
        enclosing limit) raises and keeps nothing; :meth:`prepare_candidates` does not."""
        if not self.has_candidates:
            return ()
        try:
            with time_limit(PREPARE_TIME_LIMIT, "preparing the exercise"):
                return candidates(self.graph, self)
        except LimitError:
            raise
        except (DerivcheckError, RecursionError, ArithmeticError, TypeError, ValueError):
            return ()

    @cached_property
    def graph(self) -> Graph:
        """The function's chain-rule graph (the candidates' mistakes are built on it); kept
        from the preparation, not pickled (built again when asked for after that)."""
        return build_graph(self.function, checked=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("graph", None)  # its steps hold mapping proxies, which do not pickle
        return state

    def prepare_candidates(self) -> tuple[Candidate, ...]:
        """:attr:`candidates`, computed now if they are not yet; out of time, there are
        none (call it outside any other time limit, whose end it would take for its own)."""
        if not self.candidates_ready:
            try:
                found = self.candidates
            except LimitError:
                found = ()
            self.__dict__["candidates"] = found
        return self.candidates

    @property
    def size(self) -> int:
        return self.points.size

    @property
    def env(self) -> dict[Symbol, np.ndarray]:
        return self.points.env

    @property
    def exact_points(self) -> tuple[dict[Symbol, Expr], ...]:
        return self.points.exact

    @cached_property
    def target_is_rational(self) -> bool:
        """True when the target's value at a rational point is an exact rational."""
        return is_rational_expression(self.target)

    @cached_property
    def light_points(self) -> Points:
        """The sample points for light trees (:mod:`derivcheck.reading.light`), by name."""
        return Points({s.name: v for s, v in self.env.items()})

    @cached_property
    def target_exact(self) -> Fraction | None:
        """With a rational target: its exact value at the first sample point (else None)."""
        if not self.target_is_rational:
            return None
        value = self.target.xreplace(self.exact_points[0])
        return Fraction(int(value.p), int(value.q)) if value.is_Rational else None

    @property
    def single_value(self) -> bool:
        """True when the answer is one number at one point (``at`` and no parameters)."""
        return self.at_value is not None and not self.symbols

    def point_text(self, index: int) -> str:
        """The sample point ``index`` as text: ``x = 1.5`` (and the parameters' values)."""
        point = self.exact_points[index]
        shown = [self.point] if self.point is not None else []
        shown += [f"{show(s)} = {number(float(point[s]))}" for s in self.symbols]
        return ", ".join(shown)

    def values_of(self, expression: Expr) -> np.ndarray:
        """``expression`` (an answer or a candidate) at the sample points."""
        if self.at_value is not None:
            expression = expression.xreplace({self.var: self.at_value})
        return values(expression, self.env, self.size)


# --------------------------------------------------------------------------------------
# Reading the exercise
# --------------------------------------------------------------------------------------


def reread(text: str, plain: Expr, known: set[str]) -> Expr:
    """``plain`` when it uses only ``known`` names; else ``text`` read again with ``known``
    as the only names (``xe^x`` -> x·e^x) when that reading fits, else ``plain``."""
    if {s.name for s in plain.free_symbols} <= known:
        return plain
    try:
        again = parse(text, variables=known)
    except ParseError:
        return plain
    return again if {s.name for s in again.free_symbols} <= known else plain


def _parse_function(text: str, var: str | None) -> tuple[Expr, tuple[Restriction, ...]]:
    """Parse the exercise's function; glued ``xe^x`` reads as x·e^x when x is the variable.
    Second: the restrictions of the function as typed that SymPy simplified away
    (tanh(arccosh(u))⁻² is u²/((u − 1)(u + 1)), but needs u ≥ 1), for the sample points."""
    with noting_built() as built:
        plain = parse(text)
    single_letters = {s.name for s in plain.free_symbols if len(s.name) == 1}
    with noting_built() as again:
        function = reread(text, plain, ({var.strip()} if var else {"x"}) | single_letters)
    nodes = built if function is plain else again
    return function, hidden_restrictions(nodes, function)


def _pick_variable(function: Expr, var: str | None) -> Symbol:
    names = sorted(s.name for s in function.free_symbols)
    if var is not None:
        name = var.strip()
        if not re.fullmatch(r"[^\W\d]\w*", name):
            raise PreparationError("grading.variable_not_a_name", var=repr(var))
        return symbol(name)
    default = default_variable(names)
    if default is not None:
        return symbol(default)
    raise PreparationError("grading.several_names", names=", ".join(names))


def _parse_point(at: str, var: Symbol) -> tuple[Expr, str]:
    """The point's exact value, and ``x = …`` as written (``at`` may say ``x = 1/2``)."""
    text = re.sub(rf"^\s*{re.escape(var.name)}\s*=", "", at).strip()
    try:
        value = parse(text)
    except ParseError as error:
        raise PreparationError(
            "grading.point_unreadable", at=repr(at), reason=error.message
        ) from None
    if value.free_symbols or not value.is_real:
        raise PreparationError("grading.point_not_real", at=repr(at))
    if not math.isfinite(float(value)):
        raise PreparationError("grading.point_too_far", at=repr(at))
    return value, f"{var} = {text}"


def _build(function_text: str, var: str | None, at: str | None, order: int = 1) -> Exercise:
    function, hidden = _parse_function(function_text, var)
    x = _pick_variable(function, var)
    if x not in function.free_symbols and function.free_symbols:
        names = ", ".join(sorted(s.name for s in function.free_symbols))
        raise PreparationError("grading.lacks_variable", var=x.name, names=names)
    parameters = tuple(sorted(function.free_symbols - {x}, key=lambda s: s.name))
    names = tuple(sorted({s.name for s in function.free_symbols} | {x.name}))
    if order > 1:  # the answer is the derivative of the derivative of order - 1
        from derivcheck.calculus.orders import derivative_chain

        function = derivative_chain(function, (x,) * (order - 1), steps=False)[-1].expression
    # the rules' own symbolic checks are left for when the derivative does not agree with
    # the function's central differences at the sample points (below): a rule that is
    # wrong shows there, and its check then raises
    graph = build_graph(function, checked=False)
    derivative = graph.derivative(x) if x in function.free_symbols else sympy.S.Zero
    at_value, point = _parse_point(at, x) if at is not None else (None, None)
    symbols = parameters if at_value is not None else (x, *parameters)
    on_break = at_break(function, x, at_value) if at_value is not None and not symbols else None
    if on_break is not None:  # relu(x)^2 at 0: the slope from the one-sided ones, if equal
        if on_break.derivative is None:
            reason = on_break.message()
            raise PreparationError(
                "grading.not_differentiable_break",
                function=function_text,
                point=point,
                reason=reason,
            )
        points = SamplePoints({x: np.full(1, float(at_value))}, ({x: at_value},))
    else:
        points = sample_points(function, derivative, x, at_value, symbols, hidden)
        if points is None and at_value is None:
            # f′'s values may be only rounding everywhere: arctan(x) + arctan(1/x) has
            # f′ = 1/(x² + 1) - 1/(x²(1 + x⁻²)), which is 0 but 5.6e-17 in floating point;
            # SymPy's simplify says what it is
            simpler = sympy.simplify(derivative)
            if simpler != derivative:
                points = sample_points(function, simpler, x, at_value, symbols, hidden)
                derivative = simpler if points is not None else derivative
    if points is None and point is not None:
        raise PreparationError("grading.not_differentiable_at", function=function_text, point=point)
    if points is None:
        raise PreparationError("grading.no_points", function=function_text)
    if x in function.free_symbols and not differences_agree(function, derivative, x, points):
        graph = build_graph(function)  # every rule checked: StepCheckError if one is wrong
    target = derivative
    expected_value = expected_number = None
    if at_value is not None:
        expected_value = target = derivative.xreplace({x: at_value})
        if on_break is not None:
            expected_value = target = on_break.derivative
        if not parameters:
            expected_number = real_number(expected_value)
    target_values = values(target, points.env, points.size).copy()
    target_values.setflags(write=False)
    exercise = Exercise(
        key=(function_text, var, at) if order == 1 else (function_text, var, at, order),
        function_text=function_text,
        var=x,
        point=point,
        function=function,
        derivative=derivative,
        expected_text=show(derivative),
        names=names,
        symbols=symbols,
        points=points,
        target=target,
        target_values=target_values,
        at_value=at_value,
        expected_value=expected_value,
        expected_number=expected_number,
        has_candidates=on_break is None,  # mistakes built from formulas: not on a break
        order=order,
    )
    exercise.__dict__["graph"] = graph
    return exercise


def _prepare(
    function_text: str, var: str | None, at: str | None, order: int = 1
) -> Exercise | PreparationError:
    """The exercise, or why it cannot be graded (as the error, not raised)."""
    try:
        with time_limit(PREPARE_TIME_LIMIT, "preparing the exercise"):
            return _build(function_text, var, at, order)
    except PreparationError as error:
        return error.with_traceback(None)
    except ParseError as error:
        if error.position is None:
            return PreparationError("grading.function_unreadable_nowhere", reason=error.message)
        return PreparationError(
            "grading.function_unreadable", reason=error.message, column=error.position + 1
        )
    except DerivcheckError as error:
        return PreparationError(error.message)
    except RecursionError:
        return PreparationError("grading.function_unreadable_nowhere", reason="grading.too_deep")
    except Exception as error:  # noqa: BLE001 - any failure is this exercise's, not the batch's
        return PreparationError("grading.internal", error=type(error).__name__)


# --------------------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------------------


class Bounded:
    """A thread-safe mapping of at most ``maxsize`` entries; the least recently used goes
    first. For immutable values only (they are shared by every caller)."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


class ExerciseCache:
    """Prepared exercises by (function, var, at): at most ``maxsize``, least recently used
    dropped first. A failure is kept too (as its :class:`PreparationError`), so a broken
    exercise is diagnosed once. Thread-safe.

    ``answers`` keeps the grade of each distinct answer *expression* per exercise (at
    most ``answers_maxsize``): ``6(2x+1)^2``, ``6 (2x + 1)²`` and ``6*(2*x+1)**2`` are
    evaluated and diagnosed once. Entries are immutable, so sharing them (between answers,
    threads, forked processes) is safe; :meth:`clear` empties both (tests, long-running
    servers).

    **Between processes.** The cache is an explicit object: it pickles (as its settings,
    without its entries), so it can be handed to worker processes however they start
    (``spawn`` as on macOS and Windows, ``fork``, a Dask worker). With a ``directory`` (a
    private folder of the caller's: :func:`tempfile.mkdtemp`), every process that holds
    the cache shares what any of them prepared: a prepared exercise (with its candidate
    mistakes once computed, :meth:`keep`) is written there and read by the others instead
    of being prepared again. The folder only saves time; a process that cannot read it
    (another machine) prepares the exercise itself, with the same result.
    """

    def __init__(
        self,
        maxsize: int = 2048,
        answers_maxsize: int = 20_000,
        directory: str | os.PathLike[str] | None = None,
    ):
        self._entries = Bounded(maxsize)
        self.answers = Bounded(answers_maxsize)
        self.directory = None if directory is None else Path(directory)

    def __getstate__(self) -> dict[str, object]:
        return {
            "maxsize": self._entries.maxsize,
            "answers_maxsize": self.answers.maxsize,
            "directory": self.directory,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["maxsize"], state["answers_maxsize"], state["directory"])  # type: ignore[misc]

    @property
    def maxsize(self) -> int:
        return self._entries.maxsize

    @property
    def hits(self) -> int:
        return self._entries.hits

    def prepare(
        self, function_text: str, var: str | None = None, at: str | None = None, order: int = 1
    ) -> Exercise | PreparationError:
        """The prepared exercise (computed now unless cached), or why it cannot be graded;
        ``order`` above 1 asks for that derivative."""
        key = (function_text, var, at) if order == 1 else (function_text, var, at, order)
        found = self._entries.get(key)
        if found is None:
            found = self._read(key)
            if found is None:
                found = _prepare(function_text, var, at, order)
                if isinstance(found, Exercise):
                    self._write(found)
            self._entries.put(key, found)
        return found

    def keep(self, exercise: Exercise) -> None:
        """Share ``exercise`` as it is now (its candidates computed) through the directory."""
        if exercise.candidates_ready:
            self._write(exercise)

    def _file(self, key: ExerciseKey) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()
        return self.directory / f"{digest[:32]}.exercise"

    def _read(self, key: ExerciseKey) -> Exercise | None:
        path = self._file(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:  # a file this cache wrote, in its caller's private folder
            found = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a torn or foreign file: prepare again
            return None
        return found if isinstance(found, Exercise) and found.key == key else None

    def _write(self, exercise: Exercise) -> None:
        path = self._file(exercise.key)
        if path is None:
            return
        try:
            data = pickle.dumps(exercise, protocol=pickle.HIGHEST_PROTOCOL)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)  # readers see a whole file or none
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pass  # sharing only saves time

    def clear(self) -> None:
        """Forget every prepared exercise and every graded answer (in this process)."""
        self._entries.clear()
        self.answers.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


#: The cache :func:`~derivcheck.grading.grade.check_answer` uses unless given another.
EXERCISES = ExerciseCache()


def exercise_key(function: object, var: object, at: object, order: int = 1) -> ExerciseKey:
    """The cache key of an exercise: function, var and at as text (blank ``at`` is None),
    and the order when it is above 1."""
    function_text = as_text(function) or ""
    at_text = as_text(at)
    if at_text is not None and not at_text.strip():
        at_text = None
    var_text = var.strip() if isinstance(var, str) and var.strip() else None
    if order != 1:
        return function_text, var_text, at_text, order
    return function_text, var_text, at_text


def as_text(value: object) -> str | None:
    """A cell, number or SymPy expression as the text the parser reads (None stays None)."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, sympy.Basic):
        return show(value)
    return str(value)
