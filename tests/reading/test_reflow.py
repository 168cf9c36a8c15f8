"""Every print-layout quirk the reflow undoes, on small inline strings."""

from __future__ import annotations

import pytest

from bulletin_qa.reading import reflow
from bulletin_qa.reading.reflow import join_pair, normalise_spaces

# 18 Han characters: a full print line, so the rows below have a column to compare with.
FULL = "河湾区召开全区安全生产工作会议通报形"


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("二七区召开\n防汛应急演练动员会", "二七区召开防汛应急演练动员会"),  # Han + Han: no space
        ("本报讯 5月 6日，二七区召开", "本报讯 5月6日，二七区召开"),  # stray space inside a date
        ("招商公园 1872项目实地察看", "招商公园1872项目实地察看"),  # Han, space, number
        ("二七区召开 2023年", "二七区召开2023年"),
        ("共设置 12 个科目", "共设置12个科目"),  # spaces on both sides of a number
        ("收入增长 18.4% ，", "收入增长18.4%，"),  # number then full-width punctuation
        ("2023年\n防汛应急演练", "2023年防汛应急演练"),
        ("排查整改隐患 23\n18处", "排查整改隐患2318处"),  # a number broken across lines
        ("“应战-\n2023”防汛演练", "“应战-2023”防汛演练"),  # a real hyphen stays, no space
        ("会议 ， 部署", "会议，部署"),  # spaces next to full-width punctuation
        ("记者 景静", "记者 景静"),  # a space between Han words is meaningful: kept
        ("聚焦重点行业领域 确保安全检查", "聚焦重点行业领域 确保安全检查"),
        ("河湾\u3000\u3000区", "河湾 区"),  # full-width spaces collapse to one
        ("Smart\nCity 项目", "Smart City 项目"),  # Latin words split at a line end get a space
        ("Windows\n11 系统", "Windows 11系统"),
        ("5\nG基站", "5G基站"),  # digit + letter: joined (5G, 10kV)
        ("坚决打\n\n好打赢翻身仗。", "坚决打好打赢翻身仗。"),  # blank line mid-sentence = column end
        ("确保全区安全度汛。\n\n据悉，此次", "确保全区安全度汛。\n据悉，此次"),  # real paragraph
        ("这是为什么？\n\n他说", "这是为什么？\n他说"),
        ("“要干！”\n\n会议指出", "“要干！”\n会议指出"),
        ("发展的“牛鼻子”\n\n增强", "发展的“牛鼻子”增强"),  # a closing quote alone ends no sentence
        ("  \u3000河湾区召开会议。  ", "河湾区召开会议。"),  # indentation and trailing spaces
    ],
)
def test_reflow_quirks(printed: str, expected: str) -> None:
    assert reflow(printed) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        # A short line ending in 。 (the print started a new line for a new paragraph).
        (f"{FULL}\n区委书记主持会议并讲话。\n樊惠林指出，全区上下", f"{FULL}区委书记主持会议并讲话。\n樊惠林指出，全区上下"),
        # A full line that happens to end in 。 with no blank line: the same paragraph goes on.
        (f"{FULL}\n河湾区召开全区安全生产工作会议通报。\n樊惠林指出", f"{FULL}河湾区召开全区安全生产工作会议通报。樊惠林指出"),
    ],
)
def test_paragraph_break_without_blank_line_depends_on_line_length(printed: str, expected: str) -> None:
    assert reflow(printed) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [("二七", "区", "二七区"), ("data", "center", "data center"), ("12", "345", "12345"), ("GDP", "增长", "GDP增长")],
)
def test_join_pair(left: str, right: str, expected: str) -> None:
    assert join_pair(left, right) == expected


def test_normalise_spaces_is_idempotent() -> None:
    once = normalise_spaces("本报讯 5月 6日 ，召开 2023年 会议 记者 景静")
    assert once == "本报讯 5月6日，召开2023年 会议 记者 景静"
    assert normalise_spaces(once) == once
