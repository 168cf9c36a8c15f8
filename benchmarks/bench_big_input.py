"""Memory and time of reading big inputs: a page file far above MAX_PAGE_BYTES, and a big JSONL corpus.

Not a test. Run:

    python benchmarks/bench_big_input.py [--mb 50] [--root /tmp/bqa-big]

Writes a --mb MB page (.txt, the sample page repeated) and a --mb MB corpus (.jsonl, the sample
corpus lines repeated with new ids), then in a fresh process each: `read_paths` of the file, and
prints peak RSS and seconds as a table. Issue #9: a 50 MB page took 2.0 GB and ~100 s; now it is
refused at once, with the reason. A corpus is streamed line by line, but its articles are kept
until they are stored, so its memory grows with its size (see the table).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"

CHILD = """
import sys, time
from pathlib import Path
from bulletin_qa.errors import BulletinQAError
from bulletin_qa.reading import read_paths
started = time.perf_counter()
try:
    result = read_paths([Path(sys.argv[1])])
    outcome = f"{len(result.articles)} articles"
except BulletinQAError as exc:
    outcome = "refused: " + exc.message[:60]
print(f"{time.perf_counter() - started:.1f}\\t{outcome}")
"""


def write_inputs(root: Path, mb: int) -> tuple[Path, Path]:
    """A --mb MB page and a --mb MB corpus made of our own samples."""
    root.mkdir(parents=True, exist_ok=True)
    page, corpus = root / f"page-{mb}mb.txt", root / f"corpus-{mb}mb.jsonl"
    text = (SAMPLES / "pages" / "hewan-2024-03-15.txt").read_bytes()
    with page.open("wb") as f:
        for _ in range(mb * 1_000_000 // len(text) + 1):
            f.write(text + b"\n")
    rows = [json.loads(line) for line in (SAMPLES / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line]
    with corpus.open("w", encoding="utf-8") as f:
        size, i = 0, 0
        while size < mb * 1_000_000:
            line = json.dumps({**rows[i % len(rows)], "id": f"big{i:07d}"}, ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line.encode("utf-8"))
            i += 1
    return page, corpus


def measure(path: Path) -> tuple[float, str, float]:
    """(seconds, outcome, peak RSS MB) of read_paths on `path` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds, outcome = out.split("\t", 1)
    return float(seconds), outcome, max(peak, before) / 1024


def main() -> None:
    """Write the inputs, measure each, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--root", type=Path, default=Path("/tmp/bqa-big"))
    args = parser.parse_args()
    page, corpus = write_inputs(args.root, args.mb)
    now = dt.datetime.now(dt.timezone.utc)
    print(f"{now:%Y-%m-%d %H:%M} UTC, load {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
    print("| input | size | seconds | peak RSS (MB) | outcome |")
    print("| --- | --- | --- | --- | --- |")
    for path in (page, corpus):
        started = time.perf_counter()
        seconds, outcome, rss = measure(path)
        wall = time.perf_counter() - started
        print(f"| {path.name} | {path.stat().st_size / 1e6:.1f} MB | {seconds:.1f} (process {wall:.1f}) "
              f"| {rss:.0f} | {outcome} |")


if __name__ == "__main__":
    main()
