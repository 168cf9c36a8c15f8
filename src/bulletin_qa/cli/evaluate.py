"""`bulletin-qa eval ...`: retrieval, answers, segmentation, names and summaries evals (parsing and rendering only)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bulletin_qa.cli.common import EmbedderOpt, JsonOpt, console, note, open_bulletin, print_json
from bulletin_qa.cli.progress import lines
from bulletin_qa.text.safe import for_console

if TYPE_CHECKING:
    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.evaluation.report import EvalReport
    from bulletin_qa.index.store import Store
    from bulletin_qa.llm import LLM
    from bulletin_qa.settings import Settings

eval_app = typer.Typer(help="Measure retrieval, answers, segmentation and summaries on golden and real datasets.",
                       no_args_is_help=True, rich_markup_mode=None)

DatasetOpt = Annotated[str, typer.Option(
    "--dataset", help="news (../shared/data news QA), rgb (RGB zh), golden (evals/golden), golden-en (its English "
                      "questions) or a JSONL path.")]
CorpusOpt = Annotated[Path | None, typer.Option(
    "--corpus", help="Corpus JSONL the questions were written over [default: news_corpus.jsonl beside them].")]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N questions.")]
ArticlesOpt = Annotated[int | None, typer.Option(
    "--articles", min=1, help="Corpus slice: every gold article of the chosen questions plus distractors, N in all.")]
ReportOutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Write the JSON report here [default: <home>/evals/<name>-<timestamp>.json].")]
EvalStoreOpt = Annotated[Path | None, typer.Option(
    "--store", help="Store directory to build or reuse [default: <home>/evals/stores/<dataset>-<size>].")]
ExtractiveOpt = Annotated[bool, typer.Option(
    "--extractive/--llm", help="Offline extractive answers (default), or the configured LLM.")]


def register(app: typer.Typer) -> None:
    """Add the `eval` command group to the root app."""
    app.add_typer(eval_app, name="eval")


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def render(report: EvalReport) -> None:
    """Print the metrics table, one column per row of report.table (dense | bm25 | hybrid), and the notes."""
    from rich.table import Table

    metrics: list[str] = []
    for row in report.table.values():
        metrics += [m for m in row if m not in metrics]
    table = Table(title=for_console(f"eval {report.name}: {Path(report.dataset).name}"))
    # Metric names stay whole; long column names (page files) wrap instead of being cut to "hewan-20…".
    table.add_column("metric", no_wrap=True)
    for name in report.table:
        table.add_column(for_console(name), justify="right", overflow="fold")
    for metric in metrics:
        table.add_row(for_console(metric), *(for_console(_fmt(row.get(metric))) for row in report.table.values()))
    out = console()
    out.print(table)
    for key, value in report.counts.items():
        out.print(for_console(f"{key}: {value}"))
    for line in report.notes:  # notes quote dataset items and model answers
        out.print(for_console(line))


def finish(report: EvalReport, settings: Settings, out: Path | None, as_json: bool) -> None:
    """Write the JSON report, then print it (--json) or the table."""
    from bulletin_qa.evaluation.report import default_out_path, write_report

    path = write_report(report, out or default_out_path(settings, report.name))
    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        render(report)
    note(f"Report written to {path}")


def _settings(**flags: object) -> Settings:
    """Settings from flags > env > config; a bad value is a usage error naming it."""
    from pydantic import ValidationError

    from bulletin_qa.errors import UsageError
    from bulletin_qa.settings import load_settings

    try:
        return load_settings(**flags)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"Bad setting: {problems}.", hint="Check the flags and BULLETIN_QA_* variables.") from None


def _eval_bulletin(ctx: typer.Context, store: Path | None, embedder: str | None, label: str) -> Bulletin:
    """The library over --store, else over a store per dataset slice under <home>/evals/stores
    (tests inject parts with `obj=`, see cli/common.py:open_bulletin)."""
    home = _settings(embedder=embedder).home
    return open_bulletin(ctx, embedder=embedder, store=store or home / "evals" / "stores" / label)


def _created_store(bq: Bulletin) -> Store:
    """The eval's store, created when new (an eval builds its own store from the dataset)."""
    from bulletin_qa.factory import open_store

    return open_store(bq.settings, bq.embedder, create=True)


def _llm(bq: Bulletin) -> LLM:
    """The configured LLM for --llm; without one that is an error, not a silent extractive run."""
    from bulletin_qa.errors import LLMNotConfigured

    llm = bq.llm
    if llm is None:
        raise LLMNotConfigured("--llm", also="Or drop --llm.")
    return llm


@eval_app.command("retrieval")
def retrieval(
    ctx: typer.Context,
    dataset: DatasetOpt = "news",
    corpus: CorpusOpt = None,
    limit: LimitOpt = None,
    articles: ArticlesOpt = None,
    store: EvalStoreOpt = None,
    embedder: EmbedderOpt = None,
    out: ReportOutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Recall@1/5/10 and MRR of the gold article for dense, BM25 and hybrid search, side by side."""
    from bulletin_qa.evaluation.inputs import qa_inputs
    from bulletin_qa.evaluation.retrieval_eval import evaluate_retrieval

    inputs = qa_inputs(dataset, corpus=corpus, limit=limit, articles=articles)
    bq = _eval_bulletin(ctx, store, embedder, inputs.label)
    settings, emb = bq.settings, bq.embedder
    report = evaluate_retrieval(inputs, store=_created_store(bq), embedder=emb,
                                settings=settings, progress=lines("chunks indexed (embedded or cached)"),
                                search_progress=lines("searches (questions x modes)"))
    finish(report, settings, out, as_json)


@eval_app.command("answers")
def answers(
    ctx: typer.Context,
    dataset: DatasetOpt = "golden",
    corpus: CorpusOpt = None,
    limit: LimitOpt = None,
    articles: ArticlesOpt = None,
    store: EvalStoreOpt = None,
    embedder: EmbedderOpt = None,
    extractive: ExtractiveOpt = True,
    k: Annotated[int, typer.Option("-k", min=1, help="Articles retrieved per question.")] = 5,
    out: ReportOutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer accuracy, refusal accuracy on unanswerable items and citation validity."""
    from bulletin_qa.evaluation.answers_eval import evaluate_answers
    from bulletin_qa.evaluation.inputs import qa_inputs

    inputs = qa_inputs(dataset, corpus=corpus, limit=limit, articles=articles, with_unanswerable=True)
    bq = _eval_bulletin(ctx, store, embedder, inputs.label)
    settings, emb = bq.settings, bq.embedder
    llm = None if extractive else _llm(bq)
    report = evaluate_answers(inputs, store=_created_store(bq), embedder=emb, settings=settings,
                              llm=llm, k=k, progress=lines("questions answered", every=1 if llm else None),
                              ingest_progress=lines("chunks indexed (embedded or cached)"), glossary=bq.glossary)
    finish(report, settings, out, as_json)


@eval_app.command("segmentation")
def segmentation(
    golden: Annotated[Path | None, typer.Option(
        "--golden", help="Expected segmentation JSONL [default: evals/golden/segmentation.jsonl].")] = None,
    pages: Annotated[Path | None, typer.Option(
        "--pages", help="Folder of the pages it describes [default: samples/pages].")] = None,
    formats: Annotated[list[str] | None, typer.Option(
        "--format", help="text (the pages as given), pdf (typeset as a newspaper page and printed with chromium), "
                         "image (that page rasterised and read by OCR; adds the character error rate). "
                         "Repeat for several [default: text].")] = None,
    layout_offset: Annotated[int, typer.Option(
        "--layout-offset", min=0, help="Page i is typeset in layout (i + N) mod 3 (stacked, grid, after).")] = 0,
    out: ReportOutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Article boundaries, titles, dates and bylines of the sample pages against the golden file."""
    from bulletin_qa.evaluation.segmentation_eval import evaluate_segmentation

    settings = _settings()
    report = evaluate_segmentation(golden, pages, settings=settings, formats=formats or ["text"],
                                  layout_offset=layout_offset, progress=note)
    finish(report, settings, out, as_json)


@eval_app.command("names")
def names(
    golden: Annotated[Path | None, typer.Option(
        "--golden", help="Expected people, titles and places JSONL [default: evals/golden/names.jsonl].")] = None,
    pages: Annotated[Path | None, typer.Option(
        "--pages", help="Folder of the pages it describes [default: samples/pages].")] = None,
    out: ReportOutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """People, titles and places of the sample pages found and rendered, against the golden lists."""
    from bulletin_qa.evaluation.names_eval import evaluate_names

    settings = _settings()
    finish(evaluate_names(golden, pages, settings=settings), settings, out, as_json)


@eval_app.command("summaries")
def summaries(
    ctx: typer.Context,
    facts: Annotated[Path | None, typer.Option(
        "--facts", help="Key facts JSONL [default: evals/golden/summary_facts.jsonl].")] = None,
    pages: Annotated[Path | None, typer.Option(
        "--pages", help="Folder of the pages the facts are about [default: samples/pages].")] = None,
    extractive: ExtractiveOpt = True,
    out: ReportOutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Key-fact coverage and character-level ROUGE of summaries against the golden facts."""
    from bulletin_qa.evaluation.summaries_eval import evaluate_summaries

    bq = open_bulletin(ctx)
    settings = bq.settings
    llm = None if extractive else _llm(bq)
    finish(evaluate_summaries(facts, pages, settings=settings, llm=llm), settings, out, as_json)
