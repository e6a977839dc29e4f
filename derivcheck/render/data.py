"""An :class:`~derivcheck.Explanation` as plain data (dicts, lists, floats, strings) for JSON.

Non-finite floats become ``None`` so the result is strict JSON.

>>> from derivcheck import explain
>>> data = explain("(3x+2)^2", 1).to_dict()
>>> data["value"], data["steps"][0]["definition"], data["agrees"]
(30.0, '3x + 2', True)
"""

from __future__ import annotations

import math
from typing import Any

from derivcheck.messages import Message
from derivcheck.render import layout
from derivcheck.render.printing import renderer, show

__all__ = ["explanation_to_dict", "numeric_to_dict", "finite"]


def finite(value: float | None) -> float | None:
    """``value`` when it is a finite float, else ``None`` (JSON has no nan or inf)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _sentence(value: Message | str | None, lang: str) -> str | None:
    """A sentence of the explanation in its language (a Message, or a plain string)."""
    return value.to_text(lang) if isinstance(value, Message) else value


def numeric_to_dict(result: Any, lang: str = "en") -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "estimate": finite(result.estimate),
        "error_estimate": finite(result.error_estimate),
        "method": result.method,
        "step": finite(result.step),
        "evaluations": result.evaluations,
        "note": _sentence(result.note, lang),
        "problem": result.problem,
    }


def _verdict_to_dict(verdict: Any) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "agrees": verdict.agrees,
        "difference": finite(verdict.difference),
        "budget": finite(verdict.budget),
        "ratio": finite(verdict.ratio),
    }


@renderer
def explanation_to_dict(explanation: Any) -> dict[str, Any]:
    e = explanation
    lang = getattr(e, "lang", "en")
    steps = []
    for s in e.steps:
        steps.append(
            {
                "name": s.name.name,
                "definition": show(s.definition),
                "sympy": str(s.definition),
                "rule": s.rule,
                "value": finite(s.value),
                "local_derivatives": {
                    arg.name: {
                        "expression": show(local),
                        "sympy": str(local),
                        "value": finite(s.local_values[arg]),
                    }
                    for arg, local in s.local_derivatives.items()
                },
            }
        )
    data: dict[str, Any] = {
        "input": e.source,
        "expression": show(e.expr),
        "sympy": str(e.expr),
        "output": e.output.name,
        "point": {k.name: finite(v) for k, v in e.point_floats.items()},
        "wrt": [v.name for v in e.wrt],
        "steps": steps,
        "derivative": (
            show(e.derivative) if e.single else {k: show(v) for k, v in e.derivative.items()}
        ),
        "value": finite(e.value) if e.single else None,
        "gradient": {k: finite(v) for k, v in e.gradient.items()},
        "numeric": {v.name: numeric_to_dict(e.numerics[v], lang) for v in e.wrt},
        "verdicts": {v.name: _verdict_to_dict(e.verdicts[v]) for v in e.wrt},
        "agrees": e.agrees,
        "differentiable": e.differentiable,
        "reason": _sentence(layout.reason(e), lang),
        "notes": [_sentence(note, lang) for note in layout.near_kinks(e)],
        "kinks": [
            {"step": k.step.name, "function": k.function, "argument": show(k.argument)}
            for k in e.kinks
        ],
        "one_sided": {
            v.name: {
                # the exact one-sided derivatives; null when SymPy found none (the
                # numeric estimates below are then all there is, and are not checked)
                "left": finite(o.left) if o.exact else None,
                "right": finite(o.right) if o.exact else None,
                "exact": o.exact,
                "left_numeric": numeric_to_dict(o.left_numeric, lang),
                "right_numeric": numeric_to_dict(o.right_numeric, lang),
                "agrees": o.agrees,
            }
            for v, o in e.one_sided.items()
        },
    }
    if not e.single or e.program is not None:
        data["backward"] = [
            {
                "node": line.node.name,
                "value": finite(line.value),
                "terms": [
                    {"consumer": c.name, "adjoint": finite(a), "local": show(loc),
                     "local_value": finite(lv)}
                    for c, a, loc, lv in line.terms
                ],
            }
            for line in e.backward_lines
        ]  # fmt: skip
    return data
