"""Check a store's records against each other, and repair them from the store itself.

What is checked (one scan of the article records, one of the chunks with their vectors):

    orphan chunks     a chunk whose article has no record (an ingest cut off before the record,
                      or a writer on another machine sharing a Chroma server)
    missing chunks    an article record whose chunks are not all there
    chunk layout      chunk indexes other than exactly 0..n-1 of the record (chunks of two
                      versions or of two sources mixed under one id)
    chunk text        a chunk whose text is not the article's text at the chunk's offset
    embedding         a vector of the wrong width, not finite, or not unit length
    keyword index     the cached BM25 index of the current revision damaged (a missing one is
                      only noted: the next search or ingest builds it)

Repair deletes orphan chunks and stores every other damaged article again from its own record
(its text, re-chunked with the current chunk settings and re-embedded with the store's embedder),
then rebuilds the keyword index; it holds the store's write lock throughout.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from bulletin_qa.index.chunking import chunk_article, indexed_text
from bulletin_qa.index.embedders import Embedder, normalise
from bulletin_qa.index.store import Store
from bulletin_qa.models import Article
from bulletin_qa.settings import Settings

_UNIT_TOLERANCE = 1e-3  # float32 vectors normalised by us have |norm - 1| < 1e-6; 1e-3 leaves room


class Problem(BaseModel):
    """One thing found wrong."""

    kind: str = Field(description="orphan chunks, missing chunks, chunk layout, chunk text, embedding, keyword index")
    article_id: str | None = None
    detail: str
    repaired: bool = False


class CheckReport(BaseModel):
    """What `bulletin-qa check` found (and repaired)."""

    store: str
    articles: int = 0
    chunks: int = 0
    keyword_index: str = Field(default="missing", description="ok, missing (built on the next search) or damaged.")
    problems: list[Problem] = Field(default_factory=list)

    @property
    def consistent(self) -> bool:
        """True when nothing is wrong, or everything wrong was repaired."""
        return all(p.repaired for p in self.problems)


def _vector_problem(vector: Any, dim: int) -> str | None:
    v = np.asarray(vector, dtype=np.float64)
    if v.shape != (dim,):
        return f"width {v.shape[-1] if v.ndim else 0}, the store's embedder gives {dim}"
    if not np.isfinite(v).all():
        return "not finite"
    norm = float(np.linalg.norm(v))
    if abs(norm - 1.0) > _UNIT_TOLERANCE:
        return f"length {norm:.3f}, not 1"
    return None


def _scan(store: Store, articles: dict[str, Article], expected: dict[str, int], report: CheckReport) -> list[str]:
    """Add the problems found to `report`; returns the ids of the orphan chunks."""
    layout: dict[str, list[int]] = {}
    orphans: list[str] = []
    for page in store._scan(store.chunks, ["documents", "metadatas", "embeddings"]):
        for cid, doc, meta, vec in zip(page["ids"], page["documents"], page["metadatas"], page["embeddings"]):
            report.chunks += 1
            aid = meta.get("article_id")
            article = articles.get(aid)
            if article is None:
                orphans.append(cid)
                continue
            layout.setdefault(aid, []).append(int(meta.get("index", -1)))
            start = int(meta.get("start", -1))
            if article.text[start : start + len(doc)] != doc:
                report.problems.append(Problem(kind="chunk text", article_id=aid,
                                               detail=f"chunk {cid} is not the article's text at offset {start}"))
            bad = _vector_problem(vec, store.dim)
            if bad:
                report.problems.append(Problem(kind="embedding", article_id=aid, detail=f"chunk {cid}: {bad}"))
    if orphans:
        report.problems.append(Problem(kind="orphan chunks", detail=f"{len(orphans)} chunk(s) of no stored article: "
                                       + ", ".join(orphans[:3]) + (" ..." if len(orphans) > 3 else "")))
    for aid, n in expected.items():
        got = sorted(layout.get(aid, []))
        if not got and n:
            report.problems.append(Problem(kind="missing chunks", article_id=aid, detail=f"0 of {n} chunks stored"))
        elif got != list(range(n)):
            report.problems.append(Problem(kind="chunk layout", article_id=aid,
                                           detail=f"record says {n} chunks, stored indexes are {got[:12]}"))
    return orphans


def _restore(store: Store, articles: list[Article], sources: dict[str, tuple[str, str]], embedder: Embedder,
             settings: Settings) -> None:
    """Store articles again from their own records: delete their chunks, re-chunk, re-embed, record last."""
    for article in articles:
        chunks = chunk_article(article, settings.chunk_size, settings.chunk_overlap)
        store.delete_chunks_of([article.id])
        if not chunks:
            store.delete_articles([article.id])
            continue
        vectors = embedder.embed_passages([indexed_text(article.title, c.text) for c in chunks])
        store.add_chunks([(article, c) for c in chunks], vectors)
        store.put_articles([article], normalise(vectors.mean(axis=0, keepdims=True)), [len(chunks)],
                           sources=sources)


def check_store(store: Store, *, keyword_status: Callable[[Store], str],
                rebuild_keywords: Callable[[Store], object], repair: bool = False,
                embedder: Embedder | None = None, settings: Settings | None = None) -> CheckReport:
    """Check the store (see the module docstring); with `repair` (which needs the store's embedder
    and the settings) fix what was found and mark each problem repaired.

    The keyword index belongs to retrieval/, above this package: the caller passes its status
    ('ok', 'missing' or 'damaged') and its rebuild as `keyword_status` and `rebuild_keywords`.
    """
    if repair and (embedder is None or settings is None):
        raise ValueError("repair needs the store's embedder and the settings")
    with store.lock.hold() if repair else contextlib.nullcontext():
        index = store.article_index()
        articles = {a.id: a for a in store.list_articles()}
        report = CheckReport(store=store.location, articles=len(articles))
        orphans = _scan(store, articles, {aid: record.chunks for aid, record in index.items()}, report)
        status = keyword_status(store)
        report.keyword_index = status
        if status == "damaged":
            report.problems.append(Problem(kind="keyword index", detail="the cached keyword (BM25) index is damaged"))
        if not repair or not report.problems:
            return report
        assert embedder is not None and settings is not None
        store.delete_chunk_ids(orphans)
        damaged = sorted({p.article_id for p in report.problems if p.article_id})
        _restore(store, [articles[aid] for aid in damaged],
                 {aid: (index[aid].source_key, index[aid].source_digest) for aid in damaged}, embedder, settings)
    rebuild_keywords(store)
    report.keyword_index = keyword_status(store)
    for problem in report.problems:
        problem.repaired = True
    return report
