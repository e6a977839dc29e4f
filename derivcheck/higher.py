"""Beyond the first derivative at a point: symbolic derivations, order n, partials, Hessians.

:func:`derivcheck.explain` comes here when there is no point, when ``order`` is above 1, or
for partial derivatives without a point; it returns a :class:`HigherExplanation`. Each order
is derived from the previous one rule by rule (:mod:`derivcheck.calculus.orders`), checked
against ``sympy.diff`` of the function, evaluated exactly at the point and checked numerically
(:mod:`derivcheck.numeric.higher`) with an error budget that grows with the order.

>>> from derivcheck import explain
>>> e = explain("x^x")                       # no point: the derivation itself
>>> e.value is None, e.derivative
(True, x**x*(log(x) + 1))
>>> e.agrees
True
>>> third = explain("e^(-x^2)", 1, order=3)
>>> round(third.value, 12), third.derivatives_by_order[2]
(1.471517764686, 2*(2*x**2 - 1)*exp(-x**2))
>>> h = explain("x^2 y^3", {"x": 1, "y": 2}, order=2)
>>> h.hessian
{'x': {'x': 16.0, 'y': 24.0}, 'y': {'x': 24.0, 'y': 12.0}}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.graph import Graph, build_graph, to_float, value_at
from derivcheck.calculus.orders import OrderStep, SecondPartial, derivative_chain, second_partials
from derivcheck.errors import DerivcheckError, EvaluationError
from derivcheck.explanation import ExplanationBase
from derivcheck.messages import Message

__all__ = ["HigherExplanation", "OrderResult", "Tangent", "SampleCheck", "explain_higher"]

#: Points of the domain at which a derivation without a point is checked numerically.
SAMPLE_CHECKS = 3


@dataclass(frozen=True)
class OrderResult:
    """One derivative at the point: the exact value and its numeric check."""

    step: OrderStep
    exact: Expr | None
    value: float
    numeric: Any = None  # numeric.NumericResult
    verdict: Any = None  # numeric.Verdict

    @property
    def agrees(self) -> bool:
        return self.verdict is not None and self.verdict.agrees


@dataclass(frozen=True)
class SampleCheck:
    """A derivative without a point, checked at one point of the domain."""

    point: dict[Symbol, Expr]
    value: float
    numeric: Any
    verdict: Any

    @property
    def agrees(self) -> bool:
        return self.verdict is not None and self.verdict.agrees


@dataclass(frozen=True)
class Tangent:
    """The tangent line y = f(x0) + f′(x0)(x − x0); ``slope`` ±inf: vertical (x = x0)."""

    variable: Symbol
    x0: float
    y0: float
    slope: float

    @property
    def vertical(self) -> bool:
        return math.isinf(self.slope)

    @property
    def expression(self) -> Expr:
        """y0 + slope·(x − x0) as a SymPy expression (floats)."""
        x = self.variable
        return sympy.Float(self.y0) + sympy.Float(self.slope) * (x - sympy.Float(self.x0))

    def __call__(self, x: Any) -> Any:
        return self.y0 + self.slope * (x - self.x0)

    def __str__(self) -> str:
        from derivcheck.render.printing import number

        name = self.variable.name
        if self.vertical:
            return f"{name} = {number(self.x0, 15)}"
        slope = number(abs(self.slope), 15)
        sign = "-" if self.slope < 0 else "+"
        shift = f"({name} - {number(self.x0, 15)})" if self.x0 else name
        if self.x0 < 0:
            shift = f"({name} + {number(-self.x0, 15)})"
        return f"y = {number(self.y0, 15)} {sign} {slope}·{shift}"


@dataclass(frozen=True)
class HigherExplanation(ExplanationBase):
    """Derivatives beyond one first derivative at one point (see the module docstring).

    One variable: ``orders`` holds f′ … f⁽ⁿ⁾ (each with its rule-by-rule ``derivation``),
    ``results`` their values and checks at the point (empty without a point), ``samples``
    the checks of f⁽ⁿ⁾ at points of the domain when there is no point. Several variables:
    ``partials`` the first partial derivatives, ``entries`` the Hessian's (order 2). What it
    shares with :class:`~derivcheck.Explanation` (names, formats) is
    :class:`~derivcheck.explanation.ExplanationBase`.
    """

    RENDERERS: ClassVar[Mapping[str, str]] = {
        "dict": "derivcheck.render.orders:higher_to_dict",
        "text": "derivcheck.render.orders:higher_to_text",
        "latex": "derivcheck.render.orders:higher_to_latex",
        "markdown": "derivcheck.render.orders:higher_to_markdown",
        "mermaid": "derivcheck.render.orders:higher_to_mermaid",
    }

    expr: Expr
    source: str | None
    wrt: tuple[Symbol, ...]
    point: dict[Symbol, Expr] | None
    order: int
    graph: Graph
    orders: tuple[OrderStep, ...] = ()
    results: tuple[OrderResult, ...] = ()
    partials: dict[Symbol, OrderStep] = field(default_factory=dict)
    partial_results: dict[Symbol, OrderResult] = field(default_factory=dict)
    entries: dict[tuple[Symbol, Symbol], SecondPartial] = field(default_factory=dict)
    entry_results: dict[tuple[Symbol, Symbol], OrderResult] = field(default_factory=dict)
    samples: tuple[SampleCheck, ...] = ()
    lang: str = "en"
    reason_message: Message | None = None

    # ---- the public contract shared with Explanation ----
    @property
    def derivation(self):
        """The rule-by-rule derivation of f′ (one variable)."""
        return self.orders[0].derivation if self.orders else None

    @property
    def hessian_mode(self) -> bool:
        return not self.single and self.order == 2

    @property
    def derivative(self) -> Expr | dict[str, Any]:
        """f⁽ⁿ⁾ as an expression; with several variables the partials (order 1) or the
        Hessian's expressions (order 2) by name."""
        if self.single:
            return self.orders[-1].expression
        if self.order == 1:
            return {v.name: self.partials[v].expression for v in self.wrt}
        return {a.name: {b.name: self._entry(a, b).expression for b in self.wrt} for a in self.wrt}

    @property
    def derivatives_by_order(self) -> dict[int, Expr]:
        """{1: f′, 2: f″, …} (one variable)."""
        return {step.order: step.expression for step in self.orders}

    @property
    def values_by_order(self) -> dict[int, float]:
        """{1: f′(x0), 2: f″(x0), …} (empty without a point)."""
        return {r.step.order: r.value for r in self.results}

    @property
    def value(self) -> float | None:
        """f⁽ⁿ⁾(x0); None without a point or with several variables."""
        if self.point is None or not self.single or not self.results:
            return None
        return self.results[-1].value

    @property
    def gradient(self) -> dict[str, float]:
        if self.point is None:
            return {}
        if self.single:
            return {self.variable.name: self.results[0].value} if self.results else {}
        return {
            v.name: self.partial_results[v].value for v in self.wrt if v in self.partial_results
        }

    @property
    def hessian(self) -> dict[str, dict[str, float]] | None:
        """name -> name -> ∂²f/∂a∂b at the point (floats); None without one."""
        if self.point is None or not self.entry_results:
            return None
        return {
            a.name: {b.name: self._entry_result(a, b).value for b in self.wrt} for a in self.wrt
        }

    @property
    def numeric(self) -> Any:
        if self.single and self.results:
            return self.results[-1].numeric
        if self.entry_results:
            return {f"{a.name},{b.name}": r.numeric for (a, b), r in self.entry_results.items()}
        return {v.name: r.numeric for v, r in self.partial_results.items()} or None

    def checks(self) -> list[Any]:
        """Every numeric check made (orders, entries, partials, sample points)."""
        found: list[Any] = list(self.results) + list(self.samples)
        found += list(self.partial_results.values()) + list(self.entry_results.values())
        return found

    @property
    def agrees(self) -> bool:
        """Every numeric check agrees within its budget (and there is at least one)."""
        checks = self.checks()
        return bool(checks) and all(c.agrees for c in checks)

    @property
    def differentiable(self) -> bool:
        return self.reason_message is None

    def _entry(self, a: Symbol, b: Symbol) -> SecondPartial:
        i, j = self.wrt.index(a), self.wrt.index(b)
        return self.entries[(a, b) if i <= j else (b, a)]

    def _entry_result(self, a: Symbol, b: Symbol) -> OrderResult:
        i, j = self.wrt.index(a), self.wrt.index(b)
        return self.entry_results[(a, b) if i <= j else (b, a)]

    # ---- pictures ----
    def plot(self, path: str, **options: Any):
        """f, its tangent at x0 and f′ (one variable, with a point)."""
        from derivcheck.explanation import explain

        if self.point is None or not self.single:
            raise DerivcheckError("explain.needs_one_variable", what="plot", count=len(self.wrt))
        v = self.variable
        return explain(self.expr, {v.name: self.point[v]}).plot(path, **options)


def tangent_of(e: Any, slope: float | None = None) -> Tangent | None:
    """The tangent of an explanation with one variable and a point (slope: f′(x0)).

    A vertical tangent (x^(1/3) at 0: the derivative is infinite) is the line x = x0.
    """
    if e.point is None or not e.single:
        return None
    v = e.variable
    slope = e.value if slope is None else slope
    y0 = to_float(value_at(e.expr, e.point))
    if not math.isfinite(y0):
        return None
    if slope is None or not math.isfinite(slope):
        reason = e.reason_message
        if reason is None or reason.key != "domain.vertical_tangent":
            return None
        slope = math.inf
    return Tangent(v, to_float(e.point[v]), y0, slope)


# --------------------------------------------------------------------------------------
# Building one
# --------------------------------------------------------------------------------------


def explain_higher(
    expression: Expr,
    source: str | None,
    point: dict[Symbol, Expr] | None,
    variables: tuple[Symbol, ...],
    order: int,
    lang: str,
    method: str = "auto",
) -> HigherExplanation:
    """The :class:`HigherExplanation` of ``expression`` (already read; ``point`` exact)."""
    graph = build_graph(expression)
    if graph.inputs and point is not None:
        graph = graph.at(point)
    if len(variables) > 1 and order > 2:
        names = ", ".join(v.name for v in variables)
        raise EvaluationError("orders.several_orders", names=names, order=order)
    inputs = tuple(sorted(expression.free_symbols, key=lambda s: s.name)) or variables
    base = dict(
        expr=expression, source=source, wrt=variables, point=point, order=order, graph=graph,
        lang=lang,
    )  # fmt: skip
    if len(variables) == 1:
        chain = tuple(derivative_chain(expression, variables * order))
        if point is None:
            samples = _samples(expression, chain[-1], inputs, method)
            return HigherExplanation(**base, orders=chain, samples=samples)
        results = tuple(_at_point(expression, s, inputs, point, method) for s in chain)
        reason = next((_undefined(r, point) for r in results if not math.isfinite(r.value)), None)
        return HigherExplanation(**base, orders=chain, results=results, reason_message=reason)
    if order == 1:
        partials = {v: derivative_chain(expression, (v,), partial=True)[0] for v in variables}
        if point is None:
            samples = tuple(
                s for p in partials.values() for s in _samples(expression, p, inputs, method)[:1]
            )
            return HigherExplanation(**base, partials=partials, samples=samples)
        found = {v: _at_point(expression, p, inputs, point, method) for v, p in partials.items()}
        return HigherExplanation(**base, partials=partials, partial_results=found)
    partials, entries = second_partials(expression, variables)
    if point is None:
        samples = tuple(
            s for e in entries.values() for s in _samples(expression, e.first, inputs, method)[:1]
        )
        return HigherExplanation(**base, partials=partials, entries=entries, samples=samples)
    found = {v: _at_point(expression, p, inputs, point, method) for v, p in partials.items()}
    entry_results = {
        key: _at_point(expression, e.first, inputs, point, method) for key, e in entries.items()
    }
    bad = next((r for r in entry_results.values() if not math.isfinite(r.value)), None)
    return HigherExplanation(
        **base, partials=partials, partial_results=found, entries=entries,
        entry_results=entry_results, reason_message=_undefined(bad, point) if bad else None,
    )  # fmt: skip


def _undefined(result: OrderResult, point: Mapping[Symbol, Expr]) -> Message:
    from derivcheck.render.printing import number

    shown = ", ".join(f"{k.name} = {number(to_float(v), 15)}" for k, v in point.items())
    return Message("orders.undefined_here", symbol=result.step.symbol(), point=shown)


def _numeric_check(
    expression: Expr,
    step: OrderStep,
    inputs: tuple[Symbol, ...],
    point: Mapping[Symbol, Expr],
    exact: float,
    method: str,
):
    """The numeric value of ``step`` at ``point`` from f alone, and its verdict."""
    from derivcheck import numeric
    from derivcheck.numeric.evaluate import compile_expr
    from derivcheck.numeric.higher import nth_partial

    floats = [to_float(point[s]) for s in inputs]
    variables = step.variables
    if len(set(variables)) == 1:
        compiled = compile_expr(expression, inputs)
        index = inputs.index(variables[0])
        result = nth_partial(compiled, floats, index, len(variables), method=method)
    else:  # a mixed partial ∂²f/∂a∂b = (g₊″(0) − g₋″(0))/4 along the diagonals a ± b
        result = _mixed(expression, inputs, point, variables, method)
    verdict = None
    if result.ok and math.isfinite(exact):
        verdict = numeric.verdict(exact, result)
    return result, verdict


def _mixed(expression, inputs, point, variables, method):
    from derivcheck.numeric.evaluate import compile_expr
    from derivcheck.numeric.higher import nth_derivative
    from derivcheck.numeric.results import NumericResult
    from derivcheck.reading.parser import symbol

    a, b = variables
    t = symbol("t_")
    results = []
    for sign in (1, -1):
        moved = {s: point[s] for s in inputs}
        moved[a] = point[a] + t
        moved[b] = point[b] + sign * t
        line = compile_expr(expression.xreplace(moved), [t])
        results.append(nth_derivative(line, 0.0, 2, method=method))
    plus, minus = results
    if not (plus.ok and minus.ok):
        return plus if not plus.ok else minus
    return NumericResult(
        (plus.estimate - minus.estimate) / 4.0,
        (plus.error_estimate + minus.error_estimate) / 4.0,
        plus.method if plus.method == minus.method else f"{plus.method}/{minus.method}",
        plus.step,
        plus.evaluations + minus.evaluations,
    )


def _at_point(
    expression: Expr,
    step: OrderStep,
    inputs: tuple[Symbol, ...],
    point: Mapping[Symbol, Expr],
    method: str,
) -> OrderResult:
    exact = value_at(step.expression, point)
    value = to_float(exact)
    if not math.isfinite(value):
        return OrderResult(step, exact, value)
    result, verdict = _numeric_check(expression, step, inputs, point, value, method)
    return OrderResult(step, exact, value, result, verdict)


def _samples(
    expression: Expr, step: OrderStep, inputs: tuple[Symbol, ...], method: str
) -> tuple[SampleCheck, ...]:
    """``step`` checked at up to :data:`SAMPLE_CHECKS` points of the domain (grading's)."""
    from derivcheck.grading.sampling import sample_points

    if not inputs:
        return ()
    points = sample_points(expression, step.expression, inputs[0], None, inputs)
    if points is None:
        return ()
    found = []
    for exact_point in points.exact:
        value = to_float(value_at(step.expression, exact_point))
        if not math.isfinite(value):
            continue
        result, verdict = _numeric_check(expression, step, inputs, exact_point, value, method)
        found.append(SampleCheck(dict(exact_point), value, result, verdict))
        if len(found) == SAMPLE_CHECKS:
            break
    return tuple(found)
