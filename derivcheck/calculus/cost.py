"""How big a derivative will be, estimated before it is built: work that cannot finish is
refused before it starts.

The product rule turns a product of n factors into n terms of n − 1 factors each, so
``(x+1)(x+2)…(x+2000)`` has a derivative of four million factors: SymPy would spend
minutes building it, and nobody can read it. :func:`derivative_size` bounds the size of
the derivative's tree from the expression's own tree, in linear time, and
:func:`check_derivative_size` refuses (:class:`~derivcheck.errors.LimitError`) what is
beyond :data:`MAX_DERIVATIVE_SIZE`.

>>> from derivcheck import parse
>>> derivative_size(parse("sin(exp(x^2))")) < 50
True
>>> derivative_size(parse("*".join(f"(x+{k})" for k in range(1, 101)))) > 10_000
True
"""

from __future__ import annotations

from sympy import Expr

from derivcheck.errors import LimitError

__all__ = ["derivative_size", "check_derivative_size", "MAX_DERIVATIVE_SIZE"]

#: The largest derivative (nodes of its expression tree, estimated) derivcheck builds.
MAX_DERIVATIVE_SIZE = 200_000


def derivative_size(expression: Expr) -> int:
    """An upper estimate of the number of nodes of d(expression)/dx, for any x."""
    sizes: dict[Expr, tuple[int, int]] = {}

    def walk(node: Expr) -> tuple[int, int]:
        """(size of node, size of its derivative)."""
        if node in sizes:
            return sizes[node]
        if not node.args or not node.free_symbols:
            result = (1, 1)
        else:
            parts = [walk(a) for a in node.args]
            size = 1 + sum(s for s, _ in parts)
            if node.is_Add:
                derivative = 1 + sum(d for _, d in parts)
            elif node.is_Mul:  # Σ_i f_i' · Π_{j≠i} f_j
                derivative = 1 + sum(d + size - s for s, d in parts)
            else:  # f(u…)' = f'(u…) · u' …: about the node again, times each inner derivative
                derivative = 2 * size + sum(d for _, d in parts)
            result = (size, derivative)
        sizes[node] = result
        return result

    return walk(expression)[1]


def check_derivative_size(expression: Expr) -> None:
    """Refuse an expression whose derivative would be too large to build or to read."""
    size = derivative_size(expression)
    if size > MAX_DERIVATIVE_SIZE:
        raise LimitError("limits.derivative_size", size=size, limit=MAX_DERIVATIVE_SIZE)
