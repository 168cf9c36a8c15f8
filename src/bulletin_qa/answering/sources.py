"""Numbered sources: the retrieved articles as given to the model, the citation checker and the extractor."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from bulletin_qa.answering.question import Facts
from bulletin_qa.models import Article, Citation, Hit, title_or_opening
from bulletin_qa.text.numerals import DateMention, date_of
from bulletin_qa.text.sentences import clean_text, split_sentences
from bulletin_qa.text.words import bare

# Text addressed to a model rather than to newspaper readers: planted instructions.
INSTRUCTION = re.compile(
    r"忽略(?:掉)?(?:以上|上述|之前|前面|先前|所有|全部|此前)?.{0,6}(?:指令|指示|提示|要求|规则|内容)"
    r"|(?:不要|无需)(?:再)?(?:遵守|理会|遵循).{0,6}(?:指令|指示|规则)"
    r"|(?:系统|system)\s*(?:提示|prompt)|你现在是|你是一个|扮演|回答[‘'“\"]"
    r"|ignore (?:all |any )?(?:the )?(?:previous|prior|above|earlier|preceding) (?:instructions?|prompts?|rules)"
    r"|disregard (?:all |the )?(?:previous|prior|above)|you are now|new instructions?:",
    re.I,
)


def is_instruction(text: str) -> bool:
    """True when `text` reads as an instruction to a model (a planted prompt injection)."""
    return bool(INSTRUCTION.search(text))


@dataclass
class Source:
    """Retrieved article number `n` (1-based, as cited [n]) and the text of it that was used."""

    n: int
    article: Article
    score: float
    text: str
    sentences: list[str] = field(default_factory=list)

    @cached_property
    def sentence_facts(self) -> list[Facts]:
        """Facts of each sentence (computed once)."""
        return [Facts.of(s) for s in self.sentences]

    @cached_property
    def header_facts(self) -> Facts:
        """Facts of the title and subtitle, with the article's date."""
        head = " ".join(p for p in (self.article.title, self.article.subtitle) if p)
        dated = date_of(self.article.date)
        return Facts.of(head, extra_dates=(dated,) if dated else ())

    @cached_property
    def all_facts(self) -> Facts:
        """Facts of everything the source states: title, date and the given text."""
        dated = date_of(self.article.date)
        head = " ".join(p for p in (self.article.title, self.article.subtitle) if p)
        return Facts.of(f"{head}\n{self.text}", extra_dates=(dated,) if dated else ())

    @cached_property
    def full_text(self) -> str:
        """Title, subtitle and the given text, a line each: the source as a reader sees it."""
        return f"{self.article.title or ''}\n{self.article.subtitle or ''}\n{self.text}"

    @cached_property
    def bare(self) -> str:
        """Everything the source states, words only (text.words.bare of all_facts.key): where another
        article's answer item is looked for."""
        return bare(self.all_facts.key)

    @cached_property
    def statement_facts(self) -> Facts:
        """`all_facts` without the sentences that are instructions to a model (planted in the article)."""
        if not any(is_instruction(s) for s in self.sentences):
            return self.all_facts
        dated = date_of(self.article.date)
        head = " ".join(p for p in (self.article.title, self.article.subtitle) if p)
        stated = "".join(s for s in self.sentences if not is_instruction(s))
        return Facts.of(f"{head}\n{stated}", extra_dates=(dated,) if dated else ())

    @property
    def year(self) -> int | None:
        """The article's year, for dates written without one (5月6日)."""
        return self.article.date.year if self.article.date else None

    @property
    def dates(self) -> tuple[DateMention, ...]:
        """Every date the source states, including its own date."""
        return self.all_facts.dates

    def citation(self, quote: str = "", verified: bool = False) -> Citation:
        """A Citation record pointing at this source."""
        title = title_or_opening(self.article.title, self.article.text)  # untitled: its first words
        return Citation(n=self.n, article_id=self.article.id, title=title, date=self.article.date, quote=quote,
                        verified=verified)


def _given_text(hit: Hit, max_chars: int | None) -> str:
    """The article's text, or, when longer than `max_chars`, its best chunks in reading order."""
    text = clean_text(hit.article.text)
    if max_chars is None or len(text) <= max_chars:
        return text
    if hit.chunks:
        picked: list[tuple[int, str]] = []
        size = 0
        for ch in hit.chunks:  # best first
            piece = clean_text(ch.chunk.text)
            if size + len(piece) > max_chars and picked:
                break
            picked.append((ch.chunk.start, piece))
            size += len(piece)
        return " … ".join(p for _, p in sorted(picked))[:max_chars]
    return text[:max_chars] + " …"


def build_sources(hits: list[Hit], max_chars: int | None = None) -> list[Source]:
    """Number the hits 1..n in retrieval order, with the text of each that will be used."""
    out = []
    for n, hit in enumerate(hits, start=1):
        text = _given_text(hit, max_chars)
        out.append(Source(n=n, article=hit.article, score=hit.score, text=text, sentences=split_sentences(text)))
    return out
