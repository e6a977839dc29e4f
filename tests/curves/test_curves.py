"""Implicit and parametric differentiation: values against SymPy truth computed here
independently (sympy.idiff; the parametric formula (x′y″ − y′x″)/x′³), numeric checks
within their budgets, special points, errors with carets, renderers, Chinese, the CLI."""

from __future__ import annotations

import json
import math

import pytest
import sympy

import derivcheck
from derivcheck.curves import CurveExplanation, explain_curve
from derivcheck.errors import DerivcheckError, ParseError
from tests.english import english_runs

X, Y, T = sympy.symbols("x y t", real=True)

IMPLICIT = [
    ("x^2 + y^2 = 1", X**2 + Y**2 - 1, {"x": 0.6, "y": 0.8}),
    ("x^2 + y^2 = 1", X**2 + Y**2 - 1, {"x": "-1/2", "y": "-sqrt(3)/2"}),
    ("x^3 + y^3 = 6xy", X**3 + Y**3 - 6 * X * Y, {"x": 3, "y": 3}),
    ("e^(xy) = x + y", sympy.exp(X * Y) - X - Y, {"x": 0, "y": 1}),
]


def _sympy_point(point):
    return {X: sympy.sympify(point["x"]), Y: sympy.sympify(point["y"])}


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize(("text", "function", "point"), IMPLICIT)
def test_implicit_values_match_sympy_idiff(text, function, point, order):
    truth = float(sympy.idiff(function, Y, X, order).subs(_sympy_point(point)))
    e = derivcheck.explain(text, point, wrt="x", order=order)
    assert isinstance(e, CurveExplanation)
    assert e.value == pytest.approx(truth, rel=1e-13, abs=1e-13)
    assert e.agrees, e.verdict
    true_error = abs(e.numeric.estimate - truth)
    assert true_error <= e.numeric.error_estimate  # the estimate is honest here
    assert e.verdict.difference <= e.verdict.budget


def test_implicit_third_order_too():
    e = explain_curve("x^3 + y^3 = 6xy", {"x": 3, "y": 3}, order=3)
    truth = float(sympy.idiff(X**3 + Y**3 - 6 * X * Y, Y, X, 3).subs({X: 3, Y: 3}))
    assert e.value == pytest.approx(truth, rel=1e-13)
    assert e.agrees


def _parametric_truth(x_of_t, y_of_t, t0, order):
    dx, dy = sympy.diff(x_of_t, T), sympy.diff(y_of_t, T)
    if order == 1:
        value = dy / dx
    else:  # the textbook formula, not derivcheck's d/dt(dy/dx) / (dx/dt)
        value = (dx * sympy.diff(dy, T) - dy * sympy.diff(dx, T)) / dx**3
    return float(value.subs(T, t0))


PARAMETRIC = [
    ("x = cos t; y = sin t", sympy.cos(T), sympy.sin(T)),
    ("x = t - sin t; y = 1 - cos t", T - sympy.sin(T), 1 - sympy.cos(T)),
]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("t0", [0.5, 1, 2, "pi/2", 4])
@pytest.mark.parametrize(("text", "x_of_t", "y_of_t"), PARAMETRIC)
def test_parametric_values_match_sympy(text, x_of_t, y_of_t, t0, order):
    truth = _parametric_truth(x_of_t, y_of_t, sympy.sympify(t0), order)
    e = derivcheck.explain(text, t0, wrt="t", order=order)
    assert e.kind == "parametric"
    assert e.value == pytest.approx(truth, rel=1e-13, abs=1e-13)
    assert e.agrees, e.verdict
    assert abs(e.numeric.estimate - truth) <= e.numeric.error_estimate


def test_issue_examples():
    e = derivcheck.explain("x^2 + y^2 = 1", {"x": 0.6, "y": 0.8}, wrt="x")
    assert e.derivative == -X / Y and e.value == -0.75
    assert [s.kind for s in _sections(e)][:3] == ["on_curve", "both_sides", "solve"]
    p = derivcheck.explain("x = cos t; y = sin t", 0.5, wrt="t")
    assert p.value == pytest.approx(-1 / math.tan(0.5), rel=1e-15)
    assert p.wrt == (p.parameter,) and p.parameter.name == "t"


def _sections(e):
    from derivcheck.curves.layout import curve_layout

    return curve_layout(e).sections


def test_textbook_steps_are_shown():
    text = derivcheck.explain("x^2 + y^2 = 1", {"x": 0.6, "y": 0.8}, order=2).to_text()
    assert "d/dx[x^2 + y^2] = d/dx[1]" in text
    assert "2x + 2y · dy/dx = 0" in text
    assert "dy/dx = -(2x)/(2y) = -x/y" in text
    assert "-(∂F/∂x)/(∂F/∂y)" in text
    assert "d²y/dx² = -1/y^3" in text  # on the curve
    assert "∂/∂x[x^2] = 2x^1 = 2x" in text  # rule by rule
    assert "→ agrees" in text


def test_more_names_need_dependent():
    with pytest.raises(ParseError) as error:
        derivcheck.explain("x^2 + y^2 = r^2", {"x": 0.6, "y": 0.8, "r": 1}, wrt="x")
    assert "dependent=" in str(error.value) and error.value.position == 6
    assert "^" in str(error.value)
    e = derivcheck.explain("x^2 + y^2 = r^2", {"x": 0.6, "y": 0.8, "r": 1}, wrt="x", dependent="y")
    assert e.value == -0.75 and e.agrees


def test_two_equals_has_a_caret():
    with pytest.raises(ParseError) as error:
        derivcheck.explain("x^2 = y^2 = 1", {"x": 1, "y": 1})
    assert error.value.position == 10
    assert str(error.value).splitlines()[-1].index("^") == 2 + 10


def test_missing_y_is_an_error():
    with pytest.raises(DerivcheckError, match="no value for y"):
        derivcheck.explain("x^2 + y^2 = 1", {"x": 0.6})
    with pytest.raises(DerivcheckError, match="by name"):
        derivcheck.explain("x^2 + y^2 = 1", 0.6)
    with pytest.raises(ParseError) as error:  # an equation without y
        derivcheck.explain("x^2 = 1", {"x": 1})
    assert error.value.position == 4


def test_point_not_on_the_curve_says_the_residual():
    with pytest.raises(DerivcheckError) as error:
        derivcheck.explain("x^2 + y^2 = 1", {"x": 0.6, "y": 0.9})
    message = str(error.value)
    assert "does not lie on the curve" in message and "0.17" in message
    assert "y = 0.8 at this x" in message
    assert "不在曲线" in error.value.to_text("zh")


def test_float_point_on_the_curve_to_rounding():
    y0 = math.sqrt(3) / 2
    e = derivcheck.explain("x^2 + y^2 = 1", {"x": 0.5, "y": y0})
    assert e.residual != 0 and abs(e.residual) <= e.tolerance
    assert e.value == pytest.approx(-0.5 / y0, rel=1e-15) and e.agrees
    assert "zero to rounding" in e.to_text()


def test_vertical_tangent_and_singular_point():
    e = derivcheck.explain("x^2 + y^2 = 1", {"x": 1, "y": 0})
    assert not e.differentiable and math.isnan(e.value) and e.numeric is None
    assert "vertical" in e.reason and "dy/dx does not exist" in e.reason
    assert "竖直" in e.to_text("zh")
    s = derivcheck.explain("x^3 + y^3 = 6xy", {"x": 0, "y": 0})
    assert "singular point" in s.reason and not s.agrees
    v = derivcheck.explain("x = cos t; y = sin t", 0)
    assert "vertical" in v.reason
    cusp = derivcheck.explain("x = t - sin t; y = 1 - cos t", 0, order=2)
    assert "speed 0" in cusp.reason and math.isnan(cusp.value)
    assert "speed 0" in cusp.to_text()


def test_renderers():
    e = derivcheck.explain("x^2 + y^2 = 1", {"x": 0.6, "y": 0.8}, order=2)
    latex = e.to_latex()
    assert r"\frac{d^{2}y}{dx^{2}}" in latex and r"\frac{\partial F}{\partial x}" in latex
    document = e.to_latex(standalone=True, lang="zh")
    assert "ctexart" in document and "隐函数求导" in document
    markdown = e.to_markdown()
    assert markdown.startswith("## Implicit differentiation") and "$$" in markdown
    data = json.loads(e.to_json())
    assert data["kind"] == "implicit" and data["value"] == e.value
    assert [d["order"] for d in data["derivatives"]] == [1, 2]
    assert data["verdict"]["agrees"] is True
    p = derivcheck.explain("x = t - sin t; y = 1 - cos t", 1, order=2).to_dict()
    assert p["kind"] == "parametric" and p["coordinates"]["x"] == pytest.approx(1 - math.sin(1))
    with pytest.raises(DerivcheckError, match="not available for a curve"):
        e.to_mermaid()


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("x^2 + y^2 = 1", {"x": 0.6, "y": 0.8}),
        ("x^2 + y^2 = 1", {"x": 1, "y": 0}),
        ("x^3 + y^3 = 6xy", {"x": 0, "y": 0}),
        ("x = cos t; y = sin t", 0.5),
        ("x = t - sin t; y = 1 - cos t", 0),
    ],
)
def test_chinese_has_no_english(text, point):
    for order in (1, 2):
        e = derivcheck.explain(text, point, order=order, lang="zh")
        shown = e.to_text()
        assert not english_runs(shown), english_runs(shown)
        assert ("隐函数求导" in shown) or ("参数方程" in shown)
        data = e.to_dict()
        sentences = [data["text"], data["reason"] or "", data["numeric_note"] or ""]
        assert not any(english_runs(sentence) for sentence in sentences)


def test_parametric_with_a_constant():
    e = derivcheck.explain("x = r cos t; y = r sin t", {"t": 0.5, "r": 2}, order=2)
    assert e.parameter.name == "t"
    assert e.value == pytest.approx(-1 / (2 * math.sin(0.5) ** 3), rel=1e-14) and e.agrees


def test_wrt_y_gives_dx_dy():
    e = derivcheck.explain("y^2 = x", {"x": 4, "y": 2}, wrt="y")
    assert (e.variable.name, e.dependent.name) == ("y", "x")
    assert e.value == 4.0 and e.agrees  # dx/dy = 2y


def test_formulas_and_programs_are_not_curves():
    assert derivcheck.explain("y = x^2", 2).value == 4.0
    net = derivcheck.explain("u = 3x + 2; y = u^2", 1)
    assert net.value == 30.0
    lines = derivcheck.explain("u = 3x + 2\ny = u^2\nL = y + u", 1)  # newlines: a program
    assert lines.value == 33.0
    assert derivcheck.explain("\nx^2 + y^2 = 1\n", {"x": 0.6, "y": 0.8}).value == -0.75
    with pytest.raises(DerivcheckError, match="for curves"):
        derivcheck.explain("x^2", 1, dependent="y")


def test_bad_order():
    with pytest.raises(DerivcheckError, match="order must be"):
        explain_curve("x^2 + y^2 = 1", {"x": 0.6, "y": 0.8}, order=0)


def test_cli(capsys):
    from derivcheck.cli import main

    assert main(["explain", "x^2+y^2=1", "--at", "x=0.6,y=0.8", "--wrt", "x"]) == 0
    out = capsys.readouterr().out
    assert "dy/dx = -x/y = -0.6/0.8 = -0.75" in out and "agrees" in out
    code = main(["explain", "x = t - sin t; y = 1 - cos t", "--at", "1", "--wrt", "t",
                 "--order", "2", "--lang", "zh"])  # fmt: skip
    assert code == 0 and "参数方程" in capsys.readouterr().out
    assert main(["explain", "x^2+y^2=1", "--at", "x=0.6,y=0.9"]) == 2
    assert "does not lie on the curve" in capsys.readouterr().err
    assert main(["explain", "x^2+y^2=a", "--at", "x=0.6,y=0.8,a=1"]) == 2
    err = capsys.readouterr().err
    assert "dependent" in err and "^" in err
    assert main(["explain", "x^2+y^2=a", "--at", "x=0.6,y=0.8,a=1", "--dependent", "y"]) == 0
