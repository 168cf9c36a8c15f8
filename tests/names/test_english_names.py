"""The English name check accepts exactly the glossary/pinyin rendering of a source's people and titles."""

from __future__ import annotations

import datetime as dt

import pytest

from answering.helpers import hits
from bulletin_qa.answering.citations import check_answer
from bulletin_qa.answering.sources import build_sources
from bulletin_qa.models import Article
from bulletin_qa.names.glossary import parse_glossary

# Our own text over the real page's officials (names and titles are facts).
SAFETY = Article(
    id="n-01", title="区领导督导安全生产工作", date=dt.date(2023, 5, 5), source="n.txt", position=1,
    text="近日，二七区委副书记、区长虎荣鑫带队督导安全生产工作，区领导屈连武、曹宪武陪同。"
         "虎荣鑫强调，要时刻紧绷安全生产这根弦。",
)
CONGRESS = Article(
    id="n-02", title="人大代表视察安置房建设", date=dt.date(2023, 5, 6), source="n.txt", position=2,
    text="区人大常委会主任吕安民强调，要提高站位，持续发力。",
)


def _sources():  # type: ignore[no-untyped-def]
    return build_sources(hits(SAFETY, CONGRESS))


@pytest.mark.parametrize(("sentence", "problem"), [
    ("District Mayor Hu Rongxin led the inspection [1].", None),
    ("Hu Rongxin stressed work safety [1].", None),  # a later mention, no title next to it
    ("Hu stressed work safety [1].", None),  # the surname alone: a second reference
    ("Qu Lianwu and Cao Xianwu accompanied him [1].", None),  # names listed after 区领导
    ("Deputy Secretary of the District CPC Committee Hu Rongxin led it [1].", None),  # standard title, no glossary
    ("Hu Renxin led the inspection [1].", "Hu Renxin"),
    ("Rong Xin led the inspection [1].", "Rong Xin"),  # jieba's cut: the given name, split
    ("Rongxin Hu led the inspection [1].", "Rongxin"),  # given name first is not the rendering
    ("Zhang Changwu accompanied him [1].", "Zhang Changwu"),  # not 曹宪武's rendering
    ("Lyu Anmin urged more effort [2].", None),  # ü written yu: the convention
    ("Lu Anmin urged more effort [2].", "Lu Anmin"),
    ("Lü Anmin urged more effort [2].", "Lü Anmin"),
    ("Director of the Standing Committee of the District People's Congress Lyu Anmin spoke [2].", None),
    # another source's official and title
    ("Director of the Standing Committee of the District People's Congress Lyu Anmin spoke [1].",
     "Director of the Standing Committee of the District People's Congress"),
    ("Lyu Anmin spoke [1].", "Lyu Anmin"),
])
def test_english_check_accepts_exactly_the_rendering(sentence: str, problem: str | None) -> None:
    (check,) = check_answer(sentence, _sources(), "en", glossary=parse_glossary("")).sentences
    if problem is None:
        assert check.supported, check.problems
    else:
        assert any(f"“{problem}”" in p for p in check.problems), check.problems


def test_the_glossary_rendering_wins_over_pinyin() -> None:
    glossary = parse_glossary('[people]\n"虎荣鑫" = "Hu Rong-xin"\n')
    (ok,) = check_answer("Hu Rong-xin led it [1].", _sources(), "en", glossary=glossary).sentences
    assert ok.supported, ok.problems
