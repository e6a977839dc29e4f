"""The tokenizer's fast path (one regular expression for plain ASCII tokens) must read
every text exactly as the character-at-a-time path does."""

from __future__ import annotations

import random

import pytest
from sympy import Rational

from derivcheck.errors import ParseError
from derivcheck.reading.tokens import Tokenizer

# Characters where the two paths could part: the fast path's edges (., e, E, 0x, _, **,
# ==), non-ASCII neighbours (², ＊, α, ₁, ·), LaTeX, primes, spaces and brackets.
_ALPHABET = list("0123456789.eExX_abz ()[]{}+-*/^=,;|'\\²＊α₁·√π\n") + [
    "sin",
    "ln",
    "**",
    "==",
    "0x",
    "1.5",
    "\\frac",
    "\\sin",
    "ｘ",
    "e-3",
]


class _Slow(Tokenizer):
    fast = False


def _read(tokenizer: type[Tokenizer], text: str) -> object:
    try:
        return [(t.kind, t.value, t.pos, t.end, t.spaced) for t in tokenizer(text).run()]
    except ParseError as error:
        return ("error", error.message, error.position)


@pytest.mark.parametrize(
    "text",
    [
        "12.5e3x", "abc_1", "0x10", "00x", "0.5x", "x***2", "x==1", "a=1", "x**2", "2xcos(x^2)",
        "x²+1", "3＊x", "xα", "x₁", "1.", ".5", "1e-3", "sin x·cos x", "y' = 2x", "x" * 70,
        "9" * 4001, "(x+1)(x-1)", "\\frac{1}{2}", "2 x",
    ],
)  # fmt: skip
def test_known_edges_read_the_same_both_ways(text):
    assert _read(Tokenizer, text) == _read(_Slow, text)


def test_random_texts_read_the_same_both_ways():
    rng = random.Random(20261202)
    for _ in range(4000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 12)))
        assert _read(Tokenizer, text) == _read(_Slow, text), text


def test_the_fast_path_reads_a_long_number_and_name_whole():
    tokens = Tokenizer("123.25 x1" + "y" * 62).run()  # a 64-character name: the longest
    assert [(t.kind, t.value, t.pos, t.end) for t in tokens] == [
        ("num", Rational(493, 4), 0, 6),
        ("name", "x1" + "y" * 62, 7, 71),
        ("end", None, 71, 71),
    ]
