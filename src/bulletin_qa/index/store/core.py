"""Store: reading and writing the records of an open bulletin-qa store (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bulletin_qa.errors import BulletinQAError, NotFound, StoreUnavailable
from bulletin_qa.index.identity import StoredArticle
from bulletin_qa.index.records import (
    article_from_record,
    article_metadata,
    chunk_from_record,
    chunk_metadata,
    date_filter,
    int_to_date,
)
from bulletin_qa.index.store.locking import StoreLock
from bulletin_qa.models import Article, Chunk
from bulletin_qa.settings import default_home

# 2: article records carry source_key and source_digest (index/identity.py); schema-1 records
# are read as owned by their file name and updated when their source is ingested again.
SCHEMA_VERSION = 2
_PAGE = 2000  # records per get() page when scanning a collection

T = TypeVar("T")


def _store_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "the store is broken or unreachable", not a bug in our code."""
    import httpx
    from chromadb.errors import ChromaError

    return (ChromaError, httpx.HTTPError, ConnectionError, sqlite3.Error, OSError)


def _guard(method: Callable[..., T]) -> Callable[..., T]:
    """Convert a failure inside Chroma into StoreUnavailable naming the store (the CLI shows it)."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except BulletinQAError:
            raise
        except _store_errors() as exc:
            raise StoreUnavailable(
                f"The store at {self.location} failed: {exc}",
                hint="Check that the Chroma server is running (--chroma-url) or that --store is a bulletin-qa store.",
            ) from exc

    return wrapper


class Store:
    """One bulletin-qa store: the chunk and article collections of one prefix."""

    def __init__(self, client: Any, chunks: Any, articles: Any, location: str, cache_dir: Path | None = None,
                 embedding_function: Any = None, lock: StoreLock | None = None) -> None:
        self.client = client
        # Held around every write (an embedded store: a file lock in its directory; see locking.py).
        self.lock = lock or StoreLock(None, location)
        self.chunks = chunks
        self.articles = articles
        self.location = location
        self._ef = embedding_function
        meta = chunks.metadata or {}
        self.embedder_id = str(meta.get("embedder"))
        self.dim = int(meta.get("dim", 0))
        self._max_batch = int(client.get_max_batch_size())
        # Where derived data (the BM25 index) is cached; see Settings.cache_dir.
        self.cache_dir = cache_dir or default_home() / "cache"

    @property
    def max_batch(self) -> int:
        """The largest write Chroma accepts in one call."""
        return self._max_batch

    # -- reading -----------------------------------------------------------------------

    def _scan(self, collection: Any, include: list[str],
              where: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            page = collection.get(where=where, include=include, limit=_PAGE, offset=offset)
            if not page["ids"]:
                return
            yield page
            offset += len(page["ids"])

    @_guard
    def get_article(self, article_id: str) -> Article | None:
        """The stored article with that id, or None."""
        got = self.articles.get(ids=[article_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        return article_from_record(got["documents"][0], got["metadatas"][0])

    def require_article(self, article_id: str) -> Article:
        """The stored article with that id; NotFound (with a hint) when there is none."""
        article = self.get_article(article_id)
        if article is None:
            raise NotFound(f"There is no article {article_id!r} in the store at {self.location}.",
                           article_id=article_id, hint="`bulletin-qa articles` lists the stored ids.")
        return article

    @_guard
    def get_articles(self, article_ids: list[str]) -> dict[str, Article]:
        """Stored articles by id (missing ids are left out)."""
        found: dict[str, Article] = {}
        ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), _PAGE):
            got = self.articles.get(ids=ids[i : i + _PAGE], include=["documents", "metadatas"])
            for doc, meta in zip(got["documents"], got["metadatas"]):
                found[meta["id"]] = article_from_record(doc, meta)
        return found

    @_guard
    def list_articles(self, since: dt.date | None = None, until: dt.date | None = None,
                      source: str | None = None) -> list[Article]:
        """Stored articles in a date range / from one source, oldest first (undated last)."""
        where = date_filter(since, until, source)
        out = [
            article_from_record(doc, meta)
            for page in self._scan(self.articles, ["documents", "metadatas"], where)
            for doc, meta in zip(page["documents"], page["metadatas"])
        ]
        return sorted(out, key=lambda a: (a.date is None, a.date or dt.date.min, a.source, a.position, a.id))

    @_guard
    def article_index(self) -> dict[str, StoredArticle]:
        """Hash, source, source key/digest and chunk count of every completely stored article, by id:
        one scan of the records."""
        return {
            meta["id"]: StoredArticle(meta["content_hash"], meta.get("source", ""), meta.get("source_key", ""),
                                      meta.get("source_digest", ""), int(meta.get("chunks", 0)))
            for page in self._scan(self.articles, ["metadatas"])
            for meta in page["metadatas"]
        }

    def article_hashes(self) -> dict[str, str]:
        """content_hash of every completely stored article, by id."""
        return {aid: record.content_hash for aid, record in self.article_index().items()}

    @_guard
    def chunk_layout(self, article_ids: list[str]) -> dict[str, list[int]]:
        """The chunk indexes stored under each of these articles (an article with none is left out)."""
        found: dict[str, list[int]] = {}
        for i in range(0, len(article_ids), self._max_batch):
            where = {"article_id": {"$in": article_ids[i : i + self._max_batch]}}
            for page in self._scan(self.chunks, ["metadatas"], where):
                for meta in page["metadatas"]:
                    found.setdefault(meta["article_id"], []).append(int(meta["index"]))
        return found

    @_guard
    def chunk_ids(self) -> list[str]:
        """Ids of all stored chunks, sorted."""
        return sorted(i for page in self._scan(self.chunks, []) for i in page["ids"])

    def _collection_metadata(self) -> dict[str, Any]:
        """The article collection's metadata as stored now (self.articles caches what it read at open)."""
        return dict(self.client.get_collection(self.articles.name, embedding_function=self._ef).metadata or {})

    @_guard
    def revision(self) -> str | None:
        """A token every write replaces (kept in the article collection's metadata, so other processes
        and a shared Chroma server see it too); None for a store written before revisions existed.

        Reading it is one small request, where chunk_fingerprint() reads every id (~2 s at 8,000
        articles): derived data such as the BM25 index is keyed on it.
        """
        value = self._collection_metadata().get("revision")
        return str(value) if value else None

    def _bump_revision(self) -> str:
        """Mark the store as changed (called by every write, after it); returns the new revision."""
        meta = self._collection_metadata()
        meta["revision"] = uuid.uuid4().hex
        self.articles.modify(metadata=meta)
        return str(meta["revision"])

    def ensure_revision(self) -> str | None:
        """The revision, first writing one into a store from before revisions existed (metadata only:
        no record changes); None when the store cannot be written to."""
        current = self.revision()
        if current:
            return current
        try:
            return self._bump_revision()
        except _store_errors():
            return None

    def chunk_fingerprint(self) -> str:
        """A hash of the chunk id set and every article's content hash: it changes exactly when
        chunks or their metadata do (a new date or source keeps the chunk ids but not the hash)."""
        digest = hashlib.sha256(f"{self.embedder_id}\n".encode())
        for chunk_id in self.chunk_ids():
            digest.update(chunk_id.encode("utf-8") + b"\n")
        for article_id, content_hash in sorted(self.article_hashes().items()):
            digest.update(f"{article_id}={content_hash}\n".encode())
        return digest.hexdigest()[:20]

    @_guard
    def iter_chunks(self) -> Iterator[tuple[Chunk, dict[str, Any]]]:
        """Every stored chunk with its metadata (for building the BM25 index)."""
        for page in self._scan(self.chunks, ["documents", "metadatas"]):
            for chunk_id, doc, meta in zip(page["ids"], page["documents"], page["metadatas"]):
                yield chunk_from_record(chunk_id, doc, meta), meta

    @_guard
    def dense_query(self, query_vector: np.ndarray, k: int, since: dt.date | None = None,
                    until: dt.date | None = None, source: str | None = None) -> list[tuple[Chunk, float]]:
        """The k chunks nearest to the query vector, with cosine similarity, best first."""
        total = self.chunks.count()
        if total == 0 or k <= 0:
            return []
        got = self.chunks.query(
            query_embeddings=[np.asarray(query_vector, dtype=np.float32)],
            n_results=min(k, total),
            where=date_filter(since, until, source),
            include=["documents", "metadatas", "distances"],
        )
        return [
            (chunk_from_record(cid, doc, meta), 1.0 - float(dist))
            for cid, doc, meta, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                            got["distances"][0])
        ]

    @_guard
    def count_articles(self) -> int:
        """How many articles are stored (a count, no scan)."""
        return int(self.articles.count())

    @_guard
    def stats(self) -> dict[str, Any]:
        """Counts, embedder, location and the date range of the stored articles."""
        dates = [
            meta["date"] for page in self._scan(self.articles, ["metadatas"])
            for meta in page["metadatas"] if meta.get("date")
        ]
        return {
            "articles": self.articles.count(),
            "chunks": self.chunks.count(),
            "embedder": self.embedder_id,
            "dim": self.dim,
            "store": self.location,
            "first_date": str(int_to_date(min(dates))) if dates else None,  # dated ints are never 0: never "None"
            "last_date": str(int_to_date(max(dates))) if dates else None,
            "undated_articles": self.articles.count() - len(dates),
        }

    # -- writing -----------------------------------------------------------------------

    @_guard
    def delete_chunks_of(self, article_ids: list[str]) -> int:
        """Delete every chunk of those articles; returns how many there were."""
        deleted = 0
        for i in range(0, len(article_ids), self._max_batch):
            where = {"article_id": {"$in": article_ids[i : i + self._max_batch]}}
            ids = [cid for page in self._scan(self.chunks, [], where) for cid in page["ids"]]
            for j in range(0, len(ids), self._max_batch):
                self.chunks.delete(ids=ids[j : j + self._max_batch])
            deleted += len(ids)
        if deleted:
            self._bump_revision()
        return deleted

    @_guard
    def delete_chunk_ids(self, chunk_ids: list[str]) -> None:
        """Delete chunks by id (check --repair: chunks of no stored article)."""
        for i in range(0, len(chunk_ids), self._max_batch):
            self.chunks.delete(ids=chunk_ids[i : i + self._max_batch])
        if chunk_ids:
            self._bump_revision()

    @_guard
    def delete_articles(self, article_ids: list[str]) -> int:
        """Delete articles: their chunks first, then their records (the record is the commit marker:
        an interrupted delete leaves a record that the next one finds again). Returns chunks deleted."""
        deleted = self.delete_chunks_of(article_ids)
        for i in range(0, len(article_ids), self._max_batch):
            self.articles.delete(ids=article_ids[i : i + self._max_batch])
        if article_ids:
            self._bump_revision()
        return deleted

    @_guard
    def add_chunks(self, items: list[tuple[Article, Chunk]], vectors: np.ndarray) -> None:
        """Add chunks (with their articles' metadata) and their vectors, in allowed batch sizes."""
        for i in range(0, len(items), self._max_batch):
            part = items[i : i + self._max_batch]
            self.chunks.add(
                ids=[c.id for _, c in part],
                documents=[c.text for _, c in part],
                metadatas=[chunk_metadata(a, c) for a, c in part],
                embeddings=np.asarray(vectors[i : i + self._max_batch], dtype=np.float32),
            )
        self._bump_revision()

    @_guard
    def put_articles(self, articles: list[Article], vectors: np.ndarray, n_chunks: list[int],
                     sources: dict[str, tuple[str, str]] | None = None) -> None:
        """Replace the article records (delete then add: Chroma's upsert would merge metadata);
        `sources` gives each id's (source key, source digest)."""
        sources = sources or {}
        for i in range(0, len(articles), self._max_batch):
            part = articles[i : i + self._max_batch]
            ids = [a.id for a in part]
            self.articles.delete(ids=ids)
            self.articles.add(
                ids=ids,
                documents=[a.text for a in part],
                metadatas=[article_metadata(a, n, *sources.get(a.id, ("", "")))
                           for a, n in zip(part, n_chunks[i : i + self._max_batch])],
                embeddings=np.asarray(vectors[i : i + self._max_batch], dtype=np.float32),
            )
        self._bump_revision()

    @_guard
    def set_sources(self, sources: dict[str, tuple[str, str]]) -> None:
        """Record (source key, source digest) on unchanged article records. Metadata no search reads:
        the revision (the key of derived data such as the BM25 index) stays."""
        ids = sorted(sources)
        for i in range(0, len(ids), self._max_batch):
            part = ids[i : i + self._max_batch]
            self.articles.update(ids=part, metadatas=[{"source_key": sources[a][0], "source_digest": sources[a][1]}
                                                      for a in part])
