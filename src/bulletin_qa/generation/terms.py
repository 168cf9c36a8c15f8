"""Question analysis: weighted query terms, question type, and names, using jieba offline.

Term weights are jieba's own IDF table (built from a large general Chinese corpus, shipped with
the package), so a question's terms are weighed against the language as a whole, not against the
handful of articles that happen to be retrieved: 克什米尔 (9.4) counts for more than 地区 (4.5).
Words missing from the table get its median IDF, as jieba's TF-IDF keyword extractor does.
# SEE: jieba/analyse/tfidf.py (IDFLoader, median_idf)
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bulletin_qa.generation.numerals import DateMention, extract_dates, extract_numbers
from bulletin_qa.generation.sentences import CJK, detect_lang

# Words that carry the question's form, not its content.
QUESTION_WORDS = frozenset(
    "谁 什么 哪些 哪个 哪位 哪里 哪儿 在哪 在哪里 何时 何地 何处 何人 什么时候 多少 几 几个 怎么 怎样 怎么样 如何 "
    "多大 多高 多长 多远 多重 多久 多少钱 "
    "为什么 为何 是否 是不是 有没有 吗 呢 么 哪 何 啥 请问 请 问 一下 告诉 知道 具体 "
    # Nouns naming the answer slot: the answer states a date or a count, not these words.
    "时间 时候 日期 地点 人数 数量 名字 名称 "
    "who whom whose what which when where why how many much does did do is are was were".split())
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 对 把 被 从 向 为 以 于 就 都 也 还 有 这 那 其 该 此 这个 那个 这些 那些 "
    "我 你 我们 你们 他 她 它 他们 她们 它们 之 所 而 并 及其 以及 一个 进行 有关 相关 关于 情况 方面 "
    "根据 资料 来源 文章 报道 新闻 提到 中 上 下 现在 目前 如今 当前 已经 一共 总共 大约 左右 "
    "the a an of in on at to for by with and or be been being it its this that these those "
    "he she they them their his her there about from as into than then so not no".split())
_HAS_WH = re.compile(r"哪|什么|谁|多少|何时|何地|^几.?$")  # jieba keeps 哪些地方, 什么样, 几块 as one word
_POLITE = frozenset("请问 请 问 一下 告诉 知道 具体".split())

# The kind of answer a question asks for, from its question word or, failing that, from the noun
# naming what is asked (冠军 is a name, 销量 a number). First match wins; order matters.
_TYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("when", re.compile(r"何时|什么时候|什么时间|哪天|哪一天|哪年|哪一年|几月|几号|哪个月|哪日|\bwhen\b|what (?:date|time|year|day)", re.I)),
    ("who", re.compile(r"谁|哪位|哪些人|什么人|何人|哪名|\bwho\b|\bwhom\b", re.I)),
    ("number", re.compile(r"多少|几[个名位项次人家天年条所场届批座块次种]?|人数|数量|比例|百分之|多大|多高|多长|多远|多重|多久|how (?:many|much|long|far|old)", re.I)),
    ("where", re.compile(r"哪里|哪儿|在哪|何地|何处|什么地方|哪个地方|地点|举办地|位于|\bwhere\b", re.I)),
    ("list", re.compile(r"哪些|有哪|\bwhich\b", re.I)),
    ("name", re.compile(r"叫什么|名字|名称|全称|口号|主题|哪部|哪个|哪家", re.I)),
    # Nouns that name the answer slot at the end of a question without a question word:
    # 宣誓仪式的时间, 2021赛季中超冠军, 2022年特斯拉交付量.
    ("when", re.compile(r"(?:时间|日期)(?:是)?[？?]?\s*$")),
    ("who", re.compile(r"(?:冠军|得主|主演|导演|编剧|旗手|火炬手|主教练|创始人|总统|总理|首相|行政长官|首席执行官|CEO|主席|负责人|指令长|嫌疑人|获得者)[？?]?\s*$", re.I)),
    ("number", re.compile(r"(?:量|率|票房|营收|收入|利润|产量|销量|总额|金额|价格|售价|点数|排名|规模|震级|数)[？?]?\s*$", re.I)),
    ("name", re.compile(r"(?:国家|城市|公司|球队|队|机构|单位|电影|歌曲|作品)[？?]?\s*$", re.I)),
]
# Content words before the question word that count as answer-slot words (增长目标是多少 -> 目标).
BEFORE_SLOTS = 1
NAME_TAGS = frozenset({"nr", "nt", "ns"})
_QUOTED = re.compile(r"“([^”]{2,40})”|《([^》]{1,40})》|「([^」]{2,40})」|『([^』]{2,40})』|\"([^\"]{2,40})\"")


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    """jieba with its logger quietened (it prints 'Building prefix dict' on first use)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median (the weight of unknown words)."""
    _jieba()
    from jieba.analyse import default_tfidf

    return default_tfidf.idf_freq, default_tfidf.median_idf


def idf(word: str) -> float:
    """Background IDF of a word (median IDF when jieba's table does not have it)."""
    table, median = _idf()
    return table.get(word.lower(), median)


def key(text: str) -> str:
    """Comparison key: full-width letters/digits folded, lower case, 至 as 到, no spaces next to Chinese."""
    # 降至/降到, 持续至/持续到: one verb complement, written two ways.
    text = unicodedata.normalize("NFKC", text).lower().replace("至", "到")
    return re.sub(rf"(?<=[{CJK}\d])\s+|\s+(?=[{CJK}\d])", "", text)


# jieba glues a question word's 是 onto the word before it (总营收是多少 -> 总营, 收是, 多少), so text
# is cut before (是|为)多少 / 什么 / 谁 / 哪… and the question word is segmented on its own.
_WH_CUT = re.compile(r"(?=[是为]?(?:多少|什么|谁|哪))")


def tokens(text: str) -> list[str]:
    """jieba's precise-mode words of `text` (whitespace and punctuation dropped)."""
    return [w for part in _WH_CUT.split(key(text)) if part
            for w in _jieba().lcut(part) if re.search(r"\w", w)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stop words, question words, single Chinese characters or numbers."""
    out = []
    for w in tokens(text):
        if w in STOPWORDS or w in QUESTION_WORDS or re.fullmatch(r"[\d.,%]+", w) or _HAS_WH.search(w):
            continue
        if len(w) == 1 and re.match(f"[{CJK}]", w):
            continue  # 会, 房, 区: too common as substrings to mean anything alone
        out.append(w)
    return out


def lcut_for_search(word: str) -> list[str]:
    """jieba's search-mode parts of a word (人民医院院长 -> 人民, 医院, 院长, 人民医院, ...)."""
    return list(_jieba().lcut_for_search(word))


def _pieces(word: str) -> list[str]:
    """Two-character-plus parts of a long word (克什米尔地区 -> 克什, 米尔, 地区), for partial matches."""
    if len(word) < 3 or not re.match(f"[{CJK}]", word):
        return []
    return [p for p in _jieba().lcut_for_search(word) if len(p) >= 2 and p != word and p not in STOPWORDS]


@dataclass(frozen=True)
class Term:
    """A query term, its weight and its parts (for partial matches of long compounds)."""

    word: str
    weight: float
    pieces: tuple[str, ...] = ()

    def credit(self, text_key: str) -> float:
        """1 when the word occurs in the text; else 0.9 x the share of its characters found as parts.

        小学校长 against 小学…校长: parts 小学 and 校长 cover all four characters -> 0.9.
        """
        if self.word in text_key:
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
    def of(cls, text: str, extra_dates: tuple[DateMention, ...] = ()) -> "Facts":
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
    """The kind of answer a question asks for: who, when, where, number, list, or None."""
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
    return Query(text=question, lang=detect_lang(question), terms=tuple(seen.values()),
                 numbers=frozenset(numbers), dates=tuple(dates), qtype=question_type(question),
                 slots=slots, predicates=predicates(rest, slots))


def names(text: str) -> set[str]:
    """Quoted titles (“…”, 《…》) and person, organisation and place names (jieba nr/nt/ns)."""
    found = {next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)}
    _jieba()
    import jieba.posseg as pseg

    for pair in pseg.lcut(text):
        if pair.flag in NAME_TAGS and len(pair.word) >= 2 and re.search(f"[{CJK}]", pair.word):
            found.add(pair.word)
    return found


def person_names(text: str) -> list[str]:
    """Person names (jieba nr) in order of appearance, without repeats."""
    _jieba()
    import jieba.posseg as pseg

    out: list[str] = []
    for pair in pseg.lcut(text):
        if pair.flag == "nr" and len(pair.word) >= 2 and pair.word not in out:
            out.append(pair.word)
    return out


def tagged(text: str) -> list[tuple[int, int, str, str]]:
    """jieba part-of-speech words of `text` with their character spans: (start, end, word, flag)."""
    _jieba()
    import jieba.posseg as pseg

    out, pos = [], 0
    for pair in pseg.lcut(text):
        start = text.find(pair.word, pos)
        if start < 0:
            continue
        pos = start + len(pair.word)
        out.append((start, pos, pair.word, pair.flag))
    return out
