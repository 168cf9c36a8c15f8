"""Sentence splitting, citation-marker parsing and the text keys used to compare answers with sources."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletin_qa.text.chars import CJK_PUNCT, HAN, is_cjk

# Stray spaces next to Chinese text are print artefacts: "5月 6日", "招商公园 1872项目".
_JOINABLE = f"[{HAN}{CJK_PUNCT}0-9A-Za-z%％]"
_SPACE_CJK = re.compile(f"(?<=[{HAN}{CJK_PUNCT}])[ \\t\\u3000]+(?={_JOINABLE})"
                        f"|(?<={_JOINABLE})[ \\t\\u3000]+(?=[{HAN}{CJK_PUNCT}])")
_WIDE = re.compile(f"[{HAN}{CJK_PUNCT}]")
_PARAGRAPH_END = re.compile(r"[。！？!?；;…”’」』）)]$")

# Sentence ends: Chinese terminators (with any closing quotes), English ones before a space, line ends.
# A half-width ! ? ; or . not followed by a space stays inside the sentence ("4.98", "a!b").
_END = r"(?:[。！？{semi}]+[”’」』）)]*|[!?{ascii_semi}]+[\"')\]]*(?=\s|$)|\.(?=\s|$)[\"')\]]*|\n|$)"
_SENTENCE = re.compile(r"[^。！？；\n]*?" + _END.format(semi="；", ascii_semi=";"))
# The same without the semicolons, for callers that keep "一是…；二是…。" as one sentence.
_SENTENCE_WHOLE = re.compile(r"[^。！？\n]*?" + _END.format(semi="", ascii_semi=""))

# [1]  [1, 2]  [1][3]  ［2］ 【2】  [1-3]
CITATION = re.compile(r"[\[［【]\s*(\d{1,3}(?:\s*(?:[,，、;；]|-|–|~)\s*\d{1,3})*)\s*[\]］】]")
_LEADING_CITATIONS = re.compile(rf"^\s*(?:{CITATION.pattern}\s*)+")
# "1. ", "2、", "- ", "* " at the start of an answer line: list bullets, not sentences. "3.8亿元" is a
# number, not bullet 3 and "8亿元".
_BULLET = re.compile(r"^[ \t]*(?:\d{1,2}(?:\.(?!\d)|[、)）])|[-*•·])[ \t]*", re.MULTILINE)


def _join(left: str, right: str) -> str:
    """Join two pieces of one sentence: no space between Chinese text, one space between Latin words."""
    if not left or not right:
        return left + right
    boundary = left[-1] + right[0]
    return left + right if _WIDE.search(boundary) else f"{left} {right}"


def clean_text(text: str) -> str:
    """Undo print-column artefacts: join hard breaks and stray spaces inside Chinese sentences."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t\u3000]*\n", text):
        para = ""
        for line in block.split("\n"):
            para = _join(para, line.strip())
        if not para:
            continue
        # A blank line after an unfinished sentence is a column end, not a paragraph end.
        if paragraphs and not _PARAGRAPH_END.search(paragraphs[-1]) and is_cjk(paragraphs[-1][-1] + para[0]):
            paragraphs[-1] = _join(paragraphs[-1], para)
        else:
            paragraphs.append(para)
    return "\n".join(_SPACE_CJK.sub("", p) for p in paragraphs)


def split_sentences(text: str, *, clauses_over: int = 0) -> list[str]:
    """Split cleaned text into sentences (Chinese and English terminators, semicolons, line ends).

    With `clauses_over=N` a semicolon ends a sentence only in sentences longer than N characters:
    extractive summaries keep a short enumeration whole but do not let a long one eat the budget.
    """
    if not clauses_over:
        return _pieces(_SENTENCE, text)
    out: list[str] = []
    for sentence in _pieces(_SENTENCE_WHOLE, text):
        out.extend(_pieces(_SENTENCE, sentence) if len(sentence) > clauses_over else [sentence])
    return out


def _pieces(pattern: re.Pattern[str], text: str) -> list[str]:
    """The stripped matches of `pattern` that hold at least one word character."""
    return [s for s in (m.group(0).strip() for m in pattern.finditer(text)) if s and re.search(r"\w", s)]


def parse_citation_numbers(inner: str) -> list[int]:
    """'1, 3-4' -> [1, 3, 4] (the inside of one citation bracket)."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,，、;；]\s*", inner.strip()):
        bounds = re.split(r"\s*[-–~]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            numbers.extend(range(lo, hi + 1) if 0 < hi - lo < 20 else [lo, hi])
        elif part.isdigit():
            numbers.append(int(part))
    return numbers


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of a generated answer with the source numbers it cites."""

    text: str
    cited: tuple[int, ...]

    @property
    def plain(self) -> str:
        """The sentence without its citation markers."""
        return CITATION.sub("", self.text).strip()


def split_answer(text: str) -> list[AnswerSentence]:
    """Split an answer into sentences; markers placed after the full stop belong to the sentence before."""
    pieces = split_sentences(_BULLET.sub("", text))
    merged: list[str] = []
    for piece in pieces:
        lead = _LEADING_CITATIONS.match(piece)
        rest = piece
        if lead and merged:
            merged[-1] += lead.group(0).strip()
            rest = piece[lead.end():].strip()
            if not rest or not re.search(r"\w", CITATION.sub("", rest)):
                continue
        merged.append(rest)
    out = []
    for sentence in merged:
        numbers: list[int] = []
        for m in CITATION.finditer(sentence):
            numbers.extend(n for n in parse_citation_numbers(m.group(1)) if n not in numbers)
        out.append(AnswerSentence(text=sentence, cited=tuple(numbers)))
    return out
