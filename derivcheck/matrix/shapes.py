"""Shapes in dimension names: NumPy's rules, applied to ``H×N`` instead of ``(3, 50)``.

A dimension is a name (``"N"``) or a number (``1``). Two names are equal only when they
are the same name, so a formula whose shapes fit only because two sizes happen to be
equal (``H`` and ``N`` both 3) is refused here, at every size. The same rules run on
numbers too (:func:`concrete`), which is how the shapes are checked again at the two sets
of sizes the values are computed at.

>>> from derivcheck.matrix.expr import Expr
>>> X, W = Expr("name", value="X"), Expr("name", value="W")
>>> shapes = {"X": Shape(("D", "N")), "W": Shape(("H", "D"))}
>>> str(infer(Expr("matmul", (W, X)), shapes))
'H×N'
>>> try:
...     infer(Expr("matmul", (X, W)), shapes)
... except ShapeError as error:
...     print(error.message)
(D×N)·(H×D): the inner dimensions N and H differ
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import zip_longest
from typing import Any

from derivcheck.matrix.expr import BINARY, Expr, to_source
from derivcheck.messages import Message

__all__ = ["Shape", "ShapeError", "infer", "concrete", "same_shape", "broadcast", "shape_words"]

Dim = str | int


class Shape(tuple):
    """A shape: a tuple of dimensions (names or numbers). ``str`` shows ``H×N``, ``(H,)``
    or ``scalar``; :func:`shape_words` gives what a message shows in either language.

    >>> str(Shape(("H", "N"))), str(Shape(("H",))), str(Shape(()))
    ('H×N', '(H,)', 'scalar')
    >>> Shape(("H", 1)) == ("H", 1)
    True
    """

    def __str__(self) -> str:
        return str(shape_words(self))

    def __repr__(self) -> str:
        return f"Shape({tuple(self)!r})"

    @property
    def rank(self) -> int:
        return len(self)

    def sizes(self, dims: Mapping[str, int]) -> tuple[int, ...]:
        """The shape at these sizes of the dimension names."""
        return tuple(d if isinstance(d, int) else dims[d] for d in self)


def shape_words(shape: tuple[Dim, ...]) -> Message | str:
    """``H×N``; ``(H,)`` for a vector; the word "scalar" for ``()``."""
    if len(shape) == 0:
        return Message("matrix.word.scalar")
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "×".join(str(d) for d in shape)


def _all_ones(shape: tuple[Dim, ...]) -> bool:
    return all(d == 1 for d in shape)


def same_shape(given: tuple[Dim, ...], expected: tuple[Dim, ...]) -> bool:
    """Whether a gradient of shape ``given`` fits a value of shape ``expected``: the same
    shape, or one number either way (a scalar for a 1×1 bias, as NumPy's update allows)."""
    return tuple(given) == tuple(expected) or (_all_ones(given) and _all_ones(expected))


class ShapeError(Exception):
    """A formula whose shapes do not fit: ``message`` says why, ``node`` is where."""

    def __init__(self, message: Message, node: Expr):
        super().__init__(str(message))
        self.message = message
        self.node = node


def broadcast(left: tuple[Dim, ...], right: tuple[Dim, ...]) -> tuple[Dim, ...] | tuple[Dim, Dim]:
    """NumPy's broadcasting of two shapes, or the first pair of dimensions that clash
    (returned as a ``("clash", a, b)`` triple).

    >>> broadcast(("H", "N"), ("H", 1)), broadcast(("H", "N"), ("H",))
    (('H', 'N'), ('clash', 'N', 'H'))
    """
    result = []
    for a, b in zip_longest(reversed(left), reversed(right), fillvalue=1):
        if a == b or b == 1:
            result.append(a)
        elif a == 1:
            result.append(b)
        else:
            return ("clash", a, b)
    return tuple(reversed(result))


def _normal_axis(axis: int | None, rank: int) -> int | None:
    if axis is None:
        return None
    if -rank <= axis < rank:
        return axis % rank
    return -1


def infer(
    expr: Expr,
    shapes: Mapping[str, tuple[Dim, ...]],
    text: str = "",
    memo: dict[int, Shape] | None = None,
) -> Shape:
    """The shape of ``expr`` when each name has the shape ``shapes`` gives (a name it
    does not give is a dimension's size or a scalar). Raises :class:`ShapeError` at the
    first operation, innermost first, whose shapes do not fit; ``text`` is the program,
    for showing that operation as written."""
    if memo is None:
        memo = {}
    key = id(expr)
    if key in memo:
        return memo[key]
    args = [infer(arg, shapes, text, memo) for arg in expr.args]
    result = Shape(_rule(expr, args, shapes, text))
    memo[key] = result
    return result


def _shown(expr: Expr, text: str) -> str:
    return to_source(expr, text)


def _rule(expr: Expr, args: list[Shape], shapes, text: str) -> tuple[Dim, ...]:
    op = expr.op
    if op == "name":
        return tuple(shapes.get(expr.value, ()))
    if op in ("num", "shape"):
        if op == "shape":
            rank = args[0].rank
            if not -rank <= expr.value < rank:
                raise ShapeError(
                    Message(
                        "matrix.shape.no_axis",
                        what=_shown(expr, text),
                        shape=shape_words(args[0]),
                        axis=expr.value,
                    ),
                    expr,
                )
        return ()
    if op in ("neg", "pow", "fn", "let"):
        return tuple(args[0])
    if op == "T":
        return tuple(reversed(args[0])) if args[0].rank == 2 else tuple(args[0])
    if op in BINARY and op != "matmul" or op in ("cmp", "where"):
        result: tuple[Dim, ...] = tuple(args[0])
        for other in args[1:]:
            combined = broadcast(result, other)
            if combined and combined[0] == "clash":
                raise ShapeError(_clash(expr, result, other, combined[1], combined[2], text), expr)
            result = combined
        return result
    if op == "matmul":
        return _matmul(expr, args[0], args[1], text)
    if op in ("sum", "mean"):
        axis, keepdims = expr.value
        shape = args[0]
        normal = _normal_axis(axis, shape.rank)
        if normal == -1:
            raise ShapeError(
                Message(
                    "matrix.shape.no_axis",
                    what=_shown(expr, text),
                    shape=shape_words(shape),
                    axis=axis,
                ),
                expr,
            )
        if normal is None:
            return (1,) * shape.rank if keepdims else ()
        kept = [1 if k == normal else d for k, d in enumerate(shape)]
        return tuple(kept) if keepdims else tuple(d for k, d in enumerate(shape) if k != normal)
    if op == "softmax":
        shape = args[0]
        normal = _normal_axis(expr.value, shape.rank)
        if normal == -1 or (normal is None and shape.rank == 2):
            raise ShapeError(
                Message(
                    "matrix.shape.softmax_axis", what=_shown(expr, text), shape=shape_words(shape)
                ),
                expr,
            )
        return tuple(shape)
    if op == "xent":
        p, t = args
        if tuple(p) != tuple(t):
            raise ShapeError(
                Message(
                    "matrix.shape.xent",
                    what=_shown(expr, text),
                    left=shape_words(p),
                    right=shape_words(t),
                ),
                expr,
            )
        if _normal_axis(expr.value, p.rank) in (-1, None) and p.rank:
            raise ShapeError(
                Message(
                    "matrix.shape.no_axis",
                    what=_shown(expr, text),
                    shape=shape_words(p),
                    axis=expr.value,
                ),
                expr,
            )
        return ()
    raise ValueError(f"unknown operation {op!r}")  # pragma: no cover - a bug of ours


def _clash(expr: Expr, left, right, a: Dim, b: Dim, text: str) -> Message:
    symbol = {"add": "+", "sub": "-", "mul": "⊙", "div": "/", "cmp": str(expr.value)}.get(
        expr.op, ","
    )
    if isinstance(a, str) and isinstance(b, str):
        why = Message("matrix.shape.names_differ", a=a, b=b)
    else:
        why = Message("matrix.shape.sizes_differ", a=a, b=b)
    vector = ""
    if len(left) != len(right) and 1 in (len(left), len(right)):
        vector = Message("matrix.shape.vector_is_row")
    return Message(
        "matrix.shape.broadcast",
        left=shape_words(left),
        symbol=symbol,
        right=shape_words(right),
        why=why,
        vector=vector,
    )


def _matmul(expr: Expr, a: Shape, b: Shape, text: str) -> tuple[Dim, ...]:
    if a.rank == 0 or b.rank == 0:
        return_message = Message(
            "matrix.shape.matmul_scalar", left=shape_words(a), right=shape_words(b)
        )
        raise ShapeError(return_message, expr)
    inner_a = a[-1]
    inner_b = b[0] if b.rank == 1 else b[-2]
    if inner_a != inner_b:
        raise ShapeError(
            Message(
                "matrix.shape.matmul_inner",
                left=shape_words(a),
                right=shape_words(b),
                a=inner_a,
                b=inner_b,
            ),
            expr,
        )
    return tuple(a[:-1]) + (tuple(b[1:]) if b.rank == 2 else ())


def concrete(shape: tuple[Dim, ...], sizes: Mapping[str, int]) -> Shape:
    """The shape with each dimension name replaced by its size.

    >>> concrete(("H", 1), {"H": 3})
    Shape((3, 1))
    """
    return Shape(d if isinstance(d, int) else sizes[d] for d in shape)


def concrete_shapes(
    shapes: Mapping[str, tuple[Dim, ...]], sizes: Mapping[str, int]
) -> dict[str, Any]:
    """Every shape of ``shapes`` at these sizes."""
    return {name: concrete(shape, sizes) for name, shape in shapes.items()}
