"""Digest files given back to us: a `digest --json` file read into Digest records, a Markdown one as text.

`translate --digest FILE` (and the facade's `translate_digest_file`) reads them here, so the CLI only
parses flags: an HTML digest is refused (its markup would be translated), a JSON file must hold one
digest or a list of them as `digest --json` writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

from bulletin_qa.errors import InputError, SourceNotFound
from bulletin_qa.models import Digest


def read_digest_file(path: Path) -> list[Digest] | str:
    """The digests of a JSON digest file, or the text of a Markdown (or other text) one.

    SourceNotFound when there is no file; InputError for an HTML digest or a JSON file that is not
    one written by `bulletin-qa digest --json`.
    """
    from pydantic import ValidationError

    if not path.is_file():
        raise SourceNotFound(f"No digest file at {path}.", path=path,
                             hint="Write one with 'bulletin-qa digest --json --out FILE'.")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".html", ".htm"):
        raise InputError(f"{path} is HTML; translate the JSON or Markdown digest instead.", path=path,
                         hint="Write one with 'bulletin-qa digest --json --out digest.json'.")
    if path.suffix.lower() != ".json":
        return text
    try:
        data = json.loads(text)
        return [Digest.model_validate(d) for d in (data if isinstance(data, list) else [data])]
    except (ValueError, ValidationError) as exc:
        first_line = f"{path} is not a digest written by 'bulletin-qa digest --json' ({exc}).".splitlines()[0]
        raise InputError(first_line, path=path,
                         hint="Re-create it with 'bulletin-qa digest --json --out FILE'.") from None
