"""Multi-turn questions: follow-ups are rewritten into standalone questions before retrieval.

With an LLM the rewrite uses prompts/condense.<lang>.txt. Offline, a simple rule: when the
follow-up refers back (他/她/它/这个/那/呢, he/she/it/that, or is very short), a person pronoun is
replaced by the person named in the previous answer (found by the names service: title-anchored,
or learned from the store, so 区长虎荣鑫 gives 虎荣鑫, never jieba's 荣鑫), otherwise the previous question's key terms
are put in front of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bulletin_qa.answering.constants import CONDENSE_PROMPTS
from bulletin_qa.answering.question import analyse
from bulletin_qa.llm.base import LLM
from bulletin_qa.messages import msg
from bulletin_qa.models import Answer, Hit, Usage
from bulletin_qa.names.service import people_in
from bulletin_qa.prompts_loader import fence, load_prompt
from bulletin_qa.text.chars import detect_lang

# Words that point back to an earlier turn.
_PERSON_ZH = re.compile(r"他们|她们|他|她")
_BACK_ZH = re.compile(r"它们|它|这个|那个|这些|那些|这里|那里|这次|那次|此次|该|其|这|那|呢[？?]?$|还有")
_PERSON_EN = re.compile(r"\b(he|she|him|her|his|they|them|their)\b", re.I)
_BACK_EN = re.compile(r"\b(it|its|this|that|these|those|there|what about|and)\b", re.I)
# Turns of history given to the rewrite prompt, and characters of each answer shown.
HISTORY_TURNS = 3
ANSWER_CHARS = 300
KEY_TERMS = 4


@dataclass
class Turn:
    """One question and answer of a conversation."""

    question: str
    standalone: str
    answer: str


def refers_back(question: str) -> bool:
    """True when a follow-up leans on the conversation (pronouns, 呢-ellipsis, a bare fragment)."""
    if detect_lang(question) == "zh":
        return bool(_PERSON_ZH.search(question) or _BACK_ZH.search(question)) or len(analyse(question).terms) <= 1
    return bool(_PERSON_EN.search(question) or _BACK_EN.search(question)) or len(question.split()) <= 3


def key_terms(question: str, n: int = KEY_TERMS) -> list[str]:
    """The question's n heaviest content words, in the order they appear."""
    terms = analyse(question).terms
    keep = {t.word for t in sorted(terms, key=lambda t: -t.weight)[:n]}
    return [t.word for t in terms if t.word in keep]


def condense_offline(question: str, history: list[Turn]) -> str:
    """Rule-based rewrite: name the person a pronoun stands for, or prepend the last topic's terms."""
    if not history or not refers_back(question):
        return question
    last = history[-1]
    people = [p for p in people_in(last.answer) if p not in question]
    if people and _PERSON_ZH.search(question):
        return _PERSON_ZH.sub(people[0], question, count=1)
    if people and _PERSON_EN.search(question):
        return _PERSON_EN.sub(people[0], question, count=1)
    terms = [t for t in key_terms(last.standalone) if t not in question]
    return f"{' '.join(terms)} {question}".strip() if terms else question


def _history_text(history: list[Turn], lang: str) -> str:
    q, a = msg("question_label", lang), msg("answer_label", lang)
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        answer = turn.answer.strip().replace("\n", " ")
        if len(answer) > ANSWER_CHARS:
            answer = answer[:ANSWER_CHARS] + "…"
        lines.append(msg("field", lang, label=q, value=turn.standalone))
        lines.append(msg("field", lang, label=a, value=answer))
    return "\n".join(lines)


def condense(question: str, history: list[Turn], llm: LLM | None) -> tuple[str, Usage]:
    """A standalone version of `question` given the conversation so far, and the usage it cost."""
    if not history:
        return question, Usage()
    if llm is None:
        return condense_offline(question, history), Usage()
    lang = detect_lang(question)
    prompt = load_prompt(CONDENSE_PROMPTS[lang])
    completion = llm.complete(prompt.render(history=fence(_history_text(history, lang)), question=question),
                              temperature=0)
    lines = [ln.strip() for ln in completion.text.strip().splitlines() if ln.strip()]
    rewritten = lines[0] if lines else ""
    rewritten = re.sub(r"^(?:改写后的问题|Standalone question)\s*[:：]\s*", "", rewritten, flags=re.I).strip()
    return (rewritten or question), completion.usage


Answerer = Callable[[str, list[Hit]], Answer]
Searcher = Callable[[str], list[Hit]]


@dataclass
class ChatSession:
    """A conversation: each turn is condensed, searched and answered by the injected functions."""

    search: Searcher
    answer: Answerer
    llm: LLM | None = None
    history: list[Turn] = field(default_factory=list)

    def ask(self, question: str) -> tuple[str, Answer]:
        """Answer one turn; returns the standalone question used and the answer."""
        standalone, usage = condense(question, self.history, self.llm)
        result = self.answer(standalone, self.search(standalone))
        result = result.model_copy(update={"usage": result.usage.add(usage)})
        self.history.append(Turn(question=question, standalone=standalone, answer=result.answer))
        return standalone, result
