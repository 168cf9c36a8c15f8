"""Search: BM25 and dense chunk candidates, fused to ARTICLE hits.

Why not plain reciprocal-rank fusion: on the news QA set BM25 alone beats dense, and plain
RRF (equal weights) lands between the two, below BM25 (benchmarks/RESULTS.md). RRF throws
away how far ahead the first hit is, and gives the weaker retriever an equal vote. The
default here fuses normalised scores per article, weighted 0.8 BM25 / 0.2 dense (chosen on
half of the questions, reported on the other half: benchmarks/bench_retrieval.py): dense
then reorders articles BM25 finds nearly equal, and adds ones BM25 misses entirely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bulletin_qa.errors import UsageError
from bulletin_qa.models import Chunk, ChunkHit, Hit

if TYPE_CHECKING:
    from bulletin_qa.index.embedders import Embedder
    from bulletin_qa.index.store import Store

Mode = Literal["hybrid", "dense", "bm25"]
Scored = list[tuple[Chunk, float]]  # best first


@dataclass(frozen=True)
class Fusion:
    """How two ranked lists become one: 'rrf' (weighted reciprocal rank) or 'score' (weighted
    sum of max-normalised BM25 and min-max-normalised cosine)."""

    method: Literal["rrf", "score"]
    w_bm25: float = 1.0
    w_dense: float = 1.0
    rrf_k: int = 60


FUSIONS: dict[str, Fusion] = {
    "rrf": Fusion("rrf"),
    "wrrf": Fusion("rrf", w_bm25=2.0, w_dense=1.0),
    # Chosen on the tune half from a grid of w_bm25 0.4-0.9 (benchmarks/RESULTS.md).
    "score": Fusion("score", w_bm25=0.8, w_dense=0.2),
}
DEFAULT_FUSION = "score"
# Chunk candidates taken from each retriever before fusing (about 15-25 articles on news).
CANDIDATES = 50


@dataclass
class Candidates:
    """Each retriever's chunks for one query, best first."""

    bm25: Scored
    dense: Scored


def _ranked(scored: dict[str, float]) -> dict[str, tuple[int, float]]:
    """key -> (1-based rank, score), best score first."""
    order = sorted(scored.items(), key=lambda kv: -kv[1])
    return {key: (rank, score) for rank, (key, score) in enumerate(order, 1)}


def _normalised(ranked: dict[str, tuple[int, float]], floor: Literal["zero", "min"]) -> dict[str, float]:
    """BM25 scores divided by the best (floor zero); cosines min-max over the candidates (cosine
    from e5 sits in a narrow 0.75-0.9 band, so only its spread carries information)."""
    if not ranked:
        return {}
    scores = [s for _, s in ranked.values()]
    top = max(scores)
    low = min(scores) if floor == "min" else 0.0
    span = top - low
    return {key: (s - low) / span if span > 0 else 1.0 for key, (_, s) in ranked.items()}


def fuse(bm25: dict[str, float], dense: dict[str, float], fusion: Fusion) -> dict[str, float]:
    """Combine two {key: score} maps (either may be empty) into fused scores."""
    rb, rd = _ranked(bm25), _ranked(dense)
    keys = set(rb) | set(rd)
    if fusion.method == "rrf":
        return {
            key: (fusion.w_bm25 / (fusion.rrf_k + rb[key][0]) if key in rb else 0.0)
            + (fusion.w_dense / (fusion.rrf_k + rd[key][0]) if key in rd else 0.0)
            for key in keys
        }
    nb, nd = _normalised(rb, "zero"), _normalised(rd, "min")
    return {key: fusion.w_bm25 * nb.get(key, 0.0) + fusion.w_dense * nd.get(key, 0.0) for key in keys}


def _best_per_article(scored: Scored) -> dict[str, float]:
    best: dict[str, float] = {}
    for chunk, score in scored:
        best[chunk.article_id] = max(score, best.get(chunk.article_id, float("-inf")))
    return best


def rank_articles(cands: Candidates, fusion: Fusion, k: int) -> list[tuple[str, float, list[ChunkHit]]]:
    """Fuse at article level (an article's score in each list is its best chunk's), then order its
    chunks by the same fusion at chunk level. Returns (article id, score, chunk hits) best first."""
    if cands.bm25 and cands.dense:
        articles = fuse(_best_per_article(cands.bm25), _best_per_article(cands.dense), fusion)
        chunk_scores = fuse({c.id: s for c, s in cands.bm25}, {c.id: s for c, s in cands.dense}, fusion)
    else:  # one retriever: its own scores, unchanged
        only = cands.bm25 or cands.dense
        articles = _best_per_article(only)
        chunk_scores = {c.id: s for c, s in only}
    bm25_rank = {c.id: i for i, (c, _) in enumerate(cands.bm25, 1)}
    dense_rank = {c.id: i for i, (c, _) in enumerate(cands.dense, 1)}
    chunks = {c.id: c for c, _ in cands.bm25 + cands.dense}
    by_article: dict[str, list[ChunkHit]] = {}
    for cid, score in sorted(chunk_scores.items(), key=lambda kv: -kv[1]):
        chunk = chunks[cid]
        by_article.setdefault(chunk.article_id, []).append(
            ChunkHit(chunk=chunk, score=score, dense_rank=dense_rank.get(cid), bm25_rank=bm25_rank.get(cid))
        )
    top = sorted(articles.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return [(aid, score, by_article.get(aid, [])) for aid, score in top]


def candidates(query: str, *, store: "Store", embedder: "Embedder", mode: Mode = "hybrid", n: int = CANDIDATES,
               since: dt.date | None = None, until: dt.date | None = None, source: str | None = None,
               cache_dir: Path | None = None) -> Candidates:
    """Run the retrievers `mode` asks for; both apply the same date and source filters."""
    from bulletin_qa.retrieval.bm25 import bm25_index

    bm25: Scored = []
    dense: Scored = []
    if mode in ("hybrid", "bm25"):
        index = bm25_index(store, cache_dir or store.cache_dir / "bm25")
        bm25 = index.search(query, n, since=since, until=until, source=source)
    if mode in ("hybrid", "dense"):
        dense = store.dense_query(embedder.embed_query(query), n, since=since, until=until, source=source)
    return Candidates(bm25=bm25, dense=dense)


def search(
    query: str,
    *,
    store: "Store",
    embedder: "Embedder",
    k: int = 5,
    since: dt.date | None = None,
    until: dt.date | None = None,
    source: str | None = None,
    mode: Mode = "hybrid",
    fusion: str | Fusion | None = None,
) -> list[Hit]:
    """The k articles that best match the query, each with its matching chunks best first."""
    if not query.strip():
        raise UsageError("The search query is empty.", hint="Give some words to search for.")
    if k < 1:
        raise UsageError(f"-k {k} must be at least 1.", hint="Use e.g. -k 5.")
    if mode not in ("hybrid", "dense", "bm25"):
        raise UsageError(f"Unknown search mode {mode!r}.", hint="Use hybrid, dense or bm25.")
    chosen = fusion if isinstance(fusion, Fusion) else FUSIONS.get(fusion or DEFAULT_FUSION)
    if chosen is None:
        raise UsageError(f"Unknown fusion {fusion!r}.", hint=f"Use one of: {', '.join(FUSIONS)}.")
    cands = candidates(query, store=store, embedder=embedder, mode=mode, n=max(CANDIDATES, 3 * k),
                       since=since, until=until, source=source)
    ranked = rank_articles(cands, chosen, k)
    articles = store.get_articles([aid for aid, _, _ in ranked])
    # An article without its record is mid-ingest (chunks are written first): not shown.
    return [Hit(article=articles[aid], score=score, chunks=hits) for aid, score, hits in ranked if aid in articles]
