"""Benchmark: grade a generated class of answers with derivcheck and the naive SymPy way.

    python benchmarks/batch.py            # 3,000+ answers to 24 functions, jobs 1 and 2
    python benchmarks/batch.py --answers 6000 --naive-sample 300

The generated file mixes correct answers (factored, expanded, rearranged; typed
as ASCII, with ^ and implicit products, Unicode superscripts, full-width
characters and LaTeX) with typical mistakes whose diagnosis is known by
construction, and a few unreadable answers. Every answer text is distinct, so
derivcheck's cache of identical answers never helps.

The truth of every generated answer is settled independently of derivcheck
when the file is generated: a correct form is equal to ``sympy.diff`` of the
function and a mistake differs from it, both checked with 30-digit arithmetic
at random points (and the construction says which rule the mistake breaks).

derivcheck grades the file through :func:`derivcheck.check_answers` in a fresh
process per run (cold caches; reading the file, preparing the exercises and
starting the workers included; Python's start-up and imports not); each
configuration runs three times and the best is shown, the others printed. The naive
grader (``parse_expr`` + ``simplify(a - b) == 0``, as SymPy-based graders do)
grades a random sample of the same answers in their Python spelling; it is
used here only, on text this script generated, never on user input and never in
the package.
"""

from __future__ import annotations

import argparse
import csv
import json
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


def _exercises() -> list[Exercise]:
    u = 2 * x + 1
    return [
        Exercise(
            "(2x+1)^3",
            u**3,
            [6 * u**2, 3 * u**2 * 2],
            [
                (3 * u**2, "missing-inner-derivative"),
                (6 * u**3, "power-not-reduced"),
                (-6 * u**2, "sign-error"),
                (12 * u**2, "constant-factor"),
                (u**3, "not-differentiated"),
            ],
        ),
        Exercise(
            "(3x+2)^2",
            (3 * x + 2) ** 2,
            [6 * (3 * x + 2), 18 * x + 12],
            [
                (2 * (3 * x + 2), "missing-inner-derivative"),
                (6 * (3 * x + 2) ** 2, "power-not-reduced"),
                (-18 * x - 12, "sign-error"),
            ],
        ),
        Exercise(
            "sin(exp(x^2))",
            sin(exp(x**2)),
            [2 * x * exp(x**2) * cos(exp(x**2))],
            [
                (cos(exp(x**2)), "missing-inner-derivative"),
                (cos(exp(x**2)) * exp(x**2), "missing-inner-derivative"),
                (cos(exp(x**2)) * 2 * x, "missing-inner-derivative"),
                (-2 * x * exp(x**2) * cos(exp(x**2)), "sign-error"),
            ],
        ),
        Exercise(
            "x sin x",
            x * sin(x),
            [sin(x) + x * cos(x)],
            [
                (cos(x), "product-rule"),
                (x * cos(x), "product-rule"),
                (sin(x), "product-rule"),
                (sin(x) - x * cos(x), "sign-error"),
            ],
        ),
        Exercise(
            "sin(x)/x",
            sin(x) / x,
            [(x * cos(x) - sin(x)) / x**2, cos(x) / x - sin(x) / x**2],
            [
                ((sin(x) - x * cos(x)) / x**2, "quotient-rule-sign"),
                ((x * cos(x) + sin(x)) / x**2, "quotient-rule-sign"),
            ],
        ),
        Exercise(
            "(x^2+1)/(x-1)",
            (x**2 + 1) / (x - 1),
            [(x**2 - 2 * x - 1) / (x - 1) ** 2, (2 * x * (x - 1) - (x**2 + 1)) / (x - 1) ** 2],
            [
                (((x**2 + 1) - 2 * x * (x - 1)) / (x - 1) ** 2, "quotient-rule-sign"),
                ((2 * x * (x - 1) + (x**2 + 1)) / (x - 1) ** 2, "quotient-rule-sign"),
            ],
        ),
        Exercise(
            "e^(3x)",
            exp(3 * x),
            [3 * exp(3 * x), 3 * exp(x) ** 3],
            [(exp(3 * x), "missing-inner-derivative"), (-3 * exp(3 * x), "sign-error")],
        ),
        Exercise(
            "ln(x^2+1)",
            log(x**2 + 1),
            [2 * x / (x**2 + 1)],
            [
                (1 / (x**2 + 1), "missing-inner-derivative"),
                (-2 * x / (x**2 + 1), "sign-error"),
                (x / (x**2 + 1), "constant-factor"),
            ],
        ),
        Exercise(
            "sqrt(1+x^2)",
            sqrt(1 + x**2),
            [x / sqrt(1 + x**2), x * (1 + x**2) ** sympy.Rational(-1, 2)],
            [
                (1 / (2 * sqrt(1 + x**2)), "missing-inner-derivative"),
                (x * sqrt(1 + x**2), "power-not-reduced"),
            ],
        ),
        Exercise(
            "cos(x^2)",
            cos(x**2),
            [-2 * x * sin(x**2)],
            [
                (2 * x * sin(x**2), "sign-error"),
                (-sin(x**2), "missing-inner-derivative"),
                (-x * sin(x**2), "constant-factor"),
            ],
        ),
        Exercise(
            "tan(2x)",
            tan(2 * x),
            [2 / cos(2 * x) ** 2, 2 + 2 * tan(2 * x) ** 2],
            [
                (1 / cos(2 * x) ** 2, "missing-inner-derivative"),
                (-2 / cos(2 * x) ** 2, "sign-error"),
            ],
        ),
        Exercise(
            "x^2 e^x",
            x**2 * exp(x),
            [(x**2 + 2 * x) * exp(x), x * (x + 2) * exp(x)],
            [(2 * x * exp(x), "product-rule"), (x**2 * exp(x), "product-rule")],
        ),
        Exercise(
            "sigmoid(x)",
            sigmoid(x),
            [
                sigmoid(x) * (1 - sigmoid(x)),
                exp(-x) / (1 + exp(-x)) ** 2,
                1 / (4 * sympy.cosh(x / 2) ** 2),
                exp(x) / (1 + exp(x)) ** 2,
            ],
            [(sigmoid(x), "not-differentiated"), (-sigmoid(x) * (1 - sigmoid(x)), "sign-error")],
        ),
        Exercise(
            "1/(x^2+1)",
            1 / (x**2 + 1),
            [-2 * x / (x**2 + 1) ** 2, -2 * x * (x**2 + 1) ** -2],
            [
                (-1 / (x**2 + 1) ** 2, "missing-inner-derivative"),
                (2 * x / (x**2 + 1) ** 2, "sign-error"),
            ],
        ),
        Exercise(
            "ln(sin x)",
            log(sin(x)),
            [cos(x) / sin(x), 1 / tan(x)],
            [(1 / sin(x), "missing-inner-derivative"), (-cos(x) / sin(x), "sign-error")],
        ),
        Exercise(
            "e^(sin x)",
            exp(sin(x)),
            [cos(x) * exp(sin(x))],
            [(exp(sin(x)), "missing-inner-derivative"), (-cos(x) * exp(sin(x)), "sign-error")],
        ),
        Exercise(
            "x^3 - 3x^2 + 2x",
            x**3 - 3 * x**2 + 2 * x,
            [3 * x**2 - 6 * x + 2],
            [
                (3 * x**2 + 6 * x + 2, "sign-error"),
                (x**3 - 3 * x**2 + 2 * x, "not-differentiated"),
                (3 * x**3 - 6 * x**2 + 2 * x, "power-not-reduced"),
            ],
        ),
        Exercise(
            "(x^2-1)^4",
            (x**2 - 1) ** 4,
            [8 * x * (x**2 - 1) ** 3],
            [
                (4 * (x**2 - 1) ** 3, "missing-inner-derivative"),
                (8 * x * (x**2 - 1) ** 4, "power-not-reduced"),
                (16 * x * (x**2 - 1) ** 3, "constant-factor"),
            ],
        ),
        Exercise(
            "arctan(2x)",
            sympy.atan(2 * x),
            [2 / (1 + 4 * x**2)],
            [(1 / (1 + 4 * x**2), "missing-inner-derivative"), (-2 / (1 + 4 * x**2), "sign-error")],
        ),
        Exercise(
            "sin^2(x)",
            sin(x) ** 2,
            [2 * sin(x) * cos(x), sin(2 * x)],
            [
                (2 * sin(x), "missing-inner-derivative"),
                (2 * sin(x) ** 2 * cos(x), "power-not-reduced"),
            ],
        ),
        Exercise(
            "x ln x",
            x * log(x),
            [log(x) + 1, log(sympy.E * x)],
            [(1 / x, "product-rule"), (log(x), "product-rule")],
        ),
        Exercise(
            "cos(3x)/x",
            cos(3 * x) / x,
            [(-3 * x * sin(3 * x) - cos(3 * x)) / x**2],
            [
                ((cos(3 * x) + 3 * x * sin(3 * x)) / x**2, "quotient-rule-sign"),
                ((-x * sin(3 * x) - cos(3 * x)) / x**2, "missing-inner-derivative"),
            ],
        ),
        Exercise(
            "tanh(x)",
            tanh(x),
            [1 - tanh(x) ** 2, 1 / sympy.cosh(x) ** 2],
            [(tanh(x), "not-differentiated"), (tanh(x) ** 2 - 1, "sign-error")],
        ),
        Exercise(
            "sqrt(x)",
            sqrt(x),
            [1 / (2 * sqrt(x)), x ** sympy.Rational(-1, 2) / 2],
            [(sqrt(x) / 2, "power-not-reduced"), (-1 / (2 * sqrt(x)), "sign-error")],
        ),
        Exercise(
            "(2x+1)^3",
            u**3,
            [sympy.Integer(54)],
            [
                (sympy.Integer(27), "missing-inner-derivative"),
                (sympy.Integer(162), "power-not-reduced"),
                (sympy.Integer(-54), "sign-error"),
            ],
            at="1",
        ),
    ]


# --------------------------------------------------------------------------------------
# Writing answers the ways students type them
# --------------------------------------------------------------------------------------

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_FULL_WIDTH = str.maketrans("()+-*/^0123456789", "（）＋－＊／＾０１２３４５６７８９")


def _python(expression: sympy.Expr) -> str:
    return sympy.sstr(expression)


def _typed(expression: sympy.Expr, rng: random.Random, style: str) -> str:
    """The expression as a student might type it, terms in a random order."""
    if style == "latex" and not expression.has(sigmoid):  # sigmoid._latex lacks exp=
        text = sympy.latex(expression)
        if rng.random() < 0.5:
            text = text.replace(r"\left(", "(").replace(r"\right)", ")")
        return text
    terms = list(sympy.Add.make_args(expression)) if expression.is_Add else [expression]
    rng.shuffle(terms)
    pieces = []
    for k, term in enumerate(terms):
        text = sympy.sstr(term)
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


def _equal(a: sympy.Expr, b: sympy.Expr, rng: random.Random) -> bool:
    """a = b, checked with 30-digit arithmetic at random rational points in the domain."""
    checked = 0
    for _ in range(60):
        point = sympy.Rational(rng.randint(-3000, 3000), 997)
        try:
            va = complex(sympy.N(a.subs(x, point), 30))
            vb = complex(sympy.N(b.subs(x, point), 30))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not all(map(_finite, (va, vb))) or abs(vb.imag) > 1e-20:
            continue
        if abs(va - vb) > 1e-20 * max(1.0, abs(vb)):
            return False
        checked += 1
        if checked == 6:
            return True
    raise AssertionError(f"no points to compare {a} and {b}")


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
        for form in correct + exercise.correct:
            assert _equal(form, target, rng), (exercise.function, form)
            forms.append((form, "correct", None))
        for form, diagnosis in exercise.mistakes:
            assert not _equal(form, target, rng), (exercise.function, form)
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

_GRADE_IN_FRESH_PROCESS = """
import json, sys, time
from derivcheck import check_answers
path, jobs = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
report = check_answers(path, jobs=jobs)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds,
                  "results": [[r.id, r.verdict, r.diagnosis] for r in report.results]}))
"""


def grade_with_derivcheck(path: Path, jobs: int) -> tuple[float, dict[str, tuple[str, str]]]:
    completed = subprocess.run(
        [sys.executable, "-c", _GRADE_IN_FRESH_PROCESS, str(path), str(jobs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    data = json.loads(completed.stdout)
    return data["seconds"], {i: (v, d or "") for i, v, d in data["results"]}


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=3000)
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--jobs", default="1,2", help="comma-separated job counts to time")
    parser.add_argument("--keep", metavar="CSV", help="also save the generated file here")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per configuration (the best is shown)"
    )
    args = parser.parse_args()

    print(f"machine: {describe(['sympy', 'numpy'])}")
    started = time.perf_counter()
    rows = generate(args.answers)
    functions = len({(r["function"], r["at"]) for r in rows})
    print(
        f"generated {len(rows)} distinct answers to {functions} exercises "
        f"in {time.perf_counter() - started:.1f} s "
        f"({sum(r['truth'] == 'correct' for r in rows)} correct, "
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

    truth = {str(r["id"]): (str(r["truth"]), str(r["truth_diagnosis"])) for r in rows}
    table = []
    for jobs in (int(j) for j in args.jobs.split(",")):
        runs = [grade_with_derivcheck(path, jobs) for _ in range(args.repeat)]
        times = sorted(seconds for seconds, _ in runs)
        seconds, graded = min(runs, key=lambda run: run[0])
        print(f"derivcheck jobs={jobs}: " + ", ".join(f"{t:.2f} s" for t in times))
        wrong = [i for i, (verdict, _) in truth.items() if graded[i][0] != verdict]
        misdiagnosed = [
            i
            for i, (verdict, diagnosis) in truth.items()
            if verdict == "incorrect"
            and graded[i] == ("incorrect", "")
            or (graded[i][0] == "incorrect" and diagnosis and graded[i][1] != diagnosis)
        ]
        table.append(
            (f"derivcheck, jobs={jobs}", len(rows), seconds, len(wrong), len(misdiagnosed))
        )
        for i in wrong[:10]:
            row = next(r for r in rows if r["id"] == i)
            print(f"  WRONG VERDICT {i}: {row['function']!r} {row['answer']!r} -> {graded[i]}")
        for i in misdiagnosed[:10]:
            row = next(r for r in rows if r["id"] == i)
            print(f"  diagnosis {i}: {row['answer']!r} -> {graded[i]}, truth {truth[i]}")

    sample_rng = random.Random(7)
    readable = [r for r in rows if "__" not in str(r["answer"])]  # never feed code to parse_expr
    sample = sample_rng.sample(readable, min(args.naive_sample, len(readable)))
    naive_seconds, naive = grade_naively(sample)
    naive_wrong = sum(v != r["truth"] for v, r in zip(naive, sample))
    for verdict, row in zip(naive, sample):
        if verdict != row["truth"]:
            print(f"  naive WRONG VERDICT: {row['function']!r} {row['answer']!r} -> {verdict}")
    table.append(("naive SymPy (sample)", len(sample), naive_seconds, naive_wrong, None))

    best = max(n / s for _, n, s, _, _ in table[:-1])
    naive_rate = len(sample) / naive_seconds
    print()
    print(f"{'grader':24} {'answers':>8} {'seconds':>8} {'answers/s':>10} {'wrong verdicts':>15}")
    for name, n, seconds, wrong, misdiagnosed in table:
        extra = f"   wrong diagnoses: {misdiagnosed}" if misdiagnosed is not None else ""
        print(f"{name:24} {n:8d} {seconds:8.2f} {n / seconds:10,.0f} {wrong:15d}{extra}")
    print(f"\nspeed-up of derivcheck over the naive grader: {best / naive_rate:,.0f}x")
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
