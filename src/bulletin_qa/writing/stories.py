"""Stories: near-duplicate articles merged (embedding cosine + character overlap), compared across weeks.

Thresholds were set on pairs from the 2023 news corpus (../shared/data/news): the same story
from two outlets scored e5 cosine 0.95-0.99 and bigram containment 0.73-0.95; unrelated articles
of the same day cosine 0.84-0.86 and containment under 0.1; different stories sharing a template
("股票行情快报：X 主力资金净卖出 N") cosine 0.92, containment 0.84, but almost no numbers in
common, which is what `_numbers_conflict` catches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bulletin_qa.models import Article
from bulletin_qa.writing.textrank import bigrams

SAME_COSINE = 0.92          # with containment >= SAME_OVERLAP: one story
SAME_OVERLAP = 0.6
SAME_COSINE_STRONG = 0.95   # nearly identical meaning: a lower overlap suffices
SAME_OVERLAP_WEAK = 0.4
RELATED_COSINE = 0.93       # previous week's article on the same matter: a continuing story
RELATED_OVERLAP = 0.35
# Two texts with >= 5 numbers each that share under a quarter of them report different facts.
NUMBERS_MIN, NUMBERS_SHARED = 5, 0.25
# Characters of an article embedded when the store has no vector for it (title + lead).
EMBED_CHARS = 300
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Story:
    """One story of a digest: its articles (lead first), theme and significance."""

    articles: list[Article]
    score: float = 0.0
    theme: dict[str, str] = field(default_factory=dict)  # lang -> theme label
    status: str | None = None

    @property
    def lead(self) -> Article:
        """The article the entry is written from (the fullest report)."""
        return self.articles[0]


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller bigram set found in the other (1.0: one text contains the other)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _numbers_conflict(a: set[str], b: set[str]) -> bool:
    if min(len(a), len(b)) < NUMBERS_MIN:
        return False
    return len(a & b) / len(a | b) < NUMBERS_SHARED


@dataclass
class _Features:
    grams: list[set[str]]
    numbers: list[set[str]]
    vectors: np.ndarray | None


def _features(articles: list[Article], vectors: np.ndarray | None) -> _Features:
    texts = [f"{a.title}\n{a.text}" for a in articles]
    return _Features([set(bigrams(t)) for t in texts], [set(_NUMBER.findall(t)) for t in texts], vectors)


def article_vectors(articles: list[Article], embedder: Any, store: Any = None) -> np.ndarray | None:
    """Unit vectors for articles: the store's own when it has them all, else embedded (title + lead)."""
    if not articles:
        return None
    fetch = getattr(store, "article_vectors", None)
    if fetch is not None:
        found = fetch([a.id for a in articles])
        if all(a.id in found for a in articles):
            return np.stack([np.asarray(found[a.id], dtype=np.float32) for a in articles])
    if embedder is None:
        return None
    return np.asarray(embedder.embed_passages([f"{a.title}\n{a.text}"[:EMBED_CHARS] for a in articles]))


def same_story(f: _Features, i: int, j: int) -> bool:
    """True when articles i and j report the same story."""
    overlap = containment(f.grams[i], f.grams[j])
    if _numbers_conflict(f.numbers[i], f.numbers[j]):
        return False
    if f.vectors is None:
        return overlap >= SAME_OVERLAP
    cosine = float(f.vectors[i] @ f.vectors[j])
    return (cosine >= SAME_COSINE and overlap >= SAME_OVERLAP) or (
        cosine >= SAME_COSINE_STRONG and overlap >= SAME_OVERLAP_WEAK)


def group_stories(articles: list[Article], vectors: np.ndarray | None = None) -> list[Story]:
    """Merge near-duplicate articles into stories (union-find over same-story pairs)."""
    f = _features(articles, vectors)
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if root(i) != root(j) and same_story(f, i, j):
                parent[root(j)] = root(i)
    groups: dict[int, list[Article]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(root(i), []).append(article)
    stories = []
    for members in groups.values():
        # The fullest report leads; ties go to the earlier, exactly dated article.
        members.sort(key=lambda a: (-len(a.text), a.date_approximate, a.date or a.id, a.id))
        stories.append(Story(articles=members))
    return stories


def mark_continuing(stories: list[Story], previous: list[Article], vectors: np.ndarray | None,
                    previous_vectors: np.ndarray | None) -> None:
    """Set each story's status: 'continuing' when a previous-period article is on the same matter, else 'new'."""
    current = [s.lead for s in stories]
    both = current + previous
    use_vectors = vectors is not None and previous_vectors is not None and len(previous) > 0
    stacked = np.concatenate([vectors, previous_vectors]) if use_vectors else None
    f = _features(both, stacked)
    for i, story in enumerate(stories):
        related = False
        for j in range(len(current), len(both)):
            overlap = containment(f.grams[i], f.grams[j])
            cosine = float(f.vectors[i] @ f.vectors[j]) if f.vectors is not None else 0.0
            if overlap >= RELATED_OVERLAP or cosine >= RELATED_COSINE:
                related = True
                break
        story.status = "continuing" if related else "new"
