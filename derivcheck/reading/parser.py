"""A safe parser for formulas as people type them: text -> SymPy tree.

Nothing the user types is ever evaluated as code: a hand-written tokenizer and
recursive-descent parser build SymPy objects from a whitelist of numbers,
names, operators and functions. See "Input syntax" in the README for the rules.

>>> from derivcheck import parse
>>> parse("(3x+2)^2")
(3*x + 2)**2
>>> parse("sin x^2 + √(1+x²)")
sqrt(x**2 + 1) + sin(x**2)
>>> parse(r"\\frac{1}{1+e^{-x}}")
1/(1 + exp(-x))
>>> parse("6（2x+1）²")
6*(2*x + 1)**2
>>> program = parse_program("z1 = w1*x + b1; h = relu(z1)")
>>> [str(name) for name in program.names]
['z1', 'h']
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import sympy
from sympy import Rational

from derivcheck.calculus.functions import arccot, relu, sigmoid
from derivcheck.errors import ParseError
from derivcheck.limits import MAX_DEPTH, MAX_DIGITS, MAX_NAME_LENGTH, MAX_TEXT_LENGTH, time_limit

__all__ = ["parse", "parse_program", "parse_source", "Program", "symbol", "FUNCTION_NAMES"]


def symbol(name: str) -> sympy.Symbol:
    """The SymPy symbol derivcheck uses for a variable name (always real)."""
    return sympy.Symbol(name, real=True)


# --------------------------------------------------------------------------------------
# Characters
# --------------------------------------------------------------------------------------

_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
    "⁸": "8", "⁹": "9", "⁺": "+", "⁻": "-", "⁽": "(", "⁾": ")", "ⁿ": "n", "ˣ": "x",
    "ⁱ": "i", "ᵗ": "t",
}  # fmt: skip
_SUBSCRIPT_DIGITS = {chr(0x2080 + d): str(d) for d in range(10)}
_VULGAR_FRACTIONS = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4)}
# Characters with one ASCII meaning, as keyboards and Chinese input methods produce them.
_EQUIVALENT = {
    "−": "-", "–": "-", "‐": "-", "‑": "-", "﹣": "-",
    "×": "*", "·": "*", "⋅": "*", "∙": "*", "∗": "*", "•": "*",
    "÷": "/", "∕": "/", "⁄": "/",
    "【": "[", "】": "]", "〔": "(", "〕": ")", "﹙": "(", "﹚": ")",
    "∣": "|", "│": "|", "ℯ": "e", "\u3000": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    "\t": " ", "\r": " ", "$": " ",
}  # fmt: skip
_ROOTS = {"√": 2, "∛": 3, "∜": 4}


def _plain(ch: str) -> str:
    """Map full-width and look-alike characters to ASCII; leave the rest unchanged."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII block: （ ＋ １ ｘ ...
        return chr(code - 0xFEE0)
    return _EQUIVALENT.get(ch, ch)


def _greek_name(ch: str) -> str | None:
    """'θ' -> 'theta', 'Δ' -> 'Delta'; None for anything that is not a Greek letter."""
    name = unicodedata.name(ch, "")
    for prefix, capital in (("GREEK SMALL LETTER ", False), ("GREEK CAPITAL LETTER ", True)):
        if name.startswith(prefix):
            word = name[len(prefix) :].lower()
            if " " in word:  # FINAL SIGMA and other variants
                word = word.split()[-1]
            return word.capitalize() if capital else word
    return None


def _is_name_start(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or (ch != "π" and _greek_name(ch) is not None)


def _is_name_char(ch: str) -> bool:
    return _is_name_start(ch) or ("0" <= ch <= "9") or ch == "_"


# --------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # num name op lpar rpar bar comma sup root frac lsqrt eq sep end
    value: object
    pos: int
    end: int
    spaced: bool = False  # whitespace right before this token


_CLOSER = {"(": ")", "[": "]", "{": "}"}

_LATEX_IGNORED = {
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
    "biggr", "displaystyle", "textstyle", "limits", "nolimits", "quad", "qquad", ",", ";",
    ":", "!", " ", "middle",
}  # fmt: skip
_LATEX_OPERATORS = {"cdot": "*", "times": "*", "ast": "*", "div": "/"}
_LATEX_BARS = {"lvert", "rvert", "vert", "mid", "|"}
_LATEX_BRACES = {"{": ("lpar", "("), "}": ("rpar", ")")}
_LATEX_NAMED = {"operatorname", "mathrm", "text", "textrm", "mathit", "rm"}
_LATEX_FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
_GREEK_WORDS = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
    "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}  # fmt: skip


class _Tokenizer:
    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.tokens: list[_Token] = []
        self.depth = 0  # bracket depth, so newlines inside brackets are plain spaces
        self.spaced = False

    def error(self, message: str, pos: int | None = None) -> ParseError:
        return ParseError(message, self.text, self.i if pos is None else pos)

    def add(self, kind: str, value: object, pos: int, end: int) -> None:
        self.tokens.append(_Token(kind, value, pos, end, self.spaced))
        self.spaced = False

    def run(self) -> list[_Token]:
        text = self.text
        while self.i < len(text):
            raw = text[self.i]
            ch = _plain(raw)
            start = self.i
            if ch == " ":
                self.i += 1
                self.spaced = True
            elif ch == "\n":
                self.i += 1
                if self.depth > 0:
                    self.spaced = True
                else:
                    self.add("sep", "\n", start, start + 1)
            elif ch == "#":  # comment to the end of the line (programs)
                newline = text.find("\n", self.i)
                self.i = len(text) if newline == -1 else newline
            elif ch.isdigit() and ch.isascii() or (ch == "." and self._digit_at(self.i + 1)):
                self.number()
            elif raw in _VULGAR_FRACTIONS:
                p, q = _VULGAR_FRACTIONS[raw]
                self.i += 1
                self.add("num", Rational(p, q), start, self.i)
            elif raw in _SUPERSCRIPTS:
                self.superscript()
            elif raw == "π":
                self.i += 1
                self.add("name", "pi", start, self.i)
            elif _is_name_start(ch):
                self.name()
            elif ch in "+-/^":
                self.i += 1
                self.add("op", ch, start, self.i)
            elif ch == "*":
                self.i += 1
                if self.i < len(text) and _plain(text[self.i]) == "*":
                    self.i += 1
                    self.add("op", "^", start, self.i)
                else:
                    self.add("op", "*", start, self.i)
            elif ch in "([{":
                self.i += 1
                self.depth += 1
                self.add("lpar", ch, start, self.i)
            elif ch in ")]}":
                self.i += 1
                self.depth = max(0, self.depth - 1)
                self.add("rpar", ch, start, self.i)
            elif ch == "|":
                self.i += 1
                self.add("bar", "|", start, self.i)
            elif ch == ",":
                self.i += 1
                self.add("comma", ",", start, self.i)
            elif ch == ";":
                self.i += 1
                self.add("sep", ";", start, self.i)
            elif ch == "=":
                self.i += 1
                if self.i < len(text) and _plain(text[self.i]) == "=":
                    raise self.error("'==' is a comparison; write name = expression", start)
                self.add("eq", "=", start, self.i)
            elif raw in _ROOTS:
                self.i += 1
                self.add("root", _ROOTS[raw], start, self.i)
            elif ch == "\\":
                self.latex_command()
            elif ch in "'\"`":
                raise self.error("strings are not allowed in a formula", start)
            elif ch == "." and self.tokens and self.tokens[-1].kind in ("name", "rpar"):
                raise self.error("'.' (attribute access) is not allowed in a formula", start)
            else:
                raise self.error(f"unexpected character {_describe(raw)}", start)
        self.add("end", None, len(text), len(text))
        return self.tokens

    def _digit_at(self, index: int) -> bool:
        return (
            index < len(self.text)
            and _plain(self.text[index]).isdigit()
            and _plain(self.text[index]).isascii()
        )

    def _take_digits(self) -> str:
        digits = []
        while self._digit_at(self.i):
            digits.append(_plain(self.text[self.i]))
            self.i += 1
        return "".join(digits)

    def number(self) -> None:
        start = self.i
        whole = self._take_digits()
        fraction = ""
        if (
            self.i < len(self.text)
            and _plain(self.text[self.i]) == "."
            and not (self.i + 1 < len(self.text) and _plain(self.text[self.i + 1]) == ".")
        ):
            self.i += 1
            fraction = self._take_digits()
        exponent = 0
        if self.i < len(self.text) and _plain(self.text[self.i]) in "eE":
            j = self.i + 1
            sign = 1
            if j < len(self.text) and _plain(self.text[j]) in "+-":
                sign = -1 if _plain(self.text[j]) == "-" else 1
                j += 1
            if self._digit_at(j):  # scientific notation only when digits follow: 2e^x is 2·e^x
                self.i = j
                digits = self._take_digits()
                if len(digits) > 6 or int(digits) > MAX_DIGITS:
                    raise self.error(
                        f"exponent too large in {self.text[start : self.i]!r} "
                        f"(at most 10^±{MAX_DIGITS})",
                        start,
                    )
                exponent = sign * int(digits)
        if len(whole) + len(fraction) > MAX_DIGITS:
            raise self.error(f"number too long: more than {MAX_DIGITS} digits", start)
        value = (
            Rational(int(whole + fraction or "0"), 10 ** len(fraction)) * Rational(10) ** exponent
        )
        self.add("num", value, start, self.i)

    def superscript(self) -> None:
        start = self.i
        chars = []
        while self.i < len(self.text) and self.text[self.i] in _SUPERSCRIPTS:
            chars.append(_SUPERSCRIPTS[self.text[self.i]])
            self.i += 1
        self.add("sup", "".join(chars), start, self.i)

    def name(self) -> None:
        start = self.i
        parts = []
        while self.i < len(self.text):
            ch = _plain(self.text[self.i])
            if ch == "_" and self.i + 1 < len(self.text) and _plain(self.text[self.i + 1]) == "{":
                parts.append(self.latex_subscript())
                continue
            if self.text[self.i] in _SUBSCRIPT_DIGITS:
                parts.append(_SUBSCRIPT_DIGITS[self.text[self.i]])
                self.i += 1
                continue
            if not _is_name_char(ch) or self.text[self.i] == "π":
                break
            parts.append(_greek_name(ch) or ch)
            self.i += 1
        name = "".join(parts)
        if len(name) > MAX_NAME_LENGTH:
            raise self.error(f"name too long (more than {MAX_NAME_LENGTH} characters)", start)
        self.add("name", name, start, self.i)

    def latex_subscript(self) -> str:
        """``_{1}`` -> '1' (so w_{1} is w1, as SymPy prints w1); ``_{out}`` -> '_out'."""
        start = self.i
        close = self.text.find("}", self.i + 2)
        if close == -1:
            raise self.error("'_{' is not closed by '}'", start)
        inner = "".join(_plain(c) for c in self.text[self.i + 2 : close]).strip()
        if not inner or not all(_is_name_char(c) for c in inner):
            raise self.error("a subscript may hold only letters and digits", start)
        self.i = close + 1
        return inner if inner.isdigit() else "_" + inner

    def latex_command(self) -> None:
        start = self.i
        self.i += 1
        j = self.i
        while j < len(self.text) and self.text[j].isascii() and self.text[j].isalpha():
            j += 1
        if j == self.i:  # one-character command: \, \; \{ \| ...
            j = min(self.i + 1, len(self.text))
        command = self.text[self.i : j]
        self.i = j
        if command in _LATEX_IGNORED:
            if command in ("left", "right", "middle") and self.i < len(self.text):
                if self.text[self.i] == ".":  # \left. and \right. are invisible delimiters
                    self.i += 1
            return
        if command in _LATEX_OPERATORS:
            self.add("op", _LATEX_OPERATORS[command], start, self.i)
        elif command in _LATEX_BARS:
            self.add("bar", "|", start, self.i)
        elif command in _LATEX_BRACES:
            kind, value = _LATEX_BRACES[command]
            self.add(kind, value if kind == "lpar" else ")", start, self.i)
        elif command in _LATEX_FRACTIONS:
            self.add("frac", command, start, self.i)
        elif command == "sqrt":
            self.add("lsqrt", command, start, self.i)
        elif command in _LATEX_NAMED:
            self.latex_named(start)
        elif command in FUNCTION_NAMES or command in _GREEK_WORDS or command in ("e", "exp"):
            name = command
            if (
                self.i + 1 < len(self.text)
                and self.text[self.i] == "_"
                and self.text[self.i + 1] == "{"
            ):
                name += "_" + self.latex_subscript().lstrip("_")
            self.add("name", name, start, self.i)
        else:
            raise self.error(f"unsupported LaTeX command \\{command}", start)

    def latex_named(self, start: int) -> None:
        """``\\operatorname{relu}``, ``\\mathrm{e}``, ``\\text{ReLU}`` -> a name."""
        while self.i < len(self.text) and self.text[self.i] == " ":
            self.i += 1
        if self.i >= len(self.text) or self.text[self.i] != "{":
            raise self.error("expected '{' after the command", self.i)
        close = self.text.find("}", self.i)
        inner = self.text[self.i + 1 : close].strip() if close != -1 else ""
        if close == -1 or not inner or not all(_is_name_char(c) for c in inner):
            raise self.error("expected a name in braces, such as \\operatorname{relu}", self.i)
        self.i = close + 1
        self.add("name", inner, start, self.i)


def _describe(ch: str) -> str:
    if ch == "\x00":
        return "NUL (U+0000)"
    if not ch.isprintable():
        return f"U+{ord(ch):04X}"
    return f"{ch!r} (U+{ord(ch):04X})"


# --------------------------------------------------------------------------------------
# Functions and constants
# --------------------------------------------------------------------------------------


def _log_base(base: int):
    return lambda value: sympy.log(value, base)


# name -> (builder, argument counts accepted)
_FUNCTIONS: dict[str, tuple[object, tuple[int, ...]]] = {
    "sin": (sympy.sin, (1,)), "cos": (sympy.cos, (1,)), "tan": (sympy.tan, (1,)),
    "sec": (sympy.sec, (1,)), "csc": (sympy.csc, (1,)), "cot": (sympy.cot, (1,)),
    "arcsin": (sympy.asin, (1,)), "asin": (sympy.asin, (1,)),
    "arccos": (sympy.acos, (1,)), "acos": (sympy.acos, (1,)),
    "arctan": (sympy.atan, (1,)), "atan": (sympy.atan, (1,)),
    "arccot": (arccot, (1,)), "acot": (arccot, (1,)),
    "sinh": (sympy.sinh, (1,)), "cosh": (sympy.cosh, (1,)), "tanh": (sympy.tanh, (1,)),
    "sech": (sympy.sech, (1,)), "csch": (sympy.csch, (1,)), "coth": (sympy.coth, (1,)),
    "arsinh": (sympy.asinh, (1,)), "arcsinh": (sympy.asinh, (1,)), "asinh": (sympy.asinh, (1,)),
    "arcosh": (sympy.acosh, (1,)), "arccosh": (sympy.acosh, (1,)), "acosh": (sympy.acosh, (1,)),
    "artanh": (sympy.atanh, (1,)), "arctanh": (sympy.atanh, (1,)), "atanh": (sympy.atanh, (1,)),
    "exp": (sympy.exp, (1,)),
    "ln": (sympy.log, (1,)), "log": (sympy.log, (1, 2)),
    "lg": (_log_base(10), (1,)), "log10": (_log_base(10), (1,)), "log2": (_log_base(2), (1,)),
    "sqrt": (sympy.sqrt, (1,)), "cbrt": (lambda v: v ** Rational(1, 3), (1,)),
    "abs": (sympy.Abs, (1,)), "Abs": (sympy.Abs, (1,)),
    "relu": (relu, (1,)), "ReLU": (relu, (1,)), "Relu": (relu, (1,)),
    "sigmoid": (sigmoid, (1,)),
    "max": (sympy.Max, (2, 3, 4, 5, 6, 7, 8)), "min": (sympy.Min, (2, 3, 4, 5, 6, 7, 8)),
    "sign": (sympy.sign, (1,)), "sgn": (sympy.sign, (1,)),
}  # fmt: skip
#: Every function name the parser knows (``σ`` and ``sigma`` mean sigmoid only before a bracket).
FUNCTION_NAMES = frozenset(_FUNCTIONS)
_INVERSE_BY_POWER_MINUS_ONE = {
    "sin": sympy.asin, "cos": sympy.acos, "tan": sympy.atan, "cot": sympy.acot,
    "sinh": sympy.asinh, "cosh": sympy.acosh, "tanh": sympy.atanh,
}  # fmt: skip
_CONSTANTS = {"e": sympy.E, "pi": sympy.pi}
_SPLIT_PREFIXES = sorted(
    (n for n in _FUNCTIONS if n.islower() and len(n) >= 2), key=len, reverse=True
)


def _remainder_is_simple(rest: str) -> bool:
    """What may follow a glued function name: 'x', '2x', 'θ' (theta), 'x1'."""
    match = re.fullmatch(r"(\d*)([A-Za-z]?|[A-Za-z]+)(\d*)", rest)
    if not match or not rest:
        return False
    digits, letters, trailing = match.groups()
    if not letters:
        return bool(digits) and not trailing
    return len(letters) == 1 or letters in _GREEK_WORDS


# --------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Program:
    """A straight-line program: assignments in order, the last one is the output.

    ``inputs`` are the free names in order of first use; ``names`` the assigned
    ones. ``expression()`` substitutes everything into one SymPy expression.
    """

    assignments: tuple[tuple[sympy.Symbol, sympy.Expr], ...]
    inputs: tuple[sympy.Symbol, ...]
    text: str = field(default="", compare=False)
    #: for each assignment, the names its expression uses, in the order they are written
    uses: tuple[tuple[sympy.Symbol, ...], ...] = field(default=(), compare=False)
    #: for each assignment, the right-hand side as the user wrote it, and where names stand in it
    sources: tuple[str, ...] = field(default=(), compare=False)
    name_spans: tuple[tuple[tuple[int, int, str], ...], ...] = field(default=(), compare=False)

    @property
    def names(self) -> tuple[sympy.Symbol, ...]:
        return tuple(name for name, _ in self.assignments)

    @property
    def output(self) -> sympy.Symbol:
        return self.assignments[-1][0]

    def expression(self) -> sympy.Expr:
        """The output as one expression of the inputs."""
        env: dict[sympy.Symbol, sympy.Expr] = {}
        for name, definition in self.assignments:
            env[name] = definition.xreplace(env)
        return env[self.output]


class _Parser:
    def __init__(
        self,
        text: str,
        tokens: list[_Token],
        variables: Iterable[str] = (),
        program: bool = False,
        offset: int = 0,
    ):
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.abs_depth = 0
        self.variables = set(variables)
        self.program = program
        self.offset = offset  # position of tokens[0] in text (superscripts parse separately)

    # ---- token helpers ----
    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def error(self, message: str, token: _Token | int) -> ParseError:
        pos = token if isinstance(token, int) else token.pos
        return ParseError(message, self.text, pos)

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nested too deeply (more than {MAX_DEPTH} levels)", token)

    def leave(self) -> None:
        self.depth -= 1

    # ---- grammar ----
    def expression(self) -> sympy.Expr:
        token = self.peek()
        self.enter(token)
        terms = [self.term()]
        first_op = None
        while self.peek().kind == "op" and self.peek().value in "+-":
            op = self.advance()
            first_op = first_op or op
            rhs = self.term()
            terms.append(rhs if op.value == "+" else -rhs)
        self.leave()
        if first_op is None:
            return terms[0]
        return self.check(sympy.Add(*terms), first_op)  # one Add: linear in the number of terms

    def term(self) -> sympy.Expr:
        value = self.unary()
        while True:
            token = self.peek()
            if token.kind == "op" and token.value in "*/":
                self.advance()
                rhs = self.unary()
                if token.value == "/":
                    if rhs == 0:
                        raise self.error("division by zero", token)
                    value = self.check(value / rhs, token)
                else:
                    value = self.multiply(value, rhs, token)
            elif self.starts_factor(token):
                rhs = self.power()
                value = self.multiply(value, rhs, token)
            elif token.kind == "num":
                raise self.error("missing operator before this number", token)
            else:
                return value

    def starts_factor(self, token: _Token) -> bool:
        if token.kind in ("name", "lpar", "root", "frac", "lsqrt"):
            return True
        return token.kind == "bar" and self.abs_depth == 0

    def unary(self) -> sympy.Expr:
        negative = False
        while self.peek().kind == "op" and self.peek().value in "+-":
            if self.advance().value == "-":
                negative = not negative
        value = self.power()
        return -value if negative else value

    def power(self) -> sympy.Expr:
        start = self.peek()
        self.enter(start)
        base = self.postfix(self.primary())
        token = self.peek()
        if token.kind == "op" and token.value == "^":
            self.advance()
            exponent = self.unary()  # right-associative: x^y^z = x^(y^z); x^-1 allowed
            base = self.raise_power(base, exponent, token)
        self.leave()
        return base

    def postfix(self, value: sympy.Expr) -> sympy.Expr:
        while self.peek().kind == "sup":
            token = self.advance()
            value = self.raise_power(value, self.superscript(token), token)
        return value

    def superscript(self, token: _Token) -> sympy.Expr:
        text = str(token.value)
        inner = _Tokenizer(text).run()
        for t in inner:  # positions in the original text
            t.pos += token.pos
            t.end += token.pos
        sub = _Parser(self.text, inner, self.variables, self.program)
        sub.depth = self.depth
        value = sub.expression()
        if sub.peek().kind != "end":
            raise self.error("cannot read this superscript", token)
        return value

    def primary(self) -> sympy.Expr:
        token = self.peek()
        kind = token.kind
        if kind == "num":
            self.advance()
            return token.value  # type: ignore[return-value]
        if kind == "name":
            return self.name()
        if kind == "lpar":
            return self.group()
        if kind == "bar":
            self.advance()
            self.abs_depth += 1
            inner = self.expression()
            closing = self.peek()
            if closing.kind != "bar":
                raise self.error("expected '|' to close the absolute value", closing)
            self.advance()
            self.abs_depth -= 1
            return sympy.Abs(inner)
        if kind == "root":
            self.advance()
            radicand = self.unary() if self.peek().kind == "op" else self.power()
            return self.root(radicand, int(token.value), token)  # type: ignore[arg-type]
        if kind == "frac":
            self.advance()
            numerator = self.braced(token)
            denominator = self.braced(token)
            if denominator == 0:
                raise self.error("division by zero", token)
            return self.check(numerator / denominator, token)
        if kind == "lsqrt":
            self.advance()
            degree = 2
            if self.peek().kind == "lpar" and self.peek().value == "[":
                self.advance()
                n = self.expression()
                self.expect_close("[", self.peek())
                if not (n.is_Integer and 2 <= int(n) <= 100):
                    raise self.error("\\sqrt[n]{...} needs a whole number n from 2 to 100", token)
                degree = int(n)
            return self.root(self.braced(token), degree, token)
        if kind == "end":
            raise self.error("unexpected end of input: expected a number, a name or '('", token)
        if kind == "rpar":
            raise self.error(f"unexpected '{token.value}': nothing to close here", token)
        if kind == "op":
            raise self.error(f"'{token.value}' needs something before it", token)
        if kind == "sup":
            raise self.error("a superscript needs something before it", token)
        if kind == "eq":
            raise self.error("'=' must follow a name at the start of an assignment", token)
        if kind == "sep":
            if token.value == ";":
                raise self.error("';' separates assignments (name = expression)", token)
            raise self.error("unexpected line break: a formula is one line", token)
        if kind == "comma":
            raise self.error("unexpected ',': commas separate function arguments", token)
        raise self.error("unexpected symbol", token)  # pragma: no cover

    def group(self) -> sympy.Expr:
        opening = self.advance()
        if self.peek().kind == "rpar":
            raise self.error("empty brackets", self.peek())
        saved_abs = self.abs_depth
        self.abs_depth = 0
        inner = self.expression()
        self.abs_depth = saved_abs
        self.expect_close(str(opening.value), opening)
        return inner

    def expect_close(self, opening: str, opening_token: _Token) -> None:
        token = self.peek()
        want = _CLOSER[opening]
        if token.kind == "rpar" and (token.value == want or opening == "{" and token.value == ")"):
            self.advance()
            return
        if token.kind == "rpar":
            raise self.error(
                f"'{token.value}' does not match '{opening}'; expected '{want}'", token
            )
        if token.kind == "end":
            raise self.error(f"'{opening}' is never closed: expected '{want}'", opening_token)
        if token.kind == "num":
            raise self.error("missing operator before this number", token)
        raise self.error(f"expected '{want}'", token)

    def braced(self, command: _Token) -> sympy.Expr:
        token = self.peek()
        if token.kind == "lpar":
            return self.group()
        source = self.text[token.pos : token.end]
        if token.kind == "num" and source.isdigit() and len(source) > 1:  # \frac12 = 1/2
            self.tokens[self.i : self.i + 1] = [
                _Token("num", Rational(int(source[0])), token.pos, token.pos + 1, token.spaced),
                _Token("num", Rational(int(source[1:])), token.pos + 1, token.end),
            ]
        if self.peek().kind in ("num", "name"):  # \frac1x style: one character or name each
            return self.primary()
        raise self.error("expected '{...}' after the LaTeX command", token)

    # ---- names, functions, constants ----
    def name(self) -> sympy.Expr:
        token = self.peek()
        name = str(token.value)
        next_token = self.peek(1)
        calls = next_token.kind == "lpar" and not next_token.spaced
        if name in ("sigma", "σ") and next_token.kind == "lpar":
            return self.function(token, "sigmoid")
        if name in self.variables:
            self.advance()
            return symbol(name)
        if name in _CONSTANTS:
            self.advance()
            return _CONSTANTS[name]
        if name in _FUNCTIONS:
            return self.function(token, name)
        log_base = re.fullmatch(r"log_?(\d+|e)", name)
        if log_base:
            base = log_base.group(1)
            return self.function(
                token, "ln" if base == "e" else "log", base=int(base) if base != "e" else None
            )
        if calls and len(name) > 1 and not name[-1].isdigit() and name not in _GREEK_WORDS:
            if name not in self.variables:
                raise self.error(f"unknown function '{name}'{_did_you_mean(name)}", token)
        if not self.program:
            pieces = self.split(name)
            if pieces is not None:
                self.replace_token(token, pieces)
                return self.primary()
        self.advance()
        return symbol(name)

    def split(self, name: str) -> list[str] | None:
        """Read a glued name as the textbook does: 'sinx' = sin x, 'lnx' = ln x, 'cos2x' = cos 2x.

        With known ``variables``, 'xe' = x·e and 'xy' = x·y when every piece is known.
        """
        for prefix in _SPLIT_PREFIXES:
            rest = name[len(prefix) :]
            if name.startswith(prefix) and rest and _remainder_is_simple(rest):
                digits = re.match(r"\d*", rest).group(0)
                pieces = [prefix]
                if digits:
                    pieces.append(digits)
                if rest[len(digits) :]:
                    pieces.append(rest[len(digits) :])
                return pieces
        if self.variables and len(name) > 1:
            return self.split_known(name)
        return None

    def split_known(self, name: str) -> list[str] | None:
        known = sorted(
            self.variables | set(_CONSTANTS) | set(_SPLIT_PREFIXES), key=len, reverse=True
        )
        best: dict[int, list[str]] = {0: []}
        for start in range(len(name)):
            if start not in best:
                continue
            for word in known:
                if name.startswith(word, start):
                    end = start + len(word)
                    if end not in best or len(best[end]) > len(best[start]) + 1:
                        best[end] = best[start] + [word]
        pieces = best.get(len(name))
        return pieces if pieces and len(pieces) > 1 else None

    def replace_token(self, token: _Token, pieces: list[str]) -> None:
        replacement = []
        for n, piece in enumerate(pieces):
            kind = "num" if piece.isdigit() else "name"
            value: object = Rational(int(piece)) if kind == "num" else piece
            replacement.append(_Token(kind, value, token.pos, token.end, token.spaced and n == 0))
        self.tokens[self.i : self.i + 1] = replacement

    def function(self, token: _Token, name: str, base: int | None = None) -> sympy.Expr:
        self.advance()
        builder, counts = _FUNCTIONS[name]
        if base is not None:
            builder, counts = _log_base(base), (1,)
        power = None
        power_token = self.peek()
        after = self.peek(1)
        if (power_token.kind, power_token.value) == ("op", "^") and (
            after.kind == "num" or after.value in ("+", "-", "{")
        ):
            self.advance()
            power = self.function_power()
        elif power_token.kind == "sup":
            self.advance()
            power = self.superscript(power_token)
        if self.peek().kind == "lpar":
            args = self.call_arguments()
        else:
            args = [self.bare_argument(token)]
        if len(args) not in counts:
            expected = (
                " or ".join(str(c) for c in counts) if len(counts) < 3 else f"{counts[0]} or more"
            )
            raise self.error(f"{name}() takes {expected} argument(s), got {len(args)}", token)
        if name == "log" and len(args) == 2:
            value_arg, base_arg = args
            result = sympy.log(value_arg, base_arg)
        else:
            result = builder(*args)  # type: ignore[operator]
        result = self.check(result, token)
        if power is not None:
            if power == -1 and name in _INVERSE_BY_POWER_MINUS_ONE:
                return self.check(_INVERSE_BY_POWER_MINUS_ONE[name](*args), token)
            if power == -1:
                raise self.error(
                    f"{name}^-1 is ambiguous: write 1/{name}(...) or the inverse", power_token
                )
            result = self.raise_power(result, power, power_token)
        return result

    def function_power(self) -> sympy.Expr:
        """The n of ``sin^n x``: a signed number or a braced group (not a whole expression)."""
        negative = False
        while self.peek().kind == "op" and self.peek().value in "+-":
            negative ^= self.advance().value == "-"
        token = self.peek()
        if token.kind == "num":
            self.advance()
            value = token.value
        elif token.kind == "lpar":
            value = self.group()
        else:
            raise self.error("expected a number after '^'", token)
        return -value if negative else value  # type: ignore[operator]

    def call_arguments(self) -> list[sympy.Expr]:
        opening = self.advance()
        if self.peek().kind == "rpar":
            raise self.error("missing argument in brackets", self.peek())
        saved_abs = self.abs_depth
        self.abs_depth = 0
        args = [self.expression()]
        while self.peek().kind == "comma":
            self.advance()
            args.append(self.expression())
        self.abs_depth = saved_abs
        self.expect_close(str(opening.value), opening)
        return args

    def bare_argument(self, function_token: _Token) -> sympy.Expr:
        """``sin 2x`` = sin(2x), ``cos x^2`` = cos(x^2), ``sin x cos x`` = sin(x)·cos(x)."""
        token = self.peek()
        if (
            token.kind in ("end", "sep", "rpar", "comma", "eq")
            or (token.kind == "op" and token.value in "*/^")
            or (token.kind == "bar" and self.abs_depth > 0)
        ):
            raise self.error(
                f"function '{function_token.value}' needs an argument, e.g. "
                f"{function_token.value}(x)",
                function_token,
            )
        value = self.unary() if token.kind == "op" else self.power()
        while self.starts_factor(self.peek()) and not self.is_function_name(self.peek()):
            value = self.multiply(value, self.power(), self.peek())
        return value

    def is_function_name(self, token: _Token) -> bool:
        if token.kind != "name":
            return False
        name = str(token.value)
        if name in self.variables:
            return False
        return name in _FUNCTIONS or (
            not self.program and self.split(name) is not None and self.split(name)[0] in _FUNCTIONS
        )

    # ---- arithmetic with size guards ----
    def check(self, value: sympy.Expr, token: _Token) -> sympy.Expr:
        if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
            raise self.error("this is undefined (division by zero or infinite value)", token)
        if value.is_number and value.has(sympy.I):
            raise self.error("this is not a real number", token)
        return value

    def multiply(self, a: sympy.Expr, b: sympy.Expr, token: _Token) -> sympy.Expr:
        if a.is_Rational and b.is_Rational and _digits(a) + _digits(b) > MAX_DIGITS:
            raise self.error(f"number too large (more than {MAX_DIGITS} digits)", token)
        return self.check(a * b, token)

    def raise_power(self, base: sympy.Expr, exponent: sympy.Expr, token: _Token) -> sympy.Expr:
        if base.is_Rational and exponent.is_Rational and abs(base) not in (0, 1):
            size = abs(float(exponent)) * _digits(base)
            if size > MAX_DIGITS:
                raise self.error(
                    f"number too large: about {_round_digits(size)} digits "
                    f"(at most {MAX_DIGITS}); derivcheck keeps numbers exact",
                    token,
                )
        if base == 0 and exponent.is_number and exponent.is_negative:
            raise self.error("division by zero (0 to a negative power)", token)
        return self.check(base**exponent, token)

    def root(self, radicand: sympy.Expr, degree: int, token: _Token) -> sympy.Expr:
        if radicand.is_number and radicand.is_negative and degree % 2 == 0:
            raise self.error("the square root of a negative number is not real", token)
        if degree == 2:
            return self.check(sympy.sqrt(radicand), token)
        if radicand.is_number and radicand.is_negative:
            return self.check(-((-radicand) ** Rational(1, degree)), token)
        return self.check(radicand ** Rational(1, degree), token)


def _did_you_mean(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(_FUNCTIONS), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def _digits(value: sympy.Rational) -> float:
    """log10 of numerator plus denominator: about the digits needed to write the number."""
    p, q = abs(int(value.p)), int(value.q)
    return (math.log10(p) if p else 0.0) + math.log10(q)


def _round_digits(size: float) -> str:
    return f"{size:,.0f}" if size < 1e15 else f"{size:.1e}"


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


def _tokenize(text: object) -> tuple[str, list[_Token]]:
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise ParseError(
            f"input too long: {len(text):,} characters (at most {MAX_TEXT_LENGTH:,})",
            text[: MAX_TEXT_LENGTH + 1],
            MAX_TEXT_LENGTH,
        )
    return text, _Tokenizer(text).run()


def _is_program(tokens: list[_Token]) -> bool:
    return any(t.kind == "eq" for t in tokens)


def parse(text: str, variables: Iterable[str] = ()) -> sympy.Expr:
    """Parse a formula (or a program, returning its output as one expression).

    ``variables`` names the variables the caller expects; with them, glued
    names such as ``xe^x`` read as ``x·e^x``. Raises :class:`ParseError`.

    >>> parse("2sin(3x)")
    2*sin(3*x)
    >>> parse("e^x")
    exp(x)
    """
    with time_limit(5.0, "parsing"):
        text, tokens = _tokenize(text)
        if _is_program(tokens):
            return _parse_program(text, tokens).expression()
        parser = _Parser(text, tokens, variables)
        while parser.peek().kind == "sep" and parser.peek().value == "\n":
            parser.advance()
        if parser.peek().kind == "end":
            raise ParseError("empty input: expected a formula", text, 0)
        value = parser.expression()
        while (
            parser.peek().kind == "sep"
            and parser.peek().value == "\n"
            and all(t.kind in ("sep", "end") for t in parser.tokens[parser.i :])
        ):
            parser.advance()
        token = parser.peek()
        if token.kind != "end":
            if token.kind == "rpar":
                raise parser.error(f"unexpected '{token.value}': nothing to close here", token)
            if token.kind == "bar":
                raise parser.error("unexpected '|'", token)
            parser.primary()  # raises the precise error for this token
            raise parser.error("unexpected text after the formula", token)
        return value


def parse_source(text: str, variables: Iterable[str] = ()) -> sympy.Expr | Program:
    """A formula as an expression, or text with assignments as a :class:`Program`.

    >>> parse_source("x^2")
    x**2
    >>> parse_source("u = 3x + 2; y = u^2").names
    (u, y)
    """
    with time_limit(5.0, "parsing"):
        text, tokens = _tokenize(text)
        if _is_program(tokens):
            return _parse_program(text, tokens)
    return parse(text, variables)


def parse_program(text: str) -> Program:
    """Parse ``name = expression`` lines (newlines or ';'); a formula becomes one assignment.

    >>> p = parse_program("u = 3x + 2\\ny = u^2")
    >>> p.expression()
    (3*x + 2)**2
    """
    with time_limit(5.0, "parsing"):
        text, tokens = _tokenize(text)
        if not _is_program(tokens):
            expression = parse(text)
            output = symbol("y") if symbol("y") not in expression.free_symbols else symbol("out")
            free = _ordered_free(expression)
            return Program(((output, expression),), free, text, (free,))
        return _parse_program(text, tokens)


def _parse_program(text: str, tokens: list[_Token]) -> Program:
    statements: list[list[_Token]] = [[]]
    for token in tokens:
        if token.kind == "sep":
            statements.append([])
        elif token.kind != "end":
            statements[-1].append(token)
    assignments: list[tuple[sympy.Symbol, sympy.Expr]] = []
    uses: list[tuple[sympy.Symbol, ...]] = []
    sources: list[str] = []
    spans: list[tuple[tuple[int, int, str], ...]] = []
    assigned: dict[str, int] = {}
    used_before: dict[str, _Token] = {}
    inputs: list[sympy.Symbol] = []
    end = _Token("end", None, len(text), len(text))
    for statement in statements:
        if not statement:
            continue
        head = statement[0]
        if head.kind != "name":
            raise ParseError("expected an assignment: name = expression", text, head.pos)
        eq_index = next((k for k, t in enumerate(statement) if t.kind == "eq"), None)
        if eq_index is None:
            raise ParseError(
                "every line of a program must be an assignment: name = expression", text, head.pos
            )
        lhs = statement[:eq_index]
        if not (len(lhs) == 1 or (lhs[1].kind == "lpar" and lhs[-1].kind == "rpar")):
            raise ParseError("the left side of '=' must be a single name", text, lhs[-1].pos)
        name = str(head.value)
        if name in _FUNCTIONS or name in _CONSTANTS or name in ("sigma",):
            raise ParseError(f"cannot assign to '{name}': it is a built-in name", text, head.pos)
        if name in assigned:
            raise ParseError(f"'{name}' is assigned twice; use a new name", text, head.pos)
        if name in used_before:
            raise ParseError(f"'{name}' is used before it is assigned", text, used_before[name].pos)
        body = statement[eq_index + 1 :]
        if not body:
            raise ParseError("missing expression after '='", text, statement[eq_index].pos)
        if any(t.kind == "eq" for t in body):
            bad = next(t for t in body if t.kind == "eq")
            raise ParseError("only one '=' per assignment", text, bad.pos)
        parser = _Parser(text, [*body, end], variables=assigned, program=True)
        value = parser.expression()
        leftover = parser.peek()
        if leftover.kind != "end":
            parser.primary()
            raise parser.error("unexpected text after the expression", leftover)
        for token in body:
            if token.kind == "name" and str(token.value) not in assigned:
                used_before.setdefault(str(token.value), token)
        free_names = {s.name: s for s in value.free_symbols}
        written = dict.fromkeys(
            free_names[str(t.value)]
            for t in body
            if t.kind == "name" and str(t.value) in free_names
        )
        written.update(dict.fromkeys(_ordered_free(value)))  # any the tokens did not show
        for free in written:
            if free.name not in assigned and free not in inputs:
                inputs.append(free)
        assigned[name] = len(assignments)
        assignments.append((symbol(name), value))
        uses.append(tuple(written))
        start = body[0].pos
        sources.append(text[start : body[-1].end])
        spans.append(tuple(
            (t.pos - start, t.end - start, str(t.value))
            for t in body
            if t.kind == "name" and str(t.value) in free_names
        ))  # fmt: skip
    if not assignments:
        raise ParseError("empty program: expected name = expression", text, 0)
    return Program(
        tuple(assignments), tuple(inputs), text, tuple(uses), tuple(sources), tuple(spans)
    )


def _ordered_free(expression: sympy.Expr) -> tuple[sympy.Symbol, ...]:
    seen: dict[sympy.Symbol, None] = {}
    for node in sympy.preorder_traversal(expression):
        if isinstance(node, sympy.Symbol):
            seen.setdefault(node, None)
    return tuple(seen)
