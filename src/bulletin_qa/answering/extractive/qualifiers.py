"""Qualifier agreement: does a sentence (and its article) speak of the thing the question qualifies?

A distractor passage is usually on the question's topic and misses or contradicts one qualifier:
the year (2022年澳网 asked, a 2021 final reported), the ordinal (第七届立法会, 第十三届), the exact
entity (上海 asked, 洛杉矶's GDP stated; 罗伯小学 asked, 桑迪·胡克小学 reported). IDF-weighted
coverage (question.Query.coverage) counts such a word like any other, and a common one (上海, 北京)
weighs little; these features single the qualifiers out:

    qualifiers_of      names (jieba nr/ns/nt/nz, Latin words such as MU5735, bodies such as 第二实验小学), quoted titles and
                       ordinals (第七届, 十三届) the question states
    missing_share      the share of them a text lacks (sentence, window, whole article)
    ordinal_conflict   the text states another ordinal of the same counter (第六任 for 第七任)
    swapped            a question name is absent while the text holds another name of its kind
                       (a place for a place: 洛杉矶 for 上海; a body for a body: 清川大学 for
                       第二实验小学, items.bodies)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bulletin_qa.answering.extractive.items import bodies
from bulletin_qa.text.chars import HAN_RE
from bulletin_qa.text.numerals import cn_to_int
from bulletin_qa.text.words import key, tagged

# jieba tags that name something: people, places, organisations, other proper nouns, foreign words.
_NAME_FLAGS = ("nr", "ns", "nt", "nz", "eng")
# Latin words too generic to qualify anything (GDP, CEO).
_GENERIC_LATIN = frozenset("gdp cpi ceo app vs ai".split())
_ORDINAL = re.compile(r"(第?)([零〇一二两三四五六七八九十百\d]+)(届|任|艘|次|号|期|轮|批|代|季|艘|阶段)")
_QUOTED = re.compile(r"《([^》]{1,40})》|“([^”]{2,40})”")
# The kinds of names a swap is looked for in: a place stands for a place, a person for a person.
# Bodies a question names as its subject: not 政府 (美国政府 is the country, jieba's place already).
_QUALIFYING_BODIES = ("有限公司", "公司", "集团", "大学", "学院", "小学", "中学", "学校", "幼儿园", "医院", "银行",
                      "研究所", "研究院")
_KIND = {"nr": "person", "nrt": "person", "nrfg": "person", "ns": "place", "nt": "org", "nz": "other"}


@dataclass(frozen=True)
class Qualifiers:
    """What a question qualifies its subject with: names (word, kind), titles and ordinals (counter, number)."""

    names: tuple[tuple[str, str], ...]
    titles: tuple[str, ...]
    ordinals: tuple[tuple[str, int], ...]

    @property
    def words(self) -> tuple[str, ...]:
        """Every qualifier as text to look for."""
        return (*(w for w, _ in self.names), *self.titles)

    def __bool__(self) -> bool:
        return bool(self.names or self.titles or self.ordinals)


def ordinals(text: str) -> set[tuple[str, int]]:
    """The ordinals a text states, as (counter, number): 第七届 -> (届, 7), 十三届五次 -> (届, 13), (次, 5)."""
    out = set()
    for m in _ORDINAL.finditer(text):
        digits = m.group(2)
        value = int(digits) if digits.isdigit() else cn_to_int(digits)
        if value is not None:
            out.add((m.group(3), value))
    return out


def _bodies_named(text: str) -> list[str]:
    """The schools, hospitals, companies and banks a question names as its subject (第二实验小学 of
    第二实验小学校长是谁, which jieba cuts into common words): a body opening the question or a clause,
    with no verb in it (not 证监会支持上市公司, 两家公司 of 美国与哪两家公司)."""
    out = []
    for a, _, found in bodies(text, _QUALIFYING_BODIES):
        if a and HAN_RE.match(text[a - 1]):
            continue
        dated = a and text[a - 1].isdigit() and found[0] in "年月日号"
        word = found[1:] if dated else found  # 2022年|特斯拉公司
        if not any(flag == "v" for _, _, _, flag in tagged(word)):
            out.append(word)
    return out


@lru_cache(maxsize=256)
def qualifiers_of(question: str) -> Qualifiers:
    """The question's names, quoted titles and ordinals."""
    text = key(question)
    titles = tuple(next(g for g in m.groups() if g) for m in _QUOTED.finditer(text))
    names = [(word, "org") for word in _bodies_named(text)]
    for _, _, word, flag in tagged(text):
        if not flag.startswith(_NAME_FLAGS) or len(word) < 2 or word in _GENERIC_LATIN:
            continue
        if flag == "eng" and not re.search(r"\d|[a-z]{3,}", word):
            continue
        if any(word in t for t in titles) or any(word in w for w, _ in names):
            continue
        names.append((word, _KIND.get(flag, "other")))
    return Qualifiers(tuple(dict.fromkeys(names)), titles, tuple(sorted(ordinals(text))))


def missing_share(q: Qualifiers, text_key: str) -> float:
    """The share of the question's qualifiers that `text_key` lacks (0 when it has none)."""
    total = len(q.names) + len(q.titles) + len(q.ordinals)
    if not total:
        return 0.0
    stated = ordinals(text_key)
    absent = sum(w not in text_key for w in q.words)
    absent += sum(o not in stated for o in q.ordinals)
    return absent / total


def ordinal_conflict(q: Qualifiers, text_key: str) -> float:
    """1 when the text states an ordinal of a question's counter, but never the question's number."""
    if not q.ordinals:
        return 0.0
    stated = ordinals(text_key)
    for counter, value in q.ordinals:
        same = {v for c, v in stated if c == counter}
        if same and value not in same:
            return 1.0
    return 0.0


def swapped(q: Qualifiers, text_key: str, tags: list[tuple[int, int, str, str]] | None = None) -> float:
    """1 when a question name is absent from the text while the text holds another name of its kind.

    `tags` is tagged(text_key) when already computed; it is computed only when a name is missing."""
    absent = [(w, kind) for w, kind in q.names if w not in text_key]
    if not absent:
        return 0.0
    tags = tagged(text_key) if tags is None else tags
    kinds = {_KIND.get(f, "") for _, _, w, f in tags if len(w) >= 2}
    if any(kind == "org" for _, kind in absent) and bodies(text_key):
        kinds.add("org")  # 清川大学校长 where 第二实验小学校长 was asked
    return float(any(kind in ("person", "place", "org") and kind in kinds for _, kind in absent))

