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
from bulletin_qa.reading.formats.layout import Glyph

BYLINE_MAX = 16  # characters: a longer line starting with 记者 is prose (`记者了解到，…`)
# Cutting a run of names costs this much (x pitch) per cut, so `沈一鸣` stays whole while the wide
# gap in `方小禾|陆晴` (0.24) pays for its cut. Gaps measured on OCR of hewan-2024-04 (grid, after).
CUT_COST = 0.1
MIN_PITCH_CELLS = 4  # lines narrower than this many full-width cells take their size from their height
MIN_SCORE = 0.5  # recognised lines below this confidence are noise (speckles, rules read as 一)


@functools.lru_cache(maxsize=1)
def ocr_engine() -> Any:
    """The RapidOCR engine, built once; MissingExtra when the extra is not installed."""
    try:
        from rapidocr_onnxruntime import RapidOCR  # ships no type hints (mypy: ignore_missing_imports)
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


def _name_cuts(gaps: list[float]) -> list[int]:
    """Where to cut a run of names (`方小禾陆晴`, its character gaps) into names of two or three
    characters (one of four when alone): the cuts at the widest gaps win, each cut costing CUT_COST."""
    n = len(gaps) + 1
    best: tuple[float, list[int]] = (0.0 if n <= 4 else float("-inf"), [])  # a single name of <= 4
    def walk(start: int, cuts: list[int], score: float) -> None:
        nonlocal best
        for length in (2, 3):
            end = start + length
            if end == n and cuts and score > best[0]:
                best = (score, cuts)
            elif end < n - 1:
                walk(end, [*cuts, end], score + gaps[end - 1] - CUT_COST)
    if n >= 4:
        walk(0, [], 0.0)
    return best[1]


def _byline_spaces(words: list[str], boxes: list[tuple[float, float, float, float]], size: float) -> list[str]:
    """Words of a byline line (`记者方小禾陆晴`) with the spaces OCR dropped put back.

    The recogniser returns no spaces, and its character boxes are too noisy to find them by a
    fixed gap (printed spaces measured 0.08-0.44 x the pitch, other gaps 0-0.24). So: a space
    after each role word (记者, 通讯员, ...), and a run of names is cut into names of two or three
    characters where its gaps are widest. Only byline lines: a space between Han characters in
    body text would stay there.
    """
    text = "".join(words)
    if len(words) > BYLINE_MAX or not text.startswith(ROLES) or len(text) != len(words):
        return words
    gaps = [(boxes[i][0] - boxes[i - 1][1]) / size for i in range(1, len(words))]
    cuts: set[int] = set()
    i = 0
    while i < len(words):
        role = next((r for r in ROLES if text.startswith(r, i)), None)
        if role is not None:
            i += len(role)
            cuts.add(i)
            continue
        end = i
        while end < len(words) and not any(text.startswith(r, end) for r in ROLES):
            end += 1
        cuts.update(i + cut for cut in _name_cuts(gaps[i : end - 1]))
        cuts.add(end)
        i = end
    return [(" " + word if 0 < k < len(words) and k in cuts else word) for k, word in enumerate(words)]


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
