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
from bulletin_qa.answering.constants import ATTRIBUTED_MARKER, CANNOT_ANSWER, UNSUPPORTED_MARKER
from bulletin_qa.models import Article
from bulletin_qa.prompts_loader import load_prompt
from bulletin_qa.text.sentences import split_answer
from e2e.e2e_helpers import (
    Exchange,
    SampleStore,
    corrected,
    exchanges,
    given_sources,
    heading,
    is_correction,
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
# The checker's citation after a sentence the model left uncited (any language).
ATTRIBUTED = re.compile("|".join(re.escape(m).replace(re.escape("{n}"), r"(\d+)") for m in ATTRIBUTED_MARKER.values()))
HOSPITAL = "hewan-2024-03-15-05"  # 河湾区人民医院互联网医院上线 (2024-03-11)


def cited_numbers(text: str) -> set[int]:
    """Every source number the text cites, as the answer splitter reads [n], 【n】, [1,2], [1-3]."""
    return {n for sentence in split_answer(text) for n in sentence.cited}


def source_articles(exchange: Exchange, store: SampleStore) -> dict[int, Article]:
    """Source number -> the stored article the prompt gave under that number."""
    by_heading = {heading(a): a for a in store.articles.values()}
    return {n: by_heading[line] for n, line in given_sources(exchange).items()}


def shown_reply(answer_text: str, lang: str) -> str:
    """The model's words in a shown answer: without the checker's flags and attributed citations."""
    return ATTRIBUTED.sub("", answer_text.replace(UNSUPPORTED_MARKER[lang], ""))


def assert_handled(answer: dict, calls: list[Exchange], target: WireTarget, store: SampleStore, lang: str) -> None:
    """The answer is one of the model's replies with every claim checked: cited, attributed or flagged
    (or a refusal, for the sentinel or a reply nothing of which could be verified)."""
    first, *rest = calls
    assert len(rest) <= 1  # at most one corrective round
    assert answer["mode"] == "llm"
    assert answer["model"].startswith(target.model)
    prompts = [f"ask.{lang}"] + ([f"ask.correct.{lang}"] if rest else [])
    assert answer["prompt"] == "+".join(prompts)
    assert answer["prompt_hash"] == "+".join(load_prompt(p).hash for p in prompts)
    assert answer["usage"]["calls"] == len(calls)
    if rest:
        corrected(first, rest[0])
        assert not is_sentinel(first.reply)
        # the findings sent back are the failed sentences of the first reply
        assert all(line.split(" — ")[0] in rest[0].user for line in rest[0].user.splitlines()[2:] if line.strip())
    given = source_articles(first, store)
    replies = [c.reply.strip() for c in calls]
    if answer["refused"]:
        assert answer["answer"].startswith(REFUSAL[lang]) and CANNOT_ANSWER not in answer["answer"]
        assert answer["citations"] == [] and answer["unsupported"] == []
        if answer["withheld"]:  # nothing of the reply was verified: shown below the refusal, flagged
            assert shown_reply(answer["withheld"], lang) in replies
            assert answer["answer"].endswith(answer["withheld"])
        else:
            assert is_sentinel(calls[-1].reply)
        return
    marker = UNSUPPORTED_MARKER[lang]
    # The model's words reach the reader unchanged; only the checker's flags and citations are added.
    reply = shown_reply(answer["answer"], lang)
    assert reply in replies
    assert answer["answer"].count(marker) == len(answer["unsupported"])
    attributed = {int(next(g for g in m.groups() if g)) for m in ATTRIBUTED.finditer(answer["answer"])}
    cited = cited_numbers(reply)
    assert {c["n"] for c in answer["citations"]} == (cited | attributed) & set(given)
    assert any(c["verified"] for c in answer["citations"])  # else it would have been a refusal
    for citation in answer["citations"]:
        assert citation["article_id"] == given[citation["n"]].id
        if citation["attributed"]:
            assert citation["n"] in attributed and citation["verified"]
        if not citation["verified"]:
            assert answer["unsupported"], f"[{citation['n']}] is unverified but no sentence is flagged"
    if cited - set(given):  # a number that was never given is always flagged
        assert any(("引用了不存在的来源" if lang == "zh" else "which was not given") in line
                   for line in answer["unsupported"])


@pytest.mark.parametrize(("question", "source_id"), [
    pytest.param("河湾区人民医院互联网医院上线首日接诊多少人次？", HOSPITAL, id="answered-in-the-samples"),
    pytest.param("河湾区人民医院互联网医院院长郭立群毕业于哪所大学？", HOSPITAL, id="not-in-the-samples"),
])
def test_ask_json_checks_every_citation_of_the_model(
        question: str, source_id: str, llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    result = ok(run("ask", question, "--json", "-k", "2", "--no-cache"))
    calls = exchanges(vcr, record_mode)
    exchange = calls[0]
    answer = json.loads(result.stdout)
    assert answer["question"] == question
    assert exchange.body["model"] == llm_env.model and exchange.body["temperature"] == 0.0
    assert not exchange.streamed  # --json waits for the whole answer
    assert f"问题：{question}" in exchange.user
    # Only the article that states the question's terms is given to the model.
    assert [a.id for a in source_articles(exchange, sample_store).values()] == [source_id]
    assert_handled(answer, calls, llm_env, sample_store, "zh")
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
    calls = exchanges(vcr, record_mode)
    exchange = calls[0]
    assert exchange.streamed and exchange.body["stream"] is True
    assert len(calls) <= 2 and not any(c.streamed for c in calls[1:])  # a correction is not streamed
    assert f"Question: {question}" in exchange.user
    given = source_articles(exchange, sample_store)
    assert len(given) == 2  # an English question cannot be matched word for word: every hit is given
    out = result.stdout
    if is_sentinel(exchange.reply):
        assert out.startswith(REFUSAL["en"]) and SOURCES["en"] not in out
    else:
        assert out.startswith(exchange.reply)  # streamed as it came, then the checks' verdict
        after = out[len(exchange.reply):]
        if after.lstrip("\n").startswith(REFUSAL["en"]):  # nothing verified: a refusal showing the reply flagged
            assert SOURCES["en"] not in after and UNSUPPORTED_MARKER["en"] in after
        else:
            checked = after.split("Checked answer:\n", 1)[1] if "Checked answer:\n" in after else exchange.reply
            shown = shown_reply(checked.split("\n\n")[0], "en")
            assert shown.strip() in [c.reply.strip() for c in calls]
            listed = re.findall(r"^  \[(\d+)\] (.+) \((\S+)\) (\S+?)( \[unverified\])?$", out, flags=re.MULTILINE)
            expected = [(str(n), given[n].title, given[n].date.isoformat(), given[n].id) for n in sorted(
                (cited_numbers(shown) | {int(next(g for g in m.groups() if g)) for m in ATTRIBUTED.finditer(checked)})
                & set(given))]
            assert [line[:4] for line in listed] == expected and expected
            flagged = re.findall(r"^  - (.+) — (.+)$", out, flags=re.MULTILINE)
            assert (FLAGGED["en"] in out) == bool(flagged)
            if any(line[4] == LISTED_UNVERIFIED["en"] for line in listed):
                assert flagged
    prompt = "ask.en+ask.correct.en" if len(calls) == 2 else "ask.en"
    assert f"Model {exchange.body['model']}, prompt {prompt} (" in result.stderr


def test_chat_condenses_the_follow_up_through_the_llm(
        llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    first, follow_up = "河湾区人民医院互联网医院首批开通了多少个科室？", "院长是谁？"
    # --no-stream: the streamed path is covered above, and a streamed 1,000-token reply is ~180 KB of cassette.
    result = ok(run("chat", "-k", "2", "--no-cache", "--no-stream", input=f"{first}\n{follow_up}\n"))
    calls = exchanges(vcr, record_mode)
    main = [c for c in calls if not is_correction(c)]   # each ask may have had one corrective round
    assert 2 <= len(main) <= 3 and len(calls) - len(main) <= 2
    ask1, condense, *ask2 = main
    assert f"问题：{first}" in ask1.user
    assert not any(call.streamed for call in calls)
    # The rewrite prompt carries the conversation: the first question and the answer shown for it.
    assert f"问：{first}" in condense.user and follow_up in condense.user
    shown = shown_reply(result.stdout, "zh")
    replies = [c.reply.strip() for c in calls if not is_sentinel(c.reply)]
    first_shown = shown.split("\n")[0]
    assert first_shown.startswith(REFUSAL["zh"]) or any(first_shown in r or r.startswith(first_shown) for r in replies)
    if ask2:  # the rewritten question was searched and asked
        standalone = re.search(r"问题：(.+)$", ask2[0].user).group(1)
        assert standalone in condense.reply
        if standalone != follow_up:
            assert f"(searching for: {standalone})" in result.stderr
    else:  # the rewrite matched no article: refused without a third call
        assert REFUSAL["zh"] in result.stdout
