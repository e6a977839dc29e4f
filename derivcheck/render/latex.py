r"""An :class:`~derivcheck.Explanation` as LaTeX: an ``align*`` derivation, or a whole document.

The renderer reads the explanation and computes nothing itself; ``style="rules"``
reads the rule-by-rule :class:`~derivcheck.calculus.derivation.Derivation` instead of the
chain-rule graph. :func:`explanation_sections` is the shared layout (sections of
equation rows with notes) that the Markdown renderer reuses.

>>> from derivcheck import explain
>>> tex = explain("(3x+2)^2", 1).to_latex()
>>> print(tex.splitlines()[0])
\begin{align*}
>>> r"\frac{dy}{dx} &= \frac{dy}{du} \cdot \frac{du}{dx} = 2 u \cdot 3 = 10 \cdot 3 = 30" in tex
True
>>> doc = explain("(3x+2)^2", 1).to_latex(standalone=True)
>>> doc.startswith(r"\documentclass"), doc.rstrip().endswith(r"\end{document}")
(True, True)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter, tex_greek_dictionary

from derivcheck.calculus.catalogue import FunctionRecord
from derivcheck.errors import DerivcheckError
from derivcheck.messages import check_language, rule_name, translate, word
from derivcheck.render.printing import number
from derivcheck.render.text import method_name

__all__ = [
    "explanation_to_latex",
    "explanation_sections",
    "derivation_sections",
    "rule_sections",
    "explanation_title",
    "update_section",
    "update_to_latex",
    "latex_document",
    "sections_to_align",
    "sections_to_body",
    "join_rhs",
    "row_lines",
    "visible_width",
    "compile_latex",
    "latex_engine",
    "LatexError",
    "Row",
    "Section",
    "Text",
    "latex_expr",
    "latex_name",
    "latex_number",
    "tex_text",
    "source_to_latex",
    "WORDS",
    "phrase",
    "paragraph_text",
    "derivative_latex",
]

_WIDE = 15  # significant digits for final results, as in the text renderer

#: Words this renderer adds to :mod:`derivcheck.messages` (the Markdown renderer uses them too).
WORDS: dict[str, dict[str, str]] = {
    "rule_by_rule": {"en": "Rule by rule", "zh": "逐条法则求导"},
    "rules_used": {"en": "Rules used", "zh": "用到的法则"},
    "undefined_here": {"en": "Undefined here", "zh": "此处无定义"},
    "result": {"en": "Result", "zh": "结果"},
    "with": {"en": "with", "zh": "其中"},
    "checked_exact": {
        "en": "Every step above was checked against sympy.diff before it was printed.",
        "zh": "以上每一步在输出前都已用 sympy.diff 验证。",
    },
    "checked_numeric": {
        "en": "SymPy could not simplify the difference for {count} of them; "
        "those agree with sympy.diff to 25 digits at several points instead.",
        "zh": "其中 {count} 步 SymPy 无法化简差值，"
        "改为在多个点上与 sympy.diff 比较，25 位有效数字一致。",
    },
    "computational_graph": {"en": "Computational graph", "zh": "计算图"},
    "graph_caption": {
        "en": "Nodes show forward values; edges show local derivatives.",
        "zh": "节点上是前向传播的值，边上是局部导数。",
    },
    "graph_caption_adjoint": {
        "en": "Nodes show forward values and the gradient of {output} (backward pass); "
        "edges show local derivatives.",
        "zh": "节点上是前向传播的值和 {output} 的梯度（反向传播），边上是局部导数。",
    },
    "solutions": {"en": "Solutions", "zh": "参考答案"},
    "exercise": {"en": "Exercise", "zh": "练习"},
    "row_problem": {"en": "could not be solved: {reason}", "zh": "无法求解：{reason}"},
}


def _comma(lang: str) -> str:
    return "，" if lang == "zh" else ", "


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def phrase(key: str, lang: str = "en", **values: object) -> str:
    """A phrase of :data:`WORDS` in ``lang``, with ``{placeholders}`` filled."""
    return translate(WORDS, key, lang, **values)


# --------------------------------------------------------------------------------------
# Layout shared by the LaTeX and Markdown renderers
# --------------------------------------------------------------------------------------

#: Text with math inside: (is_math, content) pieces; content is plain text or LaTeX math.
Text = tuple[tuple[bool, str], ...]


def text(*pieces: str | tuple[bool, str]) -> Text:
    """Plain strings are text; ``(True, "x^{2}")`` is math."""
    return tuple(p if isinstance(p, tuple) else (False, p) for p in pieces if p)


def math_(latex: str) -> tuple[bool, str]:
    """A piece of :data:`Text` that is LaTeX math."""
    return (True, latex)


def template(sentence: str, **math_values: str) -> Text:
    """A translated sentence whose ``{placeholders}`` are LaTeX math."""
    marks = {key: f"\x00{key}\x00" for key in math_values}
    filled = sentence.format(**marks)
    pieces: list[tuple[bool, str]] = []
    for i, part in enumerate(filled.split("\x00")):
        if i % 2 == 1:
            pieces.append((True, math_values[part]))
        elif part:
            pieces.append((False, part))
    return tuple(pieces)


@dataclass(frozen=True)
class Row:
    """One line of an ``align*``: ``lhs relation rhs[0] = rhs[1] = …`` and a note on the right."""

    lhs: str
    rhs: tuple[str, ...] = ()
    note: Text = ()
    relation: str = "="


@dataclass(frozen=True)
class Section:
    """A titled group of rows, followed by sentences (plain text with math)."""

    title: Text
    rows: tuple[Row, ...] = ()
    sentences: tuple[Text, ...] = ()


# --------------------------------------------------------------------------------------
# Names, numbers, expressions
# --------------------------------------------------------------------------------------

_GREEK = {name: tex for name, tex in tex_greek_dictionary.items()}
_GREEK.update({g: "\\" + g for g in (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
    "omega",
)})  # fmt: skip


def _base(name: str) -> str:
    if name in _GREEK:
        return _GREEK[name]
    if len(name) == 1:
        return name
    return r"\mathrm{" + name + "}"


def latex_name(name: str) -> str:
    r"""A variable name typeset: ``w1`` → ``w_{1}``, ``target`` → ``\\mathrm{target}``.

    >>> [latex_name(n) for n in ("z1", "w_1", "L", "theta2", "target", "b_out")]
    ['z_{1}', 'w_{1}', 'L', '\\theta_{2}', '\\mathrm{target}', 'b_{\\mathrm{out}}']
    """
    match = re.fullmatch(r"([A-Za-z]+?)_?(\d+)", name)
    if match:
        return f"{_base(match[1])}_{{{match[2]}}}"
    if re.fullmatch(r"[A-Za-z]+", name):
        return _base(name)
    head, _, tail = name.partition("_")
    if re.fullmatch(r"[A-Za-z]+", head) and re.fullmatch(r"[A-Za-z0-9]+", tail):
        return f"{_base(head)}_{{{tail if tail.isdigit() else _base(tail)}}}"
    return r"\mathrm{" + tex_text(name) + "}"


def latex_number(value: float | None, digits: int = 6) -> str:
    r"""``number()`` in LaTeX: ``1e-14`` → ``1 \\times 10^{-14}``, nan → ``\\text{undefined}``.

    >>> latex_number(-2.4859999999999998), latex_number(9.1e-14, 2), latex_number(float("inf"))
    ('-2.486', '9.1 \\times 10^{-14}', '\\infty')
    """
    shown = number(value, digits)
    if shown == "undefined":
        return r"\text{undefined}"
    if shown in ("∞", "-∞"):
        return shown.replace("∞", r"\infty")
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        return f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return shown


class _Printer(LatexPrinter):
    """SymPy's LaTeX printer with the chapter's conventions: ln, relu', positive terms first,
    typeset names, and optionally numbers in place of names (negative ones bracketed)."""

    def __init__(self, values: dict | None = None, digits: int = 6):
        settings: dict[str, Any] = {"ln_notation": True}
        if values:
            settings["mul_symbol"] = "dot"
        super().__init__(settings)
        self.values = values or {}
        self.digits = digits
        self.leading = False

    def doprint(self, expr: Any) -> str:
        self.leading = isinstance(expr, sympy.Symbol)
        return super().doprint(expr)

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        if expr in self.values:
            shown = latex_number(self.values[expr], self.digits)
            leading, self.leading = self.leading, False
            return rf"\left({shown}\right)" if shown.startswith("-") and not leading else shown
        return latex_name(expr.name)

    def _print_Add(self, expr: sympy.Expr, order: str | None = None) -> str:
        terms = list(self._as_ordered_terms(expr, order=order))
        terms = [t for t in terms if not t.could_extract_minus_sign()] + [
            t for t in terms if t.could_extract_minus_sign()
        ]
        tex = ""
        for i, term in enumerate(terms):
            if i and term.could_extract_minus_sign():
                tex += " - "
                term = -term
            elif i:
                tex += " + "
            self.leading = i == 0 and isinstance(term, sympy.Symbol)
            term_tex = self._print(term)
            self.leading = False
            if self._needs_add_brackets(term):
                term_tex = rf"\left({term_tex}\right)"
            tex += term_tex
        return tex

    def _print_Float(self, expr: sympy.Float) -> str:
        return latex_number(float(expr), self.digits)

    def _print_Heaviside(self, expr: sympy.Expr, exp: str | None = None) -> str:
        inner = self._print(expr.args[0])
        if len(expr.args) > 1 and expr.args[1] == 0:
            tex = rf"\operatorname{{relu}}'\left({inner}\right)"
        else:
            tex = rf"H\left({inner}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_sign(self, expr: sympy.Expr, exp: str | None = None) -> str:
        tex = rf"\operatorname{{sgn}}\left({self._print(expr.args[0])}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex


def latex_expr(expr: Any, values: dict | None = None, digits: int = 6) -> str:
    r"""A SymPy expression in LaTeX; sums have common factors pulled out (``6 (3x + 2)``).

    >>> from derivcheck import parse
    >>> latex_expr(parse("18x + 12")), latex_expr(parse("2y - 2target"))
    ('6 \\left(3 x + 2\\right)', '2 \\left(y - \\mathrm{target}\\right)')
    """
    if isinstance(expr, int):
        expr = sympy.Integer(expr)
    if not values and expr.is_Add:
        expr = sympy.factor_terms(expr)
    return _Printer(values, digits).doprint(expr)


_UNICODE_MATH = {
    "≥": r"\geq", "≤": r"\leq", "≠": r"\neq", "≈": r"\approx", "·": r"\cdot", "×": r"\times",
    "→": r"\to", "∞": r"\infty", "√": r"\surd", "±": r"\pm", "∂": r"\partial", "²": "^{2}",
    "³": "^{3}", "∈": r"\in", "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta",
    "ε": r"\varepsilon", "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "π": r"\pi",
    "σ": r"\sigma", "τ": r"\tau", "φ": r"\varphi", "ω": r"\omega", "Δ": r"\Delta",
}  # fmt: skip
_UNICODE_TEXT = {"−": "-", "–": "--", "—": "---", "…": r"\ldots{}", "’": "'", "‘": "`",
                 "“": "``", "”": "''", "\u00a0": "~"}  # fmt: skip
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
            "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}",
            ">": r"\textgreater{}", "|": r"\textbar{}"}  # fmt: skip


def tex_text(value: str, unicode_ok: bool = False) -> str:
    r"""Plain text made safe for LaTeX text mode (specials escaped, symbols as math).

    Other non-ASCII characters are kept when ``unicode_ok`` (xelatex with ctex),
    else replaced by ``?`` so that pdflatex never fails on them. Line breaks and
    other control characters become spaces: a blank line would end a paragraph
    inside a heading.

    >>> tex_text("50% of x_1 ≥ 2 → ok")
    '50\\% of x\\_1 $\\geq$ 2 $\\to$ ok'
    """
    out = []
    for ch in value:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _UNICODE_MATH:
            out.append(f"${_UNICODE_MATH[ch]}$")
        elif ch in _UNICODE_TEXT:
            out.append(_UNICODE_TEXT[ch])
        elif not ch.isprintable():
            out.append(" ")
        else:
            out.append(ch if ord(ch) < 128 or unicode_ok else "?")
    return "".join(out)


# ---- the user's own source text, typeset (forward pass of programs) ----

_TOKEN = re.compile(
    r"\s+|\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\*\*|[-+*/^(),]"
)
_SOURCE_FUNCTIONS = {
    "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "sec": r"\sec", "csc": r"\csc",
    "cot": r"\cot", "sinh": r"\sinh", "cosh": r"\cosh", "tanh": r"\tanh", "exp": r"\exp",
    "ln": r"\ln", "log": r"\ln", "lg": r"\lg", "arcsin": r"\arcsin", "asin": r"\arcsin",
    "arccos": r"\arccos", "acos": r"\arccos", "arctan": r"\arctan", "atan": r"\arctan",
    "max": r"\max", "min": r"\min", "relu": r"\operatorname{relu}", "sigmoid": r"\sigma",
    "log10": r"\log_{10}", "log2": r"\log_{2}",
}  # fmt: skip


def source_to_latex(
    source: str, spans: tuple[tuple[int, int, str], ...], values: dict[str, float] | None = None
) -> str | None:
    r"""The user's right-hand side as they wrote it, typeset; ``None`` when it uses syntax
    beyond plain ASCII formulas (the caller then prints the parsed expression instead).

    With ``values``, every name is replaced by its number, as in the chapter's
    ``z1 = w1*x + b1 = 0.5*2 + 0.1``.

    >>> source_to_latex("w1*x + b1", ((0, 2, "w1"), (3, 4, "x"), (7, 9, "b1")))
    'w_{1} \\cdot x + b_{1}'
    >>> source_to_latex("(y - target)^2", ((1, 2, "y"), (5, 11, "target")),
    ...                 {"y": -0.13, "target": 1.0})
    '\\left(-0.13 - 1\\right)^{2}'
    """
    names = {start: (end, name) for start, end, name in spans}
    tokens: list[tuple[int, str]] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            return None
        if not match.group().isspace():
            tokens.append((position, match.group()))
        position = match.end()
    index = 0

    def atom() -> str | None:
        """One operand after ^: a number, a name, or a bracketed group (brackets dropped)."""
        nonlocal index
        if index >= len(tokens):
            return None
        start, token = tokens[index]
        if token == "(":
            depth, end = 0, index
            while end < len(tokens):
                depth += {"(": 1, ")": -1}.get(tokens[end][1], 0)
                if depth == 0:
                    break
                end += 1
            inner = translate(index + 1, end)
            index = end + 1
            return inner
        if token == "-":
            index += 1
            rest = atom()
            return None if rest is None else "-" + rest
        index += 1
        return word_(start, token, None)

    def word_(start: int, token: str, following: str | None) -> str | None:
        if start in names:
            name = names[start][1]
            if values is not None and name in values:
                shown = latex_number(values[name])
                before = source[:start].rstrip()
                if shown.startswith("-") and (
                    (before and before[-1] not in "(=,") or following in ("^", "**")
                ):
                    shown = rf"\left({shown}\right)"
                return shown
            return latex_name(name)
        if token[0].isdigit() or token[0] == ".":
            return latex_number(float(token), 15) if "e" in token.lower() else token
        if token == "pi":
            return r"\pi"
        if token == "e":
            return "e"
        return None

    def translate(start: int, stop: int) -> str | None:
        nonlocal index
        index = start
        pieces: list[str] = []
        while index < stop:
            position_, token = tokens[index]
            following = tokens[index + 1][1] if index + 1 < len(tokens) else None
            if token in ("^", "**"):
                index += 1
                exponent = atom()
                if exponent is None:
                    return None
                pieces.append(f"^{{{exponent}}}")
                continue
            if token == "*":
                pieces.append(r" \cdot ")
            elif token in "+-" and pieces and not pieces[-1].endswith(("(", " ")):
                pieces.append(f" {token} ")
            elif token in "+-":
                pieces.append(token)
            elif token == "/":
                pieces.append(" / ")
            elif token == ",":
                pieces.append(", ")
            elif token == "(":
                depth, end = 0, index
                while end < stop:
                    depth += {"(": 1, ")": -1}.get(tokens[end][1], 0)
                    if depth == 0:
                        break
                    end += 1
                if end >= stop:
                    return None
                saved = index
                inner = translate(saved + 1, end)
                if inner is None:
                    return None
                function = pieces[-1] if pieces and pieces[-1].startswith("\x00") else None
                if function == "\x00sqrt":
                    pieces[-1] = rf"\sqrt{{{inner}}}"
                elif function == "\x00abs":
                    pieces[-1] = rf"\left|{inner}\right|"
                elif function is not None:
                    pieces[-1] = _SOURCE_FUNCTIONS[function[1:]] + rf"\left({inner}\right)"
                else:
                    pieces.append(rf"\left({inner}\right)")
                index = end + 1
                continue
            elif token == ")":
                return None
            elif token in _SOURCE_FUNCTIONS or token in ("sqrt", "abs"):
                if position_ in names:
                    pieces.append(latex_name(names[position_][1]))
                elif following != "(":
                    return None
                else:
                    pieces.append("\x00" + token)
            else:
                shown = word_(position_, token, following)
                if shown is None:
                    return None
                juxtaposed = pieces and not pieces[-1].endswith((" ", "(", "-", "+"))
                if juxtaposed and values is not None:
                    pieces.append(r" \cdot ")  # 3x at x = 1 is 3·1, not 31
                elif juxtaposed and (shown[0].isalnum() or shown[0] == "\\"):
                    pieces.append(" ")
                pieces.append(shown)
            index += 1
        joined = "".join(pieces)
        return None if "\x00" in joined else joined.strip()

    return translate(0, len(tokens))


# --------------------------------------------------------------------------------------
# Pieces of the derivation
# --------------------------------------------------------------------------------------


def _d(top: sympy.Symbol, bottom: sympy.Symbol, partial: bool = False) -> str:
    mark = r"\partial " if partial else "d"
    return rf"\frac{{{mark}{latex_name(top.name)}}}{{{mark}{latex_name(bottom.name)}}}"


def _factor(tex: str) -> str:
    """Bracket a sum or a negative number inside a product."""
    if tex.startswith("-") or " + " in tex or " - " in tex:
        return rf"\left({tex}\right)"
    return tex


def _exact_point_value(value: sympy.Expr) -> str:
    r"""1/2 → 0.5 and 1/3 → \\frac{1}{3}: decimals only where they are exact."""
    if value.is_Rational:
        q = int(value.q)
        while q % 2 == 0:
            q //= 2
        while q % 5 == 0:
            q //= 5
        if q == 1:
            return latex_number(float(value), _WIDE)
    if value.is_Float:
        return latex_number(float(value), _WIDE)
    return latex_expr(value)


def _point_math(e: Any) -> str:
    return ",\\ ".join(
        f"{latex_name(k.name)} = {_exact_point_value(v)}" for k, v in e.point.items()
    )


def explanation_title(e: Any, lang: str = "en") -> Text:
    """'Derivative of y = … at x = …' (or 'Gradient of …'), with the math as LaTeX."""
    if e.single:
        expression = f"{latex_name(e.output.name)} = {latex_expr(e.expr)}"
        return template(word("derivative_of", lang, expr="{expr}", point="{point}"),
                        expr=expression, point=_point_math(e))  # fmt: skip
    return template(word("gradient_of", lang, output="{output}", point="{point}"),
                    output=latex_name(e.output.name), point=_point_math(e))  # fmt: skip


def _forward_section(e: Any, lang: str) -> Section:
    key = "forward_pass" if e.program is not None else "intermediate_variables"
    values = e.graph.values()
    by_name = {k.name: v for k, v in values.items()}
    rows = []
    for index, s in enumerate(e.steps):
        last = s is e.steps[-1]
        symbolic = latex_expr(s.definition)
        substituted = (
            latex_expr(s.definition, values=values) if s.definition.free_symbols else symbolic
        )
        if e.program is not None and len(e.program.assignments) > 1:
            source = e.program.sources[index]
            spans = e.program.name_spans[index]
            own = source_to_latex(source, spans)
            own_values = source_to_latex(source, spans, by_name)
            if own is not None and own_values is not None:
                symbolic, substituted = own, own_values
        value = latex_number(s.value, _WIDE if last else 6)
        rhs = [symbolic]
        if substituted != symbolic:
            rhs.append(substituted)
        if value != rhs[-1]:
            rhs.append(value)
        rows.append(Row(latex_name(s.name.name), tuple(rhs)))
    return Section(text(word(key, lang)), tuple(rows))


def _local_section(e: Any, lang: str) -> Section:
    rows = []
    for s in e.steps:
        partial = len(s.local_derivatives) > 1
        for arg, local in s.local_derivatives.items():
            symbolic = latex_expr(local)
            value = latex_number(s.local_values[arg])
            rhs = (symbolic,) if value == symbolic else (symbolic, value)
            rows.append(Row(_d(s.name, arg, partial), rhs, text(rule_name(s.rule, lang))))
    return Section(text(word("local_derivatives", lang)), tuple(rows))


def _chain_section(e: Any, lang: str) -> Section:
    v = e.variable
    final = latex_number(e.value, _WIDE)
    rows = []
    if e.is_chain:
        chain = [(s, s.arguments[0]) for s in reversed(e.steps)]
        names = r" \cdot ".join(_d(s.name, a) for s, a in chain)
        symbolic = r" \cdot ".join(_factor(latex_expr(s.local_derivatives[a])) for s, a in chain)
        numeric = r" \cdot ".join(_factor(latex_number(s.local_values[a])) for s, a in chain)
        parts = [names, symbolic, numeric, final]
        parts = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]
        if parts[0] == _d(e.output, v):
            parts = parts[1:]
        rows.append(Row(_d(e.output, v), tuple(parts)))
        title = word("chain_rule", lang)
    else:
        for line in e.forward_lines:
            step = e.graph.step(line.node)
            partial = len(step.local_derivatives) > 1
            names, numbers_ = [], []
            for arg, _local, local_value, tangent in line.terms:
                if arg == v:
                    names.append(_d(line.node, arg, partial))
                    numbers_.append(_factor(latex_number(local_value)))
                else:
                    names.append(f"{_d(line.node, arg, partial)} \\cdot {_d(arg, v)}")
                    numbers_.append(
                        f"{_factor(latex_number(local_value))} \\cdot "
                        f"{_factor(latex_number(tangent))}"
                    )
            value = latex_number(line.value, _WIDE if line.node == e.output else 6)
            lhs = _d(line.node, v)
            parts = []
            if names and names != [lhs]:
                parts.append(" + ".join(names))
                if len(numbers_) > 1 or r"\cdot" in numbers_[0]:
                    parts.append(" + ".join(numbers_))
            parts.append(value)
            rows.append(Row(lhs, tuple(parts)))
        title = word("forward_accumulation", lang)
    return Section(text(title), tuple(rows))


def _exact_section(e: Any, lang: str) -> Section:
    v = e.variable
    final = latex_number(e.value, _WIDE)
    point = f"{latex_name(v.name)} = {_exact_point_value(e.point[v])}"
    at = rf"\left.{_d(e.output, v)}\right|_{{{point}}}"
    rows = (
        Row(_d(e.output, v), (latex_expr(e.derivative),)),
        Row(at, (final,)),
    )
    return Section(text(word("exact_derivative", lang)), rows)


def _backward_section(e: Any, lang: str) -> Section:
    out = e.output
    rows = []
    for line in e.backward_lines:
        names, numeric = [], []
        for consumer, adjoint, local, local_value in line.terms:
            local_tex = latex_expr(local)
            if consumer == out:
                names.append(local_tex)
                numeric.append(_factor(latex_number(local_value)))
            else:
                names.append(f"{_d(out, consumer, True)} \\cdot {_factor(local_tex)}")
                first = latex_number(adjoint)
                numeric.append(
                    f"{first if len(line.terms) == 1 else _factor(first)} \\cdot "
                    f"{_factor(latex_number(local_value))}"
                )
        parts = [" + ".join(names)]
        numbers_text = " + ".join(numeric)
        if numbers_text != parts[-1] and not (len(numeric) == 1 and r"\cdot" not in numbers_text):
            parts.append(numbers_text)
        value = latex_number(line.value, _WIDE)
        if parts[-1] != value:
            parts.append(value)
        rows.append(Row(_d(out, line.node, True), tuple(parts)))
    title = text(
        f"{word('backward_pass', lang)} ({word('backward_intro', lang, output=out.name)})"
        if lang == "en"
        else f"{word('backward_pass', lang)}（{word('backward_intro', lang, output=out.name)}）"
    )
    return Section(title, tuple(rows))


def _verdict_note(verdict: Any, result: Any, lang: str) -> Text:
    method = method_name(result.method, lang)
    status = word("agrees" if verdict is not None and verdict.agrees else "disagrees", lang)
    if verdict is None:
        status = word("no_numeric", lang, reason=result.note or "—")
    return (
        (False, f"{method}{_comma(lang)}{word('error_estimate', lang)} "),
        (True, latex_number(result.error_estimate, 2)),
        (False, f"{_colon(lang)}{status}"),
    )


def _numeric_section(e: Any, lang: str) -> Section:
    rows = []
    partial = _partial(e)
    for v in e.wrt:
        result = e.numerics[v]
        if result is None:
            continue
        exact = latex_number(e.exact_values[v], _WIDE)
        estimate = latex_number(result.estimate, _WIDE)
        rhs = (exact,) if exact == estimate else (exact, r"\approx " + estimate)
        note = _verdict_note(e.verdicts[v], result, lang)
        rows.append(Row(_d(e.output, v, partial), rhs, note))
    return Section(text(word("numeric_check", lang)), tuple(rows))


def _kink_section(e: Any, lang: str) -> Section:
    sentences = []
    for kink in e.kinks:
        convention = (
            "0" if kink.function == "relu" else "1/2" if kink.function in ("max", "min") else "0"
        )
        sentence = word("kink_sentence", lang, function="{function}", argument="{argument}",
                        convention="{convention}")  # fmt: skip
        sentences.append(
            template(
                sentence,
                function=rf"\operatorname{{{kink.function}}}",
                argument=latex_expr(kink.argument),
                convention=convention,
            )  # fmt: skip
        )
    rows = []
    for v, sides in e.one_sided.items():
        for side, mark, exact, result, verdict in (
            ("left_derivative", "-", sides.left, sides.left_numeric, sides.left_verdict),
            ("right_derivative", "+", sides.right, sides.right_numeric, sides.right_verdict),
        ):
            numeric = latex_number(result.estimate, _WIDE) if result is not None else "—"
            status = word("agrees" if verdict is not None and verdict.agrees else "disagrees", lang)
            lhs = rf"{_d(e.output, v, _partial(e))}\Big|_{{{mark}}}"
            rows.append(
                Row(
                    lhs,
                    (latex_number(exact, _WIDE),),
                    text(
                        f"{word(side, lang)}{_comma(lang)}{word('numeric', lang)} ",
                        math_(numeric),
                        f"{_colon(lang)}{status}",
                    ),  # fmt: skip
                )
            )
    return Section(text(word("not_differentiable", lang)), tuple(rows), tuple(sentences))


def _domain_section(e: Any, lang: str) -> Section:
    sentence = text(word("domain_sentence", lang, reason=e.reason_message))
    return Section(text(phrase("undefined_here", lang)), (), (sentence,))


def _partial(e: Any) -> bool:
    """∂ for gradients and programs (the backward pass), d for one-variable formulas."""
    return not (e.single and e.program is None)


def explanation_sections(e: Any, lang: str = "en", style: str = "chain") -> list[Section]:
    """The derivation as titled sections of rows, in the order of the text renderer."""
    lang = check_language(lang)
    if style == "rules":
        return derivation_sections(e, lang)
    if style != "chain":
        raise DerivcheckError(f"unknown style {style!r}: choose 'chain' or 'rules'")
    sections = [_forward_section(e, lang)]
    if e.reason_message is not None:
        sections.append(_domain_section(e, lang))
        return sections
    if e.single and e.program is None:
        sections.append(_local_section(e, lang))
        sections.append(_chain_section(e, lang))
        sections.append(_exact_section(e, lang))
    else:
        sections.append(_backward_section(e, lang))
    if e.kinks:
        sections.append(_kink_section(e, lang))
    else:
        sections.append(_numeric_section(e, lang))
    return sections


# --------------------------------------------------------------------------------------
# Rule by rule (reads derivcheck.calculus.derivation)
# --------------------------------------------------------------------------------------


def _p(expr: sympy.Expr) -> str:
    """An expression as a factor of a product: brackets around sums and negatives."""
    tex = latex_expr(expr)
    if expr.is_Add or expr.could_extract_minus_sign():
        return rf"\left({tex}\right)"
    return tex


def _dd(expr: sympy.Expr, variable: sympy.Symbol, partial: bool) -> str:
    mark = r"\partial " if partial else "d"
    return rf"\frac{{{mark}}}{{{mark}{latex_name(variable.name)}}}\left[{latex_expr(expr)}\right]"


def _product(*factors: str) -> str:
    kept = [f for f in factors if f != "1"]
    return r" \cdot ".join(kept) if kept else "1"


def _step_row(step: Any, lang: str, partial: bool) -> Row:
    from derivcheck.calculus import derivation as dv

    x = step.variable
    result = step.result()
    applied: list[str] = []
    note: Text = text(dv.rule_title(step.key, lang))
    if isinstance(step, dv.SumRule):
        pieces = []
        for term in step.terms:
            r = term.result()
            if pieces and r.could_extract_minus_sign():
                pieces.append(f" - {latex_expr(-r)}")
            else:
                pieces.append((" + " if pieces else "") + latex_expr(r))
        applied.append("".join(pieces))
    elif isinstance(step, dv.ConstantMultipleRule):
        inner = _dd(step.inner.expr, x, partial)
        c = latex_expr(step.constant)
        applied.append(f"-{inner}" if step.constant == -1 else f"{_factor(c)} \\cdot {inner}")
        inner_result = step.inner.result()
        applied.append(
            f"-{_p(inner_result)}"
            if step.constant == -1
            else f"{_factor(c)} \\cdot {_p(inner_result)}"
        )
    elif isinstance(step, dv.PowerRule):
        n = step.exponent
        applied.append(f"{_factor(latex_expr(n))} {latex_name(x.name)}^{{{latex_expr(n - 1)}}}")
    elif isinstance(step, dv.ProductRule):
        terms = []
        for i, factor in enumerate(step.factors):
            others = [_p(f.expr) for j, f in enumerate(step.factors) if j != i]
            terms.append(_product(_p(factor.result()), *others))
        applied.append(" + ".join(terms))
    elif isinstance(step, dv.QuotientRule):
        f, g = step.numerator, step.denominator
        top = f"{_product(_p(f.result()), _p(g.expr))} - {_product(_p(f.expr), _p(g.result()))}"
        base = latex_expr(g.expr)
        if not (g.expr.is_Symbol or g.expr.is_Function):
            base = rf"\left({base}\right)"
        applied.append(rf"\frac{{{top}}}{{{base}^{{2}}}}")
    elif isinstance(step, dv.ChainRule):
        u = latex_name(step.inner_symbol.name)
        applied.append(
            rf"\left.{_dd(step.outer.expr, step.inner_symbol, False)}\right|_{{{u} = "
            rf"{latex_expr(step.inner.expr)}}} \cdot {_dd(step.inner.expr, x, partial)}"
        )
        applied.append(_product(_p(step.outer_at_inner()), _p(step.inner.result())))
        note = text(
            dv.rule_title(step.key, lang) + f"{_comma(lang)}{phrase('with', lang)} ",
            math_(f"{u} = {latex_expr(step.inner.expr)}"),
        )
    elif isinstance(step, dv.LogarithmicDifferentiationRule):
        log_form = step.log_form.expr
        applied.append(f"{_p(step.expr)} \\cdot {_dd(log_form, x, partial)}")
        applied.append(f"{_p(step.expr)} \\cdot {_p(step.log_form.result())}")
        note = text(
            dv.rule_title(step.key, lang) + _colon(lang),
            math_(rf"\ln y = {latex_expr(log_form)}"),
        )
    rhs = [*applied, latex_expr(result)]
    rhs = [p for i, p in enumerate(rhs) if i == 0 or p != rhs[i - 1]]
    return Row(_dd(step.expr, x, partial), tuple(rhs), note)


def rule_sections(d: Any, lang: str = "en", output: str = "y") -> list[Section]:
    """A :class:`~derivcheck.calculus.derivation.Derivation` alone (no point): its steps, the rules
    it used, and the result. ``output`` names the function (``dy/dx``)."""
    from derivcheck.calculus.derivation import rule_title

    lang = check_language(lang)
    partial = len(d.expr.free_symbols) > 1
    numeric_count = sum(1 for c in d.checks if c == "numeric")
    checked: list[Text] = [text(phrase("checked_exact", lang))]
    if numeric_count:
        checked.append(text(phrase("checked_numeric", lang, count=numeric_count)))
    steps = Section(
        text(phrase("rule_by_rule", lang)),
        tuple(_step_row(step, lang, partial) for step in d.steps),
        tuple(checked),
    )
    formulas = []
    for key, formula in d.formulas().items():
        left, _, right = formula.partition(" = ")
        formulas.append(Row(left, (right,) if right else (), text(rule_title(key, lang))))
    used = Section(text(phrase("rules_used", lang)), tuple(formulas))
    lhs = _derivative_symbol(output, d.variable, partial)
    result = Row(lhs, tuple(dict.fromkeys((latex_expr(d.result), latex_expr(d.simplified)))))
    return [steps, used, Section(text(phrase("result", lang)), (result,))]


def derivative_latex(d: Any) -> str:
    r"""``\frac{d}{dx}\left[f\right]`` for a derivation (∂ when other names occur)."""
    return _dd(d.expr, d.variable, len(d.expr.free_symbols) > 1)


def _derivative_symbol(output: str, variable: Any, partial: bool) -> str:
    mark = r"\partial " if partial else "d"
    return rf"\frac{{{mark}{latex_name(output)}}}{{{mark}{latex_name(variable.name)}}}"


def derivation_sections(e: Any, lang: str = "en") -> list[Section]:
    """``style="rules"``: the rule-by-rule derivation, the rules it used, the result, and
    its value at the point with the numeric check (reads ``e.derivation``).
    """
    lang = check_language(lang)
    v = e.variable
    d = e.derivation
    sections = rule_sections(d, lang, e.output.name)
    if e.reason_message is not None:
        return [*sections, _domain_section(e, lang)]
    final = sections[-1]
    lhs = _derivative_symbol(e.output.name, v, len(e.expr.free_symbols) > 1)
    point = f"{latex_name(v.name)} = {_exact_point_value(e.point[v])}"
    at = Row(rf"\left.{lhs}\right|_{{{point}}}", (latex_number(e.value, _WIDE),))
    sections[-1] = Section(final.title, (*final.rows, at), final.sentences)
    sections.append(_kink_section(e, lang) if e.kinks else _numeric_section(e, lang))
    return sections


# --------------------------------------------------------------------------------------
# Gradient descent (section 2.4 of the chapter)
# --------------------------------------------------------------------------------------


def update_section(update: Any, output: str, lang: str = "en") -> Section:
    """``p ← p − lr·∂out/∂p`` for each parameter, and the output before → after.

    ``update`` is what :meth:`Explanation.update` returns; nothing is computed here.
    """
    lr = latex_number(update.lr)
    rows = []
    for name, before in update.before.items():
        rows.append(
            Row(
                latex_name(name),
                (rf"{latex_number(before)} \to {latex_number(update.after[name])}",),
                relation=":",
            )
        )
    before, after = update.output_before, update.output_after
    trend = "decreased" if after < before else "increased" if after > before else "unchanged"
    rows.append(
        Row(
            latex_name(output),
            (rf"{latex_number(before)} \to {latex_number(after)}",),
            text(word(trend, lang)),
            relation=":",
        )
    )
    title = word("parameter_update", lang, lr="{lr}")
    return Section(template(title, lr=lr), tuple(rows))


def update_to_latex(update: Any, output: str, lang: str = "en", standalone: bool = False) -> str:
    """The parameter update as an ``align*`` (or a whole document)."""
    section = update_section(update, output, lang)
    if standalone:
        return latex_document(sections_to_body([section], lang), lang)
    return sections_to_align([section], lang)


# --------------------------------------------------------------------------------------
# Output: align*, document body, document
# --------------------------------------------------------------------------------------


def _text_in_math(value: Text, lang: str) -> str:
    out = []
    for is_math, content in value:
        out.append(content if is_math else r"\text{" + tex_text(content, lang == "zh") + "}")
    return " ".join(out)


def paragraph_text(value: Text, lang: str) -> str:
    r"""Text with math for a LaTeX paragraph: ``$…$`` around math, the words escaped.

    >>> paragraph_text(text("50% at ", (True, "x = 1")), "en")
    '50\\% at $x = 1$'
    """
    return "".join(
        f"${content}$" if is_math else tex_text(content, lang == "zh") for is_math, content in value
    )


def join_rhs(pieces: tuple[str, ...]) -> str:
    r"""``a = b = c``; a piece that starts with its own relation (``\approx 3``) keeps it."""
    out = ""
    for i, piece in enumerate(pieces):
        if i:
            out += " " if piece.startswith(_OWN_RELATION) else " = "
        out += piece
    return out


_OWN_RELATION = ("\\approx", "\\to")
#: Widest row (in glyphs, roughly) kept on one line; wider rows put each step on its own line.
ROW_WIDTH = 60


def visible_width(tex: str) -> int:
    r"""About how wide ``tex`` sets, in glyphs: a named function counts its letters, a fraction
    its wider part, a relation or binary operator its spacing too.

    >>> visible_width(r"\frac{dy}{dx} = 2 u \cdot 3"), visible_width(r"\sin\left(x\right)^{2}")
    (9, 7)
    """
    value = re.sub(r"\\(left|right|Big|big|bigl|bigr)\b", "", tex)
    value = re.sub(r"\\(operatorname|mathrm|text)\{([^{}]*)\}", r"\2", value)
    value = re.sub(r"\\(cdot|approx|to|times|pm|leq|geq|neq)\b", "xx", value)
    value = re.sub(r"[=+]|(?<=\S) - ", "xx", value)
    value = re.sub(
        r"\\([a-zA-Z]+)",
        lambda m: "\\frac" if m[1] == "frac" else m[1] if m[1] in _NAMED_OPERATORS else "x",
        value,
    )
    fraction = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while fraction.search(value):
        value = fraction.sub(lambda m: "x" * max(len(m[1]), len(m[2])), value)
    return len(re.sub(r"[{}^_ &\\.|]", "", value))


_NAMED_OPERATORS = {
    "sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh", "exp", "ln", "log",
    "max", "min", "arcsin", "arccos", "arctan", "lg",
}  # fmt: skip


def row_lines(row: Row) -> list[str]:
    """The row as lines of an alignment (without its note): one line, or, when it is wider
    than :data:`ROW_WIDTH`, the left side with the first step and each further step below."""
    if not row.rhs:
        return [f"{row.lhs} &"]
    relation = row.relation
    if visible_width(row.lhs + join_rhs(row.rhs)) <= ROW_WIDTH or len(row.rhs) == 1:
        return [f"{row.lhs} &{relation} {join_rhs(row.rhs)}"]
    lines = [f"{row.lhs} &{relation} {row.rhs[0]}"]
    for piece in row.rhs[1:]:
        if piece.startswith(_OWN_RELATION):
            lines.append(f"&{piece}")
        else:
            lines.append(f"&{'=' if relation != ':' else ':'} {piece}")
    return lines


def _row_tex(row: Row, lang: str) -> str:
    lines = row_lines(row)
    if row.note:
        lines[-1] += r" \tag*{" + paragraph_text(row.note, lang) + "}"
    return " \\\\\n".join(lines)


def _wrap(sentence: Text, width: int = 70) -> list[Text]:
    """A long sentence as several shorter ones (an align* line does not wrap by itself)."""
    pieces: list[Text] = []
    current: list[tuple[bool, str]] = []
    length = 0
    for is_math, content in sentence:
        parts = [content] if is_math else re.split(r"(?<= )", content)
        for part in parts:
            size = visible_width(part) if is_math else len(part)
            if current and length + size > width:
                pieces.append(tuple(current))
                current, length = [], 0
            if current and not is_math and not current[-1][0]:
                current[-1] = (False, current[-1][1] + part)
            else:
                current.append((is_math, part))
            length += size
    if current:
        pieces.append(tuple(current))
    return pieces


def sections_to_align(sections: list[Section], lang: str = "en") -> str:
    """One ``align*`` with every row (notes as ``\\tag*``); section titles become comments,
    sentences text lines."""
    lines = []
    for section in sections:
        rows = [_row_tex(row, lang) for row in section.rows]
        rows += [
            "& " + _text_in_math(piece, lang)
            for sentence in section.sentences
            for piece in _wrap(sentence)
        ]
        if not rows:
            continue
        title = paragraph_text(section.title, lang).replace("\n", " ")
        lines.append(f"% {title}")
        lines.append(" \\\\\n".join(rows) + r" \\[0.6ex]")
    body = "\n".join(lines)
    body = body.removesuffix(r" \\[0.6ex]")
    return "\\begin{align*}\n" + body + "\n\\end{align*}\n"


def sections_to_body(
    sections: list[Section], lang: str = "en", heading: str = "subsection*"
) -> str:
    r"""Titled sections: ``\\subsection*{…}``, an ``align*`` of the rows, then the sentences."""
    parts = []
    for section in sections:
        parts.append(f"\\{heading}{{{paragraph_text(section.title, lang)}}}")
        if section.rows:
            rows = " \\\\\n".join(_row_tex(row, lang) for row in section.rows)
            parts.append("\\begin{align*}\n" + rows + "\n\\end{align*}")
        for sentence in section.sentences:
            parts.append(paragraph_text(sentence, lang) + "\n")
    return "\n".join(parts) + "\n"


_DOCUMENT_CLASS = {
    "en": r"\documentclass[11pt]{article}",
    # xelatex + ctex (texlive-lang-chinese, texlive-xetex): Chinese words, the same mathematics.
    "zh": r"\documentclass[UTF8,11pt]{ctexart}",
}
_PREAMBLE = r"""\usepackage[margin=2cm]{geometry}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6ex}
"""


def latex_document(
    body: str, lang: str = "en", title: Text | None = None, packages: tuple[str, ...] = ()
) -> str:
    """A whole document around ``body``: article + amsmath (pdflatex), or ctexart (xelatex).

    ``packages`` are loaded too (e.g. ``("graphicx",)`` for pictures).
    """
    used = ",".join(("amsmath", "amssymb", *packages))
    head = f"\\section*{{{paragraph_text(title, lang)}}}\n" if title else ""
    return (
        f"{_DOCUMENT_CLASS[check_language(lang)]}\n\\usepackage{{{used}}}\n{_PREAMBLE}"
        f"\\begin{{document}}\n{head}{body}\\end{{document}}\n"
    )


def explanation_to_latex(
    e: Any, standalone: bool = False, lang: str = "en", style: str = "chain"
) -> str:
    """The explanation as an ``align*`` derivation, or (``standalone``) a whole document.

    ``style="chain"`` follows the chain-rule graph (intermediate variables,
    local derivatives with their rules, the chain product with numbers; for
    programs the forward and backward passes); ``style="rules"`` derives rule
    by rule (one variable). ``lang="zh"`` writes the words in Chinese; its
    documents need xelatex and ctex.
    """
    lang = check_language(lang)
    sections = explanation_sections(e, lang, style)
    if not standalone:
        return sections_to_align(sections, lang)
    return latex_document(sections_to_body(sections, lang), lang, explanation_title(e, lang))


# --------------------------------------------------------------------------------------
# Compiling
# --------------------------------------------------------------------------------------


class LatexError(DerivcheckError):
    """No LaTeX engine, or a document that did not compile (``log`` holds the engine's log)."""

    def __init__(self, message: str, log: str = ""):
        super().__init__(message)
        self.log = log


def latex_engine(source_or_lang: str = "en") -> str | None:
    """The engine for a document (or a language): pdflatex, or xelatex for ctex documents.

    ``None`` when that engine (or, for Chinese, the ctex package) is not installed.
    """
    chinese = source_or_lang == "zh" or "{ctexart}" in source_or_lang
    engine = "xelatex" if chinese else "pdflatex"
    path = shutil.which(engine)
    if path is None:
        return None
    if chinese:
        kpsewhich = shutil.which("kpsewhich")
        if kpsewhich is None:
            return None
        try:
            found = subprocess.run(
                [kpsewhich, "ctexart.cls"], capture_output=True, text=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        if not found:
            return None
    return path


def compile_latex(
    source: str,
    pdf_path: str | os.PathLike[str],
    engine: str | None = None,
    timeout: float = 120,
    files: dict[str, str | os.PathLike[str]] | None = None,
) -> Path:
    """Compile a whole document to ``pdf_path`` with pdflatex (xelatex for ctex documents).

    Runs in a temporary directory with ``-no-shell-escape`` and
    ``-halt-on-error``; ``files`` (name -> path) are copied there first, e.g.
    pictures for ``\\includegraphics``. Raises :class:`LatexError` when the
    engine is missing or the document does not compile.
    """
    program = engine or latex_engine(source)
    if program is None:
        needed = "xelatex and ctex" if "{ctexart}" in source else "pdflatex"
        raise LatexError(f"{needed} not found: cannot compile the document")
    target = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="derivcheck-tex-") as folder:
        tex = Path(folder) / "derivation.tex"
        tex.write_text(source, encoding="utf-8")
        for name, path in (files or {}).items():
            shutil.copyfile(path, Path(folder) / Path(name).name)
        command = [program, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                   tex.name]  # fmt: skip
        try:
            run = subprocess.run(
                command, cwd=folder, capture_output=True, text=True, timeout=timeout,
                stdin=subprocess.DEVNULL, errors="replace",
            )  # fmt: skip
        except subprocess.TimeoutExpired as error:
            raise LatexError(f"{Path(program).name} took longer than {timeout:g} s") from error
        log_path = tex.with_suffix(".log")
        log = log_path.read_text(errors="replace") if log_path.exists() else run.stdout
        pdf = tex.with_suffix(".pdf")
        if run.returncode != 0 or not pdf.exists():
            problems = [line for line in log.splitlines() if line.startswith("!")]
            raise LatexError(
                f"{Path(program).name} failed: " + ("; ".join(problems[:3]) or "see the log"),
                log,
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, target)
    return target


# ---- the catalogue's rules as formulas ----

#: LaTeX operators written before their argument without brackets: \sin x, \ln x.
_OPERATOR_LATEX = {
    r"\sin",
    r"\cos",
    r"\tan",
    r"\cot",
    r"\sec",
    r"\csc",
    r"\arcsin",
    r"\arccos",
    r"\arctan",
    r"\sinh",
    r"\cosh",
    r"\tanh",
    r"\coth",
    r"\exp",
    r"\ln",
}


def rule_formula(record: FunctionRecord, variable: str = "x") -> str:
    r"""A catalogue record's rule in LaTeX, from its ``derivative`` and ``breaks``.

    ``\frac{d}{dx} \sin x = \cos x``; a function with breaks shows its derivative piece
    by piece (relu: 1 for x > 0, 0 for x < 0), or off the integers (floor).

    >>> from derivcheck.calculus.catalogue import lookup
    >>> print(rule_formula(lookup("arcsin")))
    \frac{d}{dx} \arcsin x = \frac{1}{\sqrt{1 - x^{2}}}
    """
    x = sympy.Symbol(variable, real=True)
    params = tuple(p.default for p in record.parameters)
    head = (
        rf"{record.latex} {variable}"
        if record.latex in _OPERATOR_LATEX
        else latex_expr(record.build(x, *params))
    )
    lhs = rf"\frac{{d}}{{d{variable}}} {head}"
    if not record.breaks or record.derivative is None:
        return f"{lhs} = {latex_expr(record.derivative(x, *params))}" if record.derivative else lhs
    (brk,) = record.breaks
    if brk.points == "integers":
        return rf"{lhs} = 0 \quad ({variable} \notin \mathbb{{Z}})"
    pieces = []
    points = sorted(brk.points)
    for i, p in enumerate(points):
        slope = sympy.diff(brk.left(x, p, *params), x)
        where = (
            f"{variable} < {latex_expr(p)}"
            if i == 0
            else (f"{latex_expr(points[i - 1])} < {variable} < {latex_expr(p)}")
        )
        pieces.append((slope, where))
    last = points[-1]
    pieces.append((sympy.diff(brk.right(x, last, *params), x), f"{variable} > {latex_expr(last)}"))
    rows = r" \\ ".join(f"{latex_expr(slope)} & {where}" for slope, where in reversed(pieces))
    return rf"{lhs} = \begin{{cases}} {rows} \end{{cases}}"
