"""The offline answerer: with no LLM, the sentences of the retrieved articles that answer the question.

    answerer.py   select(): scores sentences for a Query and quotes the answer-bearing ones
    items.py      the names, numbers, dates and places in a sentence that could be the answer
"""

from bulletin_qa.answering.extractive.answerer import select

__all__ = ["select"]
