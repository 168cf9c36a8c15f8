"""One line and worked examples for every command, shown in `--help` (the one home of this text).

The one line (click's `short_help`) is what the group's help lists; written short enough that an
80-column terminal shows it whole instead of cutting it with "...".
"""

from __future__ import annotations

import typer

# command path -> (one line for the listing, examples for its --help)
COMMANDS: dict[str, tuple[str, list[str]]] = {
    "ingest": ("Read pages or corpora into the store.", [
        "bulletin-qa ingest samples/pages/",
        "bulletin-qa ingest page.txt --date 2023-05-06",
        "bulletin-qa ingest news.jsonl --store /data/vectorstore"]),
    "articles": ("List stored articles, oldest first.", [
        "bulletin-qa articles --since 2024-05-01 --until 2024-05-31",
        "bulletin-qa articles --source hewan-2024-05-20.txt --json"]),
    "show": ("Show one stored article in full.", [
        "bulletin-qa show hewan-2024-05-20-01"]),
    "search": ("Find the articles that best match a query.", [
        'bulletin-qa search "防汛 演练" -k 10',
        'bulletin-qa search "招聘会" --since 2024-05-01 --json']),
    "stats": ("Counts, embedder and date range of the store.", [
        "bulletin-qa stats",
        "bulletin-qa stats --chroma-url http://localhost:8000 --json"]),
    "check": ("Check the store is consistent; --repair fixes it.", [
        "bulletin-qa check",
        "bulletin-qa check --repair --no-wait"]),
    "serve": ("Serve the reading room and the JSON API.", [
        "bulletin-qa serve",
        "bulletin-qa serve --port 8080 --store /data/vectorstore",
        "BULLETIN_QA_SERVE_TOKEN=... bulletin-qa serve --host 0.0.0.0",
        "bulletin-qa serve --rate 120"]),
    "history": ("Past questions and answers.", [
        "bulletin-qa history",
        'bulletin-qa history --search 营商环境 --json']),
    "summarize": ("Summarise articles, each citing its source.", [
        "bulletin-qa summarize hewan-2024-05-20-01",
        "bulletin-qa summarize hewan-2024-05-20-01 hewan-c009 --lang both"]),
    "digest": ("Digest a week of articles (Markdown or HTML).", [
        "bulletin-qa digest --week 2024-W21",
        "bulletin-qa digest --week 2024-W21 --compare --format html -o digest.html"]),
    "translate": ("Translate an article or a digest into English.", [
        "bulletin-qa translate hewan-2024-05-20-01",
        "bulletin-qa translate --digest digest.json -o digest.en.md"]),
    "ask": ("Answer a question from the articles, with citations.", [
        'bulletin-qa ask "谁主持了城市管理工作推进会？"',
        'bulletin-qa ask "How many firms came to the job fair?" --since 2024-05-01']),
    "chat": ("Ask questions in a row; follow-ups keep the topic.", [
        "bulletin-qa chat",
        'printf "谁主持了会议？\\n他还说了什么？\\n" | bulletin-qa chat --no-stream']),
    "completion": ("Print the shell completion script.", [
        'eval "$(bulletin-qa completion bash)"      # in ~/.bashrc',
        "bulletin-qa completion fish > ~/.config/fish/completions/bulletin-qa.fish"]),
    "eval": ("Measure retrieval, answers, segmentation, summaries.", [
        "bulletin-qa eval retrieval --dataset golden",
        "bulletin-qa eval answers --dataset news --limit 100"]),
    "eval names": ("Find and render names on golden pages.", [
        "bulletin-qa eval names",
        "bulletin-qa eval names --json"]),
    "eval retrieval": ("Recall@k and MRR of the gold article.", [
        "bulletin-qa eval retrieval --dataset golden",
        "bulletin-qa eval retrieval --dataset news --limit 200 --articles 2000 --json"]),
    "eval answers": ("Answer accuracy and refusals on unanswerable items.", [
        "bulletin-qa eval answers --dataset golden",
        "bulletin-qa eval answers --dataset golden-en",
        "bulletin-qa eval answers --dataset news --limit 50 --llm"]),
    "eval segmentation": ("Article boundaries, titles, dates and bylines.", [
        "bulletin-qa eval segmentation",
        "bulletin-qa eval segmentation --pages samples/pages --json"]),
    "eval summaries": ("Key-fact coverage and ROUGE of summaries.", [
        "bulletin-qa eval summaries",
        "bulletin-qa eval summaries --llm --out report.json"]),
    "glossary": ("Show, propose and add glossary entries.", [
        "bulletin-qa glossary show",
        "bulletin-qa glossary add 樊惠林 \"Fan Huilin\" --section people"]),
    "glossary show": ("Show the glossary in use.", [
        "bulletin-qa glossary show",
        "bulletin-qa glossary show --json"]),
    "glossary propose": ("Propose entries for names in the articles.", [
        "bulletin-qa glossary propose --since 2024-05-01 -o proposed.toml"]),
    "glossary add": ("Add one entry, or a reviewed file's entries.", [
        'bulletin-qa glossary add 樊惠林 "Fan Huilin" --section people',
        "bulletin-qa glossary add --from proposed.toml"]),
}


def epilog(examples: list[str]) -> str:
    r"""The examples block; click's '\b' keeps each example on its own line."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in examples)


def apply(app: typer.Typer, prefix: str = "") -> None:
    """Give every command and group of `app` its one line and examples from COMMANDS.

    A command missing from COMMANDS keeps its docstring (tests/cli/test_shell.py fails on it);
    the CLI itself must still start.
    """
    for info in app.registered_commands:
        if (found := COMMANDS.get(f"{prefix}{info.name}")) is not None:
            info.short_help, info.epilog = found[0], epilog(found[1])
    for group in app.registered_groups:
        path = f"{prefix}{group.name}"
        if (found := COMMANDS.get(path)) is not None:
            group.short_help, group.epilog = found[0], epilog(found[1])
        if group.typer_instance is not None:
            apply(group.typer_instance, prefix=f"{path} ")
