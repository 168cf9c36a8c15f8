"""The zh/en message catalogue and the one wording of "no LLM configured"."""

from __future__ import annotations

import string

import pytest

from bulletin_qa.errors import LLM_HINT, NO_LLM, LLMNotConfigured
from bulletin_qa.messages import MESSAGES, msg


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_take_the_same_fields(key: str) -> None:
    zh, en = MESSAGES[key]
    assert zh and en
    # English alone needs the plural ending
    assert _fields(zh) == _fields(en) - {"plural"}


@pytest.mark.parametrize(("key", "lang", "values", "expected"), [
    ("count", "zh", {"stories": 3, "articles": 4}, "共 3 条新闻（4 篇文章）"),
    ("count", "en", {"stories": 3, "articles": 4}, "3 stories (4 articles)"),
    ("in_scope", "en", {"n": 1, "plural": ""}, "1 article in scope"),
    ("no_date", "fr", {}, "date unknown"),  # a language the catalogue lacks falls back to English
])
def test_msg_fills_fields(key: str, lang: str, values: dict[str, object], expected: str) -> None:
    assert msg(key, lang, **values) == expected


@pytest.mark.parametrize(("what", "also", "message"), [
    ("Translation to English", "", "Translation to English needs an LLM. No LLM configured."),
    ("An English digest", "Offline, use --lang zh.", "An English digest needs an LLM. No LLM configured."),
])
def test_no_llm_is_said_one_way(what: str, also: str, message: str) -> None:
    err = LLMNotConfigured(what, also=also)
    assert err.message == message and NO_LLM in err.message
    assert err.hint == f"{LLM_HINT} {also}".strip()
