"""Read exercise and answer files as teachers' spreadsheets and scripts produce them.

Formats: CSV (comma, semicolon or tab separated), JSON (a list of objects, or an
object holding one such list), JSON Lines and YAML. Encodings: UTF-8 with or
without BOM, UTF-16 with BOM, and GBK/GB18030 as Excel writes CSV in Chinese
locales; anything else with ``encoding=``. Columns (any order, any case):

==========  ============================================  =================================
column      meaning                                       also accepted as (see COLUMNS)
==========  ============================================  =================================
function    the function to differentiate (required)      f, expression, question, 函数
id          the exercise or answer id (default: row no.)  no, number, qid, 题号, 编号
answer      what the student wrote                        derivative, dy/dx, 答案, 导数
var         the variable (default: the function's only)   variable, wrt, 变量, 自变量
order       the order of the derivative (default: 1)      derivative_order, 阶数, 求导阶数
at          a point: the answer is then the value there   x0, point, 求值点
student     the student's name                            name, student_id, 学生, 姓名
steps       a worked solution, checked line by line       working, solution, 步骤
==========  ============================================  =================================

Other columns are kept in :attr:`ExerciseRow.extra`. JSON and YAML may also
map ids to rows (``q1: {function: …, answer: …}``). Every row remembers the
line it starts on, and every problem names the line and the reason.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = folder / "answers.csv"
>>> _ = path.write_text("id,function,answer,at\\n1,(2x+1)^3,54,1\\n", encoding="utf-8")
>>> [(row.id, row.function, row.answer, row.at, row.line) for row in read_rows(path)]
[('1', '(2x+1)^3', '54', '1', 2)]
>>> _ = path.write_bytes("题号,函数,答案\\n1,x^2,2x\\n".encode("gbk"))
>>> exercise_file = load(path)
>>> exercise_file.encoding, exercise_file.rows[0].answer
('gb18030', '2x')
"""

from __future__ import annotations

import bisect
import codecs
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message

__all__ = [
    "default_variable",
    "ExerciseRow",
    "ExerciseFile",
    "ExerciseFileError",
    "read_rows",
    "load",
    "load_bytes",
    "decode",
    "COLUMNS",
    "FORMATS",
]

#: Largest file read, in bytes (a class of answers is a few hundred kilobytes).
MAX_FILE_BYTES = 64 * 1024 * 1024

#: Formats :func:`load` reads.
FORMATS = ("csv", "json", "jsonl", "yaml")

#: Column name -> names accepted for it (compared lower-cased, spaces and '-' as '_').
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "no", "number", "item", "qid", "question_id", "exercise_id", "题号", "编号", "序号",
    ),
    "function": (
        "function", "f", "f(x)", "y", "expression", "expr", "formula", "question", "problem",
        "函数", "原函数", "题目",
    ),
    "answer": (
        "answer", "derivative", "response", "student_answer", "answer_text", "答案", "导数",
        "学生答案", "回答", "dy/dx", "y'", "f'(x)",
    ),
    "var": ("var", "variable", "wrt", "变量", "自变量"),
    "order": ("order", "derivative_order", "阶数", "阶", "求导阶数"),
    "at": ("at", "x0", "point", "求值点"),
    "student": ("student", "name", "student_name", "student_id", "学生", "姓名", "名字", "学号"),
    "digits": ("digits", "places", "decimals", "decimal_places", "小数位数", "保留位数"),
    "tolerance": ("tolerance", "tol", "允许误差", "误差"),
    "steps": ("steps", "working", "work", "solution", "步骤", "解题过程", "解答过程", "过程"),
}  # fmt: skip
_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_EXTENSIONS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml",
}  # fmt: skip
_LIST_KEYS = ("answers", "exercises", "rows", "items", "data", "results")


class ExerciseFileError(DerivcheckError):
    """A file that cannot be used: it names the file, the line (when known) and the reason.

    >>> error = ExerciseFileError(Message("batch.file.missing"), "a.csv", 1)
    >>> str(error), error.to_text("zh")
    ('a.csv, line 1: no such file', 'a.csv，第 1 行：文件不存在')
    """

    def __init__(self, reason: Message | str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.reason_message = (
            reason if isinstance(reason, Message) else Message("grading.text", text=reason)
        )
        if path and line is not None:
            where: Message | None = Message("batch.file.line", path=path, line=line)
        elif line is not None:
            where = Message("batch.file.line_only", line=line)
        else:
            where = Message("grading.text", text=path) if path else None
        message = (
            Message("batch.file.where", where=where, reason=self.reason_message)
            if where is not None
            else self.reason_message
        )
        super().__init__(message)

    @property
    def reason(self) -> str:
        """The reason alone, in English."""
        return self.reason_message.to_text("en")


@dataclass(frozen=True, slots=True)
class ExerciseRow:
    """One exercise (and, in an answer file, one student's answer to it).

    Every field is text as written in the file (``None`` when absent or empty),
    so ``at="1/2"`` and ``answer="√2/2"`` reach :func:`derivcheck.parse` intact.
    ``line`` is the 1-based line the row starts on, ``index`` its 0-based
    position among the rows. ``problem`` says why the row itself is unusable (a
    :class:`~derivcheck.messages.Message`; for example a CSV row with more fields than the
    header); the other rows of the file are still good. ``digits`` (decimal places wanted)
    and ``tolerance`` (an absolute tolerance) say how exact a number answer must be.
    """

    id: str
    function: str | None
    answer: str | None = None
    var: str | None = None
    at: str | None = None
    student: str | None = None
    line: int = 0
    index: int = 0
    extra: tuple[tuple[str, str], ...] = ()
    problem: Message | None = None
    digits: str | None = None
    tolerance: str | None = None
    steps: str | None = None  # a worked solution, checked line by line
    order: str | None = None  # the order of the derivative asked for (None: the first)

    def to_dict(self) -> dict[str, object]:
        """The row as a plain dict (the column names above, plus ``line``)."""
        data: dict[str, object] = {
            "id": self.id,
            "function": self.function,
            "answer": self.answer,
            "var": self.var,
            "at": self.at,
            "student": self.student,
            "line": self.line,
        }
        if self.digits is not None:
            data["digits"] = self.digits
        if self.tolerance is not None:
            data["tolerance"] = self.tolerance
        if self.steps is not None:
            data["steps"] = self.steps
        if self.order is not None:
            data["order"] = self.order
        data.update(self.extra)
        return data


@dataclass(frozen=True)
class ExerciseFile:
    """A whole file: its rows, the format and encoding it was read with, and its SHA-256."""

    rows: tuple[ExerciseRow, ...]
    format: str
    encoding: str | None
    sha256: str
    path: str | None = None
    columns: tuple[str, ...] = field(default=())

    def __iter__(self) -> Iterator[ExerciseRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def default_variable(names: Iterable[str]) -> str | None:
    """The variable of a row without ``var``: the function's only name, else ``x`` when it
    is one of them (or there is none); ``None`` when the row must say which.

    >>> default_variable(["t"]), default_variable(["a", "x"]), default_variable(["a", "b"])
    ('t', 'x', None)
    """
    unique = sorted(set(names))
    if len(unique) == 1:
        return unique[0]
    return "x" if not unique or "x" in unique else None


def read_rows(path: str | os.PathLike[str], encoding: str | None = None) -> Iterator[ExerciseRow]:
    """Yield the rows of an exercise or answer file (CSV, JSON, JSON Lines or YAML).

    The whole file is read and checked first, so an unusable file raises
    :class:`ExerciseFileError` (with the line and reason) before any row is
    yielded. ``encoding`` overrides the detection (UTF-8 ± BOM, UTF-16 BOM, GBK/GB18030).
    """
    yield from load(path, encoding=encoding).rows


def load(
    path: str | os.PathLike[str], encoding: str | None = None, format: str | None = None
) -> ExerciseFile:
    """Read a whole file; ``format`` defaults to the extension, else to the content."""
    name = os.fspath(path)
    if name == "-":  # standard input, read up to the same size limit as a file
        import sys

        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ExerciseFileError(_too_large(len(data)), None)
        return load_bytes(data, None, encoding=encoding, format=format)
    try:
        size = os.path.getsize(name)
        if size > MAX_FILE_BYTES:
            raise ExerciseFileError(_too_large(size), name)
        with open(name, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # a pipe or a device, whose size says nothing
            raise ExerciseFileError(_too_large(len(data)), name)
    except IsADirectoryError:
        raise ExerciseFileError(Message("batch.file.directory"), name) from None
    except FileNotFoundError:
        raise ExerciseFileError(Message("batch.file.missing"), name) from None
    except OSError as error:
        reason = Message("batch.file.unreadable", reason=str(error.strerror or error))
        raise ExerciseFileError(reason, name) from None
    return load_bytes(data, name, encoding=encoding, format=format)


def _too_large(size: int) -> Message:
    limit = f"{MAX_FILE_BYTES:,}"
    return Message(
        "batch.file.too_large",
        size=f"{size:,}" if size <= MAX_FILE_BYTES else f"> {limit}",
        limit=limit,
    )


def load_bytes(
    data: bytes, name: str | None = None, encoding: str | None = None, format: str | None = None
) -> ExerciseFile:
    """Like :func:`load`, for bytes already read (``name`` is used in messages and for the format).

    >>> load_bytes(b'[{"id": 1, "function": "x^2", "answer": "2x"}]').rows[0].id
    '1'
    """
    if format is None:
        format = _format_from_name(name) or _format_from_content(data, name)
    elif format not in FORMATS:
        reason = Message(
            "batch.file.unknown_format", format=repr(format), formats=", ".join(FORMATS)
        )
        raise ExerciseFileError(reason, name)
    text, used = decode(data, encoding, name)
    if format == "csv":
        rows, columns = _read_csv(text, name, (name or "").lower().endswith(".tsv"))
    elif format == "json":
        rows, columns = _read_json(text, name)
    elif format == "jsonl":
        rows, columns = _read_json_lines(text, name)
    else:
        rows, columns = _read_yaml(text, name)
    return ExerciseFile(
        tuple(rows), format, used, hashlib.sha256(data).hexdigest(), name, tuple(columns)
    )


# --------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, encoding: str | None = None, name: str | None = None) -> tuple[str, str]:
    """Bytes -> (text, encoding used). Without ``encoding``: BOM, else UTF-8, else GB18030.

    GB18030 is the superset of GBK (and GB2312) that Excel uses for CSV in
    Chinese locales. A file that is none of these is refused with the line of
    the first byte that does not fit, and a hint to pass an encoding.

    >>> decode("函数".encode("gbk"))
    ('函数', 'gb18030')
    >>> decode(codecs.BOM_UTF8 + b"x^2")
    ('x^2', 'utf-8-sig')
    """
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding)
        except LookupError:
            reason = Message("batch.file.unknown_encoding", encoding=repr(encoding))
            raise ExerciseFileError(reason, name) from None
        used = "utf-8-sig" if codec.name == "utf-8" else codec.name
        return _strict(data, used, name, hint=False), used
    for bom, used in _BOMS:
        if data.startswith(bom):
            return _strict(data, used, name), used
    if data[:4096].count(b"\x00") > len(data[:4096]) // 4:  # UTF-16 without a BOM
        used = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _strict(data, used, name), used
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        _refuse_mixed(data, utf8_error, name)
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, utf8_error.start) + 1
            byte = data[utf8_error.start : utf8_error.start + 1].hex()
            reason = Message("batch.file.not_utf8_nor_gbk", byte=byte)
            raise ExerciseFileError(reason, name, line) from None


def _refuse_mixed(data: bytes, utf8_error: UnicodeDecodeError, name: str | None) -> None:
    """Refuse a file whose lines are partly UTF-8 and partly not (GBK from Excel with rows
    pasted in UTF-8): read as GB18030, its UTF-8 lines would be garbled silently.

    A line is UTF-8 when it decodes as UTF-8 and holds a three- or four-byte sequence (CJK
    characters, −, ²…); a GBK line of Chinese text almost never does.
    """
    checked_until = 0
    for match in _UTF8_WIDE.finditer(data):
        if match.start() < checked_until:
            continue
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        end = len(data) if end < 0 else end
        checked_until = end
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        bad = data.count(b"\n", 0, utf8_error.start) + 1
        utf8 = data.count(b"\n", 0, start) + 1
        raise ExerciseFileError(Message("batch.file.mixed_encodings", utf8=utf8), name, bad)


_UTF8_WIDE = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _strict(data: bytes, encoding: str, name: str | None, hint: bool = True) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        # The line of the bad byte; for UTF-16/32 count the encoded newlines.
        newline = "\n".encode(encoding.replace("-sig", ""))
        if encoding in ("utf-16", "utf-32"):
            newline = newline[len(newline) // 2 :] if len(newline) > 2 else newline
        line = data.count(newline, 0, error.start) + 1
        key = "batch.file.try_encoding" if hint else "batch.file.cannot_decode"
        reason = Message(key, encoding=encoding, reason=error.reason)
        raise ExerciseFileError(reason, name, line) from None


# --------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------


def _format_from_name(name: str | None) -> str | None:
    return _EXTENSIONS.get(Path(name).suffix.lower()) if name else None


def _format_from_content(data: bytes, name: str | None) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExerciseFileError(Message("batch.file.workbook"), name)
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first_line = head.split(b"\n", 1)[0].strip()
        return "jsonl" if first_line.endswith(b"}") and b"\n{" in head else "json"
    if head.startswith(b"---") or head.startswith(b"- "):
        return "yaml"
    return "csv"


def _column_key(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower()).strip("_")


def _map_columns(
    header: list[str], name: str | None, line: int
) -> tuple[dict[int, str], list[str]]:
    """Header cells -> {position: column}, refusing files without a function column."""
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for position, cell in enumerate(header):
        key = _column_key(cell)
        if not key:
            continue
        column = _ALIASES.get(key, key)
        if column in seen:
            reason = Message(
                "batch.file.two_columns",
                column=repr(column),
                first=repr(seen[column]),
                second=repr(cell.strip()),
            )
            raise ExerciseFileError(reason, name, line)
        seen[column] = cell.strip()
        mapping[position] = column
    if "function" not in seen:
        shown = ", ".join(repr(c.strip()) for c in header if c.strip())
        reason = Message(
            "batch.file.no_function_column", header=shown or Message("batch.file.nothing")
        )
        raise ExerciseFileError(reason, name, line)
    return mapping, list(seen)


def _cell(value: object) -> str | None:
    """A cell as text: None for empty; numbers as written (54, 0.5, 1e-3). A lone surrogate
    (a JSON escape such as \\ud800, which no encoding can write) becomes U+FFFD.

    >>> _cell(" 54 "), _cell(0.5), _cell(""), _cell("x\\ud800")
    ('54', '0.5', None, 'x\ufffd')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    if not text.isascii() and _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = text.strip()
    return text or None


_SURROGATE = re.compile("[\ud800-\udfff]")
#: Longest cell read; a longer one is its row's problem (no formula is this long).
MAX_CELL = 100_000


def _make_row(
    values: Mapping[str, object], line: int, index: int, problem: Message | None = None
) -> ExerciseRow:
    long = max((len(v) for v in values.values() if isinstance(v, str)), default=0)
    if long > MAX_CELL:
        problem = problem or Message(
            "batch.row.cell_too_long", length=f"{long:,}", limit=f"{MAX_CELL:,}"
        )
        values = {
            k: v[:200] + "…" if isinstance(v, str) and len(v) > MAX_CELL else v
            for k, v in values.items()
        }
    known = {c: _cell(values.get(c)) for c in COLUMNS}
    extra = tuple(
        (str(k), "" if _cell(v) is None else str(_cell(v)))
        for k, v in values.items()
        if k not in COLUMNS
    )
    if problem is None and known["function"] is None:
        problem = Message("batch.row.no_function")
    return ExerciseRow(
        id=known["id"] or str(index + 1),
        function=known["function"],
        answer=known["answer"],
        var=known["var"],
        at=known["at"],
        student=known["student"],
        line=line,
        index=index,
        extra=extra,
        problem=problem,
        digits=known["digits"],
        tolerance=known["tolerance"],
        steps=known["steps"],
        order=known["order"],
    )


def _pick_delimiter(first_line: str, tab_first: bool) -> str:
    candidates = ("\t", ",", ";") if tab_first else (",", ";", "\t")
    for delimiter in candidates:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        if any(_ALIASES.get(_column_key(c)) == "function" for c in cells):
            return delimiter
    counts = {d: first_line.count(d) for d in candidates}
    return max(candidates, key=lambda d: counts[d])


def _read_csv(text: str, name: str | None, tab_first: bool) -> tuple[list[ExerciseRow], list[str]]:
    header_line, header = next(
        ((n, line) for n, line in enumerate(io.StringIO(text, newline="")) if line.strip()),
        (None, ""),
    )
    if header_line is None:
        raise ExerciseFileError(Message("batch.file.empty"), name, 1)
    header = header.rstrip("\r\n")
    excel_separator = re.fullmatch(r"\s*sep=(.)\s*", header)  # Excel's "sep=;"
    if excel_separator:
        delimiter = excel_separator.group(1)
    else:
        delimiter = _pick_delimiter(header, tab_first)
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer, delimiter=delimiter, strict=False)
    rows: list[ExerciseRow] = []
    mapping: dict[int, str] | None = None
    columns: list[str] = []
    previous_end = 0
    record_start = 0
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))  # long cells: row problems
    while True:
        record_start = buffer.tell()
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            reason = Message("batch.file.unreadable_csv", reason=str(error))
            raise ExerciseFileError(reason, name, reader.line_num) from None
        start, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if excel_separator and start == header_line + 1:
            continue
        if mapping is None:
            mapping, columns = _map_columns(record, name, start)
            width = len(record)
            continue
        problem = None
        if len(record) > width and any(c.strip() for c in record[width:]):
            record = _rejoin_brackets(record, delimiter, width)
        if len(record) > width and any(c.strip() for c in record[width:]):
            problem = Message("batch.row.too_many_fields", fields=len(record), width=width)
        if buffer.tell() == len(text) and _open_quote(text[record_start:], delimiter):
            problem = Message("batch.row.truncated")
        values = {mapping[k]: cell for k, cell in enumerate(record[:width]) if k in mapping}
        rows.append(_make_row(values, start, len(rows), problem))
    return rows, columns


def _open_quote(record: str, delimiter: str) -> bool:
    """True when the raw text of the last record ends inside a quoted cell (a cut file)."""
    if '"' not in record:
        return False
    pattern = f'(?:^|[{re.escape(delimiter)}\\n\\r])"(?:[^"]|"")*\\Z'
    return re.search(pattern, record) is not None


def _rejoin_brackets(record: list[str], delimiter: str, width: int) -> list[str]:
    """Undo splits inside brackets: ``max(x,0)`` written without quotes is one formula.

    Cells are joined back while a cell has more opening than closing brackets;
    the repair is kept only when it gives exactly the header's number of fields.
    """
    joined: list[str] = []
    depth = 0
    for cell in record:
        if depth > 0:
            joined[-1] += delimiter + cell
        else:
            joined.append(cell)
        depth = max(
            0, depth + sum(cell.count(c) for c in "([{") - sum(cell.count(c) for c in ")]}")
        )
    while len(joined) > width and not joined[-1].strip():
        joined.pop()
    return joined if len(joined) == width else record


def _read_json(text: str, name: str | None) -> tuple[list[ExerciseRow], list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        reason = Message("batch.file.invalid_json", reason=error.msg)
        raise ExerciseFileError(reason, name, error.lineno) from None
    except RecursionError:
        raise ExerciseFileError(Message("batch.file.json_too_deep"), name) from None
    starts = _json_item_lines(text)
    items = data
    if isinstance(data, dict) and data and all(isinstance(v, dict) for v in data.values()):
        # {"q1": {"function": …, "answer": …}, …}: each key is the id
        lines = _json_value_lines(text)
        items = [{"id": key, **value} for key, value in data.items()]
        starts = [lines.get(key, 1) for key in data]
    elif isinstance(data, dict):
        key = next((k for k in _LIST_KEYS if isinstance(data.get(k), list)), None)
        if key is None:
            key = next((k for k, v in data.items() if isinstance(v, list)), None)
        if key is None:
            raise ExerciseFileError(Message("batch.file.json_not_a_list"), name, 1)
        items = data[key]
        starts = _json_item_lines(text, key)
    elif not isinstance(data, list):
        raise ExerciseFileError(Message("batch.file.json_not_a_list"), name, 1)
    return _rows_from_objects(items, starts, name)


def _rows_from_objects(
    items: list[object], starts: list[int], name: str | None, nested: str = "batch.row.nested_value"
) -> tuple[list[ExerciseRow], list[str]]:
    """Rows from JSON objects (or YAML mappings as dicts), each starting on its line in
    ``starts``; a value that is a list or an object is the row's problem."""
    rows: list[ExerciseRow] = []
    columns: dict[str, None] = {}
    for position, item in enumerate(items):
        line = starts[position] if position < len(starts) else 1
        if not isinstance(item, dict):
            rows.append(_make_row({}, line, len(rows), Message("batch.row.not_an_object")))
            continue
        values: dict[str, object] = {}
        problem = None
        for key, value in item.items():
            column = _ALIASES.get(_column_key(key), str(key))
            if isinstance(value, (dict, list)):
                kind = (
                    "batch.row.kind_list" if isinstance(value, list) else "batch.row.kind_mapping"
                )
                problem = problem or Message(nested, key=repr(key), kind=Message(kind))
                continue
            values[column] = value
            columns.setdefault(column, None)
        rows.append(_make_row(values, line, len(rows), problem))
    return rows, list(columns)


def _json_item_lines(text: str, key: str | None = None) -> list[int]:
    """Start line of each element of the top-level list (or of the list under ``key``).

    ``text`` is JSON that :func:`json.loads` accepted.
    """
    start = _skip_space(text, 0)
    if key is not None:
        start = next((s for k, s in _json_members(text, start) if k == key), len(text))
    if not text.startswith("[", start):
        return []
    lines = _LineIndex(text)
    return [lines.line_of(i) for i in _json_elements(text, start)]


def _json_value_lines(text: str) -> dict[str, int]:
    """Start line of each value of the top-level object, by key."""
    lines = _LineIndex(text)
    return {key: lines.line_of(i) for key, i in _json_members(text, _skip_space(text, 0))}


_DECODER = json.JSONDecoder()


def _json_members(text: str, i: int) -> Iterator[tuple[str, int]]:
    """(key, where its value starts) for each member of the JSON object at ``text[i]``."""
    i = _skip_space(text, i + 1)
    while text[i] != "}":
        key, i = _DECODER.raw_decode(text, i)
        start = _skip_space(text, _skip_space(text, i) + 1)  # past ':'
        yield str(key), start
        i = _past_value(text, start)


def _json_elements(text: str, i: int) -> Iterator[int]:
    """Where each element of the JSON array at ``text[i]`` starts."""
    i = _skip_space(text, i + 1)
    while text[i] != "]":
        yield i
        i = _past_value(text, i)


def _past_value(text: str, i: int) -> int:
    """The position after the JSON value at ``text[i]`` and the comma that follows it."""
    _, i = _DECODER.raw_decode(text, i)
    i = _skip_space(text, i)
    return _skip_space(text, i + 1) if text[i] == "," else i


class _LineIndex:
    """Line numbers of positions in a text, by bisection (counting newlines each time made
    reading a JSON file quadratic: 40,000 rows took two minutes).

    >>> _LineIndex("a\\nb\\nc").line_of(4)
    3
    """

    def __init__(self, text: str):
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line_of(self, i: int) -> int:
        return bisect.bisect_left(self.newlines, i) + 1


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _read_json_lines(text: str, name: str | None) -> tuple[list[ExerciseRow], list[str]]:
    items: list[object] = []
    starts: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as error:
            reason = Message("batch.file.invalid_json", reason=error.msg)
            raise ExerciseFileError(reason, name, number) from None
        except RecursionError:
            raise ExerciseFileError(Message("batch.file.json_too_deep"), name, number) from None
        starts.append(number)
    return _rows_from_objects(items, starts, name)


def _read_yaml(text: str, name: str | None) -> tuple[list[ExerciseRow], list[str]]:
    try:
        import yaml
    except ImportError:
        raise ExerciseFileError(Message("batch.file.needs_pyyaml"), name) from None
    try:
        # Compose only: nodes keep each value's text exactly as written (54, yes, 1e-3
        # stay text) and their line; no Python object is ever constructed from the file.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = Message("batch.file.invalid_yaml", reason=str(error.problem))
        raise ExerciseFileError(reason, name, line) from None
    except (yaml.YAMLError, RecursionError) as error:
        reason = Message("batch.file.invalid_yaml", reason=str(error))
        raise ExerciseFileError(reason, name) from None
    keyed = isinstance(root, yaml.MappingNode) and all(
        isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.MappingNode) for k, v in root.value
    )
    if keyed and root.value:  # q1: {function: …, answer: …}: each key is the id
        root = yaml.SequenceNode(
            "tag:yaml.org,2002:seq",
            [
                yaml.MappingNode(
                    value.tag,
                    [(yaml.ScalarNode("tag:yaml.org,2002:str", "id"), key), *value.value],
                    value.start_mark,
                    value.end_mark,
                )
                for key, value in root.value
            ],
        )
    elif isinstance(root, yaml.MappingNode):
        lists = {
            k.value: v
            for k, v in root.value
            if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.SequenceNode)
        }
        key = next((k for k in _LIST_KEYS if k in lists), next(iter(lists), None))
        root = lists.get(key) if key is not None else None
    if not isinstance(root, yaml.SequenceNode):
        raise ExerciseFileError(Message("batch.file.yaml_not_a_list"), name, 1)
    items = [_yaml_values(item) for item in root.value]
    starts = [item.start_mark.line + 1 for item in root.value]
    return _rows_from_objects(items, starts, name, "batch.row.nested_value_yaml")


def _yaml_values(node: object) -> object:
    """A mapping node as a dict of its values' text as written (None for null; an empty
    dict or list for a nested mapping or list, which the row refuses); else None."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    values: dict[str, object] = {}
    for key, value in node.value:
        text = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
        if isinstance(value, yaml.ScalarNode):
            values[text] = None if value.tag == "tag:yaml.org,2002:null" else value.value
        else:
            values[text] = {} if isinstance(value, yaml.MappingNode) else []
    return values
