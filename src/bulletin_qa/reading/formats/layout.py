"""Page geometry -> reading order: glyphs -> line fragments -> columns and boxes (recursive XY-cut).

Both the PDF reader (characters with positions, sizes and fonts) and the OCR reader (recognised
text boxes, split into characters) hand this module *glyphs*. They become:

1. **Fragments**: glyphs on one baseline with no gap wider than GLYPH_GAP x their size between
   them. A column gutter is wider than that, so a fragment never crosses columns, even when the
   columns' lines share baselines.
2. **Leaves** in reading order, by recursive XY-cut: a region is cut at the widest empty band
   across it, horizontal or vertical; a printed rule in the band makes it a much stronger cut
   (RULE_BONUS), and horizontal bands are preferred (HORIZONTAL_WEIGHT) because a headline
   spans the columns of its own article, never the boxes beside it. So a page splits into the
   masthead and the boxes, a box into its headline and its columns, read top to bottom and left
   to right. What cannot be cut is a leaf: one column of one box, or one headline.
3. A headline printed *under* its body (a box that ends with large type, as on the real page)
   is moved before its body: the box says which article it belongs to.

Why XY-cut and not "sort lines by y, then x": columns share baselines, so that interleaves them.
Thresholds are in units of the page's body type size, chosen on the `stacked` layout of
hewan-2024-03-15 (evaluation/typeset.py) and checked on the other layouts and pages.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

GLYPH_GAP = 0.8  # a gap this wide (x size) between glyphs of a line is a column gutter
OCR_GLYPH_GAP = 1.2  # OCR character boxes are narrower than the glyphs: gaps inside words reach 0.6
SPACE_GAP = 0.2  # a gap this wide inside a fragment was a space in the text
MIN_H_GAP = 0.9  # an empty horizontal band this high (x body size) can cut; line spacing is ~0.6
MIN_V_GAP = 0.5  # an empty vertical band this wide can cut; gutters are >= 1 character
HORIZONTAL_WEIGHT = 1.5
RULE_BONUS = 3.0
RULE_SPAN = 0.5  # a rule counts when it runs along at least half the region
HEADING_RATIO = 1.2  # type this much larger than the body type is a headline
SUBHEADING_RATIO = 1.1  # ... and a subtitle in the same block at least this much (OCR sizes are +-5%)


@dataclass(frozen=True)
class Glyph:
    """One character (or, from OCR, one recognised piece of text) with its box in page units."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    """A printed rule (thin line) between boxes or columns."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        """True for a rule wider than tall."""
        return self.x1 - self.x0 >= self.bottom - self.top


@dataclass
class Fragment:
    """A run of glyphs on one baseline inside one column."""

    glyphs: list[Glyph]
    space_gap: float | None = SPACE_GAP  # None: the glyphs carry their own spaces (OCR)
    text: str = ""

    def __post_init__(self) -> None:
        if not self.text:
            self.text = _join_glyphs(self.glyphs, self.space_gap)

    @property
    def x0(self) -> float:
        """Left edge."""
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        """Right edge."""
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        """Top edge."""
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        """Bottom edge."""
        return max(g.bottom for g in self.glyphs)

    @property
    def size(self) -> float:
        """Median type size of its glyphs."""
        return statistics.median(g.size for g in self.glyphs)

    @property
    def bold(self) -> bool:
        """True when most of its glyphs are bold."""
        return sum(g.bold for g in self.glyphs) * 2 > len(self.glyphs)


@dataclass
class Leaf:
    """A region the XY-cut could not split further: one column, one headline, one masthead part."""

    fragments: list[Fragment]
    heading: bool = False

    @property
    def x0(self) -> float:
        """Left edge of the column."""
        return min(f.x0 for f in self.fragments)

    @property
    def x1(self) -> float:
        """Right edge of the column."""
        return max(f.x1 for f in self.fragments)


@dataclass
class Layout:
    """A page in reading order."""

    leaves: list[Leaf]
    body_size: float
    masthead: list[Fragment] = field(default_factory=list)


def _join_glyphs(glyphs: Sequence[Glyph], space_gap: float | None) -> str:
    """Glyph texts joined; a space where a gap is wider than the line's usual gap by `space_gap` x size
    (justified lines spread every gap, so the usual gap is the baseline, not zero)."""
    if space_gap is None or len(glyphs) < 2:
        return "".join(g.text for g in glyphs)
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(glyphs)]
    usual = max(0.0, statistics.median(gaps))
    parts = [glyphs[0].text]
    for gap, glyph in zip(gaps, glyphs[1:]):
        if gap - usual > space_gap * glyph.size and not parts[-1].endswith(" "):
            parts.append(" ")
        parts.append(glyph.text)
    return "".join(parts)


def fragments(glyphs: Sequence[Glyph], space_gap: float | None = SPACE_GAP, glyph_gap: float = GLYPH_GAP
              ) -> list[Fragment]:
    """Glyphs grouped into line fragments: same baseline, no gutter-wide gap inside."""
    rows: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: ((g.top + g.bottom) / 2, g.x0)):
        centre = (glyph.top + glyph.bottom) / 2
        if rows:
            row = rows[-1]
            row_centre = (row[0].top + row[0].bottom) / 2
            if abs(centre - row_centre) <= 0.4 * min(glyph.size, row[0].size):
                row.append(glyph)
                continue
        rows.append([glyph])
    out: list[Fragment] = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        current = [row[0]]
        for glyph in row[1:]:
            prev = current[-1]
            size = min(glyph.size, prev.size)
            same_type = max(glyph.size, prev.size) <= HEADING_RATIO * size
            if glyph.x0 - prev.x1 > glyph_gap * size or not same_type:
                out.append(Fragment(current, space_gap))
                current = [glyph]
            else:
                current.append(glyph)
        out.append(Fragment(current, space_gap))
    return [f for f in out if f.text.strip()]


def body_size(frags: Sequence[Fragment]) -> float:
    """The body type size: the median size over characters (most characters are body text).

    A weighted median rather than the most common size: OCR box heights vary by a pixel or two,
    so no single size is common, while the median still lands in the body type.
    """
    weighted = sorted((f.size, len(f.text)) for f in frags)
    total = sum(n for _, n in weighted)
    if not total:
        return 10.0
    seen = 0
    for size, count in weighted:
        seen += count
        if seen * 2 >= total:
            return size
    return weighted[-1][0]


def _bands(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Empty bands between the merged spans."""
    spans = sorted(spans)
    bands = []
    end = spans[0][1]
    for lo, hi in spans[1:]:
        if lo > end:
            bands.append((end, lo))
        end = max(end, hi)
    return bands


def _rule_in(rules: Sequence[Rule], band: tuple[float, float], across: tuple[float, float], horizontal: bool) -> bool:
    lo, hi = band
    a0, a1 = across
    for rule in rules:
        if rule.horizontal != horizontal:
            continue
        pos = (rule.top + rule.bottom) / 2 if horizontal else (rule.x0 + rule.x1) / 2
        r0, r1 = (rule.x0, rule.x1) if horizontal else (rule.top, rule.bottom)
        overlap = min(r1, a1) - max(r0, a0)
        if lo - 2 <= pos <= hi + 2 and overlap >= RULE_SPAN * (a1 - a0):
            return True
    return False


def _best_cut(frags: list[Fragment], rules: Sequence[Rule], body: float) -> tuple[bool, float] | None:
    """(horizontal?, position) of the strongest cut through the region, or None."""
    xs = (min(f.x0 for f in frags), max(f.x1 for f in frags))
    ys = (min(f.top for f in frags), max(f.bottom for f in frags))
    best: tuple[float, bool, float] | None = None
    for horizontal in (True, False):
        spans = [(f.top, f.bottom) if horizontal else (f.x0, f.x1) for f in frags]
        for lo, hi in _bands(spans):
            gap = (hi - lo) / body
            if gap < (MIN_H_GAP if horizontal else MIN_V_GAP):
                continue
            score = gap * (HORIZONTAL_WEIGHT if horizontal else 1.0)
            if _rule_in(rules, (lo, hi), xs if horizontal else ys, horizontal):
                score += RULE_BONUS
            if best is None or score > best[0]:
                best = (score, horizontal, (lo + hi) / 2)
    return None if best is None else (best[1], best[2])


def _is_heading(frags: Sequence[Fragment], body: float) -> bool:
    """Headline type: mostly HEADING_RATIO x the body size, none of it body-sized (a subtitle is smaller)."""
    sizes = [f.size for f in frags]
    return statistics.median(sizes) >= HEADING_RATIO * body and min(sizes) >= SUBHEADING_RATIO * body


def _cut(frags: list[Fragment], rules: Sequence[Rule], body: float, depth: int = 0) -> list[Leaf]:
    cut = _best_cut(frags, rules, body) if len(frags) > 1 and depth < 200 else None  # recursion guard
    if cut is None:
        return [Leaf(sorted(frags, key=lambda f: (f.top, f.x0)), heading=_is_heading(frags, body))]
    horizontal, pos = cut
    first = [f for f in frags if (f.bottom if horizontal else f.x1) <= pos]
    second = [f for f in frags if (f.bottom if horizontal else f.x1) > pos]
    before = _cut(first, rules, body, depth + 1)
    after = _cut(second, rules, body, depth + 1)
    if horizontal and all(leaf.heading for leaf in after) and not any(leaf.heading for leaf in before):
        return after + before  # a box that ends with its headline: the headline belongs before the body
    return before + after


def read_layout(glyphs: Sequence[Glyph], rules: Sequence[Rule] = (), masthead_test=None,  # type: ignore[no-untyped-def]
                space_gap: float | None = SPACE_GAP, glyph_gap: float = GLYPH_GAP) -> Layout:
    """A page's glyphs and rules -> leaves in reading order; `masthead_test(frags, rules, body)`
    picks the masthead fragments, which are kept apart from the text."""
    frags = fragments(glyphs, space_gap, glyph_gap)
    if not frags:
        return Layout([], 10.0)
    body = body_size(frags)
    masthead: list[Fragment] = []
    if masthead_test is not None:
        masthead = masthead_test(frags, rules, body)
        frags = [f for f in frags if f not in masthead]
    leaves = _cut(frags, rules, body) if frags else []
    return Layout(leaves, body, masthead)
