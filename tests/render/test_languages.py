"""One explanation, shown in either language: no English sentence in Chinese output, no
Chinese in English output, and every note in every format.

The scan for English looks at the words of each format (outside its mathematics) for
runs of three or more English words; formulas, function names and numbers are fine.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from derivcheck import explain
from derivcheck.messages import Message
from derivcheck.render import layout
from derivcheck.render.latex import update_to_latex
from derivcheck.render.markdown import update_to_markdown
from derivcheck.render.text import update_to_text

NETWORK = "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2"
NETWORK_POINT = {"x": 2, "target": 1, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2}
PARAMETERS = ["w1", "b1", "w2", "b2"]

# name -> (formula, point, wrt, style)
CASES = {
    "chain": ("sin(exp(x^2))", 0.5, None, "chain"),
    "network": (NETWORK, NETWORK_POINT, PARAMETERS, "chain"),
    "kink": ("relu(3x-1)", "1/3", None, "chain"),
    "domain": ("ln(x)", -1, None, "chain"),
    "near kink": ("relu(x - 0.3)", 0.3000000001, None, "chain"),
    "rules": ("x^x + asin(x/4)", 2, None, "rules"),
    "gradient kink": (NETWORK, dict(NETWORK_POINT, b1=-1), PARAMETERS, "chain"),
}

ENGLISH_WORD = re.compile(r"[(\[]?[A-Za-z]{2,}(?:'[a-z]+)?[)\],.:;!?]*")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def english_runs(prose: str, length: int = 3) -> list[str]:
    """Runs of ``length`` or more English words in a row (split at spaces)."""
    runs, current = [], []
    for token in prose.split():
        if ENGLISH_WORD.fullmatch(token):
            current.append(token)
            continue
        if len(current) >= length:
            runs.append(" ".join(current))
        current = []
    if len(current) >= length:
        runs.append(" ".join(current))
    return runs


def _braced(source: str, start: int) -> tuple[str, int]:
    """The contents of the brace group opening at ``source[start]``, and the index after it."""
    depth, i = 0, start
    while i < len(source):
        depth += {"{": 1, "}": -1}.get(source[i], 0)
        if depth == 0:
            return source[start + 1 : i], i + 1
        i += 1
    raise AssertionError(f"unbalanced braces after {source[start : start + 40]!r}")


def _text_commands(math: str) -> list[str]:
    """What ``\\text{…}`` and ``\\tag*{…}`` hold inside LaTeX math (their own math removed)."""
    found = []
    for match in re.finditer(r"\\(?:text|tag\*)\{", math):
        inner, _ = _braced(math, match.end() - 1)
        found.append(re.sub(r"\$[^$]*\$", " ", inner))
    return found


def latex_prose(source: str) -> str:
    """The words of a LaTeX fragment or document: outside math, and in \\text/\\tag* inside."""
    source = source.split("\\begin{document}")[-1]
    parts = []
    for block in re.split(r"(\\begin\{align\*\}.*?\\end\{align\*\})", source, flags=re.S):
        if block.startswith("\\begin{align*}"):
            for line in block.splitlines():
                if line.startswith("%"):  # a section's title, as a comment
                    parts.append(re.sub(r"\$[^$]*\$", " ", line[1:]))
            parts += _text_commands(block)
        else:
            block = re.sub(r"\$[^$]*\$", " ", block)
            parts.append(re.sub(r"\\[A-Za-z]+\*?", " ", block))
    return "\n".join(parts)


def markdown_prose(page: str) -> tuple[str, list[str]]:
    """The words of a Markdown page, and the labels of its Mermaid charts."""
    charts = re.findall(r"```mermaid\n(.*?)```", page, flags=re.S)
    page = re.sub(r"```mermaid\n.*?```", " ", page, flags=re.S)
    parts = []
    for block in re.split(r"(\$\$\n.*?\n\$\$)", page, flags=re.S):
        if block.startswith("$$"):
            parts += _text_commands(block)
        else:
            parts.append(re.sub(r"(?<!\\)\$.+?(?<!\\)\$", " ", block))
    labels = [label for chart in charts for label in re.findall(r'"([^"]*)"', chart)]
    return "\n".join(parts), labels


def renderings(e, style: str, lang: str) -> dict[str, str]:
    """Every format of one explanation in ``lang``: text, LaTeX (fragment and document),
    Markdown (with its Mermaid chart) and, for a gradient, the parameter update."""
    shown = {
        "text": e.to_text(lang=lang) if style == "chain" else "",
        "latex": e.to_latex(lang=lang, style=style),
        "document": e.to_latex(standalone=True, lang=lang, style=style),
        "markdown": e.to_markdown(lang=lang, style=style),
        "mermaid": e.to_mermaid(lang=lang),
    }
    if not e.single:
        update = e.update(0.1)
        shown["text"] += update_to_text(update, e.output.name, lang)
        shown["latex"] += update_to_latex(update, e.output.name, lang)
        shown["markdown"] += update_to_markdown(update, e.output.name, lang)
    return shown


def prose_of(shown: dict[str, str]) -> dict[str, str]:
    page, labels = markdown_prose(shown["markdown"])
    return {
        "text": shown["text"],
        "latex": latex_prose(shown["latex"]),
        "document": latex_prose(shown["document"]),
        "markdown": page,
        "mermaid": "\n".join(labels + re.findall(r'"([^"]*)"', shown["mermaid"])),
    }


def _transitional_strings(e) -> list[str]:
    """Sentences the analysis still stores as plain strings (not Messages yet)."""
    found = [layout.reason(e)] if isinstance(layout.reason(e), str) else []
    return found + [note for note in e.near_kinks if isinstance(note, str)]


def _with_reason(e, message: Message):
    """``e`` whose reason is ``message`` (the field is reason_message where it exists)."""
    field = "reason_message" if hasattr(e, "reason_message") else "reason"
    return dataclasses.replace(e, **{field: message})


def test_the_scan_finds_english_and_passes_mathematics():
    assert english_runs("注：a kink lies within 9.3e-11 of x") == ["kink lies within"]
    assert english_runs("y = relu(u) = relu(0) = 0，精确导数（SymPy）") == []
    tex = r"\begin{align*} x &= \sin x \tag*{sine rule, $\ln y$} \end{align*}"
    assert latex_prose(tex).split() == ["sine", "rule,"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_chinese_output_has_no_english_sentence(name):
    formula, point, wrt, style = CASES[name]
    e = explain(formula, point, wrt=wrt, lang="zh")
    english = {
        fmt: runs
        for fmt, prose in prose_of(renderings(e, style, "zh")).items()
        if (runs := english_runs(prose))
    }
    if english and _transitional_strings(e):
        pytest.xfail(
            "the explanation still holds English strings where Messages are coming "
            f"(reason / near_kinks): {_transitional_strings(e)}"
        )
    assert not english, english


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_explanation_computed_in_chinese_shows_in_english(name):
    formula, point, wrt, style = CASES[name]
    e = explain(formula, point, wrt=wrt, lang="zh")
    chinese = {
        fmt: CJK.findall(shown)
        for fmt, shown in renderings(e, style, "en").items()
        if CJK.search(shown)
    }
    if chinese and _transitional_strings(e):
        pytest.xfail(f"the reason is still stored as a string: {_transitional_strings(e)}")
    assert not chinese, chinese


@pytest.mark.parametrize("name", ["chain", "network", "kink", "rules"])
def test_the_language_of_an_explanation_matters_only_when_it_is_shown(name):
    formula, point, wrt, style = CASES[name]
    english, chinese = (explain(formula, point, wrt=wrt, lang=lang) for lang in ("en", "zh"))
    for lang in ("en", "zh"):
        assert renderings(english, style, lang) == renderings(chinese, style, lang)


# ---- Messages where the analysis stores them (the coming Explanation.reason and near_kinks) ----

REASON = Message("domain_log", where="x = -1")
NOTE = Message("near_kink", distance="9.3e-11", function="relu")


def test_a_reason_given_as_a_message_is_shown_in_the_language_asked():
    e = _with_reason(explain("ln(x)", -1, lang="zh"), REASON)
    for lang, sentence in (("en", "ln needs a positive argument"), ("zh", "ln 的自变量必须为正")):
        shown = renderings(e, "chain", lang)
        for fmt in ("text", "latex", "document", "markdown"):
            assert sentence in shown[fmt], (lang, fmt)
        assert not english_runs(prose_of(renderings(e, "chain", "zh"))["text"])


def test_a_note_reaches_every_format_in_both_languages():
    e = dataclasses.replace(explain("relu(x - 0.3)", 0.31), near_kinks=(NOTE,))
    for lang, sentence in (("en", "from a kink of relu"), ("zh", "该点距 relu 的折点仅")):
        shown = renderings(e, "chain", lang)
        for fmt in ("text", "latex", "document", "markdown"):
            assert sentence in shown[fmt], (lang, fmt)
    for fmt, prose in prose_of(renderings(e, "chain", "zh")).items():
        assert not english_runs(prose), fmt


def test_the_kink_convention_and_the_one_sided_checks_reach_every_format():
    e = explain("relu(3x-1)", "1/3")
    shown = renderings(e, "chain", "en")
    assert "relu'(0) = 0" in shown["text"]
    assert r"\operatorname{relu}'\left(0\right) = 0" in shown["latex"]
    assert r"$\operatorname{relu}'\left(0\right) = 0$" in shown["markdown"]
    for fmt in ("text", "latex", "markdown"):
        assert "left derivative" in shown[fmt] and "right derivative" in shown[fmt], fmt
    zh = renderings(explain("relu(3x-1)", "1/3", lang="zh"), "chain", "zh")
    for fmt in ("text", "latex", "markdown"):
        assert "PyTorch 的约定" in zh[fmt] and "左导数" in zh[fmt], fmt


def test_the_numeric_check_says_the_same_in_every_format():
    e = explain("sin(exp(x^2))", 0.5)
    result, verdict = e.numeric, e.verdicts[e.variable]
    shown = renderings(e, "chain", "en")
    assert f"h = {result.step:.3g}" in shown["text"]
    assert f"{result.evaluations} evaluations" in shown["text"]
    for fmt in ("latex", "markdown"):
        assert f"{result.evaluations} evaluations" in shown[fmt]
        assert "budget" in shown[fmt] and "ratio" in shown[fmt]
    assert verdict.agrees and "agrees" in shown["markdown"]


@pytest.mark.parametrize(
    ("function", "point", "said"),
    [
        # the value the chain rule used on the break, at the break's own argument value:
        # leaky_relu's slope a on its left (PyTorch: x > 0 ? 1 : a), hardtanh at its edge
        # u = 1, elu with a = 2 (PyTorch: x > 0 ? 1 : a·e^x), floor at the integer u = 1
        ("leaky_relu(x)", "0", "leaky_relu'(0) = 0.01"),
        ("hardtanh(x)", "1", "hardtanh'(1) = 0"),
        ("elu(x, 2)", "0", "elu'(0) = 2"),
        ("floor(2x)", "0.5", "floor'(1) = 0"),
        ("relu(x)", "0", "relu'(0) = 0"),
    ],
)
def test_the_convention_at_a_break_is_the_value_used_there(run_cli, function, point, said):
    result = run_cli("explain", function, "--at", point)
    assert f"The value shown uses {said}" in result.stdout
