"""Paths shared by the reading tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
GOLDEN = REPO / "evals" / "golden" / "segmentation.jsonl"
# SEE: /work/shared/data/README.md (read-only third-party data; CI has the same folder)
REAL_DATA = REPO / ".." / "shared" / "data"
REAL_PAGE = REAL_DATA / "pages" / "erqi-2023-05.txt"
REAL_CORPUS = REAL_DATA / "news" / "news_corpus.jsonl"

needs_real_page = pytest.mark.skipif(not REAL_PAGE.is_file(), reason="../shared/data is absent")
needs_real_corpus = pytest.mark.skipif(not REAL_CORPUS.is_file(), reason="../shared/data is absent")
