"""Candidate wrong derivatives: the mistakes a student typically makes, from the chain-rule graph.

Each step of the function's graph says which rule produced it; each rule has its
typical mistakes (an inner derivative forgotten at some depth, a sign flipped, the power
not reduced, the product or quotient rule misremembered). A mistake is put into the
derivative by accumulating the chain rule over the graph with the mistake built in
(:func:`mistaken_derivative`, the one place that accumulates), and the result is
evaluated at the exercise's sample points; an answer whose values match a candidate's
gets that candidate's diagnosis.

>>> from derivcheck.grading.exercise import EXERCISES
>>> exercise = EXERCISES.prepare("(2x+1)^3", None, None)
>>> [c.code for c in exercise.candidates][:4]
['power-not-reduced', 'power-coefficient', 'missing-inner-derivative', 'not-differentiated']
>>> print(exercise.candidates[2].message)
Chain rule: the derivative of the inner function 2x + 1 is missing; multiply by (2x + 1)′ = 2.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import sympy
from sympy import Expr, Symbol

from derivcheck.calculus.graph import Graph, Step, accumulate_forward, build_graph
from derivcheck.calculus.rules import (
    ExponentialRule,
    FunctionRule,
    GeneralPowerRule,
    PowerRule,
    ProductRule,
    QuotientRule,
    SumRule,
)
from derivcheck.grading.numbers import all_close
from derivcheck.messages import Message
from derivcheck.reading.parser import symbol
from derivcheck.render.printing import show

if TYPE_CHECKING:
    from derivcheck.grading.exercise import Exercise

__all__ = ["Candidate", "candidates", "mistaken_derivative", "DIAGNOSES", "MATCH"]

#: Diagnosis codes, most specific first: when several fit, the earliest wins.
DIAGNOSES = (
    "quotient-rule-sign",
    "quotient-rule",
    "product-rule",
    "power-rule-misapplied",
    "power-not-reduced",
    "power-coefficient",
    "missing-inner-derivative",
    "sum-rule",
    "not-differentiated",
    "sign-error",
    "constant-factor",
)
_RANK = {code: rank for rank, code in enumerate(DIAGNOSES)}
#: Relative tolerance when matching a candidate wrong derivative.
MATCH = 1e-8

Tangents = dict[Symbol, Expr]


@dataclass(frozen=True)
class Candidate:
    """A wrong derivative: its diagnosis ``code``, the ``message`` that explains it, and its
    ``values`` at the exercise's sample points (read-only)."""

    code: str
    message: Message
    values: np.ndarray = field(repr=False, compare=False)
    #: True when the mistake names which factor or term went wrong, which one number
    #: (an answer at a point) cannot show
    localised: bool = False


def mistaken_derivative(
    graph: Graph,
    x: Symbol,
    local: Mapping[tuple[Symbol, Symbol], Expr] | None = None,
    inner: Mapping[tuple[Symbol, Symbol], Expr] | None = None,
    whole: Mapping[Symbol, Callable[[Tangents], Expr]] | None = None,
) -> Expr:
    """d(output)/dx by forward accumulation over ``graph`` with a mistake built in, in the
    inputs only: the graph's one accumulator
    (:func:`~derivcheck.calculus.graph.accumulate_forward`) with the overrides put in.

    Inputs: the graph, the variable ``x`` and three overrides, each keyed by the step it
    changes: ``local[(step, arg)]`` replaces the local derivative ∂step/∂arg,
    ``inner[(step, arg)]`` replaces the tangent d(arg)/dx as that step uses it (1 for a
    forgotten inner derivative), and ``whole[step]`` computes the step's tangent from the
    tangents computed so far (a misremembered product rule). With no overrides this is
    the derivative itself.

    >>> from derivcheck.calculus.graph import build_graph
    >>> from derivcheck.reading.parser import parse
    >>> x = symbol("x")
    >>> graph = build_graph(parse("sin(x^2)"))
    >>> mistaken_derivative(graph, x)
    2*x*cos(x**2)
    >>> mistaken_derivative(graph, x, inner={(graph.output, graph.steps[0].name): 1})
    cos(x**2)
    """
    overrides = local or {}

    def local_of(step: Step, arg: Symbol) -> Expr:
        return overrides.get((step.name, arg), step.local_derivatives[arg])

    tangents = accumulate_forward(graph, x, local=local_of, inner=inner, whole=whole)
    return tangents[graph.output].xreplace(graph.full_definitions)


@dataclass
class _Mistake:
    """A wrong derivative a student may write: which rule, the message, and how to build it.

    The derivative is rebuilt by :func:`mistaken_derivative` with the mistake put in, or
    given whole as ``expression``.
    """

    code: str
    message: Message
    local: dict[tuple[Symbol, Symbol], Expr] = field(default_factory=dict)
    inner: dict[tuple[Symbol, Symbol], Expr] = field(default_factory=dict)
    whole: dict[Symbol, Callable[[Tangents], Expr]] = field(default_factory=dict)
    expression: Expr | None = None
    localised: bool = False

    def build(self, graph: Graph, x: Symbol) -> Expr:
        if self.expression is not None:
            return self.expression
        return mistaken_derivative(graph, x, self.local, self.inner, self.whole)


def candidates(graph: Graph, exercise: Exercise) -> tuple[Candidate, ...]:
    """The typical wrong derivatives of this exercise's function, most specific first."""
    x = exercise.var
    if x not in exercise.function.free_symbols:
        return ()
    return _evaluate(_mistakes(graph, exercise), graph, exercise)


def _mistakes(graph: Graph, exercise: Exercise) -> list[_Mistake]:
    x = exercise.var
    full = graph.full_definitions
    tangents = graph.tangents(x)

    def varies(arg: Symbol) -> bool:
        return tangents.get(arg, sympy.S.Zero) != 0

    def shown(expression: Expr) -> str:
        return show(expression.xreplace(full))

    first = [
        _Mistake(
            "not-differentiated",
            Message("grading.not_differentiated"),
            expression=exercise.function,
        )
    ]
    # "The negative of the derivative" comes after the sign flips of rules that carry their
    # own minus sign (cos' = -sin, (1/v)' = -1/v², a term -3x): when a flip amounts to the
    # negative, the message names that rule.
    last = [
        _Mistake("sign-error", Message("grading.sign_negative"), expression=-exercise.derivative)
    ]
    all_inner: dict[tuple[Symbol, Symbol], Expr] = {}
    all_powers: dict[tuple[Symbol, Symbol], Expr] = {}
    for step in graph.steps:
        rule, name, partials = step.derivation, step.name, step.local_derivatives
        arguments = [a for a in partials if varies(a)]
        chain_like = isinstance(
            rule, (FunctionRule, PowerRule, ExponentialRule, GeneralPowerRule)
        ) or (isinstance(rule, QuotientRule) and not isinstance(rule.numerator, Symbol))
        # Chain rule: the inner derivative forgotten (everything inside this step), or the
        # factor of this step forgotten between an outer and an inner layer.
        for arg in arguments if chain_like else ():
            if arg in graph.inputs:
                continue
            all_inner[(name, arg)] = sympy.S.One
            first.append(
                _Mistake(
                    "missing-inner-derivative",
                    Message("grading.missing_inner", inner=shown(arg), factor=shown(tangents[arg])),
                    inner={(name, arg): sympy.S.One},
                )
            )
            if name != graph.output:
                first.append(
                    _Mistake(
                        "missing-inner-derivative",
                        Message(
                            "grading.missing_inner_layer",
                            factor=shown(partials[arg]),
                            layer=shown(name),
                            inner=shown(arg),
                        ),
                        local={(name, arg): sympy.S.One},
                    )
                )
        # Power rule: n·u^n instead of n·u^(n-1), or (n-1)·u^(n-1); n may be a name (x^n).
        power = None
        if isinstance(rule, PowerRule) and rule.exponent not in (0, 1) and varies(rule.base):
            power = (rule.base, rule.exponent)
        elif isinstance(rule, GeneralPowerRule) and varies(rule.base):
            if not varies(rule.exponent):
                power = (rule.base, rule.exponent)
        if power is not None:
            base, n = power
            params = {"base": shown(base), "n": shown(n), "n_minus_1": shown(n - 1)}
            if isinstance(rule, PowerRule):
                all_powers[(name, base)] = n * base**n
            first.append(
                _Mistake(
                    "power-not-reduced",
                    Message("grading.power_not_reduced", **params),
                    local={(name, base): n * base**n},
                )
            )
            # (n-1)·u^(n-1): for x² that is half the derivative, for √x its negative; the
            # mistake shows with integer exponents from 3 (or -1) on, and with names (x^n).
            if not n.is_number or (n.is_Integer and abs(n - 1) >= 2):
                first.append(
                    _Mistake(
                        "power-coefficient",
                        Message("grading.power_coefficient", **params),
                        local={(name, base): (n - 1) * base ** (n - 1)},
                    )
                )
        first += _power_rule_misapplied(step, varies, shown)
        # Sum rule: one term's derivative left out, or the term copied as it is.
        if isinstance(rule, SumRule) and len(arguments) >= 2:
            first += _sum_rule(step, arguments, tangents, shown)
        # Product rule: u'v' instead of u'v + uv', or one of the terms missing.
        if isinstance(rule, ProductRule) and len(arguments) >= 2:
            constant = rule.coefficient * sympy.Mul(
                *(f for f in rule.factors if f not in arguments)
            )
            varying = tuple(arguments)

            def product_of_derivatives(t, constant=constant, varying=varying):
                return constant * sympy.Mul(*(t[a] for a in varying))

            first.append(
                _Mistake(
                    "product-rule",
                    Message("grading.product_rule", factors=", ".join(shown(a) for a in arguments)),
                    whole={name: product_of_derivatives},
                )
            )
            for arg in arguments:
                first.append(
                    _Mistake(
                        "product-rule",
                        Message("grading.product_rule_term", factor=shown(arg)),
                        local={(name, arg): sympy.S.Zero},
                    )
                )
        # Quotient rule: (uv' - u'v)/v² (terms swapped) or (u'v + uv')/v².
        if (
            isinstance(rule, QuotientRule)
            and isinstance(rule.numerator, Symbol)
            and varies(rule.numerator)
            and varies(rule.denominator)
        ):
            n, d = rule.numerator, rule.denominator
            params = {"numerator": shown(n), "denominator": shown(d)}
            flip_n, flip_d = {(name, n): -partials[n]}, {(name, d): -partials[d]}
            first.append(
                _Mistake(
                    "quotient-rule-sign",
                    Message("grading.quotient_swapped", **params),
                    {**flip_n, **flip_d},
                )
            )
            first.append(
                _Mistake("quotient-rule-sign", Message("grading.quotient_plus", **params), flip_d)
            )
            coefficient = rule.coefficient

            def ratio_of_derivatives(t, n=n, d=d, coefficient=coefficient):
                return coefficient * t[n] / t[d]

            first.append(
                _Mistake(
                    "quotient-rule",
                    Message("grading.quotient_of_derivatives", **params),
                    whole={name: ratio_of_derivatives},
                )
            )
            continue
        # Sign flipped inside one factor: one local derivative with the wrong sign.
        for arg in arguments:
            if isinstance(rule, SumRule) or len(partials) > 1:
                part = partials[arg] * arg if isinstance(rule, SumRule) else name
                message = Message("grading.sign_part", part=shown(part))
            else:
                u = symbol("v" if "u" in exercise.names else "u")
                message = Message(
                    "grading.sign_rule",
                    part=shown(name),
                    u=show(u),
                    definition=show(step.definition.xreplace({arg: u})),
                    local=show(partials[arg].xreplace({arg: u})),
                )
            mistake = _Mistake("sign-error", message, {(name, arg): -partials[arg]}, localised=True)
            (first if partials[arg].could_extract_minus_sign() else last).append(mistake)
    if len(all_powers) > 1:  # every power left unreduced; then also x read as x^1 (2x -> 2x)
        every = Message("grading.power_not_reduced_all")
        first.append(_Mistake("power-not-reduced", every, local=all_powers))
        with_x = dict(all_powers)
        for step in graph.steps:
            if isinstance(step.derivation, SumRule) and x in step.local_derivatives:
                with_x[(step.name, x)] = step.local_derivatives[x] * x
        first.append(_Mistake("power-not-reduced", every, local=with_x))
    if len(all_inner) > 1:
        first.append(
            _Mistake(
                "missing-inner-derivative", Message("grading.missing_inner_all"), inner=all_inner
            )
        )
    return first + _quotient_of_whole(exercise) + last


def _power_rule_misapplied(step, varies, shown) -> list[_Mistake]:
    """The power rule used on a variable exponent: v·u^(v-1) for u^v (x·x^(x-1) for x^x),
    v·a^(v-1) for a^v (x·2^(x-1) for 2^x, u·e^(u-1) for e^u), with and without v′."""
    rule, name = step.derivation, step.name
    if isinstance(rule, GeneralPowerRule) and varies(rule.exponent) and varies(rule.base):
        u, v = rule.base, rule.exponent
        message = Message("grading.power_rule_variable_power", power=shown(name), exponent=shown(v))
        if u == v:  # x^x: one local derivative holds both parts
            return [_Mistake("power-rule-misapplied", message, local={(name, u): u * u ** (u - 1)})]
        return [_Mistake("power-rule-misapplied", message, local={(name, v): 0})]
    if isinstance(rule, ExponentialRule) and varies(rule.exponent):
        base, v = rule.base, rule.exponent
    elif isinstance(rule, FunctionRule) and rule.function is sympy.exp and varies(rule.argument):
        base, v = sympy.E, rule.argument
    else:
        return []
    message = Message("grading.power_rule_exponential", power=shown(name), exponent=shown(v))
    as_power = {(name, v): v * base ** (v - 1)}
    return [
        _Mistake("power-rule-misapplied", message, local=as_power),
        _Mistake("power-rule-misapplied", message, local=as_power, inner={(name, v): 1}),
    ]


def _sum_rule(step, arguments, tangents, shown) -> list[_Mistake]:
    """One term of a sum not differentiated: its derivative missing, or the term copied."""
    name, partials = step.name, step.local_derivatives
    found = []
    for arg in arguments:
        term = shown(partials[arg] * arg)

        def kept(t, arg=arg):
            return sympy.Add(
                *(d * (arg if a == arg else t.get(a, sympy.S.Zero)) for a, d in partials.items())
            )

        derivative = shown(partials[arg] * tangents[arg])
        found.append(
            _Mistake(
                "sum-rule",
                Message("grading.sum_term_missing", term=term),
                local={(name, arg): sympy.S.Zero},
                localised=True,
            )
        )
        found.append(
            _Mistake(
                "sum-rule",
                Message("grading.sum_term_kept", term=term, derivative=derivative),
                whole={name: kept},
                localised=True,
            )
        )
    return found


def _quotient_of_whole(exercise: Exercise) -> list[_Mistake]:
    """Quotient-rule mistakes of the function read as one fraction N/D, also when the graph
    sees a product (x^3/2^x is x^3·2^(-x)): terms swapped, a plus, u′/v′."""
    x = exercise.var
    numerator, denominator = sympy.fraction(exercise.function)
    if x not in numerator.free_symbols or x not in denominator.free_symbols:
        return []
    dn = mistaken_derivative(build_graph(numerator), x)
    dd = mistaken_derivative(build_graph(denominator), x)
    params = {"numerator": show(numerator), "denominator": show(denominator)}
    square = denominator**2
    return [
        _Mistake(
            "quotient-rule-sign",
            Message("grading.quotient_swapped", **params),
            expression=(numerator * dd - dn * denominator) / square,
        ),
        _Mistake(
            "quotient-rule-sign",
            Message("grading.quotient_plus", **params),
            expression=(dn * denominator + numerator * dd) / square,
        ),
        _Mistake(
            "quotient-rule",
            Message("grading.quotient_of_derivatives", **params),
            expression=dn / dd,
        ),
    ]


def _evaluate(mistakes: list[_Mistake], graph: Graph, exercise: Exercise) -> tuple[Candidate, ...]:
    """Keep candidates that differ from the derivative, most specific first, no duplicates.

    With one number to compare (``at`` and no parameters), a mistake that names which
    factor's sign flipped or which term was left out is dropped: one number cannot show it.
    """
    kept: list[Candidate] = []
    for mistake in sorted(mistakes, key=lambda m: _RANK[m.code]):  # stable: order kept in a code
        if mistake.localised and exercise.single_value:
            continue
        values = exercise.values_of(mistake.build(graph, exercise.var)).copy()
        if not np.isfinite(values).all() or all_close(values, exercise.target_values, MATCH):
            continue
        if any(all_close(values, other.values, MATCH) for other in kept):
            continue
        values.setflags(write=False)
        kept.append(Candidate(mistake.code, mistake.message, values, mistake.localised))
    return tuple(kept)
