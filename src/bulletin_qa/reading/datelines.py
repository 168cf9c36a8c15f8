"""Datelines that open an article: `本报讯 5月6日`, `本报5月6日讯`, `新华社北京3月14日电`, `记者 … 报道`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bulletin_qa.reading.bylines import BYLINE_GROUP, Byline, parse_groups
from bulletin_qa.reading.reflow import normalise_spaces
from bulletin_qa.text.chars import HAN

_S = r"[ \t\u3000]*"
_MONTH_DAY = rf"\d{{1,2}}{_S}月{_S}\d{{1,2}}{_S}日"
_YEAR = rf"(?:\d{{4}}{_S}年{_S})?"
# `…电` / `…讯` end the marker only before a space, a bracket or the line end: `供电公司3月5日电话` is prose.
_AFTER_MARK = r"(?=$|[\s（(])"
_MARKER = (
    "(?P<marker>"
    "本报讯"
    rf"|本报[{HAN}]{{0,6}}?{_YEAR}{_MONTH_DAY}{_S}讯{_AFTER_MARK}"  # 本报5月6日讯, 本报郑州5月6日讯
    rf"|[{HAN}]{{2,10}}?{_YEAR}{_MONTH_DAY}{_S}电{_AFTER_MARK}"  # 新华社北京3月14日电, 中新网郑州5月6日电
    rf"|(?:本报)?(?:{BYLINE_GROUP}{_S})+报道"  # 本报记者 张三 通讯员 李四 报道
    ")"
)
_PAREN = r"(?P<paren>[（(][^）)]{1,60}[）)])?"
# Relative day words; the number is the offset from the page date when it is exactly known.
RELATIVE_DAYS: dict[str, int | None] = {
    "近日": None, "日前": None, "近期": None, "最近": None, "近来": None, "连日来": None,
    "昨天": -1, "昨日": -1, "前天": -2, "前日": -2, "今天": 0, "今日": 0,
}
_RELATIVE = "|".join(sorted(RELATIVE_DAYS, key=len, reverse=True))
_RANGE_END = rf"(?:{_S}[至到—~\-]{_S}(?:\d{{1,2}}{_S}月{_S})?\d{{1,2}}{_S}日)?"
_TIME_OF_DAY = r"(?:上午|下午|中午|晚上|晚间|傍晚|早上|凌晨|夜间|晚|早)?"
_WHEN = rf"(?P<when>(?:{_YEAR}{_MONTH_DAY}{_RANGE_END}|{_RELATIVE}){_TIME_OF_DAY})"
_DATELINE_RE = re.compile(rf"{_MARKER}{_S}{_PAREN}(?:{_S}{_WHEN}(?=[，,：:]))?")
_MARKER_RE = re.compile(_MARKER)
_DATE_RE = re.compile(rf"(?:(?P<year>\d{{4}}){_S}年{_S})?(?P<month>\d{{1,2}}){_S}月{_S}(?P<day>\d{{1,2}}){_S}日")


@dataclass
class Dateline:
    """A parsed dateline: the normalised text, where it ends, and the date it states."""

    text: str
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    relative: str | None = None
    byline: Byline = field(default_factory=Byline)


def starts_with_dateline(line: str) -> bool:
    """True when a printed line opens an article with a dateline."""
    return bool(_MARKER_RE.match(line))


def find_date(text: str) -> tuple[int | None, int, int] | None:
    """The first `[YYYY年]M月D日` in `text` as (year or None, month, day)."""
    match = _DATE_RE.search(text)
    if not match:
        return None
    year = int(match.group("year")) if match.group("year") else None
    return year, int(match.group("month")), int(match.group("day"))


def parse_dateline(paragraph: str) -> Dateline | None:
    """Parse the dateline at the start of an article's first paragraph (raw, not yet normalised)."""
    match = _DATELINE_RE.match(paragraph)
    if not match:
        return None
    marker = normalise_spaces(match.group("marker"))
    paren = normalise_spaces(match.group("paren") or "")
    when = normalise_spaces(match.group("when") or "")
    head = marker + paren
    text = head + ("" if head.endswith(("）", ")")) else " ") + when if when else head
    byline = parse_groups(marker + paren)
    found = find_date(marker + " " + when)
    relative = next((word for word in RELATIVE_DAYS if when.startswith(word)), None)
    year, month, day = found if found else (None, None, None)
    end = len(paragraph[: match.end()].rstrip())  # a space after the dateline stays with the text
    return Dateline(text, end, year, month, day, relative, byline)
