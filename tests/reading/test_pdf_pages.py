"""Our sample pages typeset as newspaper PDFs (headless Chromium) read like their text versions.

One multi-page paper holds the three pages with a full date, one layout each (stacked boxes,
boxes of different widths side by side, headlines after their bodies), under a file name with
no date, so every date must come from the mastheads; hewan-2024-04 (a month-only page) is a
one-page PDF with kicker headlines, named like its text version.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin_qa.evaluation.segmentation_eval import score_page
from bulletin_qa.evaluation.typeset import Sheet, document_html, print_pdf
from bulletin_qa.reading import ReadResult, read_paths

from .newspaper import date_of, golden_pages, needs_printing, printed

pytestmark = needs_printing
PAPER = ["hewan-2024-03-15.txt", "hewan-2024-05-20.txt", "hewan-2024-01-08.txt"]
LAYOUTS = ["stacked", "grid", "after"]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdfs")
    sheets = [Sheet(printed(name), layout, date_of(name), edition=i + 1)
              for i, (name, layout) in enumerate(zip(PAPER, LAYOUTS))]
    paper = print_pdf(document_html(sheets), out / "hewan-daily.pdf")
    kicked = [a.__class__(**{**a.__dict__, "kicker": bool(a.subtitle)}) for a in printed("hewan-2024-04.txt")]
    april = print_pdf(document_html([Sheet(kicked, "grid")]), out / "hewan-2024-04.pdf")
    return {"paper": paper, "april": april}


@pytest.fixture(scope="module")
def paper(pdfs: dict[str, Path]) -> ReadResult:
    return read_paths([pdfs["paper"]])


@pytest.mark.parametrize("number", [1, 2, 3])
def test_each_page_of_a_multi_page_paper_scores_like_text(paper: ReadResult, number: int) -> None:
    articles = [a for a in paper.articles if a.source == f"hewan-daily-p{number}.pdf"]
    score = score_page(golden_pages()[PAPER[number - 1]]["articles"], articles)
    assert score["mismatches"] == [] and score["missed"] == []
    assert score["found"] == score["expected"] == score["read"]


def test_month_only_page_with_kickers_scores_like_text(pdfs: dict[str, Path]) -> None:
    result = read_paths([pdfs["april"]])
    score = score_page(golden_pages()["hewan-2024-04.txt"]["articles"], result.articles)
    assert score["mismatches"] == [] and score["found"] == score["expected"] == score["read"]
    assert [a.id for a in result.articles][:2] == ["hewan-2024-04-01", "hewan-2024-04-02"]  # same ids as the text


def test_multi_page_ids_are_unique_and_masthead_dates_are_page_dates(paper: ReadResult) -> None:
    result = paper
    assert len({a.id for a in result.articles}) == len(result.articles) == 14
    assert not any("duplicate" in w or "no date" in w for w in result.warnings)
    approx = [a for a in result.articles if a.date_approximate]
    assert approx and {(a.source, a.date) for a in approx} <= {
        ("hewan-daily-p1.pdf", dt.date(2024, 3, 15)), ("hewan-daily-p2.pdf", dt.date(2024, 5, 20)),
        ("hewan-daily-p3.pdf", dt.date(2024, 1, 8))}


def test_the_date_flag_beats_the_masthead(pdfs: dict[str, Path]) -> None:
    result = read_paths([pdfs["paper"]], date=dt.date(2024, 3, 20))
    approx = [a for a in result.articles if a.source == "hewan-daily-p1.pdf" and a.date_approximate]
    assert approx and all(a.date == dt.date(2024, 3, 20) for a in approx)


def test_masthead_and_page_furniture_stay_out_of_articles(paper: ReadResult) -> None:
    for article in paper.articles:
        assert "河湾日报" not in article.title + article.text and "第1版" not in article.text


def test_a_multi_page_paper_ingests_once_and_again_unchanged(pdfs: dict[str, Path], tmp_path: Path) -> None:
    """Each printed page is its own source inside one file: a second ingest changes nothing, and the
    store stays consistent (ids and chunks of one page never mix with another's)."""
    import json

    from typer.testing import CliRunner

    from bulletin_qa.cli import app
    from fakes import HashingFakeEmbedder

    parts = {"embedder": HashingFakeEmbedder(), "llm": None}
    store = str(tmp_path / "vs")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(pdfs["paper"]), "--store", store, "--json"], obj=parts)
    assert first.exit_code == 0, first.stderr
    stored = json.loads(first.stdout)["articles_new"]
    assert stored == sum(len(golden_pages()[name]["articles"]) for name in PAPER)
    again = runner.invoke(app, ["ingest", str(pdfs["paper"]), "--store", store, "--json"], obj=parts)
    assert again.exit_code == 0, again.stderr
    assert (json.loads(again.stdout)["articles_unchanged"], json.loads(again.stdout)["articles_new"]) == (stored, 0)
    check = runner.invoke(app, ["check", "--store", store, "--json"], obj=parts)
    assert check.exit_code == 0 and json.loads(check.stdout)["consistent"], check.stdout
