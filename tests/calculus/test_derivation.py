"""Rule-by-rule derivations: every step checked against sympy.diff, results from mathematics.

The expected derivatives below are written by hand from the textbook rules, not produced by
derivcheck; they are compared with the derivation's result at points inside each domain.
"""

from __future__ import annotations

import dataclasses
import inspect
import shutil

import pytest
import sympy
from sympy import cos, cosh, cot, csc, exp, log, sec, sign, sin, sinh, sqrt, tan

from derivcheck import DerivcheckError, parse
from derivcheck.calculus import derivation as dv
from derivcheck.calculus.derivation import RuleStep, StepCheckError, derive
from derivcheck.render.latex import (
    compile_latex,
    latex_document,
    latex_engine,
    rule_sections,
    sections_to_body,
)

x = sympy.Symbol("x", real=True)
a = sympy.Symbol("a", real=True)
H = sympy.Heaviside

# (text as typed, expected derivative written by hand, points inside the domain)
POS = (0.4, 0.9, 1.7)
ANY = (-1.3, 0.4, 2.1)
SMALL = (-0.6, 0.2, 0.7)  # |x| < 1
CASES = [
    ("(3x+2)^2", 6 * (3 * x + 2), ANY),  # chapter 1.3
    ("sin(exp(x^2))", cos(exp(x**2)) * exp(x**2) * 2 * x, ANY),  # chapter 1.4
    ("(2x+1)^3", 3 * (2 * x + 1) ** 2 * 2, ANY),  # chapter exercise 1
    ("x^x", x**x * (log(x) + 1), POS),
    ("asin(x)", 1 / sqrt(1 - x**2), SMALL),
    ("sinh(x)", cosh(x), ANY),
    ("|x|", sign(x), ANY),
    ("x*sin(x)", sin(x) + x * cos(x), ANY),
    ("sin(x)/x", (x * cos(x) - sin(x)) / x**2, ANY),
    ("1/(1+e^(-x))", exp(-x) / (1 + exp(-x)) ** 2, ANY),
    ("sqrt(x^2+1)", x / sqrt(x**2 + 1), ANY),
    ("ln(x^2+1)", 2 * x / (x**2 + 1), ANY),
    ("tan(3x)", 3 / cos(3 * x) ** 2, SMALL),
    ("x^2*e^x", (x**2 + 2 * x) * exp(x), ANY),
    ("e^x/(1+x^2)", exp(x) * (x - 1) ** 2 / (1 + x**2) ** 2, ANY),
    ("2^x", 2**x * log(2), ANY),
    ("x^sin(x)", x ** sin(x) * (cos(x) * log(x) + sin(x) / x), POS),
    ("acosh(x)", 1 / sqrt(x**2 - 1), (1.2, 2.0, 3.5)),
    ("atanh(x/2)", sympy.Rational(1, 2) / (1 - x**2 / 4), SMALL),
    ("sigmoid(2x)", 2 * exp(-2 * x) / (1 + exp(-2 * x)) ** 2, ANY),
    ("relu(x^2-1)", 2 * x * H(x**2 - 1), (-1.5, 0.5, 2.0)),
    ("max(x, x^2)", sympy.Piecewise((1, (x > 0) & (x < 1)), (2 * x, True)), (-0.7, 0.5, 1.6)),
    ("|sin(x)|", cos(x) * sign(sin(x)), (-1.0, 0.5, 4.0)),
    ("asin(x^2)", 2 * x / sqrt(1 - x**4), SMALL),
    ("sinh(x)*cosh(x)", cosh(x) ** 2 + sinh(x) ** 2, ANY),
    ("sec(x)+csc(x)+cot(x)", sec(x) * tan(x) - csc(x) * cot(x) - csc(x) ** 2, (0.3, 1.1, 2.0)),
    ("log10(x)", 1 / (x * log(10)), POS),
    ("x^(1/3)", x ** sympy.Rational(-2, 3) / 3, POS),
    ("1/x", -1 / x**2, ANY),
    ("(x^2+1)^x", (x**2 + 1) ** x * (log(x**2 + 1) + 2 * x**2 / (x**2 + 1)), ANY),
    ("acos(2x)", -2 / sqrt(1 - 4 * x**2), (-0.4, 0.1, 0.3)),
    ("atan(1/x)", -1 / (1 + x**2), ANY),
    ("x*ln(x) - x", log(x), POS),
    ("cos(x)^2", -2 * sin(x) * cos(x), ANY),
    ("sin^2(x)+cos^2(x)", sympy.S.Zero, ANY),
    ("e^(sin(x))*x", exp(sin(x)) * (1 + x * cos(x)), ANY),
    ("(x+1)/(x-1)", -2 / (x - 1) ** 2, (-1.3, 0.4, 2.1)),
    ("x^3 - 2x^2 + 5x - 7", 3 * x**2 - 4 * x + 5, ANY),
    ("sqrt(1-x^2)", -x / sqrt(1 - x**2), SMALL),
    ("exp(-x^2/2)", -x * exp(-(x**2) / 2), ANY),
    ("tanh(x)", 1 / cosh(x) ** 2, ANY),
    ("asinh(x)", 1 / sqrt(x**2 + 1), ANY),
    ("acot(x)", -1 / (1 + x**2), ANY),
    ("x/sqrt(x+1)", (x + 2) / (2 * (x + 1) ** sympy.Rational(3, 2)), POS),
    ("3 sin(2x) cos(x)", 6 * cos(2 * x) * cos(x) - 3 * sin(2 * x) * sin(x), ANY),
    ("cot(x)", -1 / sin(x) ** 2, (0.4, 1.1, 2.5)),
    ("ln(sin(x))", cos(x) / sin(x), (0.4, 1.1, 2.5)),
    ("cosh(x^2)", 2 * x * sinh(x**2), ANY),
    ("x^2 sin(x) cos(x)", 2 * x * sin(x) * cos(x) + x**2 * (cos(x) ** 2 - sin(x) ** 2), ANY),
    ("(sin x)^x", sin(x) ** x * (log(sin(x)) + x * cos(x) / sin(x)), (0.4, 1.1, 2.5)),
    ("e^(2x) - 3e^x + 1", 2 * exp(2 * x) - 3 * exp(x), ANY),
    ("ln(ln(x))", 1 / (x * log(x)), (1.5, 2.7, 9.0)),
    ("tanh(relu(x))", H(x) / cosh(x) ** 2, (-0.8, 0.3, 1.9)),
    ("5", sympy.S.Zero, ANY),
    ("x", sympy.S.One, ANY),
]


def value(expr, point):
    return complex(sympy.N(expr.subs(x, sympy.Float(point, 30)), 30))


@pytest.mark.parametrize("text, expected, points", CASES, ids=[c[0] for c in CASES])
def test_derivation_matches_the_textbook_derivative(text, expected, points):
    d = derive(parse(text))
    assert len(d.steps) == len(d.checks)
    assert set(d.checks) <= {"exact", "numeric"}
    for point in points:
        for result in (d.result, d.simplified):
            assert value(result, point) == pytest.approx(value(expected, point), rel=1e-12)


def test_at_least_forty_expressions_and_every_step_rechecks():
    assert len(CASES) >= 40
    for text, _, _ in CASES:
        d = derive(parse(text))
        for step in d.root.walk():
            assert step.check() in ("exact", "numeric")


def rule_keys(text):
    return [step.key for step in derive(parse(text)).steps]


def test_rules_chosen_as_a_textbook_does():
    assert rule_keys("(3x+2)^2") == ["sum", "power", "chain"]
    assert rule_keys("sin(exp(x^2))") == ["power", "exp", "chain", "sin", "chain"]
    assert rule_keys("x*sin(x)") == ["sin", "product"]
    assert rule_keys("sin(x)/x") == ["sin", "quotient"]
    assert rule_keys("2^x") == ["exponential"]
    assert rule_keys("asin(x)") == ["arcsin"]
    assert rule_keys("sinh(x)") == ["sinh"]
    assert rule_keys("|x|") == ["abs"]
    assert rule_keys("x^x")[-1] == "logarithmic differentiation"
    assert "product" in rule_keys("x^x")  # (x·ln x)' by the product rule
    assert rule_keys("max(x, x^2)")[-1] == "max"
    assert rule_keys("3x") == ["constant multiple"]


def test_chain_rule_names_its_substitution():
    d = derive(parse("(3x+2)^2"))
    chain = d.root
    assert isinstance(chain, dv.ChainRule)
    assert chain.inner.expr == 3 * x + 2
    u = chain.inner_symbol
    assert chain.outer.expr == u**2
    assert chain.outer.result() == 2 * u
    assert chain.inner.result() == 3


def test_substitution_symbol_avoids_the_users_names():
    u = sympy.Symbol("u", real=True)
    d = derive(sympy.sin(u**2), u)
    assert d.root.inner_symbol.name != "u"
    taken = sympy.symbols("u v w t s z", real=True)
    d = derive(sympy.sin(sympy.Mul(*taken)), taken[0])
    assert d.root.inner_symbol.name not in "u v w t s z".split()
    # d/du sin(u·c) = c·cos(u·c), c = v·w·t·s·z
    c = sympy.Mul(*taken[1:])
    assert sympy.simplify(d.result - c * cos(taken[0] * c)) == 0


def test_chapter_values_from_the_derivation():
    assert derive(parse("(3x+2)^2")).result.subs(x, 1) == 30
    assert derive(parse("(2x+1)^3")).result.subs(x, 1) == 54
    got = float(derive(parse("sin(exp(x^2))")).result.subs(x, sympy.Rational(1, 2)))
    assert got == pytest.approx(0.363195, abs=5e-7)


def test_other_symbols_are_constants():
    d = derive(a * x**2 + sin(a), x)
    assert sympy.simplify(d.simplified - 2 * a * x) == 0
    with pytest.raises(DerivcheckError, match="several variables"):
        derive(a * x**2)


def test_a_wrong_rule_is_caught_before_anything_is_printed(monkeypatch):
    wrong = dv.PowerRule(x**3, x, sympy.Integer(2))  # claims d/dx x^3 = 2x
    with pytest.raises(StepCheckError):
        wrong.check()
    monkeypatch.setattr(dv.TableRule, "result", lambda self: sympy.sin(self.variable))
    with pytest.raises(StepCheckError, match="sin"):  # the table rule of sin claims sin' = sin
        derive(parse("x + sin(x^2)"))


def test_running_out_of_time_is_not_reported_as_a_wrong_step(monkeypatch):
    from derivcheck.calculus.verify import clear_caches
    from derivcheck.errors import LimitError

    def out_of_time(*args, **kwargs):
        raise LimitError("limits.took_too_long", what="limits.what.computation", seconds=10)

    clear_caches()  # acosh(x) may have been derived before: its verdicts would be kept
    monkeypatch.setattr(dv.sympy, "N", out_of_time)  # 1/sqrt(x^2-1) is checked numerically
    with pytest.raises(LimitError):
        derive(parse("acosh(x)"))


def test_unsupported_operations_are_a_clear_error():
    with pytest.raises(DerivcheckError, match="no rule-by-rule derivation for gamma"):
        derive(sympy.gamma(x))


def test_step_functions_have_derivative_zero_between_their_jumps():
    assert derive(sympy.sign(x**2 - 1)).result == 0
    assert derive(sympy.floor(3 * x)).result == 0


def test_each_rule_is_a_small_frozen_dataclass_stating_its_formula():
    rules = [
        cls
        for cls in vars(dv).values()
        if inspect.isclass(cls) and issubclass(cls, RuleStep) and cls.__name__.endswith("Rule")
    ]
    structural = [r for r in rules if r is not dv.TableRule]
    assert len(structural) >= 11
    for rule in rules:
        assert dataclasses.is_dataclass(rule) and rule.__dataclass_params__.frozen, rule
        assert "=" in (rule.__doc__ or ""), rule
        assert "result" in vars(rule), rule
        assert not hasattr(rule, "eval"), rule
    for rule in structural:
        assert rule.formula and "=" in rule.formula, rule
    step = derive(parse("x^2")).root
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.exponent = 3  # type: ignore[misc]


def test_every_catalogue_function_has_a_checked_table_rule():
    """One table rule serves every record: adding a function to the catalogue adds its rule."""
    from derivcheck.calculus.catalogue import records

    for record in records():
        if record.derivative is None:  # max/min have their own rule
            continue
        params = tuple(p.default for p in record.parameters)
        d = derive(record.build(x, *params), x)
        assert d.root.key == record.key
        assert d.checks[-1] in ("exact", "numeric")
        # and through the chain rule, with the record's formula at an inner function
        chained = derive(record.build(x**3 - x / 2 + sympy.Rational(1, 5), *params), x)
        assert chained.root.key == "chain"


def test_simplified_form_keeps_trigonometry_as_written():
    assert derive(parse("sinh(x)*cosh(x)")).simplified != cosh(2 * x)
    assert derive(parse("cos(x)^2")).simplified == -2 * sin(x) * cos(x)


def test_rule_sections_compile_with_pdflatex(tmp_path):
    if latex_engine("en") is None:
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base)")
    body = "\n".join(
        sections_to_body(rule_sections(derive(parse(text)), "en"), "en") for text, _, _ in CASES
    )
    pdf = compile_latex(latex_document(body, "en"), tmp_path / "rules.pdf")
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read")
    import subprocess

    extracted = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "logarithmic differentiation" in extracted
    assert "chain rule" in extracted


def test_rule_sections_in_chinese_compile_with_xelatex(tmp_path):
    if latex_engine("zh") is None:
        pytest.skip("xelatex with ctex is not installed (texlive-xetex, texlive-lang-chinese)")
    body = "\n".join(
        sections_to_body(rule_sections(derive(parse(text)), "zh"), "zh")
        for text, _, _ in CASES[:12]
    )
    source = latex_document(body, "zh")
    assert "链式法则" in source and "幂法则" in source
    assert compile_latex(source, tmp_path / "rules_zh.pdf").stat().st_size > 10_000


def test_module_examples_run():
    import doctest

    result = doctest.testmod(dv, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 5


def test_text_is_read_by_derivcheck_s_own_parser():
    assert derive("(2x+1)^3").result.subs(x, 1) == 54
    assert derive(5).result == 0
    with pytest.raises(DerivcheckError):
        derive(3.5)  # type: ignore[arg-type]
    with pytest.raises(DerivcheckError):
        derive("__import__('os')")
