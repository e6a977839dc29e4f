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
