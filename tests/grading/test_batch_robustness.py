"""Issue 10 §5, item by item: rows that cannot kill a batch, files read without loss or
garbling, reports written only where they should be, spreadsheets that run no formula."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import time
from dataclasses import replace

import pytest

from derivcheck.cli import main
from derivcheck.errors import DerivcheckError
from derivcheck.grading import exercise as exercise_module
from derivcheck.grading.batch import check_answers, run_batch
from derivcheck.grading.files import MAX_CELL, ExerciseFileError, load
from derivcheck.grading.grade import check_answer
from derivcheck.grading.journal import Journal
from derivcheck.grading.report import summary_text


def _csv(tmp_path, text: str, name: str = "a.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- one row never kills the batch --------------------------------------------------


def test_any_failure_while_grading_is_that_rows_error(monkeypatch):
    def broken(*args, **kwargs):
        raise AttributeError("'LazyExceptionMessage' object has no attribute")

    from derivcheck.grading import grade

    monkeypatch.setattr(grade, "_grade", broken)
    result = check_answer("x^2", "2x")
    assert result.verdict == "error" and "(AttributeError)" in result.message


def test_sympys_own_errors_and_builder_errors_are_row_errors():
    report = check_answers(
        [
            {"function": "x^2", "answer": "acos(sin(2^1000))"},
            {"function": "u1*v1*w1*t1*s1*x", "answer": "1"},
            {"function": "x^2", "answer": "2x"},
        ]
    )
    assert [r.verdict for r in report.results][2] == "correct"
    # d/dx (u1·v1·w1·t1·s1·x) = u1·v1·w1·t1·s1, not 1 (choosing names once crashed here)
    assert report.results[1].verdict == "incorrect"


def test_any_text_can_be_journaled(tmp_path):
    odd = replace(check_answer("x^2", "\ud800 and \udfff"), index=0)  # lone surrogates
    journal = Journal.start(tmp_path / "r.json", "abc", "en", 1)
    journal.write(odd)
    journal.close()
    _, done = Journal.resume(tmp_path / "r.json", "abc", "en", 1)
    assert done[0].answer == odd.answer and done[0].verdict == "unparseable"
    report = check_answers([{"function": "x^2", "answer": "x\ud800"}])
    report.write(tmp_path / "r.json")  # the report too
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["results"]


def test_a_lone_surrogate_in_a_json_file_becomes_a_replacement_character(tmp_path):
    path = _csv(tmp_path, '[{"id": 1, "function": "x^2", "answer": "2x\\ud800"}]', "a.json")
    (row,) = load(path).rows
    assert row.answer == "2x\ufffd"


# ---- files: read everything, garble nothing -----------------------------------------


def test_a_cell_longer_than_the_csv_limit_is_that_rows_error(tmp_path):
    long = "x" * 200_000  # more than csv's default field limit (131,072)
    path = _csv(tmp_path, f"id,function,answer\n1,x^2,{long}\n2,x^2,2x\n")
    report = check_answers(path)
    first, second = report.results
    assert first.verdict == "error" and f"{MAX_CELL:,}" in first.message
    assert second.verdict == "correct"


def test_a_csv_cut_inside_a_quoted_cell_is_reported(tmp_path):
    path = _csv(tmp_path, 'id,function,answer\n1,x^2,2x\n2,x^2,"2x + 3\n')
    first, second = load(path).rows
    assert first.problem is None
    assert "ends inside a quoted cell" in str(second.problem)
    assert check_answers(path).results[1].verdict == "error"
    whole = _csv(tmp_path, 'id,function,answer\n1,x^2,"2x"\n2,"x^2","a,""b"""\n', "b.csv")
    assert [r.problem for r in load(whole).rows] == [None, None]


def test_a_file_mixing_utf8_and_gbk_is_refused_with_the_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"id,function,answer,student\n"
        + "1,x^2,2x,王小明\n".encode("gbk")
        + "2,x^2,2x,李四\n".encode()
    )
    with pytest.raises(ExerciseFileError) as error:
        load(path)
    assert error.value.line == 2 and "line 3 is UTF-8" in str(error.value)
    gbk = tmp_path / "gbk.csv"  # a GBK file alone is fine
    gbk.write_bytes("id,function,answer,student\n1,x^2,2x,王小明\n2,x^2,2x,李\n".encode("gbk"))
    assert [r.student for r in load(gbk).rows] == ["王小明", "李"]


def test_duplicate_ids_are_a_warning_in_the_summary(tmp_path):
    path = _csv(
        tmp_path,
        "id,student,function,answer\n1,Ann,x^2,2x\n1,Bob,x^2,2x\n1,Ann,x^2,x\n2,Ann,x^3,3x^2\n",
    )
    summary = check_answers(path).summary
    assert summary["duplicate_ids"] == ["1"]
    assert "1 row repeats an id" in summary_text(summary)
    assert "注意" in summary_text(summary, "zh")
    assert (
        "duplicate_ids" not in check_answers(_csv(tmp_path, "function,answer\nx,1\nx,1\n")).summary
    )


def test_json_files_are_read_in_linear_time(tmp_path):
    rows = [{"id": k, "function": "x^2", "answer": "2x"} for k in range(40_000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    start = time.process_time()  # CPU time: the same on a quiet and a busy machine
    loaded = load(path)
    assert time.process_time() - start < 10  # 118 s before
    assert loaded.rows[-1].line == 5 * 39_999 + 2 and loaded.rows[0].line == 2


def test_standard_input_has_the_same_size_limit(monkeypatch):
    from derivcheck.grading import files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    stdin = io.TextIOWrapper(io.BytesIO(b"function,answer\n" + b"x,1\n" * 50))
    monkeypatch.setattr("sys.stdin", stdin)
    with pytest.raises(ExerciseFileError, match="too large"):
        load("-")


# ---- resume: lazily, and nothing graded twice ----------------------------------------


def test_resume_prepares_no_exercise_before_journaling(tmp_path, monkeypatch):
    path = _csv(tmp_path, "function,answer\n" + "".join(f"x^{k},{k}x\n" for k in range(2, 40)))
    rows = list(load(path).rows)
    prepared = []
    real = exercise_module._prepare
    monkeypatch.setattr(exercise_module, "_prepare", lambda *a: prepared.append(a) or real(*a))
    done = {r.index: r for r in check_answers(path).results[:37]}
    exercise_module.EXERCISES.clear()
    prepared.clear()
    written = []
    results = run_batch(
        rows, done, jobs=1, lang="en", time_limit_seconds=2.0, on_result=written.append
    )
    assert len(prepared) == 1 and len(written) == 1 and len(results) == len(rows)


# ---- reports: only regular files, never through links --------------------------------


def test_out_onto_a_device_or_through_links_is_refused(tmp_path, capsys):
    path = _csv(tmp_path, "function,answer\nx^2,2x\n")
    assert main(["check", str(path), "--out", "/dev/full"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    for planted in ("r.json.partial", "r.json.lock", "r.json"):
        link = tmp_path / planted
        link.symlink_to(target)
        code = main(["check", str(path), "--out", str(tmp_path / "r.json")])
        if planted == "r.json.partial":  # a journal link is replaced, never written through
            assert code == 0 and not link.is_symlink()
        else:
            assert code == 2 and "not a regular file" in capsys.readouterr().err
            link.unlink()
        assert target.read_text() == "keep me"
        (tmp_path / "r.json").unlink(missing_ok=True)
    resume_link = tmp_path / "r.json.partial"
    resume_link.symlink_to(target)
    assert main(["check", str(path), "--out", str(tmp_path / "r.json"), "--resume"]) == 2
    assert target.read_text() == "keep me"


def test_a_journal_that_cannot_be_created_is_a_clean_error(tmp_path, capsys):
    path = _csv(tmp_path, "function,answer\nx^2,2x\n")
    assert main(["check", str(path), "--out", str(path / "r.json")]) == 2  # under a file
    assert "Traceback" not in capsys.readouterr().err


# ---- spreadsheets run no formula ----------------------------------------------------


def test_formula_cells_are_neutralised_in_csv_reports(tmp_path):
    attacks = ["=cmd|' /C calc'!A0", "=1+1", "@SUM(A1)", "+1+1", "-2+3*cmd|' /C calc'!A0"]
    rows = [{"id": a, "function": "x^2", "answer": a, "student": a} for a in attacks]
    rows.append({"id": "-54", "function": "(2x+1)^3", "answer": "-54", "at": "1"})
    check_answers(rows).write(tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and c != "-54")]
    assert "'=cmd|' /C calc'!A0" in cells and "-54" in cells
    assert (tmp_path / "r.csv").read_bytes().startswith(codecs.BOM_UTF8)


def test_unknown_report_format_is_a_clear_error():
    with pytest.raises(DerivcheckError, match="unknown report format"):
        check_answers([{"function": "x", "answer": "1"}]).render("xml")
