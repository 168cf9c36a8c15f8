"""Follow-up questions rewritten into standalone ones: by the condense prompt, or offline by rule."""

from __future__ import annotations

import pytest

from answering.helpers import ALL, hits
from bulletin_qa.answering.ask import answer_question
from bulletin_qa.answering.chat import ChatSession, Turn, condense, condense_offline, refers_back
from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.prompts_loader import load_prompt

FIRST = Turn(question="谁主持了三季度安全生产工作会议？", standalone="谁主持了三季度安全生产工作会议？",
             answer="“区委副书记、区长林若溪主持会议并讲话。” [1]")


@pytest.mark.parametrize(("follow_up", "standalone"), [
    ("她还强调了什么？", "林若溪还强调了什么？"),                       # person pronoun -> the person answered
    ("那二季度呢？", "主持 三季度 安全 会议 那二季度呢？"),   # 呢-ellipsis -> the 4 heaviest previous terms
    ("口袋公园总面积是多少？", "口袋公园总面积是多少？"),                  # standalone: unchanged
])
def test_condense_offline(follow_up: str, standalone: str) -> None:
    assert condense_offline(follow_up, [FIRST]) == standalone


@pytest.mark.parametrize(("question", "refers"), [
    ("他去了哪里？", True), ("这个项目呢？", True), ("What did she say?", True),
    ("口袋公园总面积是多少？", False), ("How large are the new pocket parks in Qinghu?", False),
])
def test_refers_back(question: str, refers: bool) -> None:
    assert refers_back(question) is refers


def test_condense_with_llm_uses_the_prompt_and_its_first_line() -> None:
    llm = FakeLLM(["改写后的问题：林若溪在三季度安全生产工作会议上强调了什么？\n（补全了主语）"])
    standalone, usage = condense("她还强调了什么？", [FIRST], llm)
    assert standalone == "林若溪在三季度安全生产工作会议上强调了什么？"
    assert usage.calls == 1
    (messages,) = llm.calls
    history = "问：谁主持了三季度安全生产工作会议？\n答：“区委副书记、区长林若溪主持会议并讲话。” [1]"
    expected = load_prompt("condense.zh").render(history=f"<source>\n{history}\n</source>",  # fenced as data
                                                question="她还强调了什么？")
    assert messages == expected


def test_first_turn_is_never_rewritten() -> None:
    llm = FakeLLM([])
    assert condense("她还强调了什么？", [], llm) == ("她还强调了什么？", condense("x", [], None)[1])
    assert llm.calls == []


def test_empty_rewrite_falls_back_to_the_question() -> None:
    assert condense("她还强调了什么？", [FIRST], FakeLLM(["\n"]))[0] == "她还强调了什么？"


def test_chat_session_searches_the_standalone_question_and_keeps_history() -> None:
    searched: list[str] = []

    def search(question: str):  # type: ignore[no-untyped-def]
        searched.append(question)
        return hits(*ALL)

    session = ChatSession(search=search, answer=lambda q, h: answer_question(q, h, llm=None))
    _, first = session.ask("谁主持了三季度安全生产工作会议？")
    standalone, second = session.ask("她强调要紧盯哪些关键时段？")
    assert standalone == "林若溪强调要紧盯哪些关键时段？" == searched[-1]
    assert "林若溪主持会议" in first.answer
    assert not second.refused and "汛期、高温" in second.answer
    assert [t.standalone for t in session.history] == searched


def test_chat_session_adds_the_rewrite_usage() -> None:
    llm = FakeLLM(["林若溪强调了什么？", "林若溪强调要紧盯汛期、高温等关键时段[1]。"])
    session = ChatSession(search=lambda q: hits(*ALL), llm=llm,
                          answer=lambda q, h: answer_question(q, h, llm=llm))
    session.history.append(FIRST)
    standalone, answer = session.ask("她强调了什么？")
    assert standalone == "林若溪强调了什么？"
    assert answer.usage.calls == 2 and len(llm.calls) == 2
