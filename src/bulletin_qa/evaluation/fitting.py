"""What the answer model's trainers share: the logistic regression and the fold assignment.

train_answerer.py fits the ranker and abstainer with `fit` and chooses their thresholds on out-of-fold
probabilities (`FOLDS` folds by `fold_of`); train_span.py fits the span model with the same `fit` on
the same folds. Both import this module, neither imports the other's insides.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

import numpy as np

CONVERGED = 1e-8  # Newton steps stop when no weight moves more than this
# Folds for the out-of-fold probabilities the thresholds are chosen on (train_answerer.CROSS_FIT), by
# CRC-32 of the item id.
FOLDS = 5


def fit(x: np.ndarray, y: np.ndarray, l2: float,
        sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Weighted logistic regression by Newton's method on standardised features: (mean, scale, coef, intercept)."""
    sw = np.ones(len(x)) if sample_weight is None else sample_weight
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (sw * (p - y)) + penalty * w
        hess = (z * (sw * p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < CONVERGED:
            break
    return mean, scale, w[1:], float(w[0])


def fold_of(question: dict[str, Any], folds: int = FOLDS, seed: int | None = None) -> int:
    """A question's fold, by CRC-32 of its item id (an RGB item's two askings, a news question and its
    gold-less twin share one); another assignment for each `seed` (benchmarks: CRC-32 of "seed:item")."""
    item = re.sub(r"-(?:neg|absent)$", "", question["id"])
    return zlib.crc32((item if seed is None else f"{seed}:{item}").encode()) % folds
