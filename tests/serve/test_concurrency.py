"""The server's lanes on a live uvicorn server: reads side by side, a slow LLM never holding up a search,
the LLM lane bounded, and a streamed answer whose reader leaves stops pulling the model's stream.

Everything goes through the facade: a `Bulletin` built with a fake embedder that records how many
queries it embeds at once, and fake LLMs that wait on a threading.Event or count the tokens pulled
from their stream (no module is patched).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import numpy as np
import pytest

from bulletin_qa.bulletin import Bulletin
from bulletin_qa.llm.base import Completion, Messages
from bulletin_qa.models import Usage
from fakes import HashingFakeEmbedder

QUESTION = "城市更新三年行动是哪天启动的？"
REPLY = "4月2日，河湾区召开城市更新工作动员会，正式启动城市更新三年行动[1]。"
WAIT = 20.0  # seconds any one step may take on a loaded machine; the tests finish in well under one


class OverlapEmbedder(HashingFakeEmbedder):
    """A FAKE embedder that, once armed, holds each query until two have been embedded at the same moment
    (or 3 s pass), and records the most queries it was embedding at once."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.active = 0
        self.most = 0
        self._changed = threading.Condition()

    def embed_query(self, text: str) -> np.ndarray:
        """The hashed vector, after waiting (when armed) for a partner query."""
        if self.armed:
            with self._changed:
                self.active += 1
                self.most = max(self.most, self.active)
                self._changed.notify_all()
                # Until two queries have met (later ones, e.g. an answer's own embeddings, need not wait).
                self._changed.wait_for(lambda: self.most >= 2, timeout=3)  # noqa: PLR2004 - a pair
            with self._changed:
                self.active -= 1
        return super().embed_query(text)


class GatedLLM:
    """A FAKE LLM that says it has started, then waits for `release` before replying `reply` (streamed)."""

    def __init__(self, reply: str = REPLY, model: str = "fake-slow") -> None:
        self.model = model
        self.reply = reply
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def complete(self, messages: Messages, *, temperature: float | None = None, max_tokens: int | None = None,
                 on_token: Callable[[str], None] | None = None, json_schema: dict[str, Any] | None = None) -> Completion:
        """The reply, once released."""
        self.calls += 1
        self.started.set()
        assert self.release.wait(WAIT), "the test never released the LLM"
        if on_token:
            on_token(self.reply)
        return Completion(text=self.reply, model=self.model, usage=Usage(calls=1))


class StreamingLLM:
    """A FAKE LLM streaming `tokens` pieces, one every `gap` seconds, counting the pieces pulled from its stream."""

    def __init__(self, tokens: int = 2000, gap: float = 0.002) -> None:
        self.model = "fake-stream"
        self.tokens = tokens
        self.gap = gap
        self.pulled = 0
        self.stream_closed_early = False
        self.done = threading.Event()

    def _stream(self) -> Any:
        for i in range(self.tokens):
            time.sleep(self.gap)
            self.pulled += 1
            yield REPLY[i % len(REPLY)]

    def complete(self, messages: Messages, *, temperature: float | None = None, max_tokens: int | None = None,
                 on_token: Callable[[str], None] | None = None, json_schema: dict[str, Any] | None = None) -> Completion:
        """Pull the stream to its end, handing each piece to on_token; close it if on_token raises."""
        stream = self._stream()
        pieces = []
        try:
            for piece in stream:
                pieces.append(piece)
                if on_token:
                    on_token(piece)
        except BaseException:
            self.stream_closed_early = True
            raise
        finally:
            stream.close()
            self.done.set()
        return Completion(text="".join(pieces), model=self.model, usage=Usage(calls=1))


def build(library: Any, **parts: Any) -> Bulletin:
    """A Bulletin over the test's copy of the sample store, with the given parts."""
    settings = library().settings.model_copy(update={"corrective_round": False})
    parts.setdefault("embedder", HashingFakeEmbedder())
    return Bulletin(settings, **parts)


def run_later(fn: Callable[[], Any]) -> Any:
    """fn() on a thread of its own; returns the future."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(fn)
    pool.shutdown(wait=False)
    return future


def _outcome(future: Any) -> str:
    """What a pending request came to, for a failure message."""
    if not future.done():
        return "still waiting"
    try:
        response = future.result()
    except Exception as exc:  # noqa: BLE001  # shown in the message
        return repr(exc)
    return f"{response.status_code} {response.text[:300]}"


SLOW_REQUESTS = {
    "ask": ("post", "/api/ask", {"json": {"question": QUESTION}}),
    "summarize": ("post", "/api/summarize", {"json": {"ids": ["hewan-2024-04-01"]}}),
    "translate": ("post", "/api/translate", {"json": {"article_id": "hewan-2024-04-01"}}),
}


@pytest.mark.parametrize("slow", list(SLOW_REQUESTS))
def test_a_slow_llm_does_not_hold_up_searches_or_reads(start_server: Any, library: Any, slow: str) -> None:
    llm = GatedLLM()
    base = start_server(build(library, llm=llm))
    method, path, kwargs = SLOW_REQUESTS[slow]
    pending = run_later(lambda: getattr(httpx, method)(base + path, timeout=WAIT * 2, **kwargs))
    try:
        if not llm.started.wait(WAIT):
            raise AssertionError(f"the slow request never reached the LLM: {_outcome(pending)}")
        with httpx.Client(base_url=base, timeout=5) as client:  # the old single library thread: a timeout
            assert client.get("/api/search", params={"q": "城市更新"}).status_code == 200
            assert client.get("/api/articles/hewan-2024-04-01").status_code == 200
            assert client.get("/api/history").status_code == 200
        assert not pending.done()  # the LLM really was still writing
    finally:
        llm.release.set()
    assert pending.result(timeout=WAIT).status_code == 200


def test_the_llm_lane_is_bounded(start_server: Any, library: Any) -> None:
    llm = GatedLLM()
    base = start_server(build(library, llm=llm), lanes={"llm_workers": 1})
    asks = [run_later(lambda: httpx.post(base + "/api/ask", json={"question": QUESTION}, timeout=WAIT * 2))
            for _ in range(2)]
    try:
        assert llm.started.wait(WAIT)
        time.sleep(0.5)  # time enough for the second question to reach the LLM, if it could
        assert llm.calls == 1 and not any(a.done() for a in asks)  # the second waits for the one LLM worker
    finally:
        llm.release.set()
    assert [a.result(timeout=WAIT).status_code for a in asks] == [200, 200] and llm.calls == 2  # noqa: PLR2004


@pytest.mark.parametrize(("first", "second"), [
    (("get", "/api/search", {"params": {"q": "城市更新"}}), ("get", "/api/search", {"params": {"q": "招聘会"}})),
    (("get", "/api/search", {"params": {"q": "防汛"}}), ("post", "/api/ask", {"json": {"question": QUESTION}})),
], ids=["two-searches", "search-and-extractive-ask"])
def test_reads_run_side_by_side(start_server: Any, library: Any, first: tuple, second: tuple) -> None:
    embedder = OverlapEmbedder()
    base = start_server(build(library, embedder=embedder, llm=None))
    embedder.armed = True  # after the warm-up search

    def send(request: tuple) -> int:
        method, path, kwargs = request
        return getattr(httpx, method)(base + path, timeout=WAIT, **kwargs).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(send, [first, second]))
    assert statuses == [200, 200]
    assert embedder.most == 2  # noqa: PLR2004  # both queries were being embedded at the same moment


def test_a_reader_who_leaves_stops_the_generation(start_server: Any, library: Any) -> None:
    llm = StreamingLLM()
    base = start_server(build(library, llm=llm))
    with httpx.Client(base_url=base, timeout=WAIT) as client, client.stream(
            "POST", "/api/ask", json={"question": QUESTION}, headers={"accept": "text/event-stream"}) as response:
        assert response.status_code == 200
        for line in response.iter_lines():
            if line == "event: token":
                break  # the first piece arrived: the reader closes the page
    assert llm.done.wait(WAIT), "the LLM call never ended"
    assert llm.stream_closed_early and llm.pulled < llm.tokens, f"{llm.pulled} of {llm.tokens} tokens were pulled"
    with httpx.Client(base_url=base, timeout=WAIT) as client:
        assert client.get("/api/history").json() == []  # an abandoned question is not logged


def test_parts_are_built_once_when_threads_ask_at_once(library: Any) -> None:
    bulletin = build(library)
    start = threading.Barrier(6)

    def store() -> Any:
        start.wait(timeout=WAIT)
        return bulletin.store

    with ThreadPoolExecutor(max_workers=6) as pool:
        opened = list(pool.map(lambda _: store(), range(6)))
    assert len({id(s) for s in opened}) == 1
