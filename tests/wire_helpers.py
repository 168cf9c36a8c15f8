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

from bulletin_qa.text.safe import display_url, url_secrets

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


def _secrets() -> list[str]:
    """The key and URL credentials of the recording endpoint (a server may echo them)."""
    key = RECORDING_ENV["OPENAI_API_KEY"]
    return [s for s in (key, *url_secrets(RECORDING_ENV["OPENAI_BASE_URL"])) if s and len(s) >= 4]


def scrub_request(request: Any) -> Any:
    """Drop user:password@ from the request URL before a cassette is written (matching ignores it)."""
    request.uri = display_url(request.uri)
    return request


def scrub_response(response: dict[str, Any], secrets: list[str] | None = None) -> dict[str, Any]:
    """Drop response headers that identify the account or the request, and any echoed secret, before
    a cassette is written."""
    response["headers"] = {name: value for name, value in response["headers"].items()
                           if not IDENTIFYING_RESPONSE_HEADER.match(name)}
    body = response.get("body", {}).get("string")
    for secret in _secrets() if secrets is None else secrets:
        if isinstance(body, bytes):
            body = body.replace(secret.encode(), b"***")
        elif isinstance(body, str):
            body = body.replace(secret, "***")
    if body is not None:
        response["body"]["string"] = body
    return response
