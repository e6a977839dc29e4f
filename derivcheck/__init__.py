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

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import DerivcheckError, EvaluationError, LimitError, ParseError

__version__ = "0.1.0"

# Public name -> module that defines it. Loaded on first use (PEP 562) so that
# `import derivcheck` costs no more than importing SymPy.
_LAZY = {
    "parse": "derivcheck.parser",
    "parse_program": "derivcheck.parser",
    "Program": "derivcheck.parser",
    "build_graph": "derivcheck.graph",
    "Graph": "derivcheck.graph",
    "Step": "derivcheck.graph",
    "explain": "derivcheck.explanation",
    "Explanation": "derivcheck.explanation",
    "relu": "derivcheck.functions",
    "sigmoid": "derivcheck.functions",
    "gradcheck": "derivcheck.gradients",
    "GradcheckReport": "derivcheck.gradients",
    "check_answer": "derivcheck.answers",
    "check_answers": "derivcheck.answers",
    "AnswerResult": "derivcheck.answers",
    "BatchReport": "derivcheck.answers",
}
_SUBMODULES = {
    "numeric", "network", "answers", "batch", "exercises", "derivation", "plots", "render",
    "evaluate", "graph", "functions", "rules", "parser", "explanation", "gradients",
}  # fmt: skip
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
        module = import_module(f"derivcheck.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'derivcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .explanation import Explanation, explain  # noqa: F401
    from .graph import Graph, Step, build_graph  # noqa: F401
    from .parser import Program, parse, parse_program  # noqa: F401
