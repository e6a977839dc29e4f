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


# ---- a budget for optional work inside a limit ------------------------------------


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _run_out_of(budget: float) -> float:
    """Spin inside ``spend_at_most(budget)`` until it stops the body: the CPU seconds used."""
    start = time.process_time()
    with pytest.raises(limits.BudgetSpent):
        with limits.spend_at_most(budget):
            while True:
                pass
    return time.process_time() - start


def test_a_budget_stops_its_body_after_its_cpu_seconds():
    assert 0.29 <= _run_out_of(0.3) < 1.0


def test_after_a_budget_the_outer_limit_keeps_its_own_deadline():
    start = time.process_time()
    with pytest.raises(LimitError):  # the outer limit, not the budget
        with limits.time_limit(1.2):
            assert 0.29 <= _run_out_of(0.3) < 0.8
            while True:  # the outer deadline comes 1.2 s after the start, not 1.2 s after this
                pass
    assert 1.15 <= time.process_time() - start < 2.0


def test_a_body_within_its_budget_leaves_the_outer_limit_as_it_was():
    start = time.process_time()
    with limits.time_limit(1.0):
        with limits.spend_at_most(0.5):
            _spin(0.1)
        _spin(0.5)  # 0.6 s in all: within the outer second
    with pytest.raises(LimitError):
        with limits.time_limit(0.6):
            with limits.spend_at_most(0.5):
                _spin(0.3)
            _spin(5.0)  # stopped at 0.6 s in all
    assert time.process_time() - start < 2.5


def test_a_budget_longer_than_the_time_left_leaves_the_outer_limit_to_decide():
    with pytest.raises(LimitError):
        with limits.time_limit(0.4):
            with limits.spend_at_most(5.0):
                while True:
                    pass


def test_sympys_limit_gets_a_budget_and_the_numeric_sides_decide():
    """asin(1 + (1/2)^cosh(x - 9/2) - (1/2)^cosh(27/2)) at -9: its argument is 1 there and
    above 1 for x > -9 (|x - 9/2| < 27/2 makes the power larger), so -9 is an edge of the
    domain: not differentiable. SymPy's one-sided limit ran past the 10 s limit (2026:112754)."""
    from derivcheck import explain

    start = time.process_time()
    e = explain("asin((1/2)^cosh(x - 9/2) - (1/2)^cosh(-9 - 9/2) + 1) + x(x - 1)", -9)
    assert e.differentiable is False
    assert time.process_time() - start < 6.0


def test_a_budget_does_not_fire_inside_a_finalizer():
    """A finalizer that runs while a budget expires (the garbage collector called a
    WeakSet's callback in the suite) is let finish: an exception raised there is dropped
    by Python with "Exception ignored in …" on stderr. The next tick stops the body."""
    import sys

    from derivcheck.limits import BudgetSpent, spend_at_most

    class Slow:
        def __del__(self):
            end = time.process_time() + 0.3
            while time.process_time() < end:
                pass

    dropped = []
    hook, sys.unraisablehook = sys.unraisablehook, dropped.append
    try:
        with pytest.raises(BudgetSpent), spend_at_most(0.1):
            slow = Slow()
            del slow  # __del__ runs now, past the budget
            while True:
                pass
    finally:
        sys.unraisablehook = hook
    assert dropped == []
