"""Tokens to a SymPy tree: the recursive-descent grammar of formulas.

Precedence, loosest first: ``+ -``; ``* /`` and implicit multiplication (left to right,
so ``1/2x`` is x/2); unary signs; ``^`` (right-associative) and superscripts; then
numbers, names, function applications, brackets, ``|…|``, roots and ``\\frac``.
Functions come from the catalogue through :mod:`derivcheck.reading.names`.

Nesting is bounded by :data:`~derivcheck.limits.MAX_DEPTH` levels, one level for each
bracket, exponent (``^``, a superscript, the braces of ``x^{…}`` included), unary sign,
function application (its brackets included), ``|…|``, root and fraction.

>>> from derivcheck.reading.tokens import tokenize
>>> text, tokens = tokenize("2xcos(x^2)")
>>> read_formula(text, tokens)
2*x*cos(x**2)
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import sympy
from sympy import Rational

from derivcheck.calculus.catalogue import without_imaginary_arguments
from derivcheck.calculus.roots import even_root_as_size
from derivcheck.errors import ParseError
from derivcheck.limits import MAX_DEPTH, MAX_DIGITS, time_limit
from derivcheck.reading.names import (
    CONSTANTS,
    GREEK_WORDS,
    FunctionSpelling,
    did_you_mean,
    function_named,
    log_base,
    split_glued,
    split_known,
    symbol,
)
from derivcheck.reading.order import note_built, note_sum
from derivcheck.reading.tokens import CLOSER, Token, TokenCursor, Tokenizer

__all__ = ["Parser", "read_formula", "recursion_room", "reading"]

# Python frames one nesting level may take (a function call: primary, name, function,
# call_arguments, expression, term, unary, power), with room for SymPy below the deepest.
_FRAMES_PER_LEVEL = 10
_FRAMES_SPARE = 400

# Tokens after which a glued function name takes its argument: 2xcos(x^2), 2xcos x^2.
_ARGUMENT_STARTS = frozenset({"num", "name", "lpar", "root", "frac", "lsqrt", "sup"})


@contextmanager
def recursion_room() -> Iterator[None]:
    """Enough Python recursion for :data:`MAX_DEPTH` levels, wherever the caller stands.

    The grammar is recursive; every nesting level it accepts must parse, so the
    interpreter's limit is raised (never lowered) for the duration. Python-to-Python
    calls take no C stack in CPython 3.11+, so this is safe. Should the limit still be
    reached (another thread lowered it meanwhile), the input is refused as too deep:
    only a :class:`ParseError` leaves the reader.
    """
    previous = sys.getrecursionlimit()
    needed = _current_depth() + MAX_DEPTH * _FRAMES_PER_LEVEL + _FRAMES_SPARE
    if needed > previous:
        sys.setrecursionlimit(needed)
    try:
        yield
    except RecursionError:
        raise ParseError("parse.too_deep", limit=MAX_DEPTH) from None
    finally:
        if needed > previous:
            sys.setrecursionlimit(previous)


#: Wall-clock bound of one reading call, in seconds (the size bounds keep it far shorter).
READING_SECONDS = 5.0


@contextmanager
def reading() -> Iterator[None]:
    """What every public reading call runs in: the time limit and the recursion it needs."""
    with time_limit(READING_SECONDS, "limits.what.parsing"), recursion_room():
        yield


def _current_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


class Parser(TokenCursor):
    """The grammar over a token list. ``variables`` are names the caller knows (they
    win over functions and let ``xe^x`` split into x·e^x); ``program`` turns off the
    splitting of glued names, so a program's names are kept as written."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        variables: Iterable[str] = (),
        program: bool = False,
    ):
        super().__init__(text, tokens)
        self.abs_depth = 0
        self.variables = frozenset(variables)
        self.program = program
        self._letters: frozenset[str] | None = None

    # ---- token helpers (peek, advance, error: TokenCursor) ----
    def peek(self, ahead: int = 0) -> Token:
        """TokenCursor.peek without its min(): the grammar's most frequent call."""
        tokens = self.tokens
        i = self.i + ahead
        return tokens[i] if i < len(tokens) else tokens[-1]

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("parse.too_deep", token, limit=MAX_DEPTH)

    def leave(self, levels: int = 1) -> None:
        self.depth -= levels

    @property
    def letters(self) -> frozenset[str]:
        """One-letter (and Greek-letter) names the text uses on their own."""
        if self._letters is None:
            self._letters = frozenset(
                str(t.value)
                for t in self.tokens
                if t.kind == "name" and (len(str(t.value)) == 1 or t.value in GREEK_WORDS)
            )
        return self._letters

    def skip_newlines(self) -> None:
        while self.peek().kind == "sep" and self.peek().value == "\n":
            self.advance()

    def finish(self, key: str = "parse.trailing") -> None:
        """Refuse whatever is left after a whole formula, naming the precise problem."""
        if all(t.kind in ("sep", "end") and t.value != ";" for t in self.tokens[self.i :]):
            return
        token = self.peek()
        if token.kind == "rpar":
            raise self.error("parse.nothing_to_close", token, bracket=token.value)
        if token.kind == "bar":
            raise self.error("parse.unexpected_bar", token)
        self.primary()  # raises the precise error for this token
        raise self.error(key, token)

    # ---- grammar ----
    def expression(self) -> sympy.Expr:
        terms = [self.term()]
        first_op = None
        while True:
            op = self.peek()
            if op.kind != "op" or op.value not in "+-":
                break
            self.i += 1
            first_op = first_op or op
            rhs = self.term()
            terms.append(rhs if op.value == "+" else self.negative(rhs))
        if first_op is None:
            return terms[0]
        return self.total(terms, first_op)

    def term(self) -> sympy.Expr:
        """Factors left to right (``1/2x`` = x/2), multiplied once at the end: one Mul, so a
        product of n factors costs n, not n² (SymPy re-flattens a Mul on every product)."""
        number: sympy.Expr = sympy.S.One  # the product of the numbers, kept exact
        factors: list[sympy.Expr] = []
        last = self.peek()
        factor = self.unary()
        if factor.is_Rational:
            number = self.multiply(number, factor, last)
        else:
            factors.append(factor)
        while True:
            token = self.peek()
            kind = token.kind
            if kind == "op" and token.value in "*/":
                self.i += 1
                factor = self.unary()
                if token.value == "/":
                    if factor == 0:
                        raise self.error("parse.division_by_zero", token)
                    factor = self.reciprocal(factor, token)
            elif self.starts_factor(token) or self.number_after_bracket(token):
                factor = self.power()
            elif kind == "num":
                raise self.error("parse.missing_operator", token)
            else:
                break
            if factor.is_Rational:
                number = self.multiply(number, factor, token)
            else:
                factors.append(factor)
            last = token
        if not factors:
            return number
        if number == 1 and len(factors) == 1:
            return factors[0]
        return self.product(number, factors, last)

    def starts_factor(self, token: Token) -> bool:
        if token.kind in ("name", "lpar", "root", "frac", "lsqrt"):
            return True
        return token.kind == "bar" and self.abs_depth == 0

    def number_after_bracket(self, token: Token) -> bool:
        """``(3-x^2)2x``: a number right after a closing bracket multiplies (as WeBWorK
        reads it); after anything else (``2 3``, ``x 2``) it is a missing operator."""
        if token.kind != "num" or token.spaced or self.i == 0:
            return False
        return self.tokens[self.i - 1].kind in ("rpar", "bar")

    def unary(self) -> sympy.Expr:
        negative = False
        signs = 0
        while True:
            sign = self.peek()
            if sign.kind != "op" or sign.value not in "+-":
                break
            self.i += 1
            self.enter(sign)
            signs += 1
            negative ^= sign.value == "-"
        value = self.power()
        self.depth -= signs
        return self.negative(value) if negative else value

    def power(self) -> sympy.Expr:
        return self.exponent_of(self.postfix(self.primary()))

    def exponent_of(self, base: sympy.Expr) -> sympy.Expr:
        """``base ^ exponent``, right-associative: x^y^z = x^(y^z); x^-1 allowed."""
        token = self.peek()
        if token.kind != "op" or token.value != "^":
            return base
        self.i += 1
        self.enter(token)
        following = self.peek()
        if following.kind == "lpar" and following.value == "{":  # x^{…}: its own braces
            exponent = self.exponent_of(self.postfix(self.group(counted=False)))
        else:
            exponent = self.unary()
        self.depth -= 1
        return self.raise_power(base, exponent, token)

    def postfix(self, value: sympy.Expr) -> sympy.Expr:
        while True:
            token = self.peek()
            if token.kind != "sup":
                return value
            self.i += 1
            self.enter(token)
            exponent = self.superscript(token)
            self.depth -= 1
            value = self.raise_power(value, exponent, token)

    def superscript(self, token: Token) -> sympy.Expr:
        inner = Tokenizer(str(token.value)).run()
        for t in inner:  # positions in the original text
            t.pos += token.pos
            t.end += token.pos
        reader = type(self)  # this grammar's class (reading.light has its own)
        sub = reader(self.text, inner, self.variables, self.program)
        sub.depth = self.depth
        value = sub.expression()
        if sub.peek().kind != "end":
            raise self.error("parse.superscript", token)
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
            self.enter(token)
            self.abs_depth += 1
            inner = self.expression()
            closing = self.peek()
            if closing.kind != "bar":
                raise self.error("parse.abs_unclosed", closing)
            self.advance()
            self.abs_depth -= 1
            self.leave()
            return self.build(function_named("abs"), [inner])  # type: ignore[arg-type]
        if kind == "root":
            self.advance()
            self.enter(token)
            radicand = self.unary() if self.peek().kind == "op" else self.power()
            self.leave()
            return self.root(radicand, int(token.value), token)  # type: ignore[call-overload]
        if kind == "frac":
            self.advance()
            self.enter(token)
            numerator = self.braced(token)
            denominator = self.braced(token)
            self.leave()
            if denominator == 0:
                raise self.error("parse.division_by_zero", token)
            return self.quotient(numerator, denominator, token)
        if kind == "lsqrt":
            self.advance()
            self.enter(token)
            degree = 2
            if self.peek().kind == "lpar" and self.peek().value == "[":
                self.advance()
                n = self.expression()
                self.expect_close("[", self.peek())
                if not (n.is_Integer and 2 <= int(n) <= 100):
                    raise self.error("parse.sqrt_degree", token)
                degree = int(n)
            radicand = self.braced(token)
            self.leave()
            return self.root(radicand, degree, token)
        raise self.refusal(token)

    def refusal(self, token: Token) -> ParseError:
        """The error for a token that cannot start a factor."""
        kind = token.kind
        if kind == "end":
            return self.error("parse.end", token)
        if kind == "rpar":
            return self.error("parse.nothing_to_close", token, bracket=token.value)
        if kind == "op":
            return self.error("parse.needs_left", token, operator=token.value)
        if kind == "sup":
            return self.error("parse.superscript_base", token)
        if kind == "eq":
            return self.error("parse.equals", token)
        if kind == "sep":
            key = "parse.semicolon" if token.value == ";" else "parse.line_break"
            return self.error(key, token)
        if kind == "comma":
            return self.error("parse.comma", token)
        if kind == "prime":
            return self.error("parse.prime", token, mark=self.text[token.pos : token.end])
        if kind == "partial":
            return self.error("parse.partial", token)
        return self.error("parse.unexpected_symbol", token)  # pragma: no cover

    def group(self, counted: bool = True) -> sympy.Expr:
        opening = self.advance()
        if counted:
            self.enter(opening)
        if self.peek().kind == "rpar":
            raise self.error("parse.empty_brackets", self.peek())
        saved_abs = self.abs_depth
        self.abs_depth = 0
        inner = self.expression()
        self.abs_depth = saved_abs
        self.expect_close(str(opening.value), opening)
        if counted:
            self.leave()
        return inner

    def expect_close(self, opening: str, opening_token: Token) -> None:
        token = self.peek()
        want = CLOSER[opening]
        if token.kind == "rpar" and token.value == want:
            self.advance()
            return
        if token.kind == "rpar":
            raise self.error(
                "parse.mismatched", token, found=token.value, opening=opening, expected=want
            )
        if token.kind == "end":
            raise self.error("parse.unclosed", opening_token, opening=opening, expected=want)
        if token.kind == "num":
            raise self.error("parse.missing_operator", token)
        raise self.error("parse.expected_close", token, expected=want)

    def braced(self, command: Token) -> sympy.Expr:
        """The ``{…}`` of ``\\frac`` and ``\\sqrt`` (its braces belong to the command);
        ``\\frac12`` and ``\\frac1x`` take one digit or name each."""
        token = self.peek()
        if token.kind == "lpar":
            return self.group(counted=False)
        source = self.text[token.pos : token.end]
        if token.kind == "num" and source.isdigit() and len(source) > 1:  # \frac12 = 1/2
            self.tokens[self.i : self.i + 1] = [
                Token("num", Rational(int(source[0])), token.pos, token.pos + 1, token.spaced),
                Token("num", Rational(int(source[1:])), token.pos + 1, token.end),
            ]
        if self.peek().kind in ("num", "name"):
            return self.primary()
        raise self.error("parse.latex_group", token)

    # ---- names, functions, constants ----
    def name(self) -> sympy.Expr:
        token = self.peek()
        name = str(token.value)
        after = self.peek(1)
        if name in self.variables:
            self.advance()
            return self.variable(name)
        if name in CONSTANTS:
            self.advance()
            return CONSTANTS[name]
        spelling = function_named(name, called=after.kind == "lpar")
        if spelling is not None:
            return self.function(token, spelling)
        base = log_base(name)
        if base is not None:
            return self.function(token, function_named("log"), base=base)  # type: ignore[arg-type]
        calls = after.kind == "lpar" and not after.spaced
        pieces = self.split(name, after)
        if pieces is not None and (not calls or function_named(pieces[-1]) is not None):
            self.replace_token(token, pieces)
            return self.primary()
        if calls and len(name) > 1 and not name[-1].isdigit() and name not in GREEK_WORDS:
            suggestion = did_you_mean(name)
            if suggestion is None:
                raise self.error("parse.unknown_function", token, name=name)
            raise self.error(
                "parse.unknown_function_suggest", token, name=name, suggestion=suggestion
            )
        self.advance()
        return self.variable(name)

    def split(self, name: str, after: Token) -> list[str] | None:
        """A glued name's pieces (see :func:`~derivcheck.reading.names.split_glued`);
        with known ``variables``, 'xe' = x·e and 'xy' = x·y when every piece is known."""
        if self.program or len(name) < 2:
            return None
        follows = after.kind in _ARGUMENT_STARTS or (after.kind == "op" and after.value == "^")
        pieces = split_glued(name, self.letters, follows)
        if pieces is None and self.variables:
            pieces = split_known(name, self.variables)
        return pieces

    def replace_token(self, token: Token, pieces: list[str]) -> None:
        replacement = []
        for n, piece in enumerate(pieces):
            kind = "num" if piece.isdigit() else "name"
            value: object = Rational(int(piece)) if kind == "num" else piece
            replacement.append(Token(kind, value, token.pos, token.end, token.spaced and n == 0))
        self.tokens[self.i : self.i + 1] = replacement

    def function(
        self, token: Token, spelling: FunctionSpelling, base: sympy.Expr | None = None
    ) -> sympy.Expr:
        """``f(x)``, ``f x``, ``f^2 x``, ``f⁻¹ x`` (the catalogue's inverse), ``log_2 x``."""
        self.advance()
        self.enter(token)
        power = None
        power_token = self.peek()
        after = self.peek(1)
        if (power_token.kind, power_token.value) == ("op", "^") and (
            after.kind == "num"
            or (after.kind == "op" and after.value in "+-")
            or (after.kind == "lpar" and after.value in "({")
        ):
            self.advance()
            power = self.function_power()
        elif power_token.kind == "sup":
            self.advance()
            power = self.superscript(power_token)
        if self.peek().kind == "lpar":
            args, starts = self.call_arguments()
        else:
            args, starts = [self.bare_argument(token)], [token]
        self.leave()
        if base is not None:
            self.check_base(base, token)
            if len(args) != 1:
                raise self.arity_error(token, (1,), len(args))
            args, starts = [*args, base], [*starts, token]
        if power is not None and power == -1:
            inverse = spelling.inverse()
            if inverse is None:
                raise self.error("parse.inverse_ambiguous", power_token, name=spelling.name)
            return self.apply(inverse, args, starts, token)
        result = self.apply(spelling, args, starts, token)
        if power is not None:
            result = self.raise_power(result, power, power_token)
        return result

    def apply(
        self,
        spelling: FunctionSpelling,
        args: list[sympy.Expr],
        starts: list[Token],
        token: Token,
    ) -> sympy.Expr:
        """The function applied to its arguments, checked against the catalogue's
        argument counts and parameters."""
        if len(args) not in spelling.arity:
            raise self.arity_error(token, spelling.arity, len(args), spelling.name)
        for arg, parameter, start in zip(
            args[spelling.inputs :], spelling.parameters, starts[spelling.inputs :]
        ):
            if arg.free_symbols or not arg.is_number:
                raise self.error(
                    "parse.parameter",
                    start,
                    parameter=parameter.name,
                    name=spelling.name,
                    default=_decimal(parameter.default),
                )
        if spelling.is_log and len(args) == 2:
            self.check_base(args[1], starts[1])
        result = self.check(self.build(spelling, args), token)
        self.note_application(result, spelling, args)
        return result

    def arity_error(
        self, token: Token, counts: tuple[int, ...], got: int, name: str | None = None
    ) -> ParseError:
        name = name or str(token.value)
        low, high = min(counts), max(counts)
        if low == high:
            return self.error("parse.arguments_exactly", token, name=name, expected=low, got=got)
        if high == low + 1:
            return self.error(
                "parse.arguments_either", token, name=name, low=low, high=high, got=got
            )
        return self.error("parse.arguments_range", token, name=name, low=low, high=high, got=got)

    def check_base(self, base: sympy.Expr, token: Token) -> None:
        """A logarithm's base, when it is a number, is positive and not 1."""
        if base.is_number and (base.is_positive is False or base == 1):
            raise self.error("parse.log_base", token, base=str(base))

    def function_power(self) -> sympy.Expr:
        """The n of ``sin^n x``: a signed number or a bracketed group, as in
        ``sin^(-1) x`` and ``\\sin^{2} x`` (not a whole expression)."""
        negative = False
        while self.peek().kind == "op" and self.peek().value in "+-":
            negative ^= self.advance().value == "-"
        token = self.peek()
        if token.kind == "num":
            self.advance()
            value = token.value
        elif token.kind == "lpar":
            value = self.group(counted=False)
        else:
            raise self.error("parse.function_power", token)
        return self.negative(value) if negative else value

    def call_arguments(self) -> tuple[list[sympy.Expr], list[Token]]:
        opening = self.advance()
        if self.peek().kind == "rpar":
            raise self.error("parse.missing_argument", self.peek())
        saved_abs = self.abs_depth
        self.abs_depth = 0
        starts = [self.peek()]
        args = [self.expression()]
        while self.peek().kind == "comma":
            self.advance()
            starts.append(self.peek())
            args.append(self.expression())
        self.abs_depth = saved_abs
        self.expect_close(str(opening.value), opening)
        return args, starts

    def bare_argument(self, function_token: Token) -> sympy.Expr:
        """``sin 2x`` = sin(2x), ``cos x^2`` = cos(x^2), ``sin x cos x`` = sin(x)·cos(x)."""
        token = self.peek()
        if (
            token.kind in ("end", "sep", "rpar", "comma", "eq", "prime")
            or (token.kind == "op" and token.value in "*/^")
            or (token.kind == "bar" and self.abs_depth > 0)
        ):
            name = str(function_token.value)
            raise self.error("parse.needs_argument", function_token, name=name)
        value = self.unary() if token.kind == "op" else self.power()
        while self.starts_factor(self.peek()) and not self.is_function_name(self.i):
            value = self.multiply(value, self.power(), self.peek())
        return value

    def is_function_name(self, index: int) -> bool:
        """Whether the token at ``index`` starts a function (so a bare argument stops)."""
        token = self.tokens[index]
        if token.kind != "name":
            return False
        name = str(token.value)
        if name in self.variables:
            return False
        after = self.tokens[min(index + 1, len(self.tokens) - 1)]
        if function_named(name, called=after.kind == "lpar") or log_base(name) is not None:
            return True
        pieces = self.split(name, after)
        return pieces is not None and function_named(pieces[0]) is not None

    # ---- building the tree: SymPy here; another reader builds its own (reading.light) ----
    def total(self, terms: list[sympy.Expr], token: Token) -> sympy.Expr:
        """The sum of ``terms`` (one Add: linear in the terms), their order kept for display."""
        total = self.check(sympy.Add(*terms), token)
        note_sum(total, terms)  # the order typed, for display
        return total

    def product(self, number: sympy.Expr, factors: list[sympy.Expr], token: Token) -> sympy.Expr:
        """``number`` (the exact product of a term's numbers) times its other ``factors``."""
        return self.check(sympy.Mul(number, *factors), token)

    def negative(self, value: sympy.Expr) -> sympy.Expr:
        return -value

    def reciprocal(self, value: sympy.Expr, token: Token) -> sympy.Expr:
        inverse = self.check(1 / value, token)
        note_built(inverse, sympy.Pow, value, sympy.S.NegativeOne)
        return inverse

    def quotient(self, numerator: sympy.Expr, denominator: sympy.Expr, token: Token) -> sympy.Expr:
        quotient = self.check(numerator / denominator, token)
        note_built(quotient, sympy.Pow, denominator, sympy.S.NegativeOne)
        return quotient

    def variable(self, name: str) -> sympy.Expr:
        return symbol(name)

    def build(self, spelling: FunctionSpelling, args: list[sympy.Expr]) -> sympy.Expr:
        """The function ``spelling`` names, applied to ``args`` (checked by the caller)."""
        return spelling.build(*args)

    def note_application(
        self, result: sympy.Expr, spelling: FunctionSpelling, args: list[sympy.Expr]
    ) -> None:
        """Remember how the function was typed (:func:`~derivcheck.reading.order.note_built`)."""
        if spelling.record is not None:
            note_built(result, spelling.record.sympy_class, *args)
        else:  # an alias (sqrt, log2): the functions and powers it builds are the typed form
            for node in sympy.preorder_traversal(result):
                if node.is_Pow or isinstance(node, sympy.Function):
                    note_built(node, lambda *_, evaluate, node=node: node, *node.args)

    # ---- arithmetic with size guards ----
    def check(self, value: sympy.Expr, token: Token) -> sympy.Expr:
        if value.is_Rational:  # never infinite, undefined or complex
            return value
        if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
            raise self.error("parse.undefined", token)
        if value.is_number and (value.has(sympy.I) or value.is_real is False):
            raise self.error("parse.not_real", token)
        return value

    def multiply(self, a: sympy.Expr, b: sympy.Expr, token: Token) -> sympy.Expr:
        if a.is_Rational and b.is_Rational and _digits(a) + _digits(b) > MAX_DIGITS:
            raise self.error("parse.number_too_large", token, limit=MAX_DIGITS)
        return self.check(a * b, token)

    def raise_power(self, base: sympy.Expr, exponent: sympy.Expr, token: Token) -> sympy.Expr:
        # SymPy distributes an integer power over a product: (π/4)^(10^6) and (x/4)^(10^6)
        # hold 4^(10^6), a 602,060-digit integer (differential case 2026:48280)
        coefficient = base.as_coeff_Mul()[0] if base.is_Mul and exponent.is_Integer else base
        if coefficient.is_Rational and exponent.is_Rational and abs(coefficient) not in (0, 1):
            size = abs(float(exponent)) * _digits(coefficient)
            if size > MAX_DIGITS:
                raise self.error(
                    "parse.power_too_large", token, digits=_round_digits(size), limit=MAX_DIGITS
                )
        if base == 0 and exponent.is_number and exponent.is_negative:
            raise self.error("parse.zero_negative_power", token)
        base = even_root_as_size(base, exponent)
        result = self.check(base**exponent, token)
        note_built(result, sympy.Pow, base, exponent)
        return result

    def root(self, radicand: sympy.Expr, degree: int, token: Token) -> sympy.Expr:
        if radicand.is_number and radicand.is_negative and degree % 2 == 0:
            key = "parse.negative_sqrt" if degree == 2 else "parse.negative_even_root"
            raise self.error(key, token)
        radicand = even_root_as_size(radicand, Rational(1, degree))  # √(∛x²) is |x|^(1/3)
        if degree == 2:
            result = self.check(sympy.sqrt(radicand), token)
            note_built(result, sympy.Pow, radicand, sympy.S.Half)
            return result
        if radicand.is_number and radicand.is_negative:
            return self.check(-((-radicand) ** Rational(1, degree)), token)
        return self.check(radicand ** Rational(1, degree), token)


def read_formula(
    text: str, tokens: list[Token], variables: Iterable[str] = (), reader: type[Parser] = Parser
) -> sympy.Expr:
    """One formula from its tokens (blank lines around it allowed), or a ParseError;
    ``reader`` is the grammar's class (a subclass builds its own tree: reading.light)."""
    parser = reader(text, tokens, variables)
    parser.skip_newlines()
    if parser.peek().kind == "end":
        raise ParseError("parse.empty", text, 0)
    value = parser.expression()
    parser.finish()
    return without_imaginary_arguments(value) if isinstance(value, sympy.Basic) else value


def _digits(value: sympy.Rational) -> float:
    """log10 of numerator plus denominator: about the digits needed to write the number."""
    p, q = abs(int(value.p)), int(value.q)
    return (math.log10(p) if p else 0.0) + math.log10(q)


def _round_digits(size: float) -> str:
    return f"{size:,.0f}" if size < 1e15 else f"{size:.1e}"


def _decimal(value: sympy.Expr) -> str:
    """A parameter's default as people write it: 1/100 -> '0.01', 1 -> '1'.

    >>> _decimal(Rational(1, 100)), _decimal(sympy.Integer(1)), _decimal(Rational(1, 3))
    ('0.01', '1', '1/3')
    """
    if value.is_Rational and value.q > 1:
        for places in range(1, 16):
            units = value * 10**places
            if units.is_Integer:
                sign, digits = (
                    ("-" if units < 0 else ""),
                    str(abs(int(units))).rjust(places + 1, "0"),
                )
                return f"{sign}{digits[:-places]}.{digits[-places:]}"
    return str(value)
