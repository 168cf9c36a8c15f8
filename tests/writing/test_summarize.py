"""LLM summaries through the prompts (FakeLLM), their checks, caching, and the offline English note."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bulletin_qa.errors import LLMError, NotFound
from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.llm.json_reply import parse_json_reply
from bulletin_qa.prompts_loader import load_prompt
from bulletin_qa.writing.summarize import LIMITS, SUMMARY_SCHEMA, fetch_articles, summarize_articles

from .conftest import FLOOD, article

FLOOD_ARTICLE = article("page-01", "二七区召开防汛工作部署会", FLOOD, dt.date(2023, 5, 6))
ZH_REPLY = json.dumps({"headline": "二七区部署防汛", "summary": "5月6日，二七区召开防汛工作部署会，排查风险点位126处。"},
                      ensure_ascii=False)
EN_REPLY = json.dumps({"headline": "Erqi District plans flood control",
                       "summary": "On May 6, Erqi District held a flood-control meeting; Fan Huilin asked for "
                                  "35,000 sandbags by May 20."})


@pytest.mark.parametrize(("reply", "expected"), [
    ('{"a": 1}', {"a": 1}),
    ('```json\n{"a": "摘要"}\n```', {"a": "摘要"}),
    ('Here it is: [{"n": 1}] hope this helps', [{"n": 1}]),
])
def test_parse_json_reply(reply: str, expected: object) -> None:
    assert parse_json_reply(reply) == expected


def test_chinese_llm_summary_records_provenance(summarizer_factory) -> None:
    llm = FakeLLM([ZH_REPLY])
    s = summarizer_factory(llm).summarize(FLOOD_ARTICLE, "zh", "short")
    assert (s.mode, s.lang, s.model) == ("llm", "zh", "fake-model")
    assert (s.prompt, s.prompt_hash) == ("summarize.zh", load_prompt("summarize.zh").hash)
    assert s.text.startswith("5月6日") and s.title == "二七区召开防汛工作部署会"  # the article keeps its title
    assert s.citation is not None and s.citation.article_id == "page-01" and s.citation.verified
    assert s.warnings == []
    sent = "\n".join(m["content"] for m in llm.calls[0])
    assert FLOOD in sent and f"不超过{LIMITS[('zh', 'short')]}字" in sent


def test_rerun_makes_no_llm_call(summarizer_factory) -> None:
    summarizer_factory(FakeLLM([ZH_REPLY])).summarize(FLOOD_ARTICLE, "zh")
    again = FakeLLM([])  # would fail the test if called
    s = summarizer_factory(again).summarize(FLOOD_ARTICLE, "zh")
    assert again.calls == [] and s.mode == "llm"


@pytest.mark.parametrize("change", ["content", "length", "model"])
def test_cache_key_covers_content_length_and_model(summarizer_factory, change: str) -> None:
    summarizer_factory(FakeLLM([ZH_REPLY])).summarize(FLOOD_ARTICLE, "zh", "short")
    llm = FakeLLM([ZH_REPLY], model="other-model" if change == "model" else "fake-model")
    a = FLOOD_ARTICLE.model_copy(update={"text": FLOOD + "会议时长两小时。"}) if change == "content" else FLOOD_ARTICLE
    summarizer_factory(llm).summarize(a, "zh", "long" if change == "length" else "short")
    assert len(llm.calls) == 1


def test_english_summary_gets_only_relevant_glossary_entries(summarizer_factory) -> None:
    llm = FakeLLM([EN_REPLY])
    s = summarizer_factory(llm).summarize(FLOOD_ARTICLE, "en")
    sent = llm.calls[0][-1]["content"]
    assert "樊惠林 = Fan Huilin" in sent and "区委书记 = Secretary of the District CPC Committee" in sent
    assert "District Mayor" not in sent
    assert s.title == "Erqi District plans flood control" and s.lang == "en"
    assert s.names["樊惠林"] == "Fan Huilin"
    assert s.warnings == []


def test_english_summary_checks_names_and_numbers(summarizer_factory) -> None:
    reply = json.dumps({"headline": "Flood meeting", "summary": "Fan Hui-lin of Erqi District ordered 50,000 sandbags."})
    s = summarizer_factory(FakeLLM([reply])).summarize(FLOOD_ARTICLE, "en")
    # The same syllables spelt another way are written as the glossary's form, and noted.
    assert s.text == "Fan Huilin of Erqi District ordered 50,000 sandbags."
    assert "spelling changed: 樊惠林 was written “Fan Hui-lin”, now the glossary's “Fan Huilin”" in s.warnings
    assert "number '50,000' in the output does not occur in the source" in s.warnings
    assert s.citation is not None and not s.citation.verified


def test_english_summary_flags_the_issues_date_chinese_and_glossary_findings(summarizer_factory) -> None:
    reply = json.dumps({"headline": "Flood meeting", "summary": "On June 4, The 27th District held 防汛 talks."})
    llm = FakeLLM([reply])
    s = summarizer_factory(llm).summarize(FLOOD_ARTICLE, "en")
    assert llm.schemas == [SUMMARY_SCHEMA]
    joined = "\n".join(s.warnings)
    assert "date June 4 in the output is not in the source" in joined
    assert "Chinese left in the English: 防汛" in joined
    assert "“The 27th District” may stand for 二七区" in joined


def test_corrective_round_sends_the_findings_once_and_keeps_the_better_reply(summarizer_factory) -> None:
    bad = json.dumps({"headline": "Flood meeting", "summary": "The 27th District held flood talks."})
    good = json.dumps({"headline": "Flood meeting", "summary": "Erqi District held flood talks."})
    llm = FakeLLM([bad, good])
    s = summarizer_factory(llm, correct=True).summarize(FLOOD_ARTICLE, "en")
    assert len(llm.calls) == 2 and llm.schemas == [SUMMARY_SCHEMA, SUMMARY_SCHEMA]
    assert llm.calls[1][-2] == {"role": "assistant", "content": bad}
    assert "“The 27th District” may stand for 二七区" in llm.calls[1][-1]["content"]
    assert s.text == "Erqi District held flood talks." and s.prompt == "summarize.en+writing.correct"
    assert s.warnings == ["one corrective round was run; its reply is shown, 0 finding(s) remain"]


def test_corrective_round_keeps_the_first_reply_when_the_second_is_no_better(summarizer_factory) -> None:
    bad = json.dumps({"headline": "Flood meeting", "summary": "The 27th District held flood talks."})
    worse = json.dumps({"headline": "Flood meeting", "summary": "On June 9, The 27th District held 防汛 talks."})
    s = summarizer_factory(FakeLLM([bad, worse]), correct=True).summarize(FLOOD_ARTICLE, "en")
    assert s.text == "The 27th District held flood talks."
    assert any("may stand for 二七区" in w for w in s.warnings)
    # the glossary finding and the invented number 27 (one number checker reads digits beside letters too)
    assert s.warnings[-1] == "one corrective round was run; the first reply is shown, 2 finding(s) remain"


def test_no_corrective_round_when_nothing_is_found(summarizer_factory) -> None:
    llm = FakeLLM([ZH_REPLY])
    summarizer_factory(llm, correct=True).summarize(FLOOD_ARTICLE, "zh")
    assert len(llm.calls) == 1


def test_reply_that_is_not_json_is_used_and_not_cached(summarizer_factory) -> None:
    first = summarizer_factory(FakeLLM(["二七区召开防汛工作部署会。"])).summarize(FLOOD_ARTICLE, "zh")
    assert first.text == "二七区召开防汛工作部署会。"
    assert any("JSON" in w for w in first.warnings)
    second = FakeLLM([ZH_REPLY])
    summarizer_factory(second).summarize(FLOOD_ARTICLE, "zh")
    assert len(second.calls) == 1


def test_empty_reply_is_an_error(summarizer_factory) -> None:
    with pytest.raises(LLMError, match="empty summary for article page-01"):
        summarizer_factory(FakeLLM(['{"headline": "", "summary": ""}'])).summarize(FLOOD_ARTICLE, "zh")


def test_offline_english_says_what_to_configure_and_gives_names(summarizer_factory) -> None:
    a = FLOOD_ARTICLE.model_copy(update={"reporters": ["景静"]})
    s = summarizer_factory(None).summarize(a, "en")
    assert s.mode == "glossary" and s.model is None
    assert "OPENAI_API_KEY" in s.text and "BULLETIN_QA_CHAT_MODEL" in s.text
    assert s.names["樊惠林"] == "Fan Huilin" and s.names["二七区"] == "Erqi District"
    assert s.names["景静"] == "Jing Jing"  # not in the glossary: pinyin from the byline


def test_both_languages_in_order(summarizer_factory) -> None:
    llm = FakeLLM([ZH_REPLY, EN_REPLY])
    progress: list[tuple[int, int, str]] = []
    found = summarize_articles([FLOOD_ARTICLE], langs=["zh", "en"], length="short",
                               summarizer=summarizer_factory(llm), on_progress=lambda *a: progress.append(a))
    assert [s.lang for s in found] == ["zh", "en"]
    assert progress == [(1, 2, "page-01"), (2, 2, "page-01")]


class _Store:
    def __init__(self, articles):
        self.articles = {a.id: a for a in articles}

    def get_articles(self, ids):
        return {i: self.articles[i] for i in ids if i in self.articles}


def test_unknown_ids_are_all_reported() -> None:
    with pytest.raises(NotFound) as err:
        fetch_articles(_Store([FLOOD_ARTICLE]), ["page-01", "nope-1", "nope-2"])
    assert "nope-1, nope-2" in str(err.value) and "bulletin-qa" in str(err.value)
    assert [a.id for a in fetch_articles(_Store([FLOOD_ARTICLE]), ["page-01", "page-01"])] == ["page-01"]
