"""A helper for the message tests: English left in a Chinese error message.

An error shows the reason, then (for a parse error) the text as typed and a caret under
it; the text, and anything quoted from it, may well be English. Outside those, a run of
three or more English words means a sentence that was not translated.

>>> english_runs("未知函数 'foo bar baz'（第 1 列）\\n  foo bar baz(x)\\n  ^")
[]
>>> english_runs("unexpected end of input（第 3 列）")
['unexpected end of input']
>>> english_runs("d/dx 表示求导：由 derivcheck 求导")
[]
"""

from __future__ import annotations

import re

_RUN = re.compile(r"[A-Za-z]+( [A-Za-z]+){2,}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")


def english_runs(message: str) -> list[str]:
    """Runs of 3+ English words in ``message`` outside its quoted input and caret lines."""
    reason = message.split("\n", 1)[0]  # the lines after the first show the input and caret
    return [m.group(0) for m in _RUN.finditer(_QUOTED.sub("", reason))]
