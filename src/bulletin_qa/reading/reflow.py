"""Undo the print layout: join column line breaks, repair stray spaces, keep real paragraphs.

Rules (each has a row in tests/reading/test_reflow.py):

* Two lines are joined with nothing between them, except when the first ends in a Latin
  letter and the next starts with a Latin letter or digit (`Smart` + `City` -> `Smart City`,
  `Windows` + `11`); a hyphen at the line end is kept (`应战-` + `2023` -> `应战-2023`).
* A paragraph ends after a line that ends a sentence (。！？… plus closing quotes) when a blank
  line follows, or when the line is visibly shorter than the column (the print starts a new
  paragraph on a new line). A blank line after a line that does NOT end a sentence is a
  column end: the lines are joined.
* Inside a line, whitespace runs become one space; a space between a Han character (or
  full-width punctuation) and an ASCII digit is removed, because the print never spaces numbers
  from Chinese text and extraction inserts such spaces where a number began a new text run
  (`5月 6日` -> `5月6日`, `公园 1872项目` -> `公园1872项目`, `召开 2023年` -> `召开2023年`);
  spaces next to full-width punctuation are removed. The space after `本报讯` is kept
  (`本报讯 5月6日`). Spaces between Han characters are kept:
  they are meaningful (`记者 景静`, `聚焦重点行业领域 确保安全检查常态长效`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bulletin_qa.reading.chars import Line, column_width, ends_sentence, split_lines
from bulletin_qa.text.chars import CJK_PUNCT, HAN

# The print column minus two Han characters: a line this much shorter than the column ended early.
SHORT_LINE_SLACK = 4

_SPACES_RE = re.compile(r"[ \t\u3000\u00a0\u2002-\u200a]+")
_WIDE = f"{HAN}{CJK_PUNCT}"
# `本报讯 5月6日`: the space after the dateline marker is printed on purpose, and kept.
_WIDE_SPACE_DIGIT_RE = re.compile(f"(?<=[{_WIDE}])(?<!本报讯) (?=[0-9])")
_DIGIT_SPACE_WIDE_RE = re.compile(f"(?<=[0-9]) (?=[{_WIDE}])")
_SPACE_PUNCT_RE = re.compile(f" (?=[{CJK_PUNCT}])|(?<=[{CJK_PUNCT}]) ")
_LATIN_END_RE = re.compile(r"[A-Za-z]$")
_LATIN_START_RE = re.compile(r"^[A-Za-z0-9]")


def normalise_spaces(text: str) -> str:
    """Collapse whitespace and drop the stray spaces print extraction puts around numbers."""
    text = _SPACES_RE.sub(" ", text).strip()
    text = _WIDE_SPACE_DIGIT_RE.sub("", text)
    text = _DIGIT_SPACE_WIDE_RE.sub("", text)
    return _SPACE_PUNCT_RE.sub("", text)


def join_pair(left: str, right: str) -> str:
    """Join two printed lines of one paragraph (a space only between Latin words)."""
    if _LATIN_END_RE.search(left) and _LATIN_START_RE.match(right):
        return f"{left} {right}"
    return left + right


def is_paragraph_end(line: Line, next_line: Line, column: int) -> bool:
    """True when a real paragraph break falls between `line` and `next_line`."""
    if not ends_sentence(line.text):
        return False
    return next_line.blank_before or line.width <= column - SHORT_LINE_SLACK


def join_paragraphs(lines: Sequence[Line], column: int, texts: Sequence[str] | None = None) -> list[str]:
    """Join printed lines into paragraphs, without normalising spaces yet.

    `texts` overrides line texts (e.g. the last line with its appended byline cut off).
    """
    texts = list(texts) if texts is not None else [line.text for line in lines]
    paragraphs: list[str] = []
    current = ""
    for i, (line, text) in enumerate(zip(lines, texts)):
        current = join_pair(current, text) if current else text
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None or is_paragraph_end(line, nxt, column):
            paragraphs.append(current)
            current = ""
    return [p for p in paragraphs if p.strip()]


def reflow_lines(lines: Sequence[Line], column: int | None = None, texts: Sequence[str] | None = None) -> str:
    """Reflow printed lines into paragraphs separated by one newline."""
    col = column if column is not None else column_width(list(lines))
    return "\n".join(normalise_spaces(p) for p in join_paragraphs(lines, col, texts))


def reflow(text: str) -> str:
    """Reflow a whole printed text (page or article) into clean paragraphs."""
    return reflow_lines(split_lines(text))
