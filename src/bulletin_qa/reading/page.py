"""One printed page -> Article records (segmentation, reflow, headline, dateline, byline, date)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from bulletin_qa.models import Article
from bulletin_qa.reading import dates
from bulletin_qa.reading.chars import Line, column_width, ends_sentence, split_lines
from bulletin_qa.reading.datelines import Dateline, parse_dateline
from bulletin_qa.reading.dates import PageDate, article_date
from bulletin_qa.reading.headlines import split_headline
from bulletin_qa.reading.reflow import join_paragraphs, normalise_spaces, reflow_lines
from bulletin_qa.reading.segment import Segment, segment_page
from bulletin_qa.text.chars import CJK_PUNCT
from bulletin_qa.text.sentences import split_sentences

NOTHING_RECOGNISED = "no dateline or byline recognised: the whole page was read as one article"
_PUNCT_START_RE = re.compile(f"[{CJK_PUNCT}]")
_MAX_FALLBACK_TITLE = 40


def article_id(source: str, position: int) -> str:
    """`<source stem>-NN`: stable as long as the file name and the article's position are."""
    return f"{PurePath(source).stem}-{position:02d}"


def _body_text(segment: Segment, column: int) -> tuple[str, Dateline | None]:
    """Reflowed body with its normalised dateline kept at the start."""
    body = segment.body
    paragraphs = join_paragraphs(body.lines, column, body.texts)
    dateline = parse_dateline(paragraphs[0]) if body.dated and paragraphs else None
    if dateline is None:
        return "\n".join(normalise_spaces(p) for p in paragraphs), None
    rest_raw = paragraphs[0][dateline.end :]
    rest = normalise_spaces(rest_raw)
    spaced = rest_raw[:1].isspace() and not _PUNCT_START_RE.match(rest)
    first = dateline.text + (" " if spaced and rest else "") + rest
    return "\n".join([first, *(normalise_spaces(p) for p in paragraphs[1:])]), dateline


def _fallback(lines: list[Line], source: str, page: PageDate, column: int) -> Article:
    first = lines[0].text
    title = first if len(first) <= _MAX_FALLBACK_TITLE and not ends_sentence(first) else ""
    text = reflow_lines(lines, column)
    if title and len(lines) > 1 and lines[1].blank_before:  # a heading line stays its own paragraph
        text = normalise_spaces(title) + "\n" + reflow_lines(lines[1:], column)
    return Article(
        id=article_id(source, 1),
        title=normalise_spaces(title),
        text=text,
        date=page.date,
        date_approximate=page.date is not None,
        page_date=page.date,
        source=PurePath(source).name,
        position=1,
        start=lines[0].start,
        end=lines[-1].end,
        warnings=[NOTHING_RECOGNISED],
    )


def read_page(text: str, source: str, page_date: dt.date | None = None) -> list[Article]:
    """Articles of one printed page, in print order; offsets index into `text`."""
    lines = split_lines(text)
    if not lines:
        return []
    column = column_width(lines)
    segments = segment_page(lines, column)
    if segments is None:
        return [_fallback(lines, source, dates.page_date(page_date, PurePath(source).name, text, []), column)]
    bodies = [_body_text(segment, column) for segment in segments]
    page = dates.page_date(page_date, PurePath(source).name, text, [dl for _, dl in bodies])
    articles = []
    for position, (segment, (body_text, dateline)) in enumerate(zip(segments, bodies), start=1):
        title, subtitle = split_headline(segment.headline)
        byline = segment.body.byline
        if dateline:
            byline.merge(dateline.byline)
        first_sentence = split_sentences(body_text)[:1]
        date, approximate = article_date(dateline, first_sentence[0] if first_sentence else "", page)
        warnings = []
        if not title:
            warnings.append("no headline found for this article")
        if segment.unused:
            unused = " / ".join(line.text for line in segment.unused)
            warnings.append(f"headline lines both before and after this article; not used: {unused}")
        if date is None:
            warnings.append("no date: pass the page date (--date) or put it in the file name, e.g. 2024-03-15.txt")
        articles.append(
            Article(
                id=article_id(source, position),
                title=title,
                subtitle=subtitle,
                text=body_text,
                date=date,
                date_approximate=approximate,
                page_date=page.date,
                dateline=dateline.text if dateline else "",
                reporters=byline.reporters,
                correspondents=byline.correspondents,
                source=PurePath(source).name,
                position=position,
                start=segment.start,
                end=segment.end,
                warnings=warnings,
            )
        )
    return articles
