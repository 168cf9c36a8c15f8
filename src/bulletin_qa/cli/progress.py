"""Progress of long work on stderr: a bar on a terminal, plain lines when piped or logged.

    with progress("embedding chunks") as update:
        core_function(..., progress=update)      # update(done, total) or update(done, total, label)

When stderr is not a terminal a line like `embedding chunks: 640/6400` is printed at the start,
about every 10% and at the end, so a log shows the work is alive (a 50 MB corpus takes minutes).
Used by ingest, summarize and digest; eval prints `lines` on a terminal too. Labels are outside
text (article ids, headlines): they are cleaned before they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer

from bulletin_qa.text.safe import clean, for_console

Update = Callable[..., None]
_STEPS = 10  # plain lines per run, besides the first


@contextmanager
def progress(what: str) -> Iterator[Update]:
    """A callback update(done, total, label="") drawing a bar on a terminal, else printing lines."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from bulletin_qa.cli.common import console

    err = console(stderr=True)
    if err.is_terminal:
        bar = Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                       TimeRemainingColumn(), console=err, transient=True)
        with bar:
            task = bar.add_task("", total=None)
            yield lambda done, total, label="": bar.update(task, completed=done, total=total,
                                                           description=for_console(label))
        return
    yield lines(what)


def lines(what: str, every: int | None = None) -> Update:
    """A callback update(done, total, label="") printing `what: done/total` lines to stderr: at the
    start, about every 10% (every `every` items when given) and at the end. Eval uses it directly
    (its per-question lines stay lines on a terminal too), `progress` when stderr is not a terminal."""
    shown = {"step": -1}

    def line(done: int, total: int, label: str = "") -> None:
        if not total:  # nothing to do: say nothing
            return
        step = done // every if every else done * _STEPS // total
        if step != shown["step"] or (done == total and shown.get("end") is None):
            shown["step"] = step
            if done == total:
                shown["end"] = 1
            typer.echo(f"{what}: {done}/{total}" + (f" {clean(label)}" if label else ""), err=True)

    return line
