"""Curves as people write them: an equation ``F(x, y) = G(x, y)``, or a parametric pair
``x = f(t); y = g(t)``. Both sides are read by derivcheck's own parser
(:mod:`derivcheck.reading`); this module only decides which kind of text it is.

>>> equation = read_curve("x^2 + y^2 = 1")
>>> equation.lhs, equation.rhs, [s.name for s in equation.names]
(x**2 + y**2, 1, ['x', 'y'])
>>> pair = read_curve("x = cos t; y = sin t")
>>> pair.x, pair.y, pair.parameter
(x, y, t)
>>> read_curve("y = x^2") is None, read_curve("sin(x)") is None
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sympy import Expr, Symbol

from derivcheck.errors import ParseError
from derivcheck.reading.grammar import read_formula, reading
from derivcheck.reading.parser import Program, parse_source
from derivcheck.reading.program import ordered_free
from derivcheck.reading.tokens import Token, tokenize

__all__ = ["Equation", "ParametricPair", "read_curve", "read_equation", "parametric_pair"]


@dataclass(frozen=True)
class Equation:
    """``lhs = rhs`` with the text it was read from; ``equals`` is where '=' stands."""

    lhs: Expr
    rhs: Expr
    text: str = ""
    equals: int = 0

    @property
    def function(self) -> Expr:
        """F = lhs − rhs: the curve is F = 0."""
        return self.lhs - self.rhs

    @property
    def names(self) -> tuple[Symbol, ...]:
        """The free names, in the order the text uses them."""
        names = tuple(dict.fromkeys((*ordered_free(self.lhs), *ordered_free(self.rhs))))
        if not self.text:
            return names
        first: dict[str, int] = {}
        for token in tokenize(self.text)[1]:
            if token.kind == "name":
                first.setdefault(str(token.value), token.pos)
        return tuple(sorted(names, key=lambda s: first.get(s.name, len(self.text))))

    def position_of(self, name: Symbol) -> int | None:
        """Where ``name`` first stands in the text (for a caret), if it can be found."""
        _, tokens = tokenize(self.text)
        return next((t.pos for t in tokens if t.kind == "name" and str(t.value) == name.name), None)


@dataclass(frozen=True)
class ParametricPair:
    """``x = f(t); y = g(t)``: the curve (x(t), y(t)) of the parameter t."""

    x: Symbol
    x_of_t: Expr
    y: Symbol
    y_of_t: Expr
    parameter: Symbol
    program: Program
    #: names other than the parameter (constants, given at the point)
    constants: tuple[Symbol, ...] = ()

    @property
    def text(self) -> str:
        return self.program.text


def _is_target(tokens: list[Token]) -> bool:
    """``y`` or ``f(x)``: the left side of an assignment, as programs read it."""
    if not tokens or tokens[0].kind != "name":
        return False
    return len(tokens) == 1 or (tokens[1].kind == "lpar" and tokens[-1].kind == "rpar")


def _is_equation(tokens: list[Token]) -> bool:
    """One statement with '=' whose left side is not an assignment target, or a target
    that the right side uses (``y = x·y + 1``): an equation, not a definition."""
    if _statements(tokens) != 1:  # lines separated by ';' or newlines: a program
        return False
    body = [t for t in tokens if t.kind not in ("sep", "end")]
    equals = [k for k, t in enumerate(body) if t.kind == "eq"]
    if not equals:
        return False
    lhs, rhs = body[: equals[0]], body[equals[0] + 1 :]
    if not _is_target(lhs):
        return True
    if len(lhs) > 1 and lhs[1].kind == "lpar":  # f(x) = …: a named function
        return False
    return any(t.kind == "name" and t.value == lhs[0].value for t in rhs)


def _statements(tokens: list[Token]) -> int:
    """How many non-empty lines (separated by ';' or newlines) the tokens hold."""
    count, empty = 0, True
    for token in tokens:
        if token.kind in ("sep", "end"):
            count += not empty
            empty = True
        else:
            empty = False
    return count


def read_equation(text: str, variables: Iterable[str] = ()) -> Equation:
    """Both sides of ``F = G``; a ParseError with a caret for a second '=' or an empty side.

    Glued names are read as products of the names the equation (or ``variables``, the
    names of the point) uses alone: ``6xy`` is 6·x·y next to ``x^3`` and ``y^3``.

    >>> read_equation("e^(xy) = x + y").function
    -x - y + exp(x*y)
    """
    first = _read_equation(text, tuple(variables))
    known = {*variables, *(s.name for s in first.names if len(s.name) == 1)}
    if all(s.name in known for s in first.names):
        return first
    again = _read_equation(text, tuple(sorted(known)))
    return again if len(again.names) < len(first.names) else first


def _read_equation(text: str, variables: tuple[str, ...]) -> Equation:
    with reading():
        text, tokens = tokenize(text)
        equals = [t for t in tokens if t.kind == "eq"]
        if len(equals) > 1:
            raise ParseError("curves.two_equals", text, equals[1].pos)
        (sign,) = equals
        end = Token("end", None, len(text), len(text))
        k = tokens.index(sign)
        left, right = tokens[:k], [t for t in tokens[k + 1 :] if t.kind != "end"]
        if not [t for t in left if t.kind != "sep"]:
            raise ParseError("curves.empty_side", text, sign.pos)
        if not [t for t in right if t.kind != "sep"]:
            raise ParseError("curves.empty_side", text, sign.pos)
        lhs = read_formula(text, [*left, Token("end", None, sign.pos, sign.pos)], variables)
        rhs = read_formula(text, [*right, end], variables)
    return Equation(lhs, rhs, text, sign.pos)


def parametric_pair(program: Program, parameter: Symbol | None = None) -> ParametricPair | None:
    """The pair of a program ``x = f(t); y = g(t)``: two assignments, the second not using
    the first, sharing a parameter (``parameter``, or the first shared name); None for any
    other program."""
    if len(program.assignments) != 2:
        return None
    (x, fx), (y, gy) = program.assignments
    if x in gy.free_symbols or y in fx.free_symbols:
        return None
    shared = [s for s in program.inputs if s in fx.free_symbols and s in gy.free_symbols]
    if not shared:
        return None
    usual = [s for s in shared if s.name in ("t", "theta", "s")]  # x = r cos t: t, not r
    chosen = parameter if parameter in shared else (usual or shared)[0]
    rest = tuple(s for s in program.inputs if s != chosen)
    return ParametricPair(x, fx, y, gy, chosen, program, rest)


def read_curve(source: object, variables: Iterable[str] = ()) -> Equation | ParametricPair | None:
    """The curve a text (or :class:`Program`) describes, or None for a formula or program.

    ``variables``: the names of the point, if known (see :func:`read_equation`)."""
    if isinstance(source, Program):
        return parametric_pair(source)
    if not isinstance(source, str):
        return None
    try:
        _, tokens = tokenize(source)
    except ParseError:
        return None  # the formula reader says what is wrong
    if _is_equation(tokens):
        return read_equation(source, [getattr(v, "name", str(v)) for v in variables])
    if _statements(tokens) != 2 or not any(t.kind == "eq" for t in tokens):
        return None  # a formula, or a program of other than two lines: not read twice
    try:
        program = parse_source(source)
    except ParseError:
        return None
    return parametric_pair(program) if isinstance(program, Program) else None
