"""JSONL corpora: good lines, bad lines, streaming speed."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from bulletin_qa.errors import EncodingError, JsonlError
from bulletin_qa.reading import read_jsonl

from .helpers import REAL_CORPUS, needs_real_corpus


def _write(tmp_path: Path, lines: list[str], name: str = "corpus.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_records(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        '{"id": "a1", "date": "2024-03-15", "title": "标题", "text": "河湾区召开会议。"}',
        "",
        '{"id": 7, "date": null, "text": " 正文 "}',
    ])
    articles = list(read_jsonl(path))
    assert [(a.id, a.title, a.text, a.date, a.position, a.source) for a in articles] == [
        ("a1", "标题", "河湾区召开会议。", dt.date(2024, 3, 15), 1, "corpus.jsonl"),
        ("7", "", "正文", None, 3, "corpus.jsonl"),
    ]
    raw = path.read_text(encoding="utf-8")
    assert json.loads(raw[articles[1].start : articles[1].end])["id"] == 7


def test_default_date_fills_null_dates_as_approximate(tmp_path: Path) -> None:
    path = _write(tmp_path, ['{"id": "a", "date": null, "text": "x"}', '{"id": "b", "date": "2024-01-02", "text": "y"}'])
    articles = list(read_jsonl(path, default_date=dt.date(2024, 5, 1)))
    assert [(a.date, a.date_approximate) for a in articles] == [(dt.date(2024, 5, 1), True), (dt.date(2024, 1, 2), False)]


def test_bom_on_first_line_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + '{"id": "a", "text": "正文"}\n'.encode())
    assert [a.id for a in read_jsonl(path)] == ["a"]


@pytest.mark.parametrize(
    ("bad_line", "words"),
    [
        ('{"id": "x", "text": "unterminated', ["not valid JSON"]),
        ('["a", "b"]', ["expected a JSON object"]),
        ('{"text": "正文"}', ["missing field 'id'"]),
        ('{"id": "x"}', ["missing field 'text'"]),
        ('{"id": "x", "text": "  "}', ["field 'text' is empty"]),
        ('{"id": "x", "text": 5}', ["field 'text' must be a string"]),
        ('{"id": "x", "text": "t", "date": "15/03/2024"}', ["field 'date'", "YYYY-MM-DD"]),
        ('{"id": "x", "text": "t", "title": ["a"]}', ["field 'title'"]),
    ],
)
def test_bad_line_names_line_and_field(tmp_path: Path, bad_line: str, words: list[str]) -> None:
    path = _write(tmp_path, ['{"id": "ok", "text": "fine"}', bad_line])
    with pytest.raises(JsonlError) as caught:
        list(read_jsonl(path))
    assert caught.value.line == 2
    assert "corpus.jsonl line 2" in str(caught.value)
    for word in words:
        assert word in str(caught.value)


def test_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes('{"id": "a", "text": "正文"}\n'.encode() + '{"id": "b", "text": "正文"}\n'.encode("gbk"))
    with pytest.raises(EncodingError, match="line 2 is not UTF-8"):
        list(read_jsonl(path))


def test_streams_and_is_fast(tmp_path: Path) -> None:
    text = "河湾区召开全区安全生产工作会议，通报今年以来全区安全生产形势。" * 20
    path = _write(tmp_path, [json.dumps({"id": f"n{i}", "date": "2024-01-01", "text": text}, ensure_ascii=False) for i in range(8000)])
    started = time.perf_counter()
    stream = read_jsonl(path)
    assert next(stream).id == "n0"  # a generator: the first article comes before the file is read
    count = 1 + sum(1 for _ in stream)
    assert count == 8000
    assert time.perf_counter() - started < 5.0


@pytest.mark.realdata
@needs_real_corpus
def test_real_corpus() -> None:
    started = time.perf_counter()
    articles = list(read_jsonl(REAL_CORPUS))
    assert len(articles) == 8000
    assert len({a.id for a in articles}) == 8000
    assert sum(a.date is None for a in articles) > 0
    assert time.perf_counter() - started < 5.0
