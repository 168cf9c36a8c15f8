"""Citation checking: every sentence of a generated answer must be backed by the sources it cites.

For each sentence: its [n] must be sources that were given; the numbers (十二 == 12), dates
(5月6日 == 五月六日, year taken from the article when the text has none) and names (quoted titles,
jieba nr/nt/ns) it states must occur in the cited sources (in an English sentence, names must be
English renderings of names in the cited sources: english_names); most of its content words must too
(Chinese sentences); and the source sentence it rests on must be a statement, not an instruction
planted in an article.

A substantive sentence with no citation is attributed by the tool when it can be: small models
often answer correctly but write no [n]. Its claims (numbers, dates, names, quoted phrases) are
looked up in every given source, and the first source against which the sentence passes every
check above becomes its citation, marked `attributed` (the reader sees it was not the model's).
A sentence with no checkable claim is attributed only where it repeats a source's own words
(VERBATIM_MIN characters, every content word in that source); one no single source supports still
fails: attribution can turn a right answer verified, never a wrong one. A sentence that is only markers ([1][2])
claims nothing and verifies no citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bulletin_qa.answering.constants import ATTRIBUTED_MARKER, CANNOT_ANSWER, UNSUPPORTED_MARKER
from bulletin_qa.answering.sources import Source, is_instruction
from bulletin_qa.messages import msg
from bulletin_qa.models import Citation
from bulletin_qa.names.english import source_renderings, unsupported_names
from bulletin_qa.names.english_words import capitalised_runs
from bulletin_qa.text.chars import is_cjk
from bulletin_qa.text.numerals import extract_dates, extract_numbers
from bulletin_qa.text.sentences import CITATION, AnswerSentence, split_answer
from bulletin_qa.text.words import content_words, key, names

if TYPE_CHECKING:
    from bulletin_qa.names.glossary import Glossary
    from bulletin_qa.names.service import Names

# Share of a Chinese sentence's content words that must occur in the cited text. Half leaves
# room for paraphrase (该会议 for 推进会) while an invented clause fails.
WORDS_MIN = 0.5
# A sentence with no name, number or date is attributed only when it repeats this many characters of
# one source verbatim, every content word of it in that source too: the list that answers "哪两个方面"
# (高成长服务业和低碳科技型工业, 14) is found, a generic clause (进一步抓好落实, 7) is not.
VERBATIM_MIN = 10



@dataclass
class SentenceCheck:
    """One answer sentence, the sources it cites, the supporting quotes found and any problems."""

    text: str
    cited: tuple[int, ...]
    problems: list[str] = field(default_factory=list)
    quotes: dict[int, str] = field(default_factory=dict)
    substantive: bool = False
    attributed: bool = False

    @property
    def supported(self) -> bool:
        """True when the sentence passed every check."""
        return not self.problems


@dataclass
class CheckResult:
    """All sentence checks of an answer, and the citations list they produce."""

    sentences: list[SentenceCheck]
    citations: list[Citation]

    @property
    def unsupported(self) -> list[SentenceCheck]:
        """The sentences that failed a check."""
        return [s for s in self.sentences if not s.supported]

    @property
    def verified_claims(self) -> int:
        """Sentences that claim something and passed every check (0: nothing of the answer is verified)."""
        return sum(1 for s in self.sentences if s.substantive and s.supported)


def _substantive(plain: str) -> bool:
    """Sentences that claim something (one content word is enough: 我被攻破了); lead-ins ending in a colon do not."""
    if not plain or plain.strip() == CANNOT_ANSWER or re.search(r"[:：]$", plain):
        return False
    if extract_numbers(plain) or extract_dates(plain)[0]:
        return True
    return len(content_words(plain)) >= 1 or (not is_cjk(plain) and len(plain.split()) >= 3)


def best_quote(plain: str, source: Source) -> str:
    """The sentence of `source` sharing the most content words, numbers and names with `plain`."""
    words = set(content_words(plain))
    numbers = extract_numbers(plain)
    best, best_score = "", -1.0
    for sentence, facts in zip(source.sentences, source.sentence_facts):
        score = sum(len(w) for w in words if w in facts.key) + 3 * len(numbers & facts.numbers)
        if score > best_score:
            best, best_score = sentence, score
    return best if best_score > 0 else ""


def _problems(sentence: AnswerSentence, by_n: dict[int, Source], lang: str,
              renderings: _Renderings) -> tuple[list[str], dict[int, str]]:
    """What in one sentence is not backed by its cited sources, and its supporting quotes."""
    plain = sentence.plain
    if not sentence.cited:
        return ([msg("no_citation", lang)], {})
    problems: list[str] = []
    bad = [n for n in sentence.cited if n not in by_n]
    if bad:
        listed = ", ".join(f"[{n}]" for n in bad)
        problems.append(msg("cites_missing", lang, listed=listed))
    cited = [by_n[n] for n in sentence.cited if n in by_n]
    if not cited:
        return problems, {}
    # What the sources state: a sentence planted as an instruction to the model supports nothing.
    evidence = "\n".join(s.statement_facts.key for s in cited)
    numbers = set().union(*(s.statement_facts.numbers for s in cited))
    dates = [(d, s.year) for s in cited for d in s.statement_facts.dates]
    numbers |= {str(v) for d, _ in dates for v in (d.year, d.month, d.day) if v is not None}

    stated_dates, _ = extract_dates(plain)
    for d in stated_dates:
        if not any(d.matches(e, year) for e, year in dates):
            problems.append(msg("date_not_cited", lang, date=d))
    for n in sorted(extract_numbers(plain) - numbers):
        problems.append(msg("number_not_cited", lang, number=n))
    if is_cjk(plain):
        for name in sorted(names(plain)):
            if key(name) not in evidence:
                problems.append(msg("name_not_cited", lang, name=name))
        words = content_words(plain)
        if words and sum(w in evidence for w in words) / len(words) < WORDS_MIN:
            problems.append(msg("words_not_cited", lang))
        # A post moved to another person (屈连武是区委副书记、区长: the source's 区长 is 虎荣鑫) passes the
        # checks above, every word being in the source.
        for person, post in renderings.wrong_posts(plain, cited):
            problems.append(msg("title_not_cited", lang, person=person, post=post))
    else:
        known = frozenset().union(*(renderings(s) for s in cited))
        for name in unsupported_names(plain, known, renderings.glossary):
            problems.append(msg("name_not_cited", lang, name=name))
    quotes = {s.n: best_quote(plain, s) for s in cited}
    if any(is_instruction(q) for q in quotes.values() if q):
        problems.append(msg("planted_instruction", lang))
    return problems, quotes


class _Renderings:
    """English renderings of each source's names, and the posts it gives its people, computed once per
    source and only when needed."""

    def __init__(self, glossary: Glossary | None, names: Names | None = None) -> None:
        from bulletin_qa.names.service import Names

        if names is not None:
            self.glossary: Names | None = names
        else:
            self.glossary = Names(glossary=glossary) if glossary is not None else None
        self._names = self.glossary or Names()
        self._by_n: dict[int, frozenset[str]] = {}
        self._posts_by_n: dict[int, dict[str, list[str]]] = {}
        self._vocabulary: list[str] | None = None

    def wrong_posts(self, claim: str, cited: list[Source]) -> list[tuple[str, str]]:
        """(person, post) for each post a Chinese claim gives a person whom the cited sources give other posts."""
        from bulletin_qa.names.person_titles import post_vocabulary, posts_given, wrong_titles_zh
        from bulletin_qa.names.titles import titles

        if self._vocabulary is None:
            self._vocabulary = post_vocabulary({**titles(), **self._names.glossary.section("titles")})
        given: dict[str, list[str]] = {}
        for source in cited:
            if source.n not in self._posts_by_n:
                self._posts_by_n[source.n] = posts_given(source.text, self._names.known_people())
            for person, parts in self._posts_by_n[source.n].items():
                given.setdefault(person, []).extend(parts)
        return wrong_titles_zh(given, claim, self._vocabulary)

    def __call__(self, source: Source) -> frozenset[str]:
        if source.n not in self._by_n:
            self._by_n[source.n] = source_renderings(source.article, source.text, self._names.glossary,
                                                     self._names)
        return self._by_n[source.n]


def claims(plain: str) -> list[str]:
    """What a sentence states that can be looked up in a source: numbers, dates, names, quoted phrases.

    Chinese names are jieba's nr/nt/ns and quoted titles; English ones are capitalised runs with a
    word that is not a connector, month or pronoun ("Erqi District", not "The").
    """
    found = [str(d) for d in extract_dates(plain)[0]] + sorted(extract_numbers(plain))
    if is_cjk(plain):
        return found + sorted(names(plain))
    runs = [run for run in capitalised_runs(plain) if any(not t.skippable for t in run)]
    return found + [" ".join(t.text for t in run) for run in runs]


def _verbatim(plain: str, source: Source) -> bool:
    """Whether a Chinese sentence with no name, number or date stands on a source's own words: a run of
    VERBATIM_MIN characters of it is in the source's statements, and so is every content word of it."""
    text, evidence = key(plain), source.statement_facts.key
    if not is_cjk(plain) or not all(w in evidence for w in content_words(plain)):
        return False
    return any(text[i:i + VERBATIM_MIN] in evidence for i in range(len(text) - VERBATIM_MIN + 1))


def _attribute(sentence: AnswerSentence, sources: list[Source], lang: str,
               renderings: _Renderings) -> tuple[int, dict[int, str]] | None:
    """The first source against which an uncited sentence with claims passes every check, and its quote;
    a sentence without claims only from a source whose own words it repeats (_verbatim)."""
    checkable = bool(claims(sentence.plain))
    for source in sources:
        if not checkable and not _verbatim(sentence.plain, source):
            continue
        trial = AnswerSentence(text=sentence.text, cited=(source.n,))
        problems, quotes = _problems(trial, {source.n: source}, lang, renderings)
        if not problems:
            return source.n, quotes
    return None


def check_answer(text: str, sources: list[Source], lang: str = "zh", glossary: Glossary | None = None,
                 names: Names | None = None, attribute: bool = True) -> CheckResult:
    """Check every sentence of `text` against the numbered `sources`; build the citations list.

    `glossary` supplies the English names of titles and institutions for English sentences, `names`
    (the names service, names/service.py) the store's known people too; without either, the
    standard titles and the pinyin of the sources' person and place names are accepted. With
    `attribute`, uncited sentences get the source that supports them (module docstring).
    """
    by_n = {s.n: s for s in sources}
    renderings = _Renderings(glossary, names)
    checks: list[SentenceCheck] = []
    for sentence in split_answer(text):
        check = SentenceCheck(text=sentence.text, cited=sentence.cited, substantive=_substantive(sentence.plain))
        if check.substantive or sentence.cited:
            check.problems, check.quotes = _problems(sentence, by_n, lang, renderings)
        if attribute and check.substantive and not sentence.cited:
            found = _attribute(sentence, sources, lang, renderings)
            if found:
                check.cited, check.quotes, check.problems, check.attributed = (found[0],), found[1], [], True
        checks.append(check)
    citations: list[Citation] = []
    for n in dict.fromkeys(n for c in checks for n in c.cited if n in by_n):
        # Only sentences that claim something verify a citation: "[1][2]" alone verifies nothing.
        citing = [c for c in checks if n in c.cited and c.substantive]
        quote = next((c.quotes.get(n, "") for c in citing if c.quotes.get(n)), "")
        cited = by_n[n].citation(quote=quote, verified=bool(citing) and all(c.supported for c in citing))
        citations.append(cited.model_copy(update={"attributed": bool(citing) and all(c.attributed for c in citing)}))
    return CheckResult(sentences=checks, citations=citations)


def mark_unsupported(text: str, result: CheckResult, lang: str = "zh") -> str:
    """`text` with a visible marker after every sentence that failed its check, and the tool's
    citation after every sentence it attributed."""
    marker = UNSUPPORTED_MARKER[lang]
    out, pos = [], 0
    for check in result.sentences:
        at, end = _locate(text, check.text, pos)
        if at < 0:
            continue
        added = ATTRIBUTED_MARKER[lang].format(n=check.cited[0]) if check.attributed else ""
        out.append(text[pos:end] + ("" if check.supported else marker) + added)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _locate(text: str, sentence: str, pos: int) -> tuple[int, int]:
    """Span of `sentence` in `text` from `pos`, allowing markers split off by spaces ("。 [1]")."""
    at = text.find(sentence, pos)
    if at >= 0:
        return at, at + len(sentence)
    head = CITATION.split(sentence, maxsplit=1)[0].rstrip()
    at = text.find(head, pos) if head else -1
    if at < 0:
        return -1, -1
    tail = re.match(rf"(?:\s*{CITATION.pattern})*", text[at + len(head):])
    return at, at + len(head) + (tail.end() if tail else 0)


def describe(check: SentenceCheck, lang: str = "zh") -> str:
    """One line for the reader: the sentence and why it failed."""
    return f"{check.text} — {msg('list_sep', lang).join(check.problems)}"
