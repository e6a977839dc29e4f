"""The time limit counts CPU time; its wall-clock backstop stops only a body that waits.

On a busy machine (load 10 on 2 cores) a body gets a fifth of a core or less, and a pure
wall-clock backstop of 4 × seconds + 1 stopped it after 1.8 s of CPU time with seconds=3
(the differential run saw it): the same input then gave a different report on a busy
machine. The backstop is made to fire early here (WALL_FACTOR = 0: after 1 s of wall
time) while the body computes flat out, which is what a busy machine looks like to it.
"""

from __future__ import annotations

import time

import pytest

from derivcheck import limits
from derivcheck.errors import LimitError


def test_a_computing_body_runs_to_its_cpu_limit_past_the_wall_backstop(monkeypatch):
    monkeypatch.setattr(limits, "WALL_FACTOR", 0.0)  # the wall check comes after 1 s
    start = time.process_time()
    with pytest.raises(LimitError):
        with limits.time_limit(1.6):
            while True:
                pass
    assert time.process_time() - start >= 1.5  # not stopped at the first wall check


def test_a_waiting_body_is_stopped_by_the_backstop(monkeypatch):
    monkeypatch.setattr(limits, "WALL_FACTOR", 0.0)
    start = time.monotonic()
    with pytest.raises(LimitError):
        with limits.time_limit(5.0):
            time.sleep(30)
    assert time.monotonic() - start < 3.0  # 1 s, give or take the machine
