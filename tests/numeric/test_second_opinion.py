"""The extended-precision second opinion a float check gets before it says DISAGREES.

Each case was a false DISAGREES of the differential run: the exact derivative was right and
the numeric side was misled, by steps that straddle a pole or span many swings of f. The
expected derivatives come from mpmath at 60 digits, at the exact decimal the float stands
for (derivcheck reads 1e-13 as 1/10^13).
"""

from __future__ import annotations

import mpmath
import pytest
import sympy

from derivcheck import explain


def _at(text: str) -> mpmath.mpf:
    return mpmath.mpf(text)


def test_a_function_that_swings_faster_than_every_float_step_is_checked_at_finer_steps():
    """sin(1/(x + 2)) at -2.0000000000002: x + 2 = -2e-13, so f′ = -cos(1/d)/d² ≈ 2.47e25
    and f swings every d² = 4e-26 — far below the float steps (4.6e-14) and below every
    extended step of 10^-k·|x0| tried before (case 2026:52704). Steps from f's own scale
    of variation (|f|/|f′|) resolve it."""
    with mpmath.workdps(60):
        d = _at("-2.0000000000002") + 2
        truth = -mpmath.cos(1 / d) / d**2
    e = explain("sin(1/(x+2))", -2.0000000000002)
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert e.agrees is True
    assert e.numeric.method == "extended"


def test_a_large_step_across_a_pole_where_f_is_even_is_not_taken_for_precise():
    """x^-2·(7/5) + x at -6.8688e-189: f′ = -2.8·x^-3 + 1 ≈ 8.64e564. A step of 1e-10
    straddles the pole at 0, where x^-2 is even: its differences saw only the 1 of +x,
    with an error estimate of 6e-149, and that smallest estimate was chosen (case
    2026:36289). Only the steps that agree with the finest one count now."""
    with mpmath.workdps(60):
        x0 = _at("-6.8688e-189")
        truth = mpmath.mpf("-2.8") / x0**3 + 1
    e = explain("((x)^(-2))/(x/((7/5)*x)) + x", -6.8688e-189)
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert e.agrees is True


def _verdict(e):
    (verdict,) = e.verdicts.values()
    return verdict


def test_steps_from_the_scale_of_variation_resolve_what_the_float_steps_alias():
    """sin(sec u) 1e-10 from sec's pole swings every 1e-20 (case 2026:65857); cos(x²) at
    -2.1e8 moves x² by 8.8e6 over the float step 0.021 (case 2026:95322). Both DISAGREED;
    the finer differences agree with the exact value now."""
    e = explain("sin(sec(x + 10 + pi/2))", -10.0000000001)
    with mpmath.workdps(60):
        u = _at("-10.0000000001") + 10 + mpmath.pi / 2
        truth = mpmath.cos(mpmath.sec(u)) * mpmath.sec(u) * mpmath.tan(u)
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert _verdict(e).agrees is True and e.numeric.method == "extended"
    e = explain("cos(x^2)", -210356000.0)
    with mpmath.workdps(60):
        x0 = _at("-210356000")
        truth = -2 * x0 * mpmath.sin(x0**2)
    assert e.value == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert _verdict(e).agrees is True


def test_a_second_opinion_that_refutes_the_float_estimate_leaves_no_verdict(monkeypatch):
    """Without steps fine enough to settle a value (here: the scale of variation withheld),
    the extended differences of sin(sec u) beside sec's pole are no value to trust, yet
    they prove the float estimate wrong: no numeric verdict, and why — never DISAGREES. A
    wrong f′ is still caught: a sound float estimate agrees with the finer one."""
    import derivcheck.explanation as explanation

    monkeypatch.setattr(explanation, "_variation", lambda *args: None)
    e = explain("sin(sec(x + 10 + pi/2))", -10.0000000001)
    assert _verdict(e) is None
    assert "f varies faster than the float steps can follow" in e.to_text()
    assert "浮点步长所能分辨" in e.to_text(lang="zh")


def test_the_rounding_of_extended_differences_is_measured_not_guessed_from_f():
    """x - log₃(3^x) is 0 for every x, so f′ = 0; at 1552.73, 3^x is 10^740, and at 50
    digits the log carries an error near 10^-48 that does not shrink with |f| = 0: the
    rounding guessed from |f| said ±1.7e-40 for differences of 1.6e-30, and DISAGREED
    (case 2026:24020). Measured against a second evaluation at 15 more digits, the
    error estimate covers it: no false DISAGREES."""
    from derivcheck.numeric.extended import extended_partial
    from derivcheck.reading.parser import parse, symbol

    x = symbol("x")
    point = {x: sympy.Rational("1552.73")}
    result = extended_partial(parse("x - log(3^x, 3)"), point, x)
    assert abs(result.estimate) <= result.error_estimate  # 0 lies within its estimate
    verdict = _verdict(explain("x - log(3^x, 3)", 1552.73))
    assert verdict is None or verdict.agrees


def test_a_one_sided_check_that_reaches_another_kink_is_checked_again_more_finely():
    """sinh(hardtanh(x^(x³) - 3²⁷ - 1)) at 3: the argument is -1, hardtanh's lower kink.
    To the right it grows at (x^(x³))′ = 3²⁷·(27 ln 3 + 9) ≈ 2.9e14 per unit and reaches the
    upper kink (1) 6.9e-15 away, so the float steps saw the flat part beyond: slope 0 for
    cosh(1)·2.9e14 = 4.5e14, DISAGREES (case 2026:81929). One-sided differences in extended
    precision, with steps below that scale, agree."""
    with mpmath.workdps(40):
        truth = mpmath.cosh(1) * mpmath.mpf(3) ** 27 * (27 * mpmath.log(3) + 9)
    e = explain("sinh(hardtanh(x^(x^3) - 3^27 - 1))", 3.0)
    (sides,) = e.one_sided.values()
    assert sides.left == 0 and sides.right == pytest.approx(float(truth), rel=1e-12, abs=0)
    assert sides.left_verdict.agrees and sides.right_verdict.agrees
    assert sides.right_numeric.method == "extended (right-sided)"
    assert sides.right_numeric.estimate == pytest.approx(float(truth), rel=1e-9, abs=0)
