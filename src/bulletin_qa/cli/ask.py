"""Question commands: ask and chat (thin: parse, build search and LLM, call the core, render)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Callable, Optional

import typer

from bulletin_qa.cli.common import ChromaUrlOpt, EmbedderOpt, JsonOpt, SinceOpt, StoreOpt, UntilOpt, date_range, note, print_json, settings_from_flags
from bulletin_qa.errors import UsageError

if TYPE_CHECKING:
    from bulletin_qa.answering.ask import SearchScope
    from bulletin_qa.llm.base import LLM
    from bulletin_qa.models import Answer, Hit
    from bulletin_qa.settings import Settings

Searcher = Callable[[str], "tuple[list[Hit], SearchScope]"]


class Lang(str, Enum):
    """--lang values."""

    zh = "zh"
    en = "en"


LangOpt = Annotated[Optional[Lang], typer.Option("--lang", help="Answer language [default: the question's].")]
KOpt = Annotated[int, typer.Option("-k", help="How many articles to retrieve and give as sources.", min=1, max=50)]
NoStreamOpt = Annotated[bool, typer.Option("--no-stream", help="Print the answer when complete instead of streaming it.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Ask the LLM again instead of reusing a cached reply.")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="Chat model [env: BULLETIN_QA_CHAT_MODEL].")]
EXIT_WORDS = {"exit", "quit", "退出", ":q"}




def build_llm(settings: "Settings", *, cache: bool) -> "LLM | None":
    """The chat LLM, or None offline. Tests replace this function to inject a FakeLLM."""
    from bulletin_qa.llm import make_llm

    return make_llm(settings, cache=cache)


def build_searcher(settings: "Settings", *, k: int, since: dt.date | None, until: dt.date | None) -> Searcher:
    """A function from a question to (hits, what was searched), over the configured store."""
    from bulletin_qa.factory import make_embedder, open_store
    from bulletin_qa.answering.ask import SearchScope
    from bulletin_qa.retrieval.hybrid import search

    embedder = make_embedder(settings)
    store = open_store(settings, embedder)
    in_scope = len(store.list_articles(since, until)) if (since or until) else int(store.stats()["articles"])

    def run(question: str) -> "tuple[list[Hit], SearchScope]":
        """Search the store for `question`."""
        hits = search(question, store=store, embedder=embedder, k=k, since=since, until=until)
        return hits, SearchScope(since=since, until=until, articles=in_scope, retrieved=len(hits))

    return run


def _stream(piece: str) -> None:
    sys.stdout.write(piece)
    sys.stdout.flush()


def _with_cost(answer: "Answer") -> "Answer":
    """The answer with its usage's estimated USD cost filled in when the model's price is known."""
    if answer.usage.cost_usd is not None or not answer.model or not answer.usage.calls:
        return answer
    from bulletin_qa.llm.pricing import estimate_cost

    usage = answer.usage.model_copy(update={"cost_usd": estimate_cost(answer.model, answer.usage)})
    return answer.model_copy(update={"usage": usage})


def _usage_line(answer: "Answer") -> str | None:
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


def highlighted(answer: "Answer") -> str:
    """The answer text with each quote's answer span marked 【…】 (offsets from answer.evidence)."""
    lines = answer.answer.splitlines()
    for e in answer.evidence:
        if e.span is None:
            continue
        plain = f"“{e.quote}” [{e.n}]"
        a, b = e.span
        marked = f"“{e.quote[:a]}{SPAN_OPEN}{e.quote[a:b]}{SPAN_CLOSE}{e.quote[b:]}” [{e.n}]"
        lines = [marked if line == plain else line for line in lines]
    return "\n".join(lines)


def render(answer: "Answer", *, streamed: bool) -> None:
    """Print an answer for people: text (unless streamed), flagged sentences, cited articles; usage to stderr."""
    from bulletin_qa.text.sentences import detect_lang

    zh = detect_lang(answer.answer or answer.question) == "zh"
    if streamed and not answer.refused:
        typer.echo("")
    elif answer.evidence:
        typer.echo(highlighted(answer))
    else:
        typer.echo(answer.answer)
    if answer.unsupported:
        typer.echo("\n⚠ 以下句子未能在所引来源中核实：" if zh else "\n⚠ Not verified against the cited sources:")
        for line in answer.unsupported:
            typer.echo(f"  - {line}")
    if answer.citations:
        typer.echo("\n来源：" if zh else "\nSources:")
        for c in answer.citations:
            date = c.date.isoformat() if c.date else ("日期不详" if zh else "undated")
            mark = "" if c.verified else (" ［未核实］" if zh else " [unverified]")
            typer.echo(f"  [{c.n}] {c.title} ({date}) {c.article_id}{mark}")
    if answer.refused and answer.looked_at:
        typer.echo("\n已查看的文章（可用 bulletin-qa show ID 阅读）：" if zh
                   else "\nArticles looked at (read one with bulletin-qa show ID):")
        for c in answer.looked_at:
            date = c.date.isoformat() if c.date else ("日期不详" if zh else "undated")
            typer.echo(f"  {c.title} ({date}) {c.article_id}")
    if answer.mode == "extractive":
        note("Offline mode: no LLM configured, so the answer quotes article sentences. "
             "Set OPENAI_API_KEY (or OPENAI_BASE_URL) for generated answers.")
    line = _usage_line(answer)
    if line:
        note(line)


def _answer(question: str, hits: "list[Hit]", scope: "SearchScope", llm: "LLM | None", settings: "Settings",
            lang: Lang | None, stream: bool) -> "Answer":
    from bulletin_qa.answering.ask import answer_question
    from bulletin_qa.names.glossary import glossary_for

    from bulletin_qa.text.sentences import is_cjk

    # The glossary serves the citation check of generated English names and, offline, English
    # questions (their names mapped to Chinese, the quote glossed); a Chinese question offline needs none.
    wanted = llm is not None or not is_cjk(question)
    glossary = glossary_for(settings.glossary_path, explicit=settings.glossary is not None) if wanted else None
    return _with_cost(answer_question(question, hits, llm=llm, scope=scope, lang=lang.value if lang else None,
                                      on_token=_stream if (stream and llm is not None) else None,
                                      temperature=settings.temperature, glossary=glossary))


def _session(since: str | None, until: str | None, k: int, store: Path | None, chroma_url: str | None,
             embedder: str | None, model: str | None, no_cache: bool):  # type: ignore[no-untyped-def]
    """Settings, LLM (None offline) and searcher shared by `ask` and `chat`."""
    start, end = date_range(since, until)
    settings = settings_from_flags(store=store, chroma_url=chroma_url, embedder=embedder, chat_model=model,
                                   llm_cache=False if no_cache else None)
    return settings, build_llm(settings, cache=not no_cache), build_searcher(settings, k=k, since=start, until=end)


def ask(
    question: Annotated[str, typer.Argument(help="The question, in Chinese or English.")],
    lang: LangOpt = None,
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
) -> None:
    """Answer a question from the stored articles, citing them; offline, quote the best sentences."""
    if not question.strip():
        raise UsageError("The question is empty.", hint='Ask something, e.g. bulletin-qa ask "谁主持了会议？"')
    settings, llm, searcher = _session(since, until, k, store, chroma_url, embedder, model, no_cache)
    hits, scope = searcher(question)
    stream = not (no_stream or json_out)
    answer = _answer(question, hits, scope, llm, settings, lang, stream)
    if json_out:
        print_json(answer.model_dump(mode="json"))
    else:
        render(answer, streamed=stream and llm is not None)


def chat(
    lang: LangOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    k: KOpt = 5,
    no_stream: NoStreamOpt = False,
    no_cache: NoCacheOpt = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    model: ModelOpt = None,
) -> None:
    """Ask several questions in a row (one per line; 'exit' or end of input stops); follow-ups may say 他, 这个, 呢."""
    from bulletin_qa.answering.chat import ChatSession

    settings, llm, searcher = _session(since, until, k, store, chroma_url, embedder, model, no_cache)
    scopes: list[SearchScope] = []

    def search(q: str) -> "list[Hit]":
        """Search, remembering what was searched for the answer's footer."""
        hits, scope = searcher(q)
        scopes.append(scope)
        return hits

    session = ChatSession(search=search, llm=llm,
                          answer=lambda q, hits: _answer(q, hits, scopes[-1], llm, settings, lang, not no_stream))
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
        if standalone != question:
            note(f"(searching for: {standalone})")
        render(answer, streamed=not no_stream and llm is not None)
        typer.echo("")


def register(app: typer.Typer) -> None:
    """Add the ask and chat commands to the root app."""
    app.command("ask")(ask)
    app.command("chat")(chat)

