"""Segmentation eval: article boundaries, titles, dates and bylines of pages against a golden file.

An expected article is *found* when a read article's body starts with its `body_start`
(whitespace ignored: the reader reflows print line breaks); the other fields are compared
on the found pairs only, so one missed boundary does not count as six wrong titles.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Sequence
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


def align_articles(expected: Sequence[dict[str, Any]], read: Sequence[Article]) -> list[Article | None]:
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
    pairs = list(zip(expected, align_articles(expected, read)))
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


FORMATS = ("text", "pdf", "image")


def _version(fmt: str, page: dict[str, Any], page_path: Path, text_articles: list[Article], layout: str,
             workdir: Path) -> Path:
    """The page typeset as a newspaper PDF (layout by page index), or that PDF rasterised like a scan."""
    from bulletin_qa.evaluation import typeset

    stem = page_path.stem
    pdf = workdir / f"{stem}.pdf"
    if not pdf.is_file():
        printed = typeset.printed_articles(page["articles"], align_articles(page["articles"], text_articles))
        date = _full_date(stem)
        html = typeset.page_html(printed, layout, date=date)
        typeset.print_pdf(html, pdf)
    if fmt == "pdf":
        return pdf
    [image] = typeset.rasterise(pdf, workdir / stem)
    return image.rename(workdir / f"{stem}.png")


def _full_date(stem: str) -> dt.date | None:
    """The page date to print in the masthead: only a full date in the file name (the text version's)."""
    from bulletin_qa.reading.dates import date_from_name

    known = date_from_name(stem)
    return known.date if known.exact else None


def _cer(expected: Sequence[dict[str, Any]], read: Sequence[Article], text: Sequence[Article]) -> tuple[int, int]:
    """(edits, reference characters) of the read bodies against the text version's, over found articles."""
    edits = chars = 0
    for mine, reference in zip(align_articles(expected, read), align_articles(expected, text)):
        if mine is not None and reference is not None:
            ref = _squash(reference.text)
            edits += metrics.edit_distance(_squash(mine.text), ref)
            chars += len(ref)
    return edits, chars


def _missing_tools(formats: Sequence[str]) -> list[str]:
    from bulletin_qa.evaluation.typeset import typeset_tools

    notes = []
    if any(f != "text" for f in formats) and (missing := typeset_tools()):
        notes.append(f"pdf and image versions skipped: {', '.join(missing)} not installed "
                     f"(apt-get install {' '.join(missing)})")
    if "image" in formats:
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError:
            notes.append('image versions skipped: the OCR extra is not installed (pip install "bulletin-qa[ocr]")')
    return notes


def evaluate_segmentation(golden: Path | None, pages_dir: Path | None, *, settings: Settings,
                          formats: Sequence[str] = ("text",), layout_offset: int = 0,
                          progress: Callable[[str], None] | None = None) -> EvalReport:
    """Read every page the golden file names and score it; one table row per page plus 'all'.

    `formats` adds the page typeset as a newspaper PDF ("pdf") and that PDF rasterised like a
    scan ("image", read by OCR; its bodies also get a character error rate against the text
    version's). Page i is typeset in layout LAYOUTS[(i + layout_offset) % 3] (stacked, grid,
    after), so another offset gives every page a layout it was not checked in. With more than one
    format the table has one column per format.
    """
    import tempfile

    from bulletin_qa.evaluation.typeset import LAYOUTS
    from bulletin_qa.reading import read_file

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"Unknown format {unknown[0]!r}.", hint=f"Use --format with one of: {', '.join(FORMATS)}.")
    started = time.perf_counter()
    path = golden or datasets.golden_dir() / "segmentation.jsonl"
    report = EvalReport(name="segmentation", dataset=str(path), settings=settings_snapshot(settings))
    report.notes.extend(notes := _missing_tools(formats))
    skip = {"pdf", "image"} if any("pdf and image" in n for n in notes) else set()
    skip |= {"image"} if any("OCR" in n for n in notes) else set()
    active = [f for f in formats if f not in skip]
    scores: dict[str, list[dict[str, Any]]] = {f: [] for f in active}
    cer = [0, 0]
    seconds: dict[str, float] = {f: 0.0 for f in active}
    pages = load_golden_pages(path)
    with tempfile.TemporaryDirectory(prefix="bulletin-qa-pages-") as tmp:  # third-party text stays out of the repo
        for index, page in enumerate(pages):
            page_path = _page_path(page, pages_dir)
            if not page_path.is_file():
                if page.get("realdata") and pages_dir is None:
                    report.notes.append(f"{page['page']}: skipped, ../shared/data is absent")
                    continue
                raise UsageError(f"The golden file names page {page['page']}, which is not at {page_path}.",
                                 hint="Pass the folder of the pages with --pages.")
            text_articles = read_file(page_path)
            for fmt in active:
                layout = LAYOUTS[(index + layout_offset) % len(LAYOUTS)]
                source = (page_path if fmt == "text"
                          else _version(fmt, page, page_path, text_articles, layout, Path(tmp)))
                clock = time.perf_counter()
                read = text_articles if fmt == "text" else read_file(source)
                seconds[fmt] += time.perf_counter() - clock
                score = score_page(page["articles"], read)
                score["source"], score["format"] = page_path.name, fmt
                score["layout"] = None if fmt == "text" else layout
                if fmt == "image":
                    edits, chars = _cer(page["articles"], read, text_articles)
                    score["cer"] = metrics.rate(edits, chars)
                    cer[0] += edits
                    cer[1] += chars
                scores[fmt].append(score)
                if progress is not None:
                    progress(f"{page_path.name} [{fmt}]: {score['found']}/{score['expected']} articles, "
                             f"{score['title']}/{score['title_checked']} titles")
    if not any(scores.values()):
        raise UsageError(f"No page of {path} could be read.", hint="Pass the folder of the pages with --pages.")
    _fill_report(report, scores, active, seconds, cer)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _fill_report(report: EvalReport, scores: dict[str, list[dict[str, Any]]], active: list[str],
                 seconds: dict[str, float], cer: list[int]) -> None:
    """The table (one row per page, or one per format), items, counts and verdict notes from the scores."""
    if len(active) == 1:
        for score in scores[active[0]]:
            report.table[score["source"]] = _row([score])
        report.table["all"] = _row(scores[active[0]])
    else:
        for fmt in active:
            report.table[fmt] = _row(scores[fmt])
            report.table[fmt]["seconds_per_page"] = round(seconds[fmt] / max(1, len(scores[fmt])), 3)
    if "image" in scores:
        report.table["image" if len(active) > 1 else "all"]["cer"] = metrics.rate(cer[0], cer[1])
    report.items = [s for fmt in active for s in scores[fmt]]
    report.counts = {"pages": len(scores[active[0]]), "articles": sum(s["expected"] for s in scores[active[0]])}
    for fmt in active:
        perfect = all(s["found"] == s["expected"] == s["read"] and s["title"] == s["title_checked"] == s["found"]
                      for s in scores[fmt])
        label = "" if len(active) == 1 else f"{fmt}: "
        verdict = "every boundary and title right" if perfect else "some boundaries or titles are wrong"
        report.notes.append(label + verdict)
