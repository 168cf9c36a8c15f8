"""A disk cache in front of any LLM: the same request twice costs one call.

Keyed by the full request (endpoint base URL, model, messages, temperature, max_tokens), so an
edited prompt or another endpoint is a miss, never a stale answer. The base URL is keyed and stored
without its user:password@ part (credentials never reach the cache file), and a reply over the
client-side length cap is never stored. One sqlite file, one row a
request; a connection per operation keeps it safe for several processes at once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from bulletin_qa.errors import LLMError
from bulletin_qa.llm.base import LLM, Completion, Messages
from bulletin_qa.models import Usage
from bulletin_qa.text.safe import display_url

SCHEMA = """
CREATE TABLE IF NOT EXISTS completions (
    key TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    text TEXT NOT NULL,
    model TEXT NOT NULL,
    usage TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def request_key(request: dict[str, Any]) -> str:
    """A stable hash of a request dict (key order and non-ASCII text do not change it)."""
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CachedLLM:
    """Wraps an LLM; answers a repeated request from disk with `cached=True` and zero cost."""

    def __init__(self, inner: LLM, path: Path, *, base_url: str, max_chars: int | None = None) -> None:
        self.inner = inner
        self.model = inner.model
        self.path = path
        self.base_url = display_url(base_url)  # the key and the stored request never hold credentials
        self.max_chars = max_chars if max_chars is not None else getattr(inner, "max_reply_chars", None)

    def complete(
        self,
        messages: Messages,
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        on_token: Callable[[str], None] | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        """Return the cached reply to this exact request, or ask the wrapped LLM and store its reply."""
        if max_tokens is None:  # key on the cap the wrapped LLM will really send
            max_tokens = getattr(self.inner, "default_max_tokens", None)
        request: dict[str, Any] = {"base_url": self.base_url, "model": self.model, "messages": messages,
                                    "temperature": temperature, "max_tokens": max_tokens}
        if json_schema is not None:  # only then: keys of requests without a schema stay as they were
            request["json_schema"] = json_schema
        key = request_key(request)
        row = self._query("SELECT text, model FROM completions WHERE key = ?", (key,)).fetchone()
        if row is not None:
            text, model = row
            if on_token and text:
                on_token(text)  # replayed in one piece: there is nothing to wait for
            return Completion(text=text, model=model, usage=Usage(cached_calls=1, cost_usd=0.0), cached=True)
        completion = self.inner.complete(messages, temperature=temperature, max_tokens=max_tokens,
                                         on_token=on_token, json_schema=json_schema)
        if self.max_chars is not None and len(completion.text) > self.max_chars:
            return completion  # over the cap: the wrapped LLM should have refused it; never keep it
        self._query(
            "INSERT OR REPLACE INTO completions VALUES (?, ?, ?, ?, ?, ?)",
            (key, json.dumps(request, ensure_ascii=False), completion.text, completion.model,
             completion.usage.model_dump_json(), time.time()),
        )
        return completion

    def __len__(self) -> int:
        row = self._query("SELECT COUNT(*) FROM completions", ()).fetchone()
        return int(row[0]) if row else 0

    def clear(self) -> int:
        """Delete every cached reply; return how many there were."""
        return self._query("DELETE FROM completions", ()).rowcount

    def _query(self, sql: str, args: tuple[Any, ...]) -> _Rows:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=30)) as db, db:  # closes, and commits
                db.execute(SCHEMA)
                cursor = db.execute(sql, args)
                return _Rows(cursor.fetchall(), cursor.rowcount)
        except sqlite3.DatabaseError as exc:  # corrupt file, or a file that is not sqlite at all
            raise LLMError(f"The LLM cache {self.path} cannot be used ({exc}).",
                           hint="Delete that file, or run with --no-cache.") from None
        except OSError as exc:
            raise LLMError(f"The LLM cache directory {self.path.parent} cannot be written ({exc.strerror}).",
                           hint="Set BULLETIN_QA_HOME to a writable directory, or run with --no-cache.") from None


class _Rows:
    """Rows read before the connection closes, with the cursor API used above."""

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None
