"""Scanned pages and photos -> glyphs, with the PP-OCRv4 models bundled in `rapidocr-onnxruntime`.

Optional extra: `pip install "bulletin-qa[ocr]"`. The models ship inside the wheel (rapidocr_onnxruntime/models:
ch_PP-OCRv4_det, ch_PP-OCRv4_rec, ch_ppocr_mobile_v2.0_cls), so nothing is downloaded at run time.

The detector's line boxes can run across a column gutter, so each box is handed on as its
characters (the recogniser's per-character boxes, `return_word_box=True`): layout.py splits
lines at gutters from those. A glyph's size is its line's character pitch, so headline type stands
out from body type as it does in a PDF.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from bulletin_qa.errors import EmptyInput, MissingExtra, UnreadableDocument
from bulletin_qa.reading.bylines import ROLES
from bulletin_qa.reading.chars import display_width
from bulletin_qa.reading.layout import Glyph

BYLINE_MAX = 16  # characters: a longer line starting with 记者 is prose (`记者了解到，…`)
# A gap this wide (x pitch) between characters of a byline line was a space. Chosen on the OCR of
# hewan-2024-04 typeset in the grid layout: printed spaces 0.32-0.40, other gaps 0-0.24.
BYLINE_SPACE = 0.3
MIN_PITCH_CELLS = 4  # lines narrower than this many full-width cells take their size from their height
MIN_SCORE = 0.5  # recognised lines below this confidence are noise (speckles, rules read as 一)


@functools.lru_cache(maxsize=1)
def ocr_engine() -> Any:
    """The RapidOCR engine, built once; MissingExtra when the extra is not installed."""
    try:
        from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]  # ships no type hints
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


def _byline_spaces(words: list[str], boxes: list[tuple[float, float, float, float]], size: float) -> list[str]:
    """Words of a byline line (`记者沈一鸣方小禾`) with the spaces OCR dropped put back before wide gaps.

    The recogniser returns no spaces, and names run together cannot be split by rule; its
    character boxes do leave a wider gap where the print had a space (see BYLINE_SPACE). Only byline lines get this: in body lines the gaps are
    noisier (up to 0.6 x pitch around digits) and a space between Han characters would stay.
    """
    if len(words) > BYLINE_MAX or not "".join(words).startswith(ROLES):
        return words
    cuts = [i for i in range(1, len(words)) if boxes[i][0] - boxes[i - 1][1] > BYLINE_SPACE * size]
    # A Chinese name has at least two characters: a cut that leaves one alone (`沈一 鸣`) was noise.
    bounds = [0, *cuts, len(words)]
    keep = [cut for k, cut in enumerate(cuts, start=1) if bounds[k] - bounds[k - 1] > 1 and bounds[k + 1] - cut > 1]
    return [(" " + word if i in keep else word) for i, word in enumerate(words)]


def ocr_glyphs(image: Any) -> list[Glyph]:
    """Characters recognised on a page image, each with its box; the line's character pitch is the size."""
    result, _ = ocr_engine()(image, return_word_box=True)
    lines = []
    for item in result or []:
        text, score = item[1], float(item[2])
        if score >= MIN_SCORE and text.strip():
            x0, x1, top, bottom = _box_edges(item[0])
            cells = display_width(text) / 2
            lines.append((item, text, x0, x1, top, bottom, cells))
    # Type size from the character pitch: Han characters are square, so a line's width over its
    # width in full-width cells is its type size. Box heights are no good for this: they come in a
    # few steps and grow with quotes and descenders (a 14pt subtitle and 11pt body got the same).
    # A line of one or two characters (`作`, the end of a broken title) has no reliable pitch: its
    # height times the page's usual pitch/height ratio stands in.
    ratios = sorted((x1 - x0) / c / (b - t) for _, _, x0, x1, t, b, c in lines if c >= MIN_PITCH_CELLS and b > t)
    ratio = ratios[len(ratios) // 2] if ratios else 1.0
    glyphs: list[Glyph] = []
    for item, text, x0, x1, top, bottom, cells in lines:
        size = (x1 - x0) / cells if cells >= MIN_PITCH_CELLS else (bottom - top) * ratio
        words = item[4] if len(item) > 4 else None  # [box, text, score, word boxes, words, ...]
        if words and len(item[3]) == len(words) and "".join(words) == text.replace(" ", ""):
            boxes = [_box_edges(word_box) for word_box in item[3]]
            spaced = _byline_spaces(words, boxes, size)
            for (wx0, wx1, _, _), word in zip(boxes, spaced):
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
