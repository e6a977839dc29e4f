"""explain() reads a leading derivative operator as what it asks for (issue 10 §2):
d/dx (x^2) at 3 is 2·3 = 6; \\frac{d}{dx} \\sin x at 0 is cos 0 = 1; d/dt sin t at 0 is 1."""

from __future__ import annotations

import pytest

import derivcheck
from derivcheck.errors import ParseError


@pytest.mark.parametrize(
    ("text", "x0", "function", "value"),
    [
        ("d/dx (x^2)", 3, "y = x^2 at x = 3", 6.0),
        (r"\frac{d}{dx} \sin x", 0, "y = sin(x) at x = 0", 1.0),
        ("d/dt sin t", 0, "y = sin(t) at t = 0", 1.0),
        ("d/dx (2x+1)^3", 1, "y = (2x + 1)^3 at x = 1", 54.0),  # 6(2x+1)^2 at 1
    ],
)
def test_the_operator_is_read_not_refused(text, x0, function, value):
    result = derivcheck.explain(text, x0)
    assert result.value == value
    assert result.to_text().splitlines()[0] == f"Derivative of {function}"


def test_the_operator_names_the_variable_among_several():
    result = derivcheck.explain("d/dy (x y^2)", {"x": 3, "y": 2})
    assert [v.name for v in result.wrt] == ["y"] and result.value == 12.0  # 2xy


def test_an_operator_that_covers_only_part_of_the_text_is_refused_with_a_caret():
    with pytest.raises(ParseError) as caught:
        derivcheck.explain("d/dx (x^2) + 1", 1)
    assert caught.value.message.key == "parse.derivative_scope"
    assert caught.value.position == 11


def test_the_cli_reads_it_too(run_cli):
    result = run_cli("explain", "d/dx (x^2)", "--at", "3")
    assert result.returncode == 0 and "Derivative of y = x^2 at x = 3" in result.stdout


def test_the_cli_takes_several_names_in_one_at(run_cli):
    result = run_cli("explain", "x*y^2", "--at", "x=1, y=2")
    assert result.returncode == 0
    assert "Gradient of f at x = 1, y = 2" in result.stdout
