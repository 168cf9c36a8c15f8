"""Writing commands: summarize, digest, translate, glossary (thin: parse, build, call, render)."""

from __future__ import annotations

import json
from collections.abc import Callable
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
    console,
    date_range,
    note,
    open_bulletin,
    print_json,
)
from bulletin_qa.errors import LLM_HINT, NO_LLM, InputError, SourceNotFound, UsageError
from bulletin_qa.text.safe import clean, for_console

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


SECTION_HELP = "Glossary section: people, titles, institutions, places or terms."






class _Bar:
    """A progress bar on stderr (only on a terminal); `update(done, total, label)` fits the core's callback."""

    def __init__(self, what: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        err = console(stderr=True)
        self._bar = Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                             TimeRemainingColumn(), console=err, transient=True, disable=not err.is_terminal)
        self._task = self._bar.add_task("", total=None)

    def __enter__(self) -> Callable[[int, int, str], None]:
        self._bar.__enter__()
        return lambda done, total, label: self._bar.update(self._task, completed=done, total=total,
                                                             description=for_console(label))

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)  # type: ignore[arg-type]  # *exc is the (type, value, traceback) triple


def _report_usage(usage: Usage, llm_used: bool) -> None:
    """Token usage on stderr, with the estimated cost when the model's price is known."""
    if llm_used:
        note(f"LLM: {usage.calls} call(s), {usage.total_tokens} tokens"
             + (f", {usage.cached_calls} from cache" if usage.cached_calls else "")
             + (f", ~${usage.cost_usd:.4f} estimated" if usage.cost_usd else ""))


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
    with _Bar("summarising") as progress:
        found = bq.summarize(article_ids, langs=lang.codes(), length=length.value, summarizer=summarizer,
                             progress=progress)
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
    with _Bar("summarising stories") as progress:
        digests = bq.digest(since=first, until=last, langs=lang.codes(), compare=compare, summarizer=summarizer,
                            progress=progress, by=by.value, sources=source)
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
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, llm_cache=False if no_cache else None)
    translator = bq.translator()
    if digest_file is not None:
        result, issues = _translate_digest_file(translator, digest_file)
    else:
        assert article_id is not None  # exactly one of the two was given
        result = bq.translate(article_id, translator=translator)
        issues = result.number_issues + result.glossary_issues
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


def _translate_digest_file(translator: Any, path: Path) -> tuple[Any, list[str]]:
    """(translated Digest list or Translation, check findings) for a digest file."""
    from pydantic import ValidationError

    from bulletin_qa.models import Digest

    if not path.is_file():
        raise SourceNotFound(f"No digest file at {path}.", path=path,
                             hint="Write one with 'bulletin-qa digest --json --out FILE'.")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".html", ".htm"):
        raise InputError(f"{path} is HTML; translate the JSON or Markdown digest instead.", path=path,
                         hint="Write one with 'bulletin-qa digest --json --out digest.json'.")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
            digests = [Digest.model_validate(d) for d in (data if isinstance(data, list) else [data])]
        except (ValueError, ValidationError) as exc:
            raise InputError(f"{path} is not a digest written by 'bulletin-qa digest --json' ({exc}).".splitlines()[0],
                             path=path, hint="Re-create it with 'bulletin-qa digest --json --out FILE'.") from None
        done = [translator.digest(d) for d in digests if d.lang == "zh"] or digests
        return done, [w for d in done for w in d.warnings]
    translation = translator.document(text, str(path))
    return translation, translation.number_issues + translation.glossary_issues


glossary_app = typer.Typer(help="The bilingual glossary: show it, propose entries from articles, add entries.",
                           no_args_is_help=True)


@glossary_app.command("show")
def glossary_show(ctx: typer.Context, store: StoreOpt = None, chroma_url: ChromaUrlOpt = None,
                  json_out: JsonOpt = False) -> None:
    """Show the glossary in use (and check that it parses).

    --store and --chroma-url are accepted like everywhere else, so one set of flags serves every
    command; the glossary itself lives in the data directory (BULLETIN_QA_HOME), not in the store.
    """
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url)
    settings, gloss = bq.settings, bq.glossary
    if json_out:
        from bulletin_qa.rendering.records import glossary_record

        print_json(glossary_record(gloss))
        return
    from rich.table import Table

    table = Table(title=for_console(f"Glossary: {gloss.path or 'empty'} ({len(gloss)} entries)"))
    for column in ("section", "中文", "English"):
        table.add_column(column)
    for e in gloss.entries.values():
        table.add_row(*map(for_console, (e.section, e.zh, e.en)))
    console().print(table)
    if gloss.path != settings.glossary_path:
        note(f"{settings.glossary_path} does not exist yet: this is the starter glossary. "
             "'bulletin-qa glossary add' creates your copy.")


@glossary_app.command("propose")
def glossary_propose(
    ctx: typer.Context,
    out: OutOpt = None,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Only names mentioned this often.")] = 1,
    since: SinceOpt = None,
    until: UntilOpt = None,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Propose entries for names in the stored articles, written to a review file (nothing is merged)."""
    from bulletin_qa.names.propose import propose, write_review

    start, end = date_range(since, until)
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url)
    found = bq.articles(start, end)
    if not found:
        raise InputError("No stored articles to read names from.", hint="Ingest pages first: bulletin-qa ingest PATH.")
    proposals = propose(found, bq.glossary, min_count=min_count)
    review = out or bq.settings.home / "glossary.review.toml"
    write_review(proposals, review, len(found))
    if json_out:
        print_json([p.model_dump(mode="json") for p in proposals])
    else:
        from rich.table import Table

        table = Table(title=f"{len(proposals)} proposed entries from {len(found)} articles")
        for column in ("section", "中文", "English", "mentions", "confidence", "with title", "note"):
            table.add_column(column)
        for p in proposals:
            pair = f"{p.title}{p.zh} -> {p.with_title}" if p.with_title else ""
            table.add_row(*map(for_console, (p.section, p.zh, p.en, p.count, f"{p.confidence:.2f}", pair, p.note)))
        console().print(table)
    note(f"Review {review}, then merge it with: bulletin-qa glossary add --from {review}")


@glossary_app.command("add")
def glossary_add(
    ctx: typer.Context,
    zh: Annotated[str | None, typer.Argument(help="Chinese term, e.g. 樊惠林.")] = None,
    en: Annotated[str | None, typer.Argument(help="English rendering, e.g. 'Fan Huilin'.")] = None,
    section: Annotated[str | None, typer.Option("--section", "-s", help=SECTION_HELP)] = None,
    from_file: Annotated[Path | None, typer.Option("--from", help="Merge every entry of a reviewed file.")] = None,
) -> None:
    """Add one entry (ZH EN --section S) or a reviewed file's entries (--from FILE) to your glossary."""
    from bulletin_qa.names.glossary import SECTIONS, Entry, add_entries, load_glossary

    if from_file is not None and (zh or en):
        raise UsageError("Give either ZH EN --section S or --from FILE, not both.")
    if from_file is not None:
        entries = list(load_glossary(from_file).entries.values())
    elif zh and en and section:
        if section not in SECTIONS:
            raise UsageError(f"--section {section!r} is not a glossary section.", hint=SECTION_HELP)
        entries = [Entry(zh=zh.strip(), en=en.strip(), section=section)]
    else:
        raise UsageError("Nothing to add.", hint="Use: bulletin-qa glossary add 樊惠林 'Fan Huilin' --section people, "
                                                 "or --from REVIEW_FILE.")
    path = open_bulletin(ctx).settings.glossary_path
    added, kept = add_entries(path, entries)
    note(f"Added {len(added)} entr{'y' if len(added) == 1 else 'ies'} to {path}"
         + (f"; {len(kept)} already there" if kept else "") + ".")
    for e in added:
        typer.echo(clean(f"[{e.section}] {e.zh} = {e.en}"))


def register(app: typer.Typer) -> None:
    """Add the writing commands to the root app (command names are a contract)."""
    app.command("summarize")(summarize)
    app.command("digest")(digest)
    app.command("translate")(translate)
    app.add_typer(glossary_app, name="glossary")
