"""BM25 over jieba tokens: tokenisation, ranking, filters, and the on-disk cache."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bulletin_qa.index.ingest import ingest_articles
from bulletin_qa.index.store import open_chroma_store
from bulletin_qa.models import Article, Chunk
from bulletin_qa.retrieval import bm25
from bulletin_qa.settings import Settings

SETTINGS = Settings(chunk_size=80, chunk_overlap=10)


@pytest.fixture
def store(tmp_path: Path, fake_embedder, articles):  # type: ignore[no-untyped-def]
    s = open_chroma_store(path=tmp_path / "store", url=None, prefix="bulletins", embedder=fake_embedder,
                          create=True, cache_dir=tmp_path / "cache")
    ingest_articles(articles, store=s, embedder=fake_embedder, settings=SETTINGS)
    return s


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("中华人民共和国成立。", {"中华", "共和国", "中华人民共和国"}, {"。"}),
        ("Metro LINE 10，开通！", {"metro", "line", "10", "开通"}, {"，", "！", " "}),
        ("……——  ", set(), {"……", "——"}),
    ],
)
def test_tokenize_keeps_words_and_subwords_drops_punctuation(text: str, present: set, absent: set) -> None:
    tokens = bm25.tokenize(text)
    assert present <= set(tokens)
    assert not absent & set(tokens)


def test_search_ranks_the_matching_article_first_and_filters(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = bm25.bm25_index(store, tmp_path / "cache" / "bm25")
    hits = index.search("地铁十号线", 5)
    assert hits[0][0].article_id == "page-a-02"
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert index.search("地铁十号线", 5, since=dt.date(2023, 5, 1)) == []
    only_b = index.search("义诊 植树", 10, source="page-b.txt")
    assert only_b and {c.article_id for c, _ in only_b} == {"page-b-01"}
    undated = index.search("民俗文化节", 5, until=dt.date(2024, 1, 1))
    assert "corpus-0007" not in {c.article_id for c, _ in undated}
    assert index.search("民俗文化节", 5)[0][0].article_id == "corpus-0007"
    assert index.search("量子计算机", 5) == [] and index.search("。！", 5) == []


def test_titles_are_indexed_with_every_chunk(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = bm25.bm25_index(store, tmp_path / "cache" / "bm25")
    # "启动" is only in the title of page-a-01, yet every one of its chunks matches it.
    matched = {c.id for c, _ in index.search("启动", 50)}
    assert matched == {cid for cid in store.chunk_ids() if cid.startswith("page-a-01:")}


def test_index_is_cached_on_disk_and_rebuilt_when_chunks_change(store, tmp_path: Path, fake_embedder,  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache" / "bm25"
    bm25.bm25_index(store, cache)
    assert len(list(cache.iterdir())) == 1
    bm25.forget_loaded()
    monkeypatch.setattr(bm25, "build_index", lambda records: pytest.fail("rebuilt although nothing changed"))
    assert bm25.bm25_index(store, cache).search("植树", 1)[0][0].article_id == "page-a-01"
    monkeypatch.undo()
    new = Article(id="page-c-01", title="消防演练", text="二七区开展高层建筑消防演练。", source="page-c.txt", position=1)
    ingest_articles([new], store=store, embedder=fake_embedder, settings=SETTINGS)
    assert bm25.bm25_index(store, cache).search("消防演练", 1)[0][0].article_id == "page-c-01"
    assert len(list(cache.iterdir())) == 2


def test_damaged_cache_is_rebuilt(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache" / "bm25"
    bm25.bm25_index(store, cache)
    (index_dir,) = cache.iterdir()
    (index_dir / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    bm25.forget_loaded()
    assert bm25.bm25_index(store, cache).search("植树", 1)[0][0].article_id == "page-a-01"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("哪个区举办了什么活动？", ["区", "举办", "活动"]),
        ("地铁是否开通了吗", ["地铁", "开通"]),
        ("是谁", ["是", "谁"]),  # nothing but question words: keep them rather than search for nothing
    ],
)
def test_query_tokens_drop_question_words(query: str, expected: list[str]) -> None:
    assert bm25.query_tokens(query) == expected


def test_a_new_date_alone_refreshes_the_index(store, tmp_path: Path, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache" / "bm25"
    assert bm25.bm25_index(store, cache).search("地铁十号线", 5, since=dt.date(2023, 6, 1)) == []
    moved = [a.model_copy(update={"date": dt.date(2023, 6, 2)}) if a.id == "page-a-02" else a for a in articles]
    ingest_articles(moved, store=store, embedder=fake_embedder, settings=SETTINGS)
    hits = bm25.bm25_index(store, cache).search("地铁十号线", 5, since=dt.date(2023, 6, 1))
    assert hits and hits[0][0].article_id == "page-a-02"


def _piece(index: int, start: int, text: str) -> Chunk:
    return Chunk(id=f"a:{index}:h", article_id="a", index=index, text=text, start=start)


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        ([_piece(0, 0, "甲乙丙丁")], "甲乙丙丁"),
        # overlap: the second chunk repeats 丙丁 (offset 2), written once
        ([_piece(0, 0, "甲乙丙丁"), _piece(1, 2, "丙丁戊己")], "甲乙丙丁戊己"),
        # a stripped space between chunks comes back as a space, so offsets still hold
        ([_piece(1, 5, "戊己"), _piece(0, 0, "甲乙丙丁")], "甲乙丙丁 戊己"),
    ],
)
def test_article_text_is_rebuilt_from_chunk_offsets(chunks: list[Chunk], expected: str) -> None:
    text = bm25.article_text(chunks)
    assert text == expected
    assert all(text[c.start:c.start + len(c.text)] == c.text for c in chunks)


def test_the_article_level_sums_evidence_spread_over_the_article(store, tmp_path: Path, articles) -> None:  # type: ignore[no-untyped-def]
    index = bm25.bm25_index(store, tmp_path / "cache" / "bm25")
    assert sorted(index.article_ids) == sorted(a.id for a in articles)
    # 樱桃沟 opens page-a-01 and 宣传点 closes it: no 80-character chunk holds both, the article does.
    chunk_hits = index.search("樱桃沟 宣传点", 10)
    assert not any({"樱桃沟", "宣传点"} <= set(bm25.tokenize(c.text)) for c, _ in chunk_hits)
    articles_found = index.search_articles("樱桃沟 宣传点", 10)
    assert articles_found[0][0] == "page-a-01"
    assert [s for _, s in articles_found] == sorted((s for _, s in articles_found), reverse=True)


@pytest.mark.parametrize(
    ("kwargs", "allowed"),
    [
        ({"since": dt.date(2023, 4, 1)}, {"page-a-02", "page-b-01"}),
        ({"until": dt.date(2023, 3, 31)}, {"page-a-01"}),
        ({"source": "page-b.txt"}, {"page-b-01"}),
    ],
)
def test_article_level_applies_the_filters(store, tmp_path: Path, kwargs, allowed) -> None:  # type: ignore[no-untyped-def]
    index = bm25.bm25_index(store, tmp_path / "cache" / "bm25")
    found = index.search_articles("二七区 植树 地铁 义诊 文化节", 10, **kwargs)
    assert found and {aid for aid, _ in found} <= allowed


def test_article_level_survives_the_disk_cache(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache" / "bm25"
    built = bm25.bm25_index(store, cache).search_articles("地铁 试运行", 3)
    bm25.forget_loaded()
    assert bm25.bm25_index(store, cache).search_articles("地铁 试运行", 3) == built


def test_a_search_reads_the_revision_not_every_chunk_id(store, tmp_path: Path, monkeypatch, fake_embedder,
                                                        articles) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache" / "bm25"
    bm25.bm25_index(store, cache)
    monkeypatch.setattr(type(store), "chunk_fingerprint",
                        lambda self: pytest.fail("scanned every chunk id although the store has a revision"))
    bm25.forget_loaded()
    assert bm25.bm25_index(store, cache).search("地铁十号线", 1)[0][0].article_id == "page-a-02"  # from disk
    moved = [a.model_copy(update={"date": dt.date(2023, 6, 2)}) if a.id == "page-a-02" else a for a in articles]
    ingest_articles(moved, store=store, embedder=fake_embedder, settings=SETTINGS)
    assert bm25.bm25_index(store, cache).search("地铁十号线", 5, since=dt.date(2023, 6, 1))  # rebuilt


def test_a_store_from_before_revisions_gets_one_on_its_first_search(store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store.articles.modify(metadata={k: v for k, v in store.articles.metadata.items() if k != "revision"})
    assert store.revision() is None
    monkeypatch.setattr(type(store), "chunk_fingerprint", lambda self: pytest.fail("scanned every chunk id"))
    assert bm25.bm25_index(store, tmp_path / "cache" / "bm25").search("植树", 1)
    assert store.revision()


def test_a_store_that_cannot_take_a_revision_is_keyed_on_its_fingerprint(store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(type(store), "ensure_revision", lambda self: None)
    scans: list[str] = []
    real = type(store).chunk_fingerprint
    monkeypatch.setattr(type(store), "chunk_fingerprint", lambda self: scans.append("scan") or real(self))
    assert bm25.bm25_index(store, tmp_path / "cache" / "bm25").search("植树", 1)
    assert scans == ["scan"]


@pytest.mark.parametrize("text", ["中国外交部发言人批评美国", "二七区春季植树活动启动，干部群众共植树苗三千株。"])
def test_located_tokens_are_the_tokens_in_offset_order(text: str) -> None:
    words, starts = bm25._located_tokens(text)
    assert sorted(words) == sorted(bm25.tokenize(text))
    assert list(starts) == sorted(starts)  # np.searchsorted cuts chunks out of this list
    assert all(text[s:].lower().startswith(w) for w, s in zip(words, starts))


def _cached(tmp_path: Path) -> Path:
    (path,) = [p for p in (tmp_path / "cache" / "bm25").iterdir() if p.is_dir()]
    return path


@pytest.mark.parametrize("damage", [
    lambda p: (p / "chunks.jsonl").write_text("".join((p / "chunks.jsonl").read_text().splitlines(True)[:-1])),
    lambda p: (p / "articles.jsonl").write_text("".join((p / "articles.jsonl").read_text().splitlines(True)[:-1])),
    lambda p: (p / "manifest.json").unlink(),
])
def test_a_cache_file_cut_short_is_detected_and_rebuilt(store, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    """Issue #9: a chunks.jsonl one line short was loaded as is; a --since search then crashed."""
    bm25.bm25_index(store)
    damage(_cached(tmp_path))
    bm25.forget_loaded()
    index = bm25.bm25_index(store)
    assert len(index.chunks) == store.chunks.count()
    assert len(index.article_ids) == len(index.article_level.dates)
    assert index.search("植树", 5, since=dt.date(2023, 1, 1))[0][0].article_id == "page-a-01"
    assert index.search_articles("植树", 5, since=dt.date(2023, 1, 1))[0][0] == "page-a-01"
    assert bm25.cache_status(store) == "ok"
    damage(_cached(tmp_path))
    assert bm25.cache_status(store) == "damaged"


json_dumps = __import__("json").dumps


def test_the_cache_deleted_while_it_is_saved_keeps_the_index_in_memory(store, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                       monkeypatch) -> None:
    """Issue #9: deleting the cache directory during a save was a traceback in the search."""
    import shutil

    # The first row written deletes the whole cache directory, as a user's `rm -rf` would.
    monkeypatch.setattr(bm25.json, "dumps", lambda *a, **k: shutil.rmtree(tmp_path / "cache" / "bm25",
                        ignore_errors=True) or json_dumps(*a, **k))
    index = bm25.bm25_index(store)
    assert index.search("植树", 5)[0][0].article_id == "page-a-01"
    assert bm25.cache_status(store) == "missing"


class CountingStore:
    """A store whose full scans are counted (a chunk scan is an index build, an article listing a names
    learning) and slowed down, so that threads arriving together overlap."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.chunk_scans = 0
        self.article_scans = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def iter_chunks(self) -> Any:
        self.chunk_scans += 1
        time.sleep(0.2)
        yield from self._store.iter_chunks()

    def list_articles(self, *args: Any, **kwargs: Any) -> Any:
        self.article_scans += 1
        time.sleep(0.2)
        return self._store.list_articles(*args, **kwargs)


def test_threads_searching_at_once_load_the_index_once(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bulletin_qa.names import service

    counting = CountingStore(store)
    bm25.forget_loaded()
    service._MEMO.clear()  # as a fresh server process: nothing learned or loaded yet
    start = threading.Barrier(4)

    def first_search(_: int) -> bm25.BM25Index:
        start.wait(timeout=10)
        return bm25.bm25_index(counting, tmp_path / "cache" / "bm25")  # type: ignore[arg-type]

    with ThreadPoolExecutor(max_workers=4) as pool:
        indexes = list(pool.map(first_search, range(4)))
    assert (counting.chunk_scans, counting.article_scans) == (1, 1)
    assert all(index is indexes[0] for index in indexes)
