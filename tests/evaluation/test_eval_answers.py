"""`bulletin-qa eval answers`: extractive answers over a tiny corpus and a tiny RGB file (fake embedder)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from bulletin_qa.evaluation import metrics

from .conftest import write_jsonl

runner = CliRunner()


def test_eval_answers_tiny_corpus(tmp_path, tiny_corpus, tiny_questions, parts):
    out = tmp_path / "a.json"
    result = runner.invoke(app, ["eval", "answers", "--dataset", str(tiny_questions), "--corpus", str(tiny_corpus),
                                 "-k", "3", "--out", str(out)], obj=parts)
    assert result.exit_code == 0, result.stderr
    assert "accuracy" in result.stdout and "answerable" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["counts"]["items"] == 4
    assert report["models"] == {"embedder": "fake/char-bigram-hash", "chat": None}
    assert "answer mode: extractive" in report["notes"]
    for item in report["items"]:
        assert len(item["retrieved"]) <= 3
        # The recorded verdict is the metric applied to the recorded answer.
        rows = map(json.loads, tiny_questions.read_text().splitlines())
        gold = next(q for q in rows if q["question"] == item["question"])
        assert item["correct"] == (not item["refused"] and metrics.contains_answer(item["answer"], gold["answer"]))
    row = report["table"]["answerable"]
    assert row["accuracy"] == sum(i["correct"] for i in report["items"]) / 4


def test_eval_answers_rgb_uses_only_each_items_passages(tmp_path, parts):
    rgb = write_jsonl(tmp_path / "rgb.jsonl", [
        {"id": 1, "query": "河湾区春季招聘会有多少家企业参加？", "answer": ["86家"],
         "positive": ["河湾区春季招聘会于5月19日举行，共有86家企业参加，提供岗位3200个。"],
         "negative": ["河湾区秋季运动会于10月举行，共有40支队伍参加。", "清川市图书馆新馆开放，藏书30万册。"]},
        {"id": 2, "query": "白鹭湾二期工程总投资多少？", "answer": [["3.8亿元", "三点八亿元"]],
         "positive": ["白鹭湾湿地生态修复二期工程开工，总投资3.8亿元。"],
         "negative": ["北渠公园改造工程完工，市民可以入园健身。"]},
    ])
    out = tmp_path / "rgb.json"
    result = runner.invoke(app, ["eval", "answers", "--dataset", str(rgb), "--out", str(out)], obj=parts)
    assert result.exit_code == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    # Items 1 and 2 are both in the held-out half (odd CRC-32 of their ids): no tune columns.
    assert set(report["table"]) == {"with positives", "distractors only",
                                    "with positives, held out", "distractors only, held out"}
    assert report["table"]["with positives, held out"] == report["table"]["with positives"]
    assert report["table"]["with positives"]["items"] == 2
    assert report["table"]["distractors only"]["items"] == 2
    for item in report["items"]:
        prefix = item["id"] + "-"
        assert item["retrieved"] and all(r.startswith(prefix) for r in item["retrieved"])
        if item["id"].endswith("-neg"):
            assert not any("-p" in r for r in item["retrieved"])    # no positive passage leaks in
        else:
            assert not any("-neg-" in r for r in item["retrieved"])  # nor the distractor-only copies
    # 3 + 2 passages with positives, 2 + 1 distractor-only copies.
    assert report["counts"]["articles_in_store"] == 8


def test_eval_answers_llm_without_endpoint_is_an_error(tmp_path, tiny_corpus, tiny_questions, parts):
    result = runner.invoke(app, ["eval", "answers", "--dataset", str(tiny_questions), "--corpus", str(tiny_corpus),
                                 "--llm", "--out", str(tmp_path / "a.json")], obj=parts)
    assert result.exit_code == 4
    assert "OPENAI_API_KEY" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "a.json").exists()


def test_evaluate_answers_with_a_fake_llm_records_model_and_prompt(tmp_path, tiny_corpus, tiny_questions,
                                                                     fake_embedder):
    from bulletin_qa.evaluation.answers_eval import evaluate_answers
    from bulletin_qa.evaluation.inputs import qa_inputs
    from bulletin_qa.factory import open_store
    from bulletin_qa.llm.fake import FakeLLM
    from bulletin_qa.prompts_loader import load_prompt
    from bulletin_qa.settings import Settings

    settings = Settings(home=tmp_path / "home", store=tmp_path / "store")
    inputs = qa_inputs(str(tiny_questions), corpus=tiny_corpus, limit=1)
    llm = FakeLLM(["二七区人才市场的春季招聘会共有八十家企业参加[1]。"])
    store = open_store(settings, fake_embedder, create=True)
    report = evaluate_answers(inputs, store=store, embedder=fake_embedder, settings=settings, llm=llm, k=2)
    assert len(llm.calls) == 1
    (item,) = report.items
    assert (item["refused"], item["correct"]) == (False, True)
    assert report.models["chat"] == "fake-model"
    assert report.prompts == {item["prompt"]: load_prompt(item["prompt"]).hash}
    assert report.table["answerable"]["accuracy"] == 1.0


@pytest.mark.realdata
def test_eval_answers_on_two_rgb_items(tmp_path, parts):
    from bulletin_qa.evaluation import datasets

    if not datasets.rgb_path().is_file():
        pytest.skip("../shared/data is absent")
    out = tmp_path / "rgb.json"
    result = runner.invoke(app, ["eval", "answers", "--dataset", "rgb", "--limit", "2", "--out", str(out)], obj=parts)
    assert result.exit_code == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["table"]["with positives"]["items"] == 2
    assert report["table"]["distractors only"]["items"] == 2
    assert report["dataset"].endswith("zh_refine_dev.jsonl")


def test_eval_answers_with_the_llm_reports_what_the_reader_sees_and_prints_every_question(
        tmp_path, tiny_corpus, tiny_questions, parts):
    from bulletin_qa.llm.fake import FakeLLM

    llm = FakeLLM(["二七区人才市场的春季招聘会共有八十家企业参加。"] * 20)   # right, but without [n]
    out = tmp_path / "a.json"
    result = runner.invoke(app, ["eval", "answers", "--dataset", str(tiny_questions), "--corpus", str(tiny_corpus),
                                 "-k", "2", "--llm", "--limit", "1", "--out", str(out)], obj={**parts, "llm": llm})
    assert result.exit_code == 0, result.stderr
    assert "questions answered: 1/1" in result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    row = report["table"]["answerable"]
    # the tool attributed the uncited right answer: shown verified, not as unverified
    assert (row["accuracy"], row["with_verified_citation"], row["correct_shown_unverified"]) == (1.0, 1.0, 0.0)
    assert row["seconds_per_question"] >= 0
    (item,) = report["items"]
    assert item["citations_attributed"] == 1 and item["llm_calls"] == 1
