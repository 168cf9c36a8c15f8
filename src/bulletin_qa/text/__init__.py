"""Shared text ideas, each with one home: sentences, Chinese numerals and numbers, words (jieba).

    sentences.py  CJK character classes, cleaning, sentence splitting, citation markers [n]
    numerals.py   numbers and dates stated in Chinese or English, Chinese numerals read as values
    numbers.py    the mechanical number check between a Chinese source and a generated text
    words.py      jieba (loaded once): tokens, content words, background IDF, tagged names

Nothing here knows about articles, stores or models; every other job imports from here, never
the other way round.
"""
