"""Export, per question of the answerer's training root, the shipped ranker's top sentences with their
labels: the input of the cross-encoder experiment (train_xenc.py, evaluate.py).

One JSON line a question: id, dataset, half, fold (tune half), answerable, question, answers, the shipped
abstainer's probability, and rows = the top 10 sentences {text, title, ranker, label (holds a gold answer)}.
The file holds RGB and news text: keep it out of the repository.

usage: PYTHONPATH=src python benchmarks/xenc/export_pairs.py TRAIN_ROOT OUT.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bulletin_qa.answering.extractive.model import load
from bulletin_qa.evaluation.answerer_data import collect, featurise_cached
from bulletin_qa.evaluation.fitting import fold_of

TOP = 10


def main(root: Path, out: Path) -> None:
    """Write OUT.jsonl from the cached features of both halves under `root`."""
    model = load()
    questions = collect(root)
    with out.open("w", encoding="utf-8") as f:
        for half in ("tune", "held out"):
            for q in featurise_cached([q for q in questions if q["half"] == half], root, half):
                label = {id(r): bool(held) for r, held in zip(q["rows"], q["labels"])}
                ranked = model.rank(q["rows"])
                rows = [{"text": r.sentence, "title": getattr(r.source, "title", "") or "",
                         "ranker": round(r.score, 4), "label": label[id(r)]} for r in ranked[:TOP]]
                f.write(json.dumps({
                    "id": q["id"], "dataset": q["dataset"], "half": half,
                    "fold": fold_of(q) if half == "tune" else None, "answerable": q["answerable"],
                    "question": q["question"], "answers": q["answers"],
                    "abstainer_p": round(model.answer_probability(ranked), 4) if ranked else 0.0,
                    "rows": rows}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
