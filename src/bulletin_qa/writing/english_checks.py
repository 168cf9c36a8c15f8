"""Checks of English text written from a Chinese source (summaries, translations, digest entries).

A small model gets the same things wrong again and again (Qwen2.5-Coder-1.5B on the real Erqi
page): a date moved to another month ("June 4" for 5月4日), Chinese phrases left in the English
(产业转型升级), a glossary place translated word by word ("The 27th District" for 二七区 =
Erqi District), names with no counterpart in the source ("Zhang Changwu" for 曹宪武). Each check
here reads the source and the output and reports what disagrees; nothing is fixed silently.

    dates      every date the English states (month names or numbers) must be one the source
               states, the source's own date included; a year alone must be one it names
    chinese    runs of Chinese characters left in the English
    glossary   for each glossary entry the source contains, a capitalised phrase ending in the
               entry's last word ("... District") that is no glossary rendering of the source
    names      capitalised names no source name accounts for (names.english.unsupported_names,
               the one home of name rendering; person-name coverage belongs to names/); the
               source's own places and companies spelt in pinyin are names it states (Zhengfei)
    titles     a title put before a source person's name that renders none of that person's
               titles in the source (names.person_titles); reported with the output, not sent to
               the corrective round, so no recorded request changes
    spelling   before any check, another spelling of a person's rendering is changed to it
               (Lü Anmin -> Lyu Anmin: the same syllables, names.english.normalise_people) and noted
    people     a translation must render every person it was given (Glossary.check, complete: "person
               吕安平 of the source is missing"); an article's byline, which the model never sees, is
               rendered by the names service (Translator.byline). A summary may leave people out,
               but one it names must be rendered right: not left in Chinese, not other syllables,
               not another person's title

Numbers are checked by text.numbers.check_numbers (one number checker), which callers run too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bulletin_qa.text.chars import HAN
from bulletin_qa.text.numerals import DateMention, extract_dates
from bulletin_qa.text.sentences import split_sentences

if TYPE_CHECKING:
    from bulletin_qa.models import Article
    from bulletin_qa.names.glossary import Glossary
    from bulletin_qa.names.service import Names

Kind = Literal["date", "chinese", "glossary", "name", "title"]
_CJK_RUN = re.compile(f"[{HAN}][{HAN}，、·\\s]*")
_PHRASE_WORD = r"(?:[A-Z0-9][\w'’-]*)"
_NAME_FINDING = re.compile(r"^name “(.+?)” has no counterpart")
BYLINE_ROLES = {"reporters": "记者", "correspondents": "通讯员"}


@dataclass(frozen=True)
class Finding:
    """One disagreement between the English output and its Chinese source."""

    kind: Kind
    message: str

    def __str__(self) -> str:
        return self.message


def date_findings(source: str, output: str, source_date: dt.date | None = None) -> list[Finding]:
    """Dates of the output that the source does not state (month and day compared, year when given)."""
    stated, _ = extract_dates(source)
    if source_date is not None:
        stated.append(DateMention(source_date.year, source_date.month, source_date.day))
    year = source_date.year if source_date else None
    found: list[Finding] = []
    for date in dict.fromkeys(extract_dates(output)[0]):
        if date.month is None and date.day is None:
            if date.year is not None and date.year not in {d.year for d in stated if d.year} | {year}:
                found.append(Finding("date", f"year {date.year} in the output is not a year the source names"))
            continue
        if not any(date.matches(known, year) for known in stated):
            said = ", ".join(sorted({str(d) for d in stated if d.month})) or "none"
            found.append(Finding("date", f"date {_english(date)} in the output is not in the source "
                                         f"(the source's dates: {said})"))
    return found


def _english(date: DateMention) -> str:
    months = ("January February March April May June July August September October November December").split()
    parts = [months[date.month - 1] if date.month else "", str(date.day) if date.day else ""]
    text = " ".join(p for p in parts if p)
    return f"{text}, {date.year}" if date.year and text else (text or str(date.year))


def chinese_findings(output: str) -> list[Finding]:
    """Chinese left in the English output, each distinct run once."""
    runs = dict.fromkeys(m.group().strip(" ，、·") for m in _CJK_RUN.finditer(output))
    return [Finding("chinese", f"Chinese left in the English: {run}") for run in runs if run]


def glossary_findings(source: str, output: str, glossary: Glossary) -> list[Finding]:
    """Glossary places and institutions of the source written as another English phrase of the same kind.

    "The 27th District" ends like "Erqi District" but is no rendering the glossary gives for a term
    of this source: it is 二七区 translated word by word.
    """
    from bulletin_qa.names.service import Names

    entries = glossary.relevant(source)
    # Standard titles of the source are renderings too: "the Standing Committee" of 区委常委's.
    renderings = {en.casefold() for zh, en in {**Names(glossary=glossary).title_table(),
                                               **{e.zh: e.en for e in glossary.entries.values()}}.items()
                  if zh in source}
    found: list[Finding] = []
    for entry in entries:
        words = entry.en.split()
        if len(words) < 2 or entry.en.casefold() in output.casefold():
            continue
        tail = re.escape(words[-1])
        # Words of one line only: a headline's last word and the text's first are no phrase.
        for m in re.finditer(rf"(?:(?<=\s)|^)((?:the[ \t]+)?(?:{_PHRASE_WORD}[ \t]+){{1,3}}){tail}\b", output,
                             flags=re.MULTILINE):
            phrase = m.group(0).strip()
            bare = re.sub(r"^the\s+", "", phrase, flags=re.I).casefold()
            if any(bare in r or r in bare for r in renderings):
                continue
            found.append(Finding("glossary", f"“{phrase}” may stand for {entry.zh}, which the glossary renders "
                                             f"“{entry.en}”"))
    return list(dict.fromkeys(found))


def name_findings(article: Article, output: str, glossary: Glossary | None) -> list[Finding]:
    """Capitalised names in the output that no name of the article accounts for (names.english)."""
    from bulletin_qa.names.english import source_renderings, unsupported_names
    from bulletin_qa.names.service import Names

    names = Names(glossary=glossary) if glossary is not None else Names()
    known = source_renderings(article, article.text, glossary, names)
    _, spelled = _spelled_source(article, names)
    found: list[Finding] = []
    for sentence in split_sentences(output):
        for name in unsupported_names(sentence, known, glossary, spelled):
            found.append(Finding("name", f"name “{name}” has no counterpart in the source "
                                         "(not its glossary rendering nor the pinyin of a name it states)"))
    return list(dict.fromkeys(found))


def check_english(source: str, output: str, *, glossary: Glossary | None = None, article: Article | None = None,
                  source_date: dt.date | None = None) -> list[Finding]:
    """Every finding of the checks above for one English text written from `source`."""
    found = date_findings(source, output, source_date) + chinese_findings(output)
    if glossary is not None:
        found += glossary_findings(source, output, glossary)
    if article is not None:
        found += name_findings(article, output, glossary)
    return found


def _bylines(article: Article) -> dict[str, str]:
    """Byline people not named in the article's text, with their role word (记者, 通讯员)."""
    return {name: role for field, role in BYLINE_ROLES.items() for name in getattr(article, field)
            if name and name not in article.text}


def _spelled_source(article: Article, names: Names) -> tuple[str, frozenset[str]]:
    """The article's title, subtitle and text as one source, and the pinyin of its own places and
    companies (names.english.spelled_in_source, its people masked out)."""
    from bulletin_qa.names.english import source_people, spelled_in_source

    source = "\n".join(p for p in (article.title, article.subtitle, article.text) if p)
    return source, spelled_in_source(source, source_people(article, article.text, names))


def title_findings(article: Article, output: str, names: Names) -> list[Finding]:
    """Titles the output gives the article's people that render none of their titles in the source."""
    from bulletin_qa.names.person_titles import wrong_titles

    source, spelled = _spelled_source(article, names)
    return [Finding("title", str(w)) for w in wrong_titles(source, output, names, bylines=_bylines(article),
                                                           spelled=spelled)]


def normalise_names(article: Article, output: str, names: Names) -> tuple[str, list[str]]:
    """The output with other spellings of the article's people written as their rendering, and notes."""
    from bulletin_qa.names.english import source_people
    from bulletin_qa.names.english_words import normalise_people

    people = source_people(article, article.text, names)
    return normalise_people(output, {zh: names.english(zh) for zh in people})


def without_covered(findings: list[str], titles: list[Finding]) -> list[str]:
    """Findings less the name findings a title finding states better ("Director" of a wrong title)."""
    written = [t.message for t in titles]
    kept = []
    for finding in findings:
        m = _NAME_FINDING.match(finding)
        if m and any(f"“{m.group(1)}” given to" in w for w in written):
            continue
        kept.append(finding)
    return kept + [t.message for t in titles if t.message not in findings]
