"""What the README promises, checked: the generated examples are what the code writes now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def _stale(name: str, command: str) -> str:
    return f"examples/{name} is not what the code writes now; regenerate it with: {command}"


def test_chapter_page_is_what_make_chapter_writes(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("make_chapter", EXAMPLES / "make_chapter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--no-pdf", "--out", str(tmp_path)]) == 0
    written = (tmp_path / "chapter.md").read_bytes()
    assert written == (EXAMPLES / "chapter.md").read_bytes(), _stale(
        "chapter.md", "python examples/make_chapter.py (--no-pdf: the page only)"
    )


def test_answers_report_is_what_derivcheck_check_writes(run_cli, tmp_path):
    report = tmp_path / "answers_report.json"
    result = run_cli("check", "examples/answers.csv", "--out", report, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert report.read_bytes() == (EXAMPLES / "answers_report.json").read_bytes(), _stale(
        "answers_report.json",
        "derivcheck check examples/answers.csv --out examples/answers_report.json",
    )
