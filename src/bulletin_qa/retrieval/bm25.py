"""BM25 over jieba tokens at two levels, chunks and whole articles, cached on disk by store revision.

Why two levels: a chunk-level score finds the passage that states the question; an
article-level score adds up evidence spread over the article (the subject named in the
lead, the detail asked about three paragraphs down). On the news dev questions, fusing the
two beat either alone (benchmarks/RESULTS.md, "Retrieval fusion, 2026-11-29").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bulletin_qa.index.records import date_to_int
from bulletin_qa.models import Chunk
from bulletin_qa.text.words import load_jieba

if TYPE_CHECKING:
    from bulletin_qa.index.store import Store

# Bump when tokenisation or the index layout changes: it is part of the cache key, so old
# indexes are not reused. 2: articles are tokenised once and an article-level index is kept;
# 3: chunk tokens cut from offset-sorted article tokens (2 cut them from an unsorted list).
TOKENIZER_VERSION = "jieba-search-3"
MANIFEST = "manifest.json"  # row counts and SHA-256 of the row files: damage is detected, not trusted
_KEEP_CACHES = 3  # index directories kept per cache dir (one per recent chunk set)
_MEMO: dict[str, BM25Index] = {}  # last indexes loaded in this process, by cache key
_LOADING = threading.Lock()  # held while an index is loaded or built
# Question words and particles dropped from QUERIES only: "哪个区举办了什么活动？" should match
# on 区/举办/活动. Measured on news_qa_dev (benchmarks/RESULTS.md): MRR@10 +0.016 on the tune
# half, +0.007 on the report half. Documents keep every token.
QUERY_STOPWORDS = frozenset(
    "什么 哪些 哪个 哪里 哪 多少 如何 怎么 怎样 为什么 是否 吗 呢 吧 的 了 是 在 有 和 与 及 被 该 这 那 谁 几 何"
    .split()
)


def _is_word(token: str) -> bool:
    """False for tokens made only of punctuation, symbols or whitespace."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens (words plus their sub-words), lowercased, without punctuation."""
    return [t.lower() for t in load_jieba().cut_for_search(text) if t.strip() and _is_word(t)]


def _located_tokens(text: str) -> tuple[list[str], np.ndarray]:
    """tokenize(text) with each token's start offset, ordered by offset, so one pass serves the
    article and its chunks.

    jieba's search mode yields a word's sub-words before the word (中国 0, 国外 1, 外交 2,
    中国外交部 0): the offsets go back and forth and are sorted here for np.searchsorted.
    """
    located = sorted(((start, word.lower()) for word, start, _ in load_jieba().tokenize(text, mode="search")
                      if word.strip() and _is_word(word)), key=lambda pair: pair[0])
    return [word for _, word in located], np.asarray([start for start, _ in located], dtype=np.int64)


def query_tokens(query: str) -> list[str]:
    """Tokens of a query without question words (all of them, if nothing else is left)."""
    tokens = tokenize(query)
    return [t for t in tokens if t not in QUERY_STOPWORDS] or tokens


def article_text(chunks: Iterable[Chunk]) -> str:
    """An article's text put back together from its chunks (each knows its offset in the article).

    Overlaps are written once; the whitespace the splitter stripped between chunks comes back as
    spaces, so every chunk's `start` is an offset into the result too.
    """
    text = ""
    for chunk in sorted(chunks, key=lambda c: c.index):
        text = text[: chunk.start].ljust(chunk.start) + chunk.text
    return text


@dataclass
class Level:
    """One bm25s index plus, per document position, the fields the filters need."""

    retriever: Any
    dates: np.ndarray
    sources: np.ndarray

    def top(self, tokens: list[str], k: int, since: dt.date | None, until: dt.date | None,
            source: str | None) -> list[tuple[int, float]]:
        """(position, score) of the k best documents (score > 0) that pass the filters, best first."""
        if not tokens or not len(self.dates):
            return []
        scores = np.asarray(self.retriever.get_scores(tokens), dtype=np.float64)
        mask = scores > 0
        if since or until:
            mask &= self.dates >= (date_to_int(since) if since else 1)
        if until:
            mask &= self.dates <= date_to_int(until)
        if source:
            mask &= self.sources == source
        candidates = np.flatnonzero(mask)
        top = candidates[np.argsort(-scores[candidates], kind="stable")[:k]]
        return [(int(i), float(scores[i])) for i in top]


@dataclass
class BM25Index:
    """Chunk-level and article-level BM25 over the same tokens."""

    chunks: list[Chunk]
    chunk_level: Level
    article_ids: list[str]
    article_level: Level

    def search(self, query: str, k: int, since: dt.date | None = None, until: dt.date | None = None,
               source: str | None = None) -> list[tuple[Chunk, float]]:
        """The k best-scoring chunks (score > 0) that pass the filters, best first."""
        return [(self.chunks[i], s) for i, s in self.chunk_level.top(query_tokens(query), k, since, until, source)]

    def search_articles(self, query: str, k: int, since: dt.date | None = None, until: dt.date | None = None,
                        source: str | None = None) -> list[tuple[str, float]]:
        """The k best-scoring articles as (article id, score), scored as whole texts, best first."""
        top = self.article_level.top(query_tokens(query), k, since, until, source)
        return [(self.article_ids[i], s) for i, s in top]


def _level(corpus: list[list[str]], metas: list[dict[str, Any]]) -> Level:
    import bm25s

    retriever = bm25s.BM25()
    if corpus:
        retriever.index(corpus, show_progress=False)
    return Level(retriever=retriever,
                 dates=np.array([int(m.get("date", 0)) for m in metas], dtype=np.int64),
                 sources=np.array([m.get("source", "") for m in metas], dtype=object))


def build_index(records: list[tuple[Chunk, dict[str, Any]]]) -> BM25Index:
    """Index chunks (with their store metadata: title, date, source) and the articles they make up.

    Each article is tokenised once; a chunk's tokens are the title's plus the article tokens that
    start inside the chunk (the title is indexed with every chunk: a chunk from the middle of an
    article often never names the subject its headline names).
    """
    by_article: dict[str, list[tuple[Chunk, dict[str, Any]]]] = {}
    for chunk, meta in records:
        by_article.setdefault(chunk.article_id, []).append((chunk, meta))
    chunks: list[Chunk] = []
    chunk_tokens: list[list[str]] = []
    chunk_metas: list[dict[str, Any]] = []
    article_tokens: list[list[str]] = []
    article_metas: list[dict[str, Any]] = []
    for items in by_article.values():
        items.sort(key=lambda cm: cm[0].index)
        meta = items[0][1]
        title = tokenize(meta.get("title", ""))
        words, starts = _located_tokens(article_text(c for c, _ in items))
        for chunk, chunk_meta in items:
            lo, hi = np.searchsorted(starts, [chunk.start, chunk.start + len(chunk.text)])
            chunks.append(chunk)
            chunk_tokens.append(title + words[lo:hi])
            chunk_metas.append(chunk_meta)
        article_tokens.append(title + words)
        article_metas.append(meta)
    return BM25Index(chunks=chunks, chunk_level=_level(chunk_tokens, chunk_metas),
                     article_ids=list(by_article), article_level=_level(article_tokens, article_metas))


def _write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> tuple[int, str]:
    """Write JSON lines; returns (rows, SHA-256 of the bytes) for the manifest."""
    digest, count = hashlib.sha256(), 0
    with path.open("wb") as f:
        for row in rows:
            line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
            digest.update(line)
            f.write(line)
            count += 1
    return count, digest.hexdigest()


def _save(index: BM25Index, path: Path) -> bool:
    """Write to a temporary directory, then rename: a crash never leaves a half index in place.

    The manifest (written last) records each row file's length and SHA-256, so a file cut short
    or edited later is detected on load. False when the cache could not be written (a full or
    read-only disk, the directory deleted meanwhile): the index is then only kept in memory.
    """
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if index.chunks:
            index.chunk_level.retriever.save(str(tmp / "chunks"), show_progress=False)
            index.article_level.retriever.save(str(tmp / "articles"), show_progress=False)
        manifest = {}
        manifest["chunks"] = _write_rows(tmp / "chunks.jsonl", (
            {**chunk.model_dump(), "date": int(date), "source": source}
            for chunk, date, source in zip(index.chunks, index.chunk_level.dates, index.chunk_level.sources)))
        manifest["articles"] = _write_rows(tmp / "articles.jsonl", (
            {"id": aid, "date": int(date), "source": source}
            for aid, date, source in zip(index.article_ids, index.article_level.dates, index.article_level.sources)))
        (tmp / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    try:
        tmp.rename(path)
    except OSError:  # another process saved the same index first (or the cache dir is gone)
        shutil.rmtree(tmp, ignore_errors=True)
    return True


def _load_level(path: Path, rows: list[dict[str, Any]]) -> Level:
    import bm25s

    retriever = bm25s.BM25.load(str(path), show_progress=False) if rows else bm25s.BM25()
    if rows and int(retriever.scores["num_docs"]) != len(rows):
        raise ValueError(f"{path} indexes {retriever.scores['num_docs']} documents, not {len(rows)}")
    return Level(retriever=retriever,
                 dates=np.array([r["date"] for r in rows], dtype=np.int64),
                 sources=np.array([r["source"] for r in rows], dtype=object))


def _read_rows(path: Path, expected: list[Any]) -> list[dict[str, Any]]:
    """The rows of a JSON-lines file, checked against the manifest's (count, sha256)."""
    data = path.read_bytes()
    if [data.count(b"\n"), hashlib.sha256(data).hexdigest()] != list(expected):
        raise ValueError(f"{path} does not match its manifest")
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def _load(path: Path) -> BM25Index:
    """Load a cached index; ValueError/OSError/KeyError when any part of it is missing or damaged."""
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    chunk_rows = _read_rows(path / "chunks.jsonl", manifest["chunks"])
    article_rows = _read_rows(path / "articles.jsonl", manifest["articles"])
    return BM25Index(
        chunks=[Chunk(**{k: r[k] for k in ("id", "article_id", "index", "text", "start")}) for r in chunk_rows],
        chunk_level=_load_level(path / "chunks", chunk_rows),
        article_ids=[r["id"] for r in article_rows],
        article_level=_load_level(path / "articles", article_rows),
    )


def _cache_key(store: Store, revision: str | None) -> str:
    """The name of the keyword index of the store's current state (revision, tokenizer, learned names)."""
    from bulletin_qa.names.service import store_names

    state = f"rev-{revision}" if revision else store.chunk_fingerprint()
    # The store's people go to jieba first, so 虎荣鑫 is one token, not 虎 + 荣鑫 (names/service.py).
    return f"{state}-{TOKENIZER_VERSION}-names-{store_names(store, state=state).key}"


def cache_status(store: Store, cache_dir: Path | None = None) -> str:
    """'ok', 'missing' or 'damaged': the on-disk keyword index of the store's current revision."""
    revision = store.revision()
    if not revision:
        return "missing"
    path = (cache_dir or store.cache_dir / "bm25") / _cache_key(store, revision)
    if not path.exists():
        return "missing"
    try:
        index = _load(path)
    except (OSError, ValueError, KeyError, TypeError):
        return "damaged"
    return "ok" if len(index.chunks) == store.chunks.count() else "damaged"


def forget_loaded() -> None:
    """Drop the indexes this process keeps in memory: the next search loads from disk, as a new process would."""
    _MEMO.clear()


def _prune(cache_dir: Path, keep: Path) -> None:
    """Drop all but the most recently used index directories."""
    dirs = sorted((p for p in cache_dir.iterdir() if p.is_dir() and p != keep), key=lambda p: p.stat().st_mtime)
    for old in dirs[: max(0, len(dirs) - (_KEEP_CACHES - 1))]:
        shutil.rmtree(old, ignore_errors=True)


def bm25_index(store: Store, cache_dir: Path | None = None) -> BM25Index:
    """The BM25 index of the store's current chunks: from memory, from disk (under `cache_dir`,
    default <store cache>/bm25), or built and saved.

    Keyed on the store's revision (one small read per search). A store written before revisions
    existed gets one here; only when it cannot be written to is the key its chunk fingerprint
    (a scan of every id, ~2 s at 8,000 articles).
    """
    cache_dir = cache_dir or store.cache_dir / "bm25"
    key = _cache_key(store, store.ensure_revision())
    found = _MEMO.get(key)
    if found is not None:
        return found
    with _LOADING:  # threads searching at once (serve): one loads or builds, the others wait for it
        found = _MEMO.get(key)
        return found if found is not None else _load_or_build(store, cache_dir / key, cache_dir, key)


def _load_or_build(store: Store, path: Path, cache_dir: Path, key: str) -> BM25Index:
    """Load the index at `path`, or build and save it; memoised under `key`."""
    index = None
    if path.exists():
        try:
            index = _load(path)
        except (OSError, ValueError, KeyError, TypeError):  # a damaged cache is rebuilt, never trusted
            shutil.rmtree(path, ignore_errors=True)
    if index is None:
        index = build_index(list(store.iter_chunks()))
        if _save(index, path):
            with contextlib.suppress(OSError):
                _prune(cache_dir, path)
    else:
        with contextlib.suppress(OSError):
            os.utime(path)
    _MEMO.clear()
    _MEMO[key] = index
    return index
