"""English translation through the LLM (FakeLLM): blocks, number and glossary checks, digests."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin_qa.errors import LLMError, LLMNotConfigured
from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.models import Citation, Digest, DigestEntry
from bulletin_qa.prompts_loader import load_prompt
from bulletin_qa.writing.translate import Translator, blocks, require_llm

from .conftest import article

TEXT = "5月6日，二七区召开防汛会议，区委书记樊惠LIN出席。".replace("LIN", "林") + "\n全区排查风险点位126处。"
ART = article("page-01", "二七区召开防汛会议", TEXT, dt.date(2023, 5, 6))
GOOD_TITLE = "Erqi District holds flood-control meeting"
GOOD_BODY = ("On May 6, Erqi District held a flood-control meeting, attended by Fan Huilin, "
             "Secretary of the District CPC Committee.\n\n126 risk points were checked across the district.")


def test_without_llm_it_says_what_to_set() -> None:
    with pytest.raises(LLMNotConfigured) as err:
        require_llm(None, "Translation to English")
    text = str(err.value)
    assert "OPENAI_API_KEY" in text and "OPENAI_BASE_URL" in text and "BULLETIN_QA_CHAT_MODEL" in text
    with pytest.raises(LLMNotConfigured):
        Translator(llm=None)


@pytest.mark.parametrize(("text", "size", "expected"), [
    ("甲。\n乙。\n丙。", 100, ["甲。\n\n乙。\n\n丙。"]),
    ("甲甲甲。\n乙乙乙。\n丙丙丙。", 8, ["甲甲甲。", "乙乙乙。", "丙丙丙。"]),
    ("甲甲甲。\n\n\n乙。", 9, ["甲甲甲。\n\n乙。"]),
    ("", 10, []),
])
def test_blocks(text: str, size: int, expected: list[str]) -> None:
    assert blocks(text, size) == expected


def test_article_translation_is_clean_when_faithful(glossary) -> None:
    llm = FakeLLM([GOOD_TITLE, GOOD_BODY])
    t = Translator(llm=llm, glossary=glossary, correct=False).article(ART)
    assert (t.title, t.text) == (GOOD_TITLE, GOOD_BODY)
    assert t.number_issues == [] and t.glossary_issues == []
    assert (t.model, t.prompt, t.prompt_hash) == ("fake-model", "translate.en", load_prompt("translate.en").hash)
    assert t.citation is not None and t.citation.article_id == "page-01"
    assert "樊惠林 = Fan Huilin" in llm.calls[1][-1]["content"]
    assert t.usage.calls == 2


def test_article_translation_reports_mismatches(glossary) -> None:
    body = "On May 6, Erqi District held a meeting attended by Huilin Fan.\n\n162 risk points were checked."
    t = Translator(llm=FakeLLM([GOOD_TITLE, body]), glossary=glossary, correct=False).article(ART)
    assert t.number_issues == ["number '126' of the source is missing from the output",
                               "number '162' in the output does not occur in the source"]
    assert "樊惠林 is rendered differently; the glossary says 'Fan Huilin'" in t.glossary_issues
    assert any("区委书记 should appear as" in i for i in t.glossary_issues)


def test_empty_translation_is_an_error(glossary) -> None:
    with pytest.raises(LLMError, match="empty translation"):
        Translator(llm=FakeLLM(["  "]), glossary=glossary).text("二七区召开会议。")


def test_digest_translation(glossary) -> None:
    zh = Digest(since=dt.date(2023, 5, 1), until=dt.date(2023, 5, 7), lang="zh", mode="extractive",
                model="extractive", prompt="textrank", prompt_hash="abc", entries=[DigestEntry(
                    headline="二七区召开防汛会议", date=dt.date(2023, 5, 6), summary="全区排查风险点位126处。",
                    theme="安全与应急", article_ids=["page-01"],
                    citations=[Citation(n=1, article_id="page-01", title="二七区召开防汛会议")])])
    llm = FakeLLM(["Erqi District holds flood meeting", "126 risk points were checked."])
    en = Translator(llm=llm, glossary=glossary, correct=False).digest(zh)
    assert len(llm.calls) == 2  # the theme label comes from the fixed theme list, not the LLM
    assert en.lang == "en" and en.entries[0].theme == "Safety and emergencies"
    assert en.entries[0].headline == "Erqi District holds flood meeting"
    assert en.entries[0].citations == zh.entries[0].citations
    assert (en.model, en.prompt) == ("fake-model", "textrank+translate.en")
    assert en.warnings == []


def test_summary_translation_keeps_the_citation(glossary) -> None:
    from bulletin_qa.models import Summary

    zh = Summary(article_id="page-01", title="二七区召开防汛会议", lang="zh", text="区委书记樊惠林要求储备沙袋3.5万条。",
                 mode="extractive", citation=Citation(n=1, article_id="page-01", title="二七区召开防汛会议"),
                 model="extractive", prompt="textrank", prompt_hash="abc")
    llm = FakeLLM(["Erqi District holds flood meeting",
                   "Fan Huilin, Secretary of the District CPC Committee, asked for 30,000 sandbags."])
    en = Translator(llm=llm, glossary=glossary, correct=False).summary(zh)
    assert (en.lang, en.mode, en.model, en.prompt) == ("en", "llm", "fake-model", "translate.en")
    assert en.citation == zh.citation and en.names["樊惠林"] == "Fan Huilin"
    assert en.warnings == ["number '3.5万' of the source is missing from the output",
                           "number '30,000' in the output does not occur in the source"]


def test_translation_reports_english_findings_and_corrects_a_block_once(glossary) -> None:
    chinese = "5月6日，二七区召开防汛工作部署会。"
    bad, good = "On June 6, The 27th District held a flood meeting.", "On May 6, Erqi District held a flood meeting."
    llm = FakeLLM([bad, good])
    t = Translator(llm=llm, glossary=glossary).document(chinese, "note.txt")
    assert len(llm.calls) == 2 and llm.calls[1][-2] == {"role": "assistant", "content": bad}
    sent = llm.calls[1][-1]["content"]
    assert "date June 6 in the output is not in the source" in sent and "may stand for 二七区" in sent
    assert t.text == good and t.english_issues == [] and t.glossary_issues == []


def test_translation_keeps_reporting_what_the_correction_did_not_fix(glossary) -> None:
    chinese = "5月6日，二七区召开防汛工作部署会。"
    bad = "On June 6, Erqi District held a 防汛 meeting."
    t = Translator(llm=FakeLLM([bad, bad]), glossary=glossary).document(chinese, "note.txt")
    assert t.text == bad
    assert any("June 6" in i for i in t.english_issues) and any("防汛" in i for i in t.english_issues)


def test_a_correction_that_drops_the_text_is_not_kept(glossary) -> None:
    chinese = "5月6日，二七区召开防汛工作部署会。"
    bad = "On June 6, Erqi District held a 防汛 meeting on flood control and safety."
    remark = "The text has been corrected."   # what Qwen2.5-Coder-1.5B once replied: fewer findings, no text
    t = Translator(llm=FakeLLM([bad, remark]), glossary=glossary).document(chinese, "note.txt")
    assert t.text == bad and any("June 6" in i for i in t.english_issues)
