"""``derivcheck check`` through a subprocess, as a teacher runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derivcheck.grading.batch import check_answers

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = (
    "id,function,answer,at,student\n"
    "1,(2x+1)^3,6(2x+1)^2,,张三\n"
    "2,(2x+1)^3,3(2x+1)^2,,Alice\n"
    "3,(2x+1)^3,54,1,李四\n"
    "4,x sin x,cos x,,Bob\n"
    "5,x^2,__import__('os').system('echo hacked'),,Mallory\n"
)


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "derivcheck", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )


def main(*args: str) -> int:
    """The same command in this process (quicker; subprocess tests cover the real thing)."""
    from derivcheck.cli import main as cli_main

    return cli_main(["check", *args])


@pytest.fixture
def answers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def test_table_on_stdout(answers_csv):
    result = run(str(answers_csv), "--format", "table", cwd=answers_csv.parent)
    assert result.returncode == 0, result.stderr
    assert "missing-inner-derivative" in result.stdout and "product-rule" in result.stdout
    assert "Summary: 5 answers: 2 correct, 2 incorrect, 1 unparseable, 0 error" in result.stdout
    assert "hacked" not in result.stdout.replace("echo hacked", "")
    assert result.stderr == ""  # a pipe gets no progress bar and no extra summary


def test_json_report_is_the_default_on_a_pipe(answers_csv):
    result = run(str(answers_csv), cwd=answers_csv.parent)
    data = json.loads(result.stdout)
    assert data["summary"]["answers"] == 5 and data["summary"]["correct"] == 2
    verdicts = [(r["id"], r["verdict"], r["diagnosis"]) for r in data["results"]]
    assert verdicts == [
        ("1", "correct", None),
        ("2", "incorrect", "missing-inner-derivative"),
        ("3", "correct", None),
        ("4", "incorrect", "product-rule"),
        ("5", "unparseable", None),
    ]
    assert data["results"][0]["student"] == "张三" and data["results"][0]["line"] == 2


def test_csv_report_in_chinese(answers_csv, capsys):
    assert main(str(answers_csv), "--format", "csv", "--lang", "zh") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["verdict"] for r in rows] == [
        "correct",
        "incorrect",
        "correct",
        "incorrect",
        "unparseable",
    ]
    assert "链式法则" in rows[1]["message"]


def test_out_file_and_identical_reports(answers_csv, capsys, monkeypatch):
    folder = answers_csv.parent
    monkeypatch.chdir(folder)
    for name in ("one.json", "two.json"):
        assert main(str(answers_csv), "--out", name) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # not a terminal: no summary, no progress
    assert (folder / "one.json").read_bytes() == (folder / "two.json").read_bytes()
    assert not list(folder.glob("*.partial"))
    assert main(str(answers_csv), "--out", "report.csv", "--jobs", "2") == 0
    text = (folder / "report.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("id,student,line,function")


def test_gbk_and_bom_files(tmp_path, capsys):
    gbk = tmp_path / "作业.csv"
    gbk.write_bytes("题号,函数,答案,姓名\n1,sin(2x),2cos(2x),王小明\n".encode("gbk"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + ANSWERS.encode("utf-8"))
    assert main(str(bom), "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["summary"]["encoding"] == "utf-8-sig"
    assert main(str(gbk), "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["encoding"] == "gb18030"
    assert data["results"][0]["student"] == "王小明" and data["results"][0]["verdict"] == "correct"


def test_yaml_and_json_inputs(tmp_path, capsys):
    pytest.importorskip("yaml")
    yaml_file = tmp_path / "a.yaml"
    yaml_file.write_text("- id: 1\n  function: (2x+1)^3\n  answer: 54\n  at: 1\n", encoding="utf-8")
    json_file = tmp_path / "a.json"
    json_file.write_text('[{"id": 1, "function": "x^2", "answer": "2x"}]', encoding="utf-8")
    for path in (yaml_file, json_file):
        assert main(str(path), "--format", "json") == 0
        assert json.loads(capsys.readouterr().out)["results"][0]["verdict"] == "correct"


def test_unusable_file_exits_2_in_a_real_process(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run(str(path), cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"derivcheck: error: {path}, line 1: no 'function' column")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("a,b\n1,2\n", (), "line 1: no 'function' column"),
        ("id,function\n1,x^2\n", (), "no 'answer' column"),
        (b"id,function,answer\n1,x^2,caf\xe9\n", (), "line 2: the file is neither UTF-8 nor GBK"),
        ("id,function,answer\n1,x^2,2x\n", ("--encoding", "klingon"), "unknown encoding"),
        ("id,function,answer\n1,x^2,2x\n", ("--resume",), "--resume needs --out"),
        ('[{"id": 1,\n "function": "x^2"\n "answer": "2x"}]', (), "line 3: invalid JSON"),
        ("- id: 1\n  function: |x|\n", (), "line 2: invalid YAML"),
    ],
)
def test_unusable_file_exits_2_with_line_and_reason(tmp_path, capsys, content, args, message):
    path = tmp_path / ("bad.json" if "[" in str(content) else "bad.yaml" if "- id" in str(content)
                       else "bad.csv")  # fmt: skip
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    assert main(str(path), *args) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert captured.err.startswith("derivcheck: error: ") and captured.out == ""


def test_standard_input(monkeypatch, capsys):
    stdin = io.TextIOWrapper(io.BytesIO(ANSWERS.encode("gbk")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main("-", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["encoding"] == "gb18030" and data["summary"]["correct"] == 2


def test_report_that_would_be_lost_is_refused_before_grading(answers_csv, capsys):
    folder = answers_csv.parent / "reports"
    folder.mkdir()
    assert main(str(answers_csv), "--out", str(folder)) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(str(answers_csv), "--out", str(folder / "report.xlsx")) == 2
    assert "not a workbook" in capsys.readouterr().err
    assert sorted(p.name for p in answers_csv.parent.rglob("*")) == ["answers.csv", "reports"]


def test_a_report_that_cannot_be_written_keeps_the_graded_answers(answers_csv, capsys, monkeypatch):
    from derivcheck.grading import batch

    def disk_full(self, path, format=None):
        raise OSError(28, "No space left on device")

    report = answers_csv.parent / "report.json"
    monkeypatch.setattr(batch.BatchReport, "write", disk_full)
    assert main(str(answers_csv), "--out", str(report)) == 2
    error = capsys.readouterr().err
    assert "No space left on device" in error and f"{report}.partial" in error
    monkeypatch.undo()
    assert main(str(answers_csv), "--out", str(report), "--resume") == 0
    assert report.read_text(encoding="utf-8") == check_answers(answers_csv).to_json()


def test_missing_file(tmp_path, capsys):
    assert main(str(tmp_path / "nope.csv")) == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_rows_do_not_stop_the_batch(tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text(
        "id,function,answer\n1,x^2,2x\n2,,2x\n3,x^2,1,2,3\n4,foo(x),1\n5,x^2,((((\n6,x^2,2x\n",
        encoding="utf-8",
    )
    assert main(str(path), "--format", "json") == 0
    verdicts = [r["verdict"] for r in json.loads(capsys.readouterr().out)["results"]]
    assert verdicts == ["correct", "error", "error", "error", "unparseable", "correct"]


def _big_file(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "function", "answer"])
        for k in range(rows):
            writer.writerow([k, ["(2x+1)^3", "x sin x"][k % 2], f"{k}x + {k % 7}"])


def test_interrupted_run_resumes_to_the_same_report(tmp_path):
    path = tmp_path / "big.csv"
    _big_file(path, 2000)
    journal = tmp_path / "report.json.partial"
    process = subprocess.Popen(
        [sys.executable, "-m", "derivcheck", "check", str(path), "--out", "report.json"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and journal.read_text(encoding="utf-8").count("\n") > 50:
            process.send_signal(signal.SIGINT)
            break
        time.sleep(0.005)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the run finished before it could be interrupted")
    assert process.returncode == 130, stderr
    assert "--resume" in stderr and not (tmp_path / "report.json").exists()
    graded = journal.read_text(encoding="utf-8").count("\n") - 1
    assert 0 < graded < 2000

    resumed = run(str(path), "--out", "report.json", "--resume", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert not journal.exists()
    fresh = check_answers(path)  # the same file graded in one go
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == fresh.to_json()


def test_progress_bar_and_summary_only_on_a_terminal(tmp_path):
    path = tmp_path / "big.csv"
    _big_file(path, 300)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "derivcheck", "check", str(path), "--out", "r.json"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=60)
    os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert process.returncode == 0
    assert "answers" in text and "/300" in text  # the progress bar
    assert "Summary: 300 answers" in text


def test_help_lists_the_options():
    result = subprocess.run(
        [sys.executable, "-m", "derivcheck", "check", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    for option in ("--format", "--out", "--jobs", "--lang", "--resume", "--encoding"):
        assert option in result.stdout


def test_example_report_is_what_derivcheck_writes():
    example = ROOT / "examples" / "answers.csv"
    written = (ROOT / "examples" / "answers_report.json").read_text(encoding="utf-8")
    assert check_answers(example).to_json() == written


def test_interrupted_run_without_out_prints_what_was_graded(answers_csv, capsys, monkeypatch):
    from derivcheck.grading import batch

    real = batch.run_batch

    def stopped_after_two(rows, done, *, on_result, **kwargs):
        real(rows[:2], done, on_result=on_result, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_batch", stopped_after_two)
    assert main(str(answers_csv), "--format", "json") == 130
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["summary"]["interrupted"] is True and len(data["results"]) == 2
    assert "interrupted after 2 of 5 answers" in captured.err
