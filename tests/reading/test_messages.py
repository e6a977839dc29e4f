"""Every reading error is a message key (messages/parsing.py) with its position.

One bad input per kind of error: the key, the column of the caret (0-based positions
worked out by hand from the text), and a Chinese message with no English sentence left.
"""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

from derivcheck import ParseError, parse, parse_program
from derivcheck.messages import parsing, table
from derivcheck.reading import parser
from derivcheck.reading.parser import parse_point_assignments, read_derivative_request, read_prime
from tests.english import english_runs

P, DERIVATIVE, PRIME, PROGRAM, POINTS = (
    parse,
    read_derivative_request,
    read_prime,
    parse_program,
    parse_point_assignments,
)

# (reader, text, key, position)
BAD = [
    (P, 42, "parse.not_text", None),
    (P, "x" * 20_001, "parse.too_long", 20_000),
    (P, "", "parse.empty", 0),
    (P, "  \n ", "parse.empty", 0),
    (P, "x😀", "parse.unexpected_character", 1),
    (P, "x\x00", "parse.unexpected_character", 1),
    (P, "__import__('os')", "parse.unexpected_character", 0),
    (P, "'x'", "parse.string", 0),
    (P, 'f("x")', "parse.string", 2),
    (P, "os.system", "parse.attribute", 2),
    (P, "x==1", "parse.comparison", 1),
    (P, "0x10", "parse.hex", 0),
    (P, "2+0xff", "parse.hex", 2),
    (P, "1e9999999", "parse.exponent_too_large", 0),
    (P, "2+" + "1" * 4001, "parse.number_too_long", 2),
    (P, "10^3999*10^3999", "parse.number_too_large", 7),
    (P, "9^9^9^9", "parse.power_too_large", 3),
    (P, "y+" + "x" * 65, "parse.name_too_long", 2),
    (P, "w_{1", "parse.subscript_unclosed", 1),
    (P, "w_{+}", "parse.subscript_name", 1),
    (P, r"\infty", "parse.latex_unsupported", 0),
    (P, r"\operatorname relu", "parse.latex_brace", 14),
    (P, r"\operatorname{}", "parse.latex_name", 13),
    (P, r"\frac+", "parse.latex_group", 5),
    (P, r"\sqrt[1]{x}", "parse.sqrt_degree", 0),
    (P, "2*(x+", "parse.end", 5),
    (P, "2 3", "parse.missing_operator", 2),
    (P, "x 2", "parse.missing_operator", 2),
    (P, "(x 2)", "parse.missing_operator", 3),
    (P, "*x", "parse.needs_left", 0),
    (P, "²x", "parse.superscript_base", 0),
    (P, "x²⁾", "parse.superscript", 1),
    (P, "(" * 101 + "x" + ")" * 101, "parse.too_deep", 100),
    (P, "x; y", "parse.semicolon", 1),
    (P, "x\ny", "parse.line_break", 1),
    (P, "x, y", "parse.comma", 1),
    (DERIVATIVE, "d/dx x = 2", "parse.equals", 7),
    (P, "()", "parse.empty_brackets", 1),
    (P, "x)", "parse.nothing_to_close", 1),
    (P, "(x]", "parse.mismatched", 2),
    (P, "{x)", "parse.mismatched", 2),
    (P, "(x", "parse.unclosed", 0),
    (P, "(x, y)", "parse.expected_close", 2),
    (P, "|x", "parse.abs_unclosed", 2),
    (P, "foo(x)", "parse.unknown_function", 0),
    (P, "2 + sinn(x)", "parse.unknown_function_suggest", 4),
    (P, "sin", "parse.needs_argument", 0),
    (P, "sin()", "parse.missing_argument", 4),
    (P, "sin^-x", "parse.function_power", 5),
    (P, "sin(x, y)", "parse.arguments_exactly", 0),
    (P, "leaky_relu(x, 1, 2)", "parse.arguments_either", 0),
    (P, "max(x)", "parse.arguments_range", 0),
    (P, "leaky_relu(x, y)", "parse.parameter", 14),
    (P, "ln^-1 x", "parse.inverse_ambiguous", 2),
    (P, "log(x, 1)", "parse.log_base", 7),
    (P, "log_0(x)", "parse.log_base", 0),
    (P, "1/0", "parse.division_by_zero", 1),
    (P, "0^-1", "parse.zero_negative_power", 1),
    (P, "log(0)", "parse.undefined", 0),
    (P, "sqrt(-1)", "parse.not_real", 0),
    (P, "√(-4)", "parse.negative_sqrt", 0),
    (P, "∜(-16)", "parse.negative_even_root", 0),
    (P, "d/dx x^2", "parse.derivative_operator", 0),
    (DERIVATIVE, "d/dx", "parse.derivative_operand", 4),
    (DERIVATIVE, "d/dx (x) + 1", "parse.derivative_scope", 9),
    (P, "2∂x", "parse.partial", 1),
    (P, "(2x+1)'", "parse.prime", 6),
    (PRIME, "2y' = 1", "parse.prime_label", 2),
    (PROGRAM, "2 = x", "parse.assignment_expected", 0),
    (PROGRAM, "y = 2; x^2", "parse.program_line", 7),
    (PROGRAM, "y + 1 = 2", "parse.assignment_target", 4),
    (PROGRAM, "e = 2", "parse.builtin_name", 0),
    (PROGRAM, "Sin = 2", "parse.builtin_name", 0),
    (PROGRAM, "y = 1; y = 2", "parse.assigned_twice", 7),
    (PROGRAM, "y = h; h = x", "parse.used_before", 4),
    (PROGRAM, "y =", "parse.missing_expression", 2),
    (PROGRAM, "y = x = 2", "parse.one_equals", 6),
    (POINTS, " , ", "parse.point_empty", 0),
    (POINTS, "x=1, y", "parse.point_equals", 5),
    (POINTS, "x=1,=2", "parse.point_name", 4),
    (POINTS, "x=1, y=", "parse.point_value", 6),
    (POINTS, "x=1,x=2", "parse.point_twice", 4),
    (POINTS, "x==1", "parse.comparison", 1),
]


def _raised(reader, text) -> ParseError:
    with pytest.raises(ParseError) as caught:
        reader(text)
    return caught.value


@pytest.mark.parametrize(
    "reader, text, key, position", BAD, ids=[f"{c[2]}:{str(c[1])[:20]!r}" for c in BAD]
)
def test_bad_input_gives_its_key_position_and_chinese(reader, text, key, position):
    error = _raised(reader, text)
    assert error.message.key == key
    assert error.position == position
    chinese = error.to_text("zh")
    assert english_runs(chinese, error=True) == [], chinese
    if position is not None and isinstance(text, str) and "\n" not in text and position < 50:
        caret = chinese.splitlines()[2]
        assert caret.index("^") == 2 + position  # ASCII before the position: one column each


def test_at_least_forty_kinds():
    assert len({key for _, _, key, _ in BAD}) >= 40


def test_every_parse_key_is_tested_or_unreachable():
    """The list above holds every key of messages/parsing.py, except the safety nets
    that the grammar cannot reach (kept so that a future path still gets a message)."""
    unreachable = {
        "parse.trailing",
        "parse.trailing_assignment",
        "parse.unexpected_bar",
        "parse.unexpected_symbol",
        "parse.empty_program",
    }
    assert set(parsing.MESSAGES) - {key for _, _, key, _ in BAD} == unreachable


def test_every_chinese_sentence_is_chinese():
    """With every parameter filled with a word, no key's Chinese keeps an English sentence,
    and its punctuation next to Chinese characters is full-width."""
    for key, (english, chinese) in parsing.MESSAGES.items():
        filled = re.sub(r"\{[a-z_]+(:[^}]*)?\}", "x", chinese)
        assert english_runs(filled, error=True) == [], key
        assert not re.search(r"[\u4e00-\u9fff][,:;.()?!]|[,:;.()?!][\u4e00-\u9fff]", filled), key
        assert set(re.findall(r"\{(\w+)", english)) == set(re.findall(r"\{(\w+)", chinese)), key
        assert key in table()


def test_the_reader_raises_keys_not_sentences():
    """Every ParseError and error() call in derivcheck/reading names a parse.* key."""
    reading = pathlib.Path(parser.__file__).parent
    calls = 0
    for path in reading.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else function.id
            if name not in ("ParseError", "error"):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant):
                calls += 1
                assert isinstance(first.value, str) and first.value.startswith("parse."), (
                    f"{path.name}:{node.lineno}"
                )
            else:  # a variable holding a key: it is one of two keys chosen just above
                assert isinstance(first, ast.Name) and first.id == "key", path.name
    assert calls >= 60


def test_caret_under_the_empty_input():
    error = _raised(parse, "")
    assert str(error).splitlines() == ["empty input: expected a formula (column 1)", "  ", "  ^"]
