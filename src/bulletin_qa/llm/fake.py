"""An explicit fake LLM for logic tests: queued replies, recorded calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bulletin_qa.llm.base import Completion, Messages
from bulletin_qa.llm.pricing import estimate_cost
from bulletin_qa.models import Usage


class FakeLLM:
    """Replies with queued strings in order and records every call's messages."""

    def __init__(self, replies: list[str] | None = None, model: str = "fake-model") -> None:
        self.model = model
        self.replies = list(replies or [])
        self.calls: list[Messages] = []
        self.schemas: list[dict[str, Any] | None] = []  # the json_schema of every call

    def queue(self, *replies: str) -> None:
        """Add replies to the end of the queue."""
        self.replies.extend(replies)

    def complete(
        self,
        messages: Messages,
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        on_token: Callable[[str], None] | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        """Pop the next queued reply; an empty queue is a test bug and fails loudly."""
        self.calls.append(messages)
        self.schemas.append(json_schema)
        if not self.replies:
            raise AssertionError(f"FakeLLM: no reply queued for call {len(self.calls)}")
        text = self.replies.pop(0)
        if on_token:
            for piece in text:
                on_token(piece)
        prompt_chars = sum(len(m["content"]) for m in messages)
        usage = Usage(prompt_tokens=prompt_chars, completion_tokens=len(text),
                      total_tokens=prompt_chars + len(text), calls=1)
        # Priced as the real adapter prices a reply (characters stand in for tokens).
        usage.cost_usd = estimate_cost(self.model, usage)
        return Completion(text=text, model=self.model, usage=usage)
