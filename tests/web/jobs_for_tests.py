"""Jobs for the pool's own tests: each misbehaves in one way the pool must survive."""

from __future__ import annotations

import os
import signal
import time

from derivcheck.errors import DerivcheckError
from derivcheck.web.jobs import bug_error, crash_error, error_body, limit_error, memory_error
from derivcheck.web.pool import Job

WHAT = "limits.what.computation"


def echo(request):
    return {"echo": request.get("value"), "pid": os.getpid()}


def spin(request):
    """Python that never ends: the CPU timer stops it."""
    while True:
        pass


def stuck(request):
    """Never ends, and no timer signal reaches it: only a kill stops it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF, signal.SIGALRM})
    while True:
        pass


def blocked(request):
    """Waits for ever without computing, and no timer signal reaches it (a stuck system
    call): only the pool's backstop stops it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF, signal.SIGALRM})
    time.sleep(3600)


def nap(request):
    time.sleep(float(request.get("seconds", 1)))
    return {"slept": request.get("seconds", 1)}


def work(request):
    """A fixed amount of arithmetic (about 20 ms of CPU time on a quiet machine)."""
    return {"sum": sum(k * k for k in range(int(request.get("n", 200_000)))), "pid": os.getpid()}


def refuse(request):
    raise DerivcheckError("web.no_point")


def bug(request):
    return 1 / 0


def hog(request):
    """Asks for far more memory than a worker may have."""
    return len(bytearray(64 * 1024**3))


def count(request, seconds):
    for k in range(int(request.get("n", 3))):
        yield {"k": k}
    if request.get("fail"):
        raise DerivcheckError("web.no_file")


JOBS = {
    "echo": Job(echo),
    "spin": Job(spin),
    "stuck": Job(stuck),
    "blocked": Job(blocked),
    "nap": Job(nap),
    "refuse": Job(refuse),
    "bug": Job(bug),
    "hog": Job(hog),
    "count": Job(count, lane="long", stream=True),
    "long_echo": Job(echo, lane="long"),
    "long_work": Job(work, lane="long"),
}

__all__ = ["JOBS", "WHAT", "error_body", "limit_error", "memory_error", "crash_error", "bug_error"]
