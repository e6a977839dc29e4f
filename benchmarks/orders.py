"""Benchmark derivcheck's derivatives of order 2..6 against numdifftools, in one run.

    python benchmarks/orders.py                 # accuracy and time table, and budget honesty
    python benchmarks/orders.py --honesty 1000  # how many random cases for the honesty figure

For each function of :data:`FUNCTIONS` at its point and each order n = 2..6 it measures the
relative error against the truth (mpmath's own differentiation at 40 digits of the function
written with mpmath) and the time per derivative of

* derivcheck ``auto`` (:func:`derivcheck.numeric.higher.nth_derivative` on the compiled
  expression: the complex step of order n, a Cauchy contour);
* derivcheck ``richardson`` (n-th central differences in Ridders' tableau);
* ``numdifftools.Derivative(f, n=n)`` with its defaults (the object built once).

Honesty: on random smooth compositions (:func:`random_cases`, seeded) the ratio true error /
error estimate of both derivcheck methods; ``tests/orders/test_budget.py`` asserts it stays
below 5 on 1,000 cases.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import sympy  # noqa: E402
from sympy.printing.pycode import MpmathPrinter  # noqa: E402

from derivcheck.numeric.evaluate import compile_expr  # noqa: E402
from derivcheck.numeric.higher import nth_derivative  # noqa: E402

X = sympy.Symbol("x", real=True)

#: (label, expression, point)
FUNCTIONS = [
    ("sin(exp(x^2))", sympy.sin(sympy.exp(X**2)), 0.5),
    ("x^x", X**X, 2.0),
    ("e^(-x^2)", sympy.exp(-(X**2)), 1.0),
    ("1/(1+x^2)", 1 / (1 + X**2), 0.5),
    ("ln(1+x^2)", sympy.log(1 + X**2), 0.3),
    ("tanh(x)", sympy.tanh(X), 0.7),
    ("sqrt(1+x^2)", sympy.sqrt(1 + X**2), -1.2),
    ("x^3 cos(x)", X**3 * sympy.cos(X), 2.5),
    ("exp(sin(x))", sympy.exp(sympy.sin(X)), 10.0),
    ("atan(3x)", sympy.atan(3 * X), 0.1),
]

ORDERS = (2, 3, 4, 5, 6)


def truth(expr: sympy.Expr, x0: float, n: int) -> float:
    """f⁽ⁿ⁾(x0) by mpmath's differentiation at 40 digits (independent of derivcheck)."""
    # No printed docstring (2/3 of lambdify's time), and sums and products written in the
    # order of their arguments: sorting them first, as SymPy prints by default, was 60% of
    # what was left; the values are the same, bit for bit, on the 1,000 honesty cases.
    printer = MpmathPrinter(
        {
            "fully_qualified_modules": False,
            "inline": True,
            "allow_unknown_functions": True,
            "user_functions": {},
            "order": "none",
        }
    )
    f = sympy.lambdify(X, expr, "mpmath", docstring_limit=0, printer=printer)
    with mpmath.workdps(40):
        return float(mpmath.diff(f, mpmath.mpf(x0), n))


_OUTER = [
    sympy.sin,
    sympy.cos,
    sympy.exp,
    sympy.tanh,
    sympy.atan,
    lambda u: sympy.log(1 + u**2),
    lambda u: 1 / (1 + u**2),
    lambda u: sympy.sqrt(2 + u**2),
    lambda u: u**3,
]


def random_cases(count: int, seed: int = 20240601) -> list[tuple[sympy.Expr, float, int]]:
    """``count`` random smooth cases (expression, point, order 2..6), reproducible."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        a, b, c = (sympy.Rational(int(v), 4) for v in rng.integers(-8, 9, 3))
        inner = (a or 1) * X + b * X**2 + c
        g = _OUTER[int(rng.integers(len(_OUTER)))](inner)
        h = _OUTER[int(rng.integers(len(_OUTER)))](X)
        expr = g * h if rng.random() < 0.5 else g + h
        x0 = float(round(rng.uniform(-2, 2), 3))
        cases.append((expr, x0, int(rng.integers(2, 7))))
    return cases


def honesty(count: int, seed: int = 20240601) -> dict[str, dict[str, float]]:
    """Worst true error / error estimate, per method, over :func:`random_cases` (each case's
    truth and compiled function made once, for both methods)."""
    methods = ("auto", "richardson")
    figures = {m: {"cases": 0, "worst_ratio": 0.0, "exceeded": 0} for m in methods}
    for expr, x0, n in random_cases(count, seed):
        exact = truth(expr, x0, n)
        if not math.isfinite(exact) or abs(exact) > 1e12:
            continue
        function = compile_expr(expr, [X])
        for method in methods:
            result = nth_derivative(function, x0, n, method=method)
            if not result.ok:
                continue
            error = abs(result.estimate - exact)
            ratio = error / result.error_estimate if result.error_estimate else math.inf * error
            found = figures[method]
            found["cases"] += 1
            found["exceeded"] += ratio > 1
            found["worst_ratio"] = max(found["worst_ratio"], ratio)
    return figures


def _time(call: Callable[[], float]) -> tuple[float, float]:
    value = call()
    start, runs = time.perf_counter(), 0
    while True:
        call()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed > 0.05:
            return value, elapsed / runs


def accuracy_table() -> list[tuple[str, int, str, float, float]]:
    """(function, order, tool, relative error, seconds per call) rows."""
    try:
        import numdifftools
    except ImportError:  # pragma: no cover - the bench extra
        numdifftools = None
    rows = []
    for label, expr, x0 in FUNCTIONS:
        f = compile_expr(expr, [X])
        for n in ORDERS:
            exact = truth(expr, x0, n)
            tools: dict[str, Callable[[], float]] = {
                "derivcheck auto": lambda f=f, n=n, x0=x0: nth_derivative(f, x0, n).estimate,
                "derivcheck richardson": lambda f=f, n=n, x0=x0: (
                    nth_derivative(f, x0, n, method="richardson").estimate
                ),
            }
            if numdifftools is not None:
                nd = numdifftools.Derivative(f, n=n)
                tools["numdifftools"] = lambda nd=nd, x0=x0: float(nd(x0))
            for tool, call in tools.items():
                value, seconds = _time(call)
                error = abs(value - exact) / max(abs(exact), 1e-300)
                rows.append((label, n, tool, error, seconds))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--honesty", type=int, default=1000, help="random cases (default 1000)")
    parser.add_argument("--details", action="store_true", help="every function's errors")
    args = parser.parse_args(argv)
    from machine import describe

    print(describe())
    rows = accuracy_table()
    tools = list(dict.fromkeys(r[2] for r in rows))
    print("\n| order | tool | max rel. error | median rel. error | time per derivative |")
    print("|---:|---|---:|---:|---:|")
    for n in ORDERS:
        for tool in tools:
            picked = [r for r in rows if r[1] == n and r[2] == tool]
            errors = [r[3] for r in picked if math.isfinite(r[3])]
            seconds = statistics.mean(r[4] for r in picked)
            print(
                f"| {n} | {tool} | {max(errors):.1e} | {statistics.median(errors):.1e} | "
                f"{seconds * 1e6:.0f} µs |"
            )
    if args.details:
        for label, n, tool, error, seconds in rows:
            print(f"{label:14s} n={n} {tool:22s} {error:.2e} {seconds * 1e6:8.0f} µs")
    found = honesty(args.honesty)
    print(f"\nBudget honesty on {args.honesty} random smooth cases (orders 2..6):")
    for method, figures in found.items():
        print(
            f"  {method}: {figures['cases']} usable, worst true error / estimate "
            f"{figures['worst_ratio']:.3g}, estimate exceeded {figures['exceeded']} times"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
