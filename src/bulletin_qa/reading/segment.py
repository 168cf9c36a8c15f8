"""Split a printed page into article bodies and give each its headline block.

1. Bodies. A dateline line (`本报讯 …`) opens a body; a byline (alone on a line, or after the
   last 。 of a line) closes it. A body closed by the next dateline instead gives back its
   trailing lines after its last 。 (at most four): they are a headline printed after it.
   Text between bodies that holds a sentence ending in 。 is a body without a dateline: it
   starts at the paragraph of its first 。 line (full-width lines before it belong to it) and
   ends at its last 。 line or its byline.
2. Gaps. What is left between bodies are headline lines. Each gap is cut in two: the part
   above the cut is the headline printed after the body before the gap, the part below is the
   headline printed before the body after it. The cuts for the whole page are chosen together
   (dynamic programming over the gaps) to maximise a score per article: every article should
   get exactly one headline block (missing -4, two blocks -6), each headline line should share
   words with the body it is given (+3 x the share of the line's Han bigrams found in that body,
   e.g. 郑州机械研究所, 安全生产, 安置房), blocks before the body are the usual layout (+0.25),
   and a cut between two lines that touch (no blank line) splits a broken title (-1.5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bulletin_qa.reading.bylines import Byline, parse_byline, split_appended_byline
from bulletin_qa.reading.chars import Line, ends_with_full_stop
from bulletin_qa.reading.datelines import starts_with_dateline
from bulletin_qa.reading.headlines import overlap_sets
from bulletin_qa.reading.reflow import SHORT_LINE_SLACK
from bulletin_qa.text.chars import han_bigrams

MAX_TRAILING_HEADLINE_LINES = 4
MISSING_HEADLINE = -4.0
TWO_HEADLINES = -6.0
OVERLAP_WEIGHT = 3.0
BEFORE_BONUS = 0.25
CUT_THROUGH_BLOCK = -1.5
LONG_BLOCK = -1.5  # per line beyond three: a headline block is title + subtitle, rarely more


@dataclass
class Body:
    """The lines of one article body, with its byline."""

    lines: list[Line]
    dated: bool = False
    last_text: str | None = None  # body part of the last line when a byline was appended to it
    byline_lines: list[Line] = field(default_factory=list)
    byline: Byline = field(default_factory=Byline)

    @property
    def texts(self) -> list[str]:
        """Line texts, the last one without its appended byline."""
        texts = [line.text for line in self.lines]
        if self.last_text is not None and texts:
            texts[-1] = self.last_text
        return texts

    def add_byline(self, line: Line, byline: Byline) -> None:
        """Record a byline line that credits this body."""
        self.byline_lines.append(line)
        self.byline.merge(byline)


@dataclass
class Segment:
    """One article found on a page: its body and its headline lines."""

    body: Body
    headline: list[Line]
    headline_after: bool = False
    unused: list[Line] = field(default_factory=list)  # headline lines after a body that had one before

    @property
    def start(self) -> int:
        """Offset of the article's first character (headline included)."""
        return min(line.start for line in [*self.headline, *self.body.lines, *self.unused])

    @property
    def end(self) -> int:
        """Offset just past the article's last character (headline and byline included)."""
        return max(line.end for line in [*self.headline, *self.body.lines, *self.body.byline_lines, *self.unused])


def _carve(
    gap: list[Line], column: int, last_text: str | None = None, to_end: bool = False
) -> tuple[list[Line], list[Line], list[Line]] | None:
    """Split a gap into (lines before, dateless body, lines after); None when it holds no sentence.

    `last_text` replaces the last line's text (its appended byline cut off); `to_end` makes the
    body run to the gap's end (a byline follows it).
    """
    texts = [line.text for line in gap]
    if last_text is not None:
        texts[-1] = last_text
    stops = [i for i, text in enumerate(texts) if ends_with_full_stop(text)]
    if not stops:
        return None
    start = stops[0]
    # Lines of the same paragraph above the first 。 line are full-width; a short one is a headline.
    while start > 0 and not gap[start].blank_before and gap[start - 1].width >= column - SHORT_LINE_SLACK:
        start -= 1
    end = len(gap) - 1 if to_end else stops[-1]
    return gap[:start], gap[start : end + 1], gap[end + 1 :]


def _peel(body: Body) -> list[Line]:
    """Cut a byline-less body's trailing lines after its last 。 and return them (a headline)."""
    texts = body.texts
    stops = [i for i, text in enumerate(texts) if ends_with_full_stop(text)]
    if not stops or stops[-1] == len(texts) - 1:
        return []
    tail = body.lines[stops[-1] + 1 :]
    if len(tail) > MAX_TRAILING_HEADLINE_LINES:
        return []
    body.lines = body.lines[: stops[-1] + 1]
    return tail


class _Scanner:
    """Walks a page's lines once, opening bodies at datelines and closing them at bylines."""

    def __init__(self, column: int) -> None:
        self.column = column
        self.bodies: list[Body] = []
        self.gaps: list[list[Line]] = [[]]  # gaps[i] precedes bodies[i]; the last one is open
        self.current: Body | None = None
        self.recognised = False

    def close(self, tail: list[Line]) -> None:
        """Close the open body; `tail` starts the next gap."""
        assert self.current is not None
        self.bodies.append(self.current)
        self.gaps.append(tail)
        self.current = None

    def line(self, line: Line) -> None:
        """Take the next printed line."""
        if starts_with_dateline(line.text):
            self.recognised = True
            if self.current is not None:
                self.close(_peel(self.current))
            self.current = Body([], dated=True)  # the line is added below: it may end in a byline
        opening = self.current is not None and not self.current.lines
        standalone = None if opening else parse_byline(line.text)
        if standalone is not None:
            self.byline(line, None, standalone)
        elif (appended := split_appended_byline(line.text)) is not None:
            self.byline(line, *appended)
        elif self.current is not None:
            self.current.lines.append(line)
        else:
            self.gaps[-1].append(line)

    def byline(self, line: Line, last_text: str | None, byline: Byline) -> None:
        """A byline line: alone (`last_text` None) or after the body text `last_text`."""
        self.recognised = True
        body = self.current
        if body is None:
            gap = self.gaps[-1] + ([line] if last_text is not None else [])
            carved = _carve(gap, self.column, last_text, to_end=True) if gap else None
            if carved is None:
                if self.bodies and not self.gaps[-1]:
                    self.bodies[-1].add_byline(line, byline)  # a second byline line: `通讯员 左学彬 周祎`
                else:
                    self.gaps[-1].append(line)  # a byline with no text before it: leave it as text
                return
            self.gaps[-1], body_lines, _ = carved  # an article without a dateline ends here
            body = self.current = Body(body_lines)
        if last_text is None:
            body.add_byline(line, byline)
        else:
            if not body.lines or body.lines[-1] is not line:
                body.lines.append(line)
            body.last_text = last_text
            body.byline.merge(byline)
        self.close([])

    def finish(self) -> tuple[list[Body], list[list[Line]], bool]:
        """Bodies, the gaps around them (len(gaps) == len(bodies) + 1), and whether a dateline or a
        byline was recognised at all."""
        if self.current is not None:
            self.close(_peel(self.current))
        return self.bodies, self.gaps, self.recognised


def find_bodies(lines: list[Line], column: int) -> tuple[list[Body], list[list[Line]], bool]:
    """Bodies and the gaps around them, and whether anything was recognised (see _Scanner)."""
    scanner = _Scanner(column)
    for line in lines:
        scanner.line(line)
    return scanner.finish()


def _split_dateless(bodies: list[Body], gaps: list[list[Line]], column: int) -> None:
    """Turn sentences left in gaps (articles without dateline or byline) into bodies, in place."""
    i = 0
    while i < len(gaps):
        carved = _carve(gaps[i], column)
        if carved is None:
            i += 1
            continue
        before, body_lines, after = carved
        gaps[i : i + 1] = [before, after]
        bodies.insert(i, Body(body_lines))
        i += 1


def _score(fit: dict[tuple[str, int], float], i: int, before: list[Line], after: list[Line]) -> float:
    if before and after:
        score = TWO_HEADLINES
    elif not before and not after:
        return MISSING_HEADLINE
    else:
        score = BEFORE_BONUS if before else 0.0
    block = before + after
    # Summed per line, so moving one line to the other body compares its fit with both.
    score += OVERLAP_WEIGHT * sum(fit[(line.text, i)] for line in block)
    return score + LONG_BLOCK * max(0, len(block) - 3)


def _cut_penalty(gap: list[Line], cut: int) -> float:
    inside = 0 < cut < len(gap)
    return CUT_THROUGH_BLOCK if inside and not gap[cut].blank_before else 0.0


def assign_headlines(bodies: list[Body], gaps: list[list[Line]]) -> list[Segment]:
    """Cut every gap so each body gets the headline block that fits it best (see module doc)."""
    grams = [han_bigrams("".join(body.texts)) for body in bodies]
    # How well each gap line fits each of the two bodies around its gap.
    fit = {
        (line.text, i): overlap_sets(han_bigrams(line.text), grams[i])
        for g, gap in enumerate(gaps)
        for line in gap
        for i in (g - 1, g)
        if 0 <= i < len(bodies)
    }
    # best[cut] = (score, cuts so far) for the gap before body i, cut at `cut`.
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [0])}  # nothing above the first body
    for i in range(len(bodies)):
        below = gaps[i + 1]
        cuts = [len(below)] if i == len(bodies) - 1 else list(range(len(below) + 1))
        nxt: dict[int, tuple[float, list[int]]] = {}
        for cut in cuts:
            for prev_cut, (score, path) in best.items():
                total = score + _score(fit, i, gaps[i][prev_cut:], below[:cut]) + _cut_penalty(below, cut)
                if cut not in nxt or total > nxt[cut][0]:
                    nxt[cut] = (total, [*path, cut])
        best = nxt
    _, path = max(best.values(), key=lambda item: item[0])
    segments = []
    for i, body in enumerate(bodies):
        before, after = gaps[i][path[i] :], gaps[i + 1][: path[i + 1]]
        segments.append(Segment(body, before or after, not before and bool(after), after if before else []))
    return segments


def segment_page(lines: list[Line], column: int) -> list[Segment] | None:
    """Articles of a page in print order; None when no dateline or byline was recognised."""
    bodies, gaps, recognised = find_bodies(lines, column)
    if not recognised:
        return None
    _split_dateless(bodies, gaps, column)
    if not bodies:
        return None
    return assign_headlines(bodies, gaps)
