"""Issue #9: one writer at a time, tested with real processes (two `bulletin-qa ingest` at once).

The processes run tests/cli/fake_cli.py: the real command with the FAKE embedder (instant).
Before the lock, two ingests into one store mixed chunks of two pages under one article id,
and two first ingests into a new store failed with "Collection ... already exists".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from fakes import HashingFakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "samples" / "pages"
FAKE_CLI = Path(__file__).with_name("fake_cli.py")
runner = CliRunner()
# In-process commands (check, --no-wait) use the same FAKE embedder as the processes (fake_cli.py).
PARTS = {"embedder": HashingFakeEmbedder()}
REPEATS = 3  # each round: a new store created by two processes at once (~3 s a round on 2 cores)


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide tables."""
    monkeypatch.setenv("COLUMNS", "200")


def _spawn(*args: object) -> subprocess.Popen:
    env = {**os.environ, "BULLETIN_QA_CHUNK_SIZE": "60", "BULLETIN_QA_CHUNK_OVERLAP": "10",
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.Popen([sys.executable, str(FAKE_CLI), *map(str, args)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def two_pages(tmp_path: Path) -> tuple[Path, Path]:
    """Two different pages of one file name: before #9 their articles had the same ids."""
    out = []
    for day, sample in (("2024-03-15", "hewan-2024-03-15.txt"), ("2024-05-20", "hewan-2024-05-20.txt")):
        (tmp_path / day).mkdir()
        out.append(shutil.copy(PAGES / sample, tmp_path / day / "page1.txt"))
    return Path(out[0]), Path(out[1])


def test_two_ingests_at_once_never_mix_articles(two_pages: tuple[Path, Path], tmp_path: Path) -> None:
    from bulletin_qa.reading import read_paths

    expected = len(read_paths(list(two_pages)).articles)
    for round_ in range(REPEATS):
        store = tmp_path / f"vs{round_}"
        procs = [_spawn("ingest", page, "--store", store, "--json") for page in two_pages]
        outs = [p.communicate(timeout=120) for p in procs]
        for proc, (_, stderr) in zip(procs, outs):
            assert proc.returncode == 0, stderr
            assert "Traceback" not in stderr
        assert sum(json.loads(stdout)["articles_new"] for stdout, _ in outs) == expected
        stored = json.loads(runner.invoke(app, ["articles", "--store", str(store), "--json"], obj=PARTS).stdout)
        assert len(stored) == expected  # every article of both pages, none replaced
        check = runner.invoke(app, ["check", "--store", str(store), "--json"], env={"BULLETIN_QA_CHUNK_SIZE": "60"},
                              obj=PARTS)
        report = json.loads(check.stdout)
        assert check.exit_code == 0, report["problems"]
        # check compares every chunk's text with its own article's text at the chunk's offset
        assert report["articles"] == expected and report["problems"] == []


def test_a_second_writer_waits_and_says_so(tmp_path: Path) -> None:
    from filelock import FileLock

    store = tmp_path / "vs"
    assert runner.invoke(app, ["ingest", str(PAGES / "hewan-2024-03-15.txt"), "--store", str(store)],
                         obj=PARTS).exit_code == 0
    lock = FileLock(str(store / "bulletin-qa.lock"))
    with lock:
        busy = runner.invoke(app, ["ingest", str(PAGES / "hewan-2024-05-20.txt"), "--store", str(store), "--no-wait"],
                             obj=PARTS)
        assert busy.exit_code == 3
        assert busy.stderr.startswith("Error: Another bulletin-qa process is writing to the store at")
        assert "without --no-wait" in busy.stderr and len(busy.stderr.splitlines()) == 1
        proc = _spawn("ingest", PAGES / "hewan-2024-05-20.txt", "--store", store)
        deadline = time.monotonic() + 60
        waited = ""
        while "Waiting" not in waited and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            waited = proc.stderr.readline() if proc.stderr else ""  # type: ignore[union-attr]
        assert "Waiting for another bulletin-qa process to finish writing to" in waited
        assert proc.poll() is None  # still waiting while the lock is held
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "articles new" in stdout
    # Readers never wait: stats while a writer holds the lock.
    with lock:
        assert runner.invoke(app, ["stats", "--store", str(store)], obj=PARTS).exit_code == 0
