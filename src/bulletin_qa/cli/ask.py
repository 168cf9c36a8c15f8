"""Question commands: ask and chat (thin: parse, open the library, call it, render)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bulletin_qa.cli.common import (
    AnswerLangOpt,
    ChromaUrlOpt,
    EmbedderOpt,
    JsonOpt,
    ModelOpt,
    NoCacheOpt,
    SinceOpt,
    StoreOpt,
    UntilOpt,
    date_range,
    note,
    open_bulletin,
    print_json,
)
from bulletin_qa.errors import UsageError
from bulletin_qa.text.safe import StreamCleaner, clean

if TYPE_CHECKING:
    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.models import Answer


KOpt = Annotated[int, typer.Option("-k", help="How many articles to retrieve and give as sources.", min=1, max=50)]
NoStreamOpt = Annotated[bool, typer.Option("--no-stream", help="Print the answer when complete, not streamed.")]
EXIT_WORDS = {"exit", "quit", "退出", ":q"}
ContinueOpt = Annotated[bool, typer.Option("--continue", "-c", help="Continue the newest conversation in the "
                                                                  "history (follow-ups may say 他, 这个, 呢).")]
CidOpt = Annotated[str | None, typer.Option("--cid", help="Continue this conversation (`bulletin-qa history`).")]




def _write(text: str) -> None:
    if text:
        sys.stdout.write(text)
        sys.stdout.flush()


_STREAMED: list[str] = []  # what was streamed of the current answer (render compares it with the checked one)


def _cleaned_stream() -> tuple[Callable[[str], None], Callable[[], None]]:
    """(on_token, flush) that print streamed model tokens made safe: an escape sequence may span several tokens."""
    cleaner = StreamCleaner()

    def on_token(piece: str) -> None:
        _STREAMED.append(piece)
        _write(cleaner.feed(piece))

    return on_token, (lambda: _write(cleaner.flush()))


def _usage_line(answer: Answer) -> str | None:
    """Token usage and estimated cost, for stderr; None when no LLM call was made."""
    usage = answer.usage
    if not usage.calls:
        return None
    cost = usage.cost_usd
    price = f", est. ${cost:.4f}" if cost is not None else ", cost unknown for this model"
    cached = f", {usage.cached_calls} cached" if usage.cached_calls else ""
    return (f"Tokens: {usage.prompt_tokens} prompt + {usage.completion_tokens} completion "
            f"({usage.calls} call{'s' if usage.calls != 1 else ''}{cached}){price}. "
            f"Model {answer.model}, prompt {answer.prompt} ({answer.prompt_hash}).")


# Marks around the answer span inside a quote: plain characters, so they survive pipes and files.
SPAN_OPEN, SPAN_CLOSE = "【", "】"


def highlighted(answer: Answer) -> str:
    """The answer text with each quote's answer span marked 【…】 (offsets from answer.evidence)."""
    lines = answer.answer.splitlines()
    for e in answer.evidence:
        if e.span is None:
            continue
        plain = f"“{e.quote}” [{e.n}]"
        a, b = e.span
        marked = f"“{e.quote[:a]}{SPAN_OPEN}{e.quote[a:b]}{SPAN_CLOSE}{e.quote[b:]}” [{e.n}]"
        lines = [marked if line == plain else line for line in lines]
    return clean("\n".join(lines))


def render(answer: Answer, *, streamed: bool) -> None:
    """Print an answer for people: text (unless streamed), flagged sentences, cited articles; usage to stderr."""
    from bulletin_qa.errors import LLM_HINT, NO_LLM
    from bulletin_qa.messages import msg
    from bulletin_qa.text.chars import detect_lang

    # An offline answer quotes Chinese whatever the question's language: its headings follow the question.
    lang = detect_lang(answer.question if answer.mode == "extractive" else (answer.answer or answer.question))
    shown = "".join(_STREAMED).strip()
    _STREAMED.clear()
    if streamed and shown:
        typer.echo("")  # end the streamed line
    if streamed and not answer.refused:
        if answer.answer.strip() != shown:  # checked, attributed or corrected after it streamed
            typer.echo(msg("checked_answer", lang) + "\n" + clean(answer.answer))
    elif answer.evidence:
        typer.echo(highlighted(answer))
    else:
        typer.echo(clean(answer.answer))
    if answer.unsupported:
        typer.echo("\n" + msg("unverified_heading", lang))
        for line in answer.unsupported:
            typer.echo(clean(f"  - {line}"))
    if answer.citations:
        typer.echo("\n" + msg("sources_heading", lang))
        for c in answer.citations:
            date = c.date.isoformat() if c.date else msg("no_date", lang)
            mark = "" if c.verified else " " + msg("unverified", lang)
            typer.echo(clean(f"  [{c.n}] {c.title} ({date}) {c.article_id}{mark}"))
    if answer.refused and answer.looked_at:
        typer.echo("\n" + msg("looked_at_heading", lang))
        for c in answer.looked_at:
            date = c.date.isoformat() if c.date else msg("no_date", lang)
            typer.echo(clean(f"  {c.title} ({date}) {c.article_id}"))
    if answer.mode == "extractive":
        note(f"{NO_LLM}: the answer quotes article sentences. {LLM_HINT}")
    usage = _usage_line(answer)
    if usage:
        note(usage)


def _library(ctx: typer.Context, store: Path | None, chroma_url: str | None, embedder: str | None,
             model: str | None, no_cache: bool) -> Bulletin:
    """The library for `ask` and `chat`, its LLM built first so that a bad endpoint setting fails before any search."""
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, embedder=embedder, chat_model=model,
                       llm_cache=False if no_cache else None)
    bq.llm  # noqa: B018  # built now: configuration errors before work
    return bq


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The question, in Chinese or English.")],
    lang: AnswerLangOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    k: KOpt = 5,
    json_out: JsonOpt = False,
    no_stream: NoStreamOpt = False,
    no_cache: NoCacheOpt = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    model: ModelOpt = None,
    continue_: ContinueOpt = False,
    cid: CidOpt = None,
) -> None:
    """Answer a question from the stored articles, citing them; offline, quote the best sentences."""
    if not question.strip():
        raise UsageError("The question is empty.", hint='Ask something, e.g. bulletin-qa ask "谁主持了会议？"')
    start, end = date_range(since, until)
    bq = _library(ctx, store, chroma_url, embedder, model, no_cache)
    stream = not (no_stream or json_out) and bq.llm is not None
    on_token, flush = _cleaned_stream()
    try:
        answer, _ = bq.follow_up(question, conversation=cid, continue_last=continue_, k=k, since=start, until=end,
                                 lang=lang.value if lang else None, on_token=on_token if stream else None)
    finally:
        flush()
    if answer.question != question:
        note(f"(searching for: {answer.question})")  # note() cleans: the rewrite may be model output
    if json_out:
        print_json(answer.model_dump(mode="json"))
    else:
        render(answer, streamed=stream)


def chat(
    ctx: typer.Context,
    lang: AnswerLangOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    k: KOpt = 5,
    no_stream: NoStreamOpt = False,
    no_cache: NoCacheOpt = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    model: ModelOpt = None,
    continue_: ContinueOpt = False,
    cid: CidOpt = None,
) -> None:
    """Ask several questions in a row (one per line; 'exit' or end of input stops); follow-ups may say 他, 这个, 呢."""
    from bulletin_qa.history import new_conversation, resume

    start, end = date_range(since, until)
    bq = _library(ctx, store, chroma_url, embedder, model, no_cache)
    streamed = not no_stream and bq.llm is not None
    on_token, flush = _cleaned_stream()
    session = bq.chat(k=k, since=start, until=end, lang=lang.value if lang else None,
                      on_token=on_token if streamed else None)
    log = bq.history
    conversation, session.history = resume(log, continue_last=continue_, conversation=cid)
    conversation = conversation or new_conversation()
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            typer.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            break
        question = line.strip()
        if not question:
            continue
        if question.lower() in EXIT_WORDS:
            break
        standalone, answer = session.ask(question)
        flush()
        if standalone != question:
            note(f"(searching for: {standalone})")  # note() cleans: the rewrite is model output
        if log is not None:
            log.record(answer, question=question, conversation=conversation, client="chat")
        render(answer, streamed=streamed)
        typer.echo("")


def register(app: typer.Typer) -> None:
    """Add the ask and chat commands to the root app."""
    app.command("ask")(ask)
    app.command("chat")(chat)

