"""The server's safety rules in one ASGI middleware, checked on every request before any route runs.

- **Token**: when the server has one, every request must carry it: `Authorization: Bearer T`, or the
  `bqa_token` cookie. Opening `/?token=T` once sets that cookie (HttpOnly, SameSite=Strict), so the
  page's own scripts, styles and API calls carry it without the token ever reaching JavaScript.
- **Host**: without a token the server is loopback-only, and only `localhost`/`127.0.0.1`/`[::1]`
  Host headers are served: a web page on another site cannot reach it through DNS rebinding.
- **Rate**: each client (the token it sent, else its address) may send `rate` requests a minute,
  in bursts of up to a minute's worth (a token bucket); over it, 429 with Retry-After. 0 = no limit.
- **Body size**: request bodies over MAX_BODY bytes are refused with 413, streamed ones included.
- **Headers**: a strict Content-Security-Policy (only our own scripts and styles, no inline code),
  nosniff, no referrer, no framing.

Refusals are JSON `{"error": ...}` like every other error of the API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import time
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 64 * 1024  # a question is at most a few thousand characters; a glossary edit less
COOKIE = "bqa_token"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


MAX_CLIENTS = 10_000  # buckets kept; past it, those already full again are forgotten (they hold nothing)


class RateLimit:
    """Token buckets by client: `per_minute` requests a minute, bursts of up to a minute's worth.

    Used from the event loop only, so it needs no lock; `clock` is injectable for tests.
    """

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = MAX_CLIENTS) -> None:
        self.per_minute = per_minute
        self._per_second = per_minute / 60
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens left, when counted)

    def _level(self, tokens: float, at: float, now: float) -> float:
        return min(float(self.per_minute), tokens + (now - at) * self._per_second)

    def take(self, client: str) -> float:
        """0 when this client's request may go ahead (one token taken), else the seconds until it may."""
        now = self._clock()
        tokens, at = self._buckets.get(client, (float(self.per_minute), now))
        tokens = self._level(tokens, at, now)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > self._max_clients:
                self._forget_full(now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1 - tokens) / self._per_second

    def _forget_full(self, now: float) -> None:
        full = [c for c, (t, at) in self._buckets.items() if self._level(t, at, now) >= self.per_minute]
        for client in full:
            del self._buckets[client]
        if len(self._buckets) > self._max_clients:  # a flood from many addresses: keep the busiest half
            keep = sorted(self._buckets.items(), key=lambda item: item[1][0])[: self._max_clients // 2]
            self._buckets = dict(keep)


def _token_key(token: str) -> str:
    """The rate-limit key of the server's token: a short hash, so the buckets never hold the token."""
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:16]


def _client_key(scope: Scope, token_key: str | None) -> str:
    """Whom a request is counted against: its (checked) token's key (_token_key), else the address it came from."""
    if token_key is not None:
        return token_key
    client = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"


async def _refuse(send: Send, status: int, message: str, hint: str = "", *, kind: str = "Refused",
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"error": message, "hint": hint, "type": kind}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or []), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


def _host(headers: dict[bytes, bytes]) -> str:
    """The Host header without its port ('[::1]:8000' -> '[::1]')."""
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """Token, Host, body-size and header rules around an ASGI app (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, token: str | None, allowed_hosts: frozenset[str] | None,
                 max_body: int = MAX_BODY, rate: RateLimit | None = None) -> None:
        self.app = app
        self.token = token
        self._token_key = _token_key(token) if token is not None else None  # hashed once, not per request
        self.allowed_hosts = allowed_hosts
        self.max_body = max_body
        self.rate = rate if rate is not None and rate.per_minute > 0 else None

    def _token_given(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[str | None, bool]:
        """(token found, whether it came in the query string)."""
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            return query["token"][0], True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # noqa: BLE001  # a malformed cookie header is simply no token
            return None, False
        return (cookie[COOKIE].value if COOKIE in cookie else None), False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on with the security headers added to the response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if self.allowed_hosts is not None and _host(headers) not in self.allowed_hosts:
            await _refuse(send, 421, "This server answers only on its loopback address.",
                          "Open it at http://127.0.0.1:PORT/, or start it with --host and --token.")
            return
        set_cookie = False
        if self.token is not None:
            given, from_query = self._token_given(scope, headers)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                await _refuse(send, 401, "A valid token is required.",
                              "Send 'Authorization: Bearer TOKEN', or open /?token=TOKEN once in the browser.")
                return
            set_cookie = from_query
        if self.rate is not None:
            wait = self.rate.take(_client_key(scope, self._token_key))
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                await _refuse(send, 429, f"Too many requests: this server takes {self.rate.per_minute} a minute "
                                         "from one client.",
                              f"Wait {seconds} s and try again. The limit is the serve_rate setting (--rate, "
                              "BULLETIN_QA_SERVE_RATE; 0 turns it off).",
                              kind="RateLimited", headers=[(b"retry-after", str(seconds).encode())])
                return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _refuse(send, 413, f"The request body is over {self.max_body} bytes.", "Send less.")
            return
        received = 0
        too_big = False

        async def limited_receive() -> Message:
            nonlocal received, too_big
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    too_big = True
                    return {"type": "http.disconnect"}
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_big:  # whatever the app made of a cut-off body, the answer is 413
                if not started:
                    started = True
                    await _refuse(send, 413, f"The request body is over {self.max_body} bytes.", "Send less.")
                return
            if message["type"] == "http.response.start":
                started = True
                extra = list(SECURITY_HEADERS)
                if set_cookie:
                    extra.append((b"set-cookie", f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; "
                                                 "Path=/".encode("latin-1")))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, limited_receive, guarded_send)
        if too_big and not started:
            await _refuse(send, 413, f"The request body is over {self.max_body} bytes.", "Send less.")
