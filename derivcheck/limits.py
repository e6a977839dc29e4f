"""Safety bounds: every public call ends in bounded time on any input.

Size bounds (text length, nesting depth, digits in a number) are checked by
the parser; :func:`time_limit` is the last line of defence for the symbolic
work that follows.

>>> from derivcheck.limits import time_limit
>>> with time_limit(1.0, "a quick job"):
...     total = sum(range(10))
>>> total
45
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from derivcheck.errors import LimitError
from derivcheck.messages import Message, table

__all__ = [
    "MAX_TEXT_LENGTH",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_NAME_LENGTH",
    "DEFAULT_SECONDS",
    "time_limit",
]

#: Longest formula or program accepted, in characters.
MAX_TEXT_LENGTH = 20_000
#: Deepest nesting of brackets, powers and function calls.
MAX_DEPTH = 100
#: Most decimal digits in any number the parser writes or computes (Python prints at most 4300).
MAX_DIGITS = 4_000
#: Longest variable name.
MAX_NAME_LENGTH = 64
#: Default wall-clock bound for one public call (explain, check_answer, ...), in seconds.
DEFAULT_SECONDS = 10.0

_active = threading.local()


@contextmanager
def time_limit(seconds: float | None, what: str = "limits.what.computation") -> Iterator[None]:
    """Raise :class:`LimitError` if the body runs longer than ``seconds``.

    Works in the main thread of a Unix process (SIGALRM); elsewhere it is a
    no-op, and the size bounds alone keep the work small. Nested limits keep
    the outer, earlier deadline. ``what`` names the job: a message key
    (``limits.what.explain``) or plain text.
    """
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and not getattr(_active, "on", False)
    )
    if not usable:
        yield
        return

    def on_alarm(signum, frame):  # pragma: no cover - timing dependent
        job = Message(what) if what in table() else what
        raise LimitError("limits.took_too_long", what=job, seconds=f"{seconds:g}")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    _active.on = True
    # The alarm repeats every 50 ms: a LimitError that some `except ValueError` swallowed
    # (it is a ValueError) is raised again until the body really stops.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _active.on = False
