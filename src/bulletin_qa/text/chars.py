"""Chinese character classes: the one definition of a Han character and of CJK punctuation.

Every regex that asks "is this Chinese?" builds on `HAN` and `CJK_PUNCT`, the page reader's
layout rules as much as the answer checks, so a character counts the same everywhere.
"""

from __future__ import annotations

import re

# Han ideographs (extension A, basic block, compatibility block).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation that sits next to Han text without spaces: CJK symbols (、。《》「」…),
# full-width forms (，：！？（）), curly quotes, ellipsis, dashes, middle dot.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u2015\u00b7"

HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN = re.compile(f"[{HAN}]+")


def is_han(char: str) -> bool:
    """True for a Han ideograph (tests the first character)."""
    return bool(HAN_RE.match(char))


def is_cjk(text: str) -> bool:
    """True when `text` contains at least one Chinese character."""
    return bool(HAN_RE.search(text))


def all_han(text: str) -> bool:
    """True when `text` is non-empty and made of Han ideographs only."""
    return bool(HAN_RUN.fullmatch(text))


def han_bigrams(text: str) -> set[str]:
    """Pairs of neighbouring Han characters, used to compare a headline with a body."""
    han = "".join(HAN_RE.findall(text))
    return {han[i : i + 2] for i in range(len(han) - 1)}


def detect_lang(text: str) -> str:
    """'zh' when Chinese characters make up a fair share of the letters, else 'en'."""
    cjk = len(HAN_RE.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    # A Chinese question often names Latin things ("RCEP", "GDP"); 3 Latin letters ~ 1 Chinese word.
    return "zh" if cjk and cjk * 3 >= latin else "en"
