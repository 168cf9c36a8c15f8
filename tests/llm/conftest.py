"""Fixtures for the LLM tests: a clean environment.

The cassette (vcrpy) fixtures for the wire tests (vcr_config, vcr_cassette_dir, wire_target) are
in tests/conftest.py, shared with the end-to-end tests in tests/e2e.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real key, endpoint or config file leaks into a test; the data dir is a tmp dir."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID",
                 "BULLETIN_QA_OPENAI_API_KEY", "BULLETIN_QA_OPENAI_BASE_URL", "BULLETIN_QA_CHAT_MODEL",
                 "BULLETIN_QA_LLM_CACHE", "BULLETIN_QA_CONFIG", "BULLETIN_QA_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BULLETIN_QA_HOME", str(tmp_path / "home"))
