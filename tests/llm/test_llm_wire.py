"""The adapter on the wire: replays of a real OpenAI-compatible server (see tests/cassettes/test_llm_wire/).

Re-record with scripts/record-cassettes.sh; RECORDED_WITH.md beside the cassettes names the server
and model. Answers from a 135M model are not checked for truth, only for shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from llm_helpers import WireTarget

from bulletin_qa.errors import LLMAuthError, LLMModelNotFound
from bulletin_qa.llm.cache import CachedLLM
from bulletin_qa.llm.openai_adapter import OpenAIAdapter

pytestmark = pytest.mark.vcr

PROMPT = [
    {"role": "system", "content": "You are a concise assistant."},
    {"role": "user", "content": "What is the capital of France? Answer in one word."},
]
WRONG_KEY = "sk-wrong-key-for-the-recorded-401"


def adapter_for(target: WireTarget, **overrides: object) -> OpenAIAdapter:
    """An adapter for the wire target; no retries, so each test records exactly its requests."""
    options: dict = {"model": target.model, "api_key": target.api_key, "base_url": target.base_url,
                     "timeout": 120.0, "max_retries": 0} | overrides
    return OpenAIAdapter(**options)


def test_plain_chat_completion(wire_target: WireTarget) -> None:
    completion = adapter_for(wire_target).complete(PROMPT, temperature=0.0, max_tokens=24)
    assert completion.text.strip()
    assert completion.model.startswith(wire_target.model)  # hosted APIs answer with a dated snapshot id
    assert completion.usage.prompt_tokens > 0
    assert 0 < completion.usage.completion_tokens <= 24
    assert not completion.cached


def test_streamed_completion(wire_target: WireTarget) -> None:
    pieces: list[str] = []
    completion = adapter_for(wire_target).complete(PROMPT, temperature=0.0, max_tokens=24, on_token=pieces.append)
    assert len(pieces) > 1
    assert "".join(pieces) == completion.text and completion.text.strip()
    assert completion.usage.calls == 1


def test_model_listing_names_the_configured_model(wire_target: WireTarget) -> None:
    assert wire_target.model in adapter_for(wire_target).list_models()


def test_wrong_key_is_rejected(wire_target: WireTarget) -> None:
    with pytest.raises(LLMAuthError, match=r"rejected the API key \(401\)") as caught:
        adapter_for(wire_target, api_key=WRONG_KEY).complete(PROMPT, max_tokens=8)
    assert WRONG_KEY not in str(caught.value)
    assert "OPENAI_API_KEY" in str(caught.value)


def test_wrong_api_path_is_not_found(wire_target: WireTarget) -> None:
    adapter = adapter_for(wire_target, base_url=wire_target.base_url.rstrip("/") + "/no-such-api")
    with pytest.raises(LLMModelNotFound, match=r"\(404\)") as caught:
        adapter.complete(PROMPT, max_tokens=8)
    assert "OPENAI_BASE_URL" in str(caught.value)


def test_second_identical_request_is_served_from_the_cache(wire_target: WireTarget, tmp_path: Path) -> None:
    # The cassette holds one exchange and vcrpy plays each once: a second HTTP request would fail.
    llm = CachedLLM(adapter_for(wire_target), tmp_path / "llm.sqlite", base_url=wire_target.base_url)
    first = llm.complete(PROMPT, temperature=0.0, max_tokens=16)
    second = llm.complete(PROMPT, temperature=0.0, max_tokens=16)
    assert (first.cached, second.cached) == (False, True)
    assert second.text == first.text
    assert second.usage.cached_calls == 1 and second.usage.calls == 0
