"""Names in English answer sentences, checked against the English renderings of a Chinese source's names.

An English sentence cannot be compared word for word with its Chinese source, but the names it
states can: "Fan Huilin" must be the pinyin of a person the cited article names (樊惠林), "Hewan
District" a place it names (河湾区), "Standing Committee of the District People's Congress" the
glossary rendering of a term it contains (区人大常委会).

    stated names   capitalised word runs of the sentence ("District Mayor Zhou Mingyuan")
    renderings     of the cited source: glossary entries and standard titles (names/titles.py)
                   whose term occurs in it, its people (names/people.py, the names service) as
                   their glossary/pinyin rendering and surname, its places (jieba ns, place_english)
    unsupported    a run's words not covered by renderings that are pinyin-shaped (Zhou, Mingyuan),
                   or that spell a glossary rendering of a term the cited source does not contain;
                   pinyin of the source's own characters (spelled_in_source: 郑飞 Zhengfei) is no
                   unknown name unless it stands after a surname, where a given name stands
    respelling     normalise_people writes other spellings of a person's syllables (Lü Anmin,
                   Fan Hui Lin) as the rendering, for summaries and translations

Comparison is on letters only, case-folded, across word boundaries, so "Fan Hui-lin", "Fan Hui Lin"
and "Fan Huilin" are one spelling; any other letters are another rendering and flagged: "Hu Renxin",
"Rong Xin" (the given name alone, split) or "Lu Anmin" for 吕安民 (Lyu Anmin by the ü convention).
Capitalised English words the glossary does not know ("Internet Hospital") cannot be checked
against Chinese text and are let through.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bulletin_qa.names.pinyin import PLACE_SUFFIXES, place_english
from bulletin_qa.text.chars import HAN, all_han

if TYPE_CHECKING:
    from bulletin_qa.models import Article
    from bulletin_qa.names.glossary import Glossary
    from bulletin_qa.names.service import Names

# Small words that may sit inside a name ("Secretary of the District CPC Committee") and are
# never names themselves.
CONNECTORS = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "by", "with"})
# Capitalised words that are not names of anything a source must state: calendar words, the
# country and party, honorifics, sentence openers. Kept small on purpose: every word here is one
# the checker can no longer catch.
NOT_NAMES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "china", "chinese", "prc", "cpc", "communist", "party", "mr", "mrs", "ms", "dr", "i",
    "he", "she", "it", "we", "they", "his", "her", "its", "their", "this", "that", "these", "those",
    "there", "here", "according", "meanwhile", "also", "after", "before", "during", "since",
})
# English words that happen to split into pinyin syllables (na-me, gui-de) and are common in
# answers; without this list a capitalised "Name" or "Line" would be checked as a Chinese name.
ENGLISH_PINYIN_SHAPED = frozenset({
    "name", "names", "same", "game", "line", "lane", "mine", "nine", "guide", "change", "dance", "chance",
    "man", "men", "can", "ran", "ban", "pan", "tan", "bin", "gene", "home", "one", "none", "done", "zone",
    "sun", "hang", "long", "bang", "gang", "sang", "lie", "die", "tie", "pie", "me", "ne", "le",
    "de", "ge", "he", "she", "a", "o", "e", "ai", "an", "ang", "ou", "yes", "you", "yuan", "shenme",
})
# Latin letters with diacritics are words too: "Lü" is one word, folded to "lv". Summaries and
# translations respell "Lü Anmin" and "Lv Anmin" as the convention's "Lyu Anmin" first
# (normalise_people); where nothing respells (answers), they are another rendering and flagged.
_WORD = re.compile(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'’-]*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_GAP = re.compile(r"\s*")
# Single-character suffixes jieba leaves after a place stem (河湾 ns + 区 n): 河湾区.
_PLACE_TAILS = {zh for zh, _ in PLACE_SUFFIXES if len(zh) == 1}
_LONGEST_NAME_WORDS = 12
_LONGEST_SPELLED = 6  # characters: 百年德化风情 is as long as a place or company name gets before its kind


@dataclass(frozen=True)
class Token:
    """One word: as written, its letters case-folded, and its span."""

    text: str
    norm: str  # letters(text)
    start: int
    end: int

    @property
    def skippable(self) -> bool:
        """Words that are never names on their own (connectors, months, 'China', ...)."""
        return self.norm in CONNECTORS or self.norm in NOT_NAMES


def letters(text: str) -> str:
    """Letters only, case-folded, possessive dropped: "People's" -> "people", "Hui-lin" -> "huilin"."""
    return "".join(
        re.sub(r"[^a-z]", "", _fold(_POSSESSIVE.sub("", w).casefold())) for w in _WORD.findall(text))


def word_tokens(text: str) -> list[Token]:
    """Every word of `text`, as written and as letters, with its span: the words the name checks compare."""
    return [Token(m.group(), letters(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def _fold(word: str) -> str:
    """ü -> v (pinyin's keyboard spelling), other accents dropped: "lü" -> "lv", "é" -> "e"."""
    word = word.replace("ü", "v")
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable, from pypinyin's character table (ü written u and v)."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFD", reading.replace("ü", "v"))
            out.add("".join(ch for ch in plain if not unicodedata.combining(ch)))
    out |= {s.replace("v", "u") for s in out} | {"lyu", "nyu"}
    # Interjections without a vowel (m, ng, hm) never occur in names and would make "Room" pinyin.
    return frozenset(s for s in out if s.isalpha() and re.search("[aeiouv]", s))


def pinyin_shaped(word: str) -> bool:
    """True when a capitalised word reads as pinyin (Huilin, Erqi, Zhou) rather than English."""
    if len(word) < 2 or (word.isupper() and len(word) > 1):  # acronyms: CPC, CPPCC
        return False
    norm = letters(word)
    if not norm or norm in ENGLISH_PINYIN_SHAPED or norm in NOT_NAMES or norm in CONNECTORS:
        return False
    syllables = _syllables()
    ok = [True] + [False] * len(norm)  # ok[i]: norm[:i] splits into syllables
    for i in range(1, len(norm) + 1):
        # Pinyin writes an apostrophe before a syllable opening with a, o or e (Xi'an), so inside
        # a word such a syllable cannot follow another: "Reading" is not re-a-ding.
        ok[i] = any(ok[j] and norm[j:i] in syllables and (j == 0 or norm[j] not in "aoe")
                    for j in range(max(0, i - 6), i))
    return ok[-1]


def capitalised_runs(sentence: str) -> list[list[Token]]:
    """Runs of capitalised words, joined by spaces and inner connectors: "Standing Committee of the District"."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    last_end = -1
    for token in word_tokens(sentence):
        adjacent = last_end >= 0 and _GAP.fullmatch(sentence[last_end:token.start]) is not None
        if token.text[0].isupper():
            if not (current and adjacent):
                _close(current, runs)
                current = []
            current.append(token)
        elif token.norm in CONNECTORS and current and adjacent:
            current.append(token)
        else:
            _close(current, runs)
            current = []
        last_end = token.end
    _close(current, runs)
    return runs


def _close(run: list[Token], runs: list[list[Token]]) -> None:
    """Keep a run without its trailing connectors (a connector ends no name)."""
    while run and run[-1].norm in CONNECTORS and not run[-1].text[0].isupper():
        run.pop()
    if run:
        runs.append(list(run))


def source_renderings(art: Article, given_text: str, glossary: Glossary | None,
                      names: Names | None = None) -> frozenset[str]:
    """Letter-only English forms of the names an article states in its title, subtitle and `given_text`
    (the part of it given as a source): glossary entries, standard titles, person and place pinyin.

    People are those names/people.py finds in the whole article (so 虎荣鑫强调 in the given part
    is known from 区长虎荣鑫 earlier) plus the store's known people (`names`), kept when the given
    part names them. A person's forms are the full name and the surname alone (Hu Rongxin, Hu):
    the given name alone (Rongxin) or split (Rong Xin) is not how English copy names anyone.
    """
    from bulletin_qa.names.service import Names
    from bulletin_qa.text.words import tagged

    if names is None:
        names = Names(glossary=glossary) if glossary is not None else Names()
    text = "\n".join(p for p in (art.title, art.subtitle, given_text) if p)
    forms: set[str] = set()
    # Every entry whose term occurs, also inside a longer one: 区委书记 states 区委 too.
    forms |= {letters(en) for zh, en in names.title_table().items() if zh in text}
    forms |= {letters(e.en) for e in names.glossary.entries.values() if e.zh in text}
    people = source_people(art, given_text, names)
    words = tagged(text)
    for i, (_, end, word, flag) in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        joined = nxt is not None and nxt[0] == end
        if flag.startswith("ns") and len(word) >= 2 and not any(word in p for p in people):
            forms |= _place_forms(word)
            if nxt and joined and nxt[2] in _PLACE_TAILS:
                forms |= _place_forms(word + nxt[2])  # 河湾 ns + 区 n
    for person in people:
        forms |= _person_forms(person, names)
    return frozenset(f for f in forms if f)


def source_people(art: Article, given_text: str, names: Names) -> list[str]:
    """The people of an article stated in its title, subtitle and `given_text`, bylines included.

    Found in the whole article (names/people.py), so 虎荣鑫强调 in the given part is known from
    区长虎荣鑫 earlier.
    """
    text = "\n".join(p for p in (art.title, art.subtitle, given_text) if p)
    whole = "\n".join(p for p in (art.title, art.subtitle, art.text, given_text) if p)
    people = [p.strip() for p in (*art.reporters, *art.correspondents) if p.strip()]
    return list(dict.fromkeys(people + [p for p in names.people_in(whole) if p in text]))


def _person_forms(name: str, names: Names) -> set[str]:
    """樊惠林 -> fanhuilin (the rendering) and fan (the surname alone, for second references)."""
    if not all_han(name):
        return {letters(name)}
    english = names.english(name)
    family = english.split(" ", 1)[0]
    return {letters(english), letters(family)}


def _place_forms(name: str) -> set[str]:
    """二七区 -> erqidistrict and the bare stem erqi."""
    english = place_english(name)
    forms = {letters(english)}
    for zh, _ in PLACE_SUFFIXES:
        if name.endswith(zh) and len(name) > len(zh):
            forms.add(letters(place_english(name[: -len(zh)])))
            break
    return forms


def _cover(run: list[Token], known: frozenset[str]) -> list[bool]:
    """For each word of the run, whether it is explained: part of a known rendering, or never a name.

    Dynamic programming over the run minimises the unexplained words, so "District Mayor Fan
    Huilin" is read as the renderings "District Mayor" + "Fan Huilin".
    """
    n = len(run)
    start: list[bool] = []
    unreached: list[bool] = []
    best: list[tuple[int, list[bool]]] = [(0, start)] + [(n + 1, unreached)] * n
    for i in range(1, n + 1):
        cost, marks = best[i - 1]
        token = run[i - 1]
        best[i] = (cost + (0 if token.skippable else 1), marks + [token.skippable])
        for j in range(max(0, i - _LONGEST_NAME_WORDS), i):
            if "".join(t.norm for t in run[j:i]) in known and best[j][0] < best[i][0]:
                best[i] = (best[j][0], best[j][1] + [True] * (i - j))
    return best[n][1]


def _text(sentence: str, tokens: list[Token]) -> str:
    return sentence[tokens[0].start:tokens[-1].end]


def _is_surname_word(token: Token, nxt: Token) -> bool:
    """True for a single pinyin syllable written as a capitalised surname right before `nxt` (Hu Renxin)."""
    return (token.text[:1].isupper() and token.norm in _syllables() and not token.skippable
            and nxt.start - token.end <= 1 and len(token.norm) <= 6)  # 6: the longest syllable, zhuang


def _spelled_out(run: list[Token], explained: list[bool], spelled: frozenset[str]) -> None:
    """Mark as explained the longest stretches of unexplained words that spell characters of the source."""
    i = 0
    while i < len(run):
        if explained[i]:
            i += 1
            continue
        after_surname = i > 0 and _is_surname_word(run[i - 1], run[i])
        for j in range(min(len(run), i + _LONGEST_SPELLED), i, -1):
            if not after_surname and not any(explained[i:j]) and "".join(t.norm for t in run[i:j]) in spelled:
                explained[i:j] = [True] * (j - i)
                i = j - 1
                break
        i += 1


def _english_opener(run: list[Token], opener: int) -> bool:
    """A lone capitalised word opening the sentence, of more than one syllable: an English word
    capitalised by grammar ("Ensure that ...", "Media report: ..."), since English copy writes a
    Chinese person in two words and a one-word place of the source is explained already."""
    return len(run) == 1 and run[0].start == opener and run[0].norm not in _syllables()


def unsupported_names(sentence: str, known: frozenset[str], glossary: Glossary | Names | None = None,
                      spelled: frozenset[str] = frozenset()) -> list[str]:
    """Names `sentence` states that no rendering in `known` accounts for, as written in the sentence.

    With `glossary` (or the Names service), a glossary or standard-title rendering of a term the
    source does not contain is flagged too: it names something of another source. Words that spell
    characters of the source (`spelled`, from `spelled_in_source`) are its places and companies in
    pinyin, unless they stand where a given name does, right after a surname (Hu Renxin).
    """
    other: set[str] = set()
    if glossary is not None:
        from bulletin_qa.names.service import Names

        names = glossary if isinstance(glossary, Names) else Names(glossary=glossary)
        other = {letters(en) for en in names.title_table().values()}
        other |= {letters(e.en) for e in names.glossary.entries.values()}
    other -= known
    found: list[str] = []
    first = _WORD.search(sentence)
    opener = first.start() if first else -1
    for run in capitalised_runs(sentence):
        explained = _cover(run, known)
        if spelled:
            _spelled_out(run, explained, spelled)
        # A glossary rendering of a term the source does not contain: another source's name.
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + _LONGEST_NAME_WORDS) + 1):
                if not all(explained[i:j]) and "".join(t.norm for t in run[i:j]) in other:
                    found.append(_text(sentence, run[i:j]))
        # Unexplained pinyin-shaped words: a person or place the source does not name.
        group: list[Token] = []
        for index, (token, ok) in enumerate([*zip(run, explained), (None, True)]):
            if token is not None and not ok:
                group.append(token)
                continue
            if any(pinyin_shaped(t.text) for t in group) and not _english_opener(run, opener):
                # A known surname just before a wrong given name is part of the wrong rendering:
                # "Hu Renxin" is reported whole, not as "Renxin".
                start = index - len(group)
                if start > 0 and _is_surname_word(run[start - 1], group[0]):
                    group = [run[start - 1], *group]
                found.append(_text(sentence, group))
            group = []
    return [name for name in dict.fromkeys(found) if not any(name != other_name and name in other_name
                                                              for other_name in found)]


def spelled_in_source(text: str, people: Iterable[str] = ()) -> frozenset[str]:
    """Letter-only pinyin of every 2-6 character Han stretch of `text` outside its people's names.

    A capitalised pinyin word that spells characters of the source is the source's own place or
    company written in pinyin (郑州火车站 -> "Zhengzhou Railway Station", 郑飞建材 -> "Zhengfei"), even
    when jieba tagged no place there. People are masked out first: their names are checked as
    names (a garbled given name must not pass because its syllables occur in the source), and one
    character is too little (zheng is 郑, 正, 政 ...). ü is kept in every spelling: lyu, lv, lu.
    """
    from bulletin_qa.names.pinyin import syllables

    masked = text
    for person in sorted({p for p in people if p}, key=len, reverse=True):
        masked = masked.replace(person, "\n" * len(person))
    forms: set[str] = set()
    for run in re.findall(f"[{HAN}]{{2,}}", masked):
        spelt = [re.sub(r"[^a-z]", "", s) for s in syllables(run)]
        for i in range(len(spelt)):
            for j in range(i + 2, min(len(spelt), i + _LONGEST_SPELLED) + 1):
                joined = "".join(spelt[i:j])
                forms |= {joined, joined.replace("yu", "v"), joined.replace("yu", "u")} if "yu" in joined else {joined}
    return frozenset(forms)


def renders(english: str, output: str) -> bool:
    """True when `output` writes `english` as whole words (letters compared: "Fan Hui-lin's" renders Fan Huilin)."""
    target = letters(english)
    norms = [letters(w) for w in _WORD.findall(output)]
    width = len(english.split()) + 3  # a name split into syllables: "Hu Rong Xin"
    return bool(target) and any("".join(norms[i:j]) == target
                                for i in range(len(norms)) for j in range(i + 1, min(len(norms), i + width) + 1))


def loose_letters(text: str) -> str:
    """Letters with ü spelt one way (lü, lv, lyu -> lyu): the key under which spellings of one name agree."""
    return re.sub(r"([ln])(?:yu|v)", r"\1yu", letters(text))


def normalise_people(output: str, people: dict[str, str]) -> tuple[str, list[str]]:
    """`output` with every other spelling of a person's rendering replaced by it, and a note per change.

    Only spellings of the same syllables change: "Lü Anmin" or "Lv Anmin" -> "Lyu Anmin" (ü by the
    convention of names/pinyin.py), "Fan Hui Lin" or "Fan Hui-lin" -> "Fan Huilin". "Lu Anmin" is
    another name (卢 or 陆, not 吕) and stays, for the checks to flag.
    """
    notes: list[str] = []
    for zh, english in people.items():
        key, width = loose_letters(english), len(english.split()) + 3
        if not key:
            continue
        tokens = list(_WORD.finditer(output))
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            for j in range(min(len(tokens), i + width), i, -1):
                gaps = [output[tokens[k].end():tokens[k + 1].start()] for k in range(i, j - 1)]
                spelled = loose_letters(" ".join(t.group() for t in tokens[i:j]))
                if all(g in (" ", "-") for g in gaps) and spelled == key:
                    spans.append((tokens[i].start(), tokens[j - 1].end()))
                    i = j - 1
                    break
            i += 1
        for start, end in reversed(spans):
            written = _POSSESSIVE.sub("", output[start:end])
            if written != english:
                notes.append(f"spelling changed: {zh} was written “{written}”, now the glossary's “{english}”")
                output = output[:start] + english + output[start + len(written):]
    return output, list(dict.fromkeys(notes))
