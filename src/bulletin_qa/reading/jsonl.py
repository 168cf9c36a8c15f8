"""JSONL corpora: one `{"id", "date", "title"?, "text"}` object a line, streamed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bulletin_qa.errors import EncodingError, JsonlError
from bulletin_qa.models import Article

_FORMAT = 'Each line must be one JSON object like {"id": "a1", "date": "2024-03-15", "title": "…", "text": "…"}.'


def _field_error(path: Path, line: int, message: str) -> JsonlError:
    return JsonlError(f"{path.name} line {line}: {message}.", path=path, line=line, hint=_FORMAT)


def _required_str(record: dict[str, Any], key: str, path: Path, line: int) -> str:
    value = record.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        value = str(value)
    if value is None:
        raise _field_error(path, line, f"missing field '{key}'")
    if not isinstance(value, str):
        raise _field_error(path, line, f"field '{key}' must be a string, not {type(value).__name__}")
    if not value.strip():
        raise _field_error(path, line, f"field '{key}' is empty")
    return value.strip()


def _date(record: dict[str, Any], path: Path, line: int) -> dt.date | None:
    value = record.get("date")
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        # The whole value is checked: "2024-02-03T25:99:00" is no time of day, so no date either.
        return dt.date.fromisoformat(text) if len(text) <= 10 else dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise _field_error(path, line,
                           f"field 'date' is {value!r}, not a YYYY-MM-DD date (or an ISO date-time) or null") from None


def parse_record(
    raw: str, path: Path, line: int, default_date: dt.date | None = None, offset: int = 0
) -> Article | None:
    """The Article of one JSONL line (None for a blank line); JsonlError names the line and field.

    `offset` is the line's character offset in the file, recorded as the article's start.
    """
    if not raw.strip():
        return None
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _field_error(path, line, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise _field_error(path, line, f"expected a JSON object, got {type(record).__name__}")
    title = record.get("title") or ""
    if not isinstance(title, str):
        raise _field_error(path, line, f"field 'title' must be a string, not {type(title).__name__}")
    date = _date(record, path, line)
    return Article(
        id=_required_str(record, "id", path, line),
        title=title.strip(),
        text=_required_str(record, "text", path, line),
        date=date or default_date,
        date_approximate=date is None and default_date is not None,
        source=path.name,
        position=line,
        start=offset,
        end=offset + len(raw.rstrip("\r\n")),
    )


def read_jsonl(path: Path | str, default_date: dt.date | None = None) -> Iterator[Article]:
    """Stream the articles of a JSONL corpus; position = line number, start/end = the line's
    character offsets in the decoded file. `default_date` fills null dates (marked approximate)."""
    path = Path(path)
    offset = 0
    with path.open("rb") as handle:
        for number, raw_bytes in enumerate(handle, start=1):
            try:
                raw = raw_bytes.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise EncodingError(
                    f"{path.name} line {number} is not UTF-8.", path=path,
                    hint="JSONL corpora must be UTF-8: re-save the file as UTF-8 and try again.",
                ) from None
            article = parse_record(raw, path, number, default_date, offset)
            if article is not None:
                yield article
            offset += len(raw)
