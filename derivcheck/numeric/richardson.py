"""Ridders' method: central or one-sided differences at a geometric sequence of steps,
extrapolated to h = 0 in a Neville tableau, with steps that respect kinks and poles of a
compiled expression, one-sided derivatives and limits, and infinite derivatives.

>>> import numpy as np
>>> from derivcheck.numeric.line import Line
>>> round(richardson_derivative(Line(np.exp), 0.0, None, kink_aware=False).estimate, 12)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from derivcheck.messages import Message
from derivcheck.numeric.barriers import (
    KinkSource,
    analysis_of,
    find_rooms,
    magnitudes,
    perturbed_noise,
)
from derivcheck.numeric.budget import (
    EPS,
    ROUNDING_ULPS,
    VERDICT_MULTIPLE,
    rounding_floor,
)
from derivcheck.numeric.line import Line, point_text, value_at_point
from derivcheck.numeric.problems import problem_result
from derivcheck.numeric.results import NEAR_EDGE, NEAR_KINK, NumericResult


def slopes_agree(left: NumericResult, right: NumericResult) -> bool:
    difference = abs(left.estimate - right.estimate)
    budget = VERDICT_MULTIPLE * (left.error_estimate + right.error_estimate)
    budget += 1e-8 * max(abs(left.estimate), abs(right.estimate), 1.0)
    return difference <= budget


RATIO = 2.0

ROWS = 36

MAX_COLUMNS = 6

RICHARDSON_SCALE = 0.2  # h0 = 0.2 * max(1, |x0|), not a power of 2 (see central_derivative)

DIVERGING_ROWS = 8  # quotient changes that must all grow for "the derivative is infinite"
RESOLVED_WINDOW = 6  # rows over which the quotients must be seen to converge

#: The two sides of x0 (direction -1, +1) as words.
SIDES = {-1: Message("numeric.side.left"), 1: Message("numeric.side.right")}
_WHAT = {0: "numeric.what.derivative", -1: "numeric.what.left", 1: "numeric.what.right"}


def resolved_rows(quotients: np.ndarray, noise: np.ndarray, power: int) -> np.ndarray:
    """Rows (axis 0) from which the difference quotients converge, as a tableau needs them to.

    Row k is resolved when the changes |D_j - D_(j+1)| of the next RESOLVED_WINDOW rows stay
    below 4·|D_k - D_(k+1)| shrinking by 2^(power/2) a row (half the rate of a convergent
    tableau, which shrinks them by 2^power), or below 4 times their rounding noise. Where the
    steps are large next to the scale on which f varies (sin at x0 = 1e10 with steps from
    2e9), the quotients are tiny and wander: a Neville tableau of them agrees with itself to
    a small error estimate about a wrong value, unless such rows are left out.
    """
    changes = np.abs(np.diff(quotients, axis=0))
    changes = np.where(np.isfinite(changes), changes, np.inf)
    tolerance = 4.0 * (noise[:-1] + noise[1:])
    rate = 2.0 ** (power / 2.0)
    rows = changes.shape[0]
    resolved = np.ones(quotients.shape, dtype=bool)
    resolved[:-1] &= np.isfinite(changes)
    for offset in range(min(RESOLVED_WINDOW, rows)):  # row k against row k + offset
        later = changes[offset:]
        bound = 4.0 * changes[: rows - offset] * rate**-offset + tolerance[offset:]
        resolved[: rows - offset] &= later <= bound
    resolved[-1] = resolved[-2] if rows else True
    return resolved


def reference_quotient(quotients: np.ndarray, noise: np.ndarray, resolved: np.ndarray):
    """The plain difference quotient that every chosen entry must agree with, and its error
    bound |D_k - D_(k+1)| + 2·noise (nan, inf where no row is resolved): the row with the
    smallest bound in the last run of resolved rows, the one next to the smallest steps. A
    tableau entry far from it is a coincidence of coarse rows (see :func:`resolved_rows`;
    sin at 1e10 has runs of rows from 2e9 down that converge to -5e-9), whatever its own
    error estimate says.
    """
    changes = np.full(quotients.shape, np.inf)
    changes[:-1] = np.abs(np.diff(quotients, axis=0))
    # the last run: resolved rows with no unresolved row between them and the last resolved one
    later = np.flip(np.cumsum(np.flip(resolved, axis=0), axis=0), axis=0) > 0
    broken = np.flip(np.cumsum(np.flip(~resolved & later, axis=0), axis=0), axis=0)
    last_run = resolved & (broken == 0)
    bound = np.where(last_run & np.isfinite(changes), changes + 2.0 * noise, np.inf)
    row = np.argmin(bound, axis=0)
    columns = np.arange(quotients.shape[1])
    error = bound[row, columns]
    value = np.where(np.isfinite(error), quotients[row, columns], np.nan)
    return value, error


def extrapolate(
    quotients: np.ndarray,
    steps: np.ndarray,
    noise: np.ndarray,
    powers,
    resolved=None,
    reference=None,
):
    """Ridders' Neville tableau for difference quotients D(h0), D(h0/2), ... (axis 0).

    ``quotients``, ``steps`` and ``noise`` (rounding error of each quotient) have shape (rows, m):
    m points are extrapolated at once. The error of D(h) is a series in h^p, h^(p+q), ... with
    ``powers = (p, q)``. Each tableau entry's error estimate is the largest of its differences
    with its two parents and with the same extrapolation one row further (four values must agree,
    so agreement by coincidence at steps too large is unlikely), plus its propagated rounding
    error. Entries that are not finite are never chosen, nor (with ``resolved``, see
    :func:`resolved_rows`) entries whose coarsest row is not resolved, nor (with
    ``reference``, see :func:`reference_quotient`) entries that disagree with the reference
    quotient beyond both error bounds. Returns (best, error, step) arrays of shape (m,).
    """
    first_power, power_step = powers
    rows = quotients.shape[0]
    candidates = [quotients]
    errors = []
    previous, previous_noise = quotients, noise
    factor = RATIO**first_power
    for column in range(1, min(MAX_COLUMNS, rows - 1) + 1):
        current = np.full_like(quotients, np.nan)
        current_noise = np.full_like(quotients, np.nan)
        # (factor·D(h/2) - D(h)) / (factor - 1), written so that values near the largest
        # float (exp(709)) do not overflow in factor·D(h/2).
        current[1:] = previous[1:] + (previous[1:] - previous[:-1]) / (factor - 1.0)
        current_noise[1:] = previous_noise[1:] + (previous_noise[1:] + previous_noise[:-1]) / (
            factor - 1.0
        )
        parents = np.full_like(quotients, np.inf)
        parents[1:] = np.maximum(
            np.abs(current[1:] - previous[1:]), np.abs(current[1:] - previous[:-1])
        )
        following = np.full_like(quotients, np.inf)
        following[:-1] = np.abs(current[1:] - current[:-1])
        error = np.maximum(parents, following) + current_noise
        if resolved is not None:  # the entry of row i uses rows i - column .. i
            coarsest = np.zeros_like(resolved)
            coarsest[column:] = resolved[:-column]
            error = np.where(coarsest, error, np.inf)
        if reference is not None:
            value, bound = reference
            apart = np.abs(current - value) > VERDICT_MULTIPLE * (error + bound)
            error = np.where(apart & np.isfinite(bound), np.inf, error)
        errors.append(np.where(np.isfinite(error), error, np.inf))
        candidates.append(current)
        previous, previous_noise = current, current_noise
        factor *= RATIO**power_step
    if not errors:  # a single row: nothing to extrapolate, no error estimate
        return quotients[0], np.full(quotients.shape[1], np.inf), steps[0]
    stacked = np.stack(candidates[1:])  # (columns, rows, m)
    stacked_errors = np.stack(errors)
    flat_errors = stacked_errors.reshape(-1, quotients.shape[1])
    choice = np.argmin(flat_errors, axis=0)
    columns = np.arange(quotients.shape[1])
    best = stacked.reshape(-1, quotients.shape[1])[choice, columns]
    best_error = flat_errors[choice, columns]
    step = steps[choice % rows, columns]
    best_error = best_error + 2.0 * EPS * np.abs(best)
    best = np.where(np.isfinite(best_error), best, np.nan)
    return best, best_error, step


def ridders_many(line: Line, xs: np.ndarray, h0: np.ndarray, direction: int = 0):
    """Ridders' method at many points at once (each with its own initial step h0).

    ``direction`` 0: central differences (f(x+h) - f(x-h)) / 2h, errors in h^2, h^4, ...
    ``direction`` +1 / -1: secants between consecutive points x0 ± h_k and x0 ± h_k/2 on one
    side, errors in h, h^2, ... (f(x0) is not used, so a jump at x0 does not spoil them); the
    values f(x0 ± h_k) are extrapolated too, to the one-sided limit of f.
    Returns a dict of arrays of shape (m,): ``best``, ``error``, ``step``, ``first_finite`` (the
    first tableau row with finite values), ``diverging`` (see diverging), ``last_step`` and
    ``last_quotient`` (the smallest step and its quotient), and for one side ``limit`` and
    ``limit_error``.
    """
    hs = h0[None, :] * RATIO ** -np.arange(ROWS, dtype=float)[:, None]
    hs = np.where(hs > 0, hs, np.nan)
    magnitude = magnitudes(line, xs)
    perturbed = perturbed_noise(line, xs)
    measured = np.maximum(measured_noise(line, xs, h0, direction), perturbed)
    out: dict[str, np.ndarray] = {}
    if direction == 0:
        plus_points, minus_points = xs[None, :] + hs, xs[None, :] - hs
        values = line.real(np.concatenate([plus_points.ravel(), minus_points.ravel()]))
        plus = values[: hs.size].reshape(hs.shape)
        minus = values[hs.size :].reshape(hs.shape)
        quotients = (plus - minus) / (plus_points - minus_points)
        scale = np.maximum(np.abs(plus), np.abs(minus))
        widths = hs
        powers = (2, 2)
    else:
        points = xs[None, :] + direction * hs
        moved = line.real(points.ravel()).reshape(hs.shape)
        quotients = (moved[:-1] - moved[1:]) / (points[:-1] - points[1:])
        scale = np.maximum(np.abs(moved[:-1]), np.abs(moved[1:]))
        limit_noise = ROUNDING_ULPS * line.eps * np.maximum(np.abs(moved), magnitude[None, :])
        limit_noise = limit_noise + measured[None, :]
        finite_values = np.where(np.isfinite(moved), moved, np.nan)
        limit, limit_error, _ = extrapolate(finite_values, hs, limit_noise, (1, 1))
        nearest, nearest_step, nearest_noise = moved[-1], hs[-1], limit_noise[-1]
        widths = hs[:-1] - hs[1:]
        hs = hs[:-1]
        powers = (1, 1)
    finite = np.isfinite(quotients)
    quotients = np.where(finite, quotients, np.nan)
    slope = np.where(finite, np.abs(quotients), 0.0)
    size = np.max(np.where(np.isfinite(scale), scale, 0.0), axis=0)  # of f itself
    scale = np.maximum(scale, magnitude[None, :])
    floor = rounding_floor(line.eps, scale, xs[None, :], slope, widths)
    noise = floor + measured[None, :] / widths
    resolved = resolved_rows(quotients, noise, powers[0])
    reference = reference_quotient(quotients, noise, resolved)
    out["best"], out["error"], out["step"] = extrapolate(
        quotients, hs, noise, powers, resolved, reference
    )
    out["unresolved"] = ~np.isfinite(out["best"]) & np.any(np.isfinite(quotients[1:]), axis=0)
    out["first_finite"] = np.argmax(finite, axis=0)
    if direction != 0:
        # The limit lies within |slope|·h of f at the smallest step h. Ridders' choice can
        # settle on coarse rows where f is tiny next to f(x0) (exp left of x = 700, steps from
        # 140 down): then f at the smallest step is the limit, and no false jump follows.
        reach = np.abs(out["best"]) * nearest_step + nearest_noise
        off = np.abs(limit - nearest) > VERDICT_MULTIPLE * (limit_error + reach)
        out["limit"] = np.where(off, nearest, limit)
        out["limit_error"] = np.where(off, reach, limit_error)
    out["diverging"] = diverging(quotients, floor)
    # f lost to rounding: perturbing its operations by an ulp moves it by a tenth of its size
    # (sin of e^100, whose argument is known only to 6e27): no difference quotient means much.
    out["lost"] = perturbed > 0.1 * size
    out["noise"] = perturbed
    out["last_step"], out["last_quotient"] = hs[-1], quotients[-1]
    return out


def diverging(quotients: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Where the difference quotients grow without bound as the step shrinks (rows: axis 0).

    For a differentiable f the quotients converge: their changes from one row to the next
    shrink (by 2 or 4 per halving of h) until rounding takes over, and rounding changes
    direction at random. Where the derivative is infinite (sqrt at 0 from the right, cbrt at
    0, x·log|x| at 0), or f changes on a scale below the smallest step (a pole between x0 - h
    and x0 + h for every h of the tableau), the quotients move away from 0 by steady or
    growing amounts, far above the rounding floor ``floor``, all the way down to the smallest
    step. True where the last DIVERGING_ROWS changes do that. (Ridders' error estimate cannot
    see it: the tableau entries there differ by about half their size, a finite estimate with
    a finite, wrong error estimate.)
    """
    last = quotients[-DIVERGING_ROWS - 1 :]
    changes = np.diff(last, axis=0)
    size = np.abs(changes)
    away_from_zero = np.sign(changes) == np.sign(last[1:])
    above_rounding = size > 100.0 * (floor[-DIVERGING_ROWS - 1 : -1] + floor[-DIVERGING_ROWS:])
    not_shrinking = size[1:] >= 0.99 * size[:-1]
    steady = (away_from_zero & above_rounding & (changes != 0)).all(axis=0)
    return steady & not_shrinking.all(axis=0)


def measured_noise(line: Line, xs: np.ndarray, h0: np.ndarray, direction: int) -> np.ndarray:
    """Rounding noise of f near each point, measured: the largest |fourth difference| / 4.

    f is evaluated at 9 points x + k·δ (k = -4..4, or 1..9 on one side for a one-sided
    direction, leaving out x itself, where f may jump) with δ = min(1.37e-6·max(1, |x|),
    h0/16), and again with 0.618·δ: not powers of 2, so that rounding patterns of f do not
    alias with the step (on one grid they sometimes do: sin computed in float32 showed no
    noise at 6% of the points with one grid), and inside the stencil's own range, so that it
    does not straddle a kink the stencil avoids. h^4 times the fourth derivative is negligible
    there, so the fourth differences are noise (about 8.4 times its size). This catches noise
    that |f| does not show, e.g. log(1 + x^2) near 0, computed from 1 + x^2 ~ 1.

    Where f varies on a scale far below |x| (sin at x = 1e10), δ is not small next to that
    scale: the differences are then the function itself, not noise. They are recognised as
    larger than 1e-4 of the values (float32 noise is 1e-7), and δ is divided by 1024 (down
    to 4096 ulps of x, at most 3 times).
    """
    delta = np.minimum(1.37e-6 * np.maximum(1.0, np.abs(xs)), h0 / 16)
    floor = 4096.0 * np.spacing(np.abs(xs))
    ks = np.arange(-4.0, 5.0) if direction == 0 else direction * np.arange(1.0, 10.0)
    noise = np.zeros(xs.shape)
    pending = np.ones(xs.shape, dtype=bool)
    for level in range(4):
        where = np.nonzero(pending)[0]
        spacings = np.stack([delta[where], 0.618 * delta[where]])  # two grids, see above
        offsets = ks[:, None, None] * spacings[None, :, :]
        values = line.real((xs[where] + offsets).ravel()).reshape(offsets.shape)
        differences = np.abs(np.diff(values, n=4, axis=0))
        differences = np.where(np.isfinite(differences), differences, 0.0)
        per_grid = np.max(differences, axis=0)  # (2, points)
        noise[where] = np.max(per_grid, axis=0) / 4.0
        size = np.max(np.where(np.isfinite(values), np.abs(values), 0.0), axis=(0, 1))
        too_large = noise[where] > 1e-4 * size  # f itself varies on the grid: not noise
        finer = delta[where] / 1024.0
        again = too_large & (finer >= floor[where]) & (level < 3)
        delta[where] = np.where(again, finer, delta[where])
        pending[where] = again
        if not np.any(pending):
            break
    return noise


def ridders(line: Line, t0: float, h0: float) -> NumericResult | None:
    """Ridders' central estimate at t0, or None when no tableau entry is finite."""
    found = ridders_many(line, np.asarray([t0]), np.asarray([h0]))
    best = float(found["best"][0])
    if not math.isfinite(best):
        return None
    if found["lost"][0]:
        where = point_text(line, t0)
        note = Message("numeric.rounding_lost", where=where, change=float(found["noise"][0]))
        step = float(found["step"][0])
        return NumericResult(
            math.nan, math.inf, "richardson", step, line.evaluations, note, "resolution"
        )
    if found["diverging"][0]:
        return infinite_result(line, t0, found, "richardson")
    note = None
    first = int(found["first_finite"][0])
    if first > 0:
        note = Message("numeric.steps_from", step=h0 * RATIO**-first)
    error, step = float(found["error"][0]), float(found["step"][0])
    return NumericResult(best, error, "richardson", step, line.evaluations, note)


def infinite_result(line: Line, t0: float, found: dict, method: str, direction: int = 0):
    """The result for quotients that grow without bound (see diverging): ±inf, with why."""
    smallest = float(found["last_step"][0])
    sign = 1.0 if found["last_quotient"][0] > 0 else -1.0
    note = Message(
        "numeric.infinite_derivative",
        where=point_text(line, t0),
        step=smallest,
        what=Message(_WHAT[direction]),
    )
    return NumericResult(
        sign * math.inf, math.inf, method, smallest, line.evaluations, note, "infinite"
    )


@dataclass(frozen=True)
class Side:
    """What one side of x0 tells: the one-sided derivative and the one-sided limit of f."""

    slope: NumericResult
    limit: float
    limit_error: float

    @property
    def defined(self) -> bool:
        """True when f is defined on this side (its slope may still be infinite)."""
        return self.slope.problem != "domain"

    @property
    def finite(self) -> bool:
        """True when this side has a finite derivative."""
        return self.slope.ok

    def continuous_with(self, f0: float) -> bool:
        """True when the one-sided limit of f equals f(x0) within its error budget."""
        if not math.isfinite(self.limit):
            return True  # nothing to compare: no evidence of a jump
        allowed = VERDICT_MULTIPLE * self.limit_error + 1e-10 * max(1.0, abs(f0))
        return abs(self.limit - f0) <= allowed


def one_side(line: Line, t0: float, h0: float, direction: int) -> Side:
    found = ridders_many(line, np.asarray([t0]), np.asarray([h0]), direction)
    name = "right" if direction > 0 else "left"
    method = f"richardson ({name}-sided)"
    best = float(found["best"][0])
    if math.isfinite(best) and found["diverging"][0]:
        slope = infinite_result(line, t0, found, method, direction)
    elif math.isfinite(best):
        slope = NumericResult(
            best, float(found["error"][0]), method, float(found["step"][0]), line.evaluations
        )
    else:
        note = Message("numeric.undefined_side", side=SIDES[direction], where=point_text(line, t0))
        slope = NumericResult(math.nan, math.inf, method, h0, line.evaluations, note, "domain")
    return Side(slope, float(found["limit"][0]), float(found["limit_error"][0]))


def both_sides(line: Line, t0: float, h: float | None) -> tuple[Side, Side, list]:
    """Both sides of t0, with steps that stop short of the next kink for compiled expressions.

    Also returns the kinks (of a compiled expression) that t0 sits on exactly.
    """
    h0 = richardson_start(t0, h)
    analysis = analysis_of(line)
    left_step = right_step = h0
    on: list = []
    if analysis is not None and analysis.barriers:
        rooms = find_rooms(line, analysis, t0, h0)
        left_step, right_step, on = rooms.limit(h0, -1), rooms.limit(h0, +1), rooms.on
    left = one_side(line, t0, left_step if left_step > 0 else h0, -1)
    right = one_side(line, t0, right_step if right_step > 0 else h0, +1)
    return left, right, on


def kink_note(
    line: Line, t0: float, left: Side, right: Side, f0: float, source: KinkSource | None
) -> Message:
    """Why there is no derivative at t0: on the kink ``source`` (of a compiled expression), or
    left and right slopes that differ (a black box); and whether f jumps."""
    slopes = Message("numeric.slopes", left=left.slope.estimate, right=right.slope.estimate)
    where = point_text(line, t0)
    if source is not None:
        key = "numeric.on_tie" if source.kind == "ties" else "numeric.on_kink"
        shown = str(source.node) if source.kind == "ties" else source.text
        parts = [Message(key, where=where, argument=shown, slopes=slopes)]
    else:
        reach = min(left.slope.step, right.slope.step)
        parts = [Message("numeric.slopes_differ", where=where, slopes=slopes, reach=reach)]
    for side, direction in ((left, -1), (right, 1)):
        if not side.continuous_with(f0):
            parts.append(
                Message("numeric.jumps", side=SIDES[direction], limit=side.limit, value=f0)
            )
    return Message("numeric.parts", parts=parts)


def differentiable(left: Side, right: Side, f0: float) -> bool:
    return (
        left.finite
        and right.finite
        and slopes_agree(left.slope, right.slope)
        and left.continuous_with(f0)
        and right.continuous_with(f0)
    )


def vertical_tangent(left: Side, right: Side, f0: float) -> bool:
    """True when f is continuous at x0 with the same infinite derivative on both sides."""
    slope = left.slope.estimate
    return (
        math.isinf(slope)
        and right.slope.estimate == slope
        and left.continuous_with(f0)
        and right.continuous_with(f0)
    )


def richardson_start(t0: float, h: float | None) -> float:
    return RICHARDSON_SCALE * max(1.0, abs(t0)) if h is None else float(h)


def richardson_derivative(
    line: Line, t0: float, h: float | None, kink_aware: bool
) -> NumericResult:
    h0 = richardson_start(t0, h)
    f0 = value_at_point(line, t0)
    if not math.isfinite(f0):
        return problem_result(line, t0, f0, "richardson", h0)
    analysis = analysis_of(line) if kink_aware else None
    if analysis is not None and analysis.barriers:
        result = richardson_near_kinks(line, analysis, t0, h, f0)
    else:
        result = ridders(line, t0, h0)
    if result is not None:
        return result
    # No central stencil stays in the domain: is x0 on the edge of the domain?
    left, right, _ = both_sides(line, t0, h)
    defined = [s for s in (left, right) if s.defined]
    if not defined:
        note = Message("numeric.isolated_point", where=point_text(line, t0))
        return NumericResult(math.nan, math.inf, "richardson", h0, line.evaluations, note, "domain")
    side = defined[0]
    direction = 1 if side is right else -1
    then_key = (
        "numeric.edge_infinite" if side.slope.problem == "infinite" else "numeric.edge_one_sided"
    )
    note = Message(
        "numeric.domain_edge",
        where=point_text(line, t0),
        other=SIDES[-direction],
        then=Message(then_key, side=SIDES[direction]),
    )
    return NumericResult(math.nan, math.inf, "richardson", h0, line.evaluations, note, "domain")


def richardson_near_kinks(line, analysis, t0, h, f0) -> NumericResult | None:
    """Richardson with steps that respect kinks and singularities near t0.

    None when no stencil around t0 stays where f is defined (the caller then checks for an
    edge of the domain).
    """
    h0 = richardson_start(t0, h)
    rooms = find_rooms(line, analysis, t0, h0)
    if rooms.singular < 64 * EPS * abs(t0) + float(np.finfo(float).tiny):
        note = Message("numeric.resolution", distance=rooms.singular, where=point_text(line, t0))
        return NumericResult(
            math.nan, math.inf, "richardson", h0, line.evaluations, note, "resolution"
        )
    if rooms.on:
        source = rooms.on[0]
        left, right, _ = both_sides(line, t0, h)
        if differentiable(left, right, f0):
            best = min((left.slope, right.slope), key=lambda r: r.error_estimate)
            where = point_text(line, t0)
            note = Message("numeric.kink_agrees", argument=source.text, where=where)
            return NumericResult(
                best.estimate, best.error_estimate, "richardson", best.step, line.evaluations, note
            )
        note = kink_note(line, t0, left, right, f0, source)
        step = min(left.slope.step, right.slope.step)
        return NumericResult(math.nan, math.inf, "richardson", step, line.evaluations, note, "kink")
    candidates: list[NumericResult | None] = []
    central_step = rooms.limit(h0)
    if central_step > 0:
        candidates.append(ridders(line, t0, central_step))
    if min(rooms.left, rooms.right) < h0:  # a kink within the step: try the far side too
        for direction in (+1, -1):
            side_step = rooms.limit(h0, direction)
            if side_step > central_step:
                candidates.append(one_side(line, t0, side_step, direction).slope)
    lost = [c for c in candidates if c is not None and c.problem == "resolution"]
    if lost:  # f lost to rounding (see ridders): no side of it fares better
        return lost[0]
    usable = [c for c in candidates if c is not None and math.isfinite(c.estimate)]
    if not usable:
        return None
    best = _honest_choice(usable)
    note = None
    if central_step < h0 / 1024:
        kink = min(rooms.left, rooms.right)
        key = NEAR_KINK if kink <= rooms.singular else NEAR_EDGE
        distance = min(kink, rooms.singular)
        note = Message(key, distance=distance, where=point_text(line, t0))
    return replace(best, note=note, note_message=note, evaluations=line.evaluations)


def _honest_choice(usable: list[NumericResult]) -> NumericResult:
    """The candidate with the smallest error estimate, unless another one disagrees with it
    beyond both estimates: then the one with the smallest step (the derivative is the limit
    h → 0), its error estimate widened to the disagreement. A one-sided stencil beside a
    pole hidden in a kink (1/|2x| at 4.4e-104, ((x^-2)^(1/3)) at 6e-31) reached 0.1 to the
    far side and gave -475 ± 2e90 for -7.1e206 (differential cases 2026:5917, 16689)."""
    best = min(usable, key=lambda r: r.error_estimate)
    gaps = [
        abs(c.estimate - best.estimate)
        for c in usable
        if abs(c.estimate - best.estimate)
        > VERDICT_MULTIPLE * (c.error_estimate + best.error_estimate)
    ]
    if not gaps:
        return best
    closest = min(usable, key=lambda r: r.step)
    return replace(closest, error_estimate=max(closest.error_estimate, *gaps))


def black_box_richardson(line: Line, t0: float, h: float | None) -> NumericResult:
    """Richardson for a callable we know nothing about, checking left and right slopes."""
    central = richardson_derivative(line, t0, h, kink_aware=False)
    if not (central.ok or central.problem == "infinite"):
        return central
    f0 = value_at_point(line, t0)
    left, right, _ = both_sides(line, t0, h)
    if differentiable(left, right, f0) or vertical_tangent(left, right, f0):
        return replace(central, evaluations=line.evaluations)
    note = kink_note(line, t0, left, right, f0, None)
    return NumericResult(
        math.nan, math.inf, "richardson", central.step, line.evaluations, note, "kink"
    )


def ridders_order(line: Line, t0: float, order: int, h0: float) -> NumericResult | None:
    """Ridders' method for the ``order``-th derivative: n-th central differences (see
    :func:`~derivcheck.numeric.budget.stencil_weights`) at h0, h0/2, … extrapolated in the
    same Neville tableau as first derivatives (errors in h², h⁴, …).

    Each quotient's rounding error is ``2^n·(4 ulps of the largest |f| and intermediate
    value, the rounding of the nodes, f's measured noise) / h^n``, so the error estimate of
    the chosen entry grows with the order. None when no entry is finite.

    >>> import numpy as np
    >>> r = ridders_order(Line(np.exp), 0.0, 3, 0.2)
    >>> round(r.estimate, 8), r.error_estimate < 1e-7
    (1.0, True)
    """
    from derivcheck.numeric.budget import stencil_weights

    offsets, weights = stencil_weights(order)
    xs = np.asarray([t0])
    hs = h0 * RATIO ** -np.arange(ROWS, dtype=float)
    points = t0 + hs[:, None] * offsets[None, :]
    values = line.real(points.ravel()).reshape(points.shape)
    quotients = (values @ weights) / hs**order
    finite = np.isfinite(quotients)
    quotients = np.where(finite, quotients, np.nan)[:, None]
    scale = np.max(np.where(np.isfinite(values), np.abs(values), 0.0), axis=1)
    scale = np.maximum(scale, magnitudes(line, xs)[0])
    slope = np.abs(values[:, 0] - values[:, -1]) / (order * hs)  # |f'|, for the nodes' rounding
    slope = np.where(np.isfinite(slope), slope, 0.0)
    measured = max(
        float(measured_noise(line, xs, np.asarray([h0]), 0)[0]),
        float(perturbed_noise(line, xs)[0]),
    )
    unit = ROUNDING_ULPS * line.eps
    spread = float(np.sum(np.abs(weights)))
    noise = ((unit * scale + unit * abs(t0) * slope + measured) * spread / hs**order)[:, None]
    resolved = resolved_rows(quotients, noise, 2)
    reference = reference_quotient(quotients, noise, resolved)
    best, error, step = extrapolate(quotients, hs[:, None], noise, (2, 2), resolved, reference)
    if not math.isfinite(float(best[0])):
        return None
    return NumericResult(
        float(best[0]), float(error[0]), "richardson", float(step[0]), line.evaluations
    )
