"""Values that float64 cannot hold (beyond about 1.8·10^308, or below 4.9·10^-324) are shown
and checked as what they are, never as ∞ or 0. Expected values from mpmath at 50 digits."""

from __future__ import annotations

import math

import mpmath
import pytest

import derivcheck


@pytest.fixture(autouse=True)
def fifty_digits():
    with mpmath.workdps(50):
        yield


def shown(value: mpmath.mpf, digits: int) -> str:
    """A number as the text renderer writes it: ``digits`` significant digits, e345."""
    mantissa, exponent = mpmath.nstr(value, digits, min_fixed=1, max_fixed=0).split("e")
    return f"{mantissa}e{int(exponent)}"


def test_ln_1_plus_exp_at_800_is_checked_in_extended_precision():
    result = derivcheck.explain("ln(1+e^x)", 800)
    assert result.value == 1.0  # e^800/(1 + e^800) = 1 - 3.7e-348
    assert result.differentiable and result.agrees
    assert result.numeric.method == "extended"
    text = result.to_text()
    assert f"e^800 = {shown(mpmath.exp(800), 6)}" in text
    assert f"1/u2 = {shown(1 / (1 + mpmath.exp(800)), 6)}" in text
    assert "∞" not in text


def test_an_underflowing_derivative_is_shown_and_compared_as_itself():
    result = derivcheck.explain("sigmoid(x)", -800)
    truth = mpmath.exp(-800) / (1 + mpmath.exp(-800)) ** 2
    assert result.value == 0.0 and result.agrees  # the float is 0; the report is not
    text = result.to_text()
    assert f"= {shown(truth, 15)}" in text
    assert "estimate 0," not in text
    verdict = result.verdicts[result.variable]
    assert verdict.ratio < 1e-6  # compared in mpmath, not as 0 against 0


def test_a_derivative_beyond_float_range_is_not_called_a_vertical_tangent():
    result = derivcheck.explain("x e^x - e^x", 750)
    truth = 750 * mpmath.exp(750)
    assert result.differentiable and result.reason is None
    assert math.isinf(result.value)
    assert f"= {shown(truth, 15)}" in result.to_text()
    assert result.agrees


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_extended_check_is_named_in_both_languages(lang):
    text = derivcheck.explain("ln(1+e^x)", 800).to_text(lang)
    assert (
        "central differences at extended precision" if lang == "en" else "扩展精度中心差分"
    ) in text


@pytest.mark.parametrize("x0", [5.1e-174, 1e-300])
def test_a_float_check_that_cannot_resolve_a_tiny_derivative_is_redone_at_40_digits(x0):
    """x²·e^(x/3) at 5.1e-174: the complex step's Im f underflowed (0 ± 2.5e-130 for 1.02e-173,
    found by hypothesis). The derivative is x(x/3 + 2)e^(x/3)."""
    from fractions import Fraction

    point = mpmath.mpf(Fraction(x0).numerator) / Fraction(x0).denominator
    truth = point * (point / 3 + 2) * mpmath.exp(point / 3)
    result = derivcheck.explain("x^2 e^(x/3)", x0)
    assert result.agrees and result.numeric.method == "extended"
    assert abs(mpmath.mpf(result.numeric.estimate) - truth) < 1e-12 * truth
    assert result.numeric.error_estimate < 1e-12 * float(truth)
    assert "floating point could only tell the derivative" in result.to_text()


@pytest.mark.parametrize(
    ("text", "x0"), [("1/(x+4)", -3.9999999996), ("4x*csc(x-2)", 2.0000000002)]
)
def test_a_point_that_is_not_a_float_is_judged_where_the_differences_were_taken(text, x0):
    """-3.9999999996 is not a float; 1/(x+4) has f' = -1/(x+4)^2 = -6.25e18 there exactly, but
    -6.2499990e18 at the float nearest it (x0 + 4 is off by 1.6e-7 relatively), which is
    where finite differences evaluate f. Found by the differential tests."""
    from fractions import Fraction

    result = derivcheck.explain(text, x0)
    assert result.agrees
    if text == "1/(x+4)":
        assert result.value == -6.25e18  # the exact derivative at the decimal typed
        at_float = -1 / (mpmath.mpf(Fraction(x0).numerator) / Fraction(x0).denominator + 4) ** 2
        assert abs(result.numeric.estimate - at_float) < 1e-9 * abs(at_float)
    assert "the point is not a float" in result.to_text()


@pytest.mark.parametrize(
    ("text", "x0"),
    [("csc(3x - 3)", "1.00000000001"), ("x^(3/2) csc(cos(x) - cos(4))", "3.99999999996")],
)
def test_the_extended_check_steps_inside_a_nearby_pole(text, x0):
    """A pole 1e-11 away: the extended check's step must be smaller than that (10^-10 of
    the scale was not: a false DISAGREES with ratio 40, found by the differential run). The
    exact derivative, from SymPy at the decimal point, is what the estimate must match."""
    import sympy

    x = sympy.Symbol("x")
    function = {"csc(3x - 3)": sympy.csc(3 * x - 3)}.get(
        text, x ** sympy.Rational(3, 2) * sympy.csc(sympy.cos(x) - sympy.cos(4))
    )
    truth = sympy.diff(function, x).subs(x, sympy.Rational(x0)).evalf(30)
    result = derivcheck.explain(text, x0)
    assert result.agrees
    assert abs(result.numeric.estimate - float(truth)) < 1e-9 * abs(float(truth))


def test_a_value_beyond_any_range_is_named_as_typed_and_refused_at_once(run_cli):
    import time

    start = time.process_time()
    result = run_cli("explain", "x^(10^4000)", "--at", "2")
    assert time.process_time() - start < 2.0
    assert result.returncode == 2
    assert "x^1000000" in result.stderr and "**" not in result.stderr


def test_a_value_below_ten_to_minus_4000_is_kept_to_50_digits_not_as_a_huge_rational():
    """(1/2)^1855140 as an exact rational has 558,000 digits, converted again in every
    later step: ((x+2/5)^-2) - floor((1/2)^x) at 1855140 ran out of its 10 s (differential
    run). The values come from mpmath."""
    import mpmath

    from derivcheck import explain

    e = explain("(1/2)^x", 1855140)
    with mpmath.workdps(30):
        truth = -mpmath.log(2) * mpmath.power(2, -1855140)
        assert abs(e.value.estimate / truth - 1) < mpmath.mpf(10) ** -14
    e = explain("((x+2/5)^-2) - floor((1/2)^x)", 1855140)
    with mpmath.workdps(30):
        assert e.value == float(-2 / (mpmath.mpf(1855140) + mpmath.mpf(2) / 5) ** 3)
    assert e.differentiable is True


def test_a_float_disagreement_gets_a_second_opinion_at_50_digits():
    """sin(u^-2) with u = silu(x - 1/2) - silu(π/6 - 1/2), 1e-4 from u's zero: f swings
    every 1e-12 in x, far below the float step (2.4e-5), and Richardson's estimate
    (43,061 ± 3.3e5) DISAGREED with the exact -7.38e12 (differential run, case
    2026:1722). The exact value comes from mpmath."""
    x0 = 0.5234987755982988
    e = derivcheck.explain("sin(((swish(x-(1/2)))-(swish(((pi/6))-(1/2))))^(-2))", x0)
    with mpmath.workdps(60):
        x = mpmath.mpf(repr(x0))  # the decimal typed (f′ differs by 5e-5 at the binary float)
        sigma = lambda t: 1 / (1 + mpmath.exp(-t))  # noqa: E731
        silu = lambda t: t * sigma(t)  # noqa: E731
        t = x - mpmath.mpf(1) / 2
        u = silu(t) - silu(mpmath.pi / 6 - mpmath.mpf(1) / 2)
        slope = sigma(t) * (1 + t * (1 - sigma(t)))  # silu'(t)
        truth = mpmath.cos(u**-2) * (-2 * u**-3) * slope
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert e.agrees is True
    assert e.numeric.method == "extended"
    assert "checked again by differences at 50 digits" in e.to_text()


@pytest.mark.parametrize(
    ("text", "x0", "derivative"),
    [  # differential run, cases 2026:3419 and 2026:4212; the derivatives written out
        ("(-4)/((((x)^2)+1)^(x))", 3.45402e-62, lambda x: 4 * (x * x + 1) ** -x
         * (mpmath.log1p(x * x) + 2 * x * x / (x * x + 1))),
        ("(((-3/5)×x)-(tan(x)))/x", -6.60203e-27, lambda x: (mpmath.tan(x) - x
         * mpmath.sec(x) ** 2) / x**2),
    ],
)  # fmt: skip
def test_tiny_points_keep_the_digits_their_powers_need(text, x0, derivative):
    e = derivcheck.explain(text, x0)
    with mpmath.workdps(400):
        truth = derivative(mpmath.mpf(repr(x0)))
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert e.agrees is True


def _cot_asec_slope(x):
    """d/dx cot(asec(u)), u = (x² + 1)^x, written out: −csc²(asec u)·u′/(|u|·√(u² − 1)),
    u′ = u·(ln(x² + 1) + 2x²/(x² + 1))."""
    u = (x * x + 1) ** x
    slope = u * (mpmath.log1p(x * x) + 2 * x * x / (x * x + 1))
    return -(mpmath.csc(mpmath.asec(u)) ** 2) * slope / (abs(u) * mpmath.sqrt(u * u - 1))


@pytest.mark.parametrize(
    ("text", "x0", "truth"),
    [  # differential run, cases 2026:3305 and 2026:2431; the derivatives written out
        ("acos(10^(x))", "-1e-88",
         lambda x: -mpmath.log(10) * 10**x / mpmath.sqrt(1 - 10 ** (2 * x))),
        ("cot((asec((((x)^2)+1)^(x)))-(asec(((((0))^2)+1)^((0)))))", "1e-12", _cot_asec_slope),
    ],
)  # fmt: skip
def test_a_value_next_to_an_edge_keeps_its_digits_and_is_checked_beyond_float(text, x0, truth):
    import sympy

    e = derivcheck.explain(text, sympy.Rational(x0) if "e-88" in x0 else float(x0))
    with mpmath.workdps(200):  # mpmath from the formulas above, not derivcheck's evaluator
        expected = float(truth(mpmath.mpf(x0)))
    assert e.differentiable is True
    assert e.value == pytest.approx(expected, rel=1e-12, abs=0)
    assert e.agrees is True


@pytest.mark.parametrize(
    ("text", "x0", "f"),
    [  # the value of f next to an edge or an integer (differential run, seed 2026)
        ("arcsec(exp(x))", 2.69514e-59, lambda x: mpmath.asec(mpmath.exp(x))),
        ("argcosh((1/2)^(x))", "-1/10^100", lambda x: mpmath.acosh(mpmath.mpf(2) ** -x)),
        ("((erf(x))+(x*x))-(ceiling((1/2)^(x-7)))", "-1/10^97",
         lambda x: mpmath.erf(x) + x * x - mpmath.ceil(mpmath.mpf(2) ** (7 - x))),
    ],
)  # fmt: skip
def test_f_next_to_an_edge_or_an_integer_keeps_the_digits_that_decide_it(text, x0, f):
    import sympy

    if isinstance(x0, str):
        point = sympy.Integer(-1) / sympy.Integer(10) ** int(x0.split("^")[1])
        at = sympy.Rational(point)
    else:
        at = x0
    e = derivcheck.explain(text, at)
    with mpmath.workdps(400):
        x = (
            mpmath.mpf(repr(x0))
            if not isinstance(x0, str)
            else -(mpmath.mpf(10) ** -int(x0.split("^")[1]))
        )
        truth = f(x)
    assert e.graph.steps[-1].value == pytest.approx(float(truth), rel=1e-12, abs=0)


def test_an_operation_the_mpmath_evaluator_does_not_know_is_evaluated_by_sympy():
    """atan2 (SymPy's argument of a complex power) made a TypeError escape explain
    (differential case 2026:5468)."""
    e = derivcheck.explain("arccosec((((x+9)^2)+1)^((x)^(2/3)))", 1.7139878616407298)
    assert e.differentiable is True
    assert e.agrees is True


def test_a_floor_whose_jumps_are_denser_than_any_step_is_not_said_to_disagree():
    """floor(exp(e^x) − exp(e^12) − 1) at 12.12 jumps every 10^-79701 in x: differences at
    50 digits straddle the jumps, so they cannot check f′ = −(3/2)(floor(…) − 1); the
    result is unverified, not DISAGREES (differential case 2026:2267)."""
    e = derivcheck.explain("((-3/2)*x)*(floor(((exp((e)^(x)))-(exp((e)^((12)))))+(-1)))", 12.12)
    assert e.differentiable is True
    assert not e.numeric.ok  # no check, rather than a false one
    # u ≈ 10^79500: floor(u) - 1 = u·(1 - δ) with δ < 10^-79000, so 50 digits of u give
    # the truth to 50 digits (its integer part, to all 79,500 digits, took 0.6 s)
    with mpmath.workdps(50):
        u = mpmath.exp(mpmath.exp(mpmath.mpf("12.12"))) - mpmath.exp(mpmath.exp(12))
        assert u > mpmath.mpf(10) ** 79000
        truth = -mpmath.mpf(3) / 2 * (mpmath.floor(u) - 1)
    assert abs(e.value.estimate / truth - 1) < 1e-12


def test_a_point_with_a_long_denominator_under_a_variable_exponent_is_quick():
    """x^x at 5.9999999994 = 29999999997/5000000000: SymPy's exact root of that fraction ran
    past the 10 s limit inside the domain test (differential case 2026:2903). The slope of
    (x + 6/5)^5 · |x^-x - 6^-6| there is written out in mpmath."""
    import time

    import mpmath

    from derivcheck import explain

    start = time.process_time()
    e = explain(
        "((x+(6/5))^5)*(abs(((x/x)/((x)^(x)))-((((6))/((6)))/(((6))^((6))))))", 5.9999999994
    )
    assert time.process_time() - start < 2.0
    with mpmath.workdps(40):
        p = mpmath.mpf(29999999997) / 5000000000
        g = p**-p - mpmath.mpf(6) ** -6  # > 0 here: |g| = g
        dg = -(p**-p) * (mpmath.log(p) + 1)
        truth = 5 * (p + mpmath.mpf(6) / 5) ** 4 * g + (p + mpmath.mpf(6) / 5) ** 5 * dg
    assert e.differentiable is True
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("text", "x0", "slope"),
    [
        # -5 - d/dx arcosh((8x)^x) = -5 - (8x)^x (ln(8x) + 1) / sqrt((8x)^(2x) - 1)
        ("((-5)*x)-(arcosh((8·x)^(x)))", "30229.1", lambda x: -5 - (mpmath.log(8 * x) + 1)),
        # (x^x)' = x^x (ln x + 1): beyond float range at 100000 (10^500000)
        ("x^x", "100000", None),
    ],
)
def test_huge_exact_powers_are_quick(text, x0, slope):
    """(8x)^x at 30229.1 is 10^162700: its exact rational (610,000 bits) took 0.23 s per
    conversion to mpmath, 5-6 s in all (differential case 2026:1751); with gmpy2 under mpmath
    it is 0.3 ms. The derivative of arcosh((8x)^x) is ln(8x) + 1 to 10^-300000 there."""
    import time

    import mpmath

    from derivcheck import explain

    start = time.process_time()
    e = explain(text, float(x0) if "." in x0 else int(x0))
    assert time.process_time() - start < 2.0
    if slope is not None:
        with mpmath.workdps(40):
            assert e.value == pytest.approx(float(slope(mpmath.mpf(x0))), rel=1e-12, abs=0)
    else:
        with mpmath.workdps(30):
            truth = mpmath.power(100000, 100000) * (mpmath.log(100000) + 1)
            assert abs(e.value.estimate / truth - 1) < mpmath.mpf(10) ** -14


@pytest.mark.parametrize("ground_types", ["gmpy", "python"])
def test_sympy_on_either_integer_backend_gives_the_same_derivative(ground_types):
    """With gmpy2 installed SymPy picks GMP integers unless told otherwise; its
    perfect-power test then overflowed in math.log on the 360-digit fraction that
    √((x + 9/4)² - 1) meets at 5.50603e-175 (differential case 2026:2219).
    d/dx arcosh(x + 9/4)^5 = 5 arcosh(u)^4 / √(u² - 1), u = 9/4 + 5.5e-175."""
    import subprocess
    import sys

    import sympy.external.gmpy as g

    script = (
        "import sympy, sympy.external.gmpy as g\n"
        "from derivcheck import explain\n"
        "print(g.GROUND_TYPES, repr(explain('(arccosh(x+(2.25)))**5', 5.50603e-175).value))\n"
    )
    if g.GROUND_TYPES == ground_types:  # this process's backend: no second interpreter
        value = repr(derivcheck.explain("(arccosh(x+(2.25)))**5", 5.50603e-175).value)
    else:
        env = {**__import__("os").environ, "SYMPY_GROUND_TYPES": ground_types}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        chosen, value = done.stdout.split()
        assert chosen == ground_types
    with mpmath.workdps(40):
        u = mpmath.mpf(9) / 4
        truth = 5 * mpmath.acosh(u) ** 4 / mpmath.sqrt(u**2 - 1)
    assert float(value) == pytest.approx(float(truth), rel=1e-14, abs=0)


def test_a_tiny_point_under_a_square_root_survives_sympys_factor_cache():
    """√(1 - x²) at x = -4.56198e-267 (the decimal -228099/(5·10^271)): SymPy 1.14's
    factorint of 25·10^542 - 228099² hands its cache a composite factor and raises
    ValueError, which made arccos' derivative nan and the point "a vertical tangent"
    (differential case 2026:1365). d/dx arccos(x) = -1/√(1 - x²) = -1 to float precision."""
    from derivcheck import explain

    e = explain("acos(x)", -4.56198e-267)
    assert e.differentiable is True
    assert e.value == -1.0
    assert e.agrees is True


def test_the_complex_step_through_an_amplifying_inner_function_keeps_erf():
    """sec(x) at -1227940000 turns the step 1.2e-11 into 6e-11, which erf's complex-step
    kernel refused (nan, read as a derivative of 0): a false DISAGREES (differential case
    2026:4567). d/dx erf(sec x) = 2/√π·e^(-sec²x)·sec x·tan x, from mpmath."""
    from derivcheck import explain

    e = explain("erf(sec(x))", -1227940000.0)
    with mpmath.workdps(40):
        x = mpmath.mpf(-1227940000)
        truth = 2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-(mpmath.sec(x) ** 2))
        truth *= mpmath.sec(x) * mpmath.tan(x)
    assert e.agrees is True
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert e.numeric.estimate == pytest.approx(float(truth), rel=1e-9, abs=0)


@pytest.mark.parametrize(
    ("text", "x0", "truth"),
    [
        # gelu(u) = u/2·erfc(-u/√2): 1 + erf(u/√2) cancels to 0 in the left tail
        ("gelu(x)", "-392/25", lambda u: u / 2 * mpmath.erfc(-u / mpmath.sqrt(2))),
        (
            "gelu(x/(((-8)×x)^(-1)))",
            "-7/5",
            lambda x: -8 * x**2 / 2 * mpmath.erfc(8 * x**2 / mpmath.sqrt(2)),
        ),
        # arccot(u) = arctan(1/u) for u > 0: π/2 - arctan(u) cancels for large u
        ("acot(x)", "1e30", lambda u: mpmath.atan(1 / u)),
    ],
)
def test_function_values_in_a_tail_are_not_cancelled_to_zero(text, x0, truth):
    """The value of the last step (f at the point): gelu(-15.68) was 0.0 (it is -1.6e-54,
    differential case 2026:4780), arccot(1e30) was 0."""
    from derivcheck import explain

    e = explain(text, x0)
    import sympy

    point = sympy.Rational(x0)
    with mpmath.workdps(40):
        want = truth(mpmath.mpf(point.p) / point.q)
    assert e.graph.steps[-1].value == pytest.approx(float(want), rel=1e-12, abs=0)


def test_a_float_check_misled_by_rounding_is_checked_again_at_extended_precision():
    """arccsc(x + 1) at 1.49406e-253: x + 1 rounds to 1, arccsc's edge, and the complex
    step's estimate (-1e10 ± 4e12) claimed more than it knew: a false DISAGREES
    (differential case 2026:5161). d/du arccsc u = -1/(|u|·√(u² - 1)), from mpmath."""
    from derivcheck import explain

    e = explain("arccsc(x+1)", 1.49406e-253)
    with mpmath.workdps(600):
        u = 1 + mpmath.mpf("1.49406e-253")
        truth = -1 / (abs(u) * mpmath.sqrt(u**2 - 1))
    assert e.agrees is True
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert e.numeric.method.startswith("extended")


def test_a_float_check_too_coarse_for_the_value_is_no_check():
    """asec(coth x) at -100000: f′ = -2e^(-100000)·(1 + …) = -7.1e-43430 (coth² - 1 cancels
    past 4,000 digits; SymPy's simplify writes it sinh^-2, which needs none). The complex
    step's 0 ± 4.2e7 'agreed' and proved nothing: now there is no numeric check, said so
    in both languages; and f is differentiable (it was 'a vertical tangent', case 2026:5111)."""
    from derivcheck import explain

    e = explain("asec(cth(x))", -100000)
    assert e.differentiable is True
    with mpmath.workdps(50):
        x = mpmath.mpf(-100000)
        # √(coth² - 1) = |csch|, so f′ = -csch²/(|coth|·|csch|) = -|csch|/|coth|
        truth = -abs(mpmath.csch(x)) / abs(mpmath.coth(x))
    got = e.exact_values[e.wrt[0]].estimate
    assert abs(got / truth - 1) < mpmath.mpf(10) ** -12
    assert e.agrees is None and e.verdicts[e.wrt[0]] is None
    numeric = e.numerics[e.wrt[0]]
    assert numeric.error_estimate > abs(truth)  # the float check could not tell it from 0
    assert numeric.note_message.key == "numeric.float_unresolved"
    assert "扩展精度也无法分辨" in e.to_text(lang="zh")


def test_an_exact_value_keeps_its_digits_through_an_amplifying_function():
    """sin(coth(arccot(x - 4/3) - arccot(-40/3))) at -12.0000000000012: the difference
    cancels 15 of 30 digits, coth of it is 1.49e14 to 15 digits, and cos of that to none;
    the 'exact' derivative was -1.13509e26 (it is -1.13606e26; differential case
    2026:5330). Written out in mpmath at 120 digits."""
    from derivcheck import explain

    e = explain("sin(cth((arccot(x-(4/3)))-(arccot(((-12))-(4/3)))))", "-12.0000000000012")
    with mpmath.workdps(120):
        x = mpmath.mpf("-12.0000000000012")
        arccot = lambda u: mpmath.pi / 2 - mpmath.atan(u)  # noqa: E731
        u = arccot(x - mpmath.mpf(4) / 3) - arccot(mpmath.mpf(-40) / 3)
        truth = (
            mpmath.cos(mpmath.coth(u))
            * -(mpmath.csch(u) ** 2)
            * -1
            / (1 + (x - mpmath.mpf(4) / 3) ** 2)
        )
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)


def test_a_derivative_below_the_smallest_normal_float_agrees_within_its_spacing():
    """(2x)³ at 2.27302e-157: f′ = 24x² = 1.2399887808953…e-312, below 2.2e-308, where floats
    are spaced 2^-1074 = 4.9e-324 apart whatever the value; the estimate, kept as a float,
    was 6.7e-325 from the exact value and the budget 2.2e-327 (eps·|value|): a false
    DISAGREES (differential case 2026:6553)."""
    from derivcheck import explain

    e = explain("(x+x)**3", 2.27302e-157)
    with mpmath.workdps(40):
        truth = 24 * mpmath.mpf("2.27302e-157") ** 2
    assert e.agrees is True
    assert abs(e.value - float(truth)) <= math.ulp(0.0)


def test_a_value_sympy_simplifies_wrongly_is_the_value_mpmath_gives_twice():
    """atan(artanh(u)) with u = x + 4/3 = -0.99999999999979977 at x = -2.333333333333133:
    SymPy 1.14 writes atan(-artanh(2999999999999399/3·10^15)) as 0 (its assumptions find
    the artanh zero), and y was printed as 0 (differential case 2026:10141). The value is
    arctan(artanh(u)) = -1.50407724900160..., and f′ = 1/((1 - u²)(1 + artanh(u)²))."""
    from fractions import Fraction

    from derivcheck import explain

    x0 = -2.333333333333133
    e = explain("atan(atanh((x-((-7/3)))+(-1)))", x0)
    with mpmath.workdps(50):
        point = Fraction(repr(x0))  # a float point is its shortest decimal (README)
        u = mpmath.mpf(point.numerator) / point.denominator + mpmath.mpf(4) / 3
        value = mpmath.atan(mpmath.atanh(u))
        slope = 1 / ((1 - u**2) * (1 + mpmath.atanh(u) ** 2))
    assert e.steps[-1].value == pytest.approx(float(value), rel=1e-14, abs=0)
    assert e.value == pytest.approx(float(slope), rel=1e-12, abs=0)


def test_a_function_of_an_exact_fraction_beside_its_edge_keeps_the_fractions_digits():
    """arcsec(1 + x) at x = 1.07685e-193: the fraction 1 + 1.07685e-193 is 1 at 30 digits,
    and arcsec(1) = 0 was printed as f (differential case 2026:9456). arcsec(1 + ε) is
    arccos(1/(1 + ε)) = √(2ε)·(1 + O(ε)) = 4.6407973452845…e-97."""
    from fractions import Fraction

    from derivcheck import explain

    e = explain("asec(x-(-1))", 1.07685e-193)
    with mpmath.workdps(400):
        epsilon = Fraction("1.07685e-193")
        u = 1 + mpmath.mpf(epsilon.numerator) / epsilon.denominator
        value = mpmath.asec(u)
    assert e.steps[-1].value == pytest.approx(float(value), rel=1e-14, abs=0)


def test_a_local_derivative_sympy_simplifies_wrongly_is_checked_to_twelve_digits():
    """tanh(arcsec(u)), u = x + 14/5 = 1 + 10^-11 at x = -1.79999999999: SymPy 1.14 finds
    arcsec(u) zero, so tanh(arcsec u) was 0 and sech²(arcsec u) exactly 1, where it is
    1 - 2·10^-11: f′ = sech²(arcsec u)/(u√(u² - 1)) was 2e-11 too large (differential case
    2026:11930)."""
    from derivcheck import explain

    e = explain("tanh(asec((x-((-9/5)))+1))", -1.79999999999)
    with mpmath.workdps(50):
        u = 1 + mpmath.mpf(10) ** -11
        truth = mpmath.sech(mpmath.asec(u)) ** 2 / (u * mpmath.sqrt(u**2 - 1))
        value = mpmath.tanh(mpmath.asec(u))
    assert e.value == pytest.approx(float(truth), rel=1e-14, abs=0)
    assert e.steps[-1].value == pytest.approx(float(value), rel=1e-14, abs=0)


def test_a_variable_power_at_a_long_fraction_is_evaluated_at_floats_not_exactly():
    """x^x at 4.999995 = 999999/200000: SymPy's exact power raised 999999 to the 999999th
    power first, and log2(x - 5)·x^x there (undefined: x < 5) ran into the 10 s limit
    (differential case 2026:10738). d/dx x^x = x^x·(ln x + 1)."""
    import time

    from derivcheck import explain

    start = time.process_time()
    undefined = explain("(log2(x-((5))))*((x)^(x))", 4.999995)
    e = explain("x^x", 4.999995)
    assert time.process_time() - start < 2.0
    assert undefined.differentiable is False
    with mpmath.workdps(30):
        x = mpmath.mpf(999999) / 200000
        truth = x**x * (mpmath.log(x) + 1)
    assert e.value == pytest.approx(float(truth), rel=1e-14, abs=0)


def test_a_real_value_sympy_writes_with_i_keeps_its_sign():
    """1/√artanh(erf(csc(3x/5))) at -10: csc(-6) = 3.5789, erf of it 0.99999958, artanh
    7.6924. SymPy 1.14 finds artanh(erf(csc 6)) ≥ 0 (it is -7.69) and writes
    1/√(-artanh(erf(csc 6))) as -I/√artanh(erf(csc 6)): real, but of the wrong sign, so f
    and f′ came out negated (differential case 2026:16752). The forward pass shows erf's
    value with the digits that tell it from 1."""
    from derivcheck import explain

    e = explain("(artanh(erf(cosec((3/5)*x))))^(-1/2)", -10)
    with mpmath.workdps(50):
        u = mpmath.csc(mpmath.mpf(-6))
        v = mpmath.erf(u)
        w = mpmath.atanh(v)
        value = 1 / mpmath.sqrt(w)
        slope = -(w ** mpmath.mpf(-1.5)) / 2 / (1 - v**2) * 2 * mpmath.exp(-(u**2))
        slope = slope / mpmath.sqrt(mpmath.pi) * (-mpmath.cot(-6) * u) * mpmath.mpf(3) / 5
    assert e.steps[-1].value == pytest.approx(float(value), rel=1e-14, abs=0)
    assert e.value == pytest.approx(float(slope), rel=1e-13, abs=0)
    assert e.agrees is True
    assert "u3 = erf(u2) = erf(3.5789) = 0.9999996" in e.to_text()


def test_a_value_carried_with_hundreds_of_digits_is_confirmed_with_all_of_them():
    """sinh(floor(x^x)) at 10^-240: x^x = e^(x ln x) = 1 - 5.5e-238, so floor of it is 0 and
    f = sinh(0) = 0; the check of floor's value took x^x to 60 digits, where it is 1, and
    f was sinh(1) = 1.1752 (differential case 2026:17330)."""
    from fractions import Fraction

    from derivcheck import explain

    e = explain("sh(floor((x)^(x)))", Fraction(1, 10**240))
    assert [s.value for s in e.graph.steps[1:]] == [0.0, 0.0]
    assert e.differentiable is True and e.value == 0.0


def test_a_difference_that_is_zero_below_the_floats_of_its_inputs_is_zero():
    """3^sinh(x) - 3^sinh(-9) at -9 is 0: the pole of (-4x)·(…)^(-2). With 30-digit floats
    of 3^(-4051.5) in it, the difference came out 5.6e-1965 (their rounding), and f′ was
    -inf with "differentiable" (differential case 2026:38280)."""
    from derivcheck import explain

    e = explain("((-4)·x)*(((3^(sinh(x)))-(3^(sinh((-9)))))^(-2))", -9.0)
    assert e.differentiable is False
    assert e.reason.startswith("division by zero")
    assert [s.exact_value for s in e.graph.steps[2:4]] == [0, 0]


def test_a_step_beyond_float_range_that_sympy_cannot_call_finite_is_a_number():
    """e^cot(1/softplus(x) - 1/softplus(-3)) at -3.00003: cot(…) = 1659.2, so f is about
    10^720, beyond float range; SymPy's is_finite of it is None, and f was "not a real
    number here" (differential case 2026:44068). f′ = e^(-cot u)·csc²u·σ(x)/softplus(x)²
    with u = 1/softplus(-3) - 1/softplus(x)."""
    from derivcheck import explain

    e = explain("exp(cot(((softplus(x))**(-1))-((softplus((-3)))**(-1))))", -3.00003)
    assert e.differentiable is True
    with mpmath.workdps(60):
        x0 = mpmath.mpf("-3.00003")
        softplus = mpmath.log(1 + mpmath.exp(x0))
        u = 1 / mpmath.log(1 + mpmath.exp(-3)) - 1 / softplus
        sigma = 1 / (1 + mpmath.exp(-x0))
        truth = mpmath.exp(-mpmath.cot(u)) * mpmath.csc(u) ** 2 * sigma / softplus**2
    assert abs(e.value.estimate / truth - 1) < 1e-12
