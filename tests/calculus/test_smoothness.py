"""Smoothness decided from the mathematics: one-sided derivatives of the whole expression.

Every expected value below is worked out by hand from the branches of the functions
(|u| = ∓u, relu(u) = 0 or u, …) on each side of the point.
"""

from __future__ import annotations

import math

import pytest
import sympy

import derivcheck
from derivcheck.calculus.functions import elu, hardtanh, leaky_relu, relu
from derivcheck.calculus.smoothness import smoothness

x, y = sympy.symbols("x y", real=True)
R = sympy.Rational

SMOOTH_AT_A_BREAK = [  # (f, point, derivative there)
    (x * abs(x), 0, 0),
    (abs(x) ** 3, 0, 0),
    (relu(x) ** 2, 0, 0),
    (elu(x), 0, 1),  # a = 1: e^x - 1 and x both have slope 1 at 0
    (relu(x) - relu(-x), 0, 1),  # this is x; relu'(0) = 0 would give 0
    (relu(x**2), 0, 0),  # the argument x² stays >= 0 on both sides
    (sympy.sign(x) * x**2, 0, 0),  # = x|x|
    (relu(-relu(x)), 0, 0),  # identically 0
    # |x^(2/3)|·x = |t|^(5/3)·sign on both sides: quotient |t|^(2/3) → 0, although the
    # branch's derivative has x^(-1/3) in it (differential case 2026:6562 took a numeric
    # estimate 1.9e-6 ± 1.7e-6 for it); x^(2/3) is the real root squared
    (abs(x ** R(2, 3)) * x, 0, 0),
    (-R(7, 5) * x * (x - R(2, 3)) * abs(x ** R(2, 3)), 0, 0),
]
KINKS = [  # (f, point, left slope, right slope)
    (abs(x), 0, -1, 1),
    (leaky_relu(x), 0, R(1, 100), 1),
    (leaky_relu(x, R(1, 5)), 0, R(1, 5), 1),
    (relu(3 * x - 1), R(1, 3), 0, 3),
    (abs(sympy.exp(x) - 2), sympy.log(2), -2, 2),
    (relu(x - sympy.pi / 4), sympy.pi / 4, 0, 1),
    (abs(sympy.sin(x)), sympy.pi, -1, 1),
    (sympy.Max(x, x**2), 0, 0, 1),  # x² wins on the left, x on the right
    (sympy.Max(x, x**2), 1, 1, 2),  # x wins on the left, x² on the right
    (hardtanh(x), 1, 1, 0),
    (hardtanh(x), -1, 0, 1),
    (sympy.floor(x) * (x - 2), 2, 1, 2),  # continuous at 2 (both sides 0), slopes 1 and 2
    (sympy.sign(x) * x, 0, -1, 1),
    (relu(relu(x) - 1), 1, 0, 1),
    (elu(x, 2), 0, 2, 1),
]
JUMPS = [  # (f, point, left value, right value)
    (sympy.sign(x), 0, -1, 1),
    (sympy.floor(x), 2, 1, 2),
    (sympy.ceiling(x), -1, -1, 0),
    (sympy.Heaviside(x - 1), 1, 0, 1),
]


@pytest.mark.parametrize(("f", "point", "slope"), SMOOTH_AT_A_BREAK)
def test_differentiable_although_a_non_smooth_function_is_at_its_break(f, point, slope):
    s = smoothness(f, x, {x: point})
    assert s.kind == "smooth" and s.differentiable and s.at_break
    assert s.left == slope and s.right == slope and s.derivative == slope
    assert s.message().key == "smoothness.smooth_at_break"


@pytest.mark.parametrize(("f", "point", "left", "right"), KINKS)
def test_kinks_report_both_slopes(f, point, left, right):
    s = smoothness(f, x, {x: point})
    assert s.kind == "kink" and not s.differentiable
    assert sympy.simplify(s.left - left) == 0 and sympy.simplify(s.right - right) == 0
    assert s.left_value == s.right_value
    assert s.method == "exact"


@pytest.mark.parametrize(("f", "point", "left", "right"), JUMPS)
def test_jumps_are_jumps_not_kinks(f, point, left, right):
    s = smoothness(f, x, {x: point})
    assert s.kind == "jump" and not s.differentiable
    assert (s.left_value, s.right_value) == (left, right)
    assert s.message().key == "smoothness.jump"


def test_away_from_every_break_nothing_is_at_a_break():
    for f, point in ((abs(x), 1), (sympy.floor(x), R(5, 2)), (relu(x), -3), (sympy.sin(x), 0)):
        s = smoothness(f, x, {x: point})
        assert s.kind == "smooth" and not s.at_break and s.message() is None


def test_several_variables_slice_along_the_one_asked():
    point = {x: 1, y: 1}
    assert smoothness(abs(x - y), x, point).kind == "kink"
    along_y = smoothness(abs(x - y), y, point)  # |1 - y|: slope -1 left of 1, +1 right
    assert (along_y.left, along_y.right) == (-1, 1)
    assert smoothness(abs(x - y) * (x - y), x, point).kind == "smooth"


@pytest.mark.parametrize(
    ("text", "left", "right"),
    [("min(x, pi/4)", 1, 0), ("max(x, pi/4)", 0, 1), ("max(x, 1/3)", 0, 1)],
)
def test_a_tie_within_float_resolution_is_taken_as_at_the_point(text, left, right):
    """math.pi/4 and 1/3 are floats a hair from the tie: min(x, π/4) has slopes 1 and 0."""
    import math

    import derivcheck

    x0 = math.pi / 4 if "pi" in text else 1 / 3
    e = derivcheck.explain(text, x0)
    assert not e.differentiable
    sides = e.one_sided[e.variable]
    assert (sides.left, sides.right) == (left, right)


@pytest.mark.parametrize(
    ("text", "x0", "slope"),
    [
        ("sqrt(relu(x))", -1, 0),
        ("sqrt(max(x, 0))", -2, 0),
        ("sinh(cbrt(hardtanh(x+6) - 1))", 1.1, 0),
    ],
)
def test_a_function_constant_near_the_point_has_derivative_zero(text, x0, slope):
    """relu(x) is 0 near -1, so sqrt(relu(x)) is 0 there: f' = 0, although the chain rule
    multiplies 1/(2√u) = ∞ at u = 0 by relu'(x) = 0 (found by the differential tests)."""
    import derivcheck

    e = derivcheck.explain(text, x0)
    assert e.differentiable and e.value == slope


def test_an_infinite_one_sided_slope_is_not_smooth():
    """sqrt(relu(x)) at 0: slope 0 from the left, +∞ from the right (was called smooth)."""
    import derivcheck

    e = derivcheck.explain("sqrt(relu(x))", 0)
    assert not e.differentiable


RESOLUTION_CASES = [  # at the float nearest 10/3, the break is taken as at the point
    # a jump of 1 next to a smooth rest of -1.1e10 (differential run, case 2026:1998)
    ("(heaviside((((4/5)(x))^4)-(((4/5)((10/3)))^4)))-((((7*x)^2)+1)^(x))", False),
    ("relu(x - 10/3) + 1e10*x", False),  # slopes 1e10 and 1e10 + 1: a kink
    ("relu(x - 10/3)^2 + 1e10*x", True),  # slopes 1e10 on both sides
    ("abs(3x - 10)", False),
]

TINY_KINK = "(sec((-8)(x)))*(abs((tanh((-7)·x))-(tanh((-7)·((-7/3))))))"


def test_a_kink_with_tiny_slopes_within_float_resolution_is_a_kink():
    """Slopes ∓7·sech²(49/3)·sec(56/3) = ±1.85e-13 at the float nearest -7/3 (differential
    case 2026:2280): a kink, however small the slopes."""
    import mpmath

    from derivcheck import explain

    e = explain(TINY_KINK, -2.3333333333333335)
    assert e.differentiable is False
    with mpmath.workdps(40):
        c = -mpmath.mpf(7) / 3
        slope = 7 * mpmath.sech(7 * c) ** 2 * mpmath.sec(8 * c)
    sides = sorted([float(e.one_sided[e.wrt[0]].left), float(e.one_sided[e.wrt[0]].right)])
    assert sides[0] == pytest.approx(-abs(float(slope)), rel=1e-6, abs=0)
    assert sides[1] == pytest.approx(abs(float(slope)), rel=1e-6, abs=0)


@pytest.mark.parametrize(("function", "differentiable"), RESOLUTION_CASES)
def test_a_break_within_float_resolution_is_judged_on_what_differs(function, differentiable):
    from derivcheck import explain

    assert explain(function, 3.3333333333333335).differentiable is differentiable


@pytest.mark.parametrize(
    ("function", "point"),
    [("cos(sign(x+5/2))", -2.5), ("sign(x)^2", 0), ("heaviside(x,1)*heaviside(-x,1)", 0)],
)
def test_equal_one_sided_limits_that_miss_the_value_are_a_discontinuity(function, point):
    """cos(sign(x + 5/2)) is cos(1) on both sides of -5/2 and cos(0) = 1 there: not
    continuous, so not differentiable (differential case 2026:3567)."""
    from derivcheck import explain

    assert explain(function, point).differentiable is False


def test_an_integer_written_with_irrationals_is_a_break_of_floor():
    """(1 + √2)^70 + (1 − √2)^70 is an integer (6.2e26; the two conjugates' sum), so floor
    jumps there; the 30-digit shortcut of the integer test took anything above 1e25 as no
    integer. The identity is the binomial theorem's: odd powers of √2 cancel."""
    import sympy

    from derivcheck.calculus.catalogue import lookup

    jump = lookup("floor").breaks[0]
    v = (1 + sympy.sqrt(2)) ** 70 + (1 - sympy.sqrt(2)) ** 70
    assert jump.at(v) is True
    assert jump.at(v + sympy.Rational(1, 3)) is False


@pytest.mark.parametrize(
    ("function", "point"),
    [
        ("1/(x - 2/7)", 2 / 7),  # 0.2857142857142857 is 2/7 - 1.6e-17
        ("tan(x)", math.pi / 2),  # cos(math.pi/2) = 6.1e-17
        # differential case 2026:2413: a pole of u^-2 where hardtanh(atan x) = atan(2/7)
        ("cos((hardtanh(atan(x)) - hardtanh(atan(2/7)))^(-2))", 2 / 7),
        # edges of the domain: 0.33333333333333337 is 1/3 + 3.7e-17, -1.3333333333333333
        # is -4/3 + 7.4e-17 (a false DISAGREES there before: differential case 2026:1579)
        ("sqrt(x - 1/3)", 0.33333333333333337),
        ("(x + 4/3)^(-1/2)", -1.3333333333333333),
        ("asin(3x)", 1 / 3),
        # an odd root's vertical tangent (differential case 2026:3400)
        ("x^3 * cbrt(9/10 x + 9/70)", -1 / 7),
        # an edge SymPy simplified away: cos(arccos(u)) is u, for |u| <= 1 only; u = -1 at
        # 4/3, and 1.3333333333333333 is 4/3 - 7.4e-17 (differential case 2026:362)
        ("cos(arccos(2/x - 5/2))", 1.3333333333333333),
        # poles of tan(x⁵) are 3.0e-13 apart at 1200.3, closer than the float spacing 2.3e-13
        # ×2; at the decimal 1200.3000000022514, cos(x⁵) = -0.9999999988 (mpmath, 60
        # digits), so Newton's distance |cos u / (u′ sin u)| is 1.9e-9, yet cos u is 0.71
        # half a unit in the last place to the left: a pole lies within (it was
        # "differentiable": differential case 2026:114849 is of this kind)
        ("tan(x^5)", 1200.3000000022514),
    ],
)
def test_a_pole_or_edge_within_float_resolution_is_taken_as_at_the_point(function, point):
    """As with a kink: the float cannot hold 2/7 or π/2, so a pole (or an edge of the
    domain) closer than float resolution is at the point, and there is no derivative
    (said so, in both languages)."""
    from derivcheck import explain

    e = explain(function, point)
    assert e.differentiable is False
    assert math.isnan(e.value)
    assert "within float resolution" in e.reason
    assert "浮点数的分辨率" in e.to_text(lang="zh")


@pytest.mark.parametrize(("function", "point", "slope"), [("1/(x - 2/7)", 0.3, -4900)])
def test_a_pole_farther_than_float_resolution_is_not_at_the_point(function, point, slope):
    """0.3 - 2/7 is 1/70 to 15 digits (the float 0.3 is 3/10 to 17): f′ = -1/(1/70)² = -4900."""
    from derivcheck import explain

    e = explain(function, point)
    assert e.differentiable is True
    assert e.value == pytest.approx(slope, rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("function", "typed"),
    [("relu(3x-1)", "0.3333333333333333"), ("tan(x)", "1.5707963267948966")],
)
def test_a_float_pasted_on_the_command_line_is_judged_as_the_float(run_cli, function, typed):
    """--at 0.3333333333333333 is a float printed in full (16 digits, its repr): the CLI
    must decide as explain(f, 0.3333333333333333) does in Python — on the kink at 1/3, at
    the pole π/2 — not as the exact decimal 3333333333333333/10^16 beside them."""
    result = run_cli("explain", function, "--at", typed)
    assert result.returncode == 0
    assert "within float resolution" in result.stdout


def test_a_short_decimal_on_the_command_line_is_the_exact_number(run_cli):
    """0.3 is 3/10, not a float that may stand for something between floats: relu(x - 3/10)
    at 0.3 is on its kink exactly (both sides' slopes 0 and 1), said without any float
    resolution."""
    result = run_cli("explain", "relu(x - 3/10)", "--at", "0.3")
    assert "within float resolution" not in result.stdout
    assert "left derivative dy/dx: exact 0" in result.stdout
    assert "right derivative dy/dx: exact 1" in result.stdout


def test_values_beside_an_edge_that_are_tiny_and_imaginary_are_not_real():
    """(x^(1-x)/π - 1/π)^(3/2) at 1: the base is -(x - 1)²/π + … on both sides, so f is
    real at 1 only; beside 1 its value is -1.35e-37 i, which a tolerance relative to 1
    took as real (differential case 2026:4676)."""
    from derivcheck import explain

    e = explain("(exp(x))*((((x/π)/((x)^(x)))-((((1))/π)/(((1))^((1)))))^(3/2))", 1.0)
    assert e.differentiable is False
    assert "either side" in e.reason


def test_a_kink_beside_a_ceiling_off_its_jumps_has_both_exact_slopes():
    """max(e^hardtanh(x) - e^-1 + softsign(-5/2), softsign(x)) + ceil(x + 4) at -5/2: both
    arguments of max are 9/7 there; on the left the first wins (hardtanh = -1: slope 0), on
    the right softsign, slope 1/(1 + 5/2)² = 4/49; ceil(x + 4) is constant near 1.5.
    SymPy leaves ceiling's derivative unevaluated, and the left slope was "undefined"
    (differential case 2026:8003)."""
    import sympy

    from derivcheck import explain

    text = "(max(((e^(hardtanh(x)))-(e^(hardtanh((-5/2)))))+(softsign((-5/2))), softsign(x)))"
    e = explain(text + "+(ceil(x+4))", sympy.Rational(-5, 2))
    (s,) = e.smoothness.values()
    assert s.kind == "kink" and s.method == "exact"
    assert (s.left, s.right) == (0, R(4, 49))


def test_zero_times_an_infinite_local_derivative_without_a_break_is_decided_by_limits():
    """2x·arccos(1 - 3.15x²) at 0: arccos(1 - 3.15x²) = √6.3·|x|·(1 + O(x²)), so f is
    2√6.3·x|x| + … and f′(0) = 0; the chain rule's 0·∞ (arccos′ at 1) was reported as a
    vertical tangent (differential case 2026:11335)."""
    from derivcheck import explain

    e = explain("(x+x)*(acos(((((7/5)*x)·((-2.25)*x))-(((7/5)*((0)))·((-2.25)*((0)))))+1))", 0.0)
    assert e.differentiable is True
    assert e.value == 0.0


def test_a_kink_within_float_resolution_times_a_floor_that_is_zero_is_no_kink():
    """floor(x)·max(x + artanh(x) - 1/7 - artanh(1/7) + 1/7, x) at 0.14285714285714285,
    within float resolution of max's tie at 1/7: floor(x) = 0 on a neighbourhood, so f = 0
    there and f′ = 0; floor's unevaluated derivative made the two sides' slopes look
    different (differential case 2026:14581)."""
    from derivcheck import explain

    text = (
        "(floor(x))*(max(((x+(artanh(x)))-(((1/7))+(artanh((1/7)))))+(max((1/7), (1/7))),"
        " max(x, x)))"
    )
    e = explain(text, 0.14285714285714285)
    assert e.differentiable is True
    assert e.value == 0.0


def test_a_root_of_a_step_that_is_constant_nearby_is_decided_quickly():
    """∛|heaviside(x/4)| at -1/4: heaviside is 0 on a neighbourhood, so f = 0 there and
    f′ = 0. SymPy's limit, asked for the one-sided slopes, ran past the 10 s limit
    (differential case 2026:27011)."""
    import time

    import sympy

    from derivcheck import explain

    start = time.process_time()
    e = explain("cbrt(abs(heaviside((1/4)(x))))", sympy.Rational(-1, 4))
    assert time.process_time() - start < 2.0
    assert e.differentiable is True
    assert e.value == 0.0


@pytest.mark.parametrize(
    ("function", "point", "step"),
    [  # the chain rule's 1/(3·u^(2/3)) at u = 0 times an inner slope that is not 0: ∞
        (
            "(cbrt((logistic(cosech(x)))-(logistic(cosech((11/5))))))-((x+(7/5))^4)",
            sympy.Rational(11, 5),
            "du4/du3",
        ),  # differential case 2026:6550
        (
            "(cbrt(((csch((-4/3)·x))^5)-((csch((-4/3)·((-4))))^5)))+((((x+(-1))^2)+1)^(x))",
            -4,
            "du9/du8",
        ),  # 2026:1249
        (
            "(cbrt((arccot(th(x)))-(arccot(th((-5/4))))))-(arccsc(x-(0.75)))",
            sympy.Rational(-5, 4),
            "du4/du3",
        ),  # 2026:3482
    ],
)
def test_a_vertical_tangent_inside_a_large_function_is_decided_quickly(function, point, step):
    """∛(g(x) - g(a)) at a with g′(a) ≠ 0 has a vertical tangent: its difference quotient
    grows like h^(-2/3). SymPy's limit, asked for the one-sided slopes of the whole
    function, ran past the 10 s limit; the growing quotients now settle it first."""
    import time

    from derivcheck import explain

    start = time.process_time()
    e = explain(function, point)
    assert time.process_time() - start < 2.0
    assert e.differentiable is False
    assert e.reason.startswith(f"the derivative is infinite here (a vertical tangent): {step} =")


def test_the_quotient_screen_leaves_finite_slopes_to_sympy():
    """A chain rule's 0·∞ whose difference quotient tends to a finite limit is not screened
    out: ∛(x³ + x⁴) at 0 is x·∛(1 + x), with slope 1 (1/(3u^(2/3)) = ∞ times 3x² + 4x³ = 0)."""
    from derivcheck import explain

    e = explain("cbrt(x^3 + x^4)", 0)
    assert e.differentiable is True
    assert e.value == 1.0


@pytest.mark.parametrize(
    ("function", "kind", "left", "right"),
    [
        # x^(4/3) = ∛x⁴ is positive on both sides of 0 and has no second derivative there:
        # ceil of it is 1 beside 0 and 0 at it (differential case 2026:14844: "smooth")
        ("ceiling(x^(4/3))", "jump", 1, 1),
        (
            "ceiling((((-3)(x))×(((-1/5)*x)^(1/3)))-(((-3)((0)))×(((-1/5)*((0)))^(1/3))))",
            "jump",
            1,
            1,
        ),
        ("floor(x^(5/3))", "jump", -1, 0),  # ∛x⁵ < 0 left of 0
        ("heaviside(x^(5/3))", "jump", 0, 1),
        ("floor(x^(4/3))", "smooth", 0, 0),  # 0 ≤ ∛x⁴ < 1 near 0: floor is 0 there
    ],
)
def test_the_side_of_a_root_without_a_taylor_series_is_read_beside_the_point(
    function, kind, left, right
):
    from derivcheck import explain

    e = explain(function, 0)
    (s,) = e.smoothness.values()
    assert s.kind == kind and s.method == "exact"
    assert e.differentiable is (kind == "smooth")
    if kind == "jump":
        assert (s.left_value, s.right_value) == (left, right)


def test_the_numeric_fallback_compares_the_sides_with_the_value_at_the_point():
    """ceil(x²) is 1 on both sides of 0 and 0 at it: a jump, although both sides agree."""
    from derivcheck.calculus.smoothness import _numeric

    assert _numeric(sympy.ceiling(x**2), x, sympy.S.Zero, ("ceil",)).kind == "jump"
    assert _numeric(sympy.floor(x**2), x, sympy.S.Zero, ("floor",)).kind == "smooth"


def test_heaviside_at_zero_is_one_value_in_every_evaluator():
    """H(0) is SymPy's 1/2 (or the h0 given) in the catalogue record's mpmath function as
    in the exact value and the NumPy kernel: the record said 0."""
    import mpmath

    from derivcheck.calculus.catalogue import by_key
    from derivcheck.numeric.evaluate import compile_expr

    record = by_key("heaviside")
    for h0, at_zero in ((None, 0.5), (0, 0.0), (1, 1.0)):
        h = sympy.Heaviside(x) if h0 is None else sympy.Heaviside(x, h0)
        assert float(h.subs(x, 0)) == at_zero
        assert complex(compile_expr(h, [x])([0.0])[0]).real == at_zero
        extra = () if h0 is None else (mpmath.mpf(h0),)
        assert record.mpmath(mpmath.mpf(0), *extra) == at_zero
    assert record.mpmath(mpmath.mpf(-1)) == 0 and record.mpmath(mpmath.mpf(2)) == 1


@pytest.mark.parametrize(
    ("function", "point", "kind"),
    [
        # log10(10^x) + 7 is 0 at -7, which SymPy does not see: sign of it is 0 there, so
        # cos(sign(…)) is 1 at -7 and cos(1) beside it (differential case 2026:32507)
        ("cos(sgn((log10(10^(x)))-(log10(10^((-7))))))", -7, "jump"),
        ("cos(heaviside(x))", 0, "jump"),  # cos(1/2) at 0, cos(0) and cos(1) beside it
        ("abs(floor(x)-1/2)", 1, "smooth"),  # 1/2 on both sides and at 1
    ],
)
def test_f_at_the_break_takes_each_break_functions_value_there(function, point, kind):
    from derivcheck import explain

    e = explain(function, point)
    (s,) = e.smoothness.values()
    assert s.kind == kind
    assert e.differentiable is (kind == "smooth")


def test_a_vertical_tangent_at_resolution_that_f_does_not_depend_on_is_none():
    """floor(x)·∛(x^x - 0.4^0.4) at 0.4: ∛'s vertical tangent is within float resolution of
    the float 0.4, but floor(x) = 0 on a neighbourhood, so f = 0 there and f′ = 0 (it was
    "taken as at the tangent": differential case 2026:33248). Where it does depend on it,
    the reason shows the root as people write it, not as SymPy prints it."""
    from derivcheck import explain

    e = explain("(floor(x))*(cbrt(((x)^(x))-(((2/5))^((2/5)))))", 0.4)
    assert e.differentiable is True and e.value == 0.0
    e = explain("floor(x+1)*cbrt(x^x-(2/5)^(2/5))", 0.4)
    assert e.differentiable is False
    assert "**" not in e.reason and "has a vertical tangent" in e.reason


def test_a_break_reached_through_an_irrational_power_is_found_exactly():
    """hardtanh(10^((x+5)^(5/2)) - 10^(12^(5/2)) - 1)·(-x) at 7: the argument is exactly
    -1, hardtanh's kink, with slopes 0 (left) and 10^(288√12)·… (right). Its irrational
    exponent made every input a 30-digit float, the argument -1 + 4e-471, and f
    "differentiable" (differential case 2026:31881). Left of 7 hardtanh is -1: f = x,
    slope 1."""
    from derivcheck import explain

    e = explain("(hardtanh(((10^((x+5)^(5/2)))-(10^((((7))+5)^(5/2))))+(-1)))*(x-(2*x))", 7)
    (s,) = e.smoothness.values()
    assert s.kind == "kink" and e.differentiable is False
    assert s.left == 1


def test_a_tie_a_float_cannot_hold_is_no_tie():
    """min(asinh(x)·(x/x), x) at 7.3898e-141: asinh(x) - x = -x³/6 = -6.7e-422, not 0, so
    min is asinh(x) on a neighbourhood and f′ = 1/√(1 + x²) = 1. An absolute 10⁻⁴⁰ called the
    difference 0 and the point a tie (differential case 2026:45204)."""
    from derivcheck import explain

    e = explain("min((argsinh(x))(x/x), x)", 7.3898e-141)
    assert e.differentiable is True and e.value == 1.0


def test_the_side_of_a_root_is_read_with_the_digits_it_needs():
    """softplus(x^1.8) - ln 2 beside 0 is about x^1.8/2: 2e-44 at 2^-80, which 30 digits
    beside ln 2 call 0. heaviside of it jumps from 0 to 1 at 0 (x^(9/5) is a real odd root,
    negative left of 0), so cos of it is 1, cos(1/2), cos(1): a jump (differential case
    2026:47295: "differentiable")."""
    from derivcheck import explain

    e = explain("cos(heaviside((softplus((x)^(1.8)))-(softplus(((0))^(1.8)))))", 0.0)
    (s,) = e.smoothness.values()
    assert s.kind == "jump" and e.differentiable is False
    assert (s.left_value, s.right_value) == (1, sympy.cos(1))


def test_a_floor_whose_jumps_crowd_within_float_resolution_is_a_jump():
    """floor(x⁵) at 7376.99: x⁵ is 2.18e19 and grows by 5x⁴ = 1.48e16 per unit of x, so it
    passes an integer every 6.8e-17, while floats there are 9.1e-13 apart: thousands of
    jumps lie within float resolution of the point (it was "differentiable" with
    derivative 0: differential case 2026:113455). Each side's differences straddle the
    jumps too, which is no disagreement: they give no verdict and say why."""
    import mpmath

    from derivcheck import explain

    x0 = mpmath.mpf("7376.99")
    with mpmath.workdps(40):
        assert 1 / (5 * x0**4) < mpmath.mpf(10) ** -16 < math.ulp(7376.99)
    e = explain("floor(x^5)", 7376.99)
    assert e.differentiable is False
    assert "within float resolution" in e.to_text()
    text = e.to_text()
    assert "DISAGREES" not in text
    assert text.count("jumps within the step here") == 2  # left and right derivatives
    assert "在步长之内就有跳跃" in e.to_text(lang="zh")


def test_one_sided_slopes_found_only_by_differences_are_not_called_exact():
    """tan(arccsc(sec x) - 3^relu(x)) at 0: arccsc(sec x) = π/2 - |x|, so the left slope is
    sec²(π/2 - 1) = 1/sin²(1) = 1.4122829274… SymPy finds no one-sided limit here, and the
    slopes come from one-sided differences (1.41228291157, 1e-8 off): they were shown as
    "exact 1.41228291157239 … → agrees", compared with themselves (differential case
    2026:45390). They are estimates, said so, with no verdict."""
    import mpmath

    from derivcheck import explain

    e = explain("tan((acsc(sec(x)))-(3^(relu(x))))", 0)
    assert e.differentiable is False
    (sides,) = e.one_sided.values()
    assert sides.exact is False and sides.left_verdict is None and sides.right_verdict is None
    assert sides.left == pytest.approx(float(1 / mpmath.sin(1) ** 2), rel=1e-6, abs=0)
    text = e.to_text()
    assert text.count("SymPy found no exact one-sided limit") == 2
    assert "exact 1.41" not in text and "agrees" not in text
    assert e.to_dict()["one_sided"]["x"]["left"] is None
    assert "求不出精确的单侧极限" in e.to_text(lang="zh")


def test_logarithms_of_numbers_written_two_ways_are_equal_exactly():
    """leaky_relu(log2(7x) − log2(7/4)) under a sigmoid at 1/4: the kink's argument is
    log(7)/log(2) − log(7/4)/log(2) − 2, exactly 0 (log(7/4) = log 7 − 2·log 2), which SymPy
    keeps as a sum; the numbers added digits to 4,000 before calling it 0 (2.4 s CPU:
    differential case 2026:137293). The slopes: σ′(0)·(1/(x·ln 2)) = 1/ln 2 at x = 1/4,
    times 1/10 on the left."""
    import math

    import sympy

    from derivcheck import explain
    from derivcheck.calculus.catalogue import is_zero
    from derivcheck.calculus.functions import sigmoid

    ln2 = sympy.log(2)
    inside = -sympy.log(7) / ln2 + sympy.log(sympy.Rational(7, 4)) / ln2 + 2
    assert inside != 0  # SymPy alone does not see it
    assert is_zero(inside) and is_zero(sigmoid(inside) - sympy.Rational(1, 2))
    assert not is_zero(inside + sympy.log(3) / 10**30)
    e = explain("sigmoid(lrelu((log2(x-((-6)*x)))-(log2(((1/4))-((-6)*((1/4))))), 0.1))", 0.25)
    assert e.differentiable is False
    (sides,) = e.one_sided.values()
    assert sides.exact
    assert math.isclose(sides.left, 0.1 / math.log(2), rel_tol=1e-14)
    assert math.isclose(sides.right, 1 / math.log(2), rel_tol=1e-14)


def test_a_step_of_a_step_that_stays_on_its_break_is_no_jump():
    """(sec²x + 1)^H(H(x)) at -0.9305330550553101: H(x) = 0 all around the point, so the
    exponent is H(0) = 1/2 there and f = √(sec²x + 1), with f′ = sec²x·tan x/√(sec²x + 1).
    The value on the break was exact and the sides' value a 60-digit Float of the same
    number: they differ by the Float's rounding, which was called a jump (differential case
    2026:5351). At 0 the exponent goes from H(0) = 1/2 to H(1) = 1: a jump."""
    import math

    from derivcheck import explain

    x0 = -0.9305330550553101
    e = explain("(((sec(x))^2)+1)^(heaviside(heaviside(x)))", x0)
    sec2 = 1 / math.cos(x0) ** 2
    assert e.differentiable is True
    assert math.isclose(e.value, sec2 * math.tan(x0) / math.sqrt(sec2 + 1), rel_tol=1e-13)
    assert explain("(((sec(x))^2)+1)^(heaviside(heaviside(x)))", 0).differentiable is False


def test_sides_that_sympy_wrongly_calls_different_are_equal():
    """elu(log2(−9x) − log2(7.2)) at −0.8: the argument is 0, elu is smooth there (slope 1
    both sides) and f′ = cos(0)·1/(x·ln 2). Its right side is sin(1 − (36/5)^(1/ln 2)·
    e^-2/(9/5)^(1/ln 2)), where 4^(1/ln 2) = e²: sin(0), which SymPy's is_zero calls False,
    and derivcheck said "jump" (differential case 2026:147351)."""
    from derivcheck.calculus.catalogue import is_zero

    l2 = sympy.log(2)
    side = sympy.sin(
        1 - sympy.Rational(36, 5) ** (1 / l2) * sympy.exp(-2) / sympy.Rational(9, 5) ** (1 / l2)
    )
    assert is_zero(side)
    e = derivcheck.explain("sin(elu((log2((-9)·x))-(log2((-9)·((-4/5))))))", -0.8)
    assert e.differentiable is True and e.agrees
    assert abs(e.value - 1 / (-0.8 * math.log(2))) <= 1e-15


@pytest.mark.parametrize(
    ("text", "differentiable", "right"),
    [
        ("(floor((-1)*x))*(elu(((6*x)^3)-((6*((-5/7)))^3)))", True, 0),  # floor(5/7) = 0
        ("(floor((-1)*x))*(relu(((6*x)^3)-((6*((-5/7)))^3)))", True, 0),
        ("(floor(x))*(relu(((6*x)^3)-((6*((-5/7)))^3)))", False, -648 * (5 / 7) ** 2),
    ],
)
def test_a_floor_factor_is_constant_beside_a_break_within_resolution(text, differentiable, right):
    """At the float of −5/7 the relu/elu argument 216x³ + 27000/343 is 0 within resolution.
    floor(−x) is 0 around it, so f is 0 there, differentiable; floor(x) is −1, so f is
    −relu(u): slopes 0 and −u′ = −648x² (a kink). SymPy's derivative of floor left
    Subs(0, ξ, −x) terms without a value, and the first was called a kink (differential
    case 2026:149437)."""
    e = derivcheck.explain(text, -0.7142857142857143)
    assert e.differentiable is differentiable
    if differentiable:
        assert e.value == 0
    else:
        side = e.smoothness[e.wrt[0]]
        assert side.kind == "kink" and abs(float(side.right) - right) <= 1e-9 * abs(right)


def test_a_kink_of_two_parts_in_ten_to_the_twenty_two_is_a_kink():
    """10^x·max((1/2)^(0.7x/x) − (1/2)^0.7 + erf(36/5), erf(9x)) at 4/5: a tie, and the right
    slope exceeds the left by 10^0.8·9·erf′(7.2) ≈ 1.96e-21 beside 14.5 (differential case
    2026:153460, where the reference first took the sides for equal)."""
    from fractions import Fraction

    text = (
        "(10^(x))*(max((((1/2)^(((0.7)*x)/x))-((1/2)^(((0.7)*((4/5)))/((4/5)))))"
        "+(erf(9×((4/5)))), erf(9×x)))"
    )
    e = derivcheck.explain(text, Fraction(4, 5))
    side = e.smoothness[e.wrt[0]]
    gap = sympy.N(
        10 ** sympy.Rational(4, 5)
        * 18
        / sympy.sqrt(sympy.pi)
        * sympy.exp(-(sympy.Rational(36, 5) ** 2)),
        30,
    )
    assert e.differentiable is False and side.kind == "kink"
    assert abs(float(side.right - side.left) - float(gap)) <= 1e-12 * float(gap)
