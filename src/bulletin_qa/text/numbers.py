"""Mechanical number check between a Chinese source and a generated text (translation or summary).

Required numbers are the Arabic-digit numbers of the source: a faithful translation keeps every
one. Allowed numbers are those plus the values of Chinese numerals (三十 -> 30), scaled forms
(1.2万 -> 12000, 3亿 -> 300 million) and the caller's context (the article date), because a
translation may legitimately write any of them. A generated number that is not allowed was
added by the model; a required number that the output lacks was dropped or changed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bulletin_qa.text.numerals import cn_to_int as chinese_numeral

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_ZH_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万亿|亿|万|千|百)?\s*(月)?")
_EN_NUMBER = re.compile(r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(hundred million|thousand|million|billion|trillion))?",
                        re.IGNORECASE)
_ZH_SCALE = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8,
             "万亿": Decimal(10) ** 12}
_EN_SCALE = {"thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
             "trillion": Decimal(10) ** 12, "hundred million": Decimal(10) ** 8}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                  "ninety": 90, "hundred": 100, "dozen": 12, "first": 1, "second": 2, "third": 3,
                  "fourth": 4, "fifth": 5, "half": 0})
_ZH_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def source_numbers(text: str) -> tuple[dict[str, set[Decimal]], set[Decimal], set[str]]:
    """(required: printed form -> acceptable values, all allowed values, month names allowed)."""
    text = text.translate(_FULLWIDTH)
    required: dict[str, set[Decimal]] = {}
    allowed: set[Decimal] = set()
    months: set[str] = set()
    for m in _ZH_NUMBER.finditer(text):
        value = _decimal(m.group(1))
        if value is None:
            continue
        forms = {value}
        if m.group(2):
            forms.add(value * _ZH_SCALE[m.group(2)])
        if m.group(3) and 1 <= value <= 12 and value == int(value):
            months.add(MONTHS[int(value) - 1])
        required.setdefault(m.group().strip(), set()).update(forms)
        allowed |= forms
    for m in _ZH_NUMERAL.finditer(text):
        value = chinese_numeral(m.group())
        if value is not None:
            allowed.add(Decimal(value))
            if 1 <= value <= 12:
                months.add(MONTHS[value - 1])
    return required, allowed, months


def output_numbers(text: str) -> dict[str, set[Decimal]]:
    """Numbers written with digits in a generated text (English or Chinese): printed form -> readings."""
    text = text.translate(_FULLWIDTH)
    found: dict[str, set[Decimal]] = {}
    for m in _EN_NUMBER.finditer(text):
        value = _decimal(m.group(1))
        if value is None:
            continue
        scale = (m.group(2) or "").lower()
        readings = {value * _EN_SCALE[scale] if scale else value}
        printed = m.group().strip()
        # "12万" in a Chinese summary is 120000; either reading may match the source.
        for unit in ("万亿", "亿", "万"):
            if text.startswith(unit, m.end()):
                readings.add(value * _ZH_SCALE[unit])
                printed += unit
                break
        found.setdefault(printed, set()).update(readings)
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
