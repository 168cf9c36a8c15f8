"""English questions answered offline from Chinese articles, through the glossary.

Dense retrieval reads English (the multilingual embedder), so the right Chinese article is usually
among the hits; the answer model needs the question's words in Chinese. english_query maps the
English names, titles and terms the glossary knows (Erqi District -> 二七区, flood control -> 防汛)
to a Chinese query keeping the English question's type (who / when / where / how many). The answer
then quotes the Chinese sentence as printed, untranslated, and english_gloss renders the names,
titles, numbers and dates in it from the glossary.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bulletin_qa.answering.question import Query, analyse, question_type
from bulletin_qa.text.numerals import extract_dates, extract_numbers

if TYPE_CHECKING:
    from bulletin_qa.names.glossary import Entry, Glossary


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.casefold()) + " "


def glossary_terms(question: str, glossary: Glossary | None) -> list[Entry]:
    """Glossary entries whose English rendering occurs in the question (whole words), longest first."""
    if glossary is None:
        return []
    asked = _words(question)
    found = [e for e in glossary.entries.values() if e.en.strip() and _words(e.en) in asked]
    return sorted(found, key=lambda e: -len(e.en))


def english_query(query: Query, glossary: Glossary | None) -> Query | None:
    """A Chinese query from the glossary terms of an English question, with its answer type; None when
    the glossary knows none of its words (nothing can then be matched in Chinese)."""
    terms = glossary_terms(query.text, glossary)
    if not terms:
        return None
    chinese = analyse("，".join(e.zh for e in terms))
    # No slot words: the Chinese text is a list of terms, not a question with an answer slot.
    return replace(chinese, qtype=question_type(query.text), lang="en", slots=(), predicates=())


def english_gloss(sentence: str, glossary: Glossary | None) -> list[str]:
    """Lines glossing a Chinese sentence in English: its glossary names and titles, its dates and numbers."""
    lines = [f"{e.zh} = {e.en}" for e in (glossary.relevant(sentence) if glossary else [])]
    dates, _ = extract_dates(sentence)
    for d in dates:
        month = calendar.month_name[d.month] if d.month else ""
        english = " ".join(p for p in (month, str(d.day) if d.day else "") if p)
        english = f"{english}, {d.year}" if d.year and english else (english or str(d.year or ""))
        if english:
            lines.append(f"{d} = {english}")
    numbers = sorted(extract_numbers(sentence), key=lambda n: float(n) if re.fullmatch(r"[\d.]+", n) else 0.0)
    if numbers:
        lines.append("numbers: " + ", ".join(numbers))
    return lines
