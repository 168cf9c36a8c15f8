"""Our golden pages typeset as newspaper pages, for the PDF and OCR tests (built at test time)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bulletin_qa.evaluation.segmentation_eval import align_articles
from bulletin_qa.evaluation.typeset import (
    PrintedArticle,
    printed_articles,
    typeset_tools,
)
from bulletin_qa.reading import read_file

from .helpers import GOLDEN, REPO

needs_printing = pytest.mark.skipif(bool(typeset_tools()), reason="chromium/pdftoppm not installed (see .ci/run)")


def golden_pages() -> dict[str, dict[str, Any]]:
    """Golden entries of our own pages by file name (the real page is left to the realdata tests)."""
    rows = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {Path(row["page"]).name: row for row in rows if not row.get("realdata")}


def printed(name: str, page_path: Path | None = None, entries: list[dict[str, Any]] | None = None) -> list[PrintedArticle]:
    """The articles of a golden page, ready to typeset: golden headlines over the text version's bodies."""
    entries = entries if entries is not None else golden_pages()[name]["articles"]
    path = page_path or REPO / "samples" / "pages" / name
    return printed_articles(entries, align_articles(entries, read_file(path)))


def date_of(name: str) -> dt.date | None:
    """The full date in a sample page's name (hewan-2024-03-15.txt), else None."""
    parts = Path(name).stem.split("-")[1:]
    return dt.date(*map(int, parts)) if len(parts) == 3 else None
