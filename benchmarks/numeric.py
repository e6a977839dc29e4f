"""Benchmark derivcheck's numeric derivatives against the usual tools, in one run.

    python benchmarks/numeric.py             # the summary tables (Markdown)
    python benchmarks/numeric.py --details   # also every function's relative errors

For 26 smooth functions at known points (the chapter's (3x+2)^2 at 1 and sin(exp(x^2)) at 0.5
among them) it measures the relative error against the exact derivative (SymPy, 40 digits) and
the time per derivative of:

* derivcheck ``auto`` on the compiled expression (what ``explain()`` uses);
* derivcheck ``richardson`` (what ``auto`` falls back to for callables without complex support);
* the chapter's textbook central difference with h = 1e-7;
* ``numdifftools.Derivative`` (defaults; the object is built once per function) — the baseline;
* ``scipy.differentiate.derivative`` (defaults).

A second table takes plain Python callables, as a user writes them, for the chapter's
sin(exp(x^2)) at 0.5: one with NumPy (it accepts complex input: ``auto`` uses the complex step
after checking it against central differences in the same call) and one with ``math`` (real
input only: ``auto`` falls back to Richardson, with left and right slopes compared), each with
derivcheck ``auto`` and numdifftools, and the time of one complex evaluation of the NumPy
callable for scale. Each of those times is the median over 21 rounds taken in turns (every
tool once per round) of the mean of a loop of calls lasting at least 2 ms, as ``timeit`` does.

numdifftools and scipy come from the ``bench`` extra (``pip install ".[bench]"``); a missing one
is reported and its column skipped. Every tool gets the same compiled NumPy callable. Times are
the mean of repeated calls (at least 0.05 s per function and tool), after one warm-up call.
"max rel. error" is over the finite results; "failures" counts results that are not finite
(nan/inf, e.g. a default step that leaves the domain of sqrt).
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

import numpy as np  # noqa: E402
import sympy  # noqa: E402
from machine import describe

from derivcheck.calculus.functions import sigmoid  # noqa: E402
from derivcheck.numeric import derivative  # noqa: E402
from derivcheck.numeric.evaluate import compile_expr  # noqa: E402

x = sympy.Symbol("x", real=True)

#: (expression, point): smooth functions at points where the derivative is not 0.
CASES: list[tuple[sympy.Expr, float]] = [
    ((3 * x + 2) ** 2, 1.0),  # chapter 1.3: 30
    (sympy.sin(sympy.exp(x**2)), 0.5),  # chapter 1.4: 0.3631949148017262
    (sympy.exp(x), 1.0),
    (sympy.log(x), 2.0),
    (sympy.sqrt(x), 0.3),
    (sympy.atan(x), -1.5),
    (1 / (1 + 25 * x**2), 0.2),
    (sympy.tan(x), 1.2),
    (sympy.exp(-(x**2)) * sympy.cos(3 * x), 0.7),
    (x**x, 1.7),
    (sympy.sin(sympy.exp(x**2)), 2.0),
    (sympy.log(1 + sympy.exp(x)), 3.0),
    (sympy.cosh(x), 5.0),
    (x**10, 1.1),
    (sigmoid(2 * x - 1), -3.0),
    (sympy.sin(x), 100.0),
    (sympy.exp(x), 1e-8),
    (sympy.asinh(x) * sympy.cos(x), -0.4),
    (sympy.tanh(x), 0.3),
    (x**3 - 2 * x, 0.7),
    (sympy.sqrt(1 + x**2), 3.0),
    (sympy.log(sympy.cosh(x)), 0.1),
    (sympy.exp(sympy.sin(x)), 2.0),
    (1 / x, 0.1),
    (x * sympy.exp(-x), 2.0),
    (sympy.cos(x) ** 2, 0.3),
]

MIN_SECONDS = 0.05


def tools() -> tuple[dict[str, Callable], list[str]]:
    """name -> make(f) returning a callable x0 -> float; and the messages about missing tools."""
    found: dict[str, Callable] = {
        "derivcheck auto": lambda f: lambda x0: derivative(f, x0).estimate,
        "derivcheck richardson": lambda f: lambda x0: derivative(f, x0, "richardson").estimate,
        "central h=1e-7 (textbook)": lambda f: (
            lambda x0: float((f(x0 + 1e-7) - f(x0 - 1e-7)) / 2e-7)
        ),
    }
    missing = []
    try:
        import numdifftools

        found["numdifftools.Derivative"] = lambda f: _numdifftools(numdifftools, f)
    except ImportError:
        missing.append("numdifftools is not installed (pip install '.[bench]'): column skipped")
    try:
        from scipy.differentiate import derivative as scipy_derivative

        found["scipy.differentiate.derivative"] = lambda f: (
            lambda x0: float(scipy_derivative(f, x0).df)
        )
    except ImportError:
        missing.append(
            "scipy.differentiate is not available (pip install '.[bench]', scipy >= 1.15): "
            "column skipped"
        )
    return found, missing


def _numdifftools(module, f):
    differentiate = module.Derivative(f)
    return lambda x0: float(differentiate(x0))


def per_call_seconds(call: Callable[[float], float], x0: float) -> float:
    call(x0)
    repeats = 1
    while True:
        start = time.perf_counter()
        for _ in range(repeats):
            call(x0)
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_SECONDS:
            return elapsed / repeats
        repeats *= 2


def run(details: bool) -> None:
    print(f"Machine: {describe(['numpy', 'sympy', 'numdifftools', 'scipy'])}")
    found, missing = tools()
    for message in missing:
        print(f"NOTE: {message}")
    print()
    errors: dict[str, list[float]] = {name: [] for name in found}
    seconds: dict[str, list[float]] = {name: [] for name in found}
    rows = []
    for expr, x0 in CASES:
        f = compile_expr(expr, [x])
        exact = float(sympy.diff(expr, x).evalf(40, subs={x: sympy.Float(x0, 60)}))
        row = [f"{sympy.sstr(expr)} at {x0:g}"]
        for name, make in found.items():
            call = make(f)
            with np.errstate(all="ignore"):
                value = call(x0)
                error = abs(value - exact) / abs(exact)
                errors[name].append(error if math.isfinite(error) else math.nan)
                seconds[name].append(per_call_seconds(call, x0))
            row.append(f"{error:.1e}")
        rows.append(row)

    baseline = "numdifftools.Derivative" if "numdifftools.Derivative" in found else None
    print(f"{len(CASES)} smooth functions; relative error |numeric - exact| / |exact|;")
    print("time = mean per derivative; ratios against numdifftools.Derivative in this run.")
    print()
    header = (
        "| method | max rel. error | median rel. error | failures | time per derivative "
        "| time / numdifftools | max error / numdifftools |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in found:
        finite = [e for e in errors[name] if math.isfinite(e)]
        failures = len(errors[name]) - len(finite)
        worst = max(finite) if finite else math.nan
        median = statistics.median(finite) if finite else math.nan
        mean_time = statistics.fmean(seconds[name])
        if baseline:
            time_ratio = f"{mean_time / statistics.fmean(seconds[baseline]):.3g}x"
            base_worst = max(e for e in errors[baseline] if math.isfinite(e))
            error_ratio = f"{worst / base_worst:.2g}x" if base_worst > 0 else "n/a"
        else:
            time_ratio = error_ratio = "n/a (numdifftools missing)"
        print(
            f"| {name} | {worst:.1e} | {median:.1e} | {failures} | {_duration(mean_time)} "
            f"| {time_ratio} | {error_ratio} |"
        )
    if details:
        print()
        print("| function | " + " | ".join(found) + " |")
        print("|---|" + "---:|" * len(found))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    plain_callables(found)


PLAIN_POINT = 0.5


def plain_callables(found: dict[str, Callable], repeats: int = 21) -> None:
    """The second table: plain callables for sin(exp(x^2)) at 0.5 (see the module docstring)."""
    callables = {
        "NumPy: lambda x: np.sin(np.exp(x * x))": lambda t: np.sin(np.exp(t * t)),
        "math: lambda x: math.sin(math.exp(x * x))": lambda t: math.sin(math.exp(t * t)),
    }
    names = [n for n in ("derivcheck auto", "numdifftools.Derivative") if n in found]
    expr = sympy.sin(sympy.exp(x**2))
    exact = float(sympy.diff(expr, x).evalf(40, subs={x: sympy.Float(PLAIN_POINT, 60)}))
    z = np.asarray(PLAIN_POINT + 1e-20j)
    numpy_f = callables["NumPy: lambda x: np.sin(np.exp(x * x))"]
    runs = {("one complex evaluation", "NumPy"): lambda: numpy_f(z)}
    for label, f in callables.items():
        for name in names:
            runs[(name, label)] = (lambda call: lambda: call(PLAIN_POINT))(found[name](f))
    times: dict = {key: [] for key in runs}
    loops = {key: _loop_length(run) for key, run in runs.items()}
    for _ in range(repeats):
        for key, run in runs.items():
            n = loops[key]
            start = time.perf_counter()
            for _ in range(n):
                run()
            times[key].append((time.perf_counter() - start) / n)
    median = {key: statistics.median(values) for key, values in times.items()}
    print()
    print(
        f"Plain callables, sin(exp(x^2)) at {PLAIN_POINT}: mean of a loop of calls, "
        f"median of {repeats} rounds in turns;"
    )
    print("ratios against numdifftools.Derivative on the same callable in this run.")
    print()
    print("| callable | method | rel. error | time per derivative | time / numdifftools |")
    print("|---|---|---:|---:|---:|")
    for label, f in callables.items():
        for name in names:
            value = found[name](f)(PLAIN_POINT)
            error = abs(value - exact) / abs(exact)
            base = median.get(("numdifftools.Derivative", label))
            ratio = f"{median[(name, label)] / base:.3g}x" if base else "n/a"
            print(
                f"| {label} | {name} | {error:.1e} | {_duration(median[(name, label)])} | {ratio} |"
            )
    one = median[("one complex evaluation", "NumPy")]
    print(f"| NumPy callable | one complex evaluation | – | {_duration(one)} | – |")


def _loop_length(run: Callable[[], object], seconds: float = 2e-3) -> int:
    """How many calls of ``run`` last at least ``seconds`` (after a warm-up call)."""
    run()
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            run()
        if time.perf_counter() - start >= seconds:
            return n
        n *= 2


def _duration(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="per-function relative errors")
    run(parser.parse_args().details)


if __name__ == "__main__":
    main()
