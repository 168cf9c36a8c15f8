"""Encode every (question, sentence) pair of pairs.jsonl through the frozen bottom K layers, once.

Pair input (XLM-R pair form): <s> content("query: " + question) </s></s> content(sentence) </s>,
truncated to MAX_TOKENS by cutting the sentence's tail. Saves fp16 hidden states after layer K
(one tensor per pair) plus the metadata to OUT, so the top layers can be trained and scored
from the cache. Progress lines on stderr.

usage: cache_bottom.py PAIRS.jsonl OUT.pt [K]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import e5_weights
import torch
from model import from_arrays, pad_batch

MAX_TOKENS = 160


def pair_ids(tok, question: str, sentence: str) -> list[int]:
    """Token ids of one cross-encoder input."""
    q = tok.content_ids("query: " + question)[: MAX_TOKENS // 2]
    s = tok.content_ids(sentence)
    room = MAX_TOKENS - len(q) - 4
    return [tok.bos] + q + [tok.eos, tok.eos] + s[:room] + [tok.eos]


def main(pairs_path: str, out: str, K: int = 8) -> None:
    torch.set_num_threads(2)
    cfg, t, tok = e5_weights.load()
    enc = from_arrays(cfg, t).eval()
    questions = [json.loads(line) for line in Path(pairs_path).read_text(encoding="utf-8").splitlines()]
    meta, seqs = [], []
    for qi, q in enumerate(questions):
        for ri, r in enumerate(q["rows"]):
            meta.append((qi, ri))
            seqs.append(pair_ids(tok, q["question"], r["text"]))
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    hidden: list[torch.Tensor | None] = [None] * len(seqs)
    t0 = time.time()
    done = 0
    B = 32
    with torch.no_grad():
        for b in range(0, len(order), B):
            idx = order[b : b + B]
            ids, mask = pad_batch([seqs[i] for i in idx], tok.pad)
            x = enc.forward_from(enc.embed(ids), mask, 0, K)
            for j, i in enumerate(idx):
                hidden[i] = x[j, : len(seqs[i])].to(torch.float16).clone()
            done += len(idx)
            if (b // B) % 20 == 0:
                el = time.time() - t0
                print(f"cache: {done}/{len(seqs)} pairs, {el:.0f}s, {done / el:.1f} pairs/s", file=sys.stderr)
    el = time.time() - t0
    ntok = sum(len(s) for s in seqs)
    print(f"cache: {len(seqs)} pairs, {ntok} tokens, bottom {K} layers in {el:.0f}s "
          f"({len(seqs) / el:.1f} pairs/s)", file=sys.stderr)
    torch.save({"K": K, "meta": meta, "hidden": hidden, "seconds": el, "ntok": ntok}, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 8)
