"""The real page ../shared/data/pages/erqi-2023-05.txt (third-party: read in place, never copied)."""

from __future__ import annotations

import json
import time

import pytest

from bulletin_qa.reading import decode_bytes, read_page, read_paths

from .helpers import GOLDEN, REAL_PAGE, needs_real_page

pytestmark = [pytest.mark.realdata, needs_real_page]

EXPECTED = [
    # title, subtitle, date, approximate, reporters, correspondents
    ("二七区召开防汛应急演练动员会", "", "2023-05-06", False, ["景静"], []),
    ("二七区委党校2023年春季主体班圆满结业", "", "2023-03-28", False, ["景静"], []),
    ("二七区召开二季度产业发展暨经济工作推进会", "以实干实绩交出“半年红”“双过半”优异答卷", "2023-05-04", False, ["景静"], []),
    ("区领导到郑州机械研究所有限公司调研座谈", "全力打造嵩山路科创产业一条街", "2023-05-05", False, ["景静"], []),
    ("区领导督导安全生产工作", "聚焦重点行业领域 确保安全检查常态长效", "2023-05-06", True, ["景静"], []),
    ("市、区两级人大代表视察二七区安置房建设推进工作", "", "2023-05-06", True, ["景静"], ["左学彬", "周祎"]),
]


def _articles():
    return read_paths([REAL_PAGE]).articles


@pytest.mark.parametrize("position", range(1, 7))
def test_real_page_article(position: int) -> None:
    article = _articles()[position - 1]
    got = (article.title, article.subtitle, article.date.isoformat(), article.date_approximate,  # type: ignore[union-attr]
           article.reporters, article.correspondents)
    assert got == EXPECTED[position - 1]
    assert article.id == f"erqi-2023-05-{position:02d}"


def test_real_page_matches_golden_metadata() -> None:
    [row] = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if '"realdata": true' in line]
    expected = [(a["title"], a["subtitle"], a["date"], a["approx"], a["reporters"], a["correspondents"]) for a in row["articles"]]
    assert expected == EXPECTED


def test_real_page_bodies() -> None:
    articles = _articles()
    assert len(articles) == 6
    source = decode_bytes(REAL_PAGE.read_bytes(), REAL_PAGE.name)
    for article in articles:
        assert article.text.startswith("本报讯 ")  # the dateline stays with the body
        assert "记者" not in article.text[-12:]  # the byline does not
        assert not article.text.startswith(article.title)  # the headline is not in the body
        assert source[article.start : article.end].strip()
    first = articles[0].text
    assert first.startswith("本报讯 5月6日，二七区召开2023年防汛应急演练动员会，")  # stray spaces repaired
    assert "“应战-2023”" in first
    assert "招商公园1872项目" in articles[5].text
    assert "在会议中心三楼会议室" in articles[2].text  # a paragraph break mid-sentence, joined
    assert articles[2].text.count("\n") >= 4  # real paragraphs kept


def test_real_page_headlines_after_bodies_are_inside_their_spans() -> None:
    source = decode_bytes(REAL_PAGE.read_bytes(), REAL_PAGE.name)
    for article in _articles()[3:]:
        assert source[article.start : article.end].rstrip().endswith(article.subtitle or article.title)


def test_real_page_is_fast() -> None:
    text = decode_bytes(REAL_PAGE.read_bytes(), REAL_PAGE.name)
    started = time.perf_counter()
    for _ in range(10):
        read_page(text, REAL_PAGE.name)
    assert (time.perf_counter() - started) / 10 < 0.25


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\n".join(line for line in t.split("\n") if line.strip()), id="no-blank-lines"),
    ],
)
def test_real_page_variants(variant) -> None:
    text = variant(decode_bytes(REAL_PAGE.read_bytes(), REAL_PAGE.name))
    articles = read_page(text, REAL_PAGE.name)
    got = [(a.title, a.subtitle, a.date.isoformat(), a.date_approximate, a.reporters, a.correspondents)  # type: ignore[union-attr]
           for a in articles]
    assert got == EXPECTED
    assert text[articles[0].start : articles[0].end].startswith("二七区召开")
