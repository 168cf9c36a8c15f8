"""Fine-tune the top layers of the e5 encoder as a cross-encoder, from cached bottom-layer states.

Model: hidden states after layer K (cache_bottom.py) -> layers K..NL-1 (the top TRAIN of them trainable,
any below frozen) -> mean pooling -> Linear(H, 1) logit. Loss: binary cross-entropy on the row label
(holds a gold answer). Each epoch keeps every positive and NEG_PER_POS random negatives per positive.

Modes:
  oof    train on tune folds A score folds B, and the reverse (A = {0,1,2}, B = {3,4}): an out-of-fold
         logit for every row of every tune question.
  final  train once on the whole tune half, score the held-out half.
Writes {question id: [logit per row]} and timing to OUT.json. Progress on stderr.

usage: train_xenc.py oof|final CACHE.pt PAIRS.jsonl OUT.json [--train N] [--epochs E] [--neg R]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
from pathlib import Path

import e5_weights
import torch
from model import from_arrays, mean_pool
from torch import nn


class Top(nn.Module):
    """Top layers + linear head over cached hidden states."""

    def __init__(self, enc, K: int, train: int):
        super().__init__()
        NL = len(enc.layers)
        self.frozen = nn.ModuleList(copy.deepcopy(enc.layers[K : NL - train]))
        self.trained = nn.ModuleList(copy.deepcopy(enc.layers[NL - train :]))
        for p in self.frozen.parameters():
            p.requires_grad_(False)
        self.head = nn.Linear(enc.eln.weight.shape[0], 1)

    def forward(self, x, mask):
        """Logits (B,)."""
        with torch.no_grad():
            for layer in self.frozen:
                x = layer(x, mask)
        for layer in self.trained:
            x = layer(x, mask)
        return self.head(mean_pool(x, mask)).squeeze(-1)


def batch(hidden, idx):
    """Pad cached fp16 states into (x float32, mask)."""
    T = max(hidden[i].shape[0] for i in idx)
    H = hidden[idx[0]].shape[1]
    x = torch.zeros(len(idx), T, H)
    mask = torch.zeros(len(idx), T, dtype=torch.bool)
    for j, i in enumerate(idx):
        n = hidden[i].shape[0]
        x[j, :n] = hidden[i].float()
        mask[j, :n] = True
    return x, mask


def train(enc, K, hidden, labels, rows, args, seed):
    """Train a Top on the given row indices; returns (model, pairs seen, seconds)."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = Top(enc, K, args.train)
    params = [
        {"params": [p for p in model.trained.parameters()], "lr": args.lr},
        {"params": model.head.parameters(), "lr": args.head_lr},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    pos = [i for i in rows if labels[i]]
    neg = [i for i in rows if not labels[i]]
    seen, t0 = 0, time.time()
    model.train()
    for ep in range(args.epochs):
        sample = pos + rng.sample(neg, min(len(neg), args.neg * len(pos)))
        rng.shuffle(sample)
        # bucket by length within chunks to limit padding
        chunks = [sorted(sample[i : i + 256], key=lambda i: hidden[i].shape[0]) for i in range(0, len(sample), 256)]
        batches = [c[j : j + args.bs] for c in chunks for j in range(0, len(c), args.bs)]
        rng.shuffle(batches)
        tot = 0.0
        for bi, idx in enumerate(batches):
            x, mask = batch(hidden, idx)
            y = torch.tensor([float(labels[i]) for i in idx])
            loss = nn.functional.binary_cross_entropy_with_logits(model(x, mask), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            seen += len(idx)
        print(f"  epoch {ep + 1}: {len(sample)} pairs, loss {tot / len(sample):.4f}, "
              f"{time.time() - t0:.0f}s", file=sys.stderr)
    return model, seen, time.time() - t0


def score(model, hidden, rows, bs=64):
    """Logits for row indices; returns (dict idx -> logit, seconds)."""
    model.eval()
    order = sorted(rows, key=lambda i: hidden[i].shape[0])
    out, t0 = {}, time.time()
    with torch.no_grad():
        for b in range(0, len(order), bs):
            idx = order[b : b + bs]
            x, mask = batch(hidden, idx)
            for i, v in zip(idx, model(x, mask).tolist()):
                out[i] = v
    return out, time.time() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["oof", "final"])
    ap.add_argument("cache")
    ap.add_argument("pairs")
    ap.add_argument("out")
    ap.add_argument("--train", type=int, default=4, help="trainable top layers")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--neg", type=int, default=3, help="negatives per positive per epoch")
    ap.add_argument("--bs", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(2)
    cfg, t, _ = e5_weights.load()
    enc = from_arrays(cfg, t)
    del t
    c = torch.load(args.cache)
    K, meta, hidden = c["K"], c["meta"], c["hidden"]
    questions = [json.loads(line) for line in Path(args.pairs).read_text(encoding="utf-8").splitlines()]
    labels = [bool(questions[qi]["rows"][ri]["label"]) for qi, ri in meta]
    qrows: dict[int, list[int]] = {}
    for i, (qi, _) in enumerate(meta):
        qrows.setdefault(qi, []).append(i)

    def rows_of(pred):
        return [i for qi, q in enumerate(questions) if pred(q) for i in qrows.get(qi, [])]

    if args.mode == "oof":
        splits = [({0, 1, 2}, {3, 4}), ({3, 4}, {0, 1, 2})]
        runs = [(rows_of(lambda q, a=a: q["half"] == "tune" and q["fold"] in a),
                 rows_of(lambda q, b=b: q["half"] == "tune" and q["fold"] in b)) for a, b in splits]
    else:
        runs = [(rows_of(lambda q: q["half"] == "tune"), rows_of(lambda q: q["half"] == "held out"))]
    scores: dict[int, float] = {}
    timing = []
    for ri, (tr, te) in enumerate(runs):
        print(f"run {ri}: train {len(tr)} rows ({sum(labels[i] for i in tr)} positive), score {len(te)}",
              file=sys.stderr)
        model, seen, tsec = train(enc, K, hidden, labels, tr, args, args.seed + ri)
        s, ssec = score(model, hidden, te)
        scores.update(s)
        timing.append({"train_pairs": seen, "train_s": tsec, "score_pairs": len(te), "score_s": ssec,
                       "train_tokens": None})
        print(f"run {ri}: train {seen / tsec:.1f} pairs/s, score {len(te) / ssec:.1f} pairs/s", file=sys.stderr)
        if args.mode == "final":
            trained = {k: v for k, v in model.state_dict().items() if not k.startswith("frozen.")}
            nparam = sum(v.numel() for v in trained.values())
            timing[-1]["trained_params"] = nparam
    by_q: dict[str, list[float]] = {}
    for i, v in scores.items():
        qi, ri = meta[i]
        by_q.setdefault(questions[qi]["id"], [0.0] * len(questions[qi]["rows"]))[ri] = v
    Path(args.out).write_text(json.dumps({"args": vars(args), "K": K, "cache_seconds": c["seconds"],
                                          "cache_pairs": len(meta), "timing": timing, "scores": by_q}),
                              encoding="utf-8")


if __name__ == "__main__":
    main()
