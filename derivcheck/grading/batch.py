"""Grade a whole file of answers: :func:`check_answers`, :class:`BatchReport`, resumable runs.

Every exercise (function, variable, point) is prepared once: its parse,
derivative, sample points and candidate wrong derivatives are cached, so the
cost of a row is the answer's own parse and evaluation. Identical answers to
the same exercise are graded once. ``jobs`` > 1 grades in worker processes;
results always come back in the file's order, so the same file gives the
same report whatever ``jobs`` is.

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

import csv
import gc
import io
import json
import math
import multiprocessing
import os
import signal
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from derivcheck.errors import DerivcheckError
from derivcheck.grading.answers import (
    DEFAULT_TIME_LIMIT,
    DIAGNOSES,
    VERDICTS,
    AnswerResult,
    check_answer,
    prepare_exercise,
)
from derivcheck.grading.files import ExerciseFile, ExerciseFileError, ExerciseRow, _make_row, load
from derivcheck.messages import check_language, translate

__all__ = [
    "check_answers",
    "grade_rows",
    "BatchReport",
    "Journal",
    "REPORT_FORMATS",
    "default_jobs",
]

#: Report formats: a table for people, JSON and CSV for programs and spreadsheets.
REPORT_FORMATS = ("table", "json", "csv")
#: Columns of the CSV report, in order.
CSV_COLUMNS = (
    "id",
    "student",
    "line",
    "function",
    "var",
    "at",
    "answer",
    "verdict",
    "diagnosis",
    "message",
    "expected",
    "expected_value",
)
_PARALLEL_FROM = 400  # rows: fewer are graded in one process (starting workers costs more)

_WORDS = {
    "bad_row": {"en": "This row cannot be used: {problem}", "zh": "这一行无法使用：{problem}"},
    "id": {"en": "id", "zh": "题号"},
    "student": {"en": "student", "zh": "学生"},
    "verdict": {"en": "verdict", "zh": "结果"},
    "diagnosis": {"en": "mistake", "zh": "错误类型"},
    "message": {"en": "message", "zh": "说明"},
    "correct": {"en": "correct", "zh": "正确"},
    "incorrect": {"en": "incorrect", "zh": "错误"},
    "unparseable": {"en": "unparseable", "zh": "无法识别"},
    "error": {"en": "error", "zh": "无法评分"},
    "answers": {"en": "answers", "zh": "份答案"},
    "summary": {"en": "Summary", "zh": "汇总"},
    "mistakes": {"en": "Mistakes", "zh": "错误类型统计"},
    "exercises": {"en": "By exercise", "zh": "按题目"},
    "none": {"en": "none", "zh": "无"},
}


def _word(key: str, lang: str) -> str:
    return translate(_WORDS, key, lang)


# --------------------------------------------------------------------------------------
# Grading rows
# --------------------------------------------------------------------------------------


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

    def __init__(self, lang: str, time_limit_seconds: float | None):
        self.lang = lang
        self.time_limit_seconds = time_limit_seconds
        self.seen: dict[tuple[object, ...], AnswerResult] = {}

    def __call__(self, row: ExerciseRow) -> AnswerResult:
        fields = {"id": row.id, "student": row.student, "line": row.line, "index": row.index}
        if row.problem is not None:
            message = _word("bad_row", self.lang).format(problem=row.problem)
            return AnswerResult(
                "error", None, message, row.function or "", row.answer, row.var, row.at, **fields
            )
        key = (row.function, row.var, row.at, row.answer)
        result = self.seen.get(key)
        if result is None:
            result = check_answer(
                row.function or "",
                row.answer,
                var=row.var,
                at=row.at,
                lang=self.lang,
                time_limit_seconds=self.time_limit_seconds,
            )
            if len(self.seen) < 100_000:
                self.seen[key] = result
        return replace(result, **fields)


_worker_grader: _RowGrader | None = None


def _start_worker(lang: str, time_limit_seconds: float | None) -> None:
    global _worker_grader
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_grader = _RowGrader(lang, time_limit_seconds)


def _grade_chunk(rows: Sequence[ExerciseRow]) -> list[dict[str, object]]:
    assert _worker_grader is not None
    return [_worker_grader(row).to_dict() for row in rows]


def grade_rows(
    rows: Sequence[ExerciseRow],
    jobs: int | None = None,
    lang: str = "en",
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT,
) -> Iterator[AnswerResult]:
    """Yield one :class:`AnswerResult` per row, in the rows' order, as they are graded.

    One bad row (unreadable answer, broken function, a row problem, a time-out)
    gives that row an ``unparseable`` or ``error`` verdict; the batch goes on.
    """
    lang = check_language(lang)
    jobs = default_jobs(len(rows)) if jobs is None else max(1, int(jobs))
    if jobs == 1 or len(rows) < 2 * jobs:
        grader = _RowGrader(lang, time_limit_seconds)
        for row in rows:
            yield grader(row)
        return
    # Prepare each exercise here first: forked workers inherit the prepared cache.
    for key in dict.fromkeys((r.function, r.var, r.at) for r in rows if r.problem is None):
        prepare_exercise(*key)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    chunk = max(8, min(128, len(rows) // (jobs * 8) or 8))
    chunks = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
    gc.freeze()  # workers share the parent's objects without copying pages for the collector
    try:
        with context.Pool(
            jobs, initializer=_start_worker, initargs=(lang, time_limit_seconds)
        ) as pool:
            for part, records in zip(chunks, pool.imap(_grade_chunk, chunks)):
                for row, record in zip(part, records):
                    yield AnswerResult.from_dict(record, index=row.index)
    finally:
        gc.unfreeze()


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
            raise DerivcheckError(
                f"row {index + 1}: expected a mapping with function and answer, "
                f"got {type(item).__name__}"
            )
    return rows, None


def require_answers(exercise_file: ExerciseFile) -> None:
    """Refuse a file that has no answer column (an exercise sheet, not answers)."""
    if "answer" not in exercise_file.columns and exercise_file.rows:
        raise ExerciseFileError(
            "no 'answer' column: `derivcheck check` grades answers "
            "(columns id, function, answer; optionally var, at, student)",
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
) -> BatchReport:
    """Grade every answer of a file (CSV, JSON, JSON Lines, YAML) or of rows given in Python.

    ``source`` is a path, an :class:`~derivcheck.grading.files.ExerciseFile`, or an
    iterable of rows (:class:`~derivcheck.grading.files.ExerciseRow` or dicts with
    the keys id, function, answer, var, at, student). ``jobs`` is the number of
    worker processes (default: one for fewer than 400 answers, else one per
    core). An unusable file raises
    :class:`~derivcheck.grading.files.ExerciseFileError` naming the line and reason.
    """
    rows, exercise_file = _as_rows(source, encoding)
    if exercise_file is not None:
        require_answers(exercise_file)
    results = list(grade_rows(rows, jobs, lang, time_limit_seconds))
    return BatchReport.of_file(results, exercise_file, lang)


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


@dataclass
class BatchReport:
    """Results in the file's order, with a summary; writes itself as a table, JSON or CSV."""

    results: list[AnswerResult]
    source: str | None = None
    encoding: str | None = None
    lang: str = "en"
    #: True for the partial report of a run stopped before every answer was graded
    interrupted: bool = False
    _summary: dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def of_file(
        cls,
        results: list[AnswerResult],
        exercise_file: ExerciseFile | None,
        lang: str = "en",
        interrupted: bool = False,
    ) -> BatchReport:
        """The report of answers read from ``exercise_file`` (its name and encoding go in
        the summary; ``None`` for rows given in Python)."""
        path = exercise_file.path if exercise_file is not None else None
        return cls(
            results,
            source=Path(path).name if path else None,
            encoding=exercise_file.encoding if exercise_file is not None else None,
            lang=lang,
            interrupted=interrupted,
        )

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[AnswerResult]:
        return iter(self.results)

    @property
    def summary(self) -> dict[str, Any]:
        """Counts by verdict and by diagnosis, and per exercise and per student."""
        if self._summary is None:
            self._summary = _summarise(self.results, self.source, self.encoding)
            if self.interrupted:
                self._summary["interrupted"] = True
        return self._summary

    def to_dict(self) -> dict[str, Any]:
        """``{"summary": {...}, "results": [{"id", "verdict", "diagnosis", "message", ...}]}``."""
        return {"summary": self.summary, "results": [r.to_dict() for r in self.results]}

    def to_json(self) -> str:
        """The JSON report: the summary first, then one result per line."""
        lines = ",\n    ".join(
            json.dumps(r.to_dict(), ensure_ascii=False, allow_nan=False) for r in self.results
        )
        summary = json.dumps(self.summary, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        results = f"[\n    {lines}\n  ]" if self.results else "[]"
        return f'{{\n  "summary": {summary},\n  "results": {results}\n}}\n'

    def to_csv(self) -> str:
        """One row per answer: id, student, line, function, …, verdict, diagnosis, message."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for result in self.results:
            writer.writerow(csv_cells(result))
        return buffer.getvalue()

    def to_table(self, lang: str | None = None) -> str:
        """A table for people: one line per answer, then the summary."""
        lang = lang or self.lang
        headers = [_word(k, lang) for k in ("id", "student", "verdict", "diagnosis", "message")]
        body = [
            [
                r.id or "",
                r.student or "",
                _word(r.verdict, lang),
                r.diagnosis or "",
                r.message.replace("\n", " "),
            ]
            for r in self.results
        ]
        if not any(r.student for r in self.results):
            headers.pop(1)
            for line in body:
                line.pop(1)
        return _format_table(headers, body) + "\n\n" + summary_text(self.summary, lang)

    def __str__(self) -> str:
        return self.to_table()

    def render(self, format: str) -> str:
        if format == "json":
            return self.to_json()
        if format == "csv":
            return self.to_csv()
        if format == "table":
            return self.to_table() + "\n"
        raise DerivcheckError(f"unknown report format {format!r} (one of table, json, csv)")

    def write(self, path: str | os.PathLike[str], format: str | None = None) -> None:
        """Write the report atomically (CSV with a BOM so that Excel shows Chinese correctly)."""
        format = format or format_for_path(path)
        text = self.render(format)
        encoding = "utf-8-sig" if format == "csv" else "utf-8"
        target = Path(path)
        temporary = target.with_name(target.name + ".tmp")
        try:
            temporary.write_text(text, encoding=encoding, newline="")
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The report format a file name asks for: .json, .csv, else a table (.txt, ...).

    >>> format_for_path("report.CSV"), format_for_path("report.txt")
    ('csv', 'table')
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xls", ".ods"):
        raise DerivcheckError(
            f"{path}: derivcheck writes .json, .csv or a text table, not a workbook; "
            "write report.csv and open that in the spreadsheet"
        )
    return {".json": "json", ".csv": "csv"}.get(suffix, "table")


def csv_cells(result: AnswerResult) -> list[str]:
    """One row of the CSV report: the :data:`CSV_COLUMNS` of ``result`` as text ("" for none)."""
    data = result.to_dict()
    return ["" if data.get(c) is None else str(data.get(c)) for c in CSV_COLUMNS]


def _summarise(
    results: Sequence[AnswerResult], source: str | None, encoding: str | None
) -> dict[str, Any]:
    verdicts = Counter(r.verdict for r in results)
    diagnoses = Counter(r.diagnosis for r in results if r.diagnosis)
    exercises: dict[tuple[str, str | None, str | None], Counter] = {}
    students: dict[str, Counter] = {}
    for r in results:
        counts = exercises.setdefault((r.function, r.var, r.at), Counter())
        counts["answers"] += 1
        counts[r.verdict] += 1
        if r.diagnosis:
            counts["diagnosis:" + r.diagnosis] += 1
        if r.student:
            mine = students.setdefault(r.student, Counter())
            mine["answers"] += 1
            mine["correct"] += r.correct
    total = len(results)
    summary: dict[str, Any] = {"file": source, "encoding": encoding, "answers": total}
    summary.update({v: verdicts.get(v, 0) for v in VERDICTS})
    summary["score"] = round(verdicts.get("correct", 0) / total, 4) if total else None
    summary["diagnoses"] = {code: diagnoses.get(code, 0) for code in DIAGNOSES}
    summary["exercises"] = [
        {
            "function": function,
            "var": var,
            "at": at,
            "answers": counts["answers"],
            **{v: counts.get(v, 0) for v in VERDICTS},
            "most_common_mistake": _most_common_mistake(counts),
        }
        for (function, var, at), counts in exercises.items()
    ]
    if students:
        summary["students"] = [
            {"student": name, "answers": c["answers"], "correct": c["correct"]}
            for name, c in students.items()
        ]
    return summary


def _most_common_mistake(counts: Counter) -> str | None:
    mistakes = [
        (n, -DIAGNOSES.index(k[10:]), k[10:]) for k, n in counts.items() if k[:10] == "diagnosis:"
    ]
    return max(mistakes)[2] if mistakes else None


def summary_text(summary: Mapping[str, Any], lang: str = "en") -> str:
    """The summary as a few lines of text (verdict counts, mistakes, per exercise)."""
    total = summary["answers"]
    counts = ", ".join(f"{summary[v]} {_word(v, lang)}" for v in VERDICTS)
    noun = _word("answers", lang) if total != 1 or lang != "en" else "answer"
    lines = [f"{_word('summary', lang)}: {total} {noun}: {counts}"]
    mistakes = [f"{code} {n}" for code, n in summary["diagnoses"].items() if n]
    lines.append(f"{_word('mistakes', lang)}: {', '.join(mistakes) or _word('none', lang)}")
    exercises = summary.get("exercises", [])
    if len(exercises) > 1:
        lines.append(f"{_word('exercises', lang)}:")
        body = []
        for item in exercises:
            where = f"  ({item['var'] or 'x'} = {item['at']})" if item["at"] is not None else ""
            body.append(
                [
                    f"  {item['function']}{where}",
                    f"{item['correct']}/{item['answers']}",
                    item["most_common_mistake"] or "",
                ]
            )
        lines.append(_format_table(None, body))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _format_table(headers: list[str] | None, body: list[list[str]]) -> str:
    """Columns padded by display width (Chinese characters count two); the last is not padded."""
    rows = ([headers] if headers else []) + body
    if not rows:
        return ""
    widths = [max(_width(row[k]) for row in rows) for k in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell + " " * (widths[k] - _width(cell)) if k < len(row) - 1 else cell
            for k, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if headers and n == 0:
            lines.append("  ".join("-" * w for w in widths).rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# The journal: results on disk as they are graded, so an interrupted run can resume
# --------------------------------------------------------------------------------------


class Journal:
    """``REPORT.partial``: one JSON line per graded row, flushed as it is written.

    The first line records the input's SHA-256 and the language, so a resume
    refuses a file that changed. :meth:`finish` deletes the journal once the
    report itself is written.
    """

    VERSION = 1

    def __init__(self, path: Path, handle: IO[str]):
        self.path = path
        self.handle = handle

    @staticmethod
    def path_for(report: str | os.PathLike[str]) -> Path:
        report = Path(report)
        return report.with_name(report.name + ".partial")

    @classmethod
    def start(cls, report: str | os.PathLike[str], sha256: str, lang: str, rows: int) -> Journal:
        path = cls.path_for(report)
        handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        header = {"derivcheck_journal": cls.VERSION, "sha256": sha256, "lang": lang, "rows": rows}
        handle.write(json.dumps(header) + "\n")
        handle.flush()
        return cls(path, handle)

    @classmethod
    def resume(
        cls, report: str | os.PathLike[str], sha256: str, lang: str, rows: int
    ) -> tuple[Journal, dict[int, AnswerResult]]:
        """Reopen the journal of an interrupted run: (journal, results already graded by index)."""
        path = cls.path_for(report)
        if not path.exists():
            return cls.start(report, sha256, lang, rows), {}
        lines = path.read_text(encoding="utf-8").split("\n")
        try:
            header = json.loads(lines[0])
        except (json.JSONDecodeError, IndexError):
            header = None
        if not isinstance(header, dict) or header.get("derivcheck_journal") != cls.VERSION:
            raise DerivcheckError(f"{path} is not a derivcheck journal; delete it to start again")
        if header.get("sha256") != sha256:
            raise DerivcheckError(
                f"the answer file changed since the interrupted run ({path}); "
                "run without --resume to grade it from the start"
            )
        if header.get("lang") != lang:
            raise DerivcheckError(
                f"the interrupted run used --lang {header.get('lang')}; resume with the same"
            )
        done: dict[int, AnswerResult] = {}
        kept = [lines[0]]
        for line in lines[1:]:
            try:
                entry = json.loads(line)
                index = int(entry["index"])
                done[index] = AnswerResult.from_dict(entry["result"], index=index)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                continue  # the line being written when the run stopped
            kept.append(line)
        handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        handle.write("\n".join(kept) + "\n")
        handle.flush()
        return cls(path, handle), done

    def write(self, result: AnswerResult) -> None:
        entry = {"index": result.index, "result": result.to_dict()}
        self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.handle.flush()

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()

    def finish(self) -> None:
        """The report is written: the journal is no longer needed."""
        self.close()
        self.path.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------
# Progress on a terminal
# --------------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal's stderr, redrawn at most ten times a second."""

    def __init__(self, total: int, done: int = 0, stream: IO[str] | None = None):
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
        self.stream.write(
            f"\r  {bar} {self.done}/{self.total} answers  {rate:,.0f}/s  {fraction:4.0%}"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def run_batch(
    rows: Sequence[ExerciseRow],
    done: Mapping[int, AnswerResult],
    *,
    jobs: int | None,
    lang: str,
    time_limit_seconds: float | None,
    on_result: Callable[[AnswerResult], None] | None = None,
) -> list[AnswerResult]:
    """Grade the rows not in ``done``; return every result in the rows' order."""
    todo = [row for row in rows if row.index not in done]
    results = dict(done)
    for result in grade_rows(todo, jobs, lang, time_limit_seconds):
        results[result.index] = result  # type: ignore[index]
        if on_result is not None:
            on_result(result)
    return [results[row.index] for row in rows]
