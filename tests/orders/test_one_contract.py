"""Explanation and HigherExplanation share one contract (ExplanationBase), and one derivative
symbol (render.layout.D) draws d²y/dx², ∂²f/∂y∂x and the curves' dⁿy/dxⁿ.

Truths are computed here with SymPy (sympy.diff of each step's definition) or are the
notation as textbooks print it."""

from __future__ import annotations

import re

import pytest
import sympy

from derivcheck import explain
from derivcheck.errors import DerivcheckError
from derivcheck.explanation import Explanation, ExplanationBase
from derivcheck.higher import HigherExplanation
from derivcheck.reading.parser import parse, symbol
from derivcheck.render.latex import LatexRenderer
from derivcheck.render.layout import D
from derivcheck.render.text import TextRenderer
from tests.english import english_runs

x, y = symbol("x"), symbol("y")


def test_both_kinds_share_the_base_and_its_names():
    first, higher = explain("sin(x^2)", 1), explain("sin(x^2)")
    assert isinstance(first, Explanation) and isinstance(higher, HigherExplanation)
    for e in (first, higher):
        assert isinstance(e, ExplanationBase)
        assert e.single and e.variable == x and e.output.name == "y"
        assert [s.name.name for s in e.steps] == ["u", "y"]
        assert e.to_json().startswith("{") and str(e) == e.to_text()
        assert e.to_markdown().startswith("## ") and e._repr_latex_().startswith("$$")
        assert e.to_mermaid().startswith("flowchart LR")
    # the same names give the same facts
    truth = sympy.diff(sympy.sin(x**2), x)
    assert first.derivatives_by_order == {1: first.derivative}
    assert sympy.simplify(first.derivatives_by_order[1] - truth) == 0
    assert sympy.simplify(higher.derivatives_by_order[1] - truth) == 0
    assert first.values_by_order[1] == pytest.approx(float(truth.subs(x, 1)), rel=1e-15)
    assert higher.values_by_order == {} and higher.tangent is None


def test_the_tangent_comes_from_the_first_derivative_for_both():
    f = x**3
    slope, y0 = float(sympy.diff(f, x).subs(x, 2)), 8.0
    for e in (explain("x^3", 2), explain("x^3", 2, order=3)):
        tangent = e.tangent
        assert (tangent.x0, tangent.y0, tangent.slope) == (2.0, y0, slope)


def test_a_format_a_kind_lacks_says_so_in_both_languages():
    e = explain("x^x")
    with pytest.raises(DerivcheckError) as raised:
        e.plot_graph("graph.png")
    assert raised.value.message.key == "orders.format_unavailable"
    assert "graph_plot" in str(raised.value)
    assert english_runs(raised.value.to_text("zh"), error=True) == []
    with pytest.raises(DerivcheckError) as raised:
        e.to_latex(style="chain")
    assert raised.value.message.key == "orders.style"


@pytest.mark.parametrize("text", ["sin(exp(x^2))", "x^x", "e^(-x^2)", "1/(1+x^2)", "x sin x"])
def test_the_mermaid_graph_without_a_point_has_each_local_derivative(text):
    e = explain(text)
    graph = e.to_mermaid()
    edges = re.findall(r'-->\|"([^"]*)"\|', graph)
    locals_ = [(s, a) for s in e.steps for a in s.local_derivatives]
    assert len(edges) == len(locals_)
    for label, (s, arg) in zip(edges, locals_, strict=True):
        truth = sympy.diff(s.definition, arg)  # SymPy's derivative of the step's definition
        shown = label.split(" = ", 1)[1]
        assert sympy.simplify(parse(shown.replace("·", "*")) - truth) == 0, (label, truth)
        assert label.count(" = ") == 1  # a formula, no value: there is no point
    assert "<br/>" not in graph  # no values on the nodes either


def test_the_mermaid_graph_at_a_point_has_values():
    graph = explain("sin(x^2)", 1, order=2).to_mermaid()
    assert 'n0["x = 1"]' in graph and 'du/dx = 2x = 2"' in graph


def test_the_markdown_page_of_a_derivation_has_its_graph_in_both_languages():
    english = explain("x^x").to_markdown()
    assert "```mermaid\nflowchart LR" in english and "### Computational graph" in english
    chinese = explain("x^x", lang="zh").to_markdown()
    assert "### 计算图" in chinese and "节点是中间变量" in chinese


@pytest.mark.parametrize(
    ("piece", "text", "latex"),
    [
        (D("y", "x"), "dy/dx", r"\frac{dy}{dx}"),
        (D("y", "x", order=2), "d²y/dx²", r"\frac{d^{2}y}{dx^{2}}"),
        (D("y", ("x", "x", "x")), "d³y/dx³", r"\frac{d^{3}y}{dx^{3}}"),
        (D("f", ("x", "y"), True), "∂²f/∂y∂x", r"\frac{\partial ^{2}f}{\partial y \partial x}"),
        (D("f", ("x", "x", "y"), True), "∂³f/∂y∂x²", None),
        (D("L", "w1", True, True), "dL/dw1", r"\frac{\partial L}{\partial w_{1}}"),
    ],
)
def test_one_derivative_symbol(piece, text, latex):
    assert TextRenderer().render(piece) == text
    if latex is not None:
        assert LatexRenderer().render(piece) == latex


def test_the_same_symbol_however_it_is_built():
    assert D("y", ("x", "x")) == D("y", "x", order=2)
    assert D("y", ("x", "x")).variables == ("x", "x")
    assert D("f", ("x", "y"), True).order == 2
