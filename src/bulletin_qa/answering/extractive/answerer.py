"""Offline answers: the sentences of the retrieved articles that a learned model finds answer the question.

    rows_for (features.py)   every statement sentence of every retrieved article, with its features
    Model (model.py)         P(the sentence answers the question), logistic regression, weights.json
    select                   the best sentence when it reaches the refusal threshold, with the
                             sentences close to it; else nothing (a refusal)

Three rules stay outside the model, because no per-sentence feature or training data expresses them:
- a question or an instruction planted in an article is never evidence (features.rows_for);
- articles that disagree (营收52亿元 here, 48亿元 there, neither repeated elsewhere) answer nothing
  (_uncontested): each value is more likely a detail of its own article;
- a post question about a named person (屈连武是什么职务？) is answered by a sentence that writes a
  title right before that name (_stated_post): no training set holds a post question, so the
  model's probability for them is uncalibrated (0.46 on the real page's right sentence).

The model, its threshold and the measurements are described in weights.json and
benchmarks/RESULTS-evals.md ("Offline answerer"); train with
`python -m bulletin_qa.evaluation.train_answerer`.
"""

from __future__ import annotations

import re

from bulletin_qa.answering.extractive.features import ASKS_SEVERAL, Row, rows_for, slot_positions
from bulletin_qa.answering.extractive.items import with_unit
from bulletin_qa.answering.extractive.model import Model, load
from bulletin_qa.answering.question import Query
from bulletin_qa.answering.sources import Source
from bulletin_qa.names.people import ROLE_ENDS
from bulletin_qa.text.words import key

MAX_SENTENCES = 3
# Another article's sentence scoring at least this share of the best one, with another answer item,
# contests it: a value a quarter as likely as the best one is still a real alternative.
RIVAL_SHARE = 0.25
# Question types whose answer is one item (a name, a date, a place, a count): a confident sentence
# gets a one-line answer; list and open questions get the highlighted quote only.
SHORT_ANSWER_TYPES = ("who", "when", "where", "number", "name", "title")
# Units of more than one character that the features' unit list (items._UNIT) cuts short (75分|钟)
# or does not hold: measured values read whole in a one-line answer.
_LONG_UNIT = re.compile(r"\s*[万亿千百余多]*\s*(?:人次|处|分钟|小时|公里|千米|千克|公斤|摄氏度|平方米|平方公里|公顷|立方米"
                        r"|千瓦时|千瓦|泰铢|卢布|韩元|澳元|加元|人民币元)")
_RANGE_REST = re.compile(r"\s*(?:到|-|~|～|—)\s*\d+(?:[.,]\d+)*")
_HEDGE = re.compile(r"(?:约|近|逾|超过|大约)$")
_LIST_RUN = re.compile(r"[^，,；;：:。、]{2,24}(?:、[^，,；;：:。、]{2,24})+(?:(?:和|及|以及)[^，,；;：:。、]{2,24})?")
# What leads into an enumeration inside its first item (虎荣鑫先后到|百年德化…, 以及|花花牛产业园): cut off.
_LIST_LEAD = re.compile(r".*(?:先后到|先后来到|深入|走进|来到|前往|包括|以及|分别是|分别为|主要有|现有|共有|拥有|涉及|到|及|了)")
# What follows the last item (海一云商|等现场沉浸式教学环节, 樱桃沟景区|等地): cut off.
_LIST_TAIL = re.compile(r"等.*$")
_TITLE_ITEM = re.compile("(?:" + "|".join(map(re.escape, ROLE_ENDS)) + ")$")


def _bare(text: str) -> str:
    """Words only: 开放合作·共享未来 and 开放合作，共享未来 are one answer."""
    return re.sub(r"[\W_]+", "", key(text))


def _uncontested(row: Row, rows: list[Row], sources: list[Source], threshold: float) -> bool:
    """Another article also states this answer, or none offers a different one scoring `threshold` or more.

    Articles that disagree (营收52亿元 here, 48亿元 there), neither repeated elsewhere, do not
    settle the question.
    """
    if not row.items:
        return True
    elsewhere = [_bare(s.all_facts.key) for s in sources if s.n != row.source.n]
    if any(_bare(w) in text for text in elsewhere for w in row.items):
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
    model.score(rows)
    ranked = sorted(rows, key=lambda r: (-r.score, r.source.n, r.index))
    confidence = model.answer_probability(ranked)
    rival = RIVAL_SHARE * ranked[0].score
    if confidence < model.threshold_for(query) or not _uncontested(ranked[0], rows, sources, rival):
        post = _stated_post(query, ranked)
        if post is None:
            return []
        post.confidence = confidence
        return [post]
    best = ranked[0]
    best.confidence = confidence
    picked: list[Row] = []
    for row in ranked:
        if len(picked) >= max_sentences or row.score < model.relative * best.score:
            break
        if any(p.sentence == row.sentence for p in picked):
            continue  # the same sentence reprinted in two articles
        picked.append(row)
    return picked


_POST_QUESTION = re.compile(r"^(?P<person>[\u4e00-\u9fff·]{2,5}?)(?:现在|目前)?(?:是|担任|任)?(?:什么|哪个|何)(?:职务|职位|职|头衔)")


def _stated_post(query: Query, ranked: list[Row]) -> Row | None:
    """For 屈连武是什么职务？, the best-ranked sentence writing a title right before 屈连武; else None."""
    from bulletin_qa.names.people import find_people

    asked = _POST_QUESTION.match(query.text.strip()) if query.qtype == "title" else None
    if not asked:
        return None
    person = asked.group("person")
    for row in ranked:
        if any(m.name == person and m.title for m in find_people(row.sentence, known=[person])):
            return row
    return None


def _to_sentence(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets in key(sentence) as offsets in the sentence (key() keeps lengths unless NFKC expands)."""
    folded = key(sentence)
    if len(folded) == len(sentence):
        return start, end
    at = sentence.find(folded[start:end])
    return (at, at + end - start) if at >= 0 else None


def answer_span(query: Query, row: Row) -> tuple[int, int] | None:
    """Where in the sentence the answer is: the asked-for item beside the slot word (吕安民, 12个科目,
    在马寨镇政府三楼会议室), or for a which-ones question the run of listed items; None when unclear."""
    text = key(row.sentence)
    if query.qtype == "list" or (query.qtype != "number" and ASKS_SEVERAL.search(query.text)):
        run = _list_run(query, text)
        return _to_sentence(row.sentence, *run) if run else None
    spans = [s for s in row.spans if s[2]]
    if not spans:
        return None
    slots = slot_positions(query, text)
    # the item nearest a slot word (上限33891元下限【6326元】 for 下限是多少), the first one on a tie
    a, b, _ = min(spans, key=lambda s: min((max(s[0] - e, p - s[1], 0) for p, e in slots), default=0))
    if query.qtype == "number":
        a, b = _whole_value(text, a, b)
    return _to_sentence(row.sentence, a, b)


def _list_run(query: Query, text: str) -> tuple[int, int] | None:
    """For a which-ones question, the enumeration answering it: the run with most items (the one
    nearest a slot word on a tie), without the words leading into it or the 等… after it. A run of
    titles (区委副书记、区长虎荣鑫) is how news names one person, not a list."""
    runs = []
    for m in _LIST_RUN.finditer(text):
        parts = m.group().split("、")
        if all(_TITLE_ITEM.search(p) for p in parts[:-1]):
            continue
        a, b = m.start(), m.end()
        lead = _LIST_LEAD.match(text, a, a + len(parts[0]))
        if lead and lead.end() - a <= len(parts[0]) - 2:
            a = lead.end()
        tail = _LIST_TAIL.search(text, b - len(parts[-1]), b)
        if tail and tail.start() - (b - len(parts[-1])) >= 2:
            b = tail.start()
        runs.append((len(parts), a, b))
    if not runs:
        return None
    slots = slot_positions(query, text)
    _, a, b = max(runs, key=lambda r: (r[0], -min((abs(p - r[1]) for p, _ in slots), default=0)))
    return a, b


def _whole_value(text: str, a: int, b: int) -> tuple[int, int]:
    """A number's span as a reader wants it: with its unit (75分钟, 30摄氏度, 88亿泰铢), the rest of a range
    (3万辆到5万辆) and a hedge before it (约100公里)."""
    b = _unit_end(text, b)
    more = _RANGE_REST.match(text, b)
    if more:
        b = _unit_end(text, more.end())
    hedge = _HEDGE.search(text, 0, a)
    return (hedge.start() if hedge else a), b


def _unit_end(text: str, end: int) -> int:
    m = _LONG_UNIT.match(text, end)
    return m.end() if m else with_unit(text, end)


def short_answer(query: Query, row: Row, model: Model | None = None) -> str:
    """The one-line answer: the span's text, when the question asks for one item and the best row
    (select's first) is confident."""
    model = model or load()
    if query.qtype not in SHORT_ANSWER_TYPES or row.confidence < model.confident:
        return ""
    span = answer_span(query, row)
    return row.sentence[span[0]:span[1]].strip() if span else ""
