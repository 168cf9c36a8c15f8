"""The offline answerer: with no LLM, the sentences of the retrieved articles that answer the question.

    features.py   the features of each (question, sentence, article): coverage, answer slot, rank ...
    model.py      the logistic-regression model over them (weights.json) and its refusal threshold
    answerer.py   select(): the sentences to quote; short_answer: the one-line answer (答：…)
    span.py       answer_span: where the answer is in a sentence; the span model: how sure it is
    items.py      the names, numbers, dates and places in a sentence that could be the answer
    (evaluation/train_answerer.py, `python -m bulletin_qa.evaluation.train_answerer`, fits weights.json)
"""

from bulletin_qa.answering.extractive.answerer import answer_span, select, short_answer

__all__ = ["answer_span", "select", "short_answer"]
