"""Headline blocks: which lines form the title, which the subtitle, and how well a block fits a body.

A headline printed in a narrow column breaks across lines (`二七区召开` / `防汛应急演练动员会`):
those lines join into one title. A subtitle is a separate phrase: it stands after a blank line,
or it reads as a slogan rather than a report of who did what (`以实干实绩交出…`, `全力打造…`,
two phrases side by side `聚焦重点行业领域 确保安全检查常态长效`, a comma). When the first
part reads as a slogan and the second does not, the first is a kicker (引题) printed above the
main title, so the second becomes the title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bulletin_qa.reading.chars import Line
from bulletin_qa.reading.reflow import join_pair, normalise_spaces
from bulletin_qa.text.chars import HAN, han_bigrams

# Words that open slogan-like subtitles and kickers in Chinese local news.
SLOGAN_LEADS = (
    "以", "全力", "聚焦", "推动", "助力", "奋力", "加快", "打造", "着力", "坚持", "持续", "确保",
    "努力", "争当", "争做", "凝聚", "守护", "筑牢", "激发", "共建", "共创", "携手", "勇当",
    "扛牢", "深化", "锚定", "跑出", "按下", "奏响", "书写", "绘就", "交出", "擦亮", "做强",
    "当好", "走好", "答好", "让", "为", "用心", "真情", "——", "—",
)
# A part ending in one of these cannot end a title: the next part continues it.
_DANGLING_RE = re.compile(r"[的和与及暨、“《在为对把将向从于]$")
_TWO_PHRASES_RE = re.compile(f"[{HAN}][ \u3000]+[{HAN}]")


def looks_like_subtitle(text: str) -> bool:
    """True when a headline part reads as a slogan (subtitle or kicker) rather than a title."""
    text = text.strip()
    return bool(_TWO_PHRASES_RE.search(text)) or "，" in text or text.startswith(SLOGAN_LEADS)


def _parts(lines: Sequence[Line]) -> list[str]:
    parts: list[str] = []
    for i, line in enumerate(lines):
        new_part = i == 0 or line.blank_before or looks_like_subtitle(line.text)
        if new_part and parts and _DANGLING_RE.search(parts[-1]):
            new_part = False
        if new_part:
            parts.append(line.text)
        else:
            parts[-1] = join_pair(parts[-1], line.text)
    return [normalise_spaces(p) for p in parts]


def split_headline(lines: Sequence[Line]) -> tuple[str, str]:
    """(title, subtitle) of a headline block; both empty for no lines."""
    parts = _parts(lines)
    if not parts:
        return "", ""
    if len(parts) >= 2 and looks_like_subtitle(parts[0]) and not looks_like_subtitle(parts[1]):
        parts[0], parts[1] = parts[1], parts[0]
    return parts[0], " ".join(parts[1:])


def overlap(headline: str, body: str) -> float:
    """Share of the headline's Han bigrams that also occur in the body (0..1)."""
    return overlap_sets(han_bigrams(headline), han_bigrams(body))


def overlap_sets(headline: set[str], body: set[str]) -> float:
    """overlap() on precomputed bigram sets."""
    return len(headline & body) / len(headline) if headline else 0.0
