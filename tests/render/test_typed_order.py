"""The function is shown as it was typed: terms of a sum keep the user's order (issue 10 §1).

SymPy sorts x^2 - 5x + 6 as x**2 - 5*x + 6 but shows 6 - 5x + x^2 as x^2 - 5x + 6 too; before
this, the title of x^3 - 3x^2 + 2x even read x·(x^2 + 2 - 3x)."""

from __future__ import annotations

import pytest
import sympy

import derivcheck

CASES = [
    ("x^3 - 3x^2 + 2x", "x^3 - 3·x^2 + 2x"),
    ("x^2 - 5x + 6", "x^2 - 5x + 6"),
    ("6 - 5x + x^2", "6 - 5x + x^2"),
    ("3 + x", "3 + x"),
    ("sin(3 + x) - x", "sin(3 + x) - x"),
    ("-x + 1", "-x + 1"),
    ("x e^x - e^x", "x·e^x - e^x"),
]


@pytest.mark.parametrize(("typed", "shown"), CASES)
def test_the_title_shows_the_terms_as_typed(typed, shown):
    text = derivcheck.explain(typed, 2).to_text()
    assert text.splitlines()[0] == f"Derivative of y = {shown} at x = 2"


def test_latex_and_markdown_keep_the_order_too():
    e = derivcheck.explain("6 - 5x + x^2", 2)
    assert "Derivative of $y = 6 - 5 x + x^{2}$ at $x = 2$" in e.to_latex(standalone=True)
    assert "6 - 5 x + x^{2}" in e.to_markdown()
    assert e.to_dict()["expression"] == "6 - 5x + x^2"


def test_terms_sympy_merged_fall_back_to_its_order():
    # x + 1 + x is 2x + 1: the typed terms no longer exist
    assert (
        derivcheck.explain("x + 1 + x", 2).to_text().splitlines()[0].endswith("y = 2x + 1 at x = 2")
    )


def test_a_sympy_expression_has_no_typed_order():
    x = sympy.Symbol("x")
    e = derivcheck.explain(6 - 5 * x + x**2, 2)
    assert e.typed_order == {}
    assert "Derivative of y = x^2 + 6 - 5x at x = 2" == e.to_text().splitlines()[0]


def test_derivatives_are_still_shown_with_common_factors_pulled_out():
    # d/dx (3x + 2)^3 = 81x^2 + 108x + 36 = 9(3x + 2)^2: not typed, so shown factored
    e = derivcheck.explain("(3x + 2)^3", 1)
    assert "dy/dx = 9(3x + 2)^2 = 225" in e.to_text()


def test_renderers_run_under_a_time_limit(monkeypatch):
    """A renderer that cannot finish ends in a LimitError naming what ran out of time."""
    import derivcheck.render.text as text_renderer
    from derivcheck import limits
    from derivcheck.errors import LimitError

    e = derivcheck.explain("x^2", 1)

    def endless(*args, **kwargs):
        while True:
            sum(range(1000))

    monkeypatch.setattr(limits, "DEFAULT_SECONDS", 0.2)
    monkeypatch.setattr(text_renderer, "layout_to_text", endless)
    with pytest.raises(LimitError, match="writing out the derivation took longer than 0.2 s"):
        e.to_text()
