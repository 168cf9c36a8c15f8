"""The question log: recording, search, resuming conversations (ask --continue, chat --continue), turning it off.

The commands get a library whose search returns one hand-built article (as in tests/cli/test_ask.py),
offline (extractive) unless a FakeLLM is handed to it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bulletin_qa.answering.ask import SearchScope
from bulletin_qa.bulletin import Bulletin
from bulletin_qa.cli import app
from bulletin_qa.errors import HistoryError, UsageError
from bulletin_qa.history import History, resume
from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.models import Answer, Article, Citation, Hit
from bulletin_qa.settings import Settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables wide enough that questions are not folded."""
    monkeypatch.setenv("COLUMNS", "200")
MEETING = Article(id="t-01", title="青湖区召开三季度安全生产工作会议", date=dt.date(2024, 7, 8), source="t.txt", position=1,
                  text="本报讯 7月8日上午，青湖区召开三季度安全生产工作会议。区委副书记、区长林若溪主持会议并讲话。"
                       "林若溪强调，要紧盯汛期、高温等关键时段。会议要求，全区共开展十二个专项检查行动。")


class OneArticle(Bulletin):
    """A library whose search returns the one test article and records the questions searched."""

    def __init__(self, llm: FakeLLM | None, questions: list[str]) -> None:
        super().__init__(Settings(), llm=llm)
        self.questions = questions

    def search(self, query: str, **kwargs: Any) -> list[Hit]:
        self.questions.append(query)
        return [Hit(article=MEETING, score=1.0)]

    def scope(self, hits: list[Hit], **kwargs: Any) -> SearchScope:
        return SearchScope(articles=1, retrieved=len(hits))


@pytest.fixture
def searched() -> list[str]:
    """The questions the library was asked to search."""
    return []


def invoke(args: list[object], searched: list[str], llm: FakeLLM | None = None, **kwargs: Any) -> Any:
    """Run the CLI over a OneArticle library (offline unless `llm`)."""
    return runner.invoke(app, [str(a) for a in args], obj=OneArticle(llm, searched), **kwargs)


def answer(question: str, text: str = "答。", refused: bool = False) -> Answer:
    return Answer(question=question, answer=text, mode="extractive", refused=refused,
                  citations=[Citation(n=1, article_id="t-01", title="标题", quote="句子。", verified=True)])


def test_record_search_and_conversations(tmp_path: Path) -> None:
    log = History(tmp_path / "h.sqlite")
    assert log.entries() == [] and log.last_conversation() is None and not log.path.exists()
    first = log.record(answer("谁主持了会议？", "林若溪主持。"))
    second = log.record(answer("林若溪强调了什么？"), question="她强调了什么？", conversation=first.conversation)
    other = log.record(answer("100%_的把握？"), client="web")
    assert [e.id for e in log.entries()] == [other.id, second.id, first.id]
    assert [e.question for e in log.conversation(first.conversation)] == ["谁主持了会议？", "她强调了什么？"]
    assert log.conversation(first.conversation)[1].standalone == "林若溪强调了什么？"
    assert log.last_conversation() == other.conversation
    assert log.entries()[0].citations[0].quote == "句子。" and log.entries()[0].client == "web"


@pytest.mark.parametrize(("search", "expected"), [
    ("林若溪", ["林若溪强调了什么？", "谁主持了会议？"]),  # question (standalone) or answer text
    ("她强调", ["林若溪强调了什么？"]),
    ("%", ["100%_的把握？"]),  # LIKE wildcards are literal
    ("_", ["100%_的把握？"]),
    ("没有这句话", []),
])
def test_search_matches_text_literally(tmp_path: Path, search: str, expected: list[str]) -> None:
    log = History(tmp_path / "h.sqlite")
    first = log.record(answer("谁主持了会议？", "林若溪主持。"))
    log.record(answer("林若溪强调了什么？"), question="她强调了什么？", conversation=first.conversation)
    log.record(answer("100%_的把握？"))
    assert [e.standalone for e in log.entries(search=search)] == expected


def test_a_corrupt_log_is_an_error_naming_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(HistoryError, match="BULLETIN_QA_HISTORY=0"):
        History(path).entries()


@pytest.mark.parametrize(("kwargs", "history_on", "message"), [
    ({"continue_last": True}, False, "history is off"),
    ({"continue_last": True}, True, "no earlier question"),
    ({"conversation": "nope"}, True, "No conversation 'nope'"),
])
def test_resume_errors(tmp_path: Path, kwargs: dict, history_on: bool, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        resume(History(tmp_path / "h.sqlite") if history_on else None, **kwargs)


def test_ask_logs_and_continue_resumes_the_conversation(searched: list[str], tmp_path: Path) -> None:
    result = invoke(["ask", "谁主持了三季度安全生产工作会议？", "--json"], searched)
    assert result.exit_code == 0, result.stderr
    again = invoke(["ask", "--continue", "她强调了什么？", "--json"], searched)
    assert again.exit_code == 0, again.stderr
    assert searched[1] == "林若溪强调了什么？"  # the pronoun resolved from the logged answer
    assert "(searching for: 林若溪强调了什么？)" in again.stderr
    shown = invoke(["history", "--json"], searched)
    assert shown.exit_code == 0 and shown.stderr == ""
    entries = json.loads(shown.stdout)
    assert [e["question"] for e in entries] == ["她强调了什么？", "谁主持了三季度安全生产工作会议？"]
    assert entries[0]["conversation"] == entries[1]["conversation"] and entries[0]["mode"] == "extractive"
    assert entries[1]["citations"][0]["article_id"] == "t-01"
    found = invoke(["history", "--search", "她强调"], searched)
    assert found.exit_code == 0 and "她强调了什么？" in found.stdout and "谁主持了三季度" not in found.stdout
    fresh = invoke(["ask", "十二个专项检查行动？", "--json"], searched)
    assert fresh.exit_code == 0
    newest = json.loads(invoke(["history", "--json", "-n", "1"], searched).stdout)[0]
    assert newest["conversation"] != entries[0]["conversation"]


def test_chat_continue_resumes_and_logs_every_turn(searched: list[str]) -> None:
    assert invoke(["ask", "谁主持了三季度安全生产工作会议？"], searched).exit_code == 0
    result = invoke(["chat", "--continue"], searched, input="她强调了什么？\nexit\n")
    assert result.exit_code == 0, result.stderr
    assert searched[-1] == "林若溪强调了什么？"
    entries = json.loads(invoke(["history", "--json"], searched).stdout)
    assert [e["client"] for e in entries] == ["chat", "cli"] and len({e["conversation"] for e in entries}) == 1


def test_history_off_keeps_nothing_and_continue_says_so(searched: list[str], monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.setenv("BULLETIN_QA_HISTORY", "0")
    assert invoke(["ask", "谁主持了三季度安全生产工作会议？"], searched).exit_code == 0
    assert not (tmp_path / "home" / "history.sqlite").exists()
    result = invoke(["ask", "--continue", "她强调了什么？"], searched)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: The history is off") and "BULLETIN_QA_HISTORY" in result.stderr
    shown = invoke(["history", "--json"], searched)
    assert shown.exit_code == 0 and json.loads(shown.stdout) == [] and "history is off" in shown.stderr


def test_continue_with_an_llm_condenses_through_it(searched: list[str]) -> None:
    assert invoke(["ask", "谁主持了三季度安全生产工作会议？"], searched).exit_code == 0
    llm = FakeLLM(["林若溪在会上强调了什么？", "林若溪强调要紧盯汛期、高温等关键时段[1]。"])
    result = invoke(["ask", "-c", "她强调了什么？", "--json"], searched, llm)
    assert result.exit_code == 0, result.stderr
    assert searched[-1] == "林若溪在会上强调了什么？"
    assert "谁主持了三季度安全生产工作会议？" in json.dumps(llm.calls[0], ensure_ascii=False)  # the logged turn
    data = json.loads(result.stdout)
    assert data["usage"]["calls"] == 2 and data["question"] == "林若溪在会上强调了什么？"


def test_history_table_shows_outside_text_literally(tmp_path: Path, searched: list[str]) -> None:
    History(tmp_path / "home" / "history.sqlite").record(
        answer("[bold]谁[/]主持？\x1b[2J", "答案 [link=http://x]点[/link]\x1b]0;title\x07。"))
    result = invoke(["history"], searched)
    assert result.exit_code == 0, result.stderr
    assert "[bold]谁[/]主持？" in result.stdout and "[link=http://x]点[/link]" in result.stdout
    assert "\x1b" not in result.stdout
