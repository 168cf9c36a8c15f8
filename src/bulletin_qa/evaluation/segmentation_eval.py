"""Segmentation eval: article boundaries, titles, dates and bylines of pages against a golden file.

An expected article is *found* when a read article's body starts with its `body_start`
(whitespace ignored: the reader reflows print line breaks); the other fields are compared
on the found pairs only, so one missed boundary does not count as six wrong titles.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bulletin_qa.errors import UsageError
from bulletin_qa.evaluation import datasets, metrics
from bulletin_qa.evaluation.report import EvalReport, settings_snapshot
from bulletin_qa.models import Article
from bulletin_qa.settings import Settings

FIELDS = ("title", "subtitle", "dateline", "date", "date_approximate", "reporters", "correspondents")
# Golden files may spell a field shorter than the Article does.
ALIASES = {"approx": "date_approximate"}
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub("", text or "")


def _actual(article: Article, name: str) -> Any:
    value = getattr(article, name)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _squash(value)
    return value


def _expected(entry: dict[str, Any], name: str) -> Any:
    value = entry.get(name)
    if name in ("title", "subtitle", "dateline"):
        return _squash(value or "")
    if name in ("reporters", "correspondents"):
        return list(value or [])
    if name == "date_approximate":
        return bool(value)
    return value


def _align(expected: Sequence[dict[str, Any]], read: Sequence[Article]) -> list[Article | None]:
    """The read article of each expected one: by body start, or by position where none is given."""
    used: set[int] = set()
    out: list[Article | None] = []
    for position, entry in enumerate(expected):
        start = _squash(entry.get("body_start", ""))
        if start:
            match = next((i for i, a in enumerate(read) if i not in used and _squash(a.text).startswith(start)), None)
        else:  # golden pages without body starts (third-party text is not quoted) align by order
            match = position if position < len(read) and position not in used else None
        if match is not None:
            used.add(match)
        out.append(read[match] if match is not None else None)
    return out


def score_page(expected: Sequence[dict[str, Any]], read: Sequence[Article]) -> dict[str, Any]:
    """Align expected articles to read ones by body start, then compare each field on the pairs."""
    expected = [{ALIASES.get(k, k): v for k, v in entry.items()} for entry in expected]
    pairs = list(zip(expected, _align(expected, read)))
    found = [(e, a) for e, a in pairs if a is not None]
    out: dict[str, Any] = {"expected": len(expected), "read": len(read), "found": len(found)}
    mismatches: list[dict[str, Any]] = []
    for name in FIELDS:
        # A field the golden entry leaves out is not scored (None in the table when none give it).
        right = checked = 0
        for entry, article in found:
            assert article is not None
            if name not in entry:
                continue
            checked += 1
            if _expected(entry, name) == _actual(article, name):
                right += 1
            else:
                mismatches.append({"body_start": entry.get("body_start"), "field": name,
                                   "expected": _expected(entry, name), "read": _actual(article, name)})
        out[name], out[f"{name}_checked"] = right, checked
    out["missed"] = [e.get("body_start") for e, a in pairs if a is None]
    out["mismatches"] = mismatches
    return out


def _row(scores: Sequence[dict[str, Any]]) -> dict[str, float | int | None]:
    expected = sum(s["expected"] for s in scores)
    read = sum(s["read"] for s in scores)
    found = sum(s["found"] for s in scores)
    row: dict[str, float | int | None] = {
        "articles": expected, "read": read,
        "boundary_recall": metrics.rate(found, expected), "boundary_precision": metrics.rate(found, read)}
    for name in FIELDS:
        row[name] = metrics.rate(sum(s[name] for s in scores), sum(s[f"{name}_checked"] for s in scores))
    return row


def load_golden_pages(path: Path) -> list[dict[str, Any]]:
    """Golden segmentation, one line a page: {page, realdata?, articles: [{title, ..., body_start}]}.

    `page` is relative to the repository, or to ../shared/data when `realdata` is true.
    """
    pages = []
    for number, obj in datasets.read_jsonl_objects(path):
        if not obj.get("page") or not isinstance(obj.get("articles"), list):
            raise UsageError(f"{path}:{number}: a golden page needs 'page' (its file) and 'articles' (a list).",
                             hint="See evals/golden/segmentation.jsonl for the shape.")
        pages.append(obj)
    return pages


def _page_path(page: dict[str, Any], pages_dir: Path | None) -> Path:
    if pages_dir is not None:
        return pages_dir / Path(page["page"]).name
    base = datasets.shared_data_dir() if page.get("realdata") else datasets.repo_root()
    return base / page["page"]


def evaluate_segmentation(golden: Path | None, pages_dir: Path | None, *, settings: Settings) -> EvalReport:
    """Read every page the golden file names and score it; one table row per page plus 'all'."""
    from bulletin_qa.reading import read_file

    started = time.perf_counter()
    path = golden or datasets.golden_dir() / "segmentation.jsonl"
    report = EvalReport(name="segmentation", dataset=str(path), settings=settings_snapshot(settings))
    scores: list[dict[str, Any]] = []
    for page in load_golden_pages(path):
        page_path = _page_path(page, pages_dir)
        if not page_path.is_file():
            if page.get("realdata") and pages_dir is None:
                report.notes.append(f"{page['page']}: skipped, ../shared/data is absent")
                continue
            raise UsageError(f"The golden file names page {page['page']}, which is not at {page_path}.",
                             hint="Pass the folder of the pages with --pages.")
        score = score_page(page["articles"], read_file(page_path))
        score["source"] = page_path.name
        scores.append(score)
        report.table[page_path.name] = _row([score])
    if not scores:
        raise UsageError(f"No page of {path} could be read.", hint="Pass the folder of the pages with --pages.")
    report.table["all"] = _row(scores)
    report.items = scores
    report.counts = {"pages": len(scores), "articles": sum(s["expected"] for s in scores)}
    perfect = all(s["found"] == s["expected"] == s["read"] and s["title"] == s["title_checked"] == s["found"]
                  for s in scores)
    report.notes.append("every boundary and title right" if perfect else "some boundaries or titles are wrong")
    report.seconds = round(time.perf_counter() - started, 3)
    return report
