"""Answering questions from retrieved articles, with checked citations.

    ask.py         answer_question: the LLM path (prompt, checked citations) or the extractive one
    question.py    question analysis: weighted terms, answer type, slot words (Query, Facts)
    sources.py     the retrieved articles numbered as sources [n]
    prompting.py   sources rendered into the ask prompt, fenced off as data
    citations.py   every answer sentence checked against the sources it cites
    chat.py        follow-up questions rewritten into standalone ones
    constants.py   the CANNOT_ANSWER sentinel and markers shared with prompts and tests
    extractive/    the offline answerer: sentences that answer the question, quoted

Imports text/, names/ and llm/; nothing in writing/ imports it, nor it writing/.
"""
