"""Page dates and article dates (rules in bulletin_qa/reading/dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin_qa.reading.datelines import parse_dateline
from bulletin_qa.reading.dates import PageDate, article_date, date_from_name, page_date, year_in_text

D = dt.date


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hewan-2024-03-15.txt", PageDate(2024, 3, D(2024, 3, 15), True)),
        ("2023-05-06.txt", PageDate(2023, 5, D(2023, 5, 6), True)),
        ("20240315.txt", PageDate(2024, 3, D(2024, 3, 15), True)),
        ("erqi-2023-05.txt", PageDate(2023, 5)),
        ("bulletin_2022.txt", PageDate(2022)),
        ("page-2024-02-30.txt", PageDate(2024, 2)),  # no such day: year and month only
        ("page.txt", PageDate()),
        ("scan-12345678.txt", PageDate()),
    ],
)
def test_date_from_name(name: str, expected: PageDate) -> None:
    assert date_from_name(name) == expected


def _datelines(*paragraphs: str):
    return [parse_dateline(p) for p in paragraphs]


@pytest.mark.parametrize(
    ("given", "name", "text", "paragraphs", "expected"),
    [
        # The caller's date wins over everything.
        (D(2024, 1, 2), "erqi-2023-05.txt", "", ["本报讯 5月6日，"], PageDate(2024, 1, D(2024, 1, 2), True)),
        # Year and month from the name: the latest dateline date in that month.
        (None, "erqi-2023-05.txt", "", ["本报讯 5月6日，", "本报讯 3月28日至4月26日，", "本报讯 5月4日上午，"],
         PageDate(2023, 5, D(2023, 5, 6))),
        # ... else the first of the month.
        (None, "erqi-2023-05.txt", "", ["本报讯 近日，"], PageDate(2023, 5, D(2023, 5, 1))),
        # A dateline after the page's month is not the page date.
        (None, "erqi-2023-05.txt", "", ["本报讯 6月2日，", "本报讯 5月3日，"], PageDate(2023, 5, D(2023, 5, 3))),
        # No date in the name: the year written most often in the text.
        (None, "page.txt", "召开 2023年防汛会议，2023年春季，2021年", ["本报讯 5月6日，"], PageDate(2023, None, D(2023, 5, 6))),
        (None, "page.txt", "没有年份", ["本报讯 5月6日，"], PageDate()),
    ],
)
def test_page_date(given, name, text, paragraphs, expected) -> None:
    assert page_date(given, name, text, _datelines(*paragraphs)) == expected


EXACT = PageDate(2024, 1, D(2024, 1, 8), True)
MONTH = PageDate(2023, 5, D(2023, 5, 6))


@pytest.mark.parametrize(
    ("paragraph", "first_sentence", "page", "expected"),
    [
        ("本报讯 1月 5日，", "", EXACT, (D(2024, 1, 5), False)),
        ("本报讯 12月 29日，", "", EXACT, (D(2023, 12, 29), False)),  # a January page: last December
        ("本报讯 2024年12月 29日，", "", EXACT, (D(2024, 12, 29), False)),  # an explicit year is kept
        ("本报讯 3月28日至4月26日，", "", MONTH, (D(2023, 3, 28), False)),  # a range: its start
        ("本报讯 近日，", "", MONTH, (D(2023, 5, 6), True)),
        ("本报讯 日前，", "", EXACT, (D(2024, 1, 8), True)),
        ("本报讯 昨天，", "", EXACT, (D(2024, 1, 7), False)),  # exact page date: exact day before
        ("本报讯 昨天，", "", MONTH, (D(2023, 5, 6), True)),  # page date itself estimated
        ("本报讯 河湾区于", "本报讯 河湾区于1月3日召开会议", EXACT, (D(2024, 1, 3), False)),  # first sentence
        (None, "走进河湾区政务服务中心，取号", EXACT, (D(2024, 1, 8), True)),  # no dateline, no date
        ("本报讯 2月30日，", "", EXACT, (D(2024, 1, 8), True)),  # no such day: page date
        ("本报讯 近日，", "", PageDate(), (None, False)),  # nothing known
        ("本报讯 5月 6日，", "", PageDate(), (None, False)),  # no year anywhere
    ],
)
def test_article_date(paragraph, first_sentence, page, expected) -> None:
    dateline = parse_dateline(paragraph) if paragraph else None
    assert article_date(dateline, first_sentence, page) == expected


def test_year_in_text_prefers_most_frequent_then_latest() -> None:
    assert year_in_text("2022年 2023年 2023 年") == 2023
    assert year_in_text("2022年，2023年") == 2023
    assert year_in_text("no year") is None
