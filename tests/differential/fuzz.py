"""Hostile text for the parser and ``explain``: mutations of valid expressions and the
inputs issue 10 names (towers, giant numbers, long products, non-real constants).

Every call must end within :data:`CPU_LIMIT` seconds of CPU time with a value or a
:class:`~derivcheck.errors.DerivcheckError`; :func:`attempt` says how a call ended.

>>> found = mutations("sin(x)", seed=3, count=3)
>>> len(found), found == mutations("sin(x)", seed=3, count=3)
(3, True)
>>> attempt(lambda: 1 + 1).outcome
'value'
"""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CPU_LIMIT",
    "Attempt",
    "attempt",
    "mutations",
    "HOSTILE",
    "towers",
    "fuzz_texts",
]

#: CPU seconds one call may take (issue 10: "every hostile input ends in ≤ 2 s").
CPU_LIMIT = 2.0

_UNICODE = (
    "²", "³", "⁻¹", "√", "∛", "（", "）", "−", "·", "×", "÷", "π", "θ", "ℯ", "½", "ｘ", "１",
    "\u200b", "\u00a0", "\u3000", "😀", "\x00", "\u0301", "\u202e", "\ufeff", "∞", "∂", "′",
    "٣", "Ⅸ", "ß", "İ", "ﬁ", "\ud800", "\\", "$", "【", "σ", "|", "\n", "\t", "'", '"',
)  # fmt: skip
_ASCII = "+-*/^()[]{}|,;=.!'_0123456789exy "
_GIANTS = (
    "10^4000", "10^-4000", "9^9^9", "1e308", "1e-4000", "2^1000", "10^4000/10^-4000",
    "9" * 4001, "0." + "0" * 4000 + "1", "1e999999", "(10^4000)^(10^4000)",
)  # fmt: skip


@dataclass(frozen=True)
class Attempt:
    """How one call ended: ``outcome`` "value", "error" (a DerivcheckError) or "exception"
    (anything else: a bug); ``cpu`` seconds; ``detail`` the error and, for an exception,
    its type and the last frame of its traceback."""

    outcome: str
    cpu: float
    detail: str = ""
    value: Any = None
    timed_out: bool = False  # stopped by its time limit (CPU or the wall-clock backstop)

    @property
    def slow(self) -> bool:
        return self.cpu > CPU_LIMIT or self.timed_out

    @property
    def ok(self) -> bool:
        return self.outcome != "exception" and not self.slow


def attempt(call: Callable[[], Any]) -> Attempt:
    """Run ``call`` and say how it ended (never raises, except KeyboardInterrupt)."""
    from derivcheck.errors import DerivcheckError

    start = time.process_time()
    try:
        value = call()
    except DerivcheckError as error:
        from tests.differential.runner import timed_out

        detail = f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
        return Attempt("error", time.process_time() - start, detail, timed_out=timed_out(error))
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # noqa: BLE001 - MemoryError, RecursionError: all bugs
        frames = traceback.extract_tb(error.__traceback__)
        where = "?"
        if frames:
            frame = frames[-1]
            where = f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno} in {frame.name}"
        detail = f"{type(error).__name__}: {str(error)[:160]} at {where}"
        return Attempt("exception", time.process_time() - start, detail)
    return Attempt("value", time.process_time() - start, "", value)


def mutations(text: str, seed: int, count: int) -> list[str]:
    """``count`` mutations of ``text``: characters deleted, duplicated, swapped, inserted
    (ASCII operators and brackets, Unicode look-alikes and control characters), numbers
    made giant, the whole wrapped or spliced."""
    r = random.Random(f"fuzz:{seed}:{text}")
    found = []
    for _ in range(count):
        s = text
        for _ in range(r.choice((1, 1, 1, 2, 3))):
            s = _mutate(s, r)
        found.append(s)
    return found


def _mutate(s: str, r: random.Random) -> str:
    k = r.randrange(len(s) + 1) if s else 0
    how = r.randrange(9)
    if how == 0 and s:  # delete
        return s[:k] + s[k + 1 :]
    if how == 1 and s:  # duplicate a piece
        j = min(len(s), k + r.randint(1, 4))
        return s[:j] + s[k:j] + s[j:]
    if how == 2 and len(s) > 1:  # swap neighbours
        k = min(k, len(s) - 2)
        return s[:k] + s[k + 1] + s[k] + s[k + 2 :]
    if how == 3:
        return s[:k] + r.choice(_UNICODE) + s[k:]
    if how == 4:
        return s[:k] + r.choice(_ASCII) + s[k:]
    if how == 5:  # a giant number somewhere
        return s[:k] + f"({r.choice(_GIANTS)})" + s[k:]
    if how == 6:  # wrap
        outer = r.choice(("e^({})", "({})^({})", "sin({})", "ln({})", "({})^x", "x^({})"))
        return outer.format(s, s) if outer.count("{}") == 2 else outer.format(s)
    if how == 7:  # the same text twice, glued
        return s + r.choice(("", "*", "^", "(", ")")) + s
    return s.upper() if r.random() < 0.5 else s.replace("x", r.choice(("X", "x x", "xx", "ｘ")))


def towers(levels: int) -> list[str]:
    """Towers of exponents ``levels`` high: e^e^…^x and x^x^…^x."""
    return ["e^" * levels + "x", "^".join(["x"] * levels)]


#: (text, point, what it is): the hostile inputs issue 10 names, with the point used.
HOSTILE: tuple[tuple[str, Any, str], ...] = (
    ("max(x,asin(x))", 2, "max of a non-real argument"),
    ("relu(ln(x))", -1, "relu of a non-real argument"),
    ("relu(asin(2))*x", 1, "relu of a non-real constant"),
    ("relu(sqrt(x))", 0, "relu on a domain edge"),
    ("min(asinh(sinh(x)),x)", 3, "min of a tie SymPy cannot see"),
    ("u1*v1*w1*t1*s1*x", 1, "every name prefix for intermediate variables taken"),
    ("u1*v1*w1*t1*s1*x", {"u1": 1, "v1": 1, "w1": 1, "t1": 1, "s1": 1, "x": 1}, "same, all"),
    ("10^4000/10^-4000", 1, "an 8,001-digit number"),
    ("acos(sin(2^1000))", 1, "a huge trigonometric argument"),
    ("x^(10^4000)", 2, "a giant exponent"),
    ("e^(10^4000)", 1, "a giant power of e"),
    ("x^1e308", 2, "an exponent of 1e308"),
    ("(" * 30 + "x+1" + ")^3+1" * 30, 1, "(x+1)^3 nested 30 deep"),
    ("ln(" * 30 + "x" + ")" * 30, 1e10, "ln nested 30 deep"),
    ("*".join(["(x+1)"] * 2000), 1, "a product of 2,000 factors"),
    ("e^e^e^e^e^e^e^e^e^x", 1, "a tower of 9 e's"),
    ("e^e^e^e^e^e^e^e^e^x", {"x": 1}, "a tower of 9 e's, point as a mapping"),
    ("^".join(["x"] * 20), 1.5, "a tower of 20 x's"),
)


def fuzz_texts(seed: int, count: int) -> list[str]:
    """Valid generated expressions and their mutations (about a third each of mutation
    depth 1, 2, 3), ``count`` in all."""
    from tests.differential.generator import case

    texts: list[str] = []
    i = 0
    while len(texts) < count:
        source = case(seed, 10_000 + i).text
        texts.extend(mutations(source, seed + i, 3))
        i += 1
    return texts[:count]
