"""Names eval: people, their titles and places of pages against golden lists, found and rendered.

Golden file (evals/golden/names.jsonl), one line a page::

    {"page": "samples/pages/x.txt", "people": [{"zh": "周明远", "en": "Zhou Mingyuan",
      "titles": [{"zh": "区委书记", "en": "Secretary of the District CPC Committee"}]}],
     "places": [{"zh": "河湾区", "en": "Hewan District"}]}

    people     precision / recall of the names learned (names/service.learn_people) and the share
               of golden people found whose English is exactly the golden one
    titles     (person, title part) pairs of the mentions (区委副书记、区长 -> two parts), precision /
               recall, and the share of golden pairs found whose English (titles.render_title) is right
    places     precision / recall of the places proposed (propose.find_names: jieba ns anchored on a
               place suffix) and the share of golden places whose rendering (place_english) is right
Byline words (记者, 通讯员, 实习生) are roles, not titles, and are not scored.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bulletin_qa.errors import UsageError
from bulletin_qa.evaluation import datasets, metrics
from bulletin_qa.evaluation.report import EvalReport, settings_snapshot
from bulletin_qa.models import Article
from bulletin_qa.settings import Settings

BYLINE_ROLES = ("记者", "通讯员", "实习生")


def found_pairs(articles: Sequence[Article]) -> set[tuple[str, str]]:
    """(person, title part) of every title-anchored mention in the articles."""
    from bulletin_qa.names.people import find_people
    from bulletin_qa.names.titles import split_titles

    pairs: set[tuple[str, str]] = set()
    for article in articles:
        for m in find_people("\n".join(p for p in (article.title, article.subtitle, article.text) if p)):
            for part in split_titles(m.title):
                if not part.endswith(BYLINE_ROLES):
                    pairs.add((m.name, part))
    return pairs


def score_names(articles: Sequence[Article], people: Sequence[dict[str, Any]],
                places: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Counts for one page: people and title pairs found / expected / right, places rendered right."""
    from bulletin_qa.names.pinyin import place_english
    from bulletin_qa.names.propose import find_names
    from bulletin_qa.names.service import learn_people
    from bulletin_qa.names.titles import render_title

    learned = learn_people(articles)
    found_places = {name for section, name in find_names(list(articles), frozenset(learned)) if section == "places"}
    expected = {p["zh"]: p["en"] for p in people}
    pairs_expected = {(p["zh"], t["zh"]): t["en"] for p in people for t in p.get("titles", [])}
    pairs_found = found_pairs(articles)
    return {
        "people_expected": len(expected), "people_found": len(learned),
        "people_right": sum(1 for zh in learned if zh in expected),
        "people_rendered": sum(1 for zh, en in expected.items() if zh in learned and learned[zh].en == en),
        "not_people": sorted(zh for zh in learned if zh not in expected),
        "missed_people": sorted(zh for zh in expected if zh not in learned),
        "titles_expected": len(pairs_expected), "titles_found": len(pairs_found),
        "titles_right": len(pairs_found & set(pairs_expected)),
        "titles_rendered": sum(1 for pair, en in pairs_expected.items()
                               if pair in pairs_found and render_title(pair[1])[0] == en),
        "wrong_titles": sorted(f"{n}:{t}" for n, t in pairs_found - set(pairs_expected)),
        "places_expected": len(places), "places_found": len(found_places),
        "places_right": len(found_places & {p["zh"] for p in places}),
        "places_rendered": sum(1 for p in places if place_english(p["zh"]) == p["en"]),
        "wrong_places": sorted(found_places - {p["zh"] for p in places}),
    }


def table_row(scores: Sequence[dict[str, Any]]) -> dict[str, float | int | None]:
    """Precision, recall and rendered-right shares summed over pages."""
    total = {k: sum(s[k] for s in scores) for k in scores[0] if isinstance(scores[0][k], int)}
    return {
        "people": total["people_expected"],
        "people_precision": metrics.rate(total["people_right"], total["people_found"]),
        "people_recall": metrics.rate(total["people_right"], total["people_expected"]),
        "people_rendered": metrics.rate(total["people_rendered"], total["people_expected"]),
        "titles": total["titles_expected"],
        "titles_precision": metrics.rate(total["titles_right"], total["titles_found"]),
        "titles_recall": metrics.rate(total["titles_right"], total["titles_expected"]),
        "titles_rendered": metrics.rate(total["titles_rendered"], total["titles_expected"]),
        "places_precision": metrics.rate(total["places_right"], total["places_found"]),
        "places_recall": metrics.rate(total["places_right"], total["places_expected"]),
        "places_rendered": metrics.rate(total["places_rendered"], total["places_expected"]),
    }


def evaluate_names(golden: Path | None, pages_dir: Path | None, *, settings: Settings) -> EvalReport:
    """Read every page the golden file names and score its people, titles and places."""
    from bulletin_qa.reading import read_file

    started = time.perf_counter()
    path = golden or datasets.golden_dir() / "names.jsonl"
    report = EvalReport(name="names", dataset=str(path), settings=settings_snapshot(settings))
    scores: list[dict[str, Any]] = []
    for number, page in datasets.read_jsonl_objects(path):
        if not page.get("page") or not isinstance(page.get("people"), list):
            raise UsageError(f"{path}:{number}: a golden page needs 'page' (its file) and 'people' (a list).",
                             hint="See evals/golden/names.jsonl for the shape.")
        base = pages_dir if pages_dir is not None else datasets.repo_root()
        page_path = base / (Path(page["page"]).name if pages_dir is not None else page["page"])
        if not page_path.is_file():
            raise UsageError(f"The golden file names page {page['page']}, which is not at {page_path}.",
                             hint="Pass the folder of the pages with --pages.")
        score = score_names(read_file(page_path), page["people"], page.get("places", []))
        score["source"] = page_path.name
        scores.append(score)
        report.table[page_path.name] = table_row([score])
    if not scores:
        raise UsageError(f"{path} has no pages.", hint="See evals/golden/names.jsonl for the shape.")
    report.table["all"] = table_row(scores)
    report.items = scores
    report.counts = {"pages": len(scores), "people": sum(s["people_expected"] for s in scores)}
    report.seconds = round(time.perf_counter() - started, 3)
    return report
