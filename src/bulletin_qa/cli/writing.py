"""Writing commands: summarize, digest, translate (thin: parse, build, call, render)."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bulletin_qa.cli.common import (
    ChromaUrlOpt,
    EmbedderOpt,
    JsonOpt,
    Languages,
    LanguagesOpt,
    NoCacheOpt,
    OutOpt,
    SinceOpt,
    StoreOpt,
    UntilOpt,
    date_range,
    note,
    open_bulletin,
    print_json,
)
from bulletin_qa.cli.progress import progress
from bulletin_qa.errors import LLM_HINT, NO_LLM, UsageError
from bulletin_qa.text.safe import clean

if TYPE_CHECKING:
    from bulletin_qa.models import Usage


class LengthChoice(StrEnum):
    """--length values."""

    short = "short"
    long = "long"


class FormatChoice(StrEnum):
    """--format values."""

    md = "md"
    html = "html"


def _report_usage(usage: Usage, llm_used: bool) -> None:
    """Token usage on stderr, with the estimated cost when the model's price is known."""
    if llm_used:
        note(f"LLM: {usage.calls} call(s), {usage.total_tokens} tokens"
             + (f", {usage.cached_calls} from cache" if usage.cached_calls else "")
             + (f", ~${usage.cost_usd:.4f} estimated" if usage.cost_usd else ""))


def _check_out(out: Path | None) -> None:
    """Refuse an --out that cannot be written before any work is done (and any LLM call paid for)."""
    if out is None:
        return
    if out.is_dir():
        raise UsageError(f"--out {out} is a directory.", hint=f"Give a file name, e.g. --out {out / 'digest.md'}.")
    existing = next((p for p in (out.parent, *out.parent.parents) if p.exists()), None)
    if existing is not None and (not existing.is_dir() or not os.access(existing, os.W_OK)):
        raise UsageError(f"Cannot write --out {out}: {existing} is not a directory you can write to.",
                         hint="Choose a file in a directory you can write to.")


def _emit(text: str, out: Path | None) -> None:
    text = clean(text)  # files get the same: a digest is read with `cat` and pasted into terminals too
    if out is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    if out.is_dir():
        raise UsageError(f"--out {out} is a directory.", hint=f"Give a file name, e.g. --out {out / 'digest.md'}.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot write --out {out}: {exc.strerror or exc}.",
                         hint="Choose a file in a directory you can write to (the output was not saved; "
                              "running again reuses cached LLM replies).") from None
    note(f"Wrote {out}")


def _json_text(data: Any) -> str:
    from bulletin_qa.cli.common import json_text

    return json_text(data)


def summarize(
    ctx: typer.Context,
    article_ids: Annotated[list[str], typer.Argument(help="Article ids (see `bulletin-qa articles`).")],
    lang: LanguagesOpt = Languages.zh,
    length: Annotated[LengthChoice, typer.Option("--length", help="short (~100 字) or long (~300 字).")] = (
        LengthChoice.short),
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    no_cache: NoCacheOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Summarise articles, each citing its source (offline: extractive Chinese)."""
    from bulletin_qa.rendering.markdown import summaries_markdown

    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, llm_cache=False if no_cache else None)
    summarizer = bq.summarizer()
    with progress("summarising") as update:
        found = bq.summarize(article_ids, langs=lang.codes(), length=length.value, summarizer=summarizer,
                             progress=update)
    if json_out:
        print_json([s.model_dump(mode="json") for s in found])
    else:
        typer.echo(clean(summaries_markdown(found)))
    if any(s.mode == "glossary" for s in found):
        note(f"{NO_LLM}: English summaries list only the names. {LLM_HINT}")
    for s in found:
        for warning in s.warnings:
            note(f"warning: {s.article_id} ({s.lang}): {warning}")
    _report_usage(summarizer.usage, summarizer.llm is not None)


class ByChoice(StrEnum):
    """--by values."""

    page = "page"
    event = "event"


def digest(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option("--week", help="ISO week, e.g. 2023-W18.")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    lang: LanguagesOpt = Languages.zh,
    fmt: Annotated[FormatChoice, typer.Option("--format", help="md (email, chat) or html (one file).")] = (
        FormatChoice.md),
    out: OutOpt = None,
    compare: Annotated[bool, typer.Option("--compare",
                                          help="Mark stories new or continuing from the period before.")] = False,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Only articles from this source file (repeat for several), e.g. erqi-2023-05.txt.")] = None,
    by: Annotated[ByChoice, typer.Option(
        "--by", help="Place articles in the range by the date of the page they were printed on (page; "
                     "articles without one by their own date) or by their own dateline date (event).")] = ByChoice.page,
    masthead: Annotated[str | None, typer.Option(
        "--masthead", help="Paper or district name heading the digest [env: BULLETIN_QA_MASTHEAD].")] = None,
    provenance: Annotated[bool, typer.Option(
        "--provenance", help="Show model, prompt, checks and article ids in the output (for editors; "
                             "--out always writes them to FILE.provenance.json).")] = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    no_cache: NoCacheOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Digest the articles of a week (default: the newest week), most significant first, ready to publish."""
    from bulletin_qa.rendering.html import digests_html
    from bulletin_qa.rendering.markdown import digests_markdown
    from bulletin_qa.writing.digest import digest_provenance, resolve_range

    start, end = date_range(since, until)
    _check_out(out)
    if week and (start or end):
        resolve_range(week, start, end, lambda: None)  # raises the usage error before any work
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, embedder=embedder, masthead=masthead,
                       llm_cache=False if no_cache else None)
    bq.store  # noqa: B018  # opened and checked against the embedder before any work
    first, last = bq.digest_range(week, start, end, by=by.value, sources=source)
    if not (week or start or end):
        note(f"No --week/--since/--until: digest of {first} to {last}, the week of the newest "
             f"{'page' if by == ByChoice.page else 'article'}.")
    summarizer = bq.summarizer()
    with progress("summarising stories") as update:
        digests = bq.digest(since=first, until=last, langs=lang.codes(), compare=compare, summarizer=summarizer,
                            progress=update, by=by.value, sources=source)
    if json_out:
        data = [d.model_dump(mode="json") for d in digests]
        _emit(_json_text(data[0] if len(data) == 1 else data), out)
    else:
        render = digests_html if fmt == FormatChoice.html else digests_markdown
        _emit(render(digests, provenance=provenance), out)
        if out is not None:
            _emit(_json_text(digest_provenance(digests)), out.with_name(out.name + ".provenance.json"))
    for d in digests:
        for warning in d.warnings:
            note(f"warning ({d.lang}): {warning}")
    _report_usage(summarizer.usage, summarizer.llm is not None)


def translate(
    ctx: typer.Context,
    article_id: Annotated[str | None, typer.Argument(help="Article id to translate.")] = None,
    digest_file: Annotated[Path | None, typer.Option("--digest",
                                                     help="A digest file (--json output or Markdown).")] = None,
    to: Annotated[str, typer.Option("--to", help="Target language (en).")] = "en",
    out: OutOpt = None,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    no_cache: NoCacheOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Translate an article or a digest into English, checking numbers and glossary names."""
    from bulletin_qa.rendering.markdown import digests_markdown, translation_markdown

    if to != "en":
        raise UsageError(f"--to {to!r} is not supported.", hint="Use --to en.")
    if (article_id is None) == (digest_file is None):
        raise UsageError("Give either an ARTICLE_ID or --digest FILE (exactly one).",
                         hint="e.g. bulletin-qa translate erqi-2023-05-01 --to en")
    _check_out(out)
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, llm_cache=False if no_cache else None)
    translator = bq.translator()
    if digest_file is not None:
        result, issues = bq.translate_digest_file(digest_file, translator=translator)
    else:
        assert article_id is not None  # exactly one of the two was given
        result = bq.translate(article_id, translator=translator)
        issues = result.number_issues + result.glossary_issues + result.english_issues
    if json_out:
        _emit(_json_text(result.model_dump(mode="json") if not isinstance(result, list)
                         else [d.model_dump(mode="json") for d in result]), out)
    elif isinstance(result, list):
        _emit(digests_markdown(result), out)
    else:
        _emit(translation_markdown(result), out)
    for issue in issues:
        note(f"check: {issue}")
    _report_usage(translator.usage, True)


def register(app: typer.Typer) -> None:
    """Add the writing commands to the root app (command names are a contract)."""
    app.command("summarize")(summarize)
    app.command("digest")(digest)
    app.command("translate")(translate)
