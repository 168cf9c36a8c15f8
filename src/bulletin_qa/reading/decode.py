"""Bytes -> text. Strict attempts first (UTF-8 with or without BOM, then GB18030), then detection.

Text saved by Chinese Windows tools is often GBK/GB18030; GB18030 is a superset of GBK and
GB2312, so one strict attempt covers all three. Only when both strict decodes fail is
charset-normalizer asked, and its guess is kept only if the result reads as Chinese (most
non-ASCII characters are Han or full-width punctuation): a Latin-1 or random-byte "text" would
otherwise come out as confident mojibake.
"""

from __future__ import annotations

import re

from bulletin_qa.errors import BinaryInput, EmptyInput, EncodingError
from bulletin_qa.text.chars import CJK_PUNCT, HAN, HAN_RE

# SEE: https://en.wikipedia.org/wiki/List_of_file_signatures
_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.xlsx document)",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
    b"\x1f\x8b": "a gzip archive",
}
# UTF-32 marks first: the UTF-16 little-endian mark is a prefix of the UTF-32 one.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c") + b"\x7f"
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CHINESE_RE = re.compile(f"[{HAN}{CJK_PUNCT}]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f\s]")
_BIG5 = ("big5", "big5hkscs", "cp950")
_COMMON_SHARE = 0.9
# Above this share of control bytes, or of bytes no decoder accepts, input is not text at all.
_BINARY_SHARE = 0.3
_FILL = "Put the page text in it, or leave it out."
_FIX = "Save it as UTF-8 text (in most editors: Save As -> Encoding: UTF-8) and try again."


def _chinese_share(text: str) -> float:
    """Share of the non-ASCII, non-space characters that are Han or full-width punctuation."""
    non_ascii = _NON_ASCII_RE.findall(text)
    if not non_ascii:
        return 1.0
    return sum(1 for c in non_ascii if _CHINESE_RE.match(c)) / len(non_ascii)


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's guess as (encoding, text), when it reads as Chinese text."""
    from charset_normalizer import from_bytes  # imported on demand: only needed for odd files

    best = from_bytes(data).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):  # BOM-less UTF-16 guesses are noise
        return None
    text = str(best)
    return (best.encoding, text) if _chinese_share(text) >= 0.5 else None  # noqa: PLR2004  # mostly Chinese


def _common_share(text: str) -> float:
    """Share of Han characters inside GB2312 (the common simplified set): ~1.0 for real GBK text."""
    han = HAN_RE.findall(text)
    if not han:
        return 1.0
    common = 0
    for char in han:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(han)


def _gb18030(data: bytes) -> str:
    """Strict GB18030 decode; Big5 bytes also decode as GB18030 (as rare characters), so a text
    with few common characters is re-checked with detection and read as Big5 when it is."""
    text = data.decode("gb18030")
    if _common_share(text) < _COMMON_SHARE:
        detected = _detect(data)
        if detected is not None and detected[0] in _BIG5:
            return detected[1]
    return text


def _bad_share(data: bytes) -> float:
    """Share of characters that neither UTF-8 nor GB18030 can decode (lenient decode)."""
    shares = []
    for encoding in ("utf-8", "gb18030"):
        text = data.decode(encoding, errors="replace")
        shares.append(text.count("\ufffd") / max(1, len(text)))
    return min(shares)


def _check_text(text: str, source: str) -> str:
    if not text.strip():
        raise EmptyInput(f"{source} is empty (only whitespace).", path=source, hint=_FILL)
    if len(_CONTROL_CHARS_RE.findall(text)) > _BINARY_SHARE * len(text):
        raise BinaryInput(f"{source} is not a text file.", path=source, hint="Give a .txt page or a .jsonl corpus.")
    return text


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a page file's bytes to text (BOM removed); raise EmptyInput/BinaryInput/EncodingError."""
    if not data.strip():
        raise EmptyInput(f"{source} is empty.", path=source, hint=_FILL)
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            raise BinaryInput(
                f"{source} is not a text file (it looks like {kind}).",
                path=source,
                hint="Extract its text first and save it as a UTF-8 .txt file.",
            )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), source).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise EncodingError(
                    f"{source} starts with a {encoding.upper()} mark but does not decode as {encoding.upper()}.",
                    path=source,
                    hint=_FIX,
                ) from None
    if b"\x00" in data or sum(data.count(b) for b in _CONTROL_BYTES) > _BINARY_SHARE * len(data):
        raise BinaryInput(f"{source} is not a text file (it contains binary data).", path=source,
                          hint="Give a .txt page or a .jsonl corpus.")
    for decode in (lambda b: b.decode("utf-8-sig"), _gb18030):
        try:
            return _check_text(decode(data), source)
        except UnicodeDecodeError:
            continue
    detected = _detect(data)
    if detected is not None:
        return _check_text(detected[1], source)
    if _bad_share(data) > _BINARY_SHARE:
        raise BinaryInput(f"{source} is not a text file (most of it decodes as nothing).", path=source,
                          hint="Give a .txt page or a .jsonl corpus.")
    raise EncodingError(
        f"Cannot read {source}: it is neither UTF-8 nor GB18030/GBK text, and its encoding could not be detected.",
        path=source,
        hint=_FIX,
    )
