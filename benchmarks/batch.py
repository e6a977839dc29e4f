"""Benchmark: grade a generated class of answers with derivcheck and the naive SymPy way.

    python benchmarks/batch.py            # 20,000 answers to 200 exercises: jobs 1, 2, Dask
    python benchmarks/batch.py --jobs 1 --dask-workers 0 --naive-sample 300 --repeat 3

The generated file mixes correct answers (factored, expanded, rearranged; typed
as ASCII, with ^ and implicit products, Unicode superscripts, full-width
characters and LaTeX) with typical mistakes whose diagnosis is known by
construction, and a few unreadable answers. Every answer text is distinct, so
derivcheck's cache of identical answers never helps.

The truth of every generated answer is settled independently of derivcheck
when the file is generated: a correct form is equal to ``sympy.diff`` of the
function and a mistake differs from it, both checked with 30-digit arithmetic
at random points (and the construction says which rule the mistake breaks).

derivcheck grades the file as ``derivcheck check FILE --out report.csv`` in a fresh
process per run (cold caches; Python's start-up and imports, reading the file,
preparing the exercises, starting and waiting for the workers, writing the report
included); with ``--repeat N`` each configuration runs N times and the fastest is
shown, the others printed. The naive
grader (``parse_expr`` + ``simplify(a - b) == 0``, as SymPy-based graders do)
grades a random sample of the same answers in their Python spelling; it is
used here only, on text this script generated, never on user input and never in
the package.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sympy
from sympy import cos, exp, log, sin, sqrt, tan, tanh

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import describe  # noqa: E402

from derivcheck.calculus.functions import sigmoid  # noqa: E402

x = sympy.Symbol("x", real=True)


@dataclass
class Exercise:
    function: str  # as a teacher types it
    expression: sympy.Expr
    correct: list[sympy.Expr]  # equivalent forms of the derivative (besides diff, factor, expand)
    mistakes: list[tuple[sympy.Expr, str]]  # (wrong derivative, diagnosis)
    at: str | None = None


def _linear(a: int, b: int) -> str:
    """a·x + b as a teacher types it: 2x+1, 3x-2."""
    return f"{'' if a == 1 else a}x{b:+d}"


def _times(a: int) -> str:
    return "" if a == 1 else str(a)


def _exercises() -> list[Exercise]:
    """200 exercises: 25 families of the chapter's functions, each with 8 sets of coefficients.

    Each family says how its derivative may be written correctly and which classic mistakes
    a student makes, with the diagnosis each mistake is (by construction). Coefficients are
    chosen so that no two mistakes of an exercise coincide.
    """
    found: list[Exercise] = []
    for k in range(8):
        a = (2, 3, 4, 5, 2, 3, 4, 5)[k]
        b = (1, -1, 2, -3, 3, -2, 5, -5)[k]
        c = (1, 2, 3, 4, 5, 6, 7, 9)[k]
        n = (2, 3, 4, 5, 3, 4, 5, 2)[k] if a != 2 else 3 + k % 3
        m = (1, 2, 3, 1, 2, 3, 1, 2)[k]
        s = k + 2  # 2..9
        found += _family(k, a, b, c, n, m, s)
    return found


def _family(k: int, a: int, b: int, c: int, n: int, m: int, s: int) -> list[Exercise]:
    u = a * x + b
    p = (3, 1, 2, 4, 5, 6, 2, 3)[k]
    q = (2, 5, 7, 1, 3, 4, 9, 8)[k]
    d = (1, 2, 3, -1, -2, 4, 5, -3)[k]
    e = s - 1  # 1..8
    xm = x**m
    dxm = m * x ** (m - 1)
    mono = "x" if m == 1 else f"x^{m}"
    sig = sigmoid(s * x)
    point = (1, 2, 1, 2, 1, 2, 3, 1)[k]
    w = x**2 + c
    return [
        Exercise(
            f"({_linear(a, b)})^{n}",
            u**n,
            [n * a * u ** (n - 1), n * u ** (n - 1) * a],
            [
                (n * u ** (n - 1), "missing-inner-derivative"),
                (n * a * u**n, "power-not-reduced"),
                (-n * a * u ** (n - 1), "sign-error"),
                (2 * n * a * u ** (n - 1), "constant-factor"),
                (u**n, "not-differentiated"),
            ],
        ),
        Exercise(
            f"sin(exp({_times(e)}x^2))",
            sin(exp(e * x**2)),
            [2 * e * x * exp(e * x**2) * cos(exp(e * x**2))],
            [
                (cos(exp(e * x**2)), "missing-inner-derivative"),
                (cos(exp(e * x**2)) * exp(e * x**2), "missing-inner-derivative"),
                (cos(exp(e * x**2)) * 2 * e * x, "missing-inner-derivative"),
                (-2 * e * x * exp(e * x**2) * cos(exp(e * x**2)), "sign-error"),
            ],
        ),
        Exercise(
            f"{mono} sin({a}x)",
            xm * sin(a * x),
            [dxm * sin(a * x) + a * xm * cos(a * x)],
            [
                (a * dxm * cos(a * x), "product-rule"),
                (a * xm * cos(a * x), "product-rule"),
                (dxm * sin(a * x), "product-rule"),
                (dxm * sin(a * x) - a * xm * cos(a * x), "sign-error"),
                (dxm * sin(a * x) + xm * cos(a * x), "missing-inner-derivative"),
            ],
        ),
        Exercise(
            f"sin({s}x)/x",
            sin(s * x) / x,
            [(s * x * cos(s * x) - sin(s * x)) / x**2, s * cos(s * x) / x - sin(s * x) / x**2],
            [
                ((sin(s * x) - s * x * cos(s * x)) / x**2, "quotient-rule-sign"),
                ((s * x * cos(s * x) + sin(s * x)) / x**2, "quotient-rule-sign"),
                ((x * cos(s * x) - sin(s * x)) / x**2, "missing-inner-derivative"),
            ],
        ),
        Exercise(
            f"(x^2+{c})/(x{-d:+d})",
            w / (x - d),
            [(2 * x * (x - d) - w) / (x - d) ** 2, sympy.cancel(sympy.diff(w / (x - d), x))],
            [
                ((w - 2 * x * (x - d)) / (x - d) ** 2, "quotient-rule-sign"),
                ((2 * x * (x - d) + w) / (x - d) ** 2, "quotient-rule-sign"),
            ],
        ),
        Exercise(
            f"e^({(a if k < 4 else -a)}x)",
            exp((a if k < 4 else -a) * x),
            [(a if k < 4 else -a) * exp((a if k < 4 else -a) * x)],
            [
                (exp((a if k < 4 else -a) * x), "missing-inner-derivative"),
                (-(a if k < 4 else -a) * exp((a if k < 4 else -a) * x), "sign-error"),
            ],
        ),
        Exercise(
            f"ln(x^2+{c})",
            log(w),
            [2 * x / w, 2 * x * w**-1],
            [
                (1 / w, "missing-inner-derivative"),
                (-2 * x / w, "sign-error"),
                (x / w, "constant-factor"),
            ],
        ),
        Exercise(
            f"sqrt({c}+x^2)",
            sqrt(c + x**2),
            [x / sqrt(c + x**2), x * (c + x**2) ** sympy.Rational(-1, 2)],
            [
                (1 / (2 * sqrt(c + x**2)), "missing-inner-derivative"),
                (x * sqrt(c + x**2), "power-not-reduced"),
            ],
        ),
        Exercise(
            f"cos({_times(s)}x^2)",
            cos(s * x**2),
            [-2 * s * x * sin(s * x**2)],
            [
                (2 * s * x * sin(s * x**2), "sign-error"),
                (-sin(s * x**2), "missing-inner-derivative"),
                (-s * x * sin(s * x**2), "constant-factor"),
            ],
        ),
        Exercise(
            f"tan({s}x)",
            tan(s * x),
            [s / cos(s * x) ** 2, s + s * tan(s * x) ** 2],
            [
                (1 / cos(s * x) ** 2, "missing-inner-derivative"),
                (-s / cos(s * x) ** 2, "sign-error"),
            ],
        ),
        Exercise(
            f"x^{s} e^x",
            x**s * exp(x),
            [(x**s + s * x ** (s - 1)) * exp(x), x ** (s - 1) * (x + s) * exp(x)],
            [(s * x ** (s - 1) * exp(x), "product-rule"), (x**s * exp(x), "product-rule")],
        ),
        Exercise(
            f"sigmoid({s}x)",
            sig,
            [s * sig * (1 - sig), s * exp(-s * x) / (1 + exp(-s * x)) ** 2],
            [
                (sig * (1 - sig), "missing-inner-derivative"),
                (sig, "not-differentiated"),
                (-s * sig * (1 - sig), "sign-error"),
            ],
        ),
        Exercise(
            f"1/(x^2+{c})",
            1 / w,
            [-2 * x / w**2, -2 * x * w**-2],
            [(-1 / w**2, "missing-inner-derivative"), (2 * x / w**2, "sign-error")],
        ),
        Exercise(
            f"ln(sin({s}x))",
            log(sin(s * x)),
            [s * cos(s * x) / sin(s * x), s / tan(s * x)],
            [
                (cos(s * x) / sin(s * x), "missing-inner-derivative"),
                (1 / sin(s * x), "missing-inner-derivative"),
                (-s * cos(s * x) / sin(s * x), "sign-error"),
            ],
        ),
        Exercise(
            f"e^(sin({s}x))",
            exp(sin(s * x)),
            [s * cos(s * x) * exp(sin(s * x))],
            [
                (exp(sin(s * x)), "missing-inner-derivative"),
                (cos(s * x) * exp(sin(s * x)), "missing-inner-derivative"),
                (-s * cos(s * x) * exp(sin(s * x)), "sign-error"),
            ],
        ),
        Exercise(
            f"x^3 - {p}x^2 + {q}x",
            x**3 - p * x**2 + q * x,
            [3 * x**2 - 2 * p * x + q],
            [
                (3 * x**2 + 2 * p * x + q, "sign-error"),
                (x**3 - p * x**2 + q * x, "not-differentiated"),
                (3 * x**3 - 2 * p * x**2 + q * x, "power-not-reduced"),
            ],
        ),
        Exercise(
            f"(x^2-{c})^{n}",
            (x**2 - c) ** n,
            [2 * n * x * (x**2 - c) ** (n - 1)],
            [
                (n * (x**2 - c) ** (n - 1), "missing-inner-derivative"),
                (2 * n * x * (x**2 - c) ** n, "power-not-reduced"),
                (4 * n * x * (x**2 - c) ** (n - 1), "constant-factor"),
            ],
        ),
        Exercise(
            f"arctan({s}x)",
            sympy.atan(s * x),
            [s / (1 + s**2 * x**2)],
            [
                (1 / (1 + s**2 * x**2), "missing-inner-derivative"),
                (-s / (1 + s**2 * x**2), "sign-error"),
            ],
        ),
        Exercise(
            f"sin^{s}(x)",
            sin(x) ** s,
            [s * sin(x) ** (s - 1) * cos(x)],
            [
                (s * sin(x) ** (s - 1), "missing-inner-derivative"),
                (s * sin(x) ** s * cos(x), "power-not-reduced"),
            ],
        ),
        Exercise(
            f"x ln({s}x)",
            x * log(s * x),
            [log(s * x) + 1, log(sympy.E * s * x)],
            [(1 / x, "product-rule"), (log(s * x), "product-rule")],
        ),
        Exercise(
            f"cos({s}x)/x",
            cos(s * x) / x,
            [(-s * x * sin(s * x) - cos(s * x)) / x**2],
            [
                ((cos(s * x) + s * x * sin(s * x)) / x**2, "quotient-rule-sign"),
                ((-x * sin(s * x) - cos(s * x)) / x**2, "missing-inner-derivative"),
            ],
        ),
        Exercise(
            f"tanh({s}x)",
            tanh(s * x),
            [s * (1 - tanh(s * x) ** 2), s / sympy.cosh(s * x) ** 2],
            [
                (tanh(s * x), "not-differentiated"),
                (1 - tanh(s * x) ** 2, "missing-inner-derivative"),
                (s * tanh(s * x) ** 2 - s, "sign-error"),
            ],
        ),
        Exercise(
            f"sqrt({_linear(a, c)})",
            sqrt(a * x + c),
            [a / (2 * sqrt(a * x + c)), a * (a * x + c) ** sympy.Rational(-1, 2) / 2],
            [
                (1 / (2 * sqrt(a * x + c)), "missing-inner-derivative"),
                (a * sqrt(a * x + c) / 2, "power-not-reduced"),
                (-a / (2 * sqrt(a * x + c)), "sign-error"),
            ],
        ),
        _at_point(f"({_linear(a, c)})^{n + 1}", (a * x + c) ** (n + 1), point, [
            (lambda v: (n + 1) * (a * v + c) ** n, "missing-inner-derivative"),
            (lambda v: (n + 1) * a * (a * v + c) ** (n + 1), "power-not-reduced"),
            (lambda v: -(n + 1) * a * (a * v + c) ** n, "sign-error"),
        ]),
        _at_point(f"(x^2+{c})^{n}", (x**2 + c) ** n, point + 1, [
            (lambda v: n * (v**2 + c) ** (n - 1), "missing-inner-derivative"),
            (lambda v: 2 * n * v * (v**2 + c) ** n, "power-not-reduced"),
            (lambda v: -2 * n * v * (v**2 + c) ** (n - 1), "sign-error"),
        ]),
    ]  # fmt: skip


def _at_point(function: str, expression: sympy.Expr, point: int, mistakes) -> Exercise:
    """The derivative's value at an integer point; the mistakes as functions of the point."""
    value = sympy.diff(expression, x).subs(x, point)
    return Exercise(
        function,
        expression,
        [value],
        [(sympy.Integer(make(point)), diagnosis) for make, diagnosis in mistakes],
        at=str(point),
    )


# --------------------------------------------------------------------------------------
# Writing answers the ways students type them
# --------------------------------------------------------------------------------------

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_FULL_WIDTH = str.maketrans("()+-*/^0123456789", "（）＋－＊／＾０１２３４５６７８９")


@functools.cache
def _python(expression: sympy.Expr) -> str:
    return sympy.sstr(expression)


@functools.cache
def _latex(expression: sympy.Expr) -> str:
    return sympy.latex(expression)


@functools.cache
def _terms(expression: sympy.Expr) -> tuple[sympy.Expr, ...]:
    return tuple(sympy.Add.make_args(expression)) if expression.is_Add else (expression,)


def _typed(expression: sympy.Expr, rng: random.Random, style: str) -> str:
    """The expression as a student might type it, terms in a random order."""
    if style == "latex" and not expression.has(sigmoid):  # sigmoid._latex lacks exp=
        text = _latex(expression)
        if rng.random() < 0.5:
            text = text.replace(r"\left(", "(").replace(r"\right)", ")")
        return text
    terms = list(_terms(expression))
    rng.shuffle(terms)
    pieces = []
    for k, term in enumerate(terms):
        text = _python(term)
        if text.startswith("-"):
            pieces.append(("-" if k == 0 else " - ") + text[1:])
        else:
            pieces.append(("" if k == 0 else " + ") + text)
    text = "".join(pieces).replace("E*", "e*").replace("*E", "*e")
    text = text.replace("sigmoid", rng.choice(["sigmoid", "σ"]))
    text = text.replace("exp(", rng.choice(["exp(", "e^("]))
    text = text.replace("log(", rng.choice(["ln(", "log("]))
    if style == "python":
        return text
    text = text.replace("**", "^")
    for digit in "0123456789":  # 2*x -> 2x, 3*(…) -> 3(…)
        for follower in "xsectl(":
            text = text.replace(f"{digit}*{follower}", f"{digit}{follower}")
    if style == "unicode":
        for n in "23456789":
            text = text.replace(f"^{n}", f"^{n}".translate(_SUPERSCRIPT)[1:])
        text = text.replace("*", rng.choice(["·", "×", "*"])).replace(" - ", " − ")
    elif style == "fullwidth":
        text = text.translate(_FULL_WIDTH)
    spaced = rng.random() < 0.5
    return text.replace(" ", "") if not spaced else text


def _points(target: sympy.Expr, rng: random.Random) -> list[tuple[dict, complex]]:
    """Four random rational points where ``target`` is real and finite, with its value there
    to 30 digits."""
    found = []
    for _ in range(200):
        point = {x: sympy.Rational(rng.randint(-3000, 3000), 997)}
        try:
            value = complex(target.evalf(30, subs=point))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if _finite(value) and abs(value.imag) <= 1e-20:
            found.append((point, value))
            if len(found) == 4:
                return found
    raise AssertionError(f"no points to check {target}")


def _equal(a: sympy.Expr, points: list[tuple[dict, complex]]) -> bool:
    """a = the target, checked with 30-digit arithmetic at the target's ``points``."""
    for point, want in points:
        try:
            got = complex(a.evalf(30, subs=point))
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        if not _finite(got) or abs(got - want) > 1e-20 * max(1.0, abs(want)):
            return False
    return True


def _finite(z: complex) -> bool:
    return z == z and abs(z) < 1e100


UNREADABLE = ["6(2x+1", "cos(x", "2x +* 3", "sin()", "x^", "))", "__import__('os')", "3 ^^ 2"]


def _spaced(text: str, rng: random.Random) -> str:
    """Random spacing around operators, as people type."""
    out = []
    for piece in re.split(r"(\*\*|[-+=−＋－*/·×])", text.replace(" ", "")):
        if piece and piece in "+-=−＋－" and out:
            out.append(rng.choice(["", " "]) + piece + rng.choice(["", " "]))
        elif piece and piece in "*/·×**" and rng.random() < 0.3:
            out.append(" " + piece + " ")
        else:
            out.append(piece)
    return "".join(out)


def _variants(form: sympy.Expr, at: str | None, rng: random.Random) -> str:
    if at is not None:  # a number: 54, 54.0, y'(1) = 54, …
        text = rng.choice([str(form), f"{form}.0", f"{form}.00", f"{float(form):.3f}"])
        prefix = rng.choice(["", "", f"y'({at}) = ", f"f'({at})=", "dy/dx = ", "答：", "y′ = "])
        return prefix + text
    style = rng.choice(["ascii", "ascii", "unicode", "fullwidth", "latex", "python"])
    text = _typed(form, rng, style)
    if style != "latex":
        text = _spaced(text, rng)
    return rng.choice(["", "", "", "y' = ", "dy/dx = ", "f'(x) = "]) + text


def generate(count: int, seed: int = 2024) -> list[dict[str, object]]:
    """Rows: id, function, answer, at, plus the truth (verdict, diagnosis, python spelling)."""
    rng = random.Random(seed)
    exercises = _exercises()
    pools: list[list[tuple[sympy.Expr, str, str | None]]] = []
    for exercise in exercises:
        derivative = sympy.diff(exercise.expression, x)
        target = derivative if exercise.at is None else derivative.subs(x, int(exercise.at))
        correct = [target] if exercise.at else [derivative, sympy.factor(derivative)]
        if exercise.at is None:
            correct.append(sympy.expand(derivative))
        forms: list[tuple[sympy.Expr, str, str | None]] = []
        points = _points(target, rng)
        for form in correct + exercise.correct:
            assert _equal(form, points), (exercise.function, form)
            forms.append((form, "correct", None))
        for form, diagnosis in exercise.mistakes:
            assert not _equal(form, points), (exercise.function, form)
            forms.append((form, "incorrect", diagnosis))
        pools.append(forms)
    seen: set[tuple[int, str]] = set()
    made = [0] * len(exercises)
    rows: list[dict[str, object]] = []
    stuck = 0
    while len(rows) < count and stuck < 100_000:
        number = rng.randrange(len(exercises))
        exercise, forms = exercises[number], pools[number]
        if rng.random() < 0.04:
            text = rng.choice(UNREADABLE)
            text = _spaced(text, rng) + " " * rng.randint(0, 3)
            truth: tuple[str, str | None] = ("unparseable", None)
            python = None
        else:
            weights = [3 if verdict == "correct" else 2 for _, verdict, _ in forms]
            form, verdict, diagnosis = rng.choices(forms, weights)[0]
            text = _variants(form, exercise.at, rng)
            truth, python = (verdict, diagnosis), _python(form)
        if (number, text) in seen:
            stuck += 1
            continue
        seen.add((number, text))
        made[number] += 1
        rows.append(
            {
                "id": f"{number + 1}.{made[number]}",
                "function": exercise.function,
                "answer": text,
                "at": exercise.at or "",
                "truth": truth[0],
                "truth_diagnosis": truth[1] or "",
                "python": python or "",
                "python_function": _python(exercise.expression),
            }
        )
    return rows


# --------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------


def grade_with_derivcheck(
    path: Path, jobs: int, scheduler: str | None = None
) -> tuple[float, float, int, dict[str, tuple[str, str]]]:
    """``derivcheck check FILE --jobs N`` (or ``--scheduler ADDRESS``) in a fresh process,
    timed from its start to its exit (Python's start-up, imports, reading the file,
    preparing the exercises, starting the workers, writing the report: everything).
    Returns the seconds, the CPU seconds of the command and its worker processes (user +
    system; a Dask cluster's workers are not its children and are not counted), the peak
    resident memory of the largest of its processes (KiB), and each row's (verdict,
    diagnosis) read back from the CSV report."""
    report = path.with_name(f"report-{jobs}-{bool(scheduler)}.csv")
    report.unlink(missing_ok=True)
    command = [sys.executable, "-m", "derivcheck", "check", str(path), "--out", str(report)]
    command += ["--scheduler", scheduler] if scheduler else ["--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    with open(report, encoding="utf-8-sig", newline="") as handle:
        graded = {r["id"]: (r["verdict"], r["diagnosis"]) for r in csv.DictReader(handle)}
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, graded


def grade_naively(rows: list[dict[str, object]]) -> tuple[float, list[str]]:
    """parse_expr + simplify(a - b) == 0, one answer at a time (the SymPy-grader way)."""
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = standard_transformations + (implicit_multiplication_application, convert_xor)
    names = {"x": x, "e": sympy.E, "sigmoid": sigmoid, "ln": log}
    verdicts = []
    start = time.perf_counter()
    for row in rows:
        function = parse_expr(str(row["python_function"]), local_dict=names)
        expected = sympy.diff(function, x)
        if row["at"]:
            expected = expected.subs(x, int(str(row["at"])))
        text = str(row["python"] or row["answer"]).strip()
        try:
            answer = parse_expr(text, local_dict=names, transformations=transformations)
            same = sympy.simplify(answer - expected) == 0
            verdicts.append("correct" if same else "incorrect")
        except Exception:  # noqa: BLE001 - whatever parse_expr raises on broken text
            verdicts.append("unparseable")
    return time.perf_counter() - start, verdicts


def _rows(count: int, seed: int) -> list[dict[str, object]]:
    """The generated rows, kept in the temporary folder between runs (generating them
    takes longer than grading them); the cache is keyed by this script's text."""
    key = hashlib.sha256(Path(__file__).read_bytes() + f"{count},{seed}".encode()).hexdigest()
    cached = Path(tempfile.gettempdir()) / f"derivcheck-bench-{key[:16]}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    rows = generate(count, seed)
    cached.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return rows


def _local_cluster(workers: int):
    """A Dask LocalCluster of ``workers`` one-thread processes, or None without Dask."""
    try:
        from dask.distributed import LocalCluster
    except ImportError:
        return None
    return LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    )


def _count_wrong(rows, graded) -> tuple[list[str], list[str]]:
    """Ids with a wrong verdict; ids of mistakes whose diagnosis is missing or wrong."""
    wrong, misdiagnosed = [], []
    for row in rows:
        i, verdict, diagnosis = str(row["id"]), str(row["truth"]), str(row["truth_diagnosis"])
        got_verdict, got_diagnosis = graded[i]
        if got_verdict != verdict:
            wrong.append(i)
        elif verdict == "incorrect" and got_diagnosis != diagnosis:
            misdiagnosed.append(i)
    return wrong, misdiagnosed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=20_000)
    parser.add_argument("--naive-sample", type=int, default=100)
    parser.add_argument("--jobs", default="1,2", help="comma-separated job counts to time")
    parser.add_argument(
        "--dask-workers", type=int, default=2, help="workers of the local Dask cluster (0: none)"
    )
    parser.add_argument("--keep", metavar="CSV", help="also save the generated file here")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per configuration (the best is shown)"
    )
    args = parser.parse_args()

    print(f"machine: {describe(['sympy', 'numpy'])}")
    started = time.perf_counter()
    rows = _rows(args.answers, 2024)
    exercises = len({(r["function"], r["at"]) for r in rows})
    print(
        f"{len(rows)} distinct answers to {exercises} exercises "
        f"(made or read in {time.perf_counter() - started:.1f} s: "
        f"{sum(r['truth'] == 'correct' for r in rows)} correct, "
        f"{sum(r['truth'] == 'incorrect' for r in rows)} mistakes, "
        f"{sum(r['truth'] == 'unparseable' for r in rows)} unreadable)"
    )
    folder = tempfile.TemporaryDirectory(prefix="derivcheck-bench-")
    path = Path(folder.name) / "answers.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "function", "answer", "at"])
        for row in rows:
            writer.writerow([row["id"], row["function"], row["answer"], row["at"]])
    if args.keep:
        Path(args.keep).write_bytes(path.read_bytes())

    by_id = {str(r["id"]): r for r in rows}
    configurations: list[tuple[str, int, str | None]] = [
        (f"derivcheck check --jobs {jobs}", jobs, None)
        for jobs in (int(j) for j in args.jobs.split(","))
    ]
    cluster = _local_cluster(args.dask_workers) if args.dask_workers else None
    if cluster is not None:
        configurations.append(
            (f"--scheduler (Dask, {args.dask_workers} workers)", 0, cluster.scheduler_address)
        )
    elif args.dask_workers:
        print("dask is not installed: no Dask run (pip install 'derivcheck[dask]')")
    table = []
    for name, jobs, scheduler in configurations:
        runs = [grade_with_derivcheck(path, jobs, scheduler) for _ in range(args.repeat)]
        seconds, cpu, memory, graded = min(runs, key=lambda run: run[0])
        print(f"{name}: " + ", ".join(f"{run[0]:.2f} s ({run[1]:.1f} s CPU)" for run in runs))
        wrong, misdiagnosed = _count_wrong(rows, graded)
        table.append((name, len(rows), seconds, cpu, len(wrong), len(misdiagnosed), memory))
        for i in wrong[:10]:
            row = by_id[i]
            print(f"  WRONG VERDICT {i}: {row['function']!r} {row['answer']!r} -> {graded[i]}")
        for i in misdiagnosed[:10]:
            row = by_id[i]
            print(
                f"  diagnosis {i}: {row['function']!r} {row['answer']!r} -> {graded[i]}, "
                f"truth {row['truth_diagnosis']}"
            )
    if cluster is not None:
        cluster.close()

    sample_rng = random.Random(7)
    readable = [r for r in rows if "__" not in str(r["answer"])]  # never feed code to parse_expr
    sample = sample_rng.sample(readable, min(args.naive_sample, len(readable)))
    cpu_start = time.process_time()
    naive_seconds, naive = grade_naively(sample)
    naive_cpu = time.process_time() - cpu_start
    naive_wrong = sum(v != r["truth"] for v, r in zip(naive, sample))
    table.append(
        ("naive SymPy (sample)", len(sample), naive_seconds, naive_cpu, naive_wrong, None, None)
    )

    best = max(n / s for _, n, s, *_ in table[:-1])
    naive_rate = len(sample) / naive_seconds
    print()
    print(
        f"{'grader':34} {'answers':>8} {'seconds':>8} {'CPU s':>7} {'answers/s':>10} "
        f"{'per CPU s':>10} {'wrong verdicts':>15} {'wrong diagnoses':>16} {'peak RSS':>9}"
    )
    for name, n, seconds, cpu, wrong, misdiagnosed, memory in table:
        diagnoses = "" if misdiagnosed is None else f"{misdiagnosed:16d}"
        rss = "" if memory is None else f"{memory / 1024:6.0f} MB"
        print(
            f"{name:34} {n:8d} {seconds:8.2f} {cpu:7.1f} {n / seconds:10,.0f} "
            f"{n / max(cpu, 1e-9):10,.0f} {wrong:15d} {diagnoses:>16} {rss:>9}"
        )
    print(f"\nspeed-up of derivcheck over the naive grader: {best / naive_rate:,.0f}x")
    print(
        "(derivcheck: whole runs of the command, Python's start-up included; the naive "
        "grader: its grading loop only. CPU s: the command and its worker processes, not a "
        "Dask cluster's workers; on a loaded machine answers per CPU second is the steadier "
        "figure)"
    )
    print(f"load after the runs: {os.getloadavg()[0]:.2f}")
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
