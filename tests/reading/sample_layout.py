"""Print layout for the project's own sample pages: wrap like a newspaper column, add its quirks.

Used by make_samples.py. A source article is clean text with two markers:
`␣` is a stray space the extraction put before a number (`3月␣14日` prints as `3月 14日`),
and a paragraph starting with `^` follows the previous one without a blank line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

STRAY = "␣"
COLUMN = 36  # 18 Han characters, as on the real page
COLUMN_LINES = 15  # a column ends (a blank line, even mid-sentence) after this many body lines
NO_LINE_START = set("，。、；：！？”’）》」』…%")
NO_LINE_END = set("“‘（《「『")


@dataclass
class Expect:
    """What the reader must find for one article (written by hand, not computed)."""

    title: str
    subtitle: str
    date: str
    approx: bool
    reporters: list[str]
    correspondents: list[str]
    dateline: str
    body_start: str  # first 10 characters of Article.text


@dataclass
class Story:
    """One sample article: its headline block, dateline, paragraphs and byline, as printed."""

    head: str  # as printed: "\n" line break, "\n\n" blank line
    head_after: bool
    dateline: str  # printed start of the first paragraph; "\n" puts it on its own line
    paras: list[str]
    byline: str | list[str] | None  # str: appended to the last line; list: lines of their own
    expect: Expect
    head_gap: str = "\n\n"  # between a headline printed before the body and the body
    after_gap: str = "\n\n"  # after the whole article


@dataclass
class Page:
    """One sample page file."""

    name: str
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"
    stories: list[Story] = field(default_factory=list)


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WFA" else 1


def wrap(text: str, width: int = COLUMN) -> list[str]:
    """Break text into print lines of `width` columns, anywhere (inside words and numbers),
    never starting a line with closing punctuation nor ending one with an opening quote."""
    lines: list[str] = []
    current, used = "", 0
    for char in text:
        w = _width(char)
        if current and used + w > width and char not in NO_LINE_START:
            carry = ""
            if current[-1] in NO_LINE_END:
                carry, current = current[-1], current[:-1]
            lines.append(current)
            current, used = carry, sum(_width(c) for c in carry)
        current += char
        used += w
    if current:
        lines.append(current)
    return lines


def check_strays(text: str) -> None:
    """A stray space may only sit between Chinese text and a digit (the reader removes exactly those)."""
    for i, char in enumerate(text):
        if char != STRAY:
            continue
        before, after = text[i - 1 : i], text[i + 1 : i + 2]
        if not ((after.isdigit() and before and _width(before) == 2) or (before.isdigit() and _width(after) == 2)):
            raise ValueError(f"stray space not next to a number: …{text[max(0, i - 8):i + 8]}…")


class _Column:
    """Counts printed body lines and breaks the column every COLUMN_LINES lines."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, out: list[str], line: str) -> None:
        out.append(line)
        self.count += 1
        if self.count % COLUMN_LINES == 0:
            out.append("")  # column end: a blank line wherever the sentence stands


def render_story(story: Story, column: _Column) -> str:
    """The printed text of one story (without the separator after it)."""
    body: list[str] = []
    paras = list(story.paras)
    dateline_line = None
    if "\n" in story.dateline:
        dateline_line = story.dateline.rstrip("\n")
        first = paras[0]
    else:
        first = story.dateline + paras[0]
    if dateline_line:
        column.add(body, dateline_line)
    for i, marked in enumerate([first, *paras[1:]]):
        joined = marked.startswith("^")
        para = marked.lstrip("^")
        check_strays(para)
        if i and not joined and body and body[-1] != "":
            body.append("")
        lines = wrap(para.replace(STRAY, " "))
        last = i == len(paras) - 1
        if last and isinstance(story.byline, str):
            lines[-1] += story.byline
        for line in lines:
            column.add(body, line)
    if isinstance(story.byline, list):
        body.extend(story.byline)
    body_text = "\n".join(body).strip("\n")
    if story.head_after:
        return f"{body_text}\n\n{story.head}"
    return f"{story.head}{story.head_gap}{body_text}"


def render_page(page: Page) -> str:
    """The printed text of a page."""
    column = _Column()
    parts = []
    for story in page.stories:
        parts.append(render_story(story, column) + story.after_gap)
    return "\n" + "".join(parts)
