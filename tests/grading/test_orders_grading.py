"""Grading higher derivatives and partial derivatives (issue 11 §6).

Every expected derivative is computed here with ``sympy.diff`` from the function written in
SymPy, never taken from derivcheck's output; answers are SymPy's own printing of it (a right
answer) or of a wrong expression built from it.
"""

from __future__ import annotations

import json

import pytest
import sympy
from sympy import E, cos, exp, log, sin

from derivcheck.grading.grade import AnswerResult, check_answer
from derivcheck.reading.parser import symbol
from tests.english import english_runs

x, y = symbol("x"), symbol("y")  # the parser's symbols (real), so results compare

# (derivcheck's spelling, the same function in SymPy)
ONE_VARIABLE = [
    ("sin(exp(x^2))", sin(exp(x**2))),
    ("x^x", x**x),
    ("e^(-x^2)", exp(-(x**2))),
    ("1/(1+x^2)", 1 / (1 + x**2)),
    ("(2x+1)^3", (2 * x + 1) ** 3),
]


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Equal at a few points of the domain, to 25 digits (simplify cannot always tell)."""
    for point in ("7/10", "13/10", "21/10"):
        at = {s: sympy.Rational(point) for s in a.free_symbols | b.free_symbols}
        difference = sympy.N(a.xreplace(at) - b.xreplace(at), 30)
        if abs(difference) > 1e-25 * (1 + abs(sympy.N(b.xreplace(at), 30))):
            return False
    return True


def _text(expression: sympy.Expr) -> str:
    """SymPy's printing of an expression, as a student could type it."""
    return sympy.sstr(expression)


@pytest.mark.parametrize("order", [2, 3, 4])
@pytest.mark.parametrize(("function", "f"), ONE_VARIABLE)
def test_the_nth_derivative_is_correct_and_mistakes_are_not(function, f, order):
    truth = sympy.diff(f, x, order)
    right = check_answer(function, _text(truth), order=order)
    assert right.verdict == "correct", (function, order, right.message)
    assert right.order == order
    assert right.derivative_symbol == {2: "f″", 3: "f‴", 4: "f⁽⁴⁾"}[order]
    assert _same(right.expected, truth)
    short = check_answer(function, _text(sympy.diff(f, x, order - 1)), order=order)
    assert short.verdict == "incorrect" and short.diagnosis == "not-differentiated"
    assert "one order short" in short.message
    if truth != 0:
        doubled = check_answer(function, _text(3 * truth), order=order)
        assert doubled.verdict == "incorrect" and doubled.diagnosis == "constant-factor"
    off = check_answer(function, _text(truth + x), order=order)
    assert off.verdict == "incorrect"


def test_order_symbols():
    assert [check_answer("x^9", "1", order=n).derivative_symbol for n in (1, 2, 3, 4, 10)] == [
        "f′",
        "f″",
        "f‴",
        "f⁽⁴⁾",
        "f⁽¹⁰⁾",
    ]


def test_the_last_differentiation_s_mistake_is_named():
    # f' = 6(2x+1)^2; f'' = 24(2x+1): forgetting the inner 2 in the second step gives 12(2x+1)
    f = (2 * x + 1) ** 3
    assert sympy.expand(sympy.diff(f, x, 2) / 2 - 12 * (2 * x + 1)) == 0
    result = check_answer("(2x+1)^3", "12(2x+1)", order=2)
    assert (result.verdict, result.diagnosis) == ("incorrect", "missing-inner-derivative")
    # the second derivative's sign: (cos x)'' = -cos x
    assert sympy.diff(cos(x), x, 2) == -cos(x)
    flipped = check_answer("cos x", "cos x", order=2)
    assert (flipped.verdict, flipped.diagnosis) == ("incorrect", "sign-error")


@pytest.mark.parametrize(
    ("function", "f", "var", "order"),
    [
        ("x^2 y^3 + sin(x y)", x**2 * y**3 + sin(x * y), "x", 1),
        ("x^2 y^3 + sin(x y)", x**2 * y**3 + sin(x * y), "y", 1),
        ("x^2 y^3 + sin(x y)", x**2 * y**3 + sin(x * y), "y", 2),
        ("e^(x-y) ln(x+y)", exp(x - y) * log(x + y), "x", 2),
        ("e^(x-y) ln(x+y)", exp(x - y) * log(x + y), "y", 3),
    ],
)
def test_partial_derivatives(function, f, var, order):
    v = symbol(var)
    truth = sympy.diff(f, v, order)
    right = check_answer(function, _text(truth), var=var, order=order)
    assert right.verdict == "correct", right.message
    assert right.partial and right.var == var
    power = "" if order == 1 else "²³"[order - 2]
    assert right.derivative_symbol == f"∂{power}f/∂{var}{power}"
    other = symbol("y" if var == "x" else "x")
    wrong = check_answer(function, _text(sympy.diff(f, other, order)), var=var, order=order)
    assert wrong.verdict == "incorrect"
    data = right.to_dict()
    assert data["order"] == order and data["asked"] == right.derivative_symbol


def test_values_at_a_point():
    f = exp(-(x**2))
    value = sympy.diff(f, x, 3).subs(x, 1)  # 4/e
    assert sympy.simplify(value - 4 / E) == 0
    assert check_answer("e^(-x^2)", _text(value), at=1, order=3).verdict == "correct"
    assert check_answer("e^(-x^2)", "4/e", at=1, order=3).verdict == "correct"
    assert check_answer("e^(-x^2)", f"{float(value):.4f}", at=1, order=3).verdict == "correct"
    wrong = check_answer("e^(-x^2)", "-2/e", at=1, order=3)  # the first derivative's value
    assert wrong.verdict == "incorrect"
    result = check_answer("x^x", "2", at=1, order=2)  # (x^x)'' at 1 = 2
    assert sympy.diff(x**x, x, 2).subs(x, 1) == 2
    assert result.verdict == "correct" and result.expected_value == 2


@pytest.mark.parametrize("order", ["0", "x", 11, -1, True, "2.5"])
def test_a_bad_order_is_the_exercise_s_error(order):
    result = check_answer("x^3", "6x", order=order)
    assert result.verdict == "error"
    assert "order" in result.message
    assert not english_runs(result.message_in("zh"))


def test_order_as_text_and_blank():
    assert check_answer("x^3", "6x", order="2").verdict == "correct"
    assert check_answer("x^3", "6x", order="2.0").verdict == "correct"  # as Excel writes it
    assert check_answer("x^3", "6x", order=2.0).verdict == "correct"
    assert check_answer("x^3", "3x^2", order="").verdict == "correct"
    assert check_answer("x^3", "3x^2", order=None).verdict == "correct"


def test_chinese_messages():
    short = check_answer("sin(x^2)", "2x cos(x^2)", order=2, lang="zh")
    assert short.message == "这是 f′，少求了一阶：f″ 是它的导数（还要再求一次导）。"
    for args, kw in [
        (("(2x+1)^3", "12(2x+1)"), {"order": 2}),
        (("x^2 y^3", "6x^2 y^2", "y"), {"order": 2}),
        (("x^3", "7x"), {"order": 2}),
    ]:
        result = check_answer(*args, lang="zh", **kw)
        assert result.verdict == "incorrect"
        assert not english_runs(result.message), result.message


def test_first_derivative_reports_are_unchanged():
    data = check_answer("x^3", "3x^2").to_dict()
    assert "order" not in data and "asked" not in data


def test_the_record_keeps_the_order():
    result = check_answer("x^2 y^3", "6x^2 y", "y", order=2)
    again = AnswerResult.from_dict(json.loads(json.dumps(result.to_record())))
    assert (again.order, again.partial, again.derivative_symbol) == (2, True, "∂²f/∂y²")
    assert _same(again.expected, 6 * x**2 * y)


def test_a_worked_answer_of_a_higher_order_is_graded_on_its_last_line():
    result = check_answer("x^3", "y' = 3x^2\ny'' = 6x", order=2)
    assert result.verdict == "correct"


# ---- files and the report ------------------------------------------------------------

ROWS = [  # (id, function, answer, at, order, var, verdict, diagnosis); truths below
    ("1", "x^3", "6x", "", "2", "", "correct", None),
    ("2", "(2x+1)^3", "6(2x+1)^2", "", "2", "", "incorrect", "not-differentiated"),
    ("3", "x^2 y^3", "6x^2 y", "", "2", "y", "correct", None),
    ("4", "x^4", "24", "1", "4", "", "correct", None),
    ("5", "x^2 y^3", "2x y^3", "", "", "x", "correct", None),
    ("6", "sin x", "cos x", "", "", "", "correct", None),
]


def test_the_truths_of_the_rows():
    assert sympy.diff(x**3, x, 2) == 6 * x
    assert sympy.diff(x**2 * y**3, y, 2) == 6 * x**2 * y
    assert sympy.diff(x**4, x, 4) == 24
    assert sympy.diff(x**2 * y**3, x) == 2 * x * y**3


def _csv() -> str:
    lines = ["id,function,answer,at,order,var"]
    lines += [",".join(f'"{c}"' for c in row[:6]) for row in ROWS]
    return "\n".join(lines) + "\n"


def _json() -> str:
    keys = ("id", "function", "answer", "at", "order", "var")
    return json.dumps([{k: v for k, v in zip(keys, row[:6], strict=True) if v} for row in ROWS])


def _yaml() -> str:
    out = []
    for row in ROWS:
        out.append(f"- id: '{row[0]}'")
        for key, value in zip(("function", "answer", "at", "order", "var"), row[1:6], strict=True):
            if value:
                out.append(f"  {key}: '{value}'")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(("suffix", "content"), [("csv", _csv), ("json", _json), ("yaml", _yaml)])
def test_derivcheck_check_reads_order_and_var(run_cli, tmp_path, suffix, content):
    path = tmp_path / f"answers.{suffix}"
    path.write_text(content(), encoding="utf-8")
    out = tmp_path / "report.json"
    result = run_cli("check", str(path), "--out", str(out))
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    got = [(r["id"], r["verdict"], r["diagnosis"]) for r in report["results"]]
    assert got == [(row[0], row[6], row[7]) for row in ROWS]
    asked = [r.get("asked") for r in report["results"]]
    assert asked == ["f″", "f″", "∂²f/∂y²", "f⁽⁴⁾", "∂f/∂x", None]
    exercises = [e.get("asked") for e in report["summary"]["exercises"]]
    assert exercises == asked


def test_the_table_shows_the_order_in_english_and_chinese(run_cli, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(_csv(), encoding="utf-8")
    english = run_cli("check", str(path), "--format", "table")
    lines = english.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "derivative", "verdict"]
    assert lines[2].split()[:3] == ["1", "f″", "correct"]
    assert lines[4].split()[:2] == ["3", "∂²f/∂y²"]
    assert "one order short" in lines[3]
    chinese = run_cli("check", str(path), "--format", "table", "--lang", "zh")
    zh = chinese.stdout.splitlines()
    assert zh[0].split()[:3] == ["题号", "所求导数", "结果"]
    assert "少求了一阶" in zh[3]
    assert "  x^4  f⁽⁴⁾  (x = 1)" in chinese.stdout + chinese.stderr


def test_the_csv_report_has_the_order(run_cli, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(_csv(), encoding="utf-8")
    out = tmp_path / "report.csv"
    run_cli("check", str(path), "--out", str(out))
    import csv

    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["order"] for r in rows] == ["2", "2", "2", "4", "1", "1"]


# ---- drawn at random ----------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = [
    ("sin({a}x)", lambda a: sin(a * x)),
    ("e^({a}x)", lambda a: exp(a * x)),
    ("x^{a}", lambda a: x**a),
    ("ln(x^2+{a})", lambda a: log(x**2 + a)),
    ("cos(x^2/{a})", lambda a: cos(x**2 / a)),
]


@settings(max_examples=20, deadline=None)
@given(
    st.integers(0, len(_PIECES) - 1),
    st.integers(0, len(_PIECES) - 1),
    st.integers(1, 4),
    st.integers(2, 4),
    st.sampled_from(["+", "*"]),
)
def test_random_sums_and_products_of_any_order(i, j, a, order, op):
    (text_f, f), (text_g, g) = _PIECES[i], _PIECES[j]
    function = f"({text_f.format(a=a)}) {op} ({text_g.format(a=a + 1)})"
    expression = f(a) + g(a + 1) if op == "+" else f(a) * g(a + 1)
    truth = sympy.diff(expression, x, order)
    right = check_answer(function, _text(truth), order=order)
    assert right.verdict == "correct", (function, right.message)
    wrong = check_answer(function, _text(truth + 1), order=order)
    assert wrong.verdict == "incorrect", function
