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

from .printing import number, show
from .text import name_of

__all__ = ["plot_graph", "graph_layout", "texts_by_gid"]

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


def _d(top: Any, bottom: Any, partial: bool) -> str:
    mark = "∂" if partial else "d"
    return f"{mark}{name_of(top)}/{mark}{name_of(bottom)}"


def plot_graph(
    e: Any,
    path: str | os.PathLike[str],
    *,
    width: float | None = None,
    height: float | None = None,
    dpi: int = 150,
    title: str | bool | None = None,
) -> Any:
    """Draw the explanation's graph to ``path`` (PNG, SVG or PDF by extension); return the Figure.

    Nodes: ``name = definition``, its forward value, and the adjoint
    d(output)/d(node) of the backward pass. Edges: the local derivative of the
    node they enter with respect to the node they leave, with its value.
    Nothing is computed here: values come from the explanation's graph and its
    backward lines. ``title``: a heading, ``None`` for ``output = formula``,
    ``False`` for none.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    layout = graph_layout(e)
    values = e.graph.values()
    partial = not (e.single and e.program is None)
    adjoints: dict[Any, float | None] = {}
    if e.reason is None:
        adjoints[e.output] = 1.0
        for line in e.backward_lines:
            adjoints[line.node] = line.value
    columns = 1 + max(c for c, _ in layout.values())
    most_rows = max(sum(1 for c, _ in layout.values() if c == k) for k in range(columns))
    figure = Figure(figsize=(width or 3.2 * columns + 1, height or 1.6 * most_rows + 1.2))
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.01, 0.01, 0.98, 0.9 if title is not False else 0.98))
    ax.set_axis_off()
    ax.set_xlim(-0.6, columns - 0.4)
    ax.set_ylim(-most_rows + 0.4, 0.6)

    def centre(node: Any) -> tuple[float, float]:
        column, row = layout[node]
        return float(column), -float(row)

    steps = {s.name: (index, s) for index, s in enumerate(e.steps)}
    boxes = {}
    for node in layout:
        if node in steps:
            index, s = steps[node]
            if e.program is not None and len(e.program.assignments) > 1:
                definition = e.program.sources[index]
            else:
                definition = show(s.definition)
            lines = [f"{name_of(node)} = {definition}", f"{name_of(node)} = {number(s.value)}"]
            kind = "output" if s is e.steps[-1] else "step"
        else:
            lines = [f"{name_of(node)} = {number(values[node])}"]
            kind = "input"
        if node in adjoints and node != e.output:
            lines.append(f"{_d(e.output, node, partial)} = {number(adjoints[node])}")
        face, edge = _COLOURS[kind]
        x, y = centre(node)
        boxes[node] = ax.text(
            x, y, "\n".join(lines), ha="center", va="center", fontsize=9, gid=f"node:{node}",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": face, "edgecolor": edge},
        )  # fmt: skip
    figure.canvas.draw()
    inverse = ax.transData.inverted()
    extents = {}
    for node, label in boxes.items():
        box = label.get_bbox_patch().get_window_extent()
        (x0, y0), (x1, y1) = inverse.transform([(box.x0, box.y0), (box.x1, box.y1)])
        extents[node] = (x0, x1)
    for s in e.steps:
        partial_edge = len(s.local_derivatives) > 1
        for arg, local in s.local_derivatives.items():
            if arg not in layout:  # pragma: no cover - every argument is a node
                continue
            ay, by = centre(arg)[1], centre(s.name)[1]
            start = (extents[arg][1], ay)
            end = (extents[s.name][0], by)
            ax.annotate(
                "", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.0},
            )  # fmt: skip
            symbolic = show(local)
            value = number(s.local_values[arg]) if s.local_values is not None else "undefined"
            label = f"{_d(s.name, arg, partial_edge)} = {symbolic}"
            if value != symbolic:
                label += f" = {value}"
            ax.text(
                (start[0] + end[0]) / 2, (start[1] + end[1]) / 2, label, ha="center",
                va="center", fontsize=7.5, color="#333333", gid=f"edge:{arg}->{s.name}",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.85},
            )  # fmt: skip
    if title is not False:
        heading = title if isinstance(title, str) else f"{name_of(e.output)} = {show(e.expr)}"
        figure.suptitle(heading, fontsize=10)
    figure.savefig(os.fspath(path), dpi=dpi)
    return figure
