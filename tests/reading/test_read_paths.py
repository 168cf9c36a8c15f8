"""read_paths: files, directories, skipped files and the errors a user sees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin_qa.errors import (
    BinaryInput,
    EmptyInput,
    EncodingError,
    JsonlError,
    SourceNotFound,
    UnreadableDocument,
)
from bulletin_qa.reading import read_paths

PAGE = "河湾区召开防汛工作会议\n\n本报讯 6月 1日，河湾区召开防汛工作会\n议，部署防汛备汛工作。记者 沈一鸣\n"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    (root / "june").mkdir(parents=True)
    (root / "june" / "hewan-2024-06-01.txt").write_text(PAGE, encoding="utf-8")
    (root / "gbk-2024-06-02.txt").write_bytes(PAGE.encode("gb18030"))
    (root / "corpus.jsonl").write_text('{"id": "c1", "date": null, "text": "正文。"}\n', encoding="utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (root / "empty.txt").write_bytes(b"")
    (root / "broken.txt").write_bytes(b"\x00\x01binary")
    (root / ".hidden.txt").write_text(PAGE, encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "notes.txt").write_text(PAGE, encoding="utf-8")
    return root


def test_directory_with_mixed_files(mixed: Path) -> None:
    result = read_paths([mixed])
    assert result.files == 3
    assert sorted(a.id for a in result.articles) == ["c1", "gbk-2024-06-02-01", "hewan-2024-06-01-01"]
    assert result.skipped == [
        "broken.txt: not a text file, skipped",
        "empty.txt: empty file, skipped",
        "photo.png: damaged, password-protected or not what its name says, skipped",
    ]
    page = next(a for a in result.articles if a.id == "hewan-2024-06-01-01")
    assert (page.title, page.date, page.source) == ("河湾区召开防汛工作会议", dt.date(2024, 6, 1), "hewan-2024-06-01.txt")


def test_date_argument_reaches_pages_and_corpora(mixed: Path) -> None:
    result = read_paths([mixed], date=dt.date(2024, 7, 1))
    by_id = {a.id: a for a in result.articles}
    assert by_id["c1"].date == dt.date(2024, 7, 1) and by_id["c1"].date_approximate
    assert by_id["hewan-2024-06-01-01"].date == dt.date(2024, 6, 1)  # its dateline says 6月1日


def test_missing_path() -> None:
    with pytest.raises(SourceNotFound) as caught:
        read_paths([Path("no/such/page.txt")])
    assert str(caught.value) == "No such file or directory: no/such/page.txt. Check the path."


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00", UnreadableDocument),  # read as the PNG it is: a damaged one
        ("anim.txt", b"GIF89a\x01\x00\x01\x00", BinaryInput),
        ("empty.txt", b"", EmptyInput),
        ("latin.txt", "café crème brûlée à la carte".encode("latin-1"), EncodingError),
        ("empty.jsonl", b"\n\n", EmptyInput),
        ("bad.jsonl", b'{"id": 1}\n', JsonlError),
    ],
)
def test_file_given_explicitly_raises(tmp_path: Path, name: str, data: bytes, error: type[Exception]) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error):
        read_paths([path])


def test_bad_jsonl_in_a_directory_still_raises(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(JsonlError, match="line 1: missing field 'text'"):
        read_paths([tmp_path])


def test_directory_with_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(EmptyInput, match=r"Nothing to read in .*\(2 files skipped\)"):
        read_paths([tmp_path])


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(EmptyInput, match="Nothing to read"):
        read_paths([tmp_path])


def test_explicit_page_with_other_suffix_and_same_stem(tmp_path: Path) -> None:
    """Two files of one stem are two sources (told apart by path); ids are settled when stored."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "page.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b" / "page.txt").write_text(PAGE, encoding="utf-8")
    result = read_paths([tmp_path / "a" / "page.md", tmp_path / "b"])
    assert [a.id for a in result.articles] == ["page-01", "page-01"]
    assert [(s.key, s.kind, s.first, s.count) for s in result.sources] == [
        (str((tmp_path / "a" / "page.md").resolve()), "page", 0, 1),
        (str((tmp_path / "b" / "page.txt").resolve()), "page", 1, 1)]
    assert result.sources[0].digest == result.sources[1].digest  # same bytes: recognised at ingest
    assert not any("duplicate" in w for w in result.warnings)  # said once, by ingest, if at all
    assert any("no date" in w for w in result.warnings)  # no year anywhere: said so
