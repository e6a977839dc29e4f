"""Points as people type them on a command line: ``x=1,y=2`` or ``x = 1/2; θ = π``.

>>> parse_point_assignments("x=1,y=2")
{'x': '1', 'y': '2'}
>>> parse_point_assignments("w₁ = max(1, 2); θ=π/4")
{'w1': 'max(1, 2)', 'theta': 'π/4'}
"""

from __future__ import annotations

from derivcheck.errors import ParseError
from derivcheck.reading.tokens import plain, tokenize

__all__ = ["parse_point_assignments"]


def _parts(text: str) -> list[tuple[int, str]]:
    """``text`` cut at the commas and semicolons outside brackets, with where each starts."""
    parts, depth, start = [], 0, 0
    for k, raw in enumerate(text):
        ch = plain(raw)
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch in ",;" and depth == 0:
            parts.append((start, text[start:k]))
            start = k + 1
    parts.append((start, text[start:]))
    return parts


def parse_point_assignments(text: str) -> dict[str, str]:
    """``name=value`` pairs separated by ``,`` or ``;`` -> {name: value as typed}.

    Names are read as formulas read them (``w₁`` is w1, ``θ`` is theta); commas inside
    brackets belong to the value (``x=max(1,2)``). The values stay text for the caller
    to read. Raises :class:`ParseError` (with the position) for a part without ``=``,
    a missing name or value, or a name given twice.

    >>> parse_point_assignments("x=1; y=2")
    {'x': '1', 'y': '2'}
    """
    if not isinstance(text, str):
        tokenize(text)  # raises the not-text error
    points: dict[str, str] = {}
    for start, part in _parts(text):
        if not part.strip():
            continue
        equals = next((k for k, ch in enumerate(part) if plain(ch) == "="), None)
        lead = start + len(part) - len(part.lstrip())
        if equals is None:
            raise ParseError("parse.point_equals", text, lead)
        where = start + equals
        _, tokens = tokenize(part[:equals])
        if len(tokens) != 2 or tokens[0].kind != "name":
            raise ParseError("parse.point_name", text, lead if tokens[0].kind != "end" else where)
        name = str(tokens[0].value)
        value = part[equals + 1 :].strip()
        if value.startswith("=") or value.startswith("＝"):
            raise ParseError("parse.comparison", text, where)
        if not value:
            raise ParseError("parse.point_value", text, where, name=name)
        if name in points:
            raise ParseError(
                "parse.point_twice", text, start + part.index(part.lstrip()[:1]), name=name
            )
        points[name] = value
    if not points:
        raise ParseError("parse.point_empty", text, 0)
    return points
