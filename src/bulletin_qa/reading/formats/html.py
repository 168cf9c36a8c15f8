"""Web pages -> Article records, through trafilatura (Apache-2.0) and the same page reader.

An article page gives one article: trafilatura finds the main text and the metadata (title,
date, author) in <meta>, JSON-LD and the markup. A page of articles (two or more <article>
elements, as news-list and e-paper sites print them) gives one article per element, each with
its own heading and <time>. The text then goes through read_page like a printed page, so
datelines, bylines and dates follow the same rules; metadata fills what the text does not say
(the title when no headline line was found, the date as the page date, the author as reporter).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from bulletin_qa.errors import EmptyInput, UnreadableDocument
from bulletin_qa.models import Article
from bulletin_qa.reading.bylines import parse_byline
from bulletin_qa.reading.chars import ends_sentence
from bulletin_qa.reading.decode import decode_bytes
from bulletin_qa.reading.page import article_id, read_page
from bulletin_qa.reading.reflow import normalise_spaces

MIN_TEXT = 50  # characters: shorter text without a single sentence is navigation, not an article
_ISO_DATE_RE = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")
_AUTHOR_SPLIT_RE = re.compile(r"[,，、;；/]+|\s+")


def _date(value: str | None) -> dt.date | None:
    match = _ISO_DATE_RE.search(value or "")
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _reporters(author: str | None) -> list[str]:
    if not author:
        return []
    byline = parse_byline(author if author.startswith(("记者", "本报记者")) else f"记者 {author}")
    if byline is not None:
        return byline.reporters
    return [a for a in _AUTHOR_SPLIT_RE.split(author) if a]


def _extract(markup: str) -> tuple[str, dict[str, Any]]:
    """Main text (paragraphs a line each) and metadata of one page or <article> element."""
    import trafilatura

    text = trafilatura.extract(markup, output_format="txt", include_comments=False, include_tables=False) or ""
    meta = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False)
    fields = {k: getattr(meta, k, None) for k in ("title", "date", "author")} if meta is not None else {}
    return text, fields


def _articles_of(markup: str, source: str, date: dt.date | None, page_meta: dict[str, Any]) -> list[Article]:
    text, meta = _extract(markup)
    title = normalise_spaces(meta.get("title") or page_meta.get("title") or "")
    lines = [normalise_spaces(line) for line in text.splitlines() if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the heading is in the text too
    if not lines or (len("".join(lines)) < MIN_TEXT and not any(ends_sentence(line) for line in lines)):
        return []  # a menu or a link list, not an article
    page_date = date or _date(meta.get("date")) or _date(page_meta.get("date"))
    articles = read_page("\n\n".join([title, *lines]) if title else "\n\n".join(lines), source, page_date)
    reporters = _reporters(meta.get("author") or page_meta.get("author"))
    out = []
    for article in articles:
        update: dict[str, Any] = {}
        if not article.title and title:
            update["title"] = title
            update["warnings"] = [w for w in article.warnings if "headline" not in w]
        if not article.reporters and reporters:
            update["reporters"] = reporters
        out.append(article.model_copy(update=update) if update else article)
    return out


def read_html(path: Path, date: dt.date | None = None) -> list[Article]:
    """Articles of an HTML file: one for an article page, one per <article> for a page of articles."""
    import lxml.html  # stubs are a separate package (mypy: ignore_missing_imports)

    markup = decode_bytes(path.read_bytes(), str(path))
    try:
        tree = lxml.html.fromstring(markup)
    except Exception as exc:  # lxml raises ParserError/ValueError for empty or non-HTML documents
        raise UnreadableDocument(f"{path} is not a readable HTML page ({type(exc).__name__}).", path=path,
                                 hint="Save the page again from the browser (File > Save Page As).") from None
    elements = tree.xpath("//article")
    if len(elements) >= 2:  # a page of articles
        _, page_meta = _extract(markup)
        articles: list[Article] = []
        for element in elements:
            found = _articles_of(lxml.html.tostring(element, encoding="unicode"), path.name, date, page_meta)
            articles.extend(a.model_copy(update={"position": len(articles) + i + 1,
                                                 "id": article_id(path.name, len(articles) + i + 1)})
                            for i, a in enumerate(found))
    else:
        articles = _articles_of(markup, path.name, date, {})
    if not articles:
        raise EmptyInput(f"No article text found in {path}.", path=path,
                         hint="Save the article page itself (not a list of links), or copy its text into a .txt file.")
    return articles
