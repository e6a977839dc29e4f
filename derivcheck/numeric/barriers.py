"""Where a compiled expression may not be smooth: kinks, jumps, poles and domain edges.

Everything here is read from :mod:`derivcheck.calculus.domain` — ``break_sites`` (relu,
abs, max, floor …) and ``restrictions`` (ln, √, 1/u, tan …): each becomes a
:class:`KinkSource`, an indicator that changes exactly where the piece changes. The
:class:`Analysis` of an expression (those sources, whether it is analytic, its compiled
intermediate values) is computed once and kept in :data:`ANALYSES`, an explicit bounded
cache. :func:`find_rooms` says how far a stencil may reach from a point; :func:`kink_locations`
finds the kinks in an interval.

>>> import sympy
>>> from derivcheck.numeric.evaluate import compile_expr
>>> x = sympy.Symbol("x", real=True)
>>> analysis = analysis_of(Line(compile_expr(abs(x - 1) + sympy.log(x), [x])))
>>> [s.text for s in analysis.kinks], [s.text for s in analysis.singular]
(['x - 1'], ['x'])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
import sympy

from derivcheck.calculus.domain import break_sites, restrictions
from derivcheck.numeric.evaluate import (
    apply_function,
    compile_expr,
    compile_nodes,
    compile_perturbed,
    is_analytic,
)
from derivcheck.numeric.line import Line, line_arguments


@dataclass(frozen=True)
class KinkSource:
    """One place where a compiled expression may change piece: a kink, jump, pole or edge.

    ``kind`` "sign": the piece is the sign of ``evaluators[0]`` (relu, abs, sign, Heaviside,
    hardtanh at its break points; a pole or a domain edge); "integers": the piece is the floor
    of ``evaluators[0]`` (floor, ceil); "ties": the piece is which argument ``node`` (a max or
    min of the compiled ``evaluators``) selects. ``text`` is the expression that is 0 there,
    written out by ``describe`` when first asked for (only messages show it, and printing
    every barrier of every expression analysed was a quarter of the time of an analysis).
    """

    kind: str
    describe: Callable[[], str] = field(repr=False, compare=False)
    evaluators: tuple  # compiled arguments
    node: sympy.Basic | None = None  # "ties": the max/min itself

    @cached_property
    def text(self) -> str:
        return self.describe()

    def values(self, args: list[Any]) -> list[np.ndarray]:
        return [np.asarray(e(*args), dtype=float) for e in self.evaluators]

    def indicator(self, args: list[Any]) -> np.ndarray:
        """A number per point that changes exactly where the piece changes; nan on a kink."""
        values = self.values(args)
        if self.kind == "sign":
            sign = np.sign(values[0])
            return np.where(sign == 0, np.nan, sign)
        if self.kind == "integers":
            g = values[0]
            piece = np.floor(g)
            return np.where(g == piece, np.nan, piece)
        stacked = np.stack(np.broadcast_arrays(*values))
        selected = apply_function(self.node, list(stacked)) if len(values) > 1 else stacked[0]
        chosen = stacked == selected
        tie = np.sum(chosen, axis=0) > 1
        return np.where(tie, np.nan, np.argmax(chosen, axis=0).astype(float))

    def on_kink(self, args: list[Any]) -> bool:
        """True when the point sits exactly on this kink."""
        values = self.values(args)
        finite = all(np.all(np.isfinite(v)) for v in values)
        return finite and bool(np.all(np.isnan(self.indicator(args))))


@dataclass(frozen=True)
class Analysis:
    """What the SymPy tree tells: analytic or not, where kinks and singularities can be, and
    the compiled intermediate values (for rounding floors, see magnitudes)."""

    analytic: bool
    kinks: tuple[KinkSource, ...]  # from calculus.domain.break_sites
    singular: tuple[KinkSource, ...]  # poles and domain edges, from calculus.domain.restrictions
    intermediates: tuple = ()
    expr: sympy.Basic | None = field(default=None, compare=False)
    variables: tuple = field(default=(), compare=False)

    @cached_property
    def perturbed(self):
        """f with every operation perturbed by an ulp (compiled when first asked for), see
        :func:`derivcheck.numeric.evaluate.compile_perturbed`."""
        return compile_perturbed(self.expr, self.variables)

    @property
    def barriers(self) -> tuple[KinkSource, ...]:
        """Everything a stencil must not straddle."""
        return self.kinks + self.singular


class AnalysisCache:
    """The analyses of compiled expressions, kept explicitly: a bounded dict.

    Keyed by (expression, variables); the value is an immutable :class:`Analysis` (compiled
    closures of the kink arguments, barriers and intermediate values), computed once per
    expression. When full, the oldest entry goes. A process started by fork inherits the
    entries, which stay valid (they hold no state that changes). ``clear()`` empties it.
    """

    def __init__(self, size: int = 256):
        self.size = size
        self._entries: dict[tuple, Analysis] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, expr: sympy.Basic, variables: tuple) -> Analysis:
        key = (expr, variables)
        found = self._entries.get(key)
        if found is None:
            found = analyse(expr, variables)
            if len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = found
        return found

    def clear(self) -> None:
        self._entries.clear()


#: The one cache of expression analyses of the numeric engine: room for a batch of a few
#: hundred functions each checked several ways (256 analysed 400 functions checked by 7
#: methods 1,664 times over).
ANALYSES = AnalysisCache(1024)


def analyse(expr: sympy.Basic, variables: tuple) -> Analysis:
    """Kinks from :func:`~derivcheck.calculus.domain.break_sites`, poles and domain edges from
    :func:`~derivcheck.calculus.domain.restrictions` (their ``barriers()``)."""
    seen: set = set()

    def source(kind: str, expression: sympy.Expr, describe, arguments=None, node=None):
        key = (kind, expression if arguments is None else tuple(arguments))
        if key in seen or not expression.free_symbols:
            return None
        seen.add(key)
        compiled = tuple(compile_expr(a, variables) for a in (arguments or (expression,)))
        return KinkSource(kind, describe, compiled, node)

    kinks = []
    for site in break_sites(expr):
        if site.brk.points == "ties":
            args = site.arguments
            kinks.append(source("ties", site.argument, partial(_tie_text, site), args, site.node))
        elif site.brk.points == "integers":
            argument = site.argument
            kinks.append(source("integers", argument, partial(_integers_text, argument)))
        else:
            kinks.extend(source("sign", b, partial(str, b)) for b in site.barriers())
    singular = [
        source("sign", b, partial(str, b))
        for restriction in restrictions(expr)
        for b in restriction.barriers()
    ]
    # a fractional power of u is not smooth at u = 0 even where it is real on both sides
    # (an odd root): x^(2/3) at 1e-140 varies on the scale 1e-140, and Richardson from
    # h = 0.1 saw a flat, symmetric function, "0 ± 2.1e-9" (differential case 2026:12555)
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow and node.exp.is_Rational and not node.exp.is_Integer:
            base = node.base.args[0] if isinstance(node.base, sympy.Abs) else node.base
            singular.append(source("sign", base, partial(str, base)))
    nodes = dict.fromkeys(node for node in sympy.preorder_traversal(expr) if node.args)
    return Analysis(
        is_analytic(expr),
        tuple(k for k in kinks if k is not None),
        tuple(s for s in singular if s is not None),
        compile_nodes(tuple(nodes), expr, variables),
        expr,
        tuple(variables),
    )


def _tie_text(site) -> str:
    """A max/min's kink as text: "(a) - (b)" for two arguments, else the max/min itself."""
    args = site.arguments
    return " - ".join(f"({a})" for a in args) if len(args) == 2 else str(site.node)


def _integers_text(argument: sympy.Expr) -> str:
    """Where floor or ceil of ``argument`` jumps, as text."""
    return f"{argument} - round({argument})"


def analysis_of(line: Line) -> Analysis | None:
    if not line.compiled:
        return None
    return ANALYSES.get(line.expr, line.variables)


#: How many times f is evaluated with perturbed operations (see :func:`perturbed_values`).
PERTURBED_SAMPLES = 6


def perturbed_values(line: Line, zs: Any, samples: int = PERTURBED_SAMPLES) -> np.ndarray | None:
    """f at the points ``zs`` (real or complex), ``samples`` times, with every operation
    perturbed by an ulp (:func:`~derivcheck.numeric.evaluate.compile_perturbed`): an array of
    shape (samples, *zs.shape); None for a black box, whose operations are out of reach.

    The perturbations are the same at every call (a fixed table), so results are
    reproducible.
    """
    analysis = analysis_of(line)
    if analysis is None:
        return None
    zs = np.asarray(zs)
    repeated = np.broadcast_to(zs, (samples, *zs.shape))
    line.evaluations += repeated.size
    with np.errstate(all="ignore"):
        return np.asarray(analysis.perturbed(*line_arguments(line, repeated)))


def perturbed_noise(line: Line, ts: np.ndarray) -> np.ndarray:
    """How far rounding inside a compiled f can move its values at ``ts``: the largest change
    of f under perturbed operations (0 for a black box). Fourth differences of neighbouring
    values miss what does not change between neighbours: arccos of erf(-6.3), which rounds
    to -1 at every point nearby. Perturbed values that are not finite (a perturbation that
    leaves the domain: arccos of -1 - eps) are left out.
    """
    ts = np.asarray(ts, dtype=float)
    values = perturbed_values(line, ts)
    if values is None:
        return np.zeros(ts.shape)
    plain = line.real(ts)
    line.evaluations -= ts.size  # counted among the perturbed ones
    changes = np.abs(np.real(values) - plain[None, ...])
    return np.max(np.where(np.isfinite(changes), changes, 0.0), axis=0)


def magnitudes(line: Line, ts: np.ndarray) -> np.ndarray:
    """Largest |intermediate value| of a compiled expression at each point (0 for a black box).

    log(cosh(x)) near 0 is small but computed from cosh(x) ~ 1, so its rounding errors are
    those of numbers near 1: a rounding floor based on |f| alone would be too optimistic.
    """
    ts = np.asarray(ts, dtype=float)
    if not line.compiled:
        return np.zeros(ts.shape)
    args = line_arguments(line, ts)
    biggest = np.zeros(ts.shape)
    for evaluator in analysis_of(line).intermediates:
        size = np.abs(np.asarray(evaluator(*args)))
        biggest = np.fmax(biggest, np.where(np.isfinite(size), size, 0.0))
    return biggest


@dataclass(frozen=True)
class Rooms:
    """How far a stencil may reach from t0.

    ``left``/``right``: distance to the next kink on each side (a stencil must not cross one,
    but may be large on the far side of it); ``singular``: distance to the nearest pole or
    domain edge on either side (f varies on that scale, so every step stays below it);
    ``on``: the kinks t0 sits on exactly.
    """

    left: float
    right: float
    singular: float
    on: list

    def limit(self, step: float, direction: int = 0) -> float:
        """The largest usable initial step not above ``step`` for a stencil in ``direction``."""
        kink = {0: min(self.left, self.right), 1: self.right, -1: self.left}[direction]
        return min(step, kink, 0.5 * self.singular)


def find_rooms(line: Line, analysis: Analysis, t0: float, radius: float) -> Rooms:
    """Kinks and singularities around t0, up to ``radius``.

    Looks at a geometric grid (radius, radius/2, ..., down to radius·2^-52 or to 4 ulps of
    t0 when those are smaller: ln at 1e-300 has its domain edge 1e-300 away) and a uniform
    grid of 64 points on each side.
    """
    finest = 4.0 * float(np.spacing(abs(t0)))
    halvings = max(53, math.ceil(math.log2(radius) - math.log2(finest)) + 1)
    geometric = radius * 2.0 ** -np.arange(min(halvings, 1100), dtype=float)
    geometric = geometric[geometric > 0]
    uniform = radius * np.arange(1, 65) / 64.0
    offsets = np.unique(np.concatenate([geometric, uniform]))  # ascending
    ts = np.concatenate([t0 - offsets, t0 + offsets])
    args = line_arguments(line, ts)
    n = offsets.size
    left = right = radius
    singular = math.inf  # none within the radius
    for source in analysis.barriers:
        indicator = source.indicator(args)
        room_left = _room_on_side(offsets, indicator[:n])
        room_right = _room_on_side(offsets, indicator[n:])
        if source in analysis.kinks:
            left, right = min(left, room_left), min(right, room_right)
        elif min(room_left, room_right) < radius:
            singular = min(singular, room_left, room_right)
    here = line_arguments(line, np.asarray(t0))
    on = [source for source in analysis.kinks if source.on_kink(here)]
    return Rooms(left, right, singular, on)


def _room_on_side(offsets: np.ndarray, values: np.ndarray) -> float:
    """Largest offset before the piece changes (leading kink values, nan, are skipped)."""
    known = np.nonzero(~np.isnan(values))[0]
    if known.size == 0:
        return float(offsets[-1])
    first = known[0]
    changed = np.nonzero(values[first:] != values[first])[0]
    if changed.size == 0:
        return float(offsets[-1])
    return float(offsets[first + changed[0] - 1])


def kink_locations(line: Line, analysis: Analysis, a: float, b: float, n: int) -> list[float]:
    """Kinks and singularities in [a, b]: grid points on one, and changes refined by bisection."""
    grid = np.linspace(a, b, n)
    found: list[float] = []
    for source in analysis.barriers:
        indicator = source.indicator(line_arguments(line, grid))
        found.extend(float(v) for v in grid[np.isnan(indicator)])
        left, right = indicator[:-1], indicator[1:]
        changes = np.nonzero(~np.isnan(left) & ~np.isnan(right) & (left != right))[0]
        if changes.size == 0:
            continue
        lo, hi = grid[changes].copy(), grid[changes + 1].copy()
        lo_value = indicator[changes]
        for _ in range(64):
            mid = 0.5 * (lo + hi)
            value = source.indicator(line_arguments(line, mid))
            exact = np.isnan(value)
            same = value == lo_value
            lo = np.where(same | exact, mid, lo)
            hi = np.where(same | exact, hi, mid)
            hi = np.where(exact, mid, hi)
        found.extend(float(v) for v in 0.5 * (lo + hi))
    return found
