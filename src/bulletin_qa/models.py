"""Typed records passed between the pipeline stages (the contract between modules)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from pydantic import BaseModel, Field, computed_field


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


OPENING_CHARS = 20


def title_or_opening(title: str, text: str) -> str:
    """The title, or for an untitled article its first words followed by '…'."""
    if title:
        return title
    opening = " ".join(text.split())
    return opening[:OPENING_CHARS] + ("…" if len(opening) > OPENING_CHARS else "")


class Article(BaseModel):
    """One news article, as read from a page or a corpus line."""

    id: str = Field(description="Stable id: '<source stem>-NN' for pages, the corpus id for JSONL.")
    title: str = ""
    subtitle: str = ""
    text: str = Field(description="Body text, reflowed, starting with its dateline; headline and byline removed.")
    date: dt.date | None = None
    date_approximate: bool = Field(False, description="True when the date fell back to the page date (近日, none).")
    page_date: dt.date | None = Field(None, description=(
        "Date of the printed page the article is on (None for corpora and for stores written before it "
        "was recorded); a digest can select by it (`digest --by page`)."))
    dateline: str = Field("", description="The dateline as printed, e.g. '本报讯 5月6日'.")
    reporters: list[str] = Field(default_factory=list, description="记者 / 实习生 names.")
    correspondents: list[str] = Field(default_factory=list, description="通讯员 names.")
    source: str = Field(description="Source file name.")
    position: int = Field(description="1-based position of the article on its page or line in its corpus.")
    start: int = Field(0, description="Character offset of the article's first character in the decoded source.")
    end: int = Field(0, description="Character offset just past the article's last character in the decoded source.")
    warnings: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form; mypy rejects it
    @property
    def content_hash(self) -> str:
        """Hash of everything that, when changed, should replace the stored article."""
        # page_date joins the hash only when known, so articles stored before it existed keep their hash.
        excluded = {"content_hash", "warnings", "start", "end"} | ({"page_date"} if self.page_date is None else set())
        payload = self.model_dump(mode="json", exclude=excluded)
        return sha256_hex(json.dumps(payload, ensure_ascii=False, sort_keys=True))[:16]


class Chunk(BaseModel):
    """A piece of one article's text, the unit that is embedded and searched."""

    id: str
    article_id: str
    index: int = Field(description="0-based order within the article.")
    text: str
    start: int = Field(description="Character offset of the chunk in Article.text.")


class ChunkHit(BaseModel):
    """A chunk that matched a query."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None


class Hit(BaseModel):
    """An article found by a search, with its best-matching chunks."""

    article: Article
    score: float
    chunks: list[ChunkHit] = Field(default_factory=list, description="Best first.")


class Citation(BaseModel):
    """A numbered source cited in a generated text."""

    n: int
    article_id: str
    title: str
    date: dt.date | None = None
    quote: str = ""
    verified: bool = False
    attributed: bool = Field(default=False, description="Attached by the tool (the claim was found in this source), "
                                                 "not written as [n] by the model.")


class Usage(BaseModel):
    """Token usage of LLM calls, summed over a command."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    calls: int = 0
    cached_calls: int = 0
    cost_usd: float | None = None

    def add(self, other: Usage) -> Usage:
        """Return the sum of two usages (cost stays None when both are unknown)."""
        unknown = self.cost_usd is None and other.cost_usd is None
        cost = None if unknown else (self.cost_usd or 0) + (other.cost_usd or 0)
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            calls=self.calls + other.calls,
            cached_calls=self.cached_calls + other.cached_calls,
            cost_usd=cost,
        )

    def minus(self, before: Usage) -> Usage:
        """Usage spent since `before`, an earlier snapshot of this running total."""
        cost = None if self.cost_usd is None else self.cost_usd - (before.cost_usd or 0)
        return Usage(
            prompt_tokens=self.prompt_tokens - before.prompt_tokens,
            completion_tokens=self.completion_tokens - before.completion_tokens,
            total_tokens=self.total_tokens - before.total_tokens,
            calls=self.calls - before.calls,
            cached_calls=self.cached_calls - before.cached_calls,
            cost_usd=cost,
        )


class Provenance(BaseModel):
    """What produced a generated output: model, prompt and a hash of the prompt text.

    Answer, Summary, Digest and Translation extend it, so every generated output carries the
    same three fields, flat in its JSON.
    """

    model: str | None = None
    prompt: str | None = None
    prompt_hash: str | None = None


class Gloss(BaseModel):
    """A name, title, place, date or number of a quoted Chinese sentence, with its English."""

    zh: str = Field(description="As printed in the quote.")
    en: str = Field(description="Its English: glossary, standard title, pinyin, or the value and unit.")
    kind: str = Field(description="person, title, institution, place, term, date or number.")


class Evidence(BaseModel):
    """A quoted sentence of an offline answer, with where in it the answer is."""

    n: int = Field(description="The citation number [n] of its article in this answer.")
    article_id: str
    quote: str = Field(description="The sentence as it stands in the article.")
    span: tuple[int, int] | None = Field(None, description="Character offsets [start, end) of the answer in `quote`.")
    score: float = Field(description="The answer model's probability that the sentence answers the question.")
    gloss: list[Gloss] = Field(default_factory=list, description="English glosses of the quote's names, titles, "
                               "places, dates and numbers (English questions offline; the quote is untranslated).")


class Answer(Provenance):
    """The answer to a question, with checked citations."""

    question: str
    answer: str
    mode: Literal["llm", "extractive"]
    refused: bool = False
    citations: list[Citation] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list, description="Sentences whose citation check failed.")
    withheld: str = Field(default="", description="A reply the model gave but none of whose claims could be verified, "
                                          "or whose verified claims do not answer the question (answering/asked.py); "
                                          "the answer is then a refusal and shows this text as unverified.")
    searched: str = Field("", description="What was searched: date range and number of articles.")
    short_answer: str = Field(
        "", description="The one-line answer (offline: the span of the best quote, when confident).")
    evidence: list[Evidence] = Field(
        default_factory=list, description="Offline: the quoted sentences and answer spans.")
    read_as: str = Field("", description="Offline, an English question: the Chinese question it was read as "
                                         "(answering/english.py) to match the Chinese articles.")
    looked_at: list[Citation] = Field(default_factory=list, description=(
        "The retrieved articles (title, date, id) the answer looked at, so a refusal can be followed up with `show`."))
    usage: Usage = Field(default_factory=Usage)


class Summary(Provenance):
    """A summary of one article."""

    article_id: str
    title: str = ""
    date: dt.date | None = None
    lang: Literal["zh", "en"]
    length: Literal["short", "long"] = "short"
    text: str
    mode: Literal["llm", "extractive", "glossary"]
    citation: Citation | None = None
    names: dict[str, str] = Field(default_factory=dict, description="Glossary renderings of names in the article.")
    warnings: list[str] = Field(default_factory=list, description="Checks that failed: added numbers, glossary names.")


class DigestEntry(BaseModel):
    """One story in a digest (possibly several near-duplicate articles merged)."""

    headline: str
    date: dt.date | None = None
    date_approximate: bool = False
    summary: str
    theme: str = ""
    article_ids: list[str]
    status: Literal["new", "continuing"] | None = None
    citations: list[Citation] = Field(default_factory=list, description="The story's articles, lead article first.")


class Digest(Provenance):
    """A digest of the articles in a date range."""

    since: dt.date
    until: dt.date
    lang: Literal["zh", "en"]
    masthead: str = Field("", description="Paper or district name heading the digest (setting `masthead`).")
    selected_by: Literal["page", "event"] = Field("event", description=(
        "How articles were picked for the range: by the date of the page they were printed on, or by their "
        "own (event) date."))
    sources: list[str] = Field(default_factory=list, description="Source files the digest was limited to (all: []).")
    entries: list[DigestEntry] = Field(default_factory=list)
    mode: Literal["llm", "extractive"] = "extractive"
    usage: Usage = Field(default_factory=Usage)
    warnings: list[str] = Field(default_factory=list, description="Checks that failed, prefixed by the story headline.")


class IngestReport(BaseModel):
    """What an ingest did."""

    files: int = 0
    skipped: list[str] = Field(default_factory=list, description="Notes on files that were not read, and why.")
    warnings: list[str] = Field(default_factory=list)
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_removed: int = 0
    stale: list[str] = Field(default_factory=list, description=(
        "Stored articles of the ingested sources that the sources no longer contain, kept (no prune)."))
    chunks_added: int = 0
    chunks_deleted: int = 0
    keyword_index_seconds: float | None = Field(None, description="Time spent building the BM25 index, if rebuilt.")
    seconds: float = 0.0
