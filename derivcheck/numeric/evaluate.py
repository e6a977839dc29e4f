"""Compile a SymPy expression (one derivcheck built, never raw text) to a NumPy callable.

The compiler walks the tree once and returns nested closures, so no source code
is generated or executed. The callable accepts floats, complex numbers or NumPy
arrays (broadcast together) and returns an array of the broadcast shape;
invalid operations give ``nan``/``inf`` rather than raising. Integers (and bools)
are computed as floats: 100**10 must not wrap around in int64.

>>> import sympy
>>> from derivcheck.numeric.evaluate import compile_expr
>>> x = sympy.Symbol("x", real=True)
>>> f = compile_expr(sympy.sin(sympy.exp(x**2)), [x])
>>> round(float(f(0.5)), 12)
0.959162243538
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy

from derivcheck.calculus.functions import relu, sigmoid
from derivcheck.errors import EvaluationError

__all__ = ["compile_expr", "is_analytic", "logistic", "NON_ANALYTIC", "NUMPY_FUNCTIONS"]

Closure = Callable[[Sequence[Any]], Any]


def _real(z):
    return np.real(z) if np.iscomplexobj(z) else z


def logistic(z: Any) -> np.ndarray:
    """The sigmoid 1/(1 + e^-z), elementwise, for real or complex z.

    1/(1+e^-z) for Re z >= 0 and e^z/(1+e^z) for Re z < 0: no overflow, full relative accuracy
    in both tails (0.5*(1+tanh(z/2)) loses it for z << 0), and analytic for complex z.

    >>> [float(v) for v in logistic([0.0, -800.0])]
    [0.5, 0.0]
    >>> float(logistic(-40.0))      # e^-40/(1 + e^-40), to the last digit
    4.248354255291589e-18
    """
    z = np.asarray(z)
    negative = np.real(z) < 0
    w = np.exp(np.where(negative, z, -z))
    return np.where(negative, w, 1.0) / (1.0 + w)


def _heaviside(z, at_zero=0.5):
    return np.heaviside(_real(z), at_zero)


#: SymPy function -> its NumPy counterpart, one argument (complex-capable where analytic).
NUMPY_FUNCTIONS: dict[type, Callable[[Any], Any]] = {
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.tan: np.tan,
    sympy.sec: lambda z: 1.0 / np.cos(z),
    sympy.csc: lambda z: 1.0 / np.sin(z),
    sympy.cot: lambda z: 1.0 / np.tan(z),
    sympy.asin: np.arcsin,
    sympy.acos: np.arccos,
    sympy.atan: np.arctan,
    sympy.acot: lambda z: np.arctan(1.0 / z),
    sympy.asec: lambda z: np.arccos(1.0 / z),
    sympy.acsc: lambda z: np.arcsin(1.0 / z),
    sympy.sinh: np.sinh,
    sympy.cosh: np.cosh,
    sympy.tanh: np.tanh,
    sympy.asinh: np.arcsinh,
    sympy.acosh: np.arccosh,
    sympy.atanh: np.arctanh,
    sympy.sech: lambda z: 1.0 / np.cosh(z),
    sympy.csch: lambda z: 1.0 / np.sinh(z),
    sympy.coth: lambda z: 1.0 / np.tanh(z),
    sympy.exp: np.exp,
    sympy.Abs: np.abs,
    sympy.sign: lambda z: np.sign(_real(z)),
    sympy.floor: lambda z: np.floor(_real(z)),
    sympy.ceiling: lambda z: np.ceil(_real(z)),
    relu: lambda z: np.maximum(_real(z), 0.0),
    sigmoid: logistic,
}

#: Functions that break the complex-step method (not analytic where they are used).
NON_ANALYTIC = (
    sympy.Abs,
    sympy.sign,
    sympy.floor,
    sympy.ceiling,
    relu,
    sympy.Max,
    sympy.Min,
    sympy.Heaviside,
    sympy.DiracDelta,
    sympy.Piecewise,
)


def is_analytic(expr: sympy.Basic) -> bool:
    """True when ``expr`` uses no abs/relu/max/min/sign/floor/Heaviside: complex step is valid."""
    return not expr.has(*NON_ANALYTIC)


def compile_expr(expr: sympy.Basic, variables: Sequence[sympy.Symbol]) -> Callable[..., Any]:
    """Return ``f(*values)`` computing ``expr`` with NumPy, arguments in the order of ``variables``.

    Raises :class:`EvaluationError` when the expression has a free symbol not in
    ``variables`` or an operation with no NumPy counterpart.
    """
    index = {symbol: i for i, symbol in enumerate(variables)}
    missing = sorted(str(s) for s in expr.free_symbols if s not in index)
    if missing:
        raise EvaluationError(f"no value given for {', '.join(missing)}")
    closure = _compile(expr, index)

    def evaluate(*values: Any) -> Any:
        arrays = [_as_array(v) for v in values]
        with np.errstate(all="ignore"):
            result = closure(arrays)
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        result = np.asarray(result)
        if result.shape != shape:
            result = np.broadcast_to(result, shape).copy()
        return result

    evaluate.expr = expr  # type: ignore[attr-defined]
    evaluate.variables = tuple(variables)  # type: ignore[attr-defined]
    return evaluate


def _as_array(value: Any) -> np.ndarray:
    """``value`` as an array; integers and bools as floats (integer powers would wrap around)."""
    array = np.asarray(value)
    return array.astype(float) if array.dtype.kind in "biu" else array


def _compile(node: sympy.Basic, index: dict[sympy.Symbol, int]) -> Closure:
    if node.is_Symbol:
        i = index[node]
        return lambda args: args[i]
    if node.is_number:  # no free symbols (is_number stops at the first symbol it meets)
        constant: Any = _constant(node)
        return lambda args: constant
    children = [_compile(arg, index) for arg in node.args]
    if node.is_Add:
        return lambda args: _fold(np.add, children, args)
    if node.is_Mul:
        return lambda args: _fold(np.multiply, children, args)
    if node.is_Pow:
        return _compile_pow(node, children)
    func = node.func
    if func in NUMPY_FUNCTIONS:
        op = NUMPY_FUNCTIONS[func]
        (child,) = children
        return lambda args: op(child(args))
    if func is sympy.log:
        if len(children) == 1:
            (child,) = children
            return lambda args: np.log(child(args))
        value, base = children
        return lambda args: np.log(value(args)) / np.log(base(args))
    if func is sympy.Heaviside:
        at_zero = float(node.args[1]) if len(node.args) > 1 else 0.5
        (child, *_) = children
        return lambda args: _heaviside(child(args), at_zero)
    if func is sympy.Max:
        return lambda args: _fold(np.maximum, children, args, real=True)
    if func is sympy.Min:
        return lambda args: _fold(np.minimum, children, args, real=True)
    raise EvaluationError(f"derivcheck cannot evaluate {func.__name__} numerically")


def _constant(node: sympy.Basic) -> Any:
    """A constant as a float (complex when it is not real); beyond float range: ±inf.

    Rationals and floats are converted directly (evalf costs about 100 µs a number, which
    dominates compiling an answer that is evaluated once).
    """
    try:
        if node.is_Rational:
            return node.p / node.q
        if node.is_Float:
            return float(node)
        value = complex(node.evalf(20))
    except OverflowError:
        sign = node.p if node.is_Rational else sympy.sign(node)
        return math.inf if sign > 0 else -math.inf
    return value.real if value.imag == 0 else value


def _fold(op, children: list[Closure], args, real: bool = False):
    result = children[0](args)
    if real:
        result = _real(result)
    for child in children[1:]:
        value = child(args)
        result = op(result, _real(value) if real else value)
    return result


def _compile_pow(node: sympy.Pow, children: list[Closure]) -> Closure:
    base, exponent = children
    power = node.exp
    if power == sympy.S.Half:
        return lambda args: np.sqrt(base(args))
    if power == -sympy.S.Half:
        return lambda args: 1.0 / np.sqrt(base(args))
    if power == -1:
        return lambda args: 1.0 / base(args)
    if power.is_Integer and abs(int(power)) <= 64:
        n = int(power)
        if n > 0:
            return lambda args: base(args) ** n
        return lambda args: 1.0 / base(args) ** (-n)
    if node.base == sympy.E:
        return lambda args: np.exp(exponent(args))

    def general_power(args):
        b = base(args)
        e = exponent(args)
        return np.power(b, e) if (np.iscomplexobj(b) or np.iscomplexobj(e)) else _real_power(b, e)

    return general_power


def _real_power(b, e):
    """b**e for real arrays: nan (not an exception) where the result is not real."""
    b = np.asarray(b, dtype=float)
    e = np.asarray(e, dtype=float)
    return np.power(b, e)
