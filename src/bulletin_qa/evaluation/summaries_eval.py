"""Summaries eval: key-fact coverage of each summary, and character-level ROUGE against references."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from bulletin_qa.errors import NO_LLM, UsageError
from bulletin_qa.evaluation import datasets, metrics
from bulletin_qa.evaluation.report import EvalReport, settings_snapshot
from bulletin_qa.models import Article
from bulletin_qa.settings import Settings

if TYPE_CHECKING:
    from bulletin_qa.llm.base import LLM


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def run_summaries(facts: list[datasets.FactsItem], articles: dict[str, Article], *, llm: LLM | None,
                  dataset: str, length: Literal["short", "long"] = "short") -> EvalReport:
    """Summarise each article named in the facts file and score coverage and ROUGE, one row per language."""
    from bulletin_qa.writing.summarize import Summarizer

    started = time.perf_counter()
    unknown = sorted({f.article_id for f in facts} - set(articles))
    if unknown:
        raise UsageError(f"The facts file names articles the pages do not have: {', '.join(unknown)}.",
                         hint="Article ids are '<page stem>-NN'; check `bulletin-qa articles` or the facts file.")
    summarizer = Summarizer(llm=llm)
    rows: list[dict[str, Any]] = []
    report = EvalReport(name="summaries", dataset=dataset)
    for item in facts:
        if item.lang == "en" and llm is None:
            report.notes.append(f"{item.article_id} (en): skipped, English summaries need an LLM. {NO_LLM}.")
            continue
        summary = summarizer.summarize(articles[item.article_id], item.lang, length)
        coverage, found = metrics.fact_coverage(summary.text, item.facts)
        row: dict[str, Any] = {"article_id": item.article_id, "lang": item.lang, "mode": summary.mode,
                               "fact_coverage": coverage,
                               "missing_facts": [f for f, ok in zip(item.facts, found) if not ok],
                               "summary": summary.text}
        if item.reference:
            row.update(metrics.rouge_scores(summary.text, item.reference))
        rows.append(row)
        report.models.setdefault("chat", summary.model)
        if summary.prompt and summary.prompt_hash:
            report.prompts[summary.prompt] = summary.prompt_hash
    for lang in sorted({r["lang"] for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        scored = [r for r in mine if "rougeL" in r]
        report.table[f"{lang}-{length}"] = {
            "articles": len(mine),
            "fact_coverage": _mean([r["fact_coverage"] for r in mine]),
            "all_facts": metrics.rate(sum(1 for r in mine if not r["missing_facts"]), len(mine)),
            **{name: _mean([r[name] for r in scored]) for name in ("rouge1", "rouge2", "rougeL")},
        }
    report.items = rows
    report.counts = {"summaries": len(rows), "with_reference": sum(1 for r in rows if "rougeL" in r)}
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def evaluate_summaries(facts_path: Path | None, pages_dir: Path | None, *, settings: Settings,
                       llm: LLM | None, length: Literal["short", "long"] = "short") -> EvalReport:
    """Load the golden facts and the sample pages, then run_summaries."""
    from bulletin_qa.evaluation.inputs import sample_articles

    path = facts_path or datasets.golden_dir() / "summary_facts.jsonl"
    facts = datasets.load_facts(path)
    articles = {a.id: a for a in sample_articles(pages_dir)}
    report = run_summaries(facts, articles, llm=llm, dataset=str(path), length=length)
    report.settings = settings_snapshot(settings)
    return report
