"""A light reading of a formula: the same grammar, a tree of plain nodes, NumPy values.

Grading an answer needs its values at an exercise's sample points, not a SymPy tree, and
building SymPy objects (their automatic simplification) is most of what reading an answer
costs. :func:`read_light` reads text with the formula grammar — the one reader
(:class:`~derivcheck.reading.grammar.Parser`: the same tokens, rules, errors and safety
bounds) — into :class:`Light` nodes: a name, a sum, a product, a power, a function of the
catalogue. Whatever has no name in it (``2``, ``ln 2``, ``π/4``) is still a SymPy number,
built and checked exactly as :func:`~derivcheck.reading.parser.parse` builds it.

A light tree keeps what was typed, where SymPy simplifies as it builds: ``x - x`` is 0,
``√x²``… ``(√x)²`` is x, ``1/(x - x)`` is refused, ``x + 10²⁰ - 10²⁰`` is exactly x. So
it is used one way only: :meth:`Points.values` gives a tree's values at the points when
they are surely the values of the SymPy reading — every intermediate value of every
operation real and finite at every point (no pole, no domain edge, no ``x - x`` that
SymPy would have removed), and no value moved when every operation's result is nudged
by a relative 10⁻¹³ (a cancellation such as ``x + 10²⁰ - 10²⁰`` moves by 10⁷); else
None, and the caller reads the text with :func:`~derivcheck.reading.parser.parse`.
Anything else the reader cannot follow exactly (a program, ``d/dx``, a parse error, a
``sin^(…)`` whose power is not a number) gives None from :func:`read_light`.

>>> import numpy as np
>>> tree = read_light("3(2x+1)^2·2")
>>> sorted(tree.names), type(tree).__name__
(['x'], 'Product')
>>> points = Points({"x": np.array([0.5, 1.0, 2.0])})
>>> points.values(tree, np.zeros(3)).tolist()
[24.0, 54.0, 150.0]
>>> points.values(read_light("1/(x - x)"), np.zeros(3)) is None    # SymPy refuses it
True
>>> points.values(read_light("x + 10^20 - 10^20"), np.zeros(3)) is None    # SymPy: x
True
>>> read_light("2 +* 3") is None, read_light("ln 2") # a SymPy number: parse() reads it
(True, log(2))
>>> exact_value(read_light("x^2/3 + 1"), {"x": Fraction(1, 2)})
Fraction(13, 12)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import sympy

from derivcheck.errors import ParseError
from derivcheck.numeric.evaluate import _constant, compile_expr
from derivcheck.reading.grammar import Parser, read_formula, reading
from derivcheck.reading.names import FunctionSpelling
from derivcheck.reading.parser import _read
from derivcheck.reading.program import is_program
from derivcheck.reading.tokens import Token

__all__ = ["Light", "Var", "Sum", "Product", "Power", "Call", "read_light", "Points", "exact_value"]

#: Perturbed copies of every point, and the relative size of a perturbation.
COPIES = 4
NUDGE = 1e-13
#: A value trusted when no copy moved more than this, relative to the larger of the value
#: and the reference's: a condition number up to 10⁵, so the value's own rounding error
#: (about 10⁻¹⁶ of the condition number: a thousandth of the move) stays below 10⁻¹¹, a
#: hundredth of the grader's 1e-9.
MOVED = 1e-8
_ROWS = 64  # distinct perturbation rows; operations beyond reuse them in turn
_SEED = 20251201


class Unsupported(Exception):  # noqa: N818 - a signal inside this module, never escapes
    """The light reading cannot follow SymPy's reading here (the caller parses instead)."""


# --------------------------------------------------------------------------------------
# The nodes
# --------------------------------------------------------------------------------------


class Light:
    """A node with a name in it. The attributes the grammar asks of SymPy values (is it a
    number? a rational?) answer as for an expression with a free symbol."""

    __slots__ = ("names", "key")
    is_Rational = is_Integer = is_number = is_Symbol = False
    is_negative = is_positive = None

    names: frozenset[str]
    #: The node as nested tuples: equal keys, equal trees (numbers keyed with their type)
    key: tuple[object, ...]

    @property
    def free_symbols(self) -> frozenset[str]:
        return self.names

    def value(self, at: _Evaluation) -> np.ndarray:  # pragma: no cover - every node overrides
        raise NotImplementedError

    def exact(self, point: Mapping[str, Fraction]) -> Fraction:
        raise Unsupported

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self._parts()))})"

    def _parts(self) -> tuple[object, ...]:  # pragma: no cover
        return ()


def _names(parts: Iterable[object]) -> frozenset[str]:
    found: frozenset[str] = frozenset()
    for part in parts:
        if isinstance(part, Light):
            found |= part.names
    return found


def _key(part: Any) -> object:
    return part.key if isinstance(part, Light) else (type(part), part)


class Var(Light):
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name
        self.names = frozenset((name,))
        self.key = ("v", name)

    def value(self, at: _Evaluation) -> np.ndarray:
        return at.env[self.name]

    def exact(self, point: Mapping[str, Fraction]) -> Fraction:
        return point[self.name]

    def _parts(self) -> tuple[object, ...]:
        return (self.name,)


class Sum(Light):
    __slots__ = ("terms",)

    def __init__(self, terms: Iterable[Any]):
        self.terms = tuple(terms)
        self.names = _names(self.terms)
        self.key = ("+", *map(_key, self.terms))

    def value(self, at: _Evaluation) -> np.ndarray:
        # each partial sum nudged: x + 10^20 - 10^20 shows its cancellation
        return at.fold(np.add, self.terms)

    def exact(self, point: Mapping[str, Fraction]) -> Fraction:
        return sum((_exact(term, point) for term in self.terms), Fraction(0))

    def _parts(self) -> tuple[object, ...]:
        return self.terms


class Product(Light):
    __slots__ = ("factors",)

    def __init__(self, factors: Iterable[Any]):
        flat: list[Any] = []
        for factor in factors:  # products of products are one product (no deep recursion)
            flat.extend(factor.factors if isinstance(factor, Product) else (factor,))
        self.factors = tuple(flat)
        self.names = _names(self.factors)
        self.key = ("*", *map(_key, self.factors))

    def value(self, at: _Evaluation) -> np.ndarray:
        return at.fold(np.multiply, self.factors)

    def exact(self, point: Mapping[str, Fraction]) -> Fraction:
        total = Fraction(1)
        for factor in self.factors:
            total *= _exact(factor, point)
        return total

    def _parts(self) -> tuple[object, ...]:
        return self.factors


class Power(Light):
    """``base ** exponent``, computed as derivcheck's NumPy evaluator computes a power
    (:func:`~derivcheck.numeric.evaluate.compile_expr`: real odd roots of negative
    numbers, nan where a real power has no real value)."""

    __slots__ = ("base", "exponent")

    def __init__(self, base: Any, exponent: Any):
        self.base = base
        self.exponent = exponent
        self.names = _names((base, exponent))
        self.key = ("^", _key(base), _key(exponent))

    def value(self, at: _Evaluation) -> np.ndarray:
        base, exponent = self.base, self.exponent
        if not isinstance(exponent, Light):  # a number: the evaluator's special cases
            b = at.of(base)
            if exponent == sympy.S.Half:
                result = np.sqrt(b)
            elif exponent == -sympy.S.Half:
                result = 1.0 / np.sqrt(b)
            elif exponent.is_Integer and abs(int(exponent)) <= 64:
                n = int(exponent)
                result = b**n if n >= 0 else 1.0 / b ** (-n)
            else:  # a root, a fractional power: settled as a function is
                power = _template_power(exponent)
                result = at.settled((b,), power(b))
        elif not isinstance(base, Light):
            e = at.of(exponent)
            if base == sympy.E:
                result = at.settled((e,), np.exp(e))
            else:
                power = _template_base(base)
                result = at.settled((e,), power(e))
        else:
            b, e = at.of(base), at.of(exponent)
            result = at.settled((b, e), np.power(b, e))
        return result  # no cancellation in a power: its inputs' nudges show its condition

    def exact(self, point: Mapping[str, Fraction]) -> Fraction:
        exponent = self.exponent
        if isinstance(exponent, Light) or not exponent.is_Integer or abs(int(exponent)) > 64:
            raise Unsupported
        try:
            return _exact(self.base, point) ** int(exponent)
        except ZeroDivisionError:
            raise Unsupported from None

    def _parts(self) -> tuple[object, ...]:
        return (self.base, self.exponent)


class Call(Light):
    """A function of the catalogue applied to arguments (numbers among them kept as SymPy
    numbers), computed by derivcheck's evaluator from the function's own SymPy form."""

    __slots__ = ("args", "function")

    def __init__(self, spelling: FunctionSpelling, args: list[Any]):
        self.args = tuple(args)
        name = spelling.record.key if spelling.record is not None else spelling.name.lower()
        self.names = _names(self.args)
        self.key = ("f", name, *map(_key, self.args))
        self.function = _template_call(spelling, name, self.args)

    def value(self, at: _Evaluation) -> np.ndarray:
        inputs = [at.of(a) for a in self.args if isinstance(a, Light)]
        return at.settled(inputs, self.function(*inputs))

    def _parts(self) -> tuple[object, ...]:
        return (self.key[1], *self.args)


def _exact(part: Any, point: Mapping[str, Fraction]) -> Fraction:
    if isinstance(part, Light):
        return part.exact(point)
    if part.is_Rational:
        return Fraction(int(part.p), int(part.q))
    raise Unsupported


# --------------------------------------------------------------------------------------
# Functions and powers: derivcheck's evaluator, on the SymPy form of each (made once)
# --------------------------------------------------------------------------------------

_TEMPLATES: dict[object, Callable[..., Any]] = {}


def _template(key: object, make: Callable[[], tuple[sympy.Expr, list[sympy.Symbol]]]):
    found = _TEMPLATES.get(key)
    if found is None:
        if len(_TEMPLATES) > 4096:  # numbers in templates vary: keep the table bounded
            _TEMPLATES.clear()
        expression, inputs = make()
        found = _TEMPLATES[key] = compile_expr(expression, inputs)
    return found


def _template_call(spelling: FunctionSpelling, name: str, args: tuple[Any, ...]):
    """The evaluator of ``spelling`` applied to ``args``: their names (light nodes)
    replaced by placeholders, their numbers kept."""
    pattern = ("call", name, *(None if isinstance(a, Light) else _key(a) for a in args))

    def make() -> tuple[sympy.Expr, list[sympy.Symbol]]:
        inputs = [
            sympy.Dummy(f"u{k}", real=True) for k, a in enumerate(args) if isinstance(a, Light)
        ]
        dummies = iter(inputs)
        built = [next(dummies) if isinstance(a, Light) else a for a in args]
        return spelling.build(*built), inputs

    return _template(pattern, make)


def _template_power(exponent: sympy.Expr):
    u = sympy.Dummy("u", real=True)
    return _template(("power", exponent), lambda: (u**exponent, [u]))


def _template_base(base: sympy.Expr):
    u = sympy.Dummy("u", real=True)
    return _template(("base", base), lambda: (base**u, [u]))


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


class LightParser(Parser):
    """The formula grammar building :class:`Light` nodes wherever a name is involved;
    numbers alone are built (and checked) by the grammar's own SymPy arithmetic."""

    def check(self, value: Any, token: Token) -> Any:
        return value if isinstance(value, Light) else super().check(value, token)

    def total(self, terms: list[Any], token: Token) -> Any:
        if any(isinstance(t, Light) for t in terms):
            return Sum(terms)
        return super().total(terms, token)

    def product(self, number: Any, factors: list[Any], token: Token) -> Any:
        if any(isinstance(f, Light) for f in factors):
            return Product(factors if number == 1 else (number, *factors))
        return super().product(number, factors, token)

    def negative(self, value: Any) -> Any:
        if isinstance(value, Light):
            return Product((sympy.S.NegativeOne, value))
        return super().negative(value)

    def reciprocal(self, value: Any, token: Token) -> Any:
        if isinstance(value, Light):
            return Power(value, sympy.S.NegativeOne)
        return super().reciprocal(value, token)

    def quotient(self, numerator: Any, denominator: Any, token: Token) -> Any:
        if isinstance(numerator, Light) or isinstance(denominator, Light):
            return Product((numerator, self.reciprocal(denominator, token)))
        return super().quotient(numerator, denominator, token)

    def variable(self, name: str) -> Any:
        return Var(name)

    def build(self, spelling: FunctionSpelling, args: list[Any]) -> Any:
        if any(isinstance(a, Light) for a in args):
            return Call(spelling, args)
        return super().build(spelling, args)

    def note_application(self, result: Any, spelling: FunctionSpelling, args: list[Any]) -> None:
        pass  # a light tree is never shown: nothing to remember of how it was typed

    def multiply(self, a: Any, b: Any, token: Token) -> Any:
        if isinstance(a, Light) or isinstance(b, Light):
            return Product((a, b))
        return super().multiply(a, b, token)

    def raise_power(self, base: Any, exponent: Any, token: Token) -> Any:
        if isinstance(base, Light) or isinstance(exponent, Light):
            return Power(base, exponent)
        return super().raise_power(base, exponent, token)

    def root(self, radicand: Any, degree: int, token: Token) -> Any:
        if isinstance(radicand, Light):
            return Power(radicand, sympy.Rational(1, degree))
        return super().root(radicand, degree, token)

    def function_power(self) -> Any:
        power = super().function_power()
        if isinstance(power, Light):  # sin^(…) x: SymPy may find the power is -1 (arcsin)
            raise Unsupported
        return power


def read_light(text: str, variables: Iterable[str] = ()) -> Light | sympy.Expr | None:
    """The light tree of a formula (a SymPy number when it has no name in it), or None when
    the light reading cannot stand for :func:`~derivcheck.reading.parser.parse`'s: any
    error (parse() says which), a program, a derivative request, a construct whose reading
    depends on SymPy's simplification."""
    try:
        with reading():
            text, tokens = _read(text)
            if is_program(tokens):
                return None
            return read_formula(text, tokens, variables, reader=LightParser)
    except (ParseError, Unsupported, RecursionError):
        return None


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------


class _Evaluation:
    """One evaluation: the points (and their perturbed copies), the next perturbation."""

    __slots__ = ("env", "factors", "slot", "size")

    def __init__(self, env: Mapping[str, np.ndarray], factors: np.ndarray, size: int):
        self.env = env
        self.factors = factors
        self.slot = 0
        self.size = size

    def nudge(self, value: Any) -> Any:
        row = self.factors[self.slot % _ROWS]
        self.slot += 1
        return value * row

    def fold(self, operation: Callable[[Any, Any], Any], parts: tuple[Any, ...]) -> Any:
        """``operation`` over ``parts`` left to right, each partial result nudged."""
        total = self.of(parts[0])
        for part in parts[1:]:
            total = self.nudge(operation(total, self.of(part)))
        return total

    def of(self, part: Any) -> Any:
        if isinstance(part, Light):
            return part.value(self)
        number = _number(part)
        return number if part.is_Integer else self.nudge(number)

    def settled(self, inputs: Iterable[Any], value: Any) -> np.ndarray:
        """A function's (or a root's) value, computed by derivcheck's evaluator (which
        gives nan and inf silently), when SymPy's reading surely has the same: real and
        finite everywhere; no argument the same at every point (``tan(x - x + π/2)``:
        SymPy finds tan(π/2), undefined, and refuses it, where floats find 10¹⁶); not
        moved by the nudges (a pole, a domain edge nearby: it would not show later in
        ``0·tan(…)``). Else Unsupported."""
        value = np.asarray(value)
        if np.iscomplexobj(value) or not np.isfinite(value).all():
            raise Unsupported
        n = self.size
        for argument in inputs:
            points = np.asarray(argument)[:n]
            if points.size == n and n > 1 and np.ptp(points) <= 1e-12 * np.abs(points).max():
                raise Unsupported
        if value.shape:
            exact = value[:n]
            moved = np.abs(value[n:].reshape(COPIES, n) - exact)
            if not (moved <= MOVED * np.abs(exact)).all():
                raise Unsupported
        return value


@lru_cache(maxsize=4096)
def _number(constant: sympy.Expr) -> float:
    value = _constant(constant)
    if isinstance(value, complex) or not np.isfinite(value):
        raise Unsupported
    return float(value)


class Points:
    """Sample points by name, ready for light trees: each point followed by
    :data:`COPIES` perturbed copies (a fixed pseudo-random table, so values are
    reproducible)."""

    def __init__(self, env: Mapping[str, np.ndarray]):
        self.size = len(next(iter(env.values()))) if env else 1
        copies = COPIES + 1
        self.env = {name: np.tile(np.asarray(v, dtype=float), copies) for name, v in env.items()}
        rng = np.random.default_rng(_SEED)
        nudges = rng.uniform(0.5, 1.0, (_ROWS, COPIES * self.size))
        nudges *= rng.choice((-1.0, 1.0), nudges.shape)
        ones = np.ones((_ROWS, self.size))
        self.factors = np.concatenate((ones, 1.0 + NUDGE * nudges), axis=1)

    def values(self, tree: Light, reference: np.ndarray) -> np.ndarray | None:
        """``tree``'s values at the points, when they are surely those of its SymPy
        reading (see the module's docstring): every operation real and finite, no copy
        moved more than :data:`MOVED` relative to the value or ``reference`` there;
        else None."""
        at = _Evaluation(self.env, self.factors, self.size)
        try:
            with np.errstate(divide="raise", over="raise", invalid="raise", under="ignore"):
                found = np.broadcast_to(tree.value(at), (self.size * (COPIES + 1),))
        except (Unsupported, FloatingPointError, ArithmeticError, RecursionError, KeyError):
            return None
        values = found[: self.size]
        moved = np.abs(found[self.size :].reshape(COPIES, self.size) - values).max(axis=0)
        scale = np.maximum(np.abs(values), np.abs(reference))
        if not (moved <= MOVED * scale).all():
            return None
        return values


def exact_value(tree: Light, point: Mapping[str, Fraction]) -> Fraction | None:
    """The exact rational value of a tree of sums, products and integer powers (at most
    64) of names and rationals at a rational point; None for any other tree or a pole."""
    try:
        return tree.exact(point)
    except (Unsupported, ZeroDivisionError, KeyError):
        return None
