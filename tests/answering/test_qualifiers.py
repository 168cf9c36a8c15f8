"""Qualifier agreement features (answering/extractive/qualifiers.py): our own questions and sentences."""

from __future__ import annotations

import pytest

from bulletin_qa.answering.extractive.qualifiers import missing_share, ordinal_conflict, qualifiers, swapped
from bulletin_qa.answering.question import analyse
from bulletin_qa.text.words import key, quoted


@pytest.mark.parametrize(("question", "words", "n_ordinals"), [
    ("上海2021年的GDP是多少", ("上海",), 0),                 # GDP is too generic to qualify anything
    ("香港第七届立法会选举有多少个议席？", ("香港",), 1),
    ("《青湖故事》的导演是谁？", ("青湖故事",), 0),             # a quoted title
    ("MU5735航班坠毁地点在哪里", ("mu5735",), 0),              # a code names one flight
    ("「青湖故事」的导演是谁？", ("青湖故事",), 0),             # was: only “” and 《》 quoted a title here
    ("十三届全国人大一次会议在哪里召开？", ("全国人大",), 2),     # bare ordinals: 十三届, 一次
    ("“第二届青湖读书节”在哪里举办？", ("青湖",), 1),          # was: the title too; its ordinal stands for it
    ("第二实验小学校长是谁？", ("第二实验小学",), 0),           # a body jieba cuts into 第二 + 实验 + 小学校长
    ("冰雕由哪家公司制作？", (), 0),                           # the kind asked for names no body
])
def test_qualifiers(question: str, words: tuple[str, ...], n_ordinals: int) -> None:
    q = qualifiers(analyse(question), bare=True)
    assert q.words == words and len(q.ordinals) == n_ordinals


@pytest.mark.parametrize(("question", "text", "missing", "conflict", "swap"), [
    # the asked ordinal and place stated: nothing missing
    ("香港第七届立法会选举有多少个议席？", "香港第七届立法会选举共有90个议席。", 0.0, 0.0, 0.0),
    # another ordinal of the same counter: the place is stated, the ordinal is not and contradicts
    ("香港第七届立法会选举有多少个议席？", "香港第六届立法会选举共有70个议席。", 0.5, 1.0, 0.0),
    # another city's GDP: the asked city is missing and another place stands in its stead
    ("上海2021年的GDP是多少", "洛杉矶2021年GDP超8000亿美元。", 1.0, 0.0, 1.0),
    # the city is missing, but nothing stands in for it
    ("上海2021年的GDP是多少", "2021年GDP超过4万亿元。", 1.0, 0.0, 0.0),
    # another school's head: the asked school is missing and another body stands in its stead
    ("第二实验小学校长是谁？", "区委书记周明远、清川大学校长梁启明出席签约仪式。", 1.0, 0.0, 1.0),
    ("第二实验小学校长是谁？", "青湖区第二实验小学校长陈明远介绍了新校区。", 0.0, 0.0, 0.0),
    # a question without qualifiers misses nothing
    ("会议什么时候召开？", "会议7月8日召开。", 0.0, 0.0, 0.0),
])
def test_missing_conflict_and_swap(question: str, text: str, missing: float, conflict: float, swap: float) -> None:
    q, text_key = qualifiers(analyse(question), bare=True), key(text)
    assert (missing_share(q, text_key), ordinal_conflict(q, text_key), swapped(q, text_key)) == (missing, conflict, swap)


@pytest.mark.parametrize(("text", "found"), [
    ("《青湖故事》和“双轮驱动”", ["青湖故事", "双轮驱动"]),
    ("「青湖故事」与『山海』", ["青湖故事", "山海"]),
    ('他说"青湖之夜"很美', ["青湖之夜"]),
    ("“一”字和《》", []),  # too short to be a title
])
def test_quoted(text: str, found: list[str]) -> None:
    assert quoted(text) == found


@pytest.mark.parametrize(("question", "article", "page", "own"), [
    # a district paper's article writes 全区; another article of its page names 河湾区 (jieba reads 河湾|区;
    # 青湖区 it cuts 青|湖区)
    ("河湾区老年食堂每天服务多少名老人？", "全区共有老年食堂35家，每天为4200余名老人服务。", ["河湾区召开养老工作会"], ("河湾",)),
    ("河湾区老年食堂每天服务多少名老人？", "区委书记周明远强调要办好老年食堂。", ["河湾区召开养老工作会"], ("河湾",)),
    # nothing on the page names the district: the article may be another district's
    ("河湾区老年食堂每天服务多少名老人？", "全区共有老年食堂35家。", ["柳荫区召开养老工作会"], ()),
    # the article does not refer to a district of its own (no 全区, 区委 ...)
    ("河湾区老年食堂每天服务多少名老人？", "老年食堂35家，每天服务4200余名老人。", ["河湾区召开养老工作会"], ()),
    # a city is no district; a place the article names itself needs no standing in
    ("河湾市老年食堂每天服务多少名老人？", "全区共有老年食堂35家。", ["河湾市召开养老工作会"], ()),
    ("河湾区老年食堂每天服务多少名老人？", "河湾区全区共有老年食堂35家。", ["河湾区召开养老工作会"], ()),
])
def test_own_districts(question: str, article: str, page: list[str], own: tuple[str, ...]) -> None:
    from bulletin_qa.answering.extractive.qualifiers import own_districts

    q = qualifiers(analyse(question), bare=True)
    assert own_districts(q, key(question), key(article), [key(p) for p in page]) == own
