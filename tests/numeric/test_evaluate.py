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


# ------------------------------------------------------- every catalogue function evaluates

from derivcheck.calculus.catalogue import records  # noqa: E402
from derivcheck.calculus.functions import elu, leaky_relu  # noqa: E402

# No integers (floor) nor ±1; ±8 and ±0.05 try the tails and small arguments (where a kernel
# that cancels, such as 1 + erf(u) for gelu or π/2 - arctan(u) for arccot, loses digits).
CANDIDATE_POINTS = (-8.0, -2.3, -0.7, -0.3, -0.05, 0.05, 0.4, 0.9, 1.6, 2.2, 3.1, 8.0)
RECORDS = list(records())


def _other_argument(record):
    """max and min get a second argument (a constant) next to x."""
    return (sympy.Rational(1, 2),) if any(b.points == "ties" for b in record.breaks) else ()


def _points(record):
    inside = [p for p in CANDIDATE_POINTS if record.domain.contains(sympy.Rational(str(p)))]
    assert len(inside) >= 3, record.key
    return inside


@pytest.mark.parametrize("record", RECORDS, ids=[r.key for r in RECORDS])
def test_every_catalogue_function_matches_mpmath(record):
    mpmath.mp.dps = 30
    extra = _other_argument(record)
    params = tuple(p.default for p in record.parameters)
    f = compile_expr(record.sympy_class(x, *extra, *params), [x])
    for point in _points(record):
        arguments = [mpmath.mpf(str(point)), *(mpmath.mpf(str(a)) for a in extra)]
        arguments += [mpmath.mpf(sympy.Rational(p).p) / sympy.Rational(p).q for p in params]
        exact = complex(record.mpmath(*arguments))
        assert exact.imag == 0, (record.key, point)
        value = float(f(float(point)))
        assert value == pytest.approx(exact.real, rel=8e-15, abs=1e-300), (record.key, point)


ANALYTIC = [r for r in RECORDS if r.analytic]


@pytest.mark.parametrize("record", ANALYTIC, ids=[r.key for r in ANALYTIC])
def test_complex_step_of_analytic_functions_matches_their_derivative(record):
    u = sympy.Symbol("u", real=True)
    params = tuple(p.default for p in record.parameters)
    f = compile_expr(record.sympy_class(x, *params), [x])
    derivative = record.derivative(u, *params)
    h = 1e-20
    for point in _points(record):
        exact = float(derivative.evalf(30, subs={u: sympy.Float(str(point), 40)}))
        numeric = float(np.imag(f(point + 1j * h))) / h
        assert numeric == pytest.approx(exact, rel=1e-14, abs=1e-300), (record.key, point)


def test_not_analytic_functions_are_refused_the_complex_step_by_their_record():
    for record in RECORDS:
        extra = _other_argument(record)
        assert is_analytic(record.sympy_class(x, *extra)) == record.analytic, record.key


def test_parameters_and_values_at_zero_are_passed():
    assert float(compile_expr(leaky_relu(x, sympy.Rational(1, 5)), [x])(-2.0)) == -0.4
    exact = float(2 * (mpmath.exp(-1) - 1))
    assert float(compile_expr(elu(x, 2), [x])(-1.0)) == pytest.approx(exact, rel=1e-15)
    assert float(compile_expr(sympy.Heaviside(x, 1), [x])(0.0)) == 1.0
    assert float(compile_expr(sympy.Heaviside(x, 0), [x])(0.0)) == 0.0
    assert float(compile_expr(sympy.Heaviside(x), [x])(0.0)) == 0.5  # SymPy's default H(0)
    assert float(compile_expr(sympy.Max(x, 1, 2 * x, -x), [x])(-3.0)) == 3.0
    assert float(compile_expr(sympy.Min(x, 1, 2 * x, -x), [x])(0.75)) == -0.75
    assert float(compile_expr(sympy.log(x, 2), [x])(8.0)) == pytest.approx(3.0, rel=1e-15)


def test_a_function_sympy_builds_outside_the_catalogue_uses_sympys_rewrite():
    # SymPy's acot (values in (-pi/2, pi/2]) is not the catalogue's arccot: atan(1/u).
    assert float(compile_expr(sympy.acot(x), [x])(-2.0)) == pytest.approx(
        float(mpmath.acot(-2)), rel=1e-15
    )
    assert is_analytic(sympy.acot(x))
    with pytest.raises(EvaluationError, match="gamma"):
        compile_expr(sympy.gamma(x), [x])
