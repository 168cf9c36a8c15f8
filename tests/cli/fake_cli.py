"""`bulletin-qa` with the FAKE HashingFakeEmbedder, run as a real process by the concurrency tests.

    python tests/cli/fake_cli.py ingest PATH --store DIR

Everything but the embedder (reading, locking, the store) is the real code.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulletin_qa import factory  # noqa: E402
from fakes import HashingFakeEmbedder  # noqa: E402

factory.make_embedder = lambda settings: HashingFakeEmbedder()  # type: ignore[assignment]

from bulletin_qa.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
