"""`bulletin-qa eval segmentation` and `eval summaries` on a two-article page of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app

from .conftest import write_jsonl

runner = CliRunner()

PAGE = """春季招聘会在二七区举行
本报讯（记者 景静 通讯员 左学
彬）5月6日，二七区人才市场举办
春季招聘会，共有八十家企业参加，
提供岗位一千二百个，吸引求职者
三千余人。
现场设有政策咨询台，工作人员为
求职者讲解就业补贴政策。

图书馆新馆开放
本报讯（记者 王伟）5月5日，郑州
市图书馆新馆正式开放，馆内藏书
三十万册，市民可凭身份证免费借
阅。
新馆每天开放十二个小时。
"""
SOURCE = "town-2023-05-08.txt"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A folder holding the one page."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / SOURCE).write_text(PAGE, encoding="utf-8")
    return folder


def test_eval_segmentation_scores_boundaries_and_titles(tmp_path, pages):
    golden = write_jsonl(tmp_path / "seg.jsonl", [{"page": f"pages/{SOURCE}", "articles": [
        {"title": "一个错误的标题", "body_start": "本报讯（记者 景静"},
        {"title": "图书馆新馆开放", "approx": False, "body_start": "本报讯（记者 王伟）5月5日，郑州市"},
    ]}])
    out = tmp_path / "seg.json"
    result = runner.invoke(app, ["eval", "segmentation", "--golden", str(golden), "--pages", str(pages),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "boundary_recall" in result.stdout and SOURCE in result.stdout
    assert "some boundaries or titles are wrong" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["table"]["all"]["boundary_recall"] == 1.0
    assert report["table"]["all"]["boundary_precision"] == 1.0
    assert report["table"]["all"]["title"] == 0.5
    assert report["table"]["all"]["date_approximate"] == 1.0      # 'approx' in the golden file
    assert report["table"]["all"]["subtitle"] is None             # given for no article: not scored
    assert report["items"][0]["mismatches"][0]["expected"] == "一个错误的标题"


def test_eval_segmentation_missing_page_is_a_usage_error(tmp_path, pages):
    golden = write_jsonl(tmp_path / "seg.jsonl", [{"page": "absent.txt", "articles": [{"title": "x"}]}])
    result = runner.invoke(app, ["eval", "segmentation", "--golden", str(golden), "--pages", str(pages),
                                 "--out", str(tmp_path / "o.json")])
    assert result.exit_code == 2
    assert "absent.txt" in result.stderr and "--pages" in result.stderr
    assert result.stdout == ""


def test_eval_summaries_extractive_fact_coverage(tmp_path, pages):
    article_id = "town-2023-05-08-02"
    facts = write_jsonl(tmp_path / "facts.jsonl", [
        # 新馆 is in both sentences of the article, so any extractive pick has it; 火星基地 is in none.
        {"article_id": article_id, "facts": ["新馆", "火星基地"], "reference": "郑州市图书馆新馆开放，藏书三十万册。"},
        {"article_id": article_id, "lang": "en", "facts": ["library"]},
    ])
    result = runner.invoke(app, ["eval", "summaries", "--facts", str(facts), "--pages", str(pages), "--json",
                                 "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    (item,) = report["items"]
    assert item["mode"] == "extractive"
    assert item["fact_coverage"] == 0.5
    assert item["missing_facts"] == ["火星基地"]
    assert 0 < item["rougeL"] <= 1
    assert report["table"]["zh-short"]["articles"] == 1
    assert any("English summaries need an LLM" in note for note in report["notes"])


def test_eval_summaries_unknown_article(tmp_path, pages):
    facts = write_jsonl(tmp_path / "facts.jsonl", [{"article_id": "nope-01", "facts": ["x"]}])
    result = runner.invoke(app, ["eval", "summaries", "--facts", str(facts), "--pages", str(pages),
                                 "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 2
    assert "nope-01" in result.stderr


def test_eval_segmentation_on_the_sample_pages(tmp_path):
    """The repo's golden file over samples/pages (the erqi page too when ../shared/data is there)."""
    out = tmp_path / "seg.json"
    result = runner.invoke(app, ["eval", "segmentation", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["counts"]["pages"] >= 4
    # Target from the issue: every boundary and title right on the sample pages.
    assert report["table"]["all"]["boundary_recall"] == 1.0
    assert report["table"]["all"]["boundary_precision"] == 1.0
    assert report["table"]["all"]["title"] == 1.0
