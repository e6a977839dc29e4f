r"""One layout of a derivation, drawn by every renderer (text, LaTeX, Markdown).

:func:`explanation_layout` turns an :class:`~derivcheck.Explanation` into a
:class:`Layout`: a title and :class:`Section`\ s made of rows (:class:`Equation`,
:class:`Sentence`) whose pieces are typed — a SymPy expression with optional values
(:class:`Math`), a number (:class:`Num`), a derivative symbol (:class:`D`), a product,
a message in words (:class:`Words`) … The layout decides *what* is said, in which
order and with which numbers; it holds no words of any language (only message keys)
and no formatting. The renderers decide *how* it looks, and compute nothing.

>>> from derivcheck import explain
>>> layout = explanation_layout(explain("(3x+2)^2", 1))
>>> [section.kind for section in layout.sections]
['forward', 'local', 'chain', 'exact', 'numeric']
>>> row = layout.sections[2].rows[0]
>>> row.lhs, row.rhs[-1]
(D(top='y', bottom='x', partial=False, of_output=False), Num(value=30.0, digits=15))

Reading an explanation goes through one small function per fact (:func:`reason`,
:func:`near_kinks`, :func:`kinks`, :func:`one_sided`), so that a change of the
explanation's fields touches one place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy

from derivcheck.messages import Message, rule_message, table

__all__ = [
    "Math",
    "Num",
    "Name",
    "D",
    "Operator",
    "At",
    "Value",
    "Source",
    "Call",
    "Product",
    "Sum",
    "Fraction",
    "Power",
    "Neg",
    "Arrow",
    "PlusMinus",
    "Chain",
    "Points",
    "Formula",
    "Words",
    "Piece",
    "Equation",
    "Sentence",
    "Row",
    "Section",
    "Layout",
    "Renderer",
    "explanation_layout",
    "explanation_sections",
    "title",
    "update_section",
    "rule_sections",
    "derivation_sections",
    "equation_runs",
    "blocks",
    "method_message",
    "needs_brackets",
    "needs_power_brackets",
    "point_value",
    "reason",
    "near_kinks",
    "kinks",
    "one_sided",
    "WIDE",
]

#: Significant digits of final results (the derivative, the output, the checks).
WIDE = 15


# --------------------------------------------------------------------------------------
# Pieces
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Math:
    """A SymPy expression; with ``values``, every named symbol shows its number instead."""

    expr: Any
    values: Mapping[Any, float] | None = field(default=None, compare=False, repr=False)
    digits: int = 6


@dataclass(frozen=True)
class Num:
    """A float, shown with at most ``digits`` significant digits (nan: "undefined")."""

    value: float | None
    digits: int = 6


@dataclass(frozen=True)
class Name:
    """A variable's name (``w1``, ``theta``)."""

    name: str


@dataclass(frozen=True)
class D:
    """The derivative symbol d(top)/d(bottom); ``partial`` for ∂.

    ``of_output``: a derivative of the explanation's output (the backward pass, the
    gradient), which plain text writes dL/dw as the chapter does. ``order``: d²y/dx² …
    (higher derivatives, implicit and parametric curves). A mixed partial gives ``bottom``
    as the names in the order they are applied, the last one written first (∂²f/∂y∂x is
    ``D("f", ("x", "y"), True)``), and ``order`` is their number; one name n times is that
    name with order n, so ``D("y", ("x", "x"))`` is ``D("y", "x", order=2)``.

    >>> D("y", ("x", "x")) == D("y", "x", order=2), D("f", ("x", "y"), True).groups()
    (True, [('y', 1), ('x', 1)])
    """

    top: str
    bottom: str | tuple[str, ...]
    partial: bool = False
    of_output: bool = False
    order: int = field(default=1, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.bottom, tuple):
            object.__setattr__(self, "order", len(self.bottom))
            if len(set(self.bottom)) == 1:
                object.__setattr__(self, "bottom", self.bottom[0])

    @property
    def variables(self) -> tuple[str, ...]:
        """Every name differentiated by, in the order applied."""
        if isinstance(self.bottom, tuple):
            return self.bottom
        return (self.bottom,) * self.order

    def groups(self) -> list[tuple[str, int]]:
        """(name, power) as written below the fraction bar, left to right."""
        from derivcheck.calculus.orders import below

        return below(self.variables)


@dataclass(frozen=True)
class Operator:
    """d/d(variable) applied to an expression: d/dx [f]."""

    expr: Any
    variable: str
    partial: bool = False


@dataclass(frozen=True)
class At:
    """``piece`` evaluated where ``name = value``."""

    piece: Any
    name: str
    value: Any


@dataclass(frozen=True)
class Value:
    """The last step of a chain: the value of what precedes it at ``name = at``."""

    value: Any
    name: str
    at: Any


@dataclass(frozen=True)
class Source:
    """A right-hand side as the user wrote it; with ``values``, names replaced by numbers.

    ``fallback`` is the parsed expression, for formats that cannot show the source.
    """

    source: str
    spans: tuple[tuple[int, int, str], ...]
    fallback: Math
    values: Mapping[str, float] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Call:
    """A catalogue function applied to arguments, optionally its derivative: relu'(0)."""

    function: str
    args: tuple[Any, ...]
    prime: bool = False


@dataclass(frozen=True)
class Product:
    """Factors multiplied: sums and negative factors are bracketed.

    ``juxtapose``: written side by side (``n x^{n-1}``) instead of with a dot;
    ``lead``: whether a negative first factor is bracketed too.
    """

    factors: tuple[Any, ...]
    juxtapose: bool = False
    lead: bool = True


@dataclass(frozen=True)
class Sum:
    """Terms added; a term whose sign is -1 is subtracted."""

    terms: tuple[Any, ...]
    signs: tuple[int, ...] = ()


@dataclass(frozen=True)
class Fraction:
    """Top over bottom."""

    top: Any
    bottom: Any


@dataclass(frozen=True)
class Power:
    """Base to the power exponent."""

    base: Any
    exponent: Any


@dataclass(frozen=True)
class Neg:
    """Minus the piece."""

    piece: Any


@dataclass(frozen=True)
class Arrow:
    """before → after."""

    before: Any
    after: Any


@dataclass(frozen=True)
class PlusMinus:
    """value ± error."""

    value: Any
    error: Any


@dataclass(frozen=True)
class Chain:
    """An equation inside a sentence: lhs = rhs[0] = rhs[1] …"""

    lhs: Any
    rhs: tuple[Any, ...]


@dataclass(frozen=True)
class Points:
    """name = value, name = value … (a point)."""

    points: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Formula:
    """A rule stated as a formula: a catalogue record's (``record``), or a structural rule's
    statement as derivation.py gives it (``latex``)."""

    record: Any = None
    latex: str = ""


@dataclass(frozen=True)
class Words:
    """A sentence or a heading: a :class:`~derivcheck.messages.Message` (or, transitionally,
    a plain string) whose parameters may be pieces (shown as mathematics)."""

    message: Message | str


Piece = (
    Math
    | Num
    | Name
    | D
    | Operator
    | At
    | Value
    | Source
    | Call
    | Product
    | Sum
    | Fraction
    | Power
    | Neg
    | Arrow
    | PlusMinus
    | Chain
    | Points
    | Formula
    | Words
)


# --------------------------------------------------------------------------------------
# Rows and sections
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Equation:
    """``lhs relation rhs[0] = rhs[1] = …``, with notes: one note is an aside (the rule's
    name), several are the cells of a table row."""

    lhs: Any
    rhs: tuple[Any, ...] = ()
    note: tuple[Any, ...] = ()
    relation: str = "="


@dataclass(frozen=True)
class Sentence:
    """A line of prose (with mathematics in it)."""

    words: Words


Row = Equation | Sentence


@dataclass(frozen=True)
class Section:
    """A titled group of rows, then ``closing`` sentences that stand after it.

    ``kind`` says what the section is (``forward``, ``local``, ``chain``, ``exact``,
    ``backward``, ``kinks``, ``domain``, ``numeric``, ``update``, ``rules``,
    ``rules_used``, ``result``); ``compact``: a one-row section whose row may share the
    title's line. A section without a title is only its closing sentences.
    """

    title: Words | None
    rows: tuple[Row, ...] = ()
    closing: tuple[Sentence, ...] = ()
    kind: str = ""
    compact: bool = False


@dataclass(frozen=True)
class Layout:
    title: Words
    sections: tuple[Section, ...]


def equation_runs(rows: tuple[Row, ...]) -> Iterator[tuple[Equation, ...] | Sentence]:
    """The rows as runs of consecutive equations (aligned together) and single sentences."""
    run: list[Equation] = []
    for row in rows:
        if isinstance(row, Equation):
            run.append(row)
            continue
        if run:
            yield tuple(run)
            run = []
        yield row
    if run:
        yield tuple(run)


def blocks(section: Section) -> list[tuple[Equation, ...] | Sentence]:
    """What a format draws for a section after its title: its runs, then its closing."""
    return [*equation_runs(section.rows), *section.closing]


# --------------------------------------------------------------------------------------
# Drawing pieces: what every format shares
# --------------------------------------------------------------------------------------

_MARK = "\x00"


class Renderer:
    """Draws pieces as strings of one format; subclasses give the format's notation.

    The structure (which factors are bracketed, which steps of a chain are dropped as
    repeats, how a sentence's mathematics is marked) is decided here once.
    """

    times = " · "
    juxtaposed = ""
    plus = " + "
    minus = " - "
    arrow = " → "
    plus_minus = " ± "

    def __init__(self, lang: str = "en"):
        self.lang = lang

    # ---- dispatch ----
    def render(self, piece: Any) -> str:
        if isinstance(piece, str):
            return piece
        method = getattr(self, "_" + type(piece).__name__.lower())
        return method(piece)

    def word(self, key: str, **params: Any) -> str:
        return Message(key, **params).to_text(self.lang)

    # ---- notation each format gives ----
    def bracket(self, text: str) -> str:
        return f"({text})"

    def undefined(self) -> str:
        return self.word("render.undefined")

    # ---- structure shared by every format ----
    def factor(self, piece: Any, lead: bool = True) -> str:
        text = self.render(piece)
        return self.bracket(text) if needs_brackets(piece, lead) else text

    def _product(self, piece: Product) -> str:
        joiner = self.juxtaposed if piece.juxtapose else self.times
        return joiner.join(self.factor(f, piece.lead or i > 0) for i, f in enumerate(piece.factors))

    def _sum(self, piece: Sum) -> str:
        signs = piece.signs or (1,) * len(piece.terms)
        out = ""
        for i, (sign, term) in enumerate(zip(signs, piece.terms)):
            if sign < 0:
                out += (self.minus if i else "-") + self.factor(term)
            else:
                out += (self.plus if i else "") + self.render(term)
        return out

    def _neg(self, piece: Neg) -> str:
        return "-" + self.factor(piece.piece)

    def _arrow(self, piece: Arrow) -> str:
        return self.render(piece.before) + self.arrow + self.render(piece.after)

    def _plusminus(self, piece: PlusMinus) -> str:
        return self.render(piece.value) + self.plus_minus + self.render(piece.error)

    def _chain(self, piece: Chain) -> str:
        return self.join(self.parts(piece.lhs, piece.rhs))

    def _words(self, piece: Words) -> str:
        return "".join(content for _, content in self.words(piece))

    def parts(self, lhs: Any, rhs: tuple[Any, ...]) -> list[str]:
        """``[lhs, rhs…]`` drawn, a step equal to the one before it dropped."""
        drawn = [self.render(lhs)]
        for piece in rhs:
            text = self.render(piece)
            if text != drawn[-1]:
                drawn.append(text)
        return drawn

    def join(self, parts: list[str]) -> str:
        return " = ".join(parts)

    def words(self, piece: Words) -> list[tuple[bool, str]]:
        """A sentence as (is_math, text) parts: its pieces drawn, its words in ``lang``."""
        message = piece.message
        if not isinstance(message, Message):
            return [(False, str(message))]
        drawn: list[str] = []
        filled = _fill(message, self, drawn).to_text(self.lang)
        parts: list[tuple[bool, str]] = []
        for i, part in enumerate(filled.split(_MARK)):
            if i % 2:
                parts.append((True, drawn[int(part)]))
            elif part:
                parts.append((False, part))
        return parts


def _fill(message: Message, renderer: Renderer, drawn: list[str]) -> Message:
    """``message`` with every piece among its parameters replaced by a marker into ``drawn``."""
    params = {}
    for name, value in message.params:
        if isinstance(value, Message):
            value = _fill(value, renderer, drawn)
        elif isinstance(value, Words) and isinstance(value.message, Message):
            value = _fill(value.message, renderer, drawn)
        elif isinstance(value, Words):
            value = str(value.message)
        elif _is_piece(value):
            drawn.append(renderer.render(value))
            value = f"{_MARK}{len(drawn) - 1}{_MARK}"
        params[name] = value
    return Message(message.key, **params)


def _is_piece(value: Any) -> bool:
    return type(value).__module__ == __name__ and not isinstance(value, (Section, Layout))


def needs_power_brackets(piece: Any) -> bool:
    """Whether the base of a power is bracketed: anything but a name, a function of its
    argument or a non-negative integer."""
    if isinstance(piece, Name):
        return False
    if isinstance(piece, Num):
        return piece.value is None or piece.value < 0 or not float(piece.value).is_integer()
    if isinstance(piece, Math) and not piece.values:
        expr = piece.expr
        return not (expr.is_Symbol or expr.is_Function or (expr.is_Integer and expr >= 0))
    return True


def needs_brackets(piece: Any, lead: bool = True) -> bool:
    """Whether ``piece`` is bracketed as a factor: a sum, or (``lead``) a negative."""
    if isinstance(piece, Math):
        expr = piece.expr
        if isinstance(expr, (int, float)):
            return lead and expr < 0
        if not piece.values and expr.is_Add:
            expr = sympy.factor_terms(expr)
        return bool(expr.is_Add) or (lead and bool(expr.could_extract_minus_sign()))
    if isinstance(piece, Num):
        return lead and piece.value is not None and piece.value < 0
    if isinstance(piece, Sum):
        return len(piece.terms) > 1 or bool(piece.signs and piece.signs[0] < 0)
    if isinstance(piece, Neg):
        return lead
    if isinstance(piece, Source):
        return True
    return False


# --------------------------------------------------------------------------------------
# Reading the explanation: one function per fact
# --------------------------------------------------------------------------------------


def reason(e: Any) -> Message | str | None:
    """Why the function has no derivative here (outside the domain, a vertical tangent):
    ``reason_message``, or (an explanation without one) the ``reason`` as it is."""
    if hasattr(e, "reason_message"):
        return e.reason_message
    return e.reason


def near_kinks(e: Any) -> tuple[Message | str, ...]:
    """Notes of the numeric check: a kink or a pole close to the point."""
    return tuple(e.near_kinks)


def kinks(e: Any) -> tuple[tuple[str, Any, float, str, float | None], ...]:
    """(function, argument, the argument's value at the break, "kink" or "jump", the local
    derivative used there) of each break the point sits on."""
    return tuple(
        (
            kink.function,
            kink.argument,
            kink.argument_value,
            getattr(kink, "kind", "kink"),
            getattr(kink, "convention", None),
        )
        for kink in e.kinks
    )


def one_sided(e: Any) -> Iterator[tuple[Any, str, float | None, Any, Any]]:
    """(variable, side key, exact value — None when SymPy found none —, numeric result,
    verdict) of the one-sided checks."""
    for v, sides in e.one_sided.items():
        known = getattr(sides, "exact", True)
        yield (v, "left_derivative", sides.left if known else None, sides.left_numeric,
               sides.left_verdict)  # fmt: skip
        yield (v, "right_derivative", sides.right if known else None, sides.right_numeric,
               sides.right_verdict)  # fmt: skip


def numeric_note(result: Any) -> Message | str:
    """Why a numeric result has no verdict (the Message, so that it is shown in the
    output's language)."""
    return getattr(result, "note_message", None) or result.note or "—"


# --------------------------------------------------------------------------------------
# The chain-rule derivation
# --------------------------------------------------------------------------------------


def _partial(e: Any) -> bool:
    """∂ for gradients and programs (the backward pass), d for one-variable formulas."""
    return not (e.single and e.program is None)


def point_value(value: Any) -> Num | Math:
    """A number of the point: a decimal when it is one exactly (1/2 → 0.5), else exact (1/3)."""
    if value.is_Float:
        return Num(float(value), WIDE)
    if value.is_Rational:
        q = int(value.q)
        for prime in (2, 5):
            while q % prime == 0:
                q //= prime
        if q == 1:
            return Num(float(value), WIDE)
    return Math(value)


def _points(e: Any) -> Points:
    return Points(tuple((k.name, point_value(v)) for k, v in e.point.items()))


def title(e: Any) -> Words:
    """'Derivative of y = … at x = …', or 'Gradient of L at …'."""
    if e.single:
        expression = Chain(Name(e.output.name), (Math(e.expr),))
        return Words(Message("derivative_of", expr=expression, point=_points(e)))
    return Words(Message("gradient_of", output=Name(e.output.name), point=_points(e)))


def _forward(e: Any) -> Section:
    values = e.graph.values()
    by_name = {k.name: v for k, v in values.items()}
    program = e.program is not None and len(e.program.assignments) > 1
    rows = []
    for index, s in enumerate(e.steps):
        symbolic: Any = Math(s.definition)
        substituted: Any = Math(s.definition, values) if s.definition.free_symbols else symbolic
        if program:
            source, spans = e.program.sources[index], e.program.name_spans[index]
            symbolic = Source(source, spans, symbolic)
            substituted = Source(source, spans, substituted, by_name)
        value = Num(s.value, WIDE if s is e.steps[-1] else 6)
        rows.append(Equation(Name(s.name.name), (symbolic, substituted, value)))
    key = "forward_pass" if e.program is not None else "intermediate_variables"
    return Section(Words(Message(key)), tuple(rows), kind="forward")


def _local(e: Any) -> Section:
    rows = []
    for s in e.steps:
        partial = len(s.local_derivatives) > 1
        for arg, local in s.local_derivatives.items():
            lhs = D(s.name.name, arg.name, partial)
            note = Words(rule_message(s.rule))
            rows.append(Equation(lhs, (Math(local), Num(s.local_values[arg])), (note,)))
    return Section(Words(Message("local_derivatives")), tuple(rows), kind="local")


def _chain(e: Any) -> Section:
    v = e.variable
    final = Num(e.value, WIDE)
    if e.is_chain:
        chain = [(s, s.arguments[0]) for s in reversed(e.steps)]
        rhs = (
            Product(tuple(D(s.name.name, a.name) for s, a in chain)),
            Product(tuple(Math(s.local_derivatives[a]) for s, a in chain)),
            Product(tuple(Num(s.local_values[a]) for s, a in chain)),
            final,
        )
        row = Equation(D(e.output.name, v.name), rhs)
        return Section(Words(Message("chain_rule")), (row,), kind="chain")
    rows = []
    for line in e.forward_lines:
        partial = len(e.graph.step(line.node).local_derivatives) > 1
        names, numbers = [], []
        for arg, _local, local_value, tangent in line.terms:
            local = D(line.node.name, arg.name, partial)
            if arg == v:
                names.append(local)
                numbers.append(Num(local_value))
            else:
                names.append(Product((local, D(arg.name, v.name))))
                numbers.append(Product((Num(local_value), Num(tangent))))
        rhs: list[Any] = []
        if names:
            rhs.append(Sum(tuple(names)))
            if len(numbers) > 1 or isinstance(numbers[0], Product):
                rhs.append(Sum(tuple(numbers)))
        rhs.append(Num(line.value, WIDE if line.node == e.output else 6))
        rows.append(Equation(D(line.node.name, v.name), tuple(rhs)))
    return Section(Words(Message("forward_accumulation")), tuple(rows), kind="chain")


def _exact(e: Any) -> Section:
    v = e.variable
    value = Value(Num(e.value, WIDE), v.name, point_value(e.point[v]))
    row = Equation(D(e.output.name, v.name), (Math(e.derivative), value))
    return Section(Words(Message("exact_derivative")), (row,), kind="exact", compact=True)


def _backward(e: Any) -> Section:
    out = e.output
    rows = []
    for line in e.backward_lines:
        names, numbers = [], []
        single = len(line.terms) == 1
        for consumer, adjoint, local, local_value in line.terms:
            if consumer == out:
                names.append(Math(local))
                numbers.append(Num(local_value))
            else:
                names.append(Product((D(out.name, consumer.name, True, True), Math(local))))
                numbers.append(Product((Num(adjoint), Num(local_value)), lead=not single))
        rhs: list[Any] = [Sum(tuple(names))]
        if not (single and isinstance(numbers[0], Num)):
            rhs.append(Sum(tuple(numbers)))
        rhs.append(Num(line.value, WIDE))
        rows.append(Equation(D(out.name, line.node.name, True, True), tuple(rhs)))
    heading = Message("render.backward_heading", output=Name(out.name))
    return Section(Words(heading), tuple(rows), kind="backward")


def _status(verdict: Any, result: Any = None) -> Message:
    """agrees, DISAGREES, or (no verdict) why there is no numeric check."""
    if verdict is None:
        return Message("no_numeric", reason=numeric_note(result) if result is not None else "—")
    return Message("agrees" if verdict.agrees else "disagrees")


def method_message(method: str) -> Message | str:
    """The message naming a numeric method ("complex", "richardson (one-sided)" …)."""
    key = f"method_{method.split()[0].split('-')[0]}"
    return Message(key) if key in table() else method


def _kinks(e: Any) -> Section:
    rows: list[Row] = []
    for function, argument, location, kind, used in kinks(e):
        where = Chain(Math(argument), (Num(location),))
        sentence = "jump_sentence" if kind == "jump" else "kink_sentence"
        kink = Message(sentence, function=Call(function, ()), where=where)
        if function in ("max", "min"):
            convention = Message("convention_half")
        elif used is not None:  # the value the chain rule used: leaky_relu'(0) = 0.01
            at_break = Chain(Call(function, (Num(location),), prime=True), (Num(used),))
            convention = Message("convention_pytorch", convention=at_break)
        else:  # a float point beside the break: its value is one side's, no convention
            convention = None
        sentence = (
            kink if convention is None else Message("render.sentences", first=kink, then=convention)
        )
        rows.append(Sentence(Words(sentence)))
    partial = _partial(e)
    for v, side, exact, result, verdict in one_sided(e):
        numeric = Num(result.estimate, WIDE) if result is not None else "—"
        derivative = D(e.output.name, v.name, partial, True)
        if exact is None:  # decided from one-sided differences: nothing exact to compare
            line = Message("render.one_sided_numeric", side=Message(side),
                           derivative=derivative, numeric=numeric)  # fmt: skip
        else:
            line = Message(
                "render.one_sided",
                side=Message(side),
                derivative=derivative,
                exact=Num(exact, WIDE),
                numeric=numeric,
                status=_status(verdict, result),
            )
        rows.append(Sentence(Words(line)))
    for note in near_kinks(e):  # a kink within float resolution: taken as at the point
        rows.append(Sentence(Words(Message("render.note", note=note))))
    return Section(Words(Message("not_differentiable")), tuple(rows), kind="kinks")


def _domain(e: Any) -> Section:
    sentence = Sentence(Words(Message("domain_sentence", reason=reason(e))))
    return Section(None, closing=(sentence,), kind="domain")


def _verdict(result: Any, verdict: Any) -> Sentence:
    if verdict is None:
        return Sentence(Words(Message("no_numeric", reason=numeric_note(result))))
    key = "render.within_budget" if verdict.agrees else "render.over_budget"
    return Sentence(Words(Message(
        key, difference=Num(verdict.difference, 2), budget=Num(verdict.budget, 2),
        ratio=Num(verdict.ratio, 2),
    )))  # fmt: skip


def _numeric(e: Any) -> Section:
    rows: list[Row] = []
    if e.single:
        v = e.variable
        result = e.numerics[v]
        heading = Message(
            "render.numeric_heading", method=method_message(result.method),
            step=Num(result.step, 3), evaluations=result.evaluations,
        )  # fmt: skip
        estimate = Message(
            "render.estimate", estimate=Num(result.estimate, WIDE),
            error=Num(result.error_estimate, 2),
        )  # fmt: skip
        rows += [Sentence(Words(estimate)), _verdict(result, e.verdicts[v])]
    else:
        heading = Message("render.gradient_heading")
        for v in e.wrt:
            result = e.numerics[v]
            verdict = e.verdicts[v]
            estimate = PlusMinus(Num(result.estimate, WIDE), Num(result.error_estimate, 2))
            numeric = Message("render.numeric_estimate", estimate=estimate)
            status = Words(_status(verdict)) if verdict is not None else "—"
            cells = (Words(numeric), Words(method_message(result.method)), status)
            lhs = D(e.output.name, v.name, True, True)
            rows.append(Equation(lhs, (Num(e.exact_values[v], WIDE),), cells))
    for note in near_kinks(e):
        rows.append(Sentence(Words(Message("render.note", note=note))))
    return Section(Words(heading), tuple(rows), kind="numeric")


def explanation_sections(e: Any, style: str = "chain") -> list[Section]:
    """The derivation's sections: the chain-rule graph (``style="chain"``) or rule by rule."""
    from derivcheck.errors import DerivcheckError

    if style == "rules":
        return derivation_sections(e)
    if style != "chain":
        raise DerivcheckError("render.unknown_style", style=repr(style))
    sections = [_forward(e)]
    if reason(e) is not None:
        return [*sections, _domain(e)]
    if e.single and e.program is None:
        sections += [_local(e), _chain(e), _exact(e)]
    else:
        sections.append(_backward(e))
    sections.append(_kinks(e) if kinks(e) else _numeric(e))
    return sections


def explanation_layout(e: Any, style: str = "chain") -> Layout:
    """The whole derivation: its title and its sections."""
    return Layout(title(e), tuple(explanation_sections(e, style)))


# --------------------------------------------------------------------------------------
# Gradient descent (section 2.4 of the chapter)
# --------------------------------------------------------------------------------------


def update_section(update: Any, output: str) -> Section:
    """``p: before → after`` for each parameter, and the output before → after."""
    rows = tuple(
        Equation(Name(name), (Arrow(Num(before), Num(update.after[name])),), relation=":")
        for name, before in update.before.items()
    )
    before, after = update.output_before, update.output_after
    trend = "decreased" if after < before else "increased" if after > before else "unchanged"
    change = Message(
        "loss_change", output=Name(output), change=Arrow(Num(before), Num(after)),
        trend=Message(trend),
    )  # fmt: skip
    heading = Words(Message("parameter_update", lr=Num(update.lr)))
    return Section(heading, rows, (Sentence(Words(change)),), kind="update")


# --------------------------------------------------------------------------------------
# Rule by rule (reads derivcheck.calculus.derivation)
# --------------------------------------------------------------------------------------


def _one(expr: Any) -> bool:
    return expr == 1


def _factors(*factors: Any) -> Product | Math:
    """A product without its factors 1 (1 alone when nothing else is left)."""
    kept = tuple(f for f in factors if not (isinstance(f, Math) and _one(f.expr)))
    return Product(kept) if kept else Math(sympy.S.One)


def _rule_row(step: Any, partial: bool, output: str) -> Equation:
    from derivcheck.calculus import derivation as dv

    x = step.variable.name

    def op(expr: Any, variable: str = x, part: bool = partial) -> Operator:
        return Operator(expr, variable, part)

    applied: list[Any] = []
    note: Any = Words(rule_message(step.key))
    if isinstance(step, dv.SumRule):
        terms, signs = [], []
        for term in step.terms:
            r = term.result()
            negative = bool(terms) and bool(r.could_extract_minus_sign())
            terms.append(Math(-r if negative else r))
            signs.append(-1 if negative else 1)
        applied.append(Sum(tuple(terms), tuple(signs)))
    elif isinstance(step, dv.ConstantMultipleRule):
        inner, c = step.inner, step.constant
        if c == -1:
            applied += [Neg(op(inner.expr)), Neg(Math(inner.result()))]
        else:
            applied += [
                Product((Math(c), op(inner.expr))),
                Product((Math(c), Math(inner.result()))),
            ]
    elif isinstance(step, dv.PowerRule):
        n = step.exponent
        power = Power(Name(x), Math(n - 1))
        applied.append(Product((Math(n), power), juxtapose=True))
    elif isinstance(step, dv.ProductRule):
        terms = []
        for i, f in enumerate(step.factors):
            others = [Math(g.expr) for j, g in enumerate(step.factors) if j != i]
            terms.append(_factors(Math(f.result()), *others))
        applied.append(Sum(tuple(terms)))
    elif isinstance(step, dv.QuotientRule):
        f, g = step.numerator, step.denominator
        top = Sum(
            (_factors(Math(f.result()), Math(g.expr)), _factors(Math(f.expr), Math(g.result()))),
            (1, -1),
        )
        applied.append(Fraction(top, Power(Math(g.expr), Math(sympy.Integer(2)))))
    elif isinstance(step, dv.ChainRule):
        u = step.inner_symbol.name
        outer = At(op(step.outer.expr, u, False), u, Math(step.inner.expr))
        applied.append(Product((outer, op(step.inner.expr))))
        applied.append(_factors(Math(step.outer_at_inner()), Math(step.inner.result())))
        substitution = Chain(Name(u), (Math(step.inner.expr),))
        note = Words(
            Message("render.rule_with", rule=rule_message(step.key), substitution=substitution)
        )
    elif isinstance(step, dv.LogarithmicDifferentiationRule):
        log_form = step.log_form.expr
        applied.append(Product((Math(step.expr), op(log_form))))
        applied.append(Product((Math(step.expr), Math(step.log_form.result()))))
        logarithm = Chain(Call("ln", (Name(output),)), (Math(log_form),))
        note = Words(Message("render.rule_log", rule=rule_message(step.key), equation=logarithm))
    return Equation(op(step.expr), (*applied, Math(step.result())), (note,))


def _formulas(d: Any) -> list[tuple[str, Formula]]:
    """(rule key, formula) for each rule the derivation used, in order: a function of the
    catalogue states its own rule; the structural rules (sum, chain, …) state theirs."""
    from derivcheck.calculus.catalogue import FunctionRecord

    found: dict[str, Formula] = {}
    for step in d.root.walk():
        if step.key not in d.rules_used or step.key in found:
            continue
        record = getattr(step, "record", None)  # a rule of the table of derivatives
        if isinstance(record, FunctionRecord):
            found[step.key] = Formula(record)
        else:
            found[step.key] = Formula(latex=step.formula)
    return list(found.items())


def rule_sections(d: Any, output: str = "y") -> list[Section]:
    """A :class:`~derivcheck.calculus.derivation.Derivation` alone (no point): its steps, the
    rules it used, and the result. ``output`` names the function (``dy/dx``)."""
    partial = len(d.expr.free_symbols) > 1
    numeric_count = sum(1 for c in d.checks if c == "numeric")
    checked = [Sentence(Words(Message("render.checked_exact")))]
    if numeric_count:
        checked.append(Sentence(Words(Message("render.checked_numeric", count=numeric_count))))
    steps = Section(
        Words(Message("render.rule_by_rule")),
        tuple(_rule_row(step, partial, output) for step in d.steps),
        tuple(checked),
        kind="rules",
    )
    formulas = tuple(
        Equation(formula, note=(Words(rule_message(key)),)) for key, formula in _formulas(d)
    )
    used = Section(Words(Message("render.rules_used")), formulas, kind="rules_used")
    lhs = D(output, d.variable.name, partial)
    result = Equation(lhs, (Math(d.result), Math(d.simplified)))
    return [steps, used, Section(Words(Message("render.result")), (result,), kind="result")]


def derivation_sections(e: Any) -> list[Section]:
    """``style="rules"``: the rule-by-rule derivation, the rules it used, the result, and
    its value at the point with the numeric check (reads ``e.derivation``)."""
    v = e.variable
    sections = rule_sections(e.derivation, e.output.name)
    if reason(e) is not None:
        return [*sections, _domain(e)]
    final = sections[-1]
    lhs = D(e.output.name, v.name, len(e.expr.free_symbols) > 1)
    at = Equation(At(lhs, v.name, point_value(e.point[v])), (Num(e.value, WIDE),))
    sections[-1] = Section(final.title, (*final.rows, at), final.closing, kind=final.kind)
    sections.append(_kinks(e) if kinks(e) else _numeric(e))
    return sections
