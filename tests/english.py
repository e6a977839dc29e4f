"""A scan for English left in text that should be Chinese (shared by the message tests).

A run is three or more English words in a row, separated only by spaces and ASCII
punctuation (a formula such as ``f(params)`` or a name such as ``dL/dw1`` is not a run).
Quoted text (``'relu', 'tanh'``, what the user typed) and commands in backticks are code,
not English; ``nan`` and ``inf`` are numbers. For an error message, only its first line is
the sentence: the lines after it show the input as typed and a caret. One-letter words other
than "a" are variables (``x(x, x)`` is mathematics).

>>> english_runs("w2：差了 2 倍（只有一半）——解析值 = 0.5 × 数值")
[]
>>> english_runs("训练 off by a factor of 2（只有一半）")
['off by a factor of']
>>> english_runs("请安装：`pip install derivcheck`"), english_runs("nan  inf  inf  不一致")
([], [])
>>> english_runs("未知函数 'foo bar baz'（第 1 列）\\n  foo bar baz(x)\\n  ^", error=True)
[]
>>> english_runs("unexpected end of input（第 3 列）", error=True)
['unexpected end of input']
"""

from __future__ import annotations

import re

# Words of two letters or more (and the article "a"): one-letter names are mathematics.
_WORD = r"\b(?!(?:nan|inf)\b)(?:[A-Za-z]{2,}|a|A|I)\b"
_RUN = re.compile(rf"{_WORD}(?:[ \t,;:\"()\-]+{_WORD}){{2,}}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|`[^`]*`")


def english_runs(text: str, error: bool = False) -> list[str]:
    """Every run of three or more English words in ``text`` outside quotes and backticks;
    with ``error``, in the first line only (the rest shows the input and a caret)."""
    if error:
        text = text.split("\n", 1)[0]
    return _RUN.findall(_QUOTED.sub("", text))
