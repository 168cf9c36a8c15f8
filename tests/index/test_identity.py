"""Source-safe identity (index/identity.py): ids per source, collisions, stores from before keys."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from bulletin_qa.bulletin import Bulletin
from bulletin_qa.errors import IdCollision
from bulletin_qa.index.identity import Source, StoredArticle, plan_ids
from bulletin_qa.index.store import core, open_chroma_store
from bulletin_qa.models import Article
from bulletin_qa.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "samples" / "pages"
SETTINGS = Settings(chunk_size=80, chunk_overlap=10)


def art(aid: str, source: str, position: int, text: str = "正文。") -> Article:
    return Article(id=aid, text=text, source=source, position=position)


def page(key: str, name: str, n: int, digest: str = "") -> Source:
    stem = Path(name).stem
    articles = [art(f"{stem}-{i:02d}", name, i, f"{key}{i}") for i in range(1, n + 1)]
    return Source(key, name, "page", digest or key, articles)


def rec(source: str, key: str, chunks: int = 1, content_hash: str = "h", digest: str = "") -> StoredArticle:
    return StoredArticle(content_hash, source, key, digest, chunks)


def hex4(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:4]


@pytest.mark.parametrize(("sources", "stored", "ids"), [
    # two page1.txt in one run: the first keeps the short ids
    ([page("/a/page1.txt", "page1.txt", 2), page("/b/page1.txt", "page1.txt", 2)], {},
     ["page1-01", "page1-02", f"page1-{hex4('/b/page1.txt')}-01", f"page1-{hex4('/b/page1.txt')}-02"]),
    # a source keeps the prefix it was stored under, even when the short one is free again
    ([page("/b/page1.txt", "page1.txt", 1)], {f"page1-{hex4('/b/page1.txt')}-01": rec("page1.txt", "/b/page1.txt")},
     [f"page1-{hex4('/b/page1.txt')}-01"]),
    # a corpus id that looks like a page id pushes the page to its hashed prefix
    ([page("/a/page1.txt", "page1.txt", 2),
      Source("/c.jsonl", "c.jsonl", "corpus", "d", [art("page1-02", "c.jsonl", 1)])],
     {}, ["page1-{}-01".format(hex4("/a/page1.txt")), "page1-{}-02".format(hex4("/a/page1.txt")), "page1-02"]),
])
def test_plan_ids(sources: list[Source], stored: dict, ids: list[str]) -> None:
    assert [a.id for a in plan_ids(sources, stored).articles] == ids


@pytest.mark.parametrize(("stored", "sources", "message"), [
    ({"page1-05": rec("page1.txt", "/ar/page1.txt")},
     [Source("/c.jsonl", "c.jsonl", "corpus", "d", [art("page1-05", "c.jsonl", 3)])],
     "'page1-05' (c.jsonl #3) is already used by another source, /ar/page1.txt. Nothing was stored."),
    ({}, [Source("/x/c.jsonl", "c.jsonl", "corpus", "d1", [art("a1", "c.jsonl", 1)]),
          Source("/y/d.jsonl", "d.jsonl", "corpus", "d2", [art("a1", "d.jsonl", 1)])],
     "'a1' (d.jsonl #1) is already used by another source, /x/c.jsonl."),
    # a page that grew into an id a corpus took meanwhile: never overwritten
    ({"page1-01": rec("page1.txt", "/a/page1.txt"), "page1-02": rec("c.jsonl", "/c.jsonl")},
     [page("/a/page1.txt", "page1.txt", 2)], "'page1-02' (page1.txt #2) is already used by another source, /c.jsonl."),
])
def test_a_corpus_id_held_by_another_source_is_a_collision(stored: dict, sources: list[Source], message: str) -> None:
    with pytest.raises(IdCollision) as caught:
        plan_ids(sources, stored)
    assert message in str(caught.value)
    assert caught.value.exit_code == 2


def test_the_same_file_given_twice_in_one_run_is_read_once() -> None:
    plan = plan_ids([page("/a/page1.txt", "page1.txt", 2), page("/a/page1.txt", "page1.txt", 2)], {})
    assert [a.id for a in plan.articles] == ["page1-01", "page1-02"] and not plan.skipped


def test_the_same_bytes_under_another_path_are_skipped() -> None:
    stored = {"page1-01": rec("page1.txt", "/a/page1.txt", digest="same")}
    plan = plan_ids([page("/b/copy.txt", "copy.txt", 1, digest="same")], stored)
    assert plan.articles == []
    assert plan.skipped == ["/b/copy.txt: the same file as /a/page1.txt, already stored; skipped"]


def _old_metadata(article: Article, n_chunks: int, source_key: str = "", source_digest: str = "") -> dict:
    """The record bulletin-qa wrote before source keys (schema 1)."""
    from bulletin_qa.index.records import article_metadata

    meta = article_metadata(article, n_chunks)
    del meta["source_key"], meta["source_digest"]
    return meta


def test_a_store_from_before_source_keys_keeps_working(tmp_path: Path, fake_embedder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for day, sample in (("d1", "hewan-2024-03-15.txt"), ("d2", "hewan-2024-05-20.txt")):
        (tmp_path / day).mkdir()
        shutil.copy(PAGES / sample, tmp_path / day / "page1.txt")
    store = open_chroma_store(path=tmp_path / "vs", url=None, prefix="bulletins", embedder=fake_embedder,
                              create=True, cache_dir=tmp_path / "cache")
    with monkeypatch.context() as m:
        m.setattr(core, "article_metadata", _old_metadata)
        old = Bulletin(SETTINGS, store=store, embedder=fake_embedder).ingest([tmp_path / "d1" / "page1.txt"])
    assert {r.source_key for r in store.article_index().values()} == {""}
    again = Bulletin(SETTINGS, store=store, embedder=fake_embedder).ingest([tmp_path / "d1"])
    assert (again.articles_new, again.articles_updated, again.articles_unchanged) == (0, 0, old.articles_new)
    key = str((tmp_path / "d1" / "page1.txt").resolve())
    assert {r.source_key for r in store.article_index().values()} == {key}  # taken over by its file
    other = Bulletin(SETTINGS, store=store, embedder=fake_embedder).ingest([tmp_path / "d2"])
    assert other.articles_updated == 0 and other.articles_new > 0
    ids = store.article_index()
    assert len(ids) == old.articles_new + other.articles_new
    assert sum(aid.startswith(f"page1-{hex4(str((tmp_path / 'd2' / 'page1.txt').resolve()))}-") for aid in ids) \
        == other.articles_new



@pytest.mark.parametrize("first", [
    None,                    # a new store: the ids are settled once, before its directory is made
    "hewan-2024-05-20.txt",  # an existing store: once, under its lock, against what it holds
])
def test_ids_are_settled_once_per_ingest(tmp_path: Path, fake_embedder, monkeypatch,  # type: ignore[no-untyped-def]
                                         first: str | None) -> None:
    from bulletin_qa.index import identity, ingest

    settings = Settings(store=tmp_path / "vs", chunk_size=80, chunk_overlap=10)
    if first:
        Bulletin(settings, embedder=fake_embedder).ingest([PAGES / first])
    calls: list[int] = []

    def counted(sources: list[Source], stored: dict[str, StoredArticle]) -> identity.Plan:
        calls.append(len(stored))
        return plan_ids(sources, stored)

    monkeypatch.setattr(identity, "plan_ids", counted)
    monkeypatch.setattr(ingest, "plan_ids", counted)
    report = Bulletin(settings, embedder=fake_embedder).ingest([PAGES / "hewan-2024-03-15.txt"])
    assert report.articles_new > 0 and len(calls) == 1


def test_a_plan_made_before_the_store_is_settled_again_when_another_writer_filled_it(
        tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    """The plan Bulletin.ingest makes for a new store is used only if the store is still empty."""
    from bulletin_qa.index.ingest import ingest_articles

    store = open_chroma_store(path=tmp_path / "vs", url=None, prefix="bulletins", embedder=fake_embedder,
                              create=True, cache_dir=tmp_path / "cache")
    held = Source("/a.jsonl", "a.jsonl", "corpus", "da", [art("x1", "a.jsonl", 1, "河湾区召开会议。")])
    ingest_articles(held.articles, store=store, embedder=fake_embedder, settings=SETTINGS, sources=[held])
    late = Source("/b.jsonl", "b.jsonl", "corpus", "db", [art("x1", "b.jsonl", 1, "河湾区召开大会。")])
    early_plan = plan_ids([late], {})  # made while the store was empty: x1 was free then
    with pytest.raises(IdCollision):
        ingest_articles(late.articles, store=store, embedder=fake_embedder, settings=SETTINGS, sources=[late],
                        plan=early_plan)
    assert list(store.article_index()) == ["x1"]
