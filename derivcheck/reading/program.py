"""Programs: ``name = expression`` lines (newlines or ';'), the last one is the output.

>>> from derivcheck.reading.tokens import tokenize
>>> program = read_program(*tokenize("u = 3x + 2; y = u^2"))
>>> program.names, program.expression()
((u, y), (3*x + 2)**2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from derivcheck.errors import ParseError
from derivcheck.reading.grammar import Parser
from derivcheck.reading.names import CONSTANTS, function_named, symbol
from derivcheck.reading.tokens import Token

__all__ = ["Program", "read_program", "is_program", "ordered_free"]


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


def is_program(tokens: list[Token]) -> bool:
    """Text with an ``=`` is a program."""
    return any(t.kind == "eq" for t in tokens)


def _is_builtin(name: str) -> bool:
    return name in CONSTANTS or function_named(name) is not None


def read_program(text: str, tokens: list[Token]) -> Program:
    """The program the tokens spell, or a ParseError at the first problem."""
    statements: list[list[Token]] = [[]]
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
    used_before: dict[str, Token] = {}
    inputs: list[sympy.Symbol] = []
    end = Token("end", None, len(text), len(text))
    for statement in statements:
        if not statement:
            continue
        head = statement[0]
        if head.kind != "name":
            raise ParseError("parse.assignment_expected", text, head.pos)
        eq_index = next((k for k, t in enumerate(statement) if t.kind == "eq"), None)
        if eq_index is None:
            raise ParseError("parse.program_line", text, head.pos)
        lhs = statement[:eq_index]
        prime = next((t for t in lhs if t.kind == "prime"), None)
        if prime is not None:  # y' = 2x is an answer, not an assignment
            raise ParseError("parse.prime", text, prime.pos, mark=text[prime.pos : prime.end])
        if not (len(lhs) == 1 or (lhs[1].kind == "lpar" and lhs[-1].kind == "rpar")):
            raise ParseError("parse.assignment_target", text, lhs[-1].pos)
        name = str(head.value)
        if _is_builtin(name):
            raise ParseError("parse.builtin_name", text, head.pos, name=name)
        if name in assigned:
            raise ParseError("parse.assigned_twice", text, head.pos, name=name)
        if name in used_before:
            raise ParseError("parse.used_before", text, used_before[name].pos, name=name)
        body = statement[eq_index + 1 :]
        if not body:
            raise ParseError("parse.missing_expression", text, statement[eq_index].pos)
        if any(t.kind == "eq" for t in body):
            bad = next(t for t in body if t.kind == "eq")
            raise ParseError("parse.one_equals", text, bad.pos)
        parser = Parser(text, [*body, end], variables=assigned, program=True)
        value = parser.expression()
        parser.finish("parse.trailing_assignment")
        for token in body:
            if token.kind == "name" and str(token.value) not in assigned:
                used_before.setdefault(str(token.value), token)
        free_names = {s.name: s for s in value.free_symbols}
        written = dict.fromkeys(
            free_names[str(t.value)]
            for t in body
            if t.kind == "name" and str(t.value) in free_names
        )
        written.update(dict.fromkeys(ordered_free(value)))  # any the tokens did not show
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
        raise ParseError("parse.empty_program", text, 0)
    return Program(
        tuple(assignments), tuple(inputs), text, tuple(uses), tuple(sources), tuple(spans)
    )


def ordered_free(expression: sympy.Expr) -> tuple[sympy.Symbol, ...]:
    """The free symbols of ``expression`` in the order a preorder walk meets them."""
    seen: dict[sympy.Symbol, None] = {}
    for node in sympy.preorder_traversal(expression):
        if isinstance(node, sympy.Symbol):
            seen.setdefault(node, None)
    return tuple(seen)
