"""Answer and segmentation scorers on hand-made inputs with known outcomes."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin_qa.evaluation.answers_eval import add_halves, rgb_questions, run_answers, score_answer, summarise
from bulletin_qa.evaluation.datasets import QAItem, RGBItem, rgb_half
from bulletin_qa.evaluation.report import EvalReport
from bulletin_qa.evaluation.segmentation_eval import score_page
from bulletin_qa.models import Answer, Article, Citation, Hit


def _answer(text: str, refused: bool = False, verified: tuple[bool, ...] = ()) -> Answer:
    cites = [Citation(n=i, article_id=f"a{i}", title="", verified=v) for i, v in enumerate(verified, 1)]
    return Answer(question="q", answer=text, mode="extractive", refused=refused, citations=cites)


@pytest.mark.parametrize(("item", "answer", "expected"), [
    (QAItem(id="1", question="q", answers=["八十家"], gold_ids=["a1"]), _answer("共有80家企业[1]", verified=(True,)),
     {"refused": False, "correct": True, "citations": 1, "citations_verified": 1, "cited_gold": True}),
    (QAItem(id="2", question="q", answers=["八十家"], gold_ids=["a9"]), _answer("共有70家企业[1]", verified=(False,)),
     {"refused": False, "correct": False, "citations": 1, "citations_verified": 0, "cited_gold": False}),
    (QAItem(id="3", question="q", answers=["八十家"]), _answer("资料不足", refused=True),
     {"refused": True, "correct": False, "citations": 0}),
    (QAItem(id="4", question="q", answerable=False), _answer("资料不足", refused=True),
     {"refused": True, "correct": None}),
])
def test_score_answer(item, answer, expected):
    row = score_answer(item, answer)
    assert {key: row[key] for key in expected} == expected


def test_summarise_rates():
    rows = [
        {"answerable": True, "refused": False, "correct": True, "citations": 2, "citations_verified": 2},
        {"answerable": True, "refused": False, "correct": False, "citations": 2, "citations_verified": 1},
        {"answerable": True, "refused": True, "correct": False, "citations": 0, "citations_verified": 0},
        {"answerable": True, "refused": False, "correct": True, "citations": 0, "citations_verified": 0},
        {"answerable": False, "refused": True, "correct": None, "citations": 0, "citations_verified": 0},
        {"answerable": False, "refused": False, "correct": None, "citations": 1, "citations_verified": 1},
    ]
    table = summarise(rows, ("with positives", "distractors only"))
    assert table["with positives"] == pytest.approx({"items": 4, "accuracy": 0.5, "answered": 0.75,
                                                     "accuracy_when_answered": 2 / 3, "citation_validity": 0.75})
    assert table["distractors only"] == {"items": 2, "refusal_accuracy": 0.5}


def test_summarise_reports_what_the_reader_sees_and_the_time_per_question():
    def row(answerable, refused, correct, verified, unsupported=0, seconds=1.0):
        item = QAItem(id="x", question="q", answers=["八十家"], answerable=answerable)
        answer = _answer("八十家[1]" if correct else "七十家[1]", refused=refused, verified=verified)
        answer.unsupported = ["s"] * unsupported
        return {**score_answer(item, answer), "seconds": seconds}

    rows = [row(True, False, True, (True,)),               # correct, verified
            row(True, False, True, (False,), seconds=3.0),   # correct, shown unverified (no verified citation)
            row(True, False, True, (True,), unsupported=1),  # correct, one flagged sentence
            row(True, False, False, (True, False)),         # wrong but carries a verified citation
            row(True, True, False, ()),                     # refused
            row(False, False, False, (True,), seconds=5.0),  # unanswerable shown as a verified answer
            row(False, True, False, ())]
    table = summarise(rows)
    assert table["answerable"]["with_verified_citation"] == pytest.approx(3 / 4)
    assert table["answerable"]["correct_shown_unverified"] == pytest.approx(2 / 3)
    assert table["answerable"]["seconds_per_question"] == pytest.approx(1.4)
    assert table["answerable"]["seconds_max"] == 3.0
    assert table["unanswerable"]["shown_as_verified_answer"] == 0.5
    assert table["unanswerable"]["seconds_per_question"] == 3.0


def test_rgb_questions_make_a_positive_and_a_negative_question_per_item():
    item = RGBItem(id="5", query="加息几次", answers=[["4次", "四次"]], positive=["p1", "p2"], negative=["n1"])
    questions, sources, halves = rgb_questions([item])
    assert [(q.id, q.answerable) for q in questions] == [("rgb-5", True), ("rgb-5-neg", False)]
    assert questions[0].gold_ids == ["rgb-5-p1", "rgb-5-p2"]
    assert sources == {"rgb-5": "rgb-5", "rgb-5-neg": "rgb-5-neg"}
    assert halves == {"rgb-5": "tune", "rgb-5-neg": "tune"}  # zlib.crc32(b"5") is even


@pytest.mark.parametrize(("item_id", "half"), [("1", "held out"), ("2", "held out"), ("4", "tune"), ("5", "tune")])
def test_rgb_half_is_fixed_by_the_crc32_of_the_item_id(item_id: str, half: str) -> None:
    assert rgb_half(item_id) == half


def test_halves_get_their_own_table_columns():
    rows = [{"id": "rgb-4", "answerable": True, "refused": False, "correct": True, "citations": 1,
             "citations_verified": 1},
            {"id": "rgb-4-neg", "answerable": False, "refused": True},
            {"id": "rgb-1", "answerable": True, "refused": True, "correct": False, "citations": 0,
             "citations_verified": 0},
            {"id": "rgb-1-neg", "answerable": False, "refused": False}]
    report = EvalReport(name="answers", dataset="rgb", table={}, items=rows)
    halves = {"rgb-4": "tune", "rgb-4-neg": "tune", "rgb-1": "held out", "rgb-1-neg": "held out"}
    add_halves(report, halves, ("with positives", "distractors only"))
    assert report.table["with positives, tune"]["accuracy"] == 1.0
    assert report.table["distractors only, tune"]["refusal_accuracy"] == 1.0
    assert report.table["with positives, held out"]["answered"] == 0.0
    assert report.table["distractors only, held out"]["refusal_accuracy"] == 0.0


def test_run_answers_passes_hits_to_the_answerer_and_scores():
    article = Article(id="a1", text="正文", source="s", position=1)
    seen: list[tuple[str, list[str]]] = []

    def answer(question: str, hits: list[Hit]) -> Answer:
        seen.append((question, [h.article.id for h in hits]))
        return _answer("八十家" if hits else "资料不足", refused=not hits)

    items = [QAItem(id="1", question="有几家？", answers=["80家"], gold_ids=["a1"]),
             QAItem(id="2", question="火星？", answerable=False)]
    retrieve = {"1": [Hit(article=article, score=1.0)], "2": []}
    report = run_answers(items, retrieve=lambda item: retrieve[item.id], answer=answer, dataset="t")
    assert seen == [("有几家？", ["a1"]), ("火星？", [])]
    assert report.table["answerable"]["accuracy"] == 1.0
    assert report.table["unanswerable"]["refusal_accuracy"] == 1.0
    assert report.items[0]["retrieved"] == ["a1"]
    assert all(row["seconds"] >= 0 for row in report.items)
    assert "answer mode: extractive" in report.notes


def _read(text: str, title: str, **fields) -> Article:
    return Article(id="p-01", title=title, text=text, source="p.txt", position=1, **fields)


def test_score_page_aligns_by_body_start_and_compares_fields():
    expected = [
        {"title": "春季招聘会举行", "date": "2023-05-06", "date_approximate": False, "reporters": ["景静"],
         "body_start": "本报讯 5月6日，二七区"},
        {"title": "图书馆新馆开放", "date": None, "body_start": "近日，郑州市图书馆"},
        {"title": "不存在的文章", "body_start": "这一段没有被读出"},
    ]
    read = [
        _read("本报讯5月6日，二七区人才市场举办招聘会。", "春季招聘会 举行",
              date=dt.date(2023, 5, 6), reporters=["景静"]),
        _read("近日，郑州市图书馆新馆开放。", "图书馆开放", date=None),
        _read("多出来的一篇。", "多余"),
    ]
    score = score_page(expected, read)
    assert (score["expected"], score["read"], score["found"]) == (3, 3, 2)
    assert score["title"] == 1                      # spaces ignored in the first, the second differs
    assert (score["date"], score["date_checked"]) == (2, 2)
    assert (score["reporters"], score["reporters_checked"]) == (1, 1)   # the second entry gives no reporters
    assert score["missed"] == ["这一段没有被读出"]
    assert score["mismatches"] == [{"body_start": "近日，郑州市图书馆", "field": "title",
                                    "expected": "图书馆新馆开放", "read": "图书馆开放"}]
