"""Every user-facing sentence: a message key plus parameters, turned into words here.

Analysis code never writes sentences: it returns :class:`Message` objects (a key and
its parameters). They become English or Chinese only when shown, by :func:`text`, so a
result computed once can be shown in either language. The sentences live in one table,
kept per area in this package (``words``, ``rules``, ``parsing``, ``domain``,
``numeric``, ``grading``, ``gradcheck``, ``batch``, ``cli``, ``render``, ``network``)
and merged by :func:`table`; every key has both languages (a test walks them).

>>> from derivcheck.messages import Message, text, word
>>> word("chain_rule", "zh"), word("backward_pass", "en")
('链式法则', 'Backward pass')
>>> m = Message("rule.with_chain", rule=Message("rule.power"))
>>> m.to_text("en"), m.to_text("zh")
('power rule (with chain rule)', '幂法则（含链式法则）')
>>> text("rule.unnamed", "en", name="foo")
'foo rule'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

__all__ = [
    "LANGUAGES",
    "Message",
    "text",
    "table",
    "word",
    "rule_name",
    "check_language",
    "display_width",
]

LANGUAGES = ("en", "zh")


def areas() -> tuple[str, ...]:
    """The modules of this package, each holding a ``MESSAGES`` table (one per area:
    words, rules, parsing, calculus, domain, numeric, grading, …); a new area is a new
    module here, nothing else to register."""
    import pkgutil

    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.ispkg))


@cache
def table() -> Mapping[str, tuple[str, str]]:
    """Every message key -> (English, Chinese), from all areas; a key is in one area only."""
    merged: dict[str, tuple[str, str]] = {}
    for area in areas():
        for key, pair in import_module(f"derivcheck.messages.{area}").MESSAGES.items():
            if key in merged:  # pragma: no cover - guarded by the message tests
                raise AssertionError(f"message key {key!r} is defined twice")
            merged[key] = pair
    return merged


@dataclass(frozen=True, init=False)
class Message:
    """A sentence not yet in words: ``key`` of :func:`table` and its parameters.

    Parameter values may be numbers, text, other messages (shown in the same language)
    or sequences of messages (joined with "; " or "；").
    """

    key: str
    params: tuple[tuple[str, Any], ...]

    def __init__(self, key: str, /, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", tuple(params.items()))

    def __getitem__(self, name: str) -> Any:
        return dict(self.params)[name]

    def to_text(self, lang: str = "en") -> str:
        """The sentence in ``lang``."""
        return text(self, lang)

    def __str__(self) -> str:
        return self.to_text("en")


def _shown(value: Any, lang: str, spec: str = "") -> Any:
    """A parameter as the sentence shows it: messages in ``lang``, SymPy expressions as
    people write them (``2x``, ``e^x``), floats without noise (``-2.486``) — unless the
    template gives a format spec, which then applies to the value itself."""
    if isinstance(value, Message):
        return value.to_text(lang)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Message) for v in value):
        separator = "；" if lang == "zh" else "; "
        return separator.join(v.to_text(lang) for v in value)
    if spec:
        return value
    if isinstance(value, float):
        from derivcheck.render.printing import number

        return number(value)
    if hasattr(value, "free_symbols") and hasattr(value, "func"):  # a SymPy expression
        from derivcheck.render.printing import number, show

        written = show(value)
        if len(written) > _LONGEST_EXACT and value.is_number:  # 8571428571428571·sin(…)/5e15
            from derivcheck.calculus.graph import to_float

            return number(to_float(value))  # is no sentence's number: its value is
        return written
    return value


#: Longest exact number a sentence shows as written (36/49, π/4, 1 - √2/2); a longer one is
#: shown as its value.
_LONGEST_EXACT = 24


@cache
def _specs(template: str) -> dict[str, str]:
    """Field name -> format spec of a template ("{value:.3g}" -> {"value": ".3g"})."""
    import string

    return {
        name: spec or ""
        for _, name, spec, _ in string.Formatter().parse(template)
        if name is not None
    }


def text(message: Message | str, lang: str = "en", **params: Any) -> str:
    """A message (or a key with ``params``) in ``lang``.

    A plain string that is not a key is returned as it is: text that needs no words, such
    as a formula.
    """
    if isinstance(message, str):
        if message not in table():
            return message
        message = Message(message, **params)
    check_language(lang)
    if message.key == "rule.of":  # a function's rule is named by its catalogue record
        from derivcheck.calculus.catalogue import by_key

        return by_key(str(message["function"])).rule[1 if lang == "zh" else 0]
    english, chinese = table()[message.key]
    template = chinese if lang == "zh" else english
    specs = _specs(template)
    values = {name: _shown(value, lang, specs.get(name, "")) for name, value in message.params}
    return template.format(**values)  # always a format string: a literal brace is {{ or }}


def check_language(lang: str) -> str:
    """Return ``lang`` when supported, else raise :class:`~derivcheck.DerivcheckError`."""
    if lang not in LANGUAGES:
        from derivcheck.errors import DerivcheckError

        raise DerivcheckError(Message("lang.unknown", lang=repr(lang), known=", ".join(LANGUAGES)))
    return lang


def word(key: str, lang: str = "en", **values: object) -> str:
    """The phrase ``key`` of derivcheck's own vocabulary in ``lang``."""
    return text(Message(key, **values), lang)


def display_width(text: str) -> int:
    """Terminal columns taken by ``text``: full-width (CJK) characters take two.

    >>> display_width("梯度 ok")
    7
    """
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def rule_name(rule: str, lang: str = "en") -> str:
    """'power' -> 'power rule' / '幂法则'; 'power (chain)' -> 'power rule (with chain rule)';
    a function's rule comes from its catalogue record ('arcsin' -> 'arcsine rule').

    >>> rule_name("arcsin", "zh"), rule_name("power (chain)")
    ('反正弦法则', 'power rule (with chain rule)')
    """
    return text(rule_message(rule), lang)


def rule_message(rule: str) -> Message:
    """The :class:`Message` naming a rule key (see :func:`rule_name`)."""
    from derivcheck.calculus.catalogue import by_key

    base, _, extra = rule.partition(" (")
    if f"rule.{base}" in table():
        named = Message(f"rule.{base}")
    else:
        try:
            by_key(base)
            named = Message("rule.of", function=base)
        except KeyError:
            named = Message("rule.unnamed", name=base)
    return Message("rule.with_chain", rule=named) if extra else named


def join(messages: Iterable[Message], lang: str = "en") -> str:
    """Several messages as one sentence list in ``lang``."""
    messages = tuple(messages)
    return _shown(messages, lang) if messages else ""
