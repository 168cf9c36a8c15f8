"""A laid-out page -> the text the page reader segments, plus the layout cues it lacks.

The text is written the way segment.py expects a printed page: headline lines as printed
(one line each, a blank line where the type size changes), body paragraphs one to a line with
a blank line between them. Paragraphs are found from the geometry: a line indented from its
column's left edge, or after a line that stopped short of the right edge, starts one; a column
that ends on a full line continues in the next column.

The cues: the masthead's date ("2023年5月8日 星期一") is the page date, and every headline line
keeps its type size, so `apply_cues` can tell title (the largest type) from subtitle and kicker
after the text rules have given each article its headline block.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from bulletin_qa.models import Article
from bulletin_qa.reading.formats.layout import HEADING_RATIO, Fragment, Layout, Rule
from bulletin_qa.reading.reflow import join_pair, normalise_spaces

INDENT = 1.2  # a line starting this far (x its size) right of its column's edge opens a paragraph
SHORT = 1.5  # a line ending this far short of the column's right edge closes its paragraph
# Sizes within 15% are one type: OCR measures size to a few percent; titles run >= 1.3x subtitles.
SAME_TYPE = 0.15
MASTHEAD_TOP = 0.25  # the masthead sits in the top quarter of the page
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_EDITION_RE = re.compile(r"第\s*\d+\s*版|星期[一二三四五六日天]")
_SQUASH_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class HeadingLine:
    """A line printed in headline type: its offsets in the page text and its type size."""

    start: int
    end: int
    size: float
    text: str


@dataclass
class PageText:
    """The page's text in reading order, its masthead date and its headline lines."""

    text: str
    date: dt.date | None = None
    headings: list[HeadingLine] = field(default_factory=list)
    masthead: str = ""


def masthead_date(text: str) -> dt.date | None:
    """The first full date written in a masthead (`2023年5月8日 星期一`)."""
    for match in _DATE_RE.finditer(text):
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
    return None


def find_masthead(frags: Sequence[Fragment], rules: Sequence[Rule], body: float) -> list[Fragment]:
    """The fragments above the page's first wide rule or gap, when they read as a masthead.

    A masthead sits in the top quarter, holds no sentence (no 。) and shows the date, the
    edition (`第2版`) or the paper's name in type at least twice the body size.
    """
    top = min(f.top for f in frags)
    height = max(f.bottom for f in frags) - top
    width = max(f.x1 for f in frags) - min(f.x0 for f in frags)
    limit = top + MASTHEAD_TOP * height
    wide_rules = sorted((r.top + r.bottom) / 2 for r in rules
                        if r.horizontal and r.x1 - r.x0 >= 0.7 * width and r.top < limit)
    candidates = wide_rules[:1]
    if not candidates:  # no rule (a scan): the first band of white at least two lines high
        ordered = sorted(frags, key=lambda f: f.top)
        bottom = ordered[0].bottom
        for frag in ordered[1:]:
            if frag.top - bottom >= 2 * body and frag.top < limit:
                candidates = [(bottom + frag.top) / 2]
                break
            bottom = max(bottom, frag.bottom)
    if not candidates:
        return []
    head = [f for f in frags if f.bottom <= candidates[0]]
    text = " ".join(f.text for f in head)
    if not head or "。" in text:
        return []
    if _DATE_RE.search(text) or _EDITION_RE.search(text) or max(f.size for f in head) >= 2 * body:
        return head
    return []


def _rows(frags: Sequence[Fragment]) -> list[list[Fragment]]:
    """Fragments of one leaf grouped into printed lines, top to bottom."""
    rows: list[list[Fragment]] = []
    for frag in sorted(frags, key=lambda f: (f.top, f.x0)):
        if rows and frag.top < rows[-1][0].bottom - 0.3 * frag.size:  # same line
            rows[-1].append(frag)
        else:
            rows.append([frag])
    return [sorted(row, key=lambda f: f.x0) for row in rows]


class _Writer:
    """Accumulates the page text: blocks separated by blank lines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.headings: list[HeadingLine] = []
        self.paragraph: str | None = None  # the open body paragraph

    def _emit(self, line: str, blank_before: bool) -> int:
        if self.parts:
            sep = "\n\n" if blank_before else "\n"
            self.parts.append(sep)
            self.length += len(sep)
        start = self.length
        self.parts.append(line)
        self.length += len(line)
        return start

    def close_paragraph(self) -> None:
        if self.paragraph is not None and self.paragraph.strip():
            self._emit(normalise_spaces(self.paragraph), True)
        self.paragraph = None

    def heading(self, text: str, size: float, blank_before: bool) -> None:
        self.close_paragraph()
        text = normalise_spaces(text)
        start = self._emit(text, blank_before)
        self.headings.append(HeadingLine(start, start + len(text), size, text))

    def body_line(self, text: str, new_paragraph: bool) -> None:
        if new_paragraph:
            self.close_paragraph()
        self.paragraph = text if self.paragraph is None else join_pair(self.paragraph, text)


def compose(layout: Layout) -> PageText:
    """The page text in reading order, with its headline lines and the masthead's date."""
    writer = _Writer()
    body = layout.body_size
    last_full = False  # the previous body line ran to its column's right edge
    last_size: float | None = None
    for leaf in layout.leaves:
        x0, x1 = leaf.x0, leaf.x1
        rows = _rows(leaf.fragments)
        if leaf.heading:
            for i, row in enumerate(rows):
                size = max(f.size for f in row)
                changed = last_size is None or abs(size - last_size) > SAME_TYPE * size
                writer.heading(" ".join(f.text for f in row), size, blank_before=i == 0 or changed)
                last_size = size
            last_full = False
            continue
        for i, row in enumerate(rows):
            size = statistics.median(f.size for f in row)
            rx0, rx1 = row[0].x0, row[-1].x1
            text = " ".join(f.text for f in row)
            indented = rx0 - x0 >= INDENT * size
            if i == 0:
                new = not last_full or indented or size >= HEADING_RATIO * body
            else:
                new = indented or not last_full
            writer.body_line(text, new)
            last_full = x1 - rx1 < SHORT * size and len(rows) > 1
            last_size = None
    writer.close_paragraph()
    masthead = " ".join(f.text for f in layout.masthead)
    return PageText("".join(writer.parts), masthead_date(masthead), writer.headings, masthead)


def _squash(text: str) -> str:
    return _SQUASH_RE.sub("", text)


def apply_cues(articles: list[Article], page: PageText) -> list[Article]:
    """Title = the headline lines in the largest type, subtitle = the others, where the text rules
    gave an article exactly those lines; other articles are left as the text rules read them."""
    out = []
    for article in articles:
        lines = [h for h in page.headings if article.start <= h.start and h.end <= article.end]
        heading_text = "".join(h.text for h in lines)
        if not lines or sorted(_squash(article.title + article.subtitle)) != sorted(_squash(heading_text)):
            out.append(article)
            continue
        biggest = max(h.size for h in lines)
        if min(h.size for h in lines) >= biggest * (1 - SAME_TYPE):  # one type size: no cue
            out.append(article)
            continue
        title, parts, prev_title = "", [], None
        for line in lines:
            is_title = line.size >= biggest * (1 - SAME_TYPE)
            if is_title:
                title = join_pair(title, line.text) if title else line.text
            elif prev_title is False and parts:
                parts[-1] = join_pair(parts[-1], line.text)
            else:
                parts.append(line.text)
            prev_title = is_title
        out.append(article.model_copy(update={"title": normalise_spaces(title),
                                              "subtitle": " ".join(normalise_spaces(p) for p in parts)}))
    return out
