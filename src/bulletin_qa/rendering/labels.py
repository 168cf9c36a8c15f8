"""Reader-facing words of the renderings, by output language, and small formatting helpers."""

from __future__ import annotations

import datetime as dt

from bulletin_qa.messages import msg
from bulletin_qa.models import Citation, Digest, DigestEntry, Provenance


def week_name(since: dt.date, until: dt.date) -> str | None:
    """'2023-W18' when the range is exactly one ISO week, else None."""
    year, week, weekday = since.isocalendar()
    return f"{year}-W{week:02d}" if weekday == 1 and (until - since).days == 6 else None


def digest_span(digest: Digest) -> str:
    """'2023-05-01 至 2023-05-07'."""
    return f"{digest.since}{msg('range_sep', digest.lang)}{digest.until}"


def digest_title(digest: Digest, with_span: bool = True) -> str:
    """'二七报 · 新闻周报 · 2023-W18（2023-05-01 至 2023-05-07）' (or without the dates), English alike.

    The masthead (setting `masthead`) leads when set.
    """
    head = f"{digest.masthead} · {msg('digest', digest.lang)}" if digest.masthead else msg("digest", digest.lang)
    span = digest_span(digest)
    week = week_name(digest.since, digest.until)
    if week and not with_span:
        return f"{head} · {week}"
    if week:
        span = msg("in_parens", digest.lang, text=week, inner=span)
    return f"{head} · {span}"


def digest_counts(digest: Digest) -> str:
    """How many stories and articles the digest covers."""
    articles = sum(len(e.article_ids) for e in digest.entries)
    return msg("count", digest.lang, stories=len(digest.entries), articles=articles)


def entry_date(entry: DigestEntry, lang: str) -> str:
    """The entry's date, marked when approximate."""
    if entry.date is None:
        return msg("no_date", lang)
    return f"{msg('approx', lang)} {entry.date}" if entry.date_approximate else str(entry.date)


def citation_text(c: Citation, lang: str, *, with_id: bool = True) -> str:
    """'[1] erqi-2023-05-01 《标题》 2023-05-06' (the original Chinese title in both languages).

    with_id=False is the published form, '[1] 《标题》 2023-05-06': store ids are for editors
    (see writing.digest.digest_provenance); an untitled article is named as such.
    """
    title = f"《{c.title}》" if c.title else ("" if with_id else msg("untitled", lang))
    date = str(c.date) if c.date else msg("no_date", lang)
    return " ".join(part for part in (f"[{c.n}]", c.article_id if with_id else "", title, date) if part)


def provenance_line(made: Provenance) -> str:
    """'model X · prompt Y · hash Z' for the footer."""
    return f"model {made.model or '-'} · prompt {made.prompt or '-'} · hash {made.prompt_hash or '-'}"
