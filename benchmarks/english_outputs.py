"""English summaries and translations of the real page through the configured LLM, with what the checks flag.

Not a test: it needs a live endpoint (OPENAI_BASE_URL, BULLETIN_QA_CHAT_MODEL) and prints a table.

    python benchmarks/english_outputs.py [--page ../shared/data/pages/erqi-2023-05.txt] [--out report.json]
    python benchmarks/english_outputs.py --page ../shared/data/news/news_corpus.jsonl --ids crud-00501,... --first-only

For every article of the page it writes the English summary and the English translation twice:
first without the corrective round (the model's first replies), then with it (the first reply
comes from the LLM cache, so only the corrective requests cost model time). For each output it
records the text and the checks' findings by kind (number, glossary, date, chinese, name, title,
person), and per person of the source (names/people.py find_people) whether the output renders
the name as the glossary or the pinyin says (a translation's byline, rendered by the names
service, included). "spelling" counts notes, not findings: a person's name spelt another way with
the same syllables, changed to the rendering. Whether a finding is a real error is judged by
reading the outputs (the JSON holds them all); benchmarks/RESULTS-evals.md records that reading.
The JSON quotes the third-party text: keep it outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def kind_of(finding: str) -> str:
    """The check a finding string came from."""
    for prefix, kind in (("number", "number"), ("date ", "date"), ("year ", "date"),
                         ("Chinese left", "chinese"), ("name ", "name"), ("title ", "title"), ("person ", "person"),
                         ("spelling changed", "spelling")):
        if finding.startswith(prefix):
            return kind
    if "glossary" in finding:
        return "glossary"
    return "other"


def people_rendered(article, output: str, glossary) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    """For each person the article names (names/people.py, bylines), whether the output writes their rendering."""
    from bulletin_qa.names.english_words import renders
    from bulletin_qa.names.people import find_people
    from bulletin_qa.names.pinyin import person_pinyin

    text = f"{article.title}\n{article.text}"
    people = dict.fromkeys([*(m.name for m in find_people(text, bylines=[*article.reporters, *article.correspondents])),
                            *article.reporters, *article.correspondents])
    found: dict[str, bool] = {}
    for person in people:
        entry = glossary.entries.get(person)
        found[person] = renders(entry.en if entry else person_pinyin(person), output)
    return found


def main() -> int:
    """Write every English output of the page and count the checks' findings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=DATA / "pages" / "erqi-2023-05.txt")
    parser.add_argument("--glossary", type=Path, default=REPO / "samples" / "glossary.toml")
    parser.add_argument("--out", type=Path, default=Path("english-outputs.json"))
    parser.add_argument("--ids", default="", help="comma-separated article ids to keep (for a .jsonl corpus as --page)")
    parser.add_argument("--first-only", action="store_true", help="skip the pass with the corrective round")
    args = parser.parse_args()

    from bulletin_qa.llm import make_llm
    from bulletin_qa.names.glossary import load_glossary
    from bulletin_qa.reading import read_paths
    from bulletin_qa.settings import load_settings
    from bulletin_qa.writing.summarize import Summarizer
    from bulletin_qa.writing.translate import Translator

    settings = load_settings()
    llm = make_llm(settings)
    if llm is None:
        sys.exit("english_outputs: no LLM configured (set OPENAI_BASE_URL and BULLETIN_QA_CHAT_MODEL)")
    glossary = load_glossary(args.glossary)
    wanted = [i for i in args.ids.split(",") if i]
    articles = [a for a in read_paths([args.page]).articles if not wanted or a.id in wanted]
    rows = []
    for correct in (False,) if args.first_only else (False, True):
        for article in articles:
            for task in ("summary", "translation"):
                began = time.perf_counter()
                if task == "summary":
                    s = Summarizer(llm=llm, glossary=glossary, correct=correct).summarize(article, "en")
                    parts, findings = (s.title, s.text), [w for w in s.warnings if "corrective round" not in w
                                                               and "characters of the article" not in w]
                else:
                    t = Translator(llm=llm, glossary=glossary, correct=correct).article(article)
                    parts, findings = (t.title, t.text), t.number_issues + t.glossary_issues + t.english_issues
                    parts = (parts[0], f"{parts[1]}\n\n{t.byline}" if t.byline else parts[1])
                text = "\n".join(parts)
                people = people_rendered(article, text, glossary)
                rows.append({"article": article.id, "task": task, "corrective_round": correct, "text": text,
                             "title": parts[0], "body": parts[1],
                             "findings": findings, "kinds": dict(Counter(kind_of(f) for f in findings)),
                             "people": people, "seconds": round(time.perf_counter() - began, 1)})
                print(f"english_outputs: {article.id} {task} corrective={correct}: {len(findings)} finding(s), "
                      f"{sum(people.values())}/{len(people)} people rendered, {rows[-1]['seconds']} s", file=sys.stderr)
    args.out.write_text(json.dumps({"model": llm.model, "rows": rows}, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
    kinds = ("number", "glossary", "date", "chinese", "name", "title", "person", "spelling")
    print("| corrective round | task | outputs | " + " | ".join(kinds) + " | people rendered |")
    print("|---|---|---:|" + "---:|" * (len(kinds) + 1))
    for correct in (False, True):
        for task in ("summary", "translation"):
            group = [r for r in rows if r["corrective_round"] is correct and r["task"] == task]
            if not group:
                continue
            total: Counter[str] = Counter()
            for r in group:
                total.update(r["kinds"])
            people = [ok for r in group for ok in r["people"].values()]
            print(f"| {'on' if correct else 'off'} | {task} | {len(group)} | " + " | ".join(
                str(total.get(k, 0)) for k in kinds)
                + f" | {sum(people)}/{len(people)} |")
    print(f"report: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
