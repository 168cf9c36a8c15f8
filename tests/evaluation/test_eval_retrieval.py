"""`bulletin-qa eval retrieval` on a six-article corpus with the fake embedder (plumbing and scoring)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app

runner = CliRunner()


def test_eval_retrieval_tiny_slice(tmp_path, tiny_corpus, tiny_questions, parts):
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["eval", "retrieval", "--dataset", str(tiny_questions), "--corpus", str(tiny_corpus),
                                 "--limit", "3", "--articles", "5", "--out", str(out)], obj=parts)
    assert result.exit_code == 0, result.stderr
    for row in ("dense", "bm25", "hybrid", "recall@5", "mrr"):
        assert row in result.stdout
    assert f"Report written to {out}" in result.stderr
    # Progress goes to stderr: indexing, then the 3 questions x 3 modes of searching.
    assert "chunks indexed (embedded or cached)" in result.stderr
    assert "searches (questions x modes): 9/9" in result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["name"] == "retrieval"
    assert set(report["table"]) == {"dense", "bm25", "hybrid"}
    assert report["counts"]["questions"] == 3
    assert report["counts"]["articles_in_slice"] == 5
    assert report["models"]["embedder"] == "fake/char-bigram-hash"
    assert "openai_api_key" not in report["settings"]
    # Each question names words only its own article has: BM25 and hybrid rank the gold first.
    assert report["table"]["bm25"]["recall@1"] == 1.0
    assert report["table"]["hybrid"]["recall@1"] == 1.0
    assert report["table"]["hybrid"]["mrr"] == 1.0
    assert [item["rank_hybrid"] for item in report["items"]] == [1, 1, 1]


def test_eval_retrieval_rerun_reuses_the_store(tmp_path, tiny_corpus, tiny_questions, parts):
    args = ["eval", "retrieval", "--dataset", str(tiny_questions), "--corpus", str(tiny_corpus),
            "--store", str(tmp_path / "store"), "--json", "--out", str(tmp_path / "r.json")]
    first = runner.invoke(app, args, obj=parts)
    second = runner.invoke(app, args, obj=parts)
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr + second.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one["counts"]["chunks_indexed"] > 0
    assert two["counts"]["chunks_indexed"] == 0           # idempotent ingest: nothing re-stored
    assert two["counts"]["articles_already_stored"] == 6
    assert one["table"] == two["table"]


@pytest.mark.parametrize(("args", "message"), [
    (["--embedder", "bogus"], "Bad setting: embedder"),
    (["--articles", "2"], "--articles 2 is fewer than the 4 gold articles"),
    (["--corpus", "missing.jsonl"], "No corpus for qa.jsonl: missing.jsonl does not exist"),
])
def test_eval_retrieval_usage_errors(tmp_path, tiny_corpus, tiny_questions, parts, args, message):
    base = ["eval", "retrieval", "--dataset", str(tiny_questions), "--corpus", str(tiny_corpus)]
    result = runner.invoke(app, base + args + ["--out", str(tmp_path / "r.json")], obj=parts)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_eval_retrieval_rejects_rgb(tmp_path, parts):
    rgb = tmp_path / "rgb.jsonl"
    rgb.write_text(json.dumps({"query": "q", "answer": ["a"], "positive": ["p"], "negative": ["n"]}) + "\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["eval", "retrieval", "--dataset", str(rgb), "--out", str(tmp_path / "r.json")], obj=parts)
    assert result.exit_code == 2
    assert "eval answers --dataset rgb" in result.stderr


@pytest.mark.realdata
def test_eval_retrieval_on_a_slice_of_the_news_corpus(tmp_path, parts):
    from bulletin_qa.evaluation import datasets

    if not datasets.news_qa_path().is_file():
        pytest.skip("../shared/data is absent")
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["eval", "retrieval", "--dataset", "news", "--limit", "3", "--articles", "12",
                                 "--out", str(out)], obj=parts)
    assert result.exit_code == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["counts"]["questions"] == 3
    assert report["counts"]["articles_in_slice"] == 12
    assert report["counts"]["articles_in_store"] == 12
    assert "12 articles:" in report["notes"][0]
    assert all(set(row) == {"recall@1", "recall@5", "recall@10", "mrr"} for row in report["table"].values())
