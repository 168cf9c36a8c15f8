"""The answer span's features, the span model deciding the one-line answer (答：…), and the weights loader."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from answering.helpers import MEETING, PARK, SCHOOL, hits
from bulletin_qa.answering.ask import answer_question
from bulletin_qa.answering.extractive.answerer import select, short_answer
from bulletin_qa.answering.extractive.features import rows_for
from bulletin_qa.answering.extractive.model import WEIGHTS_PATH, Linear, Model, from_dict, load
from bulletin_qa.answering.extractive.span import SPAN_FEATURES, span_probability, span_values
from bulletin_qa.answering.question import analyse
from bulletin_qa.answering.sources import build_sources
from bulletin_qa.models import Article

NUMBERS = Article(id="t-n", title="青湖区统计公报", source="t.txt", position=1,
                  text="青湖区今年新增就业岗位3200个，新增创业项目150个。")
ECHO = Article(id="t-e", title="青湖区就业", source="t.txt", position=2, text="青湖区今年新增就业岗位3200个。")


def ranked_rows(question: str, *articles: Article) -> list:
    """The rows of the articles for the question, scored by the shipped ranker, best first."""
    query = analyse(question)
    rows = rows_for(query, build_sources(hits(*articles)))
    load().score(rows)
    return sorted(rows, key=lambda r: (-r.score, r.source.n, r.index))


@pytest.mark.parametrize(("question", "articles", "expected"), [
    # one count beside its slot word, read with its unit
    ("第二实验小学新校区可容纳多少学生？", (SCHOOL,),
     {"q_number": 1.0, "candidates": 1.0, "items_anywhere": 1.0, "with_unit": 1.0, "tie": 0.0}),
    # two counts in the sentence: the one beside 就业岗位 is picked, the other is still a candidate
    ("青湖区今年新增就业岗位多少个？", (NUMBERS,), {"q_number": 1.0, "items_anywhere": 2.0, "agree_articles": 0.0}),
    # another retrieved article states the same value
    ("青湖区今年新增就业岗位多少个？", (NUMBERS, ECHO), {"agree_articles": 1.0, "runner_same": 1.0}),
    # a name right after the title, beside the slot word 主持
    ("谁主持了三季度安全生产工作会议？", (MEETING,), {"q_who": 1.0, "candidates": 1.0, "with_unit": 0.0}),
])
def test_span_features(question: str, articles: tuple[Article, ...], expected: dict[str, float]) -> None:
    values = span_values(analyse(question), ranked_rows(question, *articles), 0.9)
    assert values is not None and set(values) >= set(SPAN_FEATURES)
    assert {k: values[k] for k in expected} == expected


@pytest.mark.parametrize("question", [
    "青湖区新建了哪些口袋公园？",  # a list question: the quote only
    "林若溪是什么职务？",           # a post question: no training data, no calibrated span probability
])
def test_no_span_values_for_types_without_a_one_liner(question: str) -> None:
    assert span_values(analyse(question), ranked_rows(question, MEETING, PARK), 0.9) is None


def _model(feature: str, weight: float) -> Model:
    """The shipped ranker, every question answered, and a span model over one feature (standardised
    as 0/1): weight +10 makes a span with the feature sure (P ~ 1), -10 a span with it hopeless."""
    span = Linear((feature,), np.array([0.0]), np.array([1.0]), np.array([weight]), 0.0)
    return dataclasses.replace(load(), threshold=0.0, open_threshold=0.0, span=span, span_threshold=0.9)


@pytest.mark.parametrize(("question", "model", "short"), [
    ("第二实验小学新校区可容纳多少学生？", _model("with_unit", 10.0), "1800名"),
    ("第二实验小学新校区可容纳多少学生？", _model("with_unit", -10.0), ""),
    ("谁主持了三季度安全生产工作会议？", _model("q_who", 10.0), "林若溪"),
    ("谁主持了三季度安全生产工作会议？", _model("q_who", -10.0), ""),
    # no span model (weights written before it): no one-liner however sure
    ("第二实验小学新校区可容纳多少学生？", dataclasses.replace(_model("with_unit", 10.0), span=None), ""),
])
def test_one_line_answer_only_when_the_span_model_is_confident(question: str, model: Model, short: str) -> None:
    query = analyse(question)
    picked = select(query, build_sources(hits(SCHOOL, MEETING)), model=model)
    assert picked
    assert short_answer(query, picked[0], model=model) == short
    assert (picked[0].span_confidence >= model.span_threshold) == bool(short)


def test_span_probability_is_zero_without_a_span_model() -> None:
    question = "第二实验小学新校区可容纳多少学生？"
    model = dataclasses.replace(load(), span=None)
    assert span_probability(model, analyse(question), ranked_rows(question, SCHOOL), 0.99) == 0.0


def _weights(drop: tuple[str, ...], extra: dict[str, float]) -> dict:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    return {**{k: v for k, v in data.items() if k not in drop}, **extra}


@pytest.mark.parametrize(("data", "has_span"), [
    (_weights((), {}), True),
    # the file as written before the span model: "confident" and no "span"
    (_weights(("span", "span_threshold"), {"confident": 1.0}), False),
    # one-line answers off (train_answerer.ONE_LINERS): the span model written, its threshold null
    (_weights(("span_threshold",), {"span_threshold": None}), True),
])
def test_loader_reads_old_and_new_weights(data: dict, has_span: bool) -> None:
    model = from_dict(data)
    assert (model.span is not None) == has_span
    answer = answer_question("第二实验小学新校区可容纳多少学生？", hits(SCHOOL), llm=None)
    assert not answer.refused
    if model.span_threshold is None:
        query = analyse("第二实验小学新校区可容纳多少学生？")
        picked = select(query, build_sources(hits(SCHOOL)), model=model)
        assert picked and short_answer(query, picked[0], model=model) == ""
