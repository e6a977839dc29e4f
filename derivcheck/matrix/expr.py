"""Expression trees of the matrix language, and a printer that writes them back as NumPy.

An :class:`Expr` is one operation with its operands. Nodes compare by identity (two equal
subtrees are two nodes), so evaluation caches and adjoints can be keyed by node. A node
read from the user's text keeps its ``span`` there; :func:`to_source` prints a tree with
the user's own text for every node that came from it and NumPy spelling for the rest,
which is how a corrected formula is shown next to the one that was written.

Operations (``op``) and what ``value`` holds:

==========  =============================================  ==============================
op          meaning                                        value
==========  =============================================  ==============================
name        a matrix, a scalar or a dimension size         the name
num         a number                                       the float
shape       ``A.shape[k]``: a size, as a scalar            k
neg         ``-A``
add sub     ``A + B``, ``A - B`` (broadcasting)
mul div     ``A * B`` (⊙), ``A / B`` (broadcasting)
matmul      ``A @ B`` (·): the matrix product
pow         ``A ** c``, c a constant                       c
T           ``A.T`` (ᵀ): the transpose
sum mean    ``sum(A, axis=k, keepdims=…)``                 (axis or None, keepdims)
fn          an elementwise function of the catalogue       its key (relu, tanh, ...)
softmax     ``softmax(A, axis=k)``                         axis or None
xent        ``cross_entropy(P, T, axis=k)``                axis
cmp         ``(A > B)``: a mask of 0 and 1                 the comparison (> >= < <=)
where       ``np.where(C, A, B)``, ``A if C else B``     "if" for the second spelling
let         a helper's value where the helper is used      the helper's name
==========  =============================================  ==============================

>>> x = Expr("name", value="X")
>>> to_source(Expr("matmul", (Expr("name", value="dZ1"), Expr("T", (x,)))))
'dZ1 @ X.T'
>>> to_source(Expr("mul", (Expr("add", (x, Expr("num", value=1.0))), x)))
'(X + 1) * X'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "Expr",
    "Path",
    "BINARY",
    "ELEMENTWISE",
    "walk",
    "at_path",
    "replace_at",
    "names_in",
    "to_source",
    "number_text",
    "precedence",
]

#: Binary operations and the symbol :func:`to_source` writes for them.
BINARY = {"add": "+", "sub": "-", "mul": "*", "div": "/", "matmul": "@"}
#: Operations applied entry by entry, with NumPy's broadcasting.
ELEMENTWISE = frozenset({"add", "sub", "mul", "div", "cmp", "where"})

#: A position in a tree: the indices of the operands followed from the root.
Path = tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Expr:
    """One node: ``op`` applied to ``args``, with ``value`` as the table above says.

    ``span`` is (start, end) in the program text when the node was read from it;
    ``grouped`` says the user wrote brackets around it (so its text needs no more);
    ``spelling`` how a function was called: ``"np."`` (``np.sum(A)``), ``"."`` (the
    method ``A.sum()``) or ``""``, and ``dot``/``matmul`` for a product written as a call.
    """

    op: str
    args: tuple[Expr, ...] = ()
    value: Any = None
    span: tuple[int, int] | None = field(default=None, repr=False)
    grouped: bool = field(default=False, repr=False)
    spelling: str = field(default="", repr=False)

    def with_args(self, *args: Expr) -> Expr:
        """The same operation on other operands (a new node, no longer the user's text)."""
        return Expr(self.op, tuple(args), self.value, spelling=self.spelling)

    def with_value(self, value: Any) -> Expr:
        """The same operation with another ``value`` (a new node)."""
        return Expr(self.op, self.args, value, spelling=self.spelling)


def walk(expr: Expr, path: Path = ()) -> Iterator[tuple[Path, Expr]]:
    """Every node with its path, parents before children.

    >>> tree = Expr("add", (Expr("name", value="A"), Expr("name", value="B")))
    >>> [(path, node.op) for path, node in walk(tree)]
    [((), 'add'), ((0,), 'name'), ((1,), 'name')]
    """
    yield path, expr
    for k, arg in enumerate(expr.args):
        yield from walk(arg, (*path, k))


def at_path(expr: Expr, path: Path) -> Expr:
    """The node at ``path``."""
    for k in path:
        expr = expr.args[k]
    return expr


def replace_at(expr: Expr, path: Path, new: Expr) -> Expr:
    """A copy of ``expr`` with the node at ``path`` replaced by ``new``.

    The nodes on the way down become new nodes; every other node is shared, and keeps
    its text.
    """
    if not path:
        return new
    k = path[0]
    args = list(expr.args)
    args[k] = replace_at(args[k], path[1:], new)
    return replace(expr, args=tuple(args), span=None, grouped=False)


def names_in(expr: Expr, stop: Callable[[Expr], bool] | None = None) -> set[str]:
    """The names a tree uses, through the helpers it holds (not looking inside nodes for
    which ``stop`` is true)."""
    found: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if node.op == "name":
            found.add(node.value)
        if stop is None or not stop(node):
            stack.extend(node.args)
    return found


# ------------------------------------------------------------------------------ printing

_PRECEDENCE = {
    "where": 0,
    "cmp": 1,
    "add": 2,
    "sub": 2,
    "mul": 3,
    "div": 3,
    "matmul": 3,
    "neg": 4,
    "pow": 5,
}


def precedence(expr: Expr) -> int:
    """How tightly a node's text binds: 0 (``a if c else b``) to 6 (a name, a call, ``A.T``)."""
    if (
        expr.grouped
        or (expr.op == "where" and expr.value != "if")
        or (expr.op == "matmul" and expr.spelling)
    ):
        return 6
    return _PRECEDENCE.get(expr.op, 6)


def number_text(value: float) -> str:
    """A constant as the program writes it: ``2``, ``0.5``, ``1e-08``.

    >>> number_text(2.0), number_text(0.5), number_text(-3.0)
    ('2', '0.5', '-3')
    """
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _axis_arguments(axis: int | None, keepdims: bool = False) -> str:
    parts = [] if axis is None else [f"axis={axis}"]
    if keepdims:
        parts.append("keepdims=True")
    return "".join(", " + part for part in parts)


def to_source(expr: Expr, text: str = "", context: int = 0) -> str:
    """``expr`` as program text. Nodes read from ``text`` are printed as written there.

    ``context`` is the precedence the surrounding text needs; brackets are added when the
    node binds more loosely.

    >>> tree = Expr("sum", (Expr("name", value="dZ1"),), (1, True))
    >>> to_source(tree)
    'sum(dZ1, axis=1, keepdims=True)'
    >>> to_source(Expr("neg", (Expr("pow", (Expr("name", value="H"),), 2.0),)))
    '-H**2'
    """
    if expr.span is not None and text:
        shown = text[expr.span[0] : expr.span[1]]
    else:
        shown = _print(expr, text)
    return f"({shown})" if precedence(expr) < context else shown


def _print(expr: Expr, text: str) -> str:
    op, args = expr.op, expr.args

    def sub(k: int, context: int) -> str:
        return to_source(args[k], text, context)

    if op == "name" or op == "let":
        return str(expr.value)
    if op == "num":
        return number_text(expr.value)
    if op == "matmul" and expr.spelling:
        prefix, _, function = expr.spelling.rpartition(":")
        if prefix == ".":
            return f"{sub(0, 6)}.{function}({sub(1, 0)})"
        return f"{prefix}{function}({sub(0, 0)}, {sub(1, 0)})"
    if op in BINARY:
        level = _PRECEDENCE[op]
        return f"{sub(0, level)} {BINARY[op]} {sub(1, level + 1)}"
    if op == "neg":
        return f"-{sub(0, 4)}"
    if op == "pow":
        return f"{sub(0, 6)}**{number_text(expr.value)}"
    if op == "T":
        return f"{sub(0, 6)}.T"
    if op == "shape":
        return f"{sub(0, 6)}.shape[{expr.value}]"
    if op in ("sum", "mean"):
        axis, keepdims = expr.value
        arguments = _axis_arguments(axis, keepdims)
        if expr.spelling == ".":
            return f"{sub(0, 6)}.{op}({arguments[2:]})"
        return f"{expr.spelling}{op}({sub(0, 0)}{arguments})"
    if op == "fn":
        return f"{expr.spelling}{expr.value}({sub(0, 0)})"
    if op == "softmax":
        return f"softmax({sub(0, 0)}{_axis_arguments(expr.value)})"
    if op == "xent":
        return f"cross_entropy({sub(0, 0)}, {sub(1, 0)}{_axis_arguments(expr.value)})"
    if op == "cmp":
        return f"{sub(0, 2)} {expr.value} {sub(1, 2)}"
    if op == "where" and expr.value == "if":
        return f"{sub(1, 1)} if {sub(0, 1)} else {sub(2, 0)}"
    if op == "where":
        return f"np.where({sub(0, 0)}, {sub(1, 0)}, {sub(2, 0)})"
    raise ValueError(f"unknown operation {op!r}")  # pragma: no cover - a bug of ours
