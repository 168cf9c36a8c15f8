"""Chinese and Arabic numerals and dates read as values: 十二 == 12, 五月六日 == 5月6日."""

from __future__ import annotations

import pytest

from bulletin_qa.text.numerals import DateMention, Ordinal, cn_to_int, extract_dates, extract_numbers, ordinals


@pytest.mark.parametrize(("text", "value"), [
    ("十二", 12), ("十", 10), ("二十八", 28), ("一百零五", 105), ("两千", 2000), ("三万五千", 35000),
    ("一亿二千万", 120_000_000), ("二〇二三", 2023), ("万一", None), ("", None), ("十二a", None),
])
def test_cn_to_int(text: str, value: int | None) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(("text", "numbers"), [
    ("共设置12个科目", {"12"}),
    ("共设置十二个科目", {"12"}),
    ("4.98万美元", {"49800"}),
    ("增长6.4%，百分之十二点五", {"6.4", "12.5"}),
    ("1,000人参加", {"1000"}),
    ("三万五千元", {"35000"}),
    ("招商公园1872项目", {"1872"}),
    # Words, not quantities: a lone numeral without a measure word, 十分 = "very", 千万 = "by all means".
    ("一岗双责 二七区 一要坚持 十分重要 千万注意", set()),
    # Dates are dates, not numbers.
    ("5月6日召开", set()),
])
def test_extract_numbers(text: str, numbers: set[str]) -> None:
    assert extract_numbers(text) == numbers


@pytest.mark.parametrize(("text", "dates"), [
    ("本报讯 5月 6日，二七区召开", [DateMention(None, 5, 6)]),
    ("二〇二三年五月六日", [DateMention(2023, 5, 6)]),
    ("3月28日至4月26日", [DateMention(None, 3, 28), DateMention(None, 4, 26)]),
    ("2023-05-06", [DateMention(2023, 5, 6)]),
    ("May 6, 2023", [DateMention(2023, 5, 6)]),
    ("6 May 2023", [DateMention(2023, 5, 6)]),
    ("in May 2023", [DateMention(2023, 5, None)]),
    ("2023年春季", [DateMention(2023, None, None)]),
    ("二十八日", [DateMention(None, None, 28)]),
    ("三个月", []),
])
def test_extract_dates(text: str, dates: list[DateMention]) -> None:
    assert sorted(extract_dates(text)[0], key=str) == sorted(dates, key=str)


@pytest.mark.parametrize(("stated", "source", "year", "matches"), [
    (DateMention(None, 5, 6), DateMention(2023, 5, 6), None, True),
    (DateMention(2023, 5, 6), DateMention(None, 5, 6), 2023, True),   # year from the article
    (DateMention(2024, 5, 6), DateMention(None, 5, 6), 2023, False),
    (DateMention(None, 5, 7), DateMention(2023, 5, 6), None, False),
    (DateMention(2023, None, None), DateMention(2023, 5, 6), None, True),
])
def test_date_matches(stated: DateMention, source: DateMention, year: int | None, matches: bool) -> None:
    assert stated.matches(source, year) is matches


# The answer check reads ordinals written with 第 only (bare=False), the offline answerer's features
# also bare ones (十三届). Rows marked "was" differed between the two earlier copies of this function.
@pytest.mark.parametrize(("text", "marked", "bare"), [
    ("青湖区第七届运动会", {(7, "届")}, {(7, "届")}),
    ("第7届立法会", {(7, "届")}, {(7, "届")}),
    ("第九十四届奥斯卡", {(94, "届")}, {(94, "届")}),
    ("第三艘核潜艇和第2次会议", {(3, "艘"), (2, "次")}, {(3, "艘"), (2, "次")}),
    ("第一季度", {(1, "季")}, {(1, "季")}),
    ("第31任区长", {(31, "任")}, {(31, "任")}),
    ("政协青湖区十三届五次会议", set(), {(13, "届"), (5, "次")}),  # no 第: the one parameter
    ("新一届立法会", set(), {(1, "届")}),                          # bare reads 新一届 as 1 (features' noise)
    ("第3场比赛", {(3, "场")}, {(3, "场")}),                       # was: the features had no 场
    ("第三代核电和第二阶段", {(3, "代"), (2, "阶段")}, {(3, "代"), (2, "阶段")}),  # was: the check had no 代, 阶段
    ("三千次和2万次", set(), set()),                                # counts, not ordinals
    ("第一名和第二", set(), set()),                                 # a rank and "second": no counter
    ("青湖区运动会", set(), set()),
])
def test_ordinals(text: str, marked: set[tuple[int, str]], bare: set[tuple[int, str]]) -> None:
    assert (ordinals(text), ordinals(text, bare=True)) == (marked, bare)


@pytest.mark.parametrize(("ordinal", "shown"), [(Ordinal(7, "届"), "第7届"), (Ordinal(2, "阶段"), "第2阶段")])
def test_ordinal_is_shown_with_di(ordinal: Ordinal, shown: str) -> None:
    assert str(ordinal) == shown
