"""The `bulletin-qa` command: the root app only composes the command modules."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from bulletin_qa.errors import BulletinQAError
from bulletin_qa.text.safe import clean


class _Group(TyperGroup):
    """Converts BulletinQAError, once, at the edge: `Error: ...` on stderr and a non-zero exit."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
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
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register() -> None:
    from bulletin_qa.cli import library

    library.register(app)
    from bulletin_qa.cli import evaluate

    evaluate.register(app)
    from bulletin_qa.cli import digest

    digest.register(app)
    from bulletin_qa.cli import ask

    ask.register(app)
    from bulletin_qa.cli import history

    history.register(app)
    from bulletin_qa.cli import serve

    serve.register(app)


_register()


def main() -> None:
    """Console entry point."""
    app()
