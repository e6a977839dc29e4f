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
]


@pytest.mark.parametrize(("function", "wrong", "right"), CASES)
def test_every_piece_of_a_piecewise_function_is_sampled(function, wrong, right):
    assert check_answer(function, wrong).verdict == "incorrect"
    assert check_answer(function, right).verdict == "correct"
