"""A batch that cannot die and never loses a row (issue 10 §5).

``derivcheck check`` runs in forked children (no interpreter start-up per run), which are
killed with SIGKILL at random instants while they grade and while they resume, run four at
a time on one report, write onto a full disk (a small tmpfs when this machine lets us mount
one; otherwise ENOSPC is simulated, and the test says so), and meet poison rows. Each time
the final report must be byte for byte the report of an uninterrupted run, with every row
graded exactly once. The long versions (20 kills, 10,000 rows) are marked ``slow``.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derivcheck.grading import journal as journal_module
from derivcheck.grading.batch import check_answers
from derivcheck.grading.grade import AnswerResult
from derivcheck.grading.journal import Journal
from tests.grading.conftest import RUN_SLOW

EXERCISES = [
    ("(2x+1)^3", ["6(2x+1)^2", "3(2x+1)^2", "24x^2 + 24x + 6", "6(2x+1)^3"]),
    ("x sin x", ["sin x + x cos x", "cos x", "x cos x", "(x"]),
    ("sin(x)/x", ["(x cos x - sin x)/x^2", "(sin x - x cos x)/x^2", "cos x"]),
    ("e^(3x)", ["3e^(3x)", "e^(3x)", "-3e^(3x)"]),
    ("ln(x^2+1)", ["2x/(x^2+1)", "1/(x^2+1)", "x/(x^2+1)"]),
]


def _write_class(path: Path, rows: int, seed: int = 7) -> None:
    """A class of ``rows`` answers; distinct texts (k is added and taken away), so that the
    cache of identical answers does not make grading instant."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "student", "function", "answer"])
        for k in range(rows):
            function, answers = EXERCISES[k % len(EXERCISES)]
            answer = rng.choice(answers)
            if not answer.startswith("("):
                answer = f"{answer} + {k} - {k}"
            writer.writerow([f"{k // 50}.{k % 50}", f"学生{k % 37}", function, answer])


def _fork_check(*args: str, cwd: Path, stderr: Path, before=None) -> int:
    """Start ``derivcheck check ARGS`` in a forked child; its pid. ``before`` runs in the
    child first (to break something there)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            os.chdir(cwd)
            out = os.open(os.devnull, os.O_WRONLY)
            err = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(out, 1)
            os.dup2(err, 2)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - pytest's capture is gone
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if before is not None:
                before()
            from derivcheck.cli import main

            code = main(["check", *args])
        except BaseException:  # noqa: BLE001 - the child must never return into pytest
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid


def _wait(pid: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("derivcheck check did not finish")


def _journal_lines(journal: Path) -> list[bytes]:
    try:
        return journal.read_bytes().split(b"\n")
    except FileNotFoundError:
        return []


def _check_journal(journal: Path, expected: list[dict]) -> int:
    """Every complete line of the journal is one row, graded once, as in the reference."""
    lines = _journal_lines(journal)
    if not lines:
        return 0
    indices = []
    for line in lines[1:-1]:  # the last piece is the torn line in flight, or empty
        entry = json.loads(line)
        indices.append(entry["index"])
        kept = AnswerResult.from_dict(entry["result"]).to_dict()
        assert kept == expected[entry["index"]]
    assert len(indices) == len(set(indices)), "a row was journaled twice"
    return len(indices)


def _kill_and_resume(
    tmp_path: Path, rows: int, kills: int, seed: int
) -> list[tuple[bool, bool, int]]:
    path = tmp_path / "answers.csv"
    _write_class(path, rows)
    reference = check_answers(path)
    expected_json = reference.to_json()
    expected = [r.to_dict() for r in reference.results]
    report, journal = tmp_path / "report.json", tmp_path / "report.json.partial"
    rng = random.Random(seed)
    killed: list[tuple[bool, bool, int]] = []  # (a resume, killed before it finished, rows)
    for k in range(kills):
        resume = ["--resume"] if k % 2 else []  # kills while grading and while resuming
        if resume == [] and journal.exists():
            resume = ["--resume"]
        jobs = rng.choice(["1", "2"])
        pid = _fork_check(
            str(path), "--out", str(report), "--jobs", jobs, *resume,
            cwd=tmp_path, stderr=tmp_path / f"err{k}",
        )  # fmt: skip
        base = len(_journal_lines(journal))  # lines already there
        wanted = base + rng.randint(1, max(1, (rows + 1 - base) // 2))  # lines to wait for,
        # or a few milliseconds (a kill while it starts, reads or cuts the journal)
        delay = rng.uniform(0, 0.05) if rng.random() < 0.3 else None
        started = time.monotonic()
        while time.monotonic() - started < 60:
            if os.waitpid(pid, os.WNOHANG)[0]:
                pid = 0
                break
            if delay is not None and time.monotonic() - started >= delay:
                break
            if delay is None and len(_journal_lines(journal)) > wanted:
                break
            time.sleep(0.002)
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if report.exists():  # that run finished before its kill: start over
            report.unlink()
        graded = _check_journal(journal, expected)
        killed.append((bool(resume), pid != 0, graded))
    pid = _fork_check(str(path), "--out", str(report), "--resume", cwd=tmp_path,
                      stderr=tmp_path / "final")  # fmt: skip
    assert _wait(pid) == 0, (tmp_path / "final").read_text()
    assert report.read_text(encoding="utf-8") == expected_json
    assert not journal.exists() and not (tmp_path / "report.json.lock").exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not leftovers  # no temporary file left behind
    return killed


def test_kill_9_while_grading_and_resuming_loses_no_row(tmp_path):
    _kill_and_resume(tmp_path, rows=500, kills=4, seed=1)


@pytest.mark.slow
def test_kill_9_twenty_times(tmp_path):
    killed = _kill_and_resume(tmp_path, rows=3000, kills=20, seed=2)
    print("kills (resume, killed, rows journaled):", killed)
    growing = [(resume, rows) for resume, alive, rows in killed if alive]
    assert any(not resume and rows for resume, rows in growing)  # killed while grading
    assert sum(resume for resume, _ in growing) >= 5  # and while resuming


def test_four_runs_on_one_report(tmp_path):
    path = tmp_path / "answers.csv"
    _write_class(path, 200)
    report = tmp_path / "report.json"
    pids = [
        _fork_check(str(path), "--out", str(report), cwd=tmp_path, stderr=tmp_path / f"err{k}")
        for k in range(4)
    ]
    codes = [_wait(pid) for pid in pids]
    assert 0 in codes and set(codes) <= {0, 2}, codes
    for k, code in enumerate(codes):
        if code == 2:
            assert "another derivcheck is writing" in (tmp_path / f"err{k}").read_text()
    assert report.read_text(encoding="utf-8") == check_answers(path).to_json()
    assert sorted(p.name for p in tmp_path.iterdir() if "report" in p.name) == ["report.json"]


def test_a_second_run_is_refused_while_the_first_holds_the_report(tmp_path):
    path = tmp_path / "answers.csv"
    _write_class(path, 5)
    first = Journal.start(tmp_path / "r.json", "abc", "en", 5)
    from derivcheck.cli import main

    assert main(["check", str(path), "--out", str(tmp_path / "r.json")]) == 2
    assert main(["check", str(path), "--out", str(tmp_path / "r.json"), "--resume"]) == 2
    first.close()
    assert main(["check", str(path), "--out", str(tmp_path / "r.json")]) == 0


# ---- a full disk ------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 160 kB tmpfs (root on Linux); None when this machine does not let us mount one."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _no_space_after(lines: int):
    """In the child: the journal's writes fail with ENOSPC once they would pass ``lines``
    lines (a write holds the lines of the rows that arrived together)."""
    real = journal_module._write_all
    count = [0]

    def failing(fd, data):
        count[0] += bytes(data).count(b"\n")
        if count[0] > lines:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    def install():
        journal_module._write_all = failing

    return install


@pytest.mark.parametrize("disk", ["tmpfs", "simulated"])
def test_a_full_disk_is_a_clean_error_and_the_journal_survives(tmp_path, small_disk, disk):
    if disk == "tmpfs" and small_disk is None:
        pytest.skip("cannot mount a tmpfs here (not root?): the simulated case covers ENOSPC")
    if disk == "simulated":
        small_disk = None
    path = tmp_path / "answers.csv"
    _write_class(path, 400)
    expected = check_answers(path)
    folder = small_disk or tmp_path
    report = folder / "report.json"
    before = None if small_disk else _no_space_after(120)  # ENOSPC after 120 lines
    pid = _fork_check(str(path), "--out", str(report), cwd=tmp_path, stderr=tmp_path / "err",
                      before=before)  # fmt: skip
    assert _wait(pid) == 2
    error = (tmp_path / "err").read_text()
    assert "No space left on device" in error and "--resume" in error, error
    assert "Traceback" not in error and "internal error" not in error
    journal = folder / "report.json.partial"
    graded = _check_journal(journal, [r.to_dict() for r in expected.results])
    assert 0 < graded < 400
    if small_disk:  # room again: the report needs more than the journal held
        subprocess.run(["mount", "-o", "remount,size=8m", str(small_disk)], check=True)
    pid = _fork_check(str(path), "--out", str(report), "--resume", cwd=tmp_path,
                      stderr=tmp_path / "err2")  # fmt: skip
    assert _wait(pid) == 0, (tmp_path / "err2").read_text()
    assert report.read_text(encoding="utf-8") == expected.to_json()


# ---- poison rows ------------------------------------------------------------------

POISON = [
    {"function": "x^2", "answer": "acos(sin(2^1000))"},  # SymPy's own AttributeError
    {"function": "u1*v1*w1*t1*s1*x", "answer": "1"},  # StopIteration naming steps
    {"function": "x^2", "answer": "\ud800"},  # a lone surrogate: no encoding can write it
    {"function": "x^2", "answer": "2x" * 100_000},  # 200,000 characters
    {"function": "x^x", "answer": "^".join(["x"] * 20)},
    {"function": "x^2", "answer": "10^4000/10^-4000"},
    {"function": "x^2", "answer": "(" * 3000 + "x" + ")" * 3000},
    {"function": "x^2", "answer": "2x\x00"},
    {"function": "x^(10^4000)", "answer": "1"},
    {"function": {"nested": 1}, "answer": "1"},
    {"function": "x^2", "answer": "kill the worker"},  # see _crash_on_poison
]


def _crash_on_poison():
    """In the child: grading the answer 'kill the worker' kills the worker process."""
    from derivcheck.grading import batch

    real = batch.check_answer

    def check(function, answer, **kwargs):
        if answer == "kill the worker":
            os._exit(1)
        return real(function, answer, **kwargs)

    batch.check_answer = check


def _poison_rows(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "answers.json"
    normal = []
    rng = random.Random(3)
    for k in range(rows):
        function, answers = EXERCISES[k % len(EXERCISES)]
        normal.append({"id": f"n{k}", "function": function,
                       "answer": f"{rng.choice(answers)} + {k} - {k}"})  # fmt: skip
    middle = rows // 2
    poisoned = normal[:middle] + [{"id": f"p{k}", **p} for k, p in enumerate(POISON)]
    poisoned += normal[middle:]
    path.write_text(json.dumps(poisoned, indent=1), encoding="utf-8")
    report = tmp_path / "report.json"
    pid = _fork_check(str(path), "--out", str(report), "--jobs", "2", cwd=tmp_path,
                      stderr=tmp_path / "err", before=_crash_on_poison)  # fmt: skip
    assert _wait(pid, timeout=600) == 0, (tmp_path / "err").read_text()
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert [r["id"] for r in results] == [r["id"] for r in poisoned]  # each row once, in order
    by_id = {r["id"]: r for r in results}
    for k in range(len(POISON)):
        assert by_id[f"p{k}"]["verdict"] in ("error", "unparseable", "incorrect"), by_id[f"p{k}"]
    assert by_id[f"p{len(POISON) - 1}"]["verdict"] == "error"  # the row that killed its worker
    clean = check_answers(normal)
    for result in clean.results:
        graded = by_id[result.id]
        assert (graded["verdict"], graded["diagnosis"], graded["message"]) == (
            result.verdict, result.diagnosis, result.message,
        )  # fmt: skip


def test_poison_rows_in_the_middle_of_a_class(tmp_path):
    _poison_rows(tmp_path, 300)


@pytest.mark.slow
def test_poison_rows_in_the_middle_of_10000(tmp_path):
    _poison_rows(tmp_path, 10_000)


def test_orphaned_workers_die_with_their_run(tmp_path):
    path = tmp_path / "answers.csv"
    _write_class(path, 3000)
    journal = tmp_path / "report.json.partial"
    pid = _fork_check(str(path), "--out", "report.json", "--jobs", "2", cwd=tmp_path,
                      stderr=tmp_path / "err")  # fmt: skip
    deadline = time.monotonic() + 60
    while len(_journal_lines(journal)) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    children = _children(pid)
    assert children, "the run has no workers"
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    deadline = time.monotonic() + 5
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(c) for c in children)
    assert "Traceback" not in (tmp_path / "err").read_text()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_slow_tests_are_known():
    assert isinstance(RUN_SLOW, bool)
