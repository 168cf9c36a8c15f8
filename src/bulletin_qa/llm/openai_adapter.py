"""The one module that talks to OpenAI-compatible endpoints (OpenAI, DeepSeek, Qwen, Ollama, vLLM, llama.cpp).

Retries are ours, not the client's (`max_retries=0` on the openai client): that way the backoff is
injectable in tests, a stream that already printed text is never silently restarted, and every
failure leaves as one bulletin_qa.errors LLM* exception whose message names the setting to fix.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import httpx2
import openai

from bulletin_qa.errors import LLMError
from bulletin_qa.llm import faults
from bulletin_qa.llm.base import Completion, Messages
from bulletin_qa.llm.faults import OPENAI_DEFAULT_BASE_URL, Endpoint
from bulletin_qa.llm.pricing import estimate_cost
from bulletin_qa.models import Usage
from bulletin_qa.settings import Settings
from bulletin_qa.text.safe import url_secrets

T = TypeVar("T")

# Local servers (llama.cpp, Ollama, vLLM) ignore the key, but the client needs one to send.
PLACEHOLDER_KEY = "sk-no-key-required"
MAX_BACKOFF_S = 20.0
MAX_RETRY_AFTER_S = 60.0
EMBED_BATCH = 256  # well under OpenAI's 2048 inputs per request, and small enough to retry cheaply
DEFAULT_MAX_REPLY_CHARS = 20_000  # the Settings default; see Settings.max_reply_chars

# Structured output, most precise first; an endpoint that rejects one gets the next, and the adapter
# remembers. OpenAI and vLLM take json_schema; llama-cpp-python's server takes json_object with a
# "schema" (it answers json_schema with HTTP 500); DeepSeek takes plain json_object; "none" is the
# fallback for servers that take none of them (the caller parses the reply defensively either way).
# SEE: llama_cpp/llama_types.py ChatCompletionRequestResponseFormat (llama-cpp-python 0.3.36)
STRUCTURED_FORMATS = ("json_schema", "json_object+schema", "json_object", "none")


class _FormatRejected(Exception):
    """The endpoint refused the response_format of a request (internal: try the next format)."""


def response_format(kind: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The `response_format` request field for one of STRUCTURED_FORMATS."""
    if kind == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "reply", "schema": schema}}
    if kind == "json_object+schema":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"} if kind == "json_object" else None


class OpenAIAdapter:
    """An LLM (see llm/base.py) over the openai client, plus `embed` and `list_models`."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        http_client: httpx2.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base: float = 0.5,
        default_max_tokens: int | None = None,
        max_reply_chars: int = DEFAULT_MAX_REPLY_CHARS,
    ) -> None:
        self.model = model
        self.default_max_tokens = default_max_tokens
        self.max_reply_chars = max_reply_chars
        self.base_url = (base_url or OPENAI_DEFAULT_BASE_URL).rstrip("/")
        self.max_retries = max_retries
        # Every configured secret: the key and a password in the URL's userinfo (a server may echo either).
        self._secrets = [s for s in (api_key, *url_secrets(self.base_url)) if s]
        self._sleep = sleep
        self._backoff_base = backoff_base
        self._stream_usage = True  # asks for usage in streams until a server refuses stream_options
        self._format = 0  # index into STRUCTURED_FORMATS: the most precise one the endpoint has not refused
        self._endpoint = Endpoint(self.base_url, model, bool(api_key), timeout, max_retries)
        self._client = openai.OpenAI(
            api_key=api_key or PLACEHOLDER_KEY,
            base_url=self.base_url,
            timeout=timeout,
            max_retries=0,
            http_client=http_client,
        )

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> OpenAIAdapter:
        """Build the adapter from settings; keyword arguments (http_client, sleep, ...) pass through."""
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return cls(model=settings.chat_model, api_key=key or None, base_url=settings.openai_base_url,
                   timeout=settings.timeout, max_retries=settings.max_retries,
                   default_max_tokens=settings.max_tokens, max_reply_chars=settings.max_reply_chars, **kwargs)

    def complete(
        self,
        messages: Messages,
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        on_token: Callable[[str], None] | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        """Return the model's reply; stream it through `on_token` when one is given.

        With `json_schema` (replies not streamed), the request asks for structured output in the
        most precise form the endpoint accepts (STRUCTURED_FORMATS).
        """
        params: dict[str, Any] = {"model": self.model, "messages": messages}
        max_tokens = max_tokens if max_tokens is not None else self.default_max_tokens
        if temperature is not None:
            params["temperature"] = temperature
        if max_tokens is not None:
            params["max_tokens"] = max_tokens
        while json_schema is not None and on_token is None:
            field = response_format(STRUCTURED_FORMATS[self._format], json_schema)
            if field is None:
                break
            try:
                return self._retrying(partial(self._complete_once, {**params, "response_format": field}))
            except _FormatRejected:
                self._format += 1
        if on_token is None:
            return self._retrying(lambda: self._complete_once(params))
        return self._retrying(lambda: self._stream_once(params, on_token))

    def embed(self, texts: list[str], model: str, *, batch_size: int | None = None) -> list[list[float]]:
        """Embed `texts` with the endpoint's embedding `model`, in input order."""
        size = batch_size or EMBED_BATCH  # DashScope's text-embedding-v3 takes at most 10 per request
        vectors: list[list[float]] = []
        for start in range(0, len(texts), size):
            batch = texts[start:start + size]
            response = self._retrying(partial(self._client.embeddings.create, model=model, input=batch))
            if len(response.data) != len(batch):
                raise LLMError(f"The endpoint returned {len(response.data)} embeddings for {len(batch)} texts.",
                               hint="Check BULLETIN_QA_EMBEDDING_MODEL and OPENAI_BASE_URL.")
            vectors.extend(item.embedding for item in sorted(response.data, key=lambda item: item.index))
        return vectors

    def list_models(self) -> list[str]:
        """The model ids the endpoint serves (GET /models)."""
        return sorted(model.id for model in self._retrying(lambda: list(self._client.models.list())))

    # -- one attempt each ---------------------------------------------------------------------

    def _complete_once(self, params: dict[str, Any]) -> Completion:
        # The raw reply, parsed here: a 200 that is an HTML page, an event stream or broken JSON becomes
        # one LLMBadReply saying what was sent, instead of an AttributeError deep in the client.
        try:
            http = self._client.chat.completions.with_raw_response.create(**params).http_response
        except openai.APIStatusError as exc:
            said = f"{self._server_message(exc)} {exc.body}".lower()
            if "response_format" in params and exc.status_code in (400, 422, 500) and (
                    "response_format" in said or "json_schema" in said or "json_object" in said):
                raise _FormatRejected from None
            raise
        body, ctype = http.text, http.headers.get("content-type", "")
        sent = faults.excerpt(body, self._secrets)
        if "event-stream" in ctype or body.lstrip().startswith(("data:", "event:")):
            raise faults.bad_reply_error(self._endpoint, "an event stream although no stream was asked for", sent)
        try:
            data = json.loads(body)
        except ValueError:
            raise faults.bad_reply_error(self._endpoint, f"a body that is not JSON ({ctype or 'no content type'})",
                                         sent) from None
        choices = data.get("choices") if isinstance(data, dict) else None
        if not choices:
            raise LLMError(f"The endpoint {self._endpoint.shown_url} returned no answer choices.",
                           hint="Check BULLETIN_QA_CHAT_MODEL; some servers need a chat-tuned model.")
        try:
            text = choices[0]["message"]["content"] or ""
            if not isinstance(text, str):
                raise TypeError("content is not text")
        except (KeyError, IndexError, TypeError):
            raise faults.bad_reply_error(self._endpoint, "JSON that is not a chat completion", sent) from None
        if len(text) > self.max_reply_chars:
            raise faults.too_long_error(self._endpoint, len(text), self.max_reply_chars)
        return self._completion(text, data.get("model"), data.get("usage"))

    def _stream_once(self, params: dict[str, Any], on_token: Callable[[str], None]) -> Completion:
        stream = self._open_stream(params)
        pieces: list[str] = []
        received = 0
        events = 0
        finished = False
        usage = None
        model = None
        events_in = iter(stream)
        try:
            while True:
                try:
                    chunk = next(events_in)
                    model = chunk.model or model
                    usage = chunk.usage or usage
                    choice = chunk.choices[0] if chunk.choices else None
                    content = choice.delta.content if choice is not None and choice.delta else None
                    if content is not None and not isinstance(content, str):
                        raise TypeError("delta content is not text")
                except StopIteration:
                    break
                except (ValueError, AttributeError, TypeError) as exc:  # not JSON, or not a chunk
                    sent = faults.excerpt(exc.doc, self._secrets) if isinstance(exc, json.JSONDecodeError) else ""
                    raise faults.bad_reply_error(self._endpoint, "an invalid event in its answer stream"
                                                 + ("" if sent else " (not a chat completion chunk)"), sent) from None
                events += 1
                if content:
                    received += len(content)
                    if received > self.max_reply_chars:
                        raise faults.too_long_error(self._endpoint, received, self.max_reply_chars)
                    pieces.append(content)
                    on_token(content)
                finished = finished or (choice is not None and choice.finish_reason is not None)
        except openai.APIConnectionError:
            if pieces:  # the caller already showed this text: restarting would print it twice
                raise faults.stream_cut_error(self._endpoint, received) from None
            raise
        finally:
            stream.close()
        if not events and "event-stream" not in _content_type(stream):
            got = _content_type(stream) or "no content type"
            raise faults.bad_reply_error(self._endpoint, f"no event stream ({got}) although a stream was asked for")
        if not finished:
            raise faults.stream_cut_error(self._endpoint, received)
        return self._completion("".join(pieces), model, usage)

    def _open_stream(self, params: dict[str, Any]) -> openai.Stream[Any]:
        if not self._stream_usage:
            return self._client.chat.completions.create(**params, stream=True)
        try:
            return self._client.chat.completions.create(
                **params, stream=True, stream_options={"include_usage": True})
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            # Older compatible servers reject the field instead of ignoring it; ask again without.
            said = f"{exc.message} {exc.body}"
            if "stream_options" not in said and "include_usage" not in said:
                raise
            self._stream_usage = False
            return self._client.chat.completions.create(**params, stream=True)

    def _completion(self, text: str, model: str | None, raw_usage: Any) -> Completion:
        usage = Usage(calls=1)
        if raw_usage is not None:  # servers that send no usage leave tokens and cost unknown (0 / None)
            usage = Usage(prompt_tokens=_count(raw_usage, "prompt_tokens"),
                          completion_tokens=_count(raw_usage, "completion_tokens"),
                          total_tokens=_count(raw_usage, "total_tokens"), calls=1)
            usage.cost_usd = estimate_cost(model or self.model, usage)
        return Completion(text=text, model=model or self.model, usage=usage)

    # -- retries and error translation ----------------------------------------------------------

    def _retrying(self, call: Callable[[], T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            last = attempt > self.max_retries
            try:
                return call()
            except openai.APIStatusError as exc:
                code = _error_code(exc.body)
                if last or not faults.is_retryable_status(exc.status_code, code):
                    raise faults.status_error(self._endpoint, exc.status_code, self._server_message(exc),
                                              code, attempt) from None
                delay = self._delay(attempt, exc.response.headers)
            except openai.APITimeoutError:
                if last:
                    raise faults.timeout_error(self._endpoint, attempt) from None
                delay = self._delay(attempt)
            except openai.APIConnectionError as exc:
                if last:
                    raise faults.connection_error(self._endpoint, attempt, self._reason(exc)) from None
                delay = self._delay(attempt)
            except openai.APIError as exc:  # an error event inside a stream, or a malformed body
                raise LLMError(f"The endpoint {self._endpoint.shown_url} sent an error: "
                               f"{self._server_message(exc) or 'no details'}",
                               hint="Check BULLETIN_QA_CHAT_MODEL and OPENAI_BASE_URL.") from None
            self._sleep(delay)

    def _delay(self, attempt: int, headers: httpx2.Headers | None = None) -> float:
        """Seconds before the next try: the server's Retry-After if sane, else exponential backoff."""
        for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
            value = headers.get(header) if headers is not None else None
            try:
                seconds = float(value) / divisor if value is not None else None
            except ValueError:
                seconds = None  # an HTTP date: rare from these APIs, fall back to backoff
            if seconds is not None and 0 <= seconds <= MAX_RETRY_AFTER_S:
                return seconds
        return min(self._backoff_base * 2 ** (attempt - 1), MAX_BACKOFF_S)

    def _reason(self, exc: openai.APIConnectionError) -> str:
        """The low-level cause ("[Errno 111] Connection refused"), short and without the key."""
        cause = exc.__cause__
        text = " ".join(str(cause).split())[:200] if cause is not None else ""
        return faults.redact(text, self._secrets)

    def _server_message(self, exc: openai.APIError) -> str:
        body = exc.body
        message = body.get("message") if isinstance(body, dict) else body
        if not isinstance(message, str):
            message = ""
        message = " ".join(message.split())[:300]
        return faults.redact(message, self._secrets)


def _count(usage: Any, name: str) -> int:
    """A token count from a usage object or dict; 0 when missing or not a number."""
    value = usage.get(name) if isinstance(usage, dict) else getattr(usage, name, None)
    return value if isinstance(value, int) and value >= 0 else 0


def _content_type(stream: Any) -> str:
    """The content type of a stream's HTTP response ('' when unknown)."""
    response = getattr(stream, "response", None)
    return response.headers.get("content-type", "") if response is not None else ""


def _error_code(body: object) -> str | None:
    code = body.get("code") if isinstance(body, dict) else None
    return str(code) if code is not None else None
