r"""Reading a worked solution: lines, statements, sides, labels and derivative marks.

A worked solution is text as a student writes it: lines separated by new lines or ``;``,
each holding one or more statements (``u = 2x + 1, y = u³``), each statement a chain of
sides joined by ``=``. Words around the mathematics (``by the product rule``, ``由链式法则``,
``令``, ``所以``) are recognised and left out. Inside a side, derivative marks are kept as
marks: ``(2x+1)'``, ``u'``, ``d/dx(x^2)``, ``dy/du``; :func:`read_side` replaces each by a
placeholder name and says what it stands for, so that the checker can give it its value.
Nothing here knows the function; names are passed in.

>>> [text for _, text in split_lines("u = 2x + 1; y = u^3\ndy/dx = 6u^2")]
['u = 2x + 1', 'y = u^3', 'dy/dx = 6u^2']
>>> statements("令 u = 2x + 1，则 y = u³")
['u = 2x + 1', 'y = u³']
>>> [side for _, side in sides("y' = 3(2x+1)^2 · (2x+1)' = 6(2x+1)^2")]
["y' ", " 3(2x+1)^2 · (2x+1)' ", ' 6(2x+1)^2']
>>> side = read_side("3(2x+1)^2 · (2x+1)'", {"x"})
>>> side.template, [(m.kind, m.operand.template) for m in side.marks]
(3*Qqd0*(2*x + 1)**2, [('prime', 2*x + 1)])
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import sympy

from derivcheck.calculus.catalogue import spellings
from derivcheck.errors import ParseError
from derivcheck.grading.exercise import reread
from derivcheck.grading.grade import _TRAILING_NOTE, _is_prose, _without_full_stop
from derivcheck.reading.parser import parse, symbol

__all__ = [
    "MAX_CHARS",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "Label",
    "Mark",
    "Side",
    "split_lines",
    "is_worked",
    "clean_line",
    "is_prose",
    "statements",
    "sides",
    "point_phrase",
    "read_label",
    "read_side",
    "PLACEHOLDER",
]

#: Longest worked solution read, in characters (a longer one is refused before any work).
MAX_CHARS = 20_000
#: Most lines checked in one solution; the rest are reported as not checked.
MAX_LINES = 100
#: Longest line checked, in characters.
MAX_LINE_CHARS = 2_000
#: Prefix of the names that stand for derivative marks in a side's template.
PLACEHOLDER = "Qqd"

_OPEN, _CLOSE = "([{（【", ")]}）】"
_PAIRS = dict(zip(_OPEN, _CLOSE))

# ---- lines --------------------------------------------------------------------------


def split_lines(text: str) -> list[tuple[int, str]]:
    """(number, text) of each non-blank line; lines end at new lines and at ``;``/``；``
    outside brackets. Numbers count the lines kept, from 1."""
    pieces: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in "\n\r" or (ch in ";；" and depth == 0):
            pieces.append(text[start:i])
            start = i + 1
            if ch in "\n\r":
                depth = 0
    pieces.append(text[start:])
    kept = [piece.strip() for piece in pieces if piece.strip()]
    return list(enumerate(kept, 1))


def is_worked(text: str | None) -> bool:
    """True when ``text`` has more than one line (a worked solution, not one answer)."""
    if not text or not any(ch in text for ch in "\n\r;；"):
        return False
    if len(text) > MAX_CHARS:
        return True
    return len(split_lines(text)) > 1


# ---- words around the mathematics ----------------------------------------------------

_BULLET = re.compile(
    r"^\s*(?:[-*•·]\s+|\(?\d{1,2}[.)）、]\s*|[①-⑳]\s*|step\s*\d+\s*[:.：]\s*|第\s*\S{1,3}\s*步\s*[:：]?\s*)",
    re.IGNORECASE,
)
_PROSE_START = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(?:by|using|use|apply(?:ing)?|from|with)\s+(?:the\s+)?[a-z\s-]{0,30}?"
        r"(?:rule|formula)s?\b\s*[,:：，]?\s*",
        r"^(?:so|thus|hence|therefore|then|now|and|next|finally|check(?:ing)?|verify(?:ing)?|"
        r"verification|answer|ans|solution|sol|substitut(?:e|ing)|plug(?:ging)?\s+in|"
        r"let|put|set|define|write|where|we\s+get|we\s+have|gives?)\b\s*[,:：，]?\s*",
        r"^(?:∴|∵|=>|⇒|→)\s*",
        r"^(?:由|根据|利用|用|应用|按)[^，,:：=]{0,12}?(?:法则|公式|定义)(?:得|可得|有)?\s*[，,:：]?\s*",
        r"^(?:所以|因此|于是|故|则|那么|即|可得|从而|代入得?|解|答|验证|检验|分解|其中|令|设|记|得)"
        r"\s*[：:，,]?\s*",
    )
]
_PROSE_END = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\s*[,，]?\s*(?:by|using)\s+(?:the\s+)?[a-z\s-]{0,30}?(?:rule|formula)s?\s*$",
        r"\s*[,，]\s*(?:由|根据)?[^，,=]{0,12}(?:法则|公式)\s*$",
    )
]
_LATEX_SIZE = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)\s*(?=[()\[\]|.]|\\[{}|])")
_MATH_WORDS = {
    "rule", "chain", "product", "quotient", "power", "sum", "derivative", "derivatives",
    "differentiate", "differentiating", "substitute", "substitution", "inner", "outer",
    "function", "check", "verify", "so", "hence", "therefore", "thus", "then", "let",
    "where", "step", "first", "next", "finally", "we", "get", "answer", "simplify",
    "simplifying", "expand", "expanding", "factor", "factoring", "constant", "multiple",
    "point", "value", "plug", "evaluate", "evaluating", "layer", "layers",
}  # fmt: skip
_CJK = re.compile(r"[\u4e00-\u9fff]")


def clean_line(line: str) -> str:
    r"""A line without its bullet, LaTeX sizing (``\left(`` is ``(``), full stop and the
    words around it (``By the chain rule,``, ``所以``, ``(product rule)``).

    >>> clean_line("By the chain rule, dy/dx = 6(2x+1)^2 (chain rule).")
    'dy/dx = 6(2x+1)^2'
    """
    text = _LATEX_SIZE.sub("", line.replace("′", "'").replace("’", "'").replace("″", "''"))
    text = text.replace("\\left.", "").replace("$", "").strip()
    text = _BULLET.sub("", text, count=1)
    changed = True
    while changed and text:
        changed = False
        for pattern in _PROSE_START:
            match = pattern.match(text)
            if match and match.end() > 0 and match.end() < len(text):
                text, changed = text[match.end() :].strip(), True
        for pattern in _PROSE_END:
            match = pattern.search(text)
            if match and match.start() > 0:
                text, changed = text[: match.start()].strip(), True
        stripped = _without_full_stop(text.rstrip("，,:：")).strip()
        remark = _TRAILING_NOTE.search(stripped)
        if remark is not None and remark.start() > 0 and _is_prose(remark.group(1, 2)):
            if remark.group(1) is None or not stripped[remark.start() - 1].isalpha():
                stripped = stripped[: remark.start()].strip()
        if stripped != text:
            text, changed = stripped, True
    return text


def is_prose(text: str) -> bool:
    """Words, not mathematics: Chinese without ``=``, or English words (two or more, one
    of them a word of calculus or of reasoning, none a function's name, no digit or
    operator). ``import os`` is not prose: an answer that cannot be read stays unreadable.

    >>> is_prose("by the product rule"), is_prose("由链式法则"), is_prose("import os")
    (True, True, False)
    """
    text = text.strip().rstrip(":：.。,，")
    while len(text) > 1 and text[0] in "(（" and text[-1] in ")）":  # (product rule)
        text = text[1:-1].strip()
    if not text:
        return True
    if re.search(r"[=+*/^·×÷\d()（）\[\]{}|']", text):
        return False
    if _CJK.search(text):
        return True
    words = re.findall(r"[A-Za-z]+", text)
    if len(words) < 2 or re.sub(r"[A-Za-z\s,;:!?.-]", "", text):
        return False
    lowered = [w.lower() for w in words]
    names = spellings()
    return any(w in _MATH_WORDS for w in lowered) and not any(w in names for w in lowered)


# ---- statements and sides ------------------------------------------------------------

_STATEMENT_BREAK = re.compile(
    r"[,，、。]|(?<=\S)\.\s+(?=[A-Za-z\u4e00-\u9fff])|\s+then\s+|\s+so\s+|(?<!法)则|那么|所以|因此"
    r"|于是|从而"
)


def _top_level(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` outside brackets."""
    depth = [0] * (len(text) + 1)
    level = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            level += 1
        elif ch in _CLOSE:
            level = max(0, level - 1)
        depth[i + 1] = level
    for match in pattern.finditer(text):
        if depth[match.start()] == 0 and (match.start() == 0 or depth[match.start()] == 0):
            yield match


def statements(line: str) -> list[str]:
    """The statements of a cleaned line: split at top-level commas and at ``then``/``则``,
    each cleaned of its own words; prose statements are dropped."""
    pieces, start = [], 0
    for match in _top_level(line, _STATEMENT_BREAK):
        pieces.append(line[start : match.start()])
        start = match.end()
    pieces.append(line[start:])
    kept = [clean_line(piece) for piece in pieces]
    return [piece for piece in kept if piece and not is_prose(piece)]


_SIDE_BREAK = re.compile(r"(?<![=<>!])(?:=|＝|≈)(?!=)")


def sides(statement: str) -> list[tuple[int, str]]:
    """(offset, text) of each side of a statement, split at top-level ``=`` (and ``≈``)."""
    found, start = [], 0
    for match in _top_level(statement, _SIDE_BREAK):
        found.append((start, statement[start : match.start()]))
        start = match.end()
    found.append((start, statement[start:]))
    return found


# ---- points --------------------------------------------------------------------------


def point_phrase(statement: str, var: str) -> tuple[str, str] | None:
    """``(point, rest)`` when the statement names a point of ``var``: ``x = 1 时 …``,
    ``当 x = 1 时，…``, ``at x = 1: …``, ``x = 1``; else None.

    >>> point_phrase("x = 1 时 dy/dx = 54", "x")
    ('1', 'dy/dx = 54')
    >>> point_phrase("u = 2x + 1", "x") is None
    True
    """
    v = re.escape(var)
    patterns = (
        rf"^(?:(?:当|在|at|when|for|with)\s*)?{v}\s*=\s*(?P<p>[^=,，:：]+?)\s*"
        rf"(?:时候?|处|的时候)\s*[,，:：]?\s*(?P<rest>.*)$",
        rf"^(?:at|when|for|with|当|在)\s*{v}\s*=\s*(?P<p>[^=,，:：]+?)\s*(?:[,，:：]\s*(?P<rest>.*))?$",
        rf"^{v}\s*=\s*(?P<p>[^=,，:：]+?)\s*[:：]?\s*$",
    )
    for pattern in patterns:
        match = re.match(pattern, statement.strip(), re.IGNORECASE)
        if match:
            return match.group("p").strip(), (match.group("rest") or "").strip()
    return None


# ---- labels --------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """The left side of a derivative line: ``y'``, ``f'(x)``, ``f'(1)``, ``dy/dx``,
    ``dy/du``, ``dy/dx|_{x=1}``. ``name`` is what is differentiated, ``wrt`` the variable
    of Leibniz's notation (None for primes), ``order`` the number of primes, ``argument``
    the text in brackets after a prime (``x``, ``1``) and ``point`` the point of
    ``|_{x=1}`` (or of a number argument)."""

    name: str
    wrt: str | None = None
    order: int = 1
    argument: str | None = None
    point: str | None = None


_NAME = r"[A-Za-z][A-Za-z0-9_]*"
_LEIBNIZ_LABEL = re.compile(
    rf"^\s*(?:\\frac\s*\{{\s*d\s*(?P<a>{_NAME})\s*\}}\s*\{{\s*d\s*(?P<b>{_NAME})\s*\}}"
    rf"|d\s*(?P<a2>{_NAME})\s*/\s*d\s*(?P<b2>{_NAME}))\s*(?P<tail>.*?)\s*$"
)
_PRIME_LABEL = re.compile(
    rf"^\s*(?P<n>{_NAME})\s*(?P<p>'+)\s*(?:\(\s*(?P<arg>[^()]*?)\s*\))?\s*(?P<tail>.*?)\s*$"
)
_POINT_TAIL = re.compile(
    rf"^(?:\|\s*_?\s*\{{?\s*(?P<v>{_NAME})\s*=\s*(?P<p>[^{{}}]+?)\s*\}}?"
    rf"|\(\s*(?P<v2>{_NAME})\s*=\s*(?P<p2>[^()]+?)\s*\)|\(\s*(?P<p3>[^()=]+?)\s*\))$"
)


def read_label(side: str) -> Label | None:
    """The derivative label a first side is, or None (then it is a formula).

    >>> read_label("f'(1)")
    Label(name='f', wrt=None, order=1, argument='1', point='1')
    >>> read_label("dy/dx|_{x=1}").point
    '1'
    >>> read_label("dy/dx · 2") is None
    True
    """
    match = _LEIBNIZ_LABEL.match(side)
    if match:
        a, b = match.group("a") or match.group("a2"), match.group("b") or match.group("b2")
        tail = match.group("tail")
        point = None
        if tail:
            found = _POINT_TAIL.match(tail)
            if found is None:
                return None
            point = found.group("p") or found.group("p2") or found.group("p3")
        return Label(a, b, 1, None, point)
    match = _PRIME_LABEL.match(side)
    if match and match.group("n") not in spellings():
        tail, argument = match.group("tail"), match.group("arg")
        point = None
        if tail:
            found = _POINT_TAIL.match(tail)
            if found is None or found.group("p3"):
                return None
            point = found.group("p") or found.group("p2")
        if argument is not None and not re.fullmatch(_NAME, argument):
            point = point or argument
        return Label(match.group("n"), None, len(match.group("p")), argument, point)
    return None


# ---- sides with derivative marks -----------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """A derivative mark in a side, standing for the derivative ``symbol`` replaced.

    ``kind``: ``prime`` (``(E)'``, ``[E]'``), ``operator`` (``d/dx(E)``), ``name``
    (``u'``: ``name`` is u) or ``leibniz`` (``dy/du``: ``name`` y, ``wrt`` u). ``operand``
    is the side differentiated (prime and operator); ``wrt`` for an operator is its
    variable.
    """

    symbol: sympy.Symbol
    kind: str
    text: str
    operand: Side | None = None
    name: str | None = None
    wrt: str | None = None


@dataclass(frozen=True)
class Side:
    """A side read: ``template`` is the formula with each mark replaced by its symbol."""

    text: str
    template: sympy.Expr
    marks: tuple[Mark, ...] = ()

    @property
    def all_marks(self) -> tuple[Mark, ...]:
        """The marks of this side and of the operands inside them."""
        found: list[Mark] = []
        for mark in self.marks:
            found.append(mark)
            if mark.operand is not None:
                found += mark.operand.all_marks
        return tuple(found)


_OPERATOR = re.compile(
    rf"(?<![A-Za-z0-9_])(?:d\s*/\s*d\s*(?P<v>{_NAME})|\\frac\s*\{{\s*d\s*\}}\s*\{{\s*d\s*(?P<v2>{_NAME})\s*\}})\s*"
)
_LEIBNIZ = re.compile(
    rf"(?<![A-Za-z0-9_])(?:\\frac\s*\{{\s*d\s*(?P<a>{_NAME})\s*\}}\s*\{{\s*d\s*(?P<b>{_NAME})\s*\}}"
    rf"|d(?P<a2>{_NAME})\s*/\s*d(?P<b2>{_NAME})(?![A-Za-z0-9_]))"
)
_NAME_PRIME = re.compile(rf"(?<![A-Za-z0-9_\\])(?P<n>{_NAME})\s*'")


def _closing(text: str, i: int) -> int:
    """Index of the bracket closing the one at ``text[i]``, or -1."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] in _OPEN:
            depth += 1
        elif text[j] in _CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return -1


class _Reader:
    def __init__(self, known: Collection[str]):
        self.known = set(known)
        self.count = 0

    def placeholder(self) -> sympy.Symbol:
        name = f"{PLACEHOLDER}{self.count}"
        self.count += 1
        return symbol(name)

    def side(self, text: str) -> Side:
        out: list[str] = []
        marks: list[Mark] = []
        i = 0
        while i < len(text):
            found = self._mark_at(text, i)
            if found is not None:
                mark, i = found
                marks.append(mark)
                out.append(f" ({mark.symbol.name}) ")
                continue
            out.append(text[i])
            i += 1
        template_text = "".join(out)
        names = self.known | {m.symbol.name for m in marks}
        try:
            plain = parse(template_text)
        except ParseError:
            plain = parse(template_text, variables=names)
        return Side(text, reread(template_text, plain, names), tuple(marks))

    def _mark_at(self, text: str, i: int) -> tuple[Mark, int] | None:
        operator = _OPERATOR.match(text, i)
        if operator and operator.end() < len(text):
            j = operator.end()
            if text[j] in _OPEN:
                end = _closing(text, j)
                if end < 0:
                    return None
                inner, after = text[j + 1 : end], end + 1
            else:
                inner, after = text[j:], len(text)
            wrt = operator.group("v") or operator.group("v2")
            mark = Mark(self.placeholder(), "operator", text[i:after], self.side(inner), wrt=wrt)
            return mark, after
        leibniz = _LEIBNIZ.match(text, i)
        if leibniz:
            a = leibniz.group("a") or leibniz.group("a2")
            b = leibniz.group("b") or leibniz.group("b2")
            if a in self.known and b in self.known:
                mark = Mark(self.placeholder(), "leibniz", leibniz.group(0), name=a, wrt=b)
                return mark, leibniz.end()
        if text[i] in _OPEN:
            end = _closing(text, i)
            if end > 0 and text[end + 1 : end + 2] == "'":
                primes = len(re.match(r"'+", text[end + 1 :]).group(0))  # type: ignore[union-attr]
                operand = self.side(text[i + 1 : end])
                for _ in range(primes - 1):  # (E)'' = ((E)')'
                    inner = Mark(self.placeholder(), "prime", "", operand)
                    operand = Side("", inner.symbol, (inner,))
                after = end + 1 + primes
                return Mark(self.placeholder(), "prime", text[i:after], operand), after
        named = _NAME_PRIME.match(text, i)
        if named:
            name = named.group("n")
            if name not in self.known and name[-1] in self.known and name[:-1]:
                return None  # uv': u·v', read when the scan reaches v
            if name in self.known:
                return Mark(self.placeholder(), "name", named.group(0), name=name), named.end()
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
            return None
        return None


def read_side(text: str, known: Collection[str]) -> Side:
    """Read one side: its formula, with derivative marks replaced by placeholder names.

    ``known`` are the names in use (the function's, the student's, y and f); ``dy/du`` and
    ``u'`` are marks only when their names are known. Raises :class:`ParseError`.

    >>> side = read_side("dy/du · du/dx", {"x", "y", "u"})
    >>> [(m.name, m.wrt) for m in side.marks]
    [('y', 'u'), ('u', 'x')]
    >>> [m.name for m in read_side("u'v + uv'", {"x", "u", "v"}).marks]
    ['u', 'v']
    """
    reader = _Reader(known)
    # uv': a glued name before a prime is split so that its last letter is the mark's
    prepared = re.sub(
        rf"(?<![A-Za-z0-9_\\])({_NAME})'",
        lambda m: _split_glued(m.group(1), reader.known) + "'",
        text,
    )
    return reader.side(prepared)


def _split_glued(name: str, known: set[str]) -> str:
    if name in known or name in spellings():
        return name
    for cut in range(len(name) - 1, 0, -1):
        if name[cut:] in known:
            return f"{name[:cut]} {name[cut:]}"
    return name
