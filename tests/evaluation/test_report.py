"""The JSON report: where it goes and what it holds."""

from __future__ import annotations

import datetime as dt
import json

from pydantic import SecretStr

from bulletin_qa.evaluation.report import EvalReport, default_out_path, settings_snapshot, write_report
from bulletin_qa.settings import Settings


def test_default_out_path_is_under_home(tmp_path):
    settings = Settings(home=tmp_path)
    path = default_out_path(settings, "retrieval", now=dt.datetime(2024, 3, 15, 9, 30, 5))
    assert path == tmp_path / "evals" / "retrieval-20240315-093005.json"


def test_settings_snapshot_drops_the_key(tmp_path):
    settings = Settings(home=tmp_path, openai_api_key=SecretStr("sk-secret"), chat_model="m1")
    snap = settings_snapshot(settings)
    assert "openai_api_key" not in snap
    assert snap["chat_model"] == "m1"
    assert "sk-secret" not in json.dumps(snap)


def test_write_report_round_trips_unicode(tmp_path):
    report = EvalReport(name="answers", dataset="d", table={"answerable": {"accuracy": 0.5, "items": 2}},
                        prompts={"ask.zh": "abc123"}, items=[{"answer": "二七区"}])
    path = write_report(report, tmp_path / "deep" / "r.json")
    text = path.read_text(encoding="utf-8")
    assert "二七区" in text                       # not \\u-escaped
    assert EvalReport.model_validate_json(text) == report
