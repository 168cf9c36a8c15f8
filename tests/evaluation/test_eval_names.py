"""`bulletin-qa eval names` on a page of our own: people, title pairs and their English scored."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bulletin_qa.cli import app

from .conftest import write_jsonl

runner = CliRunner()
PAGE = """区长调研重点项目
本报讯 5月6日，区委副书记、区长虎荣鑫到重点项目调研，副区长欧阳明远陪同。
虎荣鑫强调，要加快推进项目建设。记者 景静
"""


def test_eval_names_scores_people_and_titles(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "p.txt").write_text(PAGE, encoding="utf-8")
    golden = write_jsonl(tmp_path / "names.jsonl", [{"page": "pages/p.txt", "people": [
        {"zh": "虎荣鑫", "en": "Hu Rongxin", "titles": [
            {"zh": "区委副书记", "en": "Deputy Secretary of the District CPC Committee"},
            {"zh": "区长", "en": "District Mayor"}]},
        {"zh": "欧阳明远", "en": "Ouyang Mingyuan", "titles": [{"zh": "副区长", "en": "Vice District Mayor"}]},
        {"zh": "景静", "en": "Jing Jing", "titles": []},
        {"zh": "王伟", "en": "Wang Wei", "titles": []}]}])  # not on the page: a miss
    out = tmp_path / "names.json"
    result = runner.invoke(app, ["eval", "names", "--golden", str(golden), "--pages", str(pages), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "people_recall" in result.stdout
    row = json.loads(out.read_text(encoding="utf-8"))["table"]["all"]
    assert (row["people_precision"], row["people_recall"], row["people_rendered"]) == (1.0, 0.75, 0.75)
    assert (row["titles_precision"], row["titles_recall"]) == (1.0, 1.0)
    assert abs(row["titles_rendered"] - 2 / 3) < 1e-9  # "Vice District Mayor" is not the house style


def test_eval_names_missing_page_is_a_usage_error(tmp_path: Path) -> None:
    golden = write_jsonl(tmp_path / "names.jsonl", [{"page": "absent.txt", "people": []}])
    result = runner.invoke(app, ["eval", "names", "--golden", str(golden), "--pages", str(tmp_path)])
    assert result.exit_code == 2
    assert "absent.txt" in result.stderr and "--pages" in result.stderr
    assert result.stdout == ""
