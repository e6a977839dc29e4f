"""Run a case through derivcheck and hold what it says against the reference.

:func:`check_explain` calls ``derivcheck.explain(case.text, case.given)`` and compares
with :func:`tests.differential.reference.decide` on the case's own SymPy expression;
:func:`check_answers` grades the true derivative written several ways and typical wrong
answers with ``derivcheck.check_answer``. Each finding is a :class:`Finding` whose
``kind`` is one of :data:`FAILURES` (a bug) or :data:`NOTES` (worth counting, not a wrong
statement: derivcheck refused with a DerivcheckError, or could not check numerically).

>>> from tests.differential.generator import Fn, X, Case
>>> import sympy
>>> node = Fn("sin", "sin", (X(),))
>>> c = Case(0, 0, "inside", "int", node, node.text(), 1, sympy.Integer(1))
>>> check_explain(c).findings
()
"""

from __future__ import annotations

import math
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy

from tests.differential.generator import Case, Node, show, x
from tests.differential.reference import Truth, Undefined, decide, evaluate

__all__ = [
    "FAILURES",
    "NOTES",
    "Finding",
    "Result",
    "truth_of",
    "check_explain",
    "check_answers",
    "answers_for",
    "last_frame",
]

#: Kinds of findings that are bugs.
FAILURES = (
    "exception",
    "wrong value",
    "false disagree",
    "wrong differentiable",
    "wrong verdict",
    "slow",
)
#: Kinds that are counted but are not wrong statements.
NOTES = ("refused", "unverified", "reference undecided", "exercise refused")

#: Relative tolerance of an exact value.
EXACT = 1e-12
#: CPU seconds a call may take.
CPU_LIMIT = 2.0


@dataclass(frozen=True)
class Finding:
    kind: str
    what: str  # the call, to reproduce it
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.what}: {self.detail}"


@dataclass
class Result:
    case: Case
    truth: Truth | None = None
    findings: tuple[Finding, ...] = ()
    seconds: float = 0.0  # CPU seconds inside derivcheck
    reference_seconds: float = 0.0  # CPU seconds of the reference (sympy.diff + mpmath)
    answers: int = 0
    notes: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.findings)


def last_frame(error: BaseException) -> str:
    """Where an exception was raised: ``file:line in function``."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    short = frame.filename.split("site-packages/")[-1].split("/work/")[-1]
    return f"{short}:{frame.lineno} in {frame.name}"


def timed_out(error: BaseException) -> bool:
    """The call ran into its time limit (on a loaded machine the wall-clock backstop may stop
    it before 2 s of CPU time): not an answer in bounded time, whatever the CPU clock says."""
    message = getattr(error, "message", None)
    return getattr(message, "key", None) == "limits.took_too_long"


#: CPU seconds the reference may take on one case: past them the case is "reference
#: undecided" (a tiny point's jump test at 5× of 700 digits ran for over 13 minutes).
REFERENCE_SECONDS = 60.0


def truth_of(case: Case) -> Truth:
    """The reference's verdict at the case's point (see :func:`decide`), within
    :data:`REFERENCE_SECONDS` of CPU time (derivcheck's own limit raises LimitError)."""
    from derivcheck.limits import time_limit

    with time_limit(REFERENCE_SECONDS, "the differential reference"):
        return decide(case.reference, x, case.point, resolution=resolution_of(case))


def resolution_of(case: Case) -> float | None:
    """The float resolution the policy gives the case's point: a float with a fractional
    part may stand for a number between floats (1/3, π/4); a whole float is that whole
    number, as derivcheck reads it (-33540800.0 is -33540800, where cot(x²) has a value:
    its pole 1.3e-9 away is no reason to call it undefined, case 2026:147229)."""
    given = case.given
    if isinstance(given, float) and given.is_integer():
        return None
    return case.resolution


_FLOAT_MAX = mpmath.mpf(sys.float_info.max)


def _close(a: float, b: mpmath.mpf, rel: float, absolute: float = 1e-300) -> bool:
    if math.isinf(a) and (not mpmath.isfinite(b) or abs(b) > _FLOAT_MAX):
        return (a > 0) == (b > 0)  # beyond float range, a float rounds to ±inf
    if not math.isfinite(a):
        return False
    return abs(mpmath.mpf(a) - b) <= rel * abs(b) + absolute


def _fmt(value: Any) -> str:
    if isinstance(value, mpmath.mpf):
        return mpmath.nstr(value, 17)
    return repr(value)


def check_explain(case: Case, seconds: float | None = None) -> Result:
    """Explain the case and compare with the truth; every disagreement is a Finding."""
    from derivcheck import DerivcheckError, explain

    result = Result(case)
    what = case.describe()
    start = time.process_time()
    try:
        truth = truth_of(case)
    except Exception as error:  # noqa: BLE001 - the reference's own failure, counted apart
        result.reference_seconds = time.process_time() - start
        result.notes.append(Finding("reference undecided", what, repr(error)[:300]))
        return result
    result.reference_seconds = time.process_time() - start
    result.truth = truth
    findings: list[Finding] = []
    start = time.process_time()
    try:
        kwargs = {} if seconds is None else {"seconds": seconds}
        e = explain(case.text, case.given, **kwargs)
    except DerivcheckError as error:
        result.seconds = time.process_time() - start
        result.notes.append(Finding("refused", what, f"{type(error).__name__}: {error}"))
        if result.seconds > CPU_LIMIT or timed_out(error):
            findings.append(Finding("slow", what, f"{result.seconds:.1f} s CPU, then {error}"))
        result.findings = tuple(findings)
        return result
    except Exception as error:  # noqa: BLE001 - any other exception is the bug we look for
        result.seconds = time.process_time() - start
        detail = f"{type(error).__name__}: {str(error)[:200]} at {last_frame(error)}"
        result.findings = (Finding("exception", what, detail),)
        return result
    result.seconds = time.process_time() - start
    if result.seconds > CPU_LIMIT:
        findings.append(Finding("slow", what, f"{result.seconds:.1f} s CPU"))
    try:
        findings += _compare(e, truth, what, _slope_at_the_float(case, truth))
    except Exception as error:  # noqa: BLE001 - reading the result crashed
        detail = f"reading the result: {type(error).__name__}: {error} at {last_frame(error)}"
        findings.append(Finding("exception", what, detail))
    result.findings = tuple(f for f in findings if f.kind in FAILURES)
    result.notes += [f for f in findings if f.kind in NOTES]
    return result


def _slope_at_the_float(case: Case, truth: Truth) -> mpmath.mpf | None:
    """f′ at the float itself (sympy.diff's formula, 50 digits) where the reference moved to
    a break within float resolution and found f smooth there: f′ at the float and at the
    break are then both f′ (cos|x² - 36/49| at 0.8571428571428571 is smooth, with f′ =
    1.26e-16 at the float and 0 at 6/7; case 2026:17010); None otherwise."""
    if not (truth.moved and truth.kind == "smooth"):
        return None
    try:
        with mpmath.workdps(50):
            return evaluate(sympy.diff(case.reference, x), x, case.point, exact=case.point)
    except (Undefined, ArithmeticError, ValueError, TypeError):
        return None


def _compare(e, truth: Truth, what: str, at_float: mpmath.mpf | None = None) -> list[Finding]:
    """The findings of explain's result ``e`` beside the truth; ``at_float``: f′ at the float
    itself, as right as f′ at the break the truth moved to (:func:`_slope_at_the_float`)."""
    found: list[Finding] = []
    where = f" (decided at the break {_fmt(truth.point)})" if truth.moved else ""
    if e.differentiable != truth.differentiable:
        said = "differentiable" if e.differentiable else f"not differentiable ({e.reason})"
        want = truth.kind
        if truth.kind == "kink":
            want += f", one-sided derivatives {_fmt(truth.left)} and {_fmt(truth.right)}"
        if truth.kind == "smooth":
            want += f", f' = {_fmt(truth.value)}"
        found.append(Finding("wrong differentiable", what, f"says {said}; truth: {want}{where}"))
        return found
    if truth.function is not None and e.graph.steps:
        value = e.graph.steps[-1].value
        slack = 0.0
        if truth.moved:
            slack = (
                4
                * float(abs(truth.point))
                * 1e-15
                * float(max(abs(truth.left or 0), abs(truth.right or 0), 1))
            )
        wanted = [truth.function] + [truth.given_function] * (truth.given_function is not None)
        if truth.moved and truth.kind in ("edge", "undefined"):
            # moved onto an edge of the domain or a pole: f there is its limit from the
            # defined side where it has one (asin at -1; ln at its zero has none), and f at
            # the float itself is right too
            candidates = (truth.given_function, truth.function if truth.kind == "edge" else None)
            wanted = [v for v in candidates if v is not None]
            if not wanted and value is not None and math.isfinite(value):
                found.append(Finding("wrong value", what, f"f = {value!r}, truth: undefined"))
            if truth.given_function is None and (value is None or not math.isfinite(value)):
                wanted = []  # no value at the float itself, where f is undefined: right too
        if (
            value is not None
            and wanted
            and not any(_close(value, w, EXACT, 1e-300 + slack) for w in wanted)
        ):
            found.append(
                Finding("wrong value", what, f"f = {value!r}, truth {_fmt(truth.function)}")
            )
    if truth.kind == "smooth":
        if not _close(e.value, truth.value, EXACT) and not (
            at_float is not None and _close(e.value, at_float, EXACT)
        ):
            detail = f"value {e.value!r}, truth {_fmt(truth.value)}{where}"
            found.append(Finding("wrong value", what, detail))
            return found
        if not e.agrees:
            v = e.variable
            verdict = e.verdicts.get(v)
            numeric = e.numerics.get(v)
            if verdict is not None:
                found.append(Finding("false disagree", what, f"{verdict}; numeric {numeric}"))
            else:
                found.append(Finding("unverified", what, f"numeric {numeric}"))
    elif truth.kind == "kink":
        sides = e.one_sided.get(e.variable)
        if sides is not None and not sides.exact:  # estimates, said to be: not exact values
            found.append(Finding("unverified", what, "one-sided slopes from differences only"))
        elif sides is not None:
            for name, got, want in (("left", sides.left, truth.left),
                                    ("right", sides.right, truth.right)):  # fmt: skip
                if not _close(got, want, 1e-9, 1e-12):
                    detail = f"{name} derivative {got!r}, truth {_fmt(want)}{where}"
                    found.append(Finding("wrong value", what, detail))
            if not found and not sides.agrees:
                verdicts = (sides.left_verdict, sides.right_verdict)
                kind = "false disagree" if all(v is not None for v in verdicts) else "unverified"
                found.append(Finding(kind, what, f"one-sided checks: {verdicts}"))
    return found


# --------------------------------------------------------------------------------------
# check_answer
# --------------------------------------------------------------------------------------

_PYTHON_ERROR = re.compile(
    r"\b(?!Derivcheck|Parse|Evaluation|Limit)[A-Z][A-Za-z]*(Error|Exception|Iteration)\b"
)


@dataclass(frozen=True)
class Answer:
    text: str
    correct: bool
    how: str  # how it was written, or which mistake


def _sample_points(rng_seed: int, count: int = 40) -> list[sympy.Rational]:
    import random

    r = random.Random(rng_seed)
    points = []
    for _ in range(count):
        scale = r.choice((1, 3, 3, 10, 30, 200))
        points.append(sympy.Rational(r.randint(-1000 * scale, 1000 * scale), 1000))
    return points


def _values(expression: sympy.Expr, points) -> list[mpmath.mpf | None]:
    values = []
    with mpmath.workdps(40):
        for p in points:
            try:
                values.append(evaluate(expression, x, p, exact=p))
            except (Undefined, ArithmeticError, ValueError, TypeError):
                values.append(None)
    return values


def _slopes(typed: sympy.Expr, points) -> list[mpmath.mpf | None]:
    """f′ at each point from f alone, as typed (real odd roots, nothing merged): forward
    and backward difference quotients with a step of 10⁻²⁵ at 70 digits, kept where they
    agree to 10⁻¹⁰ (None elsewhere: a break, the edge of the domain, no value). sympy.diff
    works on SymPy's simplified tree, where (x^(2/3))^(3/2) is x, principal roots; as typed
    it is |x|, and e^x is no derivative of e^|x| left of 0 (differential case 2026:8280)."""
    slopes: list[mpmath.mpf | None] = []
    with mpmath.workdps(70):
        step = mpmath.mpf(10) ** -25
        for p in points:
            try:
                centre = mpmath.mpf(int(p.p)) / int(p.q)
                here = evaluate(typed, x, centre, exact=p)
                forward = (evaluate(typed, x, centre + step) - here) / step
                backward = (here - evaluate(typed, x, centre - step)) / step
            except (Undefined, ArithmeticError, ValueError, TypeError):
                slopes.append(None)
                continue
            size = max(abs(forward), abs(backward), mpmath.mpf(1))
            slopes.append(
                (forward + backward) / 2 if abs(forward - backward) <= 1e-10 * size else None
            )
    return slopes


def _near(a: list, b: list) -> bool:
    """True when a right answer's values equal the slopes (to 10⁻¹⁰) at three points or more,
    at every point where both have one, and it has a value wherever f′ has one: sympy.diff's
    ((3 + x)^(5/3))^(-1/2) is not real left of -3, where f′ of |x + 3|^(-5/6) is (case
    2026:25300)."""
    if any(u is None and v is not None for u, v in zip(a, b)):
        return False
    shared = [(u, v) for u, v in zip(a, b) if u is not None and v is not None]
    return len(shared) >= 3 and all(
        abs(u - v) <= 1e-10 * max(abs(u), abs(v), mpmath.mpf(1)) for u, v in shared
    )


def _differs(a: list, b: list) -> bool:
    """True when a wrong answer differs from the derivative at some common point."""
    for u, v in zip(a, b):
        if u is None or v is None:
            continue
        if abs(u - v) > 1e-6 * max(abs(u), abs(v), mpmath.mpf(1e-10)):
            return True
    return False


def _same(a: list, b: list) -> bool:
    shared = [(u, v) for u, v in zip(a, b) if u is not None and v is not None]
    return len(shared) >= 3 and all(
        abs(u - v) <= 1e-20 * max(abs(u), abs(v), mpmath.mpf(1)) for u, v in shared
    )


def answers_for(node: Node, seed: int = 0) -> list[Answer]:
    """The true derivative written several ways, and typical wrong answers, each checked
    against sympy.diff at random points (a wrong one must differ somewhere, a right one
    agree everywhere both are defined)."""
    from tests.differential.generator import Bin, Fn, Lit, Pow

    f = node.ref()
    derivative = sympy.diff(f, x)
    points = _sample_points(seed)
    truth = _values(derivative, points)
    with sympy.evaluate(False):
        typed = node.ref()
    slopes = _slopes(typed, points)
    right: list[tuple[str, str]] = []
    wrong: list[tuple[str, str]] = []

    def add(bucket, how: str, make) -> None:
        try:
            text = make()
        except (ValueError, TypeError, RecursionError):
            return
        if text is not None and len(text) < 4000:
            bucket.append((how, text))

    add(right, "sympy.diff", lambda: show(derivative))
    add(right, "chain rule", lambda: node.d().text())
    if sympy.count_ops(derivative) < 60:
        add(right, "expanded", lambda: show(sympy.expand(derivative)))
    add(wrong, "negated", lambda: show(-derivative))
    add(wrong, "doubled", lambda: show(2 * derivative))
    add(wrong, "plus one", lambda: show(derivative + 1))
    add(wrong, "not differentiated", lambda: node.text())
    if isinstance(node, Fn) and node.outer_derivative() is not None:
        add(wrong, "inner derivative missing", lambda: node.outer_derivative().text())
    if isinstance(node, Bin) and node.op == "*":
        add(wrong, "product rule u'v'", lambda: Bin("*", node.a.d(), node.b.d()).text())
    if isinstance(node, Bin) and node.op == "/":
        swapped = Bin(
            "/", Bin("-", Bin("*", node.a, node.b.d()), Bin("*", node.a.d(), node.b)),
            Pow(node.b, sympy.Integer(2)),
        )  # fmt: skip
        add(wrong, "quotient rule swapped", lambda: swapped.text())
    if isinstance(node, Pow) and node.exponent not in (0, 1):
        q = node.exponent
        unreduced = Bin("*", Bin("*", Lit.number(q), Pow(node.base, q)), node.base.d())
        add(wrong, "power not reduced", lambda: unreduced.text())
    answers: list[Answer] = []
    for how, text in right:
        answers.append(Answer(text, True, how))
    for how, text in wrong:
        answers.append(Answer(text, False, how))
    checked = []
    for answer in answers:
        reference = _answer_reference(answer, node, derivative)
        if reference is None:
            continue
        values = _values(reference, points)
        if answer.correct and _same(values, truth) and _near(values, slopes):
            checked.append(answer)
        elif not answer.correct and _differs(values, truth) and _differs(values, slopes):
            checked.append(answer)
    return checked


def _answer_reference(answer: Answer, node: Node, derivative: sympy.Expr) -> sympy.Expr | None:
    """The SymPy expression an answer text was printed from (to check it independently)."""
    from tests.differential.generator import Bin, Fn, Lit, Pow

    how = answer.how
    if how in ("sympy.diff", "expanded"):
        return derivative
    if how == "chain rule":
        return node.d().ref()
    if how == "negated":
        return -derivative
    if how == "doubled":
        return 2 * derivative
    if how == "plus one":
        return derivative + 1
    if how == "not differentiated":
        return node.ref()
    if how == "inner derivative missing" and isinstance(node, Fn):
        return node.outer_derivative().ref()
    if how == "product rule u'v'" and isinstance(node, Bin):
        return (node.a.d().ref()) * (node.b.d().ref())
    if how == "quotient rule swapped" and isinstance(node, Bin):
        a, b = node.a.ref(), node.b.ref()
        return (a * node.b.d().ref() - node.a.d().ref() * b) / b**2
    if how == "power not reduced" and isinstance(node, Pow):
        q = node.exponent
        return Bin("*", Bin("*", Lit.number(q), Pow(node.base, q)), node.base.d()).ref()
    return None


def check_answers(case: Case, seed: int = 0) -> Result:
    """Grade the case function's answers (see :func:`answers_for`) with check_answer."""
    from derivcheck import check_answer

    result = Result(case)
    findings: list[Finding] = []
    try:
        answers = answers_for(case.node, seed)
    except Exception as error:  # noqa: BLE001 - the reference's own failure, counted apart
        # (an ITE condition in a Piecewise stopped a 10^5-case run after 10,000 cases)
        result.notes.append(Finding("reference undecided", repr(case.text), repr(error)[:300]))
        return result
    result.answers = len(answers)
    for answer in answers:
        what = f"check_answer({case.text!r}, {answer.text!r})  # {answer.how}"
        start = time.process_time()
        try:
            r = check_answer(case.text, answer.text)
        except Exception as error:  # noqa: BLE001 - check_answer must never raise
            detail = f"{type(error).__name__}: {error} at {last_frame(error)}"
            findings.append(Finding("exception", what, detail))
            continue
        finally:
            result.seconds += time.process_time() - start
        want = "correct" if answer.correct else "incorrect"
        if r.verdict == want:
            continue
        if r.verdict == "error" and _PYTHON_ERROR.search(r.message):
            findings.append(Finding("exception", what, f"verdict error: {r.message}"))
        elif r.verdict == "error" and r.message.startswith("The exercise cannot be graded"):
            result.notes.append(Finding("exercise refused", what, r.message))
            break
        else:
            findings.append(Finding("wrong verdict", what, f"{r.verdict}: {r.message}"))
    result.findings = tuple(findings)
    return result
