r"""A catalogue record's rule as a statement to typeset: f, and f′ piece by piece.

The catalogue (:mod:`derivcheck.calculus.catalogue`) holds each function's derivative
f′(u) and, for the functions that are not smooth, the branches f takes on either side
of each break. :func:`rule_statement` reads them into what a table of derivatives
prints — ``d/dx sin x = cos x``, ``d/dx relu x = 1 (x > 0), 0 (x < 0)``,
``d/dx floor x = 0 (x ∉ ℤ)`` — for the renderers to typeset: the mathematics (the slope
of each branch) is worked out here, so the renderers only format it.

>>> from derivcheck.calculus.catalogue import lookup
>>> statement = rule_statement(lookup("relu"))
>>> [(slope, c.lower, c.upper) for slope, c in statement.cases]
[(1, 0, None), (0, None, 0)]
>>> rule_statement(lookup("sin")).cases
((cos(x), None),)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

__all__ = ["Condition", "RuleStatement", "rule_statement"]


@dataclass(frozen=True)
class Condition:
    """Where a piece of f′ holds: ``lower < variable < upper`` (either may be open), off
    the points ``excluded``, or off the integers."""

    variable: sympy.Symbol
    lower: Any = None
    upper: Any = None
    excluded: tuple[Any, ...] = ()
    off_integers: bool = False


@dataclass(frozen=True)
class RuleStatement:
    """d/d(variable) function = cases: each (slope, condition); one case without condition
    for a smooth function. ``partial`` for functions of two arguments (max, min)."""

    function: sympy.Expr
    variable: sympy.Symbol
    cases: tuple[tuple[sympy.Expr, Condition | None], ...]
    partial: bool = False


def rule_statement(record: Any, variable: str = "x") -> RuleStatement:
    """The rule of a :class:`~derivcheck.calculus.catalogue.FunctionRecord`, read from its
    ``derivative`` and ``breaks``; parameters (leaky_relu's a) keep their names."""
    x = sympy.Symbol(variable, real=True)
    params = tuple(sympy.Symbol(p.name, real=True) for p in record.parameters)
    if min(record.arity) > 1:  # max(x, y), min(x, y): the slope in x, on either side of the tie
        y = sympy.Symbol("y" if variable != "y" else "z", real=True)
        slope = sympy.diff(record.build(x, y), x)
        cases = (
            (slope.subs(x, y + 1), Condition(x, lower=y)),
            (slope.subs(x, y - 1), Condition(x, upper=y)),
        )
        return RuleStatement(record.build(x, y), x, cases, partial=True)
    function = record.build(x, *params)
    derivative = record.derivative(x, *params) if record.derivative else sympy.S.Zero
    if not record.breaks:
        return RuleStatement(function, x, ((derivative, None),))
    (brk,) = record.breaks
    if brk.kind == "jump":  # f′ = 0 between the jumps, no derivative at them
        where = Condition(x, off_integers=brk.points == "integers")
        if brk.points != "integers":
            where = Condition(x, excluded=tuple(brk.points))
        return RuleStatement(function, x, ((derivative, where),))
    points = sorted(brk.points)
    cases = [(sympy.diff(brk.right(x, points[-1], *params), x), Condition(x, lower=points[-1]))]
    for i in range(len(points) - 1, -1, -1):
        lower = points[i - 1] if i else None
        slope = sympy.diff(brk.left(x, points[i], *params), x)
        cases.append((slope, Condition(x, lower=lower, upper=points[i])))
    return RuleStatement(function, x, tuple(cases))
