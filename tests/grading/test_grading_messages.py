"""Messages as data: every sentence of the grader is a key (en, zh), shown in either language."""

from __future__ import annotations

import re
import string

import pytest

from derivcheck.grading.batch import check_answers
from derivcheck.grading.candidates import DIAGNOSES
from derivcheck.grading.grade import AnswerResult, check_answer
from derivcheck.grading.report import summary_text
from derivcheck.messages import batch as batch_messages
from derivcheck.messages import grading as grading_messages
from tests.english import english_runs

TABLES = {**grading_messages.MESSAGES, **batch_messages.MESSAGES}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TABLES))
def test_every_key_has_both_languages_with_the_same_parameters(key):
    english, chinese = TABLES[key]
    assert english.strip() and chinese.strip()
    assert _fields(english) == _fields(chinese), key
    area = key.split(".")[0]
    assert area in ("grading", "batch")
    if key in grading_messages.MESSAGES:
        assert area == "grading"


_CJK = "[\u4e00-\u9fff]"


@pytest.mark.parametrize("key", sorted(TABLES))
def test_chinese_uses_full_width_punctuation(key):
    chinese = TABLES[key][1]
    for mark in ",;:()":  # next to a Chinese character, punctuation is full-width
        assert not re.search(f"{_CJK}\\{mark}|\\{mark}{_CJK}", chinese), (key, mark, chinese)
    assert not re.search(f"{_CJK}\\.$", chinese), key  # a sentence ends with 。


def test_every_diagnosis_has_a_name_in_the_report_table():
    for code in DIAGNOSES:
        assert f"grading.diagnosis.{code}" in TABLES


def test_a_result_switches_language_after_grading():
    result = check_answer("(2x+1)^3", "3(2x+1)^2")
    english = "Chain rule: the derivative of the inner function 2x + 1 is missing; "
    assert result.message.startswith(english)
    assert result.to_text("zh").startswith("链式法则：漏乘了内层函数 2x + 1 的导数")
    assert result.message_in("en") == result.message
    chinese = check_answer("(2x+1)^3", "3(2x+1)^2", lang="zh")
    assert chinese.message.startswith("链式法则") and chinese.to_text("en") == result.message
    assert chinese.note == result.note  # the analysis does not depend on the language


def test_results_keep_their_message_through_a_record():
    result = check_answer("x^2", "(2x", lang="zh")
    again = AnswerResult.from_dict(result.to_record())
    assert again.note == result.note and again.parse_error.reason == result.parse_error.reason
    assert again.message == result.message and "没有闭合" in again.message


# A class that meets every verdict, every diagnosis and every kind of message.
EVERYTHING = [
    ("(2x+1)^3", "6(2x+1)^2", None),  # correct
    ("x^2", "12.3", "6.17"),  # correct, rounded
    ("(2x+1)^3", "3(2x+1)^2", None),  # missing inner derivative
    ("sin(exp(x^2))", "cos(exp(x^2))·2x", None),  # missing layer
    ("sin(exp(x^2))", "cos(exp(x^2))", None),  # the inner derivative
    ("sin(2x) + cos(3x)", "cos(2x) - sin(3x)", None),  # all inner derivatives
    ("(2x+1)^3", "-6(2x+1)^2", None),  # sign: the negative
    ("x^2 - 3x", "2x + 3", None),  # sign of one part
    ("cos(x^2)", "2x sin(x^2)", None),  # sign of a rule
    ("5x^3", "3x^2", None),  # constant factor
    ("x^3", "x^3", None),  # not differentiated
    ("(2x+1)^3", "6(2x+1)^3", None),  # power not reduced
    ("x^3 - 3x^2 + 2x", "3x^3 - 6x^2 + 2x", None),  # every power
    ("x sin x", "cos x", None),  # product rule
    ("x sin x", "x cos x", None),  # a product term
    ("sin(x)/x", "(sin x - x cos x)/x^2", None),  # quotient terms swapped
    ("sin(x)/x", "(x cos x + sin x)/x^2", None),  # quotient plus
    ("x^2", "2x + 1", None),  # incorrect, with the point
    ("x^2", "sqrt(-x^2 - 1)", None),  # undefined
    ("x^2", "1/(x-x)", None),  # unparseable: division by zero
    ("x^2", "2^5000", None),  # beyond 10^308
    ("(2x+1)^3", "55", "1"),  # not the value
    ("(2x+1)^3", "6(2x+1)^2", "1"),  # a formula for a value
    ("x^2", "2t", None),  # foreign names
    ("x^2", r"\frac{d}{dx}(x^2)", None),  # the operator
    ("x^2", "", None),  # empty
    ("x^2", "(2x", None),  # unparseable
    ("x^2", "__import__('os')", None),  # unparseable, code
    ("foo(x)", "1", None),  # the function cannot be read
    ("ln(x)", "1/x", "0"),  # not differentiable there
    ("a*b", "1", None),  # several names
    ("x^2", "2x", "y"),  # a point that is not a number
    ("x^x", "x·x^(x-1)", None),  # the power rule on a variable power
    ("2^x", "x·2^(x-1)", None),  # the power rule on an exponential
    ("(x-a)^6000", "5999(x-a)^5999", None),  # the coefficient of a power
    ("sin(x)/x", "cos(x)", None),  # u'/v'
    ("x^2 + sin x", "2x", None),  # a term missing
    ("x^2 + sin x", "2x + sin x", None),  # a term copied
    ("x^2", "2x + 10^-20", None),  # exactly different
    ("cos(x)", "-0.75", "2.3"),  # too few digits
    ("cos(x)", "-0.745", "2.3"),  # cut off, not rounded
    ("x^2", "1235", "617.3"),  # rounded to a whole number
    ("x^2", "6(2x+1)?", None),  # a character the encoding lost
    ("sin(exp(x^2))", "0.3632", "1/2"),  # rounded to 4 places
    ("x^2", "acos(sin(2^1000))", None),  # SymPy fails on it: it could not be graded
]
EXTRA = [
    {"function": "cos(x)", "answer": "-0.7", "at": "2.3", "tolerance": "0.1"},  # within
    {"function": "cos(x)", "answer": "-0.7", "at": "2.3", "digits": "many"},  # bad digits
    {"function": "cos(x)", "answer": "-0.7", "at": "2.3", "tolerance": "-1"},  # bad tolerance
    {"function": "sin(x^2)", "answer": "2x cos(x^2)", "order": "2"},  # one order short
    {"function": "x^3", "answer": "6x", "order": "zwei"},  # bad order
    {"function": "x^3", "answer": "6x + 1", "order": "2"},  # not f″
    {"function": "x^3", "answer": "7", "order": "2", "at": "1"},  # not the value of f″
]


def test_chinese_report_has_no_english_sentence():
    rows = [{"id": str(k), "function": f, "answer": a, "at": at, "student": "学生"}
            for k, (f, a, at) in enumerate(EVERYTHING, 1)]  # fmt: skip
    rows.append({"id": "bad", "function": "", "answer": "1"})  # a row without a function
    rows += EXTRA
    report = check_answers(rows, jobs=1, lang="zh")
    verdicts = {r.verdict for r in report.results}
    assert verdicts == {"correct", "incorrect", "unparseable", "error"}
    assert {r.diagnosis for r in report.results if r.diagnosis} == set(DIAGNOSES)
    keys = {r.note.key for r in report.results}
    sentences = {k for k in grading_messages.MESSAGES if k.count(".") == 1}
    missing = sentences - keys - {
        "grading.timeout", "grading.text",  # (a time-out is tested in test_answers)
    } - {k for k in sentences if not TABLES[k][0][0].isupper()}  # fmt: skip
    assert not missing  # every message a student can be shown appears once here
    texts = [r.message for r in report.results]
    texts += [r.parse_error.to_text("zh") for r in report.results if r.parse_error]
    texts.append(report.to_table())
    texts.append(summary_text(report.summary, "zh"))
    found = {t: english_runs(t) for t in texts if english_runs(t)}
    assert not found
    assert english_runs(report.to_table("en"))  # the scan does find English where it is


def test_english_report_is_english():
    report = check_answers(
        [{"function": f, "answer": a, "at": at} for f, a, at in EVERYTHING] + EXTRA
    )
    assert "Chain rule" in report.to_table() and "Summary:" in report.to_table()
    assert "链式法则" in report.to_table("zh")  # the same report, shown in Chinese
