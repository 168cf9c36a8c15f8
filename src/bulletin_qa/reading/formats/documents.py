"""PDF, image and HTML files -> Article records, through the same page reader as text pages.

    read_document(path, date)   dispatch on the suffix (DOCUMENT_SUFFIXES)
    layout_articles(layout, …)  a laid-out page -> text -> read_page -> layout cues

PDF pages with a text layer go through layout.py directly; scans (PNG/JPEG/TIFF, and PDF pages
without a text layer) go through OCR first (ocr.py). Each PDF page is its own page: a
multi-page file `paper.pdf` gives sources `paper-p1.pdf`, `paper-p2.pdf`, ... (so article ids
stay unique), a one-page file keeps its name (same ids as its text version).
The page date: the caller's `date` (`--date`) > the masthead's date > the file name (dates.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bulletin_qa.errors import EmptyInput
from bulletin_qa.models import Article
from bulletin_qa.reading.formats.layout import OCR_GLYPH_GAP, Layout, read_layout
from bulletin_qa.reading.formats.pagetext import apply_cues, compose, find_masthead
from bulletin_qa.reading.page import read_page

PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
HTML_SUFFIXES = (".html", ".htm")
DOCUMENT_SUFFIXES = PDF_SUFFIXES + IMAGE_SUFFIXES + HTML_SUFFIXES
# SEE: https://en.wikipedia.org/wiki/List_of_file_signatures (a page saved without its suffix)
_SIGNATURES = {b"%PDF": ".pdf", b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg", b"II*\x00": ".tif", b"MM\x00*": ".tif"}
OCR_NOTE = "read by OCR from a page image: check names and figures against the page"


def layout_articles(layout: Layout, source: str, date: dt.date | None, ocr: bool = False) -> list[Article]:
    """Articles of one laid-out page: composed text -> read_page -> title/subtitle from type sizes."""
    page = compose(layout)
    if not page.text.strip():
        return []
    articles = apply_cues(read_page(page.text, source, date or page.date), page)
    if ocr:
        articles = [a.model_copy(update={"warnings": [*a.warnings, OCR_NOTE]}) for a in articles]
    return articles


def _read_pdf(path: Path, date: dt.date | None) -> list[Article]:
    from bulletin_qa.reading.formats.ocr import ocr_glyphs
    from bulletin_qa.reading.formats.pdf import pdf_pages

    pages = list(pdf_pages(path))
    articles: list[Article] = []
    blank: list[int] = []
    for page in pages:
        source = path.name if len(pages) == 1 else f"{path.stem}-p{page.number}{path.suffix}"
        if page.glyphs:
            layout = read_layout(page.glyphs, page.rules, find_masthead)
            found = layout_articles(layout, source, date)
        else:
            layout = read_layout(ocr_glyphs(page.image), (), find_masthead, space_gap=None, glyph_gap=OCR_GLYPH_GAP)
            found = layout_articles(layout, source, date, ocr=True)
        if not found:
            blank.append(page.number)
        articles.extend(found)
    if not articles:
        raise EmptyInput(f"No text found in {path} ({len(pages)} page{'s' if len(pages) > 1 else ''}).", path=path,
                         hint="Check that it holds pages of text, or leave it out.")
    if blank:
        which = f"page{'s' if len(blank) > 1 else ''} {', '.join(map(str, blank))}"
        note = f"{which} of {path.name}: no text found, skipped"
        articles[0] = articles[0].model_copy(update={"warnings": [*articles[0].warnings, note]})
    return articles


def _read_image(path: Path, date: dt.date | None) -> list[Article]:
    from bulletin_qa.reading.formats.ocr import image_glyphs, load_image

    layout = read_layout(image_glyphs(load_image(path), str(path)), (), find_masthead, space_gap=None,
                         glyph_gap=OCR_GLYPH_GAP)
    articles = layout_articles(layout, path.name, date, ocr=True)
    if not articles:
        raise EmptyInput(f"No text found in {path}.", path=path,
                         hint="Check that it is a page of text, or leave it out.")
    return articles


def document_kind(path: Path) -> str | None:
    """The document suffix to read `path` as: its own when known, else one its first bytes show; None for text."""
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return suffix
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return None
    return next((kind for signature, kind in _SIGNATURES.items() if head.startswith(signature)), None)


def read_document(path: Path, date: dt.date | None = None, kind: str | None = None) -> list[Article]:
    """Articles of a PDF, page image or HTML file (`kind`: a suffix, by default the file's own)."""
    suffix = kind or path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return _read_pdf(path, date)
    if suffix in IMAGE_SUFFIXES:
        return _read_image(path, date)
    from bulletin_qa.reading.formats.html import read_html

    return read_html(path, date)
