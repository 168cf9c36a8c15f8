"""Ingest: idempotent, incremental, and complete after an interrupted run."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_qa.index.chunking import chunk_article
from bulletin_qa.index.ingest import ingest_articles
from bulletin_qa.index.store import open_chroma_store
from bulletin_qa.models import Article
from bulletin_qa.settings import Settings

SETTINGS = Settings(chunk_size=80, chunk_overlap=10)


@pytest.fixture
def store(tmp_path: Path, fake_embedder):  # type: ignore[no-untyped-def]
    return open_chroma_store(path=tmp_path / "store", url=None, prefix="bulletins", embedder=fake_embedder,
                             create=True, cache_dir=tmp_path / "cache")


def expected_ids(articles: list[Article]) -> list[str]:
    return sorted(c.id for a in articles for c in chunk_article(a, SETTINGS.chunk_size, SETTINGS.chunk_overlap))


def ingest(articles, store, embedder, **kw):  # type: ignore[no-untyped-def]
    return ingest_articles(articles, store=store, embedder=embedder, settings=SETTINGS, **kw)


def test_first_run_adds_everything_second_run_writes_nothing(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    first = ingest(articles, store, fake_embedder)
    assert (first.articles_new, first.articles_updated, first.articles_unchanged) == (4, 0, 0)
    assert first.chunks_added == len(expected_ids(articles)) and first.chunks_deleted == 0
    assert store.chunk_ids() == expected_ids(articles)
    calls = len(fake_embedder.passage_calls)
    second = ingest(articles, store, fake_embedder)
    assert (second.articles_new, second.articles_updated, second.articles_unchanged) == (0, 0, 4)
    assert second.chunks_added == 0 and len(fake_embedder.passage_calls) == calls
    assert store.chunk_ids() == expected_ids(articles)


def test_changed_article_replaces_its_chunks(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    ingest(articles, store, fake_embedder)
    old_ids = set(store.chunk_ids())
    changed = [*articles[:1], articles[1].model_copy(update={"text": "地铁十号线二七段正式运营。"}), *articles[2:]]
    report = ingest(changed, store, fake_embedder)
    assert (report.articles_new, report.articles_updated, report.articles_unchanged) == (0, 1, 3)
    assert report.chunks_deleted == len(chunk_article(articles[1], 80, 10)) and report.chunks_added == 1
    assert store.chunk_ids() == expected_ids(changed)
    assert store.get_article("page-a-02").text == "地铁十号线二七段正式运营。"
    assert old_ids - set(store.chunk_ids()) == {c.id for c in chunk_article(articles[1], 80, 10)}


def test_metadata_only_change_updates_the_record(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    ingest(articles, store, fake_embedder)
    changed = [a.model_copy(update={"reporters": ["新记者"]}) if a.id == "page-b-01" else a for a in articles]
    report = ingest(changed, store, fake_embedder)
    assert report.articles_updated == 1
    assert store.get_article("page-b-01").reporters == ["新记者"]
    assert store.chunk_ids() == expected_ids(changed)


class Interrupt(Exception):
    """Stands for Ctrl-C or a crash in the middle of an ingest."""


def test_interrupted_ingest_finishes_on_rerun_without_duplicates(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    real_put = store.put_articles
    store.put_articles = lambda *a, **kw: (_ for _ in ()).throw(Interrupt())  # chunks written, records not
    with pytest.raises(Interrupt):
        ingest(articles, store, fake_embedder)
    leftovers = store.chunk_ids()
    assert leftovers and store.article_hashes() == {}
    store.put_articles = real_put
    report = ingest(articles, store, fake_embedder)
    assert report.articles_new == 4 and report.chunks_deleted == len(leftovers)
    assert store.chunk_ids() == expected_ids(articles)
    assert set(store.article_hashes()) == {a.id for a in articles}


def test_interrupted_update_is_redone(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    ingest(articles, store, fake_embedder)
    changed = [a.model_copy(update={"text": a.text + "补充一句新内容。"}) for a in articles]
    real_put = store.put_articles
    store.put_articles = lambda *a, **kw: (_ for _ in ()).throw(Interrupt())
    with pytest.raises(Interrupt):
        ingest(changed, store, fake_embedder)
    store.put_articles = real_put
    report = ingest(changed, store, fake_embedder)
    assert report.articles_updated == 4 and report.articles_unchanged == 0
    assert store.chunk_ids() == expected_ids(changed)


def test_progress_reports_every_batch_up_to_the_total(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    report = ingest(articles, store, fake_embedder, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, report.chunks_added) and seen[-1] == (report.chunks_added, report.chunks_added)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_duplicates_and_empty_articles_are_reported(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    empty = Article(id="blank", text="   ", source="x.txt", position=1)
    report = ingest([*articles, articles[0], empty], store, fake_embedder)
    assert any("page-a-01 appears twice" in w for w in report.warnings)
    assert any("blank has no text" in w for w in report.warnings)
    assert report.articles_new == 4 and store.get_article("blank") is None


def test_article_vector_is_the_normalised_mean_of_its_chunks(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from bulletin_qa.index.chunking import indexed_text

    ingest(articles, store, fake_embedder)
    article = articles[0]
    got = store.articles.get(ids=[article.id], include=["embeddings"])["embeddings"][0]
    chunks = chunk_article(article, 80, 10)
    mean = fake_embedder.embed_passages([indexed_text(article.title, c.text) for c in chunks]).mean(axis=0)
    np.testing.assert_allclose(got, mean / np.linalg.norm(mean), rtol=1e-5)


def test_bulletin_ingest_reads_then_opens_the_store_from_settings(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.errors import SourceNotFound

    samples = Path(__file__).resolve().parents[2] / "samples"
    settings = Settings(store=tmp_path / "vs", home=tmp_path / "home")
    with pytest.raises(SourceNotFound):
        Bulletin(settings, embedder=fake_embedder).ingest([tmp_path / "missing"])
    assert not (tmp_path / "vs").exists()
    report = Bulletin(settings, embedder=fake_embedder).ingest([samples / "pages", samples / "corpus.jsonl"])
    assert (report.files, report.articles_new, report.skipped) == (5, 31, [])
    assert (tmp_path / "vs" / "chroma.sqlite3").exists()


@pytest.mark.parametrize("prune", [False, True])
def test_articles_gone_from_their_source_are_listed_and_deleted_only_with_prune(
        store, fake_embedder, articles, prune: bool) -> None:  # type: ignore[no-untyped-def]
    ingest(articles, store, fake_embedder)
    dropped = next(a for a in articles if a.id == "page-a-02")  # page-a.txt now holds page-a-01 only
    report = ingest([a for a in articles if a is not dropped], store, fake_embedder, prune=prune)
    assert report.articles_unchanged == 3
    kept = [a for a in articles if a is not dropped]
    if prune:
        assert (report.articles_removed, report.stale) == (1, [])
        assert report.chunks_deleted == len(chunk_article(dropped, 80, 10))
        assert set(store.article_hashes()) == {a.id for a in kept}
        assert store.chunk_ids() == expected_ids(kept)
    else:
        assert (report.articles_removed, report.stale) == (0, ["page-a-02"])
        assert set(store.article_hashes()) == {a.id for a in articles}
        assert store.chunk_ids() == expected_ids(articles)


def test_prune_leaves_sources_that_were_not_ingested_alone(store, fake_embedder, articles) -> None:  # type: ignore[no-untyped-def]
    ingest(articles, store, fake_embedder)
    only_b = [a for a in articles if a.source == "page-b.txt"]
    report = ingest(only_b, store, fake_embedder, prune=True)
    assert report.articles_removed == 0  # page-a.txt and the corpus were not part of this ingest
    assert set(store.article_hashes()) == {a.id for a in articles}
