"""Reading what people type (issue 10 §2): glued names, brackets, the derivative operator,
primes, refusals that used to read as something else, the nesting bound, points.

Every expected value is written by hand in SymPy.
"""

from __future__ import annotations

import time

import pytest
import sympy
from sympy import Abs, Rational, asin, cos, exp, log, sin, sqrt

from derivcheck import ParseError, parse, parse_program
from derivcheck.limits import MAX_DEPTH
from derivcheck.reading.parser import (
    Prime,
    parse_point_assignments,
    parse_source,
    read_derivative_request,
    read_prime,
)

R = lambda name: sympy.Symbol(name, real=True)  # noqa: E731
x, y, t, theta = R("x"), R("y"), R("t"), R("theta")


def key_of(reader, text):
    with pytest.raises(ParseError) as caught:
        reader(text)
    return caught.value.message.key, caught.value.position


# ---- a letter glued before a function ----

GLUED = [
    ("xsinx", x * sin(x)),
    ("xlnx", x * log(x)),
    ("2xcos(x^2)", 2 * x * cos(x**2)),
    ("2xcos x^2", 2 * x * cos(x**2)),
    ("xcos(x)", x * cos(x)),
    ("x^2 + xsinx", x**2 + x * sin(x)),
    ("sinxcosx", sin(x) * cos(x)),
    ("2sinxcosx", 2 * sin(x) * cos(x)),
    ("θsinθ", theta * sin(theta)),
    ("xsin2x", x * sin(2 * x)),
    ("xsqrt(x)", x * sqrt(x)),
    ("cos(x^2)2x", 2 * x * cos(x**2)),
]


@pytest.mark.parametrize("text, expected", GLUED, ids=[c[0] for c in GLUED])
def test_letter_glued_before_a_function(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("xcos", R("xcos")),  # nothing for cos to take: one name
        ("theta", theta),  # a Greek letter's name is never split (th is tanh)
        ("xtheta", R("xtheta")),
        ("cost", cos(t)),  # as before: a function glued to a letter
        ("target", R("target")),
        ("exponent", R("exponent")),
    ],
)
def test_names_that_stay_names(text, expected):
    assert parse(text) == expected


def test_an_unknown_activation_is_not_split():
    # selu, celu, prelu: s·elu(x) would be a silent wrong reading; the letter is no variable
    assert key_of(parse, "selu(x)")[0] == "parse.unknown_function_suggest"
    assert key_of(parse, "prelu(x)")[0] == "parse.unknown_function_suggest"
    assert key_of(parse, "lnx(2)")[0] == "parse.unknown_function_suggest"  # ln x times (2)?


def test_case_insensitive_functions_and_inverse_in_brackets():
    assert parse("Sin x") == sin(x)
    assert parse("sin^(-1) x") == asin(x) == parse("sin^-1 x")
    assert parse("SIN^(-1)(x/2)") == asin(x / 2)


# ---- a number right after a closing bracket multiplies ----


@pytest.mark.parametrize(
    "text, expected",
    [
        ("(3-x^2)2x", sympy.Mul(2, 3 - x**2, x)),  # one product, as written: 2x(3 - x²)
        ("(x+1)2", 2 * (x + 1)),
        ("|x|2", 2 * Abs(x)),
        ("sin(x)2", 2 * sin(x)),
        ("[x]3y", 3 * x * y),
        ("(x+1)2^3", 8 * (x + 1)),
        ("((x+1)2)", 2 * (x + 1)),
    ],
)
def test_number_after_a_closing_bracket(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text, position",
    [("2 3", 2), ("x 2", 2), ("(x+1) 2", 6), ("x²2", 2), ("sin x 2", 6), ("(x 2)", 3)],
)
def test_missing_operator_where_it_is_ambiguous(text, position):
    assert key_of(parse, text) == ("parse.missing_operator", position)


# ---- the derivative operator ----

REQUESTS = [
    ("d/dx (x^2)", x**2, x),
    ("d/dx x^2", x**2, x),
    ("d/dx(x^2)", x**2, x),
    ("d / dx   x^2 + 1", x**2 + 1, x),  # everything after the operator
    (r"\frac{d}{dx} \sin x", sin(x), x),
    (r"\frac{d}{dx}(x^2)", x**2, x),
    (r"\dfrac{d}{dx}\left(x^3\right)", x**3, x),
    (r"\frac{d}{d x} e^x", exp(x), x),
    (r"\frac{\mathrm{d}}{\mathrm{d}x} x^2", x**2, x),
    ("d/dt (t^2 + 1)", t**2 + 1, t),
    ("d/dθ sin θ", sin(theta), theta),
    ("∂/∂x (x y)", x * y, x),
    (r"\frac{\partial}{\partial y} x y^2", x * y**2, y),
    ("d/dx (x+1)(x-1)", (x + 1) * (x - 1), x),  # a product is one function
    ("d/dxsin x", sin(x), x),
    ("d/dx xe^x", x * exp(x), x),  # the variable is known: xe^x is x·e^x
    ("d/dx ６（２ｘ＋１）²", 6 * (2 * x + 1) ** 2, x),
]


@pytest.mark.parametrize("text, operand, variable", REQUESTS, ids=[c[0] for c in REQUESTS])
def test_derivative_request(text, operand, variable):
    assert read_derivative_request(text) == (operand, variable)


@pytest.mark.parametrize("text", ["d/dx x^2", r"\frac{d}{dx}(x^2)", "∂/∂x x", "d/dx"])
def test_parse_refuses_a_derivative_request(text):
    for reader in (parse, parse_source, parse_program):
        assert key_of(reader, text) == ("parse.derivative_operator", 0)


def test_derivative_request_message_names_the_operator():
    with pytest.raises(ParseError) as caught:
        parse("d/dt t^2")
    assert str(caught.value).startswith("d/dt asks for a derivative: give the function itself")
    with pytest.raises(ParseError) as caught:
        parse("∂/∂y y")
    assert caught.value.to_text("zh").startswith("∂/∂y 表示求导")


@pytest.mark.parametrize(
    "text, key, position",
    [
        ("d/dx (x^2) + 1", "parse.derivative_scope", 11),  # d/dx(x²) + 1 or d/dx(x² + 1)?
        ("d/dx (x) - (x^2)", "parse.derivative_scope", 9),
        ("d/dx", "parse.derivative_operand", 4),
        ("d/dx x +", "parse.end", 8),
    ],
)
def test_derivative_request_refused(text, key, position):
    assert key_of(read_derivative_request, text) == (key, position)


@pytest.mark.parametrize("text", ["x^2", "dy/dx", "d*x", "2 d/dx x", "d/2"])
def test_not_a_derivative_request(text):
    assert read_derivative_request(text) is None


def test_dy_dx_is_still_an_ordinary_quotient():
    assert parse("dy/dx") == R("dy") / R("dx")


# ---- primes ----


def test_a_prime_is_not_a_string():
    for text in ("y' = 2x", "(2x+1)'", "f'(x) = 3(2x+1)^2", "y′ = 1"):
        key, _ = key_of(parse, text)
        assert key == "parse.prime", text
    assert key_of(parse, "(2x+1)'") == ("parse.prime", 6)
    assert key_of(parse, "y' = 2x") == ("parse.prime", 1)
    assert key_of(parse, "'x'") == ("parse.string", 0)  # a quote elsewhere opens a string
    assert key_of(parse, "x '") == ("parse.string", 2)  # not glued to the name


PRIMES = [
    ("y' = 2x", Prime(1, name="y", values=(2 * x,), value_starts=(5,))),
    ("f'(x) = 3(2x+1)^2", Prime(1, "f", x, values=(3 * (2 * x + 1) ** 2,), value_starts=(8,))),
    ("f'(1) = 54", Prime(1, "f", sympy.Integer(1), values=(54,), value_starts=(8,))),
    ("y'(1/2) = 3", Prime(1, "y", Rational(1, 2), values=(3,), value_starts=(10,))),
    ("y'' = 6x", Prime(2, "y", values=(6 * x,), value_starts=(6,))),
    ("y″ = 6x", Prime(2, "y", values=(6 * x,), value_starts=(5,))),
    ("y’ = cos x", Prime(1, "y", values=(cos(x),), value_starts=(5,))),
    ("(2x+1)'", Prime(1, operand=2 * x + 1)),
    ("(x^2)' = 2x", Prime(1, operand=x**2, values=(2 * x,), value_starts=(9,))),
    ("sin(x)' = cos x", Prime(1, operand=sin(x), values=(cos(x),), value_starts=(10,))),
    (
        "y' = 3(2x+1)^2·2 = 6(2x+1)^2",
        Prime(1, "y", values=(6 * (2 * x + 1) ** 2,) * 2, value_starts=(5, 19)),
    ),
]


@pytest.mark.parametrize("text, expected", PRIMES, ids=[c[0] for c in PRIMES])
def test_read_prime(text, expected):
    assert read_prime(text) == expected


def test_read_prime_without_a_prime():
    assert read_prime("2x + 1") is None
    assert read_prime("y = 2x") is None


@pytest.mark.parametrize(
    "text, key, position",
    [
        ("2y' = 1", "parse.prime_label", 2),
        ("y'x = 1", "parse.prime_label", 2),
        ("y' =", "parse.missing_expression", 3),
        ("y' = (2x+1)'", "parse.prime", 11),
    ],
)
def test_read_prime_refused(text, key, position):
    assert key_of(read_prime, text) == (key, position)


# ---- refused instead of read as something else ----


@pytest.mark.parametrize(
    "text, key, position",
    [
        ("0x10", "parse.hex", 0),  # not 0·x10
        ("0X1F + 1", "parse.hex", 0),
        ("3 + 0xa", "parse.hex", 4),
        ("log(x, 0)", "parse.log_base", 7),
        ("log_0(x)", "parse.log_base", 0),
        ("log(x, 1)", "parse.log_base", 7),
        ("log(x, -1)", "parse.log_base", 7),
        ("log_1(x)", "parse.log_base", 0),
        (r"\log_1 x", "parse.log_base", 0),
        ("{x)", "parse.mismatched", 2),
        ("(x}", "parse.mismatched", 2),
    ],
)
def test_refused_not_misread(text, key, position):
    assert key_of(parse, text) == (key, position)


def test_zero_and_legal_bases_still_read():
    assert parse("0x") == 0 and parse("0") == 0  # 0·x is 0: no hex digit follows
    assert parse("log(x, 2)") == log(x) / log(2)
    assert parse("log(x, b)") == log(x) / log(R("b"))  # a symbolic base is the user's


# ---- the nesting bound: MAX_DEPTH levels of every construct, not one more ----


def _nested(construct: str, n: int) -> str:
    return {
        "brackets": "(" * n + "x" + ")" * n,
        "powers": "x^" * n + "x",
        "unary minus": "-" * n + "x",
        "function calls": "sin(" * n + "x" + ")" * n,
        "bare functions": "sin " * n + "x",
        "abs bars": "|" * n + "x" + "|" * n,
        "superscripts": "x^{" * n + "x" + "}" * n,
        "roots": "√" * n + "x",
        "fractions": r"\frac{1}{" * n + "x" + "}" * n,
        "mixed": "-(sin(|x^{" * (n // 5) + "x" + "}|))" * (n // 5) + "+" * (n % 5),
    }[construct]


CONSTRUCTS = [
    "brackets", "powers", "unary minus", "function calls", "bare functions", "abs bars",
    "superscripts", "roots", "fractions",
]  # fmt: skip
#: where the 101st level opens
DEEPEST = {
    "brackets": 100, "powers": 201, "unary minus": 100, "function calls": 400,
    "bare functions": 400, "abs bars": 100, "superscripts": 301, "roots": 100, "fractions": 900,
}  # fmt: skip


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_nesting_bound(construct):
    assert MAX_DEPTH == 100
    parse(_nested(construct, MAX_DEPTH))
    assert key_of(parse, _nested(construct, MAX_DEPTH + 1)) == (
        "parse.too_deep",
        DEEPEST[construct],
    )


def test_nesting_values():
    assert parse(_nested("brackets", 100)) == x
    assert parse(_nested("unary minus", 100)) == x
    assert parse(_nested("abs bars", 100)) == Abs(x)
    assert parse(_nested("roots", 2)) == x ** Rational(1, 4)
    assert parse("-(sin(|x^{x}|))") == -sin(Abs(x**x))


def test_mixed_constructs_add_up():
    parse("-(sin(|x^{" * 20 + "x" + "}|))" * 20)  # 5 levels each: 100
    assert key_of(parse, "-(sin(|x^{" * 20 + "-x" + "}|))" * 20)[0] == "parse.too_deep"


def test_deep_nesting_in_a_program_and_from_deep_in_the_stack():
    assert parse_program("y = " + _nested("function calls", 100)).names == (y,)

    def deep(k):
        return deep(k - 1) if k else parse(_nested("function calls", 100))

    deep(600)  # far into the interpreter's default recursion limit: still parses


# ---- the empty input, and speed ----


def test_empty_input_has_a_caret():
    for text in ("", "   "):
        with pytest.raises(ParseError) as caught:
            parse(text)
        assert caught.value.position == 0
        assert str(caught.value).splitlines()[2] == "  ^"


def test_a_long_sum_parses_quickly():
    terms = ["", "sin(x)", "y", "2x y"]
    text = "+".join(terms[k % 4] if k % 4 else f"{k % 9 + 1}x^{k % 7}" for k in range(3000))
    parse(text)  # warm the caches
    start = time.process_time()  # CPU time: the same on a quiet and a busy machine
    value = parse(text)
    assert time.process_time() - start < 2.0  # about 0.1 s on the benchmark machine
    assert value.coeff(sin(x)) == 750


# ---- points for --at ----


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x=1,y=2", {"x": "1", "y": "2"}),
        ("x=1; y=2", {"x": "1", "y": "2"}),
        (" x = 1/2 , y = -3 ", {"x": "1/2", "y": "-3"}),
        ("w1=0.5,b1=0.1,w2=-0.3", {"w1": "0.5", "b1": "0.1", "w2": "-0.3"}),
        ("x=max(1, 2),y=(1,2)", {"x": "max(1, 2)", "y": "(1,2)"}),
        ("θ=π/4", {"theta": "π/4"}),
        ("w₁=1", {"w1": "1"}),
        ("x＝1，y＝2", {"x": "1", "y": "2"}),
        ("x=1,", {"x": "1"}),
    ],
)
def test_point_assignments(text, expected):
    assert parse_point_assignments(text) == expected


@pytest.mark.parametrize(
    "text, key, position",
    [
        ("", "parse.point_empty", 0),
        ("x", "parse.point_equals", 0),
        ("x=1,5", "parse.point_equals", 4),  # a decimal comma is not a second name
        ("2x=1", "parse.point_name", 0),
        ("x y=1", "parse.point_name", 0),
        ("x=", "parse.point_value", 1),
        ("x=1,x=2", "parse.point_twice", 4),
        ("x==1", "parse.comparison", 1),
    ],
)
def test_point_assignments_refused(text, key, position):
    assert key_of(parse_point_assignments, text) == (key, position)


def test_running_out_of_recursion_is_a_parse_error(monkeypatch):
    """Were the interpreter's limit lowered under the reader (another thread), the input
    is refused as too deep, never a RecursionError."""
    import sys

    from derivcheck.reading import grammar

    monkeypatch.setattr(grammar, "_FRAMES_PER_LEVEL", 0)
    monkeypatch.setattr(grammar, "_FRAMES_SPARE", 0)
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(grammar._current_depth() + 150)
    try:
        with pytest.raises(ParseError) as caught:
            parse(_nested("function calls", 100))
    finally:
        sys.setrecursionlimit(previous)
    assert caught.value.message.key == "parse.too_deep"
