"""Shared text ideas, each with one home: sentences, Chinese numerals and numbers, words (jieba).

    chars.py      the one definition of a Han character and of CJK punctuation; language detection
    sentences.py  cleaning, sentence splitting, citation markers [n]
    numerals.py   the one number parser: numbers and dates in Chinese or English (cn2an reads numerals)
    numbers.py    the one number check between a source and a generated text (summary, translation)
    words.py      jieba (loaded once): tokens, content words, background IDF, tagged names
    safe.py       outside text made safe to show: escapes and controls stripped, URLs without secrets

Nothing here knows about articles, stores or models; every other job imports from here, never
the other way round.
"""
