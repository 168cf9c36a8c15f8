"""What an eval run reads: the questions and the articles they are asked over, by --dataset."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bulletin_qa.errors import UsageError
from bulletin_qa.evaluation import datasets
from bulletin_qa.evaluation.datasets import QAItem, RGBItem
from bulletin_qa.models import Article


@dataclass
class EvalInputs:
    """Questions (or RGB items) and the articles to index for them; `label` names the store."""

    kind: str  # "qa", "golden" or "rgb"
    label: str
    dataset_path: Path
    items: list[QAItem] = field(default_factory=list)
    rgb: list[RGBItem] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def sample_articles(pages_dir: Path | None = None) -> list[Article]:
    """The articles of the sample pages (samples/pages/*.txt), read by the page reader."""
    from bulletin_qa.reading import read_paths

    folder = pages_dir or datasets.samples_dir()
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise UsageError(f"No sample pages in {folder}.", hint="The golden sets are written over samples/pages/*.txt.")
    return list(read_paths(paths, None).articles)


def qa_inputs(dataset: str, *, corpus: Path | None = None, limit: int | None = None,
              articles: int | None = None, with_unanswerable: bool = False) -> EvalInputs:
    """Questions and articles for the retrieval and answers evals (news, golden or a QA/RGB path)."""
    kind, path = datasets.resolve_dataset(dataset)
    if kind == "rgb":
        rgb = datasets.load_rgb(path, limit=limit)
        return EvalInputs(kind="rgb", label=f"rgb-{path.stem}", dataset_path=path, rgb=rgb,
                          articles=datasets.rgb_articles(rgb))
    if kind == "golden":
        items = datasets.load_qa(path, limit=limit)
        unanswerable = path.with_name("unanswerable.jsonl")
        if with_unanswerable and unanswerable.is_file() and path.name == "qa.jsonl":  # qa_en.jsonl has its own
            items += datasets.load_qa(unanswerable)
        if articles is not None:
            raise UsageError("--articles slices a corpus; the golden sets use the sample pages.",
                             hint="Drop --articles with --dataset golden.")
        return EvalInputs(kind="golden", label="golden", dataset_path=path, items=items,
                          articles=sample_articles())
    items = datasets.load_qa(path, limit=limit)
    corpus_path = corpus or path.with_name("news_corpus.jsonl")
    if not corpus_path.is_file():
        raise UsageError(f"No corpus for {path.name}: {corpus_path} does not exist.",
                         hint="Pass the corpus the questions were written over with --corpus FILE.")
    gold = {g for item in items for g in item.gold_ids}
    sliced = datasets.corpus_slice(datasets.load_corpus(corpus_path), gold, articles)
    label = f"{corpus_path.stem}-{len(sliced)}"
    return EvalInputs(kind="qa", label=label, dataset_path=path, items=items, articles=sliced,
                      notes=[f"{len(sliced)} articles: {len(gold)} gold + {len(sliced) - len(gold)} distractors"])
