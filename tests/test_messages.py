"""The message table: every key has both languages, and both use the same parameters.

Each area's own tests look closer at its sentences; this walks all of them at once.
"""

from __future__ import annotations

import re
import string

from derivcheck.messages import Message, areas, table, text
from tests.english import english_runs

_FIELD = string.Formatter()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in _FIELD.parse(template) if name}


def test_every_key_has_english_and_chinese_with_the_same_parameters():
    assert len(areas()) >= 10
    for key, (english, chinese) in table().items():
        assert english.strip() and chinese.strip(), key
        assert _fields(english) == _fields(chinese), key


def test_no_chinese_template_keeps_an_english_sentence_or_ascii_punctuation():
    for key, (_, chinese) in table().items():
        filled = re.sub(r"\{[a-z_0-9]+(:[^}]*)?\}", "x", chinese)
        assert english_runs(filled) == [], (key, chinese)
        ascii_next_to_cjk = re.search(r"[\u4e00-\u9fff][,:;?!]|[,:;?!][\u4e00-\u9fff]", filled)
        assert ascii_next_to_cjk is None, (key, chinese)


def test_a_message_renders_in_either_language_after_it_was_made():
    m = Message("rule.with_chain", rule=Message("rule.power"))
    assert (m.to_text("en"), m.to_text("zh")) == (
        "power rule (with chain rule)",
        "幂法则（含链式法则）",
    )
    assert text("explain.empty_wrt", "zh") == "wrt 为空：请至少给出一个变量"
