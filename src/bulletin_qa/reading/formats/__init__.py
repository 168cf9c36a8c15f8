"""PDF pages, scans and web pages -> the same page reader as text pages.

    read_document(path, date)   dispatch on the suffix (documents.py); document_kind(path) sniffs
                                a file saved without its suffix (%PDF, PNG, JPEG, TIFF)
    pdf.py        PDF pages -> glyphs (characters with position, size, font) and rules; pdfplumber
    ocr.py        page images -> glyphs (recognised characters); rapidocr-onnxruntime, the `ocr` extra
    layout.py     glyphs -> line fragments -> masthead, boxes, columns in reading order (XY-cut)
    pagetext.py   a laid-out page -> page text + layout cues (masthead date, headline type sizes)
    html.py       web pages -> articles; trafilatura
    unihan.py     look-alike radicals in PDF text layers folded back to the ideographs meant

Every format ends in reading/page.py (datelines, bylines, dates, headlines); the layout cues only
settle what the text rules cannot (title vs subtitle by type size, the page date).
"""

from bulletin_qa.reading.formats.documents import (
    DOCUMENT_SUFFIXES,
    document_kind,
    read_document,
)

__all__ = ["DOCUMENT_SUFFIXES", "document_kind", "read_document"]
