"""The mechanical number check used after translations and summaries."""

from __future__ import annotations

import pytest

from bulletin_qa.text.numbers import check_numbers, chinese_numeral

SOURCE = "5月6日，二七区召开2023年防汛会议，共设置12个科目，投资1.2亿元，三十余家企业参加，增长8.5%。"


@pytest.mark.parametrize(("text", "value"), [
    ("三十", 30), ("十二", 12), ("一百零五", 105), ("两万", 20000), ("二〇二三", 2023), ("三十五万", 350000),
    ("十", 10), ("一", 1), ("一亿两千万", 120_000_000),
])
def test_chinese_numeral(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


@pytest.mark.parametrize(("output", "complete", "expected"), [
    # faithful: month name for 5月, 1.2亿 as 120 million, 三十 as 30
    ("On May 6, 2023, Erqi District held a flood meeting with 12 subjects, investing 120 million yuan; "
     "more than 30 companies took part; growth was 8.5%.", True, []),
    ("5月6日二七区设置12个科目，投资1.2亿元。", False, []),
    # a changed number is both missing and added
    ("On May 6, 2023 the district set 13 subjects, investing 120 million yuan, growth 8.5%.", True,
     ["number '12' of the source is missing from the output",
      "number '13' in the output does not occur in the source"]),
    # summaries may drop numbers (complete=False) but not invent them
    ("The district held a meeting.", False, []),
    ("The district invested 1.2 billion yuan.", False,
     ["number '1.2 billion' in the output does not occur in the source"]),
    # twelve spelled out still carries the number
    ("On May 6, 2023 there were twelve subjects, 120 million yuan, 30 firms, 8.5% growth.", True, []),
])
def test_check_numbers(output: str, complete: bool, expected: list[str]) -> None:
    assert check_numbers(SOURCE, output, complete=complete) == expected


def test_context_numbers_are_allowed_but_not_required() -> None:
    assert check_numbers("会议召开。", "The meeting was held on 2023-05-06.", complete=True) == [
        "number '2023' in the output does not occur in the source",
        "number '05' in the output does not occur in the source",
        "number '06' in the output does not occur in the source",
    ]
    assert check_numbers("会议召开。", "The meeting was held on 2023-05-06.", complete=True, context="2023-05-06") == []


# One number checker for answers, summaries, digests and translations: numbers glued to Chinese
# characters are found, and Chinese numerals equal digits in both directions.
@pytest.mark.parametrize(("source", "output", "added"), [
    ("项目总投资2亿元。", "项目规模999亿元。", ["number '999亿' in the output does not occur in the source"]),
    ("项目总投资2亿元。", "项目总投资2亿元。", []),
    ("项目总投资2亿元。", "The project costs 200 million yuan.", []),
    ("共设置十二个科目。", "共设置12个科目。", []),
    ("共设置12个科目。", "共设置十二个科目。", []),
    ("共设置12个科目。", "共设置十三个科目。", ["number '十三' in the output does not occur in the source"]),
    ("投资一亿两千万元。", "投资1.2亿元。", []),
    ("二〇二三年启动。", "2023年启动。", []),
    ("增长百分之五。", "增长5%。", []),
    ("确认率百分之百。", "确认率100%。", []),
    ("在“十四五”期间。", "在十四五期间。", []),  # a plan's name, not 15
    ("吸引游客1.5万人次。", "吸引游客15000人次。", []),
    ("吸引游客1.5万人次。", "吸引游客2.5万人次。", ["number '2.5万' in the output does not occur in the source"]),
])
def test_one_checker_reads_chinese_numbers_like_ask_does(source: str, output: str, added: list[str]) -> None:
    from bulletin_qa.text.numerals import extract_numbers

    assert check_numbers(source, output, complete=False) == added
    # ask's citation check reads the same numbers: an added number is one the source lacks there too
    assert bool(extract_numbers(output) - extract_numbers(source)) is bool(added)


def test_summary_with_an_invented_number_is_flagged_and_not_verified() -> None:
    import datetime as dt
    import json

    from bulletin_qa.llm.fake import FakeLLM
    from bulletin_qa.models import Article
    from bulletin_qa.writing.summarize import Summarizer

    article = Article(id="n-01", title="河湾区重点项目开工", date=dt.date(2024, 5, 6), source="t.txt", position=1,
                      text="5月6日，河湾区重点项目集中开工，总投资2亿元。")
    reply = json.dumps({"headline": "项目开工", "summary": "5月6日，河湾区重点项目开工，规模999亿元。"}, ensure_ascii=False)
    summary = Summarizer(llm=FakeLLM([reply]), correct=False).summarize(article, "zh")
    assert "number '999亿' in the output does not occur in the source" in summary.warnings
    assert summary.citation is not None and summary.citation.verified is False
