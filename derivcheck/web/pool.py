"""The worker processes behind ``derivcheck serve``: hard limits per request, bounded queues.

No request runs in the server's own process. Each runs in a worker process (started by a
``forkserver`` that has imported derivcheck once, so a new worker is a fork, ready in a
fraction of a second), in one of two lanes:

- the **quick** lane (``workers`` processes; ``derivcheck serve`` starts
  :data:`WORKERS_PER_CORE` per core) takes every request first, with a small CPU budget
  (``budget``, 0.25 s by default: an explanation at a point takes 20–100 ms, a check
  5–20 ms). A request that uses it up (a hostile one; or a Hessian, a third derivative:
  0.25–0.55 s) is not refused: it moves to
- the **long** lane (``long_workers`` processes at the lowest CPU priority, ``nice``),
  which gives it the whole limit (``seconds`` of CPU time, the clock
  :func:`derivcheck.limits.time_limit` uses, so a busy machine does not change which
  inputs run out of time).

So a hostile input holds a quick worker for a quarter of a second of CPU at most and then
competes for the CPU only with other long requests, at a lower priority than everybody
else's quick ones. There are more quick workers than cores so that a request that runs
long takes its share of a core, not a queue's turn: the requests behind it go on in the
other processes meanwhile (the kernel shares the cores among them). A request that
reaches the limit in the long lane gets the limit's error, and its worker is killed and
replaced (whatever it built up is thrown away with it).

A worker stops its own job at the limit (a signal). Where no signal reaches it (a long
call into C), the pool kills it, by the same clock: when the worker's CPU time (Linux
``/proc``) passes the limit by :data:`CPU_GRACE`, or when it has stopped computing
without answering, told by the same :class:`~derivcheck.limits.Backstop` as the worker's
own (every ``WALL_FACTOR`` × limit + 1 s + :data:`GRACE` of wall time, it must have been on
a CPU or waiting for one): a worker starved of CPU by a busy machine is left to finish, so
that the same input gets the same answer on a quiet and on a busy machine. Where the CPU
time cannot be read, the wall clock decides. Killed, it is replaced the same way; the
request gets the same error (or moves on to the long lane). Each lane's queue is bounded:
when it is full, :class:`Busy` says when to try again (HTTP 429 with ``Retry-After``).
(:class:`PoolSettings` can set both margins otherwise: ``cpu_grace``, ``backstop``.)

The jobs are functions of a module (:mod:`derivcheck.web.jobs` by default) with a ``JOBS``
table; a job returns JSON-ready data, or is a generator whose items are streamed.

>>> settings = PoolSettings(workers=2, long_workers=1)
>>> settings.deadline(settings.budget), settings.deadline(settings.seconds)
(3.0, 22.0)
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from derivcheck.limits import WALL_FACTOR, Backstop, process_usage

__all__ = [
    "PoolSettings", "WorkerPool", "Busy", "JobFailed", "Job", "worker_main", "PROGRESS",
    "WORKERS_PER_CORE",
]  # fmt: skip

#: Requests whose times a lane keeps for its statistics (``/api/health``).
TIMES_KEPT = 4096
#: Quick workers per core that ``derivcheck serve`` starts by default (see the module).
WORKERS_PER_CORE = 2
#: Seconds, beyond a job's own wall-clock backstop, before the pool's looks.
GRACE = 1.0
#: CPU seconds, beyond a job's limit, before its worker is killed (its own timer has had
#: five chances to stop it by then: it is stuck where no signal reaches it).
CPU_GRACE = 0.25
#: What a streaming job yields to say it is still making progress (nothing is streamed):
#: the pool gives the job's limits afresh from there, as it does at each item.
PROGRESS = "derivcheck.web.pool.PROGRESS"
#: Seconds a new worker may take to import and warm up before it counts as broken.
START_SECONDS = 120.0


@dataclass(frozen=True)
class PoolSettings:
    """How many workers, and the limits of one request."""

    #: worker processes of the quick lane
    workers: int = 2
    #: worker processes of the long lane
    long_workers: int = 1
    #: CPU seconds a request may use in the quick lane before it moves to the long lane
    budget: float = 0.25
    #: CPU seconds a request may use in all (the hard limit)
    seconds: float = 5.0
    #: requests waiting for a quick worker before new ones are refused (429)
    queue: int = 64
    #: requests waiting for a long worker
    long_queue: int = 8
    #: niceness of the long lane's processes (0: the same priority; 19: what is left over)
    nice: int = 19
    #: bytes of address space a worker may use (``RLIMIT_AS``); None: no limit
    memory: int | None = 4 * 1024**3
    #: wall-clock seconds between the pool's looks at a worker that may have stopped
    #: computing (see :meth:`deadline`); None: the job's own backstop plus :data:`GRACE`
    backstop: float | None = None
    #: CPU seconds, beyond a job's limit, before the pool kills its worker (no signal stops it)
    cpu_grace: float = CPU_GRACE

    def deadline(self, seconds: float) -> float:
        """Wall-clock seconds after which the pool first asks whether a worker running a
        job limited to ``seconds`` of CPU time has stopped computing (and then again as
        often): ``backstop`` if set, else the backstop of
        :func:`~derivcheck.limits.time_limit`, plus :data:`GRACE`. Where the worker's CPU
        time cannot be read, the worker is killed then.

        >>> PoolSettings(backstop=0.25).deadline(5.0)
        0.25
        """
        if self.backstop is not None:
            return self.backstop
        return WALL_FACTOR * seconds + 1.0 + GRACE


@dataclass(frozen=True)
class Job:
    """A job workers can run: ``function(payload)`` returns JSON-ready data (or, with
    ``stream``, yields items), in ``lane`` ("quick" or "long")."""

    function: Callable[[Any], Any]
    lane: str = "quick"
    stream: bool = False


class Busy(Exception):
    """Every worker of a lane is busy and its queue is full: try again in ``retry_after`` s."""

    def __init__(self, lane: str, retry_after: int):
        super().__init__(f"the {lane} lane is full")
        self.lane = lane
        self.retry_after = retry_after


class JobFailed(Exception):
    """A job ended in an error: ``body`` is the JSON error (see :func:`jobs.error_body`),
    ``status`` the HTTP status it deserves (400: the input; 500: a bug of ours)."""

    def __init__(self, body: dict[str, Any], status: int = 400):
        super().__init__(body.get("message", ""))
        self.body = body
        self.status = status


# --------------------------------------------------------------------------------------
# The worker process
# --------------------------------------------------------------------------------------


def worker_main(connection: Any, jobs_module: str, nice: int, memory: int | None) -> None:
    """A worker's life: import the jobs, warm up, then run jobs until the pipe closes.

    Replies: ``("ready", pid)`` once; then per job ``("ok", data)``, ``("error", body)``,
    ``("expired", None)`` (the job used up its CPU limit), ``("item", data)`` (or
    ``("alive", None)`` for :data:`PROGRESS`) … ``("end", None)`` for a stream, ``("fatal",
    body)`` (out of memory: the worker exits after it) or ``("bug", text)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which stops us
    if nice:
        os.nice(nice)
    if memory:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    jobs = import_module(jobs_module)
    getattr(jobs, "warm_up", lambda: None)()
    connection.send(("ready", os.getpid()))
    while True:
        try:
            name, payload, seconds = connection.recv()
        except (EOFError, OSError):
            return
        try:
            _run_job(connection, jobs, name, payload, seconds)
        except MemoryError:
            connection.send(("fatal", jobs.memory_error(payload)))
            return


def _run_job(connection: Any, jobs: Any, name: str, payload: Any, seconds: float) -> None:
    from derivcheck.errors import DerivcheckError, LimitError
    from derivcheck.limits import time_limit

    job: Job = jobs.JOBS[name]
    try:
        if job.stream:
            for item in job.function(payload, seconds):
                connection.send(("alive", None) if item is PROGRESS else ("item", item))
            connection.send(("end", None))
            return
        try:
            with time_limit(seconds, jobs.WHAT):
                result = job.function(payload)
        except LimitError as error:
            if error.message.key != "limits.took_too_long":
                raise
            connection.send(("expired", None))
            return
        connection.send(("ok", result))
    except DerivcheckError as error:
        connection.send(("error", jobs.error_body(error, payload)))
    except MemoryError:
        raise
    except Exception as error:  # a bug of ours: said plainly, the worker lives on
        connection.send(("bug", f"{type(error).__name__}: {error}"))


# --------------------------------------------------------------------------------------
# The server's side
# --------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Request:
    job: str
    payload: Any
    stream: bool
    future: asyncio.Future
    items: asyncio.Queue | None = None
    moved: bool = False
    abandoned: bool = False
    #: when it joined its lane's queue (time.monotonic())
    submitted: float = 0.0

    def finish(self, value: Any = None, error: BaseException | None = None) -> None:
        if self.abandoned:  # the client has gone: nobody to tell
            return
        if self.stream:
            self.items.put_nowait(("error", error) if error is not None else ("end", None))
        elif not self.future.done():
            if error is not None:
                self.future.set_exception(error)
            else:
                self.future.set_result(value)


class _Watch:
    """The pool's eye on a worker running a job limited to ``seconds`` of CPU time: is it
    over its CPU time (by ``cpu_grace``), or has it stopped computing (the
    :class:`~derivcheck.limits.Backstop`, every ``window`` seconds: the settings'
    :meth:`PoolSettings.deadline`)?"""

    def __init__(self, pid: int, seconds: float, window: float, cpu_grace: float = CPU_GRACE):
        self.pid = pid
        self.cpu = seconds + cpu_grace
        self.backstop = Backstop(seconds, pid, grace=GRACE)
        self.window = window
        self.first = self.backstop.last[1]  # None: its CPU time cannot be read
        self.look_back = self.backstop.started + window

    def wait(self) -> float | None:
        """Seconds to wait for a reply before looking again; None: kill the worker now."""
        now = time.monotonic()
        cpu_left = math.inf
        if self.first is not None and now - self.backstop.started < self.cpu:
            # one process uses at most one CPU second a second: it cannot be over yet
            cpu_left = self.cpu - (now - self.backstop.started)
        elif self.first is not None:
            usage = process_usage(self.pid)
            if usage is not None:
                cpu_left = self.cpu - (usage.cpu - self.first.cpu)
                if cpu_left <= 0:
                    return None
        if now >= self.look_back:
            if self.backstop.stopped():
                return None
            self.look_back = now + self.window
        return max(0.05, min(cpu_left, self.look_back - now))


class _Worker:
    """One worker slot: its process, the pipe to it, and its count of jobs."""

    def __init__(self, lane: _Lane, number: int):
        self.lane = lane
        self.number = number
        self.process: Any = None
        self.connection: Any = None
        self.busy = False
        self.replaced = 0

    def start(self) -> None:
        """Start the process (blocking: run it in a thread)."""
        pool = self.lane.pool
        mine, theirs = pool.context.Pipe(duplex=True)
        self.process = pool.context.Process(
            target=worker_main,
            args=(theirs, pool.jobs_module, self.lane.nice, pool.settings.memory),
            name=f"derivcheck-{self.lane.name}-{self.number}",
            daemon=True,
        )
        self.process.start()
        theirs.close()
        self.connection = mine

    def stop(self) -> None:
        """Kill the process and wait for it (blocking). Closing a pipe that is already
        closed is no error: the pool's close can meet a worker its serving task is
        replacing (an EBADF failed a test run once)."""
        if self.process is not None and self.process.is_alive():
            self.process.kill()
        if self.process is not None:
            self.process.join(10)
        if self.connection is not None:
            with contextlib.suppress(OSError):
                self.connection.close()
        self.process = self.connection = None

    async def receive(self, seconds: float) -> tuple[str, Any] | None:
        """The next reply, or None when there is none within ``seconds``; EOFError when the
        process has died."""
        connection = self.connection
        if not connection.poll(0):
            loop = asyncio.get_running_loop()
            readable = loop.create_future()
            fd = connection.fileno()
            loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
            try:
                await asyncio.wait_for(readable, seconds)
            except asyncio.TimeoutError:
                return None
            finally:
                loop.remove_reader(fd)
        return connection.recv()

    async def ready(self) -> None:
        reply = await self.receive(START_SECONDS)
        if reply is None or reply[0] != "ready":
            raise RuntimeError(f"worker {self.process.name} did not start: {reply!r}")

    async def restart(self) -> None:
        await asyncio.to_thread(self.stop)
        await asyncio.to_thread(self.start)
        self.replaced += 1
        await self.ready()


class _Lane:
    def __init__(self, pool: WorkerPool, name: str, size: int, queue: int, nice: int,
                 seconds: float, then: _Lane | None):  # fmt: skip
        self.pool = pool
        self.name = name
        self.nice = nice
        self.seconds = seconds
        self.then = then
        self.queue: asyncio.Queue[_Request] = asyncio.Queue(queue)
        self.workers = [_Worker(self, n) for n in range(size)]
        self.counts = {"served": 0, "moved_on": 0, "limit": 0, "killed": 0, "refused": 0}
        #: seconds the last requests waited in the queue, ran in a worker, and its CPU time
        self.times: dict[str, deque[float]] = {
            what: deque(maxlen=TIMES_KEPT) for what in ("waited", "ran", "cpu")
        }

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.seconds))

    def submit(self, request: _Request) -> None:
        request.submitted = time.monotonic()
        try:
            self.queue.put_nowait(request)
        except asyncio.QueueFull:
            self.counts["refused"] += 1
            raise Busy(self.name, self.retry_after) from None

    def stats(self) -> dict[str, Any]:
        return {
            "workers": len(self.workers),
            "alive": sum(1 for w in self.workers if w.process is not None and w.process.is_alive()),
            "busy": sum(1 for w in self.workers if w.busy),
            "queued": self.queue.qsize(),
            "queue_limit": self.queue.maxsize,
            "cpu_seconds": self.seconds,
            **self.counts,
            **{f"{what}_ms": _percentiles(times) for what, times in self.times.items()},
        }


def _percentiles(times: deque[float]) -> dict[str, float | None]:
    """p50 and p99 of ``times`` in milliseconds (None without any).

    >>> _percentiles(deque([0.001 * k for k in range(1, 101)]))
    {'p50': 50.0, 'p99': 99.0}
    """
    ordered = sorted(times)
    at = lambda q: round(1000 * ordered[math.ceil(q * len(ordered)) - 1], 1)  # noqa: E731
    return {"p50": at(0.5), "p99": at(0.99)} if ordered else {"p50": None, "p99": None}


class WorkerPool:
    """Worker processes in two lanes; :meth:`call` and :meth:`stream` run a job in them.

    Use ``await pool.start()`` … ``await pool.close()`` (or ``async with pool``) inside the
    event loop that will call it. ``limit_error(seconds, payload)`` makes the error a
    request gets when its worker is killed at the deadline: the same as the one a worker
    raises itself when the job uses up its CPU time.
    """

    def __init__(
        self,
        settings: PoolSettings = PoolSettings(),
        jobs_module: str = "derivcheck.web.jobs",
        preload: tuple[str, ...] = (),
    ):
        self.settings = settings
        self.jobs_module = jobs_module
        self.jobs: dict[str, Job] = {}
        self.preload = preload
        self.context: Any = None
        self.lanes: dict[str, _Lane] = {}
        self._tasks: list[asyncio.Task] = []
        self._closing = False

    async def __aenter__(self) -> WorkerPool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        module = import_module(self.jobs_module)
        self.jobs = dict(module.JOBS)
        self._module = module
        self.context = _context((self.jobs_module, *self.preload))
        s = self.settings
        long = _Lane(self, "long", s.long_workers, s.long_queue, s.nice, s.seconds, None)
        quick = _Lane(self, "quick", s.workers, s.queue, 0, s.budget, long)
        self.lanes = {"quick": quick, "long": long}
        workers = [w for lane in self.lanes.values() for w in lane.workers]
        await asyncio.gather(*(asyncio.to_thread(w.start) for w in workers))
        await asyncio.gather(*(w.ready() for w in workers))
        self._tasks = [asyncio.create_task(self._serve(w)) for w in workers]

    async def close(self) -> None:
        self._closing = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        workers = [w for lane in self.lanes.values() for w in lane.workers]
        await asyncio.gather(*(asyncio.to_thread(w.stop) for w in workers))

    def stats(self) -> dict[str, Any]:
        return {name: lane.stats() for name, lane in self.lanes.items()}

    # ---- submitting ----
    def _lane_of(self, job: str) -> _Lane:
        return self.lanes[self.jobs[job].lane]

    async def call(self, job: str, payload: Any) -> Any:
        """Run ``job`` on ``payload`` in a worker; its data, or :class:`JobFailed` /
        :class:`Busy`."""
        request = _Request(job, payload, False, asyncio.get_running_loop().create_future())
        self._lane_of(job).submit(request)
        try:
            return await asyncio.shield(request.future)
        finally:
            request.abandoned = request.future.done() is False

    async def stream(self, job: str, payload: Any) -> AsyncIterator[Any]:
        """Run a streaming ``job``: its items as they come. :class:`Busy` is raised before
        the first item; a failure part-way raises :class:`JobFailed` where it happens."""
        loop = asyncio.get_running_loop()
        request = _Request(job, payload, True, loop.create_future(), asyncio.Queue())
        self._lane_of(job).submit(request)
        try:
            while True:
                kind, value = await request.items.get()
                if kind == "end":
                    return
                if kind == "error":
                    raise value
                yield value
        finally:
            request.abandoned = True

    # ---- serving ----
    async def _serve(self, worker: _Worker) -> None:
        lane = worker.lane
        while not self._closing:
            request = await lane.queue.get()
            if request.abandoned:
                continue
            worker.busy = True
            try:
                await self._run(worker, request)
            except asyncio.CancelledError:
                raise
            except (EOFError, OSError):  # the process died under the job
                lane.counts["killed"] += 1
                request.finish(error=JobFailed(self._module.crash_error(request.payload), 500))
                await self._restart(worker)
            except Exception as error:  # pragma: no cover - a bug of the pool itself
                body = self._module.bug_error(f"{type(error).__name__}: {error}", request.payload)
                request.finish(error=JobFailed(body, 500))
                await self._restart(worker)
            finally:
                worker.busy = False

    async def _restart(self, worker: _Worker) -> None:
        """Replace the worker; if a new one will not start, try again, more slowly."""
        for attempt in range(5):
            try:
                await worker.restart()
                return
            except (OSError, EOFError, RuntimeError):
                await asyncio.sleep(2**attempt)

    async def _run(self, worker: _Worker, request: _Request) -> None:
        lane = worker.lane
        worker.connection.send((request.job, request.payload, lane.seconds))
        window, cpu_grace = self.settings.deadline(lane.seconds), self.settings.cpu_grace
        watch = _Watch(worker.process.pid, lane.seconds, window, cpu_grace)
        started, first = watch.backstop.started, watch.first
        lane.times["waited"].append(started - request.submitted)
        while True:
            wait = watch.wait()
            if wait is None:  # stuck where no signal reaches it
                kind, value = "stuck", None
                break
            reply = await worker.receive(wait)
            if reply is None:
                continue
            kind, value = reply
            if kind not in ("item", "alive"):
                break
            watch = _Watch(worker.process.pid, lane.seconds, window, cpu_grace)  # afresh
            if kind == "alive":
                continue
            if request.abandoned:  # nobody reads the stream any more
                lane.counts["killed"] += 1
                await self._restart(worker)
                return
            request.items.put_nowait(("item", value))
        lane.times["ran"].append(time.monotonic() - started)
        used = process_usage(worker.process.pid)
        if used is not None and first is not None:
            lane.times["cpu"].append(used.cpu - first.cpu)
        if kind in ("expired", "stuck"):
            if lane.then is not None and not request.moved:
                request.moved = True
                lane.counts["moved_on"] += 1
                try:
                    lane.then.submit(request)
                except Busy as busy:
                    request.finish(error=busy)
            else:
                lane.counts["limit"] += 1
                body = self._module.limit_error(self.settings.seconds, request.payload)
                request.finish(error=JobFailed(body, 400))
            if kind == "stuck" or lane.then is None:  # what it built up goes with it
                lane.counts["killed"] += 1
                await self._restart(worker)
            return
        lane.counts["served"] += 1
        if kind == "ok":
            request.finish(value)
        elif kind == "end":
            request.finish()
        elif kind in ("error", "fatal"):
            request.finish(error=JobFailed(value, 400))
            if kind == "fatal":  # out of memory: the worker has exited
                lane.counts["killed"] += 1
                await self._restart(worker)
        else:  # "bug"
            request.finish(error=JobFailed(self._module.bug_error(value, request.payload), 500))


_CONTEXT_LOCK = threading.Lock()


def _context(preload: tuple[str, ...]) -> Any:
    """The forkserver context, told to import ``preload`` before its first fork.

    The fork server is one per process: the modules of the first pool are the ones it
    imports; a later pool's workers import theirs after the fork.
    """
    with _CONTEXT_LOCK:
        # One thread per worker process for NumPy's BLAS: the pool is the parallelism.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
