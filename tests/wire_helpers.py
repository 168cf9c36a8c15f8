"""Cassette helpers shared by the wire tests (tests/llm) and the end-to-end tests (tests/e2e).

The fixtures built on them (vcr_config, vcr_cassette_dir, wire_target) are in tests/conftest.py.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CASSETTES = Path(__file__).resolve().parent / "cassettes"
# Read at import, before any fixture empties them: while recording, the script's endpoint is the target.
RECORDING_ENV = {name: os.environ.get(name) for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "BULLETIN_QA_CHAT_MODEL")}

# Request headers that identify the caller; the key above all. Matching ignores headers anyway.
SECRET_REQUEST_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "openai-organization", "openai-project"]
# Response headers that identify an account or a request (OpenAI, DeepSeek, DashScope, Cloudflare).
IDENTIFYING_RESPONSE_HEADER = re.compile(
    r"^(set-cookie|openai-organization|openai-project|cf-ray|.*request-id|.*trace-?id)$", re.IGNORECASE)


@dataclass(frozen=True)
class WireTarget:
    """The endpoint a wire test talks to: the live one while recording, the recorded one on replay."""

    base_url: str
    model: str
    api_key: str | None


def read_recorded_with(directory: Path) -> dict[str, str]:
    """The `- key: value` lines of <cassette dir>/RECORDED_WITH.md, written by record-cassettes.sh."""
    path = directory / "RECORDED_WITH.md"
    if not path.is_file():
        pytest.fail(f"{path} is missing: record the cassettes with scripts/record-cassettes.sh")
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(m.groups() for m in map(re.compile(r"^- (\w+): (.+)$").match, lines) if m)


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop response headers that identify the account or the request before a cassette is written."""
    response["headers"] = {name: value for name, value in response["headers"].items()
                           if not IDENTIFYING_RESPONSE_HEADER.match(name)}
    return response
