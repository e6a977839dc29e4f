"""The order in which terms were typed: ``x^2 - 5x + 6`` is shown as typed, not as
SymPy sorts it (``x^2 + 6 - 5x``).

SymPy keeps the terms of a sum in its own canonical order. While reading, the grammar notes
each sum's terms in the order they were written (:func:`recording`); a renderer that shows
an expression read that way follows that order (:func:`showing`, :func:`typed_terms`).

>>> import sympy
>>> x = sympy.Symbol("x")
>>> with recording() as order:
...     note_sum(6 - 5 * x + x**2, [sympy.Integer(6), -5 * x, x**2])
>>> with showing(order):
...     typed_terms(x**2 - 5 * x + 6)
(6, -5*x, x**2)
>>> typed_terms(x**2 - 5 * x + 6) is None     # outside ``showing``: SymPy's order
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["recording", "note_sum", "showing", "typed_terms", "noting_built", "note_built"]

#: Bound on the sums remembered per reading (a formula has at most a few thousand).
MAX_SUMS = 10_000

_RECORDING: ContextVar[dict | None] = ContextVar("derivcheck_recording", default=None)
_BUILT: ContextVar[list | None] = ContextVar("derivcheck_built", default=None)
_SHOWING: ContextVar[Mapping | None] = ContextVar("derivcheck_showing", default=None)


@contextmanager
def recording() -> Iterator[dict]:
    """Collect, for every sum read meanwhile, its terms in the order typed."""
    order: dict[Any, tuple] = {}
    token = _RECORDING.set(order)
    try:
        yield order
    finally:
        _RECORDING.reset(token)


def note_sum(total: Any, terms: Sequence[Any]) -> None:
    """The grammar read ``total`` as ``terms`` (in the order typed)."""
    order = _RECORDING.get()
    if order is not None and len(order) < MAX_SUMS and total.is_Add:
        order.setdefault(total, tuple(terms))


@contextmanager
def showing(order: Mapping | None) -> Iterator[None]:
    """Print the sums of ``order`` in their typed order meanwhile."""
    token = _SHOWING.set(order or None)
    try:
        yield
    finally:
        _SHOWING.reset(token)


def typed_terms(total: Any) -> tuple | None:
    """The terms of the sum ``total`` in the order typed, or None when it was not read so.

    Terms SymPy merged (``(a + b) + c`` is one sum of three) follow the typed order too;
    a term the typed ones do not account for makes the order unknown (None).
    """
    order = _SHOWING.get()
    if not order or not getattr(total, "is_Add", False):
        return None
    typed = order.get(total)
    if typed is None:
        return None
    flat: list[Any] = []
    for term in typed:
        nested = order.get(term) if getattr(term, "is_Add", False) else None
        flat.extend(nested if nested is not None else term.args if term.is_Add else (term,))
    if sorted(map(str, flat)) != sorted(map(str, total.args)):
        return None  # like terms merged (x + 1 + x): SymPy's order
    return tuple(flat)


@contextmanager
def noting_built() -> Iterator[list]:
    """Collect every function application, power and quotient the grammar builds meanwhile,
    as typed: SymPy simplifies some away (e^(ln x) is x, x/x is 1, √x·√x is x, ln x − ln x
    is 0), and with them the restriction they put on the domain (x > 0, x ≠ 0). The
    explanation checks the point against what was typed (``calculus.domain.hidden``).

    >>> import sympy
    >>> x = sympy.Symbol("x", real=True)
    >>> with noting_built() as built:
    ...     note_built(sympy.log(x), sympy.log, x)
    ...     note_built(sympy.exp(sympy.log(x)), sympy.exp, sympy.log(x))
    >>> built
    [log(x), exp(log(x)), x]
    """
    built: list = []
    token = _BUILT.set(built)
    try:
        yield built
    finally:
        _BUILT.reset(token)


def note_built(node: Any, function: Any, *args: Any) -> None:
    """The grammar built ``node`` as ``function(*args)``: remember both when they differ
    (only while :func:`noting_built`, and only nodes that depend on a variable)."""
    built = _BUILT.get()
    if built is None or len(built) >= MAX_SUMS or not any(a.free_symbols for a in args):
        return
    typed = function(*args, evaluate=False)
    built.append(typed)
    if node != typed:
        built.append(node)
