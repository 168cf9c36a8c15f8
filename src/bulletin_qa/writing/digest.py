"""Weekly digests: articles of a date range -> stories (near-duplicates merged) -> themed, ordered entries.

Entry summaries go through `Summarizer`, so they share its cache: re-running a digest over
unchanged articles makes no LLM call, and an interrupted digest resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from bulletin_qa.errors import EmptyInput, LLMNotConfigured, UsageError
from bulletin_qa.models import Article, Digest, DigestEntry, Provenance, Summary
from bulletin_qa.writing import textrank
from bulletin_qa.writing.stories import Story, article_vectors, group_stories, mark_continuing
from bulletin_qa.writing.summarize import (
    EXTRACTIVE_MODEL,
    EXTRACTIVE_PROMPT,
    SUMMARY_PROMPTS,
    Lang,
    Progress,
    Summarizer,
    citation_for,
)
from bulletin_qa.writing.themes import assign_offline, assign_with_llm

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
HEADLINE_CHARS = 30


def week_range(week: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week written 2023-W18."""
    m = _WEEK.match(week.strip())
    try:
        if not m:
            raise ValueError(week)
        monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise UsageError(f"--week {week!r} is not an ISO week.",
                         hint="Write it as YEAR-Wnn, e.g. --week 2023-W18 (weeks 1 to 52 or 53).") from None
    return monday, monday + dt.timedelta(days=6)


def resolve_range(week: str | None, since: dt.date | None, until: dt.date | None,
                  newest: Callable[[], dt.date | None]) -> tuple[dt.date, dt.date]:
    """The digest's date range from --week or --since/--until; neither: the week of the newest article."""
    if week and (since or until):
        raise UsageError("--week cannot be combined with --since/--until.",
                         hint="Give either --week 2023-W18 or --since/--until dates.")
    if week:
        return week_range(week)
    if since and until:
        if since > until:
            raise UsageError(f"--since {since} is after --until {until}.", hint="Swap the two dates.")
        return since, until
    if since:
        return since, since + dt.timedelta(days=6)
    if until:
        return until - dt.timedelta(days=6), until
    last = newest()
    if last is None:
        raise EmptyInput("The store has no dated articles to digest.",
                         hint="Ingest pages first with 'bulletin-qa ingest PATH'.")
    monday = last - dt.timedelta(days=last.weekday())
    return monday, monday + dt.timedelta(days=6)


def _headline(story: Story, summary: Summary, lang: str) -> str:
    if lang == "en" and summary.mode == "llm" and summary.title:
        return summary.title
    lead = story.lead
    if lead.title:
        return lead.title
    first = textrank.split_sentences(lead.text)[:1]
    return (first[0] if first else lead.id)[:HEADLINE_CHARS]


def _entry(story: Story, summary: Summary, lang: str) -> DigestEntry:
    lead_citation = summary.citation or citation_for(story.lead)
    citations = [lead_citation] + [citation_for(a, n) for n, a in enumerate(story.articles[1:], 2)]
    return DigestEntry(headline=_headline(story, summary, lang), date=story.lead.date,
                       date_approximate=story.lead.date_approximate, summary=summary.text,
                       theme=story.theme.get(lang, ""), article_ids=[a.id for a in story.articles],
                       status=story.status, citations=citations)


def _ordered(stories: list[Story], lang: str) -> list[int]:
    """Story indices: themes by their most significant story, then stories by score, newest first."""
    best: dict[str, float] = {}
    for s in stories:
        best[s.theme[lang]] = max(best.get(s.theme[lang], float("-inf")), s.score)
    return sorted(range(len(stories)), key=lambda i: (
        -best[stories[i].theme[lang]], stories[i].theme[lang], -stories[i].score,
        -(stories[i].lead.date or dt.date.min).toordinal(), stories[i].lead.id))


def build_digests(articles: list[Article], *, since: dt.date, until: dt.date, langs: list[Lang],
                  summarizer: Summarizer, vectors: np.ndarray | None = None,
                  previous: list[Article] | None = None, previous_vectors: np.ndarray | None = None,
                  on_progress: Progress | None = None) -> list[Digest]:
    """One digest per language over `articles` (vectors: one unit row per article, or None for lexical only)."""
    if not articles:
        raise EmptyInput(f"No articles dated {since} to {until}.",
                         hint="Pick another range with --week or --since/--until, or ingest more pages.")
    llm = summarizer.llm
    if llm is None and "en" in langs:
        raise LLMNotConfigured("An English digest", also="Offline, use --lang zh for the extractive Chinese digest.")
    stories = group_stories(articles, vectors)
    assign_offline(stories)
    if previous is not None:
        row = {a.id: i for i, a in enumerate(articles)}
        lead_vectors = vectors[[row[s.lead.id] for s in stories]] if vectors is not None else None
        mark_continuing(stories, previous, lead_vectors, previous_vectors)
    digests, done, total = [], 0, len(stories) * len(langs)
    for lang in langs:
        before = summarizer.usage
        summaries = []
        for story in stories:
            summaries.append(summarizer.summarize(story.lead, lang, "short"))
            done += 1
            if on_progress:
                on_progress(done, total, story.lead.id)
        usage = summarizer.usage.minus(before)
        warnings = [f"{_headline(s, m, lang)}: {w}" for s, m in zip(stories, summaries) for w in m.warnings]
        if llm is not None:
            headlines = [_headline(s, m, lang) for s, m in zip(stories, summaries)]
            prompt, theme_usage, theme_warnings = assign_with_llm(
                stories, headlines, [m.text for m in summaries], lang=lang, llm=llm, cache=summarizer.cache)
            usage, warnings = usage.add(theme_usage), warnings + theme_warnings
            summary_prompt = summaries[0].prompt or SUMMARY_PROMPTS[lang]
            summary_hash = summaries[0].prompt_hash or ""
            mode: Literal["llm", "extractive"] = "llm"
            made_by = Provenance(model=llm.model, prompt=f"{summary_prompt}+{prompt.name}",
                                 prompt_hash=f"{summary_hash}+{prompt.hash}")
        else:
            mode = "extractive"
            made_by = Provenance(model=EXTRACTIVE_MODEL, prompt=EXTRACTIVE_PROMPT, prompt_hash=textrank.ALGORITHM_HASH)
        entries = [_entry(stories[i], summaries[i], lang) for i in _ordered(stories, lang)]
        digests.append(Digest(since=since, until=until, lang=lang, entries=entries, usage=usage,
                              warnings=warnings, mode=mode, **made_by.model_dump()))
    return digests


def make_digests(store: Any, *, since: dt.date, until: dt.date, langs: list[Lang], summarizer: Summarizer,
                 embedder: Any = None, compare: bool = False, on_progress: Progress | None = None) -> list[Digest]:
    """The `digest` command's core: collect the range's articles (and the previous period's) and digest them."""
    articles = store.list_articles(since, until)
    vectors = article_vectors(articles, embedder, store)
    previous = previous_vectors = None
    if compare:
        span = dt.timedelta(days=(until - since).days + 1)
        previous = store.list_articles(since - span, since - dt.timedelta(days=1))
        previous_vectors = article_vectors(previous, embedder, store)
    return build_digests(articles, since=since, until=until, langs=langs, summarizer=summarizer, vectors=vectors,
                         previous=previous, previous_vectors=previous_vectors, on_progress=on_progress)


def newest_date(store: Any) -> dt.date | None:
    """Date of the newest dated article in the store."""
    dates = [a.date for a in store.list_articles() if a.date is not None]
    return max(dates) if dates else None
