"""Scoring functions on known inputs."""

from __future__ import annotations

import pytest

from bulletin_qa.evaluation import metrics


@pytest.mark.parametrize(("run", "value"), [
    ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25), ("一百零八", 108),
    ("三千五百", 3500), ("两千", 2000), ("二〇二三", 2023), ("七", 7), ("一千零一", 1001),
])
def test_cn_numeral_to_int(run, value):
    assert metrics.cn_numeral_to_int(run) == value


@pytest.mark.parametrize(("text", "expected"), [
    ("１２ 人", "12人"),                     # NFKC folds full-width digits, spaces go
    ("十二人。", "12人"),                    # Chinese numerals become digits, punctuation goes
    ("两千五百万人次", "2500万人次"),          # 万 stays as a unit on both sides
    ("增长6.4%", "增长6.4"),                 # a decimal point between digits stays
    ("1,313,851辆", "1313851辆"),            # thousands separators go
    ("《踏冰逐梦》", "踏冰逐梦"),
    ("iPhone SE", "iphonese"),
    ("第二〇二三届", "第2023届"),
])
def test_normalize(text, expected):
    assert metrics.normalize(text) == expected


@pytest.mark.parametrize(("prediction", "gold", "expected"), [
    ("踩踏事故造成十二人死亡。", "12人", True),
    ("造成 1 2 人死亡", "12人", True),
    ("造成112人死亡", "12人", True),      # plain substring containment, as in RGB
    ("造成21人死亡", "12人", False),
    ("任何内容", "", False),               # an empty gold string never counts as found
    ("增长64%", "6.4%", False),
])
def test_contains_answer(prediction, gold, expected):
    assert metrics.contains_answer(prediction, gold) is expected


@pytest.mark.parametrize(("prediction", "answers", "expected"), [
    ("主演是张丹和张昊。", ["张丹", "张昊"], True),
    ("主演是张丹。", ["张丹", "张昊"], False),          # top level: all of them
    ("预计加息四次。", [["4次", "四次"]], True),        # inner list: any of them
    ("预计加息三次。", [["4次", "四次"]], False),
    ("无", [], False),
])
def test_answer_correct(prediction, answers, expected):
    assert metrics.answer_correct(prediction, answers) is expected


def test_rank_of():
    assert metrics.rank_of(["b"], ["a", "b", "c"]) == 2
    assert metrics.rank_of(["x", "c"], ["a", "b", "c"]) == 3
    assert metrics.rank_of(["z"], ["a", "b"]) is None


def test_retrieval_metrics_on_known_ranks():
    ranks = [1, 3, None, 7]
    out = metrics.retrieval_metrics(ranks)
    assert out == pytest.approx({"recall@1": 0.25, "recall@5": 0.5, "recall@10": 0.75,
                                 "mrr": (1 + 1 / 3 + 1 / 7) / 4})
    assert metrics.retrieval_metrics([]) == {"recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr": 0.0}


@pytest.mark.parametrize(("pred", "ref", "n", "expected"), [
    ("今天下雨", "今天下雨", 1, 1.0),
    ("今天下雨", "明日晴", 1, 0.0),
    ("今天晴", "今天下雨", 1, 2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4)),
    ("今天晴", "今天下雨", 2, 2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3)),
    ("", "今天", 1, 0.0),
])
def test_rouge_n(pred, ref, n, expected):
    assert metrics.rouge_n(pred, ref, n) == pytest.approx(expected)


def test_rouge_l_uses_longest_common_subsequence():
    # LCS of 甲乙丙丁 and 甲丙丁戊 is 甲丙丁 (3): p = 3/4, r = 3/4.
    assert metrics.rouge_l("甲乙丙丁", "甲丙丁戊") == pytest.approx(0.75)
    assert set(metrics.rouge_scores("甲乙", "甲乙")) == {"rouge1", "rouge2", "rougeL"}


def test_fact_coverage():
    share, found = metrics.fact_coverage("二七区5月6日举办了3场招聘会。", ["二七区", ["三场", "3场"], "900个岗位"])
    assert found == [True, True, False]
    assert share == pytest.approx(2 / 3)
    assert metrics.fact_coverage("x", []) == (0.0, [])


def test_rate():
    assert metrics.rate(1, 4) == 0.25
    assert metrics.rate(0, 0) is None
