"""Price estimates: dated snapshots match their family, unknown models have no cost."""

from __future__ import annotations

import pytest

from bulletin_qa.llm.pricing import estimate_cost, price_for
from bulletin_qa.models import Usage


@pytest.mark.parametrize(("model", "price"), [
    ("gpt-4o-mini", (0.15, 0.60)),
    ("gpt-4o-mini-2024-07-18", (0.15, 0.60)),
    ("gpt-4o-2024-08-06", (2.50, 10.00)),
    ("gpt-4.1-mini", (0.40, 1.60)),
    ("GPT-4.1", (2.00, 8.00)),
    ("deepseek-chat", (0.27, 1.10)),
    ("qwen-plus", (0.40, 1.20)),
    ("qwen-plus-latest", (0.40, 1.20)),
    ("openai/gpt-4o-mini", (0.15, 0.60)),
    ("gpt-4omni", None),
    ("smollm2-135m-instruct", None),
    ("llama3.1:8b", None),
])
def test_price_for(model: str, price) -> None:
    assert price_for(model) == price


@pytest.mark.parametrize(("model", "prompt", "completion", "cost"), [
    ("gpt-4o-mini", 1_000_000, 0, 0.15),
    ("gpt-4o-mini", 0, 1_000_000, 0.60),
    ("deepseek-chat", 2_000, 1_000, (2_000 * 0.27 + 1_000 * 1.10) / 1e6),
    ("gpt-4o", 0, 0, 0.0),
])
def test_estimate_cost(model: str, prompt: int, completion: int, cost: float) -> None:
    usage = Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)
    assert estimate_cost(model, usage) == pytest.approx(cost)


def test_unknown_model_cost_is_none() -> None:
    assert estimate_cost("my-local-model", Usage(prompt_tokens=10, completion_tokens=10)) is None
