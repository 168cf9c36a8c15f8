"""Train the answer-sentence model and choose its refusal threshold: one command, numpy only.

    python -m bulletin_qa.answering.extractive.train [--root DIR] [--out weights.json]

Data (../shared/data, read in place; RGB is CC BY-NC-SA: used at training time only, no text shipped):
- news dev questions over the 1,000-article slice (the answers eval's `--articles 1000`), hybrid
  search k=5; a sentence is a positive when it contains the gold answer, which the questions were
  written to state verbatim;
- RGB zh dev, each item asked twice as the answers eval does (its positives + distractors, its
  distractors only), hybrid search k=5 within the item's passages; sentences containing a gold
  answer string are positives, every distractor-only sentence a negative.
Both are split the way the evals split them: news by a hash of the gold article id
(benchmarks/bench_retrieval.py `half`), RGB by CRC-32 of the item id (datasets.rgb_half). Only the
"tune" halves are read here, for the weights and for every threshold; the held-out halves are for
`bulletin-qa eval answers`.

Stores and the retrieved hits are kept under --root (default <home>/train-answerer), so a second
run only refits. The first run embeds ~3,200 news chunks and ~6,900 RGB chunks (cached by content
in <home>/cache).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from bulletin_qa.answering.extractive.features import FEATURES, rows_for
from bulletin_qa.answering.extractive.model import WEIGHTS_PATH, Model, matrix
from bulletin_qa.answering.question import analyse
from bulletin_qa.answering.sources import build_sources
from bulletin_qa.evaluation import metrics
from bulletin_qa.evaluation.datasets import news_half
from bulletin_qa.models import Article, Hit

K = 5
L2 = 1.0  # ridge penalty on standardised weights
# Refusal target on the tune half's distractor-only items: the product target is 0.90 out of
# sample; the threshold is chosen a little above it on the tune half.
REFUSAL_TARGET = 0.92
RELATIVE = 0.8  # quote further sentences scoring at least this share of the best
SHORT_PRECISION = 0.9  # the one-line answer's span must hold the gold answer this often (tune half)


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def bm25_top(query: str, articles: list[Article], k: int = K) -> list[Hit]:
    """The k articles of one RGB item that best match the query by BM25 (k1 1.5, b 0.75) over the
    product's tokens; scores normalised to the best, as the product's fused scores are."""
    from bulletin_qa.retrieval.bm25 import query_tokens, tokenize

    docs = [tokenize(a.text) for a in articles]
    avg = sum(map(len, docs)) / max(1, len(docs))
    terms = set(query_tokens(query))
    df = {t: sum(t in d for d in docs) for t in terms}
    scores = []
    for d in docs:
        s = 0.0
        for t in terms:
            tf = d.count(t)
            if tf:
                idf = math.log(1 + (len(docs) - df[t] + 0.5) / (df[t] + 0.5))
                s += idf * tf * 2.5 / (tf + 1.5 * (0.25 + 0.75 * len(d) / avg))
        scores.append(s)
    order = sorted(range(len(articles)), key=lambda i: (-scores[i], i))[:k]
    top = scores[order[0]] if order and scores[order[0]] > 0 else 1.0
    return [Hit(article=articles[i], score=scores[i] / top) for i in order]


def collect(root: Path) -> list[dict[str, Any]]:
    """Every question of both halves with its retrieved hits (read from root/hits.jsonl when present).

    News: hybrid search k=5 over the 1,000-article slice, as `bulletin-qa eval answers --articles 1000`.
    RGB: BM25's top 5 of the item's own passages (its positives + distractors, or its distractors
    only); the product's eval indexes them for hybrid search instead, which embeds ~6,900 chunks.
    """
    cache = root / "hits.jsonl"
    if cache.is_file():
        return [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    from bulletin_qa.evaluation.answers_eval import rgb_questions
    from bulletin_qa.evaluation.datasets import news_qa_path, rgb_half, rgb_path
    from bulletin_qa.evaluation.inputs import qa_inputs
    from bulletin_qa.factory import make_embedder, open_store
    from bulletin_qa.index.ingest import ingest_articles
    from bulletin_qa.retrieval.hybrid import search
    from bulletin_qa.settings import load_settings

    out: list[dict[str, Any]] = []
    inputs = qa_inputs(str(news_qa_path()), articles=1000)
    settings = load_settings()
    settings = settings.model_copy(update={"store": root / inputs.label})
    embedder = make_embedder(settings)
    store = open_store(settings, embedder, create=True)
    _log(f"news: indexing {len(inputs.articles)} articles under {settings.store}")
    ingest_articles(inputs.articles, store=store, embedder=embedder, settings=settings)
    for item in inputs.items:
        hits = search(item.question, store=store, embedder=embedder, k=K)
        out.append({"dataset": "news", "half": news_half(item.gold_ids[0]), "id": item.id, "question": item.question,
                    "answers": item.answers, "answerable": True, "hits": [h.model_dump(mode="json") for h in hits]})
    rgb = qa_inputs(str(rgb_path()))
    by_source: dict[str, list[Article]] = {}
    for article in rgb.articles:
        by_source.setdefault(article.source, []).append(article)
    items, sources, _ = rgb_questions(rgb.rgb)
    for rgb_item, (mixed, neg) in zip(rgb.rgb, zip(items[::2], items[1::2])):
        for item in (mixed, neg):
            hits = bm25_top(item.question, by_source[sources[item.id]])
            out.append({"dataset": "rgb", "half": rgb_half(rgb_item.id), "id": item.id, "question": item.question,
                        "answers": item.answers, "answerable": item.answerable,
                        "hits": [h.model_dump(mode="json") for h in hits]})
    root.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    return out


def _contains_any(text: str, answers: list[Any]) -> bool:
    """The text states one of the gold answers (any entry, any variant)."""
    options = [a for entry in answers for a in ([entry] if isinstance(entry, str) else entry)]
    return any(metrics.contains_answer(text, o) for o in options)


def featurise(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows (features, label, sentence) per question."""
    out = []
    for n, q in enumerate(questions, start=1):
        query = analyse(q["question"])
        sources = build_sources([Hit.model_validate(h) for h in q["hits"]])
        rows = rows_for(query, sources)
        labels = [q["answerable"] and _contains_any(r.sentence, q["answers"]) for r in rows]
        out.append({**q, "query": query, "rows": rows, "labels": labels})
        if n % 100 == 0:
            _log(f"features: {n}/{len(questions)} questions")
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Logistic regression by Newton's method on standardised features: (mean, scale, coef, intercept)."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, w[1:], float(w[0])


def _outcomes(data: list[dict[str, Any]], model: Model) -> list[dict[str, Any]]:
    """Per question: best probability and whether the quoted sentences would be correct."""
    from bulletin_qa.answering.extractive.answerer import answer_span

    out = []
    for q in data:
        rows = q["rows"]
        model.score(rows)
        ranked = sorted(rows, key=lambda r: -r.score)
        best = ranked[0].score if ranked else 0.0
        quoted = [r for r in ranked[:3] if r.score >= RELATIVE * best]
        span = answer_span(q["query"], ranked[0]) if ranked else None
        span_text = ranked[0].sentence[span[0]:span[1]] if span else ""
        out.append({"dataset": q["dataset"], "answerable": q["answerable"], "best": best,
                    "correct": q["answerable"] and metrics.answer_correct("\n".join(r.sentence for r in quoted),
                                                                        q["answers"]),
                    "short_ok": bool(span_text) and q["answerable"] and _contains_any(span_text, q["answers"]),
                    "has_short": bool(span_text) and q["query"].qtype in ("who", "when", "where", "number", "name")})
    return out


def choose_threshold(outcomes: list[dict[str, Any]]) -> tuple[float, dict[str, float]]:
    """The lowest threshold refusing REFUSAL_TARGET of the tune half's RGB distractor-only items."""
    negatives = sorted(o["best"] for o in outcomes if o["dataset"] == "rgb" and not o["answerable"])
    threshold = float(negatives[min(len(negatives) - 1, int(np.ceil(REFUSAL_TARGET * len(negatives))) - 1)]) + 1e-6
    return threshold, rates(outcomes, threshold)


def rates(outcomes: list[dict[str, Any]], threshold: float) -> dict[str, float]:
    """Answered / correct / refused rates per dataset at a threshold."""
    table: dict[str, float] = {}
    for name in ("news", "rgb"):
        pos = [o for o in outcomes if o["dataset"] == name and o["answerable"]]
        neg = [o for o in outcomes if o["dataset"] == name and not o["answerable"]]
        if pos:
            table[f"{name} answered"] = round(sum(o["best"] >= threshold for o in pos) / len(pos), 3)
            table[f"{name} correct"] = round(sum(o["best"] >= threshold and o["correct"] for o in pos) / len(pos), 3)
        if neg:
            table[f"{name} refused"] = round(sum(o["best"] < threshold for o in neg) / len(neg), 3)
    return table


def choose_confident(outcomes: list[dict[str, Any]], threshold: float) -> float:
    """The lowest probability above which the one-line answers hold the gold answer SHORT_PRECISION of the time."""
    shown = sorted((o for o in outcomes if o["answerable"] and o["has_short"] and o["best"] >= threshold),
                   key=lambda o: -o["best"])
    confident, good = 1.0, 0
    for n, o in enumerate(shown, start=1):
        good += o["short_ok"]
        if good / n >= SHORT_PRECISION:
            confident = o["best"]
    return confident


def main(argv: list[str] | None = None) -> None:
    """Collect, featurise, fit, choose thresholds, write weights.json."""
    from bulletin_qa.settings import load_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="stores and cached hits [<home>/train-answerer]")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--report", action="store_true", help="also print the held-out half's rates (chosen on nothing)")
    args = parser.parse_args(argv)
    root = args.root or load_settings().home / "train-answerer"
    questions = collect(root)
    data = featurise([q for q in questions if q["half"] == "tune"])
    x = np.vstack([matrix(q["rows"]) for q in data if q["rows"]])
    y = np.concatenate([np.array(q["labels"], dtype=float) for q in data if q["rows"]])
    _log(f"fitting on {len(x)} sentences ({int(y.sum())} positives) of {len(data)} tune-half questions")
    mean, scale, coef, intercept = fit(x, y)
    model = Model(FEATURES, mean, scale, coef, intercept, threshold=0.5, confident=1.0, relative=RELATIVE)
    outcomes = _outcomes(data, model)
    threshold, measured = choose_threshold(outcomes)
    confident = choose_confident(outcomes, threshold)
    if args.report:  # measured only, never chosen on
        held = _outcomes(featurise([q for q in questions if q["half"] == "held out"]), model)
        _log("held-out half at the threshold: " + json.dumps(rates(held, threshold)))
    weights = {
        "about": ("Answer-sentence model of bulletin_qa.answering.extractive: logistic regression on standardised "
                  "features; written by `python -m bulletin_qa.answering.extractive.train`. Fitted and thresholded "
                  "on the tune halves only (news dev: hash of the gold id; RGB zh dev: CRC-32 of the item id). "
                  "RGB zh dev is CC BY-NC-SA 4.0: these weights were learned from it; no RGB text is shipped."),
        "features": list(FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(), "intercept": round(intercept, 6),
        "threshold": round(threshold, 6), "confident": round(confident, 6), "relative": RELATIVE,
        "training": {"questions": len(data), "sentences": int(len(x)), "positives": int(y.sum()),
                     "refusal_target_tune": REFUSAL_TARGET, "tune_half_at_threshold": measured},
    }
    args.out.write_text(json.dumps(weights, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _log(json.dumps(weights["training"], ensure_ascii=False))
    _log("weights: " + ", ".join(f"{f} {c:+.2f}" for f, c in zip(FEATURES, coef)))
    _log(f"threshold {threshold:.3f}, one-line answers above {confident:.3f}; written to {args.out}")


if __name__ == "__main__":
    main()
