"""The result of one eval run: metrics table, per-item details and what produced them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from bulletin_qa.settings import Settings

Number = float | int | None


class EvalReport(BaseModel):
    """Metrics of one `bulletin-qa eval` run, with the settings, models and prompt hashes behind them."""

    name: str = Field(description="retrieval, answers, segmentation or summaries.")
    dataset: str
    created: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    table: dict[str, dict[str, Number]] = Field(
        default_factory=dict, description="Rows (e.g. dense, bm25, hybrid) -> metric -> value.")
    counts: dict[str, int] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)
    models: dict[str, str | None] = Field(default_factory=dict, description="embedder, chat model.")
    prompts: dict[str, str] = Field(default_factory=dict, description="Prompt name -> hash of its text.")
    notes: list[str] = Field(default_factory=list)
    items: list[dict[str, Any]] = Field(default_factory=list, description="Per-question or per-page details.")
    seconds: float = 0.0


def settings_snapshot(settings: Settings) -> dict[str, Any]:
    """The settings as JSON, without the API key (reports are shared; keys are not)."""
    return settings.model_dump(mode="json", exclude={"openai_api_key"})


def default_out_path(settings: Settings, name: str, now: dt.datetime | None = None) -> Path:
    """settings.home/evals/<name>-<YYYYmmdd-HHMMSS>.json."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return settings.home / "evals" / f"{name}-{stamp}.json"


def write_report(report: EvalReport, path: Path) -> Path:
    """Write the report as UTF-8 JSON (parents created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path
