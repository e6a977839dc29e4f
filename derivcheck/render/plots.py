"""Pictures of a derivative: the function with its tangent, and |error| against the step h.

matplotlib is imported inside the functions, and figures are drawn on their own Agg canvas
(``matplotlib.figure.Figure`` + ``FigureCanvasAgg``): no pyplot, no backend switch, no global
state touched. Each function writes a PNG and returns the Figure; every line carries a ``gid``
so that tests (and users) can read the plotted data back:

>>> import sympy, tempfile, os
>>> from derivcheck.render.plots import plot_function, lines_by_gid
>>> x = sympy.Symbol("x", real=True)
>>> path = os.path.join(tempfile.mkdtemp(), "f.png")
>>> fig = plot_function((3*x + 2)**2, x, 1.0, 6*(3*x + 2), path)
>>> sorted(lines_by_gid(fig))
['derivative exact', 'derivative numeric', 'function', 'point', 'tangent']
>>> slope = lines_by_gid(fig)["tangent"]
>>> xs, ys = slope.get_data()
>>> round(float((ys[-1] - ys[0]) / (xs[-1] - xs[0])), 9)
30.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sympy

from derivcheck.messages import Message, check_language, word
from derivcheck.numeric.engine import (
    NumericResult,
    derivative_curve,
    detect_kink,
    error_vs_step,
)
from derivcheck.numeric.evaluate import compile_expr, is_analytic

__all__ = ["plot_function", "plot_error_vs_step", "lines_by_gid", "TEXTBOOK_STEP"]

#: The step of the chapter's numerical_derivative (h = 1e-7), drawn for comparison.
TEXTBOOK_STEP = 1e-7

#: Fonts with Chinese glyphs, tried in order for lang="zh" (the first one installed is used).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC")  # fmt: skip


def _say(key: str, lang: str, **params: object) -> str:
    """A label of the pictures in ``lang`` (keys ``render.plot.*``)."""
    return word(f"render.plot.{key}", lang, **params)


def _fonts(lang: str) -> dict[str, Any]:
    """matplotlib settings for ``lang``: an installed font with Chinese glyphs first, if any
    (without one, matplotlib warns that the glyphs are missing)."""
    if lang != "zh":
        return {}
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    chinese = [name for name in CJK_FONTS if name in installed]
    if not chinese:
        return {}
    return {"font.family": "sans-serif", "font.sans-serif": [*chinese, "DejaVu Sans"]}


def _new_figure(width: float, height: float, rows: int = 1):
    """A Figure on its own Agg canvas (no pyplot, no global backend change)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    axes = [figure.add_subplot(rows, 1, i + 1) for i in range(rows)]
    return figure, axes


def lines_by_gid(figure) -> dict[str, Any]:
    """Every Line2D of a figure that has a gid, by gid (the plotted data, not the pixels)."""
    found = {}
    for axes in figure.axes:
        for line in axes.get_lines():
            if line.get_gid():
                found[line.get_gid()] = line
    return found


def _save(figure, path: str | Path) -> None:
    figure.savefig(Path(path), dpi=110, format="png")


def plot_function(
    expr: sympy.Expr,
    variable: sympy.Symbol,
    x0: float,
    derivative_expr: sympy.Expr,
    path: str | Path,
    numeric: NumericResult | None = None,
    *,
    span: float | None = None,
    points: int = 401,
    method: str = "auto",
    lang: str = "en",
):
    """Plot f with its tangent at x0 (top) and f' exact vs numeric (bottom); write a PNG.

    ``expr``: f as a SymPy expression in ``variable`` alone; ``derivative_expr``: its exact
    derivative; ``numeric``: the numeric check at x0 (marked with its error estimate when given).
    The numeric curve is computed by :func:`derivcheck.numeric.derivative_curve` at all
    ``points`` at once. The x range is x0 ± ``span`` (default 1.5·max(1, |x0|)); points where f
    or f' is not defined, and kinks, are gaps. Lines (gid): ``function``, ``tangent`` (slope =
    the exact derivative at x0, drawn over x0 ± span/2) or, when x0 is on a kink, ``tangent
    left`` and ``tangent right`` (the one-sided derivatives), ``point``, ``derivative exact``,
    ``derivative numeric``, and ``numeric at x0`` when ``numeric`` is given. Titles and legends
    are in ``lang``. Returns the Figure.
    """
    import matplotlib

    check_language(lang)
    with matplotlib.rc_context(_fonts(lang)):
        return _plot_function(
            expr, variable, x0, derivative_expr, path, numeric, span, points, method, lang
        )


def _plot_function(expr, variable, x0, derivative_expr, path, numeric, span, points, method, lang):
    x0 = float(x0)
    span = 1.5 * max(1.0, abs(x0)) if span is None else float(span)
    xs = np.linspace(x0 - span, x0 + span, points)
    f = compile_expr(expr, [variable])
    df = compile_expr(derivative_expr, [variable])
    with np.errstate(all="ignore"):
        ys = _finite(f(xs))
        exact_slopes = _finite(df(xs))
        f0 = float(np.real(f(x0)))
        slope = float(np.real(df(x0)))
    numeric_slopes, _ = derivative_curve(f, xs, method=method)

    figure, (top, bottom) = _new_figure(7.0, 7.0, rows=2)
    name = str(variable)
    at = f"{name} = {x0:g}"
    top.plot(xs, ys, color="C0", lw=2, label=f"f({name}) = {sympy.sstr(expr)}", gid="function")
    kink = detect_kink(f, x0) if not is_analytic(expr) and math.isfinite(f0) else None
    if kink is not None:
        # No tangent at a kink: one half-tangent per side, with the one-sided derivatives.
        for side, result, ends in (
            ("left", kink.left, (x0 - span / 2, x0)),
            ("right", kink.right, (x0, x0 + span / 2)),
        ):
            near = np.array(ends)
            top.plot(
                near,
                f0 + result.estimate * (near - x0),
                color="C3" if side == "left" else "C1",
                ls="--",
                label=_say(f"{side}_tangent", lang, point=at, slope=f"{result.estimate:.10g}"),
                gid=f"tangent {side}",
            )
        top.plot([x0], [f0], "o", color="C3", gid="point")
    elif math.isfinite(f0) and math.isfinite(slope):
        near = np.linspace(x0 - span / 2, x0 + span / 2, 2)
        top.plot(
            near,
            f0 + slope * (near - x0),
            color="C3",
            ls="--",
            label=_say("tangent", lang, point=at, slope=f"{slope:.10g}"),
            gid="tangent",
        )
        top.plot([x0], [f0], "o", color="C3", gid="point")
    _limit_to_curve(top, ys)
    top.set_xlabel(name)
    top.set_ylabel(f"f({name})")
    top.set_title(_say("function_title", lang))
    top.legend(loc="best", fontsize=8)
    top.grid(alpha=0.3)

    bottom.plot(
        xs,
        exact_slopes,
        color="C2",
        lw=3,
        alpha=0.6,
        label=_say("exact", lang),
        gid="derivative exact",
    )
    bottom.plot(
        xs,
        numeric_slopes,
        color="k",
        ls=":",
        marker=".",
        markevery=max(1, points // 40),
        label=_say("numeric_curve", lang, method=method, points=points),
        gid="derivative numeric",
    )
    if numeric is not None and math.isfinite(numeric.estimate):
        bottom.errorbar(
            [x0],
            [numeric.estimate],
            yerr=[numeric.error_estimate],
            fmt="s",
            color="C3",
            label=_say(
                "numeric_at",
                lang,
                point=at,
                estimate=f"{numeric.estimate:.12g}",
                error=f"{numeric.error_estimate:.1g}",
            ),  # fmt: skip
        )
        bottom.get_lines()[-1].set_gid("numeric at x0")
    _limit_to_curve(bottom, exact_slopes)
    bottom.axvline(x0, color="C3", lw=0.8, alpha=0.5)
    bottom.set_xlabel(name)
    bottom.set_ylabel(f"f'({name})")
    bottom.set_title(_say("derivative_title", lang))
    bottom.legend(loc="best", fontsize=8)
    bottom.grid(alpha=0.3)
    _save(figure, path)
    return figure


def _finite(values: Any) -> np.ndarray:
    values = np.asarray(values)
    if values.dtype.kind == "c":
        values = np.where(values.imag == 0, values.real, np.nan)
    values = values.astype(float)
    return np.where(np.isfinite(values), values, np.nan)


def _limit_to_curve(axes, values: np.ndarray) -> None:
    """Keep the y range on the curve (a tangent or a pole must not squash it)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return
    low, high = np.percentile(finite, [1, 99])
    pad = 0.1 * (high - low) if high > low else max(1.0, abs(high)) * 0.1
    axes.set_ylim(low - pad, high + pad)


def plot_error_vs_step(
    f: Callable[..., Any],
    x0: float,
    exact: float,
    chosen_step: float | None,
    path: str | Path,
    *,
    steps: Sequence[float] | None = None,
    textbook_step: float = TEXTBOOK_STEP,
    lang: str = "en",
):
    """log-log |error| of forward, central and Richardson differences against the step h.

    The data, the rounding line eps·M/h included, comes from
    :func:`derivcheck.numeric.error_vs_step`. Reference lines: truncation ∝ h (forward) and ∝ h²
    (central), drawn 5x above the measured error at the smallest step where truncation clearly
    dominates (1000x the rounding estimate), so that they run parallel to the data. Vertical
    lines mark ``chosen_step`` (when it lies inside the plotted range — a complex step of 1e-20
    does not, and a note says so) and the textbook step 1e-7. It shows
    why h = 1e-7 is not the best step: below the best step rounding error grows like 1/h.
    Lines (gid): ``forward``, ``central``, ``richardson``, ``truncation h``, ``truncation h^2``,
    ``rounding 1/h``, ``chosen step``, ``textbook step``. Errors that are exactly 0 are not
    drawn (log scale). Titles and legends are in ``lang``. Returns the Figure.
    """
    import matplotlib

    check_language(lang)
    with matplotlib.rc_context(_fonts(lang)):
        return _plot_error_vs_step(f, x0, exact, chosen_step, path, steps, textbook_step, lang)


def _plot_error_vs_step(f, x0, exact, chosen_step, path, steps, textbook_step, lang):
    x0 = float(x0)
    exact = float(exact)
    data = error_vs_step(f, x0, exact, steps)
    hs = data["steps"]
    figure, (axes,) = _new_figure(7.5, 5.0)
    styles = {"forward": "C0", "central": "C1", "richardson": "C2"}
    for name, color in styles.items():
        errors = np.where(data[name] > 0, data[name], np.nan)
        label = Message(f"method_{name}").to_text(lang)
        axes.loglog(hs, errors, "o-", ms=3, color=color, label=label, gid=name)

    rounding = data["rounding"]
    axes.loglog(
        hs,
        rounding,
        color="0.4",
        ls="--",
        lw=1,
        label=_say("rounding", lang),
        gid="rounding 1/h",
    )
    for name, power, label in (
        ("forward", 1, _say("truncation", lang, power="h", slope=1)),
        ("central", 2, _say("truncation", lang, power="h²", slope=2)),
    ):
        anchor = _truncation_anchor(hs, data[name], rounding)
        if anchor is None:
            continue
        h_a, e_a = anchor
        line = 5.0 * e_a * (hs / h_a) ** power
        keep = line >= rounding / 10
        axes.loglog(
            hs[keep],
            line[keep],
            color=styles[name],
            ls=":",
            lw=1.2,
            label=label,
            gid=f"truncation h^{power}" if power > 1 else "truncation h",
        )

    low, high = hs.min(), hs.max()
    if chosen_step is not None and low <= chosen_step <= high:
        axes.axvline(
            chosen_step,
            color="C3",
            lw=1.5,
            label=_say("chosen_step", lang, step=f"{chosen_step:.2g}"),
            gid="chosen step",
        )
    elif chosen_step is not None:
        axes.text(
            0.02,
            0.02,
            _say("complex_step", lang, step=f"{chosen_step:.2g}"),
            transform=axes.transAxes,
            fontsize=8,
            color="C3",
        )
    if textbook_step is not None and low <= textbook_step <= high:
        axes.axvline(
            textbook_step,
            color="0.3",
            lw=1,
            ls="-.",
            label=_say("textbook_step", lang, step=f"{textbook_step:g}"),
            gid="textbook step",
        )
    axes.set_xlabel(_say("step", lang))
    axes.set_ylabel(_say("error", lang))
    axes.set_title(_say("error_title", lang, x0=f"{x0:g}", exact=f"{exact:.12g}"))
    finite = np.concatenate(
        [
            d[np.isfinite(d) & (d > 0)]
            for d in (data["forward"], data["central"], data["richardson"])
        ]
    )
    if finite.size:
        axes.set_ylim(max(finite.min() / 10, 1e-18), finite.max() * 10)
    axes.grid(alpha=0.3, which="both")
    axes.legend(loc="lower left", fontsize=7, ncol=2)
    _save(figure, path)
    return figure


def _truncation_anchor(hs: np.ndarray, errors: np.ndarray, rounding: np.ndarray):
    """(h, error) at the smallest h (below 0.1·max h) where error is 1000x the rounding error.

    There truncation dominates and higher-order terms are smallest: the reference line then
    has the asymptotic slope through a measured point.
    """
    limit = 0.1 * hs.max()
    usable = (hs <= limit) & np.isfinite(errors) & (errors > 1000 * rounding)
    if not np.any(usable):
        return None
    index = np.nonzero(usable)[0][0]
    return float(hs[index]), float(errors[index])
