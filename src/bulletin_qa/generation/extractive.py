"""Offline answers: the sentences of the retrieved articles that best answer the question, quoted.

A sentence is *answer-bearing evidence* only when all of these hold:

1. It is a statement: not a question, not an instruction planted in the article.
2. Context: its neighbourhood (the article's title and date, two sentences before it and one
   after) states at least CONTEXT_MIN of the question's information — the IDF-weighted share of
   its terms, numbers and dates (terms.Query.coverage). A distractor about the same topic but
   another place, year or event misses the rare terms (克什米尔, 2021年) that carry the weight.
3. Answer slot: the sentence contains a word beside the question's answer slot
   (terms.slot_terms: 主持 in 谁主持了…) with, when the question asks who / when / where / how
   many / which, a name / date / place / number / list the question does not already state
   within SLOT_DISTANCE characters of it (樊惠林主持, 增长6.4%); and the verbs beside the slot
   (terms.predicates: 设计 in 谁设计的) occur in the sentence or its headline.
4. Support, one of:
   - focus: the sentence itself states at least FOCUS_MIN of the question;
   - consensus: it states CONSENSUS_FOCUS_MIN and another article's evidence gives the same item;
   - headline: the title states HEADER_MIN of the question and title plus sentence ANCHOR_MIN
     (news writes 区委书记樊惠林主持会议并讲话 under the headline naming the meeting).

Evidence is ranked by focus (words already in the title count a third), context and retrieval
rank. With none the answer is a refusal. Measured on RGB zh dev (5 distractors vs 3 positives +
2 distractors, tests/generation/test_extractive.py): 0.89 refusal, 0.73 answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bulletin_qa.generation.numerals import DATE_PATTERNS, CN_NUM, extract_dates
from bulletin_qa.generation.citations import is_instruction
from bulletin_qa.generation.sources import Source
from bulletin_qa.generation.terms import Facts, Query, key, lcut_for_search, tagged

# Thresholds on the IDF-weighted share of the question stated (0..1) and on character distance.
# Tuned on the Erqi page and the RGB zh dev set (distractor-only vs with positives).
CONTEXT_MIN = 0.7
FOCUS_MIN = 0.75
CONSENSUS_FOCUS_MIN = 0.45
SLOT_DISTANCE = 6
SHORT_SENTENCE = 24
# A title stating HEADER_MIN of the question lets a sentence lean on it, when the title and the
# sentence together state ANCHOR_MIN of it.
HEADER_MIN = 0.3
ANCHOR_MIN = 0.9
# Quote at most this many sentences, each scoring at least RELATIVE_MIN of the best one.
MAX_SENTENCES = 3
RELATIVE_MIN = 0.75
# Sentences before and after a sentence that count as its context.
WINDOW_BEFORE, WINDOW_AFTER = 2, 1

_NUMBER = re.compile(rf"\d+(?:[.,]\d+)*\s*(?:万|亿)?\s*[%‰]?|[{CN_NUM}]{{2,}}|[{CN_NUM}](?=[个人名位次项家所条件场届期批岁天块])")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:省|市|县|区|镇|乡|村|街道|路|园|馆|中心|广场|站|港|景区|大厅|教堂|体育场)")
_ORG = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:有限公司|公司|集团|研究所|研究院|大学|学院|医院|银行|委员会|协会|管委会|政府)")
_LIST_SEP = re.compile(r"、|以及|\band\b")
_QUOTED = re.compile(r"“[^”]{1,40}”|《[^》]{1,40}》|「[^」]{1,40}」")
_TITLE = re.compile(r"《[^》]{1,40}》")
# A sentence that asks something (or quotes a question) does not answer anything.
_ASKING = re.compile(r"[？?][”’\"']?$|什么|谁|哪[里儿个些位]|多少|[吗呢][？?]?$")
# jieba tags: nr person (nrfg, nrt: other person-name tags), nt organisation, ns place, nz other proper noun.
_PEOPLE = {"nr", "nrfg", "nrt", "nt"}
_TEAM_WORDS = ("冠军",)  # 中超冠军 may be a club (山东泰山), tagged as a place
_ITEM_TAGS = {"who": {"nr", "nrfg", "nrt", "nt", "ns"}, "where": {"ns", "nt"},
              "name": {"nr", "nrfg", "nrt", "nt", "ns", "nz", "eng"}}


@dataclass
class Candidate:
    """A sentence considered for the answer, with the scores that decided it."""

    source: Source
    index: int
    sentence: str
    focus: float
    context: float
    own: float
    items: set[str] = field(default_factory=set)
    slot_ok: bool = False
    score: float = 0.0


def _merge_surnames(words: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Join a one-character surname jieba split off (李 + 爱国) into one person name (李爱国)."""
    out: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(words):
        a, b, w, flag = words[i]
        if flag == "nr" and len(w) == 1 and i + 1 < len(words):
            a2, b2, w2, _ = words[i + 1]
            if a2 == b and 1 <= len(w2) <= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w2):
                out.append((a, b2, w + w2, "nr"))
                i += 2
                continue
        out.append(words[i])
        i += 1
    return out


def answer_items(query: Query, sentence: str) -> list[tuple[int, int, str]]:
    """Spans (start, end, text) in key(sentence) of what the question asks for, not already in it."""
    text, qkey = key(sentence), key(query.text)
    kind = query.qtype
    spans: list[tuple[int, int, str]] = []
    if kind == "number":
        _, undated = extract_dates(text)  # 2012年 is a date, not the count asked for
        # "1）" numbers a list item and "03合同段" is a code, not a quantity.
        spans = [(m.start(), m.end(), m.group(0).strip()) for m in _NUMBER.finditer(undated)
                 if undated[m.end():m.end() + 1] not in ")）" and m.group(0).strip()
                 and not re.match(r"0\d", m.group(0).strip())]
    elif kind == "when":
        for pattern, _ in DATE_PATTERNS:
            spans += [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    elif kind in _ITEM_TAGS:
        words = [(a, b, w, flag) for a, b, w, flag in _merge_surnames(tagged(text)) if len(w) >= 2]
        spans = [(a, b, w) for a, b, w, flag in words if flag in _ITEM_TAGS[kind]]
        if kind == "who":  # a person or organisation answers "who"; a place only for teams and countries
            people = [(a, b, w) for a, b, w, flag in words if flag in _PEOPLE]
            teams = any(t in slot for slot in query.slots for t in _TEAM_WORDS)
            spans = people if (people or not teams) else spans
        # People are not quoted; works (《长津湖之水门桥》 won 票房冠军), slogans and names of things are.
        quoted = _TITLE if kind == "who" else _QUOTED
        spans += [(m.start(), m.end(), m.group(0)[1:-1]) for m in quoted.finditer(text)]
        if kind == "where":
            spans += [(m.start(), m.end(), m.group(0)) for m in _PLACE.finditer(text)]
        spans += [(m.start(), m.end(), m.group(0)) for m in _ORG.finditer(text)]
    elif kind == "list":
        spans = [(m.start(), m.end(), "") for m in _LIST_SEP.finditer(text)]
    # An item repeating the question (卫冕冠军 for 冠军, 苹果公司 for 哪家公司) is not its answer.
    words = [t.word for t in query.terms]
    return [s for s in spans if not s[2] or (s[2] not in qkey and not any(w in s[2] for w in words))]


def _slot_forms(slots: tuple[str, ...]) -> set[str]:
    """Slot words and their short forms: a 3-character word's halves (举办地 -> 举办), a longer
    compound's head at its end (人民医院院长 -> 院长)."""
    forms = set(slots)
    for w in slots:
        if not re.fullmatch(r"[\u4e00-\u9fff]+", w):
            continue
        if len(w) == 3:
            forms.update((w[:2], w[1:]))
        elif len(w) >= 4:
            forms.update(p for p in lcut_for_search(w) if len(p) >= 2 and w.endswith(p))
    return forms


def _states_predicates(query: Query, text_key: str) -> bool:
    """Every verb beside the answer slot (设计 in 谁设计的, 增长 in 增长了多少) is in the headline or sentence."""
    return all(any(form in text_key for form in _slot_forms((w,))) for w in query.predicates)


def slot_satisfied(query: Query, sentence: str) -> tuple[bool, set[str]]:
    """Whether an answer item sits within SLOT_DISTANCE of a slot word; and the items found."""
    text = key(sentence)
    slots = [(m.start(), m.end()) for w in _slot_forms(query.slots) for m in re.finditer(re.escape(w), text)]
    if not slots:
        return False, set()
    if query.qtype is None:
        return True, set()
    items = answer_items(query, sentence)
    # In a short sentence everything is near everything (纳达尔，2022年澳网冠军); a date usually opens
    # the sentence it dates (7月8日上午，青湖区…召开…会议), far from the verb.
    reach = len(text) if (len(text) <= SHORT_SENTENCE or query.qtype == "when") else SLOT_DISTANCE
    near = [(a, b, w) for a, b, w in items if any(max(0, a - e, s - b) <= reach for s, e in slots)]
    return bool(near), {w for _, _, w in near if w}


def _focus(query: Query, facts: Facts, header: Facts, year: int | None) -> float:
    """The sentence's own coverage, with words already in the title counting a third."""
    total = query.total_weight
    if not total:
        return 0.0
    plain = sum(t.weight * t.credit(facts.key) for t in query.terms)
    discounted = sum(t.weight * t.credit(facts.key) * (1 / 3 if t.credit(header.key) >= 1 else 1)
                     for t in query.terms)
    return query.coverage(facts, year) - (plain - discounted) / total


def candidates(query: Query, sources: list[Source]) -> list[Candidate]:
    """Sentences passing the statement, context and answer-slot tests, scored."""
    out: list[Candidate] = []
    for src in sources:
        sents, facts = src.sentences, src.sentence_facts
        for i, sentence in enumerate(sents):
            if _ASKING.search(sentence) or is_instruction(sentence):  # questions and planted prompts state nothing
                continue
            own = query.coverage(facts[i], src.year)
            if own < min(CONSENSUS_FOCUS_MIN, FOCUS_MIN) and not query.slots:
                continue
            lo, hi = max(0, i - WINDOW_BEFORE), min(len(sents), i + WINDOW_AFTER + 1)
            window = Facts.of("\n".join([src.header_facts.text, *sents[lo:hi]]), extra_dates=src.header_facts.dates)
            ctx = query.coverage(window, src.year)
            if ctx < CONTEXT_MIN:
                continue
            ok, items = slot_satisfied(query, sentence)
            if not ok or not _states_predicates(query, f"{src.header_facts.key}\n{facts[i].key}"):
                continue
            focus = _focus(query, facts[i], src.header_facts, src.year)
            prior = 1 / src.n if src.n else 0.0  # retrieval rank 1, 1/2, 1/3 ...
            out.append(Candidate(src, i, sentence, focus=focus, context=ctx, own=own, items=items,
                                 slot_ok=ok, score=focus + 0.5 * ctx + 0.05 * prior))
    return out


def _supported(c: Candidate, all_: list[Candidate]) -> bool:
    """Strong on its own, or backed by another article's sentence stating the same answer item."""
    if c.own >= FOCUS_MIN:
        return True
    if c.own < CONSENSUS_FOCUS_MIN or not c.items:
        return False
    return any(o.source.n != c.source.n and o.items & c.items for o in all_)


def _anchored(query: Query, c: Candidate) -> bool:
    """A short sentence may lean on its article's headline when the two together state the question.

    News writes 区委书记樊惠林主持会议并讲话 under the headline naming the meeting: the headline
    carries the topic (推进会), the sentence the rest (主持) and the answer (樊惠林).
    """
    src = c.source
    header = query.coverage(src.header_facts, src.year)
    both = Facts.of(f"{src.header_facts.text}\n{c.sentence}", extra_dates=src.header_facts.dates)
    return header >= HEADER_MIN and query.coverage(both, src.year) >= ANCHOR_MIN and c.slot_ok


def select(query: Query, sources: list[Source], max_sentences: int = MAX_SENTENCES) -> list[Candidate]:
    """The answer-bearing sentences to quote, best first; empty when nothing answers the question."""
    found = candidates(query, sources)
    usable = [c for c in found if _supported(c, found) or _anchored(query, c)]
    if not usable:
        return []
    usable.sort(key=lambda c: (-c.score, c.source.n, c.index))
    best = usable[0]
    picked: list[Candidate] = []
    for c in usable:
        if c.focus < RELATIVE_MIN * best.focus or c.context < best.context - 0.1 or len(picked) >= max_sentences:
            continue
        if any(p.sentence == c.sentence for p in picked):
            continue  # the same sentence reprinted in two articles
        picked.append(c)
    return picked
