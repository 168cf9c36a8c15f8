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
from e2e.conftest import SampleStore
from e2e.e2e_helpers import Exchange, exchanges, given_sources, ok, run
from wire_helpers import WireTarget

from bulletin_qa.generation.ask import is_sentinel
from bulletin_qa.generation.constants import CANNOT_ANSWER, UNSUPPORTED_MARKER
from bulletin_qa.generation.sentences import split_answer
from bulletin_qa.prompts_loader import load_prompt

pytestmark = pytest.mark.vcr

MARKER = UNSUPPORTED_MARKER["zh"]
REFUSAL = "检索到的文章中没有能回答这个问题的内容。"
HOSPITAL = "hewan-2024-03-15-05"  # 河湾区人民医院互联网医院上线 (2024-03-11)
CARNIVAL = "hewan-2024-01-08-04"  # 第三届河湾冰雪嘉年华开幕 (2024-01-08, approximate)


def cited_numbers(text: str) -> set[int]:
    """Every source number the text cites, as the answer splitter reads [n], 【n】, [1,2], [1-3]."""
    return {n for sentence in split_answer(text) for n in sentence.cited}


def assert_handled(answer: dict, exchange: Exchange, target: WireTarget, store: SampleStore) -> None:
    """The answer is the model's reply with every citation checked (or a refusal for the sentinel)."""
    assert answer["mode"] == "llm"
    assert answer["model"].startswith(target.model)
    assert (answer["prompt"], answer["prompt_hash"]) == ("ask.zh", load_prompt("ask.zh").hash)
    assert answer["usage"]["calls"] == 1
    given = given_sources(exchange)
    if is_sentinel(exchange.reply):
        assert answer["refused"] is True
        assert answer["answer"].startswith(REFUSAL) and CANNOT_ANSWER not in answer["answer"]
        assert answer["citations"] == [] and answer["unsupported"] == []
        return
    assert answer["refused"] is False
    # The model's words reach the reader unchanged; only the flags of failed sentences are added.
    assert answer["answer"].replace(MARKER, "") == exchange.reply.strip()
    assert answer["answer"].count(MARKER) == len(answer["unsupported"])
    cited = cited_numbers(exchange.reply)
    assert {c["n"] for c in answer["citations"]} == cited & set(given)
    for citation in answer["citations"]:
        assert given[citation["n"]].startswith(citation["title"])
        assert citation["article_id"] in store.articles
        if not citation["verified"]:
            assert answer["unsupported"], f"[{citation['n']}] is unverified but no sentence is flagged"
    if cited - set(given):  # a number that was never given is always flagged
        assert any("引用了不存在的来源" in line for line in answer["unsupported"])


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
    assert sample_store.articles[source_id].title in given_sources(exchange)[1]
    assert_handled(answer, exchange, llm_env, sample_store)
    assert result.stderr == ""  # --json: nothing for people, not even the usage line


def test_ask_off_topic_question_is_refused_without_calling_the_llm(
        llm_env: WireTarget, vcr, record_mode: str) -> None:
    result = ok(run("ask", "清川市地铁三号线什么时候通车？", "--json", "-k", "2", "--no-cache"))
    answer = json.loads(result.stdout)
    assert (answer["mode"], answer["refused"], answer["citations"]) == ("llm", True, [])
    assert answer["answer"].startswith(REFUSAL)
    assert "检索范围：全部日期，范围内共 19 篇文章" in answer["answer"]
    assert answer["model"] is None and answer["usage"]["calls"] == 0
    assert exchanges(vcr, record_mode) == []


def test_ask_streams_the_answer_then_lists_the_cited_articles(
        llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    question = "第三届河湾冰雪嘉年华持续到什么时候？"
    result = ok(run("ask", question, "-k", "2", "--no-cache"))
    [exchange] = exchanges(vcr, record_mode)
    assert exchange.streamed and exchange.body["stream"] is True
    assert sample_store.articles[CARNIVAL].title in given_sources(exchange)[1]
    out = result.stdout
    if is_sentinel(exchange.reply):
        assert out.startswith(REFUSAL) and "来源：" not in out
    else:
        assert out.startswith(exchange.reply)  # streamed as it came, then the checks' verdict
        assert out.count(exchange.reply.strip()) == 1  # and not printed a second time
        article = sample_store.articles[CARNIVAL]
        listed = re.findall(r"^  \[(\d+)\] (.+) \((\S+)\) (\S+?)(?: ［未核实］)?$", out, flags=re.MULTILINE)
        expected = [(str(n), article.title, article.date.isoformat(), CARNIVAL)
                    for n in sorted(cited_numbers(exchange.reply) & set(given_sources(exchange)))]
        assert listed == expected
        assert ("来源：" in out) == bool(expected)
        assert (MARKER in out) == ("⚠ 以下句子未能在所引来源中核实：" in out)
    assert f"Model {exchange.body['model']}, prompt ask.zh ({load_prompt('ask.zh').hash})." in result.stderr


def test_chat_condenses_the_follow_up_through_the_llm(
        llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    first, follow_up = "河湾区人民医院互联网医院首批开通了多少个科室？", "院长是谁？"
    result = ok(run("chat", "-k", "2", "--no-cache", input=f"{first}\n{follow_up}\n"))
    calls = exchanges(vcr, record_mode)
    assert 2 <= len(calls) <= 3
    ask1, condense, *ask2 = calls
    assert f"问题：{first}" in ask1.user and ask1.streamed
    # The rewrite prompt carries the conversation: the first question and the answer shown for it.
    assert f"问：{first}" in condense.user and follow_up in condense.user
    assert ask1.reply.strip().replace("\n", " ")[:8] in condense.user or is_sentinel(ask1.reply)
    assert not condense.streamed
    assert result.stdout.startswith(REFUSAL if is_sentinel(ask1.reply) else ask1.reply)
    if ask2:  # the rewritten question was searched and asked
        standalone = re.search(r"问题：(.+)$", ask2[0].user).group(1)
        assert standalone in condense.reply
        if standalone != follow_up:
            assert f"(searching for: {standalone})" in result.stderr
    else:  # the rewrite matched no article: refused without a third call
        assert result.stdout.count(REFUSAL) == 1 + (1 if is_sentinel(ask1.reply) else 0)
