"""Loaders for the evaluation datasets: our golden sets in `evals/` and the real data in `../shared/data/`.

The real datasets are third-party text: they are read in place, never copied into the repo.
Any JSONL in the same shapes can be passed by path:

    QA      {"question", "answer", "gold_id"}          (news_qa_dev.jsonl, evals/golden/qa.jsonl)
            [, "sentence", "split"]                     (evals/golden/qa_en.jsonl: the expected answer
                                                         sentence, and the half: dev or test)
    unans.  {"question"[, "note"]}                      (evals/golden/unanswerable.jsonl)
    RGB     {"query", "answer": [...], "positive": [...], "negative": [...]}   (zh_refine_dev.jsonl)
    facts   {"article_id", "facts": [str | [alternatives]], "reference"?}      (summary_facts.jsonl)
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from bulletin_qa.errors import EmptyInput, JsonlError, SourceNotFound, UsageError
from bulletin_qa.models import Article

AnswerSpec = list[str | list[str]]
SLICE_SEED = 7


def repo_root() -> Path:
    """The repository checkout this package runs from (src/bulletin_qa/evaluation -> repo)."""
    return Path(__file__).resolve().parents[3]


def shared_data_dir() -> Path:
    """`<repo>/../shared/data`, where the real datasets live (never copied into the repo);
    $BULLETIN_QA_SHARED_DATA points elsewhere (a git worktree one level deeper)."""
    env = os.environ.get("BULLETIN_QA_SHARED_DATA")
    return Path(env) if env else repo_root().parent / "shared" / "data"


def golden_dir() -> Path:
    """`<repo>/evals/golden`, the golden sets written by the team."""
    return repo_root() / "evals" / "golden"


def samples_dir() -> Path:
    """`<repo>/samples/pages`, the sample pages the golden sets are written over."""
    return repo_root() / "samples" / "pages"


# Named datasets; any other value of --dataset is taken as a path.
NEWS_QA = "news"
RGB = "rgb"
GOLDEN = "golden"
GOLDEN_EN = "golden-en"


def news_qa_path() -> Path:
    """Default news QA dev set."""
    return shared_data_dir() / "news" / "news_qa_dev.jsonl"


def news_corpus_path() -> Path:
    """Default news corpus (8,000 articles)."""
    return shared_data_dir() / "news" / "news_corpus.jsonl"


def rgb_path() -> Path:
    """Default RGB Chinese dev set."""
    return shared_data_dir() / "rgb" / "zh_refine_dev.jsonl"


class QAItem(BaseModel):
    """A question with its acceptable answers and gold articles (none when unanswerable)."""

    id: str
    question: str
    answers: AnswerSpec = Field(default_factory=list,
                                description="RGB rule: all of these; inner lists are alternatives.")
    gold_ids: list[str] = Field(default_factory=list)
    answerable: bool = True
    sentence: str = Field("", description="A part of the sentence that answers it (evals/golden/qa_en.jsonl).")
    split: str | None = Field(None, description="The half it belongs to, when the file says (dev or test).")


class RGBItem(BaseModel):
    """One RGB item: a query, acceptable answers and its own positive and distractor passages."""

    id: str
    query: str
    answers: AnswerSpec
    positive: list[str]
    negative: list[str]


class FactsItem(BaseModel):
    """Key facts a summary of one article must contain, and an optional reference summary."""

    article_id: str
    facts: AnswerSpec
    reference: str = ""
    lang: Literal["zh", "en"] = "zh"


def read_jsonl_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) of a JSONL file; blank lines are skipped, bad lines raise JsonlError."""
    if not path.is_file():
        raise SourceNotFound(f"Dataset file {path} does not exist.", path=path,
                             hint="Pass an existing JSONL file with --dataset, or check ../shared/data.")
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise JsonlError(f"{path}:{number}: not valid JSON ({exc.msg}).", path=path, line=number,
                                 hint="Fix or delete that line.") from None
            if not isinstance(obj, dict):
                raise JsonlError(f"{path}:{number}: expected a JSON object.", path=path, line=number,
                                 hint="Each line must be one {...} object.")
            yield number, obj


def _answers(value: Any) -> AnswerSpec:
    return [value] if isinstance(value, str) else list(value or [])


def _build(model: type[BaseModel], path: Path, number: int, fields: dict[str, Any]) -> Any:
    try:
        return model(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise JsonlError(f"{path}:{number}: field {where!r}: {first['msg']}.", path=path, line=number,
                         hint=f"See the shapes in {__name__} (QA, RGB or facts lines).") from None


def load_qa(path: Path, *, limit: int | None = None) -> list[QAItem]:
    """Load QA lines ({question, answer, gold_id}); lines with no answer are unanswerable items."""
    items: list[QAItem] = []
    for number, obj in read_jsonl_objects(path):
        if "question" not in obj:
            raise JsonlError(f"{path}:{number}: no 'question' field.", path=path, line=number,
                             hint="QA lines look like {\"question\": ..., \"answer\": ..., \"gold_id\": ...}.")
        answers = _answers(obj.get("answer"))
        gold = obj.get("gold_id")
        gold_ids = [gold] if isinstance(gold, str) else list(gold or [])
        items.append(_build(QAItem, path, number, {
            "id": str(obj.get("id", f"{path.stem}-{number}")), "question": obj["question"],
            "answers": answers, "gold_ids": gold_ids, "answerable": bool(answers),
            "sentence": obj.get("sentence") or "", "split": obj.get("split")}))
        if limit is not None and len(items) >= limit:
            break
    return _non_empty(items, path)


def load_rgb(path: Path, *, limit: int | None = None) -> list[RGBItem]:
    """Load RGB lines ({query, answer, positive, negative})."""
    items: list[RGBItem] = []
    for number, obj in read_jsonl_objects(path):
        missing = [k for k in ("query", "answer", "positive", "negative") if k not in obj]
        if missing:
            raise JsonlError(f"{path}:{number}: missing fields {', '.join(missing)}.", path=path, line=number,
                             hint="RGB lines have query, answer (list), positive and negative (lists of passages).")
        items.append(_build(RGBItem, path, number, {
            "id": str(obj.get("id", number)), "query": obj["query"], "answers": _answers(obj["answer"]),
            "positive": obj["positive"], "negative": obj["negative"]}))
        if limit is not None and len(items) >= limit:
            break
    return _non_empty(items, path)


def load_facts(path: Path) -> list[FactsItem]:
    """Load summary key facts ({article_id, facts, reference?, lang?})."""
    items = [_build(FactsItem, path, number, obj) for number, obj in read_jsonl_objects(path)]
    return _non_empty(items, path)


def _non_empty(items: list[Any], path: Path) -> list[Any]:
    if not items:
        raise EmptyInput(f"Dataset {path} has no items.", path=path, hint="Pass a JSONL file with at least one line.")
    return items


def detect_shape(path: Path) -> Literal["qa", "rgb"]:
    """Tell QA from RGB lines by the first object's fields."""
    for number, obj in read_jsonl_objects(path):
        if {"query", "positive", "negative"} <= obj.keys():
            return "rgb"
        if "question" in obj:
            return "qa"
        raise UsageError(f"{path}:{number}: neither a QA line (question) nor an RGB line (query, positive, negative).",
                         hint="See `bulletin-qa eval answers --help` for the accepted shapes.")
    raise EmptyInput(f"Dataset {path} has no items.", path=path, hint="Pass a JSONL file with at least one line.")


def resolve_dataset(name: str) -> tuple[Literal["qa", "rgb", "golden"], Path]:
    """Map --dataset (news, rgb, golden, golden-en or a path) to its shape and file."""
    if name == NEWS_QA:
        return "qa", news_qa_path()
    if name == RGB:
        return "rgb", rgb_path()
    if name == GOLDEN:
        return "golden", golden_dir() / "qa.jsonl"
    if name == GOLDEN_EN:
        return "golden", golden_dir() / "qa_en.jsonl"
    path = Path(name)
    if not path.exists():
        raise SourceNotFound(f"--dataset {name!r} is neither news, rgb, golden(-en) nor an existing file.",
                             path=path, hint="Use --dataset news|rgb|golden|golden-en or a path to a JSONL file.")
    return detect_shape(path), path


def corpus_slice(articles: Iterable[Article], gold_ids: Iterable[str], size: int | None,
                 seed: int = SLICE_SEED) -> list[Article]:
    """Every gold article plus seeded-random distractors, `size` in all (None: the whole corpus), in corpus order.

    Random rather than the first N: the corpus file is grouped by source and date, so its head is
    not a fair sample. Seed 7 and this shuffle pick the same distractors as
    benchmarks/bench_retrieval.py, so the two share cached embeddings.
    """
    gold = set(gold_ids)
    if size is not None and size < len(gold):
        raise UsageError(f"--articles {size} is fewer than the {len(gold)} gold articles of the chosen questions.",
                         hint=f"Use --articles {len(gold)} or more, or fewer questions with --limit.")
    every = list(articles)
    picked = [a for a in every if a.id in gold]
    found = {a.id for a in picked}
    if found != gold:
        absent = sorted(gold - found)
        raise UsageError(f"{len(absent)} gold article(s) are not in the corpus, e.g. {absent[0]}.",
                         hint="Pass the corpus the questions were written over with --corpus.")
    rest = [a for a in every if a.id not in gold]
    random.Random(seed).shuffle(rest)
    keep = {a.id for a in picked} | {a.id for a in (rest if size is None else rest[: size - len(gold)])}
    return [a for a in every if a.id in keep]


def load_corpus(path: Path) -> Iterator[Article]:
    """Articles of a corpus JSONL ({id, date, text}) in file order, read as `bulletin-qa ingest` reads it."""
    from bulletin_qa.reading import read_jsonl

    if not path.is_file():
        raise SourceNotFound(f"Corpus file {path} does not exist.", path=path,
                             hint="Pass the corpus with --corpus, or check ../shared/data/news.")
    return read_jsonl(path)


def rgb_half(item_id: str) -> Literal["tune", "held out"]:
    """The half of RGB an item belongs to, by CRC-32 of its id: the extractive answerer's rules were
    chosen on the even ("tune") half only, so the odd half is the held-out measurement."""
    return "tune" if zlib.crc32(item_id.encode()) % 2 == 0 else "held out"


def news_half(gold_id: str) -> Literal["tune", "held out"]:
    """The half of the news dev questions a question belongs to, by SHA-256 of its gold article id (the
    split benchmarks/bench_retrieval.py chose the fusion weights on, and the offline answerer was trained on)."""
    return "tune" if int(hashlib.sha256(gold_id.encode()).hexdigest(), 16) % 2 == 0 else "held out"


def golden_half(item: QAItem) -> str:
    """The half of our golden QA sets an item belongs to: its `split` when the file gives one (qa_en.jsonl:
    dev or test), else news_half of its gold article id, or of its own id when it has none (unanswerable
    items). The offline answerer is trained on the tune half."""
    if item.split:
        return item.split
    return news_half(item.gold_ids[0] if item.gold_ids else item.id)


def rgb_source(item_id: str, with_positives: bool) -> str:
    """The store `source` holding one RGB item's passages: all of them, or its distractors only."""
    return f"rgb-{item_id}" if with_positives else f"rgb-{item_id}-neg"


def rgb_articles(items: Iterable[RGBItem]) -> list[Article]:
    """Each item's passages as Articles under two sources: positives+distractors, and distractors only.

    The distractor texts appear twice under different ids; embeddings are cached by content,
    so the copy costs a store row, not a second embedding.
    """
    out: list[Article] = []
    for item in items:
        mixed = rgb_source(item.id, True)
        neg = rgb_source(item.id, False)
        passages = ([("p", j, t) for j, t in enumerate(item.positive, 1)]
                    + [("n", j, t) for j, t in enumerate(item.negative, 1)])
        for position, (kind, j, text) in enumerate(passages, 1):
            if text.strip():
                out.append(Article(id=f"{mixed}-{kind}{j}", text=text, source=mixed, position=position))
        for j, text in enumerate(item.negative, 1):
            if text.strip():
                out.append(Article(id=f"{neg}-n{j}", text=text, source=neg, position=j))
    return out
