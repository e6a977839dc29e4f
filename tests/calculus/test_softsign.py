"""softsign(u) = u/(1 + |u|), added to derivcheck as one catalogue record and nothing else.

Its derivative, by the quotient rule on each side of 0: for u > 0, d/du u/(1 + u) = 1/(1 + u)²;
for u < 0, d/du u/(1 − u) = 1/(1 − u)²; so softsign′(u) = 1/(1 + |u|)², which is 1 from both
sides at 0: softsign is differentiable at 0 although |u| appears in it (its second derivative
jumps from 2 to −2 there, which does not matter for the first derivative).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

import derivcheck
from derivcheck.calculus.catalogue import lookup
from derivcheck.calculus.smoothness import smoothness
from derivcheck.reading.parser import parse

x = sympy.Symbol("x", real=True)


def _exact(u0: Fraction, inner_slope: Fraction = Fraction(1)) -> Fraction:
    return inner_slope / (1 + abs(u0)) ** 2


@pytest.mark.parametrize(
    ("text", "x0", "expected"),
    [
        ("softsign(x)", 0, _exact(Fraction(0))),  # 1
        ("softsign(x)", 0.5, _exact(Fraction(1, 2))),  # 4/9
        ("softsign(x)", -3, _exact(Fraction(-3))),  # 1/16
        ("softsign(3x - 1)", -2, _exact(Fraction(-7), Fraction(3))),  # 3/64
        ("Softsign(x/2)", 4, _exact(Fraction(2), Fraction(1, 2))),  # 1/18
    ],
)
def test_values_are_the_quotient_rules(text, x0, expected):
    result = derivcheck.explain(text, x0)
    exact = sympy.simplify(result.derivative.subs(result.point))
    assert exact == sympy.Rational(expected.numerator, expected.denominator)
    assert result.value == pytest.approx(float(expected), rel=1e-15)
    assert result.differentiable and result.agrees


def test_differentiable_at_zero_from_the_mathematics():
    answer = smoothness(parse("softsign(x)"), x, {x: sympy.Integer(0)})
    assert answer.kind == "smooth"
    assert derivcheck.explain("softsign(x)", 0).differentiable


def test_the_spellings_and_the_rule_name():
    record = lookup("softsign")
    assert lookup("SOFTSIGN") is record
    assert record.rule == ("softsign rule", "softsign 法则")
    text = derivcheck.explain("softsign(x^2)", 1, lang="zh").to_text()
    assert "softsign 法则" in text


def test_numpy_and_mpmath_agree_with_the_definition():
    import mpmath
    import numpy as np

    record = lookup("softsign")
    points = np.array([-1e300, -2.5, -1e-300, 0.0, 0.75, 3e8])
    mp_values = [record.mpmath(mpmath.mpf(float(p))) for p in points]
    assert record.numpy_function()(points).tolist() == [float(v) for v in mp_values]
    assert [float(v) for v in mp_values] == [float(p / (1 + abs(p))) for p in points]


def test_graded_right_and_wrong():
    assert derivcheck.check_answer("softsign(x)", "1/(1+|x|)^2").verdict == "correct"
    wrong = derivcheck.check_answer("softsign(x^2)", "1/(1+x^2)^2")
    assert wrong.verdict == "incorrect"
    assert wrong.diagnosis == "missing-inner-derivative"
