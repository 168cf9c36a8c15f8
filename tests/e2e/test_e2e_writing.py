"""`summarize`, `translate` and `digest` end to end with an LLM: CLI -> store -> prompt -> HTTP -> checks -> JSON.

Replays of a real OpenAI-compatible server (tests/cassettes/test_e2e_writing/; re-record with
scripts/record-cassettes.sh tests/e2e). The model's output is not judged: the tests check that it
reached the output as the tool promises, with provenance, and that the number and glossary checks
ran on exactly what the model said.
"""

from __future__ import annotations

import json
import re

import pytest

from bulletin_qa.llm.json_reply import parse_json_reply
from bulletin_qa.names.glossary import load_glossary
from bulletin_qa.prompts_loader import load_prompt
from bulletin_qa.text.numbers import check_numbers
from e2e.e2e_helpers import GLOSSARY, Exchange, SampleStore, corrected, exchanges, is_correction, ok, run
from wire_helpers import WireTarget

pytestmark = pytest.mark.vcr

HOSPITAL = "hewan-2024-03-15-05"  # 河湾区人民医院互联网医院上线 (2024-03-11), 157 characters
RIVER = "hewan-2024-03-15-04"  # 清川市出台清川河流域生态保护条例实施方案 (2024-03-12)
CARNIVAL = "hewan-2024-01-08-04"  # 第三届河湾冰雪嘉年华开幕 (2024-01-08, approximate)
# How the summariser strips a Markdown code fence around a reply (writing/summarize.py).
FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)
NOT_JSON = "the model did not answer in JSON; its whole reply is used as the summary"


def summary_of(reply: str) -> tuple[str, bool]:
    """(the summary text the tool should take from a summary reply, was it the JSON the prompt asks for)."""
    try:
        data = parse_json_reply(reply)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("summary"), str):
        return data["summary"].strip(), True
    return FENCE.sub("", reply).strip(), False


def test_summarize_in_english_records_provenance_and_checks_numbers(
        llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    result = ok(run("summarize", CARNIVAL, "--lang", "en", "--json", "--no-cache"))
    calls = exchanges(vcr, record_mode)
    exchange = calls[0]
    assert len(calls) <= 2  # the reply, and at most one corrective round
    if len(calls) == 2:
        corrected(exchange, calls[1])
    assert all(c.body.get("response_format", {}).get("type") in ("json_schema", "json_object") for c in calls)
    article = sample_store.articles[CARNIVAL]
    assert "Title: 第三届河湾冰雪嘉年华开幕\nDate: 2024-01-08 (approximate)" in exchange.user
    assert "北渠公园 = Beiqu Park" in exchange.user  # our glossary's entries for this article, and only those
    assert "河湾区人民医院" not in exchange.user
    [summary] = json.loads(result.stdout)
    assert (summary["article_id"], summary["lang"], summary["mode"]) == (CARNIVAL, "en", "llm")
    assert summary["model"].startswith(llm_env.model)
    prompt = "summarize.en+writing.correct" if len(calls) == 2 else "summarize.en"
    assert (summary["prompt"], summary["prompt_hash"]) == (prompt, load_prompt("summarize.en").hash)
    assert summary["citation"]["article_id"] == CARNIVAL
    assert summary["names"] == {"冰雪嘉年华": "Ice and Snow Carnival", "北渠公园": "Beiqu Park",
                                "区文广旅局": "District Bureau of Culture and Tourism"}
    kept = [c for c in calls if summary_of(c.reply)[0] == summary["text"]]
    assert kept  # the text is one of the model's replies, as parsed
    text, parsed = summary_of(kept[-1].reply)
    assert (NOT_JSON in summary["warnings"]) == (not parsed)
    added = check_numbers(f"{article.title}\n{article.text}", text, complete=False, context="2024-01-08 (approximate)")
    assert set(added) <= set(summary["warnings"])
    assert summary["citation"]["verified"] == (not any("number" in w for w in summary["warnings"]))
    for warning in summary["warnings"]:
        assert f"warning: {CARNIVAL} (en): {warning}" in result.stderr
    assert f"LLM: {len(calls)} call(s)" in result.stderr


def test_translate_an_article_checks_numbers_and_glossary_names(
        llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    result = ok(run("translate", HOSPITAL, "--to", "en", "--json", "--no-cache"))
    calls = exchanges(vcr, record_mode)
    title_call, body_call = [c for c in calls if not is_correction(c)]
    fixes = [c for c in calls if is_correction(c)]
    article = sample_store.articles[HOSPITAL]
    assert title_call.user.endswith(f"Translate:\n<source>\n{article.title}\n</source>")  # fenced as data
    assert "Translate:\n<source>\n本报讯 3月11日，河湾区人民医院互联网医院正式上线运行。" in body_call.user
    assert "河湾区人民医院 = Hewan District People's Hospital" in body_call.user
    translation = json.loads(result.stdout)
    assert translation["source"] == HOSPITAL and translation["citation"]["article_id"] == HOSPITAL
    titles = [title_call.reply.strip()] + [c.reply.strip() for c in fixes if title_call.reply in c.prompt]
    bodies = [body_call.reply.strip()] + [c.reply.strip() for c in fixes if body_call.reply in c.prompt]
    assert translation["title"] in titles and translation["text"] in bodies
    assert translation["model"] == llm_env.model
    assert (translation["prompt"], translation["prompt_hash"]) == ("translate.en", load_prompt("translate.en").hash)
    assert translation["usage"]["calls"] == len(calls)
    glossary = load_glossary(GLOSSARY)
    assert translation["number_issues"] == (check_numbers(article.title, translation["title"], complete=True)
                                            + check_numbers(article.text, translation["text"], complete=True))
    assert translation["glossary_issues"] == (glossary.check(article.title, translation["title"], complete=True)
                                              + glossary.check(article.text, translation["text"], complete=True))
    for issue in translation["number_issues"] + translation["glossary_issues"] + translation["english_issues"]:
        assert f"check: {issue}" in result.stderr


def _summary_call(calls: list[Exchange], title: str) -> Exchange:
    [call] = [c for c in calls if c.body["messages"][-1]["content"].count(title) and "importance" not in c.prompt]
    return call


def test_digest_in_chinese_summarises_each_story_and_asks_for_themes(
        llm_env: WireTarget, sample_store: SampleStore, vcr, record_mode: str) -> None:
    result = ok(run("digest", "--since", "2024-03-11", "--until", "2024-03-12", "--lang", "zh", "--by", "event",
                  "--json", "--no-cache"))
    every = exchanges(vcr, record_mode)
    calls = [c for c in every if not is_correction(c)]
    assert len(calls) == 3  # one summary per article, one theme call (plus any corrective rounds)
    theme_call = [c for c in calls if "importance" in c.prompt][-1]
    assert "importance" in theme_call.prompt
    digest = json.loads(result.stdout)
    assert (digest["since"], digest["until"], digest["lang"], digest["mode"]) == ("2024-03-11", "2024-03-12", "zh", "llm")
    assert digest["model"] == llm_env.model
    # the first summary's prompt (with the corrective round's when it ran), then the theme prompt
    assert digest["prompt"] in ("summarize.zh+digest.themes.zh", "summarize.zh+writing.correct+digest.themes.zh")
    assert digest["prompt_hash"] == f"{load_prompt('summarize.zh').hash}+{load_prompt('digest.themes.zh').hash}"
    assert digest["usage"]["calls"] == len(every)
    assert sorted(i for e in digest["entries"] for i in e["article_ids"]) == [RIVER, HOSPITAL]
    for entry in digest["entries"]:
        lead = sample_store.articles[entry["article_ids"][0]]
        assert entry["citations"][0]["article_id"] == lead.id and entry["date"] == lead.date.isoformat()
        call = _summary_call(calls, lead.title)
        options = [call.reply] + [c.reply for c in every if is_correction(c) and call.reply in c.prompt]
        assert entry["summary"] in [summary_of(r)[0] for r in options]
        text, parsed = summary_of(next(r for r in options if summary_of(r)[0] == entry["summary"]))
        assert (f"{entry['headline']}: {NOT_JSON}" in digest["warnings"]) == (not parsed)
        assert lead.title in theme_call.user  # every story is listed for the theme call
    try:
        themes_parsed = isinstance(parse_json_reply(theme_call.reply), list)
    except ValueError:
        themes_parsed = False
    not_a_list = "the theme reply was not a JSON list; themes and order are the offline ones"
    assert (not_a_list in digest["warnings"]) == (not themes_parsed)
    assert all(f"warning (zh): {w}" in result.stderr for w in digest["warnings"])
