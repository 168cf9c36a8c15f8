"""The training data of the offline answerer: questions, their top 5 articles by BM25, and the features.

    collect            every question of both halves with its hits (cached as <root>/hits-v3.jsonl)
    featurise_cached   rows (features of every sentence) and labels per question, cached per feature code
    bm25_top           BM25 over a small set of articles (training, and the tests' keyword ranking)

Used by train_answerer.py (`python -m bulletin_qa.evaluation.train_answerer`), which describes the data.
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bulletin_qa.answering.extractive.features import rows_for
from bulletin_qa.answering.question import analyse
from bulletin_qa.answering.sources import build_sources
from bulletin_qa.evaluation import metrics
from bulletin_qa.evaluation.datasets import news_half
from bulletin_qa.models import Article, Hit

K = 5


def log(text: str) -> None:
    """A progress line on stderr (training runs as a script)."""
    print(text, file=sys.stderr, flush=True)


class Bm25:
    """Okapi BM25 (k1 1.5, b 0.75) over the product's tokens, for ranking training passages without
    an index; scores normalised to the best hit, as the product's fused scores are."""

    def __init__(self, articles: list[Article]) -> None:
        from bulletin_qa.retrieval.bm25 import tokenize

        self.articles = articles
        self.docs = [Counter(tokenize(f"{a.title}\n{a.text}")) for a in articles]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.average = sum(self.lengths) / max(1, len(self.docs))
        self.df = Counter(t for d in self.docs for t in d)

    def top(self, query: str, k: int = K) -> list[Hit]:
        """The k best articles for `query`."""
        from bulletin_qa.retrieval.bm25 import query_tokens

        n = len(self.docs)
        weights = {t: math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5)) for t in set(query_tokens(query))}
        scores = [sum(w * d[t] * 2.5 / (d[t] + 1.5 * (0.25 + 0.75 * length / self.average))
                      for t, w in weights.items() if d.get(t))
                  for d, length in zip(self.docs, self.lengths)]
        order = sorted(range(n), key=lambda i: (-scores[i], i))[:k]
        best = scores[order[0]] if order and scores[order[0]] > 0 else 1.0
        return [Hit(article=self.articles[i], score=scores[i] / best) for i in order]


def bm25_top(query: str, articles: list[Article], k: int = K) -> list[Hit]:
    """The k articles of a small set that best match the query by BM25."""
    return Bm25(articles).top(query, k)


def collect(root: Path) -> list[dict[str, Any]]:
    """Every question of both halves with its top 5 articles by BM25 (root/hits.jsonl when present).

    News: over the 1,000-article slice of `bulletin-qa eval answers --articles 1000`. RGB: over the
    item's own passages (its positives + distractors, or its distractors only). The product ranks by
    hybrid search (BM25 + dense); BM25 alone needs no embeddings, so training embeds nothing, and
    it ranks the gold article in the top 5 for 0.929 of the news questions (hybrid: 0.935).
    """
    cache = root / "hits-v3.jsonl"
    if cache.is_file():
        return [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    from bulletin_qa.evaluation.answers_eval import rgb_questions
    from bulletin_qa.evaluation.datasets import news_qa_path, rgb_half, rgb_path
    from bulletin_qa.evaluation.inputs import qa_inputs

    out: list[dict[str, Any]] = []
    news = qa_inputs(str(news_qa_path()), articles=1000)
    index = Bm25(news.articles)
    for item in news.items:
        ranked = index.top(item.question, K + len(item.gold_ids))
        half = news_half(item.gold_ids[0])
        out.append({"dataset": "news", "half": half, "id": item.id, "question": item.question,
                    "answers": item.answers, "answerable": True,
                    "hits": [h.model_dump(mode="json") for h in ranked[:K]]})
        # The same question over the corpus without its gold article: nothing retrieved answers it.
        absent = [h for h in ranked if h.article.id not in item.gold_ids][:K]
        out.append({"dataset": "news_absent", "half": half, "id": f"{item.id}-absent", "question": item.question,
                    "answers": item.answers, "answerable": False,
                    "hits": [h.model_dump(mode="json") for h in absent]})
    rgb = qa_inputs(str(rgb_path()))
    by_source: dict[str, list[Article]] = {}
    for article in rgb.articles:
        by_source.setdefault(article.source, []).append(article)
    items, sources, _ = rgb_questions(rgb.rgb)
    for rgb_item, pair in zip(rgb.rgb, zip(items[::2], items[1::2])):
        for item in pair:
            hits = bm25_top(item.question, by_source[sources[item.id]])
            out.append({"dataset": "rgb", "half": rgb_half(rgb_item.id), "id": item.id, "question": item.question,
                        "answers": item.answers, "answerable": item.answerable,
                        "hits": [h.model_dump(mode="json") for h in hits]})
    from bulletin_qa.evaluation.datasets import golden_dir, golden_half, load_qa
    from bulletin_qa.evaluation.inputs import sample_articles

    samples = Bm25(sample_articles())
    for item in [*load_qa(golden_dir() / "qa.jsonl"), *load_qa(golden_dir() / "unanswerable.jsonl")]:
        out.append({"dataset": "golden", "half": golden_half(item), "id": item.id, "question": item.question,
                    "answers": item.answers, "answerable": item.answerable,
                    "hits": [h.model_dump(mode="json") for h in samples.top(item.question)]})
    root.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    return out


def contains_any(text: str, answers: list[Any]) -> bool:
    """The text states one of the gold answers (any entry, any variant)."""
    options = [a for entry in answers for a in ([entry] if isinstance(entry, str) else entry)]
    return any(metrics.contains_answer(text, o) for o in options)


def _feature_code() -> str:
    """A hash of the code the features come from, so cached features are recomputed when it changes."""
    from bulletin_qa.answering import question, sources
    from bulletin_qa.answering.extractive import features, items, qualifiers
    from bulletin_qa.names import people, person_titles
    from bulletin_qa.text import numerals, words

    digest = hashlib.sha256()  # person_titles reads the posts a question asks by (features.read_over)
    for module in (features, items, qualifiers, question, sources, numerals, words, people, person_titles):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


def featurise_cached(questions: list[dict[str, Any]], root: Path, half: str) -> list[dict[str, Any]]:
    """featurise(), kept under root per half and feature code (pickled: our own files, read back by us)."""
    path = root / f"features-{half.replace(' ', '-')}-{len(questions)}-{_feature_code()}.pkl"
    if path.is_file():
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - written by this command
    data = featurise(questions)
    with path.open("wb") as f:
        pickle.dump(data, f)
    return data


def featurise(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows (features, label, sentence) per question."""
    out = []
    for n, q in enumerate(questions, start=1):
        query = analyse(q["question"])
        sources = build_sources([Hit.model_validate(h) for h in q["hits"]])
        rows = rows_for(query, sources)
        labels = [q["answerable"] and contains_any(r.sentence, q["answers"]) for r in rows]
        out.append({**q, "query": query, "rows": rows, "labels": labels})
        if n % 100 == 0:
            log(f"features: {n}/{len(questions)} questions")
    return out
