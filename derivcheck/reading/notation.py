r"""Derivative notation: the operator ``d/dx …`` and prime marks ``y' = …``, ``(2x+1)'``.

A formula is a function; these are requests or answers *about* a derivative, so
:func:`~derivcheck.reading.parser.parse` refuses them with a clear message, and the
callers that expect them read them here.

>>> read_derivative_request(r"\frac{d}{dx} \sin x")
(sin(x), x)
>>> read_derivative_request("x^2") is None
True
>>> p = read_prime("f'(x) = 3(2x+1)^2")
>>> p.name, p.order, p.argument, p.values
('f', 1, x, (3*(2*x + 1)**2,))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from derivcheck.errors import ParseError
from derivcheck.reading.grammar import read_formula, reading
from derivcheck.reading.names import GREEK_WORDS, leading_letter, symbol
from derivcheck.reading.tokens import Token, Tokenizer, tokenize

__all__ = [
    "DerivativeOperator",
    "find_derivative_operator",
    "read_derivative_request",
    "Prime",
    "read_prime",
]

_VARIABLE = re.compile(r"[A-Za-z](\d*|_\w+)")


@dataclass(frozen=True)
class DerivativeOperator:
    """``d/dx`` (or ``∂/∂x``, ``\\frac{d}{dx}``) at the start of the tokens: where it is,
    the variable, and the tokens of what it is applied to (ending with ``end``)."""

    position: int
    variable: str
    operand: list[Token]
    mark: str = "d"  # or ∂

    @property
    def text(self) -> str:
        """The operator as messages show it: ``d/dx``, ``∂/∂x``."""
        return f"{self.mark}/{self.mark}{self.variable}"


def _is_d(token: Token) -> bool:
    return token.kind == "partial" or (token.kind == "name" and token.value == "d")


def _variable(tokens: list[Token], k: int) -> tuple[str, list[Token], int] | None:
    """The variable of ``d/d…`` from token ``k``: ``dx``, ``d x``, ``∂x``, ``dθ``.

    Returns the name, tokens to put back (``dxsin`` is d/dx of ``sin``…), and the
    index after the variable.
    """
    token = tokens[k]
    if token.kind == "name" and str(token.value).startswith("d") and len(str(token.value)) > 1:
        name = str(token.value)[1:]
        if _VARIABLE.fullmatch(name) or name in GREEK_WORDS:
            return name, [], k + 1
        head = leading_letter(name)
        if not head.isalpha():
            return None
        back = Tokenizer(name[len(head) :]).run()[:-1]  # d/dxsin x: the rest is read again
        for t in back:
            t.pos, t.end = t.pos + token.pos + 2, t.end + token.pos + 2
        return head, back, k + 1
    if _is_d(token) and tokens[k + 1].kind == "name":
        return str(tokens[k + 1].value), [], k + 2
    return None


def _closes(tokens: list[Token], k: int, bracket: str) -> bool:
    return tokens[k].kind == "rpar" and tokens[k].value == bracket


def find_derivative_operator(tokens: list[Token]) -> DerivativeOperator | None:
    """The derivative operator the tokens start with, if any (``d/dx``, ``d / d x``,
    ``∂/∂x``, ``\\frac{d}{dx}``, ``\\frac{\\partial}{\\partial x}``)."""
    if len(tokens) < 4:
        return None
    first = tokens[0]
    found = None
    if _is_d(first) and (tokens[1].kind, tokens[1].value) == ("op", "/"):
        found = _variable(tokens, 2)
    elif (
        first.kind == "frac"
        and (tokens[1].kind, tokens[1].value) == ("lpar", "{")
        and _is_d(tokens[2])
        and _closes(tokens, 3, "}")
        and len(tokens) > 6
        and (tokens[4].kind, tokens[4].value) == ("lpar", "{")
    ):
        found = _variable(tokens, 5)
        if found is not None:
            name, back, after = found
            if back or not _closes(tokens, after, "}"):
                return None
            found = name, back, after + 1
    if found is None:
        return None
    name, back, after = found
    mark = "∂" if any(t.kind == "partial" for t in tokens[:after]) else "d"
    return DerivativeOperator(first.pos, name, [*back, *tokens[after:]], mark)


def read_derivative_request(text: str) -> tuple[sympy.Expr, sympy.Symbol] | None:
    r"""The function and the variable of ``d/dx <function>``, or None for other text.

    ``d/dx x^2``, ``d/dx (x^2)``, ``d/dt sin t``, ``∂/∂x (x y)``, ``\frac{d}{dx}(x^2)``.
    The operator applies to everything after it; ``d/dx (x^2) + 1`` is refused (the
    bracket ends before the function does). Raises :class:`ParseError` when the text
    is a derivative request that cannot be read.

    >>> read_derivative_request("d/dx (3x+2)^2")
    ((3*x + 2)**2, x)
    """
    with reading():
        text, tokens = tokenize(text)
        operator = find_derivative_operator(tokens)
        if operator is None:
            return None
        operand = operator.operand
        if all(t.kind in ("sep", "end") for t in operand):
            raise ParseError(
                "parse.derivative_operand", text, operand[-1].pos, operator=operator.text
            )
        _check_scope(text, operand, operator.text)
        variable = symbol(operator.variable)
        return read_formula(text, operand, variables={operator.variable}), variable


def _check_scope(text: str, operand: list[Token], operator: str) -> None:
    """``d/dx (x^2) + 1`` is ambiguous: refuse a top-level + or − after a leading bracket."""
    if operand[0].kind != "lpar":
        return
    depth = 0
    for token in operand:
        depth += token.kind == "lpar"
        depth -= token.kind == "rpar"
        if depth == 0 and token.kind == "op" and token.value in "+-":
            raise ParseError("parse.derivative_scope", text, token.pos, operator=operator)


# --------------------------------------------------------------------------------------
# Primes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prime:
    """A derivative written with primes.

    ``y' = 2x`` and ``f'(x) = 2x`` have a ``name`` (and ``f'(1) = 2`` an ``argument``,
    the point); ``(2x+1)'`` has an ``operand``, the function differentiated. ``values``
    are the sides after each ``=`` (worked steps give several: the last is the answer),
    ``value_starts`` where each starts in the text.
    """

    order: int
    name: str | None = None
    argument: sympy.Expr | None = None
    operand: sympy.Expr | None = None
    values: tuple[sympy.Expr, ...] = ()
    value_starts: tuple[int, ...] = ()


def read_prime(text: str) -> Prime | None:
    """Read ``y' = …``, ``f'(x) = …``, ``y''(0) = …``, ``(2x+1)'``, ``(x^2)' = 2x``;
    None when the text has no prime mark.

    >>> read_prime("(2x+1)'").operand
    2*x + 1
    >>> read_prime("y'' = 6x").order
    2
    """
    with reading():
        text, tokens = tokenize(text)
        primes = [k for k, t in enumerate(tokens) if t.kind == "prime"]
        if not primes:
            return None
        k = primes[0]
        end = tokens[-1]
        sides = [i for i, t in enumerate(tokens) if t.kind == "eq"]
        label_end = sides[0] if sides else len(tokens) - 1
        order = int(tokens[k].value)  # type: ignore[call-overload]
        name = argument = operand = None
        if k == 1 and tokens[0].kind == "name":
            name = str(tokens[0].value)
            rest = tokens[k + 1 : label_end]
            if rest:
                if rest[0].kind != "lpar" or rest[-1].kind != "rpar":
                    raise ParseError("parse.prime_label", text, rest[0].pos)
                argument = read_formula(text, [*rest[1:-1], end])
        elif tokens[k - 1].kind == "rpar" and k + 1 == label_end:
            operand = read_formula(text, [*tokens[:k], end])
        else:
            raise ParseError("parse.prime_label", text, tokens[k].pos)
        values, starts = [], []
        bounds = [*sides, len(tokens) - 1]
        for left, right in zip(bounds, bounds[1:]):
            part = tokens[left + 1 : right]
            if not part:
                raise ParseError("parse.missing_expression", text, tokens[left].pos)
            values.append(read_formula(text, [*part, end]))
            starts.append(part[0].pos)
        return Prime(order, name, argument, operand, tuple(values), tuple(starts))
