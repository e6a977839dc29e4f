"""Characters to tokens: what people type (Unicode, full-width, LaTeX) in one small alphabet.

The tokenizer never evaluates anything: it recognises numbers (kept exact), names,
operators, brackets and a whitelist of LaTeX commands, and refuses everything else
with a :class:`~derivcheck.errors.ParseError` whose message is a ``parse.*`` key.

>>> [(t.kind, t.value) for t in tokenize("2x² + √y")[1]][:5]
[('num', 2), ('name', 'x'), ('sup', '2'), ('op', '+'), ('root', 2)]
>>> [(t.kind, t.value) for t in tokenize("y' = 2x")[1]][:3]
[('name', 'y'), ('prime', 1), ('eq', '=')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sympy import Rational

from derivcheck.errors import ParseError
from derivcheck.limits import MAX_DIGITS, MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from derivcheck.reading.names import GREEK_WORDS, greek_name, is_latex_name

__all__ = [
    "Token",
    "Tokenizer",
    "TokenCursor",
    "tokenize",
    "check_text",
    "plain",
    "describe",
    "CLOSER",
]


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
#: One character, one token: (kind, value).
_SYMBOLS: dict[str, tuple[str, object]] = {
    "π": ("name", "pi"),
    "∂": ("partial", "∂"),
    **{ch: ("root", degree) for ch, degree in _ROOTS.items()},
    **{ch: ("num", Rational(p, q)) for ch, (p, q) in _VULGAR_FRACTIONS.items()},
}
_PUNCTUATION = {
    **{op: ("op", op) for op in "+-/^"},
    "|": ("bar", "|"),
    ",": ("comma", ","),
    ";": ("sep", ";"),
}
#: Prime marks and how many primes each one is. ``'`` and ``’`` are primes only right
#: after a name or a closing bracket (elsewhere they open a string, which is refused).
_PRIMES = {"'": 1, "’": 1, "′": 1, "″": 2, "‴": 3}
_QUOTE_PRIMES = {"'", "’"}

CLOSER = {"(": ")", "[": "]", "{": "}"}


def plain(ch: str) -> str:
    """Map full-width and look-alike characters to ASCII; leave the rest unchanged.

    >>> plain("（"), plain("×"), plain("θ")
    ('(', '*', 'θ')
    """
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII block: （ ＋ １ ｘ ...
        return chr(code - 0xFEE0)
    return _EQUIVALENT.get(ch, ch)


def _is_name_start(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or (ch != "π" and greek_name(ch) is not None)


def _is_name_char(ch: str) -> bool:
    return _is_name_start(ch) or ("0" <= ch <= "9") or ch == "_"


# A run of plain ASCII name characters: the common case, read in one step.
_ASCII_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
#: The plain-ASCII tokens most answers are made of, in one compiled expression, each only
#: where the character after it cannot change it (what :meth:`Tokenizer.step` would read:
#: the tokenizer's tests read every text both ways). The lookaheads say when: an ASCII
#: character or the end next (＊, ², a Greek letter, a subscript digit … are read slowly); a
#: name not followed by ``_``; a number not by ``.``, ``e`` nor ``E``; ``*`` not by ``*``;
#: ``=`` not by ``=``. Possessive repeats: a name or number is never cut short to make a
#: lookahead pass. Anything else is read a character at a time.
_FAST = re.compile(
    r"(?P<space> +)"
    r"|(?P<whole>[0-9]++)(?:\.(?P<fraction>[0-9]++))?+(?![.eE])(?=[\x00-\x7f]|\Z)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9]*+)(?=[\x00-\x5e\x60-\x7f]|\Z)"
    r"|(?P<op>\*\*|\*(?!\*)|[-+/^])(?=[\x00-\x7f]|\Z)"
    r"|(?P<open>[(\[{])(?=[\x00-\x7f]|\Z)|(?P<close>[)\]}])(?=[\x00-\x7f]|\Z)"
    r"|(?P<eq>=)(?=[\x00-\x3c\x3e-\x7f]|\Z)"
)
_SPACE, _WHOLE, _NAME, _OP, _OPEN, _CLOSE, _EQ = (
    _FAST.groupindex[group] for group in ("space", "whole", "name", "op", "open", "close", "eq")
)


@lru_cache(maxsize=4096)
def _decimal(whole: str, fraction: str) -> Rational:
    """The exact value of the digits ``whole.fraction`` (the same few numbers come back in
    every answer of a class: 2, 3, 0.5 …)."""
    return Rational(int(whole + fraction), 10 ** len(fraction))


def describe(ch: str) -> str:
    """A character as a message shows it: ``'😀' (U+1F600)``, ``NUL (U+0000)``."""
    if ch == "\x00":
        return "NUL (U+0000)"
    if not ch.isprintable():
        return f"U+{ord(ch):04X}"
    return f"{ch!r} (U+{ord(ch):04X})"


# --------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Token:
    """One token: ``kind`` is one of num name op lpar rpar bar comma sup root frac lsqrt
    eq sep prime partial end; ``pos``/``end`` are its span in the text."""

    kind: str
    value: object
    pos: int
    end: int
    spaced: bool = False  # whitespace right before this token


_LATEX_IGNORED = {
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
    "biggr", "displaystyle", "textstyle", "limits", "nolimits", "quad", "qquad", ",", ";",
    ":", "!", " ", "middle",
}  # fmt: skip
_LATEX_OPERATORS = {"cdot": "*", "times": "*", "ast": "*", "div": "/"}
_LATEX_BARS = {"lvert", "rvert", "vert", "mid", "|"}
_LATEX_BRACES = {"{": "lpar", "}": "rpar"}
_LATEX_NAMED = {"operatorname", "mathrm", "text", "textrm", "mathit", "rm"}
_LATEX_FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}


class Tokenizer:
    """Text -> tokens (the last one is ``end``)."""

    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.tokens: list[Token] = []
        self.depth = 0  # bracket depth, so newlines inside brackets are plain spaces
        self.spaced = False

    def error(self, key: str, pos: int | None = None, **params: object) -> ParseError:
        return ParseError(key, self.text, self.i if pos is None else pos, **params)

    def add(self, kind: str, value: object, pos: int, end: int) -> None:
        self.tokens.append(Token(kind, value, pos, end, self.spaced))
        self.spaced = False

    #: False: read every character with :meth:`step` (the fast path must agree with it)
    fast = True

    def run(self) -> list[Token]:
        text = self.text
        length = len(text)
        if self.fast:
            self._run_fast(text, length)
        while self.i < length:
            self.step()
        self.add("end", None, length, length)
        return self.tokens

    def _run_fast(self, text: str, length: int) -> None:
        """Read the plain-ASCII tokens :data:`_FAST` matches, and anything else with
        :meth:`step`, up to the end (the common case without a method call per token)."""
        match = _FAST.match
        tokens = self.tokens
        while self.i < length:
            found = match(text, self.i)
            group = found.lastindex if found is not None else None
            if group is None:
                self.step()
                continue
            start, end = found.span()
            if group == _SPACE:
                self.i = end
                self.spaced = True
                continue
            if group <= _WHOLE + 1:  # a number (with a fraction, that group is the last)
                whole, fraction = found.group(_WHOLE), found.group(_WHOLE + 1) or ""
                if len(whole) + len(fraction) > MAX_DIGITS or (
                    whole == "0" and end < length and text[end] in "xX"
                ):
                    self.step()  # refused there (too long, Python's 0x10), with the message
                    continue
                token = Token("num", _decimal(whole, fraction), start, end, self.spaced)
            elif group == _NAME:
                if end - start > MAX_NAME_LENGTH:
                    self.step()
                    continue
                token = Token("name", found.group(), start, end, self.spaced)
            elif group == _OP:
                single = found.group()
                token = Token("op", "^" if single == "**" else single, start, end, self.spaced)
            elif group == _OPEN:
                self.depth += 1
                token = Token("lpar", found.group(), start, end, self.spaced)
            elif group == _CLOSE:
                self.depth = max(0, self.depth - 1)
                token = Token("rpar", found.group(), start, end, self.spaced)
            else:
                token = Token("eq", "=", start, end, self.spaced)
            tokens.append(token)
            self.spaced = False
            self.i = end

    def step(self) -> None:
        """Read the token (or the space, comment, LaTeX command) at ``self.i``."""
        text = self.text
        raw = text[self.i]
        ch = plain(raw)
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
        elif raw in _SYMBOLS:
            self.i += 1
            self.add(*_SYMBOLS[raw], start, self.i)
        elif raw in _SUPERSCRIPTS:
            self.superscript()
        elif _is_name_start(ch):
            self.name()
        elif ch in _PUNCTUATION:
            self.i += 1
            self.add(*_PUNCTUATION[ch], start, self.i)
        elif ch == "*":
            self.i += 1
            if self.i < len(text) and plain(text[self.i]) == "*":
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
        elif ch == "=":
            self.i += 1
            if self.i < len(text) and plain(text[self.i]) == "=":
                raise self.error("parse.comparison", start)
            self.add("eq", "=", start, self.i)
        elif ch == "\\":
            self.latex_command()
        elif (
            raw in _PRIMES
            and self._after_operand()
            and (raw not in _QUOTE_PRIMES or not self.spaced)
        ):
            self.prime()
        elif ch in "'\"`" or raw in _QUOTE_PRIMES:
            raise self.error("parse.string", start)
        elif ch == "." and self.tokens and self.tokens[-1].kind in ("name", "rpar"):
            raise self.error("parse.attribute", start)
        else:
            raise self.error("parse.unexpected_character", start, character=describe(raw))

    def _after_operand(self) -> bool:
        return bool(self.tokens) and self.tokens[-1].kind in ("name", "rpar", "prime")

    def _digit_at(self, index: int) -> bool:
        return (
            index < len(self.text)
            and plain(self.text[index]).isdigit()
            and plain(self.text[index]).isascii()
        )

    def _take_digits(self) -> str:
        digits = []
        while self._digit_at(self.i):
            digits.append(plain(self.text[self.i]))
            self.i += 1
        return "".join(digits)

    def number(self) -> None:
        start = self.i
        whole = self._take_digits()
        text = self.text
        if whole == "0" and self.i + 1 < len(text) and plain(text[self.i]) in "xX":
            if plain(text[self.i + 1]) in "0123456789abcdefABCDEF":  # 0x10: Python's hex
                end = self.i + 1
                while end < len(text) and plain(text[end]).isalnum():
                    end += 1
                raise self.error("parse.hex", start, literal=repr(text[start:end]))
        fraction = ""
        if (
            self.i < len(text)
            and plain(text[self.i]) == "."
            and not (self.i + 1 < len(text) and plain(text[self.i + 1]) == ".")
        ):
            self.i += 1
            fraction = self._take_digits()
        exponent = 0
        if self.i < len(text) and plain(text[self.i]) in "eE":
            j = self.i + 1
            sign = 1
            if j < len(text) and plain(text[j]) in "+-":
                sign = -1 if plain(text[j]) == "-" else 1
                j += 1
            if self._digit_at(j):  # scientific notation only when digits follow: 2e^x is 2·e^x
                self.i = j
                digits = self._take_digits()
                if len(digits) > 6 or int(digits) > MAX_DIGITS:
                    raise self.error(
                        "parse.exponent_too_large",
                        start,
                        number=repr(text[start : self.i]),
                        limit=MAX_DIGITS,
                    )
                exponent = sign * int(digits)
        if len(whole) + len(fraction) > MAX_DIGITS:
            raise self.error("parse.number_too_long", start, limit=MAX_DIGITS)
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

    def prime(self) -> None:
        start = self.i
        count = 0
        while self.i < len(self.text) and self.text[self.i] in _PRIMES:
            count += _PRIMES[self.text[self.i]]
            self.i += 1
        self.add("prime", count, start, self.i)

    def name(self) -> None:
        start = self.i
        text = self.text
        parts = []
        while self.i < len(text):
            fast = _ASCII_NAME.match(text, self.i) if not parts else None
            if fast:  # the usual case: x, w1, sin, target
                parts.append(fast.group(0))
                self.i = fast.end()
                continue
            ch = plain(text[self.i])
            if ch == "_" and self.i + 1 < len(text) and plain(text[self.i + 1]) == "{":
                parts.append(self.latex_subscript())
                continue
            if text[self.i] in _SUBSCRIPT_DIGITS:
                parts.append(_SUBSCRIPT_DIGITS[text[self.i]])
                self.i += 1
                continue
            if not _is_name_char(ch) or text[self.i] == "π":
                break
            parts.append(greek_name(ch) or ch)
            self.i += 1
        name = "".join(parts)
        if len(name) > MAX_NAME_LENGTH:
            raise self.error("parse.name_too_long", start, limit=MAX_NAME_LENGTH)
        self.add("name", name, start, self.i)

    def latex_subscript(self) -> str:
        """``_{1}`` -> '1' (so w_{1} is w1, as SymPy prints w1); ``_{out}`` -> '_out'."""
        start = self.i
        close = self.text.find("}", self.i + 2)
        if close == -1:
            raise self.error("parse.subscript_unclosed", start)
        inner = "".join(plain(c) for c in self.text[self.i + 2 : close]).strip()
        if not inner or not all(_is_name_char(c) for c in inner):
            raise self.error("parse.subscript_name", start)
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
        elif command in _LATEX_BRACES:  # \{ \} are round brackets
            kind = _LATEX_BRACES[command]
            self.add(kind, "(" if kind == "lpar" else ")", start, self.i)
        elif command in _LATEX_FRACTIONS:
            self.add("frac", command, start, self.i)
        elif command == "sqrt":
            self.add("lsqrt", command, start, self.i)
        elif command == "partial":
            self.add("partial", "∂", start, self.i)
        elif command in _LATEX_NAMED:
            self.latex_named(start)
        elif command in GREEK_WORDS or is_latex_name(command):
            name = command
            if self.text.startswith("_{", self.i):
                name += "_" + self.latex_subscript().lstrip("_")
            elif self.text.startswith("_", self.i) and self._digit_at(self.i + 1):  # \log_2
                self.i += 1
                name += "_" + self._take_digits()
            self.add("name", name, start, self.i)
        else:
            raise self.error("parse.latex_unsupported", start, command="\\" + command)

    def latex_named(self, start: int) -> None:
        """``\\operatorname{relu}``, ``\\mathrm{e}``, ``\\text{ReLU}``,
        ``\\operatorname{leaky\\_relu}`` -> a name."""
        while self.i < len(self.text) and self.text[self.i] == " ":
            self.i += 1
        if self.i >= len(self.text) or self.text[self.i] != "{":
            raise self.error("parse.latex_brace", self.i)
        close = self.text.find("}", self.i)
        inner = self.text[self.i + 1 : close].replace("\\_", "_").strip() if close != -1 else ""
        if close == -1 or not inner or not all(_is_name_char(c) for c in inner):
            raise self.error("parse.latex_name", self.i)
        self.i = close + 1
        self.add("name", inner, start, self.i)


def check_text(text: object) -> str:
    """``text`` when it is a string of at most ``MAX_TEXT_LENGTH`` characters; else the
    ParseError that says which (every reader checks its input here first)."""
    if not isinstance(text, str):
        raise ParseError("parse.not_text", type=type(text).__name__)
    if len(text) > MAX_TEXT_LENGTH:
        raise ParseError(
            "parse.too_long",
            text[: MAX_TEXT_LENGTH + 1],
            MAX_TEXT_LENGTH,
            length=len(text),
            limit=MAX_TEXT_LENGTH,
        )
    return text


def tokenize(text: object) -> tuple[str, list[Token]]:
    """Check the text's type and length, and return it with its tokens (the last is ``end``)."""
    text = check_text(text)
    return text, Tokenizer(text).run()


class TokenCursor:
    """A position in a list of tokens (the last one ``end``), for the grammars that read
    them: the formula grammar and the matrix language."""

    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def error(self, key: str, token: Token | int, **params: object) -> ParseError:
        """A ParseError at ``token`` (or at a character position)."""
        pos = token if isinstance(token, int) else token.pos
        return ParseError(key, self.text, pos, **params)
