"""The LLM layer: a small protocol, the OpenAI-compatible adapter, a disk cache and a fake.

Only `bulletin_qa.llm.openai_adapter` imports `openai`; the factories below import it lazily, so
importing this package (and `bulletin-qa --help`) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bulletin_qa.errors import LLMNotConfigured
from bulletin_qa.llm.base import LLM, Completion, Messages

if TYPE_CHECKING:
    from bulletin_qa.llm.openai_adapter import OpenAIAdapter
    from bulletin_qa.settings import Settings

__all__ = ["LLM", "Completion", "Messages", "make_adapter", "make_llm"]


def make_adapter(settings: Settings, **kwargs: object) -> OpenAIAdapter:
    """The uncached OpenAI-compatible adapter (chat, embed, list_models); raises if none is configured."""
    if not settings.llm_configured:
        raise LLMNotConfigured("This command")
    from bulletin_qa.llm.openai_adapter import OpenAIAdapter

    return OpenAIAdapter.from_settings(settings, **kwargs)


def make_llm(settings: Settings, *, cache: bool = True, **kwargs: object) -> LLM | None:
    """The configured chat LLM, behind the disk cache unless disabled; None in offline mode."""
    if not settings.llm_configured:
        return None
    adapter = make_adapter(settings, **kwargs)
    if not (cache and settings.llm_cache):
        return adapter
    from bulletin_qa.llm.cache import CachedLLM

    return CachedLLM(adapter, settings.cache_dir / "llm.sqlite", base_url=adapter.base_url)
