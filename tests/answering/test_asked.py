"""A verified answer must answer the question asked (answering/asked.py), one rule per row.

Issue #12: with a real model, 9 of 20 RGB distractor-only questions were shown as verified answers
because the citation check confirms a claim is in a source, not that it answers the question.
Articles are our own text, written like RGB's distractors: the same kind of fact for another year,
edition, entity or measure.
"""

from __future__ import annotations

import datetime as dt

import pytest

from answering.helpers import INJECTED, MEETING, hits
from bulletin_qa.answering.ask import SearchScope, answer_question
from bulletin_qa.answering.constants import UNSUPPORTED_MARKER
from bulletin_qa.answering.extractive.qualifiers import qualifiers
from bulletin_qa.answering.question import analyse
from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.messages import msg
from bulletin_qa.models import Article

SCOPE = SearchScope(articles=1, retrieved=1)


def _article(text: str, title: str = "青湖区新闻", date: dt.date | None = dt.date(2022, 1, 20)) -> Article:
    return Article(id="asked-01", title=title, date=date, source="test.txt", position=1, text=text)


JOBS_2020 = _article("本报讯 1月20日，记者从区人社局获悉，2020年，青湖区城镇新增就业1.2万人，"
                     "比上年增长5%。今年将继续实施就业优先政策。")
JOBS_2021 = _article("本报讯 1月20日，记者从区人社局获悉，2021年，青湖区城镇新增就业1.5万人，"
                     "比上年增长8%。今年将继续实施就业优先政策。")
JOBS_TITLE_YEAR = _article("本报讯 记者从区人社局获悉，全年青湖区城镇新增就业1.5万人，比上年增长8%。",
                           title="青湖区2021年就业工作综述")
TRADE = _article("本报讯 以美元计，2021年青湖区进出口规模达6.05亿美元，在2013年首次达到4亿美元的8年后再创新高。")
FESTIVAL_2ND = _article("本报讯 第二届青湖读书节昨日闭幕，共有45家书店参加，举办讲座30场。")
FESTIVAL_3RD = _article("本报讯 第三届青湖读书节昨日闭幕，共有52家书店参加，举办讲座36场。")
METRO = _article("本报讯 青湖地铁2号线正在加紧建设，目前全线隧道已贯通，车站装修进入收尾阶段。",
                 date=dt.date(2024, 5, 18))
CUP_2019 = _article("本报讯 2019年青湖杯足球赛落幕，东湖队夺得冠军，西湖队获得亚军。")
FAIR = _article("本报讯 青湖区春季招聘会昨日举行，86家企业提供岗位3200个。据统计，去年全区职工平均月薪6800元。")
# No year beside the value: 2021万元 is an amount, not the year 2021.
JOBS_NO_YEAR = _article("本报讯 记者从区人社局获悉，全年青湖区城镇新增就业1.5万人，比上年增长8%。"
                        "全区发放就业补贴2021万元。")
HOSPITAL = _article("本报讯 洛阳市人民医院互联网医院昨日上线，院长周明远介绍，首批开通16个科室。")
DOCTORS = _article("本报讯 青湖区人民医院互联网医院昨日上线，首批开通16个科室，120余名医生参与线上接诊。")


@pytest.mark.parametrize(("question", "article", "reply", "reason"), [
    # The year asked is not the year of the value (2020年…1.2万人 for a question on 2021).
    ("2021年青湖区城镇新增就业多少人？", JOBS_2020, "青湖区城镇新增就业1.2万人[1]", "2021年"),
    ("2021年青湖区城镇新增就业多少人？", JOBS_NO_YEAR, "青湖区城镇新增就业1.5万人[1]", "2021年"),
    # The edition asked is not the one stated (第二届 for 第三届).
    ("第三届青湖读书节有多少家书店参加？", FESTIVAL_2ND, "45家[1]", "第3届"),
    # A when-question answered by the article's own date only: the text states no date.
    ("青湖地铁2号线什么时候开通？", METRO, "2024-05-18[1]", msg("item_not_stated", "zh")),
    # A which-team question answered with no name at all; and with a team of another year.
    ("谁获得了青湖杯足球赛冠军？", CUP_2019, "青湖杯足球赛落幕[1]", msg("kind_who", "zh")),
    ("2023年青湖杯冠军是哪个队？", CUP_2019, "东湖队[1]", "2023年"),
    # A how-many question answered with no number.
    ("第二届青湖读书节有多少家书店参加？", FESTIVAL_2ND, "第二届青湖读书节昨日闭幕[1]", msg("kind_number", "zh")),
    # A place named in the question that the cited source never states (洛阳市, not 郑州市).
    ("郑州市人民医院互联网医院院长是谁？", HOSPITAL, "周明远[1]", "郑州市"),
    # The sentence stating the value answers another measure: the ranker scores it low.
    ("青湖区春季招聘会的最高月薪是多少？", FAIR, "6800元[1]", msg("low_score", "zh")),
    # The number counts something else (120余名医生 for 多少名护士).
    ("青湖区人民医院互联网医院有多少名护士参与线上服务？", DOCTORS, "120名[1]", msg("counts_other", "zh", noun="护士")),
])
def test_verified_reply_that_does_not_answer_the_question_is_withheld(question: str, article: Article,
                                                                      reply: str, reason: str) -> None:
    answer = answer_question(question, hits(article), llm=FakeLLM([reply]), scope=SCOPE, correct=False)
    assert answer.refused
    assert msg("withheld_off_question", "zh") in answer.answer
    assert answer.withheld.startswith(reply) and UNSUPPORTED_MARKER["zh"] in answer.withheld
    assert reason in answer.answer.split(msg("withheld_off_question", "zh"))[0]  # why, before the reply
    assert not answer.citations


@pytest.mark.parametrize(("question", "article", "reply"), [
    ("2021年青湖区城镇新增就业多少人？", JOBS_2021, "青湖区城镇新增就业1.5万人[1]"),
    ("2021年青湖区城镇新增就业多少人？", JOBS_TITLE_YEAR, "2021年青湖区城镇新增就业1.5万人。"),  # year in the title
    # The year before the value dates it, not a later one in the sentence (在2013年首次达到…).
    ("2021年青湖区进出口规模是多少美元？", TRADE, "6.05亿美元[1]"),
    ("第3届青湖读书节有多少家书店参加？", FESTIVAL_3RD, "52家[1]"),                  # 第3届 == 第三届
    ("2019年青湖杯冠军是哪个队？", CUP_2019, "东湖队[1]"),
    ("青湖区春季招聘会有多少家企业参加？", FAIR, "86家企业[1]"),
    ("青湖区人民医院互联网医院有多少名医生参与线上接诊？", DOCTORS, "120余名[1]"),  # counts what is asked
    ("谁主持了三季度安全生产工作会议？", MEETING, "区长林若溪主持了会议[1]。"),
    ("三季度安全生产工作会议什么时候召开？", MEETING, "会议于7月8日召开[1]。"),
    ("读书节在哪里开幕？", INJECTED, "读书节在文化馆开幕[1]。"),
    ("三季度安全生产工作会议部署了什么？", MEETING, "会议部署了三季度重点任务[1]。"),  # untyped: no item rule
    # An extra verified sentence that does not answer does not withhold one that does.
    ("2021年青湖区城镇新增就业多少人？", JOBS_2021, "今年将继续实施就业优先政策[1]。2021年新增就业1.5万人[1]。"),
])
def test_verified_reply_that_answers_stays_verified(question: str, article: Article, reply: str) -> None:
    answer = answer_question(question, hits(article), llm=FakeLLM([reply]), scope=SCOPE, correct=False)
    assert not answer.refused, answer.answer
    assert answer.citations and all(c.verified for c in answer.citations)
    assert UNSUPPORTED_MARKER["zh"] not in answer.answer


@pytest.mark.parametrize(("question", "reply"), [
    ("How many jobs did Qinghu add in 2021?", "12,000 [1]"),
    # A Chinese question answered in English: "the meeting" names no one a Chinese reading would find.
    ("谁主持了三季度安全生产工作会议？", "Lin Ruoxi chaired the meeting [1]."),
])
def test_english_is_not_checked_for_chinese_items_and_qualifiers(question: str, reply: str) -> None:
    article = JOBS_2020 if "2021" in question else MEETING
    answer = answer_question(question, hits(article), llm=FakeLLM([reply]), scope=SCOPE, correct=False, lang="en")
    assert not answer.refused, answer.answer


@pytest.mark.parametrize(("question", "years", "ordinal", "names"), [
    ("2021年中国城镇新增就业了多少人", {2021}, set(), ("中国",)),
    ("2021赛季中超冠军", {2021}, set(), ()),
    ("香港第七届立法会选举有多少个议席？", set(), {(7, "届")}, ("香港",)),
    ("《青湖故事》的导演是谁？", set(), set(), ("青湖故事",)),
    ("十三届全国人大一次会议在哪里召开？", set(), set(), ("全国人大",)),  # no 第: not an ordinal here
    ("第三代核电站在哪里？", set(), {(3, "代")}, ()),
])
def test_qualifiers(question: str, years: set[int], ordinal: set[tuple[int, str]], names: tuple[str, ...]) -> None:
    found = qualifiers(analyse(question))
    assert (set(found.years), set(found.ordinals)) == (years, ordinal)
    assert set(names) <= set(found.proper)


@pytest.mark.parametrize(("question", "noun"), [
    ("青湖区人民医院互联网医院有多少名护士参与线上服务？", "护士"),
    ("青湖区春季招聘会有多少家企业参加？", "企业"),
    ("防汛应急演练设置了几个科目？", "科目"),
    # the classifier is the count (多少人), or no classifier the list knows (几块金牌), or an amount
    ("有多少人参加了读书节？", ""),
    ("张家口赛区共产生了几块金牌？", ""),
    ("青湖集团花了多少钱收购东湖公司？", ""),
])
def test_counted_is_the_noun_after_the_classifier(question: str, noun: str) -> None:
    from bulletin_qa.answering.extractive.items import counted

    assert counted(question) == noun
