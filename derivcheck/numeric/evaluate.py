"""Compile a SymPy expression (one derivcheck built, never raw text) to a NumPy callable.

The compiler walks the tree once and returns nested closures, so no source code
is generated or executed. The callable accepts floats, complex numbers or NumPy
arrays (broadcast together) and returns an array of the broadcast shape;
invalid operations give ``nan``/``inf`` rather than raising. Integers (and bools)
are computed as floats: 100**10 must not wrap around in int64.

Every function is read from the catalogue (:mod:`derivcheck.calculus.catalogue`): its
NumPy implementation (``record.numpy_function()``, complex-capable where the record is
``analytic``), its parameters (leaky_relu's slope), its arity (max and min take any number
of arguments) — this module holds no table of its own.

>>> import sympy
>>> from derivcheck.numeric.evaluate import compile_expr
>>> from derivcheck.calculus.functions import leaky_relu
>>> x = sympy.Symbol("x", real=True)
>>> f = compile_expr(sympy.sin(sympy.exp(x**2)), [x])
>>> round(float(f(0.5)), 12)
0.959162243538
>>> float(compile_expr(leaky_relu(x, sympy.Rational(1, 5)) + sympy.Max(x, 1, 2 * x), [x])(-2))
0.6
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy

from derivcheck.calculus.catalogue import FunctionRecord, record_of
from derivcheck.calculus.roots import odd_root
from derivcheck.errors import EvaluationError
from derivcheck.numeric.kernels import logistic

__all__ = [
    "compile_expr",
    "compile_nodes",
    "compile_perturbed",
    "is_analytic",
    "apply_function",
    "logistic",
]

Closure = Callable[[Sequence[Any]], Any]


def _real(z: Any) -> Any:
    return np.real(z) if np.iscomplexobj(z) else z


def is_analytic(expr: sympy.Basic) -> bool:
    """True when every function in ``expr`` is analytic (its record says so): the complex step
    is valid. abs, relu, max, min, sign, floor, Heaviside … are not; neither is a function the
    catalogue does not know (Piecewise, DiracDelta) unless it is computed from a rewrite.

    >>> import sympy
    >>> x = sympy.Symbol("x", real=True)
    >>> is_analytic(sympy.sin(sympy.exp(x**2))), is_analytic(sympy.Abs(x) + x)
    (True, False)
    """
    for node in sympy.preorder_traversal(expr):
        if node.is_Function:  # applied functions, max and min included
            record = record_of(node)
            if record is None:
                form = _rewritten(node)
                if form is None or not is_analytic(form):
                    return False
            elif not record.analytic:
                return False
    return True


#: SymPy functions that SymPy itself may build but the catalogue does not hold (its
#: ``acot``, whose branch differs from derivcheck's arccot) are computed from SymPy's own
#: rewrite of them in terms of these, when that rewrite is real and uses known functions.
_REWRITE_TARGETS = (sympy.atan, sympy.log, sympy.exp)


def _rewritten(node: sympy.Basic) -> sympy.Basic | None:
    """SymPy's real rewrite of a function the catalogue does not know, or None."""
    for target in _REWRITE_TARGETS:
        try:
            form = node.rewrite(target)
        except (TypeError, ValueError, NotImplementedError):  # pragma: no cover - SymPy quirks
            continue
        if form != node and not form.has(sympy.I) and _known(form):
            return form
    return None


def _known(expr: sympy.Basic) -> bool:
    return all(
        record_of(node) is not None for node in sympy.preorder_traversal(expr) if node.is_Function
    )


def _record(node: sympy.Basic) -> FunctionRecord:
    record = record_of(node)
    if record is None:
        raise EvaluationError("numeric.error.cannot_evaluate", name=node.func.__name__)
    return record


def apply_function(node: sympy.Basic, values: Sequence[Any]) -> Any:
    """The catalogue function of ``node`` applied to its arguments' values ``values``.

    Max and min fold their NumPy function over any number of arguments; parameters
    (leaky_relu's slope, Heaviside's value at 0) are passed after the argument. Functions
    that are not analytic see the real part of their arguments. Raises
    :class:`EvaluationError` for a function the catalogue does not know.

    >>> import sympy
    >>> x = sympy.Symbol("x", real=True)
    >>> float(apply_function(sympy.Heaviside(x, 1), [0.0, 1.0]))
    1.0
    """
    if record_of(node) is None and (form := _rewritten(node)) is not None:
        arguments = [sympy.Dummy() for _ in node.args]
        rewritten = form.xreplace(dict(zip(node.args, arguments)))
        return compile_expr(rewritten, arguments)(*values)
    return _operation(node)(list(values))


def _operation(node: sympy.Basic) -> Callable[[list[Any]], Any]:
    """A function of the list of argument values, for the catalogue function of ``node``."""
    record = _record(node)
    function = record.numpy_function()
    prepare = (lambda v: v) if record.analytic else _real
    if any(b.points == "ties" for b in record.breaks):  # max, min: n-ary

        def fold(values: list[Any]) -> Any:
            result = prepare(values[0])
            for value in values[1:]:
                result = function(result, prepare(value))
            return result

        return fold
    if len(node.args) not in record.arity:
        counts = " or ".join(map(str, record.arity))
        raise EvaluationError(
            "numeric.error.arguments", name=record.text, counts=counts, given=len(node.args)
        )
    return lambda values: function(prepare(values[0]), *values[1:])


def compile_expr(expr: sympy.Basic, variables: Sequence[sympy.Symbol]) -> Callable[..., Any]:
    """Return ``f(*values)`` computing ``expr`` with NumPy, arguments in the order of ``variables``.

    Raises :class:`EvaluationError` when the expression has a free symbol not in
    ``variables`` or a function the catalogue does not know.
    """
    index = {symbol: i for i, symbol in enumerate(variables)}
    missing = sorted(str(s) for s in expr.free_symbols if s not in index)
    if missing:
        raise EvaluationError("numeric.error.no_value", names=", ".join(missing))
    return _callable(_compile(expr, index, shared=tuple(index.items())), expr, variables)


def compile_nodes(
    nodes: Sequence[sympy.Basic], expr: sympy.Basic, variables: Sequence[sympy.Symbol]
) -> tuple[Callable[..., Any], ...]:
    """``tuple(compile_expr(node, variables) for node in nodes)`` for ``nodes`` inside
    ``expr``, whose free symbols are looked up once (for ``expr``), not for every node; the
    nodes share the closures of their common subtrees (see :data:`_CLOSURES`).

    >>> import sympy
    >>> x = sympy.Symbol("x", real=True)
    >>> e = sympy.sin(x**2) + x**2
    >>> [float(f(3.0)) for f in compile_nodes([e, x**2], e, [x])]
    [9.412118485241757, 9.0]
    """
    index = {symbol: i for i, symbol in enumerate(variables)}
    if any(s not in index for s in expr.free_symbols):  # the error compile_expr gives
        return tuple(compile_expr(node, variables) for node in nodes)
    shared = tuple(index.items())
    return tuple(_callable(_compile(node, index, shared=shared), node, variables) for node in nodes)


def _callable(closure: Closure, expr: sympy.Basic, variables: Sequence[Any]) -> Callable[..., Any]:
    """``f(*values)`` around the compiled ``closure`` of ``expr`` (see :func:`compile_expr`)."""

    @np.errstate(all="ignore")  # as a decorator: cheaper per call than a with block
    def evaluate(*values: Any) -> Any:
        arrays = [_as_array(v) for v in values]
        result = closure(arrays)
        if len(arrays) == 1:
            shape = arrays[0].shape
        else:
            shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        result = np.asarray(result)
        if result.shape != shape:
            result = np.broadcast_to(result, shape).copy()
        return result

    evaluate.expr = expr  # type: ignore[attr-defined]
    evaluate.variables = tuple(variables)  # type: ignore[attr-defined]
    return evaluate


#: The relative size of the perturbations of :func:`compile_perturbed`: one unit in the last
#: place (rounding to nearest errs by half of it; library functions by up to about one).
PERTURBATION = float(np.finfo(float).eps)


def compile_perturbed(expr: sympy.Basic, variables: Sequence[sympy.Symbol]) -> Callable[..., Any]:
    """Like :func:`compile_expr`, but every operation's result (and every constant that is not
    an integer) is multiplied by ``1 + PERTURBATION·r``, r uniform in [-1, 1] and different
    for each value (independently for the real and imaginary parts): ``g(*values)``. The r
    come from one fixed pseudo-random table, read in order from its start at every call, so
    the same call gives the same values (results stay reproducible). ``g(*values,
    exact=k)`` leaves the first k points (of one-dimensional arguments) unperturbed, so that
    f and its perturbed copies come from one call.

    Evaluating f this way several times shows how much rounding inside f can move its value
    (Monte Carlo arithmetic): 1 - sin(x)² near π/2 and arcsin near 1 show their cancellation,
    which evaluations at neighbouring points cannot see when the rounded intermediate values
    do not change between them.

    >>> import numpy as np, sympy
    >>> x = sympy.Symbol("x", real=True)
    >>> g = compile_perturbed(1 - sympy.cos(x), [x])
    >>> spread = np.ptp(g(np.full(8, 1e-7)))
    >>> bool(1e-19 < spread < 1e-15)      # 1 - cos(1e-7) = 5e-15, known to ~1e-16 only
    True
    """
    index = {symbol: i for i, symbol in enumerate(variables)}
    missing = sorted(str(s) for s in expr.free_symbols if s not in index)
    if missing:
        raise EvaluationError("numeric.error.no_value", names=", ".join(missing))
    slots = itertools.count()
    closure = _compile(expr, index, lambda: _jitter(next(slots)))
    count = next(slots)

    @np.errstate(all="ignore")
    def evaluate(*values: Any, exact: int = 0) -> Any:
        arrays = [_as_array(v) for v in values]
        if len(arrays) == 1:
            shape = arrays[0].shape
        else:
            shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        result = np.asarray(closure([*arrays, _factors(count, shape, exact)]))
        if result.shape == shape and not any(result is a for a in arrays):
            return result  # a new array of the right shape: no copy needed
        return np.broadcast_to(result, shape).copy()

    return evaluate


_TABLE: list[np.ndarray] = []  # the pseudo-random factors, made when first needed

#: Factor blocks already made, by (count, shape, exact): the same block every time, so they
#: are made once (read-only arrays; a bounded dict, and only blocks of at most
#: _CACHED_FACTORS values are kept).
_BLOCKS: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
_CACHED_BLOCKS = 32
_CACHED_FACTORS = 1 << 13


def _factors(count: int, shape: tuple[int, ...], exact: int) -> tuple[np.ndarray, ...]:
    """Factors 1 + PERTURBATION·r for ``count`` perturbed values of ``shape``, always the
    same; the first ``exact`` points get 1. Three views of one block: ``real[slot]``, the
    factors of a real value (or of the real part of a complex one); ``both[slot]``, a complex
    array whose real and imaginary parts are the factors of a complex value's real and
    imaginary parts; and ``pairs[slot]``, the same as floats (real, imaginary, real, ...), so
    that one multiplication of a complex value seen as floats perturbs both parts.
    """
    key = (count, shape, exact)
    found = _BLOCKS.get(key)
    if found is not None:
        return found
    if not _TABLE:
        _TABLE.append(1.0 + PERTURBATION * np.random.default_rng(20).uniform(-1, 1, 1 << 16))
    table = _TABLE[0]
    points = math.prod(shape)
    size = 2 * count * points
    block = table[:size] if size <= table.size else np.resize(table, size)
    block = block.reshape(count, 2, points)
    if exact:
        block = block.copy()
        block[:, :, :exact] = 1.0
    both = np.empty((count, points), dtype=complex)
    both.real, both.imag = block[:, 0], block[:, 1]
    both = both.reshape(count, *shape)
    pairs = [both[slot].view(_FLOAT) for slot in range(count)] if shape else []
    found = (both.real, both, pairs)
    for array in (both.real, both, *pairs):
        array.flags.writeable = False
    if size <= _CACHED_FACTORS:
        if len(_BLOCKS) >= _CACHED_BLOCKS:
            _BLOCKS.pop(next(iter(_BLOCKS)))
        _BLOCKS[key] = found
    return found


_FLOAT, _COMPLEX = np.dtype(np.float64), np.dtype(np.complex128)


def _jitter(slot: int) -> Callable[[Any, Sequence[Any]], Any]:
    """What perturbed value number ``slot`` does: times its factors (see
    :func:`compile_perturbed` and :func:`_factors`)."""

    def jitter(value: Any, args: Sequence[Any]) -> Any:
        real, both, pairs = args[-1]
        if (
            type(value) is np.ndarray
            and value.dtype == _COMPLEX
            and value.shape == both.shape[1:]
            and value.ndim
            and value.flags.c_contiguous
        ):  # real and imaginary parts, each times its own factor, in one multiplication
            return (value.view(_FLOAT) * pairs[slot]).view(_COMPLEX)
        if np.iscomplexobj(value):
            return value.real * real[slot] + 1j * (value.imag * both[slot].imag)
        return value * real[slot]

    return jitter


def _as_array(value: Any) -> np.ndarray:
    """``value`` as an array; integers and bools as floats (integer powers would wrap around)."""
    array = np.asarray(value)
    return array.astype(float) if array.dtype.kind in "biu" else array


#: Closures of subexpressions compiled before (without perturbations), by (variables,
#: subexpression): compiled expressions share most of their subtrees (the candidate
#: derivatives of an exercise, an expression and its intermediate values, one formula at
#: many points), and a closure keeps no state, so sharing one computes what a new one
#: would. A bounded dict: when full, the oldest entry goes.
_CLOSURES: dict[tuple, Closure] = {}
_CLOSURES_KEPT = 8192


def _compile(
    node: sympy.Basic,
    index: dict[sympy.Symbol, int],
    jitter=None,
    shared: tuple | None = None,
) -> Closure:
    """The closure computing ``node``; with ``jitter`` (a maker of perturbations, see
    :func:`compile_perturbed`) every value but the variables, integer constants and the
    values of functions whose values floats hold exactly (floor, sign: the catalogue's
    ``exact_values``) is perturbed, each by its own factors: floor(x) + 1 at -0.75 is 0
    exactly, not a cancellation (differential case 2026:37600). Without ``jitter``,
    ``shared`` (the variables with their positions) names the closures of :data:`_CLOSURES`
    that may be reused."""
    if shared is not None and jitter is None:
        key = (shared, node)
        found = _CLOSURES.get(key)
        if found is None:
            found = _compile_node(node, index, jitter, shared)
            if len(_CLOSURES) >= _CLOSURES_KEPT:
                try:
                    del _CLOSURES[next(iter(_CLOSURES))]
                except (RuntimeError, StopIteration, KeyError):  # changed by another thread
                    pass
            _CLOSURES[key] = found
        return found
    closure = _compile_node(node, index, jitter)
    if jitter is None or node.is_Symbol or node.is_Integer:
        return closure
    record = record_of(node) if isinstance(node, sympy.Function) else None
    if record is not None and record.exact_values:
        return closure
    perturb = jitter()  # a new slot for this value
    return lambda args: perturb(closure(args), args)


def _compile_node(
    node: sympy.Basic, index: dict[sympy.Symbol, int], jitter, shared: tuple | None = None
) -> Closure:
    if node.is_Symbol:
        i = index[node]
        return lambda args: args[i]
    if node.is_number:  # no free symbols (is_number stops at the first symbol it meets)
        constant: Any = _constant(node)
        return lambda args: constant
    children = [_compile(arg, index, jitter, shared) for arg in node.args]
    if node.is_Add:
        return lambda args: _fold(np.add, children, args)
    if node.is_Mul:
        return lambda args: _fold(np.multiply, children, args)
    if node.is_Pow:
        return _compile_pow(node, children)
    if record_of(node) is None and (form := _rewritten(node)) is not None:
        return _compile(form, index, jitter, shared)
    operation = _operation(node)
    if len(children) == 1:
        (child,) = children
        record = _record(node)
        if record.analytic and not any(b.points == "ties" for b in record.breaks):
            function = record.numpy_function()  # what operation calls, without the list
            return lambda args: function(child(args))
        return lambda args: operation([child(args)])
    return lambda args: operation([child(args) for child in children])


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


def _fold(op, children: list[Closure], args):
    result = children[0](args)
    for child in children[1:]:
        result = op(result, child(args))
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
    if odd_root(power):  # the real odd root (see derivcheck.calculus.roots)
        return _odd_root(base, int(power.p), exponent)

    def general_power(args):
        b = base(args)
        e = exponent(args)
        return np.power(b, e) if (np.iscomplexobj(b) or np.iscomplexobj(e)) else _real_power(b, e)

    return general_power


def _odd_root(base: Closure, p: int, power: Closure) -> Closure:
    """u^(p/q), q odd: the real root for u < 0, written (−1)^p·(−u)^(p/q) there so that it
    stays analytic for complex arguments near the negative axis (the complex step).

    The exponent is a closure like any other value, so that a perturbed compilation
    perturbs it too: p/q rounded to a float moves u^(p/q) by |ln u|·ulp, 5.6e-14 of
    x^(10/9) at 5.7e-240, which the error estimate must see."""
    sign = -1.0 if p % 2 else 1.0

    def odd_power(args):
        b = base(args)
        exponent = power(args)
        if np.iscomplexobj(b):
            negative = np.real(b) < 0
            with np.errstate(all="ignore"):
                return np.where(negative, sign * np.power(-b, exponent), np.power(b, exponent))
        b = np.asarray(b, dtype=float)
        size = np.power(np.abs(b), exponent)
        return np.sign(b) * size if p % 2 else size

    return odd_power


def _real_power(b, e):
    """b**e for real arrays: nan (not an exception) where the result is not real."""
    b = np.asarray(b, dtype=float)
    e = np.asarray(e, dtype=float)
    return np.power(b, e)
