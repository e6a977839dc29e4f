"""The catalogue's rules as formulas: each piece of f' checked against mpmath, each formula
typeset as a table of derivatives writes it and compiled with a real pdflatex."""

from __future__ import annotations

import mpmath
import pytest
import sympy

from derivcheck import explain
from derivcheck.calculus.catalogue import lookup, records
from derivcheck.calculus.statements import rule_statement
from derivcheck.render.latex import compile_latex, latex_document, latex_engine, rule_formula
from derivcheck.render.layout import Formula
from derivcheck.render.text import TextRenderer

SAMPLES = (-2.7, -1.6, -0.55, -0.3, 0.35, 0.6, 0.85, 1.4, 2.3, 3.7)
OTHER = 0.2  # the second argument of max and min


def _holds(condition, t: float, values: dict) -> bool:
    if condition is None:
        return True
    if condition.off_integers:
        return not float(t).is_integer()
    if condition.excluded:
        return all(t != float(p) for p in condition.excluded)
    low = condition.lower if condition.lower is None else float(condition.lower.subs(values))
    high = condition.upper if condition.upper is None else float(condition.upper.subs(values))
    return (low is None or t > low) and (high is None or t < high)


@pytest.mark.parametrize("record", list(records()), ids=lambda r: r.key)
def test_each_piece_of_a_rule_is_the_derivative_mpmath_computes(record):
    statement = rule_statement(record)
    x = statement.variable
    values = {sympy.Symbol(p.name, real=True): p.default for p in record.parameters}
    args = [mpmath.mpf(float(p.default)) for p in record.parameters]
    if statement.partial:  # max(x, y), min(x, y) at y = 0.2
        (y,) = statement.function.free_symbols - {x}
        values[y] = sympy.Rational(1, 5)
        args = [mpmath.mpf(OTHER)]
    checked = 0
    for slope, condition in statement.cases:
        for t in SAMPLES:
            inside = record.domain.contains(sympy.Rational(str(t)))
            if not _holds(condition, t, values) or inside is False:
                continue
            exact = float(slope.subs(values).subs(x, sympy.Rational(str(t))))
            numeric = mpmath.diff(lambda u: record.mpmath(u, *args), mpmath.mpf(str(t)))
            assert exact == pytest.approx(float(numeric), rel=1e-9, abs=1e-12), (record.key, t)
            checked += 1
    assert checked >= len(statement.cases), record.key


TABLE = {
    "sin": r"\frac{d}{dx} \sin x = \cos x",
    "cos": r"\frac{d}{dx} \cos x = - \sin x",
    "tan": r"\frac{d}{dx} \tan x = \sec^{2} x",
    "sec": r"\frac{d}{dx} \sec x = \sec x \tan x",
    "arctan": r"\frac{d}{dx} \arctan x = \frac{1}{1 + x^{2}}",
    "arsinh": r"\frac{d}{dx} \operatorname{arsinh} x = \frac{1}{\sqrt{1 + x^{2}}}",
    "log": r"\frac{d}{dx} \ln x = \frac{1}{x}",
    "exp": r"\frac{d}{dx} e^{x} = e^{x}",
    "sigmoid": (
        r"\frac{d}{dx} \sigma\left(x\right) = "
        r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)"
    ),
    "relu": (
        r"\frac{d}{dx} \operatorname{relu} x = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}"
    ),
    "leaky_relu": (
        r"\frac{d}{dx} \operatorname{leaky\_relu}\left(x, a\right) = "
        r"\begin{cases} 1 & x > 0 \\ a & x < 0 \end{cases}"
    ),
    "floor": r"\frac{d}{dx} \left\lfloor{x}\right\rfloor = 0 \quad (x \notin \mathbb{Z})",
    "sign": r"\frac{d}{dx} \operatorname{sgn} x = 0 \quad (x \neq 0)",
    "max": (
        r"\frac{\partial }{\partial x} \max\left(x, y\right) = "
        r"\begin{cases} 1 & x > y \\ 0 & x < y \end{cases}"
    ),
}


@pytest.mark.parametrize("key", sorted(TABLE))
def test_rule_formulas_read_like_a_table_of_derivatives(key):
    assert rule_formula(lookup(key)) == TABLE[key]


def test_every_formula_uses_the_catalogues_names():
    for record in records():
        formula = rule_formula(record)
        assert "{\\left(x \\right)}" not in formula, formula  # \sin x, not \sin{\left(x \right)}
        assert "asinh" not in formula and "acosh" not in formula and "atanh" not in formula


@pytest.mark.skipif(latex_engine("en") is None, reason="pdflatex is not installed")
def test_every_rule_formula_compiles(tmp_path):
    body = "\n".join(f"\\[{rule_formula(record)}\\]" for record in records())
    pdf = compile_latex(latex_document(body, "en"), tmp_path / "rules.pdf")
    assert pdf.stat().st_size > 1000


def test_the_rules_used_state_the_catalogues_formulas():
    tex = explain("asin(x/4) + x^x", 2).to_latex(style="rules")
    assert r"\frac{d}{dx} \arcsin x &= \frac{1}{\sqrt{1 - x^{2}}} \tag*{arcsine rule}" in tex
    assert r"\frac{d}{dx} \ln x &= \frac{1}{x} \tag*{logarithm rule}" in tex
    assert r"\frac{d}{dx}\left(f g\right) &= f' g + f g' \tag*{product rule}" in tex  # structural


def test_text_states_the_same_rules():
    text = TextRenderer("en").render(Formula(lookup("relu")))
    assert text == "d/dx relu(x) = 1 (x > 0), 0 (x < 0)"
    assert TextRenderer("zh").render(Formula(lookup("floor"))) == "d/dx floor(x) = 0 (x ∉ ℤ)"


def test_text_draws_the_rule_by_rule_layout_too():
    from derivcheck.render.text import explanation_to_text

    text = explanation_to_text(explain("x/(x+1)", 1), "en", "rules")
    # (f'g - fg')/g² with f = x, g = x + 1: ((x + 1) - x)/(x + 1)^2 = 1/(x + 1)^2, 1/4 at x = 1
    assert "d/dx[x/(x + 1)] = ((x + 1) - x)/(x + 1)^2 = 1/(x + 1)^2   (quotient rule)" in text
    assert "dy/dx|(x = 1) = 0.25" in text
