"""The protocol every LLM implementation follows, and its result type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from bulletin_qa.models import Usage

Messages = list[dict[str, str]]


class Completion(BaseModel):
    """The text an LLM produced for one request, with its usage."""

    text: str
    model: str
    usage: Usage = Field(default_factory=Usage)
    cached: bool = False


@runtime_checkable
class LLM(Protocol):
    """A chat model. `on_token` receives streamed text pieces as they arrive."""

    model: str

    def complete(
        self,
        messages: Messages,
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        on_token: Callable[[str], None] | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        """Return the model's reply to `messages`.

        `json_schema` asks for a JSON reply of that shape where the endpoint supports structured
        output; callers still parse the reply defensively (llm.json_reply), since not all do.
        """
        ...
