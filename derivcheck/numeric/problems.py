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

from derivcheck.errors import EvaluationError
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
            kind, reason = found
    where = point_text(line, t0)
    if reason is None:
        reason = (
            f"f is infinite at {where} (a pole, or a value too large for a float)"
            if kind == "pole"
            else f"f is not defined (or not real) at {where}"
        )
    return NumericResult(math.nan, math.inf, method, step, line.evaluations, reason, kind)


def _domain_reason(line: Line, t0: float) -> tuple[str, str] | None:
    """(kind, sentence) naming the innermost sub-expression that fails at t0.

    kind is "pole" for a division by zero, "domain" otherwise (log of a non-positive number,
    square root of a negative one, ...).
    """
    values = line.x0(t0)
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
        where = point_text(line, t0)
        argument = node.args[0]
        shown = f"{arg_values[0].real:.6g}"
        if node.func is sympy.log:
            sentence = f"log({argument}) needs {argument} > 0, but {argument} = {shown} at {where}"
        elif node.is_Pow and node.exp == sympy.S.Half:
            sentence = (
                f"sqrt({argument}) needs {argument} >= 0, but {argument} = {shown} at {where}"
            )
        elif node.is_Pow and abs(arg_values[0]) == 0.0 and (node.exp < 0) is sympy.true:
            return "pole", f"{node} has a pole: {node.base} = 0 at {where}"
        elif node.is_Pow:
            sentence = f"{node} is not real: {node.base} = {shown} at {where}"
        elif node.func in (sympy.asin, sympy.acos):
            sentence = f"{node} needs -1 <= {argument} <= 1, but {argument} = {shown} at {where}"
        elif math.isinf(node_value.real) and node.func in (
            sympy.tan,
            sympy.sec,
            sympy.csc,
            sympy.cot,
        ):
            return "pole", f"{node} has a pole at {where}"
        else:
            sentence = f"{node} is not defined (or not real) at {where}"
        return "domain", sentence
    return None


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
    note = (
        f"f is defined at {point_text(line, t0)} but not at every point of the {method} stencil "
        f"(step {h:.3g}): x0 is at the edge of the domain; try method='auto'"
    )
    return NumericResult(math.nan, math.inf, method, h, line.evaluations, note, "domain")
