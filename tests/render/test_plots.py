"""derivcheck.render.plots: real PNG files, and the plotted data checked against mathematics."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
import sympy

from derivcheck.calculus.functions import relu
from derivcheck.numeric import derivative
from derivcheck.numeric.evaluate import compile_expr
from derivcheck.render.plots import lines_by_gid, plot_error_vs_step, plot_function

x = sympy.Symbol("x", real=True)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def assert_png(path):
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 5000


def test_plot_function_chapter_example(tmp_path):
    expr = (3 * x + 2) ** 2
    path = tmp_path / "function.png"
    f = compile_expr(expr, [x])
    figure = plot_function(expr, x, 1.0, sympy.diff(expr, x), path, numeric=derivative(f, 1.0))
    assert_png(path)
    lines = lines_by_gid(figure)

    xs, ys = lines["function"].get_data()
    assert np.allclose(ys, (3 * xs + 2) ** 2, rtol=1e-15)
    assert xs.min() < 1.0 < xs.max()

    xs, ys = lines["tangent"].get_data()  # y = 25 + 30 (x - 1)
    assert np.allclose(ys, 25 + 30 * (xs - 1), rtol=1e-14)

    xs, exact = lines["derivative exact"].get_data()
    assert np.allclose(exact, 6 * (3 * xs + 2), rtol=1e-15)
    xs_numeric, numeric = lines["derivative numeric"].get_data()
    assert np.array_equal(xs_numeric, xs) and len(xs) >= 200
    assert np.allclose(numeric, 6 * (3 * xs + 2), rtol=1e-13, atol=1e-13)

    marker_x, marker_y = lines["numeric at x0"].get_data()
    assert marker_x[0] == 1.0 and marker_y[0] == pytest.approx(30.0, rel=1e-15, abs=0)


def test_plot_function_at_a_kink_draws_both_half_tangents(tmp_path):
    expr = relu(3 * x - 1)
    path = tmp_path / "kink.png"
    figure = plot_function(expr, x, 1 / 3, sympy.diff(expr, x), path)
    assert_png(path)
    lines = lines_by_gid(figure)
    assert "tangent" not in lines
    for side, slope in (("left", 0.0), ("right", 3.0)):
        xs, ys = lines[f"tangent {side}"].get_data()
        assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(slope, abs=1e-12)
    xs, numeric = lines["derivative numeric"].get_data()
    away = np.abs(xs - 1 / 3) > 1e-6
    assert np.allclose(numeric[away], np.where(xs[away] > 1 / 3, 3.0, 0.0), atol=1e-10)


def test_plot_function_with_gaps_outside_the_domain(tmp_path):
    expr = sympy.log(x)
    figure = plot_function(expr, x, 0.5, 1 / x, tmp_path / "log.png")
    xs, ys = lines_by_gid(figure)["function"].get_data()
    assert np.all(np.isnan(ys[xs <= 0]))
    assert np.allclose(ys[xs > 0], np.log(xs[xs > 0]))
    xs, numeric = lines_by_gid(figure)["derivative numeric"].get_data()
    inside = xs > 0.05
    assert np.allclose(numeric[inside], 1 / xs[inside], rtol=1e-12)


def test_plot_error_vs_step_data(tmp_path):
    # f = (3x+2)^2 at 1: forward difference = 30 + 9h exactly, central has no truncation error.
    f = compile_expr((3 * x + 2) ** 2, [x])
    chosen = 6.055454452393343e-06
    path = tmp_path / "steps.png"
    figure = plot_error_vs_step(f, 1.0, 30.0, chosen, path)
    assert_png(path)
    lines = lines_by_gid(figure)
    assert {
        "forward",
        "central",
        "richardson",
        "rounding 1/h",
        "chosen step",
        "textbook step",
    } <= set(lines)

    hs, forward = lines["forward"].get_data()
    truncation = (hs >= 1e-4) & (hs <= 0.5)
    assert np.allclose(forward[truncation], 9 * hs[truncation], rtol=1e-6)
    hs, central = lines["central"].get_data()
    assert np.nanmax(central[(hs >= 1e-4) & (hs <= 1)]) < 1e-9

    hs, rounding = lines["rounding 1/h"].get_data()
    assert np.allclose(rounding * hs, rounding[0] * hs[0])  # slope -1
    hs_t, truncation_line = lines["truncation h"].get_data()
    slope = np.polyfit(np.log(hs_t), np.log(truncation_line), 1)[0]
    assert slope == pytest.approx(1.0)

    assert list(lines["chosen step"].get_xdata()) == [chosen, chosen]
    assert list(lines["textbook step"].get_xdata()) == [1e-7, 1e-7]


def test_error_plot_of_a_scalar_only_callable(tmp_path):
    # math.sin takes one float at a time: the plot must not call it with an array itself.
    figure = plot_error_vs_step(math.sin, 0.5, math.cos(0.5), None, tmp_path / "math.png")
    hs, central = lines_by_gid(figure)["central"].get_data()
    chosen = (hs >= 1e-3) & (hs <= 1e-1)  # truncation: |error| = cos(0.5)·h²/6 + O(h^4)
    assert np.allclose(central[chosen], math.cos(0.5) * hs[chosen] ** 2 / 6, rtol=1e-2)


def test_error_plot_with_the_complex_step_says_so(tmp_path):
    expr = sympy.sin(sympy.exp(x**2))
    f = compile_expr(expr, [x])
    exact = float(sympy.diff(expr, x).evalf(30, subs={x: sympy.Rational(1, 2)}))
    figure = plot_error_vs_step(f, 0.5, exact, 1e-20, tmp_path / "complex.png")
    assert "chosen step" not in lines_by_gid(figure)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert any("complex step" in t for t in texts)
    lines = lines_by_gid(figure)
    assert {"truncation h", "truncation h^2"} <= set(lines)
    hs, line = lines["truncation h^2"].get_data()
    assert np.polyfit(np.log(hs), np.log(line), 1)[0] == pytest.approx(2.0)


def test_plots_leave_matplotlib_global_state_alone(tmp_path):
    import matplotlib

    backend = matplotlib.get_backend()
    plot_function(sympy.sin(x), x, 0.0, sympy.cos(x), tmp_path / "sin.png")
    assert matplotlib.get_backend() == backend


def test_importing_plots_does_not_import_matplotlib():
    code = "import sys, derivcheck.render.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.filterwarnings("ignore:Glyph .* missing:UserWarning")  # no Chinese font here
def test_plot_titles_and_legends_follow_the_language(tmp_path):
    expr = (3 * x + 2) ** 2
    numeric = derivative(compile_expr(expr, [x]), 1.0)
    english = plot_function(expr, x, 1.0, sympy.diff(expr, x), tmp_path / "en.png", numeric)
    chinese = plot_function(
        expr, x, 1.0, sympy.diff(expr, x), tmp_path / "zh.png", numeric, lang="zh"
    )
    titles = [axes.get_title() for axes in english.axes]
    assert titles == ["the function and its tangent line", "the derivative: exact and numeric"]
    assert [axes.get_title() for axes in chinese.axes] == ["函数及其切线", "导数：精确值与数值"]
    legend = [t.get_text() for t in chinese.axes[0].get_legend().get_texts()]
    assert "x = 1 处的切线：斜率 30" in legend
    steps = plot_error_vs_step(math.sin, 0.5, math.cos(0.5), 1e-5, tmp_path / "s.png", lang="zh")
    assert steps.axes[0].get_xlabel() == "步长 h"
    labels = [t.get_text() for t in steps.axes[0].get_legend().get_texts()]
    assert "中心差分" in labels and "教科书的步长 h = 1e-07" in labels
    with pytest.raises(Exception, match="language"):
        plot_function(expr, x, 1.0, sympy.diff(expr, x), tmp_path / "fr.png", lang="fr")


@pytest.mark.filterwarnings("ignore:Glyph .* missing:UserWarning")
def test_graph_picture_says_undefined_in_the_language_asked(tmp_path):
    from derivcheck import explain
    from derivcheck.render.graph_plot import plot_graph, texts_by_gid

    e = explain("ln(x)", -1, lang="zh")
    labels = texts_by_gid(plot_graph(e, tmp_path / "zh.png"))
    assert labels["node:y"].endswith("y = 无定义")
    labels = texts_by_gid(plot_graph(e, tmp_path / "en.png", lang="en"))
    assert labels["node:y"].endswith("y = undefined")


def test_an_explanation_in_chinese_plots_in_chinese(tmp_path):
    from derivcheck import explain

    e = explain("(3x + 2)^2", 1, lang="zh")
    figure = e.plot(str(tmp_path / "zh.png"))
    assert [axes.get_title() for axes in figure.axes] == ["函数及其切线", "导数：精确值与数值"]
    steps = e.plot_error_vs_step(str(tmp_path / "steps.png"))
    assert steps.axes[0].get_xlabel() == "步长 h"


def test_chinese_labels_are_drawn_with_a_font_that_has_their_glyphs(tmp_path):
    import warnings

    from matplotlib import font_manager

    from derivcheck import explain
    from derivcheck.render.plots import CJK_FONTS

    installed = {font.name for font in font_manager.fontManager.ttflist}
    if not installed & set(CJK_FONTS):
        pytest.skip("no font with Chinese glyphs is installed (.ci/run installs one)")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing")
        explain("x^2", 1, lang="zh").plot(str(tmp_path / "zh.png"))
