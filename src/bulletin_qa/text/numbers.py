"""Mechanical number check between a Chinese source and a generated text (translation, summary, digest).

Numbers are read by the one parser, `numerals.number_mentions` (digits, scales such as 1.2亿 or
"120 million", percentages and Chinese numerals, also when glued to Chinese characters: 规模999亿元).

Required numbers are the digit numbers of the source: a faithful translation keeps every one.
Allowed numbers are the values of every source number (三十 -> 30, 1.2亿 -> 1.2 and 120000000) and of
the caller's context (the article date), because a translation may legitimately write any of them.
A generated number that is not allowed was added by the model; a required number that the output
lacks was dropped or changed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bulletin_qa.text.numerals import NumberMention, number_mentions
from bulletin_qa.text.numerals import cn_to_int as chinese_numeral

__all__ = ["MONTHS", "check_numbers", "chinese_numeral", "output_numbers", "source_numbers"]

_ZH_SCALED = re.compile(r"\d\s*[万亿千]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                  "ninety": 90, "hundred": 100, "dozen": 12, "first": 1, "second": 2, "third": 3,
                  "fourth": 4, "fifth": 5, "half": 0})


def _readings(m: NumberMention) -> set[Decimal]:
    """12万 may be read as 120000 or, loosely, 12; "1.2 billion" only as 1200000000."""
    return {m.value, m.base} if _ZH_SCALED.search(m.printed) else {m.value}


def _month(m: NumberMention, text: str) -> str | None:
    """The English month name when the number is written as a month (5月)."""
    if text.startswith("月", m.end) and m.value == int(m.value) and 1 <= m.value <= 12:
        return MONTHS[int(m.value) - 1]
    return None


def source_numbers(text: str) -> tuple[dict[str, set[Decimal]], set[Decimal], set[str]]:
    """(required: printed form -> acceptable values, all allowed values, month names allowed)."""
    text = text.translate(_FULLWIDTH)
    required: dict[str, set[Decimal]] = {}
    allowed: set[Decimal] = set()
    months: set[str] = set()
    for m in number_mentions(text):
        month = _month(m, text)
        if month:
            months.add(month)
        if m.digits:
            required.setdefault(m.printed + ("月" if month else ""), set()).update(_readings(m))
        allowed |= _readings(m)
    return required, allowed, months


def output_numbers(text: str) -> dict[str, set[Decimal]]:
    """Numbers a generated text states (English or Chinese): printed form -> readings.

    A lone Chinese numeral before a measure word (一次, 两项) is left out: paraphrase uses them freely.
    """
    found: dict[str, set[Decimal]] = {}
    for m in number_mentions(text.translate(_FULLWIDTH)):
        if m.digits or len(m.printed) > 1:
            found.setdefault(m.printed, set()).update(_readings(m))
    return found


def _word_values(text: str) -> set[Decimal]:
    words = re.findall(r"[a-z]+", text.lower())
    return {Decimal(_EN_WORDS[w]) for w in words if w in _EN_WORDS}


def check_numbers(source: str, output: str, *, complete: bool, context: str = "") -> list[str]:
    """Report numbers the output added (always) and source numbers it lacks (when `complete`)."""
    required, allowed, months = source_numbers(source)
    _, context_allowed, context_months = source_numbers(context)
    allowed |= context_allowed
    months |= context_months
    produced = output_numbers(output)
    produced_values = set().union(*produced.values()) if produced else set()
    # "ten" or "May" also carry a source number, but only digits can be counted as added:
    # spelled words ("one of the") are too common to flag.
    lowered = output.lower()
    spelled = _word_values(output)
    issues: list[str] = []
    if complete:
        for printed, values in required.items():
            if values & produced_values or values & spelled:
                continue
            if any(MONTHS[int(v) - 1] in lowered for v in values if "月" in printed and 1 <= v <= 12):
                continue
            issues.append(f"number {printed!r} of the source is missing from the output")
    for printed, readings in produced.items():
        if readings & allowed:
            continue
        issues.append(f"number {printed!r} in the output does not occur in the source")
    return issues
