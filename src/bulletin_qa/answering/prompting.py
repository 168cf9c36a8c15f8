"""Rendering retrieved articles into the ask prompt, with article text fenced off as data."""

from __future__ import annotations

from bulletin_qa.answering.constants import ASK_PROMPTS, CANNOT_ANSWER
from bulletin_qa.answering.sources import Source
from bulletin_qa.llm.base import Messages
from bulletin_qa.prompts_loader import Prompt, load_prompt

# Article text is untrusted: it must not be able to close its <source> fence or open a new one,
# so ASCII angle brackets inside it become full-width lookalikes (readable, inert).
_NEUTRAL = str.maketrans({"<": "＜", ">": "＞"})


def neutralise(text: str) -> str:
    """Article text made unable to forge or close the prompt's <source> tags."""
    return text.translate(_NEUTRAL)


def render_source(source: Source, lang: str) -> str:
    """One numbered source block: title, date and text inside <source n=…> … </source>."""
    art = source.article
    if art.date:
        date = art.date.isoformat() + (("（约）" if lang == "zh" else " (approximate)") if art.date_approximate else "")
    else:
        date = "不详" if lang == "zh" else "unknown"
    labels = ("标题", "日期", "正文") if lang == "zh" else ("Title", "Date", "Text")
    title = " — ".join(p for p in (art.title, art.subtitle) if p) or art.id
    body = "\n".join([f"{labels[0]}：{title}" if lang == "zh" else f"{labels[0]}: {title}",
                      f"{labels[1]}：{date}" if lang == "zh" else f"{labels[1]}: {date}",
                      f"{labels[2]}：" if lang == "zh" else f"{labels[2]}:",
                      source.text])
    return f"<source n={source.n}>\n{neutralise(body)}\n</source>"


def build_messages(question: str, sources: list[Source], lang: str) -> tuple[Messages, Prompt]:
    """The chat messages for the ask prompt in `lang`, and the prompt used (for provenance)."""
    prompt = load_prompt(ASK_PROMPTS[lang])
    rendered = "\n\n".join(render_source(s, lang) for s in sources)
    return prompt.render(cannot_answer=CANNOT_ANSWER, sources=rendered, question=question.strip()), prompt
