"""Safety of `serve`: token on every request, loopback-only Host, CORS only when asked, security headers,
no HTML built from outside text in the page's scripts, and the CLI refusing a public bind without a token."""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Any

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app as cli
from bulletin_qa.cli.serve import check_token, is_loopback
from bulletin_qa.errors import UsageError
from bulletin_qa.serve.guard import RateLimit
from serve.conftest import serve

TOKEN = "s3cret-token-0123456789"


@pytest.mark.parametrize(("path", "headers", "status"), [
    ("/api/status", {}, 401),
    ("/api/status", {"authorization": "Bearer wrong-token-0123456789"}, 401),
    ("/api/status", {"authorization": f"Bearer {TOKEN}"}, 200),
    ("/api/status", {"cookie": f"bqa_token={TOKEN}"}, 200),
    ("/api/status", {"cookie": "bqa_token=nope"}, 401),
    ("/", {}, 401),                   # the page itself
    ("/static/app.js", {}, 401),      # and its assets
    ("/openapi.json", {}, 401),
    ("/static/app.js", {"cookie": f"bqa_token={TOKEN}"}, 200),
])
def test_token_is_checked_on_every_request(library: Any, path: str, headers: dict, status: int) -> None:
    with serve(library(), token=TOKEN, loopback_only=False, base_url="http://news.example.org") as client:
        response = client.get(path, headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response.json()["error"] == "A valid token is required." and TOKEN not in response.text


def test_token_in_the_url_sets_an_http_only_cookie(library: Any) -> None:
    with serve(library(), token=TOKEN, loopback_only=False, base_url="http://news.example.org") as client:
        first = client.get("/", params={"token": TOKEN})
        assert first.status_code == 200 and "<title>" in first.text
        cookie = first.headers["set-cookie"]
        assert cookie.startswith(f"bqa_token={TOKEN};") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert client.get("/api/status").status_code == 200  # the client now sends the cookie


@pytest.mark.parametrize(("host", "token", "status"), [
    ("127.0.0.1:8000", None, 200),
    ("localhost:8000", None, 200),
    ("[::1]:8000", None, 200),
    ("evil.example:8000", None, 421),     # DNS rebinding onto a loopback server
    ("evil.example:8000", TOKEN, 200),    # a token-protected server may have any name
])
def test_loopback_server_answers_only_loopback_names(library: Any, host: str, token: str | None, status: int) -> None:
    headers = {"host": host} | ({"authorization": f"Bearer {token}"} if token else {})
    with serve(library(), token=token) as client:
        assert client.get("/api/status", headers=headers).status_code == status


def test_no_cors_unless_asked(library: Any) -> None:
    preflight = {"origin": "https://cms.example.org", "access-control-request-method": "POST"}
    with serve(library()) as client:
        assert "access-control-allow-origin" not in client.get("/api/status", headers={"origin": "https://x.example"}).headers
        assert client.options("/api/ask", headers=preflight).status_code >= 400
    with serve(library(), cors=["https://cms.example.org"], token=TOKEN) as client:
        ok = client.options("/api/ask", headers={**preflight, "access-control-request-headers": "authorization"})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://cms.example.org"
        other = client.get("/api/status", headers={"origin": "https://x.example", "authorization": f"Bearer {TOKEN}"})
        assert "access-control-allow-origin" not in other.headers


def test_security_headers_on_pages_and_api(client: Any) -> None:
    for path in ("/", "/docs", "/api/status"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"] and "unsafe-inline" not in headers[
            "content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


STATIC = files("bulletin_qa.serve") / "static"


@pytest.mark.parametrize("name", ["index.html", "app.js", "app.css", "docs.html", "docs.js"])
def test_page_has_no_external_assets_and_builds_no_html_from_text(name: str) -> None:
    text = (STATIC / name).read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", text), "external asset"
    assert "@import" not in text and "url(http" not in text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in text, sink
    if name.endswith(".html"):  # the CSP forbids inline code: scripts come from files, handlers from them
        assert "<script>" not in text and not re.search(r"\son[a-z]+=", text) and "style=" not in text


@pytest.mark.parametrize(("host", "token", "error"), [
    ("127.0.0.1", None, None),
    ("localhost", None, None),
    ("::1", None, None),
    ("127.0.0.2", None, None),
    ("0.0.0.0", None, "needs a token"),
    ("192.168.1.20", None, "needs a token"),
    ("0.0.0.0", TOKEN, None),
    ("0.0.0.0", "short", "16 to 200 characters"),
    ("127.0.0.1", "has spaces in it, 12345", "16 to 200 characters"),
])
def test_check_token(host: str, token: str | None, error: str | None) -> None:
    if error is None:
        check_token(host, token)
        return
    with pytest.raises(UsageError, match=error):
        check_token(host, token)


def test_is_loopback() -> None:
    assert [is_loopback(h) for h in ("127.0.0.1", "localhost", "[::1]", "0.0.0.0", "example.org")] == [
        True, True, True, False, False]


def test_serve_refuses_a_public_bind_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BULLETIN_QA_SERVE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: --host 0.0.0.0 is reachable from other machines, so it needs a token.")
    assert "BULLETIN_QA_SERVE_TOKEN" in result.stderr


def test_a_streamed_body_over_the_limit_is_refused(client: Any) -> None:
    chunks = iter([b'{"question": "' + "问".encode() * 15_000, "问".encode() * 15_000 + b'"}'])  # no Content-Length
    response = client.post("/api/ask", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "over 65536 bytes" in response.json()["error"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# (requests a minute, steps of (seconds to move the clock, client), expected waits: 0 = let through)
@pytest.mark.parametrize(("per_minute", "steps", "waits"), [
    (3, [(0, "a"), (0, "a"), (0, "a"), (0, "a")], [0, 0, 0, 20]),           # a minute's worth at once, then wait
    (3, [(0, "a")] * 3 + [(0, "b")], [0, 0, 0, 0]),                          # clients have buckets of their own
    (3, [(0, "a")] * 3 + [(20, "a"), (0, "a")], [0, 0, 0, 0, 20]),          # one token back every 20 s
    (3, [(0, "a")] * 3 + [(10, "a")], [0, 0, 0, 10]),                        # half a token back: 10 s more
    (3, [(0, "a")] * 3 + [(3600, "a")] * 1 + [(0, "a")] * 3, [0, 0, 0, 0, 0, 0, 20]),  # refills to 3, not more
    (60, [(0, "a")] * 60 + [(0, "a")], [0] * 60 + [1]),
])
def test_rate_limit_token_buckets(per_minute: int, steps: list, waits: list) -> None:
    clock = Clock()
    limit = RateLimit(per_minute, clock=clock)
    got = []
    for seconds, client in steps:
        clock.now += seconds
        got.append(round(limit.take(client), 6))
    assert got == waits


def test_rate_limit_keeps_a_bounded_number_of_buckets() -> None:
    clock = Clock()
    limit = RateLimit(2, clock=clock, max_clients=3)
    for client in "aabcd":
        assert limit.take(client) == 0
    assert set(limit._buckets) == {"a"}  # past 3 clients, none full again: the busiest half is kept
    assert limit.take("a") == 30  # noqa: PLR2004  # and still counts
    clock.now += 60
    for client in "efg":
        assert limit.take(client) == 0
    assert set(limit._buckets) == {"e", "f", "g"}  # a refilled: it held nothing worth keeping


@pytest.mark.parametrize(("rate", "token", "statuses"), [
    (2, None, [200, 200, 429]),
    (0, None, [200, 200, 200]),                       # 0 = no limit
    (2, TOKEN, [200, 200, 429]),                      # counted by token
])
def test_over_the_rate_a_client_gets_429_with_retry_after(library: Any, rate: int, token: str | None,
                                                         statuses: list[int]) -> None:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    with serve(library(), rate=rate, token=token) as client:
        got = [client.get("/api/status", headers=headers) for _ in statuses]
    assert [r.status_code for r in got] == statuses
    refused = got[-1]
    if refused.status_code == 429:
        assert refused.headers["retry-after"] == "30"
        body = refused.json()
        assert body["type"] == "RateLimited" and "2 a minute" in body["error"]
        assert "--rate" in body["hint"] and "BULLETIN_QA_SERVE_RATE" in body["hint"]


def test_the_rate_comes_from_the_setting(library: Any) -> None:
    with serve(library(serve_rate=1)) as client:
        assert [client.get("/api/status").status_code for _ in range(2)] == [200, 429]


@pytest.mark.parametrize(("args", "env", "error"), [
    (["--rate", "-1"], None, "Invalid value for '--rate' (env var: 'BULLETIN_QA_SERVE_RATE'): Input should be "
                             "greater than or equal to 0"),
    ([], "lots", "Invalid value for '--rate'"),          # BULLETIN_QA_SERVE_RATE
    (["--rate", "ten"], None, "Input should be a valid integer"),
])
def test_serve_rejects_a_bad_rate(monkeypatch: pytest.MonkeyPatch, args: list[str], env: str | None,
                                  error: str) -> None:
    if env is not None:
        monkeypatch.setenv("BULLETIN_QA_SERVE_RATE", env)
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert error in result.stderr
