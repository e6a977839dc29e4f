"""``gradcheck``: check a hand-written gradient against finite differences, honestly.

>>> import numpy as np
>>> from derivcheck import gradcheck
>>> f = lambda p: float(np.sum(p["w"] ** 2) + 3 * p["b"])
>>> good = lambda p: {"w": 2 * p["w"], "b": 3.0}
>>> gradcheck(f, good, {"w": np.array([1.0, -2.0]), "b": 0.5}).ok
True
>>> bad = lambda p: {"w": p["w"], "b": 3.0}          # the factor 2 is missing
>>> report = gradcheck(f, bad, {"w": np.array([1.0, -2.0]), "b": 0.5})
>>> report.ok, report.worst.name, report.diagnoses
(False, 'w', ['w: off by a factor of 2 (half) — analytic = 0.5 × numeric in all 2 entries'])

How an entry is judged (all from the error budget, no fixed tolerance)
----------------------------------------------------------------------
For an entry (one element, or one random direction v) the loss along the line,
``φ(t) = f(p + t·e)``, is evaluated at symmetric offsets. With ``u`` the machine
epsilon of f's result type and ``η = u^(1/3)`` (6.1e-6 for float64):

* step ``h = η · max(1, |p_i|)`` (the offsets actually used are ``fl(p_i ± h) - p_i``);
* numeric value: the central difference ``D(h) = (φ(h) - φ(-h)) / 2h``;
* rounding floor: ``R = (c · u · F + 4σ) / h`` with ``F = max |φ|`` over the
  stencil, ``c = ROUNDING_SAFETY`` (8), and σ the rounding noise of f *measured*:
  from one-sided fourth differences ``φ(0) - 4φ(h) + 6φ(2h) - 4φ(3h) + φ(4h)``
  (pure noise, √70·σ, on anything smoother than a kink) on a sample of up to 16
  entries per parameter, and on every entry that reaches stage 2 (rounding
  inside f, such as ``y - target`` when ``|y| >> |L|``, makes σ far larger than
  ``u·|f|``, so a floor from ``|f|`` alone would raise false alarms). A line
  gives the smaller of its two sides (a kink or a jump off the point spoils one);
  a jump *at* the point spoils both through φ(0), so when even the smaller
  exceeds ``CENTRE_OUTLIER`` (32) times the larger third difference
  ``-φ(h) + 3φ(2h) - 3φ(3h) + φ(4h)`` of the two sides (which leave φ(0) out;
  scaled by √70/√20 to the same spread), φ(0) is an outlier and that third
  difference is the line's sample. Gaussian noise alone does this to 3 lines in
  10⁵ (simulated, 2·10⁶ lines), so smooth functions keep their estimates. σ only
  widens budgets (and the kink threshold below), so the sample is taken only when some
  entry does not already agree at stage 1 with σ = 0, or looks like a kink there: when
  all agree, measuring σ could not change a verdict, only show larger tolerances;
* analytic floor: ``A = c · u_g · (|g_i| + max_j |g_j|)``, the rounding of the
  gradient itself in its own precision ``u_g`` (matters for float32 gradients);
* truncation: ``T = |D(h) - D(2h)| / 3``, the first Richardson term (D(h) has
  error ``≈ k h²``, D(2h) ``≈ 4k h²``);
* verdict: ``|g_i - D(h)| ≤ K · (T + R + A)`` with ``K = AGREEMENT_FACTOR`` (4).

An entry that already agrees within ``K · (R + A)`` needs no truncation estimate
(T can only widen the budget), so f is evaluated at ±2h, ±3h, ±4h only for
entries that do not, and for entries whose stage-1 values already suggest a
kink: the forward and backward slopes ``(φ(h) - φ(0))/h`` and ``(φ(0) - φ(-h))/h``
differ by more than ``KINK_SUSPICION`` (1 %) of their sizes plus ``K · 4R`` (their
difference is ``(φ(h) - 2φ(0) + φ(-h))/h``, rounding weights 1, 2, 1). A smooth
f changes its slope that much within one step only where ``|φ'/φ''| < 50h``;
on the benchmark network 0 of 16,897 lines do (6 at 0.1 %). Stationary points
are such places: near a minimum (a trained network) many entries pay the 6
more evaluations (measured: a tanh network 4 → 32 → 1 trained to |g| ≤ 2e-4,
1331 evaluations instead of 1007). Stage 2 can only add a label to such an
entry (``kink`` or ``jump``), never turn it into a mismatch: agreeing at stage 1
is a verdict. A correct gradient costs 2 evaluations per element (plus the noise
sample when an entry needs σ).

Kinks (relu, abs, max): the second-order one-sided slopes
``S₊ = (-3φ(0) + 4φ(h) - φ(2h)) / 2h`` and ``S₋ = (3φ(0) - 4φ(-h) + φ(-2h)) / 2h``
agree to O(h³) on a smooth function; when ``|S₊ - S₋| > K · (T + 2·4R)`` a kink
lies within the stencil and the entry is ``kink``: accepted when the analytic
value lies between the one-sided slopes (a subgradient, or the slope of the side
the point is on), a ``mismatch`` otherwise. An entry that still disagrees is
tried once more with steps h/8 and h/4, which leaves a kink that sat between
h/2 and 2h behind; only an entry that fails there too is a ``mismatch``.

Jumps (floor, sign, a step): on each side, the quadratic through φ(±h), φ(±2h),
φ(±3h) extrapolated to 0 leaves the offset ``c± = q±(0) - φ(0)``. On a smooth f
it is h³φ‴ (estimated by the side's third difference on h..4h, which leaves
φ(0) out); at a kink at the point it is that too; a kink at a distance τ < h
shifts it by ``(S'₋ - S'₊)·τ``, at most ``h·|S'₋ - S'₊|``, where ``S'±`` are the
slopes of the branches (the slopes at 0 of those quadratics); at a jump it is
the jump. So the stencil crosses a jump when on either side
``|c±| > K · (|Δ³±| + h·|S'₋ - S'₊| + 32·e)``, with ``e = c · u · F + 4σ`` the
rounding budget of one value and 32 the sum of the weights of the three terms
(8, 8 and 16). Such an entry is ``jump``: f has no derivative there, the central
difference is not one, and nothing can be checked; the entry shows the limits
of f on either side, as ``c₋`` and ``c₊`` (offsets from f at the point), the jump
``c₊ - c₋`` (0 for a removable discontinuity, where both limits differ from f at
the point alike) and the branch slopes ``S'±``. It does not fail the report
(the loss is not differentiable there whatever the gradient says; failing would
send the user after a bug in correct code), but the summary says how many
entries could not be checked. A jump smaller than about ``h·|S'₋ - S'₊|`` looks
like a kink within one step, and one of a few hundred rounding units like noise;
a smooth f that changes faster than the step resolves (``tanh(z/1e-9)`` at 0)
looks like a jump: at step h the samples cannot tell them apart, and the note
says so. In ``mode="auto"`` a parameter whose directions cross a jump is checked
element by element (when small enough), so that only the elements at the jump
stay unchecked.

``rtol``/``atol`` replace the budget when given: ``|g - D| ≤ atol + rtol·|D|``
(a missing one counts as 0); kinks and jumps are still found from the budget.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message, text
from derivcheck.network.text import format_table
from derivcheck.numeric.budget import (
    EPS,
    FOURTH_DIFFERENCE_SPREAD,
    THIRD_DIFFERENCE_SPREAD,
    central_difference,
    central_step,
    fourth_difference,
    noise_from_fourth,
    polynomial_at_zero,
    rounding_floor,
    slope_at_zero,
    third_difference,
)

__all__ = [
    "gradcheck",
    "GradcheckReport",
    "GradcheckEntry",
    "PerturbableLoss",
    "PrecisionWarning",
    "AGREEMENT_FACTOR",
    "ROUNDING_SAFETY",
    "AUTO_FULL_LIMIT",
    "AUTO_FULL_LIMIT_PERTURBABLE",
]

#: K: an entry agrees when its error is within K times its error budget.
AGREEMENT_FACTOR = 4.0
#: c: each value of f is trusted to c units in the last place of its magnitude.
ROUNDING_SAFETY = 8.0
#: ``mode="auto"`` checks every element up to this many parameters (plain callables) ...
AUTO_FULL_LIMIT = 2_000
#: ... and up to this many when f has the vectorised ``perturbed`` method.
AUTO_FULL_LIMIT_PERTURBABLE = 250_000
#: Random directions per parameter in ``mode="directional"``.
DEFAULT_DIRECTIONS = 2
#: Lines per parameter sampled to measure the rounding noise of f.
NOISE_SAMPLE = 16
#: The measured noise (one standard deviation) enters the rounding floor this many times.
NOISE_SAFETY = 4.0
#: φ(0) is an outlier of a line's noise sample (a jump at the point) when both sides' fourth
#: differences exceed this many times the larger of the φ(0)-free third differences; under
#: Gaussian noise alone P ≈ 0.03/CENTRE_OUTLIER² per line (2.8e-5 here, simulated).
CENTRE_OUTLIER = 32.0
#: Stage 1 suspects a kink when the forward and backward slopes differ by more than this
#: fraction of their sizes (a smooth f does so only where |φ'/φ''| < h / (2·KINK_SUSPICION)).
KINK_SUSPICION = 0.01
#: Rounding weights of the jump test: c± (3, 3, 1, 1), the third difference (1, 3, 3, 1)
#: and h·(S'₋ - S'₊), each slope (5, 8, 3)/2h: 8 + 8 + 16.
JUMP_ROUNDING_WEIGHT = 32.0

STATUSES = ("ok", "mismatch", "jump", "kink")


class PrecisionWarning(UserWarning):
    """Parameters in low precision (float32/float16): the reference is computed in float64.

    ``str(warning)`` is English; ``warning.message`` is the :class:`Message` and
    ``warning.to_text("zh")`` the Chinese sentence.
    """

    def __init__(self, message: Message | str = ""):
        self.message = message
        super().__init__(text(message, "en"))

    def to_text(self, lang: str = "en") -> str:
        """The warning in ``lang``."""
        return text(self.message, lang)


@runtime_checkable
class PerturbableLoss(Protocol):
    """A loss that can evaluate many one-entry perturbations at once (optional).

    ``perturbed(params, name, flat_indices, values)`` returns an array whose m-th
    value is ``f`` at ``params`` with ``params[name].flat[flat_indices[m]]``
    replaced by ``values[m]``. :func:`gradcheck` uses it, when present, instead
    of calling ``f`` once per perturbed element; see
    :class:`derivcheck.network.NetworkLoss` for an implementation.
    """

    def __call__(self, params: Mapping[str, Any]) -> float: ...

    def perturbed(
        self, params: Mapping[str, Any], name: str, flat_indices: np.ndarray, values: np.ndarray
    ) -> np.ndarray: ...


# ---------------------------------------------------------------------------- report


@dataclass(frozen=True)
class GradcheckEntry:
    """One checked entry: an element of a parameter, or a random direction in it.

    ``index`` is the element's index tuple (``()`` for a scalar), or ``"v1"``,
    ``"v2"``, ... for directions. ``tolerance`` is the error the entry was
    allowed (K times its budget, or ``atol + rtol·|numeric|``). For ``kink``
    entries ``left`` and ``right`` are the one-sided slopes, ``numeric`` is the
    central difference across the kink, and ``abs_error`` is the distance of the
    analytic value from the interval between the slopes (0 inside it). For
    ``jump`` entries (f jumps within the stencil: no derivative to check)
    ``limits`` are f's limits on the left and on the right minus f at the point,
    ``jump`` the right limit minus the left one, ``left`` and ``right`` the
    slopes of f on either side, ``numeric`` the central difference across the
    jump, and ``abs_error``, ``rel_error`` and ``tolerance`` are NaN.
    ``note_message`` is a remark (a :class:`Message`, or None); ``note`` is it in English.
    """

    name: str
    index: tuple[int, ...] | str
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    tolerance: float
    status: str
    left: float | None = None
    right: float | None = None
    step: float = math.nan
    note_message: Message | None = None
    limits: tuple[float, float] | None = None

    @property
    def jump(self) -> float | None:
        """At a ``jump`` entry, the right limit of f minus the left one; else None."""
        return None if self.limits is None else self.limits[1] - self.limits[0]

    @property
    def note(self) -> str:
        """The remark in English ("" when there is none)."""
        return "" if self.note_message is None else self.note_message.to_text("en")

    def status_text(self, lang: str = "en") -> str:
        """The status with the one-sided slopes and the remark, in ``lang``."""
        status: Message | str = Message(f"gradcheck.status.{self.status}")
        if self.limits is not None:
            status = Message(
                "gradcheck.jump_slopes",
                status=status,
                jump=self.jump,
                below=self.limits[0],
                above=self.limits[1],
                left=self.left,
                right=self.right,
            )
        elif self.left is not None:
            status = Message("gradcheck.slopes", status=status, left=self.left, right=self.right)
        if self.note_message is not None:
            status = Message("gradcheck.with_note", status=status, note=self.note_message)
        return text(status, lang)

    @property
    def label(self) -> str:
        """``w1[0, 2]``, ``b2`` or ``w1 · v1``."""
        if isinstance(self.index, str):
            return f"{self.name} · {self.index}"
        if self.index == ():
            return self.name
        return f"{self.name}[{', '.join(str(i) for i in self.index)}]"

    @property
    def severity(self) -> float:
        """abs_error / tolerance: above 1 is a disagreement (0 for a jump: nothing measured)."""
        if self.status == "jump":
            return 0.0
        if self.tolerance > 0:
            return self.abs_error / self.tolerance
        return 0.0 if self.abs_error == 0 else math.inf

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "index": self.index if isinstance(self.index, str) else list(self.index),
            "analytic": self.analytic,
            "numeric": self.numeric,
            "abs_error": _json_number(self.abs_error),
            "rel_error": _json_number(self.rel_error),
            "tolerance": _json_number(self.tolerance),
            "status": self.status,
            "left": self.left,
            "right": self.right,
            "jump": self.jump,
            "limits": None if self.limits is None else list(self.limits),
            "step": self.step,
            "note": self.note,
        }


def _json_number(value: float) -> float | None:
    """NaN (nothing measured, at a jump) as None, so that the dict is valid JSON."""
    return None if math.isnan(value) else value


_STATUS_ORDER = {"mismatch": 0, "jump": 1, "kink": 2, "ok": 3}


_MODE_KEYS = {
    "full": "gradcheck.mode.full",
    "directional": "gradcheck.mode.directional",
    "directional, then full": "gradcheck.mode.directional_then_full",
}


@dataclass
class GradcheckReport:
    """The result of :func:`gradcheck`.

    ``ok`` is True when no entry is a ``mismatch`` and the gradient has the
    parameters' structure. ``entries`` are in parameter order; ``str(report)``
    lists them worst first, in English; ``report.to_text("zh")`` in Chinese.
    The findings are kept as :class:`Message` objects (``diagnosis_messages``,
    ``problem_messages``); ``diagnoses`` and ``problems`` are them in English.
    """

    entries: list[GradcheckEntry]
    mode: str
    evaluations: int
    seconds: float
    diagnosis_messages: list[Message] = field(default_factory=list)
    problem_messages: list[Message] = field(default_factory=list)

    @property
    def diagnoses(self) -> list[str]:
        """What the mistakes look like ("w2: off by a factor of 2 ..."), in English."""
        return [m.to_text("en") for m in self.diagnosis_messages]

    @property
    def problems(self) -> list[str]:
        """Structural problems (a missing entry, a wrong shape, a loss that is not finite)."""
        return [m.to_text("en") for m in self.problem_messages]

    @property
    def ok(self) -> bool:
        return not self.problem_messages and all(e.status != "mismatch" for e in self.entries)

    @property
    def mismatches(self) -> list[GradcheckEntry]:
        """Entries that disagree, worst first."""
        return [e for e in self.sorted_entries() if e.status == "mismatch"]

    @property
    def kinks(self) -> list[GradcheckEntry]:
        """Entries whose stencil crosses a kink (accepted ones and, first, mismatches)."""
        return [e for e in self.sorted_entries() if e.left is not None and e.jump is None]

    @property
    def jumps(self) -> list[GradcheckEntry]:
        """Entries whose stencil crosses a jump of f: no derivative there, not checked."""
        return [e for e in self.sorted_entries() if e.status == "jump"]

    @property
    def mismatched_parameters(self) -> list[str]:
        """Names of the parameters with at least one mismatch, in order of first appearance."""
        names: list[str] = []
        for entry in self.entries:
            if entry.status == "mismatch" and entry.name not in names:
                names.append(entry.name)
        return names

    @property
    def worst(self) -> GradcheckEntry | None:
        """The entry furthest outside its tolerance (None when nothing was checked)."""
        ordered = self.sorted_entries()
        return ordered[0] if ordered else None

    def sorted_entries(self) -> list[GradcheckEntry]:
        """Mismatches, jumps, kinks, then ok entries; each by severity, largest first."""
        return sorted(self.entries, key=lambda e: (_STATUS_ORDER[e.status], -e.severity))

    def table(self, limit: int | None = 20, lang: str = "en") -> str:
        """The entries as a text table, worst first (at most ``limit`` rows), in ``lang``."""
        ordered = self.sorted_entries()
        shown = ordered if limit is None else ordered[:limit]
        columns = ("parameter", "analytic", "numeric", "abs_error", "rel_error", "tolerance",
                   "status")  # fmt: skip
        rows = [[text(f"gradcheck.col.{column}", lang) for column in columns]]
        for e in shown:
            rows.append(
                [
                    e.label,
                    _fmt(e.analytic),
                    _fmt(e.numeric),
                    _fmt_measured(e.abs_error, ".2e"),
                    _fmt_measured(e.rel_error, ".2e"),
                    _fmt_measured(e.tolerance, ".1e"),
                    e.status_text(lang),
                ]
            )
        lines = format_table(rows)
        if len(shown) < len(ordered):
            rest = ordered[len(shown) :]
            counts = [
                Message("gradcheck.status_count", count=n, status=Message(f"gradcheck.status.{s}"))
                for s in STATUSES
                if (n := sum(e.status == s for e in rest))
            ]
            summary = text("gradcheck.separator", lang).join(text(c, lang) for c in counts)
            lines.append(text("gradcheck.more", lang, count=len(rest), summary=summary))
        return "\n".join(lines)

    @property
    def summary_message(self) -> Message:
        """The verdict and what was done, as a :class:`Message`."""
        n = len(self.entries)
        what = Message(
            f"gradcheck.what.{'directions' if self.mode == 'directional' else 'entries'}"
        )
        cost = Message(
            "gradcheck.cost",
            mode=Message(_MODE_KEYS.get(self.mode, "gradcheck.mode.full")),
            evaluations=self.evaluations,
            seconds=self.seconds,
        )
        n_bad = sum(e.status == "mismatch" for e in self.entries)
        n_kink = sum(e.status == "kink" for e in self.entries)
        n_jump = sum(e.status == "jump" for e in self.entries)
        kinks = Message("gradcheck.kinks_accepted", count=n_kink) if n_kink else ""
        jumps = Message("gradcheck.jumps_unchecked", count=n_jump) if n_jump else ""
        if self.ok and n_jump:
            return Message(
                "gradcheck.passed_where_checkable",
                agree=n - n_jump,
                count=n,
                what=what,
                kinks=kinks,
                jumps=jumps,
                cost=cost,
            )
        if self.ok:
            return Message("gradcheck.passed", count=n, what=what, kinks=kinks, cost=cost)
        if n_bad:
            return Message(
                "gradcheck.failed",
                bad=n_bad,
                count=n,
                what=what,
                kinks=kinks,
                jumps=Message("gradcheck.jumps_also", jumps=jumps) if n_jump else "",
                cost=cost,
            )
        return Message("gradcheck.failed_structure", cost=cost)

    def summary(self, lang: str = "en") -> str:
        """One line: the verdict and what was done."""
        return self.summary_message.to_text(lang)

    def to_text(self, lang: str = "en") -> str:
        """The summary, the problems and diagnoses, and the worst-first table, in ``lang``."""
        parts = [self.summary(lang)]
        parts += [f"  {m.to_text(lang)}" for m in self.problem_messages]
        parts += [f"  {m.to_text(lang)}" for m in self.diagnosis_messages]
        if self.entries:
            parts.append("")
            parts.append(self.table(lang=lang))
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.to_text("en")

    def __repr__(self) -> str:
        return f"<GradcheckReport {self.summary()}>"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "mode": self.mode,
            "evaluations": self.evaluations,
            "seconds": self.seconds,
            "problems": self.problems,
            "diagnoses": self.diagnoses,
            "entries": [e.to_dict() for e in self.sorted_entries()],
        }


def _fmt(value: float) -> str:
    if value is None or not math.isfinite(value):
        return str(value)
    return f"{value:.10g}"


def _fmt_measured(value: float, spec: str) -> str:
    """An error or a tolerance; "–" for NaN (at a jump nothing is measured)."""
    return "–" if math.isnan(value) else format(value, spec)


# ---------------------------------------------------------------------------- lines


class _Lines:
    """Entries to check: lines ``t -> f(p + t·e_k)`` with a base step per line.

    ``evaluate(lines, multipliers)`` returns ``(values, offsets)``: f at the
    points ``p + fl(multiplier·step)·e`` and the offsets actually applied.
    """

    step: np.ndarray
    evaluations: int = 0

    def evaluate(self, lines: np.ndarray, multiplier: float) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


class _ElementLines(_Lines):
    """Every element of one parameter array."""

    def __init__(self, f, call_params: dict[str, Any], name: str, u: float):
        self.f = f
        self.call_params = call_params
        self.name = name
        self.base = np.asarray(call_params[name], dtype=np.float64).reshape(-1).copy()
        self.step = central_step(self.base, u)
        self.perturbed = getattr(f, "perturbed", None)
        self.evaluations = 0

    def evaluate(self, lines: np.ndarray, multiplier: float) -> tuple[np.ndarray, np.ndarray]:
        base = self.base[lines]
        points = base + multiplier * self.step[lines]
        offsets = points - base
        self.evaluations += lines.shape[0]
        if callable(self.perturbed):
            values = np.asarray(
                self.perturbed(self.call_params, self.name, lines, points), dtype=np.float64
            )
            if values.shape != lines.shape:
                raise DerivcheckError(
                    "gradcheck.error.perturbed_shape", got=values.shape, expected=lines.shape
                )
            return values, offsets
        return self._loop(lines, points), offsets

    def _loop(self, lines: np.ndarray, points: np.ndarray) -> np.ndarray:
        # A black-box f: one call per perturbed element (unavoidable), changing the
        # element in place and restoring it, as cheap as a call can be.
        f, params, name = self.f, self.call_params, self.name
        out = np.empty(lines.shape[0])
        original = params[name]
        if isinstance(original, np.ndarray) and original.ndim > 0:
            flat = original.reshape(-1)  # a view: call_params holds contiguous copies
            for m, (i, value) in enumerate(zip(lines.tolist(), points.tolist())):
                old = flat[i]
                flat[i] = value
                try:
                    out[m] = f(params)
                finally:
                    flat[i] = old
        else:
            as_array = isinstance(original, np.ndarray)
            try:
                for m, value in enumerate(points.tolist()):
                    params[name] = np.array(value) if as_array else value
                    out[m] = f(params)
            finally:
                params[name] = original
        return out


class _DirectionLines(_Lines):
    """Random unit directions inside each parameter (one line per direction)."""

    def __init__(
        self, f, call_params: dict[str, Any], directions: list[tuple[str, np.ndarray]], u: float
    ):
        self.f = f
        self.call_params = call_params
        self.directions = directions
        peaks = [float(np.max(np.abs(call_params[name]))) for name, _ in directions]
        self.step = central_step(np.array(peaks), u)
        self.evaluations = 0

    def evaluate(self, lines: np.ndarray, multiplier: float) -> tuple[np.ndarray, np.ndarray]:
        out = np.empty(lines.shape[0])
        offsets = np.empty(lines.shape[0])
        for m, k in enumerate(lines.tolist()):
            name, direction = self.directions[k]
            t = multiplier * self.step[k]
            original = self.call_params[name]
            base = np.asarray(original, dtype=np.float64)
            moved = base + t * direction.reshape(base.shape)
            point = dict(self.call_params)
            point[name] = (
                moved if (isinstance(original, np.ndarray) or moved.ndim) else float(moved)
            )
            out[m] = f_value(self.f, point)
            offsets[m] = t
        self.evaluations += lines.shape[0]
        return out, offsets


def f_value(f: Callable[[Mapping[str, Any]], Any], params: Mapping[str, Any]) -> float:
    """``float(f(params))`` with a clear error when f does not return one number."""
    return _as_number(f(params))


def _as_number(value: Any) -> float:
    try:
        return float(np.asarray(value).item()) if np.ndim(value) else float(value)
    except (TypeError, ValueError) as error:
        raise DerivcheckError(
            "gradcheck.error.not_a_number", type=type(value).__name__, shape=np.shape(value)
        ) from error


# ---------------------------------------------------------------------------- judging


@dataclass
class _Verdicts:
    numeric: np.ndarray
    tolerance: np.ndarray
    status: np.ndarray  # object array of strings
    left: np.ndarray
    right: np.ndarray
    note: np.ndarray  # object array of message keys ("" for none)
    below: np.ndarray  # at "jump" entries: the left limit of f minus f(p), NaN elsewhere
    above: np.ndarray  # ... and the right limit minus f(p)


def _stage_one_values(lines: _Lines) -> tuple[np.ndarray, ...]:
    """Stage 1's values for every line: f at ±h and the offsets applied, ``(fp, tp, fm, tm)``."""
    everything = np.arange(lines.step.shape[0])
    fp, tp = lines.evaluate(everything, 1.0)
    fm, tm = lines.evaluate(everything, -1.0)
    return fp, tp, fm, tm


def _stage_one(values, analytic, analytic_floor, f0, noise, step, u, tolerance):
    """Stage 1's judgement of the central difference at h (see the module docstring):
    ``(numeric, tolerance, agrees, suspect, finite, rounding)``, from the rounding floors only.
    A larger ``noise`` can only widen the budget and raise the kink threshold: an entry that
    agrees and is not suspected with ``noise = 0`` does so with any noise."""
    fp, tp, fm, tm = values
    n = analytic.shape[0]
    numeric = (fp - fm) / (tp - tm)
    F = np.maximum.reduce([np.full(n, abs(f0)), np.abs(fp), np.abs(fm)])
    rounding = (
        rounding_floor(u, F, 0.0, 0.0, step, ulps=ROUNDING_SAFETY) + NOISE_SAFETY * noise / step
    )
    tol = tolerance(rounding + analytic_floor, numeric)
    finite = np.isfinite(analytic) & np.isfinite(numeric)
    agrees = finite & (np.abs(analytic - numeric) <= tol)
    # A kink (or a jump) suspected from the same values: the slopes on either side differ.
    forward, backward = (fp - f0) / tp, (f0 - fm) / -tm
    suspect = np.abs(forward - backward) > (
        KINK_SUSPICION * (np.abs(forward) + np.abs(backward)) + AGREEMENT_FACTOR * 4.0 * rounding
    )
    return numeric, tol, agrees, suspect, finite, rounding


def _tolerance(rtol: float | None, atol: float | None) -> Callable:
    """budget, numeric -> the tolerance: K times the budget, or ``atol + rtol·|numeric|``."""
    if rtol is None and atol is None:
        return lambda budget, numeric: AGREEMENT_FACTOR * budget
    rtol_, atol_ = (rtol or 0.0), (atol or 0.0)
    return lambda budget, numeric: atol_ + rtol_ * np.abs(numeric)


def _judge(
    lines: _Lines,
    analytic: np.ndarray,
    analytic_floor: np.ndarray,
    f0: float,
    noise: float,
    u: float,
    rtol: float | None,
    atol: float | None,
    values: tuple[np.ndarray, ...] | None = None,
) -> _Verdicts:
    """Verdicts for every line (see the module docstring for the formulas); ``values``:
    stage 1's, when already evaluated (:func:`_stage_one_values`)."""
    n = analytic.shape[0]
    tolerance = _tolerance(rtol, atol)
    if values is None:
        values = _stage_one_values(lines)
    fp, tp, fm, tm = values

    # Stage 1: central difference at h, judged against the rounding floors only.
    numeric, tol, agrees, suspect, finite, _ = _stage_one(
        values, analytic, analytic_floor, f0, noise, lines.step, u, tolerance
    )
    status = np.full(n, "mismatch", dtype=object)
    status[agrees] = "ok"
    nothing = np.full(n, np.nan)
    verdicts = _Verdicts(
        numeric=numeric, tolerance=tol, status=status, left=nothing.copy(), right=nothing.copy(),
        note=np.full(n, "", dtype=object), below=nothing.copy(), above=nothing.copy(),
    )  # fmt: skip

    # Stage 2 (entries that disagree, or agree but look like a kink): ±2h, ±3h, ±4h for
    # truncation, the line's own noise and the kink and jump tests.
    todo = np.flatnonzero(finite & ((status != "ok") | suspect))
    if todo.size:
        stage2 = _refine(
            lines,
            todo,
            analytic,
            analytic_floor,
            f0,
            noise,
            u,
            (1.0, 2.0),
            (fp[todo], tp[todo], fm[todo], tm[todo]),
            tolerance,
        )
        # An entry that agreed at stage 1 keeps that verdict unless stage 2 labels it.
        labelled = (status[todo] != "ok") | np.isin(stage2["status"], ("kink", "jump"))
        stage2 = {k: v[labelled] for k, v in stage2.items()}
        retry = _apply(stage2, todo[labelled], verdicts)
        # Stage 3: steps h/8 and h/4, which leave behind a kink between h/2 and 2h.
        if retry.size:
            stage3 = _refine(
                lines,
                retry,
                analytic,
                analytic_floor,
                f0,
                noise,
                u,
                (0.125, 0.25),
                None,
                tolerance,
            )
            agree = stage3["status"] != "mismatch"
            stage3["note"][agree & (stage3["status"] == "ok")] = "gradcheck.note.smaller_step"
            _apply({k: v[agree] for k, v in stage3.items()}, retry[agree], verdicts)
    return verdicts


def _noise_needed(built: dict, first: dict, f0: float, u: float, tolerance: Callable) -> bool:
    """Must f's rounding noise be measured? Not when every entry agrees at stage 1 without it
    and none looks like a kink: noise only widens budgets and raises the kink threshold
    (:func:`_stage_one`), so measuring it could not change a verdict (only show larger
    tolerances), and its sample costs 8 evaluations per sampled line."""
    for name, (lines, a, floor, _) in built.items():
        _, _, agrees, suspect, _, _ = _stage_one(
            first[name], a, floor, f0, 0.0, lines.step, u, tolerance
        )
        if not np.all(agrees & ~suspect):
            return True
    return False


def _line_noise(f0, plus, plus_offsets, minus, minus_offsets, h) -> np.ndarray:
    """Each line's noise sample, on the scale of a fourth difference (see the module docstring).

    ``plus``/``minus``: φ at about h, 2h, 3h, 4h and at the mirrored offsets (four arrays
    each), with the offsets actually applied. The smaller of the two sides' fourth
    differences, unless φ(0) is an outlier (a jump at the point spoils both sides): then
    the larger of the third differences on h..4h, which leave φ(0) out.

    >>> one = np.ones(1)
    >>> sides = [one * 2, one * 2, one * 2, one * 2], [one * 0, one * 0, one * 0, one * 0]
    >>> offsets = [one * k for k in (1.0, 2.0, 3.0, 4.0)]
    >>> float(_line_noise(1.0, sides[0], offsets, sides[1], [-t for t in offsets], 1.0)[0])
    0.0
    """
    fourth = np.minimum(
        fourth_difference(f0, plus, plus_offsets, h), fourth_difference(f0, minus, minus_offsets, h)
    )
    third = np.maximum(
        third_difference(plus, plus_offsets, h), third_difference(minus, minus_offsets, h)
    ) * (FOURTH_DIFFERENCE_SPREAD / THIRD_DIFFERENCE_SPREAD)
    return np.where(fourth > CENTRE_OUTLIER * third, third, fourth)


def _estimate_noise(all_lines: list[_Lines], f0: float, mode: str) -> float:
    """One standard deviation σ of the rounding noise in f, measured.

    On up to NOISE_SAMPLE lines per parameter (in directional mode, one line per
    parameter), f is evaluated at 0, h, 2h, 3h, 4h and at the
    mirrored offsets. Each one-sided fourth difference
    ``φ(0) - 4φ(h) + 6φ(2h) - 4φ(3h) + φ(4h)`` (a divided difference on the offsets
    actually used) is h⁴ times a fourth derivative — negligible — plus noise of
    standard deviation √70·σ. A kink or a jump off the point spoils at most one
    side (a kink at the point spoils neither), so each line gives the smaller of
    its two sides; a jump at the point spoils both, and is caught by
    :func:`_line_noise`. σ is read from the 75th percentile of those, which for
    Gaussian noise is 0.674·√70·σ.
    """
    samples = []
    for lines in all_lines:
        n = lines.step.shape[0]
        # Full mode: up to NOISE_SAMPLE elements per parameter; directional mode:
        # the first direction of each parameter (its lines are few and costly).
        count = min(n, NOISE_SAMPLE if mode == "full" else 1)
        chosen = np.unique(np.linspace(0, n - 1, count).round().astype(np.intp))
        sides = []
        for sign in (1.0, -1.0):
            values, offsets = [], []
            for multiplier in (1.0, 2.0, 3.0, 4.0):
                v, t = lines.evaluate(chosen, sign * multiplier)
                values.append(v)
                offsets.append(t)
            sides.append((values, offsets))
        (plus, plus_offsets), (minus, minus_offsets) = sides
        samples.append(
            _line_noise(f0, plus, plus_offsets, minus, minus_offsets, lines.step[chosen])
        )
    pooled = np.concatenate(samples) if samples else np.zeros(0)
    # Lines along which f does not change at all (a dead unit) carry no noise.
    pooled = pooled[np.isfinite(pooled) & (pooled > 0)]
    if pooled.size == 0:
        return 0.0
    return float(noise_from_fourth(np.percentile(pooled, 75)))


def _refine(lines, todo, analytic, analytic_floor, f0, noise, u, multipliers, known, tolerance):
    """Central differences at two step sizes, one-sided slopes and the jump test for ``todo``."""
    K, c = AGREEMENT_FACTOR, ROUNDING_SAFETY
    small, large = multipliers
    if known is None:
        fp1, tp1 = lines.evaluate(todo, small)
        fm1, tm1 = lines.evaluate(todo, -small)
    else:
        fp1, tp1, fm1, tm1 = known
    fp2, tp2 = lines.evaluate(todo, large)
    fm2, tm2 = lines.evaluate(todo, -large)
    d1, truncation = central_difference(fp1, fm1, fp2, fm2, tp1 - tm1, tp2 - tm2)
    h = lines.step[todo] * small
    F = np.maximum.reduce([np.full(todo.size, abs(f0)), *(np.abs(v) for v in (fp1, fm1, fp2, fm2))])
    # This line's own noise, from one-sided differences on 0, h, 2h, 3h, 4h.
    fp3, tp3 = lines.evaluate(todo, 3 * small)
    fm3, tm3 = lines.evaluate(todo, -3 * small)
    fp4, tp4 = lines.evaluate(todo, 4 * small)
    fm4, tm4 = lines.evaluate(todo, -4 * small)
    plus, plus_offsets = (fp1, fp2, fp3, fp4), (tp1, tp2, tp3, tp4)
    minus, minus_offsets = (fm1, fm2, fm3, fm4), (tm1, tm2, tm3, tm4)
    own_noise = noise_from_fourth(_line_noise(f0, plus, plus_offsets, minus, minus_offsets, h))
    noise = np.maximum(noise, np.nan_to_num(own_noise))
    rounding = rounding_floor(u, F, 0.0, 0.0, h, ulps=c) + NOISE_SAFETY * noise / h
    right = slope_at_zero((f0, fp1, fp2), (0.0, tp1, tp2))
    left = slope_at_zero((f0, fm1, fm2), (0.0, tm1, tm2))
    side_rounding = 4.0 * rounding  # the one-sided weights sum to 8/(2h), four times 1/(2h)
    kink = np.abs(right - left) > K * (truncation + 2.0 * side_rounding)
    jump, below, above, away_left, away_right = _jump_test(
        f0, plus, plus_offsets, minus, minus_offsets, h, u, noise
    )
    a = analytic[todo]
    budget = truncation + rounding + analytic_floor[todo]
    tol = tolerance(budget, d1)
    status = np.where(np.abs(a - d1) <= tol, "ok", "mismatch").astype(object)
    note = np.full(todo.size, "", dtype=object)
    # At a kink: accept an analytic value between the one-sided slopes.
    side_tol = tolerance(
        side_rounding + analytic_floor[todo], np.maximum(np.abs(left), np.abs(right))
    )
    low = np.minimum(left, right) - side_tol
    high = np.maximum(left, right) + side_tol
    inside = (a >= low) & (a <= high)
    status[kink & inside] = "kink"
    status[kink & ~inside] = "mismatch"
    note[kink & ~inside] = "gradcheck.note.outside_slopes"
    # Across a jump there is no derivative to compare with: nothing is checked.
    status[jump] = "jump"
    note[jump] = "gradcheck.note.jump"
    marked = kink | jump
    return {
        "numeric": d1,
        "tol": np.where(jump, np.nan, np.where(kink, side_tol, tol)),
        "status": status,
        "left": np.where(jump, away_left, np.where(kink, left, np.nan)),
        "right": np.where(jump, away_right, np.where(kink, right, np.nan)),
        "note": note,
        "kink": marked,
        "below": np.where(jump, below, np.nan),
        "above": np.where(jump, above, np.nan),
    }


def _jump_test(f0, plus, plus_offsets, minus, minus_offsets, h, u, noise):
    """Does the stencil cross a jump? (see the module docstring)

    Returns ``(jump, c₋, c₊, S'₋, S'₊)``: a boolean per line, the offsets of the limits
    from φ(0) and the branch slopes, each from the quadratic through the values at about
    1, 2 and 3 steps on its side (which leaves φ(0) out).
    """
    K = AGREEMENT_FACTOR
    F = np.maximum.reduce([np.full(np.shape(h), abs(f0)), *(np.abs(v) for v in (*plus, *minus))])
    one_value = rounding_floor(u, F, 0.0, 0.0, 1.0, ulps=ROUNDING_SAFETY) + NOISE_SAFETY * noise
    away = {}
    for side, v, t in (("right", plus, plus_offsets), ("left", minus, minus_offsets)):
        away[side] = (polynomial_at_zero(v[:3], t[:3]) - f0, slope_at_zero(v[:3], t[:3]))
    kink_reach = h * np.abs(away["right"][1] - away["left"][1])
    jump = np.zeros(np.shape(h), dtype=bool)
    for side, v, t in (("right", plus, plus_offsets), ("left", minus, minus_offsets)):
        allowed = K * (third_difference(v, t, h) + kink_reach + JUMP_ROUNDING_WEIGHT * one_value)
        jump |= np.abs(away[side][0]) > allowed
    return jump, away["left"][0], away["right"][0], away["left"][1], away["right"][1]


def _apply(result: dict, todo: np.ndarray, verdicts: _Verdicts) -> np.ndarray:
    """Store a refinement's verdicts; return the lines still to retry at a smaller step."""
    verdicts.numeric[todo] = result["numeric"]
    verdicts.tolerance[todo] = result["tol"]
    for name in ("status", "left", "right", "note", "below", "above"):
        getattr(verdicts, name)[todo] = result[name]
    return todo[(result["status"] == "mismatch") & ~result["kink"]]


# ---------------------------------------------------------------------------- gradcheck


@np.errstate(all="ignore")  # overflow and nan are reported in the entries, not as warnings
def gradcheck(
    f: Callable[[Mapping[str, Any]], Any],
    grad: Callable[[Mapping[str, Any]], Mapping[str, Any]],
    params: Mapping[str, Any],
    *,
    mode: str = "auto",
    rtol: float | None = None,
    atol: float | None = None,
    seed: int = 0,
    directions: int = DEFAULT_DIRECTIONS,
) -> GradcheckReport:
    """Check ``grad`` against finite differences of ``f`` at ``params``.

    ``f(params)`` returns a number; ``grad(params)`` returns a mapping with the
    same names and shapes as ``params``, which maps names to floats or NumPy
    arrays. ``mode``:

    * ``"full"``: every element by central differences (2 evaluations of f per
      element, more only for entries that disagree). When f has a
      ``perturbed`` method (:class:`PerturbableLoss`) all of them are computed
      in a few vectorised calls; otherwise f is called once per perturbation.
    * ``"directional"``: ``directions`` random unit directions v inside each
      parameter, comparing ``<grad, v>`` with ``(f(p+hv) - f(p-hv)) / 2h``: a
      constant number of evaluations however big the parameters are, and still
      naming the parameter that is wrong.
    * ``"auto"``: full up to :data:`AUTO_FULL_LIMIT` elements (or
      :data:`AUTO_FULL_LIMIT_PERTURBABLE` when f is perturbable), else
      directional; a parameter that fails its directions and is within that
      limit is then checked element by element, so the report names the indices.

    Tolerances come from the error budget of each entry (see the module
    docstring); ``rtol``/``atol`` replace it. An entry whose stencil crosses a
    kink is ``kink`` (accepted between the one-sided slopes), one that crosses a
    jump of f is ``jump`` (no derivative: not checked, and said in the summary).
    ``seed`` fixes the directions.
    float32 parameters give a :class:`PrecisionWarning`; the reference is always
    computed in float64 (``grad`` still receives the parameters as given). A loss
    that is not finite at ``params``, and a gradient entry that is not real
    numbers, are listed in ``report.problems`` (the report fails); NumPy's
    overflow and invalid-value warnings are not raised meanwhile.

    >>> import numpy as np
    >>> relu_loss = lambda p: float(np.maximum(p["z"], 0.0).sum())
    >>> report = gradcheck(relu_loss, lambda p: {"z": (p["z"] > 0) * 1.0},
    ...                    {"z": np.array([1e-9, 0.0, -1.0, 2.0])})
    >>> report.ok, [e.status for e in report.entries]
    (True, ['kink', 'kink', 'ok', 'ok'])
    >>> sign_loss = lambda p: float(np.sign(p["z"]).sum())     # sign jumps by 2 at 0
    >>> report = gradcheck(sign_loss, lambda p: {"z": 0 * p["z"]}, {"z": np.array([0.0, 0.5])})
    >>> report.ok, [e.status for e in report.entries], report.entries[0].jump
    (True, ['jump', 'ok'], 2.0)
    >>> print(report.summary().split("; ")[1].split(" (")[0])
    1 across a jump of f, where f has no derivative: not checkable there
    """
    start = time.perf_counter()
    if mode not in ("auto", "full", "directional"):
        raise DerivcheckError("gradcheck.error.mode", mode=repr(mode))
    for label, value in (("rtol", rtol), ("atol", atol)):
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise DerivcheckError("gradcheck.error.tolerance", label=label, value=repr(value))
    if not isinstance(directions, int) or directions < 1:
        raise DerivcheckError(
            "network.error.positive_integer", label="directions", value=repr(directions)
        )
    call_params, shapes = _float64_params(params)

    f0_raw = f(_fresh(call_params))
    f0 = _as_number(f0_raw)
    f_dtype = np.asarray(f0_raw).dtype
    u = float(np.finfo(f_dtype).eps) if np.issubdtype(f_dtype, np.floating) else EPS

    grads_raw = grad(params)
    if not isinstance(grads_raw, Mapping):
        raise DerivcheckError("gradcheck.error.grad_mapping", type=type(grads_raw).__name__)
    analytic, problems, gradient_eps = _analytic_arrays(grads_raw, shapes)
    if not math.isfinite(f0):
        problems.insert(0, Message("gradcheck.problem.loss_not_finite", value=f0))

    total = sum(math.prod(shape) for shape in shapes.values())
    perturbable = callable(getattr(f, "perturbed", None))
    full_limit = AUTO_FULL_LIMIT_PERTURBABLE if perturbable else AUTO_FULL_LIMIT
    locate = mode == "auto"
    if mode == "auto":
        mode = "full" if total <= full_limit else "directional"

    rng = np.random.default_rng(seed)

    def build(name: str, shape: tuple, how: str):
        g = analytic[name]
        g_eps = gradient_eps.get(name, u)
        g_scale = float(np.nanmax(np.abs(g))) if np.isfinite(g).any() else 0.0
        if how == "full":
            lines: _Lines = _ElementLines(f, call_params, name, u)
            a = g.reshape(-1)
            floor = ROUNDING_SAFETY * g_eps * (np.abs(np.nan_to_num(a)) + g_scale)
            indices: list[tuple[int, ...] | str] = list(np.ndindex(shape))
        else:
            size = math.prod(shape)
            count = directions if size > 1 else size  # one for a scalar, none when empty
            vs = []
            for _ in range(count):
                v = rng.standard_normal(size)
                vs.append(v / math.sqrt(_dot(v, v)))
            lines = _DirectionLines(f, call_params, [(name, v) for v in vs], u)
            flat = g.reshape(-1)
            a = np.array([_dot(flat, v) for v in vs])
            magnitudes = np.abs(np.nan_to_num(flat))
            floor = np.array(
                [ROUNDING_SAFETY * g_eps * (_dot(magnitudes, np.abs(v)) + g_scale) for v in vs]
            )
            indices = [f"v{k + 1}" for k in range(count)]
        return lines, a, floor, indices

    built = {name: build(name, shape, mode) for name, shape in shapes.items()}
    first = {name: _stage_one_values(lines) for name, (lines, *_) in built.items()}
    needed = _noise_needed(built, first, f0, u, _tolerance(rtol, atol))
    noise = _estimate_noise([lines for lines, *_ in built.values()], f0, mode) if needed else 0.0
    modes = dict.fromkeys(shapes, mode)
    results: dict[str, tuple] = {}
    for name in shapes:
        lines, a, floor, indices = built[name]
        verdicts = _judge(lines, a, floor, f0, noise, u, rtol, atol, first[name])
        results[name] = (lines, a, indices, verdicts)
    evaluations = 1 + sum(lines.evaluations for lines, *_ in built.values())
    located: dict[str, str] = {}
    if locate and mode == "directional":
        # "auto" found a wrong parameter with random directions (or directions across a
        # jump of f, where nothing can be checked): check that parameter element by
        # element, when it is small enough, to name the indices (and check the rest).
        for name, shape in shapes.items():
            lines, a, indices, verdicts = results[name]
            found = [s for s in ("mismatch", "jump") if s in set(verdicts.status)]
            if found and np.isfinite(a).all() and math.prod(shape) <= full_limit:
                lines, a, floor, indices = build(name, shape, "full")
                results[name] = (lines, a, indices, _judge(lines, a, floor, f0, noise, u, rtol,
                                                           atol))  # fmt: skip
                evaluations += lines.evaluations
                modes[name] = "full"
                located[name] = found[0]

    entries: list[GradcheckEntry] = []
    diagnoses: list[Message] = []
    numeric_by_name: dict[str, np.ndarray] = {}
    for name, shape in shapes.items():
        lines, a, indices, verdicts = results[name]
        numeric_by_name[name] = verdicts.numeric
        for k, index in enumerate(indices):
            entries.append(_entry(name, index, float(a[k]), verdicts, k, lines.step[k]))
        if modes[name] == "directional":
            diagnoses += _diagnose_directional_transpose(
                name, shape, grads_raw.get(name), lines, verdicts, entries
            )
    for name, found in located.items():
        key = "gradcheck.diagnosis.located" + ("_jump" if found == "jump" else "")
        diagnoses.append(Message(key, name=name, count=math.prod(shapes[name])))
    diagnoses = _diagnose(entries, shapes, grads_raw, numeric_by_name, modes) + diagnoses
    return GradcheckReport(
        entries=entries,
        mode=mode if not located else "directional, then full",
        evaluations=evaluations,
        seconds=time.perf_counter() - start,
        diagnosis_messages=diagnoses,
        problem_messages=problems,
    )


def _entry(name, index, analytic, verdicts: _Verdicts, k: int, step: float) -> GradcheckEntry:
    numeric = float(verdicts.numeric[k])
    left = float(verdicts.left[k])
    right = float(verdicts.right[k])
    limits = (float(verdicts.below[k]), float(verdicts.above[k]))
    if verdicts.status[k] == "jump":
        abs_error = math.nan  # no derivative: nothing to measure the analytic value against
    elif not math.isfinite(analytic):
        abs_error = math.inf
    elif math.isfinite(left) and math.isfinite(right):
        # At a kink the reference is the interval between the one-sided slopes.
        abs_error = max(0.0, min(left, right) - analytic, analytic - max(left, right))
    else:
        abs_error = abs(analytic - numeric)
    scale = max(abs(analytic), abs(numeric))
    rel_error = 0.0 if abs_error == 0 else (abs_error / scale if scale else math.inf)
    if math.isnan(abs_error):
        rel_error = math.nan
    elif not math.isfinite(rel_error):
        rel_error = math.inf
    note = str(verdicts.note[k])
    if not math.isfinite(analytic):
        note = note or "gradcheck.note.no_analytic"
    elif not math.isfinite(numeric):
        note = note or "gradcheck.note.not_finite"
    return GradcheckEntry(
        name=name,
        index=index,
        analytic=analytic,
        numeric=numeric,
        abs_error=abs_error,
        rel_error=rel_error,
        tolerance=float(verdicts.tolerance[k]),
        status=str(verdicts.status[k]),
        left=left if math.isfinite(left) else None,
        right=right if math.isfinite(right) else None,
        step=float(step),
        note_message=Message(note) if note else None,
        limits=limits if all(math.isfinite(v) for v in limits) else None,
    )


def _float64_params(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, tuple]]:
    """float64 copies for calling f (floats stay floats), and the shapes; warn on float32."""
    if not isinstance(params, Mapping) or not params:
        raise DerivcheckError("gradcheck.error.params")
    call_params: dict[str, Any] = {}
    shapes: dict[str, tuple] = {}
    low: list[str] = []
    for name, value in params.items():
        if isinstance(value, (bool, np.bool_)):
            raise DerivcheckError("gradcheck.error.bool", name=repr(name))
        if isinstance(value, (int, float)):
            call_params[name] = float(value)
            shapes[name] = ()
            continue
        array = np.asarray(value)
        if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
            raise DerivcheckError("gradcheck.error.dtype", name=repr(name), dtype=array.dtype)
        if np.issubdtype(array.dtype, np.floating) and np.finfo(array.dtype).bits < 64:
            low.append(f"{name} ({array.dtype})")
        if not np.all(np.isfinite(array)):
            raise DerivcheckError("gradcheck.error.not_finite", name=repr(name))
        call_params[name] = np.array(array, dtype=np.float64)  # contiguous copy
        shapes[name] = array.shape
    if low:
        warnings.warn(
            PrecisionWarning(Message("gradcheck.precision", params=", ".join(low))), stacklevel=3
        )
    return call_params, shapes


def _fresh(call_params: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in call_params.items()}


def _analytic_arrays(grads: Mapping[str, Any], shapes: dict[str, tuple]):
    """float64 arrays of the analytic gradient; structural problems are reported."""
    analytic: dict[str, np.ndarray] = {}
    problems: list[Message] = []
    gradient_eps: dict[str, float] = {}
    for name, shape in shapes.items():
        if name not in grads:
            problems.append(Message("gradcheck.problem.missing", name=name))
            analytic[name] = np.full(shape, np.nan)
            continue
        try:
            raw = np.asarray(grads[name])
        except (TypeError, ValueError):
            raw = np.asarray(None)
        if raw.dtype.kind not in "biuf":  # None, strings, objects, complex numbers
            what = Message("gradcheck.type_of", type=type(grads[name]).__name__, dtype=raw.dtype)
            problems.append(Message("gradcheck.problem.not_real", name=name, what=what))
            analytic[name] = np.full(shape, np.nan)
            continue
        value = raw.astype(np.float64, copy=False)
        if raw.dtype.kind == "f":
            gradient_eps[name] = float(np.finfo(raw.dtype).eps)
        if value.shape != shape:
            if value.size == 1 and math.prod(shape) == 1:
                value = value.reshape(shape)
            else:
                hint: Message | str = ""
                if value.ndim == len(shape) == 1:
                    hint = Message("gradcheck.hint.wrong_axis")
                elif value.ndim > len(shape):
                    hint = Message("gradcheck.hint.batch_sum")
                problems.append(
                    Message(
                        "gradcheck.problem.shape", name=name, given=value.shape, shape=shape,
                        hint=hint,
                    )
                )  # fmt: skip
                analytic[name] = np.full(shape, np.nan)
                continue
        analytic[name] = value
    for name in grads:
        if name not in shapes:
            problems.append(Message("gradcheck.problem.extra", name=name))
    return analytic, problems, gradient_eps


# ---------------------------------------------------------------------------- diagnosis


def _describe_ratio(ratio: float) -> Message | None:
    """Words for a constant ratio analytic/numeric, or None when it is 1.

    >>> for ratio in (2.0, 0.5, -1.0, -0.25, 1.7):
    ...     print(_describe_ratio(ratio))
    off by a factor of 2 (2 times too large)
    off by a factor of 2 (half)
    sign error
    sign error and off by a factor of 4 (1/4)
    a constant factor 1.7
    """
    if abs(ratio - 1.0) < 1e-6:
        return None
    if ratio == 0:
        return Message("gradcheck.ratio.zero")
    magnitude = abs(ratio)
    if abs(magnitude - 1.0) < 1e-6:
        return Message("gradcheck.ratio.sign")
    factor = Message("gradcheck.ratio.constant", factor=magnitude)
    for k in range(2, 1025):
        if abs(magnitude - k) <= 1e-6 * k:
            factor = Message("gradcheck.ratio.too_large", k=k)
            break
        if abs(magnitude - 1.0 / k) <= 1e-6 / k:
            factor = Message("gradcheck.ratio.half" if k == 2 else "gradcheck.ratio.fraction", k=k)
            break
    return Message("gradcheck.ratio.sign_and", factor=factor) if ratio < 0 else factor


def _constant_ratio(entries: list[GradcheckEntry]) -> float | None:
    """The common ratio analytic/numeric of the entries, when there is one."""
    usable = [
        e
        for e in entries
        if math.isfinite(e.analytic) and math.isfinite(e.numeric) and abs(e.numeric) > e.tolerance
    ]
    if not usable:
        return None
    ratio = float(np.median([e.analytic / e.numeric for e in usable]))
    for e in entries:
        if not math.isfinite(e.analytic):
            return None
        if abs(e.analytic - ratio * e.numeric) > e.tolerance * (1.0 + abs(ratio)) + 1e-9 * abs(
            e.analytic
        ):
            return None
    return ratio


def _diagnose(entries, shapes, grads_raw, numeric_by_name, modes) -> list[Message]:
    notes: list[Message] = []
    by_name: dict[str, list[GradcheckEntry]] = {}
    for e in entries:
        by_name.setdefault(e.name, []).append(e)
    ratios: dict[str, float] = {}
    for name, group in by_name.items():
        bad = [e for e in group if e.status == "mismatch"]
        if not bad:
            continue
        mode = modes[name]
        what = Message(f"gradcheck.what.{'directions' if mode == 'directional' else 'entries'}")
        # Shape problems: is the gradient the transpose of what it should be?
        shape = shapes[name]
        raw = grads_raw.get(name)
        if raw is not None and mode == "full" and len(shape) == 2:
            given = np.asarray(raw, dtype=np.float64) if _is_numeric(raw) else None
            numeric = numeric_by_name[name].reshape(shape)
            tol = np.array([e.tolerance for e in group]).reshape(shape)
            if given is not None and given.shape == shape[::-1] != shape:
                if np.all(np.abs(given.T - numeric) <= tol):
                    notes.append(
                        Message(
                            "gradcheck.diagnosis.transposed_weight",
                            name=name,
                            given=given.shape,
                            shape=shape,
                        )
                    )
                    continue
            if given is not None and given.shape == shape and shape[0] == shape[1]:
                if np.all(np.abs(given.T - numeric) <= tol):
                    notes.append(Message("gradcheck.diagnosis.transposed", name=name))
                    continue
        if not all(math.isfinite(e.analytic) for e in group):
            continue
        if any(e.left is not None for e in bad):
            continue  # across a kink the central difference is no derivative to compare with
        checked = [e for e in group if e.status != "jump"]  # at a jump nothing is measured
        ratio = _constant_ratio(checked)
        if ratio is not None:
            words = _describe_ratio(ratio)
            if words:
                ratios[name] = ratio
                where = Message("gradcheck.in_all", count=len(checked), what=what)
                notes.append(
                    Message(
                        "gradcheck.diagnosis.ratio",
                        name=name,
                        words=words,
                        ratio=ratio,
                        where=where if len(checked) > 1 else "",
                    )
                )
                continue
        zero_numeric = [e for e in bad if abs(e.numeric) <= e.tolerance]
        if zero_numeric and len(zero_numeric) == len(bad):
            notes.append(
                Message("gradcheck.diagnosis.missing_mask", name=name, count=len(bad), what=what)
            )
    if len(ratios) >= 2:
        values = list(ratios.values())
        if all(abs(r - values[0]) <= 1e-6 * abs(values[0]) for r in values):
            notes.append(
                Message(
                    "gradcheck.diagnosis.shared_factor", names=", ".join(ratios), factor=values[0]
                )
            )
    return notes


def _diagnose_directional_transpose(name, shape, raw, lines, verdicts, entries) -> list[Message]:
    """Directional mode: does <gradᵀ, v> match where <grad, v> does not?"""
    if raw is None or len(shape) != 2 or not _is_numeric(raw):
        return []
    given = np.asarray(raw, dtype=np.float64)
    if given.shape not in (shape[::-1],) and not (given.shape == shape and shape[0] == shape[1]):
        return []
    ours = [e for e in entries if e.name == name]
    if all(e.status != "mismatch" for e in ours):
        return []
    for k, (_, v) in enumerate(lines.directions):
        transposed = _dot(given.T.reshape(-1), v)
        if not abs(transposed - verdicts.numeric[k]) <= verdicts.tolerance[k]:
            return []
    return [Message("gradcheck.diagnosis.directional_transposed", name=name)]


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """The dot product of two vectors without BLAS: a multithreaded BLAS (OpenBLAS threads a
    dot product of more than 10,000 elements) waits for its threads at every call, which
    costs milliseconds on a machine whose cores are busy; a sum of products does not.

    >>> _dot(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    11.0
    """
    return float(np.add.reduce(a * b))


def _is_numeric(value: Any) -> bool:
    try:
        np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return True
