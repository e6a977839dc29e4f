"""How long `import derivcheck` takes against `import sympy` (the goal: at most 1.25x).

Run: python benchmarks/import_time.py
Each import runs in a fresh interpreter, 15 times; the table shows the median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from machine import describe

RUNS = 15


def median_seconds(statement: str) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    baseline = median_seconds("import sympy")
    rows = [
        ("python -c pass", median_seconds("pass")),
        ("import sympy (baseline)", baseline),
        ("import derivcheck", median_seconds("import derivcheck")),
        ("from derivcheck import explain", median_seconds("from derivcheck import explain")),
        ("import numpy, sympy", median_seconds("import numpy, sympy")),
    ]
    print(f"machine: {describe()}")
    print(f"{'command':<28} {'median s':>9} {'vs sympy':>9}")
    for name, seconds in rows:
        print(f"{name:<28} {seconds:>9.3f} {seconds / baseline:>8.2f}x")
    ratio = rows[2][1] / baseline
    print(
        f"goal: import derivcheck <= 1.25x import sympy -> {'met' if ratio <= 1.25 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
