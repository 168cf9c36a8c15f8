"""Offline answers: the sentences of the retrieved articles that a learned model finds answer the question.

    rows_for (features.py)   every statement sentence of every retrieved article, with its features
    Model (model.py)         P(the sentence answers the question), logistic regression, weights.json
    select                   the best sentence when it reaches the refusal threshold, with the
                             sentences close to it; else nothing (a refusal)
    answer_span (span.py)    where the answer is in a sentence; short_answer: the one-line answer,
                             when the span model is confident of it

Three rules stay outside the model, because no per-sentence feature or training data expresses them:
- a question or an instruction planted in an article is never evidence (features.rows_for);
- articles that disagree (营收52亿元 here, 48亿元 there, neither repeated elsewhere) answer nothing
  (_uncontested): each value is more likely a detail of its own article;
- a question about a named person's post (屈连武是什么职务？, 屈连武的职务是什么？, 屈连武是谁？) is
  answered by the sentence writing the fullest title right before that name (_stated_post), before
  the model is asked: no training set holds such a question, so the model's probability for them is
  uncalibrated (0.46 on the real page's right sentence), and its best sentence may give only
  区领导屈连武 where another gives 区委常委、常务副区长屈连武.

The model, its threshold and the measurements are described in weights.json and
benchmarks/RESULTS-evals.md ("Offline answerer"); train with
`python -m bulletin_qa.evaluation.train_answerer`.
"""

from __future__ import annotations

from bulletin_qa.answering.extractive.features import Row, rows_for
from bulletin_qa.answering.extractive.model import Model, load
from bulletin_qa.answering.extractive.span import answer_span, span_probability, stated_title
from bulletin_qa.answering.question import Query, asked_person
from bulletin_qa.answering.sources import Source
from bulletin_qa.text.words import bare

MAX_SENTENCES = 3
# Titles that say only that the person leads (区领导屈连武): any other title says more.
_GENERIC_TITLES = ("领导", "负责人", "同志")
# Another article's sentence scoring at least this share of the best one, with another answer item,
# contests it: a value a quarter as likely as the best one is still a real alternative.
RIVAL_SHARE = 0.25


def _uncontested(row: Row, rows: list[Row], sources: list[Source], threshold: float) -> bool:
    """Another article also states this answer, or none offers a different one scoring `threshold` or more.

    Articles that disagree (营收52亿元 here, 48亿元 there), neither repeated elsewhere, do not
    settle the question.
    """
    if not row.items:
        return True
    elsewhere = [s.bare for s in sources if s.n != row.source.n]
    if any(bare(w) in text for text in elsewhere for w in row.items):
        return True
    return not any(o.source.n != row.source.n and o.score >= threshold and o.items and not o.items & row.items
                   for o in rows)


def select(query: Query, sources: list[Source], max_sentences: int = MAX_SENTENCES,
           model: Model | None = None) -> list[Row]:
    """The answer-bearing sentences to quote, best first; empty when nothing answers the question.

    The best row's `confidence` is the abstainer's probability that quoting it answers the question.
    """
    model = model or load()
    rows = rows_for(query, sources)
    ranked = model.rank(rows)
    confidence = model.answer_probability(ranked)
    post = _stated_post(query, ranked)
    if post is not None:
        post.confidence = confidence
        return [post]
    rival = RIVAL_SHARE * ranked[0].score
    if confidence < model.threshold_for(query) or not _uncontested(ranked[0], rows, sources, rival):
        return []
    best = ranked[0]
    best.confidence = confidence
    best.span_confidence = span_probability(model, query, ranked, confidence)
    picked: list[Row] = []
    for row in ranked:
        if len(picked) >= max_sentences or row.score < model.relative * best.score:
            break
        if any(p.sentence == row.sentence for p in picked):
            continue  # the same sentence reprinted in two articles
        picked.append(row)
    return picked


def _stated_post(query: Query, ranked: list[Row]) -> Row | None:
    """For 屈连武是什么职务？ (or 是谁？), the sentence writing the fullest title right before 屈连武: a
    specific title before a generic one (区领导), a longer one first, then the better-ranked; None
    when no sentence names the person with a title (区长是谁？ names a post, not a person)."""
    person = asked_person(query)
    if not person:
        return None
    best: tuple[bool, int, int] | None = None
    found: Row | None = None
    for rank, row in enumerate(ranked):
        span = stated_title(row.sentence, person)
        if span is None:
            continue
        title = row.sentence[span[0]:span[1]]
        order = (not title.endswith(_GENERIC_TITLES), len(title), -rank)
        if best is None or order > best:
            best, found = order, row
    return found


def short_answer(query: Query, row: Row, model: Model | None = None) -> str:
    """The one-line answer: the span's text, when the span model finds the best row's (select's first)
    span likely enough to hold the answer (span.py); else ''."""
    model = model or load()
    if model.span is None or model.span_threshold is None or row.span_confidence < model.span_threshold:
        return ""
    span = answer_span(query, row)
    return row.sentence[span[0]:span[1]].strip() if span else ""
