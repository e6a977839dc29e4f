"""Regenerate examples/chapter.md (a Docusaurus page) and examples/chapter.pdf from the chapter.

Every derivation of the chapter "3.4 链式法则与反向传播预览" — sections 1.3 and 1.4, the
two-layer network of sections 2.2-2.4 with one update step, and exercise 1 (also rule by
rule) — is computed by derivcheck and written as Markdown (``$$`` blocks and Mermaid
computational graphs) and as a LaTeX document compiled to PDF.

Run:  python examples/make_chapter.py [--lang zh|en] [--out examples]

The Chinese PDF (the default, like the chapter) needs xelatex and ctex
(``apt-get install texlive-xetex texlive-lang-chinese``); ``--lang en`` needs only
pdflatex (``texlive-latex-base texlive-latex-recommended``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from derivcheck import explain
from derivcheck.network import CHAPTER_SECTION2, as_program
from derivcheck.render.latex import (
    compile_latex,
    explanation_sections,
    explanation_title,
    latex_document,
    latex_engine,
    paragraph_text,
    sections_to_body,
    tex_text,
    update_section,
)
from derivcheck.render.markdown import explanation_to_markdown, md_text, update_to_markdown

NETWORK = as_program(hidden=1)  # the chapter's own program text
NETWORK_POINT = CHAPTER_SECTION2  # x = 2, target = 1, w1 = 0.5, b1 = 0.1, w2 = -0.3, b2 = 0.2
PARAMETERS = ["w1", "b1", "w2", "b2"]
LEARNING_RATE = 0.1

HEADINGS = {
    "title": {
        "en": "3.4 Chain rule and backpropagation: every derivation, generated",
        "zh": "3.4 链式法则与反向传播：全部推导（由 derivcheck 生成）",
    },
    "intro": {
        "en": "Every number on this page was computed by derivcheck: exactly with SymPy, "
        "and checked numerically. Regenerate it with python examples/make_chapter.py.",
        "zh": "本页每个数字都由 derivcheck 计算：用 SymPy 精确求出，并做数值验证。"
        "重新生成：python examples/make_chapter.py。",
    },
    "1.3": {"en": "1.3 A worked example: y = (3x + 2)²", "zh": "1.3 计算示例：y = (3x + 2)²"},
    "1.4": {
        "en": "1.4 Several layers: y = sin(exp(x²))",
        "zh": "1.4 多层链式法则：y = sin(exp(x²))",
    },
    "2": {
        "en": "2.2–2.3 The two-layer network: forward and backward pass",
        "zh": "2.2–2.3 两层神经网络：前向传播与反向传播",
    },
    "2.4": {"en": "2.4 Updating the parameters", "zh": "2.4 用梯度更新参数"},
    "ex1": {
        "en": "Exercise 1: y = (2x + 1)³ at x = 1",
        "zh": "练习 1：y = (2x + 1)³，在 x = 1 处验证",
    },
    "ex1_rules": {"en": "Exercise 1, rule by rule", "zh": "练习 1：逐条法则求导"},
}


def heading(key: str, lang: str) -> str:
    return HEADINGS[key][lang]


def examples(lang: str):
    """(heading key, explanation, style) for each derivation of the chapter, in order."""
    network = explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS, lang=lang)
    exercise = explain("(2x+1)^3", 1, lang=lang)
    return [
        ("1.3", explain("(3x+2)^2", 1, lang=lang), "chain"),
        ("1.4", explain("sin(exp(x^2))", 0.5, lang=lang), "chain"),
        ("2", network, "chain"),
        ("ex1", exercise, "chain"),
        ("ex1_rules", exercise, "rules"),
    ], network


def chapter_markdown(lang: str = "zh") -> str:
    """The Docusaurus page: front matter, then one section per derivation."""
    items, network = examples(lang)
    parts = [
        "---",
        f'title: "{heading("title", lang)}"',
        'description: "derivcheck: chain rule, backpropagation, computational graphs"',
        "---",
        "",
        f"# {md_text(heading('title', lang))}",
        "",
        f":::tip derivcheck\n{md_text(heading('intro', lang))}\n:::",
        "",
    ]
    for key, e, style in items:
        parts.append(f"## {md_text(heading(key, lang))}\n")
        parts.append(explanation_to_markdown(e, lang, style=style, level=3, graph=style == "chain"))
        if key == "2":
            parts.append(f"## {md_text(heading('2.4', lang))}\n")
            update = network.update(LEARNING_RATE)
            parts.append(update_to_markdown(update, network.output.name, lang, level=3))
    return "\n".join(parts)


def chapter_latex(lang: str = "zh", graph_picture: str | None = None) -> str:
    """The same derivations as one LaTeX document (ctexart for Chinese).

    ``graph_picture``: the file name of the network's graph (see ``plot_graph``), shown in
    section 2 when given.
    """
    items, network = examples(lang)
    zh = lang == "zh"
    body = [
        f"{{\\LARGE\\bfseries {tex_text(heading('title', lang), zh)}}}\\par\\medskip",
        tex_text(heading("intro", lang), zh) + "\\par",
    ]
    for key, e, style in items:
        body.append(f"\\section*{{{tex_text(heading(key, lang), zh)}}}")
        body.append(paragraph_text(explanation_title(e, lang), lang) + "\\par")
        if key == "2" and graph_picture:
            body.append(
                f"\\begin{{center}}\\includegraphics[width=\\linewidth]{{{graph_picture}}}"
                "\\end{center}"
            )
        body.append(sections_to_body(explanation_sections(e, lang, style), lang))
        if key == "2":
            update = network.update(LEARNING_RATE)
            body.append(f"\\section*{{{tex_text(heading('2.4', lang), zh)}}}")
            body.append(sections_to_body([update_section(update, network.output.name, lang)], lang))
    return latex_document("\n".join(body) + "\n", lang, packages=("graphicx",))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent))
    parser.add_argument("--no-pdf", action="store_true", help="write only the Markdown page")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    page = out / "chapter.md"
    page.write_text(chapter_markdown(args.lang), encoding="utf-8")
    print(f"wrote {page}")
    if args.no_pdf:
        return 0
    source = chapter_latex(args.lang, graph_picture="network_graph.pdf")
    if latex_engine(source) is None:
        needed = "xelatex and ctex (texlive-xetex texlive-lang-chinese)" if args.lang == "zh" \
            else "pdflatex (texlive-latex-base texlive-latex-recommended)"  # fmt: skip
        print(f"cannot write chapter.pdf: {needed} not installed; try --lang en", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        picture = Path(folder) / "network_graph.pdf"
        network = explain(NETWORK, NETWORK_POINT, wrt=PARAMETERS, lang=args.lang)
        network.plot_graph(str(picture), title=False, edge_formulas=False)
        pdf = compile_latex(source, out / "chapter.pdf", files={picture.name: picture})
    print(f"wrote {pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
