"""A scan for English left in text that should be Chinese.

A run is three or more English words in a row, separated only by spaces and ASCII
punctuation (a formula such as ``f(params)`` or a name such as ``dL/dw1`` is not a run).
Quoted names (``'relu', 'tanh'``) and commands in backticks are code, not English; ``nan``
and ``inf`` are numbers.

>>> english_runs("w2：差了 2 倍（只有一半）——解析值 = 0.5 × 数值")
[]
>>> english_runs("训练 off by a factor of 2（只有一半）")
['off by a factor of']
>>> english_runs("请安装：`pip install derivcheck`"), english_runs("nan  inf  inf  不一致")
([], [])
"""

from __future__ import annotations

import re

_WORD = r"\b(?!(?:nan|inf)\b)[A-Za-z]+\b"
_RUN = re.compile(rf"{_WORD}(?:[ \t,;:\"()\-]+{_WORD}){{2,}}")


def english_runs(text: str) -> list[str]:
    """Every run of three or more English words in ``text``."""
    return _RUN.findall(re.sub(r"`[^`]*`", "", text))
