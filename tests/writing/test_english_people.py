"""People, their titles and the source's own names in English summaries and translations (issue #12).

Replies are written by us and replayed by the fake LLM; the source is our own text. Each table has
rows that must be flagged and rows that must not.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.models import Article
from bulletin_qa.names.glossary import parse_glossary
from bulletin_qa.names.service import Names
from bulletin_qa.writing.english_checks import check_english, normalise_names, title_findings
from bulletin_qa.writing.summarize import Summarizer
from bulletin_qa.writing.translate import Translator

GLOSSARY = parse_glossary('[places]\n"河湾区" = "Hewan District"\n'
                          '[titles]\n"区委书记" = "Secretary of the District CPC Committee"\n'
                          '"副区长" = "Deputy District Mayor"\n"区长" = "District Mayor"\n')
TEXT = ("本报讯 5月4日上午，河湾区委书记周明远到清川机械厂调研，区委常委、副区长吕安平陪同。"
        "周明远先后到郑飞仓库、清川火车站察看，要求把民心工程办实。")
ARTICLE = Article(id="hewan-01", title="区领导到清川机械厂调研", text=TEXT, date=dt.date(2023, 5, 4),
                  reporters=["陆晴"], correspondents=["高原"], source="p.txt", position=1)
NAMES = Names(glossary=GLOSSARY)


def _titles(output: str) -> list[str]:
    return [f.message for f in title_findings(ARTICLE, output, NAMES)]


@pytest.mark.parametrize(("output", "flagged"), [
    # must not flag: the source's titles, with or without the place, as a bare role, or none at all
    ("Secretary of the Hewan District CPC Committee Zhou Mingyuan visited the plant.", []),
    ("Secretary of the District CPC Committee Zhou Mingyuan visited the plant.", []),
    ("Secretary Zhou Mingyuan visited the plant.", []),
    ("Member of the Standing Committee of the District CPC Committee and Deputy District Mayor Lyu Anping "
     "went with him.", []),
    ("Zhou Mingyuan and Lyu Anping visited the plant on May 4.", []),
    ("On May 4, Zhou Mingyuan visited the plant.", []),
    # must flag: another person's title, a rank dropped or raised, a title the source gives nobody
    ("Deputy District Mayor Zhou Mingyuan visited the plant.", [("Deputy District Mayor", "Zhou Mingyuan")]),
    ("District Mayor Lyu Anping went with him.", [("District Mayor", "Lyu Anping")]),
    ("Deputy Secretary of the District CPC Committee Zhou Mingyuan visited.",
     [("Deputy Secretary of the District CPC Committee", "Zhou Mingyuan")]),
    ("District Mayor Lyu Anping and Director Zhou Mingyuan visited.",
     [("District Mayor", "Lyu Anping"), ("Director", "Zhou Mingyuan")]),
    ("The Deputy District Mayor and Vice Chairman, Mr. Lyu Anping, spoke.", [("Vice Chairman", "Lyu Anping")]),
    ("Director Lu Qing wrote the report.", [("Director", "Lu Qing")]),     # the byline's reporter
])
def test_titles_before_a_person_must_be_that_persons(output: str, flagged: list[tuple[str, str]]) -> None:
    found = _titles(output)
    assert [(w, p) for w, p in flagged if any(f"title “{w}” given to {p} " in m for m in found)] == flagged
    assert len(found) == len(flagged), found


def test_a_wrong_title_names_the_person_and_the_sources_titles() -> None:
    [message] = _titles("District Mayor Lyu Anping went with him.")
    assert message == ("title “District Mayor” given to Lyu Anping (吕安平) is not a title the source gives "
                       "Lyu Anping: 区委常委 = “Member of the Standing Committee of the District CPC Committee”; "
                       "副区长 = “Deputy District Mayor”")


@pytest.mark.parametrize(("output", "names"), [
    # the source's own places and companies in pinyin (郑飞仓库, 清川火车站) are not unknown names
    ("He inspected the Zhengfei warehouse and Qingchuan Railway Station.", []),
    ("Hewan District and Qingchuan Machinery Plant.", []),
    # other syllables are another name
    ("He inspected the Zheng Feng warehouse.", ["Zheng Feng"]),
    # a given name that spells other characters of the source (民心 minxin) is still a wrong name
    ("Secretary Zhou Minxin visited the plant.", ["Zhou Minxin"]),
    ("Lu Anping went with him.", ["Lu Anping"]),                  # 吕 is Lyu; Lu is 卢 or 陆
    # English words that read as pinyin (en-su-re, me-dia) opening a sentence are capitalised by grammar
    ("Ensure that the plant is safe.", []),
    ("Media reports say the plant is safe.", []),
    ("Zhang said the plant is safe.", ["Zhang"]),                 # one syllable: a surname, flagged
    ("The plant of Zhang Feng is safe.", ["Zhang Feng"]),
])
def test_pinyin_of_the_sources_places_is_no_unknown_name(output: str, names: list[str]) -> None:
    found = [f.message for f in check_english(TEXT, output, glossary=GLOSSARY, article=ARTICLE) if f.kind == "name"]
    assert [n for n in names if any(f"“{n}”" in m for m in found)] == names
    assert len(found) == len(names), found


@pytest.mark.parametrize(("output", "respelt", "notes"), [
    ("Lü Anping went with him.", "Lyu Anping went with him.", 1),
    ("Lv Anping's team came.", "Lyu Anping's team came.", 1),
    ("Zhou Ming-yuan and Lyu An Ping came.", "Zhou Mingyuan and Lyu Anping came.", 2),
    ("Lyu Anping went with him.", "Lyu Anping went with him.", 0),
    ("Lu Anping went with him.", "Lu Anping went with him.", 0),   # other syllables: flagged, never changed
])
def test_spellings_of_the_same_syllables_become_the_rendering(output: str, respelt: str, notes: int) -> None:
    text, said = normalise_names(ARTICLE, output, NAMES)
    assert text == respelt and len(said) == notes
    assert all(m.startswith("spelling changed: ") for m in said)


def _translate(title: str, body: str, article: Article = ARTICLE):  # type: ignore[no-untyped-def]
    return Translator(llm=FakeLLM([title, body]), glossary=GLOSSARY, correct=False).article(article)


FAITHFUL = ("On the morning of May 4, Secretary of the Hewan District CPC Committee Zhou Mingyuan visited Qingchuan "
            "Machinery Plant, accompanied by Member of the Standing Committee of the District CPC Committee and "
            "Deputy District Mayor Lyu Anping. Zhou Mingyuan inspected the Zhengfei warehouse and Qingchuan Railway "
            "Station.")


@pytest.mark.parametrize(("body", "expected"), [
    (FAITHFUL, []),
    (FAITHFUL.replace("May 4", "May 4, 2023"), []),                  # the article's year added: right
    (FAITHFUL.replace("Lyu Anping", "Lü Anping"), []),                # respelt, noted, not flagged
    (FAITHFUL.replace("May 4", "May 4, 2022"), ["date May 4, 2022", "number '2022'"]),
    (FAITHFUL.replace("May 4", "June 4"), ["date June 4"]),
    (FAITHFUL.replace(", accompanied by Member of the Standing Committee of the District CPC Committee and "
                      "Deputy District Mayor Lyu Anping", ""),
     ["person 吕安平 of the source is missing", "区委常委 should appear", "副区长 should appear"]),  # dropped
    (FAITHFUL.replace("Lyu Anping", "Lu Anping"), ["吕安平 is rendered differently", "name “Lu Anping”"]),
    (FAITHFUL.replace("Secretary of the Hewan District CPC Committee Zhou", "Deputy District Mayor Zhou"),
     ["title “Deputy District Mayor” given to Zhou Mingyuan", "区委书记 should appear", "河湾区 should appear"]),
])
def test_translation_findings(body: str, expected: list[str]) -> None:
    t = _translate("District leader visits Qingchuan Machinery Plant", body)
    issues = [i for i in t.number_issues + t.glossary_issues + t.english_issues
              if not i.startswith("spelling changed: ")]
    assert [e for e in expected if any(e in i for i in issues)] == expected
    assert len(issues) == len(expected), issues


def test_translation_renders_the_byline_the_model_never_saw() -> None:
    t = _translate("District leader visits Qingchuan Machinery Plant", FAITHFUL)
    assert t.byline == "Reporter: Lu Qing. Correspondent: Gao Yuan."
    assert json.loads(t.model_dump_json())["byline"] == t.byline


@pytest.mark.parametrize(("reply", "flagged"), [
    ("… Machinery Plant, accompanied by Lu Qing.", False),
    ("… Machinery Plant.", True),
])
def test_document_translation_must_keep_its_byline(reply: str, flagged: bool) -> None:
    t = Translator(llm=FakeLLM([f"Zhou Mingyuan visited Qingchuan {reply}"]), glossary=GLOSSARY,
                   correct=False).document("周明远到清川机械厂调研。记者 陆晴", "doc.md")
    missing = "person 陆晴 of the source is missing from the English; write 'Lu Qing'"
    assert (missing in t.glossary_issues) is flagged


@pytest.mark.parametrize(("summary", "expected"), [
    ("Zhou Mingyuan visited Qingchuan Machinery Plant on May 4, 2023.", []),   # omitting Lyu Anping is allowed
    ("Secretary Zhou Mingyuan and Deputy District Mayor Lyu Anping visited the Zhengfei warehouse.", []),
    ("District Mayor Zhou Mingyuan visited the plant.", ["title “District Mayor” given to Zhou Mingyuan"]),
    ("Zhou Mingyuan and Lu Anping visited the plant.", ["name “Lu Anping”", "吕安平 is rendered differently"]),
    ("Zhou Mingyuan and 吕安平 visited the plant.", ["吕安平 is left in Chinese", "Chinese left in the English: 吕安平"]),
])
def test_summary_findings(summary: str, expected: list[str]) -> None:
    reply = json.dumps({"headline": "Visit to a plant", "summary": summary})
    s = Summarizer(llm=FakeLLM([reply]), glossary=GLOSSARY, correct=False).summarize(ARTICLE, "en")
    warnings = [w for w in s.warnings if not w.startswith("spelling changed: ")]
    assert [e for e in expected if any(e in w for w in warnings)] == expected
    assert not [w for w in warnings if not any(e in w for e in expected)], warnings
