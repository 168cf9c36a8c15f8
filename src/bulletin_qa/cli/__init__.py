"""The `bulletin-qa` command: the root app only composes the command modules."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from bulletin_qa.cli import examples
from bulletin_qa.errors import BulletinQAError
from bulletin_qa.text.safe import clean


class _Group(TyperGroup):
    """Converts BulletinQAError, once, at the edge: `Error: ...` on stderr and a non-zero exit."""

    def invoke(self, ctx: Any) -> Any:  # click.Context (typer vendors click; its path is private)
        try:
            return super().invoke(ctx)
        except BulletinQAError as exc:
            typer.echo(f"Error: {clean(str(exc))}", err=True)  # messages may quote a server or a file
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted: nothing stored is lost; run the same command again to finish.", err=True)
            raise typer.Exit(130) from None


app = typer.Typer(
    name="bulletin-qa",
    cls=_Group,
    help="Ask questions about Chinese district news, with citations; digests and English summaries.",
    no_args_is_help=True,
    add_completion=False,  # the `completion` command instead: typer's options import shellingham on --help
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register() -> None:
    from bulletin_qa.cli import library

    library.register(app)
    from bulletin_qa.cli import evaluate

    evaluate.register(app)
    from bulletin_qa.cli import writing

    writing.register(app)
    from bulletin_qa.cli import glossary

    glossary.register(app)
    from bulletin_qa.cli import ask

    ask.register(app)
    from bulletin_qa.cli import history

    history.register(app)
    from bulletin_qa.cli import serve

    serve.register(app)


# The environment variable through which the shell asks for completions (click's convention).
COMPLETE_VAR = "_BULLETIN_QA_COMPLETE"


class Shell(StrEnum):
    """Shells with completion scripts."""

    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


def _version(value: bool) -> None:
    if value:
        from bulletin_qa import __version__

        typer.echo(f"bulletin-qa {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Ask questions about Chinese district news, with citations; digests and English summaries."""


def completion(shell: Annotated[Shell, typer.Argument(help="The shell to complete in.")]) -> None:
    """Print the shell completion script; load it from your shell's start-up file."""
    from typer._completion_shared import get_completion_script  # typer's own scripts, imported only here

    typer.echo(get_completion_script(prog_name="bulletin-qa", complete_var=COMPLETE_VAR,
                                     shell=shell.value))


_register()
app.command("completion")(completion)
examples.apply(app)


def main() -> None:
    """Console entry point."""
    if COMPLETE_VAR in os.environ:  # a completion request from the script `completion` prints
        from typer._completion_classes import completion_init

        completion_init()
    app(prog_name="bulletin-qa", complete_var=COMPLETE_VAR)
