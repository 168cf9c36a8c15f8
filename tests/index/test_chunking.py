"""Chunking: sizes, exact offsets, punctuation at chunk ends, stable content ids."""

from __future__ import annotations

import pytest

from bulletin_qa.index.chunking import chunk_article, chunk_id, indexed_text
from bulletin_qa.models import Article

SENTENCES = "二七区召开安全生产工作会议。会议强调，要进一步压实责任！各单位是否落实到位？全体干部参加；会后开展检查。"
NO_PUNCTUATION = "一二三四五六七八九十" * 40
PARAGRAPHS = "第一段讲述社区服务。\n\n第二段讲述交通建设，道路改造完成。\n第三行补充说明。"
REPEATED = "同一句话反复出现。" * 80


def article(text: str, title: str = "标题", id: str = "p-01") -> Article:
    return Article(id=id, title=title, text=text, source="p.txt", position=1)


@pytest.mark.parametrize(
    ("text", "size", "overlap", "n_min", "n_max"),
    [
        (SENTENCES, 300, 40, 1, 1),
        (SENTENCES * 10, 300, 40, 2, 4),
        (NO_PUNCTUATION, 100, 20, 5, 6),
        (PARAGRAPHS, 20, 5, 3, 6),
        (REPEATED, 120, 30, 6, 10),
    ],
)
def test_chunks_fit_and_offsets_are_exact(text: str, size: int, overlap: int, n_min: int, n_max: int) -> None:
    a = article(text)
    chunks = chunk_article(a, size=size, overlap=overlap)
    assert n_min <= len(chunks) <= n_max
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert 0 < len(c.text) <= size
        assert a.text[c.start : c.start + len(c.text)] == c.text
        assert c.article_id == a.id
    starts = [c.start for c in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


@pytest.mark.parametrize("text", [SENTENCES * 10, PARAGRAPHS * 5, REPEATED])
def test_chunks_cover_the_whole_text(text: str) -> None:
    a = article(text)
    covered = set()
    for c in chunk_article(a, size=60, overlap=10):
        covered.update(range(c.start, c.start + len(c.text)))
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered


def test_sentence_punctuation_stays_at_the_end_of_its_chunk() -> None:
    chunks = chunk_article(article(SENTENCES * 6), size=40, overlap=0)
    assert len(chunks) > 3
    for c in chunks:
        assert c.text[0] not in "。！？；，"
    assert all(c.text[-1] in "。！？；，" for c in chunks)


def test_ids_are_stable_and_follow_content() -> None:
    a = article(SENTENCES * 10)
    first = chunk_article(a, size=100, overlap=20)
    again = chunk_article(a.model_copy(), size=100, overlap=20)
    assert [c.id for c in first] == [c.id for c in again]
    assert first[0].id.startswith("p-01:0:") and len(first[0].id.split(":")[2]) == 10
    retitled = chunk_article(a.model_copy(update={"title": "新标题"}), size=100, overlap=20)
    assert not {c.id for c in first} & {c.id for c in retitled}
    edited = chunk_article(a.model_copy(update={"text": a.text[:-5] + "最后改动了。"}), size=100, overlap=20)
    assert edited[0].id == first[0].id and edited[-1].id != first[-1].id


@pytest.mark.parametrize(("title", "text", "expected"), [("标题", "正文。", "标题\n正文。"), ("", "正文。", "正文。")])
def test_indexed_text_prefixes_the_title(title: str, text: str, expected: str) -> None:
    assert indexed_text(title, text) == expected
    assert chunk_id("a", 0, title, text).startswith("a:0:")


def test_empty_text_gives_no_chunks_and_bad_overlap_is_refused() -> None:
    assert chunk_article(article("  \n ")) == []
    with pytest.raises(ValueError, match="overlap"):
        chunk_article(article(SENTENCES), size=50, overlap=50)
