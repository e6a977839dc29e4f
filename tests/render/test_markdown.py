"""Markdown for a Docusaurus page, Mermaid flowcharts (checked structurally) and graph pictures.

Numbers expected here are the chapter's (sections 1.3, 1.4, 2.2-2.3, exercise 1).
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from derivcheck import explain
from derivcheck.render import graph_plot
from derivcheck.render import markdown as markdown_module
from derivcheck.render.graph_plot import plot_graph, texts_by_gid
from derivcheck.render.latex import compile_latex, latex_document, latex_engine
from derivcheck.render.markdown import md_text, mermaid_label

NETWORK = "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2"
NETWORK_POINT = {"x": 2, "target": 1, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2}
PARAMETERS = ["w1", "b1", "w2", "b2"]

NODE = re.compile(r'^    (n\d+)\["([^"]*)"\]$')
EDGE = re.compile(r'^    (n\d+) -->\|"([^"]*)"\| (n\d+)$')
CLASSDEF = re.compile(r"^    classDef (\w+) [\w:#,]+$")
CLASS = re.compile(r"^    class (n\d+(?:,n\d+)*) (\w+)$")


def parse_mermaid(chart: str):
    """Nodes {id: label} and edges [(from, label, to)]; fails on any line it does not know."""
    lines = chart.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    classes: set[str] = set()
    members: list[tuple[str, str]] = []
    for line in lines[1:]:
        if match := NODE.match(line):
            assert match[1] not in nodes, f"node {match[1]} defined twice"
            nodes[match[1]] = match[2]
        elif match := EDGE.match(line):
            edges.append((match[1], match[2], match[3]))
        elif match := CLASSDEF.match(line):
            classes.add(match[1])
        elif match := CLASS.match(line):
            members.extend((member, match[2]) for member in match[1].split(","))
        else:
            raise AssertionError(f"unexpected Mermaid line: {line!r}")
    for source, label, target in edges:
        assert source in nodes and target in nodes, (source, target)
        assert label
    for member, kind in members:
        assert member in nodes and kind in classes
    for label in list(nodes.values()) + [label for _, label, _ in edges]:
        for forbidden in ('"', "|", "<b", "`"):
            assert forbidden not in label.replace("<br/>", ""), label
    return nodes, edges


def labels_by_name(nodes):
    return {label.split(" = ")[0]: label for label in nodes.values()}


def test_section_1_3_graph():
    nodes, edges = parse_mermaid(explain("(3x+2)^2", 1).to_mermaid())
    by_name = labels_by_name(nodes)
    assert by_name["x"] == "x = 1"
    assert by_name["u"] == "u = 3x + 2<br/>= 5"
    assert by_name["y"] == "y = u^2<br/>= 25"
    assert [label for _, label, _ in edges] == ["du/dx = 3", "dy/du = 2u = 10"]


def test_section_1_4_graph():
    nodes, edges = parse_mermaid(explain("sin(exp(x^2))", 0.5).to_mermaid())
    assert len(nodes) == 4 and len(edges) == 3
    assert "u1 = x^2<br/>= 0.25" in nodes.values()
    assert "du1/dx = 2x = 1" in [label for _, label, _ in edges]


def test_network_graph_shows_forward_values_and_gradients():
    e = explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS)
    nodes, edges = parse_mermaid(e.to_mermaid())
    by_name = labels_by_name(nodes)
    assert by_name["z1"] == "z1 = w1*x + b1<br/>= 1.1<br/>∂L/∂z1 = 0.678"
    assert by_name["h"] == "h = relu(z1)<br/>= 1.1<br/>∂L/∂h = 0.678"
    assert by_name["y"] == "y = w2*h + b2<br/>= -0.13<br/>∂L/∂y = -2.26"
    assert by_name["L"].startswith("L = (y - target)^2<br/>= 1.2769")
    assert by_name["w1"] == "w1 = 0.5<br/>∂L/∂w1 = 1.356"
    assert by_name["b1"] == "b1 = 0.1<br/>∂L/∂b1 = 0.678"
    assert by_name["w2"] == "w2 = -0.3<br/>∂L/∂w2 = -2.486"
    assert by_name["b2"] == "b2 = 0.2<br/>∂L/∂b2 = -2.26"
    edge_labels = {label for _, label, _ in edges}
    assert {"∂z1/∂w1 = x = 2", "dh/dz1 = relu'(z1) = 1", "∂y/∂h = w2 = -0.3"} <= edge_labels
    assert len(edges) == 9  # w1, x, b1 -> z1; z1 -> h; w2, h, b2 -> y; y, target -> L


def test_labels_are_escaped():
    assert mermaid_label('a "b" |c| <d> #e & `f`') == (
        "a #quot;b#quot; #124;c#124; #lt;d#gt; #35;e #amp; #96;f#96;"
    )
    nodes, edges = parse_mermaid(explain("|x| + |x - 1|", 0.5).to_mermaid())
    assert any("#124;x#124;" in label for label in nodes.values())


@pytest.mark.parametrize(
    "text, x0, wrt",
    [
        ("relu(3x-1)", "1/3", None),
        ("ln(x)", -1, None),
        ("max(x, x^2) + min(x, 1)", 2, None),
        ("x*y + sin(x*y)", {"x": 1, "y": 2}, None),
        ("7", 1, None),
        ("θ^2 + sigmoid(θ)", 1, None),
        ("end = x^2; graph = end + 1", 3, None),  # Mermaid keywords as user names
    ],
)
def test_awkward_graphs_are_well_formed(text, x0, wrt):
    e = explain(text, x0, wrt=wrt)
    nodes, _ = parse_mermaid(e.to_mermaid())
    assert len(nodes) >= 2
    page = e.to_markdown()
    check_page(page)


# --------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------


def check_page(page: str) -> list[str]:
    """Structure of a Docusaurus-ready page; returns its math ($$ blocks and inline $…$)."""
    assert page.count("```mermaid") == page.count("```") // 2
    outside = re.sub(r"```mermaid\n.*?\n```", "", page, flags=re.S)
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", outside, flags=re.S | re.M)
    prose = re.sub(r"^\$\$\n.*?\n\$\$$", "", outside, flags=re.S | re.M)
    inline = re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", prose)
    prose_only = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", "", prose)
    for special in "{}<":  # MDX reads these as JSX: they must be escaped in prose
        assert not re.search(r"(?<!\\)" + re.escape(special), prose_only), special
    for block in blocks:
        assert block.startswith("\\begin{aligned}") and block.endswith("\\end{aligned}")
        assert "\n\n" not in block
    return blocks + inline


def test_markdown_page_of_section_1_3():
    page = explain("(3x+2)^2", 1).to_markdown()
    assert page.startswith("## Derivative of $y = \\left(3 x + 2\\right)^{2}$ at $x = 1$\n")
    math_parts = check_page(page)
    assert any("= 10 \\cdot 3 = 30" in block for block in math_parts)
    assert "### Local derivatives" in page and "### Chain rule" in page
    assert "Nodes show forward values; edges show local derivatives." in page


def test_markdown_page_of_the_network_in_chinese():
    page = explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS, lang="zh").to_markdown()
    check_page(page)
    for phrase in ("前向传播", "反向传播", "数值验证", "计算图"):
        assert phrase in page
    for shown in ("1.356", "0.678", "-2.486", "-2.26", "1.2769"):
        assert shown in page


def test_markdown_rules_style():
    page = markdown_module.explanation_to_markdown(explain("x^x", 2), style="rules")
    check_page(page)
    assert "### Rule by rule" in page and "logarithmic differentiation" in page


def test_md_text_escapes_mdx():
    assert md_text("a<b {c} *d* _e_ $f$") == "a\\<b \\{c\\} \\*d\\* \\_e\\_ \\$f\\$"


@pytest.mark.skipif(latex_engine("en") is None, reason="pdflatex is not installed")
def test_the_pages_math_is_valid_latex(tmp_path):
    pages = [
        explain("(3x+2)^2", 1).to_markdown(),
        explain("sin(exp(x^2))", 0.5).to_markdown(),
        markdown_module.explanation_to_markdown(explain("(2x+1)^3", 1), style="rules"),
        explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS).to_markdown(),
        explain("relu(3x-1)", "1/3").to_markdown(),
    ]
    body = []
    for page in pages:
        for part in check_page(page):
            body.append(f"\\[{part}\\]" if part.startswith("\\begin{aligned}") else f"${part}$\n")
    source = latex_document("\n".join(body), "en")
    assert compile_latex(source, tmp_path / "math.pdf").stat().st_size > 1000


# --------------------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------------------


def test_plot_graph_of_the_network(tmp_path):
    e = explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS)
    figure = e.plot_graph(str(tmp_path / "network.png"))
    assert (tmp_path / "network.png").stat().st_size > 10_000
    texts = texts_by_gid(figure)
    assert texts["node:w1"] == "w1 = 0.5\n∂L/∂w1 = 1.356"
    assert texts["node:w2"] == "w2 = -0.3\n∂L/∂w2 = -2.486"
    assert texts["node:z1"] == "z1 = w1*x + b1\nz1 = 1.1\n∂L/∂z1 = 0.678"
    assert texts["node:L"] == "L = (y - target)^2\nL = 1.2769"
    assert texts["edge:h->y"] == "∂y/∂h = w2 = -0.3"
    assert texts["edge:z1->h"] == "dh/dz1 = relu'(z1) = 1"
    layout = graph_plot.graph_layout(e)
    assert [layout[s.name][1] for s in e.steps] == [0, 0, 0, 0]  # the chain along the top


def test_plot_graph_writes_svg_and_pdf(tmp_path):
    e = explain("sin(exp(x^2))", 0.5)
    for name in ("g.svg", "g.pdf"):
        plot_graph(e, tmp_path / name, title=False)
        assert (tmp_path / name).stat().st_size > 1000


def test_importing_derivcheck_and_rendering_text_formats_stays_light():
    code = (
        "import sys, derivcheck; e = derivcheck.explain('(3x+2)^2', 1); "
        "e.to_markdown(); e.to_mermaid(); e.to_latex(); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_jupyter_reprs():
    e = explain("(3x+2)^2", 1)
    assert "```mermaid" in e._repr_markdown_()
    assert "\\begin{align*}" in e._repr_latex_()


def test_module_examples_run():
    for module in (markdown_module, graph_plot):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 1, module


# --------------------------------------------------------------------------------------
# examples/chapter.md, generated by examples/make_chapter.py
# --------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _stable(page: str) -> list[str]:
    """The page without the lines whose digits depend on the machine (numeric estimates)."""
    varying = ("误差估计", "误差预算", "±", "estimate", "budget")
    return [line for line in page.splitlines() if not any(v in line for v in varying)]


def test_chapter_page_is_complete_and_up_to_date():
    page = (EXAMPLES / "chapter.md").read_text(encoding="utf-8")
    math_parts = check_page(page)
    assert page.startswith("---\ntitle: ")
    charts = re.findall(r"```mermaid\n(.*?)```", page, flags=re.S)
    assert len(charts) == 4  # 1.3, 1.4, the network, exercise 1
    for chart in charts:
        parse_mermaid(chart)
    joined = "\n".join(math_parts)
    for shown in ("= 30", "0.363194914801726", "= 54", "1.2769", "-2.26", "-2.486", "0.678",
                  "1.356", "0.3644", "0.0322", "-0.0514", "0.426"):  # fmt: skip
        assert shown in joined, shown
    for phrase in ("链式法则", "中间变量", "局部导数", "前向传播", "反向传播", "数值验证"):
        assert phrase in page
    spec = importlib.util.spec_from_file_location("make_chapter", EXAMPLES / "make_chapter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert _stable(module.chapter_markdown("zh")) == _stable(page), (
        "examples/chapter.md is stale: run python examples/make_chapter.py"
    )
