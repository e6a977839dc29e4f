"""``explain()``: the front door. Text in, a checked chain-rule derivation out.

>>> from derivcheck import explain
>>> e = explain("sin(exp(x^2))", 0.5)
>>> [str(s.name) for s in e.steps]
['u1', 'u2', 'y']
>>> round(e.value, 15), e.agrees, e.differentiable
(0.363194914801726, True, True)
>>> net = explain("z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2",
...               {"x": 2, "target": 1, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2},
...               wrt=["w1", "b1", "w2", "b2"])
>>> net.gradient
{'w1': 1.356, 'b1': 0.678, 'w2': -2.486, 'b2': -2.26}
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from importlib import import_module
from typing import Any, ClassVar

import mpmath
import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.catalogue import is_zero
from derivcheck.calculus.cost import check_derivative_size
from derivcheck.calculus.domain import (
    break_sites,
    exact_value,
    first_violation,
    hidden_restrictions,
)
from derivcheck.calculus.graph import (
    BackwardLine,
    ForwardLine,
    Graph,
    Kink,
    build_graph,
    evaluate_exact,
    exact_number,
    graph_from_program,
    to_float,
    value_at,
)
from derivcheck.calculus.precise import BeyondFloat, approximate, precise
from derivcheck.calculus.smoothness import (
    LimitUndecided,
    Smoothness,
    allowed_beside,
    local_form,
    one_sided_limits,
    singular_at_resolution,
    smoothness,
)
from derivcheck.errors import DerivcheckError, EvaluationError, ParseError
from derivcheck.limits import DEFAULT_SECONDS, time_limit
from derivcheck.messages import Message, check_language
from derivcheck.reading.order import noting_built, recording
from derivcheck.reading.parser import (
    Program,
    parse,
    parse_source,
    read_derivative_request,
    symbol,
)

__all__ = [
    "explain",
    "Explanation",
    "ExplanationBase",
    "OneSided",
    "ParameterUpdate",
    "exact_point_value",
]


@dataclass(frozen=True)
class OneSided:
    """Left and right derivatives at a kink, exact (SymPy) and numeric, with their verdicts."""

    left: float
    right: float
    left_numeric: Any = None  # numeric.NumericResult
    right_numeric: Any = None
    left_verdict: Any = None  # numeric.Verdict
    right_verdict: Any = None
    #: False when SymPy found no one-sided limit and ``left``/``right`` are the one-sided
    #: differences' estimates (smoothness decided numerically): nothing exact to check
    exact: bool = True

    @property
    def agrees(self) -> bool:
        verdicts = (self.left_verdict, self.right_verdict)
        return all(v is not None and v.agrees for v in verdicts)


@dataclass(frozen=True)
class ParameterUpdate:
    """One gradient-descent step p ← p − lr·∂out/∂p, and the output before and after."""

    lr: float
    before: dict[str, float]
    after: dict[str, float]
    output_before: float
    output_after: float


class ExplanationBase:
    """What every explanation shares: :class:`Explanation` (a first derivative at a point)
    and :class:`~derivcheck.higher.HigherExplanation` (no point, order n, Hessians).

    The names of the public contract that mean the same for both (``steps``, ``single``,
    ``variable``, ``output``, ``reason``, ``tangent``, ``point_floats``) and the formats
    (``to_dict``, ``to_json``, ``to_text``, ``to_latex``, ``to_markdown``, ``to_mermaid``,
    ``plot_graph``) are written here once. Each subclass names in :attr:`RENDERERS` the
    function that draws each format (imported when first used: ``import derivcheck`` stays
    light); a format it lacks is a :class:`~derivcheck.DerivcheckError` saying so.
    """

    #: format -> "module:function" that draws it (the explanation is its first argument)
    RENDERERS: ClassVar[Mapping[str, str]] = {}
    # the fields every explanation has
    graph: Graph
    wrt: tuple[Symbol, ...]
    point: dict[Symbol, Expr] | None
    lang: str
    reason_message: Message | None

    def _render(self, format: str, *args: Any, **options: Any) -> Any:
        target = self.RENDERERS.get(format)
        if target is None:
            raise DerivcheckError(
                "orders.format_unavailable", what=format, kind=type(self).__name__
            )
        module, name = target.split(":")
        return getattr(import_module(module), name)(self, *args, **options)

    # ---- the attributes of the public contract ----
    @property
    def steps(self):
        return self.graph.steps

    @property
    def single(self) -> bool:
        """True for one variable (forward chain display), False for several (backprop display)."""
        return len(self.wrt) == 1

    @property
    def variable(self) -> Symbol:
        return self.wrt[0]

    @property
    def output(self) -> Symbol:
        return self.graph.output

    @property
    def reason(self) -> str | None:
        """Why f or a derivative is undefined here, in the explanation's language (None if
        defined)."""
        return None if self.reason_message is None else self.reason_message.to_text(self.lang)

    @property
    def values_by_order(self) -> dict[int, float]:
        """{1: f′(x0), 2: f″(x0), …} (one variable at a point; else empty)."""
        raise NotImplementedError  # pragma: no cover - each subclass says

    @property
    def tangent(self):
        """The tangent line y = f(x0) + f′(x0)(x − x0) (one variable at a point; vertical where
        the derivative is infinite), a :class:`~derivcheck.higher.Tangent`; None otherwise."""
        from derivcheck.higher import tangent_of

        slope = self.values_by_order.get(1)
        return tangent_of(self, slope) if slope is not None else None

    @property
    def point_floats(self) -> dict[Symbol, float]:
        return {k: to_float(v) for k, v in (self.point or {}).items()}

    # ---- data out ----
    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): the steps, values, derivatives and checks."""
        return self._render("dict")

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self, lang: str | None = None) -> str:
        return self._render("text", lang or self.lang)

    def __str__(self) -> str:
        return self.to_text()

    # ---- publishing formats (derivcheck.render.*) ----
    def to_latex(
        self, standalone: bool = False, lang: str | None = None, style: str | None = None
    ) -> str:
        """An ``align*`` derivation; ``standalone=True`` gives a whole document.

        ``style="rules"`` derives rule by rule (power, chain, product, ...) for one variable;
        by default a first derivative at a point is shown as its chain ("chain"), higher
        derivatives and derivations without a point rule by rule.
        """
        options = {} if style is None else {"style": style}
        return self._render("latex", standalone=standalone, lang=lang or self.lang, **options)

    def to_markdown(self, lang: str | None = None, style: str | None = None) -> str:
        """A Docusaurus-ready page: ``$$`` math blocks and a ``mermaid`` computational graph."""
        options = {} if style is None else {"style": style}
        return self._render("markdown", lang=lang or self.lang, **options)

    def to_mermaid(self, lang: str | None = None) -> str:
        """The computational graph as a Mermaid flowchart: values on nodes, derivatives on edges."""
        return self._render("mermaid", lang=lang or self.lang)

    def plot_graph(self, path: str, **options: Any):
        """A matplotlib picture of the graph with forward values and backward adjoints."""
        return self._render("graph_plot", path, **options)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        return "$$" + self.to_latex() + "$$"


@dataclass(frozen=True)
class Explanation(ExplanationBase):
    """Everything derivcheck found out about one derivative; renderers only read it.

    One variable: ``derivative`` is an expression and ``value`` a float. Several:
    ``derivative`` is a dict name -> expression and ``value`` is ``None``.
    ``gradient`` (name -> float) and ``numeric``/``verdicts`` are always filled.
    """

    expr: Expr
    source: str | None
    program: Program | None
    graph: Graph
    wrt: tuple[Symbol, ...]
    point: dict[Symbol, Expr]
    derivatives: dict[Symbol, Expr]
    exact_values: dict[Symbol, float]
    numerics: dict[Symbol, Any]  # Symbol -> numeric.NumericResult
    verdicts: dict[Symbol, Any]  # Symbol -> numeric.Verdict or None
    differentiable: bool
    #: why f or f' is undefined here (a domain edge, a pole, a vertical tangent), if so
    reason_message: Message | None
    kinks: tuple[Kink, ...]
    one_sided: dict[Symbol, OneSided]
    lang: str = "en"
    #: notes on the numeric steps (a kink or pole nearby) and on breaks that do not break
    #: differentiability (|x|³ at 0)
    near_kinks: tuple[Message | str, ...] = field(default=())
    #: The terms of each sum as typed (reading.order), so renderers show x^2 - 5x + 6 as typed.
    typed_order: Mapping[Expr, tuple] = field(default_factory=dict, compare=False, repr=False)
    #: per variable, differentiable or not, decided from the one-sided limits (kind, slopes)
    smoothness: dict[Symbol, Smoothness] = field(default_factory=dict)

    RENDERERS: ClassVar[Mapping[str, str]] = {
        "dict": "derivcheck.render.data:explanation_to_dict",
        "text": "derivcheck.render.text:explanation_to_text",
        "latex": "derivcheck.render.latex:explanation_to_latex",
        "markdown": "derivcheck.render.markdown:explanation_to_markdown",
        "mermaid": "derivcheck.render.markdown:explanation_to_mermaid",
        "graph_plot": "derivcheck.render.graph_plot:plot_graph",
    }

    # ---- the attributes of the public contract ----
    @property
    def derivative(self) -> Expr | dict[str, Expr]:
        if self.single:
            return self.derivatives[self.wrt[0]]
        return {v.name: self.derivatives[v] for v in self.wrt}

    @property
    def value(self) -> float | None:
        return self.exact_values[self.wrt[0]] if self.single else None

    @property
    def derivatives_by_order(self) -> dict[int, Expr]:
        """{1: f′} (one variable), as :class:`~derivcheck.higher.HigherExplanation` lists them."""
        return {1: self.derivatives[self.wrt[0]]} if self.single else {}

    @property
    def values_by_order(self) -> dict[int, float]:
        """{1: f′(x0)} (one variable)."""
        return {1: self.exact_values[self.wrt[0]]} if self.single else {}

    @property
    def gradient(self) -> dict[str, float]:
        return {v.name: self.exact_values[v] for v in self.wrt}

    @property
    def numeric(self) -> Any:
        if self.single:
            return self.numerics[self.wrt[0]]
        return {v.name: self.numerics[v] for v in self.wrt}

    @property
    def agrees(self) -> bool | None:
        """True when exact and numeric agree within the error budget, for every variable (at
        a kink: the one-sided derivatives, on both sides); False when a numeric check
        disagrees; None when, for some variable, there is no numeric check to agree or not
        (f has no derivative there, or floating point cannot resolve it: the numeric note says
        why) and none disagrees. A missing check is no disagreement: the web page called
        asin(σ(x⁴) − σ(625) − 1) at −5.0005, whose f′ is −1.1e-133 and whose float estimate
        is ±1.5e12, "exact and numeric do not agree"."""
        checks: list[bool | None] = []
        for v in self.wrt:
            if v in self.one_sided:
                sides = self.one_sided[v]
                verdicts = (sides.left_verdict, sides.right_verdict)
            else:
                verdicts = (self.verdicts[v],)
            checks.extend(None if verdict is None else bool(verdict.agrees) for verdict in verdicts)
        if False in checks:
            return False
        return None if None in checks else True

    @property
    def forward_lines(self) -> list[ForwardLine]:
        return self.graph.forward_lines(self.wrt[0])

    @property
    def backward_lines(self) -> list[BackwardLine]:
        return self.graph.backward_lines(self.wrt)

    @cached_property
    def derivation(self):
        """The rule-by-rule derivation (power, chain, product, ...), each step checked.

        One variable only; computed on first use (see :mod:`derivcheck.calculus.derivation`).
        """
        from derivcheck.calculus.derivation import derive

        if not self.single:
            names = ", ".join(v.name for v in self.wrt)
            raise DerivcheckError("explain.rules_one_variable", count=len(self.wrt), names=names)
        return derive(self.expr, self.variable)

    @property
    def is_chain(self) -> bool:
        return self.single and self.program is None and self.graph.is_chain(self.wrt[0])

    # ---- gradient descent (section 2.4 of the chapter) ----
    def update(self, lr: float) -> ParameterUpdate:
        """One step of gradient descent on the ``wrt`` variables, with the output before and after.

        >>> e = explain("(w*x - 1)^2", {"w": 0.5, "x": 2}, wrt=["w"])
        >>> e.update(0.1).after
        {'w': 0.5}
        """
        rate = exact_point_value(lr, "lr")
        after_point = dict(self.point)
        for v in self.wrt:
            gradient_value = exact_number(self.derivatives[v].xreplace(self.point))
            after_point[v] = exact_number(self.point[v] - rate * gradient_value)
        before_value = to_float(exact_number(evaluate_exact(self.expr, self.point)))
        after_value = to_float(exact_number(evaluate_exact(self.expr, after_point)))
        return ParameterUpdate(
            lr=to_float(rate),
            before={v.name: to_float(self.point[v]) for v in self.wrt},
            after={v.name: to_float(after_point[v]) for v in self.wrt},
            output_before=before_value,
            output_after=after_value,
        )

    # ---- pictures (matplotlib, imported only here) ----
    def plot(self, path: str, **options: Any):
        """The function, its tangent line at x0 and the derivative curve, exact vs numeric."""
        from derivcheck.render.plots import plot_function

        self._require_single("plot")
        options.setdefault("lang", self.lang)  # titles and legends in the explanation's language
        v = self.variable
        return plot_function(
            self._slice(v),
            v,
            to_float(self.point[v]),
            self._slice(v, self.derivatives[v]),
            path,
            self.numerics[v],
            **options,
        )

    def plot_error_vs_step(self, path: str, **options: Any):
        """log-log |error| against the step h for forward, central and Richardson differences."""
        from derivcheck.numeric.evaluate import compile_expr
        from derivcheck.render.plots import plot_error_vs_step

        self._require_single("plot_error_vs_step")
        options.setdefault("lang", self.lang)
        v = self.variable
        f = compile_expr(self._slice(v), [v])
        chosen = self.numerics[v].step if self.numerics[v] is not None else None
        return plot_error_vs_step(
            f, to_float(self.point[v]), self.exact_values[v], chosen, path, **options
        )

    def _slice(self, v: Symbol, expression: Expr | None = None) -> Expr:
        """``expression`` (default: f) as a function of ``v`` alone, the other inputs fixed."""
        others = {k: val for k, val in self.point.items() if k != v}
        return (self.expr if expression is None else expression).xreplace(others)

    def _require_single(self, what: str) -> None:
        if not self.single:
            raise DerivcheckError("explain.needs_one_variable", what=what, count=len(self.wrt))


# --------------------------------------------------------------------------------------
# Points and names
# --------------------------------------------------------------------------------------


def exact_point_value(value: Any, name: str = "x0") -> Expr:
    """A number from the user as an exact SymPy number: 0.1 -> 1/10, "pi/4" -> pi/4.

    Floats are read through their shortest decimal form, so 0.1 is exactly 1/10.
    """
    if isinstance(value, bool):
        raise EvaluationError("explain.not_a_number", name=name, value=repr(value))
    if isinstance(value, sympy.Basic):
        number = value
    elif isinstance(value, numbers.Integral):
        number = sympy.Integer(int(value))
    elif isinstance(value, Fraction):
        number = sympy.Rational(value.numerator, value.denominator)
    elif isinstance(value, numbers.Real):
        as_float = float(value)
        if not math.isfinite(as_float):
            raise EvaluationError("explain.not_finite", name=name, value=repr(as_float))
        fraction = Fraction(repr(as_float))
        number = sympy.Rational(fraction.numerator, fraction.denominator)
    elif isinstance(value, str):
        try:
            number = parse(value)
        except ParseError as error:
            reason = Message("explain.point_parse", name=name, reason=error.message)
            raise ParseError(reason, value, error.position) from None
    else:
        raise EvaluationError("explain.number_type", name=name, kind=type(value).__name__)
    if number.free_symbols or not number.is_number:
        raise EvaluationError("explain.not_a_number", name=name, value=str(number))
    if number.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) or number.is_real is False:
        raise EvaluationError("explain.not_real_number", name=name, value=str(number))
    return number


def _key(name: str) -> str:
    return name.replace("_", "").replace("{", "").replace("}", "")


def _match(name: str, symbols: Iterable[Symbol], what: str) -> Symbol:
    """The symbol called ``name``; 'w1' also finds w_1 (and back) when unambiguous."""
    pool = list(symbols)
    for s in pool:
        if s.name == name:
            return s
    loose = [s for s in pool if _key(s.name) == _key(name)]
    if len(loose) == 1:
        return loose[0]
    known = ", ".join(s.name for s in pool) or "-"
    raise EvaluationError("explain.unknown_name", what=Message(what), name=name, known=known)


# --------------------------------------------------------------------------------------
# explain()
# --------------------------------------------------------------------------------------


def explain(
    expr: str | Expr | Program,
    x0: Any = None,
    wrt: str | Symbol | Iterable[str | Symbol] | None = None,
    lang: str = "en",
    *,
    method: str = "auto",
    seconds: float | None = DEFAULT_SECONDS,
    order: int = 1,
    dependent: str | Symbol | None = None,
) -> Explanation:
    """Explain and check the derivative of ``expr`` at ``x0``.

    ``expr``: a formula or program as text, a SymPy expression, or a :class:`Program`.
    ``x0``: a number when there is one free name, else a mapping name -> number; ``None``
    (a formula only): the symbolic derivation, checked at points of the domain.
    ``wrt``: default the one variable, or every free name when ``x0`` is a mapping.
    ``method``: the numeric method (see :mod:`derivcheck.numeric`); ``seconds``: time bound.
    ``order``: the order of the derivative; with several variables, 2 gives the Hessian.
    Without a point or with ``order`` above 1 the result is a
    :class:`~derivcheck.higher.HigherExplanation`.
    A curve — an equation ``x^2 + y^2 = 1`` or ``x = cos t; y = sin t`` — is explained by
    :func:`derivcheck.curves.explain_curve` (dy/dx, ``order``, ``dependent``).
    """
    lang = check_language(lang)
    from derivcheck.curves import explain_curve, read_curve

    curve = read_curve(expr, x0.keys() if isinstance(x0, Mapping) else ())
    if curve is not None:
        options = {"order": order, "dependent": dependent, "seconds": seconds}
        return explain_curve(curve, x0, wrt, lang, **options)  # type: ignore[return-value]
    if dependent is not None:
        raise DerivcheckError("curves.not_a_curve", option="dependent=")
    with time_limit(seconds, "limits.what.explain"):
        if order != 1 or (x0 is None and not isinstance(expr, Program)):
            return _explain_higher(expr, x0, wrt, lang, method, order)
        return _explain(expr, x0, wrt, lang, method)


def _explain_higher(expr: Any, x0: Any, wrt: Any, lang: str, method: str, order: Any):
    """Without a point, or order n: :func:`derivcheck.higher.explain_higher`."""
    from derivcheck.higher import explain_higher
    from derivcheck.numeric.higher import _checked_order

    order = _checked_order(order)
    source_expr, source_text, _ = _read(expr, x0)
    if isinstance(source_expr, Program):  # at a point, a program is its formula written out
        if x0 is None and len(source_expr.assignments) > 1:
            raise DerivcheckError("orders.program")
        source_expr = source_expr.expression()
    check_derivative_size(source_expr)
    inputs = tuple(build_graph(source_expr).inputs) or (symbol("x"),)
    point = None if x0 is None else _point(x0, inputs)
    variables = _wrt(wrt, {} if x0 is None and len(inputs) > 1 else x0, inputs)
    return explain_higher(source_expr, source_text, point, variables, order, lang, method)


def _read(expr: Any, x0: Any) -> tuple[Expr | Program, str | None, _Typed]:
    """The formula or program, the text it came from, and what was noted as typed."""
    if isinstance(expr, str):
        request, order = _read_typed(read_derivative_request, expr)
        if request is not None:  # d/dx (x^2), \frac{d}{dx} \sin x: the operator is read
            return request[0], expr, order
        source, order = _read_typed(parse_source, expr)
        if isinstance(source, Program) or x0 is None:
            return source, expr, order
        if isinstance(x0, Mapping):  # sin(xy) at x = 1, y = 2: xy is x·y, the names given
            given = sorted({k.name if isinstance(k, Symbol) else str(k) for k in x0})
            if {s.name for s in source.free_symbols} - set(given):
                try:
                    retry, retry_order = _read_typed(parse, expr, variables=given)
                except DerivcheckError:
                    return source, expr, order
                if {s.name for s in retry.free_symbols} <= set(given):
                    return retry, expr, retry_order
            return source, expr, order
        names = sorted(s.name for s in source.free_symbols)
        if len(names) > 1:  # "xe^x" at a single number: read glued names with the variables seen
            singles = [n for n in names if len(n) == 1]
            if len(singles) == 1:
                retry, retry_order = _read_typed(parse, expr, variables=singles)
                if len(retry.free_symbols) == 1:
                    return retry, expr, retry_order
        return source, expr, order
    if isinstance(expr, Program):
        return expr, expr.text or None, _Typed({})
    if isinstance(expr, sympy.Basic):
        realised = expr.xreplace(
            {s: symbol(s.name) for s in expr.free_symbols if isinstance(s, Symbol)}
        )
        return realised, None, _Typed({})
    raise DerivcheckError("calculus.not_a_formula", kind=type(expr).__name__)


def _operator_variable(text: str) -> str | None:
    """The variable of a leading d/d… operator (``d/dt sin t``: "t"), or None."""
    from derivcheck.reading.notation import find_derivative_operator
    from derivcheck.reading.tokens import tokenize

    operator = find_derivative_operator(tokenize(text)[1])
    return None if operator is None else operator.variable


def _read_typed(read: Any, text: str, **options: Any) -> tuple[Any, _Typed]:
    """``read(text)`` and what reading noted about it as typed (:class:`_Typed`)."""
    with recording() as order, noting_built() as built:
        result = read(text, **options)
    return result, _Typed(order, tuple(built))


@dataclass(frozen=True)
class _Typed:
    """What reading noted about the text as typed: each sum's terms in the order typed
    (reading.order) and the nodes built before SymPy simplified them (e^(ln x) is x for
    SymPy; its domain is x > 0 all the same)."""

    order: dict
    nodes: tuple = ()


def _explain(expr: Any, x0: Any, wrt: Any, lang: str, method: str) -> Explanation:
    source_expr, source_text, typed = _read(expr, x0)
    typed_order = typed.order
    if wrt is None and isinstance(expr, str):
        wrt = _operator_variable(expr)
    check_derivative_size(
        source_expr.expression() if isinstance(source_expr, Program) else source_expr
    )
    if isinstance(source_expr, Program):
        graph = graph_from_program(source_expr)
        # "f(x) = formula" is a formula with a name, explained as one
        program: Program | None = source_expr if len(source_expr.assignments) > 1 else None
    else:
        program = None
        graph = build_graph(source_expr)
    inputs = graph.inputs
    point = _point(x0, inputs)
    if not inputs:  # a constant: its derivative with respect to x (or the name given) is 0
        inputs = tuple(point) or (symbol("x"),)
        graph = Graph(inputs, graph.steps, graph.expression)
        if not point:
            point = {inputs[0]: exact_point_value(x0) if x0 is not None else sympy.S.Zero}
    approximate = _floats_given(x0, inputs)
    variables = _wrt(wrt, x0, inputs)
    graph = graph.at(point)
    expression = graph.expression

    derivatives = (
        graph.gradient(variables)
        if len(variables) > 1 or program
        else {variables[0]: graph.derivative(variables[0])}
    )
    exact_values = {v: to_float(value_at(derivatives[v], point)) for v in variables}

    hidden = hidden_restrictions(typed.nodes, expression)
    reason, outside = _domain_reason(graph, hidden)
    if outside is not None:
        graph = graph.undefined_from(outside)
    smooth: dict[Symbol, Smoothness] = {}
    if reason is not None:  # the formula for f' may have a value, but f has no derivative here
        exact_values = {v: math.nan for v in variables}
    else:
        smooth = {v: smoothness(expression, v, point, v in approximate) for v in variables}
        edge = next((s for s in smooth.values() if s.kind == "edge"), None)
        pole = next(
            (
                m
                for v in approximate & set(variables)
                if (m := singular_at_resolution(expression, v, point, hidden))
            ),
            None,
        )
        if edge is not None or pole is not None:  # f is undefined on one side, or at x0
            reason = edge.message() if edge is not None else pole
            exact_values = {v: math.nan for v in variables}
            smooth = {}
        for v, s in smooth.items():
            if s.differentiable and s.derivative is not None:  # smooth although at a break:
                if s.method != "exact" and math.isfinite(exact_values[v]):
                    continue  # one-sided differences are no exact value: the formula's stays
                    # (π·e^-9 was shown as 0.000387703333896054, 4e-12 off: case 2026:109798)
                exact_values[v] = to_float(exact_number(s.derivative))  # the one-sided slope
    breaking = any(not s.differentiable for s in smooth.values())
    loose = [k for s in smooth.values() if s.resolution and not s.differentiable for k in s.sources]
    kinks = tuple(graph.kinks(loose)) if breaking else ()
    if reason is None and not breaking:
        _locally_smooth(expression, point, exact_values)
        reason = _derivative_problem(graph, variables, exact_values)
    differentiable = reason is None and not breaking
    notes = tuple(
        s.message() for s in smooth.values() if s.at_break and (s.differentiable or s.resolution)
    )

    numerics, verdicts, one_sided, near = _numeric_checks(
        expression, inputs, point, variables, exact_values, smooth, method, reason
    )
    overflow = _overflow(graph)
    if reason is None and not breaking:
        near += _judge_at_the_float_point(point, derivatives, exact_values, numerics, verdicts)
        near += _check_in_extended_precision(
            expression, point, derivatives, exact_values, numerics, verdicts, overflow is not None
        )
    if overflow is not None and not all(r.ok for r in numerics.values()):
        near = (*near, overflow)
    return Explanation(
        expr=expression,
        source=source_text,
        program=program,
        graph=graph,
        wrt=variables,
        point=point,
        derivatives=derivatives,
        exact_values=exact_values,
        numerics=numerics,
        verdicts=verdicts,
        differentiable=differentiable,
        reason_message=reason,
        kinks=kinks,
        one_sided=one_sided,
        lang=lang,
        near_kinks=near + notes,
        typed_order=typed_order,
        smoothness=smooth,
    )


def _point(x0: Any, inputs: tuple[Symbol, ...]) -> dict[Symbol, Expr]:
    if isinstance(x0, Mapping):
        point: dict[Symbol, Expr] = {}
        for key, value in x0.items():
            name = key.name if isinstance(key, Symbol) else str(key)
            target = _match(name, inputs, "explain.what_point") if inputs else symbol(name)
            point[target] = exact_point_value(value, name)
        missing = [s.name for s in inputs if s not in point]
        if missing:
            raise EvaluationError("explain.missing_values", names=", ".join(missing))
        return point
    if x0 is None:
        raise EvaluationError("explain.no_point")
    if len(inputs) > 1:
        names = ", ".join(s.name for s in inputs)
        raise EvaluationError("explain.several_variables", names=names)
    value = exact_point_value(x0)
    return {inputs[0]: value} if inputs else {}


def _floats_given(x0: Any, inputs: tuple[Symbol, ...]) -> set[Symbol]:
    """The inputs whose value came as a float with a fractional part: the exact number it
    stands for may lie between floats (1/3, π/4), which decides the float-resolution rule."""

    def inexact(value: Any) -> bool:
        if isinstance(value, str):  # the CLI's --at 0.3333333333333333: a float's digits
            return _float_digits(value)
        return isinstance(value, float) and not float(value).is_integer()

    if isinstance(x0, Mapping):
        names = {k.name if isinstance(k, Symbol) else str(k): v for k, v in x0.items()}
        return {s for s in inputs if inexact(names.get(s.name))}
    return set(inputs[:1]) if inexact(x0) else set()


def _float_digits(text: str) -> bool:
    """True when ``text`` is a decimal with a fractional part that is a float printed in
    full (15 significant digits or more, and exactly Python's repr of that float): what
    someone pastes from a float, like 0.3333333333333333 or 1.5707963267948966, and not a
    number typed on purpose, like 0.5 or 5.9999999994.

    >>> _float_digits("0.3333333333333333"), _float_digits("0.5"), _float_digits("2.0")
    (True, False, False)
    """
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        return False
    if not math.isfinite(value) or value.is_integer() or repr(value) != text:
        return False
    mantissa = text.lstrip("+-").split("e")[0].split("E")[0].replace(".", "").lstrip("0")
    return len(mantissa) >= 15


def _wrt(wrt: Any, x0: Any, inputs: tuple[Symbol, ...]) -> tuple[Symbol, ...]:
    if wrt is None:
        return inputs if isinstance(x0, Mapping) else inputs[:1]
    if isinstance(wrt, (str, Symbol)):
        wrt = [wrt] if isinstance(wrt, Symbol) else [w.strip() for w in wrt.split(",") if w.strip()]
    names = [w.name if isinstance(w, Symbol) else str(w) for w in wrt]
    if not names:
        raise EvaluationError("explain.empty_wrt")
    chosen = tuple(dict.fromkeys(_match(n, inputs, "explain.what_wrt") for n in names))
    return chosen


# --------------------------------------------------------------------------------------
# Where the derivative does not exist
# --------------------------------------------------------------------------------------


def _domain_reason(graph: Graph, hidden: tuple = ()) -> tuple[Message | None, Symbol | None]:
    """Why the function has no real value near the point: the first step (in evaluation
    order) with a violated restriction of :mod:`derivcheck.calculus.domain`, naming the
    intermediate variable (``u = x - 1 = 0``); None when it is defined there. Second: the
    step whose restriction is violated, when its value is a number all the same (a float
    rounded onto the edge), else None.

    ``hidden``: restrictions of the formula as typed that SymPy simplified away (e^(ln x)
    is x for SymPy, but undefined at x = -1); the point must satisfy them too, and lie
    inside them, not on their edge (√x·√x at 0 has no two-sided derivative)."""
    env: dict[Symbol, Expr] = {x: graph.point[x] for x in graph.inputs}  # type: ignore[index]
    for restriction in hidden:
        if restriction.violated(env):
            where = _where(restriction.argument, env, {})
            message = Message(restriction.reason, function=restriction.function, where=where)
            return message, None
        value = exact_value(restriction.argument, env)
        on_edge = value is not None and any(is_zero(value - edge) for edge in restriction.edges)
        if on_edge and _leaves_the_domain(restriction, graph, env):
            where = _where(restriction.argument, env, {})
            return Message("domain.typed_edge", function=restriction.function, where=where), None
    definitions = {step.name: step.definition for step in graph.steps}
    full = graph.full_definitions
    for s in graph.steps:
        restriction = first_violation(s.definition, env, full)
        if restriction is not None:
            where = _where(restriction.argument, env, definitions, full)
            message = Message(restriction.reason, function=restriction.function, where=where)
            rounded = s.value is not None and math.isfinite(s.value)
            return message, (s.name if rounded else None)
        exact = s.exact_value
        if s.value is not None and math.isfinite(s.value):
            env[s.name] = exact  # type: ignore[assignment]
            continue
        if s.value is not None and math.isinf(s.value) and _finite_beyond_float(exact):
            env[s.name] = exact  # beyond float range, but a number: the numeric check says so
            continue
        step = Message("domain.step", name=s.name, definition=s.definition)
        return Message("domain.not_real", step=step), None
    return None, None


def _finite_beyond_float(exact: Expr | None) -> bool:
    """True when a step's exact value is a real number beyond float range: SymPy cannot
    always say so (e^cot(…) with cot(…) = 1659.2 is 10^720, but its is_finite is None, and
    it was "not a real number here": differential case 2026:44068), so 30 digits decide."""
    if exact is None:
        return False
    if exact.is_finite:
        return True
    try:
        number = precise(exact, 30)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return False
    return isinstance(number, mpmath.mpf) and bool(mpmath.isfinite(number))


def _leaves_the_domain(restriction, graph: Graph, env: Mapping[Symbol, Expr]) -> bool:
    """True when the argument of a restriction on its edge leaves the domain on a side of
    the point: (x²)^(3/2) is |x|³, and x² stays ≥ 0 on both sides of 0, so f has a
    two-sided derivative there (0); √x·√x at 0 has none. Several inputs: every edge counts."""
    if _constant_nearby(restriction.argument, graph, env):
        return False
    if len(graph.inputs) != 1:
        return True
    x = graph.inputs[0]
    return not all(allowed_beside(restriction, x, env[x], side) for side in (-1, 1))


def _constant_nearby(argument: Expr, graph: Graph, env: Mapping[Symbol, Expr]) -> bool:
    """True when ``argument`` is constant on a neighbourhood of the point (one input):
    hardtanh(x)^(3/2) - 2 is -1 for every x > 1, so arccos of it stays on its edge without
    ever leaving the domain (differential case 2026:5001)."""
    if len(graph.inputs) != 1:
        return False
    x = graph.inputs[0]
    return not local_form(argument, x, env[x]).free_symbols


def _judge_at_the_float_point(
    point: dict[Symbol, Expr],
    derivatives: dict[Symbol, Expr],
    exact_values: dict[Symbol, float],
    numerics: dict[Symbol, Any],
    verdicts: dict[Symbol, Any],
) -> tuple[Message, ...]:
    """The numeric check differences f at the floats nearest the point; where the point as
    given (-3.9999999996) is not a float and f′ changes fast (1/(x+4) there), the exact
    derivative at those floats is what the estimate must match. A disagreement that is only
    that difference is no disagreement: the budget grows by it, and a note says so."""
    from derivcheck import numeric

    floats = {k: sympy.Rational(to_float(v)) for k, v in point.items() if v.is_number}
    if all(floats[k] == point[k] for k in floats) or any(
        not math.isfinite(float(f)) for f in floats.values()
    ):
        return ()
    notes: list[Message] = []
    for v, verdict in verdicts.items():
        if verdict is None or verdict.agrees or not numerics[v].ok:
            continue
        at_float = to_float(value_at(derivatives[v], floats))
        if not math.isfinite(at_float) or not numeric.verdict(at_float, numerics[v]).agrees:
            continue
        shift = abs(exact_values[v] - at_float)
        budget = verdict.budget + shift
        verdicts[v] = replace(verdict, agrees=verdict.difference <= budget, budget=budget,
                              ratio=verdict.difference / budget)  # fmt: skip
        notes.append(Message("numeric.float_point", shift=shift, value=at_float))
    return tuple(notes)


def _check_in_extended_precision(
    expression: Expr,
    point: dict[Symbol, Expr],
    derivatives: dict[Symbol, Expr],
    exact_values: dict[Symbol, float],
    numerics: dict[Symbol, Any],
    verdicts: dict[Symbol, Any],
    overflow: bool,
) -> tuple[Message, ...]:
    """Where floating point cannot check a derivative (values beyond its range on the way,
    or a derivative float cannot hold), or disagrees with the exact one, check it by
    differences in extended precision (:mod:`derivcheck.numeric.extended`). Returns the
    notes that say why."""
    from derivcheck.numeric.extended import (
        DIGITS,
        UNRESOLVED,
        extended_partial,
        extended_verdict,
    )

    notes: list[Message] = []
    unresolved_left: list[Symbol] = []  # float checks too coarse, with no better one
    for v, result in list(numerics.items()):
        exact = exact_values[v]
        beyond = isinstance(exact, BeyondFloat)
        why = None
        size = _mp_abs(exact)  # a BeyondFloat of 1e-43430 is -0.0 as a float
        unresolved = result.ok and size != 0 and result.error_estimate > UNRESOLVED * size
        verdict = verdicts.get(v)
        if unresolved:
            why = Message("numeric.extended_unresolved", error=result.error_estimate, digits=DIGITS)
        elif result.ok and verdict is not None and not verdict.agrees and math.isfinite(exact):
            # a second opinion before DISAGREES: f may vary on a scale below the float step
            # (sin(1/u²) 1e-4 from u's zero swings every 1e-12); a wrong f′ disagrees here too
            why = Message("numeric.extended_second", digits=DIGITS)
        elif (
            not result.ok and math.isfinite(exact) and not overflow and not break_sites(expression)
        ):
            # no float check at all (10^x rounds to 1 at x = -1e-88, an edge in float)
            why = Message("numeric.extended_no_float", digits=DIGITS)
        elif not (beyond or (overflow and not result.ok and math.isfinite(exact))):
            continue
        variation = _variation(expression, derivatives[v], v, point) if why is not None else None
        extended = extended_partial(expression, point, v, why, variation)
        if unresolved:
            unresolved_left.append(v)  # until the extended check replaces it (below)
        if not (extended.ok or isinstance(extended.estimate, BeyondFloat)):
            continue
        trusted = _mp_abs(extended.error_estimate) < 1e-3 * _mp_abs(extended.estimate)
        better = not result.ok or beyond or _mp_abs(extended.error_estimate) < result.error_estimate
        second = why is not None and why.key == "numeric.extended_second"
        if second and not trusted and _contradicts(extended, result):
            # no value to trust, but one that refutes the float estimate: sin(sec u) 1e-10
            # from sec's pole swings every 1e-20, and the float steps of 1.5e-11 saw a
            # derivative 3e10 times too small (differential case 2026:65857)
            other = mpmath.nstr(_mp_value(extended.estimate), 6)
            message = _jumps_within_step(expression, point, v, result.step) or Message(
                "numeric.steps_disagree", digits=DIGITS, other=other
            )  # a step function jumping within the step: the more exact reason
            numerics[v] = replace(result, note=message, note_message=message)
            verdicts[v] = None
            continue
        if not (trusted and (better or second)):  # never a worse check than the float one
            continue
        verdict = extended_verdict(derivatives[v], point, extended)
        if second and not better and not verdict.agrees:
            # the float check's own estimate claimed more than the extended one has: a
            # second opinion replaces it only when it shows the float check was misled
            # (arccsc(x + 1) at 1.5e-253: x + 1 rounds to 1, where f is at its edge)
            continue
        if not verdict.agrees and break_sites(expression):
            # its steps may straddle a break (floor(exp(e^x) − …) at 12.12 jumps every
            # 10^-79701): a disagreement there proves nothing, so the float check stands
            continue
        numerics[v] = extended
        verdicts[v] = verdict
        notes.append(extended.note_message)
        if v in unresolved_left:
            unresolved_left.remove(v)
    for v in unresolved_left:
        # an estimate of 0 ± 4.2e7 for a derivative of -7.1e-43430 "agrees" and proves
        # nothing: no numeric check, and the reason
        result = numerics[v]
        exact = exact_values[v]
        size = mpmath.nstr(getattr(exact, "estimate", None) or mpmath.mpf(exact), 6)
        message = Message("numeric.float_unresolved", error=result.error_estimate, value=size)
        numerics[v] = replace(result, note=message, note_message=message)
        verdicts[v] = None
    for v, verdict in list(verdicts.items()):
        if verdict is None or verdict.agrees:
            continue
        jumps = _jumps_within_step(expression, point, v, numerics[v].step)
        if jumps is not None:  # the stencil straddles jumps: its disagreement proves nothing
            numerics[v] = replace(numerics[v], note=jumps, note_message=jumps)
            verdicts[v] = None
    return tuple(notes)


def _says_too_little(result: Any, exact: float) -> bool:
    """True when a one-sided check's budget (VERDICT_MULTIPLE error estimates) is as large
    as the slope it checks: it could not tell the slope from 0, or from twice itself."""
    from derivcheck.numeric.budget import VERDICT_MULTIPLE

    size = abs(exact)
    return size > 0 and math.isfinite(size) and VERDICT_MULTIPLE * result.error_estimate >= size


def _jumps_within_step(expression: Expr, point: dict[Symbol, Expr], v: Symbol, step: Any):
    """The note to give when a step function in f (floor, ceil) jumps within the numeric
    check's step in ``v``: its argument g changes by |g′|·h ≥ 1 over the step h, or is past
    2^52, where floats hold no fraction and floor is the identity; then the differences
    straddle jumps and cannot check f′ (ceil(10^(5x)) at 10/3 is 4.6e16 and jumps every
    2e-18: it DISAGREED with f′ = 0, differential case 2026:122546). None otherwise."""
    if not isinstance(step, float) or not math.isfinite(step) or step <= 0:
        return None
    for site in break_sites(expression):
        if site.brk.points != "integers":
            continue
        g = site.argument
        try:
            size = precise(g, 20, env=point)  # the point as values: no exact powers
            slope = precise(sympy.diff(g, v), 20, env=point)
        except (DerivcheckError, TypeError, ArithmeticError, ValueError):
            continue
        if size is None or slope is None:
            continue
        spacing = abs(slope) * step
        if abs(size) >= 2**52 or spacing >= 1:
            return Message(
                "numeric.straddles_jumps", name=site.record.text, size=mpmath.nstr(size, 6)
            )
    return None


def _one_sided_second_opinion(
    expression: Expr,
    point: dict[Symbol, Expr],
    v: Symbol,
    direction: int,
    slope: float,
    result: Any,
    verdict: Any,
) -> tuple[Any, Any]:
    """A one-sided float check that disagreed, checked again by one-sided differences in
    extended precision with steps from f's scale of variation there (|f|/|slope|, at most
    1/|slope|): beside the
    kink of hardtanh(u) at u = -1, sinh(hardtanh(x^(x³) - 3²⁷ - 1)) at 3 reaches hardtanh's
    other kink 6.9e-15 to the right, and the float steps saw its flat part: slope 0 for
    4.5e14 (differential case 2026:81929). (result, verdict): the extended one when it is
    trusted; no verdict when it cannot settle a value but refutes the float estimate; the
    float check's as they were otherwise."""
    from derivcheck import numeric
    from derivcheck.numeric.extended import DIGITS, extended_partial

    if result.method.startswith("extended") or not math.isfinite(slope) or slope == 0:
        return result, verdict
    try:
        value = precise(expression, 20, env=point)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        value = None
    # how far f moves by |f| (by 1 where f is 0 or larger: elu(g)·2^(x/5) at 8 is 0, and
    # its left slope 2.6e25 saturates elu within 1e-22)
    usable = value is not None and mpmath.isfinite(value) and 0 < abs(value) < 1
    variation = (abs(value) if usable else 1) / abs(mpmath.mpf(slope))
    why = Message("numeric.extended_second", digits=DIGITS)
    try:
        extended = extended_partial(expression, point, v, why, variation, side=direction)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return result, verdict
    if not extended.ok:
        return result, verdict
    if _mp_abs(extended.error_estimate) < 1e-3 * _mp_abs(extended.estimate):
        return extended, numeric.verdict(slope, extended)
    if _contradicts(extended, result):
        other = mpmath.nstr(_mp_value(extended.estimate), 6)
        message = Message("numeric.steps_disagree", digits=DIGITS, other=other)
        return replace(result, note=message, note_message=message), None
    return result, verdict


def _variation(expression: Expr, derivative: Expr, v: Symbol, point: dict[Symbol, Expr]) -> Any:
    """The scale on which f varies at the point (mpmath): |f′|/|f″|, the distance over
    which its slope changes by itself (about d² for sin(1/d)); |f|/|f′| where f″ is 0 or
    unknown (not first: f may be 0 at the point). None when neither is known."""
    try:
        value, slope, curvature = (
            precise(e, 20, env=point) for e in (expression, derivative, sympy.diff(derivative, v))
        )
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return None
    for top, bottom in ((slope, curvature), (value, slope)):
        if all(n is not None and mpmath.isfinite(n) and n != 0 for n in (top, bottom)):
            return abs(top) / abs(bottom)
    return None


def _contradicts(extended: Any, result: Any) -> bool:
    """True when two numeric estimates differ by more than both their error estimates
    allow (``VERDICT_MULTIPLE`` times each): at least one of them is wrong."""
    from derivcheck.numeric.budget import VERDICT_MULTIPLE

    a, b = _mp_value(extended.estimate), _mp_value(result.estimate)
    allowed = VERDICT_MULTIPLE * (_mp_abs(extended.error_estimate) + _mp_abs(result.error_estimate))
    return bool(abs(a - b) > allowed)


def _mp_value(value: float) -> Any:
    """``value`` as an mpmath number, beyond float range too (BeyondFloat keeps it)."""
    estimate = getattr(value, "estimate", None)
    return estimate if estimate is not None else mpmath.mpf(value)


def _mp_abs(value: float) -> Any:
    """|value| as an mpmath number, beyond float range too."""
    return abs(_mp_value(value))


def _overflow(graph: Graph) -> Message | None:
    """A step whose exact value is finite but beyond float range (e^800): floating point
    cannot check it numerically, which the explanation says."""
    for s in graph.steps:
        exact = s.exact_value
        if s.value is not None and math.isinf(s.value) and _finite_beyond_float(exact):
            size = int(mpmath.floor(mpmath.log10(abs(approximate(exact, digits=15)))))
            step = Message("domain.step", name=s.name, definition=s.definition)
            return Message("domain.overflow", step=step, size=size)
    return None


def _where(
    expression: Expr,
    env: Mapping[Symbol, Expr],
    definitions: dict[Symbol, Expr],
    full: Mapping[Symbol, Expr] | None = None,
):
    """'x = -1', or 'u = x - 1 = 0' when the expression is an intermediate variable. A value
    that a float rounds onto an edge is written with its offset: x - 1 - ln 2 at
    0.6931471805599453 is -1 - 9.4e-18, outside arcsin's [-1, 1], where the float is -1
    (differential case 2026:10494). ``full``: the steps as expressions in the inputs, from
    which the offset is taken (a step's own value may be a float that lost it)."""
    exact = exact_number(evaluate_exact(expression, env))
    value: float | str = to_float(exact)
    if full and expression.free_symbols & set(full):
        inputs = {s: v for s, v in env.items() if s not in full}
        beyond = _beyond_the_float(expression.xreplace(full), value, inputs)
    else:
        beyond = _beyond_the_float(exact, value)
    if beyond is not None:
        value = beyond
    if expression in definitions:
        return Message(
            "domain.at_step", name=expression, definition=definitions[expression], value=value
        )
    return Message("domain.at", name=expression, value=value)


def _beyond_the_float(
    exact: Expr, value: float, env: Mapping[Symbol, Expr] | None = None
) -> str | None:
    """'-1 - 9.4e-18' when the float ``value`` of ``exact`` (a number, or an expression at
    the exact point ``env``) is a whole number (where the domains' edges are: ±1) that
    ``exact`` is not, closer than 1e-12 of it: the float hides on which side of the edge it
    is; None otherwise."""
    if not (isinstance(value, float) and math.isfinite(value) and value) or exact.is_Float:
        return None
    if not value.is_integer():
        return None
    try:  # the offset itself, by precise, which keeps what cancels (1 - 6.1e-9149)
        offset = precise(exact - sympy.Integer(int(value)), 30, env)
    except (DerivcheckError, TypeError, ArithmeticError, ValueError):
        return None
    if offset is None or offset == 0 or abs(offset) >= 1e-12 * abs(value):
        return None
    sign = "+" if offset > 0 else "-"
    return f"{value:.15g} {sign} {mpmath.nstr(abs(offset), 2)}"


def _locally_smooth(
    expression: Expr, point: dict[Symbol, Expr], exact_values: dict[Symbol, float]
) -> None:
    """Where the chain rule multiplies an infinite local derivative by a zero one
    (sqrt(relu(x)) at -1: 1/(2√u) at u = 0 times relu'(x) = 0), f may still be smooth: it
    equals its local form (smoothness.local_form, 0 here) on a neighbourhood, whose
    derivative is f's; where there is no break, the limits of its difference quotient
    from both sides decide (smoothness.one_sided_limits)."""
    for v, value in exact_values.items():
        if math.isfinite(value) or isinstance(value, BeyondFloat):
            continue
        others = {k: w for k, w in point.items() if k != v}
        sliced = expression.xreplace(others)
        form = local_form(sliced, v, point[v])
        if form == sliced:
            continue
        slope = to_float(value_at(sympy.diff(form, v), {v: point[v]}))
        if math.isfinite(slope):
            exact_values[v] = slope
    for v, value in exact_values.items():  # 0·∞ in the chain rule with no break at all:
        if math.isfinite(value) or isinstance(value, BeyondFloat):
            continue  # 2x·arccos(1 - 3.15x²) at 0 is 2x·√6.3·|x| + …, with f′(0) = 0
        sliced = expression.xreplace({k: w for k, w in point.items() if k != v})
        try:  # (differential case 2026:11335): the difference quotient's limit decides
            (_, left, _), (_, right, _) = one_sided_limits(sliced, v, point[v])
        except (ArithmeticError, TypeError, ValueError, NotImplementedError, LimitUndecided):
            continue
        if left == right:
            exact_values[v] = to_float(exact_number(left))


def _derivative_problem(
    graph: Graph, variables: tuple[Symbol, ...], exact_values: dict[Symbol, float]
) -> Message | None:
    """The function is defined but its derivative is not (a vertical tangent, e.g. √x at 0)."""
    for v in variables:
        if math.isfinite(exact_values[v]) or isinstance(exact_values[v], BeyondFloat):
            continue
        for s in graph.steps:
            for arg, local in s.local_derivatives.items():
                local_value = s.local_values[arg]  # type: ignore[index]
                if not (math.isfinite(local_value) or isinstance(local_value, BeyondFloat)):
                    return Message(
                        "domain.vertical_tangent", step=s.name, argument=arg, local=local
                    )
        return Message("domain.derivative_not_finite", output=graph.output, variable=v)
    return None


# --------------------------------------------------------------------------------------
# Numeric checks
# --------------------------------------------------------------------------------------


def _numeric_checks(
    expression: Expr,
    inputs: tuple[Symbol, ...],
    point: dict[Symbol, Expr],
    variables: tuple[Symbol, ...],
    exact_values: dict[Symbol, float],
    smooth: dict[Symbol, Smoothness],
    method: str,
    reason: Message | None,
):
    from derivcheck import numeric
    from derivcheck.numeric.evaluate import compile_expr

    floats = [to_float(point[x]) for x in inputs]
    compiled = compile_expr(expression, inputs)
    numerics: dict[Symbol, Any] = {}
    verdicts: dict[Symbol, Any] = {}
    one_sided: dict[Symbol, OneSided] = {}
    near: list[str] = []
    for v in variables:
        index = inputs.index(v)
        result = numeric.partial(compiled, floats, index, method=method)
        numerics[v] = result
        exact = exact_values[v]
        sides = smooth.get(v)
        breaks_here = sides is not None and not sides.differentiable
        verdicts[v] = (
            numeric.verdict(exact, result)
            if result.ok and math.isfinite(exact) and reason is None and not breaks_here
            else None
        )
        if breaks_here:
            left, right = to_float(sides.left), to_float(sides.right)
            slice_expr = expression.xreplace({k: val for k, val in point.items() if k != v})
            sliced = compile_expr(slice_expr, [v])
            left_numeric, right_numeric = numeric.one_sided(sliced, floats[index])
            if not (left_numeric.ok and right_numeric.ok):
                # The exact point is on the kink but its float is a hair to one side (π/4 is
                # not a float): step from x0 as from a black box, blind to a kink 1e-17 away.
                def blind(t, f=sliced):
                    return f(t)

                left_numeric, right_numeric = numeric.one_sided(blind, floats[index])
            checked = []
            known = sides.method == "exact"
            for direction, exact_side, side in (
                (-1, left, left_numeric),
                (1, right, right_numeric),
            ):
                # a numeric slope against the same differences proves nothing: no verdict
                side_verdict = numeric.verdict(exact_side, side) if side.ok and known else None
                if side_verdict is not None and _says_too_little(side, exact_side):
                    # −1.55 ± 17 beside a floor's stair for a slope of −1.54 "agreed" and
                    # proved nothing (differential case 2026:15984): no check, and why
                    message = Message(
                        "numeric.side_unresolved",
                        error=side.error_estimate,
                        value=mpmath.nstr(mpmath.mpf(exact_side), 6),
                    )
                    side = replace(side, note=message, note_message=message)
                    side_verdict = None
                if side_verdict is not None and not side_verdict.agrees:
                    jumps = _jumps_within_step(expression, point, v, side.step)
                    if jumps is not None:  # floor(x⁵) at 7376.99: each side's differences
                        # straddle thousands of jumps (differential case 2026:113455)
                        side, side_verdict = replace(side, note=jumps, note_message=jumps), None
                    else:
                        side, side_verdict = _one_sided_second_opinion(
                            expression, point, v, direction, exact_side, side, side_verdict
                        )
                checked.append((side, side_verdict))
            (left_numeric, left_verdict), (right_numeric, right_verdict) = checked
            one_sided[v] = OneSided(
                left, right, left_numeric, right_numeric, left_verdict, right_verdict, known
            )
        if (result.near_kink or result.near_edge) and not breaks_here:
            near.append(result.note_message)
    return numerics, verdicts, one_sided, tuple(near)
