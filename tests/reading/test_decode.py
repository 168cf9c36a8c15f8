"""Bytes -> text: encodings, binary input, empty input."""

from __future__ import annotations

import pytest

from bulletin_qa.errors import BinaryInput, EmptyInput, EncodingError
from bulletin_qa.reading import decode_bytes

TEXT = "本报讯 5月6日，河湾区召开会议。\n记者 沈一鸣\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), TEXT),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT),  # UTF-8 with BOM: BOM removed
        (TEXT.encode("gb18030"), TEXT),
        (TEXT.encode("gbk"), TEXT),
        (TEXT.encode("utf-16"), TEXT),  # UTF-16 with BOM (Windows Notepad "Unicode")
        ("河灣區召開春季植樹動員大會，區長出席並講話。".encode("big5"), "河灣區召開春季植樹動員大會，區長出席並講話。"),
        (b"plain ASCII page\r\n", "plain ASCII page\r\n"),
    ],
)
def test_decodes(data: bytes, expected: str) -> None:
    assert decode_bytes(data, "page.txt") == expected


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyInput, ["page.txt", "empty"]),
        (b" \n\t\r\n", EmptyInput, ["page.txt", "empty"]),
        (b"\xef\xbb\xbf \n", EmptyInput, ["page.txt", "empty"]),
        ("\u3000\u3000\n".encode("gb18030"), EmptyInput, ["empty"]),
        (b"abc\x00def", BinaryInput, ["page.txt", "not a text file"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00", BinaryInput, ["PNG image"]),
        (b"%PDF-1.7\n%\xe2\xe3", BinaryInput, ["PDF", "Extract its text"]),
        (bytes(range(1, 9)) * 20, BinaryInput, ["not a text file"]),
        (bytes([0x80, 0xFF, 0x41, 0x80, 0xFE, 0xFF]) * 8, BinaryInput, ["not a text file"]),
        ("河湾区召开会议。".encode() + b"\xff\xfe\x80" + "会议".encode(), EncodingError, ["page.txt", "UTF-8"]),
        ("café crème brûlée à la carte".encode("latin-1"), EncodingError, ["page.txt", "Save it as UTF-8"]),
    ],
)
def test_refuses(data: bytes, error: type[Exception], words: list[str]) -> None:
    with pytest.raises(error) as caught:
        decode_bytes(data, "page.txt")
    for word in words:
        assert word in str(caught.value)
    assert caught.value.path == "page.txt"  # type: ignore[attr-defined]
