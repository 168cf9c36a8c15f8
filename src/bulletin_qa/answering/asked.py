"""Does a verified answer answer the question asked? The check after the citation check.

The citation check (citations.py) confirms that what a sentence claims is stated in a source; it
cannot tell whether it is what was asked. RGB's distractors state the same kind of fact for another
year or entity (2020年城镇新增就业1186万人 against a question on 2021), and a small model copies
them faithfully: with Qwen2.5-Coder-1.5B on the first 20 RGB items, 9 of 20 distractor-only
questions were shown as verified answers (benchmarks/RESULTS-evals.md, issue #12).

A verified sentence of an answer to a Chinese question answers it when, against the sources it cites:

    item        it states an item of the asked type that the question does not already state:
                how many -> a number, when -> a date, who / where / which ones -> a name
                (2019年春节档首日票房冠军 names no one; RCEP具体包括15个成员国 lists no country)
    stated      a sentence of the cited text states that item: a date supported only by the
                article's own date answers nothing (2024-05-18 for "when does line 5 open")
    qualifiers  beside that sentence (it, the BEFORE sentences before it, the AFTER after it, the
                title) the question's years are stated and no other year dates the item
                (items.item_year), and so are its full dates and ordinals (第七届 == 第7届); the
                question's names (places, people, quoted titles) are stated in the cited source.
                The qualifiers are the offline answerer's (extractive/qualifiers.py), read with
                ordinals written with 第 only
    counted     for how many X (多少名护士, 几个科目), the stating sentence names X (120余名医生 counts
                doctors)
    score       for who / when / where / how many, the offline answerer's learned (question,
                sentence) ranker (extractive/) gives that sentence at least SCORE_MIN, when it
                scores it at all (平均月薪6800元 does not answer 最高月薪)

An answer none of whose verified sentences passes is withheld like an answer with no verified claim
(ask.py): a refusal that shows the reply, labelled. Questions in English, and answers written in
English, are not checked: their items and qualifiers are English words against Chinese sources.

Every rule and threshold was chosen on the tune halves only (RGB: CRC-32 of the item id even;
golden and news: SHA-256 of the gold article id even), over the model's real cached replies. Tried
and dropped there: names within the window (lost 1269万人 for 2021年中国城镇新增就业, the source
says 全国) and every question word of IDF >= 7 or 8 in the window or source (lost 2-4 correct
news answers to withhold at most 1 golden near miss). Numbers: benchmarks/RESULTS-evals.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletin_qa.answering.citations import CheckResult, SentenceCheck
from bulletin_qa.answering.extractive.items import LOCATIVE, PLACE, answer_items, counted, item_year, years_in
from bulletin_qa.answering.extractive.qualifiers import Qualifiers, qualifiers
from bulletin_qa.answering.question import Facts, Query
from bulletin_qa.answering.sources import Source
from bulletin_qa.messages import msg
from bulletin_qa.text.chars import is_cjk
from bulletin_qa.text.numerals import DateMention, extract_dates, extract_numbers, number_mentions
from bulletin_qa.text.sentences import split_answer
from bulletin_qa.text.words import key, names

# Sentences before and after the stating sentence that count as beside it (with the title): the
# offline answerer's context window (extractive/features.py WINDOW_BEFORE, WINDOW_AFTER).
BEFORE, AFTER = 2, 1
# The ranker probability below which the stating sentence does not answer a typed question.
# Tune halves: 0.1 withheld 1 more golden unanswerable (6800元) and lost no correct answer; 0.2
# withheld one more (120名 for nurses) but lost a correct who-answer; 0.05 changed nothing.
SCORE_MIN = 0.1
SCORED = ("number", "when", "who", "where")
# Question types whose answer must hold an item of the type.
TYPED = ("number", "when", "who", "where", "list")


@dataclass(frozen=True)
class Item:
    """An answer item of a claim: a number (canonical value), a date, or a name."""

    kind: str
    value: str
    date: DateMention | None = None

    def stated_in(self, facts: Facts, year: int | None) -> bool:
        """True when the sentence `facts` states this item (a date without a year takes `year`)."""
        if self.kind == "number":
            return self.value in facts.numbers
        if self.kind == "date" and self.date is not None:
            return any(self.date.matches(e, year) for e in facts.dates)
        return key(self.value) in facts.key

    def span(self, text: str) -> tuple[int, int, str]:
        """Where the item is in key(sentence) `text` (for its year); the sentence's end when not found."""
        if self.kind == "number":  # the value is canonical (60500000000000): find the mention (6.05万亿)
            for m in number_mentions(extract_dates(text)[1]):
                if self.value in extract_numbers(m.printed):
                    return m.end - len(m.printed), m.end, m.printed
        at = text.find(key(self.value)) if self.kind == "name" else -1
        return (at, at + len(self.value), self.value) if at >= 0 else (len(text), len(text), self.value)


def claim_items(query: Query, plain: str, quals: Qualifiers) -> list[Item]:
    """The items of the asked type in a claim that the question does not already state."""
    qkey = key(query.text)
    kind = query.qtype
    if kind == "number":
        asked = set(query.numbers) | {str(y) for y in quals.years}
        return [Item("number", n) for n in sorted(extract_numbers(plain) - asked)]
    if kind == "when":
        dates = [d for d in extract_dates(plain)[0]
                 if not (d.month is None and d.year in quals.years) and d not in quals.dates]
        return [Item("date", str(d), d) for d in dates]
    if kind in ("who", "where", "list"):
        found = {n for n in names(plain) if key(n) not in qkey}
        found |= {w for _, _, w in answer_items(query, plain) if w}
        if kind == "where":  # 在文化馆: the place right after 在/于 (answer_items' PLACE starts at 读书节在…)
            text = key(plain)
            found |= {p.group(0) for m in LOCATIVE.finditer(text) if (p := PLACE.match(text, m.end()))}
        if kind == "list" and "、" in plain:
            found |= {p for p in re.split("[、，,]|和|及", plain) if len(p.strip()) >= 2}  # noqa: PLR2004 - a name
        return [Item("name", n) for n in sorted(found)]
    return []


def _window(source: Source, i: int) -> tuple[str, str]:
    """key() of the title and the sentences around sentence i, and of the title and those before it."""
    sents = source.sentences
    before = "\n".join([source.header_facts.text, *sents[max(0, i - BEFORE):i]])
    return key("\n".join([before, *sents[i:i + AFTER + 1]])), key(before)


def missing_qualifiers(quals: Qualifiers, source: Source, i: int, item: Item | None) -> list[str]:
    """The question's qualifiers not stated beside sentence i of `source` (empty: all there)."""
    window, lead = _window(source, i)
    missing: list[str] = []
    if quals.years:
        text = source.sentence_facts[i].key
        year = item_year(text, item.span(text), lead) if item else None
        stated = {year} if year is not None else years_in(window)
        if not stated & quals.years:
            missing.append("/".join(f"{y}年" for y in sorted(quals.years)))
    dates = Facts.of(window).dates
    missing += [str(d) for d in quals.dates if not any(d.matches(e, source.year) for e in dates)]
    stated_ordinals = quals.ordinals_in(window)
    missing += [str(o) for o in quals.ordinals if o not in stated_ordinals]
    whole = source.statement_facts.key
    missing += [n for n in quals.proper if key(n) not in whole]
    return missing


def _located(check: SentenceCheck, items: list[Item], by_n: dict[int, Source]) -> list[tuple[Source, int, Item | None]]:
    """The sentences of the cited sources that state one of the items (untyped: the supporting quote)."""
    out: list[tuple[Source, int, Item | None]] = []
    for n in check.cited:
        source = by_n.get(n)
        if source is None:
            continue
        for i, facts in enumerate(source.sentence_facts):
            if items:
                out += [(source, i, item) for item in items if item.stated_in(facts, source.year)][:1]
            elif check.quotes.get(n) and source.sentences[i] == check.quotes[n]:
                out.append((source, i, None))
    return out


def ranker_scores(query: Query, sources: list[Source]) -> dict[tuple[int, int], float]:
    """The offline ranker's probability for each (source n, sentence index) it scores."""
    from bulletin_qa.answering.extractive.features import rows_for
    from bulletin_qa.answering.extractive.model import load

    rows = rows_for(query, sources)
    load().score(rows)
    return {(r.source.n, r.index): r.score for r in rows}


def sentence_problems(query: Query, check: SentenceCheck, sources: list[Source],
                      scores: dict[tuple[int, int], float] | None = None, lang: str = "zh") -> list[str]:
    """Why a verified sentence does not answer `query` (empty: it does), for the reader.

    `scores` are ranker_scores(query, sources), computed here when needed and not given.
    """
    quals = qualifiers(query)
    plain = next((s.plain for s in split_answer(check.text)), check.text)
    items = claim_items(query, plain, quals) if query.qtype in TYPED else []
    if query.qtype in TYPED and not items:
        return [msg("no_asked_item", lang, kind=msg(f"kind_{query.qtype}", lang))]
    by_n = {s.n: s for s in sources}
    located = _located(check, items, by_n)
    if not located:
        return [msg("item_not_stated", lang)]
    fewest: list[str] | None = None
    noun = counted(query.text) if query.qtype == "number" else ""
    other_count = False
    for source, i, item in located:
        missing = missing_qualifiers(quals, source, i, item)
        if missing:
            fewest = missing if fewest is None or len(missing) < len(fewest) else fewest
            continue
        if noun and noun not in source.sentence_facts[i].key:
            other_count = True  # 120余名医生 for 多少名护士
            continue
        if query.qtype not in SCORED:
            return []
        scores = scores if scores is not None else ranker_scores(query, sources)
        if scores.get((source.n, i), 1.0) >= SCORE_MIN:  # a sentence the ranker does not score is not judged
            return []
    if other_count:
        return [msg("counts_other", lang, noun=noun)]
    if fewest is None:
        return [msg("low_score", lang)]
    return [msg("qualifier_missing", lang, missing=msg("enum_sep", lang).join(fewest))]


@dataclass
class AskedResult:
    """Whether the answer answers the question; else, per failing sentence (index into
    CheckResult.sentences), why not."""

    answers: bool
    problems: dict[int, list[str]]


def check_asked(query: Query, result: CheckResult, sources: list[Source], lang: str = "zh") -> AskedResult:
    """Whether at least one verified sentence of `result` answers the question (module docstring).

    An answer with no verified sentence, to a question that is not Chinese, or written in another
    language than Chinese (`lang`), is not judged here: the items and qualifiers are read in Chinese.
    """
    if not is_cjk(query.text) or lang != "zh":
        return AskedResult(answers=True, problems={})
    problems: dict[int, list[str]] = {}
    scores: dict[tuple[int, int], float] | None = None
    for index, check in enumerate(result.sentences):
        if not (check.substantive and check.supported):
            continue
        if scores is None and query.qtype in SCORED:
            scores = ranker_scores(query, sources)
        found = sentence_problems(query, check, sources, scores, lang)
        if not found:
            return AskedResult(answers=True, problems={})
        problems[index] = found
    return AskedResult(answers=not problems, problems=problems)
