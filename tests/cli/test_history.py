"""The question log: recording, search, resuming conversations (ask --continue, chat --continue), turning it off.

Search is replaced by one hand-built article (as in tests/cli/test_ask.py); offline (extractive)
unless a FakeLLM is injected through build_llm.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.answering.ask import SearchScope
from bulletin_qa.cli import app
from bulletin_qa.errors import HistoryError, UsageError
from bulletin_qa.history import History, resume
from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.models import Answer, Article, Citation, Hit

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables wide enough that questions are not folded."""
    monkeypatch.setenv("COLUMNS", "200")
MEETING = Article(id="t-01", title="青湖区召开三季度安全生产工作会议", date=dt.date(2024, 7, 8), source="t.txt", position=1,
                  text="本报讯 7月8日上午，青湖区召开三季度安全生产工作会议。区委副书记、区长林若溪主持会议并讲话。"
                       "林若溪强调，要紧盯汛期、高温等关键时段。会议要求，全区共开展十二个专项检查行动。")


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Search returns the one test article; the questions searched are recorded."""
    questions: list[str] = []

    def build(settings, *, k, since, until):  # type: ignore[no-untyped-def]
        def run(question: str):  # type: ignore[no-untyped-def]
            questions.append(question)
            return [Hit(article=MEETING, score=1.0)], SearchScope(articles=1, retrieved=1)
        return run

    monkeypatch.setattr("bulletin_qa.cli.ask.build_searcher", build)
    monkeypatch.setattr("bulletin_qa.cli.ask.build_llm", lambda settings, cache: None)
    return questions


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
    result = runner.invoke(app, ["ask", "谁主持了三季度安全生产工作会议？", "--json"])
    assert result.exit_code == 0, result.stderr
    again = runner.invoke(app, ["ask", "--continue", "她强调了什么？", "--json"])
    assert again.exit_code == 0, again.stderr
    assert searched[1] == "林若溪强调了什么？"  # the pronoun resolved from the logged answer
    assert "(searching for: 林若溪强调了什么？)" in again.stderr
    shown = runner.invoke(app, ["history", "--json"])
    assert shown.exit_code == 0 and shown.stderr == ""
    entries = json.loads(shown.stdout)
    assert [e["question"] for e in entries] == ["她强调了什么？", "谁主持了三季度安全生产工作会议？"]
    assert entries[0]["conversation"] == entries[1]["conversation"] and entries[0]["mode"] == "extractive"
    assert entries[1]["citations"][0]["article_id"] == "t-01"
    found = runner.invoke(app, ["history", "--search", "她强调"])
    assert found.exit_code == 0 and "她强调了什么？" in found.stdout and "谁主持了三季度" not in found.stdout
    fresh = runner.invoke(app, ["ask", "十二个专项检查行动？", "--json"])
    assert fresh.exit_code == 0
    newest = json.loads(runner.invoke(app, ["history", "--json", "-n", "1"]).stdout)[0]
    assert newest["conversation"] != entries[0]["conversation"]


def test_chat_continue_resumes_and_logs_every_turn(searched: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["ask", "谁主持了三季度安全生产工作会议？"]).exit_code == 0
    result = runner.invoke(app, ["chat", "--continue"], input="她强调了什么？\nexit\n")
    assert result.exit_code == 0, result.stderr
    assert searched[-1] == "林若溪强调了什么？"
    entries = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert [e["client"] for e in entries] == ["chat", "cli"] and len({e["conversation"] for e in entries}) == 1


def test_history_off_keeps_nothing_and_continue_says_so(searched: list[str], monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.setenv("BULLETIN_QA_HISTORY", "0")
    assert runner.invoke(app, ["ask", "谁主持了三季度安全生产工作会议？"]).exit_code == 0
    assert not (tmp_path / "home" / "history.sqlite").exists()
    result = runner.invoke(app, ["ask", "--continue", "她强调了什么？"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: The history is off") and "BULLETIN_QA_HISTORY" in result.stderr
    shown = runner.invoke(app, ["history", "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout) == [] and "history is off" in shown.stderr


def test_continue_with_an_llm_condenses_through_it(searched: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["ask", "谁主持了三季度安全生产工作会议？"]).exit_code == 0
    llm = FakeLLM(["林若溪在会上强调了什么？", "林若溪强调要紧盯汛期、高温等关键时段[1]。"])
    monkeypatch.setattr("bulletin_qa.cli.ask.build_llm", lambda settings, cache: llm)
    result = runner.invoke(app, ["ask", "-c", "她强调了什么？", "--json"])
    assert result.exit_code == 0, result.stderr
    assert searched[-1] == "林若溪在会上强调了什么？"
    assert "谁主持了三季度安全生产工作会议？" in json.dumps(llm.calls[0], ensure_ascii=False)  # the logged turn
    data = json.loads(result.stdout)
    assert data["usage"]["calls"] == 2 and data["question"] == "林若溪在会上强调了什么？"
