"""Question analysis: weighted query terms, the answer type asked for, slot words and predicates.

A question becomes a `Query`: its content words weighted by background IDF (text/words.py), the numbers
and dates it states, and what kind of answer it wants (who, when, where, number, list, name).
`Facts` is the same analysis of a sentence or source, computed once so that coverage is cheap.
`asked_person` reads the person a post question asks about (屈连武是什么职务？ -> 屈连武).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from bulletin_qa.names.people import ROLE_ENDS
from bulletin_qa.text.chars import HAN, detect_lang
from bulletin_qa.text.numerals import DateMention, extract_dates, extract_numbers
from bulletin_qa.text.words import (
    _HAS_WH,
    _POLITE,
    QUESTION_WORDS,
    _idf,
    _pieces,
    content_words,
    idf,
    key,
    tagged,
    tokens,
)

# The kind of answer a question asks for, from its question word or, failing that, from the noun
# naming what is asked (冠军 is a name, 销量 a number). First match wins; order matters.
_TYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("when", re.compile(r"何时|什么时候|什么时间|哪天|哪一天|哪年|哪一年|几月|几号|哪个月|哪日|\bwhen\b|what (?:date|time|year|day)", re.I)),
    ("who", re.compile(r"谁|哪位|哪些人|什么人|何人|哪名|\bwho\b|\bwhom\b", re.I)),
    ("number", re.compile(r"多少|几[个名位项次人家天年条所场届批座块次种]?|人数|数量|比例|百分之|多大|多高|多长|多远|多重|多久|how (?:many|much|long|far|old)", re.I)),
    ("where", re.compile(r"哪里|哪儿|在哪|何地|何处|什么地方|哪个地方|地点|举办地|位于|\bwhere\b", re.I)),
    # What post a person holds (屈连武是什么职务): news writes the title right before the name.
    ("title", re.compile(r"什么职务|什么职位|哪个职务|(?:担任|任)(?:什么|何)职|什么头衔|\bwhat (?:position|post|title)\b", re.I)),
    ("list", re.compile(r"哪些|有哪|\bwhich\b", re.I)),
    ("name", re.compile(r"叫什么|名字|名称|全称|口号|主题|哪部|哪个|哪家|哪所|什么(?:公司|企业|单位|机构|医院|学校|银行)", re.I)),
    # Nouns that name the answer slot at the end of a question without a question word:
    # 宣誓仪式的时间, 2021赛季中超冠军, 2022年特斯拉交付量.
    ("when", re.compile(r"(?:时间|日期)(?:是)?[？?]?\s*$")),
    ("who", re.compile(r"(?:冠军|得主|主演|导演|编剧|旗手|火炬手|主教练|创始人|总统|总理|首相|行政长官|首席执行官|CEO|主席|负责人|指令长|嫌疑人|获得者)[？?]?\s*$", re.I)),
    ("number", re.compile(r"(?:量|率|票房|营收|收入|利润|产量|销量|总额|金额|价格|售价|点数|排名|规模|震级|数)[？?]?\s*$", re.I)),
    ("name", re.compile(r"(?:国家|城市|公司|球队|队|机构|单位|电影|歌曲|作品)[？?]?\s*$", re.I)),
]
# Content words before the question word that count as answer-slot words (增长目标是多少 -> 目标).
BEFORE_SLOTS = 1
# Verbs Chinese news uses interchangeably for one act (written by us, not learned): a question's
# predicate is stated when the article writes any verb of its group (区长到哪里检查安全生产 is
# answered by …先后到…实地察看…; the lead writes 督导). Only acts an official's report names in
# several ways; verbs of different acts (召开 a meeting, 主持 it) stay apart.
NEAR_VERBS: tuple[frozenset[str], ...] = (
    frozenset({"检查", "督导", "督查", "察看", "查看", "视察", "调研", "考察", "巡查", "检查指导"}),  # inspects
    frozenset({"召开", "举行", "举办"}),  # a meeting or event is held
    frozenset({"出席", "参加"}),  # attends
    frozenset({"看望", "慰问", "走访"}),  # visits people
)


# An event's end, asked as 持续到哪天 / 什么时候结束 / 截止到: of a date range, the end is the answer.
ASKS_END = frozenset({"持续", "结束", "截止", "截至", "结业", "闭幕"})


def near_verbs(word: str) -> tuple[str, ...]:
    """The other verbs of `word`'s group in NEAR_VERBS (检查 -> 督导, 察看, 视察 …); () when it has none."""
    return tuple(sorted(next((g - {word} for g in NEAR_VERBS if word in g), ())))




@dataclass(frozen=True)
class Term:
    """A query term, its weight and its parts (for partial matches of long compounds)."""

    word: str
    weight: float
    pieces: tuple[str, ...] = ()
    alts: tuple[str, ...] = ()  # what stands for the word in a text: a near verb, the holder of a post

    def credit(self, text_key: str) -> float:
        """1 when the word (or one of its `alts`) occurs in the text; else 0.9 x the share of its
        characters found as parts.

        小学校长 against 小学…校长: parts 小学 and 校长 cover all four characters -> 0.9.
        """
        if self.word in text_key or any(a in text_key for a in self.alts):
            return 1.0
        if not self.pieces:
            return 0.0
        covered = [False] * len(self.word)
        for piece in self.pieces:
            if piece in text_key:
                start = self.word.find(piece)
                while start >= 0:
                    covered[start:start + len(piece)] = [True] * len(piece)
                    start = self.word.find(piece, start + 1)
        return 0.9 * sum(covered) / len(covered)


@dataclass(frozen=True)
class Facts:
    """What a piece of text states, precomputed once: its key, numbers and dates."""

    text: str
    key: str
    numbers: frozenset[str]
    dates: tuple[DateMention, ...]

    @classmethod
    def of(cls, text: str, extra_dates: tuple[DateMention, ...] = ()) -> Facts:
        """Analyse `text`; `extra_dates` adds dates known from elsewhere (the article's date)."""
        dates, _ = extract_dates(text)
        return cls(text=text, key=key(text), numbers=frozenset(extract_numbers(text)),
                   dates=tuple(dates) + extra_dates)


@dataclass(frozen=True)
class Query:
    """A question, analysed: weighted terms, stated numbers and dates, expected answer type."""

    text: str
    lang: str
    terms: tuple[Term, ...]
    numbers: frozenset[str]
    dates: tuple[DateMention, ...]
    qtype: str | None
    slots: tuple[str, ...] = ()
    predicates: tuple[str, ...] = ()
    # Slot word -> what stands for it in a text (检查 -> 督导, 察看 …; 区长 -> the article's 区长).
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def alternatives_of(self, word: str) -> tuple[str, ...]:
        """What stands for the slot word `word` in a text (its near verbs, the person holding it as a post)."""
        return next((alts for w, alts in self.alternatives if w == word), ())

    def standing_for(self, post: str, names: tuple[str, ...]) -> Query:
        """This question as read over an article that gives `post` (区长) to `names` (虎荣鑫), or
        writes a district (河湾) as 全区: the names count wherever the post (or a question word inside
        it or holding it) counts."""
        if not names:
            return self

        def related(word: str) -> bool:
            return word in post or post in word

        terms = tuple(dataclasses.replace(t, alts=(*t.alts, *names)) if related(t.word) else t for t in self.terms)
        alternatives = dict(self.alternatives)
        for w in self.slots:
            if related(w):
                alternatives[w] = (*alternatives.get(w, ()), *names)
        return dataclasses.replace(self, terms=terms, alternatives=tuple(alternatives.items()))

    @property
    def total_weight(self) -> float:
        """Sum of the weights of everything the question states."""
        return sum(t.weight for t in self.terms) + _median() * (len(self.numbers) + len(self.dates))

    def coverage(self, facts: Facts, default_year: int | None = None) -> float:
        """Share (0..1) of the question's weighted terms, numbers and dates that `facts` contains."""
        total = self.total_weight
        if total == 0:
            return 0.0
        got = sum(t.weight * t.credit(facts.key) for t in self.terms)
        got += _median() * sum(n in facts.numbers for n in self.numbers)
        got += _median() * sum(any(d.matches(e, default_year) for e in facts.dates) for d in self.dates)
        return got / total


def _median() -> float:
    return _idf()[1]


def question_type(question: str) -> str | None:
    """The kind of answer a question asks for: who, when, where, number, title, list, name, or None."""
    for name, pattern in _TYPE_CUES:
        if pattern.search(question):
            return name
    return None


def _is_content(word: str) -> bool:
    return bool(content_words(word)) and word not in QUESTION_WORDS


def slot_terms(question: str) -> tuple[str, ...]:
    """The words next to the answer slot: around the question word, and the last content word.

    谁主持了…推进会 -> 主持, 推进; 香港GDP增长了多少 -> 增长; 视察了哪些安置房项目 -> 视察, 安置, 项目.
    An answer usually states its value right beside one of them (樊惠林主持, 增长6.4%).
    """
    words = tokens(question)
    wh = _wh_index(words)
    out: list[str] = []
    if wh is not None:
        before = [w for w in reversed(words[:wh]) if _is_content(w)][:BEFORE_SLOTS]
        # 谁是X / X是谁: what follows 是 is the subject, not a predicate.
        after = None if words[wh + 1:wh + 2] == ["是"] else next((w for w in words[wh + 1:] if _is_content(w)), None)
        out.extend(w for w in (*before, after) if w)
    content = [w for w in words if _is_content(w)]
    if content and content[-1] not in out:
        out.append(content[-1])
    return tuple(out)


def _wh_index(words: list[str]) -> int | None:
    """Position of the question word, or of the noun standing for it (冠军 in 青湖杯冠军是哪个队)."""
    return next((i for i, w in enumerate(words)
                 if (w in QUESTION_WORDS and w not in _POLITE) or _HAS_WH.search(w)
                 or any(p.fullmatch(w) for _, p in _TYPE_CUES)), None)


def predicates(question: str, slots: tuple[str, ...]) -> tuple[str, ...]:
    """The slot words an answer must state: the verbs (主持, 设计, 增长: what the answer is doing, not
    just near) and a noun that names the answer (冠军 in 2023年青湖杯冠军是哪个队: a sentence on the
    tournament without 冠军 names a team, not the champion)."""
    verbs = {w for _, _, w, flag in tagged(key(question)) if flag.startswith("v")}
    words = tokens(question)
    wh = _wh_index(words)
    named = words[wh] if wh is not None and _is_content(words[wh]) else None
    return tuple(w for w in slots if w in verbs or w == named)


def analyse(question: str) -> Query:
    """Analyse a question into weighted terms (each word once), numbers, dates and answer type."""
    dates, rest = extract_dates(question)
    numbers = extract_numbers(rest)
    seen: dict[str, Term] = {}
    for w in content_words(rest):
        if w not in seen and not (w.isdigit() and w in numbers):
            seen[w] = Term(w, idf(w), tuple(_pieces(w)))
    slots = slot_terms(rest)
    asked = predicates(rest, slots)
    near = {w: near_verbs(w) for w in asked if near_verbs(w)}
    terms = tuple(dataclasses.replace(t, alts=near[t.word]) if t.word in near else t for t in seen.values())
    return Query(text=question, lang=detect_lang(question), terms=terms,
                 numbers=frozenset(numbers), dates=tuple(dates), qtype=question_type(question),
                 slots=slots, predicates=asked, alternatives=tuple(near.items()))


# 屈连武是什么职务 / 担任什么职务 / 的职务是什么 / 是谁 / 是什么人 / 是哪个单位的: a question about the person's post.
_POST_QUESTION = re.compile(r"^(?P<person>[" + HAN + r"·]{2,5}?)(?:现在|目前)?(?:"
                            r"(?:是|担任|任)?(?:什么|哪个|何)(?:职务|职位|职|头衔)"
                            r"|的?(?:职务|职位|头衔)(?:是什么|是)?"
                            r"|是谁|是什么人|是哪个单位的?|在哪个单位(?:工作|任职)?)[？?]?$")


def asked_person(query: Query) -> str:
    """The person a question asks the post of (屈连武是什么职务？, 屈连武是谁？ -> 屈连武), or '' (区长是谁？
    asks for a person by a post: ROLE_ENDS)."""
    m = _POST_QUESTION.match(key(query.text).strip())
    return m.group("person") if m and not m.group("person").endswith(tuple(ROLE_ENDS)) else ""
