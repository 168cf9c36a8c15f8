"""Dataset loaders on our own small JSONL files, and on the real data when present."""

from __future__ import annotations

import json

import pytest

from bulletin_qa.errors import EmptyInput, JsonlError, SourceNotFound, UsageError
from bulletin_qa.evaluation import datasets
from bulletin_qa.models import Article


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_load_qa_single_answer_and_unanswerable(tmp_path):
    path = write_jsonl(tmp_path / "qa.jsonl", [
        {"question": "招聘会在哪里举行？", "answer": "二七区人才市场", "gold_id": "page-01"},
        {"question": "火星上有几个招聘会？", "note": "not in any sample"},
    ])
    items = datasets.load_qa(path)
    assert [i.answers for i in items] == [["二七区人才市场"], []]
    assert [i.gold_ids for i in items] == [["page-01"], []]
    assert [i.answerable for i in items] == [True, False]
    assert items[0].id == "qa-1"
    assert len(datasets.load_qa(path, limit=1)) == 1


def test_load_rgb_keeps_nested_alternatives(tmp_path):
    path = write_jsonl(tmp_path / "rgb.jsonl", [
        {"id": 7, "query": "加息几次", "answer": [["4次", "四次"]], "positive": ["p1"], "negative": ["n1", "n2"]},
    ])
    (item,) = datasets.load_rgb(path)
    assert item.id == "7"
    assert item.answers == [["4次", "四次"]]
    assert (item.positive, item.negative) == (["p1"], ["n1", "n2"])


@pytest.mark.parametrize(("content", "error", "text"), [
    ('{"question": "a"}\nnot json\n', JsonlError, ":2: not valid JSON"),
    ('[1, 2]\n', JsonlError, ":1: expected a JSON object"),
    ('{"answer": "x"}\n', JsonlError, "no 'question' field"),
    ('\n\n', EmptyInput, "has no items"),
])
def test_load_qa_errors(tmp_path, content, error, text):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=text.replace("(", r"\(").replace("'", "'")):
        datasets.load_qa(path)


def test_load_rgb_missing_fields(tmp_path):
    path = write_jsonl(tmp_path / "rgb.jsonl", [{"query": "q", "answer": ["a"]}])
    with pytest.raises(JsonlError, match="missing fields positive, negative"):
        datasets.load_rgb(path)


def test_missing_file_names_the_flag(tmp_path):
    with pytest.raises(SourceNotFound) as info:
        datasets.load_qa(tmp_path / "nope.jsonl")
    assert "--dataset" in str(info.value)


@pytest.mark.parametrize(("row", "shape"), [
    ({"question": "q", "answer": "a", "gold_id": "x"}, "qa"),
    ({"query": "q", "answer": ["a"], "positive": [], "negative": []}, "rgb"),
])
def test_resolve_dataset_by_path_detects_shape(tmp_path, row, shape):
    path = write_jsonl(tmp_path / "d.jsonl", [row])
    assert datasets.resolve_dataset(str(path)) == (shape, path)


def test_resolve_dataset_names_and_errors(tmp_path):
    assert datasets.resolve_dataset("news") == ("qa", datasets.news_qa_path())
    assert datasets.resolve_dataset("rgb") == ("rgb", datasets.rgb_path())
    assert datasets.resolve_dataset("golden")[0] == "golden"
    with pytest.raises(SourceNotFound, match="neither news, rgb, golden"):
        datasets.resolve_dataset(str(tmp_path / "missing.jsonl"))
    odd = write_jsonl(tmp_path / "odd.jsonl", [{"text": "x"}])
    with pytest.raises(UsageError, match="neither a QA line"):
        datasets.resolve_dataset(str(odd))


def test_load_facts(tmp_path):
    path = write_jsonl(tmp_path / "f.jsonl", [{"article_id": "p-01", "facts": ["a", ["b", "c"]], "reference": "r"}])
    (item,) = datasets.load_facts(path)
    assert (item.article_id, item.facts, item.reference, item.lang) == ("p-01", ["a", ["b", "c"]], "r", "zh")


def _article(i: str) -> Article:
    return Article(id=i, text=f"正文{i}", source="c.jsonl", position=1)


def test_corpus_slice_keeps_golds_and_fills_with_seeded_distractors():
    corpus = [_article(f"a{i}") for i in range(20)]
    picked = datasets.corpus_slice(corpus, {"a3", "a17"}, 6)
    ids = [a.id for a in picked]
    assert len(ids) == 6 and {"a3", "a17"} <= set(ids)
    assert ids == sorted(ids, key=lambda i: int(i[1:]))          # corpus order kept
    assert ids == [a.id for a in datasets.corpus_slice(corpus, {"a3", "a17"}, 6)]  # same seed, same slice
    bigger = [a.id for a in datasets.corpus_slice(corpus, {"a3", "a17"}, 10)]
    assert set(ids) <= set(bigger)                               # a larger slice extends a smaller one
    assert [a.id for a in datasets.corpus_slice(corpus, {"a3"}, 1)] == ["a3"]
    assert len(datasets.corpus_slice(corpus, {"a3"}, None)) == 20


def test_corpus_slice_errors():
    corpus = [_article(i) for i in "abc"]
    with pytest.raises(UsageError, match="fewer than the 2 gold"):
        datasets.corpus_slice(corpus, {"a", "b"}, 1)
    with pytest.raises(UsageError, match="not in the corpus, e.g. z"):
        datasets.corpus_slice(corpus, {"a", "z"}, None)


@pytest.mark.realdata
def test_real_datasets_load():
    if not datasets.news_qa_path().is_file() or not datasets.rgb_path().is_file():
        pytest.skip("../shared/data is absent")
    qa = datasets.load_qa(datasets.news_qa_path())
    assert len(qa) == 581 and all(i.gold_ids and i.answers for i in qa)
    rgb = datasets.load_rgb(datasets.rgb_path())
    assert len(rgb) == 150 and all(i.positive and i.negative for i in rgb)


def test_load_corpus_reads_like_ingest(tiny_corpus):
    articles = list(datasets.load_corpus(tiny_corpus))
    assert [a.id for a in articles][:2] == ["t-01", "t-02"]
    assert articles[3].date is None and articles[0].position == 1
    assert articles[0].source == "corpus.jsonl"


def test_load_corpus_missing_file(tmp_path):
    with pytest.raises(SourceNotFound, match="--corpus"):
        list(datasets.load_corpus(tmp_path / "none.jsonl"))


def test_rgb_articles_two_sources_per_item():
    item = datasets.RGBItem(id="3", query="q", answers=["a"], positive=["正例一", " "], negative=["干扰一", "干扰二"])
    arts = datasets.rgb_articles([item])
    by_source: dict[str, list[str]] = {}
    for a in arts:
        by_source.setdefault(a.source, []).append(a.id)
    assert by_source == {"rgb-3": ["rgb-3-p1", "rgb-3-n1", "rgb-3-n2"],   # the blank positive is dropped
                         "rgb-3-neg": ["rgb-3-neg-n1", "rgb-3-neg-n2"]}
    assert {a.text for a in arts if a.source == "rgb-3-neg"} == {"干扰一", "干扰二"}
