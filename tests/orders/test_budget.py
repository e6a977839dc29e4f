"""The error budget of numeric n-th derivatives is honest: on 1,000 random smooth cases
(orders 2..6, seeded) the true error never exceeds 5× the estimate, for the complex step of
order n and for Richardson. The truth is mpmath's own differentiation at 40 digits.

Measured (seed 20240601, ``python benchmarks/orders.py``): worst ratio 0.156 (auto, the
complex step of order n; never exceeded) and 1.02 (Richardson; exceeded in 2 of 1,000 cases).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from derivcheck.errors import EvaluationError
from derivcheck.numeric.higher import nth_derivative, nth_partial

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "orders.py"
_SPEC = importlib.util.spec_from_file_location("orders_benchmark", _PATH)
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


def test_budget_is_honest_on_1000_random_smooth_cases():
    found = bench.honesty(1000)
    for method, figures in found.items():
        assert figures["cases"] >= 950, (method, figures)
        assert figures["worst_ratio"] <= 5.0, (method, figures)
        assert figures["exceeded"] <= 10, (method, figures)  # at most 1% above the estimate


def test_budget_grows_with_the_order():
    errors = [nth_derivative(np.exp, 0.3, n, method="richardson").error_estimate for n in (2, 4, 6)]
    assert errors[0] < errors[1] < errors[2]


def test_a_black_box_that_fakes_complex_support_is_caught():
    def fake(x):  # accepts complex input but is not analytic: |x|·x on the real line
        return np.abs(x) * x

    for x0 in (0.5, -0.7, 0.01):
        result = nth_derivative(fake, x0, 2)  # a contour alone would be fooled near 0
        assert abs(result.estimate - 2.0 * np.sign(x0)) <= 5 * result.error_estimate + 1e-12


def test_partials_and_errors():
    assert nth_partial(lambda x, y: x**3 * y, [2.0, 5.0], 0, 2).estimate == pytest.approx(60.0)
    with pytest.raises(EvaluationError):
        nth_derivative(np.exp, 0.0, 2, method="forward")
    with pytest.raises(EvaluationError):
        nth_derivative(np.exp, 0.0, 0)


def test_a_point_on_a_kink_has_no_numeric_higher_derivative():
    import sympy

    from derivcheck.calculus.functions import relu
    from derivcheck.numeric.evaluate import compile_expr

    x = sympy.Symbol("x", real=True)
    f = compile_expr(relu(x) ** 3, [x])
    assert nth_derivative(f, 0.0, 2).problem == "kink"
    assert nth_derivative(f, 0.5, 2).estimate == pytest.approx(3.0, rel=1e-9)
