"""The journal of a batch (``REPORT.partial``): results on disk as they are graded.

An interrupted run (``--out REPORT``) leaves its journal behind, and ``--resume`` continues
from it without grading any row again. The first line records the input's SHA-256 and
the language, so a resume refuses a file that changed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO

from derivcheck.errors import DerivcheckError
from derivcheck.grading.grade import AnswerResult

__all__ = ["Journal"]


class Journal:
    """``REPORT.partial``: one JSON line per graded row, flushed as it is written.

    :meth:`finish` deletes the journal once the report itself is written.
    """

    VERSION = 2

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
        if not isinstance(header, dict) or "derivcheck_journal" not in header:
            raise DerivcheckError("batch.not_a_journal", path=str(path))
        if header.get("derivcheck_journal") != cls.VERSION:
            raise DerivcheckError("batch.old_journal", path=str(path))
        if header.get("sha256") != sha256:
            raise DerivcheckError("batch.file_changed", path=str(path))
        done: dict[int, AnswerResult] = {}
        kept = [lines[0]]
        for line in lines[1:]:
            try:
                entry = json.loads(line)
                index = int(entry["index"])
                result = AnswerResult.from_dict(entry["result"], index=index)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                continue  # the line being written when the run stopped
            done[index] = result
            kept.append(line)
        handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        handle.write("\n".join(kept) + "\n")
        handle.flush()
        return cls(path, handle), done

    def write(self, result: AnswerResult) -> None:
        entry = {"index": result.index, "result": result.to_record()}
        self.handle.write(json.dumps(entry) + "\n")
        self.handle.flush()

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()

    def finish(self) -> None:
        """The report is written: the journal is no longer needed."""
        self.close()
        self.path.unlink(missing_ok=True)
