"""Dates of a page and of its articles.

The page date, in order of preference:

1. the `date` the caller passes (`--date`): exact;
2. a full date in the file name (`hewan-2024-03-15.txt`, `20240315.txt`): exact;
3. a year and month in the file name (`erqi-2023-05.txt`): the latest dateline date on the page
   inside that month, else the first of the month;
4. a year alone (file name `…-2023.txt`, else the year written most often as `2023年` in the
   text): the latest dateline date on the page, else no page date.

An article's date comes from its dateline (`5月6日`; a range `3月28日至4月26日` gives its
start), else from the first `M月D日` of its first sentence. The year is the dateline's own
(`2023年5月6日`) or the page's; a date more than two months after the page's reference date
belongs to the year before (a January page reporting `12月30日`). `近日`-style words and
missing dates fall back to the page date with date_approximate=True; `昨天` is exact when the
page date is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from bulletin_qa.reading.datelines import RELATIVE_DAYS, Dateline, find_date

_NAME_DATE_RE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})(?:[-_.]?(?P<month>0[1-9]|1[0-2])(?:[-_.]?(?P<day>0[1-9]|[12]\d|3[01]))?)?(?!\d)"
)
_TEXT_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[ \t\u3000]*年")
# A dated article this long after the page's reference date is from the previous year.
_ROLLOVER = dt.timedelta(days=62)


@dataclass(frozen=True)
class PageDate:
    """What is known about a page's date."""

    year: int | None = None
    month: int | None = None
    date: dt.date | None = None
    exact: bool = False


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_from_name(name: str) -> PageDate:
    """Year, month and day written in a file name (`erqi-2023-05.txt`, `2023-05-06.txt`)."""
    best = PageDate()
    for match in _NAME_DATE_RE.finditer(name):
        year = int(match.group("year"))
        month = int(match.group("month")) if match.group("month") else None
        day = int(match.group("day")) if match.group("day") else None
        if month and day and (exact := _safe_date(year, month, day)):
            return PageDate(year, month, exact, True)
        if best.year is None or (month and best.month is None):
            best = PageDate(year, month)
    return best


def year_in_text(text: str) -> int | None:
    """The year written most often as `YYYY年` in the text (ties: the latest)."""
    counts = Counter(int(y) for y in _TEXT_YEAR_RE.findall(text))
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


def _with_year(year: int, month: int, day: int, reference: dt.date | None) -> dt.date | None:
    date = _safe_date(year, month, day)
    if date and reference and date > reference + _ROLLOVER:
        date = _safe_date(year - 1, month, day)
    return date


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def page_date(given: dt.date | None, name: str, text: str, datelines: list[Dateline | None]) -> PageDate:
    """The page date by the rules in this module's docstring."""
    if given is not None:
        return PageDate(given.year, given.month, given, True)
    hint = date_from_name(name)
    if hint.exact:
        return hint
    year = hint.year or year_in_text(text)
    if year is None:
        return PageDate()
    limit = _month_end(year, hint.month) if hint.month else dt.date(year, 12, 31)
    stated = [
        d
        for dl in datelines
        if dl and dl.month and dl.day
        and (d := _with_year(dl.year or year, dl.month, dl.day, None if dl.year else limit)) and d <= limit
    ]
    if stated:
        return PageDate(year, hint.month, max(stated))
    if hint.month:
        return PageDate(year, hint.month, dt.date(year, hint.month, 1))
    return PageDate(year)


def article_date(dateline: Dateline | None, first_sentence: str, page: PageDate) -> tuple[dt.date | None, bool]:
    """(date, approximate) of one article, by the rules in this module's docstring."""
    reference = page.date or (_month_end(page.year, page.month) if page.year and page.month else None)
    found: tuple[int | None, int, int] | None = None
    if dateline and dateline.month and dateline.day:
        found = (dateline.year, dateline.month, dateline.day)
    elif dateline and dateline.relative:
        offset = RELATIVE_DAYS[dateline.relative]
        if offset is not None and page.exact and page.date:
            return page.date + dt.timedelta(days=offset), False
        return page.date, page.date is not None
    else:
        found = find_date(first_sentence)
    if found:
        year = found[0] or page.year
        roll_from = None if found[0] else reference  # an explicit year is never moved
        if year is not None and (date := _with_year(year, found[1], found[2], roll_from)):
            return date, False
    return page.date, page.date is not None
