"""Grading that says what it means (issue 10 §6): precision of numbers, what one number can
show, the classic mistakes named, exact comparison, lost characters, remarks in words.

Every value below was worked out by hand: cos′(x) = −sin x and −sin(2.3) = −0.7457052…;
(sin(e^{x²}))′ at ½ is 0.3631949…; (x²)′ = 2x.
"""

from __future__ import annotations

import pytest

from derivcheck.grading.batch import check_answers
from derivcheck.grading.grade import check_answer
from tests.english import english_runs


@pytest.mark.parametrize(
    ("answer", "digits", "tolerance", "verdict", "says"),
    [
        ("-0.746", None, None, "correct", "3 decimal places"),
        ("-0.7457", None, None, "correct", "4 decimal places"),
        ("-0.745705", None, None, "correct", "6 decimal places"),
        ("-0.745", None, None, "incorrect", "that is -0.746, not -0.745"),  # cut, not rounded
        ("-0.75", None, None, "incorrect", "at least 3 significant digits"),  # too few digits
        ("-0.75", 2, None, "correct", "2 decimal places"),  # the exercise asks for 2
        ("-0.7", 2, None, "incorrect", "wants 2 decimal places"),
        ("-0.74", 2, None, "incorrect", "that is -0.75"),
        ("-0.7", None, "0.05", "correct", "tolerance 0.05"),
        ("-0.7", None, "0.01", "incorrect", "Not the value"),
        ("-1", None, None, "incorrect", "rounded to a whole number"),
        ("-2", None, None, "incorrect", "Not the value"),
    ],
)
def test_decimals_are_decided_by_correct_rounding(answer, digits, tolerance, verdict, says):
    result = check_answer("cos(x)", answer, at="2.3", digits=digits, tolerance=tolerance)
    assert result.verdict == verdict and says in result.message, result.message


def test_precision_columns_of_a_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "id,function,answer,at,digits,tolerance\n"
        "1,cos(x),-0.75,2.3,2,\n2,cos(x),-0.75,2.3,,\n3,cos(x),-0.7,2.3,,0.05\n"
        "4,cos(x),-0.7,2.3,two,\n",
        encoding="utf-8",
    )
    assert [r.verdict for r in check_answers(path).results] == [
        "correct", "incorrect", "correct", "error",
    ]  # fmt: skip


def test_chinese_precision_messages():
    result = check_answer("cos(x)", "-0.75", at="2.3", lang="zh")
    assert (
        result.message == "你的答案 -0.75 是该值舍入到 2 位小数的结果；题目要求至少 3 位有效数字。"
    )


def test_one_number_shows_no_sign_of_one_factor():
    # (x² − 3x)′ = 2x − 3: −1 at 1. 5 = 2 + 3 flips the sign of 3x's derivative, but a
    # number alone cannot say that; 1, the negative of −1, is still a sign error.
    assert check_answer("x^2 - 3x", "5", at=1).diagnosis is None
    assert check_answer("x^2 - 3x", "1", at=1).diagnosis == "sign-error"
    assert check_answer("x^2 - 3x", "2x + 3").diagnosis == "sign-error"  # a formula can


def test_exactly_different_is_not_equal():
    assert check_answer("x^2", "2x").correct
    result = check_answer("x^2", "2x + 10^-20")
    assert result.verdict == "incorrect" and "1e-20" in result.message
    assert not check_answer("x^40", "40x^39 + 1").correct  # x^39 dwarfs 1 in floats


def test_a_character_lost_by_the_encoding_is_named(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("题号,函数,答案\n1,(2x+1)^3,6(2x+1)?\n".encode("gbk"))  # ² lost as ?
    (result,) = check_answers(path).results
    assert result.verdict == "unparseable" and "encoding" in result.message
    assert "UTF-8" in result.message and "编码" in result.to_text("zh")


@pytest.mark.parametrize(
    "answer",
    ["6(2x+1)^2 (chain rule)", "6(2x+1)^2 (by the chain rule).", "6(2x+1)²（链式法则）",
     "6(2x+1)^2, 链式法则", "y' = 6(2x+1)^2 (using the chain rule)"],
)  # fmt: skip
def test_remarks_in_words_after_the_answer(answer):
    assert check_answer("(2x+1)^3", answer).correct


@pytest.mark.parametrize(
    "answer",
    # "power" names a function, "rule" nothing: words; a remark after a letter and a space,
    # or in full-width brackets right after it, is no call
    [
        "2x (power rule)",
        "2x (by the power rule)",
        "2x（幂函数求导法则）",
        "2x（幂函数的求导公式）。",
    ],
)
def test_remarks_after_a_letter_and_with_function_names(answer):
    assert check_answer("x^2", answer).correct


def test_brackets_that_are_no_remark():
    assert check_answer("x^2", "2x sqrt(pi)/sqrt(pi)").correct  # a call, not a remark
    assert not check_answer("x^2", "2x (ok)").correct  # one word is no remark: ok = o·k


@pytest.mark.parametrize(
    ("function", "answer", "diagnosis"),
    [
        ("x^x", "x·x^(x-1)", "power-rule-misapplied"),
        ("2^x", "x·2^(x-1)", "power-rule-misapplied"),
        ("e^(x^2)", "x^2 e^(x^2-1)", "power-rule-misapplied"),
        ("x^n", "n·x^n", "power-not-reduced"),
        ("(x-a)^6000", "5999(x-a)^5999", "power-coefficient"),
        ("x^2 + sin x", "2x", "sum-rule"),
        ("x^2 + sin x", "2x + sin x", "sum-rule"),
        ("sin(x)/x", "cos(x)", "quotient-rule"),
        ("x^3/2^x", "(x^3·2^x·ln 2 - 3x^2·2^x)/(2^x)^2", "quotient-rule-sign"),
    ],
)
def test_classic_mistakes_are_named(function, answer, diagnosis):
    result = check_answer(function, answer)
    assert (result.verdict, result.diagnosis) == ("incorrect", diagnosis), result.message
    assert not english_runs(result.to_text("zh"))
