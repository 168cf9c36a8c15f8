"""JSON in model replies: the object or array a model wrote, with the fences and chatter around it ignored."""

from __future__ import annotations

import json
import re
from typing import Any

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def strip_fences(text: str) -> str:
    """The reply without Markdown code fences around it."""
    return _FENCE.sub("", text).strip()


def parse_json_reply(text: str) -> Any:
    """The JSON object or array in a model reply (code fences and chatter around it ignored)."""
    body = strip_fences(text)
    starts = [i for i in (body.find("{"), body.find("[")) if i >= 0]
    if not starts:
        raise ValueError("no JSON in the reply")
    start = min(starts)
    end = body.rfind("}" if body[start] == "{" else "]")
    return json.loads(body[start : end + 1])
