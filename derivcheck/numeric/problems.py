"""Results for points where f is not finite, not real, or where no stencil fits the domain:
``estimate = nan`` with the reason, naming the failing piece of a compiled expression.

>>> import math
>>> from derivcheck.numeric.line import Line
>>> problem_result(Line(math.log), -1.0, math.nan, "central", 1e-5).problem
'domain'
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from derivcheck.calculus.domain import Restriction, restrictions
from derivcheck.errors import EvaluationError
from derivcheck.messages import Message
from derivcheck.numeric.budget import EPS
from derivcheck.numeric.evaluate import compile_expr
from derivcheck.numeric.line import Line, point_text, value_at_point
from derivcheck.numeric.results import NumericResult


def problem_result(line: Line, t0: float, f0: float, method: str, step: float) -> NumericResult:
    """The result for a point where f is not finite or not real: nan, with the reason."""
    kind = "pole" if math.isinf(f0) else "domain"
    reason = None
    if line.compiled:
        found = _domain_reason(line, t0)
        if found is not None:
            found_kind, reason = found
            kind = found_kind or kind
    where = point_text(line, t0)
    if reason is None:
        key = "numeric.infinite_value" if kind == "pole" else "numeric.undefined"
        reason = Message(key, where=where)
    return NumericResult(math.nan, math.inf, method, step, line.evaluations, reason, kind)


def _domain_reason(line: Line, t0: float) -> tuple[str | None, Message] | None:
    """(kind, message) naming the innermost sub-expression that fails at t0.

    The sub-expression's restriction (:func:`derivcheck.calculus.domain.restrictions`) says
    why: a pole ("pole"), an argument outside the allowed set ("domain": ln needs u > 0). A
    sub-expression with no restriction that is infinite overflowed (kind None: the caller's).
    """
    values = line.x0(t0)
    where = point_text(line, t0)
    by_node: dict = {}
    for restriction in restrictions(line.expr):
        by_node.setdefault(restriction.node, []).append(restriction)
    for node in sympy.postorder_traversal(line.expr):
        if node.is_Atom or not node.args:
            continue
        try:
            node_value = _value_at(node, line.variables, values)
            arg_values = [_value_at(a, line.variables, values) for a in node.args]
        except EvaluationError:
            continue
        if _finite_real(node_value) or not all(_finite_real(v) for v in arg_values):
            continue
        for restriction in by_node.get(node, ()):
            found = _violation(restriction, line, values, where)
            if found is not None:
                return found
        if math.isinf(node_value.real) and node_value.imag == 0:
            return None, Message("numeric.node_infinite", node=str(node), where=where)
        return "domain", Message("numeric.node_undefined", node=str(node), where=where)
    return None


def _violation(restriction: Restriction, line: Line, values: list[float], where: str):
    """(kind, message) when ``restriction`` explains the failure at ``values``; else None."""
    node = str(restriction.node)
    if restriction.poles is not None:
        pole = _value_at(restriction.poles, line.variables, values)
        if _finite_real(pole) and abs(pole.real) <= 4 * EPS * max(
            1.0, _scale(restriction, line, values)
        ):
            return "pole", Message(
                "numeric.pole_of", node=node, pole=str(restriction.poles), where=where
            )
    argument = _value_at(restriction.argument, line.variables, values)
    if not _finite_real(argument) or restriction.allowed in (sympy.S.Reals, sympy.S.EmptySet):
        return None
    inside = restriction.allowed.contains(sympy.Float(argument.real))
    if inside is not sympy.false:
        return None
    return "domain", Message(
        "numeric.needs",
        node=node,
        condition=condition(restriction.allowed, str(restriction.argument)),
        argument=str(restriction.argument),
        value=argument.real,
        where=where,
    )


def _scale(restriction: Restriction, line: Line, values: list[float]) -> float:
    """The size of the pole expression's terms, for "is it 0 up to rounding"."""
    terms = sympy.Add.make_args(restriction.poles)
    sizes = [abs(_value_at(term, line.variables, values)) for term in terms]
    return max((s for s in sizes if math.isfinite(s)), default=1.0)


def condition(allowed: sympy.Set, argument: str) -> Message | str:
    """The condition "``argument`` lies in ``allowed``" in symbols: ``x > 0``,
    ``-1 <= x <= 1``, ``x <= -1 or x >= 1``.

    >>> import sympy
    >>> print(condition(sympy.Interval.open(0, sympy.oo), "u"))
    u > 0
    >>> outside = sympy.Union(sympy.Interval(-sympy.oo, -1), sympy.Interval(1, sympy.oo))
    >>> print(condition(outside, "u"))
    u <= -1 or u >= 1
    """
    if isinstance(allowed, sympy.Union):
        parts = [condition(part, argument) for part in allowed.args]
        shown = parts[0]
        for part in parts[1:]:
            shown = Message("numeric.either", first=shown, second=part)
        return shown
    if isinstance(allowed, sympy.Interval):
        low, high = allowed.start, allowed.end
        if low.is_infinite and high.is_infinite:
            return f"{argument} is real"
        if low.is_infinite:
            return f"{argument} {'<' if allowed.right_open else '<='} {high}"
        if high.is_infinite:
            return f"{argument} {'>' if allowed.left_open else '>='} {low}"
        left = "<" if allowed.left_open else "<="
        right = "<" if allowed.right_open else "<="
        return f"{low} {left} {argument} {right} {high}"
    return f"{argument} in {allowed}"


def _value_at(node: sympy.Basic, variables: tuple, values: list[float]) -> complex:
    evaluator = compile_expr(node, variables)
    return complex(np.asarray(evaluator(*values)).reshape(-1)[0])


def _finite_real(value: complex) -> bool:
    return math.isfinite(value.real) and math.isfinite(value.imag) and value.imag == 0


def stencil_problem(line: Line, t0: float, method: str, h: float) -> NumericResult:
    """Why a stencil around t0 has values that are not finite: f at t0, or the domain's edge."""
    f0 = value_at_point(line, t0)
    if not math.isfinite(f0):
        return problem_result(line, t0, f0, method, h)
    note = Message("numeric.stencil_outside", where=point_text(line, t0), method=method, step=h)
    return NumericResult(math.nan, math.inf, method, h, line.evaluations, note, "domain")
