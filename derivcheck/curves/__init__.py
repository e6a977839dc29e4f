"""Curves: implicit differentiation (隐函数求导) and parametric curves (参数方程).

An equation ``F(x, y) = G(x, y)`` — ``x^2 + y^2 = 1``, ``x^3 + y^3 = 6xy``,
``e^(xy) = x + y`` — makes y a function of x near a point of the curve; a pair
``x = f(t); y = g(t)`` traces a curve as t moves. :func:`explain_curve` gives dy/dx (and
d^n y/dx^n for ``order=n``) with the textbook steps, the exact value at the point, and a
numeric check that solves the curve for y near the point with a root finder and
differences that. ``derivcheck.explain`` hands curves here.

>>> e = explain_curve("x^2 + y^2 = 1", {"x": 0.6, "y": 0.8}, wrt="x")
>>> e.derivative, e.value, e.agrees
(-x/y, -0.75, True)
>>> explain_curve("x^2 + y^2 = 1", {"x": 0.6, "y": 0.8}, order=2).value
-1.953125
>>> p = explain_curve("x = t - sin t; y = 1 - cos t", "pi/2", wrt="t")
>>> p.value, p.agrees
(1.0, True)
"""

from __future__ import annotations

from typing import Any

from derivcheck.curves.reading import Equation, ParametricPair, read_curve, read_equation
from derivcheck.curves.result import CurveExplanation, Stage
from derivcheck.errors import DerivcheckError
from derivcheck.limits import DEFAULT_SECONDS, time_limit
from derivcheck.messages import check_language

__all__ = [
    "explain_curve",
    "read_curve",
    "read_equation",
    "CurveExplanation",
    "Equation",
    "ParametricPair",
    "Stage",
]


def _names_of_point(x0: Any) -> tuple[str, ...]:
    from collections.abc import Mapping

    if isinstance(x0, Mapping):
        return tuple(k if isinstance(k, str) else getattr(k, "name", str(k)) for k in x0)
    return ()


def explain_curve(
    curve: str | Equation | ParametricPair,
    x0: Any = None,
    wrt: Any = None,
    lang: str = "en",
    *,
    order: int = 1,
    dependent: Any = None,
    seconds: float | None = DEFAULT_SECONDS,
) -> CurveExplanation:
    """Explain and check d^n y/dx^n of a curve at a point.

    ``curve``: an equation or a parametric pair, as text or as read by :func:`read_curve`.
    ``x0``: implicit — a mapping giving x, y (and any constants); parametric — the
    parameter's value (or a mapping with it and any constants). ``wrt``: the variable x
    (implicit; default x, else the first name) or the parameter (parametric).
    ``dependent``: the name that is a function of ``wrt`` (needed with three names or more).
    ``order``: 1 to 6. ``seconds``: the time bound.
    """
    from derivcheck.curves.implicit import explain_implicit
    from derivcheck.curves.parametric import explain_parametric

    lang = check_language(lang)
    with time_limit(seconds, "limits.what.explain"):
        if isinstance(curve, str):
            read = read_curve(curve, _names_of_point(x0))
            if read is None:
                raise DerivcheckError("curves.not_a_curve", option="explain_curve")
            curve = read
        if isinstance(curve, Equation):
            return explain_implicit(curve, x0, wrt, lang, order=order, dependent=dependent)
        if dependent is not None:
            raise DerivcheckError("curves.not_a_curve", option="dependent=")
        return explain_parametric(curve, x0, wrt, lang, order=order)
