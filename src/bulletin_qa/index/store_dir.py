"""Checks on a store directory before Chroma opens it (Chroma would happily write into anything)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bulletin_qa.errors import StoreDamaged, StoreUnavailable

# Files that may sit in a new store directory without making it "foreign".
_HARMLESS = {".gitkeep", ".DS_Store", "bulletin-qa.lock"}


def check_store_dir(path: Path, create: bool) -> None:
    """Refuse a missing (when reading), foreign or corrupt directory before Chroma touches it."""
    if not path.exists():
        if create:
            return
        raise StoreUnavailable(
            f"There is no store at {path}.",
            hint="Run `bulletin-qa ingest PATH...` first, or point --store (BULLETIN_QA_STORE) at an existing store.",
        )
    if not path.is_dir():
        raise StoreUnavailable(f"The store path {path} is a file, not a directory.",
                               hint="Choose a directory with --store (a new one is created by `bulletin-qa ingest`).")
    db = path / "chroma.sqlite3"
    if db.exists():
        if db.stat().st_size == 0:
            # Chroma would take an empty file for a new store: reading commands would say "no
            # articles yet" and ingest would silently start over in it.
            raise StoreDamaged(
                f"The store at {path} is damaged: chroma.sqlite3 is empty (0 bytes), its articles are gone.",
                hint="Nothing was changed. Restore the directory from a backup, or move it away and ingest again "
                     "into a new --store.")
        try:
            # Read-only: a foreign or broken file is never modified by our check.
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreUnavailable(
                f"The store at {path} is corrupt: chroma.sqlite3 cannot be read ({exc}).",
                hint="Nothing was changed. Use a new --store directory and ingest again.",
            ) from exc
        if not {"collections", "embeddings"} <= tables:
            raise StoreUnavailable(f"{db} is an SQLite file but not a Chroma store.",
                                   hint="Nothing was changed. Use another --store directory.")
        return
    foreign = sorted(p.name for p in path.iterdir() if p.name not in _HARMLESS)
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise StoreUnavailable(
            f"{path} is not a bulletin-qa store: it holds other files ({shown}) and no chroma.sqlite3.",
            hint="Nothing was changed. Choose an empty or new directory with --store.",
        )
    if not create:
        raise StoreUnavailable(f"The store at {path} is empty.", hint="Run `bulletin-qa ingest PATH...` first.")
