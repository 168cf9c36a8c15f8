"""Shared fixtures: every test runs offline, with its own data dir and store.

Also the cassette (vcrpy) setup for wire tests, used by tests/llm and tests/e2e. Wire tests are
marked `@pytest.mark.vcr`. By default (pytest-recording's --record-mode=none) they replay
tests/cassettes/<module>/<test>.yaml and need no server; scripts/record-cassettes.sh re-records
them against a real server and writes RECORDED_WITH.md beside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bulletin_qa.models import Article
from fakes import HashingFakeEmbedder, make_articles
from wire_helpers import (
    CASSETTES,
    RECORDING_ENV,
    SECRET_REQUEST_HEADERS,
    WireTarget,
    read_recorded_with,
    scrub_request,
    scrub_response,
)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No model download, no user config/data dir and no ambient store or endpoint leak into a test,
    and no keyword index loaded by an earlier test (each test starts as a new process would)."""
    from bulletin_qa.retrieval import bm25

    bm25.forget_loaded()
    for name in ("BULLETIN_QA_CHROMA_URL", "BULLETIN_QA_EMBEDDER", "BULLETIN_QA_COLLECTION",
                 "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("BULLETIN_QA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BULLETIN_QA_CONFIG", str(tmp_path / "home" / "config.toml"))
    monkeypatch.setenv("BULLETIN_QA_STORE", str(tmp_path / "vectorstore"))


@pytest.fixture
def fake_embedder() -> HashingFakeEmbedder:
    """A fresh HashingFakeEmbedder."""
    return HashingFakeEmbedder()


@pytest.fixture
def articles() -> list[Article]:
    """Fresh copies of the four test articles."""
    return make_articles()


# -- cassettes (wire tests) ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """Cassette rules: no secrets, readable bodies, and an edited prompt fails instead of replaying."""
    return {
        "filter_headers": SECRET_REQUEST_HEADERS,
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "match_on": ["method", "scheme", "host", "port", "path", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """tests/cassettes/<test module>/ (pytest-recording's default would be beside the test file)."""
    return str(CASSETTES / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def wire_target(record_mode: str, vcr_cassette_dir: str) -> WireTarget:
    """Where a wire test sends its requests (see WireTarget)."""
    if record_mode == "none":  # pytest-recording's fixture: --record-mode, default "none"
        recorded = read_recorded_with(Path(vcr_cassette_dir))
        return WireTarget(recorded["base_url"], recorded["model"], None)
    base_url, model = RECORDING_ENV["OPENAI_BASE_URL"], RECORDING_ENV["BULLETIN_QA_CHAT_MODEL"]
    if not (base_url and model):
        pytest.fail("Recording needs OPENAI_BASE_URL and BULLETIN_QA_CHAT_MODEL: run scripts/record-cassettes.sh")
    return WireTarget(base_url, model, RECORDING_ENV["OPENAI_API_KEY"])
