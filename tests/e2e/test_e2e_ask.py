"""`bulletin-qa ask` and `chat` end to end: CLI -> store -> retrieval -> prompt -> HTTP -> citation check -> output.

The HTTP exchanges are replays of a real OpenAI-compatible server (tests/cassettes/test_e2e_ask/,
RECORDED_WITH.md names server and model; re-record with scripts/record-cassettes.sh tests/e2e).
SmolLM2-135M answers Chinese questions poorly: that is the point. The tests check the tool's
handling of whatever the model said, not the model: every citation is checked or flagged, a
sentinel becomes a refusal, and the model's text reaches the user unchanged apart from the flags.
"""

from __future__ import annotations

import json
import re

import pytest

from bulletin_qa.answering.ask import is_sentinel
from bulletin_qa.answering.constants import CANNOT_ANSWER, UNSUPPORTED_MARKER
from bulletin_qa.models import Article
from bulletin_qa.prompts_loader import load_prompt
from bulletin_qa.text.sentences import split_answer
from e2e.e2e_helpers import (
    Exchange,
    SampleStore,
    exchanges,
    given_sources,
    heading,
    ok,
    run,
)
from wire_helpers import WireTarget

pytestmark = pytest.mark.vcr

# What the reader sees, by answer language (answering/ask.py refusal, cli/ask.py render).
REFUSAL = {"zh": "检索到的文章中没有能回答这个问题的内容。", "en": "The retrieved articles do not answer this question."}
SOURCES = {"zh": "来源：", "en": "Sources:"}
FLAGGED = {"zh": "⚠ 以下句子未能在所引来源中核实：", "en": "⚠ Not verified against the cited sources:"}
LISTED_UNVERIFIED = {"zh": " ［未核实］", "en": " [unverified]"}
NO_CITATION = {"zh": "无引用", "en": "no citation"}
HOSPITAL = "hewan-2024-03-15-05"  # 河湾区人民医院互联网医院上线 (2024-03-11)


def cited_numbers(text: str) -> set[int]:
    """Every source number the text cites, as the answer splitter reads [n], 【n】, [1,2], [1-3]."""
    return {n for sentence in split_answer(text) for n in sentence.cited}


def source_articles(exchange: Exchange, store: SampleStore) -> dict[int, Article]:
    """Source number -> the stored article the prompt gave under that number."""
    by_heading = {heading(a): a for a in store.articles.values()}
    return {n: by_heading[line] for n, line in given_sources(exchange).items()}


def assert_handled(answer: dict, exchange: Exchange, target: WireTarget, store: SampleStore, lang: str) -> None:
    """The answer is the model's reply with every citation checked (or a refusal for the sentinel)."""
    assert answer["mode"] == "llm"
    assert answer["model"].startswith(target.model)
    assert (answer["prompt"], answer["prompt_hash"]) == (f"ask.{lang}", load_prompt(f"ask.{lang}").hash)
    assert answer["usage"]["calls"] == 1
    given = source_articles(exchange, store)
    if is_sentinel(exchange.reply):
        assert answer["refused"] is True
        assert answer["answer"].startswith(REFUSAL[lang]) and CANNOT_ANSWER not in answer["answer"]
        assert answer["citations"] == [] and answer["unsupported"] == []
        return
    marker = UNSUPPORTED_MARKER[lang]
    assert answer["refused"] is False
    # The model's words reach the reader unchanged; only the flags of failed sentences are added.
    assert answer["answer"].replace(marker, "") == exchange.reply.strip()
    assert answer["answer"].count(marker) == len(answer["unsupported"])
    cited = cited_numbers(exchange.reply)
    assert {c["n"] for c in answer["citations"]} == cited & set(given)
    for citation in answer["citations"]:
        assert citation["article_id"] == given[citation["n"]].id
        if not citation["verified"]:
            assert answer["unsupported"], f"[{citation['n']}] is unverified but no sentence is flagged"
    if cited - set(given):  # a number that was never given is always flagged
        assert any(("引用了不存在的来源" if lang == "zh" else "which was not given") in line
                   for line in answer["unsupported"])
    if not cited:  # an answer that cites nothing is flagged sentence by sentence
        assert answer["unsupported"] and all(NO_CITATION[lang] in line for line in answer["unsupported"])


@pytest.mark.parametrize(("question", "source_id"), [
    pytest.param("河湾区人民医院互联网医院上线首日接诊多少人次？", HOSPITAL, id="answered-in-the-samples"),
    pytest.param("河湾区人民医院互联网医院院长郭立群毕业于哪所大学？", HOSPITAL, id="not-in-the-samples"),
])
def test_ask_json_checks_every_citation_of_the_model(
        question: str, source_id: str, llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    result = ok(run("ask", question, "--json", "-k", "2", "--no-cache"))
    [exchange] = exchanges(vcr, record_mode)
    answer = json.loads(result.stdout)
    assert answer["question"] == question
    assert exchange.body["model"] == llm_env.model and exchange.body["temperature"] == 0.0
    assert not exchange.streamed  # --json waits for the whole answer
    assert f"问题：{question}" in exchange.user
    # Only the article that states the question's terms is given to the model.
    assert [a.id for a in source_articles(exchange, sample_store).values()] == [source_id]
    assert_handled(answer, exchange, llm_env, sample_store, "zh")
    assert result.stderr == ""  # --json: nothing for people, not even the usage line


def test_ask_off_topic_question_is_refused_without_calling_the_llm(
        llm_env: WireTarget, vcr, record_mode: str) -> None:
    result = ok(run("ask", "清川市地铁三号线什么时候通车？", "--json", "-k", "2", "--no-cache"))
    answer = json.loads(result.stdout)
    assert (answer["mode"], answer["refused"], answer["citations"]) == ("llm", True, [])
    assert answer["answer"].startswith(REFUSAL["zh"])
    assert "检索范围：全部日期，范围内共 19 篇文章" in answer["answer"]
    assert answer["model"] is None and answer["usage"]["calls"] == 0
    assert exchanges(vcr, record_mode) == []


def test_ask_streams_the_answer_then_lists_the_cited_articles(
        llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    # SmolLM2 writes no [n] unprompted; asked to, it cites, which exercises the checked sources list.
    question = "When does the third Hewan Ice and Snow Carnival end? End your sentence with [1]."
    result = ok(run("ask", question, "-k", "2", "--no-cache"))
    [exchange] = exchanges(vcr, record_mode)
    assert exchange.streamed and exchange.body["stream"] is True
    assert f"Question: {question}" in exchange.user
    given = source_articles(exchange, sample_store)
    assert len(given) == 2  # an English question cannot be matched word for word: every hit is given
    out = result.stdout
    if is_sentinel(exchange.reply):
        assert out.startswith(REFUSAL["en"]) and SOURCES["en"] not in out
    else:
        assert out.startswith(exchange.reply)  # streamed as it came, then the checks' verdict
        after = re.sub(r"^  - .*$", "", out[len(exchange.reply):], flags=re.MULTILINE)
        assert exchange.reply.strip() not in after  # and not printed a second time (flagged lines aside)
        listed = re.findall(r"^  \[(\d+)\] (.+) \((\S+)\) (\S+?)( \[unverified\])?$", out, flags=re.MULTILINE)
        expected = [(str(n), given[n].title, given[n].date.isoformat(), given[n].id)
                    for n in sorted(cited_numbers(exchange.reply) & set(given))]
        assert [line[:4] for line in listed] == expected
        assert (SOURCES["en"] in out) == bool(expected)
        # Streamed text cannot be marked afterwards: the sentences that failed are listed below it.
        flagged = re.findall(r"^  - (.+) — (.+)$", out, flags=re.MULTILINE)
        assert (FLAGGED["en"] in out) == bool(flagged)
        assert all(sentence in exchange.reply for sentence, _ in flagged)
        if any(line[4] == LISTED_UNVERIFIED["en"] for line in listed):
            assert flagged
        if not cited_numbers(exchange.reply):
            assert flagged and all(NO_CITATION["en"] in problems for _, problems in flagged)
    assert f"Model {exchange.body['model']}, prompt ask.en ({load_prompt('ask.en').hash})." in result.stderr


def test_chat_condenses_the_follow_up_through_the_llm(
        llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    first, follow_up = "河湾区人民医院互联网医院首批开通了多少个科室？", "院长是谁？"
    # --no-stream: the streamed path is covered above, and a streamed 1,000-token reply is ~180 KB of cassette.
    result = ok(run("chat", "-k", "2", "--no-cache", "--no-stream", input=f"{first}\n{follow_up}\n"))
    calls = exchanges(vcr, record_mode)
    assert 2 <= len(calls) <= 3
    ask1, condense, *ask2 = calls
    assert f"问题：{first}" in ask1.user
    assert not any(call.streamed for call in calls)
    # The rewrite prompt carries the conversation: the first question and the answer shown for it.
    assert f"问：{first}" in condense.user and follow_up in condense.user
    assert ask1.reply.strip().replace("\n", " ")[:8] in condense.user or is_sentinel(ask1.reply)
    shown = result.stdout.replace(UNSUPPORTED_MARKER["zh"], "")
    assert shown.startswith(REFUSAL["zh"] if is_sentinel(ask1.reply) else ask1.reply.strip())
    if ask2:  # the rewritten question was searched and asked
        standalone = re.search(r"问题：(.+)$", ask2[0].user).group(1)
        assert standalone in condense.reply
        if standalone != follow_up:
            assert f"(searching for: {standalone})" in result.stderr
        assert is_sentinel(ask2[0].reply) or ask2[0].reply.strip() in shown
    else:  # the rewrite matched no article: refused without a third call
        assert result.stdout.count(REFUSAL["zh"]) == 1 + (1 if is_sentinel(ask1.reply) else 0)
