"""Features of a (question, sentence, article) triple, the input of the learned answer-sentence selector.

Each sentence of each retrieved article becomes one row of FEATURES. The answer-slot reading of
items.py (what the question asks for, written beside the word that asks for it, of the asked year,
kind and unit) is one feature among others here, not a gate: the model weighs it against the
IDF-weighted coverage of the question by the sentence, its context and its headline, the character
overlap with the question, retrieval rank and score, and position.

A question is read over each article (read_over): a post it asks by (区长到哪里检查安全生产) stands
for the person that article gives the post (区长虎荣鑫, later only 虎荣鑫), and its predicate for the
near verbs news uses for the same act (检查: 督导, 察看; question.NEAR_VERBS).

Dense similarity of sentence and question is not a feature: with the offline embedder (~9 texts/s
on 2 cores) scoring the ~75 sentences of five articles would add ~8 s to every question, and the
retrieval score already carries the article's dense vote. The cosine of the question and the best
sentence alone (one embedding per question) lifted RGB on the tune half out of fold (nested answered
0.721 -> 0.766 at ~0.90 refused; benchmarks/dense_matcher.py, RESULTS-evals.md "Fifth round: a learned
dense matcher"), but wired as a second abstainer and trained it answered 2 fewer of the 16 golden
tune questions: not shipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bulletin_qa.answering.citations import is_instruction
from bulletin_qa.answering.extractive import qualifiers as qual
from bulletin_qa.answering.extractive.items import (
    LOCATIVE,
    PLACE,
    Span,
    answer_items,
    fits,
    last_year,
    modifies,
    same_clause,
    typed_items,
    value_between,
    years_in,
)
from bulletin_qa.answering.question import Facts, Query
from bulletin_qa.answering.sources import Source
from bulletin_qa.names.people import ROLE_ENDS
from bulletin_qa.names.person_titles import holders, posts_asked, posts_given
from bulletin_qa.text.chars import all_han
from bulletin_qa.text.words import QUESTION_WORDS, bare, idf, key, lcut_for_search

# The order of the weights in weights.json.
FEATURES = (
    "own", "context", "header", "focus", "slot", "typed", "item_anywhere", "slot_word", "predicates",
    "untyped_question", "list_question", "rank_inv", "score_rel", "first", "position", "log_length",
    "bigrams", "longest_common", "own_gap", "bigram_gap", "context_gap",
    "year_conflict", "missing_rare", "missing_rare_context", "own_x_slot", "context_x_item",
    "corroborated", "corroborated_any",
    "slot_adjacent", "role_before", "context_x_slot", "early_slot", "asked_list",
    "qual_missing", "qual_missing_context", "qual_missing_article", "ordinal_conflict", "swapped",
    "year_absent_article", "event_missing_context", "event_missing_article",
)
SLOT_DISTANCE = 6
SHORT_SENTENCE = 24
# jieba IDF above which the first part of a compound slot word (金牌 of 金牌得主) is a slot word too.
MODIFIER_IDF = 8.0
# A sentence stating this share of the question may hold its answer anywhere in the slot's clause.
WHOLE_MIN = 0.65
# Sentences before and after a sentence that count as its context.
WINDOW_BEFORE, WINDOW_AFTER = 2, 1

# Qualifiers that make a measure another one: per head, per day, a first day, part of a year, a
# wider or foreign market (人均GDP is not GDP, a film's 全球票房 is not its 票房 at home).
_QUALIFIER = re.compile(r"(人均|日均|月均|年均|平均|单日|单月|单季|首日|首周|累计|新增|上半年|下半年"
                        r"|[一二三四1-4]季度|全球|海外|北美|境外)的?$")
# A sentence that asks something (or quotes a question) does not answer anything.
ASKING = re.compile(r"[？?][”’\"']?$|什么|谁|哪[里儿个些位]|多少|[吗呢][？?]?$")
# A title right before what follows it (区委书记|樊惠林, 常务副区长|屈连武): how news names a person.
_ROLE_END = re.compile("(?:" + "|".join(map(re.escape, ROLE_ENDS)) + ")$")
# A run of three or more enumerated items (花花牛产业园、中物军民融合产业园、海一云商): how news answers 哪些.
LIST_RUN = re.compile(r"[^，,；;：:。、]{2,24}(?:、[^，,；;：:。、]{2,24}){2,}")
ASKS_SEVERAL = re.compile(r"哪些|哪几|几[个项处家所]|有什么")
# What makes a place the name of an office or body (二七区委, 青湖区政府, 郑州市长): not a venue.
_OFFICE_AFTER = re.compile(r"委|政府|人大|政协|党|长|领导|副")
# The first sentences of a report (the lead and the ones after it) say who did what.
EARLY = 3
_WH_STRIP = re.compile("|".join(sorted((re.escape(w) for w in QUESTION_WORDS), key=len, reverse=True)))


@dataclass
class Row:
    """One sentence of one source, with its feature values and what the slot reading found."""

    source: Source
    index: int
    sentence: str
    values: dict[str, float]
    items: set[str] = field(default_factory=set)
    spans: list[Span] = field(default_factory=list)  # answer items beside the slot, in key(sentence)
    score: float = 0.0  # the model's probability that the sentence answers the question
    anywhere: set[str] = field(default_factory=set)  # items of the asked type anywhere in the sentence
    confidence: float = 0.0  # the best row only: P(quoting it answers the question), set by select
    span_confidence: float = 0.0  # the best row only: P(its answer span holds the answer), set by select


def _slot_forms(slots: tuple[str, ...], query: Query | None = None) -> set[str]:
    """Slot words and their short forms: a 3-character word's halves (举办地 -> 举办), a longer
    compound's head at its end (人民医院院长 -> 院长) and a rare modifier at its start (金牌得主 -> 金牌);
    with what stands for them in `query` (near verbs: 检查 -> 察看; a post's holder: 区长 -> 虎荣鑫)."""
    forms = set(slots)
    if query is not None:
        forms.update(a for w in slots for a in query.alternatives_of(w))
    for w in slots:
        if not all_han(w):
            continue
        if len(w) == 3:
            forms.update((w[:2], w[1:]))
        elif len(w) >= 4:
            forms.update(p for p in lcut_for_search(w) if len(p) >= 2 and p != w
                         and (w.endswith(p) or (w.startswith(p) and idf(p) >= MODIFIER_IDF)))
    return forms


def states_predicates(query: Query, text_key: str) -> bool:
    """Every word the answer must state (设计 in 谁设计的, 冠军 in 青湖杯冠军是哪个队) is in the text."""
    return all(any(form in text_key for form in _slot_forms((w,), query)) for w in query.predicates)


def slot_positions(query: Query, text: str) -> list[tuple[int, int]]:
    """Where the slot words occur in `text`, except under a qualifier the question does not state
    (人均GDP, 首日票房, 上半年销量 name other measures than GDP, 票房, 销量)."""
    qkey = key(query.text)
    out = []
    for w in _slot_forms(query.slots, query):
        for m in re.finditer(re.escape(w), text):
            qualifier = _QUALIFIER.search(text, 0, m.start())
            if not (qualifier and qualifier.group(1) not in qkey):
                out.append((m.start(), m.end()))
    return out


def slot_satisfied(query: Query, sentence: str, whole: bool = False, lead: str = "",
                   found: list[Span] | None = None) -> tuple[bool, list[Span], set[str]]:
    """Whether an answer item that fits the question sits within SLOT_DISTANCE of a slot word (further,
    in its clause, when `whole`); with those items (spans in key(sentence)) and the typed ones' words.

    `lead` is the text before the sentence (title, previous sentences): it dates a value the sentence
    gives without a year. `found` is answer_items(query, sentence), when already computed.
    """
    text = key(sentence)
    slots = slot_positions(query, text)
    if not slots:
        return False, [], set()
    if query.qtype is None:
        return True, [], set()
    found = answer_items(query, sentence) if found is None else found
    items = [i for i in found if fits(query, text, i, lead)]
    if query.qtype == "where":  # a place is written as one: 在/于 X, or a name ending 市, 馆, 大厅,
        # but not the place an office belongs to (二七区|委副书记, 二七区|政府 named without 在)
        items = [i for i in items if LOCATIVE.search(text[max(0, i[0] - 4):i[0]])
                 or (PLACE.fullmatch(i[2]) and not _OFFICE_AFTER.match(text, i[1]))]
    if query.qtype in ("who", "name"):
        items = [i for i in items if not modifies(text, i, slots)]
    # In a short sentence everything is near everything (纳达尔，2022年澳网冠军); a date usually opens
    # the sentence it dates (7月8日上午，青湖区…召开…会议), far from the verb.
    reach = len(text) if (len(text) <= SHORT_SENTENCE or query.qtype == "when") else SLOT_DISTANCE
    far = typed_items(query, text, items) if whole else []

    def beside(item: Span) -> bool:
        a, b, _ = item
        outside = [(s, e) for s, e in slots if s >= b or e <= a]  # 吉祥 inside “吉祥如画” is not beside it
        return any(max(a - e, s - b) <= reach for s, e in outside) or (item in far and any(
            same_clause(text, a, b, s, e) and not (query.qtype == "number" and value_between(found, item, s, e))
            for s, e in outside))

    near = [i for i in items if beside(i)]
    typed = {w for _, _, w in typed_items(query, text, near) if w}
    return bool(near), near, typed


def _focus(query: Query, facts: Facts, header: Facts, year: int | None) -> float:
    """The sentence's own coverage, with words already in the title counting a third."""
    total = query.total_weight
    if not total:
        return 0.0
    plain = sum(t.weight * t.credit(facts.key) for t in query.terms)
    discounted = sum(t.weight * t.credit(facts.key) * (1 / 3 if t.credit(header.key) >= 1 else 1)
                     for t in query.terms)
    return query.coverage(facts, year) - (plain - discounted) / total


def question_core(question: str) -> str:
    """The question's characters without question words and punctuation: what a sentence can repeat."""
    return bare(_WH_STRIP.sub("", key(question)))


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _longest_common(a: str, b: str) -> int:
    """Length of the longest common substring of a (short) and b."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _missing_rare(query: Query, text_key: str) -> float:
    """The weight of the rarest question word the text lacks, over the rarest word's weight (0: none missing).

    A distractor on the same topic misses the word that names the asked event (克什米尔, 青湖杯)."""
    top = max((t.weight for t in query.terms), default=0.0)
    if not top:
        return 0.0
    return max((t.weight * (1 - t.credit(text_key)) for t in query.terms), default=0.0) / top


def _year_conflict(years: frozenset[int], text: str, lead: str) -> float:
    """1 when the question asks for a year and the sentence (else the text before it) is about another one."""
    if not years:
        return 0.0
    year = last_year(text, len(text))
    if year is None:
        year = last_year(lead, len(lead))
    return float(year is not None and year not in years)


def _years_of(src: Source) -> set[int]:
    """The years an article states (its text, title and date)."""
    return years_in(src.all_facts.key) | {d.year for d in src.all_facts.dates if d.year}


def _corroboration(rows: list[Row], sources: list[Source]) -> None:
    """Whether another retrieved article states this sentence's answer item too: the slot's item
    ("corroborated") or any item of the asked type ("corroborated_any"). Reports of one event agree
    on its numbers and names; passages about other events offer different ones."""
    others = {s.n: s.bare for s in sources}

    def stated(words: set[str], n: int) -> float:
        bare_words = [bare(w) for w in words]
        return float(any(b and b in text for m, text in others.items() if m != n for b in bare_words))

    for r in rows:
        r.values["corroborated"] = stated(r.items, r.source.n)
        r.values["corroborated_any"] = stated(r.anywhere, r.source.n)


def _answer_shape(query: Query, text: str, near: list[Span]) -> tuple[float, float]:
    """How Chinese news writes the answer beside the slot, whatever the sentence repeats of the question:
    ("slot_adjacent") an answer item touching a slot word (樊惠林|主持, 校长|陈明远), and ("role_before")
    a title right before an answer item or a person the question names (区委书记|樊惠林, 副区长|屈连武)."""
    # Beside the word the answer must stand next to (设计 of 谁设计的), when the question has one:
    # 柳荫 touches 公园 in 柳荫公园, which says nothing of who designed it.
    slots = [(m.start(), m.end()) for w in _slot_forms(query.predicates, query)
             for m in re.finditer(re.escape(w), text)] if query.predicates else slot_positions(query, text)
    adjacent = any(min(abs(a - e), abs(s - b)) <= 1 for a, b, _ in near for s, e in slots)
    starts = [a for a, _, _ in near]
    named = [w for w in query.slots if not _ROLE_END.search(w)]
    named += [a for w in query.slots if _ROLE_END.search(w) for a in query.alternatives_of(w)]  # 区长 -> 虎荣鑫
    starts += [m.start() for w in named if len(w) >= 2 for m in re.finditer(re.escape(w), text)]
    role = any(_ROLE_END.search(text, max(0, a - 5), a) for a in starts)
    return float(adjacent), float(role)


def read_over(query: Query, posts: list[str], src: Source) -> Query:
    """The question as read over one article: a post it asks by (区长 of 区长到哪里检查安全生产, from
    person_titles.posts_asked) stands for the person the article gives that post (二七区委副书记、区长虎荣鑫),
    whose later mentions (虎荣鑫先后到…) carry the story without the title."""
    if not posts:
        return query
    given = posts_given(src.all_facts.text)
    for post in posts:
        query = query.standing_for(post, holders(post, given))
    return query


def _over_page(query: Query, quals: qual.Qualifiers, src: Source,
               sources: list[Source]) -> tuple[Query, qual.Qualifiers]:
    """The question and its qualifiers as read over an article of a district's own paper: 河湾区 asked,
    the article writes only 全区, another article of its page (same source and page date) names
    河湾区 (qualifiers.own_districts)."""
    if not quals.names:
        return query, quals
    a = src.article
    if a.page_date is None:  # a corpus line (JSONL) is no page: its neighbours may be any paper's
        return query, quals
    page = [o.all_facts.key for o in sources if o is not src
            and (o.article.source, o.article.page_date) == (a.source, a.page_date)]
    own = qual.own_districts(quals, key(query.text), src.all_facts.key, page)
    for district in own:
        query = query.standing_for(district, ("全区", "本区"))
    return query, qual.without(quals, own)


def rows_for(query: Query, sources: list[Source]) -> list[Row]:
    """Every statement sentence of every source, with its features (questions and planted prompts
    are never evidence: a rule, since no weight can make an instruction a statement)."""
    asked = query
    # A who or post question asks for the holder or the post itself: the post cannot stand for its answer.
    posts = posts_asked(query.text) if query.qtype not in ("who", "title") else []
    core = question_core(query.text)
    several = bool(ASKS_SEVERAL.search(query.text))
    grams = _bigrams(core)
    best_score = max((s.score for s in sources), default=0.0) or 1.0
    asked_quals = qual.qualifiers(query, bare=True)
    years = asked_quals.years
    rows: list[Row] = []
    for src in sources:
        query, quals = _over_page(read_over(asked, posts, src), asked_quals, src, sources)
        sents, facts = src.sentences, src.sentence_facts
        header = query.coverage(src.header_facts, src.year)
        article_missing = qual.missing_share(quals, src.all_facts.key)
        year_absent = float(bool(years) and not (years & _years_of(src)))
        event_article = float(not states_predicates(query, src.all_facts.key))
        for i, sentence in enumerate(sents):
            if ASKING.search(sentence) or is_instruction(sentence):
                continue
            text = facts[i].key
            plain = bare(text)
            own = query.coverage(facts[i], src.year)
            lo, hi = max(0, i - WINDOW_BEFORE), min(len(sents), i + WINDOW_AFTER + 1)
            window = Facts.of("\n".join([src.header_facts.text, *sents[lo:hi]]), extra_dates=src.header_facts.dates)
            lead = "\n".join([src.header_facts.text, *sents[lo:i]])
            found = answer_items(query, sentence) if query.qtype else []
            ok, near, typed = slot_satisfied(query, sentence, whole=own >= WHOLE_MIN, lead=lead, found=found)
            anywhere = [s for s in found if fits(query, text, s, lead)]
            values = {
                "own": own,
                "context": query.coverage(window, src.year),
                "header": header,
                "focus": _focus(query, facts[i], src.header_facts, src.year),
                "slot": float(ok),
                "typed": float(bool(typed)),
                "item_anywhere": float(bool(anywhere)),
                "slot_word": float(bool(slot_positions(query, text))),
                "predicates": float(states_predicates(query, f"{src.header_facts.key}\n{text}")),
                "untyped_question": float(query.qtype is None),
                "list_question": float(query.qtype == "list"),
                "rank_inv": 1.0 / src.n,
                "score_rel": max(0.0, src.score) / best_score,
                "first": float(i == 0),
                "position": i / max(1, len(sents)),
                "log_length": math.log(1 + len(plain)) / 5,
                "bigrams": len(grams & _bigrams(plain)) / len(grams) if grams else 0.0,
                "longest_common": _longest_common(core, plain) / len(core) if core else 0.0,
            }
            values["year_conflict"] = _year_conflict(years, text, key(lead))
            values["missing_rare"] = _missing_rare(query, text)
            values["missing_rare_context"] = _missing_rare(query, window.key)
            values["own_x_slot"] = own * values["slot"]
            values["context_x_item"] = values["context"] * values["item_anywhere"]
            values["slot_adjacent"], values["role_before"] = _answer_shape(query, text, near)
            values["context_x_slot"] = values["context"] * values["slot"]
            values["early_slot"] = values["slot"] * float(i < EARLY)
            values["asked_list"] = float(several and bool(LIST_RUN.search(sentence)))
            values["qual_missing"] = qual.missing_share(quals, text)
            values["qual_missing_context"] = qual.missing_share(quals, window.key)
            values["qual_missing_article"] = article_missing
            values["ordinal_conflict"] = qual.ordinal_conflict(quals, text)
            values["swapped"] = qual.swapped(quals, text) if quals.names else 0.0
            values["year_absent_article"] = year_absent
            # the event asked about (开工 of 什么时候开工, 设计 of 谁设计的) is not stated around the sentence
            values["event_missing_context"] = float(not states_predicates(query, window.key))
            values["event_missing_article"] = event_article
            rows.append(Row(src, i, sentence, values, items={w for _, _, w in near if w}, spans=near))
            rows[-1].anywhere = {w for _, _, w in anywhere if len(w) >= 2}
    _corroboration(rows, sources)
    for name, gap in (("own", "own_gap"), ("bigrams", "bigram_gap"), ("context", "context_gap")):
        top = max((r.values[name] for r in rows), default=0.0)
        for r in rows:
            r.values[gap] = r.values[name] - top
    return rows
