"""Bylines and datelines, as printed."""

from __future__ import annotations

import pytest

from bulletin_qa.reading.bylines import parse_byline, split_appended_byline
from bulletin_qa.reading.datelines import parse_dateline, starts_with_dateline


@pytest.mark.parametrize(
    ("line", "reporters", "correspondents"),
    [
        ("记者 景静", ["景静"], []),
        ("通讯员 左学彬 周祎", [], ["左学彬", "周祎"]),
        ("实习生 方小禾 记者 陆晴", ["方小禾", "陆晴"], []),
        ("记者 景静 通讯员 左学彬、周祎", ["景静"], ["左学彬", "周祎"]),
        ("（记者 张三 通讯员 李四）", ["张三"], ["李四"]),
        ("本报记者 王五", ["王五"], []),
        ("记者景静", ["景静"], []),
        ("记者 阿依古丽·买买提", ["阿依古丽·买买提"], []),
    ],
)
def test_byline_lines(line: str, reporters: list[str], correspondents: list[str]) -> None:
    byline = parse_byline(line)
    assert byline is not None
    assert (byline.reporters, byline.correspondents) == (reporters, correspondents)


@pytest.mark.parametrize("line", ["记者了解到，该项目", "区委书记樊惠林主持会议并讲话。", "二七区召开", "记者 景静说，要抓好落实"])
def test_not_byline_lines(line: str) -> None:
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("line", "body", "reporters", "correspondents"),
    [
        ("抗灾硬仗。记者 景静", "抗灾硬仗。", ["景静"], []),
        ("稳步向好。 记者 景静 通讯员 马骏", "稳步向好。", ["景静"], ["马骏"]),
        ("家长更加安心。实习生 方小禾 记者 陆晴", "家长更加安心。", ["方小禾", "陆晴"], []),
        ("成为常态。”记者 沈一鸣", "成为常态。”", ["沈一鸣"], []),
    ],
)
def test_appended_bylines(line: str, body: str, reporters: list[str], correspondents: list[str]) -> None:
    found = split_appended_byline(line)
    assert found is not None
    assert (found[0], found[1].reporters, found[1].correspondents) == (body, reporters, correspondents)


@pytest.mark.parametrize("line", ["会议结束。记者了解到", "记者 景静", "好打赢今年经济工作的翻身仗。"])
def test_no_appended_byline(line: str) -> None:
    assert split_appended_byline(line) is None


@pytest.mark.parametrize(
    ("paragraph", "text", "month_day", "relative", "reporters"),
    [
        ("本报讯 5月 6日，二七区召开", "本报讯 5月6日", (5, 6), None, []),
        ("本报讯 5月 4日上午，二七区", "本报讯 5月4日上午", (5, 4), None, []),
        ("本报讯 3月28日至4月26日，二七区", "本报讯 3月28日至4月26日", (3, 28), None, []),
        ("本报讯 近日，二七区人大", "本报讯 近日", None, "近日", []),
        ("本报讯（记者 张三）昨天，河湾区", "本报讯（记者 张三）昨天", None, "昨天", ["张三"]),
        ("本报5月6日讯 河湾区", "本报5月6日讯", (5, 6), None, []),
        ("本报郑州5月6日讯（记者 李四）河湾区", "本报郑州5月6日讯（记者 李四）", (5, 6), None, ["李四"]),
        ("新华社北京3月14日电（记者 王海涛）国务院", "新华社北京3月14日电（记者 王海涛）", (3, 14), None, ["王海涛"]),
        ("本报记者 陆晴 通讯员 高原 报道5月 18日，河湾区", "本报记者 陆晴 通讯员 高原 报道 5月18日", (5, 18), None, ["陆晴"]),
        ("本报讯 河湾区于3月5日召开", "本报讯", None, None, []),
    ],
)
def test_datelines(paragraph: str, text: str, month_day: tuple[int, int] | None, relative: str | None,
                   reporters: list[str]) -> None:
    dateline = parse_dateline(paragraph)
    assert dateline is not None
    assert dateline.text == text
    assert (dateline.month, dateline.day) == (month_day or (None, None))
    assert dateline.relative == relative
    assert dateline.byline.reporters == reporters


def test_dateline_with_year_and_correspondent() -> None:
    dateline = parse_dateline("本报讯 2023年12月 30日，河湾区")
    assert dateline is not None and (dateline.year, dateline.month, dateline.day) == (2023, 12, 30)
    assert parse_dateline("本报记者 陆晴 通讯员 高原 报道 5月18日，").byline.correspondents == ["高原"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("本报讯 5月 6日，二七区召开 2023年", True),
        ("新华社清川3月12日电（记者 王海涛）清", True),
        ("本报记者 陆晴 通讯员 高原 报道", True),
        ("区供电公司3月5日电话回访用户", False),  # …日电 inside prose is no dateline
        ("据本报讯，二七区", False),
        ("记者 景静", False),
    ],
)
def test_starts_with_dateline(line: str, expected: bool) -> None:
    assert starts_with_dateline(line) is expected
