"""PDF pages -> glyphs and rules (pdfplumber, MIT; not PyMuPDF, which is AGPL).

Each page is read on its own: its characters with position, size and font (bold when the font
name says Bold/Black/Heavy/Medium) and its rules (thin filled rectangles and lines, as e-paper
PDFs and Chromium draw them). A page without a text layer (a scan saved as PDF) is rendered
with pypdfium2 and read by OCR (ocr.py, the `ocr` extra).

Characters written as look-alike radicals (日 as U+2F47) are folded back (unihan.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin_qa.errors import EmptyInput, UnreadableDocument
from bulletin_qa.reading.formats.layout import Glyph, Rule
from bulletin_qa.reading.formats.unihan import fold

OCR_DPI = 150  # a scan rendered at 150 dpi gives 11pt body type ~23 px high, enough for PP-OCRv4
RULE_THICKNESS = 3.0  # points: thicker rectangles are pictures or shading, not rules
RULE_LENGTH = 20.0
_BOLD = ("bold", "black", "heavy", "medium", "semibold", "demi")


@dataclass
class PdfPage:
    """One page: its number (1-based), glyphs and rules, or an image to OCR when it has no text layer."""

    number: int
    glyphs: list[Glyph]
    rules: list[Rule]
    image: Any = None


def _glyphs(page: Any) -> list[Glyph]:
    glyphs = []
    for char in page.chars:
        text = fold(char["text"])
        if not text.strip() or not char.get("upright", True):
            continue
        font = str(char.get("fontname", "")).lower()
        glyphs.append(Glyph(text, float(char["x0"]), float(char["x1"]), float(char["top"]), float(char["bottom"]),
                            float(char["size"]), any(b in font for b in _BOLD)))
    return glyphs


def _rules(page: Any) -> list[Rule]:
    rules = []
    for shape in [*page.rects, *page.lines]:
        width, height = float(shape["x1"]) - float(shape["x0"]), float(shape["bottom"]) - float(shape["top"])
        if min(width, height) <= RULE_THICKNESS and max(width, height) >= RULE_LENGTH:
            rules.append(Rule(float(shape["x0"]), float(shape["x1"]), float(shape["top"]), float(shape["bottom"])))
    return rules


def _render(path: Path, index: int) -> Any:
    import numpy as np
    import pypdfium2  # ships no type hints (mypy: ignore_missing_imports)

    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[index].render(scale=OCR_DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()
    return np.asarray(image)[:, :, ::-1].copy()  # RGB -> BGR, as OpenCV reads images


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """True when `exc`, its cause/context or an exception in its args is a `kind`."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, kind):
            return True
        todo.extend([item.__cause__, item.__context__, *item.args])
    return False


def _open(path: Path) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor chatter on every page
    if path.stat().st_size == 0:
        raise EmptyInput(f"{path} is empty (0 bytes).", path=path, hint="Download or export the PDF again.")
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # parses the page tree: a damaged file fails here
    except Exception as exc:  # pdfminer raises many types for damaged files; pdfplumber wraps them
        if _caused_by(exc, PDFPasswordIncorrect):
            raise UnreadableDocument(f"{path} is password-protected.", path=path,
                                     hint="Save an unprotected copy (e.g. qpdf --decrypt --password=PW in.pdf "
                                          "out.pdf) and ingest that.") from None
        raise UnreadableDocument(f"{path} is not a readable PDF (damaged or not a PDF).",
                                 path=path, hint="Open it in a PDF viewer; download or export it again.") from None
    return pdf


def pdf_pages(path: Path) -> Iterator[PdfPage]:
    """The pages of a PDF in order; pages without a text layer carry an image for OCR instead."""
    pdf = _open(path)
    with pdf:
        if not pdf.pages:
            raise EmptyInput(f"{path} has no pages.", path=path, hint="Export the PDF again.")
        for index, page in enumerate(pdf.pages):
            try:
                glyphs = _glyphs(page)
                rules = _rules(page)
            except Exception as exc:  # a damaged content stream on one page
                raise UnreadableDocument(f"{path}: page {index + 1} cannot be read ({type(exc).__name__}).",
                                         path=path, hint="Open it in a PDF viewer; export it again.") from None
            image = _render(path, index) if not glyphs else None
            yield PdfPage(index + 1, glyphs, rules, image)
