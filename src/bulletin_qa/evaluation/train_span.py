"""Train the span model (answering/extractive/span.py) and choose when a one-line answer (答：…) is shown.

Called by `python -m bulletin_qa.evaluation.train_answerer`, after the ranker and abstainer, on the
same tune halves:
- a case per question whose type gets a one-liner (span.SPAN_TYPES) and whose best sentence has an
  answer span: span.span_values under a ranker and abstainer fitted **without the question's fold**
  (fitting.FOLDS folds by fitting.fold_of, as train_answerer.CROSS_FIT), so the answer probability
  and margin in the features are the out-of-sample ones the product sees;
- the label: the span contains a gold answer (answerer_data.contains_any, as the quotes are judged);
  a span on a question the articles cannot answer (RGB distractor-only, news without its gold
  article, golden unanswerable) is wrong;
- the threshold: the lowest span probability at which the one-liners shown (questions answered at
  the refusal threshold, span probability at or above it) hold the answer SHORT_PRECISION of the
  time, on out-of-fold span probabilities (each fold's cases scored by a span model fitted on the
  other folds' cases), both counted and as the span model's mean probability (choose_span_threshold),
  every question counting once (news is most of the tune half, as news is what the product answers).

`report` measures the same on the held-out halves (chosen on nothing): per dataset, the one-liners
shown, their precision, and their coverage (shown / typed questions answered, answerable ones).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bulletin_qa.answering.extractive.model import Linear, Model
from bulletin_qa.answering.extractive.span import SPAN_FEATURES, SPAN_TYPES, answer_span, span_values
from bulletin_qa.evaluation.answerer_data import contains_any
from bulletin_qa.evaluation.fitting import FOLDS, fit, fold_of

SHORT_PRECISION = 0.9  # a one-line answer must hold the gold answer this often (out-of-fold, tune half)
# Ridge penalty on the span model's standardised weights (288 tune cases, 96 right; 16 inputs), and
# those 16 inputs of the 27 tried: chosen by 5-fold cross-validation within the tune half on the log
# loss of the answered cases (0.482; 27 inputs: 0.49-0.53 at penalties 0.3-10). Penalties of 30 and
# more squeeze every probability under 0.9: the mean-probability rule then shows nothing.
L2_SPAN = 1.0
REPORTED = ("news", "news_absent", "rgb", "golden")


@dataclass
class Case:
    """One question's best sentence and its span, under a model that did not see the question."""

    dataset: str
    answerable: bool
    answered: bool  # select() would quote it (answer probability at the question's refusal threshold)
    typed: bool  # its type gets a one-liner (span.SPAN_TYPES)
    values: dict[str, float] | None  # span.span_values; None: no one-liner possible (type, no span)
    right: bool  # the span holds a gold answer
    fold: int = 0
    probability: float = 0.0  # the span model's, filled in by the caller


def cases_for(data: list[dict[str, Any]], model: Model, fold: int = 0) -> list[Case]:
    """A Case per question under `model` (ranker and abstainer; thresholds set)."""
    out = []
    for q in data:
        ranked = model.rank(q["rows"])
        p = model.answer_probability(ranked)
        query = q["query"]
        values = span_values(query, ranked, p) if ranked else None
        span = answer_span(query, ranked[0]) if values is not None else None
        text = ranked[0].sentence[span[0]:span[1]] if span else ""
        out.append(Case(q["dataset"], q["answerable"], bool(ranked) and p >= model.threshold_for(query),
                        query.qtype in SPAN_TYPES, values,
                        bool(text) and q["answerable"] and contains_any(text, q["answers"]), fold))
    return out


def _matrix(cases: list[Case]) -> np.ndarray:
    return np.array([[c.values[f] for f in SPAN_FEATURES] for c in cases if c.values is not None], dtype=np.float64)


def fit_span(cases: list[Case]) -> Linear:
    """The span model: logistic regression of `right` on SPAN_FEATURES over the cases with a span."""
    usable = [c for c in cases if c.values is not None]
    mean, scale, coef, intercept = fit(_matrix(usable), np.array([float(c.right) for c in usable]), L2_SPAN)
    return Linear(SPAN_FEATURES, mean, scale, coef, intercept)


def score(cases: list[Case], span: Linear) -> None:
    """Set each case's span probability (0 without a span)."""
    usable = [c for c in cases if c.values is not None]
    if not usable:
        return
    for c, p in zip(usable, span.probabilities(_matrix(usable))):
        c.probability = float(p)


def choose_span_threshold(cases: list[Case]) -> float:
    """The lowest span probability at or above which the one-liners shown hold the answer SHORT_PRECISION
    of the time both as counted and as the model's mean probability says (1.0, none shown, when no
    probability does).

    The count alone chases luck in ~50 questions: chosen on four folds and applied to the fifth (27
    inputs, penalty 10), the counted rule's one-liners were right 0.872 of the time; with the mean
    too, 12 of 12 (and with the shipped 16 inputs, penalty 1: 36 of 37).
    """
    shown = sorted((c for c in cases if c.answered and c.values is not None), key=lambda c: -c.probability)
    threshold, good, expected = 1.0, 0, 0.0
    for n, c in enumerate(shown, start=1):
        good += c.right
        expected += c.probability
        last = n == len(shown) or shown[n].probability < c.probability
        if last and good / n >= SHORT_PRECISION and expected / n >= SHORT_PRECISION:
            threshold = c.probability
    return threshold


def rates(cases: list[Case], threshold: float) -> dict[str, dict[str, Any]]:
    """Per dataset: one-liners shown, right, precision, and coverage (shown on answerable questions over
    the answerable typed questions answered, with a span or not); "all" pools the datasets."""
    table: dict[str, dict[str, Any]] = {}
    for name in (*REPORTED, "all"):
        mine = [c for c in cases if name in ("all", c.dataset)]
        shown = [c for c in mine if c.answered and c.values is not None and c.probability >= threshold]
        right = sum(c.right for c in shown)
        row: dict[str, Any] = {"shown": len(shown), "right": right,
                               "precision": round(right / len(shown), 3) if shown else None}
        answered = [c for c in mine if c.answered and c.answerable and c.typed]
        if answered:
            row["coverage"] = round(sum(c.answerable for c in shown) / len(answered), 3)
        table[name] = row
    return table


def out_of_fold(data: list[dict[str, Any]], threshold: float, models: list[Model]) -> list[Case]:
    """Every tune question's Case under a ranker and abstainer fitted without its fold (`models`:
    train_answerer.fold_models), with its span probability from a span model fitted on the other
    folds' cases."""
    cases: list[Case] = []
    for f, model in enumerate(models):
        cases += cases_for([q for q in data if fold_of(q) == f], replace(model, threshold=threshold), fold=f)
    for f in range(FOLDS):
        score([c for c in cases if c.fold == f], fit_span([c for c in cases if c.fold != f]))
    return cases


def train(data: list[dict[str, Any]], threshold: float,
          models: list[Model]) -> tuple[Linear, float, dict[str, dict[str, Any]]]:
    """The span model (fitted on every tune case, out-of-fold features, `models` per fold), its threshold
    (out-of-fold probabilities) and the tune half's out-of-fold rates at it."""
    cases = out_of_fold(data, threshold, models)
    chosen = choose_span_threshold(cases)
    return fit_span(cases), chosen, rates(cases, chosen)


def report(data: list[dict[str, Any]], model: Model, threshold: float) -> dict[str, dict[str, Any]]:
    """The one-liner rates on `data` (held out) of a finished model (thresholds and span model set) with
    one-liners from the span probability `threshold` (the tuned one, also when one-liners are off)."""
    cases = cases_for(data, model)
    if model.span is not None:
        score(cases, model.span)
    return rates(cases, threshold)
