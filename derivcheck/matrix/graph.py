"""Values of matrix formulas, and derivcheck's own reverse accumulation over the forward pass.

:func:`evaluate` computes one formula (NumPy, float64). :func:`forward` runs the forward
assignments of a program, keeping every node's value; :func:`reverse` then walks them
back from the loss, applying each operation's vector-Jacobian product, and returns
∂L/∂name for every name (inputs and intermediates alike). These are the true gradients
the learner's formulas are compared with; nothing here reads the learner's backward part.

Elementwise functions (relu, tanh, sigmoid, exp, log, ...) are the catalogue's: their
values from the record's NumPy function, their derivatives from the record's derivative
f′(u), compiled by :mod:`derivcheck.numeric.evaluate`.

>>> import numpy as np
>>> from derivcheck.matrix.reader import read_matrix_program
>>> program = read_matrix_program('''
... x: scalar, w: scalar
... y = tanh(w * x)
... L = y**2
... dy = 2 * y
... ''')
>>> values = forward(program, {"x": np.array(0.5), "w": np.array(2.0)}, {})
>>> grads = reverse(program, values)
>>> expected = 2 * np.tanh(1.0) * (1 - np.tanh(1.0) ** 2) * 0.5     # 2y · tanh′ · x
>>> bool(abs(grads["w"] - expected) < 1e-15)
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from derivcheck.matrix.expr import Expr, names_in, walk

__all__ = ["evaluate", "forward", "reverse", "ForwardValues", "function", "kink_arguments"]

Lookup = Callable[[str], np.ndarray]


@cache
def function(key: str) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """``(f, f′)`` of a catalogue function, as NumPy callables."""
    import sympy

    from derivcheck.calculus.catalogue import by_key
    from derivcheck.numeric.evaluate import compile_expr

    record = by_key(key)
    u = sympy.Symbol("u", real=True)
    derivative = compile_expr(record.derivative(u), [u])
    f = record.numpy_function()
    return (lambda x: np.asarray(f(x), dtype=np.float64)), (
        lambda x: np.broadcast_to(np.asarray(derivative(x), dtype=np.float64), np.shape(x))
    )


def _axis(value: np.ndarray, axis: int | None) -> int | None:
    return None if axis is None else axis % max(1, value.ndim)


def _softmax(z: np.ndarray, axis: int | None) -> np.ndarray:
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def _count(value: np.ndarray, axis: int | None) -> int:
    return value.size if axis is None else value.shape[axis]


def _apply(node: Expr, args: list[np.ndarray], lookup: Lookup) -> np.ndarray:
    """The value of one node from the values of its operands."""
    op = node.op
    if op == "name":
        return lookup(node.value)
    if op == "num":
        return np.asarray(node.value, dtype=np.float64)
    if op == "shape":
        return np.asarray(float(args[0].shape[node.value]))
    if op == "let":
        return args[0]
    if op == "neg":
        return -args[0]
    if op == "add":
        return args[0] + args[1]
    if op == "sub":
        return args[0] - args[1]
    if op == "mul":
        return args[0] * args[1]
    if op == "div":
        return args[0] / args[1]
    if op == "matmul":
        return np.asarray(np.matmul(args[0], args[1]), dtype=np.float64)
    if op == "pow":
        return np.power(args[0], node.value)
    if op == "T":
        return args[0].T
    if op in ("sum", "mean"):
        axis, keepdims = node.value
        reduce = np.sum if op == "sum" else np.mean
        return np.asarray(reduce(args[0], axis=_axis(args[0], axis), keepdims=keepdims))
    if op == "fn":
        return function(node.value)[0](args[0])
    if op == "softmax":
        return _softmax(args[0], _axis(args[0], node.value))
    if op == "xent":
        p, t = args
        axis = _axis(p, node.value)
        return np.asarray(-np.sum(t * np.log(p)) / (p.size / _count(p, axis)))
    if op == "cmp":
        compare = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}
        return compare[node.value](args[0], args[1]).astype(np.float64)
    if op == "where":
        return np.asarray(np.where(args[0] != 0, args[1], args[2]), dtype=np.float64)
    raise ValueError(f"unknown operation {op!r}")  # pragma: no cover - a bug of ours


def evaluate(expr: Expr, lookup: Lookup, memo: dict[int, np.ndarray] | None = None) -> np.ndarray:
    """The value of ``expr``; ``lookup(name)`` gives each name's value (an array).

    ``memo`` (node id -> value), when given, receives every node's value.
    """
    if memo is None:
        memo = {}
    order = [node for _, node in walk(expr)]
    for node in reversed(order):  # children before parents
        key = id(node)
        if key not in memo:
            memo[key] = _apply(node, [memo[id(arg)] for arg in node.args], lookup)
    return memo[id(expr)]


@dataclass
class ForwardValues:
    """A forward pass: each name's value, and each node's (for the reverse pass)."""

    names: dict[str, np.ndarray]
    nodes: dict[int, np.ndarray]
    sizes: Mapping[str, int]

    def lookup(self, name: str) -> np.ndarray:
        if name in self.names:
            return self.names[name]
        return np.asarray(float(self.sizes[name]))


def forward(
    program: Any,
    inputs: Mapping[str, np.ndarray],
    sizes: Mapping[str, int],
    overrides: Mapping[str, np.ndarray] | None = None,
    reuse: ForwardValues | None = None,
) -> ForwardValues:
    """Run the forward assignments of ``program`` on ``inputs``.

    ``overrides`` holds values that replace what an assignment (or an input) would give:
    the loss as a function of an intermediate, for finite differences along it. With
    ``reuse`` (a forward pass on the same inputs), an assignment that does not depend on
    an overridden name keeps its value from there instead of being computed again.
    """
    overrides = overrides or {}
    names = {name: overrides.get(name, value) for name, value in inputs.items()}
    values = ForwardValues(names, {}, sizes)
    changed = set(overrides)
    for assignment in program.forward:
        target = assignment.target
        if target in overrides:
            names[target] = overrides[target]
            continue
        if reuse is not None and not (names_in(assignment.expr) & changed):
            names[target] = reuse.names[target]
            continue
        names[target] = evaluate(assignment.expr, values.lookup, values.nodes)
        changed.add(target)
    return values


def _unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``g`` over the axes NumPy broadcast to reach its shape from ``shape``."""
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for k, size in enumerate(shape):
        if size == 1 and g.shape[k] != 1:
            g = g.sum(axis=k, keepdims=True)
    return g


def _expand(g: np.ndarray, shape: tuple[int, ...], axis: int | None, keepdims: bool):
    """A reduction's adjoint spread back over the axis it reduced."""
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    return np.broadcast_to(g, shape)


def _vjp(node: Expr, args: list[np.ndarray], value: np.ndarray, g: np.ndarray) -> list:
    """The adjoints of the operands of ``node`` from the adjoint ``g`` of its value."""
    op = node.op
    if op in ("name", "num", "shape"):
        return []
    if op == "cmp":
        return [None, None]
    if op == "let":
        return [g]
    if op == "neg":
        return [-g]
    if op in ("add", "sub", "mul", "div"):
        a, b = args
        if op == "add":
            ga, gb = g, g
        elif op == "sub":
            ga, gb = g, -g
        elif op == "mul":
            ga, gb = g * b, g * a
        else:
            ga, gb = g / b, -g * a / (b * b)
        return [_unbroadcast(np.asarray(ga), a.shape), _unbroadcast(np.asarray(gb), b.shape)]
    if op == "matmul":
        a, b = args
        if a.ndim == 1 and b.ndim == 1:
            return [g * b, g * a]
        if b.ndim == 1:
            return [np.outer(g, b), a.T @ g]
        if a.ndim == 1:
            return [b @ g, np.outer(a, g)]
        return [g @ b.T, a.T @ g]
    if op == "pow":
        return [g * node.value * np.power(args[0], node.value - 1)]
    if op == "T":
        return [g.T]
    if op in ("sum", "mean"):
        axis, keepdims = node.value
        x = args[0]
        normal = _axis(x, axis)
        spread = _expand(g, x.shape, normal, keepdims)
        return [spread if op == "sum" else spread / _count(x, normal)]
    if op == "fn":
        return [g * function(node.value)[1](args[0])]
    if op == "softmax":
        axis = _axis(args[0], node.value)
        return [value * (g - np.sum(g * value, axis=axis, keepdims=True))]
    if op == "xent":
        p, t = args
        n = p.size / _count(p, _axis(p, node.value))
        return [-g * t / p / n, -g * np.log(p) / n]
    if op == "where":
        c, a, b = args
        chosen = c != 0
        return [
            None,
            _unbroadcast(np.where(chosen, g, 0.0), a.shape),
            _unbroadcast(np.where(chosen, 0.0, g), b.shape),
        ]
    raise ValueError(f"unknown operation {op!r}")  # pragma: no cover - a bug of ours


def _backpropagate(expr: Expr, g: np.ndarray, nodes: Mapping[int, np.ndarray], out) -> None:
    """Push the adjoint ``g`` of ``expr``'s value down to the names it uses (into ``out``)."""
    adjoints: dict[int, np.ndarray] = {id(expr): g}
    for _, node in walk(expr):  # parents before children: a node's adjoint is complete
        adjoint = adjoints.pop(id(node), None)
        if adjoint is None:
            continue
        if node.op == "name":
            name = node.value
            out[name] = adjoint if name not in out else out[name] + adjoint
            continue
        args = [nodes[id(arg)] for arg in node.args]
        for arg, piece in zip(node.args, _vjp(node, args, nodes[id(node)], adjoint)):
            if piece is None:
                continue
            key = id(arg)
            adjoints[key] = piece if key not in adjoints else adjoints[key] + piece


def reverse(program: Any, values: ForwardValues) -> dict[str, np.ndarray]:
    """∂L/∂name for every input and forward assignment of ``program`` (zeros for the
    names the loss does not depend on), by reverse accumulation from the loss."""
    loss = values.names[program.loss]
    adjoints: dict[str, np.ndarray] = {program.loss: np.ones_like(loss)}
    for assignment in reversed(program.forward):
        g = adjoints.get(assignment.target)
        if g is None:
            continue
        _backpropagate(assignment.expr, np.asarray(g, dtype=np.float64), values.nodes, adjoints)
    result = {}
    for name, value in values.names.items():
        g = adjoints.get(name)
        result[name] = (
            np.zeros_like(value) if g is None else np.array(np.broadcast_to(g, value.shape))
        )
    return result


def kink_arguments(program: Any) -> list[tuple[Expr, tuple[float, ...]]]:
    """Where the forward pass is not smooth: (the operand, its kink points) of every relu
    (any catalogue function with kinks) and of every mask and ``where``. Random inputs
    are kept away from these points."""
    from derivcheck.calculus.catalogue import by_key

    found: list[tuple[Expr, tuple[float, ...]]] = []
    for assignment in program.forward:
        for _, node in walk(assignment.expr):
            if node.op == "fn":
                for brk in by_key(node.value).breaks:
                    if isinstance(brk.points, tuple):
                        found.append((node.args[0], tuple(float(p) for p in brk.points)))
            elif node.op == "cmp":
                found.append((Expr("sub", node.args), (0.0,)))
    return found
