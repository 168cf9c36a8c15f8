"""Qualifiers: what a question pins its answer to, and whether a text speaks of that same thing.

A distractor passage is usually on the question's topic and misses or contradicts one qualifier:
the year (2022年澳网 asked, a 2021 final reported), the ordinal (第七届立法会, 第十三届), the exact
entity (上海 asked, 洛杉矶's GDP stated; 罗伯小学 asked, 桑迪·胡克小学 reported). IDF-weighted
coverage (question.Query.coverage) counts such a word like any other, and a common one (上海, 北京)
weighs little. The one home of a question's qualifiers, read by two users:

    qualifiers         years, full dates, names (jieba nr/ns/nt/nz, Latin words such as MU5735, bodies
                       such as 第二实验小学), quoted titles and ordinals (第七届; with bare=True also
                       十三届) of a question
    the offline answerer's features (features.py, bare ordinals):
    missing_share      the share of them a text lacks (sentence, window, whole article)
    ordinal_conflict   the text states another ordinal of the same counter (第六任 for 第七任)
    swapped            a question name is absent while the text holds another name of its kind
                       (a place for a place: 洛杉矶 for 上海; a body for a body: 清川大学 for
                       第二实验小学, items.bodies)
    the answer check (answering/asked.py, ordinals with 第 only): `proper` names and titles must be
    in the cited source, years, dates and ordinals beside the answering sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from bulletin_qa.answering.extractive.items import asked_years, bodies
from bulletin_qa.answering.question import Query
from bulletin_qa.text.chars import HAN, HAN_RE
from bulletin_qa.text.numerals import DateMention, Ordinal, ordinals
from bulletin_qa.text.words import NAME_TAGS, key, quoted, tagged

# jieba tags that name something: people, places, organisations, other proper nouns, foreign words.
_NAME_FLAGS = ("nr", "ns", "nt", "nz", "eng")
# Latin words too generic to qualify anything (GDP, CEO).
_GENERIC_LATIN = frozenset("gdp cpi ceo app vs ai".split())
# Bodies a question names as its subject: not 政府 (美国政府 is the country, jieba's place already).
_QUALIFYING_BODIES = ("有限公司", "公司", "集团", "大学", "学院", "小学", "中学", "学校", "幼儿园", "医院", "银行",
                      "研究所", "研究院")
# The kinds of names a swap is looked for in: a place stands for a place, a person for a person.
# "body" is our tag for a body read by _bodies_named (jieba cuts 第二实验小学 into common words); the
# answer check's `proper` names (jieba nr/nt/ns) leave it out.
_KIND = {"nr": "person", "nrt": "person", "nrfg": "person", "ns": "place", "nt": "org", "nz": "other",
         "body": "org"}


class Name(NamedTuple):
    """A name a question states, with its jieba tag (nr, ns, nt, nz, eng, ...)."""

    word: str
    flag: str

    @property
    def kind(self) -> str:
        """person, place, org or other: the kind of name that could stand in for this one."""
        return _KIND.get(self.flag, "other")


@dataclass(frozen=True)
class Qualifiers:
    """What a question pins its answer to: years, full dates, names, quoted titles and ordinals.

    `bare` says how ordinals are read, in the question and in every text it is compared with
    (text.numerals.ordinals)."""

    names: tuple[Name, ...]
    titles: tuple[str, ...]
    ordinals: tuple[Ordinal, ...]
    bare: bool = False
    years: frozenset[int] = frozenset()
    dates: tuple[DateMention, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """Every name and title as text to look for."""
        return (*(n.word for n in self.names), *self.titles)

    @property
    def proper(self) -> tuple[str, ...]:
        """The titles and the people, places and organisations (jieba nr/ns/nt, Chinese), sorted."""
        found = {n.word for n in self.names if n.flag in NAME_TAGS and re.search(f"[{HAN}]", n.word)}
        return tuple(sorted(found | set(self.titles)))

    def ordinals_in(self, text_key: str) -> set[Ordinal]:
        """The ordinals `text_key` states, read as the question's are."""
        return ordinals(text_key, bare=self.bare)

    def __bool__(self) -> bool:
        return bool(self.names or self.titles or self.ordinals)


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
def _named(question: str, bare: bool) -> tuple[tuple[Name, ...], tuple[str, ...], tuple[Ordinal, ...]]:
    """The names, quoted titles and ordinals of a question; a name or title holding an ordinal is
    left to the ordinal (第七届立法会 is 第7届立法会 too)."""
    text = key(question)
    titles = tuple(t for t in quoted(text) if not ordinals(t, bare))
    names = [Name(word, "body") for word in _bodies_named(text)]
    for _, _, word, flag in tagged(text):
        if not flag.startswith(_NAME_FLAGS) or len(word) < 2 or word in _GENERIC_LATIN:
            continue
        if flag == "eng" and not re.search(r"\d|[a-z]{3,}", word):
            continue
        if any(word in t for t in titles) or word in (n.word for n in names) or ordinals(word, bare):
            continue
        names.append(Name(word, flag))
    return tuple(dict.fromkeys(names)), titles, tuple(sorted(ordinals(text, bare)))


def qualifiers(query: Query, bare: bool = False) -> Qualifiers:
    """The question's years, dates with a month, names, quoted titles and ordinals (`bare`: read
    without 第 too, as the offline answerer's features do)."""
    names, titles, found = _named(query.text, bare)
    return Qualifiers(names, titles, found, bare, frozenset(asked_years(query)),
                      tuple(d for d in query.dates if d.month is not None))


# How a district paper refers to its own district without naming it (全区, 区委书记, 区政府).
_OWN_DISTRICT = re.compile(r"全区|本区|区委|区政府|区人大|区政协|区长|区领导")


def own_districts(q: Qualifiers, question_key: str, article_key: str, page_keys: list[str]) -> tuple[str, ...]:
    """The districts the question names (河湾 of 河湾区) that an article of that district's own paper
    states as 全区 or 区委: it never names the district, refers to its own one bare, and another
    article of the same page (`page_keys`) names it. A district paper names its district seldom."""
    if not _OWN_DISTRICT.search(article_key):
        return ()
    return tuple(n.word for n in q.names
                 if n.kind == "place" and re.search(re.escape(n.word) + "[区县]", question_key)
                 and n.word not in article_key and any(n.word in k for k in page_keys))


def without(q: Qualifiers, words: tuple[str, ...]) -> Qualifiers:
    """These qualifiers less the names `words` (stated otherwise: own_districts)."""
    return replace(q, names=tuple(n for n in q.names if n.word not in words)) if words else q


def missing_share(q: Qualifiers, text_key: str) -> float:
    """The share of the question's qualifiers that `text_key` lacks (0 when it has none)."""
    total = len(q.names) + len(q.titles) + len(q.ordinals)
    if not total:
        return 0.0
    stated = q.ordinals_in(text_key)
    absent = sum(w not in text_key for w in q.words)
    absent += sum(o not in stated for o in q.ordinals)
    return absent / total


def ordinal_conflict(q: Qualifiers, text_key: str) -> float:
    """1 when the text states an ordinal of a question's counter, but never the question's number."""
    if not q.ordinals:
        return 0.0
    stated = q.ordinals_in(text_key)
    for value, counter in q.ordinals:
        same = {v for v, c in stated if c == counter}
        if same and value not in same:
            return 1.0
    return 0.0


def swapped(q: Qualifiers, text_key: str, tags: list[tuple[int, int, str, str]] | None = None) -> float:
    """1 when a question name is absent from the text while the text holds another name of its kind.

    `tags` is tagged(text_key) when already computed; it is computed only when a name is missing."""
    absent = [n.kind for n in q.names if n.word not in text_key]
    if not absent:
        return 0.0
    tags = tagged(text_key) if tags is None else tags
    kinds = {_KIND.get(f, "") for _, _, w, f in tags if len(w) >= 2}
    if "org" in absent and bodies(text_key):
        kinds.add("org")  # 清川大学校长 where 第二实验小学校长 was asked
    return float(any(kind in ("person", "place", "org") and kind in kinds for kind in absent))

