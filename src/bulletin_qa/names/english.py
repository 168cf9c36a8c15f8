"""Names in English answer sentences, checked against the English renderings of a Chinese source's names.

An English sentence cannot be compared word for word with its Chinese source, but the names it
states can: "Fan Huilin" must be the pinyin of a person the cited article names (樊惠林), "Hewan
District" a place it names (河湾区), "Standing Committee of the District People's Congress" the
glossary rendering of a term it contains (区人大常委会).

    stated names   capitalised word runs of the sentence ("District Mayor Zhou Mingyuan"), read by
                   names/english_words.py (capitalised_runs, letters, pinyin_shaped)
    renderings     of the cited source: glossary entries and standard titles (names/titles.py)
                   whose term occurs in it, its people (names/people.py, the names service) as
                   their glossary/pinyin rendering and surname, its places (jieba ns, place_english)
    unsupported    a run's words not covered by renderings that are pinyin-shaped (Zhou, Mingyuan),
                   or that spell a glossary rendering of a term the cited source does not contain;
                   pinyin of the source's own characters (spelled_in_source: 郑飞 Zhengfei) is no
                   unknown name unless it stands after a surname, where a given name stands
    respelling     english_words.normalise_people writes other spellings of a person's syllables (Lü Anmin,
                   Fan Hui Lin) as the rendering, for summaries and translations

Comparison is on letters only, case-folded, across word boundaries, so "Fan Hui-lin", "Fan Hui Lin"
and "Fan Huilin" are one spelling; any other letters are another rendering and flagged: "Hu Renxin",
"Rong Xin" (the given name alone, split) or "Lu Anmin" for 吕安民 (Lyu Anmin by the ü convention).
Capitalised English words the glossary does not know ("Internet Hospital") cannot be checked
against Chinese text and are let through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bulletin_qa.names.english_words import Token, capitalised_runs, is_syllable, letters, pinyin_shaped, word_tokens
from bulletin_qa.names.pinyin import PLACE_SUFFIXES, place_english
from bulletin_qa.text.chars import HAN, all_han

if TYPE_CHECKING:
    from bulletin_qa.models import Article
    from bulletin_qa.names.glossary import Glossary
    from bulletin_qa.names.service import Names

# Single-character suffixes jieba leaves after a place stem (河湾 ns + 区 n): 河湾区.
_PLACE_TAILS = {zh for zh, _ in PLACE_SUFFIXES if len(zh) == 1}
_LONGEST_NAME_WORDS = 12
_LONGEST_SPELLED = 6  # characters: 百年德化风情 is as long as a place or company name gets before its kind


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
    return (token.text[:1].isupper() and is_syllable(token.norm) and not token.skippable
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
    return len(run) == 1 and run[0].start == opener and not is_syllable(run[0].norm)


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
    words = word_tokens(sentence)
    opener = words[0].start if words else -1
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


