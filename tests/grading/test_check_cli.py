"""``derivcheck check`` as a teacher runs it.

Most tests call the command in this process (``run_cli``); a real process is started for
what only a process shows: the entry point with a file and with standard input, worker
processes (``--jobs``), SIGINT and ``--resume``, and the progress bar on a terminal.
"""

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
VERDICTS = [  # d/dx (2x+1)^3 = 6(2x+1)^2 = 54 at x = 1; (x sin x)' = sin x + x cos x
    ("1", "correct", None),
    ("2", "incorrect", "missing-inner-derivative"),
    ("3", "correct", None),
    ("4", "incorrect", "product-rule"),
    ("5", "unparseable", None),
]


@pytest.fixture
def check(run_cli):
    """``check(*args, stdin=None, cwd=None)``: ``derivcheck check ARGS`` in this process."""
    return lambda *args, **options: run_cli("check", *args, **options)


@pytest.fixture
def answers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def verdicts(report_json: str) -> list[tuple[str, str, str | None]]:
    return [(r["id"], r["verdict"], r["diagnosis"]) for r in json.loads(report_json)["results"]]


# --------------------------------------------------------------------------------------
# A real process
# --------------------------------------------------------------------------------------


def test_a_file_in_a_real_process_gives_json_on_a_pipe(run_process, answers_csv):
    result = run_process("check", answers_csv, cwd=answers_csv.parent)
    assert result.returncode == 0, result.stderr
    assert verdicts(result.stdout) == VERDICTS
    assert result.stderr == ""  # a pipe gets no progress bar and no extra summary


def test_standard_input_in_a_real_process(run_process):
    result = run_process("check", "-", "--format", "json", stdin=ANSWERS.encode("gbk"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["encoding"] == "gb18030" and verdicts(result.stdout) == VERDICTS


def test_worker_processes_write_the_same_report(run_process, check, answers_csv):
    folder = answers_csv.parent
    # 2 jobs on 5 rows: a pool of two forked workers, in a process of its own
    result = run_process("check", answers_csv, "--out", "r2.csv", "--jobs", "2", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert check(answers_csv, "--out", "r1.csv", "--jobs", "1", cwd=folder).returncode == 0
    text = (folder / "r2.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("id,student,line,function")
    assert (folder / "r1.csv").read_bytes() == (folder / "r2.csv").read_bytes()


def _big_file(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "function", "answer"])
        for k in range(rows):
            writer.writerow([k, ["(2x+1)^3", "x sin x"][k % 2], f"{k}x + {k % 7}"])


def test_interrupted_run_resumes_to_the_same_report(tmp_path, check):
    path = tmp_path / "big.csv"
    _big_file(path, 400)  # the fewest that get worker processes (--jobs default)
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
    assert 0 < graded < 400

    # one job: no worker pool forked from the test process
    resumed = check(path, "--out", "report.json", "--resume", "--jobs", "1", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert not journal.exists()
    fresh = check_answers(path, jobs=1)  # the same file graded in one go
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


# --------------------------------------------------------------------------------------
# In this process
# --------------------------------------------------------------------------------------


def test_table_on_stdout(check, answers_csv):
    result = check(answers_csv, "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "missing-inner-derivative" in result.stdout and "product-rule" in result.stdout
    assert "Summary: 5 answers: 2 correct, 2 incorrect, 1 unparseable, 0 error" in result.stdout
    assert "hacked" not in result.stdout.replace("echo hacked", "")
    assert result.stderr == ""  # not a terminal: no progress bar, no extra summary


def test_json_report_is_the_default_when_not_on_a_terminal(check, answers_csv):
    data = json.loads(check(answers_csv).stdout)
    assert data["summary"]["answers"] == 5 and data["summary"]["correct"] == 2
    assert verdicts(json.dumps(data)) == VERDICTS
    assert data["results"][0]["student"] == "张三" and data["results"][0]["line"] == 2


def test_csv_report_in_chinese(check, answers_csv):
    result = check(answers_csv, "--format", "csv", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["verdict"] for r in rows] == [v for _, v, _ in VERDICTS]
    assert "链式法则" in rows[1]["message"]


def test_out_file_and_identical_reports(check, answers_csv):
    folder = answers_csv.parent
    for name in ("one.json", "two.json"):
        result = check(answers_csv, "--out", name, cwd=folder)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "" and result.stderr == ""  # no terminal: no summary
    assert (folder / "one.json").read_bytes() == (folder / "two.json").read_bytes()
    assert not list(folder.glob("*.partial"))


def test_gbk_and_bom_files(check, tmp_path):
    gbk = tmp_path / "作业.csv"
    gbk.write_bytes("题号,函数,答案,姓名\n1,sin(2x),2cos(2x),王小明\n".encode("gbk"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + ANSWERS.encode("utf-8"))
    assert json.loads(check(bom, "--format", "json").stdout)["summary"]["encoding"] == "utf-8-sig"
    data = json.loads(check(gbk, "--format", "json").stdout)
    assert data["summary"]["encoding"] == "gb18030"
    assert data["results"][0]["student"] == "王小明" and data["results"][0]["verdict"] == "correct"


def test_yaml_and_json_inputs(check, tmp_path):
    pytest.importorskip("yaml", reason="PyYAML (the test extra) is not installed")
    yaml_file = tmp_path / "a.yaml"
    yaml_file.write_text("- id: 1\n  function: (2x+1)^3\n  answer: 54\n  at: 1\n", encoding="utf-8")
    json_file = tmp_path / "a.json"
    json_file.write_text('[{"id": 1, "function": "x^2", "answer": "2x"}]', encoding="utf-8")
    for path in (yaml_file, json_file):
        result = check(path, "--format", "json")
        assert json.loads(result.stdout)["results"][0]["verdict"] == "correct"


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
def test_unusable_file_exits_2_with_line_and_reason(check, tmp_path, content, args, message):
    path = tmp_path / ("bad.json" if "[" in str(content) else "bad.yaml" if "- id" in str(content)
                       else "bad.csv")  # fmt: skip
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = check(path, *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith("derivcheck: error: ") and result.stdout == ""


def test_standard_input(check):
    result = check("-", "--format", "json", stdin=ANSWERS.encode("gbk"))
    data = json.loads(result.stdout)
    assert data["summary"]["encoding"] == "gb18030" and data["summary"]["correct"] == 2


def test_report_that_would_be_lost_is_refused_before_grading(check, answers_csv):
    folder = answers_csv.parent / "reports"
    folder.mkdir()
    result = check(answers_csv, "--out", folder)
    assert result.returncode == 2 and "is a folder" in result.stderr
    result = check(answers_csv, "--out", folder / "report.xlsx")
    assert result.returncode == 2 and "not a workbook" in result.stderr
    assert sorted(p.name for p in answers_csv.parent.rglob("*")) == ["answers.csv", "reports"]


def test_a_report_that_cannot_be_written_keeps_the_graded_answers(check, answers_csv, monkeypatch):
    from derivcheck.grading import batch

    def disk_full(self, path, format=None):
        raise OSError(28, "No space left on device")

    report = answers_csv.parent / "report.json"
    monkeypatch.setattr(batch.BatchReport, "write", disk_full)
    result = check(answers_csv, "--out", report)
    assert result.returncode == 2
    assert "no space left on the device" in result.stderr and f"{report}.partial" in result.stderr
    monkeypatch.undo()
    assert check(answers_csv, "--out", report, "--resume").returncode == 0
    assert report.read_text(encoding="utf-8") == check_answers(answers_csv).to_json()


def test_missing_file(check, tmp_path):
    result = check(tmp_path / "nope.csv")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_bad_rows_do_not_stop_the_batch(check, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "id,function,answer\n1,x^2,2x\n2,,2x\n3,x^2,1,2,3\n4,foo(x),1\n5,x^2,((((\n6,x^2,2x\n",
        encoding="utf-8",
    )
    result = check(path, "--format", "json")
    assert result.returncode == 0
    found = [r["verdict"] for r in json.loads(result.stdout)["results"]]
    assert found == ["correct", "error", "error", "error", "unparseable", "correct"]


def test_help_lists_the_options(check):
    result = check("--help")
    assert result.returncode == 0
    for option in ("--format", "--out", "--jobs", "--lang", "--resume", "--encoding"):
        assert option in result.stdout


def test_interrupted_run_without_out_prints_what_was_graded(check, answers_csv, monkeypatch):
    from derivcheck.grading import batch

    real = batch.run_batch

    def stopped_after_two(rows, done, *, on_result, **kwargs):
        real(rows[:2], done, on_result=on_result, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_batch", stopped_after_two)
    result = check(answers_csv, "--format", "json")
    assert result.returncode == 130
    data = json.loads(result.stdout)
    assert data["summary"]["interrupted"] is True and len(data["results"]) == 2
    assert "interrupted after 2 of 5 answers" in result.stderr
