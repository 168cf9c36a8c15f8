"""Character classes, print widths and line records shared by the page reader."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Han ideographs (extension A, basic block, compatibility block).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation that sits next to Han text without spaces: CJK symbols (、。《》「」…),
# full-width forms (，：！？（）), curly quotes, ellipsis, dashes, middle dot.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u2015\u00b7"

_HAN_RE = re.compile(f"[{HAN}]")
# A sentence ends in 。！？… possibly followed by closing quotes/brackets: `……硬仗。` `“……吗？”`.
_SENTENCE_END_RE = re.compile(r"[。！？!?…]+[”’」』）)》\"']*$")
# Segmentation only trusts 。: headlines may end in ！ or ？, body paragraphs practically always in 。.
_FULL_STOP_END_RE = re.compile(r"[。][”’」』）)》\"']*$")


def is_han(char: str) -> bool:
    """True for a Han ideograph."""
    return bool(_HAN_RE.match(char))


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


def han_bigrams(text: str) -> set[str]:
    """Pairs of neighbouring Han characters, used to compare a headline with a body."""
    han = "".join(_HAN_RE.findall(text))
    return {han[i : i + 2] for i in range(len(han) - 1)}


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
