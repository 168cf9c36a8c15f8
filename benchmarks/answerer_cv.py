"""The offline answerer measured on every item, each scored by a model and threshold fitted without it.

    python benchmarks/answerer_cv.py [--root DIR] [--folds 5] [--seeds 1]

`python -m bulletin_qa.evaluation.train_answerer --report` fits on the tune halves and reports the
held-out halves: one split, 76 RGB items a side, where one item moves a rate by 0.013. This script
is the second, steadier estimate the RGB target can be read from: the items of both halves are
split into K folds (by CRC-32 of the seed and the item id; an RGB item's two askings and a news
question's gold-less twin share a fold), and each fold is answered by the model fitted on the other
folds, its refusal threshold chosen on out-of-fold probabilities within those folds (nested), as
training chooses it. Nothing is chosen here: it measures the training procedure as committed.

It ranks by BM25 as training does (the product ranks by hybrid search: `bulletin-qa eval answers`)
and applies no rule outside the model (contested values, post questions). The training data is
read from --root as train_answerer keeps it (hits and cached features; a first run computes them).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from bulletin_qa.evaluation import fitting
from bulletin_qa.evaluation import train_answerer as training
from bulletin_qa.evaluation.answerer_data import collect, featurise_cached


def nested(data: list[dict[str, Any]], folds: int, seed: int) -> list[dict[str, Any]]:
    """Every question's outcome under a model and threshold fitted without its fold."""
    out: list[dict[str, Any]] = []
    for f in range(folds):
        started = time.monotonic()
        train = [q for q in data if fitting.fold_of(q, folds, seed) != f]
        test = [q for q in data if fitting.fold_of(q, folds, seed) == f]
        model = training.fit_model(train)
        threshold, _ = training.choose_threshold(training.cross_fitted(train))
        for o, q in zip(training.outcomes(test, model), test):
            out.append({**o, "threshold": threshold, "half": q["half"]})
        print(f"seed {seed} fold {f + 1}/{folds}: threshold {threshold:.3f} ({time.monotonic() - started:.0f} s)",
              file=sys.stderr, flush=True)
    return out


def table(outcomes: list[dict[str, Any]], seeds: int = 1) -> list[str]:
    """Markdown rows: per half, per dataset answered / correct / refused at each fold's threshold (the
    rates pooled over `seeds` fold assignments; questions counted once)."""
    rows = ["| items | dataset | questions (answerable + not) | answered | correct | refused |",
            "|---|---|---:|---:|---:|---:|"]
    for half in ("all", "tune", "held out"):
        chosen = [o for o in outcomes if half == "all" or o["half"] == half]
        for name in training.DATASETS:
            pos = [o for o in chosen if o["dataset"] == name and o["answerable"]]
            neg = [o for o in chosen if o["dataset"] == name and not o["answerable"]]
            if not pos and not neg:
                continue
            answered = [training.answers(o, o["threshold"]) for o in pos]
            correct = [a and o["correct"] for a, o in zip(answered, pos)]
            refused = [not training.answers(o, o["threshold"]) for o in neg]
            rows.append(f"| {half} | {name} | {len(pos) // seeds} + {len(neg) // seeds} | {_rate(answered)} "
                        f"| {_rate(correct)} | {_rate(refused)} |")
    return rows


def _rate(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "-"


def main(argv: list[str] | None = None) -> None:
    """Collect (cached), fit per fold, print the table."""
    from bulletin_qa.settings import load_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="train_answerer's --root [<home>/train-answerer]")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=1, help="fold assignments, pooled")
    args = parser.parse_args(argv)
    root = args.root or load_settings().home / "train-answerer"
    questions = collect(root)
    data = [*featurise_cached([q for q in questions if q["half"] == "tune"], root, "tune"),
            *featurise_cached([q for q in questions if q["half"] == "held out"], root, "held out")]
    outcomes = [o for seed in range(args.seeds) for o in nested(data, args.folds, seed)]
    print("\n".join(table(outcomes, args.seeds)))


if __name__ == "__main__":
    main()
