"""Numbers and dates stated in Chinese or English text, with Chinese numerals read as values: the one
number parser, used by every number check (answers, summaries, digests, translations).

十二 == 12, 二〇二三年 == 2023年, 五月六日 == 5月6日, 3.5万 == 35000, 百分之十二 == 12%, 1.2 billion ==
1200000000. Digits glued to Chinese characters are numbers too (规模999亿元). Chinese numerals are read
by the maintained `cn2an` library, conservatively: a lone 一 or 二 is a number only before a measure
word (一个, 两项, 十二个), because 一岗双责, 二七区 and 一要 are words, not quantities. Ordinals are
read here too (第七届 == 第7届), for the answer check and the offline answerer alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUM = "〇零○一二两三四五六七八九十百千万亿"

# Measure words after which a Chinese numeral is a quantity. 分 (also "very", 十分) is left out.
_MEASURES = ("个人名位次项家所条件场届期批岁天周年月日号时秒米里吨元倍户台辆座栋套间层篇本部张份只"
             "斤亩株棵头架艘轮组队支类种批处座所级")

_MONTHS_EN = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_EN = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
             r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")


@lru_cache(maxsize=4096)
def cn_to_int(text: str) -> int | None:
    """Value of a Chinese numeral (十二, 一百零五, 三万五千, 二〇二三); None when it is not one."""
    if not text or any(c not in CN_NUM for c in text) or text[0] in _BIG:
        return None
    import cn2an  # no type hints shipped (mypy: ignore_missing_imports); ~90 ms to import, so only here

    if text[0] in "百千":  # 百分之百: a leading 百 or 千 means 一百 / 一千 (cn2an reads only a leading 十 so)
        text = "一" + text
    try:
        value = cn2an.cn2an(text.replace("○", "〇"), "normal")  # normal mode: 两, 〇 and 二〇二三 too
    except ValueError:
        return None
    return int(value) if value == int(value) else None


def _num(text: str) -> int | None:
    """An Arabic or Chinese numeral as an int."""
    text = text.strip()
    return int(text) if text.isdigit() else cn_to_int(text)


# An ordinal: 第七届, 第7次, 第二阶段; with bare=True also 十三届 (十三届全国人大). Counters only: 第一
# (first) and 第3名 (a rank) are not editions. The numeral has no 千/万/亿: 三千次 and 2万次 are counts.
_ORDINAL = re.compile(r"(第)?([0-9〇零○一二两三四五六七八九十百]+)(阶段|[届次期批艘号轮场任季代])")


class Ordinal(NamedTuple):
    """An ordinal as (value, counter): 第七届 and 第7届 are both Ordinal(7, "届")."""

    value: int
    counter: str

    def __str__(self) -> str:
        return f"第{self.value}{self.counter}"


def ordinals(text: str, bare: bool = False) -> set[Ordinal]:
    """The ordinals `text` states (in key() form: no spaces inside): 第七届 -> (7, 届).

    Only those written with 第, unless `bare`: then 十三届五次 -> (13, 届), (5, 次) too, and also a
    count such as 三次 (the offline answerer's features take that noise for the 十三届 it catches;
    the answer check, which withholds answers on a missing ordinal, does not)."""
    out = set()
    for m in _ORDINAL.finditer(text):
        if not (bare or m.group(1)):
            continue
        value = _num(m.group(2))
        if value is not None:
            out.add(Ordinal(value, m.group(3)))
    return out


@dataclass(frozen=True, order=True)
class DateMention:
    """A date as written: any of year, month, day may be missing (5月6日 has no year)."""

    year: int | None
    month: int | None
    day: int | None

    def matches(self, other: DateMention, default_year: int | None = None) -> bool:
        """True when every part stated here equals `other`'s (whose missing year may default)."""
        other_year = other.year if other.year is not None else default_year
        return all(mine is None or mine == theirs for mine, theirs in
                   ((self.year, other_year), (self.month, other.month), (self.day, other.day)))

    def __str__(self) -> str:
        parts = [f"{self.year}年" if self.year else "", f"{self.month}月" if self.month else "",
                 f"{self.day}日" if self.day else ""]
        return "".join(parts)


_Y = r"(\d{4}|[〇零○一二三四五六七八九]{4})"
_M = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = r"(3[01]|[12]\d|0?[1-9]|[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])"
_SP = r"\s*"
DATE_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(rf"{_Y}{_SP}年{_SP}{_M}{_SP}月{_SP}{_D}{_SP}[日号]"), ("y", "m", "d")),
    (re.compile(rf"{_Y}{_SP}年{_SP}{_M}{_SP}月(?!份?[底初中])"), ("y", "m")),
    (re.compile(rf"{_M}{_SP}月{_SP}{_D}{_SP}[日号]"), ("m", "d")),
    (re.compile(r"(\d{4})\s*[-/.]\s*(1[0-2]|0?[1-9])\s*[-/.]\s*(3[01]|[12]\d|0?[1-9])(?!\d)"), ("y", "m", "d")),
    (re.compile(rf"\b{_MONTH_EN}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), ("M", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_EN}\s+(\d{{4}})\b", re.I), ("d", "M", "y")),
    (re.compile(rf"\b{_MONTH_EN}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I), ("M", "d")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_EN}\b", re.I), ("d", "M")),
    (re.compile(rf"\b{_MONTH_EN}\s+(\d{{4}})\b", re.I), ("M", "y")),
    (re.compile(rf"{_Y}{_SP}年(?!代)"), ("y",)),
    (re.compile(rf"(?<![\d{CN_NUM}]){_M}{_SP}月(?:份)?"), ("m",)),
    (re.compile(rf"(?<![\d{CN_NUM}月]){_D}{_SP}日(?![常子益])"), ("d",)),
]


def _date_from(match: re.Match[str], order: tuple[str, ...]) -> DateMention | None:
    parts: dict[str, int | None] = {"y": None, "m": None, "d": None}
    for key, group in zip(order, match.groups()):
        if key == "M":
            parts["m"] = _MONTHS_EN[group.lower()[:3]]
        else:
            parts[key] = _num(group)
    y, m, d = parts["y"], parts["m"], parts["d"]
    if (m is not None and not 1 <= m <= 12) or (d is not None and not 1 <= d <= 31):
        return None
    if y is not None and not 1000 <= y <= 2999:
        return None
    return DateMention(y, m, d)


def extract_dates(text: str) -> tuple[list[DateMention], str]:
    """Dates mentioned in `text`, and the text with them blanked out (for number extraction)."""
    found: list[DateMention] = []
    chars = list(text)
    for pattern, order in DATE_PATTERNS:
        for m in pattern.finditer("".join(chars)):
            date = _date_from(m, order)
            if date is None:
                continue
            found.append(date)
            chars[m.start():m.end()] = " " * (m.end() - m.start())
    return found, "".join(chars)


# Digits with an optional Chinese or English scale. Only Latin letters and digits before the number stop
# it (H7N9, v2.1): a Han character does not, so 规模999亿元 is read. 千 before 米/克/瓦 is a unit (千米).
_ARABIC = re.compile(r"(?<![A-Za-z0-9.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
                     r"(?:\s*(万亿|亿|万|千(?![米克瓦帕])))?"
                     r"(?:\s+(hundred million|thousand|million|billion|trillion)\b)?",
                     re.IGNORECASE)
_SCALE = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000),
          "thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
          "trillion": Decimal(10) ** 12, "hundred million": Decimal(10) ** 8}
_PERCENT_CN = re.compile(rf"百分之([{CN_NUM}点]+)")
_CN_RUN = re.compile(rf"[{CN_NUM}]+")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _canon(value: Decimal) -> str:
    value = value.normalize()
    return format(value, "f")


@dataclass(frozen=True)
class NumberMention:
    """A number as written (`printed`: '1.2亿', '8.5', '1.2 billion', '三十'), its value and where it ends.

    `base` is the value before a scale word (1.2 for 1.2亿): a translation may keep either.
    `digits` is False for Chinese numerals (三十, 百分之五).
    """

    printed: str
    value: Decimal
    base: Decimal
    end: int
    digits: bool


def number_mentions(text: str) -> list[NumberMention]:
    """Every number stated in `text`, in order of appearance (digits first, then Chinese numerals)."""
    found: list[NumberMention] = []
    blanked = list(text)
    for m in _ARABIC.finditer(text):
        base = _decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        if base is None:
            continue
        scale = m.group(3) or (m.group(4) or "").lower()
        found.append(NumberMention(" ".join(m.group().split()), base * _SCALE[scale] if scale else base, base,
                                   m.end(), True))
        blanked[m.start():m.end()] = " " * (m.end() - m.start())
    rest = "".join(blanked)
    for m in _PERCENT_CN.finditer(rest):
        whole, _, frac = m.group(1).partition("点")
        n = cn_to_int(whole)
        if n is not None:
            digits = "".join(str(_DIGITS[c]) for c in frac if c in _DIGITS)
            value = Decimal(f"{n}.{digits}" if digits else str(n))
            found.append(NumberMention(m.group(), value, value, m.end(), False))
    rest = _PERCENT_CN.sub(lambda m: " " * len(m.group()), rest)
    for m in _CN_RUN.finditer(rest):
        run = m.group(0)
        following = rest[m.end():m.end() + 1]
        has_digit = any(c in _DIGITS for c in run)
        positional = any(c in _UNITS or c in _BIG for c in run)
        # 十二 (positional with a digit), 二〇二三 (4+ digits) or a numeral before a measure word.
        if not (has_digit and positional) and len(run) < 4 and not (following and following in _MEASURES):
            continue
        if not has_digit and not run.startswith("十"):
            continue  # 千万, 万 alone: "very", not a count
        read = cn_to_int(run)
        if read is not None:
            found.append(NumberMention(run, Decimal(read), Decimal(read), m.end(), False))
    return found


def extract_numbers(text: str) -> set[str]:
    """Numeric values stated in `text` (dates excluded), as canonical strings: '12', '35000', '4.98'."""
    _, rest = extract_dates(text)
    return {_canon(m.value) for m in number_mentions(rest)}


def date_of(article_date: dt.date | None) -> DateMention | None:
    """An article's date as a full DateMention."""
    return DateMention(article_date.year, article_date.month, article_date.day) if article_date else None
