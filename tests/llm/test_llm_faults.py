"""Every failure of the endpoint becomes one LLM* error that names the setting to fix, never the key."""

from __future__ import annotations

import logging
import socket
import threading

import httpx2
import pytest
from llm_helpers import SECRET_KEY, Endpoint, chat_reply, error_reply, make_adapter

from bulletin_qa.errors import (
    LLMAuthError,
    LLMConnectionError,
    LLMError,
    LLMModelNotFound,
    LLMRateLimited,
    LLMServerError,
    LLMTimeout,
)
from bulletin_qa.llm.openai_adapter import OpenAIAdapter

MESSAGES = [{"role": "user", "content": "区里今天有什么新闻？"}]


def timeout() -> Exception:
    return httpx2.ReadTimeout("timed out")


def refused() -> Exception:
    return httpx2.ConnectError("[Errno 111] Connection refused")


# (case id, scripted replies, key, expected error, words the message must contain, requests, sleeps)
FAILURES = [
    ("401", [error_reply(401, "Incorrect API key provided")], SECRET_KEY, LLMAuthError,
     ["(401)", "Set a valid OPENAI_API_KEY", "OPENAI_BASE_URL"], 1, []),
    ("401-no-key", [error_reply(401, "Missing bearer")], None, LLMAuthError,
     ["needs an API key", "none is set", "OPENAI_API_KEY"], 1, []),
    ("403", [error_reply(403, "model not allowed for project")], SECRET_KEY, LLMAuthError,
     ["(403)", "BULLETIN_QA_CHAT_MODEL", "model not allowed"], 1, []),
    ("404", [error_reply(404, "The model `gpt-9` does not exist", "model_not_found")], SECRET_KEY,
     LLMModelNotFound, ["'gpt-4o-mini'", "(404)", "BULLETIN_QA_CHAT_MODEL", "OPENAI_BASE_URL"], 1, []),
    ("429-exhausted", [error_reply(429, "slow down")] * 3, SECRET_KEY, LLMRateLimited,
     ["(429) after 3 attempts", "BULLETIN_QA_MAX_RETRIES (now 2)"], 3, [0.01, 0.02]),
    ("429-quota", [error_reply(429, "You exceeded your quota", "insufficient_quota")], SECRET_KEY,
     LLMRateLimited, ["no quota left", "OPENAI_API_KEY"], 1, []),
    ("500-exhausted", [error_reply(500, "boom")] * 3, SECRET_KEY, LLMServerError,
     ["(500) after 3 attempts", "BULLETIN_QA_MAX_RETRIES", "boom"], 3, [0.01, 0.02]),
    ("502-html", [httpx2.Response(502, text="<html>Bad Gateway</html>")] * 3, SECRET_KEY, LLMServerError,
     ["(502)"], 3, [0.01, 0.02]),
    ("timeout", [timeout(), timeout(), timeout()], SECRET_KEY, LLMTimeout,
     ["within 5 s (3 attempts)", "BULLETIN_QA_TIMEOUT"], 3, [0.01, 0.02]),
    ("refused", [refused(), refused(), refused()], SECRET_KEY, LLMConnectionError,
     ["Could not connect to https://llm.example.test/v1 (3 attempts): [Errno 111] Connection refused.",
      "OPENAI_BASE_URL"], 3, [0.01, 0.02]),
    ("400", [error_reply(400, "context length exceeded")], SECRET_KEY, LLMError,
     ["(400)", "context length exceeded", "BULLETIN_QA_CHAT_MODEL"], 1, []),
]


@pytest.mark.parametrize(("replies", "key", "error", "words", "n_requests", "sleeps"),
                         [case[1:] for case in FAILURES], ids=[case[0] for case in FAILURES])
def test_failure_becomes_named_error(replies, key, error, words, n_requests, sleeps) -> None:
    endpoint = Endpoint(*replies)
    adapter, slept = make_adapter(endpoint, key=key)
    with pytest.raises(error) as caught:
        adapter.complete(MESSAGES)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert SECRET_KEY not in message
    assert type(caught.value) is error  # exactly this class, not a looser parent
    assert caught.value.__suppress_context__  # the openai traceback is not chained onto ours
    assert len(endpoint.requests) == n_requests
    assert slept == sleeps


@pytest.mark.parametrize(("first", "status_or_kind"), [
    (error_reply(429, "slow down"), 429),
    (error_reply(503, "warming up"), 503),
    (timeout(), "timeout"),
    (refused(), "refused"),
])
def test_transient_failure_then_success(first, status_or_kind) -> None:
    endpoint = Endpoint(first, chat_reply("好的"))
    adapter, slept = make_adapter(endpoint)
    completion = adapter.complete(MESSAGES)
    assert completion.text == "好的"
    assert len(endpoint.requests) == 2
    assert slept == [0.01]


@pytest.mark.parametrize(("headers", "expected_sleep"), [
    ({"retry-after": "0.25"}, 0.25),
    ({"retry-after-ms": "40"}, 0.04),
    ({"retry-after": "3600"}, 0.01),  # absurd waits fall back to our backoff
    ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.01),
])
def test_retry_after_header_is_honoured_when_sane(headers, expected_sleep) -> None:
    endpoint = Endpoint(error_reply(429, "slow", headers=headers), chat_reply())
    adapter, slept = make_adapter(endpoint)
    adapter.complete(MESSAGES)
    assert slept == [pytest.approx(expected_sleep)]


def test_no_retries_when_max_retries_is_zero() -> None:
    endpoint = Endpoint(error_reply(500, "boom"))
    adapter, slept = make_adapter(endpoint, max_retries=0)
    with pytest.raises(LLMServerError, match=r"\(500\)\."):
        adapter.complete(MESSAGES)
    assert len(endpoint.requests) == 1 and slept == []


def test_key_echoed_by_server_is_redacted_and_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    endpoint = Endpoint(error_reply(401, f"Incorrect API key provided: {SECRET_KEY}."))
    adapter, _ = make_adapter(endpoint)
    with pytest.raises(LLMAuthError) as caught:
        adapter.complete(MESSAGES)
    assert "Incorrect API key provided: ***." in str(caught.value)
    assert SECRET_KEY not in str(caught.value)
    assert SECRET_KEY not in repr(caught.value.args)
    assert caplog.records, "the openai client logs at DEBUG; this test must see those logs"
    assert SECRET_KEY not in caplog.text
    # The key did go over the wire, where it belongs.
    assert endpoint.requests[0].headers["authorization"] == f"Bearer {SECRET_KEY}"


def test_credentials_in_base_url_are_not_shown() -> None:
    endpoint = Endpoint(refused())
    client = httpx2.Client(transport=httpx2.MockTransport(endpoint))
    adapter = OpenAIAdapter(model="m", base_url="https://user:hunter22@proxy.example.test/v1",
                            max_retries=0, http_client=client, sleep=lambda s: None)
    with pytest.raises(LLMConnectionError) as caught:
        adapter.complete(MESSAGES)
    assert "hunter22" not in str(caught.value)
    assert "https://proxy.example.test/v1" in str(caught.value)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_real_connection_refused_on_loopback() -> None:
    port = _free_port()  # nothing listens there once the probe socket is closed
    adapter = OpenAIAdapter(model="m", base_url=f"http://127.0.0.1:{port}/v1", max_retries=1,
                            sleep=lambda s: None, timeout=5)
    with pytest.raises(LLMConnectionError, match=f"127.0.0.1:{port}/v1 \\(2 attempts\\)"):
        adapter.complete(MESSAGES)


def test_real_read_timeout_on_loopback() -> None:
    with socket.socket() as server:  # accepts connections and never answers
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        accepted: list[socket.socket] = []
        thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True)
        thread.start()
        adapter = OpenAIAdapter(model="m", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0,
                                sleep=lambda s: None, timeout=0.3)
        with pytest.raises(LLMTimeout, match="within 0.3 s"):
            adapter.complete(MESSAGES)
        thread.join(timeout=2)
        for conn in accepted:
            conn.close()
