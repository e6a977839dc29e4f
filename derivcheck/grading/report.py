"""The report of a graded file: :class:`BatchReport`, its summary, and how it is written.

A table for people, JSON and CSV for programs and spreadsheets. Every word of the table
and the summary is a message key (``batch.*``), shown in the report's language; the
mistake names too (``grading.diagnosis.*``). Reports are written atomically: a new
temporary file created exclusively next to the target, then renamed over it; a target
that exists and is not a regular file (a link, a device, a folder) is refused.

>>> from derivcheck.grading.grade import check_answer
>>> report = BatchReport([check_answer("x^2", "2x"), check_answer("x^2", "x^2")])
>>> print(summary_text(report.summary, "zh"))
汇总：共 2 份答案：正确 1，错误 1，无法识别 0，无法评分 0
错误类型统计：没有求导 1
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derivcheck.errors import DerivcheckError
from derivcheck.grading.candidates import DIAGNOSES
from derivcheck.grading.grade import VERDICTS, AnswerResult
from derivcheck.messages import text

__all__ = [
    "BatchReport",
    "REPORT_FORMATS",
    "CSV_COLUMNS",
    "csv_cells",
    "summary_text",
    "format_for_path",
    "regular_file_or_missing",
    "write_atomically",
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
    "order",
    "answer",
    "verdict",
    "diagnosis",
    "message",
    "expected",
    "expected_value",
    "first_error",
    "first_error_message",
)


def diagnosis_name(code: str | None, lang: str) -> str:
    """The name of a mistake in the report table: its code in English, words in Chinese."""
    return text(f"grading.diagnosis.{code}", lang) if code else ""


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
        exercise_file: Any | None,
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
            self._summary = summarise(self.results, self.source, self.encoding)
            if self.interrupted:
                self._summary["interrupted"] = True
        return self._summary

    def to_dict(self) -> dict[str, Any]:
        """``{"summary": {...}, "results": [{"id", "verdict", "diagnosis", "message", ...}]}``."""
        return {"summary": self.summary, "results": [self._dict(r) for r in self.results]}

    def _dict(self, result: AnswerResult) -> dict[str, object]:
        return result.to_dict(self.lang)

    def to_json(self) -> str:
        """The JSON report: the summary first, then one result per line."""
        return "".join(self._json_pieces())

    def _json_pieces(self) -> Iterator[str]:
        summary = json.dumps(self.summary, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        yield f'{{\n  "summary": {summary},\n  "results": '
        if not self.results:
            yield "[]"
        for n, result in enumerate(self.results):
            line = json.dumps(self._dict(result), ensure_ascii=False, allow_nan=False)
            yield ("[\n    " if n == 0 else ",\n    ") + line
        if self.results:
            yield "\n  ]"
        yield "\n}\n"

    def to_csv(self) -> str:
        """One row per answer: id, student, line, function, …, verdict, diagnosis, message."""
        return "".join(self._csv_pieces())

    def _csv_pieces(self) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for result in self.results:
            writer.writerow(csv_cells(result, self.lang))
            if buffer.tell() > 65536:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    def to_table(self, lang: str | None = None) -> str:
        """A table for people: one line per answer, then the summary."""
        lang = lang or self.lang
        columns = ("id", "student", "verdict", "diagnosis", "message")
        headers = [text(f"batch.column.{c}", lang) for c in columns]
        body = [
            [
                r.id or "",
                r.student or "",
                text(f"batch.verdict.{r.verdict}", lang),
                diagnosis_name(r.diagnosis, lang),
                _with_first_error(r, lang).replace("\n", " "),
            ]
            for r in self.results
        ]
        if any(r.order != 1 or r.partial for r in self.results):  # what each row asks for
            headers.insert(2, text("grading.column.asked", lang))
            for line, r in zip(body, self.results, strict=True):
                line.insert(2, r.derivative_symbol)
        if not any(r.student for r in self.results):
            headers.pop(1)
            for line in body:
                line.pop(1)
        return format_table(headers, body) + "\n\n" + summary_text(self.summary, lang)

    def __str__(self) -> str:
        return self.to_table()

    def render(self, format: str) -> str:
        """The report as text in ``format`` (table, json or csv)."""
        return "".join(self.pieces(format))

    def pieces(self, format: str) -> Iterator[str]:
        """The report in ``format``, a piece at a time (written as it is made)."""
        if format == "json":
            return self._json_pieces()
        if format == "csv":
            return self._csv_pieces()
        if format == "table":
            return iter([self.to_table() + "\n"])
        raise DerivcheckError("batch.unknown_format", format=repr(format))

    def write(self, path: str | os.PathLike[str], format: str | None = None) -> None:
        """Write the report atomically (CSV with a BOM so that Excel shows Chinese correctly).

        A new file is written next to ``path`` and renamed over it; ``path`` itself may be
        missing or a regular file, never a link, a device or a folder.
        """
        format = format or format_for_path(path)
        pieces = self.pieces(format)
        encoding = "utf-8-sig" if format == "csv" else "utf-8"
        write_atomically(path, pieces, encoding)


def _with_first_error(result: AnswerResult, lang: str) -> str:
    """The message, and for a worked solution with a wrong line, that line's message."""
    message = result.message_in(lang)
    wrong = result.steps.first_wrong_line if result.steps is not None else None
    if wrong is None or wrong.note is None or wrong.note == result.note:
        return message
    return f"{message} {text('steps.first_error', lang, line=wrong.number, comment=wrong.note)}"


def regular_file_or_missing(path: str | os.PathLike[str]) -> None:
    """Refuse a path that exists and is not a regular file (never follows a link)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise DerivcheckError("batch.not_regular", path=os.fspath(path))


def write_atomically(
    path: str | os.PathLike[str], pieces: Iterable[str], encoding: str = "utf-8"
) -> None:
    """Write text to a new temporary file beside ``path`` (created exclusively), flush it to
    disk, and rename it over ``path``; on any failure the temporary file is removed and
    ``path`` is unchanged. Lone surrogates (from a JSON escape) are written as ``\\udxxx``.
    """
    target = Path(path)
    regular_file_or_missing(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with open(descriptor, "w", encoding=encoding, errors="backslashreplace", newline="") as out:
            for piece in pieces:
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The report format a file name asks for: .json, .csv, else a table (.txt, ...).

    >>> format_for_path("report.CSV"), format_for_path("report.txt")
    ('csv', 'table')
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xls", ".ods"):
        raise DerivcheckError("batch.workbook_report", path=os.fspath(path))
    return {".json": "json", ".csv": "csv"}.get(suffix, "table")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(result: AnswerResult, lang: str | None = None) -> list[str]:
    """One row of the CSV report: the :data:`CSV_COLUMNS` of ``result`` as text ("" for none).

    A cell a spreadsheet would run as a formula (``=…``, ``+…``, ``-…``, ``@…``, as OWASP
    lists them) gets a leading apostrophe, which spreadsheets show as text; a number such as
    ``-54`` stays as it is.

    >>> from derivcheck.grading.grade import check_answer
    >>> csv_cells(check_answer("x^2", "=1+1"))[7], csv_cells(check_answer("x", "-54", at=1))[7]
    ("'=1+1", '-54')
    """
    data = result.to_dict(lang)
    data["order"] = result.order
    return [_safe_cell("" if data.get(c) is None else str(data.get(c))) for c in CSV_COLUMNS]


def _safe_cell(cell: str) -> str:
    if not cell.startswith(_FORMULA_START):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell


def summarise(
    results: Iterable[AnswerResult], source: str | None, encoding: str | None
) -> dict[str, Any]:
    """The summary of a report (counts by verdict, diagnosis, exercise and student)."""
    summary = Summary(source, encoding)
    for result in results:
        summary.add(result)
    return summary.to_dict()


class Summary:
    """Counts kept as results arrive (so a report can be summarised without holding it)."""

    def __init__(self, source: str | None = None, encoding: str | None = None):
        self.source = source
        self.encoding = encoding
        self.total = 0
        self.verdicts: Counter[str] = Counter()
        self.diagnoses: Counter[str] = Counter()
        self.exercises: dict[tuple[str, str | None, str | None, str | None], Counter[str]] = {}
        self.students: dict[str, Counter[str]] = {}
        self.seen_ids: set[tuple[str | None, str | None]] = set()
        self.duplicates: list[str] = []

    def add(self, r: AnswerResult) -> None:
        self.total += 1
        self.verdicts[r.verdict] += 1
        if r.diagnosis:
            self.diagnoses[r.diagnosis] += 1
        asked = r.derivative_symbol if r.order != 1 or r.partial else None
        counts = self.exercises.setdefault((r.function, r.var, r.at, asked), Counter())
        counts["answers"] += 1
        counts[r.verdict] += 1
        if r.diagnosis:
            counts["diagnosis:" + r.diagnosis] += 1
        if r.student:
            mine = self.students.setdefault(r.student, Counter())
            mine["answers"] += 1
            mine["correct"] += r.correct
        if r.id is not None and r.line is not None:
            key = (r.id, r.student)
            if key in self.seen_ids:
                self.duplicates.append(r.id)
            self.seen_ids.add(key)

    def to_dict(self) -> dict[str, Any]:
        total = self.total
        summary: dict[str, Any] = {"file": self.source, "encoding": self.encoding, "answers": total}
        summary.update({v: self.verdicts.get(v, 0) for v in VERDICTS})
        summary["score"] = round(self.verdicts.get("correct", 0) / total, 4) if total else None
        summary["diagnoses"] = {code: self.diagnoses.get(code, 0) for code in DIAGNOSES}
        summary["exercises"] = [
            {
                "function": function,
                "var": var,
                "at": at,
                **({"asked": asked} if asked is not None else {}),
                "answers": counts["answers"],
                **{v: counts.get(v, 0) for v in VERDICTS},
                "most_common_mistake": _most_common_mistake(counts),
            }
            for (function, var, at, asked), counts in self.exercises.items()
        ]
        if self.students:
            summary["students"] = [
                {"student": name, "answers": c["answers"], "correct": c["correct"]}
                for name, c in self.students.items()
            ]
        if self.duplicates:
            summary["duplicate_ids"] = list(dict.fromkeys(self.duplicates))
        return summary


def _most_common_mistake(counts: Counter) -> str | None:
    mistakes = [
        (n, -DIAGNOSES.index(k[10:]), k[10:]) for k, n in counts.items() if k[:10] == "diagnosis:"
    ]
    return max(mistakes)[2] if mistakes else None


def summary_text(summary: Mapping[str, Any], lang: str = "en") -> str:
    """The summary as a few lines of text (verdict counts, mistakes, per exercise)."""
    total = summary["answers"]
    separator = text("batch.separator", lang)
    counts = separator.join(
        text("batch.count", lang, count=summary[v], what=text(f"batch.verdict.{v}", lang))
        for v in VERDICTS
    )
    key = "batch.summary_one" if total == 1 else "batch.summary"
    lines = [text(key, lang, answers=total, counts=counts)]
    mistakes = separator.join(
        text("batch.mistake_count", lang, name=diagnosis_name(code, lang), count=n)
        for code, n in summary["diagnoses"].items()
        if n
    )
    lines.append(text("batch.mistakes", lang, mistakes=mistakes or text("batch.none", lang)))
    duplicates = summary.get("duplicate_ids")
    if duplicates:
        key = "batch.duplicates_one" if len(duplicates) == 1 else "batch.duplicates"
        shown = ", ".join(duplicates[:10]) + (", …" if len(duplicates) > 10 else "")
        lines.append(text(key, lang, count=len(duplicates), ids=shown))
    exercises = summary.get("exercises", [])
    if len(exercises) > 1:
        lines.append(text("batch.by_exercise", lang))
        body = []
        for item in exercises:
            where = f"  ({item['var'] or 'x'} = {item['at']})" if item["at"] is not None else ""
            asked = f"  {item['asked']}" if item.get("asked") else ""
            body.append(
                [
                    f"  {item['function']}{asked}{where}",
                    f"{item['correct']}/{item['answers']}",
                    diagnosis_name(item["most_common_mistake"], lang),
                ]
            )
        lines.append(format_table(None, body))
    return "\n".join(lines)


def _width(cell: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in cell)


def format_table(headers: list[str] | None, body: list[list[str]]) -> str:
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
