"""A safe parser for formulas as people type them: text -> SymPy tree.

Nothing the user types is ever evaluated as code: a hand-written tokenizer
(:mod:`~derivcheck.reading.tokens`) and recursive-descent grammar
(:mod:`~derivcheck.reading.grammar`) build SymPy objects from a whitelist of numbers,
names, operators and the functions of the catalogue (:mod:`~derivcheck.reading.names`).
See "Input syntax" in the README for the rules.

>>> from derivcheck import parse
>>> parse("(3x+2)^2")
(3*x + 2)**2
>>> parse("sin x^2 + √(1+x²)")
sqrt(x**2 + 1) + sin(x**2)
>>> parse(r"\\frac{1}{1+e^{-x}}")
1/(1 + exp(-x))
>>> parse("6（2x+1）²")
6*(2*x + 1)**2
>>> parse("xsinx + Sin⁻¹ x")
x*sin(x) + asin(x)
>>> program = parse_program("z1 = w1*x + b1; h = relu(z1)")
>>> [str(name) for name in program.names]
['z1', 'h']
>>> read_derivative_request("d/dx x^2")
(x**2, x)
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy

from derivcheck.errors import ParseError
from derivcheck.reading.grammar import read_formula, reading
from derivcheck.reading.names import FUNCTION_NAMES, symbol
from derivcheck.reading.notation import (
    Prime,
    find_derivative_operator,
    read_derivative_request,
    read_prime,
)
from derivcheck.reading.points import parse_point_assignments
from derivcheck.reading.program import Program, is_program, ordered_free, read_program
from derivcheck.reading.tokens import Token, tokenize

__all__ = [
    "parse",
    "parse_program",
    "parse_source",
    "Program",
    "symbol",
    "FUNCTION_NAMES",
    "read_derivative_request",
    "read_prime",
    "Prime",
    "parse_point_assignments",
]


def _read(text: object) -> tuple[str, list[Token]]:
    """Tokens of ``text``; a derivative request (d/dx …) is refused here."""
    text, tokens = tokenize(text)
    operator = find_derivative_operator(tokens)
    if operator is not None:
        raise ParseError(
            "parse.derivative_operator", text, operator.position, operator=operator.text
        )
    return text, tokens


def parse(text: str, variables: Iterable[str] = ()) -> sympy.Expr:
    """Parse a formula (or a program, returning its output as one expression).

    ``variables`` names the variables the caller expects; with them, glued
    names such as ``xe^x`` read as ``x·e^x``. Raises :class:`ParseError`; a
    derivative request (``d/dx x^2``, see :func:`read_derivative_request`) and a
    prime (``(2x+1)'``, see :func:`read_prime`) are refused.

    >>> parse("2sin(3x)")
    2*sin(3*x)
    >>> parse("e^x")
    exp(x)
    """
    with reading():
        text, tokens = _read(text)
        if is_program(tokens):
            return read_program(text, tokens).expression()
        return read_formula(text, tokens, variables)


def parse_source(text: str, variables: Iterable[str] = ()) -> sympy.Expr | Program:
    """A formula as an expression, or text with assignments as a :class:`Program`.

    >>> parse_source("x^2")
    x**2
    >>> parse_source("u = 3x + 2; y = u^2").names
    (u, y)
    """
    with reading():
        text, tokens = _read(text)
        if is_program(tokens):
            return read_program(text, tokens)
        return read_formula(text, tokens, variables)


def parse_program(text: str) -> Program:
    """Parse ``name = expression`` lines (newlines or ';'); a formula becomes one assignment.

    >>> p = parse_program("u = 3x + 2\\ny = u^2")
    >>> p.expression()
    (3*x + 2)**2
    """
    with reading():
        text, tokens = _read(text)
        if is_program(tokens):
            return read_program(text, tokens)
        expression = read_formula(text, tokens)
        output = symbol("y") if symbol("y") not in expression.free_symbols else symbol("out")
        free = ordered_free(expression)
        return Program(((output, expression),), free, text, (free,))
