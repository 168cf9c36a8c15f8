"""Fusion arithmetic and search(): modes, filters on both retrievers, article-level hits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin_qa.errors import UsageError
from bulletin_qa.index.ingest import ingest_articles
from bulletin_qa.index.store import open_chroma_store
from bulletin_qa.models import Chunk
from bulletin_qa.retrieval import bm25
from bulletin_qa.retrieval.hybrid import FUSIONS, Candidates, Fusion, _z_scores, fuse, rank_articles, search
from bulletin_qa.settings import Settings


@pytest.fixture
def store(tmp_path: Path, fake_embedder, articles):  # type: ignore[no-untyped-def]
    s = open_chroma_store(path=tmp_path / "store", url=None, prefix="bulletins", embedder=fake_embedder,
                          create=True, cache_dir=tmp_path / "cache")
    ingest_articles(articles, store=s, embedder=fake_embedder, settings=Settings(chunk_size=80, chunk_overlap=10))
    return s


@pytest.mark.parametrize(
    ("fusion", "expected"),
    [
        (Fusion("rrf", rrf_k=1), {"a": 1 / 2, "b": 1 / 3 + 1 / 2, "c": 1 / 3}),
        (Fusion("rrf", w_bm25=2, w_dense=1, rrf_k=1), {"a": 2 / 2, "b": 2 / 3 + 1 / 2, "c": 1 / 3}),
        # BM25 divided by its best (10): a 1.0, b 0.5; cosine min-max over 0.8..0.9: b 1.0, c 0.0.
        (Fusion("score", w_bm25=0.6, w_dense=0.4), {"a": 0.6, "b": 0.6 * 0.5 + 0.4, "c": 0.0}),
        # z-scores: BM25 10, 5 padded with 23 zeros (Z_DEPTH 25): mean 0.6, spread 2.154 -> a 4.364,
        # b 2.043, c (missing) -0.279; cosine 0.9, 0.8 -> b +1, c -1, a (missing) -1.
        (Fusion("z", w_bm25=1.0, w_dense=0.5), {"a": 4.364 - 0.5, "b": 2.043 + 0.5, "c": -0.279 - 0.5}),
    ],
)
def test_fuse_arithmetic(fusion: Fusion, expected: dict[str, float]) -> None:
    got = fuse({"bm25": {"a": 10.0, "b": 5.0}, "dense": {"b": 0.9, "c": 0.8}}, fusion)
    assert got == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("scores", "floor", "expected_z", "missing"),
    [
        # mean 6, population spread sqrt(((12-6)^2 + 0 + 9 + 9) / 4) = 3.67
        ({"a": 12.0, "b": 6.0, "c": 3.0, "d": 3.0}, None, {"a": 1.633, "b": 0.0, "c": -0.816, "d": -0.816}, -0.816),
        ({"a": 4.0}, None, {"a": 0.0}, 0.0),  # one candidate and no floor: no spread to measure
        ({"a": 2.0, "b": 2.0}, None, {"a": 0.0, "b": 0.0}, 0.0),
        # a lone keyword match padded with three 0s: mean 1, spread 1.73
        ({"a": 4.0}, 0.0, {"a": 1.732}, -0.577),
        # a list as long as the depth is not padded, and the floor is not needed
        ({"a": 12.0, "b": 6.0, "c": 3.0, "d": 3.0}, 0.0, {"a": 1.633, "b": 0.0, "c": -0.816, "d": -0.816}, -0.816),
    ],
)
def test_z_scores_and_the_value_for_a_missing_candidate(scores, floor, expected_z, missing) -> None:  # type: ignore[no-untyped-def]
    z, low = _z_scores(scores, floor, depth=4)
    assert z == pytest.approx(expected_z, abs=1e-3)
    assert low == pytest.approx(missing, abs=1e-3)


def test_article_signal_counts_only_where_the_fusion_weighs_it() -> None:
    signals = {"bm25": {"a": 10.0, "b": 9.0}, "bm25_article": {"b": 30.0, "a": 10.0}}
    with_article = fuse(signals, Fusion("z", w_bm25=1.0, w_article=1.0))
    without = fuse(signals, Fusion("z", w_bm25=1.0, w_article=0.0))
    assert max(with_article, key=with_article.get) == "b"  # the whole article settles a near tie
    assert max(without, key=without.get) == "a"


def test_score_fusion_keeps_a_clear_bm25_winner_that_plain_rrf_loses() -> None:
    # BM25 is sure (20 vs 5); dense mildly prefers x. Plain RRF votes x up; score and z fusion keep gold.
    signals = {"bm25": {"gold": 20.0, "x": 5.0, "y": 4.0}, "dense": {"x": 0.85, "y": 0.84, "gold": 0.80, "z": 0.79}}
    fused = {name: fuse(signals, FUSIONS[name]) for name in ("rrf", "score", "z")}
    assert max(fused["rrf"], key=fused["rrf"].get) == "x"
    assert max(fused["score"], key=fused["score"].get) == "gold"
    assert max(fused["z"], key=fused["z"].get) == "gold"


def chunk(article: str, i: int) -> Chunk:
    return Chunk(id=f"{article}:{i}:h", article_id=article, index=i, text=f"{article} {i}", start=0)


def test_rank_articles_aggregates_chunks_and_orders_them() -> None:
    cands = Candidates(
        bm25=[(chunk("A", 1), 9.0), (chunk("B", 0), 6.0), (chunk("A", 0), 3.0)],
        dense=[(chunk("B", 0), 0.9), (chunk("A", 0), 0.85), (chunk("C", 2), 0.5)],
    )
    ranked = rank_articles(cands, FUSIONS["score"], k=2)
    assert [aid for aid, _, _ in ranked] == ["A", "B"]
    a_chunks = ranked[0][2]
    assert [h.chunk.id for h in a_chunks] == ["A:1:h", "A:0:h"]
    assert (a_chunks[0].bm25_rank, a_chunks[0].dense_rank) == (1, None)
    assert (a_chunks[1].bm25_rank, a_chunks[1].dense_rank) == (3, 2)
    assert [aid for aid, _, _ in rank_articles(Candidates(bm25=[], dense=cands.dense), FUSIONS["score"], 3)] == [
        "B", "A", "C"]


def test_an_article_found_only_as_a_whole_is_ranked_without_passages() -> None:
    cands = Candidates(bm25=[(chunk("A", 0), 9.0), (chunk("B", 0), 8.0), (chunk("C", 0), 1.0)], dense=[],
                       bm25_articles=[("D", 30.0), ("A", 12.0), ("B", 11.0), ("C", 2.0)])
    ranked = {aid: hits for aid, _, hits in rank_articles(cands, FUSIONS["z"], k=4)}
    assert set(ranked) == {"A", "B", "C", "D"}
    assert ranked["D"] == [] and [h.chunk.id for h in ranked["A"]] == ["A:0:h"]


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_search_finds_the_article_in_every_mode(store, fake_embedder, mode: str) -> None:  # type: ignore[no-untyped-def]
    hits = search("地铁十号线试运行", store=store, embedder=fake_embedder, k=2, mode=mode)  # type: ignore[arg-type]
    assert hits[0].article.id == "page-a-02"
    assert hits[0].article.title == "地铁十号线二七段试运行" and hits[0].chunks
    assert len(hits) <= 2
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert [c.score for c in hits[0].chunks] == sorted((c.score for c in hits[0].chunks), reverse=True)


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
@pytest.mark.parametrize(
    ("since", "until", "source", "allowed"),
    [
        (dt.date(2023, 4, 1), None, None, {"page-a-02", "page-b-01"}),
        (None, dt.date(2023, 3, 31), None, {"page-a-01"}),
        (None, None, "page-b.txt", {"page-b-01"}),
    ],
)
def test_filters_apply_to_both_retrievers(store, fake_embedder, mode, since, until, source, allowed) -> None:  # type: ignore[no-untyped-def]
    hits = search("二七区 植树 地铁 义诊 文化节", store=store, embedder=fake_embedder, k=10, mode=mode,
                  since=since, until=until, source=source)
    assert hits and {h.article.id for h in hits} <= allowed


def test_articles_without_their_record_are_not_returned(store, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    store.articles.delete(ids=["page-a-02"])  # as if an ingest stopped after writing the chunks
    bm25.forget_loaded()
    hits = search("地铁十号线试运行", store=store, embedder=fake_embedder, k=4)
    assert "page-a-02" not in {h.article.id for h in hits}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "  "}, "empty"),
        ({"query": "地铁", "k": 0}, "at least 1"),
        ({"query": "地铁", "mode": "fuzzy"}, "Unknown search mode"),
        ({"query": "地铁", "fusion": "magic"}, "Unknown fusion"),
    ],
)
def test_bad_search_arguments(store, fake_embedder, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=message):
        search(store=store, embedder=fake_embedder, **kwargs)
