"""Answers wrong only on a piece of a piecewise function that the usual sample points miss.

hardtanh(x(x + 9/2)) is flat (|x(x + 9/2)| > 1) at most points of |x| <= 3, floor((3x)^-2)
is 0 for |x| > 1/3 and relu(x - 5) is 0 for x < 5: an answer right on the flat part only
was graded correct (differential run, cases 2026:5880 and 2026:3300). The right answers
are the textbook's: hardtanh′(u)·u′, 0 off the integers, the step at 5.
"""

from __future__ import annotations

import pytest
import sympy

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


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        (
            "-2 tanh(arccosh(x - 2.5))^(-3) (1 - tanh(arccosh(x - 2.5))^2) / sqrt((x - 2.5)^2 - 1)",
            "correct",
        ),  # fmt: skip
        ("-2 tanh(arccosh(x - 2.5))^(-3) / sqrt((x - 2.5)^2 - 1)", "incorrect"),  # sech² lost
    ],
)
def test_points_stay_where_the_function_as_typed_is_defined(answer, verdict):
    """tanh(arccosh(x − 2.5))⁻² is (x − 5/2)²/((x − 7/2)(x − 3/2)) for SymPy, defined for
    x < 1.5 too, but arccosh needs x − 2.5 ≥ 1: a right answer was graded "undefined at
    x = −1.92969, where the derivative is 0.0255" (differential case 2026:148500). Every
    sample point must lie in x ≥ 3.5."""
    from derivcheck.grading.exercise import _prepare

    function = "(th(arccosh(x+(-2.5))))**(-2)"
    result = check_answer(function, answer)
    assert result.verdict == verdict, result.message
    exercise = _prepare(function, None, None)
    assert all(point[exercise.var] > sympy.Rational(7, 2) for point in exercise.points.exact)


_SATURATING_STAIRS = "tanh(floor((((1/2)^(x+(-6)))-((1/2)^(((pi/6))+(-6))))+(-1)))"


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ("0", "correct"),  # floor′ = 0 between the stairs
        (f"1 - ({_SATURATING_STAIRS})^2", "incorrect"),
    ],
)
def test_stairs_nearest_zero_are_sampled(answer, verdict):
    """tanh(floor(g)), g = 2^(6 − x) − 2^(6 − π/6) − 1: g runs from −37 to 466 on
    |x| ≤ 3 and tanh saturates, so 1 − tanh²(floor(g)) (the inner derivative left out) is
    0 to every float digit except where |floor(g)| < 18, x in (0.01, 1.21), where no point
    lay: it was graded correct (differential case 2026:150320). The stair nearest 0 is
    sampled now; there the answer is 1 − tanh²(−1) = 0.42."""
    assert check_answer(_SATURATING_STAIRS, answer).verdict == verdict
