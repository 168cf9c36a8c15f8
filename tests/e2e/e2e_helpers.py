"""Helpers for the end-to-end tests: running the CLI and reading back what went over the wire."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from bulletin_qa.cli import app
from bulletin_qa.models import Article

GLOSSARY = Path(__file__).resolve().parent / "glossary.toml"
SAMPLE_PAGES = Path(__file__).resolve().parents[2] / "samples" / "pages"


@dataclass(frozen=True)
class SampleStore:
    """The session's store with samples/pages/ ingested, and its articles by id."""

    path: Path
    articles: dict[str, Article]


def run(*args: str, input: str | None = None) -> Result:
    """Invoke `bulletin-qa ARGS` in-process (stderr kept apart from stdout)."""
    return CliRunner().invoke(app, list(args), input=input)


def ok(result: Result) -> Result:
    """The result, after checking the command exited 0 (its stderr is shown when it did not)."""
    assert result.exit_code == 0, f"exit {result.exit_code}\nstderr:\n{result.stderr}\nexception: {result.exception!r}"
    return result


@dataclass(frozen=True)
class Exchange:
    """One chat-completion request of a test and the model's reply text (streamed or not)."""

    body: dict[str, Any]
    reply: str
    streamed: bool

    @property
    def prompt(self) -> str:
        """Every message of the request, joined (for "was X in the prompt" checks)."""
        return "\n".join(m["content"] for m in self.body["messages"])

    @property
    def user(self) -> str:
        """The last user message."""
        return [m["content"] for m in self.body["messages"] if m["role"] == "user"][-1]


def _text(body: Any) -> str:
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


def reply_text(raw: str) -> tuple[str, bool]:
    """(the assistant text, streamed?) of a chat-completion response body, plain JSON or server-sent events."""
    if not raw.lstrip().startswith("{"):  # server-sent events; may open with ": ping" comment lines
        pieces = []
        for line in raw.splitlines():
            data = line.removeprefix("data:").strip()
            if not line.startswith("data:") or data == "[DONE]":
                continue
            for choice in json.loads(data).get("choices", [])[:1]:
                pieces.append((choice.get("delta") or {}).get("content") or "")
        return "".join(pieces), True
    return json.loads(raw)["choices"][0]["message"]["content"] or "", False


def exchanges(cassette: Any, record_mode: str) -> list[Exchange]:
    """The chat-completion exchanges the test made: recorded just now, or replayed (then all of them)."""
    if record_mode == "none":
        # vcrpy refuses unmatched requests on replay; this also catches a request the command no longer makes.
        assert cassette.all_played, f"{cassette.play_count} of {len(cassette.requests)} recorded requests were made"
    out = []
    for request, response in zip(cassette.requests, cassette.responses):
        assert request.path.endswith("/chat/completions"), request.uri
        body = json.loads(_text(request.body))
        said = _text(response["body"]["string"])
        if response["status"]["code"] != 200 and "response_format" in body and "response_format" in said:
            continue  # the endpoint refused this structured-output form; the adapter asked again with the next
        assert response["status"]["code"] == 200, said[:500]
        text, streamed = reply_text(said)
        out.append(Exchange(body=body, reply=text, streamed=streamed))
    return out


def is_correction(call: Exchange) -> bool:
    """A corrective round: the conversation so far, the model's reply, then the checks' findings."""
    roles = [m["role"] for m in call.body["messages"]]
    return len(roles) >= 4 and roles[-2] == "assistant"


def corrected(first: Exchange, second: Exchange) -> None:
    """`second` is the one corrective round of `first`: same conversation, first's reply, then findings."""
    messages = second.body["messages"]
    assert messages[:len(first.body["messages"])] == first.body["messages"]
    assert messages[len(first.body["messages"])] == {"role": "assistant", "content": first.reply}
    assert len(messages) == len(first.body["messages"]) + 2 and messages[-1]["role"] == "user"


def given_sources(exchange: Exchange) -> dict[int, str]:
    """Source number -> the title line (标题： or Title:) of that <source n=…> block in an ask prompt."""
    blocks = re.findall(r"<source n=(\d+)>\n(?:标题：|Title: )(.+)\n", exchange.user)
    return {int(n): title for n, title in blocks}


def heading(article: Article) -> str:
    """An article's title line as the ask prompt writes it: title — subtitle."""
    return " — ".join(p for p in (article.title, article.subtitle) if p) or article.id
