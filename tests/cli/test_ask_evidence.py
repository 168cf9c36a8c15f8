"""Offline ask: the answer span highlighted in the quote, the one-line answer, refusals that list
the articles looked at (text and --json)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from bulletin_qa.answering.ask import SearchScope
from bulletin_qa.bulletin import Bulletin
from bulletin_qa.cli import app
from bulletin_qa.cli.ask import highlighted
from bulletin_qa.models import Answer, Article, Evidence, Hit
from bulletin_qa.settings import Settings

runner = CliRunner()
PARK = Article(id="t-02", title="青湖区三座口袋公园建成开放", date=dt.date(2024, 6, 30), source="t.txt", position=2,
               text="本报讯 近日，青湖区三座口袋公园建成开放。公园内设置了健身步道和休憩座椅。")
SCHOOL = Article(id="t-03", title="青湖区第二实验小学新校区启用", source="t.txt", position=3,
                 text="9月1日，青湖区第二实验小学新校区正式启用。")


class TwoArticles(Bulletin):
    """An offline library whose search returns the two test articles."""

    def __init__(self) -> None:
        super().__init__(Settings(), llm=None)

    def search(self, query: str, **kwargs: Any) -> list[Hit]:
        return [Hit(article=PARK, score=1.0), Hit(article=SCHOOL, score=0.5)]

    def scope(self, hits: list[Hit], *, since: dt.date | None = None, until: dt.date | None = None,
              source: str | None = None) -> SearchScope:
        return SearchScope(since=since, until=until, articles=2, retrieved=len(hits))


@pytest.fixture
def offline() -> TwoArticles:
    """No LLM; search returns the two test articles."""
    return TwoArticles()


@pytest.mark.parametrize(("args", "expected"), [
    (["ask", "昨晚的足球比赛谁赢了？"],
     ["已查看的文章", "青湖区三座口袋公园建成开放 (2024-06-30) t-02", "青湖区第二实验小学新校区启用 (日期不详) t-03"]),
    (["ask", "Who won the football match last night?"],
     ["Articles looked at", "青湖区三座口袋公园建成开放 (2024-06-30) t-02"]),
])
def test_refusal_lists_the_articles_looked_at(offline: TwoArticles, args: list[str], expected: list[str]) -> None:
    result = runner.invoke(app, args, obj=offline)
    assert result.exit_code == 0, result.stderr
    for text in expected:
        assert text in result.stdout
    assert "No LLM configured" in result.stderr


def test_refusal_json_has_the_articles_looked_at(offline: TwoArticles) -> None:
    result = runner.invoke(app, ["ask", "昨晚的足球比赛谁赢了？", "--json"], obj=offline)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["refused"] is True and data["evidence"] == [] and data["short_answer"] == ""
    assert [(c["n"], c["article_id"], c["title"], c["date"]) for c in data["looked_at"]] == [
        (1, "t-02", "青湖区三座口袋公园建成开放", "2024-06-30"), (2, "t-03", "青湖区第二实验小学新校区启用", None)]


@pytest.mark.parametrize(("quote", "span", "line"), [
    ("防汛演练共设置12个科目。", (7, 10), "“防汛演练共设置【12个】科目。” [1]"),
    ("防汛演练共设置12个科目。", None, "“防汛演练共设置12个科目。” [1]"),
])
def test_highlighted_marks_the_span(quote: str, span: tuple[int, int] | None, line: str) -> None:
    answer = Answer(question="q", answer=f"label\n答：12个\n“{quote}” [1]", mode="extractive",
                    evidence=[Evidence(n=1, article_id="a", quote=quote, span=span, score=0.9)])
    assert highlighted(answer).splitlines() == ["label", "答：12个", line]


class SchoolFirst(TwoArticles):
    """Search ranks the school article first (the one the English question is about)."""

    def search(self, query: str, **kwargs: Any) -> list[Hit]:
        return [Hit(article=SCHOOL, score=1.0), Hit(article=PARK, score=0.5)]


def test_english_question_offline_text_and_json_carry_the_gloss() -> None:
    """An English question: the Chinese quote labelled untranslated, glossed in text and in --json."""
    question = "When did the new campus open?"
    text = runner.invoke(app, ["ask", question], obj=SchoolFirst())
    data = json.loads(runner.invoke(app, ["ask", question, "--json"], obj=SchoolFirst()).stdout)
    assert text.exit_code == 0, text.stderr
    assert "Untranslated quote" in text.stdout and "read as" in text.stdout, text.stdout
    assert "9月1日 = September 1 (date)" in text.stdout and "Sources:" in text.stdout
    assert data["read_as"] and not data["refused"], data["answer"]
    assert {"zh": "9月1日", "en": "September 1", "kind": "date"} in data["evidence"][0]["gloss"]


def _span_model(weight: float) -> Any:
    """The shipped model answering every question, with a span model sure (+10) or hopeless (-10) of a
    span of a when-question."""
    import dataclasses

    import numpy as np

    from bulletin_qa.answering.extractive.model import Linear, load

    span = Linear(("q_when",), np.array([0.0]), np.array([1.0]), np.array([weight]), 0.0)
    return dataclasses.replace(load(), threshold=0.0, open_threshold=0.0, span=span, span_threshold=0.9)


@pytest.mark.parametrize(("weight", "line"), [(10.0, "答：9月1日"), (-10.0, None)])
def test_one_line_answer_printed_before_the_quote_only_when_confident(
        monkeypatch: pytest.MonkeyPatch, weight: float, line: str | None) -> None:
    from bulletin_qa.answering.extractive import answerer

    monkeypatch.setattr(answerer, "load", lambda: _span_model(weight))
    question = "第二实验小学新校区什么时候启用？"
    text = runner.invoke(app, ["ask", question], obj=SchoolFirst())
    data = json.loads(runner.invoke(app, ["ask", question, "--json"], obj=SchoolFirst()).stdout)
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    quote = lines.index("“【9月1日】，青湖区第二实验小学新校区正式启用。” [1]")
    assert data["evidence"][0]["span"] == [0, 4] and data["evidence"][0]["quote"][0:4] == "9月1日"
    if line is None:
        assert not any(s.startswith("答：") for s in lines) and data["short_answer"] == ""
    else:
        assert lines.index(line) == quote - 1 and data["short_answer"] == "9月1日"
    assert "No LLM configured" in text.stderr and "答：" not in text.stderr
