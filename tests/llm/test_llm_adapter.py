"""The OpenAI adapter against a scripted endpoint: requests sent, replies parsed, streams handled."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest
from llm_helpers import (
    SECRET_KEY,
    Endpoint,
    chat_reply,
    chunk,
    error_reply,
    make_adapter,
    sse_bytes,
    stream_reply,
)

from bulletin_qa.errors import LLMConnectionError, LLMError
from bulletin_qa.llm import openai_adapter
from bulletin_qa.llm.base import LLM
from bulletin_qa.llm.openai_adapter import PLACEHOLDER_KEY

MESSAGES = [{"role": "system", "content": "只用中文回答。"}, {"role": "user", "content": "今天的头条？"}]


def test_adapter_follows_the_llm_protocol() -> None:
    adapter, _ = make_adapter(Endpoint())
    assert isinstance(adapter, LLM)


def test_plain_completion_sends_the_request_and_reads_text_model_usage() -> None:
    endpoint = Endpoint(chat_reply("区政府发布了新规。", usage=(1000, 500)))
    adapter, _ = make_adapter(endpoint)
    completion = adapter.complete(MESSAGES, temperature=0.0, max_tokens=64)
    assert completion.text == "区政府发布了新规。"
    assert completion.model == "gpt-4o-mini-2024-07-18"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (1000, 500)
    assert completion.usage.calls == 1 and completion.usage.cached_calls == 0
    # gpt-4o-mini estimate: 1000 * 0.15/1M + 500 * 0.60/1M
    assert completion.usage.cost_usd == pytest.approx(0.00045)
    assert not completion.cached
    request = endpoint.requests[0]
    assert request.method == "POST" and request.url.path == "/v1/chat/completions"
    assert endpoint.bodies()[0] == {"model": "gpt-4o-mini", "messages": MESSAGES,
                                    "temperature": 0.0, "max_tokens": 64}
    assert request.headers["authorization"] == f"Bearer {SECRET_KEY}"


def test_unset_parameters_are_not_sent() -> None:
    endpoint = Endpoint(chat_reply())
    adapter, _ = make_adapter(endpoint)
    adapter.complete(MESSAGES)
    assert set(endpoint.bodies()[0]) == {"model", "messages"}


def test_local_server_without_key_gets_a_placeholder_key() -> None:
    endpoint = Endpoint(chat_reply(usage=None))
    adapter, _ = make_adapter(endpoint, key=None)
    completion = adapter.complete(MESSAGES)
    assert endpoint.requests[0].headers["authorization"] == f"Bearer {PLACEHOLDER_KEY}"
    assert completion.usage.calls == 1 and completion.usage.total_tokens == 0
    assert completion.usage.cost_usd is None  # no usage reported: cost unknown, not zero


def test_unknown_model_has_no_cost() -> None:
    adapter, _ = make_adapter(Endpoint(chat_reply(model="smollm2-135m")), model="smollm2-135m")
    assert adapter.complete(MESSAGES).usage.cost_usd is None


def test_empty_choices_is_an_error() -> None:
    reply = chat_reply()
    body = reply.json() | {"choices": []}
    adapter, _ = make_adapter(Endpoint(httpx2.Response(200, json=body)))
    with pytest.raises(LLMError, match="no answer choices"):
        adapter.complete(MESSAGES)


def test_stream_passes_pieces_to_on_token_and_reads_usage() -> None:
    events = [chunk("区"), chunk("政府"), chunk("发布。"), chunk(finish="stop"),
              chunk(choices=False, usage=(20, 4))]
    endpoint = Endpoint(stream_reply(events))
    adapter, _ = make_adapter(endpoint)
    pieces: list[str] = []
    completion = adapter.complete(MESSAGES, on_token=pieces.append)
    assert pieces == ["区", "政府", "发布。"]
    assert completion.text == "区政府发布。"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (20, 4)
    body = endpoint.bodies()[0]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_stream_without_usage_from_server_still_completes() -> None:
    endpoint = Endpoint(stream_reply([chunk("好"), chunk(finish="stop")]))
    adapter, _ = make_adapter(endpoint)
    completion = adapter.complete(MESSAGES, on_token=lambda piece: None)
    assert completion.text == "好"
    assert completion.usage.calls == 1 and completion.usage.total_tokens == 0
    assert completion.usage.cost_usd is None


@pytest.mark.parametrize("status", [400, 422])
def test_server_rejecting_stream_options_is_asked_again_without_them(status: int) -> None:
    rejection = error_reply(status, "Unrecognized request argument supplied: stream_options")
    endpoint = Endpoint(rejection, stream_reply([chunk("一"), chunk(finish="stop")]),
                        stream_reply([chunk("二"), chunk(finish="stop")]))
    adapter, slept = make_adapter(endpoint)
    assert adapter.complete(MESSAGES, on_token=lambda p: None).text == "一"
    assert adapter.complete(MESSAGES, on_token=lambda p: None).text == "二"
    bodies = endpoint.bodies()
    assert "stream_options" in bodies[0]
    assert "stream_options" not in bodies[1] and "stream_options" not in bodies[2]  # remembered
    assert slept == []


def test_other_bad_request_in_stream_is_not_mistaken_for_stream_options() -> None:
    endpoint = Endpoint(error_reply(400, "messages must not be empty"))
    adapter, _ = make_adapter(endpoint)
    with pytest.raises(LLMError, match="messages must not be empty"):
        adapter.complete(MESSAGES, on_token=lambda p: None)
    assert len(endpoint.requests) == 1


def test_stream_cut_after_text_is_not_retried() -> None:
    events = [chunk("第一段"), chunk("第二段"), chunk("第三段"), chunk(finish="stop")]
    endpoint = Endpoint(stream_reply(events, cut_after=2))
    adapter, slept = make_adapter(endpoint)
    pieces: list[str] = []
    with pytest.raises(LLMConnectionError, match="cut after 6 characters") as caught:
        adapter.complete(MESSAGES, on_token=pieces.append)
    assert pieces == ["第一段", "第二段"]
    assert "Run the command again" in str(caught.value)
    assert len(endpoint.requests) == 1 and slept == []


def test_stream_cut_before_any_text_is_retried() -> None:
    endpoint = Endpoint(stream_reply([chunk("好"), chunk(finish="stop")], cut_after=0),
                        stream_reply([chunk("好"), chunk(finish="stop")]))
    adapter, slept = make_adapter(endpoint)
    pieces: list[str] = []
    assert adapter.complete(MESSAGES, on_token=pieces.append).text == "好"
    assert pieces == ["好"] and slept == [0.01]


def test_stream_that_ends_without_finishing_is_a_cut() -> None:
    endpoint = Endpoint(stream_reply([chunk("半句")], done=False))
    adapter, _ = make_adapter(endpoint)
    with pytest.raises(LLMConnectionError, match="cut after 2 characters"):
        adapter.complete(MESSAGES, on_token=lambda p: None)


def test_error_event_inside_stream_is_an_llm_error() -> None:
    endpoint = Endpoint(stream_reply([chunk("开"), {"error": {"message": "model overloaded"}}]))
    adapter, _ = make_adapter(endpoint)
    with pytest.raises(LLMError, match="model overloaded"):
        adapter.complete(MESSAGES, on_token=lambda p: None)


def test_embed_batches_and_restores_input_order() -> None:
    def embeddings(request: httpx2.Request) -> httpx2.Response:
        texts = __import__("json").loads(request.content)["input"]
        data = [{"object": "embedding", "index": i, "embedding": [float(len(t)), float(i)]}
                for i, t in enumerate(texts)]
        return httpx2.Response(200, json={"object": "list", "model": "text-embedding-3-small",
                                          "data": data[::-1],  # servers may answer out of order
                                          "usage": {"prompt_tokens": 1, "total_tokens": 1}})

    endpoint = Endpoint(embeddings, embeddings, embeddings)
    adapter, _ = make_adapter(endpoint)
    vectors = adapter.embed(["a", "bb", "ccc", "dddd", "eeeee"], "text-embedding-3-small", batch_size=2)
    assert vectors == [[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 1.0], [5.0, 0.0]]
    assert [b["input"] for b in endpoint.bodies()] == [["a", "bb"], ["ccc", "dddd"], ["eeeee"]]
    assert all(b["model"] == "text-embedding-3-small" for b in endpoint.bodies())
    assert endpoint.requests[0].url.path == "/v1/embeddings"


def test_embed_default_batch_is_one_request_for_few_texts() -> None:
    body = {"object": "list", "model": "m", "usage": {"prompt_tokens": 1, "total_tokens": 1},
            "data": [{"object": "embedding", "index": i, "embedding": [float(i)]} for i in range(3)]}
    endpoint = Endpoint(httpx2.Response(200, json=body))
    adapter, _ = make_adapter(endpoint)
    assert adapter.embed(["一", "二", "三"], "m") == [[0.0], [1.0], [2.0]]
    assert len(endpoint.requests) == 1 and openai_adapter.EMBED_BATCH >= 3


def test_embed_of_nothing_makes_no_request() -> None:
    adapter, _ = make_adapter(Endpoint())
    assert adapter.embed([], "text-embedding-3-small") == []


def test_embed_count_mismatch_is_an_error() -> None:
    body = {"object": "list", "model": "m", "data": [{"object": "embedding", "index": 0, "embedding": [1.0]}],
            "usage": {"prompt_tokens": 1, "total_tokens": 1}}
    adapter, _ = make_adapter(Endpoint(httpx2.Response(200, json=body)))
    with pytest.raises(LLMError, match="1 embeddings for 2 texts"):
        adapter.embed(["一", "二"], "m")


def test_list_models() -> None:
    body = {"object": "list", "data": [{"id": "qwen-plus", "object": "model", "created": 0, "owned_by": "x"},
                                       {"id": "deepseek-chat", "object": "model", "created": 0, "owned_by": "x"}]}
    endpoint = Endpoint(httpx2.Response(200, json=body))
    adapter, _ = make_adapter(endpoint)
    assert adapter.list_models() == ["deepseek-chat", "qwen-plus"]
    assert endpoint.requests[0].url.path == "/v1/models"


@pytest.mark.parametrize(("default", "asked", "sent"), [(512, None, 512), (512, 64, 64), (None, None, None)])
def test_reply_cap_defaults_to_the_setting(default: int | None, asked: int | None, sent: int | None) -> None:
    endpoint = Endpoint(chat_reply())
    adapter, _ = make_adapter(endpoint)
    adapter.default_max_tokens = default
    adapter.complete(MESSAGES, max_tokens=asked)
    assert endpoint.bodies()[0].get("max_tokens") == sent


def test_from_settings_caps_replies_at_bulletin_qa_max_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    from bulletin_qa.llm.openai_adapter import OpenAIAdapter
    from bulletin_qa.settings import load_settings

    monkeypatch.setenv("BULLETIN_QA_MAX_TOKENS", "300")
    adapter = OpenAIAdapter.from_settings(load_settings(openai_base_url="http://127.0.0.1:9/v1"))
    assert adapter.default_max_tokens == 300


SCHEMA = {"type": "object", "properties": {"summary": {"type": "string"}}, "required": ["summary"]}
LLAMA_CPP_500 = ("1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                 "'msg': \"Input should be 'text' or 'json_object'\"}")


@pytest.mark.parametrize(("rejections", "sent"), [
    ([], [{"type": "json_schema", "json_schema": {"name": "reply", "schema": SCHEMA}}]),            # OpenAI
    ([(500, LLAMA_CPP_500)], [{"type": "json_schema", "json_schema": {"name": "reply", "schema": SCHEMA}},
                              {"type": "json_object", "schema": SCHEMA}]),                          # llama.cpp
    ([(400, "This response_format type is unavailable now"),
      (400, "response_format: unknown field schema")], [
        {"type": "json_schema", "json_schema": {"name": "reply", "schema": SCHEMA}},
        {"type": "json_object", "schema": SCHEMA}, {"type": "json_object"}]),                      # DeepSeek-like
    ([(422, "response_format not supported")] * 3, [
        {"type": "json_schema", "json_schema": {"name": "reply", "schema": SCHEMA}},
        {"type": "json_object", "schema": SCHEMA}, {"type": "json_object"}, None]),                # none at all
])
def test_structured_output_falls_back_to_what_the_endpoint_accepts_and_remembers(
        rejections: list[tuple[int, str]], sent: list[dict | None]) -> None:
    endpoint = Endpoint(*[error_reply(s, m) for s, m in rejections], chat_reply('{"summary": "一"}'),
                        chat_reply('{"summary": "二"}'))
    adapter, slept = make_adapter(endpoint)
    assert adapter.complete(MESSAGES, json_schema=SCHEMA).text == '{"summary": "一"}'
    assert adapter.complete(MESSAGES, json_schema=SCHEMA).text == '{"summary": "二"}'
    bodies = endpoint.bodies()
    assert [b.get("response_format") for b in bodies[:-1]] == sent
    assert bodies[-1].get("response_format") == sent[-1]     # the second request starts where the first ended
    assert slept == []                                        # a refused format is not a retry


def test_a_500_unrelated_to_the_format_is_still_retried_and_reported() -> None:
    endpoint = Endpoint(error_reply(500, "out of memory"), chat_reply('{"summary": "一"}'))
    adapter, slept = make_adapter(endpoint)
    assert adapter.complete(MESSAGES, json_schema=SCHEMA).text == '{"summary": "一"}'
    assert [b["response_format"]["type"] for b in endpoint.bodies()] == ["json_schema", "json_schema"]
    assert len(slept) == 1


def test_no_schema_sends_no_response_format() -> None:
    endpoint = Endpoint(chat_reply("好"))
    adapter, _ = make_adapter(endpoint)
    adapter.complete(MESSAGES)
    assert "response_format" not in endpoint.bodies()[0]


class ReaderLeft(Exception):  # noqa: N818  # what serve's on_token raises when its client has gone
    """Raised by a token callback that wants no more text."""


def test_a_token_callback_that_raises_stops_the_stream() -> None:
    pulled = {"frames": 0}
    frames = sse_bytes([chunk("字") for _ in range(500)] + [chunk(finish="stop")])

    def body() -> Iterator[bytes]:
        for frame in frames:
            pulled["frames"] += 1
            yield frame

    reply = httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body())
    endpoint = Endpoint(reply)
    adapter, sleeps = make_adapter(endpoint)
    seen: list[str] = []

    def on_token(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 3:  # noqa: PLR2004
            raise ReaderLeft

    with pytest.raises(ReaderLeft):
        adapter.complete(MESSAGES, on_token=on_token)
    assert seen == ["字"] * 3 and len(endpoint.requests) == 1 and sleeps == []  # not retried
    assert pulled["frames"] == 3 and reply.is_closed  # noqa: PLR2004  # the response closed, the rest never read
