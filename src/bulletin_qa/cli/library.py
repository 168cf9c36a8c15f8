"""Library commands: ingest, articles, show, search, stats, check (thin: parse, open the library, call it, render)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    open_bulletin,
    parse_date,
    print_json,
    title_or_opening,
)
from bulletin_qa.rendering.records import article_row, hit_record
from bulletin_qa.text.safe import clean, display_url, for_console

if TYPE_CHECKING:
    from rich.table import Table

    from bulletin_qa.models import Article, IngestReport

NoWaitOpt = Annotated[bool, typer.Option(
    "--no-wait", help="Fail at once when another process is writing to the store (default: wait).")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Only articles from this source file name.")]
MAX_WARNINGS_SHOWN = 10
SNIPPET_CHARS = 120




def _date_label(article: Article) -> str:
    if article.date is None:
        return "?"
    return f"~{article.date}" if article.date_approximate else str(article.date)


def _render_report(report: IngestReport, location: str) -> None:
    from rich.table import Table

    table = Table(title="Ingest", show_header=False)
    for label, value in [
        ("files", report.files),
        ("articles new", report.articles_new),
        ("articles updated", report.articles_updated),
        ("articles unchanged", report.articles_unchanged),
        ("articles removed", report.articles_removed),
        ("chunks added", report.chunks_added),
        ("chunks deleted", report.chunks_deleted),
        ("keyword index", "unchanged" if report.keyword_index_seconds is None
         else f"rebuilt in {report.keyword_index_seconds:.1f} s"),
        ("time", f"{report.seconds:.1f} s"),
        ("store", location),
    ]:
        table.add_row(label, for_console(value))
    console().print(table)


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Page .txt files, .jsonl corpora, or folders of them.")],
    date: Annotated[str | None, typer.Option("--date", help="Print date of the pages, YYYY-MM-DD.")] = None,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    prune: Annotated[bool, typer.Option(
        "--prune", help="Delete stored articles of these sources that the sources no longer contain.")] = False,
    no_wait: NoWaitOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Read pages or corpora and store their articles (unchanged articles are skipped)."""
    page_date = parse_date(date, "--date")
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, embedder=embedder)
    from bulletin_qa.cli.progress import progress

    with progress("embedding chunks (then the keyword index)") as update:
        report = bq.ingest(paths, date=page_date, prune=prune, progress=update, wait=not no_wait, on_wait=note)
    location = display_url(bq.settings.chroma_url) if bq.settings.chroma_url else str(bq.settings.store)
    if json_out:
        print_json({**report.model_dump(mode="json"), "store": location})
    else:
        _render_report(report, location)
    if report.stale:
        note(f"{len(report.stale)} stored article(s) of these sources are no longer in them (e.g. "
             f"{report.stale[0]}); they were kept. Run the same ingest with --prune to delete them.")
    for skipped in report.skipped:
        note(f"skipped: {skipped}")
    for warning in report.warnings[:MAX_WARNINGS_SHOWN]:
        note(f"warning: {warning}")
    if len(report.warnings) > MAX_WARNINGS_SHOWN:
        note(f"... and {len(report.warnings) - MAX_WARNINGS_SHOWN} more warnings (all are in --json output).")


def articles(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: SourceOpt = None,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List stored articles, oldest first ('~' marks a date taken from the page, not the article)."""
    start, end = date_range(since, until)
    found = open_bulletin(ctx, store=store, chroma_url=chroma_url).articles(start, end, source)
    if json_out:
        print_json([article_row(a) for a in found])
        return
    out = console()
    out.print(_articles_table(found, out.width))


# Columns added to id, date and title only while the title keeps TITLE_MIN columns (20 Chinese
# characters, a typical headline): in 80 columns the table is id, date, title.
TITLE_MIN = 40
EXTRA_COLUMNS = (("reporters", 14), ("source", 22), ("subtitle", 24))


def _articles_table(found: list[Article], width: int) -> Table:
    """One line per article: cells that do not fit end in '…' instead of wrapping (titles stay readable)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    id_width = max((len(a.id) for a in found), default=2)
    room = width - id_width - len("~2023-05-06") - TITLE_MIN - 8  # 8: the cell padding of three columns
    extras = []
    for name, need in EXTRA_COLUMNS:
        if room >= need + 2:
            extras.append(name)
            room -= need + 2
    table = Table(title=f"{len(found)} articles", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("id", no_wrap=True, min_width=id_width)
    table.add_column("date", no_wrap=True, min_width=len("~2023-05-06"))
    table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=3)
    for name in extras:
        table.add_column(name, no_wrap=True, overflow="ellipsis", ratio=1)
    for a in found:
        values = {"reporters": "、".join(a.reporters), "source": a.source, "subtitle": a.subtitle}
        title = Text(clean(a.title)) if a.title else Text(clean(title_or_opening("", a.text)), style="dim")
        # Text cells: article text is shown as it is (controls removed), never read as rich markup.
        table.add_row(Text(clean(a.id)), Text(_date_label(a)), title, *(Text(clean(values[name])) for name in extras))
    return table


def show(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(help="An id from `bulletin-qa articles`.")],
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Show one stored article in full."""
    article = open_bulletin(ctx, store=store, chroma_url=chroma_url).article(article_id)
    if json_out:
        print_json(article.model_dump(mode="json"))
        return
    out = console()
    out.print(for_console(title_or_opening(article.title, article.text)), style="bold")
    if article.subtitle:
        out.print(for_console(article.subtitle))
    people = "、".join(article.reporters + article.correspondents)
    out.print(for_console(f"{article.id} | {_date_label(article)} | {article.source} #{article.position}"
                          + (f" | {article.dateline}" if article.dateline else "")
                          + (f" | {people}" if people else "")))
    out.print()
    out.print(for_console(article.text))


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for, in Chinese or English words.")],
    k: Annotated[int, typer.Option("-k", help="Number of articles to return.")] = 5,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: SourceOpt = None,
    mode: Annotated[str, typer.Option("--mode", help="hybrid (default), bm25 or dense.")] = "hybrid",
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Find the articles that best match a query (keyword + semantic search)."""
    start, end = date_range(since, until)
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, embedder=embedder)
    hits = bq.search(query, k=k, since=start, until=end, source=source, mode=mode)
    if json_out:
        print_json([hit_record(i, h) for i, h in enumerate(hits, 1)])
        return
    if not hits:
        note("No matching articles.")
        return
    out = console()
    for i, hit in enumerate(hits, 1):
        best = hit.chunks[0].chunk.text if hit.chunks else hit.article.text
        snippet = " ".join(best.split())
        out.print(for_console(f"{i}. {title_or_opening(hit.article.title, hit.article.text)}"), style="bold", end="")
        out.print(for_console(f"  {hit.article.id} · {_date_label(hit.article)} · score {hit.score:.3f}"), style="dim")
        # soft_wrap: the terminal wraps the line; rich would break it at the first space instead.
        out.print(for_console(f"   {snippet[:SNIPPET_CHARS]}{'…' if len(snippet) > SNIPPET_CHARS else ''}"),
                  soft_wrap=True)


def stats(
    ctx: typer.Context,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Counts, embedder, location and date range of the store."""
    info = open_bulletin(ctx, store=store, chroma_url=chroma_url).stats()
    if json_out:
        print_json(info)
        return
    from rich.table import Table

    table = Table(title="Store", show_header=False)
    for key, value in info.items():
        table.add_row(key.replace("_", " "), "-" if value is None else for_console(value))
    console().print(table)


def check(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Fix what was found from the store itself (re-chunk and re-embed damaged articles, "
                         "delete chunks of no article, rebuild the keyword index).")] = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    no_wait: NoWaitOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Check that every article has exactly its own chunks, vectors and keyword index (exit 1 if not)."""
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, embedder=embedder)
    report = bq.check(repair=repair, wait=not no_wait, on_wait=note)
    if json_out:
        print_json({**report.model_dump(mode="json"), "consistent": report.consistent})
    else:
        from rich.table import Table

        out = console()
        if report.problems:
            table = Table(title=f"{len(report.problems)} problem(s)")
            for column in ("kind", "article", "detail", "repaired"):
                table.add_column(column, overflow="fold", no_wrap=column == "article")
            for problem in report.problems:
                table.add_row(problem.kind, problem.article_id or "-", problem.detail,
                              "yes" if problem.repaired else "no")
            out.print(table)
        out.print(f"{report.articles} articles, {report.chunks} chunks, keyword index {report.keyword_index}: "
                  + ("consistent" if report.consistent else "NOT consistent") + f" ({report.store})")
    if not report.consistent:
        note("Run `bulletin-qa check --repair` to fix it from the store itself.")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the library commands to the root app (command names are a contract)."""
    app.command("ingest")(ingest)
    app.command("articles")(articles)
    app.command("show")(show)
    app.command("search")(search)
    app.command("stats")(stats)
    app.command("check")(check)
