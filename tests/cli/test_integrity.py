"""Issue #9: never lose or mix an article. Each test reproduces one finding of the issue.

Same-name pages in different folders, a corpus id equal to a page article's id, a damaged
store, and the everyday faults that used to end in a traceback. The embedder is the FAKE
HashingFakeEmbedder (instant); the store, reading and keyword index are real.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from fakes import HashingFakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "samples" / "pages"
runner = CliRunner()
PARTS = {"embedder": HashingFakeEmbedder()}  # every command's embedder, given as the CLI's context object


@pytest.fixture(autouse=True)
def setup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide tables for every command."""
    monkeypatch.setenv("COLUMNS", "200")


def run(*args: object, obj: object = PARTS):  # type: ignore[no-untyped-def]
    """The command with the FAKE embedder (obj=None: the configured one)."""
    return runner.invoke(app, [str(a) for a in args], obj=obj)


def ingest(*args: object) -> dict:
    result = run("ingest", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def listed(store: Path) -> dict[str, dict]:
    result = run("articles", "--json", "--store", store)
    assert result.exit_code == 0, result.stderr
    return {a["id"]: a for a in json.loads(result.stdout)}


def assert_one_error(result, code: int, *parts: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for part in parts:
        assert part in result.stderr, result.stderr


@pytest.fixture
def epaper(tmp_path: Path) -> Path:
    """Two different pages both named page1.txt, the way e-paper downloads are named."""
    for day, sample in (("2024-03-15", "hewan-2024-03-15.txt"), ("2024-05-20", "hewan-2024-05-20.txt")):
        (tmp_path / "ar" / day).mkdir(parents=True)
        shutil.copy(PAGES / sample, tmp_path / "ar" / day / "page1.txt")
    return tmp_path / "ar"


def _page_count(path: Path) -> int:
    from bulletin_qa.reading import read_paths

    return len(read_paths([path]).articles)


def test_same_file_name_in_two_folders_keeps_both_pages(epaper: Path, tmp_path: Path) -> None:
    store = tmp_path / "vs"
    first, second = epaper / "2024-03-15" / "page1.txt", epaper / "2024-05-20" / "page1.txt"
    n1, n2 = _page_count(first), _page_count(second)
    assert ingest(first, "--store", store)["articles_new"] == n1
    report = ingest(second, "--store", store)
    assert (report["articles_new"], report["articles_updated"]) == (n2, 0)
    stored = listed(store)
    assert len(stored) == n1 + n2
    assert {f"page1-{i:02d}" for i in range(1, n1 + 1)} <= set(stored)  # the first keeps the short ids
    assert [w for w in report["warnings"] if "this file's articles are page1-" in w]
    # Again, both folders in one run: nothing new, nothing updated, nothing lost.
    again = ingest(epaper, "--store", store)
    assert (again["articles_new"], again["articles_updated"], again["articles_unchanged"]) == (0, 0, n1 + n2)


def test_both_folders_in_one_run_store_every_article(epaper: Path, tmp_path: Path) -> None:
    report = ingest(epaper, "--store", tmp_path / "vs")
    total = _page_count(epaper)
    assert report["articles_new"] == total
    assert len(listed(tmp_path / "vs")) == total
    assert not [w for w in report["warnings"] if "duplicate" in w]


def test_edited_file_updates_only_its_own_articles(epaper: Path, tmp_path: Path) -> None:
    store = tmp_path / "vs"
    ingest(epaper, "--store", store)
    before = listed(store)
    second = epaper / "2024-05-20" / "page1.txt"
    second.write_text(second.read_text(encoding="utf-8").replace("河湾区", "河湾新区", 1), encoding="utf-8")
    report = ingest(second, "--store", store)
    assert (report["articles_new"], report["articles_updated"]) == (0, 1)
    after = listed(store)
    assert set(after) == set(before)
    changed = [aid for aid in after if after[aid] != before[aid]]
    assert len(changed) == 1 and after[changed[0]]["date"].startswith("2024-05")  # the second page's own article
    assert len(changed[0]) > len("page1-01")  # under its own prefix, page1-<hex>-NN


def test_the_same_page_under_another_name_is_not_stored_twice(tmp_path: Path) -> None:
    store = tmp_path / "vs"
    ingest(PAGES / "hewan-2024-03-15.txt", "--store", store)
    copy = tmp_path / "inbox" / "copy-of-page.txt"
    copy.parent.mkdir()
    shutil.copy(PAGES / "hewan-2024-03-15.txt", copy)
    result = run("ingest", copy.parent, "--store", store)
    assert result.exit_code == 0, result.stderr
    assert "articles new       │ 0" in result.stdout
    assert "the same file as" in result.stderr and "hewan-2024-03-15.txt, already stored; skipped" in result.stderr


def test_corpus_id_equal_to_a_page_article_id_is_refused_and_nothing_changes(epaper: Path, tmp_path: Path) -> None:
    store = tmp_path / "vs"
    ingest(epaper / "2024-03-15" / "page1.txt", "--store", store)
    before = listed(store)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "c-new", "date": "2024-01-01", "text": "新的一篇。"}, ensure_ascii=False) + "\n"
                      + json.dumps({"id": "page1-02", "date": "2024-01-01", "text": "另一篇。"}, ensure_ascii=False)
                      + "\n", encoding="utf-8")
    result = run("ingest", corpus, "--store", store)
    assert_one_error(result, 2, "'page1-02' (corpus.jsonl #2)", str(epaper / "2024-03-15" / "page1.txt"),
                     "Nothing was stored", "Give it another id")
    assert listed(store) == before


def test_reingest_repairs_an_article_whose_chunks_were_mixed(tmp_path: Path) -> None:
    """The concurrent-ingest damage (an article holding another page's chunks) is repaired by ingest."""
    store = tmp_path / "vs"
    page = PAGES / "hewan-2024-03-15.txt"
    ingest(page, "--store", store)
    from bulletin_qa.factory import open_store
    from bulletin_qa.settings import load_settings

    s = open_store(load_settings(store=store), PARTS["embedder"])
    victim = sorted(listed(store))[0]
    stray = s.chunks.get(limit=1, where={"article_id": {"$ne": victim}}, include=["embeddings", "documents"])
    s.chunks.add(ids=[f"{victim}:9:stray"], documents=stray["documents"], embeddings=stray["embeddings"],
                 metadatas=[{"article_id": victim, "index": 9, "start": 0, "date": 0, "source": "x", "title": "x"}])
    check = run("check", "--store", store, "--json")
    assert check.exit_code == 1
    assert any(p["article_id"] == victim for p in json.loads(check.stdout)["problems"])
    report = ingest(page, "--store", store)
    assert report["articles_updated"] == 1 and report["chunks_deleted"] >= 1
    assert [w for w in report["warnings"] if victim in w and "stored again" in w]
    assert run("check", "--store", store).exit_code == 0


@pytest.mark.parametrize(("config", "message"), [
    ('store = "unclosed\n', "is not valid TOML"),
    ("chunk_size = 1\n", "chunk_size"),
])
def test_malformed_config_file(tmp_path: Path, config: str, message: str) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_text(config, encoding="utf-8")
    assert_one_error(run("stats"), 2, message, "config.toml")


@pytest.mark.parametrize(("url", "message"), [
    ("http://127.0.0.1:99999", "port out of range"),
    ("htp:/x", "is not a Chroma server URL"),
    ("ftp://host:8000", "is not a Chroma server URL"),
])
def test_bad_chroma_urls(url: str, message: str) -> None:
    for command in (["stats"], ["ingest", str(PAGES)]):
        assert_one_error(run(*command, "--chroma-url", url), 2, message, "http://127.0.0.1:8000")


def test_unwritable_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """BULLETIN_QA_HOME under a file cannot be written (root ignores chmod, so this is the honest way)."""
    (tmp_path / "afile").write_text("x")
    monkeypatch.setenv("BULLETIN_QA_HOME", str(tmp_path / "afile" / "home"))
    # The configured embedder, not the fake: it makes the cache directory.
    assert_one_error(run("ingest", PAGES, "--store", tmp_path / "vs", obj=None), 2, "cannot be written to",
                     "Set BULLETIN_QA_HOME")
    assert not (tmp_path / "vs").exists()


def test_empty_chroma_sqlite_is_damage_not_an_empty_store(tmp_path: Path) -> None:
    store = tmp_path / "vs"
    ingest(PAGES / "hewan-2024-03-15.txt", "--store", store)
    (store / "chroma.sqlite3").write_bytes(b"")
    for command in (["stats"], ["articles"], ["ingest", str(PAGES)]):
        assert_one_error(run(*command, "--store", store), 3, "damaged", "0 bytes")
    assert (store / "chroma.sqlite3").stat().st_size == 0  # left as found


def test_symlink_loops(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(tmp_path / "loop.txt")
    assert_one_error(run("ingest", loop, "--store", tmp_path / "vs"), 2, "symbolic link that loops")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(PAGES / "hewan-2024-03-15.txt", inbox)
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    result = run("ingest", inbox, "--store", tmp_path / "vs")
    assert result.exit_code == 0, result.stderr
    assert "skipped: loop.txt: a symbolic link that loops or points nowhere, skipped" in result.stderr


def test_unreadable_file_in_a_directory_is_skipped_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, whom chmod does not stop: the refusal is made where the OS would make it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(PAGES / "hewan-2024-03-15.txt", inbox / "a.txt")
    shutil.copy(PAGES / "hewan-2024-05-20.txt", inbox / "secret.txt")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run("ingest", inbox, "--store", tmp_path / "vs")
    assert result.exit_code == 0, result.stderr
    assert "skipped: secret.txt: cannot be read: permission denied." in result.stderr
    assert_one_error(run("ingest", inbox / "secret.txt", "--store", tmp_path / "vs"), 2, "permission denied",
                     "chmod u+r")


def test_jsonl_impossible_time_is_refused_with_its_line(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "date": "2024-02-03T08:00:00", "text": "一。"}\n'
                      '{"id": "b", "date": "2024-02-03T25:99:00", "text": "二。"}\n', encoding="utf-8")
    assert_one_error(run("ingest", corpus, "--store", tmp_path / "vs"), 2, "c.jsonl line 2", "2024-02-03T25:99:00")
    assert not (tmp_path / "vs").exists()


def test_duplicate_id_warning_is_printed_once(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "date": "2024-02-03", "text": "一。"}\n'
                      '{"id": "a", "date": "2024-02-04", "text": "二。"}\n', encoding="utf-8")
    result = run("ingest", corpus, "--store", tmp_path / "vs")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("appears twice") + result.stderr.count("duplicate") == 1


def test_a_page_too_big_to_be_a_page_is_refused_with_the_reason(tmp_path: Path) -> None:
    from bulletin_qa.reading import MAX_PAGE_BYTES

    big = tmp_path / "big.txt"
    big.write_bytes("河湾区召开会议。\n".encode() * (MAX_PAGE_BYTES // 24 + 10))
    assert_one_error(run("ingest", big, "--store", tmp_path / "vs"), 2, "too big for one printed page", ".jsonl")
    (tmp_path / "inbox").mkdir()
    big.rename(tmp_path / "inbox" / "big.txt")
    shutil.copy(PAGES / "hewan-2024-03-15.txt", tmp_path / "inbox")
    result = run("ingest", tmp_path / "inbox", "--store", tmp_path / "vs")
    assert result.exit_code == 0 and "big.txt: is " in result.stderr and "Skipped." in result.stderr


def test_a_corpus_above_the_documented_size_is_refused_with_the_fix(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading holds a corpus's articles until they are stored (~5.5 bytes a byte): above the limit it is
    refused before anything is read. The limit is lowered here so the test writes kilobytes, not 200 MB."""
    import bulletin_qa.reading

    monkeypatch.setattr(bulletin_qa.reading, "MAX_CORPUS_BYTES", 1_000)
    big = tmp_path / "big.jsonl"
    big.write_text("".join(f'{{"id": "c{i}", "date": "2024-02-03", "text": "河湾区召开会议。"}}\n' for i in range(40)),
                   encoding="utf-8")
    assert_one_error(run("ingest", big, "--store", tmp_path / "vs"), 2, "a corpus may be at most", "split")
    assert not (tmp_path / "vs").exists()  # refused before a store was made
    (tmp_path / "inbox").mkdir()
    big.rename(tmp_path / "inbox" / "big.jsonl")
    shutil.copy(PAGES / "hewan-2024-03-15.txt", tmp_path / "inbox")
    result = run("ingest", tmp_path / "inbox", "--store", tmp_path / "vs")
    assert result.exit_code == 0 and "big.jsonl: is " in result.stderr and "Skipped." in result.stderr


def test_a_read_only_store_can_be_read_and_is_not_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a store made Chroma rewrite chroma.sqlite3, so a read-only store could not be read.

    Tests run as root, whom `chmod a-w` does not stop, so the permission check is where the
    refusal is simulated; that the original files are left byte for byte is checked for real.
    """
    import hashlib
    import os

    store = tmp_path / "vs"
    ingest(PAGES / "hewan-2024-03-15.txt", "--store", store)
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # as in a new process: Chroma opens the files again

    def snapshot() -> dict[str, str]:
        return {str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(store.rglob("*")) if p.is_file()}

    before = snapshot()
    real_access = os.access
    monkeypatch.setattr(os, "access",
                        lambda path, mode: False if mode == os.W_OK and str(path).startswith(str(store))
                        else real_access(path, mode))
    for command in (["stats"], ["articles"], ["search", "河湾区"], ["show", "hewan-2024-03-15-01"]):
        result = run(*command, "--store", store)
        assert result.exit_code == 0, (command, result.stderr)
        assert str(store) in result.stdout or command != ["stats"]
    assert_one_error(run("check", "--repair", "--store", store), 3, "read-only", "can be read, not changed")
    assert snapshot() == before


def test_ingest_shows_progress_lines_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    """A log of a long ingest showed nothing at all for minutes."""
    result = run("ingest", PAGES, "--store", tmp_path / "vs")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("embedding chunks")]
    total = int(lines[-1].rsplit("/", 1)[1])
    assert lines[0] == f"embedding chunks (then the keyword index): 0/{total}"
    assert lines[-1] == f"embedding chunks (then the keyword index): {total}/{total}" and 2 <= len(lines) <= 12
    assert "embedding chunks" not in run("ingest", PAGES, "--store", tmp_path / "vs").stderr  # nothing to embed


def test_check_finds_and_repair_fixes_from_the_store_itself(tmp_path: Path) -> None:
    store = tmp_path / "vs"
    ingest(PAGES / "hewan-2024-03-15.txt", "--store", store)
    assert run("search", "河湾区", "--store", store).exit_code == 0  # the keyword index is cached
    before = listed(store)
    from bulletin_qa.factory import open_store
    from bulletin_qa.settings import load_settings

    s = open_store(load_settings(store=store), None)
    first, second = sorted(before)[:2]
    one = s.chunks.get(where={"article_id": first}, limit=1, include=["embeddings", "metadatas"])
    # a chunk whose text is not its article's
    s.chunks.update(ids=one["ids"], documents=["不是这篇文章的文字。"], embeddings=one["embeddings"])
    s.chunks.add(ids=["gone-01:0:x"], documents=["孤儿"], embeddings=one["embeddings"],  # a chunk of no article
                 metadatas=[{**one["metadatas"][0], "article_id": "gone-01"}])
    two = s.chunks.get(where={"article_id": second}, include=[])
    s.chunks.delete(ids=two["ids"][:1])  # an article missing a chunk
    third = sorted(before)[2]
    three = s.chunks.get(where={"article_id": third}, limit=1, include=["embeddings", "documents"])
    doubled = [[2 * x for x in three["embeddings"][0]]]  # a vector of length 2
    s.chunks.update(ids=three["ids"], documents=three["documents"], embeddings=doubled)
    (cache,) = (tmp_path / "home" / "cache" / "bm25").iterdir()
    (cache / "articles.jsonl").write_text("")  # the keyword index cut short
    result = run("check", "--store", store)
    assert result.exit_code == 1
    for kind in ("chunk text", "orphan chunks", "chunk layout", "embedding"):
        assert kind in result.stdout
    assert "NOT consistent" in result.stdout and "check --repair" in result.stderr
    found = json.loads(run("check", "--store", store, "--json").stdout)
    assert {p["kind"] for p in found["problems"]} == {"chunk text", "orphan chunks", "chunk layout", "embedding",
                                                          "keyword index"}
    repaired = run("check", "--repair", "--store", store, "--json")
    assert repaired.exit_code == 0, repaired.stderr
    assert all(p["repaired"] for p in json.loads(repaired.stdout)["problems"])
    again = run("check", "--store", store)
    assert again.exit_code == 0 and "consistent" in again.stdout and "keyword index ok" in again.stdout
    assert listed(store) == before


@pytest.mark.parametrize("command", [["summarize", "hewan-2024-03-15-01"], ["digest", "--week", "2024-W11"]])
def test_unwritable_home_for_the_writing_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  command: list[str]) -> None:
    store = tmp_path / "vs"
    ingest(PAGES / "hewan-2024-03-15.txt", "--store", store)
    (tmp_path / "afile").write_text("x")
    monkeypatch.setenv("BULLETIN_QA_HOME", str(tmp_path / "afile" / "home"))
    assert_one_error(run(*command, "--store", store), 2, "cannot be written to", "Set BULLETIN_QA_HOME")


def test_id_collision_within_the_input_leaves_no_new_store_behind(tmp_path: Path) -> None:
    """Two corpora giving one id, ingested into a store that does not exist yet: the error, and no
    empty store directory (it used to be made before the ids were settled)."""
    line = '{"id": "x1", "date": "2024-01-02", "text": "河湾区召开会议，区长韩静怡主持。"}\n'
    (tmp_path / "a.jsonl").write_text(line, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(line.replace("主持", "出席"), encoding="utf-8")
    store = tmp_path / "vs"
    result = run("ingest", tmp_path / "a.jsonl", tmp_path / "b.jsonl", "--store", store)
    assert_one_error(result, 2, "'x1' (b.jsonl #1) is already used by another source", "ids must be unique")
    assert not store.exists()
    ingest(tmp_path / "a.jsonl", "--store", store)  # the first alone is fine, and a second file then collides
    result = run("ingest", tmp_path / "b.jsonl", "--store", store)
    assert_one_error(result, 2, "'x1' (b.jsonl #1) is already used by another source", "ids must be unique")
    held = listed(store)
    assert list(held) == ["x1"] and held["x1"]["source"].endswith("a.jsonl")
