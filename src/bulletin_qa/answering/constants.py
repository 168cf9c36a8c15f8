"""Constants shared by the answer prompts, the answering code and its tests."""

from __future__ import annotations

# The one reply that means "the sources do not answer this". The prompts receive it as the
# variable $cannot_answer and the code compares against it; an ASCII token is used because
# models copy it verbatim instead of translating it into the answer language.
# SEE: paper-qa CANNOT_ANSWER_PHRASE (Future-House/paper-qa, paperqa/prompts.py)
CANNOT_ANSWER = "CANNOT_ANSWER"

# Prompt names (files under prompts/), by answer language.
ASK_PROMPTS = {"zh": "ask.zh", "en": "ask.en"}
CONDENSE_PROMPTS = {"zh": "condense.zh", "en": "condense.en"}

# Appended after every sentence whose citation check failed, so the flag travels with the text.
UNSUPPORTED_MARKER = {"zh": "［未核实］", "en": " [unverified]"}

# First line of every offline answer, so nobody mistakes quoted sentences for a generated answer.
EXTRACTIVE_LABEL = {
    "zh": "（摘录模式：未使用大模型，以下是检索到的原文句子）",
    "en": "(Extractive mode: no LLM was used; these are sentences quoted from the retrieved articles.)",
}

# Characters of one article given to the model; longer articles are cut to their best chunks.
# 1,500 characters is about three of the page's columns-worth of text, ~1,000 prompt tokens.
MAX_SOURCE_CHARS = 1500

# Before the one-line answer of an offline answer (the answer span of its best quote).
SHORT_ANSWER_LABEL = {"zh": "答：", "en": "Answer: "}

# Offline answers to English questions quote Chinese sentences as they stand.
UNTRANSLATED_LABEL = ("Untranslated quote (Chinese, as printed); names, titles, numbers and dates are glossed "
                      "in English below it from the glossary.")
