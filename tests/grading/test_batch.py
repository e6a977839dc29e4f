"""Reading answer files (CSV/JSON/YAML, encodings, line numbers) and grading them in bulk."""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest

from derivcheck.grading import answers as answers_module
from derivcheck.grading import batch
from derivcheck.grading.batch import BatchReport, Journal, check_answers, grade_rows
from derivcheck.grading.files import ExerciseFileError, ExerciseRow, load, read_rows

CSV_TEXT = "id,function,answer,at,student\n1,(2x+1)^3,6(2x+1)^2,,张三\n2,(2x+1)^3,54,1,Alice\n"


def _rows(path, **kwargs) -> list[ExerciseRow]:
    return list(read_rows(path, **kwargs))


# ---- encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "expected_encoding"),
    [
        (CSV_TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"), "utf-8-sig"),
        (CSV_TEXT.encode("gbk"), "gb18030"),
        (CSV_TEXT.encode("gb18030"), "gb18030"),
        (CSV_TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_encodings_are_detected(tmp_path, encoded, expected_encoding):
    path = tmp_path / "answers.csv"
    path.write_bytes(encoded)
    exercise_file = load(path)
    assert exercise_file.encoding == expected_encoding
    first, second = exercise_file.rows
    assert (first.id, first.function, first.answer, first.student) == (
        "1",
        "(2x+1)^3",
        "6(2x+1)^2",
        "张三",
    )
    assert first.at is None and second.at == "1" and second.line == 3


def test_gbk_chinese_headers_and_names(tmp_path):
    path = tmp_path / "作业.csv"
    path.write_bytes("题号,函数,答案,姓名\n1,sin(2x),2cos(2x),王小明\n".encode("gbk"))
    (row,) = _rows(path)
    assert (row.id, row.function, row.answer, row.student) == ("1", "sin(2x)", "2cos(2x)", "王小明")


def test_explicit_encoding_wins(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("id,function,answer,student\n1,x^2,2x,José\n".encode("cp1252"))
    with pytest.raises(ExerciseFileError) as error:
        _rows(path)
    assert error.value.line == 2 and "--encoding" in str(error.value)
    (row,) = _rows(path, encoding="cp1252")
    assert row.student == "José"


def test_unknown_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    with pytest.raises(ExerciseFileError, match="unknown encoding 'klingon'"):
        _rows(path, encoding="klingon")


# ---- CSV --------------------------------------------------------------------------


def test_semicolon_and_tab_separators(tmp_path):
    semicolon = tmp_path / "a.csv"
    semicolon.write_text("id;function;answer\n1;x^2;2x\n", encoding="utf-8")
    tab = tmp_path / "a.tsv"
    tab.write_text("id\tfunction\tanswer\n1\tmax(x, 0)\trelu'\n", encoding="utf-8")
    assert _rows(semicolon)[0].answer == "2x"
    assert _rows(tab)[0].function == "max(x, 0)"


def test_excel_separator_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("sep=;\nid;function;answer\n1;max(x, 0);2x\n", encoding="utf-8")
    (row,) = _rows(path)
    assert (row.function, row.answer, row.line) == ("max(x, 0)", "2x", 3)


def test_unquoted_commas_inside_brackets_are_rejoined(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,function,answer\n1,max(x,0),"max(x, 1)"\n', encoding="utf-8")
    (row,) = _rows(path)
    assert (row.function, row.answer, row.problem) == ("max(x,0)", "max(x, 1)", None)


def test_a_bad_row_is_a_row_problem_not_a_file_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,function,answer\n1,x,1,2\n2,,2x\n3,x^2,2x\n", encoding="utf-8")
    first, second, third = _rows(path)
    assert "4 fields but the header has 3" in str(first.problem)
    assert "function" in str(second.problem) and third.problem is None
    assert [r.line for r in (first, second, third)] == [2, 3, 4]


def test_quoted_multiline_cells_keep_their_start_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,function,answer\n\n1,x^2,"2x\n"\n2,x^3,3x^2\n', encoding="utf-8")
    first, second = _rows(path)
    assert (first.line, second.line) == (3, 5)


def test_missing_ids_default_to_row_numbers_and_extra_columns_are_kept(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Function, Answer , Class\nx^2,2x,7A\nx^3,3x^2,7B\n", encoding="utf-8")
    first, second = _rows(path)
    assert (first.id, second.id) == ("1", "2")
    assert first.extra == (("class", "7A"),)


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("a,b\n1,2\n", 1, "no 'function' column"),
        ("", 1, "empty"),
        ("id,function,expression\n", 1, "two columns mean 'function'"),
    ],
)
def test_unusable_csv_names_line_and_reason(tmp_path, content, line, reason):
    path = tmp_path / "a.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExerciseFileError) as error:
        _rows(path)
    assert error.value.line == line and reason in error.value.reason
    assert str(error.value).startswith(f"{path}, line {line}: ")


def test_missing_file_and_excel_workbook(tmp_path):
    with pytest.raises(ExerciseFileError, match="no such file"):
        _rows(tmp_path / "nope.csv")
    workbook = tmp_path / "answers.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ExerciseFileError, match="save it as CSV"):
        _rows(workbook)


# ---- JSON and YAML ----------------------------------------------------------------


def test_json_list_with_line_numbers_and_numbers_as_text(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        '[\n  {"id": 1, "function": "(2x+1)^3", "answer": 54, "at": 1},\n\n'
        '  {"id": "b", "function": "x^2", "answer": "2x", "student": "李四"}\n]',
        encoding="utf-8",
    )
    first, second = _rows(path)
    assert (first.id, first.answer, first.at, first.line) == ("1", "54", "1", 2)
    assert (second.student, second.line) == ("李四", 4)


def test_json_object_holding_the_list(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps({"class": "7A", "answers": [{"function": "x^2", "answer": "2x"}]}, indent=1)
    )
    (row,) = _rows(path)
    assert (row.function, row.line) == ("x^2", 4)


def test_files_keyed_by_id(tmp_path):
    json_file = tmp_path / "a.json"
    json_file.write_text('{\n "q1": {"function": "x^2", "answer": "2x"},\n "q2": {"f": "x"}\n}')
    first, second = _rows(json_file)
    assert (first.id, first.answer, first.line, second.id, second.line) == ("q1", "2x", 2, "q2", 3)
    pytest.importorskip("yaml")
    yaml_file = tmp_path / "a.yaml"
    yaml_file.write_text("q1:\n  function: x^2\n  answer: 2x\nq2:\n  function: x\n")
    first, second = _rows(yaml_file)
    assert (first.id, first.answer, first.line, second.id, second.line) == ("q1", "2x", 2, "q2", 5)


def test_other_common_column_names(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Question,dy/dx,Student ID\nx^2,2x,s01\n", encoding="utf-8")
    (row,) = _rows(path)
    assert (row.function, row.answer, row.student) == ("x^2", "2x", "s01")


def test_json_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "function": "x^2", "answer": "2x"}\n\n{"id": 2, "function": "x"}\n')
    first, second = _rows(path)
    assert (first.line, second.line, second.answer) == (1, 3, None)


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[{"id": 1,\n "function": "x"},\n ]')
    with pytest.raises(ExerciseFileError) as error:
        _rows(path)
    assert error.value.line == 3 and "invalid JSON" in error.value.reason


def test_json_element_that_is_not_an_object_is_a_row_problem(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[{"function": "x^2", "answer": "2x"}, 3, {"function": "x", "answer": [1]}]')
    first, second, third = _rows(path)
    assert first.problem is None and "object" in str(second.problem)
    assert "text" in str(third.problem)


def test_yaml_keeps_values_as_written(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "a.yaml"
    path.write_text(
        "answers:\n"
        "  - id: 1\n    function: (2x+1)^3\n    answer: 54\n    at: 1\n"
        "  - id: 2\n    function: x^2\n    answer: yes\n    student: 张三\n"
        "  - id: 3\n    function: '|x|'\n    answer: 1e-3\n    at: ~\n",
        encoding="utf-8",
    )
    first, second, third = _rows(path)
    assert (first.answer, first.at, first.line) == ("54", "1", 2)
    assert (second.answer, second.student, second.line) == ("yes", "张三", 6)
    assert (third.function, third.answer, third.at) == ("|x|", "1e-3", None)


def test_invalid_yaml_names_the_line(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "a.yml"
    path.write_text("- id: 1\n  function: |x|\n  answer: 2\n")
    with pytest.raises(ExerciseFileError) as error:
        _rows(path)
    assert error.value.line == 2 and "invalid YAML" in error.value.reason


def test_yaml_never_constructs_python_objects(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "a.yaml"
    path.write_text(
        "- id: 1\n  function: x^2\n  answer: !!python/object/apply:os.system ['echo hacked']\n"
    )
    (row,) = _rows(path)
    assert row.answer is None and "must be text" in str(row.problem)


# ---- grading in bulk ---------------------------------------------------------------

CLASS = [
    {"id": "1", "function": "(2x+1)^3", "answer": "6(2x+1)^2", "student": "张三"},
    {"id": "2", "function": "(2x+1)^3", "answer": "3(2x+1)^2", "student": "Alice"},
    {"id": "3", "function": "(2x+1)^3", "answer": "54", "at": "1", "student": "李四"},
    {"id": "4", "function": "x sin x", "answer": "cos x", "student": "Bob"},
    {"id": "5", "function": "x sin x", "answer": "(x", "student": "王五"},
    {"id": "6", "function": "ln(x)", "answer": "1/x", "at": "0", "student": "Eve"},
    {"id": "7", "function": "", "answer": "2x", "student": "Eve"},
]


def test_check_answers_on_rows_in_python():
    report = check_answers(CLASS)
    verdicts = [(r.id, r.verdict, r.diagnosis) for r in report.results]
    assert verdicts == [
        ("1", "correct", None),
        ("2", "incorrect", "missing-inner-derivative"),
        ("3", "correct", None),
        ("4", "incorrect", "product-rule"),
        ("5", "unparseable", None),
        ("6", "error", None),
        ("7", "error", None),  # a row without a function does not stop the batch
    ]
    summary = report.summary
    assert (summary["answers"], summary["correct"], summary["incorrect"]) == (7, 2, 2)
    assert (summary["unparseable"], summary["error"]) == (1, 2)
    assert summary["diagnoses"]["product-rule"] == 1
    assert summary["students"][0] == {"student": "张三", "answers": 1, "correct": 1}
    assert [r.line for r in report.results] == [1, 2, 3, 4, 5, 6, 7]


def test_report_formats_round_trip(tmp_path):
    report = check_answers(CLASS)
    data = json.loads(report.to_json())
    assert list(data) == ["summary", "results"]
    assert data["results"][1]["diagnosis"] == "missing-inner-derivative"
    assert {"id", "verdict", "diagnosis", "message"} <= set(data["results"][0])
    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert rows[0][:3] == ["id", "student", "line"] and len(rows) == 8
    table = report.to_table()
    assert "missing-inner-derivative" in table and "Summary: 7 answers" in table
    assert "正确" in report.to_table("zh")
    report.write(tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_bytes().startswith(codecs.BOM_UTF8)  # Excel reads UTF-8
    report.write(tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == data


def test_a_report_that_cannot_be_written_leaves_no_temporary_file(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(answers_module.DerivcheckError, match="not a regular file"):
        check_answers(CLASS[:1]).write(tmp_path / "taken", "json")
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_file_needs_an_answer_column(tmp_path):
    path = tmp_path / "exercises.csv"
    path.write_text("id,function\n1,x^2\n", encoding="utf-8")
    with pytest.raises(ExerciseFileError, match="no 'answer' column"):
        check_answers(path)


def _many_rows(count: int) -> list[ExerciseRow]:
    functions = ["(2x+1)^3", "x sin x", "sin(x)/x", "e^(3x)"]
    rows = []
    for k in range(count):
        function = functions[k % 4]
        answer = [f"6(2x+1)^2 + {k} - {k}", f"sin x + x cos x + {k}", f"cos x + {k}", f"{k}e^(3x)"][
            k % 4
        ]
        rows.append(ExerciseRow(str(k), function, answer, line=k + 2, index=k))
    return rows


def test_processes_give_the_same_results_in_the_same_order():
    rows = _many_rows(60)
    one = [r.to_dict() for r in grade_rows(rows, jobs=1)]
    two = [r.to_dict() for r in grade_rows(rows, jobs=2)]
    assert one == two
    assert [d["id"] for d in two] == [str(k) for k in range(60)]


def test_results_are_announced_once_each_as_whole_chunks_when_they_arrive(tmp_path):
    rows = _many_rows(80)
    groups: list[list] = []
    yielded = []
    for result in grade_rows(rows, jobs=2, on_arrival=groups.append):
        yielded.append(result)
        # every result yielded was announced first (a journal has it before anyone reads it)
        assert result.index in {r.index for group in groups for r in group}
    announced = [r.index for group in groups for r in group]
    assert sorted(announced) == list(range(80))  # each row exactly once
    assert max(len(group) for group in groups) > 1  # a worker's chunk is one group
    assert [r.index for r in yielded] == list(range(80))  # yielded in the rows' order

    journal = Journal.start(tmp_path / "report.json", "abc", "en", len(rows))
    for group in groups:
        journal.write_many(group)
    journal.close()
    again, done = Journal.resume(tmp_path / "report.json", "abc", "en", len(rows))
    again.close()
    assert {i: r.to_dict() for i, r in done.items()} == {r.index: r.to_dict() for r in yielded}


def test_identical_answers_are_graded_once(monkeypatch):
    calls = []
    original = batch.check_answer

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(batch, "check_answer", counting)
    rows = [ExerciseRow(str(k), "x^2", "2x", index=k) for k in range(20)]
    results = list(grade_rows(rows, jobs=1))
    assert len(calls) == 1
    assert [r.id for r in results] == [str(k) for k in range(20)]


def test_journal_resumes_without_regrading(tmp_path, monkeypatch):
    rows = _many_rows(12)
    report_path = tmp_path / "report.json"
    journal = Journal.start(report_path, "abc", "en", len(rows))
    for result in grade_rows(rows[:5], jobs=1):
        journal.write(result)
    journal.handle.write('{"index": 5, "result": {"verd')  # the line cut by the interruption
    journal.close()

    calls = []
    original = batch.check_answer
    monkeypatch.setattr(batch, "check_answer", lambda *a, **k: calls.append(a) or original(*a, **k))
    journal, done = Journal.resume(report_path, "abc", "en", len(rows))
    assert sorted(done) == [0, 1, 2, 3, 4]
    results = batch.run_batch(
        rows, done, jobs=1, lang="en", time_limit_seconds=2.0, on_result=journal.write
    )
    journal.finish()
    assert len(calls) == 7 and not Journal.path_for(report_path).exists()
    fresh = list(grade_rows(rows, jobs=1))
    assert [r.to_dict() for r in results] == [r.to_dict() for r in fresh]


def test_journal_refuses_a_changed_file(tmp_path):
    Journal.start(tmp_path / "r.json", "abc", "en", 3).close()
    with pytest.raises(answers_module.DerivcheckError, match="changed"):
        Journal.resume(tmp_path / "r.json", "def", "en", 3)


def test_same_file_twice_gives_identical_reports(tmp_path):
    path = tmp_path / "answers.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "function", "answer", "at", "student"])
        writer.writeheader()
        writer.writerows(CLASS)
    first = check_answers(path)
    answers_module.EXERCISES.clear()
    second = check_answers(path, jobs=2)
    assert first.to_json() == second.to_json()
    assert first.to_csv() == second.to_csv()
    assert isinstance(first, BatchReport) and len(first) == len(CLASS)
