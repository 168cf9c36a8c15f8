"""Rendering retrieved articles into the ask prompt, with article text fenced off as data."""

from __future__ import annotations

from bulletin_qa.answering.constants import ASK_PROMPTS, CANNOT_ANSWER
from bulletin_qa.answering.sources import Source
from bulletin_qa.llm.base import Messages
from bulletin_qa.messages import msg
from bulletin_qa.prompts_loader import Prompt, fence, load_prompt, neutralise

__all__ = ["build_messages", "neutralise", "render_source"]


def render_source(source: Source, lang: str) -> str:
    """One numbered source block: title, date and text inside <source n=…> … </source>."""
    art = source.article
    if art.date:
        date = art.date.isoformat() + (msg("approximate", lang) if art.date_approximate else "")
    else:
        date = msg("unknown", lang)
    title = " — ".join(p for p in (art.title, art.subtitle) if p) or art.id
    body = "\n".join([msg("field", lang, label=msg("title_label", lang), value=title),
                      msg("field", lang, label=msg("date_label", lang), value=date),
                      msg("field", lang, label=msg("text_label", lang), value="").rstrip(),
                      source.text])
    return fence(body, source.n)


def build_messages(question: str, sources: list[Source], lang: str) -> tuple[Messages, Prompt]:
    """The chat messages for the ask prompt in `lang`, and the prompt used (for provenance)."""
    prompt = load_prompt(ASK_PROMPTS[lang])
    rendered = "\n\n".join(render_source(s, lang) for s in sources)
    return prompt.render(cannot_answer=CANNOT_ANSWER, sources=rendered, question=question.strip()), prompt
