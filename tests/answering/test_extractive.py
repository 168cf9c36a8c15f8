"""Offline extractive answers: which sentence is quoted, and when nothing is (refusal)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from answering.helpers import ALL, CARNIVAL, CARNIVAL_MAKER, INSPECTION, MEETING, PARK, SCHOOL, hits
from bulletin_qa.answering.ask import SearchScope, answer_question
from bulletin_qa.answering.extractive.answerer import select
from bulletin_qa.answering.extractive.features import rows_for
from bulletin_qa.answering.extractive.items import item_year
from bulletin_qa.answering.extractive.model import load
from bulletin_qa.answering.question import analyse, predicates, question_type, slot_terms
from bulletin_qa.answering.sources import build_sources
from bulletin_qa.evaluation.datasets import rgb_half, shared_data_dir
from bulletin_qa.messages import msg
from bulletin_qa.models import Article, Hit

DATA = shared_data_dir()
ERQI = DATA / "pages" / "erqi-2023-05.txt"
RGB = DATA / "rgb" / "zh_refine_dev.jsonl"


def ranked(question: str, *articles: Article) -> list[Hit]:
    """The articles ranked for the question by BM25, as keyword search ranks them."""
    from bulletin_qa.evaluation.answerer_data import bm25_top

    return bm25_top(question, list(articles))


@pytest.mark.parametrize(("question", "article_id", "sentence"), [
    # the answer sentence does not repeat the question; the lead sentence does (区委副书记、区长林若溪|主持)
    ("谁主持了三季度安全生产工作会议？", MEETING.id, "区委副书记、区长林若溪主持会议并讲话。"),
    ("全区开展几个专项检查行动？", MEETING.id, "全区共开展十二个专项检查行动"),                      # 几 -> a number
    ("安全生产会议什么时候召开？", MEETING.id, "7月8日上午"),                                      # 什么时候 -> a date
    ("青湖区新建了哪些口袋公园？", PARK.id, "柳荫公园、石桥公园和枫林公园"),                        # 哪些 -> a list
    ("口袋公园总面积是多少？", PARK.id, "总面积约1.2万平方米"),
    ("第二实验小学新校区可容纳多少学生？", SCHOOL.id, "可容纳学生1800名"),
    ("第二实验小学校长是谁？", SCHOOL.id, "校长陈明远"),
])
def test_selects_the_answer_bearing_sentence(question: str, article_id: str, sentence: str) -> None:
    picked = select(analyse(question), build_sources(ranked(question, *ALL)))
    assert picked, "expected an answer"
    assert picked[0].source.article.id == article_id
    assert sentence in picked[0].sentence


@pytest.mark.parametrize("question", [
    "昨晚的足球比赛谁赢了？",            # off-topic
    "青湖区的GDP是多少？",               # on the district, but no article states it
    "枫林公园是谁设计的？",              # the article is about the parks, but names no designer
    "第二实验小学新校区什么时候开工？",   # the article gives the opening date, not the start of works
])
def test_refuses_without_answer_bearing_evidence(question: str) -> None:
    answer = answer_question(question, ranked(question, *ALL), llm=None, scope=SearchScope(articles=4, retrieved=4))
    assert answer.refused and answer.mode == "extractive" and answer.citations == []
    assert "检索范围" in answer.answer and "共 4 篇" in answer.answer


def test_extractive_answer_is_labelled_quoted_and_cited() -> None:
    answer = answer_question("全区开展几个专项检查行动？", hits(MEETING, PARK), llm=None)
    assert answer.mode == "extractive" and not answer.refused
    lines = answer.answer.splitlines()
    assert lines[0] == msg("extractive_answer", "zh")
    assert lines[1] == "“会议要求，全区共开展十二个专项检查行动，每月通报一次进展。” [1]"
    (citation,) = answer.citations
    assert (citation.n, citation.article_id, citation.verified) == (1, MEETING.id, True)
    assert citation.quote == "会议要求，全区共开展十二个专项检查行动，每月通报一次进展。"
    (evidence,) = answer.evidence
    a, b = evidence.span
    assert evidence.quote[a:b] == "十二个" and evidence.article_id == MEETING.id
    assert [c.article_id for c in answer.looked_at] == [MEETING.id, PARK.id]
    assert answer.model is None and answer.usage.calls == 0


def _one(text: str) -> list[Hit]:
    return _articles(text)


def _articles(*texts: str) -> list[Hit]:
    """One untitled article per text, in retrieval order."""
    return [Hit(article=Article(id=f"own-{n}", title="", text=text, source="test.txt", position=n), score=1.0 / n)
            for n, text in enumerate(texts, start=1)]


# Our own sentences; each pair is the same question against a sentence that must be refused
# (its value is of the wrong year, kind or unit) and one that must answer with `item`.
@pytest.mark.parametrize(("question", "refused_text", "answered_text", "item"), [
    # the value belongs to the year written last before it, not to the report's year
    ("2023年青湖区粮食总产量是多少？", "根据2023年统计公报，2022年青湖区粮食总产量为8.2万吨。",
     "2023年，青湖区粮食总产量为8.6万吨，比上年增长5%。", "8.6万"),
    # a share does not answer a count
    ("2023年青湖区新能源汽车销量是多少？", "2023年，青湖区新能源汽车销量占全市新能源汽车销量的34%。",
     "2023年，青湖区新能源汽车销量达1.2万辆，同比增长34%。", "1.2万"),
    # a threshold (5000人以上) is not a count
    ("青湖区马拉松有多少人参赛？", "青湖区马拉松比赛设置了三个组别，每个组别限报5000人以上的选手名额。",
     "青湖区马拉松比赛共有8000名选手参赛。", "8000"),
    # 多少美元 asks for dollars
    ("青湖集团2023年出口额是多少美元？", "2023年，青湖集团出口额达12亿元人民币。",
     "2023年，青湖集团出口额达1.7亿美元。", "1.7亿"),
    # a change and a per-unit value are not the total
    ("青湖区粮食总产量是多少？", "青湖区粮食总产量比上年增加1.4万吨，每亩产量比上年增加12公斤。",
     "青湖区粮食总产量达到9.6万吨，创历史新高。", "9.6万"),
    # a number naming a project, a line or a grade counts nothing
    ("青湖区有多少个安置房项目？", "青湖区安置房项目进展顺利，代表们到青湖公园1872项目察看。",
     "青湖区共有安置房项目12个，已开工9个。", "12"),
])
def test_answer_item_must_fit_the_question(question: str, refused_text: str, answered_text: str,
                                           item: str) -> None:
    """The answer-slot features (features.slot_satisfied, states_predicates): off for the wrong value, on with `item`."""
    assert _slot_items(question, refused_text) == set()
    assert item in _slot_items(question, answered_text)


def _slot_items(question: str, text: str) -> set[str]:
    """The answer items found in any sentence of `text` (as one article) that has both the slot feature
    and the predicates feature (the words an answer must state, 冠军 in 哪个队是冠军) on."""
    rows = rows_for(analyse(question), build_sources(_one(text)))
    return {w for r in rows if r.values["slot"] and r.values["predicates"] for w in r.items}


# Our own sentences again, one case per rule of the answer-slot feature (features.slot_satisfied,
# items.fits): the refused text would have the slot feature on without that rule, the answered one
# is not caught by it.
@pytest.mark.parametrize(("question", "refused_text", "answered_text", "item"), [
    # a rate is answered by a percentage, not by a count
    ("2023年青湖区人口出生率是多少？", "2023年，青湖区出生人口1.2万人。", "2023年，青湖区人口出生率为6.5‰。", "6.5‰"),
    # a qualifier the question does not state makes another measure (人均GDP is not GDP)
    ("2023年青湖区GDP是多少？", "2023年，青湖区人均GDP为9.8万元。", "2023年，青湖区GDP为586亿元。", "586亿"),
    # a sentence without a year belongs to the last year written before it
    ("2023年青湖马拉松有多少人参赛？",
     "2023年青湖马拉松报名今天开始。2022年赛事在雨中进行。当届青湖马拉松共有8000名选手参赛。",
     "2022年青湖马拉松在雨中进行。2023年赛事报名今天结束。本届青湖马拉松共有9000名选手参赛。", "9000"),
    # a year written before a name without 年 is asked for too (2023青湖读书节)
    ("2023青湖读书节在哪里举办？", "距2023青湖读书节开幕还有十天，而2021青湖读书节在洛阳市举办。",
     "2023青湖读书节在洛阳市举办。", "洛阳市"),
    # the value of the slot is the nearer one: 3 counts berths, 1000万吨以上 is a threshold
    ("青湖港年货物吞吐量是多少？", "青湖港年货物吞吐量达到1000万吨以上的泊位共有3个。",
     "青湖港年货物吞吐量达到1260万吨，创历史新高。", "1260万"),
    # a name inside the title's noun phrase (no verb between) is not the title holder
    ("青湖杯围棋赛冠军是谁？", "本届青湖杯围棋赛设立了林若溪少年组冠军奖。", "陈明远夺得本届青湖杯围棋赛冠军。", "陈明远"),
    # 冠军 names the answer: a report of one match does not say who won the cup
    ("2023年青湖杯篮球赛冠军是哪个队？", "2023年青湖杯篮球赛上，柳荫队以88比80战胜石桥队。",
     "2023年青湖杯篮球赛决赛中，柳荫队以88比80战胜石桥队，夺得冠军。", "柳荫队"),
    # a where-answer is written as a place (在/于 X, or a name ending in 市, 馆 ...)
    ("青湖区运动会闭幕式在哪里举行？", "青湖区运动会闭幕式10月8日举行，欢庆活动持续三天。",
     "青湖区运动会闭幕式10月8日在洛阳市举行。", "洛阳市"),
    # the slot word inside the item (吉祥 in “吉祥如画”) is not beside it
    ("青湖读书节吉祥物叫什么？", "青湖读书节发布了主题为“吉祥如画”的海报。", "青湖读书节吉祥物名为“书童童”。", "书童童"),
    # the district an office belongs to (青湖区委, 青湖区政府) is not where something happened
    ("区长到哪里检查安全生产？", "青湖区委副书记、区长林若溪检查安全生产工作。",
     "区长林若溪在洛阳市检查安全生产工作。", "洛阳市"),
    # a place named by the question's own word (会议中心 for a 会议) still answers where
    ("青湖区安全生产会议在哪里召开？", "青湖区安全生产会议于7月8日召开。",
     "青湖区在会议中心三楼召开安全生产会议。", "会议中心"),
    # a post is the title written right before the person's name
    ("林若溪是什么职务？", "林若溪出席了会议。", "区委副书记、区长林若溪出席了会议。", "区长"),
])
def test_answer_slot_rules(question: str, refused_text: str, answered_text: str, item: str) -> None:
    assert _slot_items(question, refused_text) == set()
    assert item in _slot_items(question, answered_text)


@pytest.mark.parametrize(("texts", "answer"), [
    # two articles, two values, neither repeated: no answer
    (("青湖集团2023年营收为52亿元。", "青湖集团2023年营收为48亿元。"), None),
    # a second article stating the same value settles it
    (("青湖集团2023年营收为52亿元。", "青湖集团2023年营收为48亿元。", "据年报，青湖集团去年营收52亿元，同比增长8%。"), "52亿"),
    # one article alone is enough when no other one disagrees
    (("青湖集团2023年营收为52亿元。", "青湖集团2023年新招聘员工300名。"), "52亿"),
])
def test_articles_that_disagree_do_not_answer(texts: tuple[str, ...], answer: str | None) -> None:
    # the rule alone: the model's refusal threshold is taken out of the way
    model = dataclasses.replace(load(), threshold=0.0, open_threshold=0.0)
    picked = select(analyse("青湖集团2023年营收是多少？"), build_sources(_articles(*texts)), model=model)
    if answer is None:
        assert picked == []
    else:
        assert picked and answer in picked[0].items


@pytest.mark.parametrize(("text", "item", "lead", "year"), [
    ("2020年的出生率为6.1‰", "6.1‰", "", 2020),
    ("出生率为6.1‰", "6.1‰", "2021年人口统计公报", 2021),           # no year in the sentence: the lead's
    ("比2020年增长6%", "6%", "", None),                                # a baseline is not the value's year
    ("2010年以来累计建成30所", "30", "", None),                          # nor a starting point
    ("自2019年在洛阳首次举办", "洛阳", "", 2019),                         # 自 dates the event when no 以来 follows
    ("人口出生率为5.9‰", "5.9‰", "jan 16, 2023 ...", 2023),           # a dateline's year
    ("2021年4月", "2021年4月", "2022年", 2021),                          # a date states its own year
])
def test_item_year(text: str, item: str, lead: str, year: int | None) -> None:
    start = text.index(item)
    assert item_year(text, (start, start + len(item), item), lead) == year


def test_sentence_stating_the_question_may_name_the_answer_away_from_the_slot() -> None:
    """Names 20 characters before 旗手, in the same clause, in a sentence stating the whole question."""
    text = "经过推选，林若溪、陈明远将担任青湖区第三届全民运动会开幕式青湖代表团旗手。"
    (picked,) = select(analyse("谁担任青湖区运动会开幕式旗手？"), build_sources(_one(text)))
    assert picked.items == {"林若溪", "陈明远"}
    # the same names in another clause are not the answer
    other = "林若溪、陈明远出席了开幕式，青湖区第三届全民运动会开幕式青湖代表团旗手由学生担任。"
    assert select(analyse("谁担任青湖区运动会开幕式旗手？"), build_sources(_one(other))) == []


@pytest.mark.parametrize(("question", "qtype", "slots"), [
    ("谁主持了二季度产业发展暨经济工作推进会？", "who", ("主持", "推进")),
    ("人大代表视察了哪些安置房项目？", "list", ("视察", "安置", "项目")),
    ("2021年香港GDP增长了多少？", "number", ("增长",)),
    ("北京冬奥会吉祥物叫什么", "name", ("吉祥物",)),
    ("屈连武是什么职务？", "title", ("屈连武", "职务")),  # a post: the title written before the name
    ("2021赛季中超冠军", "who", ("中超", "冠军")),
    ("会议什么时候召开？", "when", ("会议", "召开")),
    ("青湖集团2023年总营收是多少？", "number", ("总营收",)),  # not 总营 + 收是: 是多少 is cut off first
    ("产业引导基金规模多大？", "number", ("基金", "规模")),  # 多大 asks, it is not a term to find
    ("青湖区运动会共产生了几块金牌？", "number", ("产生", "金牌")),  # 几块 asks, it is not a term either
    ("冰雕由哪家公司制作？", "name", ("冰雕", "公司", "制作")),  # asks for a body of a kind
    ("伤员被送往哪所医院？", "name", ("送往", "医院")),
    ("冰雕是什么公司制作的？", "name", ("冰雕", "公司", "制作")),
])
def test_question_type_and_answer_slot(question: str, qtype: str, slots: tuple[str, ...]) -> None:
    assert question_type(question) == qtype
    assert slot_terms(question) == slots


@pytest.mark.parametrize(("question", "required"), [
    ("谁主持了三季度安全生产工作会议？", ("主持",)),   # the verb beside the slot
    ("2023年青湖杯篮球赛冠军是哪个队？", ("冠军",)),    # the noun that names the answer
    ("枫林公园是谁设计的？", ("设计",)),
    ("2022年青湖杯男单冠军", ("冠军",)),            # a title without a question word asks for its holder
    ("口袋公园总面积是多少？", ()),
])
def test_words_an_answer_must_state(question: str, required: tuple[str, ...]) -> None:
    assert analyse(question).predicates == required
    assert predicates(question, slot_terms(question)) == required


@pytest.mark.parametrize(("question", "word", "stands_for"), [
    # news reports one inspection as 检查, 督导, 察看 or 视察 (question.NEAR_VERBS)
    ("区长到哪里检查安全生产？", "检查", {"督导", "察看", "视察"}),
    ("人大代表视察了哪些安置房项目？", "视察", {"检查", "察看"}),
    ("会议在哪里举行？", "举行", {"召开", "举办"}),
    # 主持 has no near verb: chairing is not attending
    ("谁主持了三季度安全生产工作会议？", "主持", set()),
])
def test_near_verbs_stand_for_a_predicate(question: str, word: str, stands_for: set[str]) -> None:
    query = analyse(question)
    assert word in query.predicates
    assert stands_for <= set(query.alternatives_of(word)) and (stands_for or not query.alternatives_of(word))
    term = next(t for t in query.terms if t.word == word)
    assert all(term.credit(v) == 1.0 for v in stands_for)


@pytest.mark.parametrize(("question", "article", "sentence", "expected"), [
    # the post asked by stands for the person the article gives it (区长林若溪), the verb for its near verb
    # (察看): the sentence naming only 林若溪 states the whole question, beside its place (到柳荫河堤)
    ("区长到哪里检查防汛？", INSPECTION, "柳荫街道", {"own": 1.0, "slot": 1.0, "typed": 1.0}),
    # which company: a quoted name is no company, a name ending 有限公司 is
    ("第二届青湖冰雪节的冰雕由哪家公司制作？", CARNIVAL, "青湖门", {"slot": 0.0, "item_anywhere": 0.0, "typed": 0.0}),
    ("第二届青湖冰雪节的冰雕由哪家公司制作？", CARNIVAL_MAKER, "北渠冰艺有限公司",
     {"slot": 1.0, "item_anywhere": 1.0, "typed": 1.0}),
])
def test_question_read_over_each_article(question: str, article: Article, sentence: str,
                                         expected: dict[str, float]) -> None:
    rows = rows_for(analyse(question), build_sources(hits(article)))
    (row,) = [r for r in rows if sentence in r.sentence]
    assert {k: row.values[k] for k in expected} == expected


def test_a_post_stands_for_its_holder_only() -> None:
    """王建国 is the report's 副区长; the sentence on where 林若溪 went does not state what he did."""
    def own(question: str) -> float:
        rows = rows_for(analyse(question), build_sources(hits(INSPECTION)))
        return next(r.values["own"] for r in rows if "柳荫街道" in r.sentence)

    assert own("区长到哪里检查防汛？") == 1.0
    assert own("副区长到哪里检查防汛？") < 1.0


@pytest.mark.parametrize(("question", "articles", "sentence"), [
    ("区长到哪里检查防汛？", (INSPECTION, *ALL), "柳荫街道、青湖水库、城北排涝泵站"),
    ("第二届青湖冰雪节的冰雕由哪家公司制作？", (CARNIVAL_MAKER, CARNIVAL, *ALL), "北渠冰艺有限公司"),
    # no article names the company: the sentence quoting the sculpture's name does not answer
    ("第二届青湖冰雪节的冰雕由哪家公司制作？", (CARNIVAL, *ALL), None),
])
def test_asked_by_post_or_by_kind(question: str, articles: tuple[Article, ...], sentence: str | None) -> None:
    picked = select(analyse(question), build_sources(ranked(question, *articles)))
    if sentence is None:
        assert picked == [], picked[0].sentence
    else:
        assert picked and sentence in picked[0].sentence, [p.sentence for p in picked]


# -- our sample pages (the README quick start) ----------------------------------------------------

@pytest.mark.parametrize(("question", "expected"), [
    # the README's first question: the lead sentence repeats it, the answer sentence does not
    ("谁主持了河湾区优化营商环境大会？", "区长韩静怡主持会议"),
])
def test_sample_pages_answer_the_quick_start(question: str, expected: str) -> None:
    """Over the sample pages ranked by BM25, the quoted sentences name who chaired (the rule stack did)."""
    from bulletin_qa.evaluation.inputs import sample_articles

    answer = answer_question(question, ranked(question, *sample_articles()), llm=None)
    assert not answer.refused, answer.answer
    assert any(expected in e.quote for e in answer.evidence), [e.quote for e in answer.evidence]


@pytest.mark.parametrize("question", [
    # no 第二实验小学 on the sample pages: 清川大学校长梁启明 is another body's head (qualifiers: a body the
    # question names, missing and another standing in its stead); the third-round model refused it already
    "第二实验小学校长是谁？",
    # golden u07: no company is named; the carnival's quoted 清川门 is no company (items.asked_head)
    "第三届河湾冰雪嘉年华的冰雕由哪家公司制作？",
])
def test_sample_pages_refuse_what_they_do_not_say(question: str) -> None:
    from bulletin_qa.evaluation.inputs import sample_articles

    answer = answer_question(question, ranked(question, *sample_articles()), llm=None)
    assert answer.refused, [e.quote for e in answer.evidence]


@pytest.mark.parametrize(("question", "sentence", "adjacent", "role"), [
    # title + name right before the slot verb: how news says who chaired
    ("谁主持了二季度产业发展暨经济工作推进会？", "区委书记樊惠林主持会议并讲话。", 1.0, 1.0),
    ("第二实验小学校长是谁？", "校长陈明远介绍了新校区的情况。", 1.0, 1.0),
    # a post question: the title (the answer) touches the person the question names
    ("屈连武是什么职务？", "常务副区长屈连武强调，要压实责任。", 1.0, 1.0),
    # 柳荫 touches 公园 in 柳荫公园; the answer must stand beside 设计
    ("枫林公园是谁设计的？", "新建的公园分别是柳荫公园、石桥公园和枫林公园。", 0.0, 0.0),
])
def test_answer_shape_features(question: str, sentence: str, adjacent: float, role: float) -> None:
    article = Article(id="a", title="", text=sentence, source="t", position=1)
    (row,) = rows_for(analyse(question), build_sources([Hit(article=article, score=1.0)]))
    assert (row.values["slot_adjacent"], row.values["role_before"]) == (adjacent, role)


# -- the real page and the RGB benchmark (../shared/data) ----------------------------------------

def _erqi_hits() -> list[Hit]:
    """The real page's articles; their people are given to jieba first, as searching a store does
    (names/service.store_names), so 屈连武 is one word to BM25 and to the question, not 屈连 + 武是."""
    from bulletin_qa.names.service import learn_people
    from bulletin_qa.reading import read_file
    from bulletin_qa.text.words import add_names

    articles = read_file(ERQI)
    add_names(learn_people(articles))
    return [Hit(article=a, score=1.0 / n) for n, a in enumerate(articles, start=1)]


@pytest.mark.realdata
@pytest.mark.skipif(not ERQI.exists(), reason="needs ../shared/data")
@pytest.mark.parametrize(("question", "expected", "span"), [
    # refused by the rule stack although BM25 ranks the right article first (issue #14)
    ("党校培训安排了哪些现场教学地点？", "花花牛产业园、中物军民融合产业园、海一云商", "花花牛产业园、中物军民融合产业园、海一云商"),
    ("“双轮驱动”指的是哪两个方面？", "高成长服务业和低碳科技型工业“双轮驱动”", ""),
    ("虎荣鑫督导安全生产时去了哪些地方？", "百年德化风情购物公园、郑州火车站", "百年德化风情购物公园、郑州火车站、郑飞建材仓库、樱桃沟景区"),
    # asked by the post: 区长 stands for 虎荣鑫 (the article's 区委副书记、区长), 检查 for 察看 (NEAR_VERBS)
    ("区长到哪里检查安全生产？", "百年德化风情购物公园、郑州火车站", "百年德化风情购物公园、郑州火车站、郑飞建材仓库、樱桃沟景区"),
    ("二七区人大常委会主任是谁？", "区人大常委会主任吕安民", "吕安民"),
    # a post question: the abstainer's probability (0.46) stays under the open threshold (0.5), no post
    # question being in any training data; the rule answerer._stated_post answers it
    ("屈连武是什么职务？", "常务副区长", "常务副"),
    # answered by the rule stack too
    ("防汛应急演练设置了几个科目？", "共设置12个科目", "12个"),
    ("谁主持了二季度产业发展暨经济工作推进会？", "区委书记樊惠林主持会议并讲话", ""),
    ("人大代表视察了哪些安置房项目？", "大田垌项目、侯寨老镇区项目、招商公园1872项目", "大田垌项目、侯寨老镇区项目、招商公园1872项目"),
    ("安置房座谈会在哪里召开？", "马寨镇政府三楼会议室召开座谈会", ""),
    # which meeting room: the noun a few characters after the item (会议中心|三楼|会议室)
    ("二七区在哪个会议室召开了第二季度经济运行分析会？", "会议中心三楼会议室", "会议中心三楼会议室"),
])
def test_real_page_answers(question: str, expected: str, span: str) -> None:
    """The page's articles ranked by BM25 for the question (as keyword search ranks them); one of the
    quoted sentences (at most 3) holds the answer and, where given, its highlighted span holds `span`."""
    answer = answer_question(question, ranked(question, *(h.article for h in _erqi_hits())), llm=None,
                             scope=SearchScope(articles=6, retrieved=5))
    assert not answer.refused, answer.answer
    right = [e for e in answer.evidence if expected in e.quote]
    assert right, [e.quote for e in answer.evidence]
    if span:
        a, b = right[0].span
        assert span in right[0].quote[a:b]


@pytest.mark.realdata
@pytest.mark.skipif(not ERQI.exists(), reason="needs ../shared/data")
@pytest.mark.parametrize("question", ["昨晚的足球比赛谁赢了？", "中国男足比赛结果如何？", "二七区的GDP是多少？",
                                      # the page counts no projects: 招商公园1872项目 names one (items._LABEL)
                                      "二七区有多少个安置房项目？"])
def test_real_page_refuses_off_topic(question: str) -> None:
    assert answer_question(question, ranked(question, *(h.article for h in _erqi_hits())), llm=None).refused


def _gold_in(answer: list, text: str) -> bool:
    """RGB's check: every gold entry occurs in the text (a nested list: any of its variants)."""
    text = text.lower()
    return all(any(v.lower() in text for v in g) if isinstance(g, list) else g.lower() in text for g in answer)


# Measured 2026-11-29 (refusal, answered, correct) with weights.json as shipped (third round: qualifier
# features, gold-less news questions, the answerability label, out-of-fold thresholds): held out
# 0.803 / 0.750 / 0.711; tune 0.932 / 0.784 / 0.743. Second round: held out 0.789 / 0.697 / 0.658.
# The same weights on the features reading posts, near verbs and bodies (RESULTS-evals.md): held out
# 0.816 / 0.750 / 0.711, tune unchanged. Fourth round (weights.json retrained on those features by the
# one command, 2026-11-29 20:05 UTC): held out 0.789 / 0.750 / 0.697 (one item each below the
# third round's; news and golden held out gained), the guard below is set from it.
# Fifth round (retrained on number labels and own districts, 2026-11-29 21:40 UTC): held out
# 0.803 / 0.750 / 0.697, tune 0.932 / 0.784 / 0.757 (sixth round: the same weights, span model refitted).
# The rule stack, BM25's top 5 the same way: held out 0.737 / 0.750 / 0.684. The product target
# (0.90 refusal with 0.80 answered) is not met.
RGB_HELD_OUT = (0.78, 0.74, 0.69)


def _rgb_rates(items: list[dict]) -> tuple[float, float, float]:
    """(refusal rate with distractors only, answered and correct rates with positives + distractors),
    each item's passages ranked by BM25 and the top 5 given, as the answerer was trained."""
    from bulletin_qa.evaluation.answerer_data import bm25_top

    def as_articles(passages: list[str]) -> list[Article]:
        return [Article(id=f"p{i}", text=p, source="rgb", position=i) for i, p in enumerate(passages, start=1) if p.strip()]

    refused = answered = correct = 0
    for item in items:
        query = analyse(item["query"])
        refused += not select(query, build_sources(bm25_top(item["query"], as_articles(item["negative"]))))
        picked = select(query, build_sources(bm25_top(item["query"], as_articles(item["positive"] + item["negative"]))))
        answered += bool(picked)
        correct += bool(picked) and _gold_in(item["answer"], "\n".join(c.sentence for c in picked))
    return refused / len(items), answered / len(items), correct / len(items)


@pytest.mark.realdata
@pytest.mark.skipif(not RGB.exists(), reason="needs ../shared/data")
def test_rgb_negative_rejection_and_answer_rate() -> None:
    """RGB zh dev, held-out half (CRC-32 of the item id odd, datasets.rgb_half): the model and its
    threshold were fitted on the other half only (evaluation/train_answerer.py). Each item's passages ranked by
    BM25, top 5: all distractors (must refuse) / positives + distractors (must answer; correct = every
    gold string in the quoted sentences). Measured and guarded: see RGB_HELD_OUT."""
    items = [json.loads(line) for line in RGB.read_text(encoding="utf-8").splitlines() if line.strip()]
    held_out = [item for item in items if rgb_half(str(item["id"])) == "held out"]
    assert len(held_out) == 76
    refusal, answered, correct = _rgb_rates(held_out)
    floor = RGB_HELD_OUT
    assert refusal >= floor[0] and answered >= floor[1] and correct >= floor[2], (refusal, answered, correct)


@pytest.mark.parametrize(("question", "text", "span"), [
    # a unit of two characters is read whole (not 75分)
    ("青湖船闸过闸最快要多久？", "青湖船闸过闸最快要75分钟。", "75分钟"),
    # the item nearest the slot word, not the first one
    ("青湖区社保缴费基数的下限是多少？", "青湖区社保缴费基数上限33891元，下限6326元。", "6326元"),
    # a range and a hedge belong to the value
    ("青湖集团下季度营收预计是多少？", "青湖集团下季度营收预计在2300万美元至2600万美元之间。", "2300万美元至2600万美元"),
    ("探测器进入的轨道距月面多远？", "探测器将进入距月面约100公里的轨道。", "约100公里"),
    # a person the question names is no anchor for the answer: beside 座谈, not beside 林若溪
    ("林若溪和谁进行了座谈？", "林若溪到青湖机械研究所有限公司调研，并与总经理陈明远等进行座谈交流。", "陈明远"),
    # a day asked: the dateline's day, not the year naming the meeting beside the slot word
    ("防汛动员会是哪天召开的？", "本报讯5月6日，青湖区召开2023年防汛动员会。", "5月6日"),
    ("防汛动员会是什么时候召开的？", "本报讯5月6日，青湖区召开2023年防汛动员会。", "5月6日"),
    ("培训班什么时候举办？", "本报讯3月28日至4月26日，青湖区委党校举办了2023年春季干部培训班。",
     "3月28日至4月26日"),
    # its end, when that is asked
    ("冰雪节持续到哪一天？", "第二届青湖冰雪节将持续1月10日至2月20日，共42天。", "2月20日"),
    # a year alone answers when nothing dates the event closer
    ("青湖读书节什么时候创办？", "青湖读书节创办于2015年，今年迎来第九届。", "2015年"),
    # a sign and a unit NFKC writes as two characters (℃: °c); a magnitude
    ("寒潮期间青湖区最低气温降到了多少度？", "受寒潮影响，青湖区最低气温降至零下9℃。", "零下9℃"),
    ("青湖地震的震级是多少？", "据测定，青湖县发生地震，震级4.2级，震源深度10公里。", "4.2级"),
    # a changed value: the new one, or both when both are asked
    ("青湖湿地观测到的鸟类现在有多少种？", "青湖湿地观测到的鸟类已由2019年的87种增加到142种。", "142种"),
    ("青湖银行贷款利率从多少下调至多少？", "青湖银行一年期贷款利率从3.65%下调至3.45%。", "3.65%下调至3.45%"),
    # who did it, several people listed: all of them
    ("谁陪同林若溪督导防汛？", "区长林若溪带队督导防汛工作，区领导陈明远、王建国陪同。", "陈明远、王建国"),
    # a transliterated name is one name (not 史密斯); an alias in brackets belongs to the name
    ("谁宣布青湖大桥通车？", "市长约翰·史密斯宣布青湖大桥正式通车。", "约翰·史密斯"),
    ("青湖汽车获得了哪家公司的战略投资？", "青湖汽车发布公告，获得总部位于迪拜的柳荫集团（LYG集团）约5亿美元战略投资。",
     "柳荫集团（LYG集团）"),
    # a which-question's noun goes on after the item: the item with it, and what the question writes before
    ("青湖汽车向哪个市场出口汽车？", "青湖汽车每年向中东市场出口3万辆汽车。", "中东市场"),
    ("投资将用于哪个青湖汽车工厂？", "所有投资资金全部用于青湖汽车天津工厂，确保新车量产。", "青湖汽车天津工厂"),
    ("青湖区在哪个会议室召开了推进会？", "本报讯5月4日上午，青湖区在会议中心三楼会议室召开推进会。", "会议中心三楼会议室"),
])
def test_answer_span_reads_the_whole_value(question: str, text: str, span: str) -> None:
    from bulletin_qa.answering.extractive.answerer import answer_span

    query = analyse(question)
    rows = [r for r in rows_for(query, build_sources(_one(text))) if r.spans]
    assert rows, "no answer item beside the slot"
    found = answer_span(query, rows[0])
    assert found and rows[0].sentence[found[0]:found[1]] == span


@pytest.mark.parametrize(("question", "text", "span"), [
    # the enumeration, without the words leading into it or the 等… after it
    ("青湖区有哪些公园？", "青湖区现有柳荫公园、湖滨公园和湿地公园。", "柳荫公园、湖滨公园和湿地公园"),
    ("林若溪检查了哪些地方？", "林若溪先后到青湖码头、柳荫公园、湖滨菜市场等地检查。", "青湖码头、柳荫公园、湖滨菜市场"),
    ("培训安排了哪些课程？", "培训设置了“应急管理”、“基层治理”等专题，以及消防演练、急救实训、法律讲座等实践课程。",
     "消防演练、急救实训、法律讲座"),
    # a where-question answered by the places visited: all of them
    ("林若溪到哪里检查？", "林若溪先后到青湖码头、柳荫公园、湖滨菜市场等地检查。", "青湖码头、柳荫公园、湖滨菜市场"),
    # a run of titles names one person (区委副书记、区长林若溪): not the list asked for
    ("哪些领导出席了会议？", "区委副书记、区长林若溪主持会议。", None),
    # brackets and exclamation marks end an enumeration
    ("航展上哪些飞机进行了表演？", "青湖航展精彩纷呈【运-8、歼-7、歼-8！", "运-8、歼-7、歼-8"),
])
def test_list_span_is_the_enumeration(question: str, text: str, span: str | None) -> None:
    from bulletin_qa.answering.extractive.answerer import answer_span

    query = analyse(question)
    rows = rows_for(query, build_sources(_one(text)))
    found = answer_span(query, rows[0])
    assert (rows[0].sentence[found[0]:found[1]] if found else None) == span


# The better-ranked article names the person by a generic title only; the other writes the post.
BRIEF = Article(id="test-b", title="青湖区领导调研防汛", source="test.txt", position=3,
                text="本报讯 近日，区领导林若溪、陈明远到青湖码头调研防汛工作，察看防汛物资储备。")


@pytest.mark.parametrize(("question", "quote", "title"), [
    # the sentence writing the fullest title right before the person asked about, the title highlighted
    ("林若溪是什么职务？", "区委副书记、区长林若溪主持会议并讲话", "区委副书记、区长"),
    ("林若溪担任什么职务？", "区委副书记、区长林若溪主持会议并讲话", "区委副书记、区长"),
    ("林若溪的职务是什么？", "区委副书记、区长林若溪主持会议并讲话", "区委副书记、区长"),
    # who is a person: their post (not 陈明远, the other person beside them)
    ("林若溪是谁？", "区委副书记、区长林若溪主持会议并讲话", "区委副书记、区长"),
    # a generic title (区领导) only when nothing says more
    ("陈明远是谁？", "区领导林若溪、陈明远到青湖码头调研防汛工作", "区领导"),
    # nobody of that name, or no title written before the name: refused
    ("王建国是什么职务？", None, None),
])
def test_post_questions_quote_the_title_written_before_the_name(question: str, quote: str | None,
                                                                title: str | None) -> None:
    answer = answer_question(question, hits(BRIEF, MEETING, PARK), llm=None)
    if quote is None:
        assert answer.refused and answer.evidence == []
    else:
        assert not answer.refused and quote in answer.evidence[0].quote
        a, b = answer.evidence[0].span
        assert answer.evidence[0].quote[a:b] == title


@pytest.mark.parametrize(("question", "person"), [
    ("屈连武是什么职务？", "屈连武"), ("屈连武目前担任什么职务", "屈连武"), ("屈连武的职务是什么？", "屈连武"),
    ("屈连武职务", "屈连武"), ("屈连武是谁？", "屈连武"), ("屈连武是什么人？", "屈连武"),
    ("牛真是哪个单位的？", "牛真"), ("牛真在哪个单位工作？", "牛真"),
    # a post asked for its holder, and questions about something else, ask after no person
    ("区长是谁？", ""), ("人大常委会主任是谁？", ""), ("屈连武强调了什么？", ""), ("谁是屈连武？", ""),
])
def test_the_person_a_post_question_asks_about(question: str, person: str) -> None:
    from bulletin_qa.answering.question import asked_person

    assert asked_person(analyse(question)) == person
