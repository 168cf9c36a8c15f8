"""Answers eval: answer accuracy, refusal accuracy on unanswerable items, citation validity.

With an LLM, what a reader sees matters as much as what the model wrote: an answer "carries a
verified citation" when at least one of its citations passed the check, and it is "shown
unverified" when a sentence of it is flagged or none of its citations is verified. A correct
answer shown unverified is a check that failed a right answer; the eval reports their share, and
the wall time of every question (retrieval + answer, corrective round included).

The retriever and the answerer are injected (`retrieve(item) -> hits`, `answer(question, hits)
-> Answer`), so one scorer serves the news QA set (search over a corpus store), the golden sets
(search over the sample pages) and RGB (search restricted to each item's own passages).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bulletin_qa.evaluation import metrics
from bulletin_qa.evaluation.datasets import QAItem, RGBItem, golden_half, news_half, rgb_half, rgb_source
from bulletin_qa.evaluation.report import EvalReport
from bulletin_qa.models import Answer, Hit

if TYPE_CHECKING:
    from bulletin_qa.evaluation.inputs import EvalInputs
    from bulletin_qa.index.embedders import Embedder
    from bulletin_qa.index.store import Store
    from bulletin_qa.llm.base import LLM
    from bulletin_qa.names.glossary import Glossary
    from bulletin_qa.settings import Settings

Retrieve = Callable[[QAItem], list[Hit]]
Answerer = Callable[[str, list[Hit]], Answer]
Progress = Callable[[int, int], None]


def score_answer(item: QAItem, answer: Answer) -> dict[str, Any]:
    """Per-item outcome: refused, correct (answerable items), citation counts."""
    refused = bool(answer.refused)
    cited = [] if refused else answer.citations
    verified = any(c.verified for c in cited)
    return {
        "id": item.id,
        "question": item.question,
        "answerable": item.answerable,
        "refused": refused,
        "correct": (not refused and metrics.answer_correct(answer.answer, item.answers)) if item.answerable else None,
        "citations": len(cited),
        "citations_verified": sum(1 for c in cited if c.verified),
        "citations_attributed": sum(1 for c in cited if c.attributed),
        "verified": verified,
        "shown_unverified": not refused and (not verified or bool(answer.unsupported)),
        "withheld": answer.withheld,
        "cited_gold": bool(set(item.gold_ids) & {c.article_id for c in cited}) if item.gold_ids else None,
        "right_sentence": right_sentence(item, answer) if item.sentence else None,
        "answer": answer.answer,
        "read_as": answer.read_as,
        "prompt": answer.prompt,
        "prompt_hash": answer.prompt_hash,
    }


def _squeeze(text: str) -> str:
    return "".join(text.split())


def right_sentence(item: QAItem, answer: Answer) -> bool:
    """The first quoted sentence of an offline answer is the expected one (contains `item.sentence`)."""
    if answer.refused or not answer.evidence:
        return False
    return _squeeze(item.sentence) in _squeeze(answer.evidence[0].quote)


def summarise(rows: Sequence[dict[str, Any]], labels: tuple[str, str] = ("answerable", "unanswerable")
              ) -> dict[str, dict[str, float | int | None]]:
    """Table rows from per-item outcomes: accuracy and answer rate, refusal rate, citation validity."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    table: dict[str, dict[str, float | int | None]] = {}
    if answerable:
        answered = [r for r in answerable if not r["refused"]]
        table[labels[0]] = {
            "items": len(answerable),
            "accuracy": metrics.rate(sum(1 for r in answerable if r["correct"]), len(answerable)),
            "answered": metrics.rate(len(answered), len(answerable)),
            "accuracy_when_answered": metrics.rate(sum(1 for r in answered if r["correct"]), len(answered)),
            "citation_validity": metrics.rate(sum(r["citations_verified"] for r in answered),
                                              sum(r["citations"] for r in answered)),
        }
        if any(r.get("right_sentence") is not None for r in answerable):
            table[labels[0]]["right_sentence"] = metrics.rate(sum(1 for r in answerable if r["right_sentence"]),
                                                              len(answerable))
        if any("verified" in r for r in answerable):  # rows scored by score_answer (older reports lack it)
            correct = [r for r in answered if r["correct"]]
            table[labels[0]].update({
                "with_verified_citation": metrics.rate(sum(1 for r in answered if r["verified"]), len(answered)),
                "correct_shown_unverified": metrics.rate(sum(1 for r in correct if r["shown_unverified"]),
                                                         len(correct)),
            })
    if unanswerable:
        table[labels[1]] = {
            "items": len(unanswerable),
            "refusal_accuracy": metrics.rate(sum(1 for r in unanswerable if r["refused"]), len(unanswerable)),
        }
        if any("verified" in r for r in unanswerable):
            table[labels[1]]["shown_as_verified_answer"] = metrics.rate(
                sum(1 for r in unanswerable if not r["refused"] and r["verified"]), len(unanswerable))
    for label, group in ((labels[0], answerable), (labels[1], unanswerable)):
        timed = [r["seconds"] for r in group if r.get("seconds") is not None]
        if group and timed:
            table[label]["seconds_per_question"] = round(sum(timed) / len(timed), 2)
            table[label]["seconds_max"] = round(max(timed), 2)
    return table


def run_answers(items: Sequence[QAItem], *, retrieve: Retrieve, answer: Answerer, dataset: str,
                labels: tuple[str, str] = ("answerable", "unanswerable"),
                progress: Progress | None = None) -> EvalReport:
    """Retrieve and answer every item, then score; the caller fills settings, models and prompts."""
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    mode: str | None = None
    for n, item in enumerate(items, start=1):
        began = time.perf_counter()
        hits = retrieve(item)
        result = answer(item.question, hits)
        mode = mode or result.mode
        row = score_answer(item, result)
        row["retrieved"] = [hit.article.id for hit in hits]
        row["seconds"] = round(time.perf_counter() - began, 3)
        row["llm_calls"] = result.usage.calls
        rows.append(row)
        if progress:
            progress(n, len(items))
    report = EvalReport(name="answers", dataset=dataset, table=summarise(rows, labels), items=rows,
                        counts={"items": len(rows), "answerable": sum(1 for r in rows if r["answerable"])})
    if mode:
        report.notes.append(f"answer mode: {mode}")
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def rgb_questions(items: Sequence[RGBItem]) -> tuple[list[QAItem], dict[str, str], dict[str, str]]:
    """Two questions per RGB item: with its positives (answerable) and with distractors only
    (the negative-rejection test: the right output is a refusal); each one's store source, and
    each one's half (datasets.rgb_half)."""
    questions: list[QAItem] = []
    sources: dict[str, str] = {}
    halves: dict[str, str] = {}
    for item in items:
        mixed, neg = rgb_source(item.id, True), rgb_source(item.id, False)
        questions.append(QAItem(id=mixed, question=item.query, answers=item.answers,
                                gold_ids=[f"{mixed}-p{j}" for j in range(1, len(item.positive) + 1)]))
        questions.append(QAItem(id=neg, question=item.query, answers=item.answers, answerable=False))
        sources[mixed], sources[neg] = mixed, neg
        halves[mixed] = halves[neg] = rgb_half(item.id)
    return questions, sources, halves


def add_halves(report: EvalReport, halves: dict[str, str], labels: tuple[str, str]) -> None:
    """Table columns per half beside the overall ones ("with positives, held out", ...)."""
    for half in dict.fromkeys(halves[r["id"]] for r in report.items if r["id"] in halves):
        rows = [r for r in report.items if halves.get(r["id"]) == half]
        for label, row in summarise(rows, labels).items():
            report.table[f"{label}, {half}"] = row


def evaluate_answers(inputs: EvalInputs, *, store: Store, embedder: Embedder, settings: Settings,
                     llm: LLM | None = None, k: int = 5, progress: Progress | None = None,
                     ingest_progress: Progress | None = None, glossary: Glossary | None = None) -> EvalReport:
    """Index the inputs' articles (cached), then answer and score every question.

    `glossary` serves English questions (and the citation check of English names), as in `ask`.

    RGB: each item's passages are its only context (search restricted to its own source).
    """
    from bulletin_qa.answering.english import cross_lingual
    from bulletin_qa.evaluation.report import settings_snapshot
    from bulletin_qa.index.ingest import ingest_articles
    from bulletin_qa.retrieval.hybrid import search

    ingest = ingest_articles(inputs.articles, store=store, embedder=embedder, settings=settings,
                             progress=ingest_progress)
    labels = ("answerable", "unanswerable")
    sources: dict[str, str] = {}
    halves: dict[str, str] = {}
    items = list(inputs.items)
    if inputs.kind == "rgb":
        items, sources, halves = rgb_questions(inputs.rgb)
        labels = ("with positives", "distractors only")
    elif inputs.kind == "qa":
        halves = {item.id: news_half(item.gold_ids[0]) for item in items if item.gold_ids}
    elif inputs.kind == "golden":
        halves = {item.id: golden_half(item) for item in items}

    def retrieve(item: QAItem) -> list[Hit]:
        def run(words: str | None) -> list[Hit]:
            return search(item.question, store=store, embedder=embedder, k=k, source=sources.get(item.id),
                          keywords=words)

        return run(None) if llm is not None else cross_lingual(item.question, run, glossary)  # as Bulletin.retrieve

    answerer = make_answerer(llm=llm, settings=settings, glossary=glossary)
    report = run_answers(items, retrieve=retrieve, answer=answerer, dataset=str(inputs.dataset_path),
                         labels=labels, progress=progress)
    if halves:
        # The extractive model was trained, and the LLM answer check (answering/asked.py) tuned,
        # on the tune half: its numbers are in-sample.
        add_halves(report, halves, labels)
        if any(item.split for item in items):
            report.notes.append("the English question analysis was developed on the 'dev' half (the split field, "
                                "SHA-256 of the item id); the 'test' columns are the out-of-sample measurement")
        else:
            split = {"rgb": "CRC-32 of the item id is even", "qa": "SHA-256 of the gold article id is even",
                     "golden": "SHA-256 of the gold article id, or of the item id when unanswerable, is even"
                     }[inputs.kind]
            what = "the extractive model was trained" if llm is None else "the answer check's rules were chosen"
            report.notes.append(f"{what} on the 'tune' half ({split}); "
                                "the 'held out' columns are the out-of-sample measurement")
    report.settings = settings_snapshot(settings)
    report.models = {"embedder": embedder.id, "chat": llm.model if llm else None}
    for row in report.items:
        if row.get("prompt") and row.get("prompt_hash"):
            report.prompts[row["prompt"]] = row["prompt_hash"]
    report.counts.update(articles_in_store=len(store.article_hashes()), chunks_indexed=ingest.chunks_added)
    report.notes = inputs.notes + report.notes
    report.seconds = round(report.seconds + ingest.seconds, 3)
    return report


def make_answerer(*, llm: LLM | None, settings: Settings, glossary: Glossary | None = None) -> Answerer:
    """The product's answer path (answering.ask.answer_question): extractive when llm is None."""
    from bulletin_qa.answering.ask import answer_question

    def answer(question: str, hits: list[Hit]) -> Answer:
        # The glossary serves generated answers and English questions offline (answer_question reads it
        # for nothing else); Bulletin.answer leaves it unloaded for a Chinese question offline.
        return answer_question(question, hits, llm=llm, temperature=settings.temperature,
                               correct=settings.corrective_round, glossary=glossary)

    return answer
