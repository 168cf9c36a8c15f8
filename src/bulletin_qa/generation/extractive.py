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
   (terms.predicates: 设计 in 谁设计的) occur in the sentence or its headline. A sentence stating
   WHOLE_MIN of the question may hold the item anywhere in the slot's clause, when the item is
   unmistakably typed (a person's name, a place after 在/于, a quoted name, a number with a unit).
   The item must fit the question (_fits): the year written last before it is the asked year
   (RGB's distractors are often the same event in another year); a how-many answer is not a
   threshold (以上), a share (%), a change (增加1.4万吨), a unit price (每股) or a duration unless
   asked for one, and carries the unit the question names (多少美元); a who/which answer is not
   the venue (在泰国).
4. Support, one of:
   - focus: the sentence itself states at least FOCUS_MIN of the question;
   - consensus: it states CONSENSUS_FOCUS_MIN and another article's evidence gives the same item;
   - headline: the title states HEADER_MIN of the question and title plus sentence ANCHOR_MIN
     (news writes 区委书记樊惠林主持会议并讲话 under the headline naming the meeting).

Evidence is ranked by focus (words already in the title count a third), context and retrieval
rank. With none the answer is a refusal. Measured on RGB zh dev (5 distractors vs 3 positives +
2 distractors; correct = every gold string quoted), split by CRC-32 of the item id, tuned on the
even half only (tests/generation/test_extractive.py): held-out half 0.88 refusal, 0.63 correct;
tuning half 0.93 / 0.80.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bulletin_qa.generation.citations import is_instruction
from bulletin_qa.generation.numerals import CN_NUM, DATE_PATTERNS, extract_dates
from bulletin_qa.generation.sources import Source
from bulletin_qa.generation.terms import Facts, Query, idf, key, lcut_for_search, tagged

# Thresholds on the IDF-weighted share of the question stated (0..1) and on character distance.
# Tuned on the Erqi page, the golden set and the tuning half of RGB zh dev (distractor-only vs with
# positives; see the module docstring).
CONTEXT_MIN = 0.6
FOCUS_MIN = 0.75
CONSENSUS_FOCUS_MIN = 0.45
SLOT_DISTANCE = 6
SHORT_SENTENCE = 24
# jieba IDF above which the first part of a compound slot word (金牌 of 金牌得主) is a slot word too.
MODIFIER_IDF = 8.0
# A sentence stating this share of the question may hold its answer anywhere, not just beside the slot.
WHOLE_MIN = 0.65
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
_CLAUSE_END = re.compile(r"[，,；;：:。（(]")
# 在/于 introduce a place; not 属于, 对于, 关于, 由于, 等于 (冠军属于中国队).
_LOCATIVE = re.compile(r"在|(?<![属对关由等归终免])于|[到往]|地点[是为在]?|位于|举行地")
_VENUE = re.compile(r"在|(?<![属对关由等归终免])于")
# A year the value refers to: not a birth year, a starting point or a baseline (2003年出生,
# 2010年以来, 比2020年).
# 2023春节档 and 2022-23赛季 name years too; 2000万, 2022点 and 2022.5 are amounts.
_YEAR = re.compile(r"(?<![\d比较与从自.])((?:19|20)\d{2})(?![\d.,万亿千百多余点人元名个位次辆台吨斤米%‰])"
                   r"(?!\s*年(?:龄|出生|生|以来|起))")
# Questions whose answer is a share or a change: a percentage answers them.
_RATE = re.compile(r"率|占|比例|比重|占比|份额|百分|增长|增幅|增速|下降|降幅|减少|上涨|下跌|涨幅|跌幅|幅度|提高|降低")
# A change written right before its value (增加1.4公斤); 增长到 / 增加为 give the new level instead.
_CHANGE = re.compile(r"(?:增加|减少|增长|下降|上升|提高|降低|多出)了?(?:约|近|超过|逾)?$")
_THRESHOLD = re.compile(r"\s*[^\d，。；,;]{0,4}?(?:以上|以下|以内)")
_RATIO = re.compile(r"\s*(?:倍|个百分点|百分点)")
_DURATION = re.compile(r"\s*(?:年|个月|天|小时|分钟|周)")
_DURATION_ASKED = re.compile(r"多久|多长时间|[几多少]+(?:年|天|个月|小时|分钟|周)|年限|期限|时长|天数")
_ASKED_UNIT = re.compile(r"(?:多少|几)(美元|欧元|英镑|日元|港元|元|钱|人次|人|名|位|个|辆|台|架|艘|吨|斤|件|部|家|支|座|场|届|项|条|所|户|种|枚|次)")
_MONEY = ("元", "美元", "欧元", "英镑", "日元", "港元", "人民币")
_UNIT_GROUPS = {"钱": _MONEY, "元": _MONEY, "人": ("人", "名", "位"), "名": ("人", "名", "位"),
                "位": ("人", "名", "位"), "个": ("个", "支", "家", "名", "项")}
_LIST_SEP = re.compile(r"、|以及|\band\b")
_QUOTED = re.compile(r"“[^”]{1,40}”|《[^》]{1,40}》|「[^」]{1,40}」")
_TITLE = re.compile(r"《[^》]{1,40}》")
# A sentence that asks something (or quotes a question) does not answer anything.
_ASKING = re.compile(r"[？?][”’\"']?$|什么|谁|哪[里儿个些位]|多少|[吗呢][？?]?$")
# jieba tags: nr person (nrfg, nrt: other person-name tags), nt organisation, ns place, nz other proper noun.
_PEOPLE = {"nr", "nrfg", "nrt", "nt"}
_PERSON = {"nr", "nrfg", "nrt"}  # people only: an answer far from the slot must be a name, not 新华社
# A count or amount written with its unit: 44名, 2500万人次, 193.8亿元, 687亿美元, 6.4%.
_UNIT = re.compile(r"\s*[万亿千百余多]*\s*(?:[%‰]|美元|欧元|英镑|日元|港元|人民币|[个名位人次元辆台架艘吨斤件部家支座场届项条所户块种只头篇枚株亩米里岁天年月日周小时分秒点倍股])")
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


def _same_clause(text: str, a: int, b: int, s: int, e: int) -> bool:
    """No clause break (，；：。) between an item at a..b and a slot word at s..e."""
    return not _CLAUSE_END.search(text, min(a, s), max(b, e))


def _typed_items(query: Query, text: str, items: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The items that are unmistakably of the asked type: a place after 在/于/地点, a person's name,
    a quoted name, a number with its unit (44名, 193.8亿元), a date."""
    kind = query.qtype
    if kind == "where":
        return [i for i in items if _LOCATIVE.search(text[max(0, i[0] - 4):i[0]])]
    if kind == "who":
        people = {w for _, _, w, flag in _merge_surnames(tagged(text)) if flag in _PERSON}
        return [i for i in items if i[2] in people or _TITLE.fullmatch(text[i[0]:i[1]])]
    if kind == "name":
        return [i for i in items if _QUOTED.fullmatch(text[i[0]:i[1]])]
    if kind == "number":
        return [i for i in items if _UNIT.match(text, i[1])]
    return items if kind == "when" else []


def _year_before(text: str, at: int) -> int | None:
    """The last year written before position `at` in the same sentence (2020年…4.84‰ -> 2020)."""
    years = [int(m.group(1)) for m in _YEAR.finditer(text, 0, at)]
    return years[-1] if years else None


def _asked_unit(asked: str) -> tuple[str, ...]:
    """The units a count must carry when the question names one (多少美元, 几个, 多少人), else ()."""
    m = _ASKED_UNIT.search(asked)
    if not m:
        return ()
    unit = m.group(1)
    return _UNIT_GROUPS.get(unit, (unit,))


def _fits_number(asked: str, text: str, item: tuple[int, int, str]) -> bool:
    """A number fits a how-many question: not a threshold, share, change, unit price or duration
    unless asked for one, and in the unit the question names."""
    a, b, word = item
    after = text[b:b + 8]
    if word == "一" or _THRESHOLD.match(after):
        return False  # 一个原因 is an article, 1000万人次以上 a threshold: neither is a count
    if not _RATE.search(asked) and (re.search(r"[%‰]", word) or _RATIO.match(after)
                                    or _CHANGE.search(text[max(0, a - 8):a])):
        return False  # 销量 is counted in 辆: not 34%, 2.5倍, nor a change (比上年增加1.4公斤)
    if "每" not in asked and "每" in text[max(0, a - 6):a]:
        return False  # 每股90美元 is a unit price, not the total asked for
    if not _DURATION_ASKED.search(asked) and _DURATION.match(after):
        return False  # 连续7年 says how long, not how much
    units = _asked_unit(asked)
    return not units or re.sub(r"^\s*[万亿千百余多]*\s*", "", after).startswith(units)  # 4200余名


def _fits(query: Query, text: str, item: tuple[int, int, str]) -> bool:
    """An item fits the question: its year is the asked one, a number is of the asked kind and unit,
    a who/which answer is not the venue (在泰国 names where the final was, not the winner).

    RGB's distractors are often the same event in another year (2020年的出生率为4.84‰ against
    a question on 2021): the value belongs to the year written last before it.
    """
    a = item[0]
    years = {d.year for d in query.dates if d.year}
    if years and query.qtype in ("number", "who", "name"):
        year = _year_before(text, a)
        if year is not None and year not in years:
            return False
    if query.qtype == "number" and not _fits_number(key(query.text), text, item):
        return False
    return not (query.qtype in ("who", "name") and _VENUE.search(text[max(0, a - 1):a]))


def _slot_forms(slots: tuple[str, ...]) -> set[str]:
    """Slot words and their short forms: a 3-character word's halves (举办地 -> 举办), a longer
    compound's head at its end (人民医院院长 -> 院长) and a rare modifier at its start (金牌得主 -> 金牌)."""
    forms = set(slots)
    for w in slots:
        if not re.fullmatch(r"[\u4e00-\u9fff]+", w):
            continue
        if len(w) == 3:
            forms.update((w[:2], w[1:]))
        elif len(w) >= 4:
            # The modifier only when rare: 金牌 (IDF 8.7) is specific, 人民 (5.2) is everywhere.
            forms.update(p for p in lcut_for_search(w) if len(p) >= 2 and p != w
                         and (w.endswith(p) or (w.startswith(p) and idf(p) >= MODIFIER_IDF)))
    return forms


def _states_predicates(query: Query, text_key: str) -> bool:
    """Every verb beside the answer slot (设计 in 谁设计的, 增长 in 增长了多少) is in the headline or sentence."""
    return all(any(form in text_key for form in _slot_forms((w,))) for w in query.predicates)


def slot_satisfied(query: Query, sentence: str, whole: bool = False) -> tuple[bool, set[str]]:
    """Whether an answer item sits within SLOT_DISTANCE of a slot word (anywhere in the sentence
    when `whole`); and the items found."""
    text = key(sentence)
    slots = [(m.start(), m.end()) for w in _slot_forms(query.slots) for m in re.finditer(re.escape(w), text)]
    if not slots:
        return False, set()
    if query.qtype is None:
        return True, set()
    items = [i for i in answer_items(query, sentence) if _fits(query, text, i)]
    # In a short sentence everything is near everything (纳达尔，2022年澳网冠军); a date usually opens
    # the sentence it dates (7月8日上午，青湖区…召开…会议), far from the verb.
    reach = len(text) if (len(text) <= SHORT_SENTENCE or query.qtype == "when") else SLOT_DISTANCE
    # A sentence stating most of the question may name its answer further away, in the slot's clause
    # (林…、陈…将担任运动会开幕式代表团旗手), when the item is unmistakably typed (a person, 44名).
    far = _typed_items(query, text, items) if whole else []
    near = [(a, b, w) for a, b, w in items if any(max(0, a - e, s - b) <= reach for s, e in slots)
            or ((a, b, w) in far and any(_same_clause(text, a, b, s, e) for s, e in slots))]
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
            ok, items = slot_satisfied(query, sentence, whole=own >= WHOLE_MIN)
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
