"""LLM-mode answers on the real page: what issue #12's targets are stated on.

Not a test: it needs a live endpoint (OPENAI_BASE_URL, BULLETIN_QA_CHAT_MODEL) and prints a table.

    python benchmarks/real_page_llm.py [--page ../shared/data/pages/erqi-2023-05.txt] [--store DIR] [--out FILE]

It ingests the page into a store of its own (offline embedder, `BULLETIN_QA_HOME` caches) and asks the
fixed questions below through `Bulletin.ask` with the configured LLM, scoring each answer as
`eval answers` does (`evaluation.answers_eval.score_answer`): answered questions are correct when
their acceptable answer is in the reply; an answer "carries a verified citation" when one of its
citations passed the check; an unanswerable question "shown as a verified answer" is the failure
the issue names. The questions are ours, written from reading the page (14 it answers, 5 it does
not: every fact they ask for was searched for in the page and is absent); they were fixed before
any run and are never re-picked. The JSON report quotes model replies about third-party text:
keep it outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO.parent / "shared" / "data" / "pages" / "erqi-2023-05.txt"

# (question, acceptable answers in the RGB all-of / any-of shape; [] = the page does not answer it)
QUESTIONS: list[tuple[str, list[str | list[str]]]] = [
    ("党校培训安排了哪些现场教学地点？", ["花花牛产业园"]),
    ("“双轮驱动”指的是哪两个方面？", ["高成长服务业", "低碳科技型工业"]),
    ("虎荣鑫督导安全生产时去了哪些地方？", ["郑州火车站"]),
    ("二七区人大常委会主任是谁？", ["吕安民"]),
    ("屈连武是什么职务？", ["常务副区长"]),
    ("防汛应急演练设置了几个科目？", [["12个", "十二个"]]),
    ("谁主持了二季度产业发展暨经济工作推进会？", ["樊惠林"]),
    ("人大代表视察了哪些安置房项目？", ["大田垌"]),
    ("安置房座谈会在哪里召开？", ["马寨镇政府"]),
    ("今年的防汛应急演练叫什么名字？", ["应战-2023"]),
    ("樊惠林到哪家企业考察调研？", [["郑州机械研究所", "郑机所"]]),
    ("郑机所总经理是谁？", ["李爱国"]),
    ("党校春季主体班从哪天开始？", ["3月28日"]),
    ("区新型城镇化建设中心主任是谁？", ["牛真"]),
    ("二七区2022年的常住人口是多少？", []),
    ("党校春季主体班共有多少名学员结业？", []),
    ("郑机所成立于哪一年？", []),
    ("樱桃沟景区的门票多少钱？", []),
    ("安置房项目的总投资是多少亿元？", []),
]


def main() -> int:
    """Ask every question of the page through the configured LLM and print the issue's measures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=PAGE)
    parser.add_argument("--store", type=Path, default=None, help="store to ingest the page into [a temp dir]")
    parser.add_argument("--out", type=Path, default=Path("real-page-llm.json"))
    args = parser.parse_args()

    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.evaluation.answers_eval import score_answer
    from bulletin_qa.evaluation.datasets import QAItem
    from bulletin_qa.settings import load_settings

    store = args.store or Path(tempfile.mkdtemp(prefix="real-page-llm-")) / "store"
    settings = load_settings(store=store)
    bq = Bulletin(settings)
    if bq.llm is None:
        sys.exit("real_page_llm: no LLM configured (set OPENAI_BASE_URL and BULLETIN_QA_CHAT_MODEL)")
    bq.ingest([args.page])
    rows = []
    for n, (question, answers) in enumerate(QUESTIONS, 1):
        item = QAItem(id=f"p{n:02d}", question=question, answers=answers, answerable=bool(answers))
        began = time.perf_counter()
        answer = bq.ask(question)
        row = score_answer(item, answer) | {"seconds": round(time.perf_counter() - began, 1)}
        rows.append(row)
        outcome = "refused" if row["refused"] else ("verified" if row["verified"] else "unverified")
        print(f"real_page_llm: {item.id} {outcome}, correct={row['correct']}, {row['seconds']} s", file=sys.stderr)
    args.out.write_text(json.dumps({"model": bq.llm.model, "rows": rows}, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
    answerable = [r for r in rows if r["answerable"]]
    correct = [r for r in answerable if r["correct"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    print(f"model {bq.llm.model}, {len(rows)} questions, {sum(r['seconds'] for r in rows) / len(rows):.1f} s each")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| answerable answered correctly | {len(correct)} of {len(answerable)} |")
    print(f"| correct answers shown with a verified citation | "
          f"{sum(1 for r in correct if r['verified'] and not r['shown_unverified'])} of {len(correct)} |")
    print(f"| answerable refused | {sum(1 for r in answerable if r['refused'])} of {len(answerable)} |")
    print(f"| wrong answers shown verified | "
          f"{sum(1 for r in answerable if not r['refused'] and not r['correct'] and r['verified'])} |")
    print(f"| unanswerable refused | {sum(1 for r in unanswerable if r['refused'])} of {len(unanswerable)} |")
    print(f"| unanswerable shown as a verified answer | "
          f"{sum(1 for r in unanswerable if not r['refused'] and r['verified'])} of {len(unanswerable)} |")
    print(f"report: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
