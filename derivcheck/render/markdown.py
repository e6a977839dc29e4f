r"""An :class:`~derivcheck.Explanation` as Markdown for a Docusaurus page, and as Mermaid.

The page has ``$$`` math blocks (``aligned``, which KaTeX and MathJax both know)
and a ``mermaid`` flowchart of the computational graph: nodes show forward
values (and, for a gradient, the backward-pass adjoints), edges show local
derivatives. Prose is escaped for MDX, so the page drops into a Docusaurus site
with ``remark-math``/``rehype-katex`` and ``@docusaurus/theme-mermaid``.

>>> from derivcheck import explain
>>> chart = explain("(3x+2)^2", 1).to_mermaid()
>>> print(chart, end="")
flowchart LR
    n0["x = 1"]
    n1["u = 3x + 2<br/>= 5"]
    n2["y = u^2<br/>= 25"]
    n0 -->|"du/dx = 3"| n1
    n1 -->|"dy/du = 2u = 10"| n2
    classDef input fill:#e3f2fd,stroke:#1565c0,color:#333
    classDef step fill:#fff3e0,stroke:#e65100,color:#333
    classDef output fill:#e8f5e9,stroke:#2e7d32,color:#333
    class n0 input
    class n1 step
    class n2 output
>>> page = explain("(3x+2)^2", 1).to_markdown()
>>> "```mermaid" in page and "$$\n\\begin{aligned}" in page
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from derivcheck.messages import check_language, word
from derivcheck.render import layout as lay
from derivcheck.render.graph_plot import adjoint_values, edge_label, step_definition
from derivcheck.render.latex import (
    Section,
    Text,
    explanation_sections,
    explanation_title,
    latex_row,
    phrase,
    row_lines,
    update_section,
    words_text,
)
from derivcheck.render.printing import number, renderer
from derivcheck.render.text import d, name_of

__all__ = [
    "explanation_to_markdown",
    "explanation_to_mermaid",
    "sections_to_markdown",
    "update_to_markdown",
    "md_text",
    "mermaid_label",
]

_MD_SPECIAL = set("\\`*_{}[]<>|$~")


def md_text(value: str) -> str:
    r"""Plain text made safe for Markdown and MDX (no emphasis, no JSX, no math).

    >>> md_text("relu'(z1) = 0 for z1 < 0 {and} 2*x_1")
    "relu'(z1) = 0 for z1 \\< 0 \\{and\\} 2\\*x\\_1"
    """
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in value)


def _katex_text(value: str) -> str:
    """Text for ``\\text{…}`` inside KaTeX/MathJax math: specials escaped, Unicode kept."""
    out = []
    for ch in value:
        if ch in "\\":
            out.append(" ")
        elif ch in "{}$%&#_":
            out.append("\\" + ch)
        elif ch in "^~":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _text_in_math(value: Text) -> str:
    return " ".join(
        content if is_math else r"\text{" + _katex_text(content) + "}" for is_math, content in value
    )


def paragraph_text(value: Text) -> str:
    r"""Text with math for a Markdown paragraph: ``$…$`` around math, the words escaped for MDX.

    >>> paragraph_text(((False, "at {x} "), (True, "x = 1")))
    'at \\{x\\} $x = 1$'
    """
    return "".join(f"${content}$" if is_math else md_text(content) for is_math, content in value)


def sections_to_markdown(sections: list[Section], level: int = 3, lang: str = "en") -> str:
    """Each section: a heading, a ``$$`` block with an ``aligned`` of each run of equations,
    a paragraph for each sentence."""
    parts = []
    for section in sections:
        if section.title is not None:
            parts.append("#" * level + " " + paragraph_text(words_text(section.title, lang)))
        for run in lay.blocks(section):
            if isinstance(run, lay.Sentence):
                parts.append(paragraph_text(words_text(run.words, lang)))
                continue
            lines = []
            for equation in run:
                row = latex_row(equation, lang)
                row_text = row_lines(row)
                if row.note:
                    row_text[-1] += " && " + _text_in_math(row.note)
                lines.extend(row_text)
            parts.append("$$\n\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}\n$$")
    return "\n\n".join(parts) + "\n"


@renderer
def explanation_to_markdown(
    e: Any, lang: str = "en", style: str = "chain", level: int = 2, graph: bool = True
) -> str:
    """The derivation as a Markdown page section: title, Mermaid graph, ``$$`` blocks.

    ``level`` is the heading level of the title (its sections get ``level + 1``);
    ``graph=False`` leaves the Mermaid flowchart out.
    """
    lang = check_language(lang)
    parts = ["#" * level + " " + paragraph_text(explanation_title(e, lang))]
    if graph:
        parts.append("#" * (level + 1) + " " + md_text(phrase("computational_graph", lang)))
        parts.append("```mermaid\n" + explanation_to_mermaid(e, lang).rstrip("\n") + "\n```")
        caption = (
            phrase("graph_caption", lang)
            if e.single and e.program is None
            else phrase("graph_caption_adjoint", lang, output=name_of(e.output))
        )
        parts.append(md_text(caption))
    body = "\n\n".join(parts) + "\n\n"
    return body + sections_to_markdown(explanation_sections(e, lang, style), level + 1, lang)


def update_to_markdown(update: Any, output: str, lang: str = "en", level: int = 3) -> str:
    """Section 2.4 of the chapter (one gradient-descent step) as Markdown."""
    return sections_to_markdown([update_section(update, output, lang)], level, lang)


# --------------------------------------------------------------------------------------
# Mermaid
# --------------------------------------------------------------------------------------

_MERMAID_ENTITIES = {
    "#": "#35;", "&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;",
    "`": "#96;", "\n": " ",
}  # fmt: skip

_CLASSES = {
    "input": "fill:#e3f2fd,stroke:#1565c0,color:#333",
    "step": "fill:#fff3e0,stroke:#e65100,color:#333",
    "output": "fill:#e8f5e9,stroke:#2e7d32,color:#333",
}


def mermaid_label(value: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, pipes, ``#``, ``<``, ``>`` as entities.

    >>> mermaid_label('|x| = "a" <b> #1')
    '#124;x#124; = #quot;a#quot; #lt;b#gt; #35;1'
    """
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in value)


@renderer
def explanation_to_mermaid(e: Any, lang: str = "en") -> str:
    """The computational graph as a Mermaid flowchart (left to right).

    Inputs, intermediate variables and the output are nodes labelled with their
    definitions and forward values; each edge carries the local derivative of
    the node it enters with respect to the node it leaves, with its value. For
    a gradient (several variables, or a program) every node also shows the
    adjoint ∂out/∂node of the backward pass.
    """
    lang = check_language(lang)
    undefined = word("render.undefined", lang)
    values = e.graph.values()
    backprop = not (e.single and e.program is None)
    adjoints = adjoint_values(e) if backprop else {}
    nodes: list[tuple[Any, list[str], str]] = []
    definitions = [step_definition(e, index) for index in range(len(e.steps))]
    for symbol, label, kind in graph_nodes(e, definitions, values, lang):
        if backprop and symbol in adjoints:
            adjoint = number(adjoints[symbol], undefined=undefined)
            label.append(f"{d(e.output, symbol, True)} = {adjoint}")
        nodes.append((symbol, label, kind))
    return flowchart(nodes, graph_edges(e, lang))


def graph_edges(e: Any, lang: str = "en") -> list[tuple[Any, Any, str]]:
    """The computational graph's edges as (from, to, label): each step's local derivative by
    each of its arguments (with its value when the graph has a point)."""
    return [(a, s.name, edge_label(s, a, lang=lang)) for s in e.steps for a in s.local_derivatives]


def graph_nodes(
    e: Any,
    definitions: Sequence[str],
    values: Mapping[Any, float] | None,
    lang: str = "en",
) -> list[tuple[Any, list[str], str]]:
    """The computational graph's nodes as (symbol, label lines, kind): the inputs used, then
    each step with its definition as shown and, with ``values``, its value."""
    undefined = word("render.undefined", lang)
    used = {arg for s in e.steps for arg in s.local_derivatives}
    nodes: list[tuple[Any, list[str], str]] = []
    for x in e.graph.inputs:
        if x in used or x in e.wrt:
            label = (
                name_of(x)
                if values is None
                else f"{name_of(x)} = {number(values[x], undefined=undefined)}"
            )
            nodes.append((x, [label], "input"))
    for index, s in enumerate(e.steps):
        shown = definitions[index]
        last = s is e.steps[-1]
        lines = [f"{name_of(s.name)} = {shown}"]
        if values is not None:
            value = number(s.value, 15 if last else 6, undefined)
            if value != shown:
                lines.append(f"= {value}")
        nodes.append((s.name, lines, "output" if last else "step"))
    return nodes


def flowchart(nodes: list[tuple[Any, list[str], str]], edges: list[tuple[Any, Any, str]]) -> str:
    """A Mermaid flowchart (left to right): ``nodes`` as (key, label lines, kind: input,
    step or output), ``edges`` as (from key, to key, label); labels made safe here."""
    ids = {key: f"n{index}" for index, (key, _, _) in enumerate(nodes)}
    lines = ["flowchart LR"]
    classes: dict[str, list[str]] = {"input": [], "step": [], "output": []}
    for key, label_lines, kind in nodes:
        label = "<br/>".join(mermaid_label(part) for part in label_lines)
        lines.append(f'    {ids[key]}["{label}"]')
        classes[kind].append(ids[key])
    for start, end, label in edges:
        lines.append(f'    {ids[start]} -->|"{mermaid_label(label)}"| {ids[end]}')
    for kind, style in _CLASSES.items():
        lines.append(f"    classDef {kind} {style}")
    for kind, members in classes.items():
        if members:
            lines.append(f"    class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"
