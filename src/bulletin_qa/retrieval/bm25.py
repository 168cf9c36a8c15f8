"""BM25 over jieba tokens of every stored chunk (title + text), cached on disk by chunk-set fingerprint."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bulletin_qa.index.chunking import indexed_text
from bulletin_qa.index.records import date_to_int
from bulletin_qa.models import Chunk

if TYPE_CHECKING:
    from bulletin_qa.index.store import Store

# Bump when tokenisation changes: it is part of the cache key, so old indexes are not reused.
TOKENIZER_VERSION = "jieba-search-1"
_KEEP_CACHES = 3  # index directories kept per cache dir (one per recent chunk set)
_MEMO: dict[str, "BM25Index"] = {}  # last indexes loaded in this process, by cache key
# Question words and particles dropped from QUERIES only: "哪个区举办了什么活动？" should match
# on 区/举办/活动. Measured on news_qa_dev (benchmarks/RESULTS.md): MRR@10 +0.016 on the tune
# half, +0.007 on the report half. Documents keep every token.
QUERY_STOPWORDS = frozenset(
    "什么 哪些 哪个 哪里 哪 多少 如何 怎么 怎样 为什么 是否 吗 呢 吧 的 了 是 在 有 和 与 及 被 该 这 那 谁 几 何".split()
)


def _is_word(token: str) -> bool:
    """False for tokens made only of punctuation, symbols or whitespace."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens (words plus their sub-words), lowercased, without punctuation."""
    import jieba

    # jieba logs "Building prefix dict ..." at INFO on first use; the core never prints.
    jieba.setLogLevel(logging.WARNING)
    return [t.lower() for t in jieba.cut_for_search(text) if t.strip() and _is_word(t)]


@dataclass
class BM25Index:
    """A bm25s index plus, per chunk position, the chunk and the fields filters need."""

    retriever: Any
    chunks: list[Chunk]
    dates: np.ndarray
    sources: np.ndarray

    def search(self, query: str, k: int, since: dt.date | None = None, until: dt.date | None = None,
               source: str | None = None) -> list[tuple[Chunk, float]]:
        """The k best-scoring chunks (score > 0) that pass the filters, best first."""
        tokens = query_tokens(query)
        if not tokens or not self.chunks:
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
        return [(self.chunks[i], float(scores[i])) for i in top]


def query_tokens(query: str) -> list[str]:
    """Tokens of a query without question words (all of them, if nothing else is left)."""
    tokens = tokenize(query)
    return [t for t in tokens if t not in QUERY_STOPWORDS] or tokens


def build_index(records: list[tuple[Chunk, dict[str, Any]]]) -> BM25Index:
    """Index chunks (with their store metadata: title, date, source)."""
    import bm25s

    corpus = [tokenize(indexed_text(meta.get("title", ""), chunk.text)) for chunk, meta in records]
    retriever = bm25s.BM25()
    if corpus:
        retriever.index(corpus, show_progress=False)
    return BM25Index(
        retriever=retriever,
        chunks=[chunk for chunk, _ in records],
        dates=np.array([int(meta.get("date", 0)) for _, meta in records], dtype=np.int64),
        sources=np.array([meta.get("source", "") for _, meta in records], dtype=object),
    )


def _save(index: BM25Index, path: Path) -> None:
    """Write to a temporary directory, then rename: a crash never leaves a half index in place."""
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if index.chunks:
        index.retriever.save(str(tmp), show_progress=False)
    with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as f:
        for chunk, date, source in zip(index.chunks, index.dates, index.sources):
            f.write(json.dumps({**chunk.model_dump(), "date": int(date), "source": source}, ensure_ascii=False) + "\n")
    try:
        tmp.rename(path)
    except OSError:  # another process saved the same index first
        shutil.rmtree(tmp, ignore_errors=True)


def _load(path: Path) -> BM25Index:
    import bm25s

    rows = [json.loads(line) for line in (path / "chunks.jsonl").open(encoding="utf-8")]
    retriever = bm25s.BM25.load(str(path), show_progress=False) if rows else bm25s.BM25()
    return BM25Index(
        retriever=retriever,
        chunks=[Chunk(**{k: r[k] for k in ("id", "article_id", "index", "text", "start")}) for r in rows],
        dates=np.array([r["date"] for r in rows], dtype=np.int64),
        sources=np.array([r["source"] for r in rows], dtype=object),
    )


def _prune(cache_dir: Path, keep: Path) -> None:
    """Drop all but the most recently used index directories."""
    dirs = sorted((p for p in cache_dir.iterdir() if p.is_dir() and p != keep), key=lambda p: p.stat().st_mtime)
    for old in dirs[: max(0, len(dirs) - (_KEEP_CACHES - 1))]:
        shutil.rmtree(old, ignore_errors=True)


def bm25_index(store: "Store", cache_dir: Path) -> BM25Index:
    """The BM25 index of the store's current chunks: from memory, from disk, or built and saved."""
    key = f"{store.chunk_fingerprint()}-{TOKENIZER_VERSION}"
    if key in _MEMO:
        return _MEMO[key]
    path = cache_dir / key
    index = None
    if (path / "chunks.jsonl").exists():
        try:
            index = _load(path)
        except (OSError, ValueError, KeyError):  # a damaged cache is rebuilt, never trusted
            shutil.rmtree(path, ignore_errors=True)
    if index is None:
        index = build_index(list(store.iter_chunks()))
        cache_dir.mkdir(parents=True, exist_ok=True)
        _save(index, path)
        _prune(cache_dir, path)
    else:
        os.utime(path)
    _MEMO.clear()
    _MEMO[key] = index
    return index
