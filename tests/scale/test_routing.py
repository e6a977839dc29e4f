"""Worker processes each grade whole exercises: every row of an exercise goes to one worker,
so each exercise is prepared once, in one process; results come back in the file's order,
the same as one process gives, with ``spawn`` as with ``fork``."""

from __future__ import annotations

import pytest

from derivcheck.grading.batch import _lanes, grade_rows
from derivcheck.grading.files import ExerciseRow

# (function, answers): d/dx (2x+1)^3 = 6(2x+1)^2, (x sin x)' = sin x + x cos x,
# (e^(3x))' = 3e^(3x), (ln(x^2+1))' = 2x/(x^2+1); the others are the classic mistakes.
EXERCISES = [
    ("(2x+1)^3", ["6(2x+1)^2", "3(2x+1)^2", "24x^2 + 24x + 6"]),
    ("x sin x", ["sin x + x cos x", "cos x", "(x"]),
    ("e^(3x)", ["3e^(3x)", "e^(3x)"]),
    ("ln(x^2+1)", ["2x/(x^2+1)", "1/(x^2+1)"]),
    ("x^2", ["2x"]),
]


def _rows(count: int) -> list[ExerciseRow]:
    rows = []
    for k in range(count):
        function, answers = EXERCISES[(k * 7) % len(EXERCISES)]
        answer = answers[(k // 5) % len(answers)] + f" + {k} - {k}"
        rows.append(ExerciseRow(str(k), function, answer, line=k + 2, index=k))
    return rows


def test_each_exercise_goes_to_one_worker_and_the_workers_share_the_rows():
    rows = _rows(200)
    lanes = _lanes(rows, 2)
    assert sorted(p for lane in lanes for p in lane) == list(range(200))
    for lane in lanes:
        assert lane == sorted(lane)
    owner = {}
    for number, lane in enumerate(lanes):
        for position in lane:
            assert owner.setdefault(rows[position].function, number) == number
    assert abs(len(lanes[0]) - len(lanes[1])) <= 40  # 5 exercises of 40 rows each: 3 + 2
    assert _lanes(rows, 2) == lanes  # the same file is always dealt alike


def test_more_workers_than_exercises_leaves_none_empty():
    rows = [ExerciseRow(str(k), "x^2", "2x", index=k) for k in range(30)]
    assert _lanes(rows, 4) == [list(range(30))]


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_workers_give_one_process_results_in_order(start_method):
    rows = _rows(80)
    one = [r.to_dict() for r in grade_rows(rows, jobs=1)]
    two = [r.to_dict() for r in grade_rows(rows, jobs=2, start_method=start_method)]
    assert two == one
    assert [d["id"] for d in two] == [str(k) for k in range(80)]
    verdicts = {}
    for d in two:
        typed = d["answer"].removesuffix(f" + {d['id']} - {d['id']}")
        verdicts.setdefault(typed, set()).add(d["verdict"])
    assert verdicts["6(2x+1)^2"] == verdicts["sin x + x cos x"] == {"correct"}
    assert verdicts["3(2x+1)^2"] == verdicts["e^(3x)"] == {"incorrect"}
    assert verdicts["(x"] == {"unparseable"}
