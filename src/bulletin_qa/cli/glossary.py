"""The glossary command group: show, propose, add (thin: parse, build, call, render)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bulletin_qa.cli.common import (
    ChromaUrlOpt,
    JsonOpt,
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
from bulletin_qa.errors import InputError, UsageError
from bulletin_qa.text.safe import clean, for_console

SECTION_HELP = "Glossary section: people, titles, institutions, places or terms."


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
    """Add the glossary group to the root app (command names are a contract)."""
    app.add_typer(glossary_app, name="glossary")
