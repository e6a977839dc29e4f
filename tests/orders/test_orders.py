"""Higher derivatives, Hessians, derivations without a point, real odd roots, tangents.

The truth is computed here, independently of derivcheck: mpmath's own high-precision
differentiation of the function written with mpmath, and SymPy's diff where a formula is
wanted.
"""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy

import derivcheck
from derivcheck.reading.parser import parse, symbol

mpmath.mp.dps = 40

FUNCTIONS = {
    "sin(exp(x^2))": lambda x: mpmath.sin(mpmath.exp(x**2)),
    "x^x": lambda x: x**x,
    "e^(-x^2)": lambda x: mpmath.exp(-(x**2)),
    "1/(1+x^2)": lambda x: 1 / (1 + x**2),
}
POINTS = {
    "sin(exp(x^2))": (0.5, -0.8),
    "x^x": (2, 0.7),
    "e^(-x^2)": (1, -1.5),
    "1/(1+x^2)": (0.5, 3),
}


def same(a, b, points=(0.7, 1.3, 2.1)) -> bool:
    """Equal as functions of x: simplified to 0, or equal to 25 digits at points x > 0.

    The values at the points are looked at first: either test passing is enough, and they
    take a fraction of simplify's time (which decides only when they do not pass)."""
    x = symbol("x")

    def at_points() -> bool:
        return all(
            abs(complex(sympy.N((a - b).subs(x, sympy.Rational(str(p))), 30))) < 1e-25
            for p in points
        )

    try:
        if at_points():
            return True
    except (TypeError, ValueError, ArithmeticError):
        pass
    if sympy.simplify(a - b) == 0:
        return True
    return at_points()


def truth(f, x0, n: int) -> float:
    with mpmath.workdps(40):
        return float(mpmath.diff(f, mpmath.mpf(x0), n))


@pytest.mark.parametrize("text", list(FUNCTIONS))
def test_orders_one_to_six_match_mpmath(text):
    for x0 in POINTS[text]:
        e = derivcheck.explain(text, x0, order=6)
        assert sorted(e.derivatives_by_order) == [1, 2, 3, 4, 5, 6]
        for n, value in e.values_by_order.items():
            expected = truth(FUNCTIONS[text], x0, n)
            assert value == pytest.approx(expected, rel=1e-13, abs=1e-13), (text, x0, n)
        assert e.value == e.values_by_order[6]
        for result in e.results:  # every order checked numerically within its budget
            assert result.verdict is not None and result.verdict.agrees, (text, x0, result)
        errors = [r.numeric.error_estimate / max(1.0, abs(r.value)) for r in e.results[1:]]
        assert errors[-1] >= errors[0]  # the budget grows with the order
        assert e.agrees


def test_each_order_is_the_derivative_of_the_previous_and_equals_sympy_diff():
    x = symbol("x")
    f = parse("x^x")
    e = derivcheck.explain("x^x", 2, order=4)
    for step in e.orders:
        reference = sympy.diff(f, x, step.order)
        assert same(step.expression, reference)
        assert same(sympy.diff(step.previous, x), step.expression)
    assert e.orders[1].derivation is not None  # f″ derived rule by rule from f′


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("x^2 y^3 + sin(x y)", {"x": 1, "y": 2}),
        ("x^2 y^3 + sin(x y)", {"x": -0.5, "y": 0.3}),
        ("e^(x-y) ln(x+y)", {"x": 1, "y": 0.5}),
        ("e^(x-y) ln(x+y)", {"x": 2, "y": 3}),
    ],
)
def test_hessians_match_sympy(text, point):
    x, y = sympy.symbols("x y", real=True)
    if text.startswith("x^2"):
        f = x**2 * y**3 + sympy.sin(x * y)
    else:
        f = sympy.exp(x - y) * sympy.log(x + y)
    at = {x: sympy.Rational(str(point["x"])), y: sympy.Rational(str(point["y"]))}
    e = derivcheck.explain(text, point, order=2)
    for a, na in ((x, "x"), (y, "y")):
        for b, nb in ((x, "x"), (y, "y")):
            expected = float(sympy.diff(f, a, b).subs(at).evalf(30))
            assert e.hessian[na][nb] == pytest.approx(expected, rel=1e-13, abs=1e-13)
    assert e.entries[(e.wrt[0], e.wrt[1])].symmetric in ("exact", "numeric")
    assert all(r.verdict.agrees for r in e.entry_results.values())
    assert e.agrees


def test_hessian_of_the_chapters_loss_in_w1_b1():
    """Section 2's point (x = 2, target = 1, w1 = 0.5, b1 = 0.1, w2 = -0.3, b2 = 0.2): z1 = 1.1
    > 0, so relu is the identity nearby and L = (w2(w1·x + b1) + b2 - target)²."""
    program = "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2"
    point = {"x": 2, "target": 1, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2}
    e = derivcheck.explain(program, point, wrt=["w1", "b1"], order=2)
    w1, b1 = sympy.symbols("w1 b1")
    loss = (sympy.Rational(-3, 10) * (w1 * 2 + b1) + sympy.Rational(1, 5) - 1) ** 2
    at = {w1: sympy.Rational(1, 2), b1: sympy.Rational(1, 10)}
    for a, na in ((w1, "w1"), (b1, "b1")):
        for b, nb in ((w1, "w1"), (b1, "b1")):
            expected = float(sympy.diff(loss, a, b).subs(at))
            assert e.hessian[na][nb] == pytest.approx(expected, rel=1e-14, abs=1e-15)
    assert e.hessian["w1"]["w1"] == pytest.approx(0.72)  # 2·w2²·x²
    assert e.agrees


SYMBOLIC = ["x^x", "sin(exp(x^2))", "(3x+2)^2", "ln(1+x^2)", "x sin x", "sin(x)/x", "√(1+x²)"]


@pytest.mark.parametrize("text", SYMBOLIC)
def test_derivation_without_a_point_is_sympy_diff_and_checked_at_domain_points(text):
    e = derivcheck.explain(text)
    x = symbol("x")
    assert e.value is None
    reference = sympy.diff(parse(text), x)
    assert same(e.derivative, reference)
    assert 1 <= len(e.samples) <= 3 and all(s.agrees for s in e.samples)
    for s in e.samples:  # the sample values are the derivative's, computed here by mpmath
        expected = float(reference.subs(s.point).evalf(30))
        assert s.value == pytest.approx(expected, rel=1e-13, abs=1e-14)
    assert e.agrees


def test_textbook_form_of_x_to_the_x():
    x = symbol("x")
    assert derivcheck.explain("x^x").derivative == x**x * (sympy.log(x) + 1)


def test_symbolic_higher_order_and_partials_without_a_point():
    e = derivcheck.explain("e^(-x^2)", order=3)
    x = symbol("x")
    assert sympy.simplify(e.derivative - sympy.diff(sympy.exp(-(x**2)), x, 3)) == 0
    assert e.value is None and e.agrees
    h = derivcheck.explain("x^2 y^3", wrt="x,y", order=2)
    y = symbol("y")
    assert sympy.simplify(h.derivative["x"]["y"] - 6 * x * y**2) == 0
    assert h.hessian is None


@pytest.mark.parametrize(
    ("text", "x0", "value", "slope"),
    [
        ("x^(2/3)", -8, 4.0, -1 / 3),
        ("x^(1/3)", -8, -2.0, 1 / 12),
        ("∛x", -1, -1.0, 1 / 3),
        ("cbrt(x)", 27, 3.0, 1 / 27),
        ("(x-1)^(3/5)", 0, -1.0, 0.6),
    ],
)
def test_odd_roots_are_real(text, x0, value, slope):
    e = derivcheck.explain(text, x0)
    assert e.differentiable and e.agrees
    assert e.value == pytest.approx(slope, rel=1e-15)
    assert e.tangent.y0 == pytest.approx(value, rel=1e-15)
    assert e.tangent.slope == e.value


def test_cube_root_at_zero_is_a_vertical_tangent():
    e = derivcheck.explain("x^(1/3)", 0)
    assert not e.differentiable
    assert "vertical tangent" in e.reason
    assert e.tangent.vertical and e.tangent.x0 == 0.0
    assert str(e.tangent) == "x = 0"


def test_tangent_line():
    e = derivcheck.explain("x^3", 2, order=2)
    assert str(e.tangent) == "y = 8 + 12·(x - 2)"
    assert e.tangent(3.0) == 20.0


def test_partial_notation_and_chinese_words():
    h = derivcheck.explain("x^2 y^3 + sin(x y)", {"x": 1, "y": 2}, order=2)
    text = h.to_text()
    assert "∂²f/∂y∂x" in text and "∂f/∂x" in text and "symmetric" in text
    assert "\\partial" in h.to_latex() and "\\partial" in h.to_markdown()
    zh = h.to_text("zh")
    assert "偏导数" in zh and "黑塞矩阵" in zh
    assert "高阶导数" in derivcheck.explain("x^x", 2, order=3).to_text("zh")


def test_no_english_in_chinese_output():
    from tests.english import english_runs

    for e in (
        derivcheck.explain("x^x", 2, order=3),
        derivcheck.explain("x^x"),
        derivcheck.explain("x^2 y^3", {"x": 1, "y": 2}, order=2),
    ):
        assert english_runs(e.to_text("zh")) == []


def test_json_data():
    data = derivcheck.explain("x^x", 2, order=2, lang="zh").to_dict()
    assert [o["order"] for o in data["orders"]] == [1, 2]
    assert data["orders"][1]["notation"] == "d²y/dx²"
    assert data["orders"][1]["verdict"]["agrees"] is True
    assert math.isclose(data["value"], truth(FUNCTIONS["x^x"], 2, 2), rel_tol=1e-13)


def test_bad_orders_are_errors():
    for order in (0, -1, 2.5, "2", 99):
        with pytest.raises(derivcheck.DerivcheckError):
            derivcheck.explain("x^2", 1, order=order)
    with pytest.raises(derivcheck.DerivcheckError):
        derivcheck.explain("x y", {"x": 1, "y": 2}, order=3)
