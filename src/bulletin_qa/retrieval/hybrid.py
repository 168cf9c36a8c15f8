"""Search: keyword (BM25 over chunks and over whole articles) and dense candidates, fused to ARTICLE hits.

Three signals score an article: its best chunk under BM25, the whole article under BM25
(evidence spread over the article adds up), and its best chunk's cosine to the question.
Each signal's scores are standardised over its own candidates (z-scores: how far above the
typical candidate an article stands), then summed with weights 1 / 1 / 0.5.

Why not plain reciprocal-rank fusion: on the news QA set BM25 alone beats dense, and plain
RRF (equal weights) lands between the two, below BM25. It throws away how far ahead the first
hit is, and gives the weaker retriever an equal vote. z-scores keep the margins and put every
signal on one scale without a tuned constant; the weights were chosen on half of the news dev
questions and reported on the other half (benchmarks/RESULTS.md, "Retrieval fusion").
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bulletin_qa.errors import UsageError
from bulletin_qa.models import Chunk, ChunkHit, Hit

if TYPE_CHECKING:
    from bulletin_qa.index.embedders import Embedder
    from bulletin_qa.index.store import Store

Mode = Literal["hybrid", "dense", "bm25"]
Scored = list[tuple[Chunk, float]]  # best first
# The signals an article can be scored by; a fusion gives each a weight.
Signal = Literal["bm25", "bm25_article", "dense"]


@dataclass(frozen=True)
class Fusion:
    """How ranked lists become one: 'z' (weighted sum of z-scores), 'rrf' (weighted reciprocal
    rank) or 'score' (weighted sum of max-normalised BM25 and min-max-normalised cosine)."""

    method: Literal["z", "rrf", "score"]
    w_bm25: float = 1.0
    w_dense: float = 1.0
    w_article: float = 0.0
    rrf_k: int = 60

    def weight(self, signal: Signal) -> float:
        """The weight of one signal (0: not used)."""
        return {"bm25": self.w_bm25, "bm25_article": self.w_article, "dense": self.w_dense}[signal]


FUSIONS: dict[str, Fusion] = {
    # Weights chosen on the tune half of the news dev questions (benchmarks/RESULTS.md).
    "z": Fusion("z", w_bm25=1.0, w_article=1.0, w_dense=0.5),
    "rrf": Fusion("rrf"),
    "wrrf": Fusion("rrf", w_bm25=2.0, w_dense=1.0),
    "score": Fusion("score", w_bm25=0.8, w_dense=0.2),
}
DEFAULT_FUSION = "z"
# Chunk candidates taken from each retriever before fusing (about 15-25 articles on news); the
# article-level BM25 gives half as many articles, about as many as the chunk lists reach.
CANDIDATES = 50
# z-scores of a keyword signal are taken over at least this many articles (padding with BM25's 0).
Z_DEPTH = CANDIDATES // 2


@dataclass
class Candidates:
    """Each retriever's results for one query, best first."""

    bm25: Scored
    dense: Scored
    bm25_articles: list[tuple[str, float]] = field(default_factory=list)


def _ranked(scored: Mapping[str, float]) -> dict[str, tuple[int, float]]:
    """key -> (1-based rank, score), best score first."""
    order = sorted(scored.items(), key=lambda kv: -kv[1])
    return {key: (rank, score) for rank, (key, score) in enumerate(order, 1)}


def _normalised(scores: Mapping[str, float], floor: Literal["zero", "min"]) -> dict[str, float]:
    """Scores divided by the best (floor zero: BM25), or min-max over the candidates (cosine from
    e5 sits in a narrow 0.75-0.9 band, so only its spread carries information)."""
    if not scores:
        return {}
    top = max(scores.values())
    low = min(scores.values()) if floor == "min" else 0.0
    span = top - low
    return {key: (s - low) / span if span > 0 else 1.0 for key, s in scores.items()}


def _z_scores(scores: Mapping[str, float], floor: float | None = None, depth: int = 0
              ) -> tuple[dict[str, float], float]:
    """(z-score of each candidate, the lowest z): what a key missing from this list gets.

    With a `floor` (BM25: 0, no query word in the article), a list shorter than `depth` is padded
    with it before the mean and spread are taken, so a lone match stands out instead of scoring 0
    against itself. E.g. BM25 scores 12, 6, 3, 3 have mean 6 and spread 3.67: z = 1.63, 0,
    -0.82, -0.82, and an article this retriever did not return counts as -0.82.
    """
    values = list(scores.values())
    if floor is not None:
        values += [floor] * max(0, depth - len(values))
    if len(values) < 2:
        return dict.fromkeys(scores, 0.0), 0.0
    mean = statistics.fmean(values)
    spread = statistics.pstdev(values) or 1.0
    z = {key: (s - mean) / spread for key, s in scores.items()}
    return z, (min(values) - mean) / spread


def fuse(signals: Mapping[Signal, Mapping[str, float]], fusion: Fusion) -> dict[str, float]:
    """Combine {signal: {key: score}} maps (any may be empty) into fused scores by key."""
    used = {name: scores for name, scores in signals.items() if scores and fusion.weight(name) > 0}
    keys = {key for scores in used.values() for key in scores}
    out = dict.fromkeys(keys, 0.0)
    for name, scores in used.items():
        w = fusion.weight(name)
        if fusion.method == "rrf":
            for key, (rank, _) in _ranked(scores).items():
                out[key] += w / (fusion.rrf_k + rank)
        elif fusion.method == "z":
            z, missing = _z_scores(scores, None if name == "dense" else 0.0, Z_DEPTH)
            for key in keys:
                out[key] += w * z.get(key, missing)
        else:
            norm = _normalised(scores, "min" if name == "dense" else "zero")
            for key, value in norm.items():
                out[key] += w * value
    return out


def _best_per_article(scored: Scored) -> dict[str, float]:
    best: dict[str, float] = {}
    for chunk, score in scored:
        best[chunk.article_id] = max(score, best.get(chunk.article_id, float("-inf")))
    return best


def rank_articles(cands: Candidates, fusion: Fusion, k: int) -> list[tuple[str, float, list[ChunkHit]]]:
    """Fuse at article level (an article's chunk signals are its best chunk's), then order its
    chunks by the chunk signals fused the same way. Returns (article id, score, chunk hits) best first.

    With one signal only (dense mode), its own scores are kept unchanged.
    """
    signals: dict[Signal, dict[str, float]] = {
        "bm25": _best_per_article(cands.bm25), "bm25_article": dict(cands.bm25_articles),
        "dense": _best_per_article(cands.dense)}
    chunk_signals: dict[Signal, dict[str, float]] = {
        "bm25": {c.id: s for c, s in cands.bm25}, "dense": {c.id: s for c, s in cands.dense}}
    live = [name for name, scores in signals.items() if scores]
    if len(live) == 1:
        articles = signals[live[0]]
        chunk_scores = next((s for s in chunk_signals.values() if s), {})
    else:
        articles = fuse(signals, fusion)
        chunk_scores = fuse(chunk_signals, fusion)
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


def candidates(query: str, *, store: Store, embedder: Embedder, mode: Mode = "hybrid", n: int = CANDIDATES,
               since: dt.date | None = None, until: dt.date | None = None, source: str | None = None,
               cache_dir: Path | None = None, keywords: str | None = None) -> Candidates:
    """Run the retrievers `mode` asks for; all apply the same date and source filters. BM25 searches
    `keywords` when given (an English question's Chinese words), the dense retriever the query."""
    from bulletin_qa.retrieval.bm25 import bm25_index

    cands = Candidates(bm25=[], dense=[])
    if mode in ("hybrid", "bm25"):
        index = bm25_index(store, cache_dir)
        words = keywords or query
        cands.bm25 = index.search(words, n, since=since, until=until, source=source)
        cands.bm25_articles = index.search_articles(words, max(1, n // 2), since=since, until=until, source=source)
    if mode in ("hybrid", "dense"):
        cands.dense = store.dense_query(embedder.embed_query(query), n, since=since, until=until, source=source)
    return cands


def search(
    query: str,
    *,
    store: Store,
    embedder: Embedder,
    k: int = 5,
    since: dt.date | None = None,
    until: dt.date | None = None,
    source: str | None = None,
    mode: Mode = "hybrid",
    fusion: str | Fusion | None = None,
    keywords: str | None = None,
) -> list[Hit]:
    """The k articles that best match the query, each with its matching chunks best first; `keywords`
    replace the query for the keyword (BM25) side only (answering/english.py cross_lingual)."""
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
                       since=since, until=until, source=source, keywords=keywords)
    ranked = rank_articles(cands, chosen, k)
    articles = store.get_articles([aid for aid, _, _ in ranked])
    # An article without its record is mid-ingest (chunks are written first): not shown.
    return [Hit(article=articles[aid], score=score, chunks=hits) for aid, score, hits in ranked if aid in articles]
