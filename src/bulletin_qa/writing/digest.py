"""Weekly digests: articles of a date range -> stories (near-duplicates merged) -> themed, ordered entries.

Entry summaries go through `Summarizer`, so they share its cache: re-running a digest over
unchanged articles makes no LLM call, and an interrupted digest resumes where it stopped.

Which articles belong to a week (`select_articles`): by default those printed on that week's
pages (`by="page"`, the page date; an article with no page date, from a corpus or a store written
before page dates were kept, counts by its own date), so a class that began on 3月28日 but was
reported on the May page is in the May digest, as the editor publishing that page expects.
`by="event"` picks articles by their own (dateline) date instead.
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
SelectBy = Literal["page", "event"]
DEFAULT_BY: SelectBy = "page"


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
                  on_progress: Progress | None = None, masthead: dict[str, str] | None = None,
                  by: SelectBy = "event", sources: list[str] | None = None) -> list[Digest]:
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
                              warnings=warnings, mode=mode, masthead=(masthead or {}).get(lang, ""),
                              selected_by=by, sources=sources or [], **made_by.model_dump()))
    return digests


def article_day(article: Article, by: SelectBy) -> dt.date | None:
    """The date that places an article in a digest: its page's (falling back to its own) or its own."""
    return (article.page_date or article.date) if by == "page" else article.date


def select_articles(store: Any, since: dt.date | None = None, until: dt.date | None = None, *,
                    by: SelectBy = DEFAULT_BY, sources: list[str] | None = None) -> list[Article]:
    """The stored articles placed in [since, until] by `by`, from `sources` only when given."""
    found: list[Article] = []
    for source in sources or [None]:  # type: ignore[list-item]
        if by == "event":
            found += store.list_articles(since, until, source)
            continue
        for a in store.list_articles(None, None, source):
            day = article_day(a, by)
            if day is not None and (since is None or day >= since) and (until is None or day <= until):
                found.append(a)
    unique = {a.id: a for a in found}
    return sorted(unique.values(), key=lambda a: (article_day(a, by) or dt.date.min, a.source, a.position, a.id))


def make_digests(store: Any, *, since: dt.date, until: dt.date, langs: list[Lang], summarizer: Summarizer,
                 embedder: Any = None, compare: bool = False, on_progress: Progress | None = None,
                 by: SelectBy = DEFAULT_BY, sources: list[str] | None = None,
                 masthead: dict[str, str] | None = None) -> list[Digest]:
    """The `digest` command's core: collect the range's articles (and the previous period's) and digest them."""
    articles = select_articles(store, since, until, by=by, sources=sources)
    vectors = article_vectors(articles, embedder, store)
    previous = previous_vectors = None
    if compare:
        span = dt.timedelta(days=(until - since).days + 1)
        previous = select_articles(store, since - span, since - dt.timedelta(days=1), by=by, sources=sources)
        previous_vectors = article_vectors(previous, embedder, store)
    return build_digests(articles, since=since, until=until, langs=langs, summarizer=summarizer, vectors=vectors,
                         previous=previous, previous_vectors=previous_vectors, on_progress=on_progress,
                         masthead=masthead, by=by, sources=sources)


def newest_date(store: Any, *, by: SelectBy = DEFAULT_BY, sources: list[str] | None = None) -> dt.date | None:
    """The newest date that places a stored article (of `sources`, when given) in a digest."""
    dates = [d for a in select_articles(store, by=by, sources=sources) if (d := article_day(a, by)) is not None]
    return max(dates) if dates else None


def digest_provenance(digests: list[Digest]) -> list[dict[str, Any]]:
    """What produced each digest and which stored articles each story rests on: kept out of the published text.

    Written beside a published digest (`digest --out FILE` writes FILE.provenance.json) and shown
    with `--provenance`: mode, model, prompt and its hash, usage, checks that failed, and per
    story the article ids an editor can open with `bulletin-qa show ID`.
    """
    return [{
        "lang": d.lang, "since": d.since.isoformat(), "until": d.until.isoformat(), "selected_by": d.selected_by,
        "sources": d.sources, "mode": d.mode, "model": d.model, "prompt": d.prompt, "prompt_hash": d.prompt_hash,
        "usage": d.usage.model_dump(mode="json"), "checks": d.warnings,
        "stories": [{"headline": e.headline, "article_ids": e.article_ids} for e in d.entries],
    } for d in digests]
