"""Usage arithmetic and the one provenance record of generated outputs."""

from __future__ import annotations

import pytest

from bulletin_qa.models import Answer, Digest, Provenance, Summary, Usage
from bulletin_qa.writing.translate import Translation


@pytest.mark.parametrize(("after", "before", "spent"), [
    (Usage(prompt_tokens=30, completion_tokens=5, total_tokens=35, calls=3, cached_calls=1, cost_usd=0.5),
     Usage(prompt_tokens=10, completion_tokens=2, total_tokens=12, calls=1, cost_usd=0.2),
     Usage(prompt_tokens=20, completion_tokens=3, total_tokens=23, calls=2, cached_calls=1, cost_usd=0.3)),
    (Usage(calls=2), Usage(calls=1), Usage(calls=1)),  # unknown cost stays unknown
])
def test_minus_undoes_add(after: Usage, before: Usage, spent: Usage) -> None:
    assert after.minus(before).model_dump() == pytest.approx(spent.model_dump())
    assert before.add(spent).model_dump() == pytest.approx(after.model_dump())


@pytest.mark.parametrize("model", [Answer, Summary, Digest, Translation])
def test_generated_outputs_carry_provenance(model: type) -> None:
    assert issubclass(model, Provenance)
    assert {"model", "prompt", "prompt_hash"} <= set(model.model_fields)
