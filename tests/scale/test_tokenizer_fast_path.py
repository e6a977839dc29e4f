"""The tokenizer's fast path (plain-ASCII tokens in one compiled expression) reads exactly
what the character-by-character reader reads: the same tokens, the same errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivcheck.errors import ParseError
from derivcheck.reading.tokens import Tokenizer, tokenize

# Characters around which the two readers could differ: digits, dots and exponents, 0x,
# names with underscores, subscripts and Greek letters, ** and full-width look-alikes,
# = and ==, brackets, primes, LaTeX, spaces and newlines.
ALPHABET = "0123456789.eExXabsinco_₁²απ+-*/^＊＝=()[]{}|,; \n'\\"


def _read(text: str, fast: bool):
    old = Tokenizer.fast
    Tokenizer.fast = fast
    try:
        return [(t.kind, t.value, t.pos, t.end, t.spaced) for t in tokenize(text)[1]]
    except ParseError as error:
        return ("error", error.message.key, error.position)
    finally:
        Tokenizer.fast = old


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24))
def test_fast_and_slow_readers_agree(text):
    assert _read(text, True) == _read(text, False)


@pytest.mark.parametrize(
    "text",
    [
        "6(2x+1)^2",
        "2.5x**2 - 3*x",
        "0x10",
        "0x",
        "2e3x",
        "2e^x",
        "1.",
        "1..2",
        "x_1 + x_{out}",
        "x₁²",
        "2*＊x",
        "y' = 2x",
        "a == b",
        "sin x cos x",
        "1" * 400,
        "x" * 300,
    ],
)
def test_known_corners_agree(text):
    assert _read(text, True) == _read(text, False)
