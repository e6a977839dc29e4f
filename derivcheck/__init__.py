"""derivcheck — explain and check derivatives.

Text as people type it becomes a SymPy tree, the tree becomes a chain-rule
graph of intermediate variables, and every derivative is proved twice: exactly
with SymPy and numerically with finite differences.

>>> import derivcheck
>>> e = derivcheck.explain("(3x+2)^2", 1)
>>> e.value
30.0
>>> e.agrees
True

``import derivcheck`` is light: NumPy, matplotlib and torch load only when a
function that needs them runs.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

# SymPy on gmpy2's integers (its default when gmpy2 is installed) overflows in math.log
# inside factorint's perfect-power test (SymPy 1.14: √ of a 360-digit fraction); keep SymPy
# on Python integers unless the user chose otherwise. mpmath still uses gmpy2.
os.environ.setdefault("SYMPY_GROUND_TYPES", "python")

from derivcheck.errors import DerivcheckError, EvaluationError, LimitError, ParseError  # noqa: E402

__version__ = "0.1.0"

# Public name -> module that defines it. Loaded on first use (PEP 562) so that
# `import derivcheck` costs no more than importing SymPy.
_LAZY = {
    "parse": "derivcheck.reading.parser",
    "parse_program": "derivcheck.reading.parser",
    "Program": "derivcheck.reading.parser",
    "build_graph": "derivcheck.calculus.graph",
    "Graph": "derivcheck.calculus.graph",
    "Step": "derivcheck.calculus.graph",
    "explain": "derivcheck.explanation",
    "Explanation": "derivcheck.explanation",
    "relu": "derivcheck.calculus.functions",
    "sigmoid": "derivcheck.calculus.functions",
    "gradcheck": "derivcheck.network.gradcheck",
    "GradcheckReport": "derivcheck.network.gradcheck",
    "check_backprop": "derivcheck.matrix.checker",
    "BackpropReport": "derivcheck.matrix.checker",
    "check_answer": "derivcheck.grading.answers",
    "check_answers": "derivcheck.grading.batch",
    "check_steps": "derivcheck.grading.steps",
    "StepsResult": "derivcheck.grading.steps",
    "AnswerResult": "derivcheck.grading.answers",
    "BatchReport": "derivcheck.grading.batch",
}
#: Subpackages and modules reachable as attributes (``derivcheck.numeric``), with the
#: short names earlier versions used (``derivcheck.derivation``) mapped to where they live.
_SUBMODULES = {
    "reading": "derivcheck.reading",
    "calculus": "derivcheck.calculus",
    "numeric": "derivcheck.numeric",
    "grading": "derivcheck.grading",
    "network": "derivcheck.network",
    "render": "derivcheck.render",
    "messages": "derivcheck.messages",
    "explanation": "derivcheck.explanation",
    "parser": "derivcheck.reading.parser",
    "functions": "derivcheck.calculus.functions",
    "rules": "derivcheck.calculus.rules",
    "graph": "derivcheck.calculus.graph",
    "derivation": "derivcheck.calculus.derivation",
    "evaluate": "derivcheck.numeric.evaluate",
    "gradients": "derivcheck.network.gradcheck",
    "answers": "derivcheck.grading.answers",
    "batch": "derivcheck.grading.batch",
    "exercises": "derivcheck.grading.files",
    "plots": "derivcheck.render.plots",
}
# Module names never clash with function names: `derivcheck.parse` stays the function.

__all__ = [
    "DerivcheckError",
    "EvaluationError",
    "LimitError",
    "ParseError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = import_module(_SUBMODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'derivcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from derivcheck.calculus.graph import Graph, Step, build_graph  # noqa: F401
    from derivcheck.explanation import Explanation, explain  # noqa: F401
    from derivcheck.reading.parser import Program, parse, parse_program  # noqa: F401
