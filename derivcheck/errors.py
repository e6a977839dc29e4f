"""Errors raised by derivcheck.

Every error a user can cause is a :class:`DerivcheckError`, which is a
:class:`ValueError`, so ``except ValueError`` catches them all. Each carries a
:class:`~derivcheck.messages.Message` (a key and its parameters): ``str(error)`` is the
English sentence, ``error.to_text("zh")`` the Chinese one.

>>> from derivcheck import parse, ParseError
>>> try:
...     parse("2*(x+")
... except ParseError as error:
...     print(error.position)
...     print(error.to_text("zh").splitlines()[0])
5
输入意外结束：这里应是数字、名称或 '('（第 6 列）
"""

from __future__ import annotations

from typing import Any

from derivcheck.messages import Message, table, text

__all__ = ["DerivcheckError", "ParseError", "EvaluationError", "LimitError"]


def _as_message(message: Message | str, params: dict[str, Any]) -> Message:
    if isinstance(message, Message):
        return message
    if message in table():
        return Message(message, **params)
    raise TypeError(f"derivcheck bug: {message!r} is not a message key")


class DerivcheckError(ValueError):
    """Base class of every error derivcheck raises on bad input.

    ``DerivcheckError(key, **params)`` or ``DerivcheckError(Message(...))``.
    """

    def __init__(self, message: Message | str, /, **params: Any):
        self.message = _as_message(message, params)
        super().__init__(self.to_text("en"))

    def to_text(self, lang: str = "en") -> str:
        """The error in ``lang``."""
        return text(self.message, lang)

    def __reduce__(self):  # picklable across worker processes
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type, state: dict[str, Any]) -> DerivcheckError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    ValueError.__init__(error, error.to_text("en"))
    return error


class ParseError(DerivcheckError):
    """Text that is not a formula or program derivcheck accepts.

    ``position`` is the 0-based index of the offending character in ``text``; the message
    shows the reason, the text, and a caret under that character. ``reason`` is the reason
    alone, in English.
    """

    def __init__(
        self,
        message: Message | str,
        text: str = "",
        position: int | None = None,
        /,
        **params: Any,
    ):
        self.text = text
        self.position = position
        super().__init__(message, **params)

    @property
    def reason(self) -> str:
        return text(self.message, "en")

    def to_text(self, lang: str = "en") -> str:
        reason = text(self.message, lang)
        if self.position is None:  # the empty text too has a caret, under column 1
            return reason
        source = self.text
        line_start = source.rfind("\n", 0, self.position) + 1
        line_end = source.find("\n", self.position)
        if line_end == -1:
            line_end = len(source)
        line = source[line_start:line_end]
        column = self.position - line_start
        # Show at most 70 characters around the problem so long inputs stay readable.
        start = max(0, column - 50)
        shown = line[start : start + 70]
        shown = "".join(ch if ch.isprintable() else "?" for ch in shown)
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + 70 < len(line) else ""
        caret = " " * (len(prefix) + _display_width(line[start:column])) + "^"
        if "\n" in source:
            where = Message(
                "error.line_column",
                line=source.count("\n", 0, self.position) + 1,
                column=column + 1,
            )
        else:
            where = Message("error.column", column=column + 1)
        return f"{reason}{text(where, lang)}\n  {prefix}{shown}{suffix}\n  {caret}"


def _display_width(text: str) -> int:
    """Terminal columns taken by ``text``: full-width (CJK) characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class EvaluationError(DerivcheckError):
    """A value that cannot be computed: a missing variable value, a non-real result, ..."""


class LimitError(DerivcheckError):
    """Input beyond derivcheck's safety bounds (size, depth, time)."""
