"""Random cases for the differential tests: an expression over the whole catalogue, built
twice — as a SymPy expression in SymPy's own functions (the reference) and as text that
derivcheck reads — and a point inside a domain, at or near an edge, on or near a break,
huge or tiny.

Every case comes from ``(seed, index)`` alone, so a failing case is re-made by its number
(``case(seed, index)``), on any machine and in any worker process.

The functions are the catalogue's records (:func:`derivcheck.calculus.catalogue.records`,
read for their names, argument counts and parameters only) and its aliases; what each one
*is* comes from :data:`DEFINITIONS`, written here from the mathematics (relu(u) is u for
u > 0 and 0 otherwise, softplus(u) = ln(1 + e^u), ...), never from derivcheck's own
definitions or derivatives.

>>> c = case(1, 0)
>>> c.index, c.category in CATEGORIES
(0, True)
>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> relu = Fn("relu", "relu", (X(),))
>>> relu.text(), relu.ref()
('relu(x)', Piecewise((x, x > 0), (0, True)))
>>> node = Bin("*", Lit.number(sympy.Integer(3)), Fn("sin", "sin", (Pow(X(), sympy.Integer(2)),)))
>>> node.text(), node.ref()
('3*(sin((x)^2))', 3*sin(x**2))
>>> derivative = node.d()
>>> sympy.simplify(derivative.ref() - sympy.diff(node.ref(), x))
0
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

import sympy
from sympy import Rational, S

from tests.differential.reference import RefCeil, RefFloor

__all__ = [
    "X",
    "Lit",
    "Bin",
    "Pow",
    "ExpBase",
    "GenPow",
    "Fn",
    "Written",
    "given_case",
    "Node",
    "Case",
    "case",
    "cases",
    "CATEGORIES",
    "DEFINITIONS",
    "function_keys",
]

x = sympy.Symbol("x", real=True)

CATEGORIES = ("inside", "edge", "kink", "huge", "tiny")

# --------------------------------------------------------------------------------------
# What each function is (the mathematics, written here)
# --------------------------------------------------------------------------------------


def _pw_relu(u, *p):
    return sympy.Piecewise((u, u > 0), (0, True))


_LEAKY_SLOPE = Rational(1, 100)


def _pw_leaky(u, a=_LEAKY_SLOPE):
    return sympy.Piecewise((u, u > 0), (a * u, True))


def _pw_elu(u, a=S.One):
    return sympy.Piecewise((u, u > 0), (a * (sympy.exp(u) - 1), True))


def _pw_hardtanh(u):
    return sympy.Piecewise((-1, u < -1), (1, u > 1), (u, True))


def _log(u, base=None):
    return sympy.log(u) if base is None else sympy.log(u) / sympy.log(base)


def _heaviside(u, h0=None):
    return sympy.Heaviside(u) if h0 is None else sympy.Heaviside(u, h0)


#: key -> f(u, *parameters) in SymPy's own functions.
DEFINITIONS: dict[str, Callable[..., sympy.Expr]] = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "cot": sympy.cot,
    "sec": sympy.sec,
    "csc": sympy.csc,
    "arcsin": sympy.asin,
    "arccos": sympy.acos,
    "arctan": sympy.atan,
    "arccot": lambda u: sympy.pi / 2 - sympy.atan(u),  # continuous, values in (0, π)
    "arcsec": sympy.asec,
    "arccsc": sympy.acsc,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "coth": sympy.coth,
    "sech": sympy.sech,
    "csch": sympy.csch,
    "arsinh": sympy.asinh,
    "arcosh": sympy.acosh,
    "artanh": sympy.atanh,
    "exp": sympy.exp,
    "log": _log,
    "erf": sympy.erf,
    "abs": sympy.Abs,
    "sign": sympy.sign,
    "heaviside": _heaviside,
    "floor": RefFloor,
    "ceil": RefCeil,
    "max": sympy.Max,
    "min": sympy.Min,
    "relu": _pw_relu,
    "leaky_relu": _pw_leaky,
    "elu": _pw_elu,
    "sigmoid": lambda u: 1 / (1 + sympy.exp(-u)),
    "softplus": lambda u: sympy.log(1 + sympy.exp(u)),
    "silu": lambda u: u / (1 + sympy.exp(-u)),
    "gelu": lambda u: u / 2 * (1 + sympy.erf(u / sympy.sqrt(2))),
    "hardtanh": _pw_hardtanh,
    "softsign": lambda u: u / (1 + sympy.Abs(u)),
    # aliases: other spellings of powers and logarithms
    "sqrt": lambda u: u ** Rational(1, 2),
    "cbrt": lambda u: u ** Rational(1, 3),  # real for u < 0 (the reference's odd roots)
    "lg": lambda u: sympy.log(u) / sympy.log(10),
    "log10": lambda u: sympy.log(u) / sympy.log(10),
    "log2": lambda u: sympy.log(u) / sympy.log(2),
}

#: Values of a parameter the generator tries (besides leaving it out).
PARAMETER_VALUES = {
    "leaky_relu": (Rational(1, 10), Rational(1, 5), Rational(2)),
    "elu": (Rational(1, 2), Rational(2)),
}


@cache
def _catalogue() -> dict[str, Any]:
    from derivcheck.calculus import catalogue

    found = {r.key: r for r in catalogue.records()}
    missing = sorted(set(found) - set(DEFINITIONS))
    if missing:  # a new record: the generator must learn what it is
        raise AssertionError(f"no reference definition for {missing}")
    return found


@cache
def function_keys() -> tuple[str, ...]:
    """Every catalogue key and alias the generator draws from."""
    from derivcheck.calculus import catalogue

    return tuple(_catalogue()) + tuple(catalogue.ALIASES)


def _spellings(key: str) -> tuple[str, ...]:
    record = _catalogue().get(key)
    if record is None:
        return (key,)
    return tuple(n for n in record.names if n.isascii()) or (key,)


def _arity(key: str) -> tuple[int, ...]:
    record = _catalogue().get(key)
    return (1,) if record is None else record.arity


# --------------------------------------------------------------------------------------
# Expression trees: each node gives its reference (SymPy), its text and its derivative
# --------------------------------------------------------------------------------------


class Node:
    """An expression node. ``ref()``: SymPy; ``text()``: what derivcheck reads;
    ``d()``: the derivative as a tree (the textbook rules, written here; checked against
    sympy.diff by the tests); ``subs(value)``: the tree with x replaced by a literal."""

    def ref(self) -> sympy.Expr:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def d(self) -> Node:
        raise NotImplementedError

    def subs(self, value: Lit) -> Node:
        raise NotImplementedError

    def size(self) -> int:
        return 1 + sum(c.size() for c in self.children())

    def children(self) -> tuple[Node, ...]:
        return ()

    def has_x(self) -> bool:
        return any(c.has_x() for c in self.children())


def _wrap(node: Node) -> str:
    text = node.text()
    return text if isinstance(node, (X, Lit)) and node.simple() else f"({text})"


@dataclass(frozen=True)
class X(Node):
    def ref(self):
        return x

    def text(self):
        return "x"

    def d(self):
        return Lit.number(S.One)

    def subs(self, value):
        return value

    def has_x(self):
        return True

    def simple(self) -> bool:
        return True


@dataclass(frozen=True)
class Lit(Node):
    """A constant: an exact SymPy number and how it is written (``3/4``, ``pi/4``, ``ln(2)``)."""

    value: sympy.Expr
    written: str

    @staticmethod
    def number(value: sympy.Expr, decimal: bool = False) -> Lit:
        value = sympy.nsimplify(value) if not isinstance(value, sympy.Basic) else value
        if value.is_Integer:
            written = str(int(value))
        elif value.is_Rational:
            written = _decimal(value) if decimal else f"{value.p}/{value.q}"
            written = written or f"{value.p}/{value.q}"
        else:
            written = show(value)
        return Lit(value, written)

    def ref(self):
        return self.value

    def text(self):
        return self.written

    def d(self):
        return Lit.number(S.Zero)

    def subs(self, value):
        return self

    def simple(self) -> bool:
        return self.written.isalnum() and not self.written.startswith("-")


def _decimal(value: sympy.Rational) -> str | None:
    q = int(value.q)
    twos = fives = 0
    while q % 2 == 0:
        q //= 2
        twos += 1
    while q % 5 == 0:
        q //= 5
        fives += 1
    if q != 1:
        return None
    places = max(twos, fives)
    scaled = abs(int(value.p)) * 10**places // int(value.q)
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}" if places else f"{sign}{digits}"


ZERO = Lit(S.Zero, "0")
ONE = Lit(S.One, "1")


@dataclass(frozen=True)
class Bin(Node):
    op: str  # + - * /
    a: Node
    b: Node
    spelling: str = ""  # how * or / is written (*, ·, ×, implicit) — text only

    def ref(self):
        a, b = self.a.ref(), self.b.ref()
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[self.op]

    def text(self):
        op = self.spelling or self.op
        if op == "implicit":
            return f"{_wrap_always(self.a)}{_wrap_always(self.b)}"
        return f"{_wrap(self.a)}{op}{_wrap(self.b)}"

    def children(self):
        return (self.a, self.b)

    def subs(self, value):
        return Bin(self.op, self.a.subs(value), self.b.subs(value), self.spelling)

    def d(self):
        a, b, da, db = self.a, self.b, self.a.d(), self.b.d()
        if self.op in "+-":
            return Bin(self.op, da, db)
        if self.op == "*":
            return Bin("+", Bin("*", da, b), Bin("*", a, db))
        return Bin("/", Bin("-", Bin("*", da, b), Bin("*", a, db)), Pow(b, Rational(2)))


def _wrap_always(node: Node) -> str:
    return f"({node.text()})"


@dataclass(frozen=True)
class Pow(Node):
    """u^q for a rational q (u^(1/2) is √u, principal roots)."""

    base: Node
    exponent: sympy.Rational
    spelling: str = "^"  # ^, **, or sup (² ³)

    def ref(self):
        return self.base.ref() ** self.exponent

    def text(self):
        q = self.exponent
        if self.spelling == "sup" and q in (2, 3):
            return f"{_wrap_always(self.base)}{'²' if q == 2 else '³'}"
        op = "**" if self.spelling == "**" else "^"
        written = str(int(q)) if q.is_Integer and q >= 0 else f"({q})"
        return f"{_wrap_always(self.base)}{op}{written}"

    def children(self):
        return (self.base,)

    def subs(self, value):
        return Pow(self.base.subs(value), self.exponent, self.spelling)

    def d(self):
        q = self.exponent
        outer = Bin("*", Lit.number(q), Pow(self.base, q - 1))
        return Bin("*", outer, self.base.d())


@dataclass(frozen=True)
class ExpBase(Node):
    """a^u for a constant a > 0 (e^u too)."""

    base: Lit
    power: Node
    spelling: str = "^"  # ^ or exp (for e)

    def ref(self):
        return self.base.ref() ** self.power.ref()

    def text(self):
        if self.spelling == "exp":
            return f"exp({self.power.text()})"
        return f"{_wrap(self.base)}^{_wrap_always(self.power)}"

    def children(self):
        return (self.power,)

    def subs(self, value):
        return ExpBase(self.base, self.power.subs(value), self.spelling)

    def d(self):
        a = self.base.ref()
        factor = self if a == sympy.E else Bin("*", self, Fn("log", "ln", (self.base,)))
        return Bin("*", factor, self.power.d())


@dataclass(frozen=True)
class GenPow(Node):
    """u^v with both varying: real where u > 0."""

    base: Node
    power: Node

    def ref(self):
        return self.base.ref() ** self.power.ref()

    def text(self):
        return f"{_wrap_always(self.base)}^{_wrap_always(self.power)}"

    def children(self):
        return (self.base, self.power)

    def subs(self, value):
        return GenPow(self.base.subs(value), self.power.subs(value))

    def d(self):
        u, v = self.base, self.power
        if not v.ref().has(x):
            # a constant exponent (after subs): the power rule, with no ln(u), which is
            # not real where u < 0 although u^v may be
            return Bin(
                "*", Bin("*", v, GenPow(u, Bin("-", v, Lit.number(sympy.Integer(1))))), u.d()
            )
        inside = Bin("+", Bin("*", v.d(), Fn("log", "ln", (u,))), Bin("/", Bin("*", v, u.d()), u))
        return Bin("*", self, inside)


@dataclass(frozen=True)
class Fn(Node):
    """A catalogue function (or alias) applied to arguments, with constant parameters."""

    key: str
    name: str  # the spelling used in the text
    args: tuple[Node, ...]
    params: tuple[sympy.Expr, ...] = ()

    def ref(self):
        return DEFINITIONS[self.key](*(a.ref() for a in self.args), *self.params)

    def text(self):
        shown = [a.text() for a in self.args] + [Lit.number(p, True).text() for p in self.params]
        if self.key == "abs" and self.name == "|":
            return f"|{shown[0]}|"
        return f"{self.name}({', '.join(shown)})"

    def children(self):
        return self.args

    def subs(self, value):
        return Fn(self.key, self.name, tuple(a.subs(value) for a in self.args), self.params)

    def d(self):
        if self.key in ("max", "min"):
            return _extremum_derivative(self)
        u = self.args[0]
        outer = _outer_derivative(self.key, u, self.params)
        if outer is None:
            return ZERO
        return Bin("*", outer, u.d())

    def outer_derivative(self) -> Node | None:
        """f′ at the argument, without the inner derivative (a chain-rule mistake)."""
        if self.key in ("max", "min"):
            return None
        return _outer_derivative(self.key, self.args[0], self.params)


def _fn(key: str, *args: Node) -> Fn:
    return Fn(key, _spellings(key)[0] if key not in _ALIAS_NAMES else key, args)


_ALIAS_NAMES = {"sqrt", "cbrt", "lg", "log10", "log2"}


def _n(value) -> Lit:
    return Lit.number(sympy.nsimplify(value))


def _neg(node: Node) -> Node:
    return Bin("*", _n(-1), node)


def _sq(node: Node) -> Node:
    return Pow(node, Rational(2))


def _recip(node: Node) -> Node:
    return Bin("/", ONE, node)


def _outer_derivative(key: str, u: Node, params: Sequence[sympy.Expr]) -> Node | None:
    """f′(u) for each function, as a textbook's table writes it (None: f′ = 0)."""
    e_u = ExpBase(Lit(sympy.E, "e"), u)
    sigmoid = _fn("sigmoid", u)
    rules: dict[str, Callable[[], Node]] = {
        "sin": lambda: _fn("cos", u),
        "cos": lambda: _neg(_fn("sin", u)),
        "tan": lambda: _sq(_fn("sec", u)),
        "cot": lambda: _neg(_sq(_fn("csc", u))),
        "sec": lambda: Bin("*", _fn("sec", u), _fn("tan", u)),
        "csc": lambda: _neg(Bin("*", _fn("csc", u), _fn("cot", u))),
        "arcsin": lambda: _recip(_fn("sqrt", Bin("-", ONE, _sq(u)))),
        "arccos": lambda: _neg(_recip(_fn("sqrt", Bin("-", ONE, _sq(u))))),
        "arctan": lambda: _recip(Bin("+", ONE, _sq(u))),
        "arccot": lambda: _neg(_recip(Bin("+", ONE, _sq(u)))),
        "arcsec": lambda: _recip(Bin("*", _fn("abs", u), _fn("sqrt", Bin("-", _sq(u), ONE)))),
        "arccsc": lambda: _neg(
            _recip(Bin("*", _fn("abs", u), _fn("sqrt", Bin("-", _sq(u), ONE))))
        ),
        "sinh": lambda: _fn("cosh", u),
        "cosh": lambda: _fn("sinh", u),
        "tanh": lambda: Bin("-", ONE, _sq(_fn("tanh", u))),
        "coth": lambda: Bin("-", ONE, _sq(_fn("coth", u))),
        "sech": lambda: _neg(Bin("*", _fn("sech", u), _fn("tanh", u))),
        "csch": lambda: _neg(Bin("*", _fn("csch", u), _fn("coth", u))),
        "arsinh": lambda: _recip(_fn("sqrt", Bin("+", _sq(u), ONE))),
        "arcosh": lambda: _recip(_fn("sqrt", Bin("-", _sq(u), ONE))),
        "artanh": lambda: _recip(Bin("-", ONE, _sq(u))),
        "exp": lambda: _fn("exp", u),
        "erf": lambda: Bin(
            "*", Bin("/", _n(2), _fn("sqrt", Lit(sympy.pi, "pi"))), ExpBase(Lit(sympy.E, "e"),
                                                                            _neg(_sq(u)))
        ),
        "abs": lambda: _fn("sign", u),
        "relu": lambda: _fn("heaviside", u),
        "leaky_relu": lambda: Bin(
            "+", _n(params[0] if params else Rational(1, 100)),
            Bin("*", _n(1 - (params[0] if params else Rational(1, 100))), _fn("heaviside", u)),
        ),
        "elu": lambda: Bin(
            "+", _fn("heaviside", u),
            Bin("*", Bin("*", _n(params[0] if params else 1), e_u), _fn("heaviside", _neg(u))),
        ),
        "sigmoid": lambda: Bin("*", sigmoid, Bin("-", ONE, sigmoid)),
        "softplus": lambda: sigmoid,
        "silu": lambda: Bin(
            "*", sigmoid, Bin("+", ONE, Bin("*", u, Bin("-", ONE, sigmoid)))
        ),
        "gelu": lambda: Bin(
            "+",
            Bin("/", Bin("+", ONE, _fn("erf", Bin("/", u, _fn("sqrt", _n(2))))), _n(2)),
            Bin("/", Bin("*", u, ExpBase(Lit(sympy.E, "e"), _neg(Bin("/", _sq(u), _n(2))))),
                _fn("sqrt", Bin("*", _n(2), Lit(sympy.pi, "pi")))),
        ),
        "hardtanh": lambda: Bin(
            "*", _fn("heaviside", Bin("+", u, ONE)), _fn("heaviside", Bin("-", ONE, u))
        ),
        "softsign": lambda: _recip(_sq(Bin("+", ONE, _fn("abs", u)))),
        "sqrt": lambda: _recip(Bin("*", _n(2), _fn("sqrt", u))),
        "cbrt": lambda: _recip(Bin("*", _n(3), Pow(_fn("cbrt", u), Rational(2)))),
        "lg": lambda: _recip(Bin("*", u, _fn("log", Lit.number(sympy.Integer(10))))),
        "log10": lambda: _recip(Bin("*", u, _fn("log", Lit.number(sympy.Integer(10))))),
        "log2": lambda: _recip(Bin("*", u, _fn("log", Lit.number(sympy.Integer(2))))),
    }  # fmt: skip
    if key == "log":
        return _recip(u if not params else Bin("*", u, _fn("log", Lit.number(params[0]))))
    if key in ("sign", "heaviside", "floor", "ceil"):
        return None
    return rules[key]()


def _extremum_derivative(node: Fn) -> Node:
    """max(a, b)′ = a′·H(a − b) + b′·H(b − a) (ties are breaks); the same for more."""
    terms: list[Node] = []
    sign = 1 if node.key == "max" else -1
    for i, a in enumerate(node.args):
        factor: Node = a.d()
        for j, b in enumerate(node.args):
            if i != j:
                gap = Bin("-", a, b) if sign > 0 else Bin("-", b, a)
                factor = Bin("*", factor, _fn("heaviside", gap))
        terms.append(factor)
    total = terms[0]
    for t in terms[1:]:
        total = Bin("+", total, t)
    return total


def show(value: sympy.Expr) -> str:
    """A SymPy expression as text derivcheck reads (the answers' printer)."""
    return _Printer().p(value)


class _Printer:
    """SymPy → text: ``sin``, ``abs``, ``heaviside``, ``max``, ``^``, fully bracketed.

    Piecewise becomes a sum of heaviside terms (equal away from its breaks, where answers
    are graded); DiracDelta is 0 there too.
    """

    NAMES = {
        sympy.asin: "asin", sympy.acos: "acos", sympy.atan: "atan", sympy.asec: "asec",
        sympy.acsc: "acsc", sympy.asinh: "asinh", sympy.acosh: "acosh",
        sympy.atanh: "atanh", sympy.Abs: "abs", sympy.Heaviside: "heaviside",
        RefFloor: "floor", RefCeil: "ceil", sympy.Max: "max", sympy.Min: "min",
        sympy.log: "ln",
    }  # fmt: skip

    def p(self, e: sympy.Expr) -> str:  # noqa: C901
        if e.is_Symbol:
            return e.name
        if e.is_Integer:
            return str(int(e)) if e >= 0 else f"({int(e)})"
        if e.is_Rational:
            return f"({e.p}/{e.q})"
        if e is sympy.pi:
            return "pi"
        if e is sympy.E:
            return "e"
        if e.is_Float:
            return f"({sympy.nsimplify(e)})"
        if e.is_Add:
            return "(" + " + ".join(self.p(a) for a in e.args) + ")"
        if e.is_Mul:
            return "(" + "*".join(self.p(a) for a in e.args) + ")"
        if e.is_Pow:
            base, exponent = e.args
            if base is sympy.E:
                return f"exp({self.p(exponent)})"
            return f"({self.p(base)})^({self.p(exponent)})"
        if isinstance(e, sympy.Piecewise):
            return self.p(_piecewise_as_heaviside(e))
        if isinstance(e, sympy.DiracDelta):
            return "0"
        if e.func in (sympy.Heaviside,) and len(e.args) == 2:
            return f"heaviside({self.p(e.args[0])})"
        if isinstance(e, sympy.Function):
            name = self.NAMES.get(e.func, e.func.__name__)
            return f"{name}({', '.join(self.p(a) for a in e.args)})"
        raise ValueError(f"cannot print {e!r}")


def _piecewise_as_heaviside(e: sympy.Piecewise) -> sympy.Expr:
    pieces = list(e.args)
    result = pieces[-1][0]
    if pieces[-1][1] is not sympy.true:
        raise ValueError(f"cannot print {e!r}")
    for expression, condition in reversed(pieces[:-1]):
        if isinstance(condition, (sympy.StrictGreaterThan, sympy.GreaterThan)):
            gap = condition.lhs - condition.rhs
        elif isinstance(condition, (sympy.StrictLessThan, sympy.LessThan)):
            gap = condition.rhs - condition.lhs
        else:
            raise ValueError(f"cannot print {e!r}")
        result = result + (expression - result) * sympy.Heaviside(gap)
    return result


# --------------------------------------------------------------------------------------
# Random trees
# --------------------------------------------------------------------------------------


class _Random:
    """The random choices of one case (every choice goes through here)."""

    def __init__(self, seed: int, index: int):
        self.r = random.Random(f"derivcheck-differential:{seed}:{index}")

    def leaf(self) -> Node:
        r = self.r.random()
        if r < 0.6:
            return X()
        if r < 0.75:
            return Bin("*", self.small(nonzero=True), X(), self.product_spelling())
        if r < 0.9:
            return Bin(self.r.choice("+-"), X(), self.small(nonzero=True))
        return self.constant()

    def small(self, nonzero: bool = False) -> Lit:
        while True:
            value = Rational(self.r.randint(-9, 9), self.r.choice((1, 1, 1, 2, 3, 4, 5, 10)))
            if value != 0 or not nonzero:
                return Lit.number(value, decimal=self.r.random() < 0.3)

    def constant(self) -> Lit:
        r = self.r.random()
        if r < 0.15:
            return Lit(sympy.E, "e")
        if r < 0.3:
            return Lit(sympy.pi, self.r.choice(("pi", "π")))
        return self.small(nonzero=True)

    def product_spelling(self) -> str:
        return self.r.choice(("*", "*", "*", "·", "×", "implicit"))

    def tree(self, depth: int) -> Node:
        if depth <= 0 or self.r.random() < 0.2:
            return self.leaf()
        r = self.r.random()
        if r < 0.42:
            return self.function(depth)
        if r < 0.64:
            op = self.r.choice("+-*/")
            spelling = self.product_spelling() if op == "*" else ""
            return Bin(op, self.tree(depth - 1), self.tree(depth - 1), spelling)
        if r < 0.76:
            n = Rational(self.r.choice((-3, -2, -1, 2, 2, 3, 3, 4, 5)))
            return Pow(self.tree(depth - 1), n, self.r.choice(("^", "^", "**", "sup")))
        if r < 0.84:
            q = self.r.choice((Rational(1, 2), Rational(3, 2), Rational(1, 3), Rational(-1, 2),
                               Rational(2, 3), Rational(5, 2)))  # fmt: skip
            return Pow(self.tree(depth - 1), q)
        if r < 0.93:
            base = self.r.choice(
                (Lit(sympy.E, "e"), Lit(sympy.E, "e"), _n(2), _n(10), _n(Rational(1, 2)), _n(3))
            )
            spelling = self.r.choice(("^", "exp")) if base.value == sympy.E else "^"
            return ExpBase(base, self.tree(depth - 1), spelling)
        return GenPow(self.positive(depth - 1), self.tree(depth - 1))

    def positive(self, depth: int) -> Node:
        """A base for u^v: usually positive near where it is used."""
        choice = self.r.random()
        if choice < 0.4:
            return X()
        if choice < 0.7:
            return Bin("+", Pow(self.tree(depth - 1), Rational(2)), ONE)
        return self.tree(depth - 1)

    def function(self, depth: int, key: str | None = None) -> Fn:
        key = key or self.r.choice(function_keys())
        spelling = self.r.choice(_spellings(key)) if key not in _ALIAS_NAMES else key
        if key == "abs" and self.r.random() < 0.4:
            spelling = "|"
        counts = _arity(key)
        if key in ("max", "min"):
            n = self.r.choice((2, 2, 2, 3))
        else:
            n = 1
        args = tuple(self.tree(depth - 1) for _ in range(n))
        params: tuple[sympy.Expr, ...] = ()
        if key in PARAMETER_VALUES and self.r.random() < 0.4:
            params = (self.r.choice(PARAMETER_VALUES[key]),)
        elif key == "log" and 2 in counts and self.r.random() < 0.25:
            params = (self.r.choice((Rational(2), Rational(10), Rational(1, 2), Rational(3))),)
        elif key == "heaviside" and self.r.random() < 0.2:
            params = (self.r.choice((S.Zero, S.Half, S.One)),)
        return Fn(key, spelling, args, params)


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One differential case: ``text`` and ``node`` (its reference) at a point.

    ``point``: the exact number derivcheck reads; ``given``: what is passed to explain
    (an int, Fraction, float or SymPy number); ``resolution``: the ulp when ``given`` is a
    float (a break within it counts as at the point); ``category`` one of
    :data:`CATEGORIES`, ``detail`` how the point was placed (exact, float, near).
    """

    seed: int
    index: int
    category: str
    detail: str
    node: Node = field(repr=False)
    text: str
    given: Any
    point: sympy.Expr
    resolution: float | None = None

    @property
    def reference(self) -> sympy.Expr:
        """The function as typed, in SymPy, built without SymPy's automatic simplification:
        cos(acos(x)) is x to SymPy, but arccos(2) is not real, so the function typed has
        no value (nor derivative) at 2; x/x is 1, but undefined at 0."""
        with sympy.evaluate(False):
            return self.node.ref()

    def describe(self) -> str:
        return f"explain({self.text!r}, {self.given!r})  # case {self.seed}:{self.index}"


_SPECIAL_POINTS = (
    (sympy.pi / 4, "pi/4"),
    (sympy.pi / 6, "pi/6"),
    (sympy.log(2), "ln(2)"),
    (sympy.sqrt(2), "sqrt(2)"),
    (sympy.E / 2, "e/2"),
)


def _break_point(rng: _Random) -> tuple[sympy.Expr, str]:
    if rng.r.random() < 0.2:
        return rng.r.choice(_SPECIAL_POINTS)
    value = Rational(rng.r.randint(-12, 12), rng.r.choice((1, 2, 3, 4, 5, 7, 10)))
    return value, f"{value.p}/{value.q}" if value.q != 1 else str(value.p)


def _quick_value(node: Node, point: sympy.Expr) -> float | None:
    """f at an exact point to 30 digits, or None when undefined (the reference's rules)."""
    import mpmath

    from tests.differential.reference import Undefined, evaluate

    try:
        with mpmath.workdps(30):
            return float(evaluate(node.ref(), x, point, exact=point))
    except (Undefined, ArithmeticError, ValueError, TypeError):
        return None


def _shifted(rng: _Random, inner_depth: int, point: sympy.Expr, written: str, critical: Node):
    """g(x) = h(x) − h(p) + c: exactly ``critical`` at x = p, for a random h of x."""
    for _ in range(20):
        h = rng.tree(inner_depth)
        if not h.has_x() or h.size() > 9:
            continue
        at_p = h.subs(Lit(point, f"({written})"))
        if _quick_value(at_p, point) is None:
            continue
        g = Bin("-", h, at_p)
        return g if critical.value == 0 else Bin("+", g, critical)
    return (
        Bin("-", X(), Lit(point, f"({written})"))
        if critical.value == 0
        else Bin("+", Bin("-", X(), Lit(point, f"({written})")), critical)
    )


#: (outer function, critical value of its argument) for domain edges and poles.
_EDGES = (
    ("log", 0), ("sqrt", 0), ("cbrt", 0), ("pow-1/2", 0), ("pow3/2", 0), ("arcsin", 1),
    ("arcsin", -1), ("arccos", 1), ("arccos", -1), ("arcosh", 1), ("artanh", 1),
    ("artanh", -1), ("arcsec", 1), ("arcsec", -1), ("arccsc", 1), ("coth", 0), ("csch", 0),
    ("pow-1", 0), ("pow-2", 0), ("genpow", 0), ("log2", 0), ("tan", "pi/2"), ("sec", "pi/2"),
    ("cot", 0), ("csc", 0),
)  # fmt: skip
#: (break function, critical value of its argument).
_BREAKS = (
    ("abs", 0), ("relu", 0), ("leaky_relu", 0), ("elu", 0), ("hardtanh", 1), ("softsign", 0),
    ("hardtanh", -1), ("sign", 0), ("heaviside", 0), ("floor", 2), ("floor", -1),
    ("ceil", 0), ("max", 0), ("min", 0),
)  # fmt: skip


def _outer(rng: _Random, kind: str, argument: Node) -> Node:
    if kind.startswith("pow"):
        return Pow(argument, Rational(kind[3:]))
    if kind == "genpow":
        return GenPow(argument, rng.tree(1))
    spelling = rng.r.choice(_spellings(kind)) if kind not in _ALIAS_NAMES else kind
    params: tuple[sympy.Expr, ...] = ()
    if kind in PARAMETER_VALUES and rng.r.random() < 0.3:
        params = (rng.r.choice(PARAMETER_VALUES[kind]),)
    return Fn(kind, spelling, (argument,), params)


def _dress(rng: _Random, core: Node) -> Node:
    """Put the core somewhere in a bigger expression (or leave it alone)."""
    r = rng.r.random()
    if r < 0.35:
        return core
    if r < 0.6:
        return Bin(rng.r.choice("+-*"), core, rng.tree(1))
    if r < 0.8:
        return Fn(*_plain_function(rng), (core,))
    return Bin("*", rng.tree(1), core)


def _plain_function(rng: _Random) -> tuple[str, str]:
    key = rng.r.choice(("sin", "exp", "arctan", "tanh", "sigmoid", "cos", "softplus", "sinh"))
    return key, rng.r.choice(_spellings(key))


def _near(rng: _Random, point: sympy.Expr) -> sympy.Expr:
    k = rng.r.randint(2, 13)
    scale = sympy.Integer(max(1, int(abs(float(point)))))
    return point + rng.r.choice((-1, 1)) * scale * sympy.Rational(10) ** -k


def _placed(rng: _Random, point: sympy.Expr) -> tuple[str, Any, sympy.Expr, float | None]:
    """How a break or edge point is given: exactly, as a float, or near (exact or float)."""
    r = rng.r.random()
    if r < 0.3:
        given = Fraction(int(point.p), int(point.q)) if point.is_Rational else point
        return "exact", given, point, None
    if r < 0.55:
        f = float(point)
        return "float", f, _exact_of(f), math.ulp(f)
    near = _near(rng, point)
    if r < 0.78:
        return "near", Fraction(int(near.p), int(near.q)) if near.is_Rational else near, near, None
    f = float(near)
    return "near-float", f, _exact_of(f), math.ulp(f)


def _exact_of(value: float) -> sympy.Rational:
    from tests.differential.reference import exact_of_float

    return exact_of_float(value)


def _critical_literal(value) -> Lit:
    if value == "pi/2":
        return Lit(sympy.pi / 2, "(pi/2)")
    return Lit.number(sympy.Integer(value))


def _edge_case(rng: _Random, seed: int, index: int) -> Case:
    kind, critical = rng.r.choice(_EDGES)
    point, written = _break_point(rng)
    g = _shifted(rng, rng.r.randint(0, 2), point, written, _critical_literal(critical))
    node = _dress(rng, _outer(rng, kind, g))
    detail, given, exact, resolution = _placed(rng, point)
    return Case(seed, index, "edge", f"{kind} {detail}", node, node.text(), given, exact,
                resolution)  # fmt: skip


def _kink_case(rng: _Random, seed: int, index: int) -> Case:
    kind, critical = rng.r.choice(_BREAKS)
    point, written = _break_point(rng)
    if kind in ("max", "min"):
        a = rng.tree(rng.r.randint(0, 2))
        while _quick_value(a.subs(Lit(point, f"({written})")), point) is None:
            a = rng.tree(1)
        b = _shifted(rng, rng.r.randint(0, 2), point, written, ZERO)
        tie = Bin("+", b, a.subs(Lit(point, f"({written})")))
        args = (a, tie) if rng.r.random() < 0.5 else (tie, a)
        core: Node = Fn(kind, kind, args)
    else:
        g = _shifted(rng, rng.r.randint(0, 2), point, written, _critical_literal(critical))
        core = _outer(rng, kind, g)
    node = _dress(rng, core)
    detail, given, exact, resolution = _placed(rng, point)
    return Case(seed, index, "kink", f"{kind} {detail}", node, node.text(), given, exact,
                resolution)  # fmt: skip


def _inside_point(rng: _Random) -> tuple[str, Any, sympy.Expr, float | None]:
    r = rng.r.random()
    if r < 0.25:
        value = rng.r.randint(-4, 4)
        return "int", value, sympy.Integer(value), None
    if r < 0.55:
        value = Fraction(rng.r.randint(-40, 40), rng.r.choice((3, 4, 7, 8, 10, 16)))
        return "fraction", value, sympy.Rational(value.numerator, value.denominator), None
    if r < 0.8:
        value = round(rng.r.uniform(-3, 3), rng.r.randint(1, 4))
        return "decimal", value, _exact_of(value), math.ulp(value)
    value = rng.r.uniform(-3, 3)
    return "float", value, _exact_of(value), math.ulp(value)


def _scaled_point(rng: _Random, category: str) -> tuple[str, Any, sympy.Expr, float | None]:
    sign = rng.r.choice((-1, 1))
    if category == "huge":
        exponent = rng.r.uniform(3, 10)
    else:
        exponent = -rng.r.uniform(5, 300)
    if rng.r.random() < 0.3:  # a power of ten, exactly
        k = round(exponent)
        exact = sympy.Integer(10) ** k * sign
        given = int(exact) if k >= 0 else Fraction(sign, 10**-k)
        return f"1e{k}", given, exact, None
    value = sign * 10.0**exponent
    value = float(f"{value:.6g}")
    return f"{value:.0e}", value, _exact_of(value), math.ulp(value)


def _defined_case(rng: _Random, seed: int, index: int, category: str) -> Case:
    last = None
    for _ in range(6):
        node = rng.tree(rng.r.randint(1, 4 if category == "inside" else 3))
        if not node.has_x() or node.size() > 16:
            continue
        for _ in range(6):
            if category == "inside":
                detail, given, exact, resolution = _inside_point(rng)
            else:
                detail, given, exact, resolution = _scaled_point(rng, category)
            last = Case(seed, index, category, detail, node, node.text(), given, exact,
                        resolution)  # fmt: skip
            if _quick_value(node, exact) is not None:
                return last
    if last is None:
        node = Fn("sin", "sin", (X(),))
        detail, given, exact, resolution = _inside_point(rng)
        last = Case(seed, index, category, detail, node, node.text(), given, exact, resolution)
    return last


_WEIGHTS = (("inside", 0.38), ("edge", 0.17), ("kink", 0.21), ("huge", 0.12), ("tiny", 0.12))


def case(seed: int, index: int) -> Case:
    """Case number ``index`` of the run with ``seed`` (the same on every machine)."""
    rng = _Random(seed, index)
    r = rng.r.random()
    category = _WEIGHTS[-1][0]
    for name, weight in _WEIGHTS:
        if r < weight:
            category = name
            break
        r -= weight
    if category == "edge":
        return _edge_case(rng, seed, index)
    if category == "kink":
        return _kink_case(rng, seed, index)
    return _defined_case(rng, seed, index, category)


@dataclass(frozen=True)
class Written(Node):
    """A function written by hand: its reference ``expression`` (SymPy's own functions, as
    :data:`DEFINITIONS` writes them) and the ``written`` text derivcheck reads."""

    expression: sympy.Expr
    written: str

    def ref(self):
        return self.expression

    def text(self):
        return self.written

    def has_x(self):
        return bool(self.expression.free_symbols)


def given_case(text: str, expression: sympy.Expr, given: Any, label: str = "given") -> Case:
    """A case for one reproduction: ``text`` at ``given`` (int, Fraction or float; a float
    is read as its shortest decimal and has float resolution), against ``expression``.

    >>> c = given_case("relu(3x-1)", DEFINITIONS["relu"](3 * x - 1), 1 / 3)
    >>> c.point, c.resolution
    (3333333333333333/10000000000000000, 5.551115123125783e-17)
    """
    if isinstance(given, float):
        point, resolution = _exact_of(given), math.ulp(given)
    elif isinstance(given, Fraction):
        point, resolution = Rational(given.numerator, given.denominator), None
    else:
        point, resolution = sympy.Integer(given), None
    return Case(0, 0, label, label, Written(expression, text), text, given, point, resolution)


def cases(seed: int, count: int, start: int = 0) -> list[Case]:
    """``count`` cases from ``start``."""
    return [case(seed, i) for i in range(start, start + count)]
