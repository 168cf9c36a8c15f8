"""The answer model, two logistic regressions in numpy with their weights in weights.json:

    ranker    P(sentence states the answer), over features.FEATURES of every sentence
    abstainer P(the retrieved sentences hold the answer), over the best sentence's features, its
              ranker logit and its margin over the runner-up: the refusal decision
    span      P(the best sentence's answer span holds the answer), over span.SPAN_FEATURES: whether a
              one-line answer (答：…) is shown; absent from older weights files (then none is)

Two stages because the ranker's probability is not comparable across questions: a sentence of a
50-sentence news article and one of five RGB passages, each the best of its set, score on
different scales. The abstainer is trained on the decision to make (answer or refuse), per question. Written by `python -m bulletin_qa.evaluation.train_answerer`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from bulletin_qa.answering.extractive.features import ASKS_SEVERAL, FEATURES, Row
from bulletin_qa.answering.question import Query

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
# The abstainer's inputs beyond the best sentence's features.
# Question types with a typed answer; RGB's distractor-only items, which set the refusal threshold,
# are nearly all of these (72 of 74 in the tune half); list and open questions have none.
TYPED = ("who", "when", "where", "number", "name")
DECISION = ("ranker_logit", "margin", "close", "second_logit", "agree")


def single_answer(query: Query) -> bool:
    """A question of a typed kind asking for one item (谁, 哪天, 多少): RGB's distractor-only items, which
    set the refusal threshold, are of this kind. 哪些地点 asks for several, like an open question."""
    return query.qtype in TYPED and not ASKS_SEVERAL.search(query.text)


@dataclass(frozen=True)
class Linear:
    """Logistic regression on standardised features."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """P(positive) for each row of a (rows x features) matrix."""
        z = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "coef": self.coef.round(6).tolist(),
                "intercept": round(self.intercept, 6)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Linear:
        """From the JSON form."""
        return cls(tuple(data["features"]), np.array(data["mean"]), np.array(data["scale"]),
                   np.array(data["coef"]), float(data["intercept"]))


def logit(p: float) -> float:
    """log(p / (1 - p)), p clipped to [1e-6, 1 - 1e-6]."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def decision_values(ranked: list[Row]) -> dict[str, float]:
    """The best sentence's features plus its ranker logit, its margin over the runner-up, how many
    sentences score within 0.1 of it, the runner-up's logit, and the share of the next five
    sentences from other articles that state one of its items (reports of one event agree)."""
    best = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    others = [r for r in ranked[1:6] if r.source is not best.source]
    agree = sum(1 for r in others if r.anywhere & best.anywhere) / len(others) if others and best.anywhere else 0.0
    return {**best.values, "ranker_logit": logit(best.score), "margin": best.score - second,
            "close": float(sum(1 for r in ranked[1:] if r.score >= best.score - 0.1)),
            "second_logit": logit(second), "agree": agree}


@dataclass(frozen=True)
class Model:
    """Ranker, abstainer and the thresholds on the abstainer's probability."""

    ranker: Linear
    abstainer: Linear | None
    threshold: float  # refuse a single-answer typed question (who / when / where / number / name) below this
    open_threshold: float  # and an open one (which ones, what), for which no refusal data exists, below this
    relative: float  # further sentences are quoted when their ranker score is within this share of the best
    span: Linear | None = None  # P(the span holds the answer); None: no one-line answers
    span_threshold: float | None = None  # a one-line answer is shown at or above this span probability; None: none

    def threshold_for(self, query: Query) -> float:
        """The refusal threshold for this question: typed (single_answer) or open."""
        return self.threshold if single_answer(query) else self.open_threshold

    def score(self, rows: list[Row]) -> None:
        """Set each row's score to the ranker's probability."""
        if not rows:
            return
        probs = self.ranker.probabilities(matrix(rows, self.ranker.features))
        for row, p in zip(rows, probs):
            row.score = float(p)

    def rank(self, rows: list[Row]) -> list[Row]:
        """The rows scored (score) and sorted best first; ties in article, then sentence, order."""
        self.score(rows)
        return sorted(rows, key=lambda r: (-r.score, r.source.n, r.index))

    def answer_probability(self, ranked: list[Row]) -> float:
        """P(quoting the best of `ranked` (scored, best first) answers the question); 0 with no rows."""
        if not ranked:
            return 0.0
        if self.abstainer is None:
            return ranked[0].score
        values = decision_values(ranked)
        row = np.array([[values[f] for f in self.abstainer.features]], dtype=np.float64)
        return float(self.abstainer.probabilities(row)[0])


def matrix(rows: list[Row], features: tuple[str, ...] = FEATURES) -> np.ndarray:
    """The rows' feature values as a float matrix in `features` order."""
    return np.array([[r.values[f] for f in features] for r in rows], dtype=np.float64).reshape(len(rows), len(features))


def from_dict(data: dict[str, Any]) -> Model:
    """A Model from the JSON written by evaluation/train_answerer.py; a file without the span model
    (written before it, with the unused key "confident") loads too, and then gives no one-line answers."""
    abstainer = Linear.from_dict(data["abstainer"]) if data.get("abstainer") else None
    span = Linear.from_dict(data["span"]) if data.get("span") else None
    return Model(ranker=Linear.from_dict(data["ranker"]), abstainer=abstainer, threshold=float(data["threshold"]),
                 open_threshold=float(data["open_threshold"]), relative=float(data["relative"]), span=span,
                 span_threshold=None if data.get("span_threshold") is None else float(data["span_threshold"]))


@lru_cache(maxsize=1)
def load(path: Path = WEIGHTS_PATH) -> Model:
    """The shipped model (read once)."""
    return from_dict(json.loads(path.read_text(encoding="utf-8")))
