"""Sentence splitting of print-column text and of answers with citation markers."""

from __future__ import annotations

import pytest

from bulletin_qa.text.chars import detect_lang
from bulletin_qa.text.sentences import clean_text, split_answer, split_sentences


def test_clean_text_joins_print_breaks_but_keeps_paragraphs() -> None:
    page = "本报讯 5月 4日上午，二七区在会议\n\n中心三楼会议室召开推进会。\n\n区委书记主持会议。"
    assert clean_text(page) == "本报讯5月4日上午，二七区在会议中心三楼会议室召开推进会。\n区委书记主持会议。"


def test_clean_text_keeps_spaces_between_latin_words() -> None:
    assert clean_text("The meeting\nwas held") == "The meeting was held"


@pytest.mark.parametrize(("text", "sentences"), [
    ("甲。乙！丙？", ["甲。", "乙！", "丙？"]),
    ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
    ("一是严抓；二是细管。", ["一是严抓；", "二是细管。"]),
    ("It grew 4.98 percent. Then it fell.", ["It grew 4.98 percent.", "Then it fell."]),
    # a half-width ? inside a sentence neither ends it nor drops the text before it
    ("详见www.example.cn/?id=3页面。", ["详见www.example.cn/?id=3页面。"]),
])
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(("text", "clauses_over", "sentences"), [
    ("一是严抓；二是细管。", 150, ["一是严抓；二是细管。"]),
    ("一是严抓；二是细管。", 5, ["一是严抓；", "二是细管。"]),
])
def test_semicolons_cut_only_long_sentences(text: str, clauses_over: int, sentences: list[str]) -> None:
    assert split_sentences(text, clauses_over=clauses_over) == sentences


@pytest.mark.parametrize(("answer", "expected"), [
    ("樊惠林主持会议[1]。", [("樊惠林主持会议[1]。", (1,))]),
    ("樊惠林主持会议。[1] 会议在5月召开[1, 2]。", [("樊惠林主持会议。[1]", (1,)), ("会议在5月召开[1, 2]。", (1, 2))]),
    ("见［2］与【3】。", [("见［2］与【3】。", (2, 3))]),
    ("范围[1-3]。", [("范围[1-3]。", (1, 2, 3))]),
    ("项目有：\n1. 大田垌项目[1]\n2. 侯寨项目[1]", [("项目有：", ()), ("大田垌项目[1]", (1,)), ("侯寨项目[1]", (1,))]),
    # A reply opening with a decimal is not a numbered list: "3.8亿元" was checked as 8亿元 (issue #12).
    ("3.8亿元 [1]", [("3.8亿元 [1]", (1,))]),
    ("1.2万人[1]", [("1.2万人[1]", (1,))]),
    ("1、大田垌项目[1]", [("大田垌项目[1]", (1,))]),
])
def test_split_answer_attaches_markers(answer: str, expected: list[tuple[str, tuple[int, ...]]]) -> None:
    assert [(s.text, s.cited) for s in split_answer(answer)] == expected


@pytest.mark.parametrize(("text", "lang"), [("谁主持了会议？", "zh"), ("RCEP包括哪些国家", "zh"), ("Who chaired it?", "en")])
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang
