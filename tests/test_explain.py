"""explain(): every example of the chapter with its printed numbers, and the contract."""

from __future__ import annotations

import json
import math

import pytest
import sympy

from derivcheck import DerivcheckError, EvaluationError, ParseError, explain

R = lambda name: sympy.Symbol(name, real=True)  # noqa: E731
x = R("x")

NETWORK = "z1 = w1*x + b1\nh = relu(z1)\ny = w2*h + b2\nL = (y - target)^2"
CHAPTER_POINT = {"x": 2.0, "target": 1.0, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2}
PARAMETERS = ["w1", "b1", "w2", "b2"]


def exact(expr_text, at):
    """The derivative's value from SymPy alone, to 30 digits."""
    expr = sympy.sin(sympy.exp(x**2)) if expr_text == "sin(exp(x^2))" else None
    return float(sympy.diff(expr, x).evalf(30, subs={x: at}))


# ---- section 1.3: y = (3x + 2)^2 at x = 1 prints 30 ----


def test_section_1_3_chain_rule():
    e = explain("(3x+2)^2", 1)
    assert e.value == 30.0  # the chapter: "链式法则: dy/dx = 30"
    assert [s.value for s in e.steps] == [5.0, 25.0]  # u = 3x + 2 = 5, y = u^2 = 25
    u = R("u")
    assert dict(e.steps[0].local_derivatives) == {x: 3}
    assert dict(e.steps[1].local_derivatives) == {u: 2 * u}
    assert e.agrees and e.differentiable
    assert f"{e.numeric.estimate:.4f}" == "30.0000"  # the chapter's 数值验证 line
    assert "dy/dx = dy/du · du/dx = 2u · 3 = 10 · 3 = 30" in str(e)
    assert sympy.expand(e.derivative - 6 * (3 * x + 2)) == 0  # dy/dx = 6(3x + 2)


# ---- section 1.4: sin(exp(x^2)) at 0.5 prints 0.363195 ----


def test_section_1_4_multi_layer_chain():
    e = explain("sin(exp(x^2))", 0.5)
    assert f"{e.value:.6f}" == "0.363195"  # the chapter's printed value
    assert e.value == pytest.approx(exact("sin(exp(x^2))", 0.5), rel=1e-15)
    assert str(e.value).startswith("0.36319491480172")
    values = [s.value for s in e.steps]
    assert values[0] == 0.25 and values[1] == pytest.approx(math.exp(0.25), rel=1e-15)
    assert values[2] == pytest.approx(math.sin(math.exp(0.25)), rel=1e-15)
    local = [next(iter(s.local_values.values())) for s in e.steps]
    assert local == pytest.approx([1.0, math.exp(0.25), math.cos(math.exp(0.25))], rel=1e-15)
    assert f"{e.numeric.estimate:.6f}" == "0.363195"
    assert e.agrees
    assert "0.363194914801726" in str(e)


# ---- exercise 1: y = (2x + 1)^3 at x = 1: dy/dx = 6(2x + 1)^2 = 54 ----


def test_exercise_1():
    e = explain("(2x+1)^3", 1)
    assert e.value == 54.0
    assert sympy.expand(e.derivative - 6 * (2 * x + 1) ** 2) == 0
    assert e.agrees


# ---- sections 2.2 and 2.3: the network's forward and backward numbers ----


@pytest.fixture(scope="module")
def network():
    return explain(NETWORK, CHAPTER_POINT, wrt=PARAMETERS)


def test_section_2_2_forward_pass(network):
    values = {s.name.name: s.value for s in network.steps}
    assert values == {"z1": 1.1, "h": 1.1, "y": -0.13, "L": 1.2769}


def test_section_2_3_backward_pass(network):
    lines = {line.node.name: line.value for line in network.backward_lines}
    assert lines == {
        "y": -2.26,
        "w2": -2.486,
        "b2": -2.26,
        "h": 0.678,
        "z1": 0.678,
        "w1": 1.356,
        "b1": 0.678,
    }
    order = [line.node.name for line in network.backward_lines]
    assert order == ["y", "w2", "b2", "h", "z1", "w1", "b1"]  # the chapter's order
    assert network.gradient == {"w1": 1.356, "b1": 0.678, "w2": -2.486, "b2": -2.26}


def test_section_2_3_printed_lines(network):
    text = str(network)
    for line in [
        "z1 = w1*x + b1 = 0.5*2 + 0.1 = 1.1",
        "h  = relu(z1) = relu(1.1) = 1.1",
        "y  = w2*h + b2 = -0.3*1.1 + 0.2 = -0.13",
        "L  = (y - target)^2 = (-0.13 - 1)^2 = 1.2769",
        "dL/dy = 2(y - target) = -2.26",
        "dL/dw2 = dL/dy · h = -2.26 · 1.1 = -2.486",
        "dL/db2 = dL/dy · 1 = -2.26 · 1 = -2.26",
        "dL/dh = dL/dy · w2 = -2.26 · (-0.3) = 0.678",
        "dL/dz1 = dL/dh · relu'(z1) = 0.678 · 1 = 0.678",
        "dL/dw1 = dL/dz1 · x = 0.678 · 2 = 1.356",
        "dL/db1 = dL/dz1 · 1 = 0.678 · 1 = 0.678",
    ]:
        assert line in text, line


def test_network_numeric_check_agrees(network):
    assert network.agrees and network.differentiable
    for name, expected in {"w1": 1.356, "b1": 0.678, "w2": -2.486, "b2": -2.26}.items():
        assert network.numeric[name].estimate == pytest.approx(expected, rel=1e-12)


def test_section_2_4_parameter_update(network):
    update = network.update(0.1)
    assert {k: round(v, 4) for k, v in update.after.items()} == {
        "w1": 0.3644,
        "b1": 0.0322,
        "w2": -0.0514,
        "b2": 0.4260,
    }
    assert round(update.output_before, 4) == 1.2769
    assert round(update.output_after, 4) == 0.3759  # "损失变化: 1.2769 → 0.3759"


def test_network_in_chinese(network):
    text = explain(NETWORK, CHAPTER_POINT, wrt=PARAMETERS, lang="zh").to_text()
    assert "前向传播" in text and "反向传播" in text and "链式法则" in text
    assert "dL/dw1 = dL/dz1 · x = 0.678 · 2 = 1.356" in text


def test_chinese_single_variable():
    text = explain("(3x+2)^2", 1, lang="zh").to_text()
    assert "链式法则" in text and "局部导数" in text and "数值验证" in text and "中间变量" in text


# ---- the contract ----


def test_several_variables_by_mapping_default_to_all_names():
    e = explain("x^2 y", {"x": 3, "y": 2})
    assert e.value is None
    assert e.gradient == {"x": 12.0, "y": 9.0}
    assert set(e.derivative) == {"x", "y"}
    assert e.agrees


def test_wrt_as_comma_text_and_symbol():
    assert explain("x^2 y", {"x": 3, "y": 2}, wrt="y").value == 9.0
    assert explain("x^2 y", {"x": 3, "y": 2}, wrt=R("x")).value == 12.0


def test_sympy_expression_input():
    plain = sympy.Symbol("x")  # not real: derivcheck makes it real
    e = explain(sympy.sin(plain) ** 2, sympy.pi / 4)
    assert e.value == pytest.approx(1.0, rel=1e-15)


def test_missing_value_is_a_clear_error():
    with pytest.raises(EvaluationError, match="no value given for b"):
        explain("a*x + b", {"a": 1, "x": 2})


def test_scalar_point_with_several_names_is_a_clear_error():
    with pytest.raises(EvaluationError, match="several variables"):
        explain("a*x + b", 1)


def test_glued_names_are_read_with_the_variable():
    e = explain("xe^x", 1)
    assert e.value == pytest.approx(2 * math.e, rel=1e-15)


def test_exact_points_from_text():
    e = explain("sin(x)", "pi/3")
    assert e.value == pytest.approx(0.5, rel=1e-15)
    assert "x = π/3" in str(e)


def test_point_typo_names_the_problem():
    with pytest.raises(EvaluationError, match="does not use"):
        explain("x^2", {"z": 1})


def test_bad_point_text_is_a_parse_error():
    with pytest.raises(ParseError):
        explain("x^2", "1/")


def test_to_dict_and_json():
    e = explain("(3x+2)^2", 1)
    data = json.loads(e.to_json())
    assert data["value"] == 30.0
    assert data["steps"][1]["local_derivatives"]["u"]["value"] == 10.0
    assert data["agrees"] is True and data["differentiable"] is True
    assert data["numeric"]["x"]["method"] == e.numeric.method


def test_kink_reports_one_sided_derivatives():
    e = explain("relu(3x-1)", "1/3")
    assert e.differentiable is False
    sides = e.one_sided[x]
    assert (sides.left, sides.right) == (0.0, 3.0)
    assert sides.left_numeric.estimate == pytest.approx(0.0, abs=1e-12)
    assert sides.right_numeric.estimate == pytest.approx(3.0, rel=1e-12)
    assert "left derivative" in str(e) and "kink" in str(e)


def test_abs_at_zero_and_near_it():
    at_zero = explain("abs(x)", 0)
    assert at_zero.differentiable is False
    assert (at_zero.one_sided[x].left, at_zero.one_sided[x].right) == (-1.0, 1.0)
    near = explain("abs(x)", 0.25)
    assert near.differentiable and near.value == 1.0 and near.agrees


def test_log_of_negative_reports_the_domain():
    e = explain("log(x)", -1)
    assert e.differentiable is False
    assert "positive" in e.reason
    assert math.isnan(e.value)
    assert e.agrees is None  # no derivative: no numeric check to agree or not


def test_pole_and_vertical_tangent():
    assert "pole" in explain("1/x", 0).reason
    assert "vertical tangent" in explain("x^(1/3)", 0).reason  # real on both sides
    # √x is not real left of 0: the edge of the domain, not a two-sided tangent
    assert "edge of the domain" in explain("sqrt(x)", 0).reason


def test_network_at_the_kink_is_reported():
    point = dict(CHAPTER_POINT, b1=-1.0)  # z1 = 0.5·2 - 1 = 0
    e = explain(NETWORK, point, wrt=PARAMETERS)
    assert e.differentiable is False
    left, right = e.one_sided[R("w1")].left, e.one_sided[R("w1")].right
    # dL/dw1 = 2(y - target)·w2·relu'(z1)·x with y = b2 = 0.2: 2(-0.8)(-0.3)(2) = 0.96 on the right
    assert (left, right) == (0.0, pytest.approx(0.96, rel=1e-15))


def test_unknown_language():
    with pytest.raises(DerivcheckError, match="language"):
        explain("x^2", 1, lang="fr")


def test_time_bound_applies():
    from derivcheck.errors import LimitError

    many_terms = " + ".join(f"sin({k}x)^{k}" for k in range(1, 200))
    with pytest.raises(LimitError, match="longer than"):
        explain(many_terms, 1, seconds=0.001)


# ---- pictures from an explanation (matplotlib only when asked) ----


def test_plot_writes_png_with_the_tangent_of_the_chapter_example(tmp_path):
    from derivcheck.render.plots import lines_by_gid

    path = tmp_path / "f.png"
    figure = explain("(3x+2)^2", 1).plot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = lines_by_gid(figure)
    xs, ys = lines["tangent"].get_data()
    slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])
    assert slope == pytest.approx(30.0, rel=1e-12)  # the tangent at x = 1 has slope f'(1) = 30
    dx, dy = lines["derivative exact"].get_data()
    assert dy == pytest.approx([6 * (3 * v + 2) for v in dx], rel=1e-12)


def test_plot_of_one_variable_among_several(tmp_path):
    e = explain("a*x^2", {"a": 2, "x": 1}, wrt="x")
    figure = e.plot(str(tmp_path / "g.png"))
    from derivcheck.render.plots import lines_by_gid

    dx, dy = lines_by_gid(figure)["derivative exact"].get_data()
    assert dy == pytest.approx([4 * v for v in dx], rel=1e-12)  # d/dx 2x^2 = 4x


def test_plot_error_vs_step_marks_the_chosen_step(tmp_path):
    from derivcheck.render.plots import lines_by_gid

    path = tmp_path / "steps.png"
    figure = explain("sin(exp(x^2))", 0.5).plot_error_vs_step(str(path))
    assert path.stat().st_size > 1000
    lines = lines_by_gid(figure)
    assert {"forward", "central", "richardson"} <= set(lines)


def test_kink_at_a_point_that_is_not_a_float():
    # min(sin x, cos x) switches branch at π/4, which no float equals exactly.
    e = explain("min(sin x, cos x)", "pi/4")
    sides = e.one_sided[x]
    half_root_two = math.sqrt(2) / 2
    assert sides.left == pytest.approx(half_root_two, rel=1e-15)  # left of π/4: min = sin
    assert sides.right == pytest.approx(-half_root_two, rel=1e-15)  # right: min = cos
    assert sides.right_numeric.estimate == pytest.approx(-half_root_two, rel=1e-9)
    assert e.agrees and not e.differentiable


def test_program_numbers_never_glue_to_digits():
    text = explain("u = 3x + 2\ny = u^2", 1).to_text()
    assert "u = 3x + 2 = 3·1 + 2 = 5" in text  # not "31 + 2"


def test_a_named_formula_is_explained_as_a_formula():
    e = explain("f(x) = x^2 sin x", 1)
    assert e.output.name == "f" and e.program is None
    expected = 2 * math.sin(1) + math.cos(1)  # d/dx x²·sin x = 2x·sin x + x²·cos x at 1
    assert e.value == pytest.approx(expected, rel=1e-15)
    assert "Local derivatives" in e.to_text()


def test_latex_of_powers_of_relu_and_sigmoid():
    from derivcheck.calculus.functions import relu, sigmoid

    assert sympy.latex(sigmoid(x) ** 2) == r"\sigma\left(x\right)^{2}"
    assert sympy.latex(relu(x) ** 3) == r"\operatorname{relu}\left(x\right)^{3}"


def test_domain_reasons_name_the_intermediate_variable_and_speak_chinese():
    assert explain("1/(x-1)", 1).reason == "division by zero: u = x - 1 = 0 (a pole)"
    assert explain("log(x)", -1, lang="zh").reason == "ln 的自变量必须为正，但 x = -1"


# ---- smoothness from the mathematics (issue 9 §2), through explain() ----

SMOOTH_AT_0 = [("x|x|", 0.0), ("|x|^3", 0.0), ("relu(x)^2", 0.0), ("relu(x) - relu(-x)", 1.0)]


@pytest.mark.parametrize(("text", "slope"), SMOOTH_AT_0)
def test_explain_differentiable_at_a_break_gives_the_true_slope(text, slope):
    e = explain(text, 0)
    assert e.differentiable and e.agrees and e.value == slope
    assert not e.kinks and not e.one_sided
    notes = [n.to_text("en") for n in e.near_kinks if not isinstance(n, str)]
    assert any("differentiable" in n for n in notes)


def test_explain_kink_and_jump_are_told_apart():
    kink = explain("|x|", 0)
    assert not kink.differentiable and kink.smoothness[kink.variable].kind == "kink"
    assert (kink.one_sided[kink.variable].left, kink.one_sided[kink.variable].right) == (-1, 1)
    jump = explain("sign(x)", 0)
    assert not jump.differentiable and jump.smoothness[jump.variable].kind == "jump"


def test_negative_base_to_a_variable_power_is_not_real_nearby():
    e = explain("(5x)^x", -1)
    assert not e.differentiable and e.reason_message.key == "domain.power_base"


def test_an_explanation_switches_language_after_it_was_computed():
    e = explain("ln(x)", -1, lang="zh")
    assert "需" in e.reason or "必须" in e.reason
    english = e.to_text(lang="en")
    assert "ln needs a positive argument" in english and "必须" not in english


def test_glued_names_are_read_with_the_names_of_the_point():
    """sin(xy) at x = 1, y = 2 is sin(x·y): 'no value given for xy' was the answer (found
    trying issue 11's Hessian as a new user). f = x²y³ + sin(xy); the partials written out."""
    m = math
    e = explain("x^2 y^3 + sin(xy)", {"x": 1, "y": 2}, order=2)
    h = e.hessian
    assert h["x"]["x"] == pytest.approx(2 * 8 - 4 * m.sin(2), rel=1e-14)
    assert h["x"]["y"] == pytest.approx(6 * 4 + m.cos(2) - 2 * m.sin(2), rel=1e-14)
    assert h["y"]["y"] == pytest.approx(6 * 2 - m.sin(2), rel=1e-14)
    g = explain("x^2 y^3 + sin(xy)", {"x": 1, "y": 2})
    assert g.gradient["x"] == pytest.approx(16 + 2 * m.cos(2), rel=1e-14)


def test_agrees_is_none_where_no_numeric_check_could_be_made():
    """asin(σ(x⁴) − σ(625) − 1) at −5.0005: f′ ≈ −1.1e-133, and floating point tells it
    only to ±1.5e12: no check, which is no disagreement (the web page said "exact and
    numeric do not agree"). agrees is None there, True and False where a check was made."""
    from fractions import Fraction

    e = explain("asin(((sigmoid((x)**4))-(sigmoid(((-5))**4)))+(-1))", Fraction(-10001, 2000))
    assert e.differentiable is True and e.verdicts[e.wrt[0]] is None
    assert e.agrees is None and e.to_dict()["agrees"] is None
    assert explain("(3x+2)^2", 1).agrees is True


def test_a_one_sided_check_that_cannot_tell_the_slope_from_zero_is_no_check():
    """floor(3^elu(x) − 3^elu(−6/5) − 1)·(x² + 1)^(x + 1/5) at −1.2 jumps; its one-sided
    slopes are −2g′(−6/5) and −g′(−6/5) (g = (x² + 1)^(x + 1/5): floor is −2 left of the
    jump and −1 right of it), and the one-sided differences, squeezed by the next stair,
    gave −1.55 ± 17 for −1.54: "agrees", which proved nothing (differential case
    2026:15984). Now there is no verdict, and the note says why; |x| at 0 keeps its checks."""
    import sympy

    text = "(floor(((3^(elu(x)))-(3^(elu((-6/5)))))+(-1)))*((((x)^2)+1)^(x+(1/5)))"
    e = explain(text, -1.2)
    sides = e.one_sided[e.wrt[0]]
    t = sympy.Symbol("t")
    slope = sympy.diff((t**2 + 1) ** (t + sympy.Rational(1, 5)), t).subs(t, sympy.Rational(-6, 5))
    assert (
        abs(sides.left - float(-2 * slope)) <= 1e-12 and abs(sides.right - float(-slope)) <= 1e-12
    )
    assert sides.left_verdict is None and sides.right_verdict is None
    assert sides.left_numeric.note_message.key == "numeric.side_unresolved"
    assert e.agrees is None
    kink = explain("abs(x)", 0)
    assert kink.agrees is True and kink.one_sided[kink.wrt[0]].left_verdict is not None
