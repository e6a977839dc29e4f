"""The light answer path (derivcheck.reading.light) never changes a verdict.

Every answer here is graded twice: as check_answer grades it (the light reading first) and
with the light reading turned off (parse() and SymPy only); the two results must be the
same, and the verdict must be the mathematics' (written beside each case). The cases are
the ones where a tree that keeps what was typed and a tree SymPy simplified part ways."""

from __future__ import annotations

import pytest

import derivcheck.grading.grade as grade_module
from derivcheck.grading.exercise import ExerciseCache
from derivcheck.grading.grade import _grade_light, check_answer

# (function, answer, verdict, settled by the light reading?)
CASES = [
    # SymPy simplifies x - x to 0: the division is refused (unparseable); floats give inf
    ("x^2", "2x + 1/(x-x)", "unparseable", False),
    # SymPy: tan(x - x + π/2) is tan(π/2), undefined; floats give 1.6e16, hidden by 0·
    ("x", "1 + 0*tan(x - x + pi/2)", "unparseable", False),
    ("x^3", "3x^2 + 0*ln(x - x)", "unparseable", False),
    # SymPy: (x - x - 8)^(1/3) is (-8)^(1/3), not real; the real cube root is -2
    ("x^2", "2x + 0*(x-x-8)^(1/3)", "unparseable", False),
    # (√x)² is x for SymPy, nan at negative x in floats
    ("x^2", "(sqrt(x))^2 + x", "correct", False),
    # big cancellations: exact for SymPy (its numbers are exact), lost in floats
    ("x^2", "(2x + 10^8) - 10^8", "correct", False),
    ("x^2", "2x + 10^20 - 10^20", "correct", False),
    ("x^2", "2x + 10^20 x - 10^20 x", "correct", False),
    # 2x + 10^-20 is not 2x, though no float shows it (both sides rational: exact check)
    ("x^2", "2x + 10^-20", "incorrect", False),
    # a name that cancels: y - y
    ("x^2 + y", "2x + y - y", "correct", None),
    # domains: ln(x²) is defined at negative x, 2 ln x is not
    ("x ln(x^2)", "ln(x^2) + 2", "correct", True),
    ("x ln(x^2)", "2ln(x) + 2", "incorrect", False),
    # right only on part of the domain
    ("x|x|", "2x", "incorrect", True),
    ("x|x|", "2|x|", "correct", True),
    ("|x|", "x/|x|", "correct", True),
    ("sqrt(x^2)", "x/sqrt(x^2)", "correct", True),
    # ordinary answers, settled by the light reading
    ("(2x+1)^3", "6(2x+1)^2", "correct", True),
    ("(2x+1)^3", "3(2x+1)^2", "incorrect", True),
    ("sin(x)/x", "(x cos x - sin x)/x^2", "correct", True),
    ("x^3", "3 x x", "correct", True),
    ("sin x", "sin(x + pi/2)", "correct", True),
    ("tanh(3x)", "3(1 - tanh(3x)^2)", "correct", None),
    ("e^(2x)", "2e^(2x)", "correct", True),
    ("x^(1/3)", "x^(-2/3)/3", "correct", True),
    ("ln(x)", "1/x", "correct", True),
]


def _without_light(monkeypatch, function: str, answer: str):
    with monkeypatch.context() as patch:
        patch.setattr(grade_module, "_grade_light", lambda *args, **kwargs: None)
        return check_answer(function, answer, cache=ExerciseCache())


@pytest.mark.parametrize(("function", "answer", "verdict", "light"), CASES)
def test_the_light_path_gives_the_sympy_paths_result(monkeypatch, function, answer, verdict, light):
    cache = ExerciseCache()
    got = check_answer(function, answer, cache=cache)
    reference = _without_light(monkeypatch, function, answer)
    assert got.verdict == verdict, got.message
    assert got.to_dict() == reference.to_dict()
    if light is not None:
        settled = _grade_light(cache.prepare(function), answer)
        assert (settled is not None) == light


def test_mistakes_found_by_the_light_path_are_diagnosed_alike(monkeypatch):
    for function, answer in [
        ("(2x+1)^3", "3(2x+1)^2"),
        ("x sin x", "cos x"),
        ("sin(x)/x", "(sin x - x cos x)/x^2"),
        ("cos(x^2)", "2x sin(x^2)"),
        ("x^3", "3x^3"),
        ("sin(x)/x", "cos(x)/x^2 + 1"),
    ]:
        got = check_answer(function, answer, cache=ExerciseCache())
        assert got.to_dict() == _without_light(monkeypatch, function, answer).to_dict()
        assert got.verdict == "incorrect"


# --------------------------------------------------------------------------------------
# Any formula: when the light reading gives values, they are the SymPy reading's
# --------------------------------------------------------------------------------------

import numpy as np  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from derivcheck.errors import ParseError  # noqa: E402
from derivcheck.numeric.evaluate import compile_expr  # noqa: E402
from derivcheck.reading.light import Light, Points, read_light  # noqa: E402
from derivcheck.reading.parser import parse, symbol  # noqa: E402

_ATOMS = st.sampled_from(["x", "y", "2", "3", "1/3", "10^20", "10^-20", "pi", "e", "0", "x", "x"])
_FUNCTIONS = ["sin", "cos", "tan", "ln", "exp", "sqrt", "abs", "arctan", "tanh", "sigmoid", "relu"]


def _grow(inner):
    a, b = inner, inner
    return st.one_of(
        st.tuples(a, st.sampled_from(["+", "-", "*", "/", ""]), b).map(
            lambda t: f"({t[0]}){t[1]}({t[2]})" if t[1] else f"{t[0]} {t[2]}"
        ),
        st.tuples(a, st.sampled_from(["2", "-1", "1/2", "1/3", "3/2", "x", "0"])).map(
            lambda t: f"({t[0]})^({t[1]})"
        ),
        st.tuples(st.sampled_from(_FUNCTIONS), a).map(lambda t: f"{t[0]}({t[1]})"),
        a.map(lambda t: f"({t}) - ({t})"),  # a cancellation SymPy sees and floats do not
        a.map(lambda t: f"0*({t})"),
    )


FORMULAS = st.recursive(_ATOMS, _grow, max_leaves=8)
_X, _Y = symbol("x"), symbol("y")
_POINTS = {"x": np.array([-2.5, -0.75, 0.5, 1.25, 2.0, 7.5]), "y": np.full(6, 1.5)}


@settings(max_examples=400, deadline=None)
@given(FORMULAS)
def test_light_values_are_the_sympy_readings_values(text):
    tree = read_light(text)
    if not isinstance(tree, Light):
        return
    found = Points(_POINTS).values(tree, np.zeros(6))
    if found is None:
        return
    expression = parse(text)  # the light reading only gives values SymPy accepts
    symbols = [_X, _Y]
    want = np.asarray(compile_expr(expression, symbols)(_POINTS["x"], _POINTS["y"]), dtype=complex)
    want = np.broadcast_to(want, (6,))
    assert np.all(np.abs(want.imag) == 0), text
    want = want.real
    scale = np.maximum(np.abs(want), np.abs(found))
    assert np.all(np.abs(want - found) <= 1e-10 * scale + 1e-300), (text, found, want)


def test_parse_errors_are_never_light_values():
    for text in ["1/(x-x)", "ln(x - x)", "(x-x)^(-1)", "tan(pi/2 + x - x)", "asin(2 + x - x)"]:
        tree = read_light(text)
        assert tree is None or Points(_POINTS).values(tree, np.zeros(6)) is None, text
        with pytest.raises(ParseError):
            parse(text)
