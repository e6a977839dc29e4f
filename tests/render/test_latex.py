"""LaTeX output: the chapter's derivations as align* and whole documents, compiled for real.

Expected numbers are the chapter's (sections 1.3, 1.4, 2.2-2.4, exercise 1) or come from
mathematics computed here with the math module, never from derivcheck itself.
"""

from __future__ import annotations

import doctest
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from derivcheck import DerivcheckError, explain
from derivcheck.render import latex as latex_module
from derivcheck.render.latex import (
    compile_latex,
    latex_document,
    latex_engine,
    latex_name,
    latex_number,
    source_to_latex,
    tex_text,
    update_to_latex,
)

NETWORK = "z1 = w1*x + b1\nh = relu(z1)\ny = w2*h + b2\nL = (y - target)^2"
NETWORK_POINT = {"x": 2, "target": 1, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2}
PARAMETERS = ["w1", "b1", "w2", "b2"]

HAVE_PDFLATEX = latex_engine("en") is not None
HAVE_XELATEX = latex_engine("zh") is not None
needs_pdflatex = pytest.mark.skipif(
    not HAVE_PDFLATEX,
    reason="pdflatex is not installed (apt-get install texlive-latex-base "
    "texlive-latex-recommended); the LaTeX documents cannot be compiled here",
)
needs_xelatex = pytest.mark.skipif(
    not HAVE_XELATEX,
    reason="xelatex with ctex is not installed (apt-get install texlive-xetex "
    "texlive-lang-chinese); Chinese documents are compiled only where they are",
)


def compiles(source: str, tmp_path, name: str = "doc") -> Path:
    """Compile a whole document; return the PDF."""
    pdf = compile_latex(source, tmp_path / f"{name}.pdf")
    assert pdf.stat().st_size > 1000
    return pdf


def pdf_text(pdf: Path) -> str:
    """The text pdftotext extracts; the test is skipped where poppler is not installed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read")
    extracted = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return extracted.replace("\u2212", "-")  # the PDF's minus sign


def network():
    return explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS)


# --------------------------------------------------------------------------------------
# The chapter, section by section
# --------------------------------------------------------------------------------------


def test_section_1_3_align_has_every_step_and_the_rule_names():
    tex = explain("(3x+2)^2", 1).to_latex()
    assert tex.startswith("\\begin{align*}\n") and tex.endswith("\\end{align*}\n")
    assert "\n\n" not in tex  # a blank line inside align* is a LaTeX error
    assert r"u &= 3 x + 2 = 3 \cdot 1 + 2 = 5" in tex
    assert r"y &= u^{2} = 5^{2} = 25" in tex
    assert r"\frac{du}{dx} &= 3 \tag*{sum rule}" in tex
    assert r"\frac{dy}{du} &= 2 u = 10 \tag*{power rule}" in tex
    chain = r"\frac{dy}{dx} &= \frac{dy}{du} \cdot \frac{du}{dx} = 2 u \cdot 3 = 10 \cdot 3 = 30"
    assert chain in tex
    assert r"\frac{dy}{dx} &= 6 \left(3 x + 2\right)" in tex


def test_section_1_4_three_layers():
    tex = explain("sin(exp(x^2))", 0.5).to_latex()
    expected = math.cos(math.exp(0.25)) * math.exp(0.25) * 2 * 0.5
    assert f"{expected:.15g}" in tex  # the chapter prints 0.363195
    assert f"{expected:.6f}" == "0.363195"
    assert r"u_{1} &= x^{2} = 0.5^{2} = 0.25" in tex
    assert f"u_{{2}} &= e^{{u_{{1}}}} = e^{{0.25}} = {math.exp(0.25):.6g}" in tex
    assert r"\frac{dy}{du_{2}} \cdot \frac{du_{2}}{du_{1}} \cdot \frac{du_{1}}{dx}" in tex


def test_exercise_1():
    tex = explain("(2x+1)^3", 1).to_latex()
    assert r"\frac{dy}{du} &= 3 u^{2} = 27" in tex
    assert r"\frac{du}{dx} &= 2" in tex
    assert "= 27 \\cdot 2 = 54" in tex


def test_network_forward_and_backward_lines_with_the_users_names():
    tex = network().to_latex()
    assert r"z_{1} &= w_{1} \cdot x + b_{1} = 0.5 \cdot 2 + 0.1 = 1.1" in tex
    assert (
        r"h &= \operatorname{relu}\left(z_{1}\right) = \operatorname{relu}\left(1.1\right) = 1.1"
        in tex
    )
    assert r"y &= w_{2} \cdot h + b_{2} = -0.3 \cdot 1.1 + 0.2 = -0.13" in tex
    assert r"L &= \left(y - \mathrm{target}\right)^{2} = \left(-0.13 - 1\right)^{2} = 1.2769" in tex
    backward = [
        r"\frac{\partial L}{\partial y} &= 2 \left(y - \mathrm{target}\right) = -2.26",
        r"\frac{\partial L}{\partial w_{2}} &= \frac{\partial L}{\partial y} \cdot h "
        r"= -2.26 \cdot 1.1 = -2.486",
        r"\frac{\partial L}{\partial b_{2}} &= \frac{\partial L}{\partial y} \cdot 1 "
        r"= -2.26 \cdot 1 = -2.26",
        r"\frac{\partial L}{\partial h} &= \frac{\partial L}{\partial y} \cdot w_{2} "
        r"= -2.26 \cdot \left(-0.3\right) = 0.678",
        r"\frac{\partial L}{\partial z_{1}} &= \frac{\partial L}{\partial h} \cdot "
        r"\operatorname{relu}'\left(z_{1}\right) = 0.678 \cdot 1 = 0.678",
        r"\frac{\partial L}{\partial w_{1}} &= \frac{\partial L}{\partial z_{1}} \cdot x "
        r"= 0.678 \cdot 2 = 1.356",
        r"\frac{\partial L}{\partial b_{1}} &= \frac{\partial L}{\partial z_{1}} \cdot 1 "
        r"= 0.678 \cdot 1 = 0.678",
    ]
    positions = [tex.index(line) for line in backward]
    assert positions == sorted(positions)  # in the chapter's order


@needs_pdflatex
def test_network_pdf_shows_the_chapters_numbers(tmp_path):
    e = network()
    body = latex_module.sections_to_body(latex_module.explanation_sections(e, "en"))
    body += latex_module.sections_to_body([latex_module.update_section(e.update(0.1), "L")])
    source = latex_document(body, "en", latex_module.explanation_title(e))
    extracted = pdf_text(compiles(source, tmp_path, "network"))
    for shown in ("1.1", "-0.13", "1.2769", "-2.26", "-2.486", "0.678", "1.356"):
        assert shown in extracted
    # section 2.4: lr = 0.1, w1 0.5 -> 0.3644, b1 0.1 -> 0.0322, w2 -0.3 -> -0.0514, b2 -> 0.426
    for shown in ("0.3644", "0.0322", "-0.0514", "0.426"):
        assert shown in extracted


def test_parameter_update_of_section_2_4():
    tex = update_to_latex(network().update(0.1), "L")
    assert r"w_{1} &: 0.5 \to 0.3644" in tex
    assert r"b_{1} &: 0.1 \to 0.0322" in tex
    assert r"w_{2} &: -0.3 \to -0.0514" in tex
    assert r"b_{2} &: 0.2 \to 0.426" in tex
    assert r"L \text{: } 1.2769 \to 0.37591 \text{ (decreased)}" in tex


@needs_pdflatex
@pytest.mark.parametrize("style", ["chain", "rules"])
def test_every_chapter_example_compiles_standalone(tmp_path, style):
    examples = [("(3x+2)^2", 1, "30"), ("sin(exp(x^2))", 0.5, "0.363194914801726"),
                ("(2x+1)^3", 1, "54")]  # fmt: skip
    for text, x0, shown in examples:
        source = explain(text, x0).to_latex(standalone=True, style=style)
        assert source.startswith("\\documentclass[11pt]{article}")
        assert shown in pdf_text(compiles(source, tmp_path, f"{style}{x0}"))
    if style == "chain":
        extracted = pdf_text(compiles(network().to_latex(standalone=True), tmp_path, "net"))
        assert all(n in extracted for n in ("1.356", "0.678", "-2.486", "-2.26"))


# --------------------------------------------------------------------------------------
# Rule by rule
# --------------------------------------------------------------------------------------


def test_rules_style_names_each_rule_and_its_substitution():
    tex = explain("(3x+2)^2", 1).to_latex(style="rules")
    assert r"\frac{d}{dx}\left[3 x + 2\right] &= 3 + 0 = 3 \tag*{sum rule}" in tex
    assert r"\frac{d}{du}\left[u^{2}\right] &= 2 u^{1} = 2 u \tag*{power rule}" in tex
    assert r"\tag*{chain rule, with $u = 3 x + 2$}" in tex
    assert r"\left.\frac{dy}{dx}\right|_{x = 1} &= 30" in tex
    assert "checked against sympy.diff" in tex


def test_rules_style_logarithmic_differentiation_for_x_to_the_x():
    tex = explain("x^x", 2).to_latex(style="rules")
    assert r"\tag*{logarithmic differentiation: $\ln y = x \ln{\left(x \right)}$}" in tex
    value = 2**2 * (math.log(2) + 1)
    assert f"{value:.15g}" in tex


def test_rules_style_needs_one_variable():
    with pytest.raises(DerivcheckError, match="one variable"):
        network().to_latex(style="rules")
    with pytest.raises(DerivcheckError, match="unknown style"):
        explain("x^2", 1).to_latex(style="gamma")


# --------------------------------------------------------------------------------------
# Chinese
# --------------------------------------------------------------------------------------


def test_chinese_words_use_the_chapters_vocabulary():
    single = explain("(3x+2)^2", 1, lang="zh").to_latex(standalone=True)
    assert single.startswith("\\documentclass[UTF8,11pt]{ctexart}")
    for phrase in ("中间变量", "局部导数", "链式法则", "数值验证", "幂法则"):
        assert phrase in single
    program = explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS, lang="zh").to_latex()
    for phrase in ("前向传播", "反向传播", "数值验证"):
        assert phrase in program
    rules = explain("x^x", 2, lang="zh").to_latex(style="rules")
    assert "对数求导法" in rules and "乘法法则" in rules


@needs_xelatex
def test_chinese_documents_compile_with_xelatex(tmp_path):
    for name, e, style in [
        ("chain", explain("sin(exp(x^2))", 0.5, lang="zh"), "chain"),
        ("rules", explain("(2x+1)^3", 1, lang="zh"), "rules"),
        ("net", explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS, lang="zh"), "chain"),
    ]:
        pdf = compiles(e.to_latex(standalone=True, style=style), tmp_path, name)
    extracted = pdf_text(pdf)  # the network's document, the last one
    assert "反向传播" in extracted and "1.356" in extracted


# --------------------------------------------------------------------------------------
# Awkward cases: every fragment compiles
# --------------------------------------------------------------------------------------

AWKWARD = [
    ("relu(3x-1)", "1/3", None),  # on the kink: left and right derivatives
    ("|x|", 0, None),
    ("max(x, 1-x)", 0.5, None),
    ("ln(x)", -1, None),  # undefined here
    ("sqrt(x)", 0, None),  # vertical tangent
    ("\\frac{1}{1+e^{-x}}", 0, None),  # LaTeX input
    ("θ^2 + sin(θ)", 1, None),  # Greek names
    ("b_out * x_in^2", {"b_out": 2, "x_in": 3}, None),
    ("x*y + y^2", {"x": 1, "y": 2}, None),  # a gradient of a formula
    ("7", 1, None),  # a constant
    ("z = w*x; L = sigmoid(z)", {"w": 2, "x": 1}, ["w"]),  # a one-variable program
    ("u = x^2; v = sin(u); f = u*v", {"x": 1.5}, None),
    ("(x+1)/(x-1) + 2^x - x^x", 3, None),
]


@needs_pdflatex
def test_awkward_fragments_all_compile(tmp_path):
    fragments = []
    for text, x0, wrt in AWKWARD:
        e = explain(text, x0, wrt=wrt)
        fragments.append(e.to_latex())
        if e.single:
            fragments.append(e.to_latex(style="rules"))
    for fragment in fragments:
        assert fragment.count("\\begin{align*}") == fragment.count("\\end{align*}") == 1
        assert "\n\n" not in fragment.strip()
    source = latex_document("\n".join(fragments), "en")
    extracted = pdf_text(compiles(source, tmp_path, "awkward"))
    assert "left derivative" in extracted and "right derivative" in extracted
    assert "ln needs a positive argument" in extracted


@needs_pdflatex
def test_awkward_standalone_documents_compile(tmp_path):
    for index, (text, x0, wrt) in enumerate(AWKWARD):
        compiles(explain(text, x0, wrt=wrt).to_latex(standalone=True), tmp_path, f"a{index}")


def test_kink_shows_both_one_sided_derivatives_and_the_convention():
    tex = explain("relu(3x-1)", "1/3").to_latex()
    # relu(3x - 1) is 0 left of 1/3 and 3x - 1 right of it: slopes 0 and 3
    assert r"\text{left derivative } \frac{dy}{dx} \text{: exact } 0 \text{, numeric } 0" in tex
    assert r"\text{right derivative } \frac{dy}{dx} \text{: exact } 3 \text{, numeric } 3" in tex
    assert r"\operatorname{relu}'\left(0\right) = 0" in tex  # the convention behind the value
    assert r"\text{ has a kink where } u = 0" in tex


# --------------------------------------------------------------------------------------
# Pieces
# --------------------------------------------------------------------------------------


def test_names_numbers_and_text():
    assert latex_name("w1") == "w_{1}" and latex_name("b_2") == "b_{2}"
    assert latex_name("target") == r"\mathrm{target}" and latex_name("L") == "L"
    assert latex_name("theta") == r"\theta" and latex_name("x_in") == r"x_{\mathrm{in}}"
    assert latex_number(1e-20) == r"1 \times 10^{-20}"
    assert latex_number(float("nan")) == r"\text{undefined}"
    assert tex_text("a_b & c % d $ # { } ~ ^ \\") == (
        r"a\_b \& c \% d \$ \# \{ \} \~{} \^{} \textbackslash{}"
    )
    assert tex_text("链式法则") == "????" and tex_text("链式法则", unicode_ok=True) == "链式法则"


def test_user_source_typeset_or_left_to_sympy():
    spans = ((0, 1, "h"),)
    assert source_to_latex("h^2", spans, {"h": -1.5}) == r"\left(-1.5\right)^{2}"
    assert source_to_latex("sqrt(h) + abs(h)", ((5, 6, "h"), (14, 15, "h"))) == (
        r"\sqrt{h} + \left|h\right|"
    )
    assert source_to_latex(r"\frac{h}{2}", ((6, 7, "h"),)) is None
    assert source_to_latex("h ** 3", spans) == "h^{3}"
    program = explain("a = x^2; b = \\sqrt{a} + a", 2)
    assert r"b &= " in program.to_latex()  # LaTeX input falls back to SymPy's typesetting


def test_module_examples_run():
    result = doctest.testmod(latex_module)
    assert result.failed == 0 and result.attempted > 10


def test_chapter_pdf_shows_the_chapters_numbers():
    pdf = Path(__file__).resolve().parents[2] / "examples" / "chapter.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
    extracted = pdf_text(pdf)
    for shown in ("30", "0.363194914801726", "54", "1.2769", "1.356", "0.678", "-2.486",
                  "-2.26", "0.3644"):  # fmt: skip
        assert shown in extracted, shown


@needs_pdflatex
def test_chapter_document_compiles_in_english(tmp_path):
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "examples" / "make_chapter.py"
    spec = importlib.util.spec_from_file_location("make_chapter", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    extracted = pdf_text(compiles(module.chapter_latex("en"), tmp_path, "chapter_en"))
    assert "Backward pass" in extracted and "1.356" in extracted and "0.3644" in extracted
