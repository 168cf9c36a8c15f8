"""Scanned pages and photos -> glyphs, with the PP-OCRv4 models bundled in `rapidocr-onnxruntime`.

Optional extra: `pip install "bulletin-qa[ocr]"`. The models ship inside the wheel (rapidocr_onnxruntime/models:
ch_PP-OCRv4_det, ch_PP-OCRv4_rec, ch_ppocr_mobile_v2.0_cls), so nothing is downloaded at run time.

The detector's line boxes can run across a column gutter, so each box is handed on as its
characters (the recogniser's per-character boxes, `return_word_box=True`): layout.py splits
lines at gutters from those. A glyph's size is its line box's height, so headline type (taller
boxes) stands out from body type as it does in a PDF.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from bulletin_qa.errors import EmptyInput, MissingExtra, UnreadableDocument
from bulletin_qa.reading.layout import Glyph

MIN_SCORE = 0.5  # recognised lines below this confidence are noise (speckles, rules read as 一)


@functools.lru_cache(maxsize=1)
def ocr_engine() -> Any:
    """The RapidOCR engine, built once; MissingExtra when the extra is not installed."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise MissingExtra("Reading scanned pages and photos needs the OCR extra, which is not installed.",
                           extra="ocr") from None
    return RapidOCR()


def load_image(path: Path) -> Any:
    """The image at `path` as a BGR array (PNG, JPEG, TIFF, ...); UnreadableDocument when it is not one."""
    ocr_engine()  # the extra brings OpenCV; say so before failing on a missing import
    import cv2
    import numpy as np

    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise UnreadableDocument(f"{path} is not a readable image (damaged, or not a PNG/JPEG/TIFF).", path=path,
                                 hint="Open it in an image viewer; re-save or re-scan it.")
    return image


def _box_edges(points: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return min(xs), max(xs), min(ys), max(ys)


def ocr_glyphs(image: Any) -> list[Glyph]:
    """Characters recognised on a page image, each with its box; the line box height is the size."""
    result, _ = ocr_engine()(image, return_word_box=True)
    glyphs: list[Glyph] = []
    for item in result or []:
        box, text, score = item[0], item[1], float(item[2])
        if score < MIN_SCORE or not text.strip():
            continue
        x0, x1, top, bottom = _box_edges(box)
        size = bottom - top
        words = item[4] if len(item) > 4 else None  # noqa: PLR2004 - [box, text, score, word boxes, words, ...]
        if words and len(item[3]) == len(words) and "".join(words) == text.replace(" ", ""):
            for word_box, word in zip(item[3], words):
                wx0, wx1, _, _ = _box_edges(word_box)
                glyphs.append(Glyph(word, wx0, wx1, top, bottom, size))
        else:  # no character boxes: spread the text evenly over its box
            step = (x1 - x0) / max(1, len(text))
            glyphs.extend(Glyph(ch, x0 + i * step, x0 + (i + 1) * step, top, bottom, size)
                          for i, ch in enumerate(text))
    return glyphs


def image_glyphs(image: Any, where: str) -> list[Glyph]:
    """ocr_glyphs, or EmptyInput naming `where` when the page holds no text."""
    glyphs = ocr_glyphs(image)
    if not glyphs:
        raise EmptyInput(f"No text found in {where}.", path=where,
                         hint="Check that it is a page of text, upright and in focus, or leave it out.")
    return glyphs
