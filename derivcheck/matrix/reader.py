"""Reading the matrix language: text -> declarations, sizes and assignments (never ``eval``).

A hand-written tokenizer and recursive-descent grammar in the style of
:mod:`derivcheck.reading`: whatever is not in the language is refused with a
:class:`~derivcheck.errors.ParseError` that points at it. See :mod:`derivcheck.matrix`
for the language itself.

>>> program = read_matrix_program('''
... X: D×N, W: H×D, T: H×N
... Y = W @ X
... L = mean((Y - T)**2)
... dY = 2 * (Y - T) / (H * N)
... dW = dY @ X.T
... ''')
>>> program.inputs, program.loss, [line.of for line in program.backward]
(('W', 'X', 'T'), 'L', ['Y', 'W'])
>>> program.declarations["W"].shape
('H', 'D')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from derivcheck.errors import DerivcheckError, ParseError
from derivcheck.limits import MAX_DEPTH, MAX_NAME_LENGTH
from derivcheck.matrix.expr import Expr, walk
from derivcheck.reading.grammar import reading
from derivcheck.reading.names import greek_name
from derivcheck.reading.tokens import TokenCursor, check_text, describe, plain

__all__ = [
    "Declaration",
    "Assignment",
    "BackwardLine",
    "MatrixProgram",
    "read_matrix_program",
    "gradient_of",
    "LOSS_NAMES",
    "FLAGS",
    "MAX_SIZE",
    "MAX_STATEMENTS",
]

#: Names a loss usually has; the loss is the assignment with one of them, else the last
#: assignment before the first gradient.
LOSS_NAMES = ("L", "loss", "J", "cost")
#: What a declaration may add after a shape: ``T: C×N one-hot``, ``S: H×N positive``.
FLAGS = ("one-hot", "positive")
#: Largest size a dimension may be given.
MAX_SIZE = 100_000
#: Most statements in one program.
MAX_STATEMENTS = 500

Dim = str | int


# ------------------------------------------------------------------------------ tokens


@dataclass
class Token:
    """kind: num name op cmp lpar rpar lbrack rbrack comma colon eq dot tsup sup sep end."""

    kind: str
    value: object
    pos: int
    end: int


_SUPERSCRIPT_DIGITS = {"²": 2, "³": 3}
_SUBSCRIPT_DIGITS = {chr(0x2080 + d): str(d) for d in range(10)}
#: Characters with a meaning of their own here (before plain() maps · and × to *).
_OWN = {
    "@": ("op", "@"), "·": ("op", "@"), "⋅": ("op", "@"),
    "⊙": ("op", "*"), "∘": ("op", "*"), "×": ("op", "×"),
    "ᵀ": ("tsup", "T"), "⊤": ("tsup", "T"),
    "≥": ("cmp", ">="), "≤": ("cmp", "<="),
}  # fmt: skip
_SIMPLE = {
    "+": ("op", "+"), "-": ("op", "-"), "/": ("op", "/"), "^": ("op", "^"),
    "(": ("lpar", "("), ")": ("rpar", ")"), "[": ("lbrack", "["), "]": ("rbrack", "]"),
    ",": ("comma", ","), ":": ("colon", ":"), ";": ("sep", ";"),
}  # fmt: skip
#: ``dL/dW1``, ``∂L/∂W1``: one name (the loss letter after d may be L, J or the word loss).
_GRADIENT_PAIR = re.compile(r"[d∂](?:L|J|E|loss|cost)/[d∂][^\W\d]\w*", re.UNICODE)


def _name_start(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_") or greek_name(ch) is not None


def _name_char(ch: str) -> bool:
    return _name_start(ch) or (ch.isascii() and ch.isdigit()) or ch in _SUBSCRIPT_DIGITS


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (the last one is ``end``); a ParseError at anything else.

    >>> [(t.kind, t.value) for t in tokenize("dW1 = dZ1 @ Xᵀ")][:6]
    [('name', 'dW1'), ('eq', '='), ('name', 'dZ1'), ('op', '@'), ('name', 'X'), ('tsup', 'T')]
    >>> [t.value for t in tokenize("dL/dW1 = δ₁ ⊙ Z²")][:6]
    ['dL/dW1', '=', 'delta1', '*', 'Z', 2]
    """
    tokens: list[Token] = []
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        raw = text[i]
        start = i
        if raw in _OWN:
            kind, value = _OWN[raw]
            tokens.append(Token(kind, value, i, i + 1))
            i += 1
            continue
        if raw in _SUPERSCRIPT_DIGITS:
            tokens.append(Token("sup", _SUPERSCRIPT_DIGITS[raw], i, i + 1))
            i += 1
            continue
        ch = plain(raw)
        if ch in " \t\r\u3000":
            i += 1
        elif ch == "\n":
            if depth == 0:
                tokens.append(Token("sep", "\n", i, i + 1))
            i += 1
        elif ch == "#":
            newline = text.find("\n", i)
            i = n if newline == -1 else newline
        elif (ch.isascii() and ch.isdigit()) or (
            ch == "." and i + 1 < n and plain(text[i + 1]).isdigit()
        ):
            i = _number(text, i, tokens)
        elif _name_start(ch) or ch == "∂":
            pair = _GRADIENT_PAIR.match(text, i)
            if pair is not None:
                i = pair.end()
                while i < n and _name_char(text[i]):
                    i += 1
                tokens.append(Token("name", _name_text(text[start:i]), start, i))
                continue
            if ch == "∂":
                raise ParseError("parse.unexpected_character", text, i, character=describe(raw))
            while i < n and _name_char(plain(text[i])):
                i += 1
            name = _name_text(text[start:i])
            if len(name) > MAX_NAME_LENGTH:
                raise ParseError("parse.name_too_long", text, start, limit=MAX_NAME_LENGTH)
            tokens.append(Token("name", name, start, i))
        elif ch == "*":
            if i + 1 < n and plain(text[i + 1]) == "*":
                tokens.append(Token("op", "**", i, i + 2))
                i += 2
            else:
                tokens.append(Token("op", "*", i, i + 1))
                i += 1
        elif ch in "<>":
            if i + 1 < n and text[i + 1] == "=":
                tokens.append(Token("cmp", ch + "=", i, i + 2))
                i += 2
            else:
                tokens.append(Token("cmp", ch, i, i + 1))
                i += 1
        elif ch == "=":
            if i + 1 < n and text[i + 1] == "=":
                raise ParseError("matrix.parse.equality", text, i)
            tokens.append(Token("eq", "=", i, i + 1))
            i += 1
        elif ch == "!":
            raise ParseError("matrix.parse.equality", text, i)
        elif ch == ".":
            tokens.append(Token("dot", ".", i, i + 1))
            i += 1
        elif ch in _SIMPLE:
            kind, value = _SIMPLE[ch]
            if kind in ("lpar", "lbrack"):
                depth += 1
            elif kind in ("rpar", "rbrack"):
                depth = max(0, depth - 1)
            tokens.append(Token(kind, value, i, i + 1))
            i += 1
        elif ch in "'\"`":
            raise ParseError("parse.string", text, i)
        else:
            raise ParseError("parse.unexpected_character", text, i, character=describe(raw))
    tokens.append(Token("end", None, n, n))
    return tokens


def _name_text(raw: str) -> str:
    """A name as derivcheck keeps it: full-width letters plain, δ -> delta, W₁ -> W1."""
    parts = []
    for ch in raw:
        if ch in _SUBSCRIPT_DIGITS:
            parts.append(_SUBSCRIPT_DIGITS[ch])
            continue
        ch = plain(ch)
        greek = None if ch.isascii() else greek_name(ch)
        parts.append(greek or ch)
    return "".join(parts)


def _number(text: str, i: int, tokens: list[Token]) -> int:
    match = re.compile(r"\d*\.?\d*(?:[eE][-+]?\d+)?").match(
        "".join(plain(c) for c in text[i : i + 400])
    )
    assert match is not None
    literal = match.group(0)
    if literal.endswith("."):  # 2.T is not a number followed by .T
        literal = literal[:-1]
    try:
        value = float(literal)
    except ValueError:  # pragma: no cover - the pattern only matches numbers
        raise ParseError("matrix.parse.number", text, i) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError("matrix.parse.number", text, i)
    tokens.append(Token("num", value, i, i + len(literal)))
    return i + len(literal)


# ------------------------------------------------------------------------------ statements


@dataclass(frozen=True)
class Declaration:
    """``X: D×N``: an input's shape (dimension names or numbers) and its flags."""

    name: str
    shape: tuple[Dim, ...]
    flags: frozenset[str] = frozenset()
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Assignment:
    """``name = formula``: ``target`` as written, the formula's tree, where it stands."""

    target: str
    expr: Expr
    span: tuple[int, int]
    target_span: tuple[int, int]
    line: int

    def source(self, text: str) -> str:
        """The formula as the user wrote it."""
        return text[self.expr.span[0] : self.expr.span[1]] if self.expr.span else ""


@dataclass(frozen=True)
class BackwardLine:
    """An assignment of the backward part: a gradient (``of`` is what it is the gradient
    of) or a helper (``of`` is None)."""

    assignment: Assignment
    of: str | None

    @property
    def name(self) -> str:
        return self.assignment.target


@dataclass(frozen=True)
class MatrixProgram:
    """A program of the matrix language, read and resolved.

    ``inputs`` are the names the program uses without assigning them (in order of first
    use); ``dimensions`` the dimension names of the declarations (in order of first
    appearance); ``sizes`` the sizes the text gives them (``dims: D = 1, N = 50``);
    ``forward`` the assignments before the first gradient, ``loss`` the loss's name,
    ``backward`` the lines from the first gradient on.
    """

    text: str
    declarations: Mapping[str, Declaration]
    sizes: Mapping[str, int]
    assignments: tuple[Assignment, ...]
    inputs: tuple[str, ...]
    dimensions: tuple[str, ...]
    forward: tuple[Assignment, ...]
    loss: str
    backward: tuple[BackwardLine, ...]
    scalar_form: bool = field(default=False)

    @property
    def forward_names(self) -> tuple[str, ...]:
        return tuple(a.target for a in self.forward)

    def assignment(self, name: str) -> Assignment | None:
        return next((a for a in self.assignments if a.target == name), None)


#: Words that are not names of matrices.
_RESERVED = frozenset({"np", "numpy", "if", "else", "True", "False", "None", "dims", "sizes"})


class _Parser(TokenCursor):
    """The grammar over the tokens of one statement at a time (peek, advance, error:
    :class:`~derivcheck.reading.tokens.TokenCursor`)."""

    # ---- helpers
    def expect(self, kind: str, key: str = "matrix.parse.expected") -> Token:
        token = self.peek()
        if token.kind != kind:
            raise self.error(key, token, what=_KIND_WORDS.get(kind, kind), found=_found(token))
        return self.advance()

    def at(self, kind: str, value: object = None) -> bool:
        token = self.peek()
        return token.kind == kind and (value is None or token.value == value)

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("parse.too_deep", token, limit=MAX_DEPTH)

    def leave(self) -> None:
        self.depth -= 1

    def node(self, op: str, args: tuple[Expr, ...], value: object, start: int) -> Expr:
        return Expr(op, args, value, (start, self.tokens[self.i - 1].end))

    # ---- statements
    def statements(self) -> list[tuple[str, object]]:
        found: list[tuple[str, object]] = []
        while True:
            while self.at("sep"):
                self.advance()
            if self.at("end"):
                return found
            if len(found) >= MAX_STATEMENTS:
                raise self.error("matrix.parse.too_many", self.peek(), limit=MAX_STATEMENTS)
            found.append(self.statement())
            if not (self.at("sep") or self.at("end")):
                token = self.peek()
                raise self.error("matrix.parse.trailing", token, found=_found(token))

    def statement(self) -> tuple[str, object]:
        head = self.peek()
        if head.kind != "name":
            raise self.error("matrix.parse.statement", head, found=_found(head))
        following = self.peek(1)
        if following.kind == "colon":
            if head.value in ("dims", "sizes") and self.peek(3).kind == "eq":
                return "sizes", self.sizes()
            return "declarations", self.declarations()
        if following.kind == "eq":
            return "assignment", self.assignment()
        if following.kind in ("sep", "end"):
            raise self.error("matrix.parse.statement", head, found=_found(head))
        if (
            following.kind == "op"
            and self.peek(2).kind == "eq"
            and following.end == self.peek(2).pos
        ):
            # dW += reg * W: NumPy's in-place update
            raise self.error(
                "matrix.parse.in_place", following, name=head.value, op=following.value
            )
        if following.kind == "lbrack":  # dH[Z1 <= 0] = 0
            raise self.error("matrix.parse.item_assignment", following, name=head.value)
        raise self.error("matrix.parse.assignment_expected", following, found=_found(following))

    def declarations(self) -> list[Declaration]:
        found = [self.declaration()]
        while self.at("comma"):
            self.advance()
            if self.at("sep") or self.at("end"):
                break
            found.append(self.declaration())
        return found

    def declaration(self) -> Declaration:
        head = self.expect("name")
        name = str(head.value)
        if name in _RESERVED:
            raise self.error("matrix.parse.reserved", head, name=name)
        self.expect("colon")
        shape = self.shape()
        flags: set[str] = set()
        while self.at("name"):
            token = self.peek()
            if token.value == "onehot":
                self.advance()
                flags.add("one-hot")
            elif token.value == "one" and self.peek(1).value == "-" and self.peek(2).value == "hot":
                self.i += 3
                flags.add("one-hot")
            elif token.value == "positive":
                self.advance()
                flags.add("positive")
            else:
                raise self.error(
                    "matrix.parse.flag", token, found=_found(token), flags=", ".join(FLAGS)
                )
        return Declaration(name, shape, frozenset(flags), (head.pos, self.tokens[self.i - 1].end))

    def shape(self) -> tuple[Dim, ...]:
        token = self.peek()
        if token.kind == "name" and token.value == "scalar":
            self.advance()
            return ()
        if token.kind == "lpar":
            self.advance()
            dims: list[Dim] = []
            while not self.at("rpar"):
                dims.append(self.dim())
                if self.at("comma"):
                    self.advance()
                elif not self.at("rpar"):
                    token = self.peek()
                    raise self.error("matrix.parse.shape", token, found=_found(token))
            self.advance()
            return self._rank(tuple(dims), token)
        dims = [self.dim()]
        while self.at("op", "×") or self.at("op", "*") or self.at("name", "x"):
            self.advance()
            dims.append(self.dim())
        return self._rank(tuple(dims), token)

    def _rank(self, dims: tuple[Dim, ...], token: Token) -> tuple[Dim, ...]:
        if len(dims) > 2:
            raise self.error("matrix.parse.rank", token, rank=len(dims))
        return dims

    def dim(self) -> Dim:
        token = self.peek()
        if token.kind == "num" and float(token.value).is_integer() and token.value >= 1:
            self.advance()
            value = int(token.value)
            if value > MAX_SIZE:
                raise self.error("matrix.parse.size_too_large", token, limit=MAX_SIZE)
            return value
        if token.kind == "name" and token.value not in _RESERVED and token.value != "x":
            self.advance()
            return str(token.value)
        raise self.error("matrix.parse.shape", token, found=_found(token))

    def sizes(self) -> tuple[dict[str, int], dict[str, int]]:
        self.advance()
        self.advance()  # 'dims' ':'
        sizes: dict[str, int] = {}
        positions: dict[str, int] = {}
        while True:
            token = self.expect("name")
            self.expect("eq")
            value = self.peek()
            if not (value.kind == "num" and float(value.value).is_integer() and value.value >= 1):
                raise self.error("matrix.parse.size", value, found=_found(value))
            if value.value > MAX_SIZE:
                raise self.error("matrix.parse.size_too_large", value, limit=MAX_SIZE)
            self.advance()
            sizes[str(token.value)] = int(value.value)
            positions[str(token.value)] = token.pos
            if not self.at("comma"):
                return sizes, positions
            self.advance()

    def assignment(self) -> Assignment:
        head = self.advance()
        name = str(head.value)
        if name in _RESERVED:
            raise self.error("matrix.parse.reserved", head, name=name)
        eq = self.advance()
        if self.at("sep") or self.at("end"):
            raise self.error("parse.missing_expression", eq)
        expr = self.expression()
        end = self.tokens[self.i - 1].end
        line = self.text.count("\n", 0, head.pos) + 1
        return Assignment(name, expr, (head.pos, end), (head.pos, head.end), line)

    # ---- formulas, loosest first
    def expression(self) -> Expr:
        start = self.peek()
        self.enter(start)
        value = self.comparison()
        if self.at("name", "if"):
            self.advance()
            condition = self.comparison()
            if not self.at("name", "else"):
                raise self.error("matrix.parse.else", self.peek())
            self.advance()
            otherwise = self.expression()
            value = self.node("where", (condition, value, otherwise), "if", start.pos)
        self.leave()
        return value

    def comparison(self) -> Expr:
        start = self.peek().pos
        value = self.arithmetic()
        if self.at("cmp"):
            op = self.advance()
            rhs = self.arithmetic()
            value = self.node("cmp", (value, rhs), op.value, start)
            if self.at("cmp"):
                raise self.error("matrix.parse.chained_comparison", self.peek())
        return value

    def arithmetic(self) -> Expr:
        start = self.peek().pos
        value = self.term()
        while self.at("op", "+") or self.at("op", "-"):
            op = self.advance()
            rhs = self.term()
            value = self.node("add" if op.value == "+" else "sub", (value, rhs), None, start)
        return value

    def term(self) -> Expr:
        start = self.peek().pos
        value = self.unary()
        ops = {"*": "mul", "×": "mul", "/": "div", "@": "matmul"}
        while self.at("op") and self.peek().value in ops:
            op = self.advance()
            rhs = self.unary()
            value = self.node(ops[str(op.value)], (value, rhs), None, start)
        return value

    def unary(self) -> Expr:
        token = self.peek()
        if token.kind == "op" and token.value in ("-", "+"):
            self.advance()
            self.enter(token)
            operand = self.unary()
            self.leave()
            if token.value == "+":
                return operand
            if operand.op == "num" and not operand.grouped:
                return self.node("num", (), -operand.value, token.pos)
            return self.node("neg", (operand,), None, token.pos)
        return self.power()

    def power(self) -> Expr:
        start = self.peek().pos
        base = self.postfix(self.primary())
        if self.at("op", "**") or (self.at("op", "^") and not self.at_transpose_mark(1)):
            self.advance()
            exponent = self.constant()
            base = self.node("pow", (base,), exponent, start)
        return base

    def at_transpose_mark(self, ahead: int) -> bool:
        token = self.peek(ahead)
        return token.kind == "name" and token.value == "T"

    def constant(self) -> float:
        """An exponent: a number, with a sign, in brackets or not."""
        token = self.peek()
        sign = 1.0
        bracketed = False
        if token.kind == "lpar":
            self.advance()
            bracketed = True
        if self.at("op", "-") or self.at("op", "+"):
            sign = -1.0 if self.advance().value == "-" else 1.0
        number = self.peek()
        if number.kind != "num":
            raise self.error("matrix.parse.exponent", number, found=_found(number))
        self.advance()
        if bracketed:
            self.expect("rpar")
        return sign * float(number.value)

    def postfix(self, value: Expr) -> Expr:
        start = value.span[0] if value.span else self.peek().pos
        while True:
            token = self.peek()
            if token.kind == "tsup":
                self.advance()
                value = self.node("T", (value,), None, start)
            elif token.kind == "op" and token.value == "^" and self.at_transpose_mark(1):
                self.i += 2
                value = self.node("T", (value,), None, start)
            elif token.kind == "sup":
                self.advance()
                value = self.node("pow", (value,), float(token.value), start)
            elif token.kind == "dot":
                value = self.attribute(value, start)
            else:
                return value

    def attribute(self, value: Expr, start: int) -> Expr:
        dot = self.advance()
        name_token = self.peek()
        if name_token.kind != "name":
            raise self.error("matrix.parse.attribute", dot, name=_found(name_token))
        self.advance()
        name = str(name_token.value)
        if name == "T":
            return self.node("T", (value,), None, start)
        if name == "shape":
            self.expect("lbrack")
            index = self.peek()
            if not (index.kind == "num" and float(index.value).is_integer()):
                raise self.error("matrix.parse.shape_index", index)
            self.advance()
            self.expect("rbrack")
            return self.node("shape", (value,), int(index.value), start)
        if name not in _METHODS:
            raise self.error("matrix.parse.attribute", name_token, name=repr(name))
        self.expect("lpar")
        positional, keywords = self.arguments(name_token)
        return self.call(_METHODS[name], (value, *positional), keywords, name_token, start, ".")

    def primary(self) -> Expr:
        token = self.peek()
        if token.kind == "num":
            self.advance()
            return Expr("num", (), float(token.value), (token.pos, token.end))
        if token.kind == "lpar":
            self.advance()
            self.enter(token)
            inner = self.expression()
            closing = self.peek()
            if closing.kind != "rpar":
                raise self.error("matrix.parse.unclosed", closing, found=_found(closing))
            self.advance()
            self.leave()
            return Expr(inner.op, inner.args, inner.value, (token.pos, closing.end), True)
        if token.kind == "name":
            return self.name()
        if token.kind == "end" or token.kind == "sep":
            raise self.error("matrix.parse.unexpected_end", token)
        raise self.error("matrix.parse.operand", token, found=_found(token))

    def name(self) -> Expr:
        token = self.advance()
        name = str(token.value)
        if name in ("np", "numpy"):
            if not self.at("dot"):
                raise self.error("matrix.parse.numpy", token)
            self.advance()
            function = self.peek()
            if function.kind == "name" and str(function.value) in _DTYPES:
                self.advance()  # np.float64, as astype's argument
                return Expr("name", (), str(function.value), (token.pos, function.end))
            if function.kind != "name" or str(function.value) not in _NUMPY:
                raise self.error("matrix.parse.numpy_function", function, found=_found(function))
            self.advance()
            self.expect("lpar")
            positional, keywords = self.arguments(function)
            return self.call(
                _NUMPY[str(function.value)], positional, keywords, function, token.pos, f"{name}."
            )
        if self.at("lpar"):
            written = self.text[token.pos : token.end]
            function = (
                _FUNCTIONS.get(name) or _catalogue_function(name) or _catalogue_function(written)
            )
            if function is None:
                raise self.error("matrix.parse.unknown_function", token, name=repr(name))
            self.advance()
            positional, keywords = self.arguments(token)
            return self.call(function, positional, keywords, token, token.pos)
        if name in _RESERVED or name in ("if", "else"):
            raise self.error("matrix.parse.reserved", token, name=name)
        return Expr("name", (), name, (token.pos, token.end))

    def arguments(self, function: Token) -> tuple[list[Expr], dict[str, object]]:
        """After '(': positional arguments, then ``axis=…``/``keepdims=…``, to ')'."""
        self.enter(function)
        positional: list[Expr] = []
        keywords: dict[str, object] = {}
        while not self.at("rpar"):
            if self.at("name") and self.peek(1).kind == "eq":
                key = self.advance()
                self.advance()
                keywords[str(key.value)] = self.keyword_value(key)
            else:
                if keywords:
                    raise self.error("matrix.parse.positional_after_keyword", self.peek())
                positional.append(self.expression())
            if self.at("comma"):
                self.advance()
            elif not self.at("rpar"):
                token = self.peek()
                raise self.error("matrix.parse.unclosed", token, found=_found(token))
        self.advance()
        self.leave()
        return positional, keywords

    def keyword_value(self, key: Token) -> object:
        token = self.peek()
        if token.kind == "name" and token.value in ("True", "False", "None"):
            self.advance()
            return {"True": True, "False": False, "None": None}[str(token.value)]
        if token.kind == "name" and token.value in _DTYPES:
            self.advance()
            return token.value
        if token.kind == "name" and token.value in ("np", "numpy") and self.peek(1).kind == "dot":
            self.i += 2
            dtype = self.expect("name")
            return dtype.value
        sign = 1
        if self.at("op", "-"):
            self.advance()
            sign = -1
        number = self.peek()
        if number.kind == "num" and float(number.value).is_integer():
            self.advance()
            return sign * int(number.value)
        raise self.error("matrix.parse.keyword_value", token, name=key.value)

    def call(
        self,
        function: str,
        args: list[Expr],
        keywords: dict[str, object],
        token: Token,
        start: int,
        prefix: str = "",
    ) -> Expr:
        node = _build_call(self, function, tuple(args), keywords, token, start)
        if node.op in ("sum", "mean", "fn") and function != "maximum":
            return replace(node, spelling=prefix)
        if node.op == "matmul" and function == "matmul":
            return replace(node, spelling=f"{prefix}:{token.value}")
        return node


_KIND_WORDS = {"name": "a name", "colon": "':'", "eq": "'='", "rpar": "')'", "rbrack": "']'"}
_DTYPES = frozenset({"float", "float64", "float32", "int", "bool"})


def _found(token: Token) -> str:
    if token.kind == "end":
        return "the end"
    if token.kind == "sep":
        return "the end of the line" if token.value == "\n" else "';'"
    if token.kind == "num":
        from derivcheck.matrix.expr import number_text

        return repr(number_text(float(token.value)))
    return repr(str(token.value))


# ------------------------------------------------------------------------------ functions

#: Functions by the names the language reads (``np.`` ones below).
_FUNCTIONS = {
    "sum": "sum",
    "mean": "mean",
    "softmax": "softmax",
    "cross_entropy": "xent",
    "max": "maximum",
    "maximum": "maximum",
    "dot": "matmul",
    "matmul": "matmul",
    "where": "where",
    "sqrt": "sqrt",
    "square": "square",
    "transpose": "transpose",
}
_NUMPY = {
    "sum": "sum",
    "mean": "mean",
    "dot": "matmul",
    "matmul": "matmul",
    "multiply": "multiply",
    "transpose": "transpose",
    "maximum": "maximum",
    "where": "where",
    "sqrt": "sqrt",
    "square": "square",
    "exp": "exp",
    "log": "log",
    "tanh": "tanh",
    "abs": "abs",
    "sin": "sin",
    "cos": "cos",
}
_METHODS = {
    "sum": "sum",
    "mean": "mean",
    "dot": "matmul",
    "transpose": "transpose",
    "astype": "astype",
}


def _catalogue_function(name: str) -> str | None:
    """``relu``, ``tanh``, ``sigmoid``, ``exp``, ``log``, …: the catalogue's one-argument
    functions without jumps, applied entry by entry (None for any other name)."""
    from derivcheck.calculus.catalogue import lookup

    record = lookup(name)
    if record is None or 1 not in record.arity or record.parameters or record.has_jumps:
        return None
    if record.key in ("max", "min"):
        return None
    return "fn:" + record.key


def _axis(parser: _Parser, keywords: dict[str, object], args, token: Token, at: int):
    if len(args) > at + 1:
        raise parser.error(
            "matrix.parse.arity", token, function=token.value, count=at + 1, given=len(args)
        )
    if len(args) > at:
        extra = args[at]
        if extra.op != "num" or not float(extra.value).is_integer():
            raise parser.error("matrix.parse.axis", token, function=token.value)
        if "axis" in keywords:
            raise parser.error("matrix.parse.axis", token, function=token.value)
        keywords["axis"] = int(extra.value)
        args = args[:at]
    axis = keywords.pop("axis", None)
    if axis is not None and not isinstance(axis, int) or isinstance(axis, bool):
        raise parser.error("matrix.parse.axis", token, function=token.value)
    return axis, args


def _build_call(parser: _Parser, function: str, args, keywords, token: Token, start: int) -> Expr:
    name = str(token.value)

    def arity(count: int) -> None:
        if len(args) != count:
            raise parser.error(
                "matrix.parse.arity", token, function=name, count=count, given=len(args)
            )

    def no_keywords() -> None:
        if keywords:
            key = next(iter(keywords))
            raise parser.error("matrix.parse.keyword", token, function=name, argument=key)

    def node(op: str, operands, value=None) -> Expr:
        return parser.node(op, tuple(operands), value, start)

    if function in ("sum", "mean"):
        axis, args = _axis(parser, keywords, args, token, 1)
        keepdims = keywords.pop("keepdims", False)
        if not isinstance(keepdims, bool):
            raise parser.error("matrix.parse.keyword_value", token, name="keepdims")
        no_keywords()
        arity(1)
        return node(function, args, (axis, keepdims))
    if function == "softmax":
        axis, args = _axis(parser, keywords, args, token, 1)
        no_keywords()
        arity(1)
        return node("softmax", args, axis)
    if function == "xent":
        axis, args = _axis(parser, keywords, args, token, 2)
        no_keywords()
        arity(2)
        return node("xent", args, 0 if axis is None else axis)
    if function == "astype":  # (Z > 0).astype(float): a mask is already numbers
        keywords.pop("dtype", None)
        if len(args) == 2 and args[1].op == "name" and args[1].value in _DTYPES:
            args = args[:1]
    no_keywords()
    if function == "astype":
        arity(1)
        return args[0]
    if function == "matmul":
        arity(2)
        return node("matmul", args)
    if function == "multiply":
        arity(2)
        return node("mul", args)
    if function == "transpose":
        arity(1)
        return node("T", args)
    if function == "where":
        arity(3)
        return node("where", args)
    if function == "sqrt":
        arity(1)
        return node("pow", args, 0.5)
    if function == "square":
        arity(1)
        return node("pow", args, 2.0)
    if function == "maximum":
        arity(2)
        zero = [k for k, a in enumerate(args) if a.op == "num" and a.value == 0]
        if not zero:
            raise parser.error("matrix.parse.maximum", token, function=name)
        return node("fn", [args[1 - zero[0]]], "relu")
    if function.startswith("fn:"):
        arity(1)
        return node("fn", args, function[3:])
    key = _catalogue_function(function)
    if key is None:  # pragma: no cover - the tables only hold known functions
        raise parser.error("matrix.parse.unknown_function", token, name=repr(name))
    arity(1)
    return node("fn", args, key[3:])


# ------------------------------------------------------------------------------ structure


def gradient_of(target: str, known: set[str] | frozenset[str], loss: str | None) -> str | None:
    """What ``target`` is the gradient of: ``dW1``, ``dL_dW1``, ``dL/dW1`` -> ``W1``.

    ``known`` are the names of the forward pass; None when ``target`` names no gradient.

    >>> gradient_of("dW1", {"W1"}, "L"), gradient_of("dL_dw1", {"w1"}, "loss")
    ('W1', 'w1')
    >>> gradient_of("dL/dZ1", {"Z1"}, "L"), gradient_of("delta", {"W1"}, "L")
    ('Z1', None)
    """
    letters = {"L", "J", "E", "loss", "cost", *(() if loss is None else (loss,))}
    for letter in letters:
        for joint in ("_d", "/d", "/∂"):
            for lead in ("d", "∂"):
                prefix = f"{lead}{letter}{joint}"
                if target.startswith(prefix) and target[len(prefix) :] in known:
                    return target[len(prefix) :]
    if target.startswith("d") and target[1:] in known:
        return target[1:]
    return None


def read_matrix_program(text: str, dims: Mapping[str, int] | None = None) -> MatrixProgram:
    """Read a program of the matrix language (see :mod:`derivcheck.matrix`).

    ``dims`` gives sizes to dimension names (they win over the text's ``dims:`` line).
    Raises :class:`ParseError` (with the position) for anything that is not a program
    whose forward part ends in a loss followed by backward formulas.
    """
    text = check_text(text)
    with reading():
        tokens = tokenize(text)
        statements = _Parser(text, tokens).statements()
    return _structure(text, statements, dims)


def _structure(text: str, statements, dims: Mapping[str, int] | None) -> MatrixProgram:
    declarations: dict[str, Declaration] = {}
    sizes: dict[str, int] = {}
    size_positions: dict[str, int] = {}
    assignments: list[Assignment] = []
    for kind, content in statements:
        if kind == "declarations":
            for declaration in content:
                if declaration.name in declarations:
                    raise ParseError(
                        "matrix.parse.declared_twice",
                        text,
                        declaration.span[0],
                        name=declaration.name,
                    )
                declarations[declaration.name] = declaration
        elif kind == "sizes":
            found, positions = content
            sizes.update(found)
            size_positions.update(positions)
        else:
            assignments.append(content)
    dimensions: list[str] = []
    for declaration in declarations.values():
        for dim in declaration.shape:
            if isinstance(dim, str) and dim not in dimensions:
                dimensions.append(dim)
    for name, position in size_positions.items():
        if name not in dimensions:
            raise ParseError(
                "matrix.parse.size_unknown",
                text,
                position,
                name=name,
                known=", ".join(dimensions) or "-",
            )
    for name, size in (dims or {}).items():
        if name not in dimensions:
            raise DerivcheckError(
                "matrix.error.dims_unknown", name=repr(name), known=", ".join(dimensions) or "-"
            )
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_SIZE:
            raise DerivcheckError(
                "matrix.error.dims_size", name=name, value=repr(size), limit=MAX_SIZE
            )
        sizes[name] = size
    if not assignments:
        raise ParseError("matrix.parse.no_assignments", text, len(text))
    scalar_form = not declarations
    assigned: dict[str, Assignment] = {}
    inputs: list[str] = []
    forward: list[Assignment] = []
    backward: list[BackwardLine] = []
    loss: str | None = None
    explicit_loss = next((a.target for a in assignments if a.target in LOSS_NAMES), None)
    targets = {a.target for a in assignments}
    for assignment in assignments:
        target = assignment.target
        known = frozenset([*inputs, *assigned])
        _resolve_names(
            text, assignment.expr, assigned, inputs, dimensions, declarations, scalar_form, targets
        )
        if target in assigned:
            raise ParseError("matrix.parse.assigned_twice", text, assignment.span[0], name=target)
        if target in inputs:
            raise ParseError("matrix.parse.input_assigned", text, assignment.span[0], name=target)
        of = None  # (a matrix may share its name with a dimension: H = relu(Z1), H units)
        if loss is not None or explicit_loss is None or explicit_loss in assigned:
            of = gradient_of(target, known, loss or explicit_loss)
        if of is not None and loss is None:
            if not forward:
                raise ParseError("matrix.parse.no_forward", text, assignment.span[0])
            loss = explicit_loss if explicit_loss in assigned else forward[-1].target
        if loss is None:
            forward.append(assignment)
        else:
            backward.append(BackwardLine(assignment, of))
        assigned[target] = assignment
    if loss is None:
        raise ParseError("matrix.parse.no_backward", text, len(text))
    return MatrixProgram(
        text=text,
        declarations=declarations,
        sizes=sizes,
        assignments=tuple(assignments),
        inputs=tuple(inputs),
        dimensions=tuple(dimensions),
        forward=tuple(forward),
        loss=loss,
        backward=tuple(backward),
        scalar_form=scalar_form,
    )


def _resolve_names(
    text, expr: Expr, assigned, inputs, dimensions, declarations, scalar_form, targets
):
    """Each name of ``expr`` is an earlier assignment, an input or a dimension size."""
    for _, node in walk(expr):
        if node.op != "name":
            continue
        name = node.value
        if name in assigned or name in inputs:
            continue
        if name in targets and name not in declarations and name not in dimensions:
            raise ParseError("matrix.parse.used_before", text, node.span[0], name=name)
        if name in declarations or scalar_form:
            inputs.append(name)
            continue
        if name in dimensions:
            continue
        raise ParseError("matrix.parse.undeclared", text, node.span[0], name=name)
