"""One bounded corrective round for generated summaries and translations.

When the checks of a generated text find problems, the model gets the same conversation, its own
reply and the list of findings once, and writes again. The new reply is kept only when it checks
better (fewer findings); what still fails is reported with the text either way. One round only:
a small model that cannot fix a date in one try rarely fixes it in three, and each round costs a
full reply (4-77 s per request for Qwen2.5-Coder-1.5B on 2 busy cores).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from bulletin_qa.llm.base import LLM, Completion, Messages
from bulletin_qa.models import Usage
from bulletin_qa.prompts_loader import load_prompt

CORRECT_PROMPT = "writing.correct"


@dataclass
class Corrected:
    """The reply kept, its findings, and whether the corrective round replaced the first reply."""

    reply: str
    findings: list[str]
    usage: Usage
    revised: bool = False
    asked: bool = False


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
    again = check(second.text) if second.text.strip() else None
    if again is not None and len(again) < len(findings):
        return Corrected(second.text, again, usage, revised=True, asked=True)
    return Corrected(first.text, list(findings), usage, asked=True)
