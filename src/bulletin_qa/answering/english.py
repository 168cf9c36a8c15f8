"""English questions answered offline from Chinese articles: the question read into a Chinese one.

Dense retrieval reads English (the multilingual embedder), so the right Chinese article is usually
among the hits; the answer model (answering/extractive) scores Chinese sentences against a Chinese
question. `read_english` builds that question from the English one and the retrieved articles:

    question type   who / when / where / how many, how much / which / what (question.question_type
                    of the opening words: Which places did he visit when supervising is a list;
                    plus "what is the income" -> a number, english_lexicon.NUMBER_NOUNS)
    names           the glossary's English (Erqi District -> 二七区, flood control -> 防汛), the
                    standard titles and institutions (names/titles.py: District Mayor -> 区长), and
                    pinyin matched against the articles' own characters (Hewan -> 河湾, Han Jingyi ->
                    韩静怡): a name is looked up where the answer must be, never guessed
    other words     our lexicon (english_lexicon.py: chair -> 主持, inspect -> 检查/调研/视察/督导),
                    keeping the rendering the articles use: first in the reports naming the
                    question's people (english_articles.py), and as printed beside the next word
                    (school food safety -> 校园食品安全)
    word order      Chinese puts "X of Y", "X in Y" as Y X and the question word in place of the
                    answer (Who chaired the conference in Hewan District -> 谁主持了河湾区大会), an
                    adverbial before the verb (receive on its first day -> 首日接诊)

The Chinese question is then analysed like any other (question.analyse): its terms, slot words and
predicates are what the model was trained on. A capitalised name none of the articles spells stays
in the query as a term no sentence states, so a question about someone or somewhere else is not
answered by a sentence about the rest of it.

A question naming a person is answered from the reports naming them (naming_people), whatever
their rank. The answer quotes the Chinese sentence as printed, untranslated, and gloss.py renders
its names, titles, numbers and dates in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bulletin_qa.answering import english_lexicon as lex
from bulletin_qa.answering.english_articles import Articles
from bulletin_qa.answering.question import Query, Term, analyse, question_type
from bulletin_qa.text.chars import is_cjk
from bulletin_qa.text.words import _idf

if TYPE_CHECKING:
    from bulletin_qa.answering.sources import Source
    from bulletin_qa.models import Hit
    from bulletin_qa.names.glossary import Glossary

# Words (Latin letters with accents: Lü Anmin; digits after a letter: Q2) and numbers.
_TOKEN = re.compile(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ0-9'’-]*|\d[\d,]*(?:\.\d+)?%?")
_WH = {"who", "whom", "whose", "when", "where", "which", "what", "how"}
_HOW = {"many", "much", "long", "large", "big", "high", "far", "old", "often"}
# The level words of standard titles and bodies ("District People's Congress"), after a place name.
_LEVEL_WORDS = frozenset({"district", "county", "city", "municipal", "province", "provincial"})
# Longest English phrase (in words) looked up in the glossary, title table and lexicon.
LONGEST = 9
# Pinyin of a name is matched over at most this many English words (Ouyang Xiu Ming: 3).
NAME_WORDS = 3


@dataclass(frozen=True)
class Mapped:
    """An English word or phrase of the question and the Chinese it was read as ("" when none)."""

    english: str
    chinese: str
    via: str  # glossary, title, name (pinyin in the articles), lexicon, number, or "" (not understood)
    options: tuple[str, ...] = ()  # the lexicon's renderings, when it was read through the lexicon


@dataclass(frozen=True)
class EnglishReading:
    """An English question read into Chinese: the query for the answer model and how it was read."""

    query: Query
    chinese: str
    mapped: tuple[Mapped, ...]
    focus: tuple[Mapped, ...] = ()  # what a how-many / which / what question counts or asks for
    people: tuple[str, ...] = ()  # the persons it names, in the articles' characters (Hu Rongxin -> 虎荣鑫)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Content words of the question that nothing could read into Chinese."""
        return tuple(m.english for m in self.mapped if not m.chinese)

    @property
    def unnamed(self) -> tuple[str, ...]:
        """Chinese names (capitalised pinyin: Zhangjiakou, not Experimental) of the question that no retrieved
        article spells: the articles are about something else, so nothing in them answers it (a rule:
        no feature of a sentence says so)."""
        from bulletin_qa.names.english_words import pinyin_shaped

        return tuple(w for w in self.unknown if w[:1].isupper() and pinyin_shaped(w))

    @property
    def unanswerable(self) -> bool:
        """Nothing in the articles can answer it: a Chinese name no article spells (`unnamed`), or the
        thing the question counts or asks for could not be read at all (How many runners: no
        sentence can be checked to count runners)."""
        return bool(self.unnamed) or (bool(self.focus) and not any(m.chinese for m in self.focus))


@dataclass
class _Tok:
    text: str
    lemma: str
    capital: bool


def _lemma(word: str) -> str:
    """The lexicon's form of an English word: irregular forms, then -s/-es/-ies/-ed/-ing stripped."""
    w = word.casefold().replace("’", "'")
    if w.endswith("'s") and w != "people's":
        w = w[:-2]
    if w in lex.IRREGULAR:
        return lex.IRREGULAR[w]
    known = lex.LEXICON.keys() | lex.VERBS
    if w in known:
        return w
    # -s before -es: sites is site (not sit), classes falls through to class
    candidates = [w[:-3] + "y" if w.endswith("ies") else "", w[:-1] if w.endswith("s") else "",
                  w[:-2] if w.endswith("es") else "", w[:-2] if w.endswith("ed") else "",
                  w[:-1] if w.endswith("ed") else "", w[:-3] if w.endswith("ed") and w[-3:-2] == w[-4:-3] else "",
                  w[:-3] if w.endswith("ing") else "", w[:-3] + "e" if w.endswith("ing") else ""]
    return next((c for c in candidates if c and c in known), w)


def _tokens(question: str) -> list[_Tok]:
    return [_Tok(m.group(), _lemma(m.group()), m.group()[:1].isupper()) for m in _TOKEN.finditer(question)]


_TABLES: dict[tuple[str, int], dict[str, tuple[tuple[str, str], ...]]] = {}


def _english_tables(glossary: Glossary | None) -> dict[str, tuple[tuple[str, str], ...]]:
    """Lemmatised English -> ((Chinese, via), ...) from the glossary and the standard title table, the
    glossary first, longer Chinese first (built once per glossary)."""
    memo = (glossary.hash, len(glossary)) if glossary else ("", 0)
    if memo in _TABLES:
        return _TABLES[memo]
    from bulletin_qa.names.glossary import Glossary as _Glossary
    from bulletin_qa.names.service import Names

    names = Names(glossary=glossary or _Glossary())
    table: dict[str, list[tuple[str, str]]] = {}
    for zh, en in names.title_table().items():
        table.setdefault(" ".join(_lemma(w) for w in _TOKEN.findall(en)), []).append((zh, "title"))
    for entry in (glossary.entries.values() if glossary else ()):
        key = " ".join(_lemma(w) for w in _TOKEN.findall(entry.en))
        if key:
            table.setdefault(key, []).insert(0, (entry.zh, "glossary"))
    _TABLES.clear()
    _TABLES[memo] = {k: tuple(sorted(v, key=lambda p: (p[1] != "glossary", -len(p[0])))) for k, v in table.items()}
    return _TABLES[memo]


def _named_level(words: list[_Tok]) -> tuple[_Tok | None, str]:
    """A title or body written with its place (the Erqi District People's Congress): the place word
    and the phrase without it (the district people's congress), as the title table spells it."""
    for j in range(len(words) - 1):
        if words[j].capital and words[j].lemma not in lex.STOPWORDS and words[j + 1].lemma in _LEVEL_WORDS:
            return words[j], " ".join(t.lemma for k, t in enumerate(words) if k != j)
    return None, ""


def _map(tokens: list[_Tok], articles: Articles, glossary: Glossary | None) -> list[Mapped | str]:
    """The tokens read into Chinese pieces, longest phrase first; a preposition stays a str (a segment break)."""
    tables = _english_tables(glossary)
    out: list[Mapped | str] = []
    i = 0
    while i < len(tokens):
        found: Mapped | None = None
        span = 1
        for n in range(min(LONGEST, len(tokens) - i), 0, -1):
            words = tokens[i:i + n]
            phrase = " ".join(t.lemma for t in words)
            english = " ".join(t.text for t in words)
            place, bare = _named_level(words)
            if phrase in tables or (place and bare in tables):
                options = tables[phrase if phrase in tables else bare]
                zh, via = next(((z, v) for z, v in options if articles.has(z)), options[0])
                found = Mapped(english, zh, via)
                if phrase not in tables and place is not None:  # Erqi District People's Congress: 二七 + 区人大
                    name = articles.name(place.text)
                    out.append(Mapped(place.text, name, "name" if name else ""))
            elif phrase in lex.LEXICON:
                found = Mapped(english, articles.pick(lex.LEXICON[phrase]), "lexicon", lex.LEXICON[phrase])
            elif n <= NAME_WORDS and all(t.capital and t.lemma not in lex.STOPWORDS for t in words):
                zh = articles.name("".join(t.text for t in words))
                found = Mapped(english, zh, "name") if zh else None
            if found:
                span = n
                break
        tok = tokens[i]
        if found:
            out.append(found)
        elif tok.text[:1].isdigit():
            out.append(Mapped(tok.text, tok.text.replace(",", "") + ("年" if re.fullmatch(r"(19|20)\d\d", tok.text)
                                                                      else ""), "number"))
        elif tok.lemma in lex.PREPOSITIONS:
            out.append(tok.lemma)
        elif tok.lemma not in lex.STOPWORDS:
            out.append(Mapped(tok.text, "", ""))
        i += span
    return out


def _merge(pieces: list[str], articles: Articles) -> list[str]:
    """Adjacent pieces joined when the articles print them joined (河湾 + 区 -> 河湾区, 产业 + 引导基金)."""
    out: list[str] = []
    for p in pieces:
        if out and articles.has(out[-1] + p):
            out[-1] += p
        else:
            out.append(p)
    return out


def _beside(items: list[Mapped], articles: Articles) -> list[str]:
    """The pieces of a phrase, a lexicon word rendered as an article prints it beside its neighbour when
    its first pick is printed beside neither: school food safety -> 校园食品安全 (the report's 学校 is
    elsewhere). Renderings of one character (副, 会) join too easily to count."""
    out = [m.chinese for m in items]

    def joined(option: str, before: str, after: str) -> bool:
        return bool(before and articles.has(before + option)) or bool(after and articles.has(option + after))

    for i, m in enumerate(items):
        before, after = (out[i - 1] if i else ""), (out[i + 1] if i + 1 < len(out) else "")
        if len(m.options) > 1 and not joined(out[i], before, after):
            out[i] = next((o for o in m.options if len(o) > 1 and joined(o, before, after)), out[i])
    return out


def _chinese(items: list[Mapped | str], articles: Articles) -> str:
    """A noun phrase in Chinese order: "X of Y in Z" -> Z Y X (segments reversed at prepositions)."""
    segments: list[list[Mapped]] = [[]]
    for item in items:
        if isinstance(item, str):
            if segments[-1]:
                segments.append([])
        elif item.chinese:
            segments[-1].append(item)
    return "".join("".join(_merge(_beside(s, articles), articles)) for s in reversed(segments) if s)


def _is_verb(tok: _Tok) -> bool:
    return tok.lemma in lex.VERBS and not tok.capital


def _wh(tokens: list[_Tok]) -> tuple[str, list[_Tok], list[_Tok]]:
    """(question word(s), the focus noun after it, the rest): How many | key projects | will ... carry out."""
    if not tokens or tokens[0].lemma not in _WH:
        return "", [], tokens
    wh, rest = tokens[0].text.casefold(), tokens[1:]
    if wh == "how" and rest and rest[0].text.casefold() in _HOW:
        wh, rest = f"how {rest[0].text.casefold()}", rest[1:]
    focus: list[_Tok] = []
    if wh in ("which", "what", "how many", "how much", "whose"):
        while rest and rest[0].text.casefold() not in lex.AUXILIARIES and not _is_verb(rest[0]):
            focus.append(rest.pop(0))
    return wh, focus, rest


def _plural(noun: _Tok) -> bool:
    """Whether the focus noun is plural (schools, companies; not school, news, staff): its -s was folded."""
    return noun.text.casefold() != noun.lemma and noun.text.casefold().endswith("s")


def _english_type(wh: str, focus: list[_Tok], question: str) -> str | None:
    """The question type from the question word that opens it and its focus noun (Which places: a list;
    What date: when); a later "when" or "where" opens a clause (Which places did he visit when
    supervising ...), so only the words before it are read when the opening says nothing."""
    opening = question_type(" ".join([wh, *(t.text for t in focus)])) if wh else None
    if opening or not wh:
        return opening or question_type(question)
    words = _TOKEN.findall(question)
    later = next((i for i, w in enumerate(words) if i > 0 and w.casefold() in _WH), len(words))
    return question_type(" ".join(words[:later]))


def _asked(wh: str, focus: str, number_focus: bool, plural: bool = True) -> str:
    """The Chinese question word for the English one and its focus noun (多少科目, 哪些项目; Which company,
    one: 哪个企业)."""
    if wh == "how many":
        return f"多少{next((m for n, m in lex.MEASURES.items() if focus.endswith(n)), '')}{focus}"
    if wh in ("how much", "how large", "how big", "how high", "how far", "how old", "how long"):
        return f"多少{focus}"
    if wh in ("who", "whom"):
        return "谁"
    if wh == "whose":
        return f"谁的{focus}"
    if wh == "when":
        return "什么时候"
    if wh == "where":
        return "在哪里"
    if wh == "which":
        return f"哪些{focus}" if plural else f"哪个{focus}"
    if wh == "what":
        return f"{focus}是多少" if number_focus else f"什么{focus}"
    return ""


def read_english(question: str, sources: list[Source], glossary: Glossary | None) -> EnglishReading:
    """The English question read into a Chinese question over these articles (see the module docstring)."""
    articles = Articles(sources)
    tokens = _tokens(question.strip())
    named = [m.chinese for m in _map(tokens, articles, glossary)
             if isinstance(m, Mapped) and m.chinese and m.via in ("name", "glossary")]
    people = articles.people(named)
    articles.prefer(people)
    wh, focus, rest = _wh(tokens)
    aux = bool(rest) and rest[0].text.casefold() in lex.AUXILIARIES
    if aux:
        rest = rest[1:]
    verb_at = next((i for i, t in enumerate(rest) if _is_verb(t)), None)
    focus_map = _map(focus, articles, glossary)
    subject_map = _map(rest[:verb_at] if verb_at is not None else rest, articles, glossary)
    # A phrasal verb is read whole when the lexicon has it (take part -> 参加, go online -> 上线).
    width = 2 if verb_at is not None and " ".join(t.lemma for t in rest[verb_at:verb_at + 2]) in lex.LEXICON else 1
    verb_map = _map(rest[verb_at:verb_at + width], articles, glossary) if verb_at is not None else []
    after = rest[verb_at + width:] if verb_at is not None else []
    # The object starts with a preposition (after a particle: set up | at forest entrances): an adverbial.
    lead = next((t for t in after if t.lemma in lex.PREPOSITIONS or t.lemma not in lex.STOPWORDS), None)
    adverbial = lead is not None and lead.lemma in lex.PREPOSITIONS and lead.lemma not in ("of", "to")
    object_map = _map(after, articles, glossary)
    focus_zh, subject_zh = _chinese(focus_map, articles), _chinese(subject_map, articles)
    verb_zh, object_zh = _chinese(verb_map, articles), _chinese(object_map, articles)
    if focus_zh == "职务" and verb_zh:  # What post does X hold / have: 担任, not 召开
        verb_zh = "担任"
    number_focus = any(t.lemma in lex.NUMBER_NOUNS for t in [*focus, *rest]) and wh == "what"
    plural = not focus or _plural(focus[-1])
    asked = _asked(wh, focus_zh, number_focus, plural)
    if not aux and wh:  # the question word is the subject: Who chaired X -> 谁主持了X
        chinese = (f"{asked}{subject_zh}在{object_zh}{verb_zh}" if adverbial
                   else f"{asked}{subject_zh}{verb_zh}了{object_zh}")
    elif verb_zh:  # When did X hold Y -> X什么时候召开Y; How many N did X find -> X发现多少个N
        if wh.startswith("how") or wh in ("which", "what"):
            # an adverbial (on its first day, in 2023) goes before the verb, the asked thing after it:
            # How many patients did X receive on its first day -> X首日接诊多少患者
            chinese = (f"{subject_zh}{object_zh}{verb_zh}{asked}" if adverbial
                       else f"{subject_zh}{verb_zh}{object_zh}{asked}")
        else:
            chinese = f"{subject_zh}{asked}{verb_zh}{object_zh}"
    else:  # Who is the head of X -> X局长是谁; How much is the fund -> 基金是多少
        tail = {"谁": "是谁", "什么时候": "是什么时候"}.get(asked) or (
            f"是{asked}" if asked.startswith(("多少", "什么")) else asked)
        chinese = f"{subject_zh}{object_zh}{tail}"
    chinese = (chinese or subject_zh) + "？"
    query = analyse(chinese)
    qtype = "number" if number_focus else _english_type(wh, focus, question)
    if qtype == "list" and wh == "which" and not plural:  # Which company did he visit: one, named
        qtype = "name"
    mapped = tuple(m for m in [*focus_map, *subject_map, *verb_map, *object_map] if isinstance(m, Mapped))
    # A word nothing could read stays a term no sentence states: a name (capitalised) weighs as the
    # rarest word of the question, another word as a median one. A question about a metro line
    # is then not answered by a sentence that only shares its district and its question word.
    rare, median = max((t.weight for t in query.terms), default=_idf()[1]), _idf()[1]
    terms = query.terms + tuple(Term(f"«{m.english}»", rare if m.english[:1].isupper() else median)
                                for m in mapped if not m.chinese)
    focus_read = tuple(m for m in focus_map if isinstance(m, Mapped))
    return EnglishReading(query=replace(query, qtype=qtype, lang="en", terms=terms), chinese=chinese, mapped=mapped,
                          focus=focus_read, people=people)


def naming_people(reading: EnglishReading, sources: list[Source]) -> list[int]:
    """Indexes of the sources whose article names every person the question names (all of them when the
    question names nobody, or no article names them all). A question about a named person is answered
    by a report naming them, whatever their rank: Which places did Hu Rongxin visit is not answered
    from the better-ranked reports on other leaders' visits. A rule beside the model, as `unnamed` is
    for a name no article spells: no feature says that the rest of the sentence's article is about
    someone else, and the rank features would otherwise outweigh the name (RESULTS-evals.md)."""
    kept = [i for i, s in enumerate(sources) if all(p in s.full_text for p in reading.people)] if reading.people else []
    return kept or list(range(len(sources)))


def keywords(reading: EnglishReading) -> str:
    """The Chinese words of a reading, for the keyword (BM25) side of search."""
    return " ".join(t.word for t in reading.query.terms if not t.word.startswith("«"))


def cross_lingual(question: str, search: Callable[[str | None], list[Hit]], glossary: Glossary | None) -> list[Hit]:
    """Hits for a question answered offline. A Chinese one: one search. An English one: dense search
    reads the English; the keyword side then searches the Chinese words of the question read over
    those first hits (names are found by their pinyin in them), and the two are fused as for a
    Chinese question. `search(keywords)` runs one search."""
    from bulletin_qa.answering.sources import build_sources

    first = search(None)
    if not first or is_cjk(question):
        return first
    words = keywords(read_english(question, build_sources(first), glossary))
    return search(words) if words else first
