"""Worked solutions: bad input, files and the command line, the hand-back in two languages."""

from __future__ import annotations

import csv
import json
import time

from derivcheck import check_answer, check_answers, check_steps
from derivcheck.grading.grade import AnswerResult
from derivcheck.grading.steps import StepsResult
from derivcheck.grading.steps_reading import MAX_LINES
from tests.english import english_runs

CHAPTER = "令 u = 2x + 1\ny = u^3\ndy/du = 3u\ndu/dx = 2\ndy/dx = 6(2x+1)^2"  # line 3 is wrong


# ---- bad input ----


def test_an_unreadable_line_is_its_own_verdict_and_the_rest_is_checked():
    r = check_steps("(2x+1)^3", "u = 2x + 1\ny = u^3 )(\ndy/dx = 6(2x+1)^2")
    assert [line.verdict for line in r.lines] == ["correct", "unparseable", "correct"]
    assert r.first_error == 2 and "Could not read this line" in r.lines[1].message
    assert r.verdict == "correct"


def test_an_unreadable_last_line_makes_the_answer_unparseable():
    r = check_steps("(2x+1)^3", "u = 2x + 1\ndy/dx = 6(2x+1)^2 )(")
    assert r.verdict == "unparseable" and r.first_error == 2


def test_500_lines_are_bounded_before_the_work():
    text = "\n".join(["y' = 6(2x+1)^2"] * 500)
    started = time.process_time()
    r = check_steps("(2x+1)^3", text)
    assert time.process_time() - started < 20
    assert r.verdict == "error" and len(r.lines) == MAX_LINES + 1
    assert r.lines[-1].number == MAX_LINES + 1 and "at most 100 lines" in r.lines[-1].message


def test_a_100_kb_cell_is_refused_before_it_is_split():
    started = time.process_time()
    r = check_steps("(2x+1)^3", "y' = 6(2x+1)^2\n" + "x" * 100_000)
    assert time.process_time() - started < 1
    assert r.verdict == "error" and len(r.lines) == 1 and "too long" in r.lines[0].message


def test_bad_rows_never_stop_the_batch():
    rows = [
        {"id": "1", "function": "(2x+1)^3", "answer": CHAPTER},
        {"id": "2", "function": "(2x+1)^3", "answer": "\n".join(["y' = 6(2x+1)^2"] * 500)},
        {"id": "3", "function": "(2x+1)^3", "answer": "y' = 6(2x+1)^2\n" + "x" * 30_000},
        {"id": "4", "function": "(2x+1)^3", "answer": "u = ((((\n__import__('os')"},
        {"id": "5", "function": "(2x+1)^3", "answer": "6(2x+1)^2"},
    ]
    results = check_answers(rows).results
    assert [r.verdict for r in results] == ["correct", "error", "error", "unparseable", "correct"]
    assert results[0].steps.first_error == 3


def test_words_are_not_taken_for_an_answer():
    assert check_answer("x^2", "2x; import os").verdict == "unparseable"
    r = check_steps("x^2", "by the power rule\ny' = 2x")
    assert r.lines[0].kind == "prose" and r.verdict == "correct"


# ---- results as data ----


def test_to_dict_and_records_round_trip():
    r = check_steps("(2x+1)^3", CHAPTER, lang="zh")
    data = r.to_dict()
    assert data["first_error"] == 3 and data["verdict"] == "correct"
    assert data["lines"][2]["kind"] == "local-derivative"
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    again = StepsResult.from_record(json.loads(json.dumps(r.to_record())))
    assert again.to_dict() == data and again.to_text() == r.to_text()
    answer = check_answer("(2x+1)^3", CHAPTER)
    restored = AnswerResult.from_dict(json.loads(json.dumps(answer.to_record())))
    assert restored.steps.first_error == 3 and restored.to_dict() == answer.to_dict()


# ---- the hand-back ----


def test_text_markdown_latex_mark_each_line_in_english():
    r = check_steps("(2x+1)^3", CHAPTER)
    shown = r.to_text()
    assert shown.count("✓") == 4 and shown.count("✗") == 1
    wrong = next(line for line in shown.splitlines() if "✗" in line)
    assert "dy/du = 3u" in wrong and "Local derivative" in wrong
    assert "First wrong line: 3." in shown
    markdown = r.to_markdown()
    assert "| 3 | dy/du = 3u | ✗ |" in markdown and markdown.count("| ✓ |") == 4
    latex = r.to_latex()
    assert latex.count(r"$\surd$") == 4 and latex.count(r"$\times$") == 1
    assert r"\begin{tabular}" in latex and r"\end{tabular}" in latex


def test_the_hand_back_in_chinese_has_no_english_sentence():
    r = check_steps("x^2 sin x", "由乘积法则\ny' = (x^2)'(sin x)'\n= 2x cos x", lang="zh")
    for shown in (r.to_text(), r.to_markdown(), r.to_latex()):
        assert english_runs(shown) == [], shown
    assert "第一处错误：第 2 行。" in r.to_text()
    assert "乘积法则" in r.lines[1].message and r.lines[2].message.startswith("由第 2 行")


# ---- files and the command line ----


def test_check_a_file_with_multi_line_cells_and_a_steps_column(tmp_path, run_cli):
    path = tmp_path / "answers.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "function", "steps", "answer", "at"])
        writer.writerow(["1", "(2x+1)^3", CHAPTER, "", ""])
        writer.writerow(["2", "x^2 sin x", "y' = (x^2)'(sin x)'", "2x cos x", ""])
        writer.writerow(["3", "(2x+1)^3", "y' = 6(2x+1)^2; f'(1) = 6·9", "54", "1"])
    table = run_cli("check", str(path), "--format", "table")
    assert table.returncode == 0, table.stderr
    first = next(line for line in table.stdout.splitlines() if line.startswith("1 "))
    assert "Correct. Line 3: Local derivative" in first
    report = json.loads(run_cli("check", str(path), "--format", "json").stdout)
    one, two, three = report["results"]
    assert (one["verdict"], one["first_error"]) == ("correct", 3)
    assert (two["verdict"], two["diagnosis"]) == ("incorrect", "product-rule")
    assert two["first_error"] == 1
    assert (three["verdict"], three["first_error"]) == ("correct", None)
    assert [line["verdict"] for line in one["steps"]][2] == "incorrect"
    zh = run_cli("check", str(path), "--format", "table", "--lang", "zh").stdout
    assert "第 3 行：局部导数" in zh


def test_resume_keeps_the_steps(tmp_path, run_cli):
    path = tmp_path / "answers.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([["id", "function", "answer"], ["1", "(2x+1)^3", CHAPTER]])
    out_path = tmp_path / "report.json"
    assert run_cli("check", str(path), "--out", str(out_path)).returncode == 0
    fresh = json.loads(out_path.read_text(encoding="utf-8"))
    assert run_cli("check", str(path), "--out", str(out_path), "--resume").returncode == 0
    assert json.loads(out_path.read_text(encoding="utf-8"))["results"] == fresh["results"]
    assert fresh["results"][0]["first_error"] == 3
