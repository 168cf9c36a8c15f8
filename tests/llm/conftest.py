"""Fixtures for the LLM tests: a clean environment, and the cassette (vcrpy) setup for wire tests.

Wire tests are marked `@pytest.mark.vcr`. By default (pytest-recording's --record-mode=none) they
replay tests/cassettes/<module>/<test>.yaml and need no server; scripts/record-cassettes.sh
re-records them against a real server. The vcr fixtures below are what an end-to-end test elsewhere
needs too (move them to tests/conftest.py when one does).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from llm_helpers import WireTarget, read_recorded_with

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
# Read before `clean_env` empties them: while recording, the script's endpoint is the target.
RECORDING_ENV = {name: os.environ.get(name) for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "BULLETIN_QA_CHAT_MODEL")}

# Request headers that identify the caller; the key above all. Matching ignores headers anyway.
SECRET_REQUEST_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "openai-organization", "openai-project"]
# Response headers that identify an account or a request (OpenAI, DeepSeek, DashScope, Cloudflare).
IDENTIFYING_RESPONSE_HEADER = re.compile(
    r"^(set-cookie|openai-organization|openai-project|cf-ray|.*request-id|.*trace-?id)$", re.IGNORECASE)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real key, endpoint or config file leaks into a test; the data dir is a tmp dir."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID",
                 "BULLETIN_QA_OPENAI_API_KEY", "BULLETIN_QA_OPENAI_BASE_URL", "BULLETIN_QA_CHAT_MODEL",
                 "BULLETIN_QA_LLM_CACHE", "BULLETIN_QA_CONFIG", "BULLETIN_QA_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BULLETIN_QA_HOME", str(tmp_path / "home"))


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop response headers that identify the account or the request before a cassette is written."""
    response["headers"] = {name: value for name, value in response["headers"].items()
                           if not IDENTIFYING_RESPONSE_HEADER.match(name)}
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """Cassette rules: no secrets, readable bodies, and an edited prompt fails instead of replaying."""
    return {
        "filter_headers": SECRET_REQUEST_HEADERS,
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
