"""writing/digest_files.py: digest files read back for `translate --digest` (core, no CLI)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bulletin_qa.errors import InputError, SourceNotFound
from bulletin_qa.models import Digest
from bulletin_qa.writing.digest_files import read_digest_file

ONE = Digest(since=dt.date(2023, 5, 1), until=dt.date(2023, 5, 7), lang="zh").model_dump(mode="json")


@pytest.mark.parametrize(("name", "text", "error", "message"), [
    ("missing.json", None, SourceNotFound, "No digest file at"),
    ("digest.html", "<h1>周报</h1>", InputError, "is HTML; translate the JSON or Markdown digest instead"),
    ("digest.htm", "<h1>周报</h1>", InputError, "is HTML"),
    ("bad.json", '{"not": "a digest"}', InputError, "is not a digest written by 'bulletin-qa digest --json'"),
    ("broken.json", "{", InputError, "is not a digest written by"),
])
def test_bad_digest_files_are_refused(tmp_path: Path, name: str, text: str | None, error: type[Exception],
                                      message: str) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as raised:
        read_digest_file(path)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)  # one line, as the CLI prints it


@pytest.mark.parametrize(("text", "count"), [
    (json.dumps(ONE), 1),
    (json.dumps([ONE, {**ONE, "lang": "en"}]), 2),
])
def test_json_digest_files_become_digests(tmp_path: Path, text: str, count: int) -> None:
    path = tmp_path / "digest.json"
    path.write_text(text, encoding="utf-8")
    read = read_digest_file(path)
    assert isinstance(read, list) and len(read) == count
    assert all(isinstance(d, Digest) for d in read) and read[0].lang == "zh"


def test_markdown_digest_files_are_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "digest.md"
    path.write_text("# 二七区周报\n\n- 招聘会\n", encoding="utf-8")
    assert read_digest_file(path) == "# 二七区周报\n\n- 招聘会\n"
