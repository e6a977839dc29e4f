"""Helpers of the grading tests: the slow marker (the scan for English left in Chinese text
is the suite's shared one, tests/english.py).

Long versions of the batch fault tests are marked ``slow`` and run only with
``DERIVCHECK_SLOW_TESTS=1``; the default run keeps a short version of each.
"""

from __future__ import annotations

import os

import pytest

RUN_SLOW = os.environ.get("DERIVCHECK_SLOW_TESTS") == "1"


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
