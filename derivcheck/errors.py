"""Errors raised by derivcheck.

Every error a user can cause is a :class:`DerivcheckError`, which is a
:class:`ValueError`, so ``except ValueError`` catches them all.

>>> from derivcheck import parse, ParseError
>>> try:
...     parse("2*(x+")
... except ParseError as error:
...     print(error.position)
5
"""

from __future__ import annotations

__all__ = ["DerivcheckError", "ParseError", "EvaluationError", "LimitError"]


class DerivcheckError(ValueError):
    """Base class of every error derivcheck raises on bad input."""


class ParseError(DerivcheckError):
    """Text that is not a formula or program derivcheck accepts.

    ``position`` is the 0-based index of the offending character in ``text``;
    ``str(error)`` shows the message, the text, and a caret under that character.
    """

    def __init__(self, message: str, text: str = "", position: int | None = None):
        self.reason = message
        self.text = text
        self.position = position
        super().__init__(self._render())

    def _render(self) -> str:
        if self.position is None or not self.text:
            return self.reason
        line_start = self.text.rfind("\n", 0, self.position) + 1
        line_end = self.text.find("\n", self.position)
        if line_end == -1:
            line_end = len(self.text)
        line = self.text[line_start:line_end]
        column = self.position - line_start
        # Show at most 70 characters around the problem so long inputs stay readable.
        start = max(0, column - 50)
        shown = line[start : start + 70]
        shown = "".join(ch if ch.isprintable() else "?" for ch in shown)
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + 70 < len(line) else ""
        caret = " " * (len(prefix) + _display_width(line[start:column])) + "^"
        where = (
            f"line {self.text.count(chr(10), 0, self.position) + 1}, " if "\n" in self.text else ""
        )
        return f"{self.reason} ({where}column {column + 1})\n  {prefix}{shown}{suffix}\n  {caret}"


def _display_width(text: str) -> int:
    """Terminal columns taken by ``text``: full-width (CJK) characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class EvaluationError(DerivcheckError):
    """A value that cannot be computed: a missing variable value, a non-real result, ..."""


class LimitError(DerivcheckError):
    """Input beyond derivcheck's safety bounds (size, depth, time)."""
