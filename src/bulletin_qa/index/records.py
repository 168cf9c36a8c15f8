"""Store records: Article and Chunk <-> Chroma metadata, dates as ints, `where` filters.

Pure conversions (no chromadb import), shared by the store and its tests.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bulletin_qa.models import Article, Chunk


def date_to_int(value: dt.date | None) -> int:
    """2023-05-06 -> 20230506; unknown -> 0 (Chroma metadata cannot hold None or dates)."""
    return value.year * 10000 + value.month * 100 + value.day if value else 0


def int_to_date(value: int | None) -> dt.date | None:
    """20230506 -> 2023-05-06; 0 -> None."""
    if not value:
        return None
    return dt.date(value // 10000, value // 100 % 100, value % 100)


def date_filter(since: dt.date | None, until: dt.date | None, source: str | None) -> dict[str, Any] | None:
    """A Chroma `where` for a date range and source; several conditions go under an explicit $and."""
    conditions: list[dict[str, Any]] = []
    if since or until:
        # An undated article (0) belongs to no date range, also under --until alone.
        conditions.append({"date": {"$gte": date_to_int(since) if since else 1}})
    if until:
        conditions.append({"date": {"$lte": date_to_int(until)}})
    if source:
        conditions.append({"source": source})
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def article_metadata(article: Article, n_chunks: int, source_key: str = "", source_digest: str = "") -> dict[str, Any]:
    """Every Article field, flattened for Chroma (lists as JSON strings, dates as ints), plus the
    key and SHA-256 of the file it came from (index/identity.py)."""
    return {
        "id": article.id,
        "title": article.title,
        "subtitle": article.subtitle,
        "date": date_to_int(article.date),
        "date_approximate": article.date_approximate,
        "page_date": date_to_int(article.page_date),
        "dateline": article.dateline,
        "reporters": json.dumps(article.reporters, ensure_ascii=False),
        "correspondents": json.dumps(article.correspondents, ensure_ascii=False),
        "source": article.source,
        "position": article.position,
        "start": article.start,
        "end": article.end,
        "warnings": json.dumps(article.warnings, ensure_ascii=False),
        "content_hash": article.content_hash,
        "chunks": n_chunks,
        "source_key": source_key,
        "source_digest": source_digest,
    }


def article_from_record(document: str, meta: dict[str, Any]) -> Article:
    """Rebuild the Article from its record (the inverse of `article_metadata`)."""
    return Article(
        id=meta["id"],
        title=meta.get("title", ""),
        subtitle=meta.get("subtitle", ""),
        text=document,
        date=int_to_date(meta.get("date")),
        date_approximate=bool(meta.get("date_approximate", False)),
        page_date=int_to_date(meta.get("page_date")),
        dateline=meta.get("dateline", ""),
        reporters=json.loads(meta.get("reporters") or "[]"),
        correspondents=json.loads(meta.get("correspondents") or "[]"),
        source=meta.get("source", ""),
        position=int(meta.get("position", 0)),
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        warnings=json.loads(meta.get("warnings") or "[]"),
    )


def chunk_metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
    """What each chunk record carries for filtering and display."""
    return {
        "article_id": article.id,
        "index": chunk.index,
        "start": chunk.start,
        "date": date_to_int(article.date),
        "date_approximate": article.date_approximate,
        "source": article.source,
        "title": article.title,
    }


def chunk_from_record(chunk_id: str, document: str, meta: dict[str, Any]) -> Chunk:
    """Rebuild a Chunk from its record."""
    return Chunk(id=chunk_id, article_id=meta["article_id"], index=int(meta["index"]), text=document,
                 start=int(meta["start"]))
