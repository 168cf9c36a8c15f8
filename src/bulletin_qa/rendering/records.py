"""JSON records of the library's results: the shapes the CLI's --json prints and the HTTP API returns.

One home for them, so `bulletin-qa search --json` and `GET /api/search` cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bulletin_qa.models import Article, Hit
    from bulletin_qa.names.glossary import Glossary


def article_row(article: Article) -> dict[str, Any]:
    """An article without its text, for listings (`articles --json`, GET /api/articles)."""
    return article.model_dump(mode="json", exclude={"text", "warnings", "start", "end"})


def hit_record(rank: int, hit: Hit) -> dict[str, Any]:
    """One search result with its matching chunks (`search --json`, GET /api/search)."""
    return {
        "rank": rank,
        "score": round(hit.score, 6),
        "article": article_row(hit.article),
        "chunks": [
            {"id": c.chunk.id, "index": c.chunk.index, "start": c.chunk.start, "text": c.chunk.text,
             "score": round(c.score, 6), "bm25_rank": c.bm25_rank, "dense_rank": c.dense_rank}
            for c in hit.chunks
        ],
    }


def glossary_record(glossary: Glossary) -> dict[str, Any]:
    """The glossary in use: its file and entries by section (`glossary show --json`, GET /api/glossary)."""
    entries: dict[str, dict[str, str]] = {}
    for e in glossary.entries.values():
        entries.setdefault(e.section, {})[e.zh] = e.en
    return {"path": str(glossary.path) if glossary.path else None, "entries": entries}
