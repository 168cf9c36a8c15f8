"""Out-of-fold abstainer probabilities and ranker scores for the tune half (runs in the project venv).

pairs.jsonl carries the SHIPPED model's abstainer_p and ranker scores, and the shipped model was fitted
on the tune half: on tune questions those are in-sample. For a fair out-of-fold comparison this
refits the answerer per fold exactly as training does (train_answerer.fold_models: 5 folds by CRC-32
of the item id, the same `fold` as pairs.jsonl) and scores each tune question with the model fitted
without its fold. Ranker scores are matched to pairs.jsonl rows by sentence text.

usage: PYTHONPATH=src python benchmarks/xenc/oof_abstainer.py ROOT PAIRS.jsonl OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bulletin_qa.answering.extractive.model import load
from bulletin_qa.evaluation import train_answerer as training
from bulletin_qa.evaluation.answerer_data import collect, featurise_cached
from bulletin_qa.evaluation.fitting import fold_of


def main(root: Path, pairs: Path, out: Path) -> None:
    """Write {id: {"abstainer_p_oof", "abstainer_p_shipped", "ranker_oof": [per pairs row]}}."""
    data = featurise_cached([q for q in collect(root) if q["half"] == "tune"], root, "tune")
    models = training.fold_models(data)
    shipped = load()
    exported = {}
    for line in pairs.open(encoding="utf-8"):
        q = json.loads(line)
        exported[q["id"]] = q
    result = {}
    for q in data:
        if q["id"] not in exported:
            continue
        f = fold_of(q)
        ranked = models[f].rank(q["rows"])
        by_text = {}
        for r in ranked:
            by_text.setdefault(r.sentence, r.score)
        rows = exported[q["id"]]["rows"]
        result[q["id"]] = {
            "fold": f,
            "abstainer_p_oof": models[f].answer_probability(ranked) if ranked else 0.0,
            "abstainer_p_shipped": shipped.answer_probability(shipped.rank(q["rows"])) if q["rows"] else 0.0,
            "ranker_oof": [by_text.get(r["text"]) for r in rows],
        }
    json.dump(result, out.open("w"))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
