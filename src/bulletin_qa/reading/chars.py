"""Print widths, sentence ends and line records shared by the page reader (character classes: text/chars.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A sentence ends in 。！？… possibly followed by closing quotes/brackets: `……硬仗。` `“……吗？”`.
_SENTENCE_END_RE = re.compile(r"[。！？!?…]+[”’」』）)》\"']*$")
# Segmentation only trusts 。: headlines may end in ！ or ？, body paragraphs practically always in 。.
_FULL_STOP_END_RE = re.compile(r"[。][”’」』）)》\"']*$")


def char_width(char: str) -> int:
    """Print width of one character: 2 for wide/full-width (Han, ，“”), 1 for ASCII."""
    return 2 if unicodedata.east_asian_width(char) in "WFA" else 1


def display_width(text: str) -> int:
    """Print width of a line, in half-width columns."""
    return sum(char_width(c) for c in text)


def ends_sentence(text: str) -> bool:
    """True when the text ends a sentence (。！？… with optional closing quotes)."""
    return bool(_SENTENCE_END_RE.search(text))


def ends_with_full_stop(text: str) -> bool:
    """True when the text ends with 。 (optionally inside closing quotes)."""
    return bool(_FULL_STOP_END_RE.search(text))


@dataclass(frozen=True)
class Line:
    """One non-blank printed line: stripped text, its offsets in the source, and layout facts."""

    text: str
    start: int
    end: int
    blank_before: bool

    @property
    def width(self) -> int:
        """Print width in half-width columns."""
        return display_width(self.text)


def split_lines(source: str) -> list[Line]:
    """Non-blank lines of `source` with offsets (source[line.start:line.end] == line.text)."""
    lines: list[Line] = []
    blank = True  # the first line opens a block, as if a blank line preceded it
    pos = 0
    for raw in source.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            start = pos + len(raw) - len(raw.lstrip())
            lines.append(Line(stripped, start, start + len(stripped), blank))
            blank = False
        else:
            blank = True
        pos += len(raw)
    return lines


def column_width(lines: list[Line]) -> int:
    """The print column's width: the 80th-percentile line width (most body lines are full)."""
    widths = sorted(line.width for line in lines)
    if not widths:
        return 0
    return widths[min(len(widths) - 1, int(len(widths) * 0.8))]
