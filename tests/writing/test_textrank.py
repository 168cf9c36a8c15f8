"""Extractive summaries: sentence splitting, TextRank ranking, redundancy removal, budgets."""

from __future__ import annotations

import pytest

from bulletin_qa.writing import textrank
from bulletin_qa.writing.summarize import Summarizer

from .conftest import FLOOD, PROJECT, article


@pytest.mark.parametrize(("text", "expected"), [
    ("会议召开。领导讲话！大家鼓掌？", ["会议召开。", "领导讲话！", "大家鼓掌？"]),
    ("他说：“要抓落实。”随后散会。", ["他说：“要抓落实。”", "随后散会。"]),
    ("第一段没有句号\n第二段。", ["第一段没有句号", "第二段。"]),
    ("", []),
    ("   \n\n  ", []),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert textrank.split_sentences(text) == expected


def test_long_sentence_is_cut_at_semicolons() -> None:
    clause = "要盯紧重点部位和薄弱环节，全面排查消除各类风险隐患" * 3
    parts = textrank.split_sentences(f"{clause}；{clause}；{clause}。")
    assert len(parts) == 3
    assert parts[0].endswith("；") and parts[-1].endswith("。")


@pytest.mark.parametrize(("text", "expected"), [
    ("防汛演练", ["防汛", "汛演", "演练"]),
    ("防汛，演练", ["防汛", "汛演", "演练"]),  # punctuation does not break bigrams
    ("汛", ["汛"]),
    ("", []),
])
def test_bigrams(text: str, expected: list[str]) -> None:
    assert textrank.bigrams(text) == expected


def test_extract_keeps_the_lead_and_quotes_verbatim() -> None:
    picked = textrank.extract(FLOOD, "short")
    assert picked.sentences, "nothing extracted"
    assert picked.sentences[0].startswith("5月6日，二七区召开")
    assert all(s in FLOOD for s in picked.sentences)
    assert picked.indices == sorted(picked.indices)


def test_short_budget_is_smaller_than_long() -> None:
    short, long = textrank.extract(PROJECT + FLOOD, "short"), textrank.extract(PROJECT + FLOOD, "long")
    assert len(short.text) <= textrank.BUDGETS["short"][0] + max(len(s) for s in short.sentences)
    assert len(short.sentences) < len(long.sentences)
    assert set(short.sentences) <= set(long.sentences) or len(long.text) > len(short.text)


def test_redundant_sentences_are_not_picked_twice() -> None:
    repeated = "二七区举行二季度重点项目集中开工仪式，共有15个项目开工。"
    text = repeated + repeated + "开工项目涵盖先进制造、商贸物流和城市更新等领域。" + repeated
    picked = textrank.extract(text, "long")
    assert picked.sentences.count(repeated) == 1


def test_extract_of_empty_text() -> None:
    assert textrank.extract("", "short").sentences == []


def test_extractive_summary_records_provenance_and_citation() -> None:
    a = article("page-09", "防汛部署会", FLOOD, None)
    s = Summarizer(llm=None).summarize(a, "zh", "short")
    assert s.mode == "extractive"
    assert (s.model, s.prompt, s.prompt_hash) == ("extractive", "textrank", textrank.ALGORITHM_HASH)
    assert s.citation is not None and s.citation.article_id == "page-09" and s.citation.verified
    assert s.citation.quote in FLOOD and s.text.startswith(s.citation.quote)


def test_extractive_summary_is_cached(summarizer_factory) -> None:
    a = article("page-09", "防汛部署会", FLOOD, None)
    first = summarizer_factory().summarize(a, "zh", "long")
    again = summarizer_factory()
    assert again.summarize(a, "zh", "long") == first
    assert again.cache.hits == 1


@pytest.mark.parametrize(("lead", "expected"), [
    ("本报讯 5月6日，二七区召开防汛会议。", "5月6日，二七区召开防汛会议。"),
    ("本报3月13日讯（记者 陆晴 通讯员 马骏）河湾区召开会议。", "河湾区召开会议。"),
    ("新华社清川3月12日电（记者 王海涛）方案印发。", "方案印发。"),
    ("本报记者 陆晴 通讯员 高原 报道 5月18日，文化节开幕。", "5月18日，文化节开幕。"),
    ("5月6日，二七区召开防汛会议。", "5月6日，二七区召开防汛会议。"),
])
def test_extractive_summary_drops_datelines(lead: str, expected: str) -> None:
    s = Summarizer(llm=None).summarize(article("page-09", "标题", lead, None), "zh", "short")
    assert s.text == expected and s.citation is not None and s.citation.quote == expected


def test_lead_sentence_comes_first_even_when_not_central() -> None:
    speech = "樊惠林强调，要坚定信心、锚定目标、鼓足干劲，推动产业发展和经济工作提质增效。"
    text = "本报讯 5月4日，二七区召开经济工作推进会。" + speech * 2 + "会议要求推动产业发展和经济工作提质增效。"
    assert textrank.extract(text, "short").indices[0] == 0


@pytest.mark.parametrize(("sentence", "continues"), [
    ("二要坚定信心，攻坚克难。", True),
    ("三是强化督导检查。", True),
    ("一是切实提高思想认识。", True),
    ("其三，加强宣传。", True),
    ("第二，做好物资保障。", True),
    ("（二）强化隐患排查。", True),
    ("“二要压实责任。", True),
    ("二七区召开防汛应急演练动员会。", False),   # 二七区 is a name, not a point
    ("三季度安全生产工作会议召开。", False),
    ("会议要求，全区共开展十二个专项检查行动。", False),
])
def test_continues_enumeration(sentence: str, continues: bool) -> None:
    assert textrank.continues_enumeration(sentence) is continues


def test_summary_never_quotes_an_enumeration_point_and_prefers_facts_to_speech() -> None:
    text = ("本报讯 4月2日，青湖区召开城市更新动员会。"
            "林若溪强调，城市更新是民生工程，要加快推进，确保群众满意，把好事办好办实。"
            "一是坚持规划引领，科学编制城市更新规划，统筹推进各项工作。"
            "二要压实工作责任，层层抓好落实，确保各项任务按期完成。"
            "根据方案，三年内计划投资48.6亿元，改造老旧小区62个。")
    picked = textrank.extract(text, "short")
    assert not any(textrank.continues_enumeration(s) for s in picked.sentences)
    assert "48.6亿元" in picked.text and picked.sentences[0].startswith("本报讯 4月2日")
