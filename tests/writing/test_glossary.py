"""The bilingual glossary: parsing, errors with file and line, relevance, checks, merging, proposals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin_qa.errors import GlossaryError
from bulletin_qa.names.glossary import Entry, add_entries, load_glossary, parse_glossary, starter_path
from bulletin_qa.names.propose import person_pinyin, place_english, propose, review_text

from .conftest import COMMUNITY, FLOOD, article

REPO = Path(__file__).resolve().parents[2]


def test_starter_glossary_parses_and_has_the_standard_renderings() -> None:
    starter = load_glossary(REPO / "samples" / "glossary.toml")
    assert starter_path() is not None
    assert starter.entries["区委书记"].en == "Secretary of the District CPC Committee"
    assert starter.entries["区人大常委会"].en == "Standing Committee of the District People's Congress"
    assert starter.entries["二七区"] == Entry("二七区", "Erqi District", "places")
    assert len(starter) >= 50


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ('[people]\n"樊惠林" = "Fan Huilin"\n"李明" = Li Ming\n', 3, "not valid TOML"),
    ('"樊惠林" = "Fan Huilin"\n[people]\n', 1, "outside any section"),
    ('[people]\n"樊惠林" = "Fan Huilin"\n\n[persons]\n"李明" = "Li Ming"\n', 4, "unknown section [persons]"),
    ('[places]\n"二七区" = 27\n', 2, "must map to a string"),
    ('[places]\n"二七区" = "  "\n', 2, "empty English rendering"),
    ('[places]\n"Erqi" = "Erqi District"\n', 2, "no Chinese characters"),
    ('[places]\n"二七区" = "Erqi District"\n[terms]\n"二七区" = "Erqi"\n', 4, "is in [places]"),
])
def test_malformed_glossary_names_file_line_and_fix(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "glossary.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as err:
        load_glossary(path)
    assert f"{path}:{line}:" in str(err.value)
    assert fragment in str(err.value)
    assert err.value.hint  # says how to fix it


def test_missing_or_non_utf8_glossary(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="does not exist"):
        load_glossary(tmp_path / "nope.toml")
    bad = tmp_path / "gbk.toml"
    bad.write_bytes('[places]\n"二七区" = "Erqi District"\n'.encode("gbk"))
    with pytest.raises(GlossaryError, match="not UTF-8"):
        load_glossary(bad)


def test_relevant_prefers_the_longest_term(glossary) -> None:
    g = parse_glossary('[institutions]\n"人大常委会" = "Standing Committee of the People\'s Congress"\n'
                       '"区人大常委会" = "Standing Committee of the District People\'s Congress"\n')
    assert [e.zh for e in g.relevant("区人大常委会召开会议")] == ["区人大常委会"]
    assert [e.zh for e in g.relevant("区人大常委会和市人大常委会")] == ["区人大常委会", "人大常委会"]


def test_prompt_block_lists_only_terms_in_the_text(glossary) -> None:
    block = glossary.prompt_block(FLOOD)
    assert "樊惠林 = Fan Huilin" in block and "二七区 = Erqi District" in block
    assert "District Mayor" not in block  # 区长 does not occur in this article
    assert glossary.prompt_block("无关文字") == "(none)"


@pytest.mark.parametrize(("output", "complete", "expected"), [
    ("Fan Huilin, Secretary of the District CPC Committee of Erqi District, spoke.", True, []),
    ("Fan Hui-lin of Erqi District spoke.", False, ["樊惠林 is rendered differently; the glossary says 'Fan Huilin'"]),
    ("Huilin Fan of Erqi District spoke.", False, ["樊惠林 is rendered differently; the glossary says 'Fan Huilin'"]),
    ("樊惠林 of Erqi District spoke.", False, ["樊惠林 is left in Chinese; the glossary renders it 'Fan Huilin'"]),
    ("The Erqi Qu secretary spoke.", False, ["二七区 is rendered differently; the glossary says 'Erqi District'"]),
    ("Fan Huilin of Erqi District spoke.", False, []),  # a summary may leave the title out
    ("Fan Huilin of Erqi District spoke.", True,
     ["区委书记 should appear as 'Secretary of the District CPC Committee' (glossary) but does not"]),
])
def test_check_reports_names_rendered_differently(glossary, output: str, complete: bool, expected: list[str]) -> None:
    source = "二七区区委书记樊惠林讲话。"
    assert glossary.check(source, output, complete=complete) == expected


def test_add_entries_keeps_comments_and_sections(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text('# my notes\n[people]\n"樊惠林" = "Fan Huilin"  # checked\n\n# places next\n[places]\n'
                    '"二七区" = "Erqi District"\n', encoding="utf-8")
    added, kept = add_entries(path, [Entry("王丽华", "Wang Lihua", "people"), Entry("樊惠林", "Fan Huilin", "people"),
                                     Entry("区委", "District CPC Committee", "institutions")])
    assert [e.zh for e in added] == ["王丽华", "区委"] and [e.zh for e in kept] == ["樊惠林"]
    text = path.read_text(encoding="utf-8")
    assert "# my notes" in text and "# checked" in text and "# places next" in text
    assert text.index('"王丽华"') < text.index("# places next")  # inside [people], not after [places]
    merged = load_glossary(path)
    assert merged.entries["王丽华"].section == "people"
    assert merged.entries["区委"].section == "institutions"


def test_add_entries_refuses_a_second_rendering(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text('[people]\n"樊惠林" = "Fan Huilin"\n', encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"g.toml:2: '樊惠林' is already rendered 'Fan Huilin'"):
        add_entries(path, [Entry("樊惠林", "Huilin Fan", "people")])
    assert load_glossary(path).entries["樊惠林"].en == "Fan Huilin"


def test_add_entries_starts_from_the_starter_glossary(tmp_path: Path) -> None:
    path = tmp_path / "home" / "glossary.toml"
    add_entries(path, [Entry("樊惠林", "Fan Huilin", "people")])
    merged = load_glossary(path)
    assert merged.entries["樊惠林"].en == "Fan Huilin"
    assert "区委书记" in merged.entries


@pytest.mark.parametrize(("name", "english"), [
    ("樊惠林", "Fan Huilin"), ("李明", "Li Ming"), ("欧阳修", "Ouyang Xiu"), ("单雄信", "Shan Xiongxin"),
    ("曾国藩", "Zeng Guofan"), ("吕佳安", "Lyu Jia'an"), ("司马光", "Sima Guang"),
])
def test_person_pinyin(name: str, english: str) -> None:
    assert person_pinyin(name) == english


@pytest.mark.parametrize(("name", "english"), [
    ("二七区", "Erqi District"), ("郑州市", "Zhengzhou City"), ("河南省", "Henan Province"),
    ("建中街", "Jianzhong Street"), ("长江路街道", "Changjianglu Subdistrict"), ("樱桃沟", "Yingtaogou"),
])
def test_place_english(name: str, english: str) -> None:
    assert place_english(name) == english


def test_propose_finds_new_names_only(glossary) -> None:
    found = propose([article("page-01", "防汛部署会", FLOOD, dt.date(2023, 5, 6), reporters=["景静"]),
                     article("page-05", "社区服务", COMMUNITY, dt.date(2023, 5, 5))], glossary)
    by_name = {p.zh: p for p in found}
    assert "樊惠林" not in by_name and "二七区" not in by_name  # already in the glossary
    assert by_name["景静"].en == "Jing Jing" and by_name["景静"].section == "people"
    assert "byline" in by_name["景静"].note
    assert by_name["王丽华"].en == "Wang Lihua" and by_name["王丽华"].article_ids == ["page-05"]


def test_review_file_is_a_glossary_to_merge(tmp_path: Path, glossary) -> None:
    proposals = propose([article("page-05", "社区服务", COMMUNITY, dt.date(2023, 5, 5))], glossary)
    text = review_text(proposals, 1)
    review = parse_glossary(text, "review.toml")
    assert review.entries["王丽华"].en == "Wang Lihua"
    assert "bulletin-qa glossary add --from" in text


def test_a_name_tagged_two_ways_is_proposed_once(glossary, monkeypatch: pytest.MonkeyPatch) -> None:
    from bulletin_qa.names import propose as glossary_propose

    tags = {("places", "高原"): (3, ["page-07"], "jieba tag ns"),
            ("institutions", "高原"): (1, ["page-08"], "jieba tag nt")}
    monkeypatch.setattr(glossary_propose, "find_names", lambda articles, exclude: tags)
    (only,) = propose([], glossary)
    assert (only.zh, only.en, only.section) == ("高原", "Gaoyuan", "places")
    assert "also tagged as institutions" in only.note
    assert parse_glossary(review_text([only], 2)).entries["高原"].en == "Gaoyuan"


def test_check_compares_whole_words() -> None:
    g = parse_glossary('[people]\n"李明" = "Li Ming"\n')
    assert g.check("李明说。", "The preliminary report was read.", complete=False) == []
    assert g.check("李明说。", "Ming Li said so.", complete=False) == [
        "李明 is rendered differently; the glossary says 'Li Ming'"]
