"""Helpers of the grading tests: the scan for English left in Chinese text, the slow marker.

Long versions of the batch fault tests are marked ``slow`` and run only with
``DERIVCHECK_SLOW_TESTS=1``; the default run keeps a short version of each.
"""

from __future__ import annotations

import os
import re

import pytest

from derivcheck.calculus.catalogue import spellings

RUN_SLOW = os.environ.get("DERIVCHECK_SLOW_TESTS") == "1"

#: Words that may appear in Chinese text: function names, formats, names of programs.
NOT_ENGLISH = spellings() | {
    "derivcheck", "check", "resume", "out", "report", "utf", "gbk", "gb18030", "csv", "json",
    "yaml", "jsonl", "id", "function", "answer", "var", "at", "student", "pi", "dx", "dy",
}  # fmt: skip
_WORD = r"[A-Za-z][A-Za-z'’]+"
_RUN = re.compile(rf"{_WORD}(?:[ \t,;:.\-]+{_WORD}){{2,}}")


def english_runs(text: str) -> list[str]:
    """Runs of three or more English words in ``text`` (function names and the like do not
    count as English).

    >>> english_runs("链式法则：漏乘了 sin(x) 的导数"), english_runs("无法 the answer is empty")
    ([], ['the answer is empty'])
    """
    found = []
    for match in _RUN.finditer(text):
        words = re.findall(_WORD, match.group())
        english = [w for w in words if w.lower().strip("'’") not in NOT_ENGLISH]
        if len(english) >= 3:
            found.append(match.group())
    return found


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: long batch fault tests, run with DERIVCHECK_SLOW_TESTS=1"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if RUN_SLOW:
        return
    skip = pytest.mark.skip(reason="long version: set DERIVCHECK_SLOW_TESTS=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
