"""Answering a question from retrieved articles: with an LLM and checked citations, or extractively.

    answer_question(question, hits, llm=...)   one entry point for both modes
      no relevant hit            -> refusal, the LLM is never called
      llm is None (offline)      -> extractive: quoted sentences (extractive.select), the answer span
                                    and a one-line answer when confident, or a refusal listing the
                                    articles looked at
      llm                        -> prompt (prompting) -> reply -> sentinel? refusal
                                    : citation check (citations, which attributes uncited claims)
                                    -> a sentence failed? one corrective round (the failures sent
                                       back once; the new reply kept only if it checks better)
                                    -> no claim verified? refusal showing the reply as unverified
                                    -> no verified claim answers the question asked (asked: the
                                       asked type of item, the question's years, ordinals and
                                       names beside it)? refusal showing the reply, labelled so
                                    : Answer with flags

With an LLM, relevance is lexical and scale-free: an article is relevant when it states at least
RELEVANCE_MIN of the question's IDF-weighted terms, numbers and dates (terms.Query.coverage).
Retrieval scores are not used for it: the fused scores are normalised to the best hit, so the
top hit scores ~1 whatever the question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bulletin_qa.answering import extractive
from bulletin_qa.answering.asked import check_asked
from bulletin_qa.answering.citations import CheckResult, check_answer, describe, mark_unsupported
from bulletin_qa.answering.constants import CANNOT_ANSWER, CORRECT_PROMPTS, MAX_SOURCE_CHARS
from bulletin_qa.answering.english import naming_people, read_english
from bulletin_qa.answering.gloss import gloss, gloss_lines
from bulletin_qa.answering.prompting import build_messages
from bulletin_qa.answering.question import Query, analyse
from bulletin_qa.answering.sources import Source, build_sources
from bulletin_qa.llm.base import LLM
from bulletin_qa.messages import msg
from bulletin_qa.models import Answer, Citation, Evidence, Hit, Provenance, Usage, title_or_opening
from bulletin_qa.prompts_loader import load_prompt
from bulletin_qa.text.chars import detect_lang, is_cjk

if TYPE_CHECKING:
    from bulletin_qa.names.glossary import Glossary

# An article stating less than this share of the question (IDF-weighted) is not sent to the
# model. 0.5: an article on the asked event states most of its rare words; one that only shares
# the district name or 工作/发展 states a small share.
RELEVANCE_MIN = 0.5


@dataclass(frozen=True)
class SearchScope:
    """What was searched: the date range, the articles in it and how many were retrieved."""

    since: dt.date | None = None
    until: dt.date | None = None
    articles: int | None = None
    retrieved: int = 0
    source: str | None = None

    def describe(self, lang: str = "zh") -> str:
        """A sentence saying what was searched, for refusals and the answer footer."""
        span = (msg("span", lang, since=self.since or msg("earliest", lang), until=self.until or msg("latest", lang))
                if (self.since or self.until) else msg("all_dates", lang))
        count = (msg("in_scope", lang, n=self.articles, plural="" if self.articles == 1 else "s")
                 if self.articles is not None else msg("in_scope_unknown", lang))
        source = msg("scope_source", lang, source=self.source) if self.source else ""
        return msg("searched", lang, span=span, source=source, count=count, retrieved=self.retrieved)


def relevant_hits(query: Query, hits: list[Hit], sources: list[Source] | None = None) -> list[Hit]:
    """The hits that state at least RELEVANCE_MIN of the question; all hits when it has no Chinese.

    A question in English cannot be matched word for word against Chinese articles, so its hits
    go on unfiltered. `sources` are build_sources(hits), when already built.
    """
    if not is_cjk(query.text):
        return list(hits)
    sources = sources if sources is not None else build_sources(hits)
    return [hit for hit, src in zip(hits, sources) if query.coverage(src.all_facts, src.year) >= RELEVANCE_MIN]


def looked_at(hits: list[Hit]) -> list[Citation]:
    """The retrieved articles as citations (title, date, id), in retrieval order."""
    return [Citation(n=n, article_id=h.article.id, title=title_or_opening(h.article.title, h.article.text),
                     date=h.article.date) for n, h in enumerate(hits, start=1)]


def refusal(question: str, *, mode: Literal["llm", "extractive"], lang: str, scope: SearchScope, reason: str = "",
            made_by: Provenance | None = None, usage: Usage | None = None, withheld: str = "",
            hits: list[Hit] | None = None, withheld_label: str = "withheld") -> Answer:
    """An Answer saying the articles do not answer the question, what was searched and which articles.

    `withheld` is a model reply none of whose claims could be verified (or, with `withheld_label`
    "withheld_off_question", whose verified claims do not answer the question): it is shown after
    the refusal under that label, and never as the answer.
    """
    searched = scope.describe(lang)
    text = msg("refusal", lang, searched=searched)
    if reason:
        text += ("\n" if text.endswith(("。", ".")) else " ") + reason
    if withheld:
        text += "\n" + msg(withheld_label, lang) + "\n" + withheld
    return Answer(question=question, answer=text, mode=mode, refused=True, searched=searched,
                  looked_at=looked_at(hits or []), usage=usage or Usage(), withheld=withheld,
                  **(made_by or Provenance()).model_dump())


def extractive_answer(question: str, hits: list[Hit], *, scope: SearchScope, lang: str,
                      query: Query | None = None, sources: list[Source] | None = None,
                      retrieved: list[Hit] | None = None, glossary: Glossary | None = None) -> Answer:
    """Quote the sentences that answer the question, each with its [n] and answer span; refuse when none do.

    `query` and `sources` (analyse(question), build_sources(hits)) are reused when given; `retrieved`
    are all the hits searched, listed in a refusal. An English question is answered from the same
    Chinese sentences, its names, titles, numbers and dates glossed (gloss.gloss).
    """
    query = query or analyse(question)
    sources = sources if sources is not None else build_sources(hits)
    english = not is_cjk(question)
    reading = read_english(question, sources, glossary) if english and sources else None
    retrieved = retrieved if retrieved is not None else hits
    if reading:
        kept = naming_people(reading, sources)
        if len(kept) < len(sources):
            hits = [hits[i] for i in kept]
            sources = build_sources(hits)
    work = reading.query if reading else query
    picked = extractive.select(work, sources) if sources and not (reading and reading.unanswerable) else []
    read_as = reading.chinese if reading else ""
    if not picked:
        hint = ""
        if english:
            unknown = ", ".join(reading.unknown) if reading and reading.unknown else "-"
            hint = msg("english_offline_hint", lang, read_as=read_as or "-", unknown=unknown)
        answer = refusal(question, mode="extractive", lang=lang, scope=scope, reason=hint,
                         hits=retrieved)
        return answer.model_copy(update={"read_as": read_as})
    numbers: dict[int, int] = {}  # source n -> citation number in this answer (1..)
    citations, evidence = [], []
    for c in picked:
        if c.source.n not in numbers:
            numbers[c.source.n] = len(numbers) + 1
            cited = c.source.citation(quote=c.sentence, verified=True)
            citations.append(cited.model_copy(update={"n": numbers[c.source.n]}))
        span = extractive.answer_span(work, c)
        person = c.sentence[span[0]:span[1]] if span and work.qtype == "who" else ""
        glossed = gloss(c.sentence, glossary, article_text=c.source.article.text, year=c.source.year,
                        person=person) if english else []
        evidence.append(Evidence(n=numbers[c.source.n], article_id=c.source.article.id, quote=c.sentence,
                                 span=span, score=round(c.score, 3), gloss=glossed))
    short = extractive.short_answer(work, picked[0])
    lines = [msg("extractive_answer", lang)]
    if english:
        lines = [msg("extractive_answer", "en"), msg("read_as", "en", read_as=read_as), msg("untranslated", "en")]
        known = {g.zh: g.en for g in evidence[0].gloss}
        if short and short in known:
            short = f"{short} ({known[short]})"
    if short:
        lines.append(msg("short_answer", lang, text=short))
    for e in evidence:
        lines.append(f"“{e.quote}” [{e.n}]")
        lines.extend(f"    {g}" for g in gloss_lines(e.gloss))
    return Answer(question=question, answer="\n".join(lines), mode="extractive", citations=citations,
                  searched=scope.describe(lang), short_answer=short, evidence=evidence, read_as=read_as,
                  looked_at=looked_at(retrieved))


class _SentinelFilter:
    """Passes streamed tokens on, holding back text while it could still be the sentinel."""

    def __init__(self, on_token: Callable[[str], None]) -> None:
        self.on_token = on_token
        self.held = ""
        self.passing = False

    def __call__(self, piece: str) -> None:
        if self.passing:
            self.on_token(piece)
            return
        self.held += piece
        held = self.held.strip()
        if not CANNOT_ANSWER.startswith(held[:len(CANNOT_ANSWER)]) or len(held) > len(CANNOT_ANSWER) + 2:
            self.passing = True
            self.on_token(self.held)
            self.held = ""


def is_sentinel(text: str) -> bool:
    """True when a reply is the cannot-answer sentinel (allowing stray punctuation or quotes)."""
    core = text.strip().strip("\"'“”‘’`。.!！ \n")
    return core == CANNOT_ANSWER or (core.startswith(CANNOT_ANSWER) and len(core) <= len(CANNOT_ANSWER) + 3)


def llm_answer(question: str, hits: list[Hit], *, llm: LLM, scope: SearchScope, lang: str,
               on_token: Callable[[str], None] | None = None, temperature: float | None = None,
               max_source_chars: int | None = MAX_SOURCE_CHARS, glossary: Glossary | None = None,
               correct: bool = True, query: Query | None = None) -> Answer:
    """Ask the model with numbered sources, then check its citations sentence by sentence, then
    that a verified sentence answers the question asked (asked.py).

    `glossary` only helps the check accept English names of titles and institutions; it does not
    reach the prompt. With `correct`, a reply with a failed sentence gets one corrective round.
    `query` is analyse(question), when already made.
    """
    sources: list[Source] = build_sources(hits, max_chars=max_source_chars)
    messages, prompt = build_messages(question, sources, lang)
    stream = _SentinelFilter(on_token) if on_token else None
    completion = llm.complete(messages, temperature=temperature, on_token=stream)
    made_by = Provenance(model=completion.model or llm.model, prompt=prompt.name, prompt_hash=prompt.hash)
    if is_sentinel(completion.text):
        return refusal(question, mode="llm", lang=lang, scope=scope, made_by=made_by, usage=completion.usage,
                       hits=hits)
    usage = completion.usage
    reply = completion.text.strip()
    result = check_answer(reply, sources, lang, glossary=glossary)
    if correct and result.unsupported:
        fixer = load_prompt(CORRECT_PROMPTS[lang])
        problems = "\n".join(f"- {describe(c, lang)}" for c in result.unsupported)
        follow_up = [*messages, {"role": "assistant", "content": completion.text},
                     *fixer.render(problems=problems, cannot_answer=CANNOT_ANSWER)]
        second = llm.complete(follow_up, temperature=temperature)
        usage = usage.add(second.usage)
        made_by = Provenance(model=made_by.model, prompt=f"{prompt.name}+{fixer.name}",
                             prompt_hash=f"{prompt.hash}+{fixer.hash}")
        if is_sentinel(second.text):
            if result.verified_claims == 0:  # the model withdrew an answer nothing of which was verified
                return refusal(question, mode="llm", lang=lang, scope=scope, made_by=made_by, usage=usage,
                               hits=hits)
        else:
            revised = check_answer(second.text.strip(), sources, lang, glossary=glossary)
            if _checks_better(revised, result):
                reply, result = second.text.strip(), revised
    marked = mark_unsupported(reply, result, lang)
    if result.verified_claims == 0:
        return refusal(question, mode="llm", lang=lang, scope=scope, withheld=marked, made_by=made_by,
                       usage=usage, hits=hits)
    asked = check_asked(query or analyse(question), result, sources, lang)
    if not asked.answers:
        for index, reasons in asked.problems.items():
            result.sentences[index].problems.extend(reasons)
        why = msg("list_sep", lang).join(dict.fromkeys(r for rs in asked.problems.values() for r in rs))
        return refusal(question, mode="llm", lang=lang, scope=scope, withheld=mark_unsupported(reply, result, lang),
                       reason=msg("off_question", lang, why=why), made_by=made_by, usage=usage, hits=hits,
                       withheld_label="withheld_off_question")
    return Answer(question=question, answer=marked, mode="llm",
                  citations=result.citations, unsupported=[describe(c, lang) for c in result.unsupported],
                  searched=scope.describe(lang), usage=usage, **made_by.model_dump())


def _checks_better(revised: CheckResult, first: CheckResult) -> bool:
    """The corrected reply replaces the first when it fails fewer sentences and verifies something
    (or the first verified nothing either): a correction that only deletes claims is not better."""
    verifies = revised.verified_claims > 0 or first.verified_claims == 0
    return verifies and len(revised.unsupported) < len(first.unsupported)


def answer_question(question: str, hits: list[Hit], *, llm: LLM | None, scope: SearchScope | None = None,
                    lang: str | None = None, on_token: Callable[[str], None] | None = None,
                    temperature: float | None = None, glossary: Glossary | None = None,
                    correct: bool = True) -> Answer:
    """Answer `question` from `hits`: extractive when `llm` is None, else generated and checked."""
    lang = lang or detect_lang(question)
    scope = scope or SearchScope(retrieved=len(hits))
    query = analyse(question)
    sources = build_sources(hits)
    if llm is None:
        # Every hit: the answer model weighs the article's coverage of the question itself.
        return extractive_answer(question, hits, scope=scope, lang=lang, query=query, sources=sources,
                                 glossary=glossary)
    relevant = relevant_hits(query, hits, sources)
    if not relevant:
        return refusal(question, mode="llm", lang=lang, scope=scope, hits=hits)
    return llm_answer(question, relevant, llm=llm, scope=scope, lang=lang, on_token=on_token,
                      temperature=temperature, glossary=glossary, correct=correct, query=query)
