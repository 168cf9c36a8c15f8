"""English glosses of a quoted Chinese sentence: its names, titles, places, dates and numbers.

An offline answer to an English question quotes the Chinese sentence as printed (no model translates
it); the reader gets the parts a question is usually about in English, each from one home:

    glossary entries     the user's glossary (names/glossary.py), its English as written there
    titles, institutions names/titles.py house style (区长 District Mayor), unless the glossary has them
    people               names/people.py finds them (title-anchored, or named elsewhere in the article);
                         pinyin by names/pinyin.py (韩静怡 Han Jingyi), unless the glossary has them
    places               jieba's place names, pinyin plus their kind (河湾区 Hewan District)
    dates                text/numerals.py (3月14日 March 14, 2024 with the article's year)
    numbers              text/numerals.py values with their unit (2亿元 200 million yuan)

Nothing here is a translation of the sentence, and the answer says so (messages "untranslated").
"""

from __future__ import annotations

import calendar
from decimal import Decimal
from typing import TYPE_CHECKING

from bulletin_qa.answering.english_lexicon import UNITS
from bulletin_qa.models import Gloss
from bulletin_qa.text.numerals import DateMention, extract_dates, number_mentions

if TYPE_CHECKING:
    from bulletin_qa.names.glossary import Glossary

_KINDS = {"people": "person", "titles": "title", "institutions": "institution", "places": "place", "terms": "term"}
_PLACE_TAILS = ("区", "县", "市", "省", "镇", "乡", "村")


def english_number(value: Decimal) -> str:
    """A value as English copy prints it: 200000000 -> 200 million, 6300 -> 6,300, 1.27e9 -> 1.27 billion."""
    for size, word in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if abs(value) >= size:
            return f"{format((value / size).normalize(), 'f')} {word}"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return format(value.normalize(), "f")


def _numbers(sentence: str, rest: str) -> list[Gloss]:
    """The numbers of `sentence`, read from `rest` (the sentence with its dates blanked: extract_dates)."""
    out: list[Gloss] = []
    for m in number_mentions(rest):
        after = sentence[m.end:m.end + 4]
        zh, en = m.printed, english_number(m.value)
        unit = next(((u, e) for u, e in UNITS if after.startswith(u)), None)
        if unit:
            zh += unit[0]
            en = f"{en}{unit[1]}" if unit[1] in ("%", "°C") else f"{en} {unit[1]}".rstrip()
        start = m.end - len(m.printed)
        if sentence[max(0, start - 2):start] == "零下":
            zh, en = "零下" + zh, "minus " + en
        if m.printed.isdigit() and not unit and 1900 <= m.value <= 2100:  # noqa: PLR2004  # a year (应战-2023), as printed
            continue
        if zh != en:
            out.append(Gloss(zh=zh, en=en, kind="number"))
    return out


def _dates(dates: list[DateMention], year: int | None) -> list[Gloss]:
    out: list[Gloss] = []
    for d in dates:
        month = calendar.month_name[d.month] if d.month else ""
        english = " ".join(p for p in (month, str(d.day) if d.day else "") if p)
        shown_year = d.year or (year if english else None)
        english = f"{english}, {shown_year}" if shown_year and english else (english or str(d.year or ""))
        if english:
            out.append(Gloss(zh=str(d), en=english, kind="date"))
    return out


def _places(sentence: str, taken: set[str]) -> list[Gloss]:
    from bulletin_qa.names.pinyin import place_english
    from bulletin_qa.text.words import tagged

    words = tagged(sentence)
    out: list[Gloss] = []
    for i, (_, end, stem, flag) in enumerate(words):
        if not flag.startswith("ns") or len(stem) < 2 or any(stem in t for t in taken):  # noqa: PLR2004  # one character is no place name
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        place = stem + nxt[2] if nxt and nxt[0] == end and nxt[2] in _PLACE_TAILS else stem  # 河湾 ns + 区 n
        if place not in taken:
            taken.add(place)
            out.append(Gloss(zh=place, en=place_english(place), kind="place"))
    return out


def gloss(sentence: str, glossary: Glossary | None, *, article_text: str = "", year: int | None = None,
          person: str = "") -> list[Gloss]:
    """The glosses of one quoted sentence, in order: glossary, titles, people, places, dates, numbers.

    `article_text` is the whole article: a person named with a title there is known by name here
    (韩静怡要求… after 区长韩静怡); `year` dates a 3月14日 written without one; `person` is the answer
    to a who-question, a name even when no title stands right before it (…常务副指挥长屈连武).
    """
    from bulletin_qa.names.glossary import Glossary as _Glossary
    from bulletin_qa.names.service import Names

    names = Names(glossary=glossary or _Glossary())
    out = [Gloss(zh=e.zh, en=e.en, kind=_KINDS.get(e.section, e.section)) for e in names.glossary.relevant(sentence)]
    taken = {g.zh for g in out}
    for zh, en in names.titles_in(sentence):
        if not any(zh in t for t in taken):
            out.append(Gloss(zh=zh, en=en, kind="title"))
            taken.add(zh)
    from bulletin_qa.names.pinyin import has_surname
    from bulletin_qa.text.chars import all_han

    known = names.people_in(article_text) if article_text else []
    answered = [person] if person and all_han(person) and 2 <= len(person) <= 4 and has_surname(person) else []  # noqa: PLR2004  # Chinese names are 2-4 characters
    for name in dict.fromkeys([*names.people_in(sentence), *(p for p in known if p in sentence), *answered]):
        if not any(name in t for t in taken):
            out.append(Gloss(zh=name, en=names.english(name), kind="person"))
            taken.add(name)
    out += _places(sentence, taken)
    dates, rest = extract_dates(sentence)
    out += _dates(dates, year)
    out += _numbers(sentence, rest)
    return out


def gloss_lines(glosses: list[Gloss]) -> list[str]:
    """One line per gloss: 韩静怡 = Han Jingyi (person)."""
    return [f"{g.zh} = {g.en} ({g.kind})" for g in glosses]
