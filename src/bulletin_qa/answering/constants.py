"""Constants shared by the answer prompts, the answering code and its tests."""

from __future__ import annotations

from bulletin_qa.messages import msg

# The one reply that means "the sources do not answer this". The prompts receive it as the
# variable $cannot_answer and the code compares against it; an ASCII token is used because
# models copy it verbatim instead of translating it into the answer language.
# SEE: paper-qa CANNOT_ANSWER_PHRASE (Future-House/paper-qa, paperqa/prompts.py)
CANNOT_ANSWER = "CANNOT_ANSWER"

# Prompt names (files under prompts/), by answer language.
ASK_PROMPTS = {"zh": "ask.zh", "en": "ask.en"}
CONDENSE_PROMPTS = {"zh": "condense.zh", "en": "condense.en"}
# The one corrective round: the failed sentences and why, sent back once (settings.corrective_round).
CORRECT_PROMPTS = {"zh": "ask.correct.zh", "en": "ask.correct.en"}

# Appended after every sentence whose citation check failed, so the flag travels with the text
# (an English sentence needs a space before it, a Chinese one does not).
UNSUPPORTED_MARKER = {"zh": msg("unverified", "zh"), "en": " " + msg("unverified", "en")}

# Appended after a sentence the model left uncited but the checker found in source n: the reader
# sees the citation is the tool's, not the model's. Not in [n] form, so it is never re-read as one.
ATTRIBUTED_MARKER = {"zh": "［据来源{n}，系统核对］", "en": " [source {n}, attributed by the checker]"}

# Characters of one article given to the model; longer articles are cut to their best chunks.
# 1,500 characters is about three of the page's columns-worth of text, ~1,000 prompt tokens.
MAX_SOURCE_CHARS = 1500

