"""Scans: a typeset sample page rasterised like a 150 dpi scan, read by OCR (the `ocr` extra).

One page of two articles (one headline printed after its body), kept small: OCR of a page this
size takes 20-60 s on two busy cores. The same image saved as a PDF without a text layer goes
through the same path.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin_qa.evaluation.metrics import character_error_rate
from bulletin_qa.evaluation.typeset import Sheet, document_html, print_pdf, rasterise
from bulletin_qa.models import Article
from bulletin_qa.reading import read_paths
from bulletin_qa.reading.formats.documents import OCR_NOTE

from .newspaper import golden_pages, needs_printing, printed

pytest.importorskip("rapidocr_onnxruntime", reason='the OCR extra is not installed (pip install "bulletin-qa[ocr]")')
pytestmark = needs_printing
PAGE = "hewan-2024-03-15.txt"


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scan")
    pdf = print_pdf(document_html([Sheet(printed(PAGE)[:2], "after", dt.date(2024, 3, 15))]), out / "print.pdf")
    [image] = rasterise(pdf, out / "page", dpi=150)
    return image.rename(out / "scan.png")


@pytest.fixture(scope="module")
def articles(scan: Path) -> list[Article]:
    return read_paths([scan]).articles


def test_scan_gets_every_article_title_date_and_byline(articles: list[Article]) -> None:
    expected = golden_pages()[PAGE]["articles"][:2]
    got = [(a.title, a.subtitle, a.date and a.date.isoformat(), a.date_approximate, a.reporters, a.correspondents)
           for a in articles]
    assert got == [(e["title"], e["subtitle"], e["date"], e["approx"], e["reporters"], e["correspondents"])
                   for e in expected]
    assert all(OCR_NOTE in a.warnings for a in articles)


def test_scan_text_is_close_to_the_text_version(articles: list[Article]) -> None:
    text = read_paths([Path(__file__).resolve().parents[2] / "samples" / "pages" / PAGE]).articles[:2]
    for mine, reference in zip(articles, text):
        assert character_error_rate(mine.text, reference.text) < 0.02  # measured 0.001 on this page


def test_a_pdf_of_scanned_pages_is_read_by_ocr(scan: Path, tmp_path: Path) -> None:
    from PIL import Image

    pdf = tmp_path / "scanned.pdf"
    Image.open(scan).convert("RGB").save(pdf, resolution=150)
    articles = read_paths([pdf]).articles
    assert [a.title for a in articles] == [e["title"] for e in golden_pages()[PAGE]["articles"][:2]]
    assert articles[0].date == dt.date(2024, 3, 14)  # from its dateline; the masthead gives the year
