"""The disk cache: a repeated request costs nothing, any change to the request is a miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_qa.errors import LLMError
from bulletin_qa.llm.base import LLM
from bulletin_qa.llm.cache import CachedLLM
from bulletin_qa.llm.fake import FakeLLM

MESSAGES = [{"role": "user", "content": "本周区里有哪些新项目？"}]
URL = "http://127.0.0.1:8080/v1"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "llm.sqlite"


def test_cached_llm_follows_the_protocol(db: Path) -> None:
    assert isinstance(CachedLLM(FakeLLM(), db, base_url=URL), LLM)


def test_same_request_twice_calls_the_model_once(db: Path) -> None:
    fake = FakeLLM(["三个新项目。"])
    llm = CachedLLM(fake, db, base_url=URL)
    first = llm.complete(MESSAGES, temperature=0.0, max_tokens=100)
    second = llm.complete(MESSAGES, temperature=0.0, max_tokens=100)
    assert len(fake.calls) == 1
    assert (first.text, first.cached, first.usage.calls) == ("三个新项目。", False, 1)
    assert (second.text, second.cached) == ("三个新项目。", True)
    assert second.model == "fake-model"
    assert (second.usage.calls, second.usage.cached_calls, second.usage.total_tokens) == (0, 1, 0)
    assert second.usage.cost_usd == 0.0
    assert db.is_file()


def test_cache_survives_a_new_process(db: Path) -> None:
    CachedLLM(FakeLLM(["答"]), db, base_url=URL).complete(MESSAGES)
    fresh = FakeLLM()  # an empty queue: a call would fail the test
    assert CachedLLM(fresh, db, base_url=URL).complete(MESSAGES).text == "答"
    assert fresh.calls == []


@pytest.mark.parametrize("change", [
    {"messages": [{"role": "user", "content": "本周区里有哪些新项目？ "}]},
    {"temperature": 0.7},
    {"max_tokens": 10},
    {"base_url": "https://api.deepseek.com"},
    {"model": "other-model"},
    {"json_schema": {"type": "object"}},
])
def test_any_change_to_the_request_is_a_miss(db: Path, change: dict) -> None:
    first = FakeLLM(["旧"], model="fake-model")
    CachedLLM(first, db, base_url=URL).complete(MESSAGES, temperature=0.0, max_tokens=100)
    second = FakeLLM(["新"], model=change.get("model", "fake-model"))
    llm = CachedLLM(second, db, base_url=change.get("base_url", URL))
    completion = llm.complete(change.get("messages", MESSAGES), temperature=change.get("temperature", 0.0),
                              max_tokens=change.get("max_tokens", 100), json_schema=change.get("json_schema"))
    assert completion.text == "新" and not completion.cached
    assert len(second.calls) == 1 and second.schemas == [change.get("json_schema")]
    assert len(llm) == 2


def test_cached_answer_is_replayed_through_on_token(db: Path) -> None:
    llm = CachedLLM(FakeLLM(["流式答案"]), db, base_url=URL)
    live: list[str] = []
    llm.complete(MESSAGES, on_token=live.append)
    replayed: list[str] = []
    completion = llm.complete(MESSAGES, on_token=replayed.append)
    assert "".join(live) == "流式答案"
    assert "".join(replayed) == "流式答案" and completion.cached


def test_failed_call_is_not_cached(db: Path) -> None:
    fake = FakeLLM([])  # raises: nothing queued
    llm = CachedLLM(fake, db, base_url=URL)
    with pytest.raises(AssertionError):
        llm.complete(MESSAGES)
    assert len(llm) == 0


def test_clear_empties_the_cache(db: Path) -> None:
    llm = CachedLLM(FakeLLM(["a", "b"]), db, base_url=URL)
    llm.complete(MESSAGES)
    llm.complete(MESSAGES, temperature=1.0)
    assert llm.clear() == 2 and len(llm) == 0


def test_corrupt_cache_file_says_how_to_fix(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a sqlite database" * 100)
    with pytest.raises(LLMError) as caught:
        CachedLLM(FakeLLM(["x"]), db, base_url=URL).complete(MESSAGES)
    assert str(db) in str(caught.value) and "--no-cache" in str(caught.value)


def test_cache_keys_on_the_cap_the_wrapped_llm_sends(db: Path) -> None:
    capped = FakeLLM(["长答案"])
    capped.default_max_tokens = 1000  # type: ignore[attr-defined]
    CachedLLM(capped, db, base_url=URL).complete(MESSAGES)
    smaller = FakeLLM(["短答案"])
    smaller.default_max_tokens = 50  # type: ignore[attr-defined]
    assert CachedLLM(smaller, db, base_url=URL).complete(MESSAGES).text == "短答案"
    assert len(smaller.calls) == 1
