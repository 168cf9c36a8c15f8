"""Text from articles and models is data, never control: every command that shows it, with a hostile article.

The hostile article carries rich markup, terminal escape sequences (window title, clear screen,
OSC 8 hyperlink, 8-bit CSI, carriage return) and HTML; model replies carry the same. Each command
must exit 0 (no MarkupError), print no escape or control character, show the markup literally
(rich did not obey it) and still show the words.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from bulletin_qa.llm.fake import FakeLLM
from fakes import HashingFakeEmbedder

runner = CliRunner()

MARKUP_TITLE = "河湾区[bold red]红色标题[/] 测试[/]"
ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x1b]8;;http://evil.example/\x07点我\x1b]8;;\x07\x9b31m\r\x00"
LINK = "[link=http://evil.example/]假链接[/link]"
CLICK = "[click](javascript:alert(1))"
HTML = "<script>alert(1)</script><img src=x onerror=alert(1)>"
HOSTILE_TEXT = (f"5月6日，河湾区召开防汛工作会议。{ESCAPES}区长林若溪主持会议。{LINK}会议要求做好防汛准备。"
                f"{CLICK}全区共排查隐患12处。{HTML}会议部署了下一步工作。")
ARTICLE_ID = "hostile-01"
# What no output may contain: ESC, BEL, NUL, CR, the 8-bit CSI and the window-title payload marker.
FORBIDDEN = ("\x1b", "\x07", "\x00", "\r", "\x9b")


def assert_inert(text: str, *visible: str) -> None:
    """No control character reached the output, and the given text is there as written."""
    for bad in FORBIDDEN:
        assert bad not in text, f"{bad!r} reached the output"
    for words in visible:
        assert words in text, f"{words!r} is not shown"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables wide enough that a title is not folded."""
    monkeypatch.setenv("COLUMNS", "400")


# Parts every command's library is built with (`invoke(..., obj=...)`), filled by the fixtures.
PARTS: dict[str, object] = {}


@pytest.fixture(autouse=True)
def parts() -> Iterator[None]:
    """No injected parts but those a test's fixtures set."""
    PARTS.clear()
    yield
    PARTS.clear()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store holding the hostile article (FAKE embedder for every command)."""
    corpus = tmp_path / "hostile.jsonl"
    corpus.write_text(json.dumps({"id": ARTICLE_ID, "date": "2024-05-06", "title": MARKUP_TITLE,
                                  "text": HOSTILE_TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    PARTS["embedder"] = HashingFakeEmbedder()
    monkeypatch.setenv("BULLETIN_QA_STORE", str(tmp_path / "vs"))
    result = runner.invoke(app, ["ingest", str(corpus), "--json"], obj=dict(PARTS))
    assert result.exit_code == 0, result.stderr
    return tmp_path / "vs"


def run(*args: object):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [str(a) for a in args], obj=dict(PARTS))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stderr)
    return result


@pytest.mark.parametrize(("args", "visible"), [
    (["articles"], [MARKUP_TITLE]),
    (["show", ARTICLE_ID], [MARKUP_TITLE, LINK, CLICK, HTML, "区长林若溪主持会议"]),
    (["search", "防汛工作会议"], [MARKUP_TITLE]),
    (["stats"], ["articles"]),
])
def test_library_commands_show_hostile_text_inert(store: Path, args: list[str], visible: list[str]) -> None:
    result = run(*args)
    assert_inert(result.stdout, *visible)


def test_json_output_escapes_every_control_character(store: Path) -> None:
    result = run("show", ARTICLE_ID, "--json")
    assert_inert(result.stdout)
    assert json.loads(result.stdout)["text"] == HOSTILE_TEXT  # the data itself is kept, only escaped


def test_summaries_and_digests_offline_are_inert(store: Path) -> None:
    summary = run("summarize", ARTICLE_ID)
    assert_inert(summary.stdout, MARKUP_TITLE, "河湾区召开防汛工作会议", LINK)
    assert "<script>" not in summary.stdout and "](javascript:" not in summary.stdout
    md = run("digest", "--since", "2024-05-01", "--until", "2024-05-07")
    assert_inert(md.stdout, "河湾区", "&lt;script&gt;")
    assert "<script>" not in md.stdout and "<img" not in md.stdout and CLICK not in md.stdout
    html = run("digest", "--since", "2024-05-01", "--until", "2024-05-07", "--format", "html")
    assert_inert(html.stdout, "&lt;script&gt;")
    assert "<script>" not in html.stdout


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> FakeLLM:
    """A FakeLLM for every command (one reply per request: no corrective rounds)."""
    monkeypatch.setenv("BULLETIN_QA_CORRECTIVE_ROUND", "false")
    fake = FakeLLM()
    PARTS["llm"] = fake
    return fake


HOSTILE_REPLY = f"{ESCAPES}区长林若溪主持了防汛工作会议[1]。{LINK}"


@pytest.mark.parametrize("stream", [True, False])
def test_ask_streamed_or_not_prints_no_escape(store: Path, llm: FakeLLM, stream: bool) -> None:
    llm.queue(HOSTILE_REPLY)  # FakeLLM streams one character a token: every sequence is split
    result = run("ask", "谁主持了防汛工作会议？", *([] if stream else ["--no-stream"]))
    assert_inert(result.stdout, "区长林若溪主持了防汛工作会议[1]。", LINK, "测试")


def test_chat_prints_no_escape(store: Path, llm: FakeLLM) -> None:
    llm.queue(HOSTILE_REPLY, f"防汛{ESCAPES}会议", f"全区共排查隐患12处[1]。{ESCAPES}")
    result = runner.invoke(app, ["chat"], input="谁主持了防汛工作会议？\n排查了多少隐患呢？\n", obj=dict(PARTS))
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, "区长林若溪主持了防汛工作会议[1]。", "全区共排查隐患12处[1]。")
    assert_inert(result.stderr, "searching for: 防汛")


def test_summarize_with_llm_is_inert(store: Path, llm: FakeLLM) -> None:
    llm.queue(json.dumps({"headline": "标题", "summary": f"5月6日，{ESCAPES}区长林若溪主持会议。{CLICK}{HTML}"},
                         ensure_ascii=False))
    result = run("summarize", ARTICLE_ID)
    assert_inert(result.stdout, "区长林若溪主持会议。", "&lt;script&gt;", "[click\\](javascript:alert(1))")
    assert "<script>" not in result.stdout and CLICK not in result.stdout


def test_translate_is_inert(store: Path, llm: FakeLLM) -> None:
    llm.queue(f"Test{ESCAPES}", *[f"On May 6 {HTML} the district met {ESCAPES}{CLICK}."] * 5)
    result = run("translate", ARTICLE_ID)
    assert_inert(result.stdout, "On May 6", "&lt;script&gt;")
    assert "<script>" not in result.stdout and CLICK not in result.stdout


def test_glossary_tables_show_markup_literally(store: Path) -> None:
    run("glossary", "add", "林若溪[bold]", f"Lin [/]Ruoxi{ESCAPES}", "--section", "people")
    result = run("glossary", "show")
    assert_inert(result.stdout, "林若溪[bold]", "Lin [/]Ruoxi")


def test_eval_tables_show_markup_literally(capsys: pytest.CaptureFixture[str]) -> None:
    from bulletin_qa.cli.evaluate import render
    from bulletin_qa.evaluation.report import EvalReport

    render(EvalReport(name="answers", dataset="qa[bold].jsonl", table={"llm[bold]": {"recall[/]": 0.5}},
                      counts={"items": 1}, notes=[f"item q1: {HOSTILE_REPLY}"]))
    out = capsys.readouterr().out
    assert_inert(out, "qa[bold].jsonl", "llm[bold]", "recall[/]", LINK)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("command", [["articles"], ["stats"]])
def test_chroma_url_password_is_never_echoed(command: list[str]) -> None:
    url = f"http://admin:s3cretPW@127.0.0.1:{_free_port()}"
    result = runner.invoke(app, [*command, "--chroma-url", url])
    assert result.exit_code == 3
    assert "s3cretPW" not in result.stderr + result.stdout
    assert "Cannot reach the Chroma server at http://127.0.0.1:" in result.stderr


@pytest.mark.parametrize(("raw", "shown"), [
    ("标题\x1b]0;PWNED\x07正文", "标题正文"),                       # OSC window title, BEL-terminated
    ("a\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),        # OSC 8 hyperlink, ST-terminated
    ("\x1b[2J\x1b[1;31m红\x1b[0m", "红"),                             # CSI clear screen, colours
    ("x\x9b2Jy\x9d0;t\x9cz", "xyz"),                                    # 8-bit CSI and OSC
    ("line1\r\nline2\rover\x00\x08\x7f", "line1\nline2over"),           # CR, NUL, BS, DEL
    ("tab\tand\nnewline kept", "tab\tand\nnewline kept"),
    ("\u202eevil\u202c", "evil"),                                       # bidi override
    ("unfinished\x1b]0;title", "unfinished"),
])
def test_clean_table(raw: str, shown: str) -> None:
    from bulletin_qa.text.safe import StreamCleaner, clean

    assert clean(raw) == shown
    for size in (1, 2, 3):  # the same text streamed in pieces: a sequence split across tokens
        cleaner = StreamCleaner()
        out = "".join(cleaner.feed(raw[i:i + size]) for i in range(0, len(raw), size)) + cleaner.flush()
        assert out == shown


def test_for_console_escapes_markup_rich_would_obey() -> None:
    from rich.console import Console

    from bulletin_qa.text.safe import for_console

    console = Console(record=True, width=200, color_system="truecolor", force_terminal=True)
    console.print(for_console(f"{MARKUP_TITLE} {LINK} {CLICK} [#ff0000]红[/] [@click]x[/]"))
    text = console.export_text(styles=False)
    assert MARKUP_TITLE in text and LINK in text and CLICK in text and "[#ff0000]红[/]" in text
    assert "\x1b]8;" not in console.export_text(styles=True)  # no hyperlink was made
