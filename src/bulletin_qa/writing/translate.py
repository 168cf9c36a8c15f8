"""English versions through the LLM: articles, summaries and digests, checked after translation.

Every translation is checked mechanically: each Arabic-digit number of the source must reappear
(and none may be added), every glossary name of the source must appear in its glossary form, and
dates, leftover Chinese, glossary places and names are checked by writing.english_checks. A block
with findings gets one corrective round (writing.correction). What still fails is reported with
the output, never silently fixed.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import Field

from bulletin_qa.errors import LLMError, LLMNotConfigured
from bulletin_qa.llm.base import LLM
from bulletin_qa.models import Article, Citation, Digest, DigestEntry, Provenance, Summary, Usage
from bulletin_qa.names.english_words import normalise_people
from bulletin_qa.names.glossary import Glossary
from bulletin_qa.names.service import Names
from bulletin_qa.prompts_loader import fence, load_prompt
from bulletin_qa.text.numbers import check_numbers
from bulletin_qa.writing.correction import correct_once
from bulletin_qa.writing.english_checks import check_english, title_findings, without_covered
from bulletin_qa.writing.summarize import citation_for
from bulletin_qa.writing.themes import OTHER, THEMES

TRANSLATE_PROMPT = "translate.en"
# Characters of Chinese per request: ~1,000 prompt tokens, so a small local model translates a
# block completely instead of summarising its end.
BLOCK_CHARS = 1200
# A small model sometimes repeats the <source> tags that fence the text it was given.
_ECHOED_FENCE = re.compile(r"^\s*<source[^>\n]*>|</source>\s*$")


class Translation(Provenance):
    """An English version of an article or a document, with the checks' findings."""

    source: str = Field(description="The article id or file translated.")
    lang: str = "en"
    title: str = ""
    text: str
    citation: Citation | None = None
    byline: str = Field(default="", description="The article's reporters and correspondents in English, rendered "
                        "by the names service (glossary or pinyin), not by the model.")
    number_issues: list[str] = Field(default_factory=list)
    glossary_issues: list[str] = Field(default_factory=list)
    english_issues: list[str] = Field(default_factory=list, description="Dates, leftover Chinese, glossary "
                                      "places and names that disagree with the source (writing.english_checks).")
    usage: Usage = Field(default_factory=Usage)


def _as_article(chinese: str) -> Article:
    """A stand-in article for a text to translate, so the name check can read its names."""
    return Article(id="text", text=chinese, source="translation", position=0)


def require_llm(llm: LLM | None, what: str) -> LLM:
    """The LLM, or LLMNotConfigured saying what to set."""
    if llm is None:
        raise LLMNotConfigured(what)
    return llm


def blocks(text: str, size: int = BLOCK_CHARS) -> list[str]:
    """Paragraph groups of at most `size` characters (a longer paragraph is its own block)."""
    out: list[str] = []
    current = ""
    for para in [p.strip() for p in text.split("\n") if p.strip()]:
        if current and len(current) + len(para) + 2 > size:
            out.append(current)
            current = para
        else:
            current = f"{current}\n\n{para}" if current else para
    if current:
        out.append(current)
    return out


class Translator:
    """Translates Chinese text to English with the glossary, summing usage and collecting findings."""

    def __init__(self, *, llm: LLM | None, glossary: Glossary | None = None, correct: bool = True) -> None:
        self.llm = require_llm(llm, "Translation to English")
        self.correct = correct  # one corrective round per block with findings
        self.glossary = glossary or Glossary()
        self.names = Names(glossary=self.glossary)  # + the people and standard titles each text names
        self.prompt = load_prompt(TRANSLATE_PROMPT)
        self.usage = Usage()
        self.english_issues: list[str] = []

    def text(self, chinese: str, date: dt.date | None = None) -> tuple[str, list[str], list[str]]:
        """(English, number issues, glossary issues) for one text, translated block by block.

        The English checks' findings (dates, leftover Chinese, places, names) are collected in
        `self.english_issues`, so this signature stays as its callers use it. `date` is the date of
        the article the text comes from: "May 4, 2023" for 5月4日 in an article of 2023 is right.
        Other spellings of the text's people are changed to their renderings first (Lü -> Lyu),
        noted in `self.english_issues`.
        """
        context = date.isoformat() if date else ""
        whole = self.names.glossary_for(chinese)  # + the people and titles the whole text names
        people = {zh: en for zh, en in whole.section("people").items() if zh in chinese}
        parts = []
        for block in blocks(chinese):
            glossary = self.names.glossary_for(block)  # + the people and titles it names
            messages = self.prompt.render(glossary=glossary.prompt_block(block), text=fence(block))
            completion = self.llm.complete(messages)
            if not completion.text.strip():
                raise LLMError("The model returned an empty translation.",
                               hint="Run again with --no-cache, or try another BULLETIN_QA_CHAT_MODEL.")

            def check(reply: str, block: str = block, glossary: Glossary = glossary) -> list[str]:
                english = normalise_people(_ECHOED_FENCE.sub("", reply).strip(), people)[0]
                return (check_numbers(block, english, complete=True, context=context)
                        + glossary.check(block, english, complete=True)
                        + [str(f) for f in check_english(block, english, glossary=glossary,
                                                         article=_as_article(block), source_date=date)])

            kept = correct_once(self.llm, messages, completion, check(completion.text) if self.correct else [], check)
            self.usage = self.usage.add(kept.usage)
            english, notes = normalise_people(_ECHOED_FENCE.sub("", kept.reply).strip(), people)
            parts.append(english)
            self.english_issues += notes
        english = "\n\n".join(parts)
        self.english_issues += [str(f) for f in check_english(chinese, english, glossary=self.glossary,
                                                              article=_as_article(chinese), source_date=date)]
        return (english, check_numbers(chinese, english, complete=True, context=context),
                whole.check(chinese, english, complete=True))

    def article(self, article: Article) -> Translation:
        """An article's title and body in English, its byline rendered by the names service.

        The byline (记者 景静) is not part of the text the model translates, so it is written here,
        each person as the glossary or pinyin renders them, never left out. Titles the English
        gives the article's people are checked last and reported, not sent to a corrective round.
        """
        self.english_issues = []
        title, n1, g1 = self.text(article.title, article.date) if article.title else ("", [], [])
        body, n2, g2 = self.text(article.text, article.date)
        titles = title_findings(article, f"{title}\n{body}", self.names)
        return Translation(source=article.id, title=title, text=body, citation=citation_for(article),
                           byline=self.byline(article), number_issues=n1 + n2, glossary_issues=g1 + g2,
                           english_issues=without_covered(list(dict.fromkeys(self.english_issues)), titles),
                           model=self.llm.model,
                           prompt=self.prompt.name, prompt_hash=self.prompt.hash, usage=self.usage)

    def byline(self, article: Article) -> str:
        """The article's reporters and correspondents in English: "Reporter: Jing Jing. Correspondents: ..."."""
        parts = []
        for label, people in (("Reporter", article.reporters), ("Correspondent", article.correspondents)):
            if people:
                plural = "s" if len(people) > 1 else ""
                parts.append(f"{label}{plural}: " + ", ".join(self.names.english(p) for p in people) + ".")
        return " ".join(parts)

    def document(self, chinese: str, source: str) -> Translation:
        """A free text (e.g. a Markdown digest) in English."""
        self.english_issues = []
        english, numbers, names = self.text(chinese)
        return Translation(source=source, text=english, number_issues=numbers, glossary_issues=names,
                           english_issues=list(dict.fromkeys(self.english_issues)),
                           model=self.llm.model, prompt=self.prompt.name, prompt_hash=self.prompt.hash,
                           usage=self.usage)

    def summary(self, summary: Summary) -> Summary:
        """A Chinese summary in English (same citation; findings go to warnings)."""
        self.english_issues = []
        title, n1, g1 = self.text(summary.title) if summary.title else ("", [], [])
        text, n2, g2 = self.text(summary.text)
        return summary.model_copy(update={
            "lang": "en", "title": title, "text": text, "mode": "llm", "model": self.llm.model,
            "prompt": self.prompt.name, "prompt_hash": self.prompt.hash,
            "names": self._names_of(f"{summary.title}\n{summary.text}"),
            "warnings": [*summary.warnings, *n1, *n2, *g1, *g2, *dict.fromkeys(self.english_issues)]})

    def _names_of(self, source: str) -> dict[str, str]:
        return {e.zh: e.en for e in self.names.glossary_for(source).relevant(source)}

    def digest(self, digest: Digest) -> Digest:
        """A Chinese digest in English: headline, summary and theme of every entry."""
        if digest.lang == "en":
            return digest
        entries: list[DigestEntry] = []
        warnings: list[str] = []
        themes: dict[str, str] = {}
        for entry in digest.entries:
            self.english_issues = []
            headline, n1, g1 = self.text(entry.headline)
            summary, n2, g2 = self.text(entry.summary)
            if entry.theme and entry.theme not in themes:
                known = {zh: en for zh, en, _ in THEMES} | {OTHER[0]: OTHER[1]}
                themes[entry.theme] = known.get(entry.theme) or self.text(entry.theme)[0]
            warnings += [f"{headline}: {issue}" for issue in [*n1, *n2, *g1, *g2, *dict.fromkeys(self.english_issues)]]
            entries.append(entry.model_copy(update={"headline": headline, "summary": summary,
                                                    "theme": themes.get(entry.theme, "")}))
        return digest.model_copy(update={
            "lang": "en", "entries": entries, "mode": "llm", "model": self.llm.model,
            "prompt": f"{digest.prompt}+{self.prompt.name}" if digest.prompt else self.prompt.name,
            "prompt_hash": f"{digest.prompt_hash}+{self.prompt.hash}" if digest.prompt_hash else self.prompt.hash,
            "usage": digest.usage.add(self.usage), "warnings": [*digest.warnings, *warnings]})
