"""Standard English of titles and institutions, combined titles split, titles composed with institutions."""

from __future__ import annotations

import pytest

from bulletin_qa.names.titles import (
    institutions,
    render_phrase,
    render_title,
    split_titles,
    titles,
)


@pytest.mark.parametrize(("zh", "english"), [
    ("区委书记", "Secretary of the District CPC Committee"), ("市委书记", "Secretary of the Municipal CPC Committee"),
    ("省委副书记", "Deputy Secretary of the Provincial CPC Committee"), ("区长", "District Mayor"),
    ("常务副区长", "Executive Deputy District Mayor"), ("代区长", "Acting District Mayor"), ("县长", "County Magistrate"),
    ("副市长", "Vice Mayor"), ("省长", "Governor"), ("镇长", "Town Mayor"), ("乡长", "Township Head"),
    ("区人大常委会主任", "Director of the Standing Committee of the District People's Congress"),
    ("县政协副主席", "Vice Chairman of the County CPPCC Committee"),
    ("区纪委书记", "Secretary of the District Commission for Discipline Inspection"),
    ("市中级人民法院院长", "President of the Municipal Intermediate People's Court"),
    ("区人民检察院检察长", "Chief Procurator of the District People's Procuratorate"),
    ("统战部长", "Head of the United Front Work Department"), ("统战部部长", "Head of the United Front Work Department"),
    ("街道党工委书记", "Secretary of the Subdistrict Party Working Committee"),
    ("村党支部书记", "Secretary of the Village Party Branch"),
])
def test_standard_titles(zh: str, english: str) -> None:
    assert titles()[zh] == english


@pytest.mark.parametrize(("zh", "english"), [
    ("区人大常委会", "Standing Committee of the District People's Congress"), ("县人民法院", "County People's Court"),
    ("省高级人民法院", "Provincial High People's Court"), ("镇政府", "Town Government"),
    ("区委统战部", "United Front Work Department of the District CPC Committee"),
])
def test_standard_institutions(zh: str, english: str) -> None:
    assert institutions()[zh] == english


@pytest.mark.parametrize(("phrase", "parts"), [
    ("区委常委、常务副区长", ["区委常委", "常务副区长"]),
    ("区委常委、统战部长、区委办主任", ["区委常委", "统战部长", "区委办主任"]),
    ("区委副书记、区长", ["区委副书记", "区长"]), ("区长", ["区长"]), ("", []),
])
def test_split_titles(phrase: str, parts: list[str]) -> None:
    assert split_titles(phrase) == parts


@pytest.mark.parametrize(("title", "english", "standard"), [
    ("区住建局局长", "Director of the District Housing and Urban-Rural Development Bureau", True),  # composed
    ("二七区委书记", "Secretary of the Erqi District CPC Committee", True),  # place before a level title
    ("区防汛抗旱指挥部常务副指挥长",
     ("Executive Deputy Commander of the District Flood Control and Drought Relief Headquarters"), True),
    ("桃溪村党支部书记", "Secretary of the Taoxi Village Party Branch", True),
    ("郑州市委书记", "Secretary of the Zhengzhou Municipal CPC Committee", True),
    ("清川大学校长", "President", False),  # only a known ending
    ("郑机所总经理", "General Manager", False),
    ("区长", "District Mayor", True),
    ("满堂红", "", False),
])
def test_render_title(title: str, english: str, standard: bool) -> None:
    assert render_title(title) == (english, standard)


def test_render_phrase_joins_parts_and_the_glossary_wins() -> None:
    assert render_phrase("区委副书记、区长") == (
        "Deputy Secretary of the District CPC Committee and District Mayor", True)
    assert render_phrase("区长", {"区长": "District Head"}) == ("District Head", True)
