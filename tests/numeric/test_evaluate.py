"""compile_expr and is_analytic: values from mathematics (math/mpmath), never from our own code."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy

from derivcheck.calculus.functions import relu, sigmoid
from derivcheck.errors import EvaluationError
from derivcheck.numeric.evaluate import compile_expr, is_analytic

x, y = sympy.symbols("x y", real=True)


def test_chapter_functions_match_math():
    f = compile_expr(sympy.sin(sympy.exp(x**2)), [x])
    assert float(f(0.5)) == pytest.approx(math.sin(math.exp(0.25)), rel=1e-15, abs=0)
    g = compile_expr((3 * x + 2) ** 2, [x])
    assert float(g(1.0)) == 25.0


def test_vectorised_and_broadcast():
    f = compile_expr(x**2 * y, [x, y])
    values = f(np.array([1.0, 2.0, 3.0]), 2.0)
    assert values.shape == (3,)
    assert values.tolist() == [2.0, 8.0, 18.0]
    constant = compile_expr(sympy.Integer(5) + 0 * x, [x])
    assert constant(np.zeros(4)).shape == (4,)


def test_integer_inputs_are_computed_as_floats():
    f = compile_expr(x**10, [x])
    assert float(f(100)) == 1e20  # 100**10 > 2**63: int64 arithmetic would wrap around
    assert f(np.array([3, 4], dtype=np.int32)).tolist() == [3.0**10, 4.0**10]
    assert float(compile_expr(x**40 * y, [x, y])(np.int64(3), True)) == 3.0**40


def test_complex_input_is_analytic_continuation():
    f = compile_expr(sympy.exp(x) * sympy.sin(x), [x])
    z = 0.3 + 0.2j
    assert complex(f(z)) == pytest.approx(complex(mpmath.exp(z) * mpmath.sin(z)), rel=1e-15)


@pytest.mark.parametrize("z", [-800.0, -40.0, -10.3, -1.0, 0.0, 2.5, 40.0, 800.0])
def test_sigmoid_is_accurate_in_both_tails(z):
    f = compile_expr(sigmoid(x), [x])
    mpmath.mp.dps = 40
    exact = float(1 / (1 + mpmath.exp(-mpmath.mpf(z))))
    assert float(f(z)) == pytest.approx(exact, rel=4e-16, abs=1e-300)


def test_sigmoid_complex_step_derivative_in_the_tail():
    f = compile_expr(sigmoid(x), [x])
    h = 1e-20
    derivative = float(np.imag(f(-30 + 1j * h))) / h
    exact = float(mpmath.exp(-30) / (1 + mpmath.exp(-30)) ** 2)
    assert derivative == pytest.approx(exact, rel=1e-14, abs=0)


def test_invalid_operations_give_nan_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(float(compile_expr(sympy.log(x), [x])(-1.0)))
        assert math.isnan(float(compile_expr(sympy.sqrt(x), [x])(-4.0)))
        assert math.isinf(float(compile_expr(1 / x, [x])(0.0)))


def test_kink_functions_evaluate():
    f = compile_expr(relu(3 * x - 1) + sympy.Abs(x) + sympy.Max(x, 2 * x), [x])
    assert float(f(1.0)) == 2.0 + 1.0 + 2.0
    assert float(f(-1.0)) == 0.0 + 1.0 - 1.0


def test_missing_variable_is_an_error():
    with pytest.raises(EvaluationError, match="y"):
        compile_expr(x + y, [x])


def test_callable_carries_its_expression():
    f = compile_expr(x * y, [x, y])
    assert f.expr == x * y
    assert f.variables == (x, y)


def test_is_analytic():
    assert is_analytic(sympy.sin(sympy.exp(x**2)))
    assert is_analytic(sigmoid(x) + sympy.log(x))
    for expr in (relu(x), sympy.Abs(x), sympy.Max(x, y), sympy.Min(x, 1), sympy.floor(x)):
        assert not is_analytic(expr)
