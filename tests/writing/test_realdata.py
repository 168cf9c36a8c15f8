"""Summaries, digest and glossary proposals over the real page ../shared/data/pages/erqi-2023-05.txt.

The page is third-party text: it is read in place and never copied into the repository.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin_qa.evaluation.datasets import shared_data_dir
from bulletin_qa.names.glossary import load_glossary
from bulletin_qa.names.propose import propose
from bulletin_qa.writing import textrank
from bulletin_qa.writing.digest import build_digests
from bulletin_qa.writing.summarize import Summarizer

REAL_PAGE = shared_data_dir() / "pages" / "erqi-2023-05.txt"
STARTER = Path(__file__).resolve().parents[2] / "samples" / "glossary.toml"
pytestmark = [pytest.mark.realdata,
              pytest.mark.skipif(not REAL_PAGE.is_file(), reason=f"real data not found at {REAL_PAGE}")]


@pytest.fixture(scope="module")
def page_articles():
    from bulletin_qa.reading import read_paths

    return read_paths([REAL_PAGE]).articles


def test_extractive_summaries_quote_the_article_and_open_with_the_lead(page_articles) -> None:
    summarizer = Summarizer(llm=None)
    for article in page_articles:
        s = summarizer.summarize(article, "zh", "short")
        sentences = textrank.split_sentences(s.text)
        assert sentences and all(sentence in article.text for sentence in sentences), article.id
        assert len(s.text) <= 2 * textrank.BUDGETS["short"][0]
        assert not s.text.startswith("本报讯")
    flood = summarizer.summarize(page_articles[0], "zh", "short")
    assert flood.text.startswith("5月 6日，二七区召开") or flood.text.startswith("5月6日，二七区召开")


@pytest.mark.parametrize(("article", "facts"), [
    (0, ["5月6日", "“应战-2023”", "12个科目"]),                         # when, what, how many
    (4, ["虎荣鑫", "百年德化风情购物公园", "郑州火车站", "樱桃沟景区"]),   # who and the places visited
])
def test_extractive_summaries_carry_the_key_facts(page_articles, article: int, facts: list[str]) -> None:
    text = Summarizer(llm=None).summarize(page_articles[article], "zh", "short").text
    for fact in facts:
        assert fact in text


def test_no_summary_or_digest_item_quotes_an_enumeration_point(page_articles) -> None:
    summarizer = Summarizer(llm=None)
    (d,) = build_digests(page_articles, since=dt.date(2023, 3, 1), until=dt.date(2023, 5, 31), langs=["zh"],
                         summarizer=summarizer)
    texts = [summarizer.summarize(a, "zh", "short").text for a in page_articles] + [e.summary for e in d.entries]
    for text in texts:
        assert not any(textrank.continues_enumeration(s) for s in textrank.split_sentences(text)), text


def test_digest_of_the_page_keeps_six_distinct_stories(page_articles) -> None:
    (d,) = build_digests(page_articles, since=dt.date(2023, 3, 1), until=dt.date(2023, 5, 31), langs=["zh"],
                         summarizer=Summarizer(llm=None))
    assert len(d.entries) == 6  # six different stories: nothing merged
    assert {e.headline for e in d.entries} == {a.title for a in page_articles}
    flood = next(e for e in d.entries if e.headline == "二七区召开防汛应急演练动员会")
    assert flood.theme == "安全与应急"
    assert sum(e.date_approximate for e in d.entries) == 2


def test_glossary_proposals_for_the_page(page_articles) -> None:
    found = {p.zh: p for p in propose(page_articles, load_glossary(STARTER))}
    assert found["樊惠林"].en == "Fan Huilin" and found["樊惠林"].section == "people"
    assert found["景静"].en == "Jing Jing"
    assert "二七区" not in found  # the starter glossary already has it


class ListStore:
    """The store's list_articles over a list (event-date filter as the Chroma `where` does it)."""

    def __init__(self, articles) -> None:  # type: ignore[no-untyped-def]
        self.articles = articles

    def list_articles(self, since=None, until=None, source=None):  # type: ignore[no-untyped-def]
        def dated_in(a) -> bool:  # type: ignore[no-untyped-def]
            if not (since or until):
                return True
            return a.date is not None and (since is None or a.date >= since) and (until is None or a.date <= until)
        return [a for a in self.articles if (source is None or a.source == source) and dated_in(a)]


@pytest.mark.parametrize(("by", "has_class"), [("page", True), ("event", False)])
def test_the_may_page_digest_keeps_the_class_that_began_in_march(page_articles, by: str, has_class: bool) -> None:
    from bulletin_qa.writing.digest import select_articles, week_range

    monday, sunday = week_range("2023-W18")  # the page's week: its newest dateline is 5月6日
    picked = {a.title for a in select_articles(ListStore(page_articles), monday, sunday, by=by)}  # type: ignore[arg-type]
    assert ("二七区委党校2023年春季主体班圆满结业" in picked) == has_class  # dated 3月28日, printed in May
    assert "二七区召开防汛应急演练动员会" in picked
