"""Shared helpers of the names tests: the real page (read from ../shared/data, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

from bulletin_qa.evaluation.datasets import shared_data_dir


def real_page() -> Path:
    """The real Erqi page: BULLETIN_QA_SHARED_DATA (a worktree elsewhere) or <repo>/../shared/data."""
    base = Path(os.environ["BULLETIN_QA_SHARED_DATA"]) if os.environ.get("BULLETIN_QA_SHARED_DATA") else shared_data_dir()
    return base / "pages" / "erqi-2023-05.txt"
