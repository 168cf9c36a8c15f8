"""One bounded corrective round for generated summaries and translations.

When the checks of a generated text find problems, the model gets the same conversation, its own
reply and the list of findings once, and writes again. The new reply is kept only when it checks
better (fewer findings); what still fails is reported with the text either way. One round only:
a small model that cannot fix a date in one try rarely fixes it in three, and each round costs a
full reply (4-77 s per request for Qwen2.5-Coder-1.5B on 2 busy cores).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bulletin_qa.llm.base import LLM, Completion, Messages
from bulletin_qa.models import Usage
from bulletin_qa.prompts_loader import load_prompt

CORRECT_PROMPT = "writing.correct"
# A correction fixes a text, it does not drop it: a reply shorter than this share of the first is
# not a correction. Qwen2.5-Coder-1.5B answered one request to fix a translation with "The text has
# been corrected to meet the requirements." (16 words for a 150-word translation), which has
# fewer findings only because it says nothing (tests/cassettes/test_e2e_writing, 2026-11-29).
MIN_KEPT_SHARE = 0.5


@dataclass
class Corrected:
    """The reply kept, its findings, and whether the corrective round replaced the first reply."""

    reply: str
    findings: list[str]
    usage: Usage
    revised: bool = False
    asked: bool = False


def _keeps_the_content(first: str, second: str) -> bool:
    """The second reply is long enough to be the first one fixed, not a remark about it."""
    return bool(second.strip()) and len(second.strip()) >= MIN_KEPT_SHARE * len(first.strip())


def correct_once(llm: LLM, messages: Messages, first: Completion, findings: Sequence[str],
                 check: Callable[[str], list[str]], *, json_schema: dict[str, Any] | None = None) -> Corrected:
    """Send `findings` back once and keep the reply that `check` finds fewer problems in."""
    if not findings:
        return Corrected(first.text, [], first.usage)
    fixer = load_prompt(CORRECT_PROMPT)
    problems = "\n".join(f"- {f}" for f in findings)
    follow_up = [*messages, {"role": "assistant", "content": first.text}, *fixer.render(problems=problems)]
    second = llm.complete(follow_up, json_schema=json_schema)
    usage = first.usage.add(second.usage)
    again = check(second.text) if _keeps_the_content(first.text, second.text) else None
    if again is not None and len(again) < len(findings):
        return Corrected(second.text, again, usage, revised=True, asked=True)
    return Corrected(first.text, list(findings), usage, asked=True)
