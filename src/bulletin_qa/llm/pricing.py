"""Rough USD prices of well-known chat models, to show what a command cost.

The numbers are ESTIMATES written from memory of the providers' public price pages, not read
from them: providers change prices, discount cached input, and price by region and tier. Treat
`estimate_cost` as an order of magnitude and check the provider's page before relying on it.
"""

from __future__ import annotations

from bulletin_qa.models import Usage

# USD per 1M tokens: (input, output).
# SEE: https://openai.com/api/pricing/ , https://api-docs.deepseek.com/quick_start/pricing ,
#      https://help.aliyun.com/zh/model-studio/models (international Model Studio prices)
# Written 2026-11-28 from the author's memory of those pages as of mid-2025 (no network here to check):
# estimates, likely stale.
PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-3.5-turbo": (0.50, 1.50),
    "deepseek-chat": (0.27, 1.10),
    "deepseek-reasoner": (0.55, 2.19),
    "qwen-turbo": (0.05, 0.20),
    "qwen-plus": (0.40, 1.20),
    "qwen-max": (1.60, 6.40),
    "text-embedding-3-small": (0.02, 0.0),
    "text-embedding-3-large": (0.13, 0.0),
}


def price_for(model: str) -> tuple[float, float] | None:
    """The (input, output) price of `model`, matching dated snapshots by their longest known prefix."""
    name = model.lower().rsplit("/", 1)[-1]  # "openai/gpt-4o-mini" on routers
    # Longest prefix first, so "gpt-4o-mini-2024-07-18" is gpt-4o-mini, not gpt-4o.
    for known in sorted(PRICES_PER_MILLION, key=len, reverse=True):
        if name == known or name.startswith(known + "-"):
            return PRICES_PER_MILLION[known]
    return None


def estimate_cost(model: str, usage: Usage) -> float | None:
    """Estimated USD cost of `usage` on `model`; None when the model's price is unknown."""
    price = price_for(model)
    if price is None:
        return None
    input_price, output_price = price
    return (usage.prompt_tokens * input_price + usage.completion_tokens * output_price) / 1_000_000
