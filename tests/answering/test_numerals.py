"""Chinese and Arabic numerals and dates read as values: 十二 == 12, 五月六日 == 5月6日."""

from __future__ import annotations

import pytest

from bulletin_qa.text.numerals import DateMention, cn_to_int, extract_dates, extract_numbers


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
