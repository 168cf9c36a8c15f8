"""The history command: questions asked before, with their answers (thin: parse, read the log, render)."""

from __future__ import annotations

from typing import Annotated

import typer

from bulletin_qa.cli.common import JsonOpt, console, note, print_json, settings_from_flags

ANSWER_CHARS = 80


def history(
    search: Annotated[str | None, typer.Option("--search", "-s", help="Only turns whose question or answer "
                                                                        "contains this text.")] = None,
    conversation: Annotated[str | None, typer.Option("--cid", help="Only this conversation, oldest first.")] = None,
    limit: Annotated[int, typer.Option("-n", "--limit", min=1, max=1000, help="How many turns to show.")] = 20,
    json_out: JsonOpt = False,
) -> None:
    """Show the questions asked before (newest first) with their answers, citations and model."""
    from bulletin_qa.history import open_history

    settings = settings_from_flags()
    log = open_history(settings)
    if log is None:
        note("The history is off (BULLETIN_QA_HISTORY=0): nothing is kept.")
        if json_out:
            print_json([])
        return
    entries = log.entries(search=search, conversation=conversation, limit=limit)
    if conversation:
        entries.reverse()
    if json_out:
        print_json([e.model_dump(mode="json") for e in entries])
        return
    if not entries:
        note(f"No questions in {log.path}" + (f" matching {search!r}." if search else "."))
        return
    from rich.table import Table

    from bulletin_qa.text.safe import for_console

    table = Table(title=for_console(f"{len(entries)} question(s) from {log.path}"))
    for column in ("time", "conversation", "question", "answer", "sources", "model"):
        table.add_column(column, overflow="fold", no_wrap=column in ("time", "conversation"))
    for e in entries:
        answer = " ".join(e.answer.split())
        answer = answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS] + "…"
        table.add_row(e.time.strftime("%Y-%m-%d %H:%M"), for_console(e.conversation), for_console(e.question),
                      for_console(("[refused] " if e.refused else "") + answer),
                      for_console(" ".join(c.article_id for c in e.citations)), for_console(e.model or e.mode))
    console().print(table)
    note("Continue the newest conversation with: bulletin-qa ask --continue \"…\" (or --cid ID).")


def register(app: typer.Typer) -> None:
    """Add the history command to the root app."""
    app.command("history")(history)
