"""Every function of the catalogue under its usual spellings, written out by hand in SymPy.

The parser keeps no table of its own: these spellings come from the catalogue (names,
aliases, arities, parameters, inverses), and a record added there parses with no change
to the parser (the last tests).
"""

from __future__ import annotations

import ast
import pathlib

import pytest
import sympy
from sympy import (
    Abs,
    E,
    Heaviside,
    Max,
    Rational,
    acosh,
    acsc,
    asec,
    asin,
    asinh,
    atan,
    atanh,
    ceiling,
    cos,
    cosh,
    cot,
    coth,
    csch,
    erf,
    exp,
    floor,
    log,
    pi,
    sech,
    sign,
    sin,
    sinh,
    sqrt,
    tan,
    tanh,
)

from derivcheck import ParseError, parse
from derivcheck.calculus import catalogue
from derivcheck.calculus.functions import (
    arccot,
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    relu,
    sigmoid,
    silu,
    softplus,
)
from derivcheck.reading import names

R = lambda name: sympy.Symbol(name, real=True)  # noqa: E731
x, y, X, theta = R("x"), R("y"), R("X"), R("theta")

SPELLINGS = [
    # inverse trigonometric: acot is the textbook's arccot, continuous with values in (0, π)
    ("acot(x)", arccot(x)),
    ("arccot x", arccot(x)),
    ("arcctg(x)", arccot(x)),
    ("arcsec(x)", asec(x)),
    ("asec x", asec(x)),
    ("arccsc(x)", acsc(x)),
    ("acsc x", acsc(x)),
    ("arccosec(x)", acsc(x)),
    # hyperbolic and their inverses
    ("coth x", coth(x)),
    ("cth(x)", coth(x)),
    ("sech x", sech(x)),
    ("csch x", csch(x)),
    ("cosech(x)", csch(x)),
    ("sh x", sinh(x)),
    ("ch x", cosh(x)),
    ("th x", tanh(x)),
    ("asinh x", asinh(x)),
    ("arsinh x", asinh(x)),
    ("arcsinh(x)", asinh(x)),
    ("argsinh(x)", asinh(x)),
    ("acosh(x)", acosh(x)),
    ("arcosh x", acosh(x)),
    ("arccosh(x)", acosh(x)),
    ("atanh(x)", atanh(x)),
    ("artanh x", atanh(x)),
    ("arctanh(x)", atanh(x)),
    # trigonometric spellings of Chinese and Russian textbooks
    ("tg x", tan(x)),
    ("ctg(x)", cot(x)),
    ("cosec x", sympy.csc(x)),
    ("arctg(x)", atan(x)),
    # the error function and activations
    ("erf(x)", erf(x)),
    ("softplus(x)", softplus(x)),
    ("leaky_relu(x)", leaky_relu(x, Rational(1, 100))),
    ("leaky_relu(x, 0.2)", leaky_relu(x, Rational(1, 5))),
    ("leakyrelu(x, 1/3)", leaky_relu(x, Rational(1, 3))),
    ("lrelu(x)", leaky_relu(x, Rational(1, 100))),
    ("elu(x)", elu(x, 1)),
    ("elu(x, 2)", elu(x, 2)),
    ("elu(x, √2)", elu(x, sqrt(2))),
    ("silu(x)", silu(x)),
    ("swish(x)", silu(x)),
    ("gelu(x)", gelu(x)),
    ("hardtanh(x)", hardtanh(x)),
    ("logistic(x)", sigmoid(x)),
    ("σ(x)", sigmoid(x)),
    # non-smooth
    ("floor(x)", floor(x)),
    ("ceil(x)", ceiling(x)),
    ("ceiling(x)", ceiling(x)),
    ("sgn(x)", sign(x)),
    ("heaviside(x)", Heaviside(x)),
    ("abs(x)", Abs(x)),
    ("max(x, y, 1)", Max(x, y, 1)),
    # aliases
    ("sqrt(x)", sqrt(x)),
    ("cbrt(x)", x ** Rational(1, 3)),  # as ∛x
    ("lg x", log(x) / log(10)),
    ("log10(x)", log(x) / log(10)),
    ("log2 x", log(x) / log(2)),
    ("log_2(x)", log(x) / log(2)),
    ("log_e x", log(x)),
    ("log(x, 1/2)", -log(x) / log(2)),
]

INVERSES = [
    ("sin⁻¹ x", asin(x)),
    ("sin^-1 x", asin(x)),
    ("sin^(-1) x", asin(x)),
    ("sin^{-1}(x)", asin(x)),
    (r"\sin^{-1} x", asin(x)),
    ("tan^-1(x)", atan(x)),
    ("cot⁻¹ x", arccot(x)),
    ("sec⁻¹ x", asec(x)),
    ("csc^-1(x)", acsc(x)),
    ("sinh^-1(x)", asinh(x)),
    ("cosh⁻¹ x", acosh(x)),
    ("tanh^(-1) x", atanh(x)),
    ("sin⁻¹(x)^2", asin(x) ** 2),  # the power after the call applies to the result
    ("sin^2 x", sin(x) ** 2),  # other powers are powers
    ("sin^(2) x", sin(x) ** 2),
]

CASE = [
    ("Sin x", sin(x)),
    ("SIN(x)", sin(x)),
    ("ReLU(x)", relu(x)),
    ("Relu(x)", relu(x)),
    ("ARCSIN(x)", asin(x)),
    ("Exp(x)", exp(x)),
    ("LN x", log(x)),
    ("Sqrt(x)", sqrt(x)),
    ("Abs(x)", Abs(x)),
    ("SigmoiD(x)", sigmoid(x)),
    ("Log_2(x)", log(x) / log(2)),
    ("Sin X", sin(X)),  # variables keep their case
    ("X + x", X + x),
    ("Sinx", sin(x)),
]

LATEX = [
    (r"\arcsin x", asin(x)),
    (r"\arccos(x)", sympy.acos(x)),
    (r"\sinh x", sinh(x)),
    (r"\coth x", coth(x)),
    (r"\sec x", sympy.sec(x)),
    (r"\erf(x)", erf(x)),
    (r"\operatorname{erf}(x)", erf(x)),
    (r"\operatorname{relu}(x)", relu(x)),
    (r"\operatorname{ReLU}(x)", relu(x)),
    (r"\operatorname{arsinh} x", asinh(x)),
    (r"\operatorname{leaky\_relu}(x)", leaky_relu(x, Rational(1, 100))),
    (r"\operatorname{sgn}(x)", sign(x)),
    (r"\mathrm{softplus}(x)", softplus(x)),
    (r"\lg x", log(x) / log(10)),
    (r"\log_2 x", log(x) / log(2)),
    (r"\log_{10}(x)", log(x) / log(10)),
    (r"\sigma(x)", sigmoid(x)),
    (r"\max(x, 1)", Max(x, 1)),
    (r"\exp(x)", exp(x)),
]

GLUED = [
    ("sinhx", sinh(x)),
    ("cothx", coth(x)),
    ("sechx", sech(x)),
    ("erfx", erf(x)),
    ("tgx", tan(x)),
    ("asinhx", asinh(x)),
    ("arcsecx", asec(x)),
    ("ceilx", ceiling(x)),
    ("sintheta", sin(theta)),
    ("cos2x", cos(2 * x)),
    ("log2x", log(x) / log(2)),
]

ALL = SPELLINGS + INVERSES + CASE + LATEX + GLUED


@pytest.mark.parametrize("text, expected", ALL, ids=[c[0] for c in ALL])
def test_spelling(text, expected):
    assert parse(text) == expected


def test_sigma_is_sigmoid_only_before_a_bracket():
    assert parse("σ(x)") == sigmoid(x)
    assert parse("sigma(x)") == sigmoid(x)
    assert parse("σ x") == R("sigma") * x
    assert parse("Σ(x)") == R("Sigma") * x  # Σ is not σ: Greek letters keep their case


@pytest.mark.parametrize(
    "text, key",
    [
        ("leaky_relu(x, y)", "parse.parameter"),  # the slope must be a constant
        ("elu(x, a)", "parse.parameter"),
        ("leaky_relu(x, 1, 2)", "parse.arguments_either"),
        ("ln^-1 x", "parse.inverse_ambiguous"),  # the catalogue names no inverse of ln
        ("coth⁻¹ x", "parse.inverse_ambiguous"),
        ("sqrt^-1 x", "parse.inverse_ambiguous"),
    ],
)
def test_catalogue_facts_refuse(text, key):
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.message.key == key


def test_parameter_message_gives_the_default_as_typed():
    with pytest.raises(ParseError) as caught:
        parse("leaky_relu(x, y)")
    assert "leaky_relu(x, 0.01)" in str(caught.value)
    assert caught.value.position == 14  # under the y


def test_every_catalogue_spelling_is_read():
    """Each record's every name, called on x, builds the record's SymPy function."""
    u = R("x")
    for record in catalogue.records():
        if 1 not in record.arity:
            continue
        for spelling in record.names:
            assert parse(f"{spelling}(x)") == record.build(u), spelling
            if spelling.isascii():  # Σ is not σ
                assert parse(f"{spelling.upper()}(x)") == record.build(u), spelling


def test_function_names_come_from_the_catalogue():
    assert names.FUNCTION_NAMES == catalogue.spellings()
    for word in ("acot", "arcsec", "coth", "erf", "leaky_relu", "silu", "gelu", "ceil"):
        assert word in names.FUNCTION_NAMES


def test_the_reader_keeps_no_table_of_functions():
    """No SymPy function class of the catalogue, no derivcheck function is named in
    derivcheck/reading: they all come from the catalogue."""
    reading = pathlib.Path(names.__file__).parent
    classes = {getattr(r.sympy_class, "__name__", "") for r in catalogue.records()}
    for path in reading.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "sympy":
                    assert node.attr not in classes, f"{path.name}: sympy.{node.attr}"
            if isinstance(node, ast.ImportFrom):
                assert node.module != "derivcheck.calculus.functions", path.name


@pytest.fixture
def erfc_in_the_catalogue(monkeypatch):
    """A new record (erfc), added the way the catalogue's author would add one."""
    import mpmath

    record = catalogue.FunctionRecord(
        "erfc", sympy.erfc, ("erfc", "cerf"), "erfc", r"\operatorname{erfc}",
        ("complementary error function rule", "余误差函数法则"), "kernels.erfc", mpmath.erfc,
        lambda u: -2 / sqrt(pi) * exp(-(u**2)),
    )  # fmt: skip
    caches = (catalogue._by_name, catalogue._by_class, catalogue._by_key, names._prefix_pattern)

    def clear():
        for cache in caches:
            cache.cache_clear()

    monkeypatch.setattr(catalogue, "RECORDS", (*catalogue.RECORDS, record))
    clear()
    yield record
    monkeypatch.undo()
    clear()


def test_a_new_catalogue_record_parses_with_no_parser_change(erfc_in_the_catalogue):
    assert parse("erfc(x)") == sympy.erfc(x)
    assert parse("Erfc x") == sympy.erfc(x)
    assert parse("cerf(2x)") == sympy.erfc(2 * x)
    assert parse("erfcx") == sympy.erfc(x)  # glued: erfc is longer than erf
    assert parse(r"\erfc x") == sympy.erfc(x)
    assert parse(r"\operatorname{erfc}(x)") == sympy.erfc(x)
    assert parse("xerfcx") == x * sympy.erfc(x)


def test_without_the_record_erfc_is_unknown():
    with pytest.raises(ParseError) as caught:
        parse("erfc(x)")
    assert caught.value.message.key in ("parse.unknown_function", "parse.unknown_function_suggest")


def test_e_stays_eulers_number():
    assert parse("e") == E and parse("e^x") == exp(x)
