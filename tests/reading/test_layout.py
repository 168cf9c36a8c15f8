"""Layout reading on hand-placed glyphs: fragments, XY-cut reading order, masthead, text, cues."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin_qa.evaluation.metrics import character_error_rate, edit_distance
from bulletin_qa.reading.bylines import parse_byline, parse_groups
from bulletin_qa.reading.formats.layout import Glyph, Rule, fragments, read_layout
from bulletin_qa.reading.formats.pagetext import (
    apply_cues,
    compose,
    find_masthead,
    masthead_date,
)
from bulletin_qa.reading.formats.unihan import fold
from bulletin_qa.reading.page import read_page

BODY = 10.0


def line(text: str, x: float, top: float, size: float = BODY, gap: float = 0.0) -> list[Glyph]:
    """Glyphs of one printed line, one Han-width cell each (`gap` extra between characters)."""
    out = []
    for i, char in enumerate(text):
        x0 = x + i * (size + gap)
        out.append(Glyph(char, x0, x0 + size, top, top + size, size))
    return out


def column(lines: list[str], x: float, top: float, size: float = BODY) -> list[Glyph]:
    """Lines set one under the other at 1.6 line spacing."""
    return [g for i, text in enumerate(lines) for g in line(text, x, top + i * size * 1.6, size)]


def order(glyphs: list[Glyph], rules: list[Rule] | None = None) -> list[str]:
    return [" / ".join(f.text for f in leaf.fragments) for leaf in read_layout(glyphs, rules or []).leaves]


def test_columns_sharing_baselines_are_read_one_after_the_other() -> None:
    left = column(["甲一一一一", "甲二二二二"], 0, 0)
    right = column(["乙一一一一", "乙二二二二"], 60, 0)  # a one-character gutter, same baselines
    assert order(left + right) == ["甲一一一一 / 甲二二二二", "乙一一一一 / 乙二二二二"]


def test_a_headline_spanning_its_columns_comes_first_and_the_box_below_after() -> None:
    head = line("河湾区召开大会", 10, 0, size=16)
    cols = column(["左栏第一行字", "左栏第二行字"], 0, 30) + column(["右栏第一行字", "右栏第二行字"], 70, 30)
    below = column(["下一篇正文字"], 0, 80)
    rules = [Rule(0, 130, 72, 73)]  # the rule under the box
    assert order(head + cols + below, rules) == [
        "河湾区召开大会", "左栏第一行字 / 左栏第二行字", "右栏第一行字 / 右栏第二行字", "下一篇正文字"]


def test_boxes_side_by_side_keep_their_headlines() -> None:
    a = line("甲标题甲标题", 0, 0, size=16) + column(["甲正文甲正文甲正", "甲正文甲正文甲正"], 0, 30)
    b = line("乙标题乙标题", 110, 0, size=16) + column(["乙正文乙正文", "乙正文乙正文"], 110, 30)
    rules = [Rule(100, 101, 0, 60)]  # the vertical rule between the boxes
    assert order(a + b, rules) == ["甲标题甲标题", "甲正文甲正文甲正 / 甲正文甲正文甲正",
                                   "乙标题乙标题", "乙正文乙正文 / 乙正文乙正文"]


def test_a_headline_printed_under_its_body_is_read_before_it() -> None:
    body = column(["本报讯 正文一", "正文二。"], 0, 0)
    head = line("标题在正文之后", 0, 45, size=16)
    assert order(body + head) == ["标题在正文之后", "本报讯 正文一 / 正文二。"]


@pytest.mark.parametrize(
    ("tracking", "between", "expected"),
    [
        (0.0, 4.0, ["记者 陆晴"]),  # a real space stands out from tight setting
        (1.0, 5.0, ["记者 陆晴"]),  # ... and from justified setting, where every gap is wider
        (1.0, 1.0, ["记者陆晴"]),  # justified, no space
        (0.0, 12.0, ["记者", "陆晴"]),  # a gutter-wide gap: two columns
    ],
)
def test_fragments_spaces_and_gutters(tracking: float, between: float, expected: list[str]) -> None:
    glyphs = line("记者", 0, 0, gap=tracking)
    glyphs += line("陆晴", glyphs[-1].x1 + between, 0, gap=tracking)
    assert [f.text for f in fragments(glyphs)] == expected


@pytest.mark.parametrize(
    ("masthead", "date", "found"),
    [
        (["河湾日报", "第1版 2023年5月8日 星期一"], dt.date(2023, 5, 8), True),
        (["河湾日报", "第4版"], None, True),
        (["本报讯 这是正文。"], None, False),  # a sentence is not a masthead
    ],
)
def test_masthead_is_kept_out_of_the_text_and_gives_the_date(masthead: list[str], date: dt.date | None,
                                                             found: bool) -> None:
    top = [g for i, text in enumerate(masthead) for g in line(text, 0, i * 25, size=20 if i == 0 else BODY)]
    body = column(["本报讯 5月6日，区里召开会议。"] + ["会议要求落实责任会议要求落实"] * 20, 0, 80)
    layout = read_layout(top + body, [Rule(0, 300, 60, 61)], find_masthead)
    page = compose(layout)
    assert page.date == date
    assert (masthead[0] not in page.text) is found


@pytest.mark.parametrize(
    ("text", "date"),
    [("2023年5月8日 星期一", dt.date(2023, 5, 8)), ("2024 年 3 月 15 日", dt.date(2024, 3, 15)),
     ("2023年2月30日", None), ("第2版", None)],
)
def test_masthead_date(text: str, date: dt.date | None) -> None:
    assert masthead_date(text) == date


def test_paragraphs_from_geometry_and_columns_continuing() -> None:
    # column 1 ends on a full line mid-sentence; column 2 continues it, then an indented paragraph
    col1 = line("本报讯 河湾区召开会", 0, 0) + line("议部署重点工作要求", 0, 16)
    col2 = line("各部门抓好落实。", 110, 0) + line("会议强调安全。", 130, 16)
    page = compose(read_layout(col1 + col2))
    assert page.text == "本报讯 河湾区召开会议部署重点工作要求各部门抓好落实。\n\n会议强调安全。"


def test_type_sizes_decide_title_and_subtitle_where_text_rules_cannot() -> None:
    # A title whose second line opens with 以 reads as a slogan subtitle to the text rules.
    head = line("河湾区召开会议", 0, 0, size=20) + line("以实干推进工作", 0, 28, size=20)
    sub = line("全区上下凝聚合力", 0, 56, size=14)
    body = column(["本报讯 5月6日，河湾区召开会议。", "会议要求以实干推进工作。记者 景静"], 0, 90)
    page = compose(read_layout(head + sub + body))
    plain = read_page(page.text, "p.pdf", dt.date(2023, 5, 8))
    assert plain[0].title == "河湾区召开会议"  # the text rules alone split the title
    [article] = apply_cues(plain, page)
    assert (article.title, article.subtitle) == ("河湾区召开会议以实干推进工作", "全区上下凝聚合力")
    assert article.reporters == ["景静"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("河湾区人\u2ea0医院", "河湾区人民医院"), ("\u2ed8石镇", "青石镇"), ("区\u2ed3", "区长"),
     ("\u2f47报", "日报"), ("种植\u6236", "种植户"), ("，。（）", "，。（）")],  # full-width punctuation stays
)
def test_pdf_lookalike_code_points_fold_back(raw: str, clean: str) -> None:
    assert fold(raw) == clean


@pytest.mark.parametrize(
    ("line_text", "reporters", "correspondents"),
    [("记者陆晴通讯员马骏", ["陆晴"], ["马骏"]),  # OCR drops the spaces
     ("记者 陆晴 通讯员 马骏", ["陆晴"], ["马骏"]),
     ("本报记者张三", ["张三"], []),
     ("本报记者 陆晴 方小禾 通讯员高原报道", ["陆晴", "方小禾"], ["高原"])],
)
def test_bylines_without_spaces(line_text: str, reporters: list[str], correspondents: list[str]) -> None:
    byline = parse_groups(line_text)  # what datelines (`本报记者 … 报道`) and bylines both use
    assert (byline.reporters, byline.correspondents) == (reporters, correspondents)
    assert "报道" in line_text or parse_byline(line_text) == byline  # a byline line alone


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("kitten", "sitting", 3), ("", "ab", 2), ("河湾区", "河湾", 1), ("flaw", "lawn", 2), ("同", "同", 0)],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == edit_distance(b, a)


def test_character_error_rate_ignores_whitespace() -> None:
    assert character_error_rate("河湾 区召开", "河湾区召开\n") == 0.0
    assert character_error_rate("河湾区召关", "河湾区召开") == pytest.approx(0.2)


def _boxes(gaps: list[float]) -> list[tuple[float, float, float, float]]:
    """Character boxes 10 wide with the given gaps between them."""
    return [(i * 10 + sum(gaps[:i]), i * 10 + sum(gaps[:i]) + 10, 0.0, 10.0) for i in range(len(gaps) + 1)]


@pytest.mark.parametrize(
    ("text", "gaps", "expected"),
    [
        ("记者沈一鸣", [0, 4, 0, 4], "记者 沈一鸣"),  # a name is two or three characters: 鸣 is not one
        ("记者方小禾陆晴", [0, 0.8, 0, 0.8, 2.4, 0], "记者 方小禾 陆晴"),  # gaps measured on a scan (x10)
        ("通讯员高原李婷婷", [0, 0, 2.4, 0, 2.4, 0, 1.6], "通讯员 高原 李婷婷"),
        ("通讯员马骏", [1.6, 0, 2, 2.4], "通讯员 马骏"),
        ("记者方小禾陆晴", [0, 4, 0, 0, 4, 0], "记者 方小禾 陆晴"),
        ("通讯员高原李婷婷", [0, 0, 4, 0, 4, 0, 0], "通讯员 高原 李婷婷"),
        ("河湾区召开会议", [0, 4, 0, 4, 0, 0], "河湾区召开会议"),  # not a byline line: no spaces added
    ],
)
def test_ocr_byline_spaces_from_character_gaps(text: str, gaps: list[float], expected: str) -> None:
    from bulletin_qa.reading.formats.ocr import _byline_spaces

    assert "".join(_byline_spaces(list(text), _boxes(gaps), 10.0)) == expected
