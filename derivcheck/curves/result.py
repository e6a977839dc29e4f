"""What derivcheck found out about the slope of a curve: :class:`CurveExplanation`.

Analysis fills it (:mod:`derivcheck.curves.implicit`, :mod:`derivcheck.curves.parametric`);
renderers only read it (:mod:`derivcheck.curves.layout`, then the text, LaTeX and Markdown
renderers of :mod:`derivcheck.render`). Sentences are messages, put in words when shown.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from sympy import Expr, Symbol

from derivcheck.calculus.derivation import Derivation
from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message

__all__ = ["CurveExplanation", "Stage"]


@dataclass(frozen=True)
class Stage:
    """One order more: ``formula`` (of order ``order``) from the one before it.

    Implicit: ``parts`` = (∂g/∂x, ∂g/∂y) of the previous formula g, and the order-k formula
    is ∂g/∂x + ∂g/∂y · dy/dx. Parametric: ``parts`` = (dg/dt,), and it is (dg/dt)/(dx/dt).
    ``raw`` is that expression before it was simplified.
    """

    order: int
    previous: Expr
    parts: tuple[Expr, ...]
    raw: Expr
    formula: Expr


@dataclass(frozen=True)
class CurveExplanation:
    """dy/dx (and higher orders) of a curve at a point, derived and checked.

    ``kind``: ``"implicit"`` (an equation F(x, y) = G(x, y), y a function of x) or
    ``"parametric"`` (x = x(t), y = y(t)). ``variable`` is x, ``dependent`` y,
    ``parameter`` t (parametric only). ``point`` holds every name's exact value (x, y and
    constants; or t and constants). ``formulas[k - 1]`` is the k-th derivative d^k y/dx^k
    as an expression (of x and y, or of t) and ``exact_values[k - 1]`` its value (nan
    where it does not exist: a vertical tangent, a singular point, ``reason_message``).
    ``numeric`` and ``verdict`` check the highest order: y solved near the point with a
    root finder, then differenced (see :mod:`derivcheck.curves.numeric`).
    """

    kind: str
    source: str | None
    curve: Any  # reading.Equation or reading.ParametricPair
    variable: Symbol
    dependent: Symbol
    parameter: Symbol | None
    point: dict[Symbol, Expr]
    order: int
    #: implicit: (lhs, rhs) each with its ∂/∂x and ∂/∂y derivations; parametric: x(t), y(t)
    derivations: tuple[tuple[Expr, tuple[Derivation, ...]], ...]
    #: implicit: (∂F/∂x, ∂F/∂y); parametric: (dx/dt, dy/dt) — expressions and values
    partials: tuple[Expr, ...]
    partial_values: tuple[float, ...]
    formulas: tuple[Expr, ...]
    stages: tuple[Stage, ...]
    exact_values: tuple[float, ...]
    numeric: Any = None  # numeric.NumericResult
    verdict: Any = None  # numeric.Verdict
    #: implicit: F at the point (0 on the curve, or a rounding residual), and the tolerance
    residual: float | None = None
    tolerance: float | None = None
    #: parametric: the point (x(t0), y(t0)) of the curve
    coordinates: dict[Symbol, float] = field(default_factory=dict)
    #: implicit, conics: each order's formula in a shorter form valid on the curve (or None)
    on_curve_forms: tuple[Expr | None, ...] = ()
    reason_message: Message | None = None
    #: why there is no numeric check (None when there is one)
    numeric_note: Message | None = None
    lang: str = "en"

    # ---- the public contract, as Explanation's ----
    @property
    def wrt(self) -> tuple[Symbol, ...]:
        return (self.parameter if self.parameter is not None else self.variable,)

    @property
    def value(self) -> float:
        """The ``order``-th derivative d^n y/dx^n at the point (nan where it does not exist)."""
        return self.exact_values[-1]

    @property
    def derivative(self) -> Expr:
        """The ``order``-th derivative as an expression."""
        return self.formulas[-1]

    @property
    def derivatives_by_order(self) -> dict[int, Expr]:
        return {k: f for k, f in enumerate(self.formulas, 1)}

    @property
    def values_by_order(self) -> dict[int, float]:
        return {k: v for k, v in enumerate(self.exact_values, 1)}

    @property
    def differentiable(self) -> bool:
        return self.reason_message is None and math.isfinite(self.value)

    @property
    def agrees(self) -> bool:
        """The exact value and the numeric check agree within its error budget."""
        return self.verdict is not None and self.verdict.agrees

    @property
    def reason(self) -> str | None:
        """Why dy/dx does not exist here, in the explanation's language."""
        return None if self.reason_message is None else self.reason_message.to_text(self.lang)

    @property
    def point_floats(self) -> dict[Symbol, float]:
        from derivcheck.calculus.graph import to_float

        return {k: to_float(v) for k, v in self.point.items()}

    # ---- data and text out ----
    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        from derivcheck.curves.layout import curve_to_dict

        return curve_to_dict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self, lang: str | None = None) -> str:
        from derivcheck.curves.layout import curve_layout
        from derivcheck.render.text import layout_to_text

        return layout_to_text(curve_layout(self), lang or self.lang)

    def __str__(self) -> str:
        return self.to_text()

    def to_latex(
        self, standalone: bool = False, lang: str | None = None, style: str = "chain"
    ) -> str:
        """An ``align*`` derivation; ``standalone=True`` gives a whole document."""
        from derivcheck.curves.layout import curve_layout
        from derivcheck.render.latex import (
            latex_document,
            sections_to_align,
            sections_to_body,
            words_text,
        )

        lang = lang or self.lang
        layout = curve_layout(self)
        if not standalone:
            return sections_to_align(list(layout.sections), lang)
        body = sections_to_body(list(layout.sections), lang)
        return latex_document(body, lang, words_text(layout.title, lang))

    def to_markdown(self, lang: str | None = None, style: str = "chain", level: int = 2) -> str:
        """A Markdown section: the title, then ``$$`` blocks and paragraphs."""
        from derivcheck.curves.layout import curve_layout
        from derivcheck.render.latex import words_text
        from derivcheck.render.markdown import paragraph_text, sections_to_markdown

        lang = lang or self.lang
        layout = curve_layout(self)
        title = "#" * level + " " + paragraph_text(words_text(layout.title, lang))
        return title + "\n\n" + sections_to_markdown(list(layout.sections), level + 1, lang)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    # ---- what a curve has not ----
    def _not_for_curves(self, what: str) -> DerivcheckError:
        return DerivcheckError("curves.not_for_curves", what=what)

    def to_mermaid(self, lang: str | None = None) -> str:
        raise self._not_for_curves("mermaid")

    def update(self, lr: float):
        raise self._not_for_curves("--lr")

    def plot(self, path: str, **options: Any):
        raise self._not_for_curves("--plot")

    def plot_error_vs_step(self, path: str, **options: Any):
        raise self._not_for_curves("--plot-steps")

    def plot_graph(self, path: str, **options: Any):
        raise self._not_for_curves("plot_graph")
