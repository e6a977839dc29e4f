"""What the numeric engine returns: :class:`NumericResult`, :class:`Verdict`, :class:`Kink`.

Their notes are :class:`~derivcheck.messages.Message` objects (``note_message``), shown in
English or Chinese when asked (``note_text(lang)``); ``note`` is the English sentence, for
code that reads it as text.

>>> from derivcheck.messages import Message
>>> r = NumericResult(2.0, 1e-15, "complex", 1e-20, 4)
>>> r.ok
True
>>> near = NumericResult(3.0, 1e-14, "richardson", 1e-10, 90,
...                      Message("numeric.near_kink", distance=9.3e-10, where="x = 0.3"))
>>> near.note
'a kink lies within 9.3e-10 of x = 0.3: steps kept on one side of it'
>>> near.note_text("zh"), near.near_kink
('距 x = 0.3 仅 9.3e-10 处有折点：差分步长只取一侧', True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from derivcheck.messages import Message, text

#: Keys of the notes that say "the steps stayed on one side of a kink / a pole nearby".
NEAR_KINK = "numeric.near_kink"
NEAR_EDGE = "numeric.near_edge"


class _Noted:
    """A result with ``note`` (English text) and ``note_message`` (the Message behind it)."""

    note: str | None
    note_message: Message | None

    def __post_init__(self) -> None:
        # ``note`` given as a Message: keep it as ``note_message``, and ``note`` as English.
        if isinstance(self.note, Message):
            object.__setattr__(self, "note_message", self.note)
        if self.note_message is not None:
            object.__setattr__(self, "note", self.note_message.to_text("en"))

    def note_text(self, lang: str = "en") -> str | None:
        """The note in ``lang`` (None when there is none)."""
        if self.note_message is not None:
            return text(self.note_message, lang)
        return self.note


@dataclass(frozen=True)
class NumericResult(_Noted):
    """A numeric derivative with its error estimate.

    ``estimate``: the derivative (``nan`` when there is none, see ``problem``);
    ``error_estimate``: bound on |estimate - f'(x0)| that the true error rarely exceeds;
    ``method``: the method that produced it; ``step``: the step h used (the smallest step of the
    Richardson tableau entry that was chosen, the complex step for ``complex``);
    ``evaluations``: the number of points at which f was evaluated;
    ``note``: a sentence (English) when something needs saying (domain, kink, one-sided
    stencil); ``note_message``: the same as a :class:`~derivcheck.messages.Message` (a
    Message passed as ``note`` is kept there); ``note_text(lang)`` shows it in ``lang``;
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
    note_message: Message | None = None

    @classmethod
    def plain(
        cls, estimate: float, error_estimate: float, method: str, step: float, evaluations: int
    ) -> NumericResult:
        """``NumericResult(estimate, error_estimate, method, step, evaluations)``: no note, no
        problem, at a fifth of the frozen dataclass's ``__init__`` (1.3 µs, an eighth of the
        complex step of a NumPy callable).

        >>> NumericResult.plain(2.0, 1e-15, "complex", 1e-20, 4) == NumericResult(
        ...     2.0, 1e-15, "complex", 1e-20, 4)
        True
        """
        result = object.__new__(cls)
        result.__dict__.update(
            estimate=estimate,
            error_estimate=error_estimate,
            method=method,
            step=step,
            evaluations=evaluations,
            note=None,
            problem=None,
            note_message=None,
        )
        return result

    @property
    def near_kink(self) -> bool:
        """True when the steps were kept on one side of a kink within reach of x0."""
        return self.note_message is not None and self.note_message.key == NEAR_KINK

    @property
    def near_edge(self) -> bool:
        """True when the steps were kept short of a pole or domain edge close to x0."""
        return self.note_message is not None and self.note_message.key == NEAR_EDGE

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

    def to_text(self, lang: str = "en") -> str:
        """Estimate, error estimate, method, step and evaluations, and the note in ``lang``."""
        shown = (
            f"{self.estimate:.16g} ± {self.error_estimate:.2g} "
            f"({self.method}, h={self.step:.3g}, {self.evaluations} evaluations)"
        )
        note = self.note_text(lang)
        return f"{shown}: {note}" if note else shown

    def __str__(self) -> str:
        return self.to_text("en")


@dataclass(frozen=True)
class Verdict(_Noted):
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
    note_message: Message | None = None

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

    @property
    def message(self) -> Message:
        """This kink as a sentence."""
        slopes = Message("numeric.slopes", left=self.left.estimate, right=self.right.estimate)
        if self.argument:
            kink = Message(
                "numeric.kink_at_where",
                location=self.location,
                argument=self.argument,
                slopes=slopes,
            )
        else:
            kink = Message("numeric.kink_at", location=self.location, slopes=slopes)
        return Message("numeric.kink_jumps", kink=kink) if self.discontinuous else kink

    def to_text(self, lang: str = "en") -> str:
        """This kink in ``lang``."""
        return text(self.message, lang)

    def __str__(self) -> str:
        return self.to_text("en")
