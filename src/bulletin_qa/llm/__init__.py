"""The LLM layer: a small protocol, the OpenAI-compatible adapter, a disk cache and a fake.

Only `bulletin_qa.llm.openai_adapter` imports `openai`; it is imported lazily by `make_llm`.
"""
