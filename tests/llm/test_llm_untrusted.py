"""A misbehaving endpoint and credentials in the URL: replies that are not what they claim, over-long
replies, and secrets that must never reach messages, the cache file or the terminal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
from typer.testing import CliRunner

from bulletin_qa.errors import LLMBadReply, LLMServerError
from bulletin_qa.llm.cache import CachedLLM
from bulletin_qa.llm.openai_adapter import OpenAIAdapter

MESSAGES = [{"role": "user", "content": "区里今天有什么新闻？"}]
URL_PASSWORD = "pw-S3CRET-in-the-url"
CREDENTIAL_URL = f"https://alice:{URL_PASSWORD}@llm.example.test/v1"


def _sse(body: bytes) -> httpx2.Response:
    return httpx2.Response(200, content=body, headers={"content-type": "text/event-stream"})


@pytest.mark.parametrize(("reply", "streamed", "said"), [
    (httpx2.Response(200, text="<html>Please log in</html>", headers={"content-type": "text/html"}), False,
     "sent a body that is not JSON (text/html): '<html>Please log in</html>'"),
    (httpx2.Response(200, text="{truncated", headers={"content-type": "application/json"}), False,
     "sent a body that is not JSON (application/json): '{truncated'"),
    (_sse(b"".join(sse_bytes([chunk("hi", finish="stop")]))), False,
     "sent an event stream although no stream was asked for: 'data: {"),
    (httpx2.Response(200, json={"choices": [{"message": "not an object"}]}), False,
     "sent JSON that is not a chat completion"),
    (_sse(b"data: {not json\n\n"), True, "sent an invalid event in its answer stream: '{not json'"),
    (_sse(b"data: [1, 2]\n\n"), True, "sent an invalid event in its answer stream (not a chat completion chunk)"),
    (chat_reply("一条完整的回答"), True, "sent no event stream (application/json) although a stream was asked for"),
])
def test_a_reply_that_is_not_what_it_claims_is_one_clear_error(reply: httpx2.Response, streamed: bool,
                                                               said: str) -> None:
    adapter, _ = make_adapter(Endpoint(reply), max_retries=0)
    with pytest.raises(LLMBadReply) as caught:
        adapter.complete(MESSAGES, on_token=(lambda piece: None) if streamed else None)
    message = str(caught.value)
    assert message.startswith("The endpoint https://llm.example.test/v1 " + said), message
    assert "OPENAI_BASE_URL" in message and caught.value.exit_code == 4


@pytest.mark.parametrize("streamed", [False, True])
def test_reply_over_the_cap_is_stopped_reported_and_not_cached(tmp_path: Path, streamed: bool) -> None:
    long_text = "长" * 250
    reply = (stream_reply([chunk(long_text[:100]), chunk(long_text[100:], finish="stop")]) if streamed
             else chat_reply(long_text))
    endpoint = Endpoint(reply)
    adapter = OpenAIAdapter(model="m", base_url="https://llm.example.test/v1", max_retries=0, max_reply_chars=200,
                            http_client=httpx2.Client(transport=httpx2.MockTransport(endpoint)))
    cached = CachedLLM(adapter, tmp_path / "llm.sqlite", base_url=adapter.base_url)
    shown: list[str] = []
    with pytest.raises(LLMBadReply, match="passed 200 characters"):
        cached.complete(MESSAGES, on_token=shown.append if streamed else None)
    assert len("".join(shown)) <= 200  # nothing past the cap reached the reader
    assert len(cached) == 0


def test_cache_never_stores_a_reply_over_the_cap(tmp_path: Path) -> None:
    from bulletin_qa.llm.fake import FakeLLM

    cached = CachedLLM(FakeLLM(["长" * 300]), tmp_path / "llm.sqlite", base_url="http://h/v1", max_chars=200)
    assert cached.complete(MESSAGES).text == "长" * 300
    assert len(cached) == 0


def test_reply_cap_setting_reaches_the_adapter(monkeypatch: pytest.MonkeyPatch) -> None:
    from bulletin_qa.llm import make_adapter as build
    from bulletin_qa.settings import load_settings

    monkeypatch.setenv("OPENAI_API_KEY", SECRET_KEY)
    assert build(load_settings()).max_reply_chars == 20_000
    monkeypatch.setenv("BULLETIN_QA_MAX_REPLY_CHARS", "5000")
    assert build(load_settings()).max_reply_chars == 5000


def _credential_adapter(endpoint: Endpoint) -> OpenAIAdapter:
    return OpenAIAdapter(model="m", api_key=SECRET_KEY, base_url=CREDENTIAL_URL, max_retries=0,
                         http_client=httpx2.Client(transport=httpx2.MockTransport(endpoint)), sleep=lambda s: None)


@pytest.mark.parametrize(("reply", "error"), [
    (error_reply(500, f"upstream {CREDENTIAL_URL} with key {SECRET_KEY} failed"), LLMServerError),
    (httpx2.Response(200, text=f"proxy error for alice:{URL_PASSWORD} / {SECRET_KEY}"), LLMBadReply),
])
def test_every_configured_secret_is_redacted_from_echoed_errors(reply: httpx2.Response, error: type) -> None:
    with pytest.raises(error) as caught:
        _credential_adapter(Endpoint(reply)).complete(MESSAGES)
    message = str(caught.value)
    assert URL_PASSWORD not in message and SECRET_KEY not in message
    assert "***" in message and "https://llm.example.test/v1" in message


def test_cache_key_and_file_hold_no_url_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bulletin_qa.llm import make_llm
    from bulletin_qa.settings import load_settings

    monkeypatch.setenv("OPENAI_BASE_URL", CREDENTIAL_URL)
    monkeypatch.setenv("BULLETIN_QA_HOME", str(tmp_path))
    endpoint = Endpoint(chat_reply("好"))
    llm = make_llm(load_settings(), http_client=httpx2.Client(transport=httpx2.MockTransport(endpoint)))
    assert isinstance(llm, CachedLLM) and llm.complete(MESSAGES).text == "好"
    db = tmp_path / "cache" / "llm.sqlite"
    assert URL_PASSWORD.encode() not in db.read_bytes()
    with sqlite3.connect(db) as conn:
        (request,) = conn.execute("SELECT request FROM completions").fetchone()
    assert '"base_url": "https://llm.example.test/v1"' in request
    assert llm.complete(MESSAGES).cached  # and the key still works


def test_cli_shows_one_error_line_and_exits_4() -> None:
    import datetime as dt

    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.cli import app
    from bulletin_qa.models import Article, Hit
    from bulletin_qa.settings import Settings

    article = Article(id="t-01", title="会议", date=dt.date(2024, 7, 8), source="t.txt", position=1,
                      text="7月8日，区长林若溪主持会议。")
    page = httpx2.Response(200, text=f"<html>\x1b]0;PWNED\x07login {URL_PASSWORD}</html>",
                           headers={"content-type": "text/html"})

    class OneArticle(Bulletin):
        def search(self, query: str, **kwargs: object) -> list[Hit]:
            return [Hit(article=article, score=1.0)]

        def scope(self, hits: list[Hit], **kwargs: object):  # type: ignore[no-untyped-def]
            from bulletin_qa.answering.ask import SearchScope

            return SearchScope(articles=1, retrieved=len(hits))

    library = OneArticle(Settings(), llm=_credential_adapter(Endpoint(page)))
    result = CliRunner().invoke(app, ["ask", "谁主持了会议？", "--no-stream"], obj=library)
    assert result.exit_code == 4 and result.stdout == ""
    assert result.stderr.startswith("Error: The endpoint https://llm.example.test/v1 sent a body that is not JSON")
    assert URL_PASSWORD not in result.stderr and "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_cassettes_get_neither_url_credentials_nor_echoed_secrets() -> None:
    from vcr.request import Request

    from wire_helpers import scrub_request, scrub_response

    request = scrub_request(Request("POST", f"{CREDENTIAL_URL}/chat/completions", b"{}", {}))
    assert request.uri == "https://llm.example.test/v1/chat/completions"
    response = {"headers": {"x-request-id": ["r1"], "content-type": ["application/json"]},
                "body": {"string": f"bad key {SECRET_KEY} for alice:{URL_PASSWORD}".encode()}}
    scrubbed = scrub_response(response, [SECRET_KEY, URL_PASSWORD])
    assert scrubbed["body"]["string"] == b"bad key *** for alice:***"
    assert list(scrubbed["headers"]) == ["content-type"]
