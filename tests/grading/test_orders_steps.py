"""Worked solutions of higher derivatives (check_steps / check_answer with order, and the
steps column of derivcheck check). Every truth is computed here with sympy.diff."""

from __future__ import annotations

import json

import sympy

from derivcheck.grading.grade import check_answer
from derivcheck.grading.steps import check_steps
from derivcheck.reading.parser import symbol
from tests.english import english_runs

x = symbol("x")


def _t(expression: sympy.Expr) -> str:
    return sympy.sstr(expression)


def test_each_order_of_a_right_solution_is_checked():
    f = sympy.sin(x**2)
    d1, d2, d3 = (sympy.diff(f, x, k) for k in (1, 2, 3))
    text = f"y' = {_t(d1)}\ny'' = {_t(d2)}\ny''' = {_t(d3)}"
    result = check_steps("sin(x^2)", text, order=3)
    assert result.verdict == "correct" and result.first_error is None
    assert [line.verdict for line in result.lines] == ["correct"] * 3


def test_a_wrong_second_step_is_named_and_the_final_answer_graded():
    f = (2 * x + 1) ** 3
    d1, d2 = sympy.diff(f, x), sympy.diff(f, x, 2)
    assert sympy.expand(d2 - 24 * (2 * x + 1)) == 0
    result = check_steps("(2x+1)^3", f"y' = {_t(d1)}\ny'' = 12(2x+1)", order=2)
    assert (result.verdict, result.diagnosis, result.first_error) == (
        "incorrect",
        "missing-inner-derivative",
        2,
    )
    # a wrong first order carried into a right-looking second one
    wrong = check_steps("x^3", "y' = 3x^3\ny'' = 9x^2", order=2)
    assert wrong.first_error == 1 and wrong.verdict == "incorrect"


def test_the_final_answer_is_the_order_asked():
    # f″ asked, the working stops at f′: no answer of the second order
    short = check_steps("x^3", "y' = 3x^2", order=2)
    assert short.verdict == "incorrect"
    assert check_steps("x^3", "y' = 3x^2", order=1).verdict == "correct"
    # an unlabelled continuation of y″ is graded as f″
    assert sympy.diff(x**4, x, 2) == 12 * x**2
    assert check_steps("x^4", "y' = 4x^3\ny'' = 3·4x^2 = 12x^2", order=2).verdict == "correct"


def test_a_value_at_a_point_of_a_higher_order():
    value = sympy.diff(x**3, x, 2).subs(x, 1)  # 6
    text = f"y' = 3x^2\ny'' = 6x\nx = 1 时，y'' = {value}"
    assert check_steps("x^3", text, at="1", order=2).verdict == "correct"
    wrong = check_steps("x^3", "y' = 3x^2\ny'' = 6x\nx = 1 时，y'' = 3", at="1", order=2)
    assert wrong.verdict == "incorrect" and wrong.first_error == 3


def test_check_answer_passes_the_order_to_the_lines():
    result = check_answer("x^3", "y' = 3x^2\ny'' = 6x^2", order=2, lang="zh")
    assert result.verdict == "incorrect" and result.steps is not None
    assert result.steps.first_error == 2
    assert english_runs(result.message) == []


def test_derivcheck_check_grades_a_steps_column_with_an_order(run_cli, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(
        "id,function,order,steps\n1,x^3,2,\"y' = 3x^2\ny'' = 6x\"\n"
        "2,x^3,2,\"y' = 3x^2\ny'' = 6x^2\"\n3,x^3,,\"y' = 3x^2\"\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.json"
    run_cli("check", str(path), "--out", str(out))
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert [(r["verdict"], r.get("first_error")) for r in results] == [
        ("correct", None),
        ("incorrect", 2),
        ("correct", None),
    ]
    assert [r.get("asked") for r in results] == ["f″", "f″", None]
