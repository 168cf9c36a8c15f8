"""The project's own sample pages against the golden file, and the samples' own promises."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bulletin_qa.reading import decode_bytes, read_jsonl, read_paths

from .helpers import GOLDEN, REPO, SAMPLES
from .sample_layout import STRAY, render_page
from .sample_pages import PAGES

ROWS = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
SAMPLE_ROWS = [row for row in ROWS if not row["realdata"]]


def observed(article, with_body: bool) -> dict:
    """The golden-file fields of an article."""
    row = {
        "title": article.title,
        "subtitle": article.subtitle,
        "date": article.date.isoformat() if article.date else None,
        "approx": article.date_approximate,
        "reporters": article.reporters,
        "correspondents": article.correspondents,
    }
    if with_body:
        row.update(dateline=article.dateline, body_start=article.text[:10])
    return row


@pytest.mark.parametrize("row", SAMPLE_ROWS, ids=[r["page"] for r in SAMPLE_ROWS])
def test_sample_page_matches_golden(row: dict) -> None:
    articles = read_paths([REPO / row["page"]]).articles
    assert [observed(a, True) for a in articles] == row["articles"]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_sample_files_are_current_and_fully_read(page) -> None:
    path = SAMPLES / "pages" / page.name
    assert path.read_bytes() == render_page(page).encode(page.encoding), "run: python -m tests.reading.make_samples"
    source = read_paths([path]).articles
    assert len(source) == len(page.stories)
    for article, story in zip(source, page.stories):
        # Every character of the written article, and nothing else, ends up in Article.text.
        written = re.sub(rf"[\s{STRAY}^]", "", story.dateline + "".join(story.paras))
        assert re.sub(r"\s", "", article.text) == written


def test_sample_encodings() -> None:
    encodings = {p.name: p.encoding for p in PAGES}
    assert sorted(encodings.values()) == ["gb18030", "utf-8", "utf-8", "utf-8-sig"]
    for name, encoding in encodings.items():
        data = (SAMPLES / "pages" / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") is (encoding == "utf-8-sig")
        if encoding == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")


def test_sample_offsets_cover_headline_body_and_byline() -> None:
    for path in sorted((SAMPLES / "pages").glob("*.txt")):
        source = decode_bytes(path.read_bytes(), path.name)
        articles = read_paths([path]).articles
        for article in articles:
            covered = source[article.start : article.end]
            assert re.sub(r"\s", "", article.title)[:4] in re.sub(r"\s", "", covered)
            assert all(name in covered for name in article.reporters + article.correspondents)
        spans = [(a.start, a.end) for a in articles]
        assert all(end <= nxt for (_, end), (nxt, _) in zip(spans, spans[1:])), "articles overlap"


def test_sample_corpus() -> None:
    articles = list(read_jsonl(SAMPLES / "corpus.jsonl"))
    assert len(articles) == 12
    assert len({a.id for a in articles}) == 12
    assert any(a.date is None for a in articles) and any(a.title for a in articles)


def test_whole_samples_folder_reads_cleanly() -> None:
    result = read_paths([SAMPLES / "pages", SAMPLES / "corpus.jsonl"])
    assert result.files == 5
    assert result.skipped == []
    assert len(result.articles) == 19 + 12
    assert result.warnings == []
    assert len({a.id for a in result.articles}) == len(result.articles)


def test_golden_file_shape() -> None:
    assert [r["page"] for r in SAMPLE_ROWS] == [f"samples/pages/{p.name}" for p in PAGES]
    real = [r for r in ROWS if r["realdata"]]
    assert len(real) == 1 and len(real[0]["articles"]) == 6
    for row in real:  # third-party page: metadata only, no body text
        assert all("body_start" not in a for a in row["articles"])
    assert Path(GOLDEN).is_file()
