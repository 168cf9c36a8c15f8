"""Retrieval eval: recall@k and MRR of the gold article for dense, BM25 and hybrid search."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bulletin_qa.errors import UsageError
from bulletin_qa.evaluation import metrics
from bulletin_qa.evaluation.datasets import QAItem
from bulletin_qa.evaluation.report import EvalReport, settings_snapshot
from bulletin_qa.models import Article, IngestReport
from bulletin_qa.settings import Settings

if TYPE_CHECKING:
    from bulletin_qa.evaluation.inputs import EvalInputs
    from bulletin_qa.index.embedders import Embedder
    from bulletin_qa.index.store import Store

MODES = ("dense", "bm25", "hybrid")
KS = (1, 5, 10)
Progress = Callable[[int, int], None]


def prepare_store(articles: list[Article], *, store: Store, embedder: Embedder, settings: Settings,
                  progress: Progress | None = None) -> IngestReport:
    """Ingest the eval articles (idempotent: articles already stored unchanged cost nothing)."""
    from bulletin_qa.index.ingest import ingest_articles

    return ingest_articles(articles, store=store, embedder=embedder, settings=settings, progress=progress)


def run_retrieval(items: Sequence[QAItem], *, store: Store, embedder: Embedder, settings: Settings,
                  dataset: str, modes: Sequence[str] = MODES, progress: Progress | None = None) -> EvalReport:
    """Search every answerable question in every mode; one table row per mode."""
    from bulletin_qa.retrieval.hybrid import search

    started = time.perf_counter()
    questions = [item for item in items if item.answerable and item.gold_ids]
    depth = max(KS)
    ranks: dict[str, list[int | None]] = {mode: [] for mode in modes}
    details: list[dict[str, Any]] = []
    total = len(questions) * len(modes)
    for n, item in enumerate(questions):
        row: dict[str, Any] = {"id": item.id, "question": item.question, "gold_ids": item.gold_ids}
        for m, mode in enumerate(modes):
            hits = search(item.question, store=store, embedder=embedder, k=depth, mode=mode)  # type: ignore[arg-type]  # modes are checked names
            rank = metrics.rank_of(item.gold_ids, [hit.article.id for hit in hits])
            ranks[mode].append(rank)
            row[f"rank_{mode}"] = rank
            if progress:
                progress(n * len(modes) + m + 1, total)
        details.append(row)
    stored = len(store.article_hashes())
    report = EvalReport(
        name="retrieval",
        dataset=dataset,
        table={mode: dict(metrics.retrieval_metrics(ranks[mode], KS)) for mode in modes},
        counts={"questions": len(questions), "skipped_unanswerable": len(items) - len(questions),
                "articles_in_store": stored},
        settings=settings_snapshot(settings),
        models={"embedder": embedder.id},
        items=details,
    )
    top = max(report.table[mode]["recall@5"] or 0.0 for mode in modes)
    best = [mode for mode in modes if report.table[mode]["recall@5"] == top]
    report.notes.append(f"best recall@5 ({top:.3f}): {', '.join(best)}")
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def evaluate_retrieval(inputs: EvalInputs, *, store: Store, embedder: Embedder, settings: Settings,
                       modes: Sequence[str] = MODES, progress: Progress | None = None,
                       search_progress: Progress | None = None) -> EvalReport:
    """Index the inputs' articles (cached), then score every mode on their questions.

    `progress` follows the indexing (chunks), `search_progress` the searches (questions x modes).
    """
    if inputs.kind == "rgb":
        raise UsageError("RGB items have passages, not gold article ids: there is no retrieval target.",
                         hint="Use `bulletin-qa eval answers --dataset rgb` for RGB.")
    misses_before = getattr(embedder, "misses", None)
    ingest = prepare_store(inputs.articles, store=store, embedder=embedder, settings=settings, progress=progress)
    computed = getattr(embedder, "misses", None)
    report = run_retrieval(inputs.items, store=store, embedder=embedder, settings=settings,
                           dataset=str(inputs.dataset_path), modes=modes, progress=search_progress)
    report.counts.update(articles_in_slice=len(inputs.articles), chunks_indexed=ingest.chunks_added,
                         articles_already_stored=ingest.articles_unchanged)
    if computed is not None and misses_before is not None:
        # Chunks whose embedding was not in the content cache (the rest cost a lookup only).
        report.counts["embeddings_computed"] = computed - misses_before
    report.notes = inputs.notes + report.notes
    if report.counts["articles_in_store"] != len(inputs.articles):
        report.notes.append(f"the store holds {report.counts['articles_in_store']} articles, not only the "
                            f"{len(inputs.articles)} of this slice: pass another --store for a clean slice")
    report.seconds = round(report.seconds + ingest.seconds, 3)
    return report
