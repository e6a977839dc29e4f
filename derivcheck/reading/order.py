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

__all__ = ["recording", "note_sum", "showing", "typed_terms"]

#: Bound on the sums remembered per reading (a formula has at most a few thousand).
MAX_SUMS = 10_000

_RECORDING: ContextVar[dict | None] = ContextVar("derivcheck_recording", default=None)
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
