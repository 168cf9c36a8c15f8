"""People found the way news names them (title + name, lists, bylines) on our sample pages and the real page."""

from __future__ import annotations

import json

import pytest

from bulletin_qa.evaluation.datasets import golden_dir, repo_root
from bulletin_qa.evaluation.names_eval import found_pairs, score_names, table_row
from bulletin_qa.names.glossary import Glossary
from bulletin_qa.names.people import find_people
from bulletin_qa.names.propose import propose
from bulletin_qa.names.service import learn_people
from bulletin_qa.reading import read_file
from names.helpers import real_page

GOLDEN = [json.loads(line) for line in (golden_dir() / "names.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(("text", "people"), [
    ("区委书记樊惠林主持会议并讲话。", [("樊惠林", "区委书记")]),
    ("二七区委副书记、区长虎荣鑫带队督导安全生产工作，区领导屈连武、曹宪武陪同。",
     [("虎荣鑫", "二七区委副书记、区长"), ("屈连武", "区领导"), ("曹宪武", "区领导")]),
    ("区人大常委会主任吕安民强调，要提高站位。", [("吕安民", "区人大常委会主任")]),
    ("会上，区新型城镇化建设中心主任牛真汇报了进展。", [("牛真", "区新型城镇化建设中心主任")]),
    ("并与郑机所总经理李爱国等进行座谈交流。", [("李爱国", "郑机所总经理")]),
    ("市委常委欧阳明远出席。", [("欧阳明远", "市委常委")]),  # compound surname, two given characters
    ("区长韩静怡出席会议，区委书记周明远、清川大学校长梁启明出席签约仪式。",
     [("韩静怡", "区长"), ("周明远", "区委书记"), ("梁启明", "清川大学校长")]),
    # a title followed by an ordinary word is no person
    ("区领导督导安全生产工作。", []), ("区委书记高度重视。", []), ("区长强调，要保驾护航。", []),
    ("全年实施重点项目120个。", []),
])
def test_find_people(text: str, people: list[tuple[str, str]]) -> None:
    assert [(m.name, m.title) for m in find_people(text)] == people


def test_known_names_are_found_at_every_mention() -> None:
    text = "区长虎荣鑫强调安全。虎荣鑫先后到多地检查。"
    assert [m.name for m in find_people(text)] == ["虎荣鑫"]
    assert [(m.name, m.how) for m in find_people(text, known=["虎荣鑫"])] == [("虎荣鑫", "known"), ("虎荣鑫", "known")]


@pytest.mark.parametrize("page", GOLDEN, ids=[p["page"].rsplit("/", 1)[-1] for p in GOLDEN])
def test_sample_pages_people_whole_with_the_right_pinyin(page: dict) -> None:
    learned = learn_people(read_file(repo_root() / page["page"]))
    assert {zh: p.en for zh, p in learned.items()} == {p["zh"]: p["en"] for p in page["people"]}
    expected_pairs = {(p["zh"], t["zh"]) for p in page["people"] for t in p["titles"]}
    assert found_pairs(read_file(repo_root() / page["page"])) == expected_pairs


# The real page's people (facts: names and titles, not copied text), checked by hand.
REAL_PEOPLE = {"虎荣鑫": "Hu Rongxin", "樊惠林": "Fan Huilin", "吕安民": "Lyu Anmin", "李爱国": "Li Aiguo",
               "屈连武": "Qu Lianwu", "曹宪武": "Cao Xianwu", "王泽文": "Wang Zewen", "王传胜": "Wang Chuansheng",
               "牛真": "Niu Zhen", "景静": "Jing Jing", "左学彬": "Zuo Xuebin", "周祎": "Zhou Yi"}
# Their titles as the page gives them (parts of combined titles) and the house-style English.
SEC, DEP = "Secretary of the District CPC Committee", "Member of the Standing Committee of the District CPC Committee"
REAL_TITLES = {
    ("屈连武", "区委常委"): DEP, ("屈连武", "常务副区长"): "Executive Deputy District Mayor",
    ("屈连武", "区防汛抗旱指挥部常务副指挥长"): "Executive Deputy Commander of the District Flood Control and Drought "
                                              "Relief Headquarters",
    ("樊惠林", "区委书记"): SEC, ("樊惠林", "二七区委书记"): "Secretary of the Erqi District CPC Committee",
    ("虎荣鑫", "二七区委副书记"): "Deputy Secretary of the Erqi District CPC Committee",
    ("虎荣鑫", "区委副书记"): "Deputy Secretary of the District CPC Committee", ("虎荣鑫", "区长"): "District Mayor",
    ("李爱国", "郑机所总经理"): "General Manager of Zhengzhou Research Institute of Mechanical Engineering",
    ("王泽文", "区委常委"): DEP, ("王泽文", "统战部长"): "Head of the United Front Work Department",
    ("王泽文", "区委办主任"): "Director of the General Office of the District CPC Committee",
    ("屈连武", "区领导"): "district leader", ("曹宪武", "区领导"): "district leader",
    ("牛真", "区新型城镇化建设中心主任"): "Director of the District New-Type Urbanization Construction Center",
    ("王传胜", "区委常委"): DEP, ("王传胜", "副区长"): "Deputy District Mayor",
    ("吕安民", "区人大常委会主任"): "Director of the Standing Committee of the District People's Congress",
}
# What jieba's nr tag proposed as people before (issue 13): words, places and companies.
NOT_PEOPLE = ["荣鑫", "安民", "爱国", "牛鼻子", "满堂红", "保驾护航", "安全检查", "思路清晰", "张弛", "周密", "商超",
              "山洪", "侯寨", "郑机", "郑飞", "海一云"]


@pytest.mark.realdata
def test_real_page_every_person_whole_and_at_most_one_non_person() -> None:
    if not real_page().is_file():
        pytest.skip("../shared/data is absent (set BULLETIN_QA_SHARED_DATA)")
    proposals = propose(read_file(real_page()), Glossary())
    people = {p.zh: p for p in proposals if p.section == "people"}
    assert {zh: people[zh].en for zh in REAL_PEOPLE if zh in people} == REAL_PEOPLE
    assert len(set(people) - set(REAL_PEOPLE)) <= 1, sorted(set(people) - set(REAL_PEOPLE))
    assert not set(NOT_PEOPLE) & set(people)
    hu = people["虎荣鑫"]
    assert hu.title in {"二七区委副书记、区长", "区委副书记、区长"}
    assert hu.with_title == "Deputy Secretary of the District CPC Committee and District Mayor Hu Rongxin"
    assert "虎荣鑫" in hu.evidence and hu.confidence >= 0.9
    assert people["吕安民"].with_title == (
        "Director of the Standing Committee of the District People's Congress Lyu Anmin")
    titles = {p.zh: p.en for p in proposals if p.section == "titles"}
    assert titles["统战部长"] == "Head of the United Front Work Department"
    places = {p.zh for p in proposals if p.section == "places"}
    assert not places & {"城市", "扎根", "加大力度", "三区", "镇区", "中国"}  # jieba ns without a kind of place


@pytest.mark.realdata
def test_real_page_names_scores() -> None:
    """The numbers recorded in benchmarks/RESULTS-evals.md ("Names"), computed as `eval names` does."""
    if not real_page().is_file():
        pytest.skip("../shared/data is absent (set BULLETIN_QA_SHARED_DATA)")
    people = [{"zh": zh, "en": en, "titles": [{"zh": t, "en": e} for (n, t), e in REAL_TITLES.items() if n == zh]}
              for zh, en in REAL_PEOPLE.items()]
    row = table_row([score_names(read_file(real_page()), people)])
    assert (row["people_precision"], row["people_recall"], row["people_rendered"]) == (1.0, 1.0, 1.0)
    assert (row["titles_precision"], row["titles_recall"]) == (1.0, 1.0)
    assert row["titles_rendered"] == pytest.approx(16 / 18)  # 郑机所, 区新型城镇化建设中心: official English unknown
