"""Names: variables, constants, and the functions of the catalogue as people spell them.

Every fact about a function (its spellings, argument counts, parameters, the function
whose ⁻¹ it is) is read from :mod:`derivcheck.calculus.catalogue`; a function added
there is read here with no change. Function names are case-insensitive (``Sin x``,
``ReLU``); variable names are not.

>>> function_named("ARCSIN").record.key, function_named("sqrt").arity
('arcsin', (1,))
>>> function_named("sin").inverse().record.key
'arcsin'
>>> split_glued("xsinx", letters=set(), argument_follows=False)
['x', 'sin', 'x']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache

import sympy

from derivcheck.calculus import catalogue
from derivcheck.calculus.catalogue import FunctionRecord, Parameter

__all__ = [
    "symbol",
    "CONSTANTS",
    "GREEK_WORDS",
    "FUNCTION_NAMES",
    "FunctionSpelling",
    "function_named",
    "log_base",
    "is_latex_name",
    "split_glued",
    "split_known",
    "leading_letter",
    "did_you_mean",
    "greek_name",
]


def symbol(name: str) -> sympy.Symbol:
    """The SymPy symbol derivcheck uses for a variable name (always real).

    >>> symbol("x").is_real
    True
    """
    return sympy.Symbol(name, real=True)


CONSTANTS = {"e": sympy.E, "pi": sympy.pi}

#: LaTeX commands of Greek letters, and the names Greek letters become (θ is theta).
GREEK_WORDS = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
    "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
})  # fmt: skip

#: Every function name the reader knows, lower-case (the catalogue's spellings and aliases,
#: as the catalogue held them at import); any capitalisation of them is read too (``Sin``).
FUNCTION_NAMES = catalogue.spellings()


@cache
def greek_name(ch: str) -> str | None:
    """'θ' -> 'theta', 'Δ' -> 'Delta'; None for anything that is not a Greek letter.

    >>> greek_name("θ"), greek_name("Δ"), greek_name("x")
    ('theta', 'Delta', None)
    """
    name = unicodedata.name(ch, "")
    for prefix, capital in (("GREEK SMALL LETTER ", False), ("GREEK CAPITAL LETTER ", True)):
        if name.startswith(prefix):
            word = name[len(prefix) :].lower()
            if " " in word:  # FINAL SIGMA and other variants
                word = word.split()[-1]
            return word.capitalize() if capital else word
    return None


@cache
def _greek_letter(word: str) -> str | None:
    """'sigma' -> 'σ' (lower-case words only: Σ is not σ)."""
    if not word.islower() or word not in GREEK_WORDS:
        return None
    try:
        return unicodedata.lookup(f"GREEK SMALL LETTER {word.upper()}")
    except KeyError:  # varepsilon, varphi, ...
        return None


# --------------------------------------------------------------------------------------
# Functions
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionSpelling:
    """A function as the user named it: a catalogue record, or an alias (sqrt, lg, log2)."""

    name: str
    record: FunctionRecord | None = None
    builder: Callable[..., sympy.Expr] | None = None
    arity: tuple[int, ...] = (1,)

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Constant trailing arguments (leaky_relu's slope a), from the catalogue."""
        return self.record.parameters if self.record is not None else ()

    @property
    def inputs(self) -> int:
        """How many leading arguments are inputs rather than parameters."""
        return max(self.arity) - len(self.parameters)

    @property
    def is_log(self) -> bool:
        """Whether this is the logarithm, whose second argument is its base (log(x, 2))."""
        return self.record is not None and self.record.key == "log"

    def build(self, *args: sympy.Expr) -> sympy.Expr:
        if self.record is not None:
            return self.record.build(*args)
        return self.builder(*args)  # type: ignore[misc]

    def inverse(self) -> FunctionSpelling | None:
        """The function that ``name⁻¹`` means (sin⁻¹ is arcsin), from the catalogue."""
        if self.record is None:
            return None
        record = catalogue.inverse_of(self.record.key)
        return None if record is None else _of_record(record.key, record)


def _of_record(name: str, record: FunctionRecord) -> FunctionSpelling:
    return FunctionSpelling(name, record, None, record.arity)


def function_named(name: str, called: bool = True) -> FunctionSpelling | None:
    """The function ``name`` spells (any capitalisation), or None.

    A Greek letter that spells a function (σ for sigmoid) is one only when ``called``
    (followed by a bracket): ``σ x`` is the variable sigma times x.

    >>> function_named("Sin").record.key, function_named("log10").name
    ('sin', 'log10')
    >>> function_named("sigma", called=False) is None, function_named("sigma").record.key
    (True, 'sigmoid')
    """
    lower = name.lower()
    alias = catalogue.ALIASES.get(lower)
    if alias is not None:
        builder, counts = alias
        return FunctionSpelling(name, None, builder, counts)
    record = catalogue.lookup(name)
    if record is not None:
        return _of_record(name, record)
    letter = _greek_letter(name)
    if called and letter is not None:
        record = catalogue.lookup(letter)
        if record is not None and letter in record.names:
            return _of_record(letter, record)
    return None


_LOG_BASE = re.compile(r"(?i:log)_?(\d+|e)")


def log_base(name: str) -> sympy.Expr | None:
    """The base that ``log_2``, ``log_10``, ``log_e``, ``log3`` name, or None.

    >>> log_base("log_2"), log_base("log_e"), log_base("lnx")
    (2, E, None)
    """
    match = _LOG_BASE.fullmatch(name)
    if match is None:
        return None
    base = match.group(1)
    return sympy.E if base in ("e", "E") else sympy.Integer(base)


def is_latex_name(command: str) -> bool:
    """Whether ``\\command`` is a name: a function of the catalogue (``\\arcsin``,
    ``\\sinh``, ``\\erf``, ``\\lg``), or ``\\e``."""
    return command == "e" or function_named(command) is not None


# --------------------------------------------------------------------------------------
# Glued names: sinx, cos2x, xsinx, 2xcos(x^2)
# --------------------------------------------------------------------------------------


@cache
def _prefix_pattern() -> re.Pattern[str]:
    """The function spellings a glued name may start with, longest first."""
    words = sorted(
        (w for w in catalogue.spellings() if len(w) >= 2 and re.fullmatch(r"[a-z][a-z0-9_]*", w)),
        key=len,
        reverse=True,
    )
    return re.compile("|".join(map(re.escape, words)), re.IGNORECASE)


_GREEK_PATTERN = re.compile("|".join(sorted(GREEK_WORDS, key=len, reverse=True)))
_SIMPLE = re.compile(r"(\d*)([A-Za-z]?|[A-Za-z]+)(\d*)")


def _function_at(name: str, start: int) -> str | None:
    """The function spelling at ``name[start:]``, unless it cuts a Greek word (th/theta)."""
    match = _prefix_pattern().match(name, start)
    if match is None:
        return None
    greek = _GREEK_PATTERN.match(name, start)
    if greek is not None and greek.end() > match.end():
        return None
    return match.group(0)


def leading_letter(name: str) -> str:
    """The one letter a name starts with: a Greek letter's name counts as one letter.

    >>> leading_letter("xsin"), leading_letter("thetax")
    ('x', 'theta')
    """
    greek = _GREEK_PATTERN.match(name)
    return greek.group(0) if greek else name[:1]


def _simple(rest: str) -> list[str] | None:
    """What may follow a glued function name: 'x', '2x', 'theta', 'x1', '2' -> its pieces."""
    match = _SIMPLE.fullmatch(rest)
    if not match or not rest:
        return None
    digits, letters, trailing = match.groups()
    if not letters:
        return [digits] if digits and not trailing else None
    if len(letters) != 1 and letters not in GREEK_WORDS:
        return None
    return [p for p in (digits, letters + trailing) if p]


def _tail(rest: str, letters: Collection[str], argument_follows: bool) -> list[str] | None:
    if not rest:
        return None
    simple = _simple(rest)
    if simple is not None:
        return simple
    return _segment(rest, letters, argument_follows)


def _segment(name: str, letters: Collection[str], argument_follows: bool) -> list[str] | None:
    function = _function_at(name, 0)
    if function is not None:
        tail = _tail(name[len(function) :], letters, argument_follows)
        if tail is not None:
            return [function, *tail]
    lead = leading_letter(name)
    if not lead.isalpha() or not lead.isascii():
        return None
    function = _function_at(name, len(lead))
    if function is None:
        return None
    rest = name[len(lead) + len(function) :]
    if not rest:  # 'xcos' then '(x^2)' or ' x': the letter must be a variable of the text
        return [lead, function] if argument_follows and lead in letters else None
    tail = _tail(rest, letters, argument_follows)
    return None if tail is None else [lead, function, *tail]


def split_glued(name: str, letters: Collection[str], argument_follows: bool) -> list[str] | None:
    """Read a glued name as the textbook does, or None to keep it one name.

    A function spelling followed by a simple argument (``sinx``, ``lnx``, ``cos2x``,
    ``sintheta``), one letter glued before a function (``xsinx`` = x·sin x, ``xlnx``),
    and chains of both (``sinxcosx``). A letter glued before a function that takes its
    argument from what follows (``2xcos(x^2)``, ``2xcos x^2``) splits only when
    ``argument_follows`` and the letter is one of ``letters``, the one-letter names the
    text uses elsewhere — so ``selu(x)`` stays an unknown function, not s·elu(x).
    Greek letter names (``theta``, ``chi``) never split.

    >>> split_glued("cos2x", set(), False), split_glued("xcos", {"x"}, True)
    (['cos', '2', 'x'], ['x', 'cos'])
    >>> split_glued("theta", set(), False), split_glued("selu", set(), True)
    (None, None)
    """
    if len(name) < 3 or name in GREEK_WORDS:
        return None
    return _segment(name, letters, argument_follows)


def split_known(name: str, variables: Iterable[str]) -> list[str] | None:
    """``name`` as a product of known names (variables, constants, function spellings),
    in the fewest pieces: with x known, 'xe' is x·e; None if no such reading.

    >>> split_known("xe", {"x"}), split_known("xy", {"x"})
    (['x', 'e'], None)
    """
    variables = sorted(set(variables) | set(CONSTANTS), key=len, reverse=True)
    functions = sorted(w for w in catalogue.spellings() if len(w) >= 2)
    lower = name.lower()
    best: dict[int, list[str]] = {0: []}
    for start in range(len(name)):
        if start not in best:
            continue
        words = [w for w in variables if name.startswith(w, start)]
        words += [name[start : start + len(w)] for w in functions if lower.startswith(w, start)]
        for word in words:
            end = start + len(word)
            if end not in best or len(best[end]) > len(best[start]) + 1:
                best[end] = best[start] + [word]
    pieces = best.get(len(name))
    return pieces if pieces and len(pieces) > 1 else None


def did_you_mean(name: str) -> str | None:
    """The function spelling closest to an unknown name, if one is close.

    >>> did_you_mean("sinn"), did_you_mean("foo")
    ('sin', None)
    """
    import difflib

    ascii_names = sorted(w for w in catalogue.spellings() if w.isascii())
    close = difflib.get_close_matches(name.lower(), ascii_names, n=1, cutoff=0.8)
    return close[0] if close else None
