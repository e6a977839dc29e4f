"""What the numeric engine returns: :class:`NumericResult`, :class:`Verdict`, :class:`Kink`.

>>> r = NumericResult(2.0, 1e-15, "complex", 1e-20, 4)
>>> r.ok
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class NumericResult:
    """A numeric derivative with its error estimate.

    ``estimate``: the derivative (``nan`` when there is none, see ``problem``);
    ``error_estimate``: bound on |estimate - f'(x0)| that the true error rarely exceeds;
    ``method``: the method that produced it; ``step``: the step h used (the smallest step of the
    Richardson tableau entry that was chosen, the complex step for ``complex``);
    ``evaluations``: the number of points at which f was evaluated;
    ``note``: a sentence when something needs saying (domain, kink, one-sided stencil);
    ``problem``: ``None``, ``"domain"`` (f undefined or not real at or near x0, or x0 on the
    edge of its domain), ``"pole"`` (f infinite at x0), ``"kink"`` (left and right derivatives
    differ, or f jumps), ``"resolution"`` (a pole or domain edge closer to x0 than
    floating-point steps can resolve) or ``"infinite"`` (the difference quotients grow without
    bound as h shrinks: a vertical tangent, or a pole or jump closer than the smallest step).

    >>> r = NumericResult(2.0, 1e-15, "complex", 1e-20, 4)
    >>> r.ok, str(r)
    (True, '2 ± 1e-15 (complex, h=1e-20, 4 evaluations)')
    """

    estimate: float
    error_estimate: float
    method: str
    step: float
    evaluations: int
    note: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when there is a finite estimate with a finite error estimate."""
        return (
            self.problem is None
            and math.isfinite(self.estimate)
            and math.isfinite(self.error_estimate)
        )

    @property
    def relative_error_estimate(self) -> float:
        """error_estimate / |estimate| (inf when the estimate is 0 or missing)."""
        if not math.isfinite(self.estimate) or self.estimate == 0:
            return math.inf if self.error_estimate else 0.0
        return self.error_estimate / abs(self.estimate)

    def __str__(self) -> str:
        text = (
            f"{self.estimate:.16g} ± {self.error_estimate:.2g} "
            f"({self.method}, h={self.step:.3g}, {self.evaluations} evaluations)"
        )
        return f"{text}: {self.note}" if self.note else text


@dataclass(frozen=True)
class Verdict:
    """Whether an exact value agrees with a numeric result, and by how much.

    ``difference`` = |exact - estimate|; ``budget`` = VERDICT_MULTIPLE * error_estimate +
    VALUE_FLOOR_ULPS * eps * |exact|; ``ratio`` = difference / budget (agree when <= 1).

    >>> print(Verdict(True, 1e-15, 4e-14, 0.025))
    agrees: |exact - numeric| = 1e-15 <= budget 4e-14 (ratio 0.025)
    """

    agrees: bool
    difference: float
    budget: float
    ratio: float
    note: str | None = None

    def __str__(self) -> str:
        word, sign = ("agrees", "<=") if self.agrees else ("disagrees", ">")
        text = (
            f"{word}: |exact - numeric| = {self.difference:.3g} {sign} budget {self.budget:.3g} "
            f"(ratio {self.ratio:.3g})"
        )
        return f"{text}; {self.note}" if self.note else text


@dataclass(frozen=True)
class Kink:
    """A point where the left and right derivatives differ.

    ``location``: the kink (x0 for a black box; the root of the kink's argument for a compiled
    expression); ``left`` and ``right``: the one-sided derivatives; ``jump`` = right - left;
    ``argument``: the expression that is 0 there (compiled expressions only);
    ``discontinuous``: f itself jumps there (a one-sided limit differs from f(x0)).
    """

    location: float
    left: NumericResult
    right: NumericResult
    jump: float
    argument: str | None = None
    discontinuous: bool = False

    def __str__(self) -> str:
        where = f" where {self.argument} = 0" if self.argument else ""
        text = (
            f"kink at x = {self.location:.16g}{where}: left derivative "
            f"{self.left.estimate:.12g}, right derivative {self.right.estimate:.12g}"
        )
        return text + " (f jumps there)" if self.discontinuous else text
