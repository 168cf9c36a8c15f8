"""English checks of summaries and translations against their Chinese source (issue #12 findings)."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin_qa.models import Article
from bulletin_qa.names.glossary import parse_glossary
from bulletin_qa.writing.english_checks import check_english, chinese_findings, date_findings, glossary_findings

GLOSSARY = parse_glossary('[places]\n"二七区" = "Erqi District"\n"二七广场" = "Erqi Square"\n'
                          '[titles]\n"副区长" = "Deputy District Mayor"\n"区长" = "District Mayor"\n'
                          '[institutions]\n"区人大常委会" = "Standing Committee of the District People\'s Congress"\n')
SOURCE = "本报讯 5月4日，二七区召开产业转型升级推进会，区长曹宪武、副区长虎荣鑫出席。会议确定了12个重点项目。"
ARTICLE = Article(id="p-01", title="二七区召开推进会", text=SOURCE, date=dt.date(2023, 5, 4), source="p.txt", position=1)


@pytest.mark.parametrize(("output", "flagged"), [
    ("On May 4, Erqi District held a meeting.", False),
    ("On 4 May 2023, Erqi District held a meeting.", False),
    ("On June 4, Erqi District held a meeting.", True),        # the issue's "June 4" for 5月4日
    ("On May 5, Erqi District held a meeting.", True),
    ("On May 4, 2022, Erqi District held a meeting.", True),   # year differs from the article's
    ("In May 2023 the district held a meeting.", False),
    ("The meeting was held in 2023.", False),   # a bare year is a number: text.numbers checks it
])
def test_dates_must_be_the_sources(output: str, flagged: bool) -> None:
    assert bool(date_findings(SOURCE, output, dt.date(2023, 5, 4))) is flagged


def test_leftover_chinese_is_listed_once_per_phrase() -> None:
    found = chinese_findings("The district promoted 产业转型升级 and 产业转型升级, with 12 key projects (重点项目).")
    assert [f.message for f in found] == ["Chinese left in the English: 产业转型升级",
                                          "Chinese left in the English: 重点项目"]
    assert chinese_findings("Erqi District held a meeting.") == []


@pytest.mark.parametrize(("output", "flagged"), [
    ("The 27th District held a meeting.", True),            # the issue's word-by-word 二七区
    ("The Twenty-Seven District held a meeting.", True),
    ("Erqi District held a meeting.", False),
    ("The district held a meeting.", False),                 # no name at all: nothing to compare
])
def test_glossary_place_rendered_as_another_phrase_is_flagged(output: str, flagged: bool) -> None:
    found = glossary_findings(SOURCE, output, GLOSSARY)
    assert bool(found) is flagged
    if flagged:
        assert "二七区" in found[0].message and "Erqi District" in found[0].message


@pytest.mark.parametrize(("output", "names"), [
    ("District Mayor Cao Xianwu attended.", []),
    # 虎荣鑫 misspelt. (Even "Hu Rongxin" is flagged today: jieba does not tag 虎荣鑫 as a person;
    # person-name rendering belongs to names/, issue #13.)
    ("Deputy District Mayor Hu Renxin attended.", ["Renxin"]),
    ("District Mayor Zhang Changwu attended.", ["Zhang Changwu"]),       # 曹宪武, invented
])
def test_names_without_a_counterpart_in_the_source_are_flagged(output: str, names: list[str]) -> None:
    found = [f for f in check_english(SOURCE, output, glossary=GLOSSARY, article=ARTICLE) if f.kind == "name"]
    assert [n for n in names if any(n in f.message for f in found)] == names
    assert bool(found) is bool(names)


def test_check_english_reports_every_kind_for_the_issues_summary() -> None:
    summary = "On June 4, The 27th District held a meeting on 产业转型升级."
    kinds = {f.kind for f in check_english(SOURCE, summary, glossary=GLOSSARY, article=ARTICLE,
                                           source_date=dt.date(2023, 5, 4))}
    assert kinds == {"date", "chinese", "glossary"}
