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

import _signal
import os
import signal
import threading
import time
from typing import NamedTuple

from derivcheck.errors import LimitError
from derivcheck.messages import Message, table

__all__ = [
    "MAX_TEXT_LENGTH",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_NAME_LENGTH",
    "DEFAULT_SECONDS",
    "time_limit",
    "spend_at_most",
    "BudgetSpent",
    "Usage",
    "process_usage",
    "Backstop",
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

#: The wall-clock backstop looks every this many times the CPU-time limit (plus one second)...
WALL_FACTOR = 4.0
#: ... and stops the body unless, since it last looked, the body has been on a CPU or
#: waiting for one (runnable, on a busy machine) at least this share of the time: it is
#: computing, only slowly, and the CPU limit alone decides. Where the time spent waiting for
#: a CPU cannot be read (not Linux), CPU time alone counts, up to WALL_CAP × seconds.
BUSY_SHARE = 0.02
WALL_CAP = 60.0


class Usage(NamedTuple):
    """What a process has had of the CPUs: ``cpu`` seconds on one, ``waited`` seconds
    runnable but waiting for one (None: not known), and whether it is ``runnable`` now
    (running or waiting to run; None: not known)."""

    cpu: float
    waited: float | None
    runnable: bool | None


def process_usage(pid: int | None = None) -> Usage | None:
    """The :class:`Usage` of process ``pid`` (None: this one), from Linux's /proc; None
    where another process's CPU time cannot be read.

    >>> own = process_usage()
    >>> own.cpu > 0
    True
    """
    name = "self" if pid is None else str(pid)
    waited = None
    try:  # on a CPU, waiting for one (ns); os.read, not open(): this is read per answer
        found = _own_schedstat() if pid is None else _read_proc(f"/proc/{name}/schedstat")
        waited = int(found.split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    if pid is None:  # this process is running: it reads this
        return Usage(time.process_time(), waited, True)
    try:
        fields = _read_proc(f"/proc/{name}/stat").rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return Usage((int(fields[11]) + int(fields[12])) / ticks, waited, fields[0] == b"R")


_schedstat: tuple[int, int] | None = None  # (pid, descriptor) of this process's schedstat


def _own_schedstat() -> bytes:
    """This process's /proc schedstat, through a descriptor kept open (one pread per graded
    answer, not an open, a read and a close); opened again after a fork, since /proc/self
    named the parent when it was opened."""
    global _schedstat
    pid = os.getpid()
    if _schedstat is None or _schedstat[0] != pid:
        _schedstat = (pid, os.open("/proc/self/schedstat", os.O_RDONLY | os.O_CLOEXEC))
    return os.pread(_schedstat[1], 4096, 0)


def _read_proc(path: str) -> bytes:
    """The contents of a small /proc file (one read; a quarter of what ``open()`` costs)."""
    handle = os.open(path, os.O_RDONLY)
    try:
        return os.read(handle, 4096)
    finally:
        os.close(handle)


class Backstop:
    """The wall-clock backstop of a CPU-time limit of ``seconds``: it tells a body that
    waits for something that will not come (blocked in a system call, stopped, asleep)
    from one that computes slowly because the machine is busy, which must not be stopped
    (the same input gives the same result on a quiet and on a busy machine).

    :meth:`stopped` is asked every :attr:`window` seconds (``WALL_FACTOR × seconds + 1``,
    plus ``grace``) of wall time, about process ``pid`` (None: this one). The body is
    stopped when, since the last time, it has been on a CPU or waiting for one less than
    ``BUSY_SHARE`` of the time and is not runnable now; where the wait cannot be read, CPU
    time alone counts, up to ``WALL_CAP × seconds`` of wall time; where nothing can be
    read, the first window ends it.

    >>> backstop = Backstop(0.5)
    >>> backstop.window, backstop.stopped()  # asked at once: this process is computing
    (3.0, False)
    """

    def __init__(self, seconds: float, pid: int | None = None, grace: float = 0.0):
        self.window = WALL_FACTOR * seconds + 1.0 + grace
        self.cap = WALL_CAP * seconds
        self.pid = pid
        self.started = time.monotonic()
        self.last = (self.started, process_usage(pid))
        self.ended = False

    def stopped(self) -> bool:
        """True when the body should be stopped now (see the class); once True, always
        (asked again 50 ms later, it must not forgive a body that ignored the first stop)."""
        self.ended = self.ended or self._waiting()
        return self.ended

    def _waiting(self) -> bool:
        now, usage = time.monotonic(), process_usage(self.pid)
        then, before = self.last
        if usage is None or before is None:
            return True  # nothing to tell computing from waiting: the wall clock decides
        if now - then < _SHORTEST_LOOK:  # CPU time and run-queue waits are counted on
            return False  # different clocks: over microseconds their share says nothing
        self.last = (now, usage)
        if self.pid is not None and usage.runnable:  # running, or waiting for a CPU
            return False
        worked = usage.cpu - before.cpu
        if usage.waited is not None and before.waited is not None:
            worked += usage.waited - before.waited
        elif now - self.started >= self.cap:
            return True
        return worked < BUSY_SHARE * (now - then)


#: Shortest wall time (s) over which Backstop judges a body's share of a CPU; its windows
#: are at least 1 s, but asked at once on a busy machine the share came out below BUSY_SHARE.
_SHORTEST_LOOK = 0.1

_active = threading.local()


class _Expired(BaseException):  # noqa: N818 - internal signal, never escapes time_limit
    """Raised by the timer. A BaseException, so that no ``except Exception`` (or ``except
    ValueError``) inside SymPy can swallow it; :func:`time_limit` turns it into a
    :class:`LimitError` at the boundary."""


def _must_finish(frame) -> bool:
    """True while the interrupted code is importing a module, or runs in a finalizer (a
    ``__del__``, a weak reference's callback): stopping an import half-way would leave the
    module broken for the rest of the process (NumPy cannot be imported twice), and an
    exception raised in a finalizer is dropped by Python, which prints "Exception ignored
    in …" to stderr (the garbage collector ran a WeakSet's callback under a budget in the
    suite). The timer lets them finish and fires again 50 ms later."""
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib") or code.co_name == "__del__":
            return True
        if os.path.basename(code.co_filename) in _WEAKREF_FILES:
            return True
        frame = frame.f_back
    return False


_WEAKREF_FILES = frozenset({"_weakrefset.py", "weakref.py"})


def time_limit(seconds: float | None, what: str = "limits.what.computation") -> _TimeLimit:
    """Raise :class:`LimitError` if the body uses more than ``seconds`` of CPU time.

    CPU time of this process (user + system, ``ITIMER_PROF``), not wall-clock time: a busy
    machine does not change which inputs run out of time, so the same input gives the same
    result on a quiet and on a loaded machine. A wall-clock backstop (:class:`Backstop`,
    every ``WALL_FACTOR × seconds + 1`` s, ``ITIMER_REAL``) also stops a body that waits
    without computing, but not one that waits for a CPU. Works in the main thread of a Unix
    process;
    elsewhere it is a no-op, and the size bounds alone keep the work small. Nested limits
    keep the outer deadline. ``what`` names the job: a message key (``limits.what.explain``)
    or plain text. The timer repeats every 50 ms until the body has stopped, so nothing
    that catches and ignores the first interruption can outlive the limit by more.
    """
    return _TimeLimit(seconds, what)


class _TimeLimit:
    """The context manager :func:`time_limit` returns (a class, not a generator: it is
    entered once per graded answer, and a generator's machinery cost more than the timer)."""

    __slots__ = ("seconds", "what", "backstop", "previous", "armed")

    def __init__(self, seconds: float | None, what: str):
        self.seconds = seconds
        self.what = what
        self.armed = False

    def __enter__(self) -> None:
        seconds = self.seconds
        if (
            seconds is None
            or seconds <= 0
            or not _HAS_TIMERS
            or getattr(_active, "on", False)
            or threading.current_thread() is not threading.main_thread()
        ):
            return
        self.backstop = backstop = Backstop(seconds)

        def on_timer(signum, frame):  # pragma: no cover - timing dependent
            if signum == signal.SIGALRM and not backstop.stopped():  # computing, only slowly
                signal.setitimer(signal.ITIMER_REAL, backstop.window, 0.05)
                return
            if not _must_finish(frame) and frame.f_code not in _EXITING:
                raise _Expired

        # _signal.signal: signal.signal's enum conversions cost more than the call
        self.previous = (
            _signal.signal(signal.SIGPROF, on_timer),
            _signal.signal(signal.SIGALRM, on_timer),
        )
        _active.on = True
        self.armed = True
        signal.setitimer(signal.ITIMER_PROF, seconds, 0.05)
        signal.setitimer(signal.ITIMER_REAL, backstop.window, 0.05)

    def __exit__(self, kind, error, trace) -> bool:
        if not self.armed:
            return False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        _signal.signal(signal.SIGPROF, self.previous[0])
        _signal.signal(signal.SIGALRM, self.previous[1])
        _active.on = False
        self.armed = False
        if kind is not None and issubclass(kind, _Expired):
            what = self.what
            job = Message(what) if what in table() else what
            raise LimitError(
                "limits.took_too_long", what=job, seconds=f"{self.seconds:g}"
            ) from None
        return False


class BudgetSpent(Exception):  # noqa: N818 - the name says what happened
    """The body of :func:`spend_at_most` used up its CPU seconds: the caller goes on
    without what the body would have given (an internal signal, never shown to users)."""


class _Spent(BaseException):  # noqa: N818 - internal signal, never escapes spend_at_most
    """Raised by the budget's timer (a BaseException, like :class:`_Expired`)."""


def spend_at_most(seconds: float) -> _Budget:
    """Raise :class:`BudgetSpent` if the body uses more than ``seconds`` of CPU time: a
    budget for one optional piece of work (SymPy's ``limit`` can run for minutes on a
    one-sided limit that the numeric engine gives in milliseconds), inside a
    :func:`time_limit` or not. Inside one, the outer limit's remaining time is put back
    when the body ends (less what the body used), and when less than ``seconds`` remains
    the outer limit alone decides. Nested budgets keep the outer one.

    >>> import time
    >>> try:
    ...     with spend_at_most(0.2):
    ...         while True:
    ...             pass
    ... except BudgetSpent:
    ...     print("spent")
    spent
    """
    return _Budget(seconds)


class _Budget:
    __slots__ = ("seconds", "armed", "previous", "remaining", "started")

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = False

    def __enter__(self) -> None:
        if (
            not _HAS_TIMERS
            or getattr(_active, "budget", False)
            or threading.current_thread() is not threading.main_thread()
        ):
            return
        outer = getattr(_active, "on", False)
        remaining = signal.getitimer(signal.ITIMER_PROF)[0] if outer else None
        if remaining is not None and remaining <= self.seconds:
            return  # the outer limit comes first

        def on_timer(signum, frame):  # pragma: no cover - timing dependent
            if not _must_finish(frame) and frame.f_code not in _EXITING:
                raise _Spent

        self.previous = _signal.signal(signal.SIGPROF, on_timer)
        self.remaining = remaining
        self.started = time.process_time()
        _active.budget = True
        self.armed = True
        signal.setitimer(signal.ITIMER_PROF, self.seconds, 0.05)

    def __exit__(self, kind, error, trace) -> bool:
        if not self.armed:
            return False
        signal.setitimer(signal.ITIMER_PROF, 0)
        _signal.signal(signal.SIGPROF, self.previous)
        _active.budget = False
        self.armed = False
        if self.remaining is not None:  # the outer limit goes on with what is left of it
            left = max(self.remaining - (time.process_time() - self.started), 0.001)
            signal.setitimer(signal.ITIMER_PROF, left, 0.05)
        if kind is not None and issubclass(kind, _Spent):
            raise BudgetSpent(f"more than {self.seconds:g} s of CPU") from None
        return False


_HAS_TIMERS = hasattr(signal, "setitimer")

#: Code that starts or stops the timer: a tick that lands there (the timer repeats every 50 ms)
#: must not raise, or _Expired escapes the with-statement and the timer is left running.
_EXITING = (
    _TimeLimit.__enter__.__code__,
    _TimeLimit.__exit__.__code__,
    _Budget.__enter__.__code__,
    _Budget.__exit__.__code__,
)
