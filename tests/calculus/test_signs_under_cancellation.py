"""Signs of derivcheck's functions where the argument's terms cancel.

SymPy decides ``is_positive`` (hence ``is_zero``) from a 2-digit evaluation; relu(x − ln 2)
at the float 0.6931481805599453 (1e-6 right of ln 2) was taken as zero, and the forward
pass printed arctan(relu(…)) = 0 (found by the differential run, seed 2026). The expected
values are mpmath's at 50 digits.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy

import derivcheck
from derivcheck.calculus.catalogue import lookup

X0 = 0.6931481805599453


def truth(f) -> float:
    with mpmath.workdps(50):
        x = mpmath.mpf(Fraction(X0).numerator) / Fraction(X0).denominator
        return float(f(x - mpmath.log(2)))


@pytest.mark.parametrize("name", ["relu", "softplus", "elu", "gelu", "silu", "hardtanh"])
def test_a_small_positive_argument_is_not_taken_as_zero(name):
    u = sympy.Rational(Fraction(X0).numerator, Fraction(X0).denominator) - sympy.log(2)
    value = lookup(name).build(u)
    assert value.is_zero is not True
    assert value.is_positive is True


def test_the_forward_pass_keeps_the_value():
    e = derivcheck.explain("arctan(relu(x - ln 2))", X0)
    f = e.graph.steps[-1].value
    assert f == pytest.approx(truth(mpmath.atan), rel=1e-12)
    assert e.value == pytest.approx(truth(lambda u: 1 / (1 + u**2)), rel=1e-14)
    assert e.differentiable is True


@pytest.mark.parametrize(("function", "p"), [("x^(10/9)", (10, 9)), ("x^(x/(0.9x))", (10, 9))])
def test_a_rounded_odd_root_exponent_is_in_the_error_estimate(function, p):
    """10/9 as a float moves x^(10/9) by |ln x|·ulp: 5.6e-14 at 5.7e-240 (the differential
    run's false DISAGREES); the estimate must cover it."""
    e = derivcheck.explain(function, 5.7e-240)
    with mpmath.workdps(50):
        exact = mpmath.mpf(p[0]) / p[1] * mpmath.mpf("5.7e-240") ** (mpmath.mpf(1) / p[1])
    assert e.value == pytest.approx(float(exact), rel=1e-15)
    assert abs(e.numeric.estimate - float(exact)) <= e.numeric.error_estimate
    assert e.agrees is True


def test_a_tiny_float_point_keeps_one_plus_x():
    """(x+1)^x at -7.05988e-249: f' = (1+x)^x·(ln(1+x) + x/(1+x)) ≈ 2x; at 30 digits
    1 + x was 1 and f' came out as x (differential run, case 2026:2045)."""
    e = derivcheck.explain("(x+1)^x", -7.05988e-249)
    with mpmath.workdps(400):
        x = mpmath.mpf(Fraction(-7.05988e-249).numerator) / Fraction(-7.05988e-249).denominator
        truth = (1 + x) ** x * (mpmath.log1p(x) + x / (1 + x))
    assert e.value == pytest.approx(float(truth), rel=1e-14)
    assert e.agrees is True


def test_a_piecewise_function_of_an_exact_irrational_takes_its_branch():
    """hardtanh(√2 − 1/10000) is 1, so floor(hardtanh(x) − hardtanh(√2) + 2) is the
    constant 2 near √2 − 1/10000: f′ = 0 (it had no value; differential case 2026:2428)."""
    point = sympy.sqrt(2) - sympy.Rational(1, 10000)
    assert lookup("hardtanh").build(point) == 1
    assert lookup("relu").build(sympy.sqrt(2) - 2) == 0
    e = derivcheck.explain("floor(((hardtanh(x))-(hardtanh((sqrt(2)))))+2)", point)
    assert e.differentiable is True
    assert e.value == 0


def test_an_argument_beyond_every_working_precision_is_decided_at_the_last():
    """floor(erf(cosh x) − erf(cosh 6) + 2) at x = 300003/50000: the two erfs are 1 less
    1.7e-17676 and 1 less 2.25e-17674, so the argument is 2 + 2.2e-17674 and floor is 2,
    beside sinh(2) for sinh of it. No working precision up to 4,000 digits separates the
    argument from 2, and the evaluator went to 7,680 (erf at 7,680 digits took 8.8 s);
    SymPy's own substitution raised PrecisionExhausted (sinh asks whether its argument is 0),
    which escaped explain() (differential case 2026:138659)."""
    from derivcheck.calculus.domain import substituted
    from derivcheck.calculus.precise import precise

    x = sympy.Symbol("x")
    point = {x: sympy.Rational(300003, 50000)}
    inside = sympy.erf(sympy.cosh(x)) - sympy.erf(sympy.cosh(6)) + 2
    with mpmath.workdps(30):  # erfc keeps its relative digits far in the tail
        separation = mpmath.erfc(mpmath.cosh(6)) - mpmath.erfc(
            mpmath.cosh(mpmath.mpf(300003) / 50000)
        )
        assert mpmath.mpf(10) ** -17675 < separation < mpmath.mpf(10) ** -17673
    assert precise(sympy.floor(inside).xreplace(point)) == 2
    value = substituted(sympy.sinh(sympy.floor(inside)), point)
    with mpmath.workdps(30):
        assert abs(precise(value) - mpmath.sinh(2)) < 1e-18


def test_a_substitution_sympy_would_evaluate_for_seconds_is_kept_unevaluated():
    """H(e^(x−6) − e^(−21/2) + gelu(−59049/32) − gelu(x⁵)) at x = −4.500000004: the gelu
    terms are about −10^-739000, so the argument is e^(−21/2)·(e^(−4·10⁻⁹) − 1) ≈ −1.1e-13
    < 0 and H of it is 0. SymPy's automatic evaluation of H asked the argument's sign of
    its evalf, which ran for seconds (explain() of the whole ran out of its 10 s:
    differential case 2026:13596); past its budget the substitution is left unevaluated for
    derivcheck's evaluator, and takes well under 2 s."""
    import time

    from derivcheck.calculus.domain import substituted
    from derivcheck.calculus.functions import gelu
    from derivcheck.calculus.precise import precise

    x = sympy.Symbol("x", real=True)
    argument = (
        sympy.exp(x - 6) - sympy.exp(sympy.Rational(-21, 2)) + gelu(sympy.Rational(-59049, 32))
        - gelu(x**5)
    )  # fmt: skip
    start = time.process_time()
    value = substituted(sympy.Heaviside(argument), {x: sympy.Rational(-1125000001, 250000000)})
    assert precise(value) == 0
    assert time.process_time() - start < 2.0


def test_differences_of_far_out_erf_and_tanh_values_keep_their_digits():
    """erf(a) − erf(b) for a, b near −82.4 is erfc(−a) − erfc(−b), about 10^-2951: the
    values themselves are −1 to 2,950 digits, and the evaluator went to 4,000 digits for
    seconds (leaky_relu of it took 9 s: differential case 2026:16897); each far-out erf and
    tanh is now its sign and its tail (the catalogue's), the signs added exactly. The
    expected values are mpmath's tails at 30 digits, and tanh's from its definition at 120."""
    from derivcheck import explain
    from derivcheck.calculus.precise import precise

    a = (sympy.Rational(-3999997, 1500000) + sympy.Rational(1, 4)) ** 5
    b = (sympy.Rational(-8, 3) + sympy.Rational(1, 4)) ** 5
    with mpmath.workdps(30):
        want = mpmath.erfc(-mpmath.mpf(a.p) / a.q) - mpmath.erfc(-mpmath.mpf(b.p) / b.q)
        got = precise(sympy.erf(a) - sympy.erf(b), 20)
        assert want > 0 and abs(got - want) <= mpmath.mpf(10) ** -18 * want
    with mpmath.workdps(120):
        want = mpmath.tanh(41) - mpmath.tanh(40)  # 2/(e^80 + 1) − 2/(e^82 + 1)
    got = precise(sympy.tanh(41, evaluate=False) - sympy.tanh(40, evaluate=False), 20)
    with mpmath.workdps(30):
        assert abs(got - want) <= mpmath.mpf(10) ** -18 * want
    e = explain(
        "leaky_relu((erf((x+(1/4))^5))-(erf((((-8/3))+(1/4))^5)))", Fraction(-3999997, 1500000)
    )
    with mpmath.workdps(40):  # f′ = erf′(A)·5(x + 1/4)⁴, A = (x + 1/4)⁵ > b: the right slope 1
        x0 = mpmath.mpf(-3999997) / 1500000 + mpmath.mpf(1) / 4
        slope = 2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-(x0**10)) * 5 * x0**4
        exact = precise(e.derivatives[e.wrt[0]], 20, e.point)
        assert e.differentiable is True and e.agrees
        assert abs(exact - slope) <= mpmath.mpf(10) ** -12 * slope


@pytest.mark.parametrize("point", [-10000, -226597.8])
def test_the_log_of_one_plus_a_tiny_number_keeps_its_digits(point):
    """softplus(u) = ln(1 + e^u) at u = -10^4 is about 10^-4343, where 1 + e^u is 1 to the
    evaluator's 4,000 digits: (ln softplus)′ = sigmoid/softplus came out nan, "not a finite
    number" (differential case 2026:146437). ln(1 + r) is log1p(r): the ratio is
    1/(1 + e^u) · e^u/log1p(e^u), 1 to every float digit."""
    from derivcheck.calculus.precise import precise

    e = derivcheck.explain("ln(softplus(x))", point)
    assert e.differentiable is True and e.value == 1.0 and e.agrees
    tiny = sympy.exp(-10000)
    with mpmath.workdps(30):
        want = mpmath.log1p(mpmath.exp(-10000))
        assert abs(precise(sympy.log(1 + tiny), 20) - want) <= mpmath.mpf(10) ** -18 * want


def test_a_common_log_of_a_far_out_softplus_has_its_derivative():
    """log10(softplus(0.6x)) + e^(2^(x + 6)) at -377663: 0.6/ln 10 (the second term's
    derivative is 2^(x+6)·ln 2·e^(…), about 10^-113686): differential case 2026:146437."""
    import math

    e = derivcheck.explain("(log10(softplus((0.6)*x)))+(exp(2^(x+6)))", -377663.0)
    assert e.differentiable is True and e.agrees
    assert abs(e.value - 0.6 / math.log(10)) <= 1e-15


def test_arcsin_a_hair_inside_its_edge_has_its_tiny_derivative():
    """asin(σ(x⁴) − σ(625) − 1) at −5.0005: the argument is −1 + 5e-273 (σ(625.25) − σ(625)
    is about e^-625·(1 − e^-0.25)), so f′ = 4x³·σ′(x⁴)/√(1 − u²) is about −1.1e-133; the
    expected value is that formula in mpmath at 700 digits (the differential reference,
    whose 1 − u² cancels to 0 at its digits, said 0: case 2026:147502)."""
    with mpmath.workdps(700):
        x = mpmath.mpf(-10001) / 2000
        s = lambda t: 1 / (1 + mpmath.exp(-t))  # noqa: E731
        u = s(x**4) - s(mpmath.mpf(625)) - 1
        want = 4 * x**3 * mpmath.exp(-(x**4)) / (1 + mpmath.exp(-(x**4))) ** 2
        want = float(want / mpmath.sqrt(1 - u**2))
    text = "asin(((sigmoid((x)**4))-(sigmoid(((-5))**4)))+(-1))"
    e = derivcheck.explain(text, Fraction(-10001, 2000))
    assert e.differentiable is True  # (floats cannot check it: the numeric note says so)
    assert abs(e.value - want) <= 1e-15 * abs(want)
