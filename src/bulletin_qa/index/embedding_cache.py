"""Embedding cache: sqlite keyed by (embedder id, kind, sha256 of the text) -> float32 blob.

One connection per thread (a sqlite connection must not be shared by threads that use it at the
same time), so the server's reader threads can look up query vectors side by side (serve/library.py).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np

from bulletin_qa.models import sha256_hex

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    embedder TEXT NOT NULL,
    kind TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (embedder, kind, text_hash)
)
"""
# sqlite allows 32,766 host parameters per statement since 3.32; stay far below.
_LOOKUP_BATCH = 500


class EmbeddingCache:
    """Vectors by content, so re-ingesting or re-running an eval embeds nothing twice."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []  # every thread's, so close() can close them all
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # timeout: two processes (an ingest and an eval), or two threads writing, may share the cache.
            # check_same_thread=False only so close() may close it from another thread; each thread
            # uses its own connection.
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def get_many(self, embedder: str, kind: str, texts: list[str]) -> dict[str, np.ndarray]:
        """Cached vectors of those texts that have one, by text."""
        by_hash = {sha256_hex(t): t for t in texts}
        hashes = list(by_hash)
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), _LOOKUP_BATCH):
            part = hashes[i : i + _LOOKUP_BATCH]
            marks = ",".join("?" * len(part))
            rows = self._db().execute(
                f"SELECT text_hash, dim, vector FROM embeddings WHERE embedder=? AND kind=? AND text_hash IN ({marks})",
                [embedder, kind, *part],
            )
            for text_hash, dim, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (dim,):
                    found[by_hash[text_hash]] = vector
        return found

    def put_many(self, embedder: str, kind: str, texts: list[str], vectors: np.ndarray) -> None:
        """Store vectors for texts (replacing any old entry)."""
        rows = [
            (embedder, kind, sha256_hex(t), int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors)
        ]
        with self._db() as conn:
            conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?)", rows)

    def count(self, embedder: str | None = None) -> int:
        """Number of cached vectors (of one embedder, or all)."""
        if embedder is None:
            return self._db().execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
        return self._db().execute("SELECT COUNT(*) FROM embeddings WHERE embedder=?", [embedder]).fetchone()[0]

    def close(self) -> None:
        """Close every thread's connection (each reopens on next use)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()
