"""Grading at course scale: exercises prepared on demand, the explicit cache shared between
processes, any concurrent.futures executor, and ``derivcheck check --scheduler`` on Dask.

Every way of grading must give the same results in the same order (and the command the
same report, byte for byte) as one local process.
"""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from derivcheck.grading import exercise as exercise_module
from derivcheck.grading.batch import check_answers
from derivcheck.grading.exercise import ExerciseCache
from derivcheck.grading.grade import check_answer
from derivcheck.grading.journal import Journal

# (function, answer, verdict, diagnosis): the verdicts are calculus — d/dx (2x+1)^3 =
# 6(2x+1)^2; (x sin x)' = sin x + x cos x; (e^(3x))' = 3e^(3x); (ln(x^2+1))' = 2x/(x^2+1).
ANSWERS = [
    ("(2x+1)^3", "6(2x+1)^2", "correct", ""),
    ("(2x+1)^3", "24x^2 + 24x + 6", "correct", ""),
    ("(2x+1)^3", "3(2x+1)^2", "incorrect", "missing-inner-derivative"),
    ("x sin x", "sin x + x cos x", "correct", ""),
    ("x sin x", "cos x", "incorrect", "product-rule"),
    ("e^(3x)", "3e^(3x)", "correct", ""),
    ("e^(3x)", "e^(3x)", "incorrect", "missing-inner-derivative"),
    ("ln(x^2+1)", "2x/(x^2+1)", "correct", ""),
    ("ln(x^2+1)", "-2x/(x^2+1)", "incorrect", "sign-error"),
    ("ln(x^2+1)", "2x/(x^2+", "unparseable", ""),
]


def _file(folder: Path, copies: int = 40) -> Path:
    """A class file: every answer many times, spelled with different spacing."""
    lines = ["id,function,answer"]
    for copy in range(copies):
        for number, (function, answer, _, _) in enumerate(ANSWERS):
            spaced = answer.replace("+", " " * (copy % 3) + "+")
            lines.append(f'{copy}.{number},"{function}","{spaced}"')
    path = folder / "answers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _truth(report) -> None:
    for result in report.results:
        function, answer, verdict, diagnosis = ANSWERS[int(result.id.split(".")[1])]
        assert (result.verdict, result.diagnosis or "") == (verdict, diagnosis), result.answer


def test_candidates_are_computed_for_the_first_wrong_answer():
    cache = ExerciseCache()
    assert check_answer("x^3 sin x", "3x^2 sin x + x^3 cos x", cache=cache).correct
    prepared = cache.prepare("x^3 sin x")
    assert not prepared.candidates_ready  # a right answer needs no mistakes
    wrong = check_answer("x^3 sin x", "3x^2 cos x", cache=cache)
    assert (wrong.verdict, wrong.diagnosis) == ("incorrect", "product-rule")
    assert prepared.candidates_ready


def test_the_cache_pickles_as_its_settings_and_shares_through_its_folder(tmp_path, monkeypatch):
    first = ExerciseCache(maxsize=16, directory=tmp_path)
    prepared = first.prepare("(2x+1)^3")
    prepared.prepare_candidates()
    first.keep(prepared)
    copy = pickle.loads(pickle.dumps(first))  # what a spawned worker receives
    assert (len(copy), copy.maxsize, copy.directory) == (0, 16, tmp_path)

    def never(*args):
        raise AssertionError("prepared again")

    monkeypatch.setattr(exercise_module, "_prepare", never)
    shared = copy.prepare("(2x+1)^3")  # read from the folder
    assert shared.candidates_ready and shared.target == prepared.target
    result = check_answer("(2x+1)^3", "3(2x+1)^2", cache=copy)
    assert result.diagnosis == "missing-inner-derivative"


def test_a_torn_file_in_the_folder_is_prepared_again(tmp_path):
    cache = ExerciseCache(directory=tmp_path)
    path = cache._file(("x^2", None, None))
    path.write_bytes(b"\x80\x05torn")
    assert ExerciseCache(directory=tmp_path).prepare("x^2").target == 2 * cache.prepare("x").var


@pytest.mark.parametrize("kind", ["threads", "spawn", "jobs-spawn"])
def test_every_executor_gives_the_local_results(tmp_path, kind):
    path = _file(tmp_path)
    local = check_answers(path, jobs=1)
    _truth(local)
    if kind == "threads":
        with ThreadPoolExecutor(2) as executor:
            other = check_answers(path, executor=executor)
    elif kind == "spawn":
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(2, mp_context=context) as executor:
            other = check_answers(path, executor=executor)
    else:
        other = check_answers(path, jobs=2, start_method="spawn")
    assert other.to_json() == local.to_json()


class _Broken(ThreadPoolExecutor):
    """An executor whose every task fails, as when a Dask worker is lost for good."""

    def submit(self, fn, *args, **kwargs):
        def fail():
            raise RuntimeError("worker lost")

        return super().submit(fail)


def test_a_lost_task_is_an_error_verdict_for_its_rows(tmp_path):
    with _Broken(1) as executor:
        report = check_answers(_file(tmp_path, copies=1), executor=executor)
    assert {r.verdict for r in report.results} == {"error"}
    assert [r.id for r in report.results] == [f"0.{n}" for n in range(len(ANSWERS))]


# --------------------------------------------------------------------------------------
# Dask
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def test_scheduler_report_is_byte_identical_to_a_local_run(tmp_path, cluster, run_cli):
    path = _file(tmp_path)
    local, remote = tmp_path / "local.json", tmp_path / "remote.json"
    assert run_cli("check", path, "--out", local, "--jobs", "1").returncode == 0
    done = run_cli("check", path, "--out", remote, "--scheduler", cluster.scheduler_address)
    assert done.returncode == 0, done.stderr
    assert remote.read_bytes() == local.read_bytes()
    _truth(check_answers(path, jobs=1))


def test_scheduler_resumes_a_journal(tmp_path, cluster, run_cli):
    path = _file(tmp_path, copies=5)
    local, remote = tmp_path / "local.csv", tmp_path / "remote.csv"
    assert run_cli("check", path, "--out", local, "--jobs", "1").returncode == 0
    report = check_answers(path, jobs=1)
    from derivcheck.grading.files import load

    loaded = load(path)
    journal = Journal.start(remote, loaded.sha256, "en", len(loaded.rows))
    for result in report.results[:17]:  # an interrupted run graded these
        journal.write(result)
    journal.close()
    address = cluster.scheduler_address
    done = run_cli("check", path, "--out", remote, "--resume", "--scheduler", address)
    assert done.returncode == 0, done.stderr
    assert remote.read_bytes() == local.read_bytes()


def test_scheduler_and_jobs_together_are_refused(tmp_path, run_cli):
    done = run_cli("check", _file(tmp_path, 1), "--scheduler", "tcp://x:1", "--jobs", "2")
    assert done.returncode == 2 and "--scheduler" in done.stderr and "Traceback" not in done.stderr


def test_scheduler_without_dask_says_how_to_install_it(tmp_path, run_cli, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    done = run_cli("check", _file(tmp_path, 1), "--scheduler", "tcp://127.0.0.1:1")
    assert done.returncode == 2 and "derivcheck[dask]" in done.stderr
