"""Segmenting pages into articles: layouts written for these tests (the real page has its own test)."""

from __future__ import annotations

import pytest

from bulletin_qa.reading import read_page
from bulletin_qa.reading.chars import split_lines
from bulletin_qa.reading.headlines import split_headline
from bulletin_qa.reading.page import NOTHING_RECOGNISED

HEADLINES_AFTER = """\
本报讯 6月 1日，河湾区召开防汛工作会
议，部署今年防汛备汛工作。
记者 沈一鸣

河湾区部署防汛备汛工作

本报讯 近日，区委书记周明远到青石镇调
研桃溪村樱桃产业发展情况。记者 陆晴

区领导调研桃溪村樱桃产业

本报讯 6月 2日，河湾区图书馆新馆开放，
藏书八十五万册。
记者 陆晴
通讯员 马骏

河湾区图书馆新馆开放
"""

TWO_BLOCKS_IN_ONE_GAP = """\
本报讯 3月 14日，河湾区召开优化营商环
境大会，发布三十条措施。记者 沈一鸣

河湾区发布优化营商环境三十条措施

白鹭湾湿地修复二期工程开工

本报讯 4月 3日，白鹭湾湿地修复二期工
程开工，修复湿地一千二百亩。记者 陆晴
"""

PEEL_AND_DATELESS = """\
新华社清川3月12日电（记者 王海涛）清川
市政府新闻办12日发布消息，清川河流域实
施方案印发。

河湾区人民医院
互联网医院上线

本报讯 3月 11日，河湾区人民医院互联网
医院正式上线运行。记者 沈一鸣

让“最多跑一次”成为常态

走进河湾区政务服务中心，不少群众半小时
内就办完了事。记者 沈一鸣
"""

ONE_LINE_BRIEF = """\
河湾区开通12345热线

本报讯 3月 1日，河湾区开通热线。记者 陆晴
"""


def _summary(text: str, name: str = "t-2024-03-15.txt"):
    return [(a.title, a.subtitle, a.reporters, a.correspondents) for a in read_page(text, name)]


def test_headlines_after_their_bodies_chain_to_the_page_end() -> None:
    assert _summary(HEADLINES_AFTER, "t-2024-06-03.txt") == [
        ("河湾区部署防汛备汛工作", "", ["沈一鸣"], []),
        ("区领导调研桃溪村樱桃产业", "", ["陆晴"], []),
        ("河湾区图书馆新馆开放", "", ["陆晴"], ["马骏"]),
    ]


def test_two_headline_blocks_in_one_gap_are_split_by_content() -> None:
    assert [t for t, *_ in _summary(TWO_BLOCKS_IN_ONE_GAP)] == ["河湾区发布优化营商环境三十条措施", "白鹭湾湿地修复二期工程开工"]


def test_trailing_headline_of_bylineless_body_and_dateless_article() -> None:
    articles = read_page(PEEL_AND_DATELESS, "t-2024-03-15.txt")
    assert [(a.title, a.dateline, a.reporters) for a in articles] == [
        ("", "新华社清川3月12日电（记者 王海涛）", ["王海涛"]),
        ("河湾区人民医院互联网医院上线", "本报讯 3月11日", ["沈一鸣"]),
        ("让“最多跑一次”成为常态", "", ["沈一鸣"]),
    ]
    assert articles[0].text.endswith("实施方案印发。")  # the next headline was cut off the body
    assert articles[0].warnings == ["no headline found for this article"]
    assert articles[2].text == "走进河湾区政务服务中心，不少群众半小时内就办完了事。"
    assert (articles[2].date.isoformat(), articles[2].date_approximate) == ("2024-03-15", True)  # type: ignore[union-attr]


def test_dateline_line_that_ends_with_a_byline() -> None:
    [article] = read_page(ONE_LINE_BRIEF, "t-2024-03-15.txt")
    assert (article.title, article.text, article.reporters) == ("河湾区开通12345热线", "本报讯 3月1日，河湾区开通热线。", ["陆晴"])


def test_headline_before_or_after_gives_the_same_article() -> None:
    body = "本报讯 6月 1日，河湾区召开防汛工作会\n议，部署今年防汛备汛工作。记者 沈一鸣\n"
    before = read_page("河湾区部署防汛工作\n\n" + body, "a.txt")[0]
    after = read_page(body + "\n河湾区部署防汛工作\n", "a.txt")[0]
    assert (before.title, before.text) == (after.title, after.text) == ("河湾区部署防汛工作", "本报讯 6月1日，河湾区召开防汛工作会议，部署今年防汛备汛工作。")


def test_nothing_recognised_becomes_one_article_with_a_warning() -> None:
    text = "春天的河湾\n\n清川河边的柳树发芽了，白鹭\n也回来了。\n"
    [article] = read_page(text, "essay.txt")
    assert (article.id, article.title, article.text) == ("essay-01", "春天的河湾", "春天的河湾\n清川河边的柳树发芽了，白鹭也回来了。")
    assert article.warnings == [NOTHING_RECOGNISED]
    assert (article.start, article.end) == (0, len(text) - 1)


def test_empty_page_has_no_articles() -> None:
    assert read_page(" \n\n", "blank.txt") == []


def test_offsets_ids_and_hash_are_stable() -> None:
    first = read_page(HEADLINES_AFTER, "t-2024-06-03.txt")
    second = read_page(HEADLINES_AFTER, "t-2024-06-03.txt")
    assert [a.id for a in first] == ["t-2024-06-03-01", "t-2024-06-03-02", "t-2024-06-03-03"]
    assert [a.content_hash for a in first] == [a.content_hash for a in second]
    last = first[-1]
    covered = HEADLINES_AFTER[last.start : last.end]
    assert covered.startswith("本报讯 6月 2日") and covered.endswith("河湾区图书馆新馆开放")
    assert "通讯员 马骏" in covered


@pytest.mark.parametrize(
    ("printed", "title", "subtitle"),
    [
        ("二七区召开\n防汛应急演练动员会", "二七区召开防汛应急演练动员会", ""),  # broken title
        ("河湾区召开2024年优化\n营商环境大会\n全力打造一流营商环境高地", "河湾区召开2024年优化营商环境大会", "全力打造一流营商环境高地"),
        ("区领导督导安全生产工作\n\n聚焦重点行业领域 确保安全检查常态长效", "区领导督导安全生产工作", "聚焦重点行业领域 确保安全检查常态长效"),
        ("区领导督导安全生产工作\n聚焦重点行业领域\n确保安全检查常态长效", "区领导督导安全生产工作", "聚焦重点行业领域 确保安全检查常态长效"),
        ("以绣花功夫推进城市精细化管理\n\n河湾区召开城市管理工作推进会", "河湾区召开城市管理工作推进会", "以绣花功夫推进城市精细化管理"),  # kicker
        ("河湾区全面启动\n城市更新三年行动\n\n三年投资48.6亿元改造62个小区", "河湾区全面启动城市更新三年行动", "三年投资48.6亿元改造62个小区"),
        ("河湾区召开城市更新与\n\n老旧小区改造动员会", "河湾区召开城市更新与老旧小区改造动员会", ""),  # 与 dangles
        ("中共河湾区委十届六次全会召开\n\n奋力谱写新篇章", "中共河湾区委十届六次全会召开", "奋力谱写新篇章"),
        (" 二七区召开 2023年\n防汛会", "二七区召开2023年防汛会", ""),
        ("", "", ""),
    ],
)
def test_title_and_subtitle(printed: str, title: str, subtitle: str) -> None:
    assert split_headline(split_lines(printed)) == (title, subtitle)


def test_headline_lines_on_both_sides_are_reported_not_lost() -> None:
    text = "河湾区部署防汛工作\n\n本报讯 6月 1日，河湾区召开防汛工作会\n议，部署防汛备汛工作。记者 沈一鸣\n\n防汛工作会议召开\n"
    [article] = read_page(text, "a-2024-06-03.txt")
    assert article.title == "河湾区部署防汛工作"
    assert article.warnings == ["headline lines both before and after this article; not used: 防汛工作会议召开"]
    assert text[article.start : article.end].endswith("防汛工作会议召开")
