"""The answer-sentence model: logistic regression over features.FEATURES, weights in weights.json.

Inference is a dot product in numpy. The weights, the feature scaling, the refusal threshold and
the data they were chosen on are written by `python -m bulletin_qa.answering.extractive.train`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bulletin_qa.answering.extractive.features import FEATURES, Row

WEIGHTS_PATH = Path(__file__).with_name("weights.json")


@dataclass(frozen=True)
class Model:
    """Standardised-feature logistic regression with a refusal threshold on its best probability."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float  # refuse when no sentence reaches this probability
    confident: float  # a one-line answer is shown above this probability
    relative: float  # further sentences are quoted when within this share of the best

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """P(sentence answers the question) for each row of a (rows x features) matrix."""
        z = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def score(self, rows: list[Row]) -> None:
        """Set each row's score to its probability."""
        if not rows:
            return
        probs = self.probabilities(matrix(rows, self.features))
        for row, p in zip(rows, probs):
            row.score = float(p)


def matrix(rows: list[Row], features: tuple[str, ...] = FEATURES) -> np.ndarray:
    """The rows' feature values as a float matrix in `features` order."""
    return np.array([[r.values[f] for f in features] for r in rows], dtype=np.float64).reshape(len(rows), len(features))


def from_dict(data: dict) -> Model:  # type: ignore[type-arg]
    """A Model from the JSON written by train.py."""
    return Model(features=tuple(data["features"]), mean=np.array(data["mean"]), scale=np.array(data["scale"]),
                 coef=np.array(data["coef"]), intercept=float(data["intercept"]), threshold=float(data["threshold"]),
                 confident=float(data["confident"]), relative=float(data["relative"]))


@lru_cache(maxsize=1)
def load(path: Path = WEIGHTS_PATH) -> Model:
    """The shipped model (read once)."""
    return from_dict(json.loads(path.read_text(encoding="utf-8")))
