"""The answer span: where in the quoted sentence the answer is, and how sure that it is the answer.

    answer_span        the asked-for item beside the slot word (吕安民, 12个科目), read whole (75分钟,
                       3万辆至5万辆, 约100公里), or a which-ones question's run of listed items
    span_values        SPAN_FEATURES of the best sentence's span: the question type, how many items of
                       the asked kind the sentence offers and whether two are equally near the slot
                       word, whether other retrieved articles (and the runner-up sentence) state it,
                       its length and unit, the answer model's probability and margin ...
    span_probability   P(the span holds the right answer), a logistic regression (model.Model.span)

The one-line answer (答：…) is shown only when span_probability reaches model.Model.span_threshold,
chosen by evaluation/train_span.py so that, on out-of-fold probabilities of the tune halves, the
one-liners shown hold the gold answer SHORT_PRECISION (0.90) of the time; a one-liner on a question
the articles cannot answer counts as wrong. The answer model's own probability is no proxy for it:
at every threshold its best sentence held the answer, but its span held it less than 0.90 of the
time (the span picked the wrong one of several numbers, or half a name). Measured:
benchmarks/RESULTS-evals.md, "Offline answerer", "One-line answers".
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np

from bulletin_qa.answering.extractive.features import ASKS_SEVERAL, Row, slot_positions
from bulletin_qa.answering.extractive.items import with_unit
from bulletin_qa.answering.extractive.model import logit
from bulletin_qa.answering.extractive.qualifiers import qualifiers
from bulletin_qa.answering.question import ASKS_END, Query, asked_person
from bulletin_qa.names.people import ROLE_ENDS
from bulletin_qa.text.chars import HAN, HAN_RE
from bulletin_qa.text.words import bare, key

if TYPE_CHECKING:
    from bulletin_qa.answering.extractive.model import Model

# Question types a one-line answer is given for: those with a typed single answer and training data
# (RGB, news and golden questions of each). Post questions (title) have none, so no calibrated
# span probability: they get the highlighted quote only.
SPAN_TYPES = ("who", "when", "where", "number", "name")
# The order of the span model's weights in weights.json.
SPAN_FEATURES = (
    *(f"q_{t}" for t in SPAN_TYPES),
    "answer_logit", "ranker_logit", "margin",
    "candidates", "items_anywhere", "tie", "agree_articles", "runner_same",
    "log_length", "with_unit", "context",
)
CAP = 5  # candidates and items counted up to this many: a sentence of five numbers is as unclear as one of nine
_LONG_UNIT = re.compile(r"\s*[万亿千百余多]*\s*(?:人次|架次|艘次|车次|批次|处|份|周年|分钟|小时|公里|千米|千克|公斤|毫克|毫米|厘米"
                        r"|摄氏度|°c|度|级|百帕|分贝|平方米|平方公里|平方千米|公顷|立方米|毫升|千瓦时|千瓦|兆瓦|吉瓦|泰铢|卢布"
                        r"|韩元|澳元|加元|人民币元)")
# What completes a name cut short by the tagger (新罗西斯克|海军基地, 纽顿|集团, 第聂伯罗彼得罗夫斯克|州).
_NAME_REST = re.compile(r"(?:海军基地|基地|集团|公司|工厂|州|省|市|县|港|机场)(?![" + HAN + r"]{0,1}(?:长|委|政府))")
# What joins the two ends of a range, in key() form (key writes 至 as 到): 3万辆到5万辆, 3月28日到4月26日.
_RANGE_SEP = r"\s*(?:到|-|~|～|—)\s*"
_RANGE_REST = re.compile(_RANGE_SEP + r"\d+(?:[.,]\d+)*")
_RANGE_JOIN = re.compile(_RANGE_SEP)
# What belongs before a number: a hedge (约100公里) or a sign (零下9℃).
_BEFORE = re.compile(r"(?:约|近|逾|超过|大约|零下)$")
# A value that changed (由87种增加到142种, 从2.65%下调至2.5%, in key() form): what is asked is the new one,
# unless the question asks both (从多少下调至多少).
_CHANGE = re.compile(r"\s*(?:增加|增长|提高|提升|上升|上调|下降|下调|降低|减少|扩大|缩小|跃升|攀升|升|降|涨|跌)(?:到|为)\s*"
                     r"(?P<new>\d+(?:[.,]\d+)*)")
_ASKS_BOTH = re.compile(r"从多少.{0,6}[到至]多少")
# What follows the asked item and is the question's own noun (天津|工厂 for 哪个恒大汽车工厂): the item's
# name goes on; and an alias in brackets after a name (纽顿集团|(nwtn集团)).
_WHICH = re.compile(r"哪一?[个家所座条项位种类款部支只间处]([^，,。？?！!]{2,16})")
_ALIAS = re.compile(r"\([a-z0-9][a-z0-9 .&·" + HAN + r"-]{0,19}\)")
_NOUN_GAP = re.compile(rf"[{HAN}\d]{{1,3}}")  # 会议中心|三楼|会议室: a floor or a number before the noun
_JOINED = "·・"  # 劳埃德|·|奥斯汀: one transliterated name
_LIST_RUN = re.compile(r"[^，,；;：:。、【】!?]{2,24}(?:、[^，,；;：:。、【】!?]{2,24})+(?:(?:和|及|以及)[^，,；;：:。、【】!?]{2,24})?")
# What leads into an enumeration inside its first item (虎荣鑫先后到|百年德化…, 以及|花花牛产业园): cut off.
_LIST_LEAD = re.compile(r".*(?:先后到|先后来到|深入|走进|来到|前往|包括|以及|分别是|分别为|主要有|现有|共有|拥有|涉及|到|及|了)")
# What follows the last item (海一云商|等现场沉浸式教学环节, 樱桃沟景区|等地): cut off.
_LIST_TAIL = re.compile(r"等.*$")
_TITLE_ITEM = re.compile("(?:" + "|".join(map(re.escape, ROLE_ENDS)) + ")$")
_BARE_NUMBER = re.compile(r"[\d.,\s]+")
# A when-question asking for a day (哪天召开) is not answered by a year; nor is any when-question by a
# year naming the event (召开2023年防汛…动员会, 举办了2023年春季…培训班) when the sentence dates it closer.
_ASKS_DAY = re.compile(r"哪一?天|几号|哪一?日|几月几[日号]|什么日子|\b(?:what|which) (?:day|date)\b", re.IGNORECASE)
_DAY = re.compile(r"[日号]|\d{1,2}[-/.]\d{1,2}$")
_YEAR_ONLY = re.compile(r"\d{4}年?")


def _to_sentence(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets in key(sentence) as offsets in the sentence (key() keeps lengths unless NFKC expands)."""
    folded = key(sentence)
    if len(folded) == len(sentence):
        return start, end
    at = sentence.find(folded[start:end])
    if at >= 0:
        return at, at + end - start
    # NFKC wrote a character as two (℃ as °c): count along the sentence
    lengths = [len(key(sentence[:j])) for j in range(len(sentence) + 1)]
    a = max(j for j, n in enumerate(lengths) if n <= start)
    b = next((j for j, n in enumerate(lengths) if n >= end), len(sentence))
    return (a, b) if a < b else None


def _distance(span: tuple[int, int], slots: list[tuple[int, int]]) -> int:
    """Characters between a span and the nearest slot word (0: touching or overlapping; 0 with no slot)."""
    return min((max(span[0] - e, s - span[1], 0) for s, e in slots), default=0)


def stated_title(sentence: str, person: str) -> tuple[int, int] | None:
    """Where the sentence writes a title right before `person` (区委常委、常务副区长、…常务副指挥长|屈连武),
    the fullest of its mentions; None when it names them without one, or not at all."""
    from bulletin_qa.names.people import find_people

    if person not in key(sentence):
        return None  # most sentences: no person to read titles for
    mentions = find_people(sentence, known=[person])
    spans = []
    for at, m in enumerate(mentions):
        if m.name != person or not m.title:
            continue
        # a name listed after another (区领导林若溪、陈明远) shares the list's title (区领导)
        first = at
        while first > 0 and sentence[mentions[first - 1].end:mentions[first].start] == "、" and mentions[first - 1].title:
            first -= 1
        head = mentions[first]
        if sentence[max(0, head.start - len(head.title)):head.start] == head.title:
            spans.append((head.start - len(head.title), head.start))
    return max(spans, key=lambda s: s[1] - s[0], default=None)


def answer_span(query: Query, row: Row) -> tuple[int, int] | None:
    """Where in the sentence the answer is: the asked-for item beside the slot word (吕安民, 12个科目,
    在马寨镇政府三楼会议室), the title before the person a post question names, or for a which-ones
    question the run of listed items; None when unclear."""
    person = asked_person(query)
    found = stated_title(row.sentence, person) if person else None
    if found:
        return found
    text = key(row.sentence)
    if query.qtype == "list" or (query.qtype != "number" and ASKS_SEVERAL.search(query.text)):
        run = _list_run(query, text)
        return _to_sentence(row.sentence, *run) if run else None
    spans = [s for s in row.spans if s[2]]
    if query.qtype == "when":
        spans = _dates_answering(query, text, spans)
    if not spans:
        return None
    slots = _anchors(query, text)
    which = _which_noun(query, text, spans)
    # the item nearest a slot word (上限33891元下限【6326元】 for 下限是多少), the first one on a tie; for 哪个X,
    # an item the question's noun goes on from (天津|工厂 for 哪个恒大汽车工厂) before any
    a, b, _ = min(spans, key=lambda s: (not _noun_after(text, s[1], which), _distance((s[0], s[1]), slots)))
    # an item overlapping the nearest one and longer reads it whole (纽顿 and 纽顿集团: 纽顿集团)
    a, b = min(((s[0], s[1]) for s in spans if s[0] < b and a < s[1]), key=lambda s: (s[0] - s[1], s[0]))
    if query.qtype == "number":
        a, b = _whole_value(text, a, b, both=bool(_ASKS_BOTH.search(key(query.text))))
    elif query.qtype == "when":  # a range is read whole: 3月28日至4月26日; its end when that is asked (持续到哪天)
        for x, y, _ in sorted(spans):
            if y <= a and _RANGE_JOIN.fullmatch(text, y, a):
                a = x
            elif x >= b and _RANGE_JOIN.fullmatch(text, b, x):
                b = y
        if ASKS_END.intersection(query.predicates):
            a = max(x for x, y, _ in spans if a <= x and y <= b)
    elif query.qtype in ("who", "name", "where"):
        a, b = _whole_name(text, a, b, spans, which)
        if query.qtype == "who":  # 谁陪同: 区领导【屈连武、曹宪武】陪同, every name of the run
            a, b = _name_run(text, a, b, spans)
    if query.qtype == "where":  # 到哪里 answered by the places visited: the whole enumeration
        a, b = next(((x, y) for _, x, y in _runs(text) if x <= a and b <= y), (a, b))
    return _to_sentence(row.sentence, a, b)


def _dates_answering(query: Query, text: str, spans: list) -> list:
    """The date spans that may answer a when-question: those with a day when it asks for one (哪天); else
    all but a bare year naming what follows it (2023年防汛…动员会) when another date is more precise."""
    if _ASKS_DAY.search(query.text):
        return [s for s in spans if _DAY.search(s[2])]
    if not any(not _YEAR_ONLY.fullmatch(s[2]) for s in spans):
        return spans
    return [s for s in spans if not (_YEAR_ONLY.fullmatch(s[2]) and HAN_RE.match(text, s[1]))]


def _anchors(query: Query, text: str) -> list[tuple[int, int]]:
    """Where the answer is looked for beside: the slot words, less the people the question names when
    another slot word is there (樊惠林和谁进行了座谈: beside 座谈, not beside 樊惠林)."""
    slots = slot_positions(query, text)
    named = [(m.start(), m.end()) for n in qualifiers(query).names if n.kind == "person"
             for m in re.finditer(re.escape(n.word), text)]
    kept = [(a, b) for a, b in slots if not any(a < y and x < b for x, y in named)]  # nor 樊惠 of 樊惠林
    return kept or slots


def _list_run(query: Query, text: str) -> tuple[int, int] | None:
    """For a which-ones question, the enumeration answering it: the run with most items (the one
    nearest a slot word on a tie)."""
    runs = _runs(text)
    if not runs:
        return None
    slots = slot_positions(query, text)
    _, a, b = max(runs, key=lambda r: (r[0], -min((abs(p - r[1]) for p, _ in slots), default=0)))
    return a, b


def _runs(text: str) -> list[tuple[int, int, int]]:
    """The enumerations of a text as (items, start, end), without the words leading into each or the
    等… after it. A run of titles (区委副书记、区长虎荣鑫) is how news names one person, not a list."""
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
    return runs


def _whole_value(text: str, a: int, b: int, both: bool = False) -> tuple[int, int]:
    """A number's span as a reader wants it: with its unit (75分钟, 30摄氏度, 88亿泰铢, 6.1级), the rest of a
    range (3万辆到5万辆), a hedge or sign before it (约100公里, 零下9℃), and of a changed value the new one
    (由87种增加到【142种】), or both when both are asked (【2.65%下调至2.5%】)."""
    b = _unit_end(text, b)
    more = _RANGE_REST.match(text, b)
    if more:
        b = _unit_end(text, more.end())
    before = _BEFORE.search(text, 0, a)
    a = before.start() if before else a
    changed = _CHANGE.match(text, b)
    if changed:
        a, b = (a if both else changed.start("new")), _unit_end(text, changed.end())
    return a, b


def _which_noun(query: Query, text: str, spans: list) -> str:
    """The noun a which-question asks an item of, in key() form, as the sentence bears it out: of the
    stretches after 哪个 ending in a slot word, the one going on longest after an item in `text`
    (向哪个市场出口汽车 -> 市场; 用于哪个恒大汽车工厂 -> 恒大汽车工厂, 工厂 after 天津); '' for none."""
    m = _WHICH.search(key(query.text))
    if not m:
        return ""
    rest = m.group(1)
    nouns = sorted({rest[:rest.find(w) + len(w)] for w in query.slots if len(w) >= 2 and w in rest}, key=len)

    def fit(noun: str) -> tuple[int, int]:  # going on right after an item first, then a few characters on
        return (max((_noun_after(text, s[1], noun, gap=False) for s in spans), default=0),
                max((_noun_after(text, s[1], noun) for s in spans), default=0))

    fits = {noun: fit(noun) for noun in nouns}
    # the noun the sentence goes on with longest (国务院|年度综合督查, not 年度), the shorter on a tie
    best = max(nouns, key=fits.__getitem__, default="")
    return best if best and any(fits[best]) else ""


def _noun_after(text: str, end: int, noun: str, gap: bool = True) -> int:
    """How many characters after `end` go on with the end of the question's noun (天津|工厂, 国务院|年度综合督查):
    the longest stretch of `noun` of two or more characters that ends where the noun ends, or the whole noun
    a few characters on (会议中心|三楼会议室 for 哪个会议室); 0: none."""
    touching = next((k for k in range(len(noun), 1, -1) if text.startswith(noun[-k:], end)), 0)
    if touching or not gap or len(noun) < 2:
        return touching
    on = _NOUN_GAP.match(text, end)
    return next((g + len(noun) for g in range(1, len(on.group()) + 1) if text.startswith(noun, end + g)), 0) if on else 0


def _whole_name(text: str, a: int, b: int, spans: list, noun: str) -> tuple[int, int]:
    """A name read whole: over the question's noun it heads (恒大汽车|天津|工厂), the rest of a name the tagger
    cut short (纽顿|集团), the other half of a transliterated name (劳埃德·奥斯汀) and an alias in brackets."""
    after = _noun_after(text, b, noun)
    if after:
        b += after
        # what the question writes before the item (恒大汽车 of 哪个恒大汽车工厂) is the name's beginning
        a -= next((k for k in range(min(a, len(noun)), 1, -1) if text[a - k:a] in noun), 0)
    else:
        rest = _NAME_REST.match(text, b)
        b = rest.end() if rest else b
    for x, y, _ in spans:
        if x == b + 1 and text[b] in _JOINED:
            # the tagger's last part may be a character short of the punctuation (阿尔巴尼|斯,)
            b = y + 1 if HAN_RE.match(text, y) and not HAN_RE.match(text, y + 1) else y
        elif y == a - 1 and text[y] in _JOINED:
            a = x
    alias = _ALIAS.match(text, b)
    return a, (alias.end() if alias else b)


def _name_run(text: str, a: int, b: int, spans: list) -> tuple[int, int]:
    """The span widened over the names listed with it by 、 (屈连武、|曹宪武)."""
    moved = True
    while moved:
        moved = False
        for x, y, _ in spans:
            if x == b + 1 and text[b] == "、":
                b, moved = y, True
            elif y == a - 1 and text[y] == "、":
                a, moved = x, True
    return a, b


def _unit_end(text: str, end: int) -> int:
    m = _LONG_UNIT.match(text, end)
    return m.end() if m else with_unit(text, end)


def span_values(query: Query, ranked: list[Row], answer_probability: float) -> dict[str, float] | None:
    """SPAN_FEATURES of the span answer_span finds in the best of `ranked` (scored by the ranker, best
    first); None when the question type gets no one-liner or no span is found."""
    if query.qtype not in SPAN_TYPES or not ranked:
        return None
    best = ranked[0]
    found = answer_span(query, best)
    if found is None:
        return None
    text = best.sentence[found[0]:found[1]].strip()
    said = bare(text)
    if not said:
        return None
    slots = slot_positions(query, key(best.sentence))
    distances = sorted(_distance((a, b), slots) for a, b, w in best.spans if w)
    others = {r.source.n: r.source.bare for r in ranked if r.source.n != best.source.n}
    runner = next((r for r in ranked[1:] if r.sentence != best.sentence), None)
    runner_span = answer_span(query, runner) if runner else None
    runner_text = runner.sentence[runner_span[0]:runner_span[1]] if runner and runner_span else ""
    candidates = len({w for _, _, w in best.spans if w})
    values = {f"q_{t}": float(query.qtype == t) for t in SPAN_TYPES}
    values.update({
        "answer_logit": logit(answer_probability),
        "ranker_logit": logit(best.score),
        "margin": best.score - (ranked[1].score if len(ranked) > 1 else 0.0),
        "candidates": float(min(candidates, CAP)),
        "items_anywhere": float(min(len(best.anywhere), CAP)),
        "tie": float(len(distances) > 1 and distances[1] == distances[0] and candidates > 1),
        "agree_articles": float(any(said in other for other in others.values())),
        "runner_same": float(bool(runner_text) and bare(runner_text) == said),
        "log_length": math.log(1 + len(said)) / 3,
        "with_unit": float(query.qtype == "number" and not _BARE_NUMBER.fullmatch(text)),
        "context": best.values.get("context", 0.0),
    })
    return values


def span_probability(model: Model, query: Query, ranked: list[Row], answer_probability: float) -> float:
    """P(the best sentence's answer span holds the right answer); 0 without a span model, with one-line
    answers off (no span_threshold: nothing would read it) or without a span."""
    if model.span is None or model.span_threshold is None:
        return 0.0
    values = span_values(query, ranked, answer_probability)
    if values is None:
        return 0.0
    row = np.array([[values[f] for f in model.span.features]], dtype=np.float64)
    return float(model.span.probabilities(row)[0])
