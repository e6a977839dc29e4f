"""A picture of the computational graph: forward values and backward adjoints on the nodes,
local derivatives on the edges (matplotlib only; no graphviz binary needed).

matplotlib is imported inside the function and the figure is drawn on its own Agg
canvas (no pyplot, no backend switch). Every node and edge label carries a ``gid``
(``node:NAME``, ``edge:ARG->NAME``) so that tests and users can read them back:

>>> import os, tempfile
>>> from derivcheck import explain
>>> from derivcheck.render.graph_plot import plot_graph, texts_by_gid
>>> path = os.path.join(tempfile.mkdtemp(), "graph.png")
>>> figure = plot_graph(explain("(3x+2)^2", 1), path)
>>> labels = texts_by_gid(figure)
>>> labels["node:u"], labels["edge:u->y"]
('u = 3x + 2\\nu = 5\\ndy/du = 10', 'dy/du = 2u = 10')
>>> os.path.getsize(path) > 0
True
"""

from __future__ import annotations

import os
from typing import Any

from derivcheck.messages import check_language, word
from derivcheck.render.layout import reason
from derivcheck.render.printing import number, renderer, show
from derivcheck.render.text import d, name_of

__all__ = [
    "plot_graph",
    "graph_layout",
    "texts_by_gid",
    "step_definition",
    "adjoint_values",
    "edge_label",
]

_COLOURS = {
    "input": ("#e3f2fd", "#1565c0"),
    "step": ("#fff3e0", "#e65100"),
    "output": ("#e8f5e9", "#2e7d32"),
}


def graph_layout(e: Any) -> dict[Any, tuple[int, int]]:
    """Each node -> (layer, row). A step sits one layer right of its deepest argument; an
    input sits just left of its first consumer, below the steps of that layer (so the
    main chain runs along the top row, as in the chapter's computational graph)."""
    used = {arg for s in e.steps for arg in s.local_derivatives}
    inputs = [x for x in e.graph.inputs if x in used or x in e.wrt]
    layer: dict[Any, int] = {x: 0 for x in inputs}
    for s in e.steps:
        layer[s.name] = 1 + max((layer.get(a, 0) for a in s.local_derivatives), default=0)
    for x in inputs:
        consumers = [layer[s.name] for s in e.steps if x in s.local_derivatives]
        layer[x] = max(0, min(consumers) - 1) if consumers else 0
    order = [s.name for s in e.steps] + inputs
    rows: dict[int, int] = {}
    placed: dict[Any, tuple[int, int]] = {}
    for node in order:
        column = layer[node]
        placed[node] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    return placed


def texts_by_gid(figure: Any) -> dict[str, str]:
    """Every text of the figure that has a gid, by gid."""
    return {t.get_gid(): t.get_text() for ax in figure.axes for t in ax.texts if t.get_gid()}


# ---- labels of the computational graph, shared with the Mermaid flowchart ----


def step_definition(e: Any, index: int) -> str:
    """The definition of step ``index`` as a node shows it: the user's own source for a
    program of several assignments, else the parsed formula."""
    if e.program is not None and len(e.program.assignments) > 1:
        return e.program.sources[index]
    return show(e.steps[index].definition)


def adjoint_values(e: Any) -> dict[Any, float | None]:
    """d(output)/d(node) for every node of the backward pass (none where undefined)."""
    if reason(e) is not None:
        return {}
    return {e.output: 1.0, **{line.node: line.value for line in e.backward_lines}}


def edge_label(s: Any, arg: Any, formulas: bool = True, lang: str = "en") -> str:
    """``dy/du = 2u = 10``: the local derivative of step ``s`` by ``arg`` and its value
    (``formulas=False``: ``dy/du = 10``); a value that is not a number says so in ``lang``.
    A graph without a point has no values: ``dy/du = 2u``."""
    undefined = word("render.undefined", lang)
    symbolic = show(s.local_derivatives[arg])
    label = f"{d(s.name, arg, len(s.local_derivatives) > 1)} = "
    if s.local_values is None:
        return label + symbolic
    value = number(s.local_values[arg], undefined=undefined)
    if not formulas:
        return label + value
    return label + symbolic + ("" if value == symbolic else f" = {value}")


def _node_lines(e: Any, node: Any, steps: dict, values: dict, adjoints: dict, lang: str) -> tuple:
    partial = not (e.single and e.program is None)
    undefined = word("render.undefined", lang)
    if node in steps:
        index, s = steps[node]
        lines = [f"{name_of(node)} = {step_definition(e, index)}"]
        lines.append(f"{name_of(node)} = {number(s.value, undefined=undefined)}")
        kind = "output" if s is e.steps[-1] else "step"
    else:
        lines = [f"{name_of(node)} = {number(values[node], undefined=undefined)}"]
        kind = "input"
    if node in adjoints and node != e.output:
        adjoint = number(adjoints[node], undefined=undefined)
        lines.append(f"{d(e.output, node, partial)} = {adjoint}")
    return "\n".join(lines), kind


@renderer
def plot_graph(
    e: Any,
    path: str | os.PathLike[str],
    *,
    dpi: int = 150,
    title: str | bool | None = None,
    fontsize: float = 9.0,
    edge_formulas: bool = True,
    lang: str | None = None,
) -> Any:
    """Draw the explanation's graph to ``path`` (PNG, SVG or PDF by extension); return the Figure.

    Nodes: ``name = definition``, its forward value, and the adjoint
    d(output)/d(node) of the backward pass. Edges: the local derivative of the
    node they enter with respect to the node they leave, with its value
    (``edge_formulas=False``: the value only, for a smaller picture). The figure
    takes the size its labels need. Nothing is computed here: values come from
    the explanation's graph and its backward lines. ``title``: a heading,
    ``None`` for ``output = formula``, ``False`` for none. The labels are formulas and
    numbers; what is not a number says so in ``lang`` (default: the explanation's).
    """
    import matplotlib

    lang = check_language(lang or getattr(e, "lang", "en"))
    from derivcheck.render.plots import _fonts

    with matplotlib.rc_context(_fonts(lang)):
        return _plot_graph(e, path, dpi, title, fontsize, edge_formulas, lang)


def _plot_graph(e, path, dpi, title, fontsize, edge_formulas, lang) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    layout = graph_layout(e)
    values = e.graph.values()
    adjoints = adjoint_values(e)
    steps = {s.name: (index, s) for index, s in enumerate(e.steps)}
    edge_size = fontsize * 0.82

    # 1. Measure every label (in inches) on a scratch canvas.
    scratch = Figure(figsize=(4, 4))
    FigureCanvasAgg(scratch)
    renderer = scratch.canvas.get_renderer()

    def measure(text: str, size: float) -> tuple[float, float]:
        box = scratch.text(0, 0, text, fontsize=size).get_window_extent(renderer)
        return box.width / scratch.dpi, box.height / scratch.dpi

    pad = 0.4 * fontsize / 72 * 2  # the rounded box's padding, both sides
    nodes = {node: _node_lines(e, node, steps, values, adjoints, lang) for node in layout}
    sizes = {}
    for node, (label, _) in nodes.items():
        w, h = measure(label, fontsize)
        sizes[node] = (w + pad, h + pad)
    edges = [
        (arg, s, edge_label(s, arg, edge_formulas, lang))
        for s in e.steps
        for arg in s.local_derivatives
        if arg in layout
    ]
    label_width = {id(edge): measure(edge[2], edge_size)[0] + 0.15 for edge in edges}

    # 2. Columns as wide as their boxes, gaps as wide as the labels that sit in them.
    columns = 1 + max(c for c, _ in layout.values())
    column_width = [
        max((sizes[n][0] for n, (c, _) in layout.items() if c == k), default=0.5)
        for k in range(columns)
    ]
    gaps = [0.6] * columns
    for edge in edges:
        left, right = layout[edge[0]][0], layout[edge[1].name][0]
        if right - left == 1:
            gaps[left] = max(gaps[left], label_width[id(edge)] + 0.3)
    xs, x = [], 0.3
    for k in range(columns):
        xs.append(x + column_width[k] / 2)
        x += column_width[k] + gaps[k]
    total_width = x - gaps[-1] + 0.3
    rows = 1 + max(r for _, r in layout.values())
    row_height = max(h for _, h in sizes.values()) + 0.55
    long_edges = {id(edge) for edge in edges if layout[edge[1].name][0] - layout[edge[0]][0] > 1}
    bulge = 0.5 * row_height  # edges that skip a column arc over the nodes in between
    heading = (0.45 if title is not False else 0.0) + (bulge + 0.1 if long_edges else 0.0)
    total_height = rows * row_height + 0.2 + heading

    # 3. Draw in inches.
    figure = Figure(figsize=(total_width, total_height))
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, total_width)
    ax.set_ylim(-total_height, 0)

    def centre(node: Any) -> tuple[float, float]:
        column, row = layout[node]
        return xs[column], -heading - 0.1 - row_height * (row + 0.5)

    for node, (label, kind) in nodes.items():
        face, edge_colour = _COLOURS[kind]
        cx, cy = centre(node)
        ax.text(
            cx, cy, label, ha="center", va="center", fontsize=fontsize, gid=f"node:{node}",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": face, "edgecolor": edge_colour},
        )  # fmt: skip
    for edge in edges:
        arg, s, label = edge
        (ax0, ay), (bx0, by) = centre(arg), centre(s.name)
        start = (ax0 + sizes[arg][0] / 2, ay)
        end = (bx0 - sizes[s.name][0] / 2, by)
        dx, dy = end[0] - start[0], end[1] - start[1]
        rad, middle = 0.0, ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        if id(edge) in long_edges and dx > 0:
            rad = -2 * bulge / dx  # the arc's middle sits `bulge` above the chord
            middle = (middle[0] - rad / 2 * dy, middle[1] + bulge)
        ax.annotate(
            "", xy=end, xytext=start,
            arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.0, "shrinkA": 0,
                        "shrinkB": 0, "connectionstyle": f"arc3,rad={rad:.4f}"},
        )  # fmt: skip
        ax.text(
            middle[0], middle[1], label, ha="center", va="center",
            fontsize=edge_size, color="#333333", gid=f"edge:{arg}->{s.name}",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                  "alpha": 0.9},
        )  # fmt: skip
    if title is not False:
        text = title if isinstance(title, str) else f"{name_of(e.output)} = {show(e.expr)}"
        ax.text(total_width / 2, -0.25, text, ha="center", va="center", fontsize=fontsize + 1,
                gid="title")  # fmt: skip
    figure.savefig(os.fspath(path), dpi=dpi)
    return figure
