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
import time
from collections.abc import Iterator
from contextlib import _GeneratorContextManager, contextmanager

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
#: Deepest nesting the parser reads: each bracket, exponent (``^``, a superscript), unary
#: sign, function application, ``|…|``, root and fraction is one level.
MAX_DEPTH = 100
#: Most decimal digits in any number the parser writes or computes (Python prints at most 4300).
MAX_DIGITS = 4_000
#: Longest variable name.
MAX_NAME_LENGTH = 64
#: Default wall-clock bound for one public call (explain, check_answer, ...), in seconds.
DEFAULT_SECONDS = 10.0

#: The wall-clock backstop is this many times the CPU-time limit (plus one second)...
WALL_FACTOR = 4.0
#: ... unless the body got at least this share of a core meanwhile: it is computing on a
#: busy machine, not waiting, and the CPU limit alone decides (up to WALL_CAP × seconds).
BUSY_SHARE = 0.02
WALL_CAP = 60.0

_active = threading.local()


class _Expired(BaseException):  # noqa: N818 - internal signal, never escapes time_limit
    """Raised by the timer. A BaseException, so that no ``except Exception`` (or ``except
    ValueError``) inside SymPy can swallow it; :func:`time_limit` turns it into a
    :class:`LimitError` at the boundary."""


def _importing(frame) -> bool:
    """True while the interrupted code is importing a module: stopping an import half-way
    would leave the module broken for the rest of the process (NumPy cannot be imported
    twice), so the timer lets it finish and fires again 50 ms later."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextmanager
def time_limit(seconds: float | None, what: str = "limits.what.computation") -> Iterator[None]:
    """Raise :class:`LimitError` if the body uses more than ``seconds`` of CPU time.

    CPU time of this process (user + system, ``ITIMER_PROF``), not wall-clock time: a busy
    machine does not change which inputs run out of time, so the same input gives the same
    result on a quiet and on a loaded machine. A wall-clock backstop of
    ``WALL_FACTOR × seconds + 1`` s (``ITIMER_REAL``) also stops a body that waits without
    computing. Works in the main thread of a Unix process;
    elsewhere it is a no-op, and the size bounds alone keep the work small. Nested limits
    keep the outer deadline. ``what`` names the job: a message key (``limits.what.explain``)
    or plain text. The timer repeats every 50 ms until the body has stopped, so nothing
    that catches and ignores the first interruption can outlive the limit by more.
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

    wall_check = WALL_FACTOR * seconds + 1.0
    started = time.monotonic()
    last = [started, time.process_time()]  # wall and CPU time at the last wall check

    def on_timer(signum, frame):  # pragma: no cover - timing dependent
        if signum == signal.SIGALRM:
            now, cpu = time.monotonic(), time.process_time()
            busy = (cpu - last[1]) >= BUSY_SHARE * (now - last[0])
            if busy and now - started < WALL_CAP * seconds:  # computing, only slowly
                last[:] = [now, cpu]
                signal.setitimer(signal.ITIMER_REAL, wall_check, 0.05)
                return
        if not _importing(frame) and frame.f_code not in _EXITING:
            raise _Expired

    previous = signal.signal(signal.SIGPROF, on_timer)
    previous_wall = signal.signal(signal.SIGALRM, on_timer)
    _active.on = True
    expired = False
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.05)
    signal.setitimer(signal.ITIMER_REAL, wall_check, 0.05)
    try:
        yield
    except _Expired:
        expired = True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous)
        signal.signal(signal.SIGALRM, previous_wall)
        _active.on = False
    if expired:
        job = Message(what) if what in table() else what
        raise LimitError("limits.took_too_long", what=job, seconds=f"{seconds:g}")


#: Code that stops the timer: a tick that lands there (the timer repeats every 50 ms) must not
#: raise again, or _Expired escapes the with-statement and the timer is left running.
_EXITING = (time_limit.__wrapped__.__code__, _GeneratorContextManager.__exit__.__code__)
