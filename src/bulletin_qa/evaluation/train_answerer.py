"""Train the answer-sentence model and choose its refusal threshold: one command, numpy only.

    python -m bulletin_qa.evaluation.train_answerer [--root DIR] [--out weights.json]

Data (../shared/data, read in place; RGB is CC BY-NC-SA: used at training time only, no text shipped):
- news dev questions over the 1,000-article slice (the answers eval's `--articles 1000`), BM25's
  top 5; a sentence is a positive when it contains the gold answer, which the questions were
  written to state verbatim;
- RGB zh dev, each item asked twice as the answers eval does (its positives + distractors, its
  distractors only), BM25's top 5 of the item's passages; sentences containing a gold
  answer string are positives, every distractor-only sentence a negative;
- our golden sets (evals/golden/qa.jsonl and unanswerable.jsonl) over the sample pages, BM25's top 5
  of their articles: written from the pages as a reader asks, not from the answer sentence;
- the news dev questions again over the slice without their gold article ("news_absent"), BM25's
  top 5 of the rest: questions the corpus cannot answer, on the same topics (refusal examples
  beside RGB's distractor-only items).
All are split the way the evals split them: news by SHA-256 of the gold article id
(datasets.news_half), RGB by CRC-32 of the item id (datasets.rgb_half), golden by SHA-256 of the gold
article id or, unanswerable, of the item id (datasets.golden_half). Only the "tune" halves are read
here, for the weights and for every threshold; the held-out halves are for `bulletin-qa eval
answers` and `--report`.

The span model (train_span.py) would decide the one-line answer: P(the best sentence's answer span
holds the answer), fitted on out-of-fold cases of the tune halves, its threshold where the one-liners
shown hold the answer 0.90 of the time out of fold. One-line answers are off (ONE_LINERS): the model
and its tuned threshold are written for the record, "span_threshold" is null.

The abstainer learns whether the retrieved sentences hold the answer at all (ABSTAIN_LABEL "present"),
not whether the best one does ("correct"): a refusal should mean "not in what was retrieved". The
thresholds are chosen on out-of-fold probabilities (CROSS_FIT: 5 folds of the tune half, by CRC-32
of the item id), since a model scores the questions it was fitted on too kindly.

Each dataset weighs its share in both fits (DATASET_SHARE): the news dev questions were written from
their answer sentences, so unweighted they teach that an answer repeats the question; the golden
questions and RGB's are asked as readers ask, and the golden set is small (~20 tune questions).

Collecting and featurising live in answerer_data.py. The retrieved hits are kept under --root
(default <home>/train-answerer), so a second run only refits; the features are kept there too, keyed
by the feature code (features-<half>-<n>-<hash>.pkl). Nothing is embedded: training ranks by BM25
(collect). On 2 heavily loaded cores a first run takes ~4 minutes per half, most of it computing the
features of ~40,000 sentences; a refit from cached features (with the out-of-fold thresholds), ~20 s.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from bulletin_qa.answering.extractive.features import FEATURES
from bulletin_qa.answering.extractive.model import (
    DECISION,
    WEIGHTS_PATH,
    Linear,
    Model,
    decision_values,
    matrix,
    single_answer,
)
from bulletin_qa.evaluation import metrics, train_span
from bulletin_qa.evaluation.answerer_data import collect, featurise_cached, log
from bulletin_qa.evaluation.fitting import FOLDS, fit, fold_of

L2 = 1.0  # ridge penalty on the ranker's standardised weights (~20,000 sentences)
L2_ABSTAINER = 10.0  # and on the abstainer's (~440 questions, 31 inputs)
# Refusal target on the tune half's distractor-only items: the product target (0.90). 0.92 was tried first
# (held-out: refusal 0.868, answered 0.566, news correct 0.310); see RESULTS-evals.md.
REFUSAL_TARGET = 0.90
# One-line answers (答：…) are shown only by a span model whose one-liners held the answer 0.90 of the
# time on a held-out half. Two span models did not (benchmarks/RESULTS-evals.md, "One-line answers"):
# 0.97 out of fold on the tune half, 0.71 and 0.61 held out. Off until one does; the span model is
# still fitted and written ("span", "span_threshold_tuned") so the next round can be compared.
ONE_LINERS = False
# Open questions (which ones, what) have no distractor-only examples to set a refusal threshold on:
# they are answered when the abstainer finds the quote more likely right than wrong.
OPEN_THRESHOLD = 0.5
RELATIVE = 0.8  # quote further sentences scoring at least this share of the best
# What the abstainer learns to predict: "correct" (the quote holds the gold answer) or "present" (some
# retrieved sentence holds it: the question can be answered from what was retrieved).
ABSTAIN_LABEL = "present"
DATASETS = ("news", "news_absent", "rgb", "golden")
# Each dataset's share of the total sample weight (questions in the abstainer, sentences in the ranker).
# Chosen by 5-fold cross-validation within the tune halves (folds by CRC-32 of the item id), on the mean
# of news, RGB and golden correct and RGB and golden refused: golden shares 0 / 0.05 / 0.1 scored
# 0.710 / 0.715 / 0.726 (news and RGB splitting the rest equally). news_absent 0.1 (with the "present"
# label) on nested 5-fold cross-validation within the tune half, on RGB answered at 0.90 refusal
# (out-of-fold): 0.784, against 0.743 with golden 0.2 and 0.757 with news_absent 0.2; without the
# "absent" questions and with the "correct" label 0.694 (benchmarks/RESULTS-evals.md, third round).
DATASET_SHARE = {"news": 0.45, "news_absent": 0.1, "rgb": 0.45, "golden": 0.1}


def weights_for(data: list[dict[str, Any]]) -> np.ndarray:
    """Per question, its dataset's share over the dataset's number of questions (mean weight 1)."""
    counts = Counter(q["dataset"] for q in data)
    shares = {d: DATASET_SHARE[d] for d in counts}
    total = sum(shares.values())
    return np.array([len(data) * shares[q["dataset"]] / total / counts[q["dataset"]] for q in data])


CROSS_FIT = True  # thresholds on out-of-fold probabilities (fitting.FOLDS folds by fitting.fold_of)


def outcomes(data: list[dict[str, Any]], model: Model) -> list[dict[str, Any]]:
    """Per question: the answer probability and whether the quoted sentences would be correct."""
    out = []
    for q in data:
        ranked = model.rank(q["rows"])
        best = model.answer_probability(ranked)
        out.append({"dataset": q["dataset"], "answerable": q["answerable"], "best": best,
                    "typed": single_answer(q["query"]), "correct": _quoted_correct(q, ranked, model)})
    return out


def _quoted_correct(q: dict[str, Any], ranked: list[Any], model: Model) -> bool:
    """The sentences select() would quote contain the gold answer (RGB rule)."""
    if not q["answerable"] or not ranked:
        return False
    quoted = [r for r in ranked[:3] if r.score >= model.relative * ranked[0].score]
    return metrics.answer_correct("\n".join(r.sentence for r in quoted), q["answers"])


def fit_abstainer(data: list[dict[str, Any]], model: Model) -> Linear:
    """The abstainer: per question, the best sentence's decision values against whether its quote is right."""
    names = (*FEATURES, *DECISION)
    xs, ys, ws = [], [], []
    for q, weight in zip(data, weights_for(data)):
        ranked = model.rank(q["rows"])
        if not ranked:
            continue
        values = decision_values(ranked)
        xs.append([values[f] for f in names])
        ys.append(float(_quoted_correct(q, ranked, model) if ABSTAIN_LABEL == "correct"
                        else q["answerable"] and any(q["labels"])))
        ws.append(weight)
    mean, scale, coef, intercept = fit(np.array(xs), np.array(ys), L2_ABSTAINER, np.array(ws))
    return Linear(names, mean, scale, coef, intercept)


def choose_threshold(outcomes: list[dict[str, Any]]) -> tuple[float, dict[str, float]]:
    """The lowest threshold refusing REFUSAL_TARGET of the tune half's typed RGB distractor-only items."""
    negatives = sorted(o["best"] for o in outcomes if o["dataset"] == "rgb" and not o["answerable"] and o["typed"])
    threshold = float(negatives[min(len(negatives) - 1, int(np.ceil(REFUSAL_TARGET * len(negatives))) - 1)]) + 1e-6
    return threshold, rates(outcomes, threshold)


def answers(o: dict[str, Any], threshold: float) -> bool:
    """Whether a question is answered at a threshold (single-answer typed questions; OPEN_THRESHOLD for the rest)."""
    return o["best"] >= (threshold if o["typed"] else OPEN_THRESHOLD)


def rates(outcomes: list[dict[str, Any]], threshold: float) -> dict[str, float]:
    """Answered / correct / refused rates per dataset at a threshold for single-answer typed questions
    (OPEN_THRESHOLD for the rest)."""
    table: dict[str, float] = {}
    for name in DATASETS:
        pos = [o for o in outcomes if o["dataset"] == name and o["answerable"]]
        neg = [o for o in outcomes if o["dataset"] == name and not o["answerable"]]
        if pos:
            table[f"{name} answered"] = round(sum(answers(o, threshold) for o in pos) / len(pos), 3)
            table[f"{name} correct"] = round(sum(answers(o, threshold) and o["correct"] for o in pos) / len(pos), 3)
        if neg:
            table[f"{name} refused"] = round(sum(not answers(o, threshold) for o in neg) / len(neg), 3)
    return table


def fit_model(data: list[dict[str, Any]]) -> Model:
    """Ranker on every sentence, then the abstainer on each question's best sentence (thresholds unset)."""
    x = np.vstack([matrix(q["rows"], FEATURES) for q in data if q["rows"]])
    y = np.concatenate([np.array(q["labels"], dtype=float) for q in data if q["rows"]])
    per_question = weights_for(data)
    sw = np.concatenate([np.full(len(q["rows"]), w) for q, w in zip(data, per_question) if q["rows"]])
    sw *= len(sw) / sw.sum()
    mean, scale, coef, intercept = fit(x, y, L2, sw)
    ranker = Linear(FEATURES, mean, scale, coef, intercept)
    model = Model(ranker, None, threshold=0.5, open_threshold=OPEN_THRESHOLD, relative=RELATIVE)
    abstainer = fit_abstainer(data, model)
    return Model(ranker, abstainer, threshold=0.5, open_threshold=OPEN_THRESHOLD, relative=RELATIVE)


def fold_models(data: list[dict[str, Any]], folds: int = FOLDS) -> list[Model]:
    """Per fold, the model fitted without that fold's questions (thresholds unset)."""
    return [fit_model([q for q in data if fold_of(q, folds) != f]) for f in range(folds)]


def cross_fitted(data: list[dict[str, Any]], folds: int = FOLDS,
                 models: list[Model] | None = None) -> list[dict[str, Any]]:
    """Every question's outcome under a model fitted without its fold (out-of-fold probabilities);
    `models` are fold_models(data, folds), when already fitted."""
    models = models if models is not None else fold_models(data, folds)
    out: list[dict[str, Any]] = []
    for f, model in enumerate(models):
        out += outcomes([q for q in data if fold_of(q, folds) == f], model)
    return out


def main(argv: list[str] | None = None) -> None:
    """Collect, featurise, fit, choose thresholds, write weights.json."""
    from bulletin_qa.settings import load_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="stores and cached hits [<home>/train-answerer]")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--report", action="store_true",
                        help="also print the held-out half's rates (chosen on nothing)")
    args = parser.parse_args(argv)
    root = args.root or load_settings().home / "train-answerer"
    questions = collect(root)
    data = featurise_cached([q for q in questions if q["half"] == "tune"], root, "tune")
    counts = Counter(q["dataset"] for q in data)
    sentences = sum(len(q["rows"]) for q in data)
    log(f"fitting on {sentences} sentences of {len(data)} tune-half questions {dict(counts)}")
    model = fit_model(data)
    # Thresholds on out-of-fold probabilities: a model scores the questions it was fitted on too kindly.
    # The fold models serve the thresholds here and the span model's out-of-fold cases (train_span).
    models = fold_models(data)
    tuned = cross_fitted(data, models=models) if CROSS_FIT else outcomes(data, model)
    threshold, measured = choose_threshold(tuned)
    span, span_threshold, span_measured = train_span.train(data, threshold, models)
    model = replace(model, threshold=threshold, span=span, span_threshold=span_threshold)
    ranker, abstainer = model.ranker, model.abstainer
    if abstainer is None:
        raise RuntimeError("fit_model fits an abstainer")
    positives = sum(sum(q["labels"]) for q in data)
    if args.report:  # measured only, never chosen on
        held_data = featurise_cached([q for q in questions if q["half"] == "held out"], root, "held out")
        held = outcomes(held_data, model)
        log("held-out half at the threshold: " + json.dumps(rates(held, threshold)))
        log("held-out half, one-line answers: " + json.dumps(train_span.report(held_data, model, span_threshold)))
    weights = {
        "about": ("Answer model of bulletin_qa.answering.extractive (ranker, abstainer and span model, logistic "
                  "regressions on "
                  "standardised features); written by `python -m bulletin_qa.evaluation.train_answerer`. Fitted and "
                  "thresholded on the tune halves only (news dev: SHA-256 of the gold id; RGB zh dev: CRC-32 of "
                  "the item id; golden: SHA-256 of the gold id, else of the item id), the datasets weighing "
                  f"{DATASET_SHARE}. RGB zh dev is CC BY-NC-SA 4.0: these weights were learned from it; "
                  "no RGB text is shipped."),
        "ranker": ranker.to_dict(), "abstainer": abstainer.to_dict(),
        "threshold": round(threshold, 6), "open_threshold": OPEN_THRESHOLD, "relative": RELATIVE,
        "span": span.to_dict(), "span_threshold": round(span_threshold, 6) if ONE_LINERS else None,
        "span_threshold_tuned": round(span_threshold, 6),
        "training": {"questions": len(data), "per_dataset": dict(counts), "dataset_share": DATASET_SHARE,
                     "sentences": sentences, "positives": int(positives), "cross_fitted_thresholds": CROSS_FIT,
                     "refusal_target_tune": REFUSAL_TARGET, "tune_half_at_threshold": measured,
                     "span_precision_target": train_span.SHORT_PRECISION,
                     "tune_half_one_liners_out_of_fold": span_measured},
    }
    args.out.write_text(json.dumps(weights, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(json.dumps(weights["training"], ensure_ascii=False))
    log("ranker: " + ", ".join(f"{f} {c:+.2f}" for f, c in zip(FEATURES, ranker.coef)))
    log("abstainer: " + ", ".join(f"{f} {c:+.2f}" for f, c in zip(abstainer.features, abstainer.coef)))
    log("span: " + ", ".join(f"{f} {c:+.2f}" for f, c in zip(span.features, span.coef)))
    shown = f"at span probability {span_threshold:.3f}" if ONE_LINERS else f"off (tuned {span_threshold:.3f})"
    log(f"threshold {threshold:.3f}, one-line answers {shown}; written to {args.out}")


if __name__ == "__main__":
    main()
