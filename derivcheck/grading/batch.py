"""Grade a whole file of answers: :func:`check_answers`, :func:`grade_rows`, in parallel or not.

Every exercise (function, variable, point) is prepared when its first answer comes, its
candidate mistakes when its first wrong answer does (an
:class:`~derivcheck.grading.exercise.ExerciseCache`); identical answers to the same
exercise are graded once. ``jobs`` > 1 grades in worker processes (``fork`` where the
system has it, else ``spawn``; both work), each exercise's rows all in one of them, so
each exercise is prepared once; ``executor`` on any
:class:`concurrent.futures.Executor` (a Dask cluster's too), whose workers share what
they prepare through the cache's folder. Results always come back in the file's order,
so the same file gives the same report however it is graded.

>>> report = check_answers([
...     {"id": "1", "function": "(2x+1)^3", "answer": "6(2x+1)^2", "student": "张三"},
...     {"id": "2", "function": "(2x+1)^3", "answer": "3(2x+1)^2", "student": "Bob"},
...     {"id": "3", "function": "(2x+1)^3", "answer": "54", "at": "1"},
... ])
>>> [(r.id, r.verdict, r.diagnosis) for r in report.results]
[('1', 'correct', None), ('2', 'incorrect', 'missing-inner-derivative'), ('3', 'correct', None)]
>>> report.summary["correct"], report.summary["answers"]
(2, 3)
"""

from __future__ import annotations

import gc
import heapq
import math
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from typing import IO, Any

from derivcheck.errors import DerivcheckError
from derivcheck.grading.exercise import ExerciseCache
from derivcheck.grading.files import ExerciseFile, ExerciseFileError, ExerciseRow, _make_row, load
from derivcheck.grading.grade import DEFAULT_TIME_LIMIT, AnswerResult, check_answer
from derivcheck.grading.journal import Journal
from derivcheck.grading.report import (
    CSV_COLUMNS,
    REPORT_FORMATS,
    BatchReport,
    csv_cells,
    format_for_path,
    summary_text,
)
from derivcheck.messages import Message, check_language, text

__all__ = [
    "check_answers",
    "grade_rows",
    "run_batch",
    "BatchReport",
    "Journal",
    "Progress",
    "REPORT_FORMATS",
    "CSV_COLUMNS",
    "csv_cells",
    "format_for_path",
    "summary_text",
    "require_answers",
    "default_jobs",
]

_PARALLEL_FROM = 400  # rows: fewer are graded in one process (starting workers costs more)
_SEEN_LIMIT = 100_000  # identical answers remembered per grader


def default_jobs(rows: int) -> int:
    """Worker processes for ``rows`` answers: one for a small class, else one per core (≤ 8)."""
    if rows < _PARALLEL_FROM:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


class _RowGrader:
    """Grades rows one by one, remembering identical answers to the same exercise."""

    def __init__(
        self, lang: str, time_limit_seconds: float | None, cache: ExerciseCache | None = None
    ):
        self.lang = lang
        self.time_limit_seconds = time_limit_seconds
        self.cache = cache
        self.seen: dict[tuple[object, ...], AnswerResult] = {}

    def __call__(self, row: ExerciseRow) -> AnswerResult:
        if row.problem is not None:
            return _row_error(row, Message("batch.bad_row", problem=row.problem), self.lang)
        fields = {"id": row.id, "student": row.student, "line": row.line, "index": row.index}
        answer = row.answer
        if row.steps:  # a steps column: the working, then the answer as its last line
            answer = row.steps + (f"\n{row.answer}" if row.answer else "")
        key = (row.function, row.var, row.at, answer, row.digits, row.tolerance, row.order)
        result = self.seen.get(key)
        if result is None:
            result = check_answer(
                row.function or "",
                answer,
                var=row.var,
                at=row.at,
                lang=self.lang,
                time_limit_seconds=self.time_limit_seconds,
                digits=row.digits,
                tolerance=row.tolerance,
                cache=self.cache,
                order=row.order,
            )
            if len(self.seen) < _SEEN_LIMIT:
                self.seen[key] = result
        return replace(result, **fields)


_worker_grader: _RowGrader | None = None
_worker_parent: int | None = None


def _start_worker(
    lang: str, time_limit_seconds: float | None, cache: ExerciseCache | None = None
) -> None:
    global _worker_grader, _worker_parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    _worker_parent = os.getppid()
    _worker_grader = _RowGrader(lang, time_limit_seconds, cache)


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent dies (a ``kill -9`` of the run
    leaves no orphan grading on, nor BrokenPipeError tracebacks from it)."""
    if not sys.platform.startswith("linux"):  # pragma: no cover
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no libc
        pass


def _grade_chunk(rows: Sequence[ExerciseRow]) -> list[AnswerResult]:
    assert _worker_grader is not None
    if os.getppid() != _worker_parent:  # pragma: no cover - orphaned (not Linux)
        os._exit(0)
    return [_worker_grader(row) for row in rows]


_graders: dict[tuple[object, ...], _RowGrader] = {}  # in an executor's worker, by settings


def _grade_task(
    settings: tuple[str, float | None, ExerciseCache], rows: Sequence[ExerciseRow]
) -> list[AnswerResult]:
    """A chunk of rows graded wherever an executor runs it (a thread, a process, a Dask
    worker): the worker keeps one grader (and its cache) per ``settings`` between chunks."""
    lang, seconds, cache = settings
    key = (lang, seconds, cache.directory)
    grader = _graders.get(key)
    if grader is None:
        grader = _graders[key] = _RowGrader(lang, seconds, cache)
    return [grader(row) for row in rows]


def _context(start_method: str | None) -> Any:
    if start_method is None:
        methods = multiprocessing.get_all_start_methods()
        start_method = "fork" if "fork" in methods else "spawn"
    return multiprocessing.get_context(start_method)


def grade_rows(
    rows: Sequence[ExerciseRow],
    jobs: int | None = None,
    lang: str = "en",
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT,
    *,
    start_method: str | None = None,
    executor: Executor | None = None,
    on_arrival: Callable[[list[AnswerResult]], None] | None = None,
) -> Iterator[AnswerResult]:
    """Yield one :class:`AnswerResult` per row, in the rows' order, as they are graded.

    One bad row (unreadable answer, broken function, a row problem, a time-out, any
    failure while grading it) gives that row an ``unparseable`` or ``error`` verdict; the
    batch goes on. ``start_method`` is the :mod:`multiprocessing` start method of the
    workers (default ``fork`` where available, else ``spawn``); all the rows of one
    exercise go to one worker (:func:`_lanes`). A worker that dies (a crash, the kernel's
    out-of-memory killer) is replaced; its rows are graded again one by one, and only a
    row that kills a worker twice gets an ``error`` verdict.

    ``executor``: any :class:`concurrent.futures.Executor` (a thread or process pool, a
    Dask ``Client(address).get_executor()``) grades the rows instead, in chunks, a bounded
    number in flight; ``jobs`` then only sets how many (three per job). A chunk whose
    task fails (its worker lost for good) gives its rows an ``error`` verdict. Workers
    share the exercises they prepare through an :class:`ExerciseCache` folder (on one
    machine; elsewhere each prepares its own).

    ``on_arrival`` is called with the results that arrive together from a worker (one
    chunk, in any order across workers) as soon as they arrive, before they wait for their
    turn to be yielded: a journal writes them there in one write.
    """
    lang = check_language(lang)
    arrived = on_arrival or _nobody
    if executor is not None:
        yield from _grade_on(executor, rows, jobs or 2, lang, time_limit_seconds, arrived)
        return
    jobs = default_jobs(len(rows)) if jobs is None else max(1, int(jobs))
    if jobs == 1 or len(rows) < 2 * jobs:
        grader = _RowGrader(lang, time_limit_seconds)
        for row in rows:
            result = grader(row)
            arrived([result])
            yield result
        return
    context = _context(start_method)
    yield from _grade_routed(rows, jobs, context, lang, time_limit_seconds, arrived)


def _nobody(results: list[AnswerResult]) -> None:
    """No one to tell that results arrived."""


def _lanes(rows: Sequence[ExerciseRow], jobs: int) -> list[list[int]]:
    """The positions of ``rows`` each of ``jobs`` workers grades: all the rows of one
    exercise go to one worker (which prepares it once), exercises dealt out so that the
    workers get about as many rows each (the most answered first, each to the least
    loaded worker; ties in the file's order, so the same file is always dealt alike).

    >>> rows = [ExerciseRow(str(k), f, "1") for k, f in enumerate("aabacaab")]
    >>> _lanes(rows, 2)
    [[0, 1, 3, 5, 6], [2, 4, 7]]
    """
    counts: dict[tuple[object, ...], int] = {}
    for row in rows:
        key = (row.function, row.var, row.at)
        counts[key] = counts.get(key, 0) + 1
    loads = [0] * jobs
    lane_of: dict[tuple[object, ...], int] = {}
    for key, count in sorted(counts.items(), key=lambda item: -item[1]):
        lane = min(range(jobs), key=loads.__getitem__)
        lane_of[key] = lane
        loads[lane] += count
    lanes: list[list[int]] = [[] for _ in range(jobs)]
    for position, row in enumerate(rows):
        lanes[lane_of[(row.function, row.var, row.at)]].append(position)
    return [lane for lane in lanes if lane]


def _grade_routed(
    rows: Sequence[ExerciseRow],
    jobs: int,
    context: Any,
    lang: str,
    time_limit_seconds: float | None,
    arrived: Callable[[list[AnswerResult]], None],
) -> Iterator[AnswerResult]:
    """The rows graded by ``jobs`` worker processes, each exercise's rows by one of them
    (:func:`_lanes`), merged back into the rows' order as they come. Each worker is its own
    one-process pool (:class:`_Pool`: a worker that dies is replaced, its rows graded again);
    nothing relies on ``fork`` (a ``spawn`` worker starts with everything it needs)."""
    lanes = _lanes(rows, jobs)
    pools = [_Pool(1, context, lang, time_limit_seconds) for _ in lanes]
    streams = []
    for pool, positions in zip(pools, lanes):
        mine = [rows[p] for p in positions]
        size = max(8, min(64, len(mine) // 16 or 8))
        tasks = deque(mine[i : i + size] for i in range(0, len(mine), size))
        # the results first: zip asks them for one more, so the pool sees it is done
        streams.append(zip(pool.grade(tasks, arrived, window=6), positions))
    gc.freeze()  # forked workers share the parent's objects without copying pages
    try:
        for result, _ in heapq.merge(*streams, key=lambda item: item[1]):
            yield result
    finally:
        gc.unfreeze()
        for pool in pools:
            pool._stop()


@contextmanager
def _shared_cache() -> Iterator[ExerciseCache]:
    """An exercise cache whose workers share what they prepare, in a private folder
    removed afterwards."""
    folder = tempfile.mkdtemp(prefix="derivcheck-exercises-")
    try:
        yield ExerciseCache(directory=folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _grade_on(
    executor: Executor,
    rows: Sequence[ExerciseRow],
    jobs: int,
    lang: str,
    time_limit_seconds: float | None,
    arrived: Callable[[list[AnswerResult]], None],
) -> Iterator[AnswerResult]:
    """The rows graded by ``executor``, in order, at most three chunks per job in flight.
    Each chunk holds the rows of one worker's share of the exercises (:func:`_lanes`), so
    the exercises a chunk needs are few, and the ones another worker prepared are read
    from the cache's folder; chunks are sent in the order of their first row, and
    results come back in the rows' order as soon as all before them are in."""
    with _shared_cache() as cache:
        settings = (lang, time_limit_seconds, cache)
        size = max(8, min(128, len(rows) // (jobs * 8) or 8))
        chunks = [
            lane[i : i + size] for lane in _lanes(rows, jobs) for i in range(0, len(lane), size)
        ]
        tasks = deque(sorted(chunks, key=lambda positions: positions[0]))
        in_flight: deque[tuple[list[int], Future]] = deque()
        graded: dict[int, AnswerResult] = {}
        frontier = 0  # the position of the next result to give
        try:
            while tasks or in_flight:
                while tasks and len(in_flight) < 3 * jobs:
                    positions = tasks.popleft()
                    task = [rows[p] for p in positions]
                    in_flight.append((positions, executor.submit(_grade_task, settings, task)))
                positions, future = in_flight.popleft()
                try:
                    results = future.result()
                except Exception:  # noqa: BLE001 - the task's worker is gone (Dask: KilledWorker)
                    results = [_crashed(rows[p], lang) for p in positions]
                arrived(results)
                graded.update(zip(positions, results))
                while frontier in graded:
                    yield graded.pop(frontier)
                    frontier += 1
        finally:
            for _, future in in_flight:  # an interrupted run: work nobody will read
                future.cancel()


class _Pool:
    """Worker processes grading chunks of rows in order, surviving the death of a worker."""

    def __init__(
        self,
        jobs: int,
        context: Any,
        lang: str,
        time_limit_seconds: float | None,
        cache: ExerciseCache | None = None,
    ):
        self.jobs = jobs
        self.context = context
        self.lang = lang
        self.time_limit_seconds = time_limit_seconds
        self.cache = cache
        self.executor: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        self.executor = ProcessPoolExecutor(
            self.jobs,
            mp_context=self.context,
            initializer=_start_worker,
            initargs=(self.lang, self.time_limit_seconds, self.cache),
        )
        return self.executor

    def _stop(self) -> None:
        executor, self.executor = self.executor, None
        if executor is None:
            return
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # stop work nobody will read (an interrupted run)
            if process.is_alive():
                process.terminate()

    def grade(
        self,
        tasks: deque[Sequence[ExerciseRow]],
        arrived: Callable[[list[AnswerResult]], None] = _nobody,
        window: int | None = None,
    ) -> Iterator[AnswerResult]:
        """The tasks' results in order; at most ``window`` chunks in flight (default: three
        per job), so memory stays bounded. The first chunks are sent now, before the first
        result is asked for (workers of several pools start together)."""
        executor = self._start()
        window = window or self.jobs * 3
        in_flight: deque[tuple[Sequence[ExerciseRow], Future]] = deque()
        while tasks and len(in_flight) < window:
            task = tasks.popleft()
            in_flight.append((task, executor.submit(_grade_chunk, task)))
        return self._results(executor, tasks, in_flight, window, arrived)

    def _results(
        self,
        executor: ProcessPoolExecutor,
        tasks: deque[Sequence[ExerciseRow]],
        in_flight: deque[tuple[Sequence[ExerciseRow], Future]],
        window: int,
        arrived: Callable[[list[AnswerResult]], None],
    ) -> Iterator[AnswerResult]:
        careful = 0  # after a crash, chunks run one at a time until the culprit is found
        broke: dict[int, int] = {}  # row index -> workers it killed
        try:
            while tasks or in_flight:
                while tasks and len(in_flight) < (1 if careful else window):
                    task = tasks.popleft()
                    in_flight.append((task, executor.submit(_grade_chunk, task)))
                task, future = in_flight[0]
                try:
                    results = future.result()
                except BrokenProcessPool:  # a worker died: which task killed it?
                    unfinished = [t for t, _ in in_flight]
                    in_flight.clear()
                    self._stop()
                    executor = self._start()
                    if careful:  # one task was in flight: that one
                        first = unfinished.pop(0)
                        if len(first) > 1:
                            unfinished[:0] = [[row] for row in first]
                        else:
                            row = first[0]
                            broke[row.index] = broke.get(row.index, 0) + 1
                            if broke[row.index] >= 2:
                                crashed = _crashed(row, self.lang)
                                arrived([crashed])
                                yield crashed
                            else:
                                unfinished.insert(0, first)
                    careful = len(unfinished)  # these run one at a time
                    tasks.extendleft(reversed(unfinished))
                    continue
                in_flight.popleft()
                careful = max(0, careful - 1)
                arrived(results)
                yield from results
            self._finish()
        finally:
            self._stop()

    def _finish(self) -> None:
        """Every task done: the workers exit and are waited for (their CPU time is then
        counted in the command's, as ``time`` and ``wait4`` see it)."""
        executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=True)


def _crashed(row: ExerciseRow, lang: str) -> AnswerResult:
    return _row_error(row, Message("grading.failed", reason=Message("grading.worker_died")), lang)


def _row_error(row: ExerciseRow, message: Message, lang: str) -> AnswerResult:
    """Verdict error for a row, with its fields from the file."""
    return AnswerResult(
        "error",
        None,
        message,
        row.function or "",
        row.answer,
        row.var,
        row.at,
        id=row.id,
        student=row.student,
        line=row.line,
        index=row.index,
        lang=lang,
    )


def _as_rows(source: object, encoding: str | None) -> tuple[list[ExerciseRow], ExerciseFile | None]:
    if isinstance(source, ExerciseFile):
        return list(source.rows), source
    if isinstance(source, (str, os.PathLike)):
        exercise_file = load(source, encoding=encoding)
        return list(exercise_file.rows), exercise_file
    rows = []
    for index, item in enumerate(source):  # type: ignore[attr-defined]
        if isinstance(item, ExerciseRow):
            rows.append(replace(item, index=index))
        elif isinstance(item, Mapping):
            rows.append(_make_row(dict(item), index + 1, index))
        else:
            raise DerivcheckError("batch.not_a_row", row=index + 1, type=type(item).__name__)
    return rows, None


def require_answers(exercise_file: ExerciseFile) -> None:
    """Refuse a file that has no answer column (an exercise sheet, not answers)."""
    columns = exercise_file.columns
    if "answer" not in columns and "steps" not in columns and exercise_file.rows:
        raise ExerciseFileError(
            Message("batch.no_answer_column"),
            exercise_file.path,
            1 if exercise_file.format == "csv" else exercise_file.rows[0].line,
        )


def check_answers(
    source: str | os.PathLike[str] | ExerciseFile | Iterable[ExerciseRow | Mapping[str, Any]],
    jobs: int | None = None,
    *,
    lang: str = "en",
    encoding: str | None = None,
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT,
    start_method: str | None = None,
    executor: Executor | None = None,
) -> BatchReport:
    """Grade every answer of a file (CSV, JSON, JSON Lines, YAML) or of rows given in Python.

    ``source`` is a path, an :class:`~derivcheck.grading.files.ExerciseFile`, or an
    iterable of rows (:class:`~derivcheck.grading.files.ExerciseRow` or dicts with
    the keys id, function, answer, var, at, student). ``jobs`` is the number of
    worker processes (default: one for fewer than 400 answers, else one per
    core); ``start_method`` their :mod:`multiprocessing` start method. ``executor`` (any
    :class:`concurrent.futures.Executor`, a Dask cluster's included) grades instead of
    local worker processes, with the same results in the same order (:func:`grade_rows`).
    An unusable file raises :class:`~derivcheck.grading.files.ExerciseFileError` naming the
    line and reason.
    """
    rows, exercise_file = _as_rows(source, encoding)
    if exercise_file is not None:
        require_answers(exercise_file)
    results = list(
        grade_rows(
            rows, jobs, lang, time_limit_seconds, start_method=start_method, executor=executor
        )
    )
    return BatchReport.of_file(results, exercise_file, lang)


def run_batch(
    rows: Sequence[ExerciseRow],
    done: Mapping[int, AnswerResult],
    *,
    jobs: int | None,
    lang: str,
    time_limit_seconds: float | None,
    on_result: Callable[[AnswerResult], None] | None = None,
    executor: Executor | None = None,
    on_arrival: Callable[[list[AnswerResult]], None] | None = None,
) -> list[AnswerResult]:
    """Grade the rows not in ``done``; return every result in the rows' order.
    ``on_result`` sees each result in the rows' order, ``on_arrival`` each group of results
    as it arrives (:func:`grade_rows`)."""
    todo = [row for row in rows if row.index not in done]
    results = dict(done)
    graded = grade_rows(
        todo, jobs, lang, time_limit_seconds, executor=executor, on_arrival=on_arrival
    )
    for result in graded:
        results[result.index] = result  # type: ignore[index]
        if on_result is not None:
            on_result(result)
    return [results[row.index] for row in rows]


# --------------------------------------------------------------------------------------
# Progress on a terminal
# --------------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal's stderr, redrawn at most ten times a second."""

    def __init__(self, total: int, done: int = 0, stream: IO[str] | None = None, lang: str = "en"):
        self.lang = lang
        self.total = total
        self.done = done
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.first = done
        self.last_drawn = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last_drawn >= 0.1 or self.done == self.total:
            self.last_drawn = now
            self.draw(now)

    def draw(self, now: float) -> None:
        fraction = self.done / self.total if self.total else 1.0
        filled = math.floor(fraction * 30)
        rate = (self.done - self.first) / max(now - self.started, 1e-9)
        bar = "█" * filled + "░" * (30 - filled)
        line = text(
            "batch.progress",
            self.lang,
            done=self.done,
            total=self.total,
            rate=f"{rate:,.0f}",
            percent=f"{fraction:4.0%}",
        )
        self.stream.write(f"\r  {bar} {line}")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()
