"""The journal of a batch (``REPORT.partial``): results on disk as they are graded.

An interrupted run (``--out REPORT``) leaves its journal behind, and ``--resume`` continues
from it without grading any row again. What the journal promises:

* **Append-only.** The header is written to a new file (created exclusively) and renamed
  into place; after that, each graded row is one line, the rows that arrive together
  from a worker are one ``write`` as soon as they arrive, and nothing is ever rewritten.
  A run killed at any instant (``kill -9``) loses at most the rows in flight (being
  graded, or received and not yet written); ``--resume`` cuts a torn last line off and
  appends after it. Lines are
  flushed to the disk (``fsync``) at least every two seconds and when the journal closes.
* **Any text.** Lines are ASCII JSON, so answers with lone surrogates or any other
  character are journaled as they are.
* **One run at a time.** ``REPORT.lock`` is locked (``flock``) for the whole run; a
  second run on the same report refuses with a clear message, and a run that dies
  releases the lock with it.
* **Only regular files.** The report, its journal and its lock are never written through
  a symbolic link, into a device or over a folder.
* **A full disk** is a :class:`JournalError` (a :class:`~derivcheck.DerivcheckError`, so
  the command exits with status 2) that says where the rows graded so far are kept.

The first line records the input's SHA-256, so a resume refuses a file that changed.

>>> import dataclasses, pathlib, tempfile
>>> from derivcheck.grading.grade import check_answer
>>> report = pathlib.Path(tempfile.mkdtemp()) / "report.json"
>>> journal = Journal.start(report, "abc", "en", rows=1)
>>> journal.write(dataclasses.replace(check_answer("x^2", "2x"), index=0))
>>> journal.close()
>>> again, done = Journal.resume(report, "abc", "en", rows=1)
>>> {index: r.verdict for index, r in done.items()}
{0: 'correct'}
>>> again.finish(); Journal.path_for(report).exists()
False
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from derivcheck.errors import DerivcheckError
from derivcheck.grading.grade import AnswerResult
from derivcheck.grading.report import regular_file_or_missing
from derivcheck.messages import Message

try:  # pragma: no cover - every Unix has it
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock
    fcntl = None  # type: ignore[assignment]

__all__ = ["Journal", "JournalError", "ReportLock"]

_SYNC_EVERY = 2.0  # seconds between fsyncs of the journal


class JournalError(DerivcheckError):
    """The journal cannot be written (a full disk): the rows graded so far are kept."""


class ReportLock:
    """``REPORT.lock``, locked with ``flock`` while a run writes the report.

    The lock file is removed while still locked when the run ends; a run that finds the
    file it locked already removed (it raced with one that was ending) locks again.
    """

    def __init__(self, report: str | os.PathLike[str]):
        report = Path(report)
        self.report = report
        self.path = report.with_name(report.name + ".lock")
        self.fd: int | None = None

    def acquire(self) -> ReportLock:
        if fcntl is None:  # pragma: no cover
            return self
        for _ in range(20):
            fd = _open_regular(self.path, os.O_RDWR | os.O_CREAT)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise DerivcheckError(
                    "batch.locked", path=str(self.report), lock=str(self.path)
                ) from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self.fd = fd
                self._remove_stale_temporaries()
                return self
            os.close(fd)  # the file was removed by the run that held it: lock the new one
        raise DerivcheckError(  # pragma: no cover - twenty races in a row
            "batch.locked", path=str(self.report), lock=str(self.path)
        )

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of this report left by a run killed while writing one (only a
        run holding the lock may write them, so none is in use now)."""
        pattern = re.compile(rf"\.{re.escape(self.report.name)}(?:\.partial)?\.[a-z0-9_]{{8}}")
        folder = self.report.parent
        try:
            names = os.listdir(folder)
        except OSError:
            return
        for name in names:
            if pattern.fullmatch(name) and not os.path.islink(folder / name):
                try:
                    os.unlink(folder / name)
                except OSError:
                    pass

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None


def _open_regular(path: Path, flags: int, mode: int = 0o644) -> int:
    """Open ``path`` without following a link; refuse anything but a regular file."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), mode)
    except OSError as error:
        if os.path.islink(path) or os.path.isdir(path):
            raise DerivcheckError("batch.not_regular", path=str(path)) from None
        raise DerivcheckError(
            "batch.cannot_write_next_to", out=str(path), reason=error.strerror or str(error)
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DerivcheckError("batch.not_regular", path=str(path))
    return fd


class Journal:
    """``REPORT.partial``: one JSON line per graded row (see the module docstring).

    :meth:`finish` deletes the journal (and the lock) once the report itself is written;
    :meth:`close` keeps it for a ``--resume``.
    """

    VERSION = 2

    def __init__(self, path: Path, fd: int, lock: ReportLock | None = None):
        self.path = path
        self.fd: int | None = fd
        self.lock = lock
        self.synced = time.monotonic()

    @staticmethod
    def path_for(report: str | os.PathLike[str]) -> Path:
        report = Path(report)
        return report.with_name(report.name + ".partial")

    @classmethod
    def start(cls, report: str | os.PathLike[str], sha256: str, lang: str, rows: int) -> Journal:
        """A new journal for ``report`` (an old one is replaced); locks the report."""
        regular_file_or_missing(report)
        lock = ReportLock(report).acquire()
        try:
            return cls._create(report, sha256, lang, rows, lock)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _create(
        cls, report: str | os.PathLike[str], sha256: str, lang: str, rows: int, lock: ReportLock
    ) -> Journal:
        path = cls.path_for(report)
        header = {"derivcheck_journal": cls.VERSION, "sha256": sha256, "lang": lang, "rows": rows}
        try:
            fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        except OSError as error:
            raise DerivcheckError(
                "batch.cannot_write_next_to", out=str(report), reason=error.strerror or str(error)
            ) from None
        try:
            _write_all(fd, (json.dumps(header) + "\n").encode("ascii"))
            os.fsync(fd)
            if os.path.isdir(path) and not os.path.islink(path):
                raise DerivcheckError("batch.not_regular", path=str(path))
            os.replace(temporary, path)  # a link planted there is replaced, not followed
        except OSError as error:
            os.close(fd)
            os.unlink(temporary)
            raise JournalError(
                "batch.cannot_write_next_to", out=str(report), reason=error.strerror or str(error)
            ) from None
        except BaseException:
            os.close(fd)
            os.unlink(temporary)
            raise
        return cls(path, fd, lock)

    @classmethod
    def resume(
        cls, report: str | os.PathLike[str], sha256: str, lang: str, rows: int
    ) -> tuple[Journal, dict[int, AnswerResult]]:
        """Reopen the journal of an interrupted run: (journal, results already graded by
        index). Without a journal, a new one is started. ``lang`` may differ from the
        interrupted run's: the messages are kept as data."""
        regular_file_or_missing(report)
        lock = ReportLock(report).acquire()
        try:
            path = cls.path_for(report)
            if not os.path.lexists(path):
                return cls._create(report, sha256, lang, rows, lock), {}
            fd = _open_regular(path, os.O_RDWR)
            try:
                done, end = _read(fd, path, sha256)
                os.ftruncate(fd, end)  # the torn line of a killed run goes; nothing else
                os.lseek(fd, 0, os.SEEK_END)
            except BaseException:
                os.close(fd)
                raise
            return cls(path, fd, lock), done
        except BaseException:
            lock.release()
            raise

    def write(self, result: AnswerResult) -> None:
        """Append the result of one row (one write of one line)."""
        self.write_many([result])

    def write_many(self, results: Sequence[AnswerResult]) -> None:
        """Append the results of rows that arrived together: one line each, in one write
        (a kill loses none of them or, at worst, the torn last line, which ``resume``
        drops)."""
        if self.fd is None:
            reason = Message("batch.journal_closed")
            raise JournalError("batch.journal_failed", path=str(self.path), reason=reason)
        dumps = json.dumps
        lines = "".join(
            dumps({"index": r.index, "result": r.to_record()}, ensure_ascii=True, allow_nan=True)
            + "\n"
            for r in results
        ).encode("ascii")
        try:
            _write_all(self.fd, lines)
            now = time.monotonic()
            if now - self.synced >= _SYNC_EVERY:
                os.fsync(self.fd)
                self.synced = now
        except OSError as error:
            self.close()
            raise JournalError(
                "batch.journal_failed", path=str(self.path), reason=error.strerror or str(error)
            ) from None

    def close(self) -> None:
        """Close the journal and keep it (for ``--resume``); releases the report's lock."""
        if self.fd is not None:
            try:
                os.fsync(self.fd)
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def finish(self) -> None:
        """The report is written: the journal is no longer needed."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        self.path.unlink(missing_ok=True)
        self.close()

    def __del__(self) -> None:  # a journal dropped after an error still frees its lock
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    @property
    def handle(self) -> _Handle:
        """A file-like view for writing raw text (tests simulate torn lines with it)."""
        return _Handle(self)


class _Handle:
    def __init__(self, journal: Journal):
        self.journal = journal

    def write(self, text: str) -> None:
        assert self.journal.fd is not None
        _write_all(self.journal.fd, text.encode("utf-8"))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read(fd: int, path: Path, sha256: str) -> tuple[dict[int, AnswerResult], int]:
    """The results in a journal by row index, and the byte offset after its last complete
    line; a row journaled twice keeps its first result."""
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    data = b"".join(chunks)
    first, newline, _ = data.partition(b"\n")
    header: Any = None
    if newline:
        try:
            header = json.loads(first)
        except (json.JSONDecodeError, UnicodeDecodeError):
            header = None
    if not isinstance(header, dict) or "derivcheck_journal" not in header:
        raise DerivcheckError("batch.not_a_journal", path=str(path))
    if header.get("derivcheck_journal") != Journal.VERSION:
        raise DerivcheckError("batch.old_journal", path=str(path))
    if header.get("sha256") != sha256:
        raise DerivcheckError("batch.file_changed", path=str(path))
    end = data.rfind(b"\n") + 1
    done: dict[int, AnswerResult] = {}
    for line in data[len(first) + 1 : end].split(b"\n"):
        try:
            entry = json.loads(line)
            index = int(entry["index"])
            if index not in done:
                done[index] = AnswerResult.from_dict(entry["result"], index=index)
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError):
            continue  # cannot happen with append-only lines, but a damaged line is regraded
    return done, end
