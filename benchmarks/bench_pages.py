"""Speed of reading pages the way users have them: PDF pages/s and OCR seconds per full page.

Not a test (numbers depend on the machine and its load). Run:

    python benchmarks/bench_pages.py [--repeat 3] [--dpi 300] [--root /tmp/bqa-pages]

It typesets OUR sample pages (evaluation/typeset.py, headless Chromium) as a 4-page paper and as
one long page holding all 19 articles, and times reading the text layer of every PDF page
(pdfplumber + layout + page reader); then it rasterises one full page (hewan-2024-03-15, five
articles in boxes side by side) like a scan at --dpi and at 150 dpi and times OCR + reading
(rapidocr-onnxruntime, the `ocr` extra). Needs chromium, fonts-noto-cjk and poppler-utils.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))

from bench_ingest import machine


def main() -> None:
    """Typeset, print, read; print a table and --json."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="Times the PDF reads are repeated (best kept).")
    parser.add_argument("--dpi", type=int, default=300, help="Scan resolution of the full page for OCR.")
    parser.add_argument("--root", type=Path, default=None, help="Keep the printed files here.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from bulletin_qa.evaluation.typeset import (
        Sheet,
        document_html,
        print_pdf,
        rasterise,
        typeset_tools,
    )
    from bulletin_qa.reading.formats.documents import read_document
    from tests.reading.newspaper import date_of, golden_pages, printed

    if missing := typeset_tools():
        sys.exit(f"needs {', '.join(missing)} (apt-get install {' '.join(missing)})")
    root = args.root or Path(tempfile.mkdtemp(prefix="bqa-pages-"))
    root.mkdir(parents=True, exist_ok=True)
    names = list(golden_pages())
    layouts = ["stacked", "grid", "after", "stacked"]
    sheets = [Sheet(printed(name), layout, date_of(name), i + 1) for i, (name, layout) in enumerate(zip(names, layouts))]
    paper = print_pdf(document_html(sheets), root / "paper.pdf")
    everything = [a for name in names for a in printed(name)]
    full = print_pdf(document_html([Sheet(everything, "stacked")]), root / "full-page.pdf")

    rows: dict[str, dict[str, float | int | str]] = {}
    for label, pdf, pages in (("PDF, 4 sample pages", paper, 4), ("PDF, one long page (19 articles)", full, 1)):
        best = min(_timed(lambda p=pdf: read_document(p)) for _ in range(args.repeat))  # type: ignore[misc]
        rows[label] = {"pages": pages, "seconds": round(best, 2), "pages_per_s": round(pages / best, 2)}
    # A full newspaper page as scanned: the first sample page (5 articles, boxes side by side).
    page = print_pdf(document_html([Sheet(printed(names[0]), "grid", date_of(names[0]))]), root / "page.pdf")
    import cv2

    for dpi in (args.dpi, 150):
        [image] = rasterise(page, root / f"page-{dpi}", dpi=dpi)
        height, width = cv2.imread(str(image)).shape[:2]
        seconds = _timed(lambda image=image: read_document(image))  # type: ignore[misc]
        rows[f"OCR, full page {width}x{height} px ({dpi} dpi)"] = {
            "pages": 1, "seconds": round(seconds, 1), "pages_per_s": round(1 / seconds, 3)}
    report = {"machine": machine(), "threads": os.cpu_count(), "rows": rows, "files": str(root)}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"machine: {report['machine']}")
    print(f"{'what':<46} {'pages':>5} {'seconds':>8} {'pages/s':>8}")
    for label, row in rows.items():
        print(f"{label:<46} {row['pages']:>5} {row['seconds']:>8} {row['pages_per_s']:>8}")


def _timed(work) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
