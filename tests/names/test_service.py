"""The names service: learned once per store, fed to jieba (BM25 tokens), used by chat and the writers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin_qa.answering.chat import Turn, condense_offline
from bulletin_qa.index.ingest import ingest_articles
from bulletin_qa.index.store import open_chroma_store
from bulletin_qa.models import Article
from bulletin_qa.names.glossary import parse_glossary
from bulletin_qa.names.service import Names, people_in, store_names
from bulletin_qa.retrieval import bm25
from bulletin_qa.settings import Settings
from bulletin_qa.text.words import add_names, tokens

ARTICLE = Article(id="p-01", title="区领导督导安全生产工作", date=dt.date(2024, 5, 5), source="p.txt", position=1,
                  text="近日，区委副书记、区长郝荣鑫带队督导安全生产工作。郝荣鑫强调，要确保安全。",
                  reporters=["沈一鸣"])


@pytest.mark.parametrize(("answer", "follow_up", "standalone"), [
    ("区委副书记、区长虎荣鑫带队督导安全生产工作[1]。", "他还强调了什么？", "虎荣鑫还强调了什么？"),
    ("区人大常委会主任吕安民强调要提高站位[1]。", "他是谁？", "吕安民是谁？"),
])
def test_chat_rewrites_the_pronoun_as_the_whole_name(answer: str, follow_up: str, standalone: str) -> None:
    turn = Turn(question="谁带队督导安全生产工作？", standalone="谁带队督导安全生产工作？", answer=answer)
    assert condense_offline(follow_up, [turn]) == standalone


def test_added_names_stay_whole_in_every_cut() -> None:
    add_names(["虎荣鑫"])
    assert "虎荣鑫" in tokens("区长虎荣鑫强调")
    assert "虎荣鑫" in bm25.tokenize("区长虎荣鑫强调")
    assert people_in("虎荣鑫强调，要确保安全。") == ["虎荣鑫"]  # a known name needs no title


def test_store_names_learned_once_cached_and_given_to_jieba(tmp_path: Path, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    store = open_chroma_store(path=tmp_path / "store", url=None, prefix="bulletins", embedder=fake_embedder,
                              create=True)
    ingest_articles([ARTICLE], store=store, embedder=fake_embedder, settings=Settings())
    names = store_names(store)
    assert names.people["郝荣鑫"].en == "Hao Rongxin" and names.people["郝荣鑫"].count == 2
    assert names.people["郝荣鑫"].with_title == "Deputy Secretary of the District CPC Committee and District Mayor Hao Rongxin"
    assert list((store.cache_dir / "names").glob("rev-*.json"))
    assert "郝荣鑫" in bm25.tokenize("郝荣鑫强调")
    index = bm25.bm25_index(store, tmp_path / "bm25")
    assert index.search("郝荣鑫", 1)


def test_glossary_for_adds_people_and_standard_titles() -> None:
    names = Names(glossary=parse_glossary('[titles]\n"区长" = "District Head"\n'))
    found = names.glossary_for("区委书记周明远、区长韩静怡出席。")
    assert found.entries["区长"].en == "District Head"  # the glossary wins
    assert found.entries["区委书记"].en == "Secretary of the District CPC Committee"
    assert found.entries["韩静怡"].en == "Han Jingyi" and found.entries["周明远"].en == "Zhou Mingyuan"
    assert found.check("区长韩静怡出席。", "District Head Han Jing Yi attended.", complete=False) == [
        "韩静怡 is rendered differently; the glossary says 'Han Jingyi'"]


def test_review_file_pairs_title_and_name_with_evidence() -> None:
    from bulletin_qa.names.glossary import Glossary
    from bulletin_qa.names.propose import propose, review_text

    article = Article(id="r-01", title="区长调研", date=dt.date(2024, 5, 5), source="r.txt", position=1,
                      text="5月5日，区长虎荣鑫到企业调研。虎荣鑫强调，要优化营商环境。")
    proposals = propose([article], Glossary())
    (hu,) = [p for p in proposals if p.section == "people"]
    assert (hu.zh, hu.en, hu.count, hu.title, hu.with_title) == ("虎荣鑫", "Hu Rongxin", 2, "区长",
                                                                  "District Mayor Hu Rongxin")
    assert hu.evidence == "5月5日，区长虎荣鑫到企业调研。" and hu.confidence == 0.9
    assert {p.zh: p.en for p in proposals if p.section == "titles"} == {"区长": "District Mayor"}
    review = review_text(proposals, 1)
    assert "区长虎荣鑫 -> District Mayor Hu Rongxin" in review and "confidence 0.90" in review


def test_translation_prompt_and_check_use_the_people_the_text_names() -> None:
    from bulletin_qa.llm.fake import FakeLLM
    from bulletin_qa.writing.translate import Translator

    llm = FakeLLM(["District Mayor Rong Xin stressed safety."])
    translator = Translator(llm=llm, glossary=parse_glossary(""), correct=False)
    english, _, issues = translator.text("区长虎荣鑫强调安全。")
    assert english == "District Mayor Rong Xin stressed safety."
    (call,) = llm.calls
    assert "虎荣鑫 = Hu Rongxin" in call[-1]["content"] and "区长 = District Mayor" in call[-1]["content"]
    assert issues == ["虎荣鑫 is rendered differently; the glossary says 'Hu Rongxin'"]  # Rong Xin


@pytest.mark.parametrize(("text", "places"), [
    ("河湾区召开城市管理工作推进会。", {"河湾区"}),       # 城市 is tagged ns by jieba, but names no place
    ("滨河路等9条主干道实行路长制。", {"滨河路"}),
    ("全区扎根基层，加大力度。", set()),
])
def test_places_need_a_kind_of_place(text: str, places: set[str]) -> None:
    from bulletin_qa.names.propose import find_names

    article = Article(id="pl-01", title="", date=dt.date(2024, 5, 5), source="p.txt", position=1, text=text)
    assert {name for section, name in find_names([article]) if section == "places"} == places


@pytest.mark.parametrize(("output", "issue"), [
    ("Lyu Anmin spoke.", None),
    ("Lu Anmin spoke.", "吕安民 is rendered differently; the glossary says 'Lyu Anmin'"),
    ("Lv Anmin spoke.", "吕安民 is rendered differently; the glossary says 'Lyu Anmin'"),
    ("Anmin Lyu spoke.", "吕安民 is rendered differently; the glossary says 'Lyu Anmin'"),
    ("An Min spoke.", "吕安民 is rendered differently; the glossary says 'Lyu Anmin'"),  # the given name alone
])
def test_summary_check_catches_other_renderings_of_a_person(output: str, issue: str | None) -> None:
    glossary = Names(glossary=parse_glossary("")).glossary_for("区人大常委会主任吕安民强调。")
    issues = [i for i in glossary.check("区人大常委会主任吕安民强调。", output, complete=False) if "吕安民" in i]
    assert issues == ([issue] if issue else [])
