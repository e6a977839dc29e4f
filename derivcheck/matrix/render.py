r"""A :class:`~derivcheck.matrix.checker.BackpropReport` as text, Markdown or LaTeX.

The renderers read the report and compute nothing: each line with ✓ or ✗, its formula
(as written in text, as matrices in Markdown and LaTeX: ``\mathrm{d}W_{1} =
\mathrm{d}Z_{1} X^{\top}``), its shape in dimension names and its message, in English or
Chinese.
"""

from __future__ import annotations

from typing import Any

from derivcheck.matrix.expr import Expr, number_text, walk
from derivcheck.matrix.shapes import Shape, ShapeError, _rule, shape_words
from derivcheck.messages import Message, display_width, text

__all__ = ["report_text", "report_markdown", "report_latex", "formula_latex", "MARKS"]

MARKS = {"ok": "✓", "shape": "✗", "wrong": "✗", "unchecked": "?"}


def _words(value: Any, lang: str) -> str:
    return value.to_text(lang) if isinstance(value, Message) else str(value)


def _shape_cell(line, lang: str) -> str:
    shape = line.expected_shape if line.of is not None else line.shape
    return "" if shape is None else _words(shape_words(shape), lang)


def _header(report, lang: str) -> list[Message]:
    """The lines under the title: convention, sizes, kinks, notes, problems."""
    sizes = []
    for sizes_, draws in zip(report.sizes, report.draws):
        shown = ", ".join(f"{name} = {size}" for name, size in sizes_.items())
        sizes.append(
            Message(
                "matrix.report.size_set",
                sizes=shown or Message("matrix.report.scalars"),
                draws=draws,
            )
        )
    both = (
        sizes[0]
        if len(sizes) == 1
        else Message("matrix.report.and", first=sizes[0], second=sizes[1])
    )
    found = [
        Message("matrix.report.convention", loss=report.program.loss),
        Message("matrix.report.shapes", sizes=both),
        Message("matrix.report.values"),
    ]
    if report.kink_distance is not None:
        found.append(
            Message("matrix.report.kinks", distance=report.kink_distance, margin=report.kink_margin)
        )
    return [*found, *report.notes, *report.problems]


# ------------------------------------------------------------------------------ text


def report_text(report, lang: str = "en") -> str:
    """The report as plain text: a summary, how it was checked, then one row per line.

    >>> from derivcheck.matrix import check_backprop
    >>> print(check_backprop("x: scalar\\nL = x**2\\ndx = x").to_text())  # doctest: +ELLIPSIS
    Backward pass checked: the gradient formula dx is wrong
    ...
    ✗ dx = x  scalar  wrong: ∂L/∂x is ...; off by a factor of 2 (half of it): dx = 2 * x
    """
    title = text("matrix.report.title", lang)
    colon = "：" if lang == "zh" else ": "
    lines = [f"{title}{colon}{report.summary(lang)}"]
    lines += [f"  {m.to_text(lang)}" for m in _header(report, lang)]
    lines.append("")
    rows = [
        (
            MARKS[line.status],
            f"{line.name} = {line.formula}",
            _shape_cell(line, lang),
            _sentence(line.message, lang),
        )
        for line in report.lines
    ]
    width = max((display_width(r[1]) for r in rows), default=0)
    shape_width = max((display_width(r[2]) for r in rows), default=0)
    for mark, formula, shape, message in rows:
        pad = " " * (width - display_width(formula))
        shape_pad = " " * (shape_width - display_width(shape))
        lines.append(f"{mark} {formula}{pad}  {shape}{shape_pad}  {message}".rstrip())
    return "\n".join(lines)


def _sentence(message: Message, lang: str) -> str:
    return message.to_text(lang)


# ------------------------------------------------------------------------------ formulas


def _names(report) -> dict[str, str]:
    """Gradient names -> what they are the gradient of."""
    return {line.name: line.of for line in report.lines if line.of is not None}


def _node_shapes(expr: Expr, shapes) -> dict[int, Shape]:
    known: dict[int, Shape] = {}
    for node in reversed([n for _, n in walk(expr)]):
        if all(id(a) in known for a in node.args):
            try:
                known[id(node)] = Shape(_rule(node, [known[id(a)] for a in node.args], shapes, ""))
            except ShapeError:
                pass
    return known


def _name_latex(name: str, gradients: dict[str, str]) -> str:
    from derivcheck.render.latex import latex_name

    if name in gradients:
        return r"\mathrm{d}" + latex_name(gradients[name])
    return latex_name(name)


#: How tightly a typeset operation binds (a fraction, a mask, a call are whole already).
_LATEX_PRECEDENCE = {"add": 2, "sub": 2, "mul": 3, "matmul": 3, "sum": 3, "neg": 4}


def formula_latex(expr: Expr, shapes, gradients: dict[str, str] | None = None) -> str:
    r"""A formula typeset as matrices: ``@`` is juxtaposition, ``*`` of two matrices ``\odot``,
    ``.T`` ``^{\top}``, a sum over an axis ``\sum`` over that axis's dimension.

    >>> from derivcheck.matrix.reader import read_matrix_program
    >>> p = read_matrix_program("X: D×N, W: H×D\nZ = W @ X\nL = sum(Z)\ndZ = 1 + 0*Z\n"
    ...                         "db = sum(dZ * Z, axis=1, keepdims=True)")
    >>> shapes = {"X": ("D", "N"), "W": ("H", "D"), "Z": ("H", "N"), "dZ": ("H", "N")}
    >>> formula_latex(p.backward[1].assignment.expr, shapes, {"dZ": "Z"})
    '\\sum_{N} \\mathrm{d}Z \\odot Z'
    """
    from derivcheck.calculus.catalogue import by_key
    from derivcheck.render.latex import latex_name

    gradients = gradients or {}
    node_shapes = _node_shapes(expr, shapes)

    def scalar(node: Expr) -> bool:
        shape = node_shapes.get(id(node))
        return shape is not None and shape.rank == 0

    def show(node: Expr, context: int = 0) -> str:
        shown = build(node)
        level = _LATEX_PRECEDENCE.get(node.op, 6)
        return rf"\left({shown}\right)" if level < context else shown

    def build(node: Expr) -> str:
        op, args = node.op, node.args
        if op == "name":
            return _name_latex(node.value, gradients)
        if op == "let":
            return latex_name(node.value)
        if op == "num":
            return number_text(node.value)
        if op == "shape":
            shape = node_shapes.get(id(args[0]))
            if shape is not None and -shape.rank <= node.value < shape.rank:
                dim = shape[node.value]
                return str(dim) if isinstance(dim, int) else latex_name(dim)
            return rf"\operatorname{{size}}_{{{node.value}}}\left({show(args[0])}\right)"
        if op in ("add", "sub"):
            sign = "+" if op == "add" else "-"
            return f"{show(args[0], 2)} {sign} {show(args[1], 3)}"
        if op == "mul":
            if scalar(args[0]) or scalar(args[1]):
                left, right = show(args[0], 3), show(args[1], 4)
                joint = r" \cdot " if right[:1].isdigit() else r" \, "
                return left + joint + right
            return rf"{show(args[0], 3)} \odot {show(args[1], 4)}"
        if op == "matmul":
            return rf"{show(args[0], 3)} \, {show(args[1], 4)}"
        if op == "div":
            return rf"\frac{{{show(args[0])}}}{{{show(args[1])}}}"
        if op == "neg":
            return f"-{show(args[0], 4)}"
        if op == "pow":
            exponent = number_text(node.value)
            power = exponent if scalar(args[0]) else rf"\odot {exponent}"
            return f"{show(args[0], 6)}^{{{power}}}"
        if op == "T":
            return rf"{show(args[0], 6)}^{{\top}}"
        if op in ("sum", "mean"):
            axis, _ = node.value
            shape = node_shapes.get(id(args[0]))
            under = ""
            if axis is not None and shape is not None and -shape.rank <= axis < shape.rank:
                dim = shape[axis]
                under = f"_{{{dim if isinstance(dim, int) else latex_name(dim)}}}"
            if op == "sum":
                return rf"\sum{under} {show(args[0], 3)}"
            return rf"\operatorname{{mean}}{under}\left({show(args[0])}\right)"
        if op == "fn":
            return rf"{by_key(node.value).latex}\left({show(args[0])}\right)"
        if op == "softmax":
            return rf"\operatorname{{softmax}}\left({show(args[0])}\right)"
        if op == "xent":
            return rf"\operatorname{{CE}}\left({show(args[0])}, {show(args[1])}\right)"
        if op == "cmp":
            relation = {">": ">", ">=": r"\geq", "<": "<", "<=": r"\leq"}[node.value]
            return rf"\mathbf{{1}}\left[{show(args[0])} {relation} {show(args[1])}\right]"
        if op == "where":
            parts = ", ".join(show(a) for a in args)
            return rf"\operatorname{{where}}\left({parts}\right)"
        raise ValueError(f"unknown operation {op!r}")  # pragma: no cover - a bug of ours

    return show(expr)


def _line_latex(report, line) -> str:
    assignment = report.program.assignment(line.name)
    gradients = _names(report)
    lhs = _name_latex(line.name, gradients)
    shapes = dict(report.shapes)
    return f"{lhs} = {formula_latex(assignment.expr, shapes, gradients)}"


def _shape_latex(line) -> str:
    from derivcheck.render.latex import latex_name

    shape = line.expected_shape if line.of is not None else line.shape
    if shape is None:
        return ""
    if len(shape) == 0:
        return r"\in \mathbb{R}"
    dims = r" \times ".join(str(d) if isinstance(d, int) else latex_name(d) for d in shape)
    return rf"\in \mathbb{{R}}^{{{dims}}}"


# ------------------------------------------------------------------------------ Markdown


def report_markdown(report, lang: str = "en") -> str:
    r"""The report as Markdown: a summary, a table of the lines (formulas in ``$…$``), notes.

    >>> from derivcheck.matrix import check_backprop
    >>> md = check_backprop("x: scalar\nL = x**2\ndx = 2*x").to_markdown()
    >>> "| ✓ | $\\mathrm{d}x = 2 \\cdot x$ |" in md or "| ✓ | $\\mathrm{d}x = 2 \\, x$ |" in md
    True
    """
    from derivcheck.render.markdown import md_text

    title = text("matrix.report.title", lang)
    lines = [f"**{md_text(title)}**: {md_text(report.summary(lang))}", ""]
    lines += [f"- {md_text(m.to_text(lang))}" for m in _header(report, lang)]
    lines.append("")
    header = [
        "",
        text("matrix.col.formula", lang),
        text("matrix.col.shape", lang),
        text("matrix.col.verdict", lang),
    ]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|---|---|---|---|")
    for line in report.lines:
        shape = _shape_latex(line)
        cells = [
            MARKS[line.status],
            f"${_line_latex(report, line)}$",
            f"${shape}$" if shape else "",
            md_text(_sentence(line.message, lang)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(md_text(text("matrix.legend", lang)))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ LaTeX

_TEXT_SYMBOLS = {
    "⊙": r"$\odot$",
    "′": "'",
    "✓": r"$\checkmark$",
    "✗": r"$\times$",
    "ᵀ": r"$^{\top}$",
    "⊤": r"$^{\top}$",
    "⁻": "-",
}


def _tex(value: str, lang: str) -> str:
    from derivcheck.render.latex import tex_text

    return "".join(
        _TEXT_SYMBOLS[ch] if ch in _TEXT_SYMBOLS else tex_text(ch, unicode_ok=lang == "zh")
        for ch in value
    )


def report_latex(report, lang: str = "en", standalone: bool = False) -> str:
    r"""The report as LaTeX: an ``align*`` of the formulas with ✓ (``\checkmark``) and ✗
    (``\times``), then what was wrong, line by line. ``standalone`` makes a whole document
    (pdflatex; ``lang="zh"`` needs xelatex and ctex).

    >>> from derivcheck.matrix import check_backprop
    >>> tex = check_backprop("x: scalar\nL = x**2\ndx = 2*x").to_latex()
    >>> tex.splitlines()[0], r"\checkmark" in tex
    ('\\begin{align*}', True)
    """
    from derivcheck.render.latex import latex_document

    rows = []
    for line in report.lines:
        mark = r"\checkmark" if line.status == "ok" else r"\times"
        if line.status == "unchecked":
            mark = "?"
        shape = _shape_latex(line)
        rows.append(f"{_line_latex(report, line).replace(' = ', ' &= ', 1)} && {shape} && {mark}")
    body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"
    notes = [_tex(m.to_text(lang), lang) for m in _header(report, lang)]
    gradients = _names(report)
    wrong = [
        rf"\item ${_name_latex(line.name, gradients)}$: {_tex(_sentence(line.message, lang), lang)}"
        for line in report.lines
        if line.status != "ok"
    ]
    summary = _tex(report.summary(lang), lang)
    if wrong:
        body += "\\begin{itemize}\n" + "\n".join(wrong) + "\n\\end{itemize}\n"
    if not standalone:
        return body
    title = ((False, text("matrix.report.title", lang)),)
    paragraphs = summary + "\n\n" + "\n\n".join(notes) + "\n\n"
    return latex_document(paragraphs + body, lang, title)
