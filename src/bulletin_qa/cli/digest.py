"""Writing commands: summarize, digest, translate, glossary (thin: parse, build, call, render)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Optional

import typer

from bulletin_qa.cli.common import (
    ChromaUrlOpt,
    EmbedderOpt,
    JsonOpt,
    SinceOpt,
    StoreOpt,
    UntilOpt,
    console,
    date_range,
    note,
    print_json,
    settings_from_flags,
)
from bulletin_qa.errors import InputError, SourceNotFound, UsageError

if TYPE_CHECKING:
    from bulletin_qa.names.glossary import Glossary
    from bulletin_qa.writing.summarize import Summarizer
    from bulletin_qa.models import Usage
    from bulletin_qa.settings import Settings


class LangChoice(str, Enum):
    """--lang values."""

    zh = "zh"
    en = "en"
    both = "both"


class LengthChoice(str, Enum):
    """--length values."""

    short = "short"
    long = "long"


class FormatChoice(str, Enum):
    """--format values."""

    md = "md"
    html = "html"


LangOpt = Annotated[LangChoice, typer.Option("--lang", help="Output language: zh, en (needs an LLM) or both.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Ask the LLM again instead of reusing cached output.")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout.")]
SECTION_HELP = "Glossary section: people, titles, institutions, places or terms."




def _langs(lang: LangChoice) -> list[str]:
    return ["zh", "en"] if lang == LangChoice.both else [lang.value]


def _glossary(settings: "Settings") -> "Glossary":
    from bulletin_qa.names.glossary import glossary_for

    return glossary_for(settings.glossary_path, explicit=settings.glossary is not None)


def _summarizer(settings: "Settings", no_cache: bool) -> "Summarizer":
    from bulletin_qa.writing.summarize import Summarizer
    from bulletin_qa.writing.summary_cache import SummaryCache
    from bulletin_qa.llm import make_llm

    cache = SummaryCache(None if no_cache else settings.cache_dir / "summaries.sqlite")
    return Summarizer(llm=make_llm(settings, cache=not no_cache), glossary=_glossary(settings), cache=cache,
                      correct=settings.corrective_round)


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
        return lambda done, total, label: self._bar.update(self._task, completed=done, total=total, description=label)

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)  # type: ignore[arg-type]


def _report_usage(usage: "Usage", llm_used: bool) -> None:
    """Token usage on stderr, with the estimated cost when the model's price is known."""
    if llm_used:
        note(f"LLM: {usage.calls} call(s), {usage.total_tokens} tokens"
             + (f", {usage.cached_calls} from cache" if usage.cached_calls else "")
             + (f", ~${usage.cost_usd:.4f} estimated" if usage.cost_usd else ""))


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    note(f"Wrote {out}")


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def summarize(
    article_ids: Annotated[list[str], typer.Argument(help="Article ids (see `bulletin-qa articles`).")],
    lang: LangOpt = LangChoice.zh,
    length: Annotated[LengthChoice, typer.Option("--length", help="short (~100 字) or long (~300 字).")] = LengthChoice.short,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    no_cache: NoCacheOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Summarise articles, each citing its source (offline: extractive Chinese)."""
    from bulletin_qa.factory import open_store
    from bulletin_qa.writing.summarize import LLM_HINT, summarize_ids
    from bulletin_qa.rendering.markdown import summaries_markdown

    settings = settings_from_flags(store=store, chroma_url=chroma_url)
    summarizer = _summarizer(settings, no_cache)
    lib = open_store(settings, None)
    with _Bar("summarising") as progress:
        found = summarize_ids(lib, article_ids, langs=_langs(lang), length=length.value,  # type: ignore[arg-type]
                              summarizer=summarizer, on_progress=progress)
    if json_out:
        print_json([s.model_dump(mode="json") for s in found])
    else:
        typer.echo(summaries_markdown(found))
    if any(s.mode == "glossary" for s in found):
        note(f"No LLM configured: English summaries list only the names. {LLM_HINT}")
    for s in found:
        for warning in s.warnings:
            note(f"warning: {s.article_id} ({s.lang}): {warning}")
    _report_usage(summarizer.usage, summarizer.llm is not None)


def digest(
    week: Annotated[Optional[str], typer.Option("--week", help="ISO week, e.g. 2023-W18.")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    lang: LangOpt = LangChoice.zh,
    fmt: Annotated[FormatChoice, typer.Option("--format", help="md (email, chat) or html (one self-contained file).")] = FormatChoice.md,
    out: OutOpt = None,
    compare: Annotated[bool, typer.Option("--compare", help="Mark stories new or continuing from the period before.")] = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    no_cache: NoCacheOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Digest the articles of a week (default: the week of the newest article), most significant first."""
    from bulletin_qa.factory import make_embedder, open_store
    from bulletin_qa.writing.digest import make_digests, newest_date, resolve_range
    from bulletin_qa.rendering.html import digests_html
    from bulletin_qa.rendering.markdown import digests_markdown

    start, end = date_range(since, until)
    if week and (start or end):
        resolve_range(week, start, end, lambda: None)  # raises the usage error before any work
    settings = settings_from_flags(store=store, chroma_url=chroma_url, embedder=embedder)
    emb = make_embedder(settings)
    lib = open_store(settings, emb)
    first, last = resolve_range(week, start, end, lambda: newest_date(lib))
    if not (week or start or end):
        note(f"No --week/--since/--until: digest of {first} to {last}, the week of the newest article.")
    summarizer = _summarizer(settings, no_cache)
    with _Bar("summarising stories") as progress:
        digests = make_digests(lib, since=first, until=last, langs=_langs(lang), summarizer=summarizer,  # type: ignore[arg-type]
                               embedder=emb, compare=compare, on_progress=progress)
    if json_out:
        data = [d.model_dump(mode="json") for d in digests]
        _emit(_json_text(data[0] if len(data) == 1 else data), out)
    else:
        _emit(digests_html(digests) if fmt == FormatChoice.html else digests_markdown(digests), out)
    for d in digests:
        for warning in d.warnings:
            note(f"warning ({d.lang}): {warning}")
    _report_usage(summarizer.usage, summarizer.llm is not None)


def translate(
    article_id: Annotated[Optional[str], typer.Argument(help="Article id to translate.")] = None,
    digest_file: Annotated[Optional[Path], typer.Option("--digest", help="A digest file (--json output or Markdown).")] = None,
    to: Annotated[str, typer.Option("--to", help="Target language (en).")] = "en",
    out: OutOpt = None,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    no_cache: NoCacheOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Translate an article or a digest into English, checking numbers and glossary names."""
    from bulletin_qa.writing.translate import Translator
    from bulletin_qa.llm import make_llm
    from bulletin_qa.rendering.markdown import digests_markdown, translation_markdown

    if to != "en":
        raise UsageError(f"--to {to!r} is not supported.", hint="Use --to en.")
    if (article_id is None) == (digest_file is None):
        raise UsageError("Give either an ARTICLE_ID or --digest FILE (exactly one).",
                         hint="e.g. bulletin-qa translate erqi-2023-05-01 --to en")
    settings = settings_from_flags(store=store, chroma_url=chroma_url)
    translator = Translator(llm=make_llm(settings, cache=not no_cache), glossary=_glossary(settings),
                            correct=settings.corrective_round)
    if digest_file is not None:
        result, issues = _translate_digest_file(translator, digest_file)
    else:
        from bulletin_qa.factory import open_store

        article = open_store(settings, None).require_article(article_id)
        result = translator.article(article)
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
    return translation, translation.number_issues + translation.glossary_issues + translation.english_issues


glossary_app = typer.Typer(help="The bilingual glossary: show it, propose entries from articles, add entries.",
                           no_args_is_help=True)


@glossary_app.command("show")
def glossary_show(json_out: JsonOpt = False) -> None:
    """Show the glossary in use (and check that it parses)."""
    settings = settings_from_flags()
    gloss = _glossary(settings)
    if json_out:
        data: dict[str, dict[str, str]] = {}
        for e in gloss.entries.values():
            data.setdefault(e.section, {})[e.zh] = e.en
        print_json({"path": str(gloss.path) if gloss.path else None, "entries": data})
        return
    from rich.table import Table

    table = Table(title=f"Glossary: {gloss.path or 'empty'} ({len(gloss)} entries)")
    for column in ("section", "中文", "English"):
        table.add_column(column)
    for e in gloss.entries.values():
        table.add_row(e.section, e.zh, e.en)
    console().print(table)
    if gloss.path != settings.glossary_path:
        note(f"{settings.glossary_path} does not exist yet: this is the starter glossary. "
             "'bulletin-qa glossary add' creates your copy.")


@glossary_app.command("propose")
def glossary_propose(
    out: OutOpt = None,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Only names mentioned this often.")] = 1,
    since: SinceOpt = None,
    until: UntilOpt = None,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Propose entries for names in the stored articles, written to a review file (nothing is merged)."""
    from bulletin_qa.factory import open_store
    from bulletin_qa.names.propose import propose, write_review

    start, end = date_range(since, until)
    settings = settings_from_flags(store=store, chroma_url=chroma_url)
    found = open_store(settings, None).list_articles(start, end)
    if not found:
        raise InputError("No stored articles to read names from.", hint="Ingest pages first: bulletin-qa ingest PATH.")
    proposals = propose(found, _glossary(settings), min_count=min_count)
    review = out or settings.home / "glossary.review.toml"
    write_review(proposals, review, len(found))
    if json_out:
        print_json([p.model_dump(mode="json") for p in proposals])
    else:
        from rich.table import Table

        table = Table(title=f"{len(proposals)} proposed entries from {len(found)} articles")
        for column in ("section", "中文", "English", "mentions", "note"):
            table.add_column(column)
        for p in proposals:
            table.add_row(p.section, p.zh, p.en, str(p.count), p.note)
        console().print(table)
    note(f"Review {review}, then merge it with: bulletin-qa glossary add --from {review}")


@glossary_app.command("add")
def glossary_add(
    zh: Annotated[Optional[str], typer.Argument(help="Chinese term, e.g. 樊惠林.")] = None,
    en: Annotated[Optional[str], typer.Argument(help="English rendering, e.g. 'Fan Huilin'.")] = None,
    section: Annotated[Optional[str], typer.Option("--section", "-s", help=SECTION_HELP)] = None,
    from_file: Annotated[Optional[Path], typer.Option("--from", help="Merge every entry of a reviewed file.")] = None,
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
    path = settings_from_flags().glossary_path
    added, kept = add_entries(path, entries)
    note(f"Added {len(added)} entr{'y' if len(added) == 1 else 'ies'} to {path}"
         + (f"; {len(kept)} already there" if kept else "") + ".")
    for e in added:
        typer.echo(f"[{e.section}] {e.zh} = {e.en}")


def register(app: typer.Typer) -> None:
    """Add the writing commands to the root app (command names are a contract)."""
    app.command("summarize")(summarize)
    app.command("digest")(digest)
    app.command("translate")(translate)
    app.add_typer(glossary_app, name="glossary")
