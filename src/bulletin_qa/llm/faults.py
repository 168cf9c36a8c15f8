"""Turn an endpoint failure into one bulletin_qa.errors LLM* exception, with a fix in its message.

Kept apart from the adapter so the wording can be read (and tested) as one table. Nothing here
imports `openai`: the adapter passes plain facts (status code, error code, server message).
"""

from __future__ import annotations

from dataclasses import dataclass

from bulletin_qa.errors import (
    LLMAuthError,
    LLMBadReply,
    LLMConnectionError,
    LLMError,
    LLMModelNotFound,
    LLMRateLimited,
    LLMServerError,
    LLMTimeout,
)
from bulletin_qa.text.safe import clean, display_url

OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class Endpoint:
    """What the messages may say about the endpoint: never the key itself."""

    base_url: str
    model: str
    has_key: bool
    timeout: float
    max_retries: int

    @property
    def shown_url(self) -> str:
        """The base URL without any user:password part (people do put secrets there)."""
        return display_url(self.base_url)


def redact(text: str, secrets: str | list[str] | tuple[str, ...] | None) -> str:
    """Replace every occurrence of each secret in `text` (server messages may echo a key or a URL password)."""
    for secret in [secrets] if isinstance(secrets, str) else (secrets or ()):
        if secret and len(secret) >= 4:  # a 1-3 character "secret" would blank out ordinary words
            text = text.replace(secret, "***")
    return text


def is_retryable_status(status: int, error_code: str | None = None) -> bool:
    """429 and 5xx are worth another try; a 429 for an exhausted quota is not."""
    if status == 429:
        return error_code != "insufficient_quota"
    return status >= 500


def status_error(ep: Endpoint, status: int, server_message: str, error_code: str | None,
                 attempts: int) -> LLMError:
    """The exception for an HTTP error status from the endpoint."""
    detail = f" The server said: {server_message.rstrip('. ')}." if server_message else ""
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    if status == 401 and not ep.has_key:
        return LLMAuthError(
            f"The endpoint {ep.shown_url} needs an API key (401) and none is set.{detail}",
            hint="Set OPENAI_API_KEY, or point OPENAI_BASE_URL at a local server that needs none.",
        )
    if status == 401:
        return LLMAuthError(
            f"The endpoint rejected the API key (401).{detail}",
            hint="Set a valid OPENAI_API_KEY or check OPENAI_BASE_URL.",
        )
    if status == 403:
        return LLMAuthError(
            f"The endpoint refused access to model {ep.model!r} (403).{detail}",
            hint="Check that OPENAI_API_KEY may use this model, or set BULLETIN_QA_CHAT_MODEL to one it may.",
        )
    if status == 404:
        return LLMModelNotFound(
            f"Model {ep.model!r} or the API path was not found at {ep.shown_url} (404).{detail}",
            hint="Set BULLETIN_QA_CHAT_MODEL to a model the endpoint serves, and check that "
                 "OPENAI_BASE_URL ends with the API root (often /v1).",
        )
    if status == 429 and error_code == "insufficient_quota":
        return LLMRateLimited(
            f"The account behind OPENAI_API_KEY has no quota left (429 insufficient_quota).{detail}",
            hint="Add credit to the account, or use another OPENAI_API_KEY / OPENAI_BASE_URL.",
        )
    if status == 429:
        return LLMRateLimited(
            f"The endpoint is rate limiting requests (429){tried}.{detail}",
            hint="Wait a minute and run again, or raise BULLETIN_QA_MAX_RETRIES "
                 f"(now {ep.max_retries}).",
        )
    if status >= 500:
        return LLMServerError(
            f"The endpoint {ep.shown_url} failed with a server error ({status}){tried}.{detail}",
            hint="Try again later, or raise BULLETIN_QA_MAX_RETRIES "
                 f"(now {ep.max_retries}); check OPENAI_BASE_URL if it persists.",
        )
    return LLMError(
        f"The endpoint refused the request ({status}).{detail}",
        hint="Check BULLETIN_QA_CHAT_MODEL and OPENAI_BASE_URL.",
    )


def timeout_error(ep: Endpoint, attempts: int) -> LLMTimeout:
    """The exception for a request that got no answer in time."""
    tried = f" ({attempts} attempts)" if attempts > 1 else ""
    return LLMTimeout(
        f"No answer from {ep.shown_url} within {ep.timeout:g} s{tried}.",
        hint="Raise BULLETIN_QA_TIMEOUT, or check that the server at OPENAI_BASE_URL is not overloaded.",
    )


def connection_error(ep: Endpoint, attempts: int, reason: str = "") -> LLMConnectionError:
    """The exception for a connection that could not be made (refused, DNS, TLS)."""
    tried = f" ({attempts} attempts)" if attempts > 1 else ""
    because = f": {reason.rstrip('. ')}" if reason else ""
    return LLMConnectionError(
        f"Could not connect to {ep.shown_url}{tried}{because}.",
        hint="Check OPENAI_BASE_URL and that the server is running and reachable.",
    )


def excerpt(body: str, secrets: list[str] | None = None, limit: int = 120) -> str:
    """A short, quoted, redacted and cleaned piece of what a server sent, for an error message."""
    text = " ".join(clean(redact(body, secrets)).split())
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


def bad_reply_error(ep: Endpoint, what: str, sent: str = "") -> LLMBadReply:
    """The exception for a 200 reply that is not a chat completion (or not a valid event stream)."""
    return LLMBadReply(
        f"The endpoint {ep.shown_url} sent {what}" + (f": {sent}" if sent else "") + ".",
        hint="Check that OPENAI_BASE_URL is the API root of an OpenAI-compatible server (often ending in /v1), "
             "not a web page or a proxy's login page.",
    )


def too_long_error(ep: Endpoint, received_chars: int, cap: int) -> LLMBadReply:
    """The exception for a reply longer than the client-side cap (it is neither used nor cached)."""
    return LLMBadReply(
        f"The reply from {ep.shown_url} passed {cap} characters (at least {received_chars} received); "
        "it was stopped there and is neither used nor cached.",
        hint="Raise BULLETIN_QA_MAX_REPLY_CHARS if such long replies are expected, or try another "
             "BULLETIN_QA_CHAT_MODEL (a model that loops produces this).",
    )


def stream_cut_error(ep: Endpoint, received_chars: int) -> LLMConnectionError:
    """The exception for a streamed answer that stopped before the model finished."""
    return LLMConnectionError(
        f"The answer stream from {ep.shown_url} was cut after {received_chars} characters; "
        "the partial answer was discarded.",
        hint="Run the command again; if it keeps happening, check the server or proxy at OPENAI_BASE_URL.",
    )
