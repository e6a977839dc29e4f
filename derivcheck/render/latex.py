r"""An :class:`~derivcheck.Explanation` as LaTeX: an ``align*`` derivation, or a whole document.

The renderer draws the layout of :mod:`derivcheck.render.layout` (the same sections the
text and Markdown renderers draw) and computes nothing itself: it typesets pieces
(:class:`LatexRenderer`), aligns equations, tags each with its note, and frames the
whole as an ``align*`` or a document. :func:`explanation_sections` gives the layout's
sections; :func:`latex_row` and :func:`words_text` are what the Markdown renderer reuses.

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

from derivcheck.calculus.catalogue import FunctionRecord, lookup, record_of, records
from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message, check_language, word
from derivcheck.reading.order import typed_terms
from derivcheck.render import layout as lay
from derivcheck.render.layout import Section
from derivcheck.render.printing import number, renderer

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
    "latex_row",
    "visible_width",
    "compile_latex",
    "latex_engine",
    "LatexError",
    "LatexRenderer",
    "Row",
    "Section",
    "Text",
    "latex_expr",
    "latex_name",
    "latex_number",
    "tex_text",
    "text",
    "words_text",
    "source_to_latex",
    "phrase",
    "paragraph_text",
    "derivative_latex",
    "rule_formula",
]


def phrase(key: str, lang: str = "en", **values: object) -> str:
    """The renderers' phrase ``render.<key>`` in ``lang`` (see :mod:`derivcheck.messages.render`).

    >>> phrase("exercise", "zh"), phrase("row_problem", reason="a pole")
    ('练习', 'could not be solved: a pole')
    """
    return word(f"render.{key}", lang, **values)


#: Text with math inside: (is_math, content) pieces; content is plain text or LaTeX math.
Text = tuple[tuple[bool, str], ...]


def text(*pieces: str | tuple[bool, str]) -> Text:
    """Plain strings are text; ``(True, "x^{2}")`` is math."""
    return tuple(p if isinstance(p, tuple) else (False, p) for p in pieces if p)


@dataclass(frozen=True)
class Row:
    """One equation typeset: ``lhs relation rhs[0] = rhs[1] = …`` and a note on the right."""

    lhs: str
    rhs: tuple[str, ...] = ()
    note: Text = ()
    relation: str = "="


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


def latex_number(value: float | None, digits: int = 6, undefined: str = "undefined") -> str:
    r"""``number()`` in LaTeX: ``1e-14`` → ``1 \\times 10^{-14}``, nan → ``\\text{undefined}``.

    >>> latex_number(-2.4859999999999998), latex_number(9.1e-14, 2), latex_number(float("inf"))
    ('-2.486', '9.1 \\times 10^{-14}', '\\infty')
    """
    shown = number(value, digits, undefined)
    if shown == undefined:
        return r"\text{" + undefined + "}"
    if shown in ("∞", "-∞"):
        return shown.replace("∞", r"\infty")
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        return f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return shown


def _is_operator(latex: str) -> bool:
    r"""Whether a function's LaTeX is an upright operator name (``\sin``, ``\operatorname{relu}``),
    written before its argument without brackets in textbook style."""
    if latex.startswith(r"\operatorname{"):
        return True
    return bool(re.fullmatch(r"\\[a-z]+", latex)) and latex not in _GREEK.values()


_OWN_FUNCTIONS = "derivcheck.calculus.functions"  # where derivcheck's own functions live
#: Catalogue functions SymPy's own printer draws (e^x, ln, |x|, ⌊x⌋, max) or this one does.
_SYMPY_DRAWN = {"exp", "log", "abs", "floor", "ceil", "max", "min", "heaviside", "sign"}


class _Printer(LatexPrinter):
    """SymPy's LaTeX printer with the chapter's conventions: ln, relu', positive terms first,
    typeset names, function names from the catalogue, and optionally numbers in place of
    names (negative ones bracketed).

    ``textbook``: a function of one name is written without brackets (``\\cos x``), and the
    factors that are ``lead`` (the function a rule is about) come first in a product.
    """

    def __init__(
        self,
        values: dict | None = None,
        digits: int = 6,
        textbook: bool = False,
        lead: Any = None,
        undefined: str = "undefined",
    ):
        settings: dict[str, Any] = {"ln_notation": True}
        if values:
            settings["mul_symbol"] = "dot"
        super().__init__(settings)
        self.values = values or {}
        self.digits = digits
        self.textbook = textbook
        self.lead_function = lead
        self.undefined = undefined
        self.leading = False

    def doprint(self, expr: Any) -> str:
        self.leading = isinstance(expr, sympy.Symbol)
        return super().doprint(expr)

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if type(expr).__module__ == _OWN_FUNCTIONS:  # not their own _latex: see _print_Function
            return self._print_Function(expr, **kwargs)
        return super()._print(expr, **kwargs)

    def _bare(self, expr: sympy.Expr) -> bool:
        """In textbook style, whether a function's argument needs no brackets (\\sin x)."""
        if not self.textbook or len(expr.args) != 1:
            return False
        argument = expr.args[0]
        return bool(argument.is_Symbol or (argument.is_Integer and argument >= 0))

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        if expr in self.values:
            shown = latex_number(self.values[expr], self.digits, self.undefined)
            leading, self.leading = self.leading, False
            return rf"\left({shown}\right)" if shown.startswith("-") and not leading else shown
        return latex_name(expr.name)

    def _print_Add(self, expr: sympy.Expr, order: str | None = None) -> str:
        typed = typed_terms(expr)  # as the user typed it
        terms = list(typed or self._as_ordered_terms(expr, order=order))
        positive = [t for t in terms if not t.could_extract_minus_sign()]
        if self.textbook:  # 1 + x^2, as the tables write it
            positive = [t for t in positive if t.is_number] + [
                t for t in positive if not t.is_number
            ]
        if typed is None:
            terms = positive + [t for t in terms if t.could_extract_minus_sign()]
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

    def _print_Mul(self, expr: sympy.Expr) -> str:
        if not self.textbook or self.lead_function is None:
            return super()._print_Mul(expr)
        coefficient, rest = expr.as_coeff_Mul()
        factors = sympy.Mul.make_args(rest)
        if not coefficient.is_Integer or any(f.is_Pow and f.exp.is_negative for f in factors):
            return super()._print_Mul(expr)
        first = [f for f in factors if self._leads(f)]
        ordered = first + [f for f in factors if not self._leads(f)]
        pieces = []
        for i, factor in enumerate(ordered):
            tex = self._print(factor)
            if self._needs_mul_brackets(factor, first=i == 0, last=i == len(ordered) - 1):
                tex = rf"\left({tex}\right)"
            pieces.append(tex)
        sign = {1: "", -1: "- "}.get(int(coefficient), f"{coefficient} ")
        return sign + " ".join(pieces)

    def _leads(self, factor: sympy.Expr) -> bool:
        base = factor.base if factor.is_Pow else factor
        return base.func is self.lead_function

    def _print_Float(self, expr: sympy.Float) -> str:
        return latex_number(float(expr), self.digits, self.undefined)

    def _print_Function(self, expr: sympy.Expr, exp: str | None = None) -> str:
        record = record_of(expr)
        if record is None or record.key in _SYMPY_DRAWN:
            return super()._print_Function(expr, exp)
        args = expr.args
        if record.parameters and args[-1] == record.parameters[-1].default:
            args = args[:-1]  # leaky_relu(x), not leaky_relu(x, 1/100)
        inner = ", ".join(self._print(a) for a in args)
        name = record.latex
        if self._bare(sympy.Function("f")(*args)) and _is_operator(name):
            return f"{name}^{{{exp}}} {inner}" if exp else f"{name} {inner}"
        if type(expr).__module__ == _OWN_FUNCTIONS:
            tex = rf"{name}\left({inner}\right)"
            return rf"{tex}^{{{exp}}}" if exp else tex
        head = f"{name}^{{{exp}}}" if exp else name
        return rf"{head}{{\left({inner} \right)}}"

    def _print_Abs(self, expr: sympy.Expr, exp: str | None = None) -> str:
        if not self.textbook:
            return super()._print_Abs(expr, exp)
        tex = rf"\left|{self._print(expr.args[0])}\right|"
        return rf"{tex}^{{{exp}}}" if exp else tex

    def _print_Heaviside(self, expr: sympy.Expr, exp: str | None = None) -> str:
        inner = self._print(expr.args[0])
        if len(expr.args) > 1 and expr.args[1] == 0:  # relu's derivative, relu'(0) = 0
            tex = rf"{lookup('relu').latex}'\left({inner}\right)"
        else:
            tex = rf"{record_of(sympy.Heaviside).latex}\left({inner}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_sign(self, expr: sympy.Expr, exp: str | None = None) -> str:
        name = record_of(sympy.sign).latex
        if self._bare(expr):
            return f"{name} {self._print(expr.args[0])}"
        tex = rf"{name}\left({self._print(expr.args[0])}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_log(self, expr: sympy.Expr, exp: str | None = None) -> str:
        if not self._bare(expr):
            return super()._print_log(expr, exp)
        name = record_of(sympy.log).latex
        return (
            f"{name}^{{{exp}}} {self._print(expr.args[0])}"
            if exp
            else f"{name} {self._print(expr.args[0])}"
        )


def latex_expr(
    expr: Any,
    values: dict | None = None,
    digits: int = 6,
    *,
    textbook: bool = False,
    lead: Any = None,
    undefined: str = "undefined",
) -> str:
    r"""A SymPy expression in LaTeX; sums have common factors pulled out (``6 (3x + 2)``).

    ``textbook``: as tables of derivatives write it — ``\cos x``, ``1 + x^{2}``, no factors
    pulled out, and the factors that are the function ``lead`` first (``\sec x \tan x``).

    >>> from derivcheck import parse
    >>> latex_expr(parse("18x + 12")), latex_expr(parse("2y - 2target"))
    ('6 \\left(3 x + 2\\right)', '2 \\left(y - \\mathrm{target}\\right)')
    >>> latex_expr(parse("sin(x)^2 + asinh(x)"), textbook=True)
    '\\sin^{2} x + \\operatorname{arsinh} x'
    """
    if isinstance(expr, int):
        expr = sympy.Integer(expr)
    if not values and not textbook and expr.is_Add and typed_terms(expr) is None:
        expr = sympy.factor_terms(expr)
    return _Printer(values, digits, textbook, lead, undefined).doprint(expr)


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
        elif ch in _UNICODE_TEXT and not (unicode_ok and ch in "—…"):
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


def _function_latex(token: str) -> str | None:
    """The LaTeX of a function the user typed by name, from the catalogue (None if none)."""
    record = lookup(token)
    return None if record is None else record.latex


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
                elif function is not None and lookup(function[1:]) is lookup("abs"):
                    pieces[-1] = rf"\left|{inner}\right|"
                elif function is not None:
                    pieces[-1] = f"{_function_latex(function[1:])}\\left({inner}\\right)"
                else:
                    pieces.append(rf"\left({inner}\right)")
                index = end + 1
                continue
            elif token == ")":
                return None
            elif token == "sqrt" or _function_latex(token) is not None:
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


# --------------------------------------------------------------------------------------
# Pieces of the layout, typeset
# --------------------------------------------------------------------------------------


class LatexRenderer(lay.Renderer):
    r"""Pieces as LaTeX math: ``\frac{dy}{du} \cdot \frac{du}{dx}``, ``2 u``, ``e^{x^{2}}``."""

    times = r" \cdot "
    juxtaposed = " "
    arrow = r" \to "
    plus_minus = r" \pm "

    def bracket(self, text: str) -> str:
        return rf"\left({text}\right)"

    def _math(self, piece: lay.Math) -> str:
        return latex_expr(piece.expr, piece.values, piece.digits, undefined=self.undefined())

    def _num(self, piece: lay.Num) -> str:
        return latex_number(piece.value, piece.digits, self.undefined())

    def _name(self, piece: lay.Name) -> str:
        return latex_name(piece.name)

    def _d(self, piece: lay.D) -> str:
        mark = r"\partial " if piece.partial else "d"
        power = "" if piece.order == 1 else f"^{{{piece.order}}}"
        below = " ".join(
            f"{mark}{latex_name(n)}" + ("" if k == 1 else f"^{{{k}}}") for n, k in piece.groups()
        )
        return rf"\frac{{{mark}{power}{latex_name(piece.top)}}}{{{below}}}"

    def _operator(self, piece: lay.Operator) -> str:
        mark = r"\partial " if piece.partial else "d"
        inner = latex_expr(piece.expr)
        return rf"\frac{{{mark}}}{{{mark}{latex_name(piece.variable)}}}\left[{inner}\right]"

    def _at(self, piece: lay.At) -> str:
        where = f"{latex_name(piece.name)} = {self.render(piece.value)}"
        return rf"\left.{self.render(piece.piece)}\right|_{{{where}}}"

    def _value(self, piece: lay.Value) -> str:
        where = f"{latex_name(piece.name)} = {self.render(piece.at)}"
        return rf"\Big|_{{{where}}} = {self.render(piece.value)}"

    def _source(self, piece: lay.Source) -> str:
        shown = source_to_latex(piece.source, piece.spans, piece.values)
        return self.render(piece.fallback) if shown is None else shown

    def _call(self, piece: lay.Call) -> str:
        record = lookup(piece.function)
        name = record.latex if record is not None else rf"\operatorname{{{piece.function}}}"
        if r"\cdot" in name:  # a template, |·|: its name for a derivative
            name = rf"\operatorname{{{record.text}}}" if piece.prime or not piece.args else name
            if piece.args and not piece.prime:
                return name.replace(r"\cdot", ", ".join(self.render(a) for a in piece.args))
        if not piece.args and not piece.prime:
            return name
        args = ", ".join(self.render(a) for a in piece.args)
        if not piece.prime and _is_operator(name) and [type(a) for a in piece.args] == [lay.Name]:
            return f"{name} {args}"  # \ln y
        return rf"{name}{chr(39) if piece.prime else ''}\left({args}\right)"

    def _fraction(self, piece: lay.Fraction) -> str:
        return rf"\frac{{{self.render(piece.top)}}}{{{self.render(piece.bottom)}}}"

    def _power(self, piece: lay.Power) -> str:
        base = self.render(piece.base)
        if lay.needs_power_brackets(piece.base):
            base = self.bracket(base)
        return f"{base}^{{{self.render(piece.exponent)}}}"

    def _points(self, piece: lay.Points) -> str:
        return ",\\ ".join(f"{latex_name(n)} = {self.render(v)}" for n, v in piece.points)

    def _formula(self, piece: lay.Formula) -> str:
        return rule_formula(piece.record) if piece.record is not None else piece.latex

    def _words(self, piece: lay.Words) -> str:
        return _text_in_math(tuple(self.words(piece)), self.lang)

    def join(self, parts: list[str]) -> str:
        return join_rhs(tuple(parts))


def words_text(piece: Any, lang: str = "en") -> Text:
    """A :class:`~derivcheck.render.layout.Words` (or a plain string) as :data:`Text`."""
    if isinstance(piece, lay.Words):
        return tuple(LatexRenderer(lang).words(piece))
    return text(str(piece))


def _note_text(cells: tuple[Any, ...], lang: str) -> Text:
    """The notes of an equation as one text: the cells of a table row joined by commas."""
    joined: list[tuple[bool, str]] = []
    for i, cell in enumerate(cells):
        if i:
            joined.append((False, word("render.separator", lang)))
        for is_math, content in words_text(cell, lang):
            if joined and not is_math and not joined[-1][0]:
                joined[-1] = (False, joined[-1][1] + content)  # one run of words
            else:
                joined.append((is_math, content))
    return tuple(joined)


def latex_row(equation: lay.Equation, lang: str = "en") -> Row:
    """An equation of the layout typeset (a repeated step dropped)."""
    r = LatexRenderer(lang)
    parts = r.parts(equation.lhs, equation.rhs)
    if not equation.rhs and isinstance(equation.lhs, lay.Formula):  # align at its '='
        left, _, right = parts[0].partition(" = ")
        parts = [left, right] if right else [left]
    return Row(parts[0], tuple(parts[1:]), _note_text(equation.note, lang), equation.relation)


def explanation_title(e: Any, lang: str = "en") -> Text:
    """'Derivative of y = … at x = …' (or 'Gradient of …'), with the math as LaTeX."""
    return words_text(lay.title(e), check_language(lang))


def explanation_sections(e: Any, lang: str = "en", style: str = "chain") -> list[Section]:
    """The layout's sections of the derivation (see :mod:`derivcheck.render.layout`);
    ``lang`` is the language they will be shown in (the layout itself has no words)."""
    check_language(lang)
    return lay.explanation_sections(e, style)


def derivation_sections(e: Any, lang: str = "en") -> list[Section]:
    """``style="rules"``: the rule-by-rule derivation, the rules used, the result and its
    value at the point with the numeric check."""
    check_language(lang)
    return lay.derivation_sections(e)


def rule_sections(d: Any, lang: str = "en", output: str = "y") -> list[Section]:
    """A :class:`~derivcheck.calculus.derivation.Derivation` alone (no point): its steps, the
    rules it used, and the result. ``output`` names the function (``dy/dx``)."""
    check_language(lang)
    return lay.rule_sections(d, output)


def derivative_latex(d: Any) -> str:
    r"""``\frac{d}{dx}\left[f\right]`` for a derivation (∂ when other names occur)."""
    partial = len(d.expr.free_symbols) > 1
    return LatexRenderer().render(lay.Operator(d.expr, d.variable.name, partial))


def update_section(update: Any, output: str, lang: str = "en") -> Section:
    """``p: before → after`` for each parameter and the output before → after (section 2.4).

    ``update`` is what :meth:`Explanation.update` returns; nothing is computed here.
    """
    check_language(lang)
    return lay.update_section(update, output)


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


_OWN_RELATION = ("\\approx", "\\to", "\\Big|")
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
        lambda m: "\\frac" if m[1] == "frac" else m[1] if m[1] in _named_operators() else "x",
        value,
    )
    fraction = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while fraction.search(value):
        value = fraction.sub(lambda m: "x" * max(len(m[1]), len(m[2])), value)
    return len(re.sub(r"[{}^_ &\\.|]", "", value))


def _named_operators() -> set[str]:
    """Commands that set as words (``\\sin``, ``\\max``): the catalogue's operator names."""
    return {r.latex[1:] for r in records() if _is_operator(r.latex) and "{" not in r.latex}


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


def _align_lines(section: Section, lang: str, typeset: Any = None) -> list[str]:
    """The section's rows as lines of one alignment: equations, then sentences as text."""
    lines = []
    for run in lay.blocks(section):
        if isinstance(run, lay.Sentence):
            lines += ["& " + _text_in_math(p, lang) for p in _wrap(words_text(run.words, lang))]
        else:
            rows = [typeset(eq) if typeset else latex_row(eq, lang) for eq in run]
            lines += [_row_tex(row, lang) for row in rows]
    return lines


def sections_to_align(sections: list[Section], lang: str = "en", typeset: Any = None) -> str:
    """One ``align*`` with every row (notes as ``\\tag*``); section titles become comments,
    sentences text lines. ``typeset(equation)`` gives an equation's :class:`Row` (default:
    :func:`latex_row`; a caller that has typeset the equations already passes its own)."""
    lines = []
    for section in sections:
        rows = _align_lines(section, lang, typeset)
        if not rows:
            continue
        if section.title is not None:
            title = paragraph_text(words_text(section.title, lang), lang).replace("\n", " ")
            lines.append(f"% {title}")
        lines.append(" \\\\\n".join(rows) + r" \\[0.6ex]")
    body = "\n".join(lines)
    body = body.removesuffix(r" \\[0.6ex]")
    return "\\begin{align*}\n" + body + "\n\\end{align*}\n"


def sections_to_body(
    sections: list[Section], lang: str = "en", heading: str = "subsection*"
) -> str:
    r"""Titled sections: ``\\subsection*{…}``, each run of equations an ``align*``, each
    sentence a paragraph."""
    parts = []
    for section in sections:
        if section.title is not None:
            parts.append(f"\\{heading}{{{paragraph_text(words_text(section.title, lang), lang)}}}")
        for run in lay.blocks(section):
            if isinstance(run, lay.Sentence):
                parts.append(paragraph_text(words_text(run.words, lang), lang) + "\n")
            else:
                rows = " \\\\\n".join(_row_tex(latex_row(eq, lang), lang) for eq in run)
                parts.append("\\begin{align*}\n" + rows + "\n\\end{align*}")
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


@renderer
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

    def __init__(self, message: Message | str, log: str = "", **params: Any):
        super().__init__(message, **params)
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
        needed = "xelatex + ctex" if "{ctexart}" in source else "pdflatex"
        raise LatexError(Message("render.no_engine", engine=needed))
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
            raise LatexError(
                Message("render.engine_timeout", engine=Path(program).name, seconds=f"{timeout:g}")
            ) from error
        log_path = tex.with_suffix(".log")
        log = log_path.read_text(errors="replace") if log_path.exists() else run.stdout
        pdf = tex.with_suffix(".pdf")
        if run.returncode != 0 or not pdf.exists():
            problems = [line for line in log.splitlines() if line.startswith("!")]
            reason = "; ".join(problems[:3]) or Message("render.see_the_log")
            raise LatexError(
                Message("render.engine_failed", engine=Path(program).name, reason=reason), log
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, target)
    return target


# ---- the catalogue's rules as formulas ----


def _condition_latex(condition: Any) -> str:
    x = latex_name(condition.variable.name)
    if condition.off_integers:
        return rf"{x} \notin \mathbb{{Z}}"
    if condition.excluded:
        return r",\ ".join(rf"{x} \neq {latex_expr(p)}" for p in condition.excluded)
    if condition.upper is None:
        return f"{x} > {latex_expr(condition.lower)}"
    if condition.lower is None:
        return f"{x} < {latex_expr(condition.upper)}"
    return f"{latex_expr(condition.lower)} < {x} < {latex_expr(condition.upper)}"


def rule_formula(record: FunctionRecord, variable: str = "x") -> str:
    r"""A catalogue record's rule in LaTeX, as a table of derivatives writes it.

    It reads the record's ``derivative`` and ``breaks`` (see
    :func:`derivcheck.calculus.statements.rule_statement`): ``\frac{d}{dx} \sin x = \cos x``;
    a function with kinks shows its derivative piece by piece (relu: 1 for x > 0, 0 for
    x < 0), one with jumps its derivative off them (floor: 0 off the integers).

    >>> from derivcheck.calculus.catalogue import lookup
    >>> print(rule_formula(lookup("arcsin")))
    \frac{d}{dx} \arcsin x = \frac{1}{\sqrt{1 - x^{2}}}
    >>> print(rule_formula(lookup("sec")))
    \frac{d}{dx} \sec x = \sec x \tan x
    >>> print(rule_formula(lookup("relu")))
    \frac{d}{dx} \operatorname{relu} x = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}
    """
    from derivcheck.calculus.statements import rule_statement

    statement = rule_statement(record, variable)
    own = record.sympy_class
    mark = r"\partial " if statement.partial else "d"
    x = latex_name(statement.variable.name)
    head = latex_expr(statement.function, textbook=True)
    lhs = rf"\frac{{{mark}}}{{{mark}{x}}} {head}"
    shown = [
        (latex_expr(slope, textbook=True, lead=own), condition)
        for slope, condition in statement.cases
    ]
    if len(shown) == 1:
        slope, condition = shown[0]
        where = "" if condition is None else rf" \quad ({_condition_latex(condition)})"
        return f"{lhs} = {slope}{where}"
    rows = r" \\ ".join(f"{slope} & {_condition_latex(c)}" for slope, c in shown)
    return rf"{lhs} = \begin{{cases}} {rows} \end{{cases}}"
