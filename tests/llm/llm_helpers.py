"""Helpers for the LLM tests: a scripted MockTransport endpoint and OpenAI-shaped replies."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx2

from bulletin_qa.llm.openai_adapter import OpenAIAdapter
from wire_helpers import WireTarget, read_recorded_with  # noqa: F401  (shared with tests/e2e)

# Looks like a real key so a leak would be obvious in any message or log.
SECRET_KEY = "sk-test-S3CRET-0f9e8d7c6b5a4f3e2d1c"
BASE_URL = "https://llm.example.test/v1"


Reply = httpx2.Response | Exception | Callable[[httpx2.Request], httpx2.Response]


class Endpoint:
    """Answers requests with scripted replies in order and records every request."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if not self.replies:
            raise AssertionError(f"unexpected request {len(self.requests)}: {request.method} {request.url}")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply(request) if callable(reply) and not isinstance(reply, httpx2.Response) else reply

    def bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies of the recorded requests."""
        return [json.loads(r.content) for r in self.requests]


def make_adapter(endpoint: Endpoint, *, key: str | None = SECRET_KEY, max_retries: int = 2,
                 model: str = "gpt-4o-mini") -> tuple[OpenAIAdapter, list[float]]:
    """An adapter wired to the scripted endpoint; returns it with the list of its backoff sleeps."""
    sleeps: list[float] = []
    client = httpx2.Client(transport=httpx2.MockTransport(endpoint))
    adapter = OpenAIAdapter(model=model, api_key=key, base_url=BASE_URL, timeout=5, max_retries=max_retries,
                            http_client=client, sleep=sleeps.append, backoff_base=0.01)
    return adapter, sleeps


def chat_reply(text: str = "你好", *, model: str = "gpt-4o-mini-2024-07-18",
               usage: tuple[int, int] | None = (12, 3)) -> httpx2.Response:
    """A non-streamed chat completion response."""
    body: dict[str, Any] = {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": model,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
    }
    if usage:
        body["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
    return httpx2.Response(200, json=body)


def error_reply(status: int, message: str = "", code: str | None = None,
                headers: dict[str, str] | None = None) -> httpx2.Response:
    """An OpenAI-style error response."""
    return httpx2.Response(status, headers=headers,
                           json={"error": {"message": message, "type": "error", "code": code}})


def chunk(content: str | None = None, *, finish: str | None = None, usage: tuple[int, int] | None = None,
          choices: bool = True, model: str = "gpt-4o-mini") -> dict[str, Any]:
    """One streamed chat.completion.chunk event."""
    event: dict[str, Any] = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000,
                             "model": model, "choices": []}
    if choices:
        delta = {"content": content} if content is not None else {}
        event["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}]
    if usage:
        event["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
    return event


def sse_bytes(events: list[dict[str, Any]], *, done: bool = True) -> list[bytes]:
    """Server-sent-event frames for `events`, one bytes piece each."""
    frames = [b"data: " + json.dumps(e, ensure_ascii=False).encode() + b"\n\n" for e in events]
    return frames + ([b"data: [DONE]\n\n"] if done else [])


def stream_reply(events: list[dict[str, Any]], *, done: bool = True,
                 cut_after: int | None = None) -> httpx2.Response:
    """A streamed response; `cut_after=n` breaks the connection after n frames."""
    frames = sse_bytes(events, done=done)

    def body() -> Iterator[bytes]:
        for i, frame in enumerate(frames):
            if cut_after is not None and i == cut_after:
                raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body")
            yield frame

    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body())
