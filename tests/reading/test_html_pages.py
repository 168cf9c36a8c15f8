"""Web pages: an article page and a page of articles, through trafilatura and the page reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin_qa.reading import read_paths

ARTICLE_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>河湾区召开城市管理工作推进会_河湾新闻网</title>
<meta property="og:title" content="河湾区召开城市管理工作推进会">
<meta name="author" content="记者 沈一鸣"><meta property="article:published_time" content="2024-05-19T18:00:00+08:00">
</head><body><header><nav><a href="/">首页</a> <a href="/news">要闻</a> <a href="/about">关于我们</a></nav></header>
<main><article><h1>河湾区召开城市管理工作推进会</h1>
<p>本报讯 5月18日，河湾区召开城市管理工作推进会，总结前一阶段城市精细化管理工作，部署下一步重点任务。</p>
<p>会议指出，今年以来全区共整治背街小巷42条，新增停车泊位1300个，城市管理投诉量同比下降21%。</p>
<p>会议要求，各街道要聚焦群众反映强烈的问题，持续提升城市管理水平。</p></article></main>
<footer>河湾新闻网 版权所有 联系电话 0000-1234567</footer></body></html>"""

LIST_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>要闻 - 河湾新闻网</title></head>
<body><nav><a href="/">首页</a></nav>
<article><h2>白鹭湾湿地公园二期开工</h2><time datetime="2024-04-12">2024-04-12</time>
<p>本报讯 近日，白鹭湾湿地公园生态修复二期工程开工建设，计划修复湿地面积860亩，新建生态步道6公里。</p>
<p>工程预计明年6月完工，建成后将为候鸟提供更好的栖息环境。记者 陆晴</p></article>
<article><h2>河湾区启动城市更新三年行动</h2><time datetime="2024-04-10">2024-04-10</time>
<p>本报4月9日讯（记者 王海涛 通讯员 马骏）河湾区9日召开城市更新三年行动动员会，明确三年改造老旧小区58个。</p>
<p>会议要求，各镇街要倒排工期、挂图作战，确保年度任务按期完成。</p></article>
</body></html>"""


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (ARTICLE_PAGE, [("河湾区召开城市管理工作推进会", dt.date(2024, 5, 18), False, ["沈一鸣"], [],
                         "本报讯 5月18日，河湾区召开")]),
        (LIST_PAGE, [("白鹭湾湿地公园二期开工", dt.date(2024, 4, 12), True, ["陆晴"], [], "本报讯 近日，白鹭湾"),
                     ("河湾区启动城市更新三年行动", dt.date(2024, 4, 9), False, ["王海涛"], ["马骏"], "本报4月9日讯")]),
    ],
    ids=["article-page", "page-of-articles"],
)
def test_web_pages(tmp_path: Path, html: str, expected: list[tuple]) -> None:  # type: ignore[type-arg]
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    articles = read_paths([path]).articles
    got = [(a.title, a.date, a.date_approximate, a.reporters, a.correspondents, a.text[: len(e[5])])
           for a, e in zip(articles, expected)]
    assert got == expected and len(articles) == len(expected)
    assert [a.id for a in articles] == [f"page-{i:02d}" for i in range(1, len(expected) + 1)]
    for article in articles:
        assert "首页" not in article.text and "版权所有" not in article.text  # navigation and footer left out
