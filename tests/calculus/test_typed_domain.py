"""The domain of the function as typed, not of SymPy's simplification of it.

SymPy writes e^(ln x) as x, x/x as 1, √x·√x as x and ln x − ln x as 0; the functions typed
are undefined where ln x, 1/x or √x are (x ≤ 0, x = 0, x < 0), so there is no derivative
there. Found by reading what SymPy's automatic simplification drops (issue 10: verdicts
decided from the mathematics). Expected values are the textbook's: inside the domain the
derivative of e^(ln x) is 1, of x/x is 0.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

import derivcheck
from derivcheck.calculus import catalogue
from tests.english import english_runs

UNDEFINED = [
    ("exp(ln(x))", -1),
    ("e^(ln x)", 0),
    ("sin(asin(x))", 2),
    ("x/x", 0),
    ("\\frac{x}{x}", 0),
    ("(x-1)/(x-1)", 1),
    ("ln(x) - ln(x)", -1),
    ("sqrt(x)*sqrt(x)", -1),
    ("sqrt(x)^2", -4),
    ("x^2/x", 0),
    ("sec((tan(x) - tan(11)) + pi/2)", 11),  # sec(π/2): a pole, SymPy writes it with csc
    # (-x/2)^x: a negative base under a variable exponent (a TypeError escaped from mpmath's
    # comparison of a complex number inside heaviside/relu; differential case 2026:1464)
    ("sin(relu((((-1/2)(x))^(x))-(((-1/2)((1)))^((1)))))", 1.0),
    ("heaviside((-x/2)^x + 1/2)", 1.0),
    # log2 is ln(u)/ln 2: its ln(u) is typed too, though (x - x) makes the product 0
    ("(log2((x-(-9/2))-(((-12/7))-(-9/2))))*(x-x)", Fraction(-12, 7)),
]


@pytest.mark.parametrize(("function", "point"), UNDEFINED)
def test_no_derivative_where_the_typed_function_is_undefined(function, point):
    e = derivcheck.explain(function, point)
    assert e.differentiable is False
    assert math.isnan(e.value)


INSIDE = [
    ("exp(ln(x))", 2, 1.0),
    ("sin(asin(x))", 0.5, 1.0),
    ("x/x", 3, 0.0),
    ("ln(x) - ln(x)", 3, 0.0),
    ("sqrt(x)*sqrt(x)", 4, 1.0),
    ("x^2/x", -2, 1.0),
]


def test_a_sign_that_needs_a_reduced_argument_is_decided_at_30_digits():
    """sec(1.25·1830070) = 1.588 > 0, so sec(1.25x)^(5/2) is real there; SymPy decided
    sec(4575175/2) ≥ 0 false at 2 digits (differential case 2026:4976). f′ written out:
    (5/2)·sec^(5/2)(u)·tan(u)·1.25."""
    import mpmath

    e = derivcheck.explain("(sec((1.25)·x))^(5/2)", 1830070.0)
    with mpmath.workdps(40):
        u = mpmath.mpf(4575175) / 2
        truth = mpmath.mpf(5) / 2 * mpmath.sec(u) ** 2.5 * mpmath.tan(u) * mpmath.mpf(5) / 4
    assert e.differentiable is True
    assert e.value == pytest.approx(float(truth), rel=1e-12)


@pytest.mark.parametrize(("function", "point", "derivative"), INSIDE)
def test_inside_the_typed_domain_the_derivative_is_the_textbook_one(function, point, derivative):
    e = derivcheck.explain(function, point)
    assert e.differentiable is True
    assert e.value == derivative


def test_at_the_edge_of_a_root_typed_away_there_is_no_two_sided_derivative():
    e = derivcheck.explain("sqrt(x)^2", 0)  # √x is real for x ≥ 0 only
    assert e.differentiable is False
    assert "edge" in e.to_text(lang="en")
    zh = e.to_text(lang="zh")
    assert "定义域的边界" in zh
    assert english_runs(zh) == []


def test_the_reason_names_the_function_typed():
    e = derivcheck.explain("exp(ln(x))", -1)
    text = e.to_text(lang="en")
    assert "ln needs a positive argument" in text
    assert "x = -1" in text


EDGES = [  # (function, point, side where it is not real): no two-sided derivative
    ("x^(3/2)", 0, "left"),  # f'(0+) = 0, but x^(3/2) is not real for x < 0
    ("sqrt(x)^3", 0, "left"),
    ("sqrt(1-x^2)^3", 1, "right"),
    ("acosh(x)", 1, "left"),
    ("((sec(2x/5)-sec(-2))^(3/2))", -5, "right"),  # sec(2x/5) - sec(-2) < 0 right of -5
    ("arcosh(heaviside(x^arccsc(x),0))", 1, "left"),  # arccsc(x) is not real for |x| < 1
    # softplus(u) beside u = 0 is log 2 plus an imaginary part of 5e-31, real to 30 digits
    # beside its size; x^(5/2) is not real for x < 0 all the same (differential 2026:6761)
    ("softplus((x)^(5/2))", 0, "left"),
    # (x² + 1)^x - 1 is about x³: 1 - 2^-120 at x = -2^-40, which is 1 to 30 digits; arccsc
    # needs |u| ≥ 1, so there are no real values left of 0 (differential 2026:3882)
    ("((acsc((((x)^2)+1)^(x)))+(x+(-9)))**(-2)", 0, "left"),
    ("acsc((x^2+1)^x)", 0, "left"),
    ("asec(exp(x^3))", 0, "left"),  # e^(x³) < 1 for x < 0
    ("asec(exp(-x^5))", 0, "right"),
]


@pytest.mark.parametrize(("function", "point", "side"), EDGES)
def test_at_an_edge_of_the_domain_there_is_no_two_sided_derivative(function, point, side):
    e = derivcheck.explain(function, point)
    assert e.differentiable is False
    assert f"no real values to its {side}" in e.reason


@pytest.mark.parametrize(
    ("function", "point", "derivative"),
    [
        ("relu(x)^(3/2)", 0, 0.0),
        # (x²)^(3/2) is |x|³ (SymPy writes it so): x² ≥ 0 on both sides of 0, and the
        # derivative 3x|x| is 0 there; it was "no real values on one side"
        ("(x^2)^(3/2)", 0, 0.0),
    ],
)
def test_an_edge_of_an_inner_domain_that_is_real_on_both_sides_is_no_edge(
    function, point, derivative
):
    e = derivcheck.explain(function, point)  # relu(x) ≥ 0: (relu x)^(3/2) is real everywhere
    assert e.differentiable is True
    assert e.value == derivative


def test_an_even_real_root_raised_to_a_fraction_stays_positive():
    """(x^(2/3))^(5/2) = (|x|^(2/3))^(5/2) = |x|^(5/3) > 0 as real roots; SymPy merged it
    into x^(5/3), negative for x < 0 (differential case 2026:1957). f′ is then
    (5/3)|x|^(2/3)·sign(x)."""
    e = derivcheck.explain("arctg(((x)^(2/3))^(5/2))", -0.26)
    size = 0.26 ** (5 / 3)
    assert e.graph.steps[-1].value == pytest.approx(math.atan(size), rel=1e-14)
    slope = -(5 / 3) * 0.26 ** (2 / 3) / (1 + size**2)
    assert e.value == pytest.approx(slope, rel=1e-13)


@pytest.mark.parametrize(
    ("function", "size"),
    [
        # ((πx)^(1/3))^-2 = |πx|^(-2/3) > 0, and its square root |πx|^(-1/3); SymPy merged
        # the product's powers into π^(-1/3)·x^(-1/3), negative for x < 0 (2026:8512)
        ("((cbrt(π·x))^(-2))^(1/2)", lambda x: abs(math.pi * x) ** (-1 / 3)),
        ("sqrt(cbrt(x)^2)", lambda x: abs(x) ** (1 / 3)),  # sqrt() as well as ^(1/2)
        ("sqrt(4x^(2/3))", lambda x: 2 * abs(x) ** (1 / 3)),
    ],
)
def test_an_even_real_root_under_a_root_stays_positive(function, size):
    """At x = -19/4 each of these is a positive number (a root of a square)."""
    e = derivcheck.explain(function, Fraction(-19, 4))
    assert e.graph.steps[-1].value == pytest.approx(size(-4.75), rel=1e-14)


@pytest.mark.parametrize(
    ("function", "point"),
    [
        # hardtanh(x) = 1 for x > 1: arccos sits on its edge at every point nearby and f is
        # constant (sin(π) = 0, arccos(1) = 0), so f' = 0 (differential case 2026:5001)
        ("sin(acos((((hardtanh(x))^(3/2))-((hardtanh((4)))^(3/2)))+(-1)))", "3.96"),
        ("acos(hardtanh(x))", "3"),
    ],
)
def test_an_argument_held_on_an_edge_is_no_edge(function, point):
    from derivcheck import explain

    e = explain(function, point)
    assert e.differentiable is True
    assert e.value == 0


def test_max_of_an_odd_root_of_a_negative_number_compares_the_real_root():
    """max(x, ∛(-4x), x^(π+x)) at 2 is max(2, -2, 2^(π+2)) = 2^(π+2), so
    lg(max(…)) = (π + x)·ln x / ln 10 near 2, with derivative (ln x + (π + x)/x) / ln 10.
    SymPy's principal root 2·(-1)^(1/3) is not comparable, and its ValueError escaped
    (differential case 2026:542)."""
    import mpmath

    e = derivcheck.explain("lg(max(x, cbrt((-4)·x), (x)^(π+x)))", 2)
    with mpmath.workdps(30):
        truth = (mpmath.log(2) + (mpmath.pi + 2) / 2) / mpmath.log(10)
    assert e.differentiable is True
    assert e.value == pytest.approx(float(truth), rel=1e-14)


@pytest.mark.parametrize(
    "record",
    [r for r in catalogue.records() if r.imaginary],
    ids=lambda r: r.key,
)
def test_each_imaginary_form_in_the_catalogue_is_an_identity(record):
    """f(i·u) = factor·g(u), checked with mpmath's own functions at u = 0.3 and 1.7
    (sin(iu) = i·sinh u, cos(iu) = cosh u, tan(iu) = i·tanh u, and their reciprocals)."""
    import mpmath

    key, factor = record.imaginary
    for u in (mpmath.mpf("0.3"), mpmath.mpf("1.7")):
        left = record.mpmath(mpmath.mpc(0, u))
        right = complex(factor) * catalogue.by_key(key).mpmath(u)
        assert abs(left - right) < 1e-25 * abs(right)


def test_a_value_rounded_onto_an_edge_is_shown_with_its_offset():
    """x - 1 - ln 2 at 0.6931471805599453 is -1 - 9.4e-18 (ln 2 = 0.69314718055994530942…),
    outside arcsin's [-1, 1]; the float of it is -1, and "but … = -1" read as a
    contradiction (differential case 2026:10494)."""
    e = derivcheck.explain("sin(asin(((x-1)-(((ln(2)))-1))+(-1)))", 0.6931471805599453)
    assert e.differentiable is False
    assert e.reason.endswith("= -1 - 9.4e-18")


def test_an_edge_beyond_every_float_digit_is_seen_from_the_exact_point():
    """arcsec(erf(A) − erf(A(e/2)) + 1), A = (x² + 1)^(7x/2), at 1.3591399142295226, 1e-6
    below e/2: A is 145.1, erf(A) rounds to 1.0 at any working precision, and the argument is
    1 − (erfc(A(x0)) − erfc(A(e/2))), just below 1, where arcsec has no value. derivcheck
    said the edge lay within the float's resolution (differential case 2026:16193); the
    arcsec step and all after it have no value."""
    import mpmath

    text = "softplus(asec(erf((x^2+1)^(7/2*x)) - erf(((e/2)^2+1)^(7/2*(e/2))) + 1))"
    given = 1.3591399142295226
    e = derivcheck.explain(text, given)
    with mpmath.workdps(40):
        x0 = mpmath.mpf(given)
        area = lambda t: (t * t + 1) ** (mpmath.mpf(7) / 2 * t)  # noqa: E731
        offset = mpmath.erfc(area(x0)) - mpmath.erfc(area(mpmath.e / 2))
    assert offset > 0  # the argument is 1 − offset: inside (−1, 1)
    assert e.differentiable is False
    assert e.reason.endswith(f"= 1 - {mpmath.nstr(offset, 2)}")
    assert "arcsec needs an argument with |u| ≥ 1" in e.reason
    assert [math.isnan(s.value) for s in e.steps[-2:]] == [True, True]


@pytest.mark.parametrize(
    ("function", "point", "slope"),
    [
        # heaviside(7x/4) = 1 for x > 0: arccsc of it is π/2, on its domain's edge but
        # constant, so f = x^(π/2) and f′ = (π/2)·x^(π/2 - 1); the sides were looked at
        # 2^-40 away, below 0, and the point was "at the edge" (differential 2026:25505)
        (
            "(x)^(arccosec(heaviside((7/4)*x)))",
            "2.07678e-25",
            lambda x: math.pi / 2 * x ** (math.pi / 2 - 1),
        ),
        ("arccosec(heaviside(x))", "1e-106", lambda x: 0.0),  # π/2 for x > 0 (2026:26306)
    ],
)
def test_the_sides_of_a_tiny_point_are_looked_at_on_its_own_scale(function, point, slope):
    e = derivcheck.explain(function, Fraction(point))
    assert e.differentiable is True
    assert e.value == pytest.approx(slope(float(point)), rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("((heaviside(x+(-3)))^(-1/2))^(-1/2)", "1/1000000000000000000000000000000"),
        ("(relu(x)^(-1/2))^(-1/2)", "-1"),
        ("(relu(x)^(-1/2))^(-1/2)", "0"),
    ],
)
def test_a_negative_root_simplified_into_a_root_keeps_its_pole(text, point):
    """(u^(-1/2))^(-1/2) is u^(1/4) for SymPy (u ≥ 0 here), but as typed it needs u > 0:
    u^(-1/2) divides by √u. At u = 0 the function has no value (derivcheck said
    differentiable, f′ = 0: differential case 2026:145165); the reason says > 0."""
    from fractions import Fraction

    e = derivcheck.explain(text, Fraction(point))
    assert e.differentiable is False
    assert "needs a base > 0" in e.reason and e.reason.endswith("= 0")


def test_a_negative_root_simplified_into_a_root_is_differentiable_where_its_base_is_positive():
    """(relu(x)^(-1/2))^(-1/2) is x^(1/4) for x > 0: at 1 the derivative is 1/4."""
    e = derivcheck.explain("(relu(x)^(-1/2))^(-1/2)", 1)
    assert e.differentiable is True and e.value == 0.25


def test_a_whole_float_is_that_whole_number_beside_a_pole():
    """cot(x²) at -33540800.0: x² = 1124985264640000, whose sine is 0.0888, so cot has a
    value; the pole nearest is 1.3e-9 away, below the float's two ulps (1.5e-8), but a whole
    float is that whole number (README), so f′ = −2x/sin²(x²) there (the differential
    reference took the pole as at the point: case 2026:147229)."""
    import mpmath

    e = derivcheck.explain("cot((x)²)", -33540800.0)
    with mpmath.workdps(50):
        x0 = mpmath.mpf(-33540800)
        want = -2 * x0 / mpmath.sin(x0 * x0) ** 2
    assert e.differentiable is True and e.agrees
    assert abs(e.value - float(want)) <= 1e-14 * abs(float(want))
