"""check_answer: verdicts and diagnoses on hand-checked cases, safety, limits, messages.

Every expected verdict and diagnosis below was worked out by hand from the
mathematics (the derivative, and which rule a wrong answer breaks), not by
running derivcheck.
"""

from __future__ import annotations

import time

import pytest
import sympy

import derivcheck
from derivcheck.grading import answers, grade
from derivcheck.grading.answers import DIAGNOSES, VERDICTS, AnswerResult, check_answer
from derivcheck.reading.parser import symbol

x = symbol("x")

#: d/dx (e^((x+6)²)·(∛x - πx))⁴, by the chain and product rules: 10^20 or more at every
#: sample point
_BIG = (
    "4*(exp((x+6)^2)*(cbrt(x) - pi*x))^3"
    "*(2*(x+6)*exp((x+6)^2)*(cbrt(x) - pi*x) + exp((x+6)^2)*(1/(3*cbrt(x)^2) - pi))"
)

# (function, answer, at, verdict, diagnosis) — worked out by hand.
CASES = [
    # Exercise 1 of the chapter: y = (2x+1)^3, dy/dx = 3(2x+1)^2 · 2 = 6(2x+1)^2 = 54 at x = 1.
    ("(2x+1)^3", "6(2x+1)^2", None, "correct", None),
    ("(2x+1)^3", "24x^2 + 24x + 6", None, "correct", None),  # expanded
    ("(2x+1)^3", "6*(2*x+1)**2", None, "correct", None),  # Python syntax
    ("(2x+1)^3", "(1+2x)²·6", None, "correct", None),  # rearranged, Unicode
    ("(2x+1)^3", "6（2x＋1）²", None, "correct", None),  # full-width, as a Chinese IME types
    ("(2x+1)^3", r"6\left(2x+1\right)^{2}", None, "correct", None),  # LaTeX
    ("(2x+1)^3", "y' = 6(2x+1)^2", None, "correct", None),
    ("(2x+1)^3", "dy/dx = 3(2x+1)^2 · 2", None, "correct", None),
    ("(2x+1)^3", "54", "1", "correct", None),
    ("(2x+1)^3", "54.0", "1", "correct", None),
    ("(2x+1)^3", "y'(1) = 54", "1", "correct", None),
    ("(2x+1)^3", "y’(1) ≈ 54.0", "1", "correct", None),
    ("(2x+1)^3", "答：54", "1", "correct", None),
    ("(2x+1)^3", "3(2x+1)²·2 = 6(2x+1)²", None, "correct", None),  # worked steps: the last counts
    ("(2x+1)^3", "f'(x) = 3(2x+1)^2", None, "incorrect", "missing-inner-derivative"),
    ("(2x+1)^3", "3(2x+1)^2", None, "incorrect", "missing-inner-derivative"),  # forgot ·2
    ("(2x+1)^3", "6(2x+1)^3", None, "incorrect", "power-not-reduced"),
    ("(2x+1)^3", "-6(2x+1)^2", None, "incorrect", "sign-error"),
    ("(2x+1)^3", "12(2x+1)^2", None, "incorrect", "constant-factor"),  # 2 × the derivative
    ("(2x+1)^3", "(2x+1)^3", None, "incorrect", "not-differentiated"),
    ("(2x+1)^3", "27", "1", "incorrect", "missing-inner-derivative"),  # 3·3² (also f(1))
    ("(2x+1)^3", "162", "1", "incorrect", "power-not-reduced"),  # 3·3³·2
    ("(2x+1)^3", "-54", "1", "incorrect", "sign-error"),
    ("(2x+1)^3", "55", "1", "incorrect", None),
    ("(2x+1)^3", "6(2x+1)^2", "1", "incorrect", None),  # a formula where a number is asked
    # Section 1.3: (3x+2)^2 -> 6(3x+2) = 18x + 12.
    ("(3x+2)^2", "18x+12", None, "correct", None),
    ("(3x+2)^2", "2(3x+2)", None, "incorrect", "missing-inner-derivative"),
    # Section 1.4: sin(exp(x^2)) -> cos(e^{x²})·e^{x²}·2x; 0.363194914801726 at x = 0.5.
    ("sin(exp(x^2))", "2x e^{x^2} cos(e^{x^2})", None, "correct", None),
    ("sin(exp(x^2))", "0.363194914801726", "0.5", "correct", None),
    ("sin(exp(x^2))", "0.3632", "1/2", "correct", None),  # rounded to 4 places
    ("sin(exp(x^2))", "0.36", "1/2", "incorrect", None),  # two digits are not enough
    ("sin(exp(x^2))", "cos(exp(x^2))", None, "incorrect", "missing-inner-derivative"),
    ("sin(exp(x^2))", "cos(e^{x²})·e^{x²}", None, "incorrect", "missing-inner-derivative"),
    ("sin(exp(x^2))", "2x cos(e^{x^2})", None, "incorrect", "missing-inner-derivative"),
    # Product rule: (x sin x)' = sin x + x cos x.
    ("x sin x", "sin x + x cos x", None, "correct", None),
    ("x sin x", "cos x", None, "incorrect", "product-rule"),  # f'g'
    ("x sin x", "x cos x", None, "incorrect", "product-rule"),  # f'g term missing
    ("x sin x", "sin x", None, "incorrect", "product-rule"),  # fg' term missing
    ("x^2 e^x", "e^x(x^2 + 2x)", None, "correct", None),
    ("x^2 e^x", "2x e^x", None, "incorrect", "product-rule"),
    ("x e^x", "xe^x + e^x", None, "correct", None),  # glued xe^x read as x·e^x
    # Quotient rule: (u/v)' = (u'v − uv')/v².
    ("sin(x)/x", "(x cos x - sin x)/x^2", None, "correct", None),
    ("sin(x)/x", "cos(x)/x - sin(x)/x^2", None, "correct", None),
    ("sin(x)/x", "(sin x - x cos x)/x^2", None, "incorrect", "quotient-rule-sign"),
    ("sin(x)/x", "(x cos x + sin x)/x^2", None, "incorrect", "quotient-rule-sign"),
    ("(x^2+1)/(x-1)", "(x^2 - 2x - 1)/(x-1)^2", None, "correct", None),
    ("(x^2+1)/(x-1)", "((x²+1) − 2x(x−1))/(x−1)²", None, "incorrect", "quotient-rule-sign"),
    # Chain rule in other dress.
    ("e^{2x}", "2e^{2x}", None, "correct", None),
    ("e^{2x}", "e^{2x}", None, "incorrect", "missing-inner-derivative"),  # not "not-differentiated"
    ("ln(x^2+1)", "2x/(x^2+1)", None, "correct", None),
    ("ln(x^2+1)", "1/(x^2+1)", None, "incorrect", "missing-inner-derivative"),
    ("cos(x^2)", "-2x sin(x^2)", None, "correct", None),
    ("cos(x^2)", "2x sin(x^2)", None, "incorrect", "sign-error"),
    ("cos(x^2)", "-sin(x^2)", None, "incorrect", "missing-inner-derivative"),
    ("tan(2x)", "2/cos^2(2x)", None, "correct", None),
    ("tan(2x)", "sec^2(2x)", None, "incorrect", "missing-inner-derivative"),
    ("1/(x^2+1)", "-2x/(x^2+1)^2", None, "correct", None),
    ("1/(x^2+1)", "-1/(x^2+1)^2", None, "incorrect", "missing-inner-derivative"),
    ("1/(x^2+1)", "2x/(x^2+1)^2", None, "incorrect", "sign-error"),
    ("(x^2-1)^4", "8x(x^2-1)^3", None, "correct", None),
    ("(x^2-1)^4", "8x(x^2-1)^4", None, "incorrect", "power-not-reduced"),
    ("sin(2x) + cos(3x)", "2cos(2x) - 3sin(3x)", None, "correct", None),
    ("sin(2x) + cos(3x)", "cos(2x) - sin(3x)", None, "incorrect", "missing-inner-derivative"),
    # Powers, signs, constants.
    ("sqrt(x)", "1/(2√x)", None, "correct", None),
    ("sqrt(x)", "(1/2)√x", None, "incorrect", "power-not-reduced"),
    ("5x^3", "15x^2", None, "correct", None),
    ("5x^3", "3x^2", None, "incorrect", "constant-factor"),  # forgot the 5
    ("5x^3", "15x^3", None, "incorrect", "power-not-reduced"),
    ("x^3 - 3x^2 + 2x", "3x^2 - 6x + 2", None, "correct", None),
    ("x^3 - 3x^2 + 2x", "3x^3 - 6x^2 + 2x", None, "incorrect", "power-not-reduced"),
    ("x^2 - 3x", "2x + 3", None, "incorrect", "sign-error"),  # one term's sign flipped
    ("cos x", "sin x", None, "incorrect", "sign-error"),
    ("sin x", "sin x", None, "incorrect", "not-differentiated"),
    ("x^2", "x", None, "incorrect", "constant-factor"),  # half of 2x
    ("x^2", "2x + 1", None, "incorrect", None),
    ("x^2", "2", None, "incorrect", None),
    # Identities simplify() cannot always prove.
    ("sigmoid(x)", "1/(4cosh(x/2)^2)", None, "correct", None),
    ("sigmoid(x)", "σ(x)(1 − σ(x))", None, "correct", None),
    ("sigmoid(x)", "e^{-x}/(1+e^{-x})^2", None, "correct", None),
    ("sigmoid(x)", "-σ(x)(1 − σ(x))", None, "incorrect", "sign-error"),
    ("sin^2(x)", "sin(2x)", None, "correct", None),
    ("sin x cos x", "cos^2 x - sin^2 x", None, "correct", None),
    ("tan x", "1 + tan^2 x", None, "correct", None),
    ("tanh(x)", "1/cosh^2(x)", None, "correct", None),
    ("x^x", "x^x (ln x + 1)", None, "correct", None),
    ("arcsin x", "1/sqrt(1 - x^2)", None, "correct", None),
    ("ln|x|", "1/x", None, "correct", None),
    ("|x|", "x/|x|", None, "correct", None),
    ("log10(x)", "1/(x ln 10)", None, "correct", None),
    ("2^x", "2^x ln 2", None, "correct", None),
    (
        "(x-1)^10",
        "10x^9-90x^8+360x^7-840x^6+1260x^5-1260x^4+840x^3-360x^2+90x-10",
        None,
        "correct",
        None,
    ),  # fmt: skip
    # The power rule on a variable exponent: (x^x)' = x^x(ln x + 1), (2^x)' = 2^x ln 2.
    ("x^x", "x·x^(x-1)", None, "incorrect", "power-rule-misapplied"),
    ("2^x", "x·2^(x-1)", None, "incorrect", "power-rule-misapplied"),
    ("e^(3x)", "3x e^(3x-1)", None, "incorrect", "power-rule-misapplied"),
    # Symbolic and large exponents: (x^n)' = n x^(n-1), ((x-a)^6000)' = 6000(x-a)^5999.
    ("x^n", "n x^(n-1)", None, "correct", None),
    ("x^n", "n x^n", None, "incorrect", "power-not-reduced"),
    ("(x-a)^6000", "6000(x-a)^5999", None, "correct", None),
    ("(x-a)^6000", "5999(x-a)^5999", None, "incorrect", "power-coefficient"),
    ("(2x+1)^3", "2(2x+1)^2·2", None, "incorrect", "power-coefficient"),  # (n-1)u^(n-1)u'
    # A term of a sum: (x^2 + sin x)' = 2x + cos x.
    ("x^2 + sin x", "2x", None, "incorrect", "sum-rule"),
    ("x^2 + sin x", "2x + sin x", None, "incorrect", "sum-rule"),
    ("x^3 - 3x^2 + 2x", "3x^2 - 6x", None, "incorrect", "sum-rule"),
    # u'/v' for a quotient, and the quotient rule inside x^3/2^x = x^3·2^(-x):
    # (x^3/2^x)' = (3x^2·2^x - x^3·2^x ln 2)/(2^x)^2.
    ("sin(x)/x", "cos(x)", None, "incorrect", "quotient-rule"),
    ("x^3/2^x", "(3x^2·2^x - x^3·2^x·ln 2)/(2^x)^2", None, "correct", None),
    ("x^3/2^x", "(x^3·2^x·ln 2 - 3x^2·2^x)/(2^x)^2", None, "incorrect", "quotient-rule-sign"),
    ("x^3/2^x", "3x^2/(2^x·ln 2)", None, "incorrect", "quotient-rule"),
    # One number cannot show which sign flipped: (x^2 - 3x)' = 2x - 3 = -1 at 1, and
    # 5 = 2 + 3 is that with the sign of 3x flipped.
    ("x^2 - 3x", "5", "1", "incorrect", None),
    # Exact expressions are compared exactly.
    ("x^2", "2x + 10^-20", None, "incorrect", None),
    ("(2x+1)^3", "54 + 10^-25", "1", "incorrect", None),
    # A stray + 1 beside a derivative of 10^20 or more at every sample point is below the
    # floats' tolerance: 30 digits see it (differential case 2026:23550 graded it correct)
    ("exp(x^2)*1e20", "2x*exp(x^2)*1e20 + 1", None, "incorrect", None),
    ("exp(x^2)*1e20", "exp(x^2)*2e20*x", None, "correct", None),
    ("(exp((x+6)^2)*(cbrt(x) - pi*x))^4", _BIG + " + 1", None, "incorrect", None),
    ("(exp((x+6)^2)*(cbrt(x) - pi*x))^4", _BIG, None, "correct", None),
    # Remarks in words after the answer.
    ("(2x+1)^3", "6(2x+1)^2 (chain rule)", None, "correct", None),
    ("(2x+1)^3", "6(2x+1)²（链式法则）", None, "correct", None),
    ("(2x+1)^3", "y' = 6(2x+1)^2, 链式法则。", None, "correct", None),
    ("(x+1)^2", "2(x+1) (x+1)", None, "incorrect", "power-not-reduced"),  # not a remark
    # Decimals: correctly rounded, with enough digits. cos'(x) = -sin x; -sin(2.3) =
    # -0.745705…: -0.746 and -0.7457 are it rounded, -0.745 and -0.74 are cut off.
    ("cos(x)", "-0.746", "2.3", "correct", None),
    ("cos(x)", "-0.7457", "2.3", "correct", None),
    ("cos(x)", "-0.745", "2.3", "incorrect", None),
    ("cos(x)", "-0.75", "2.3", "incorrect", None),  # rounded, but two digits only
    ("sin(x)", "√2/2", "π/4", "correct", None),
    ("sin(x)", "0.7071", "pi/4", "correct", None),
    ("a x^2", "2ax", None, "correct", None),  # a is a constant
    ("relu(x)", "relu(x)/x", None, "correct", None),  # 1 for x > 0, 0 for x < 0
    ("sin(t)", "cos(t)", None, "correct", None),  # the only variable is t
    # Unreadable answers are never run.
    ("x^2", "__import__('os').system('echo hacked')", None, "unparseable", None),
    ("x^2", "eval('2*x')", None, "unparseable", None),
    ("x^2", "lambda x: 2*x", None, "unparseable", None),
    ("x^2", "x.__class__", None, "unparseable", None),
    ("x^2", "2x; import os", None, "unparseable", None),
    ("x^2", "(2x", None, "unparseable", None),
    ("x^2", "", None, "unparseable", None),
    ("x^2", "x^(9^9^9)", None, "unparseable", None),  # refused by the parser's size bound
    ("x^2", "2^5000 x", None, "incorrect", None),  # beyond floating point, and simply wrong
    ("x^2", r"\frac{d}{dx}(x^2)", None, "unparseable", None),  # the question (parse refuses d/dx)
    ("sin(x^2)", "x^x^x^x^x^x^x^x^x", None, "incorrect", None),  # not real for x < 0
    # Exercises that cannot be graded.
    ("ln(x)", "1/x", "0", "error", None),  # outside the domain
    ("relu(x)", "1", "0", "error", None),  # on the kink
    # On a break but differentiable (left and right slopes agree): (x|x|)' = 2|x| = 0 at 0,
    # relu(x)^2 has slope 0 at 0, and relu(x) - relu(-x) = x has slope 1 there.
    ("x|x|", "0", "0", "correct", None),
    ("relu(x)^2", "0", "0", "correct", None),
    ("relu(x) - relu(-x)", "1", "0", "correct", None),
    ("relu(x) - relu(-x)", "0", "0", "incorrect", None),
    ("floor(x)", "0", "1", "error", None),  # a jump
    ("floor(x)", "0", "3/2", "correct", None),
    ("foo(x)", "1", None, "error", None),  # unknown function
    ("x^2", "2e999", "1e999", "error", None),  # a point beyond floating point
]


@pytest.mark.parametrize(("function", "answer", "at", "verdict", "diagnosis"), CASES)
def test_hand_checked_case(function, answer, at, verdict, diagnosis):
    result = check_answer(function, answer, at=at)
    assert (result.verdict, result.diagnosis) == (verdict, diagnosis), result.message
    assert result.correct is (verdict == "correct")
    assert result.message


def test_there_are_enough_hand_checked_cases_and_every_code_is_covered():
    assert len(CASES) >= 50
    assert {c[4] for c in CASES if c[4]} == set(DIAGNOSES)
    assert {c[3] for c in CASES} == set(VERDICTS)


def test_result_fields():
    result = check_answer("(2x+1)^3", "6(2x+1)^2")
    assert isinstance(result, AnswerResult)
    assert sympy.expand(result.expected - 6 * (2 * x + 1) ** 2) == 0
    assert result.expected_value is None and result.parse_error is None
    assert result.var == "x" and result.function == "(2x+1)^3"
    valued = check_answer("(2x+1)^3", "54", at=1)
    assert valued.expected_value == 54 and valued.expected_number == 54.0
    data = valued.to_dict()
    assert data["verdict"] == "correct" and data["expected_value"] == "54"
    assert AnswerResult.from_dict(data).to_dict() == data


def test_expected_is_the_sympy_derivative():
    result = check_answer("sin(exp(x^2))", "0")
    assert sympy.simplify(result.expected - sympy.diff(sympy.sin(sympy.exp(x**2)), x)) == 0


def test_parse_error_has_position_and_message():
    result = check_answer("x^2", "2*x+")
    assert result.verdict == "unparseable"
    assert result.parse_error.position == 4
    assert "end of input" in result.parse_error.message
    assert "^" in str(result.parse_error)
    shifted = check_answer("x^2", "y' = (2x")  # positions count in the text as typed
    assert shifted.parse_error.position == 5


def test_code_in_an_answer_is_never_run(tmp_path):
    sentinel = tmp_path / "ran"
    attempts = [
        f"__import__('os').system('touch {sentinel}')",
        f"open('{sentinel}', 'w')",
        f"exec(\"open('{sentinel}','w')\")",
        "().__class__.__base__.__subclasses__()",
    ]
    for text in attempts:
        assert check_answer("x^2", text).verdict == "unparseable"
    assert not sentinel.exists()


def test_answers_with_names_the_function_lacks():
    result = check_answer("x^2", "2t")
    assert (result.verdict, result.diagnosis) == ("incorrect", None)
    assert "t" in result.message


def test_time_limit_ends_in_error_not_a_hang(monkeypatch):
    def endless(*args, **kwargs):  # busy: the limit counts CPU time
        while True:
            sum(range(1000))

    monkeypatch.setattr(grade, "_grade", endless)
    start = time.monotonic()
    result = check_answer("x^2", "2x", time_limit_seconds=0.2)
    assert time.monotonic() - start < 2
    assert result.verdict == "error" and "0.2 s" in result.message


def test_running_out_of_time_is_an_error_not_a_verdict(monkeypatch):
    def out_of_time(*args, **kwargs):
        raise derivcheck.errors.LimitError(
            "limits.took_too_long", what="limits.what.computation", seconds=2
        )

    # the exact check of a close call: 30 digits at the exact points
    monkeypatch.setattr(grade, "precise", out_of_time)
    result = check_answer("x^2", "2x + 10^-6")  # 1e-6 apart: numbers cannot decide
    assert result.verdict == "error" and "longer than" in result.message


def test_pathological_answers_end_quickly():
    nested = "sin(" * 90 + "x" + ")" * 90
    for text in (nested, "x" + "+x" * 3000, "(" * 5000 + "x" + ")" * 5000, "9" * 100_000):
        start = time.process_time()  # CPU time: the same on a quiet and a busy machine
        result = check_answer("x^2", text)
        assert time.process_time() - start < 2.5
        assert result.verdict in ("incorrect", "unparseable", "error")


def test_same_answer_same_result_every_time():
    first = [check_answer("x sin x", a).to_dict() for a in ("cos x", "x cos x + sin x", "2")]
    answers.EXERCISES.clear()
    second = [check_answer("x sin x", a).to_dict() for a in ("cos x", "x cos x + sin x", "2")]
    assert first == second


@pytest.mark.parametrize(
    ("function", "answer", "words"),
    [
        ("(2x+1)^3", "3(2x+1)^2", "链式法则"),
        ("x^3", "3x^3", "幂函数"),
        ("x sin x", "cos x", "乘积法则"),
        ("sin(x)/x", "(sin x - x cos x)/x^2", "商的求导法则"),
        ("(2x+1)^3", "-6(2x+1)^2", "符号错误"),
        ("5x^3", "3x^2", "常数因子"),
        ("x^2", "x^2", "原函数"),
        ("x^2", "2x", "正确"),
        ("x^2", "(2x", "无法识别"),
    ],
)
def test_chinese_messages(function, answer, words):
    assert words in check_answer(function, answer, lang="zh").message


def test_every_message_names_the_rule_in_english():
    assert "Chain rule" in check_answer("(2x+1)^3", "3(2x+1)^2").message
    assert "2x + 1" in check_answer("(2x+1)^3", "3(2x+1)^2").message
    assert "Quotient rule" in check_answer("sin(x)/x", "(sin x - x cos x)/x^2").message
    assert "1/5" in check_answer("5x^3", "3x^2").message


def test_messages_say_what_is_wrong():
    assert "d/dx" in check_answer("x^2", r"\frac{d}{dx}(x^2)").message
    assert "d/dx or dx" in check_answer("x^2", "2x dx").message
    assert "beyond 10^308" in check_answer("x^2", "2^5000").message
    assert "beyond 10^308" in check_answer("x^2", "1", at="1e999").message
    # (x^2)' = 2x = 12.34 at x = 6.17; 12.3 is that rounded to one decimal place
    rounded = check_answer("x^2", "12.3", at="6.17")
    assert rounded.message == "Correct (to the 1 decimal place given)."
    assert "π/4" in check_answer("sin(x)", "0.5", at="π/4").message  # the point as written
    assert "没有闭合" in check_answer("x^2", "(2x", lang="zh").message  # the parser's reason too


def test_unknown_language_is_refused():
    with pytest.raises(derivcheck.DerivcheckError):
        check_answer("x^2", "2x", lang="fr")


def test_public_exports():
    assert derivcheck.check_answer is check_answer
    assert derivcheck.AnswerResult is AnswerResult
    assert derivcheck.check_answers is answers.check_answers


# ---- property: sympy.diff's derivative is correct, its negative and shifts are not ------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LEAVES = [x, x**2, 2 * x + 1, 1 + x**2, sympy.Integer(3) * x]
_UNARY = [
    sympy.sin,
    sympy.cos,
    sympy.exp,
    sympy.atan,
    lambda u: sympy.log(1 + u**2),
    lambda u: sympy.sqrt(1 + u**2),
    lambda u: u**3,
    lambda u: 1 / (1 + u**2),
]


def _expressions():
    leaves = st.sampled_from(_LEAVES)

    def extend(children):
        unary = st.builds(lambda f, u: f(u), st.sampled_from(_UNARY), children)
        binary = st.builds(
            lambda op, a, b: op(a, b),
            st.sampled_from([sympy.Add, sympy.Mul, lambda a, b: a / (2 + b**2)]),
            children,
            children,
        )
        return unary | binary

    return st.recursive(leaves, extend, max_leaves=4)


def _text(expression: sympy.Expr) -> str:
    return sympy.sstr(expression).replace("E", "e")  # SymPy prints Euler's number as E


@settings(max_examples=40, deadline=None)
@given(_expressions())
def test_sympy_derivatives_are_graded_correct_and_changes_incorrect(function):
    derivative = sympy.diff(function, x)
    text = _text(function)
    expanded = sympy.expand(derivative)
    for form in (derivative, expanded) if sympy.count_ops(expanded) < 80 else (derivative,):
        result = check_answer(text, _text(form))
        assert result.verdict == "correct", (text, form, result.message)
    values = [sympy.N(derivative.subs(x, sympy.Rational(k, 7)), 30) for k in (-9, -2, 3, 8)]
    if all(abs(v) < 1e-20 for v in values):  # a derivative that is 0 after all
        return
    for wrong in (-derivative, derivative + 1, derivative * (1 + x**2)):
        result = check_answer(text, _text(wrong))
        assert result.verdict == "incorrect", (text, wrong, result.message)


@pytest.mark.parametrize(
    ("function", "right", "wrong"),
    [
        # arctan(1/x) = ±π/2 - arctan(x) on each side of 0, so f′ = 0; tan·cot = 1
        ("arctan(x)+arctan(1/x)", "0", "1/(1+x^2)"),
        ("tan(x)*cot(x)", "0", "1"),
    ],
)
def test_a_derivative_that_is_zero_only_after_cancelling_is_graded(function, right, wrong):
    """f′ written out is 1/(x² + 1) - 1/(x²(1 + x⁻²)): 0, but rounding noise (5.6e-17) in
    floating point at every sample point, where the exercise was refused as having no
    usable points."""
    from derivcheck import check_answer

    assert check_answer(function, right).verdict == "correct"
    assert check_answer(function, wrong).verdict == "incorrect"


@pytest.mark.parametrize(
    ("function", "right", "wrong"),
    [
        # at most sample points e^(1000x) and e^(-1000x^2) underflow to 0, and so does every
        # answer: e^(1000x) for e^(1000x) was graded correct (found by the web load test)
        ("e^(1000x)", "1000e^(1000x)", "e^(1000x)"),
        ("e^(-1000x^2)", "-2000x e^(-1000x^2)", "-2x e^(-1000x^2)"),
        # sin's argument stays moderate only for |x| < 0.094: was "cannot be graded"
        ("sin(10606x)", "10606cos(10606x)", "cos(10606x)"),
    ],
)
def test_sample_points_where_the_values_say_something(function, right, wrong):
    from derivcheck import check_answer

    assert check_answer(function, right).verdict == "correct"
    assert check_answer(function, wrong).verdict == "incorrect"


def test_a_right_answer_whose_floats_cancel_is_graded_correct():
    """d/dx acot(x - 1/2)·elu(8x + 40) for x > -5 is acot(x - 1/2)·8 - elu(8x + 40)/(1 + (x -
    1/2)²); written as SymPy's diff writes it, the answer has 8e^(40+8x) + (8 - 8e^(40+8x))·1,
    which is 8 but 0 in floating point at x = 2.34, and it was "Not the derivative"
    (differential case 2026:19030). A wrong answer there stays wrong."""
    from derivcheck import check_answer

    function = "(acot(x+(-1/2)))*(elu((8·x)-(8·((-5)))))"
    answer = (
        "(((((1/2)*pi) + ((-1)*atan(((-1/2) + x))))*((8*exp((40 + (8*x))))"
        " + ((8 + ((-8)*exp((40 + (8*x)))))*heaviside((5 + x)))))"
        " + ((-1)*((1 + (((-1/2) + x))^(2)))^((-1))*((-1) + ((41 + ((-1)*exp((40 + (8*x))))"
        " + (8*x))*heaviside((5 + x))) + exp((40 + (8*x))))))"
    )
    assert check_answer(function, answer).verdict == "correct"
    assert check_answer(function, "acot(x-1/2)*8").verdict == "incorrect"
