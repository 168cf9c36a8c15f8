"""On-disk cache of generated summaries (and digest theme assignments), in one sqlite file.

Keys hash everything that decides the output: the article's content hash, language, length,
prompt hash, model, and the glossary lines given to the prompt. Each row is committed on its
own, so an interrupted digest keeps every summary finished before the interruption.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from bulletin_qa.models import sha256_hex

_SCHEMA = """
create table if not exists generated (
    key text primary key,
    kind text not null,
    payload text not null,
    created real not null
)
"""


def cache_key(*parts: object) -> str:
    """A key from the parts that decide an output (order matters)."""
    return sha256_hex(json.dumps([str(p) for p in parts], ensure_ascii=False))


class SummaryCache:
    """Maps keys to JSON payloads; `path=None` keeps everything in memory (tests, --no-cache)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:")
        self._db.execute(_SCHEMA)
        self._db.commit()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any | None:
        """The stored payload for key, or None."""
        row = self._db.execute("select payload from generated where key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(row[0])

    def put(self, key: str, kind: str, payload: Any) -> None:
        """Store (or replace) a payload and commit at once."""
        self._db.execute("insert or replace into generated values (?, ?, ?, ?)",
                         (key, kind, json.dumps(payload, ensure_ascii=False, default=str), time.time()))
        self._db.commit()

    def count(self, kind: str | None = None) -> int:
        """Rows stored (of one kind, or all)."""
        sql, args = ("select count(*) from generated where kind = ?", (kind,)) if kind else (
            "select count(*) from generated", ())
        return int(self._db.execute(sql, args).fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        self._db.close()
