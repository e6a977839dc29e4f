"""Answers wrong only on a piece of a piecewise function that the usual sample points miss.

hardtanh(x(x + 9/2)) is flat (|x(x + 9/2)| > 1) at most points of |x| <= 3, floor((3x)^-2)
is 0 for |x| > 1/3 and relu(x - 5) is 0 for x < 5: an answer right on the flat part only
was graded correct (differential run, cases 2026:5880 and 2026:3300). The right answers
are the textbook's: hardtanh′(u)·u′, 0 off the integers, the step at 5.
"""

from __future__ import annotations

import pytest

from derivcheck import check_answer

CASES = [
    # (function, a wrong answer right on the flat pieces only, the right answer)
    (
        "hardtanh(x*(x+(9/2)))",
        "(heaviside((x*(x+(9/2)))+1))*(heaviside(1-(x*(x+(9/2)))))",  # no inner derivative
        "(2x+9/2)*(heaviside((x*(x+(9/2)))+1))*(heaviside(1-(x*(x+(9/2)))))",
    ),
    ("floor((x-((-2)*x))**(-2))", "floor((x-((-2)*x))**(-2))", "0"),  # not differentiated
    ("relu(x-5)", "0", "heaviside(x-5)"),
    ("relu(x+7)", "1", "heaviside(x+7)"),
    # max(A, -5x/4) with A = ceil(1/x) - 1 - 5√2/4 piecewise constant: f′ is
    # cosh(max)·(-5/4) where -5x/4 wins, 0 elsewhere. A point at x = 0 (ceil(1/x) is zoo,
    # "not comparable" for SymPy's max) made the exercise "cannot be graded" (2026:2230)
    (
        "sinh(max(((ceil((x)^(-1)))-(ceil(((sqrt(2)))^(-1))))+((-5/4)*((sqrt(2)))), (-5/4)*x))",
        "cosh(max(ceil(1/x) - 1 - 5*sqrt(2)/4, -5x/4))",  # no inner derivative
        "cosh(max(ceil(1/x) - 1 - 5*sqrt(2)/4, -5x/4))*(-5/4)"
        "*heaviside(-5x/4 - (ceil(1/x) - 1 - 5*sqrt(2)/4))",
    ),
    # min(x, x⁴) is x⁴ only on (0, 1): f = exp(min) equals its own derivative everywhere
    # else, and was graded its own derivative (differential case 2026:28110)
    (
        "exp(min((x-((1)))+(((1))/(((1))**(-3))), x/((x)**(-3))))",
        "exp(min((x-((1)))+(((1))/(((1))**(-3))), x/((x)**(-3))))",  # not differentiated
        "exp(min(x,x^4))*(heaviside(x^4-x) + 4x^3*heaviside(x-x^4))",
    ),
]


@pytest.mark.parametrize(("function", "wrong", "right"), CASES)
def test_every_piece_of_a_piecewise_function_is_sampled(function, wrong, right):
    assert check_answer(function, wrong).verdict == "incorrect"
    assert check_answer(function, right).verdict == "correct"


# Pieces the sampler missed for other reasons: the expression of the kink stays small on a
# whole piece, far from its zero (tanh(x) - tanh(5) < 1e-4 for every x > 5: case 99850);
# a whole-number value computed exactly was taken for a cancellation (floor(x) + 1 = 0 on
# [-1, 0): case 37600); a pole's size judged against values of 2^(x+8) up to 2^28 (45350).
_TANH = "hardtanh(tanh(x) - tanh(5) - 1)"  # f' = sech²(x) for x > 5, 0 below
_STEPS = "hardtanh(floor(x - 7) - floor(pi/6 - 7) + 1)"  # constant on each piece: f' = 0
_QUOTIENT = "(((-1/2)**4)^(1/3))/hardtanh(2^(x+8))"  # 2^(-4/3)·2^(-x-8) for x < -8


@pytest.mark.parametrize(
    ("function", "answer"),
    [
        (_TANH, "heaviside(tanh(x) - tanh(5))*heaviside(2 - tanh(x) + tanh(5))"),  # case 99850
        (_STEPS, "heaviside(floor(x) + 2)*heaviside(-floor(x))"),  # case 37600
        ("hardtanh(ceiling(-1.75x) - ceiling(-1.75*(-11/10)) + 1)", "heaviside(ceiling(-1.75x))"),
        (_QUOTIENT, "2^(-4/3)*2^(-x-8)*ln(2)*heaviside(1 - 2^(x+8))"),  # sign flipped: case 45350
        (_QUOTIENT, "-2^(-1/3)*2^(-x-8)*ln(2)*heaviside(1 - 2^(x+8))"),  # doubled
    ],
)
def test_an_answer_wrong_only_on_a_narrow_piece_is_incorrect(function, answer):
    assert check_answer(function, answer).verdict == "incorrect"


@pytest.mark.parametrize(
    ("function", "answer"),
    [
        (_TANH, "(1 - tanh(x)^2)*heaviside(tanh(x) - tanh(5))"),
        (_STEPS, "0"),
        (_QUOTIENT, "-2^(-4/3)*2^(-x-8)*ln(2)*heaviside(1 - 2^(x+8))"),
        ("floor(x) + sign(x - 1/2)", "0"),
    ],
)
def test_the_right_derivative_on_every_piece_is_correct(function, answer):
    assert check_answer(function, answer).verdict == "correct"
