"""`bulletin-qa eval segmentation --format pdf`: the golden page typeset, printed and read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from bulletin_qa.evaluation.typeset import typeset_tools

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def one_page(tmp_path: Path) -> Path:
    """The golden file cut to its first sample page."""
    first = (REPO / "evals" / "golden" / "segmentation.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "one.jsonl"
    path.write_text(first + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif(bool(typeset_tools()), reason="chromium/pdftoppm/fonts-noto-cjk not installed")
def test_eval_segmentation_pdf_column_next_to_text(one_page: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "segmentation", "--golden", str(one_page), "--format", "text",
                                 "--format", "pdf", "--json", "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report["table"]) == {"text", "pdf"}
    assert report["table"]["pdf"]["boundary_recall"] == report["table"]["pdf"]["title"] == 1.0
    assert [i["layout"] for i in report["items"]] == [None, "stacked"]
    assert "hewan-2024-03-15.txt [pdf]: 5/5 articles, 5/5 titles" in result.stderr


def test_eval_segmentation_unknown_format(one_page: Path) -> None:
    result = runner.invoke(app, ["eval", "segmentation", "--golden", str(one_page), "--format", "docx"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: Unknown format 'docx'. Use --format with one of: text, pdf, image.")
