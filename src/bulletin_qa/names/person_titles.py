"""Titles given to people in English text, checked against the titles the Chinese source gives them.

A small model moves titles between people and invents them: 区委书记樊惠林 came back as "Director
of the General Office of the District CPC Committee Fan Huilin" (the title of 王泽文, two lines
later), 区领导屈连武 as "District Director Qu Lianwu" (Qwen2.5-Coder-1.5B on the real Erqi page).
House style puts the title right before the name (names/titles.py), so the check reads, before
every rendering of a source person, the capitalised words back to the previous clause, person or
unknown pinyin word, picks out the standard title renderings in them (longest first: "Deputy
District Mayor" before "District Mayor"), and flags each one that renders none of the person's
titles in the source.

    expected   every part of every title phrase the source gives the person (区委常委、副区长 ->
               区委常委, 副区长), rendered by the glossary or the standard table, with and without
               the place (Secretary of the [Erqi] District CPC Committee); a bare role is accepted
               where it heads an expected rendering ("Deputy Secretary" of "Deputy Secretary of
               the Erqi District CPC Committee"); bylines are "reporter" and "correspondent"
    not judged people the source gives no recognisable title; words that are no standard title
               ("CEO", "Deputy Commandant"): the glossary cannot say they are wrong
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bulletin_qa.names.english_words import CONNECTORS, Token, letters, pinyin_shaped, word_tokens
from bulletin_qa.names.people import find_people
from bulletin_qa.names.titles import render_title, split_titles, titles

if TYPE_CHECKING:
    from bulletin_qa.names.service import Names

_HONORIFICS = frozenset({"mr", "ms", "mrs", "dr", "comrade"})
_GAP = re.compile(r"[ \t]*[,，]?[ \t]*")  # between words of one title list: "Mayor, Vice President, and"
_LONGEST_TITLE_WORDS = 14  # "Deputy Director of the Standing Committee of the District People's Congress" is 11
_LONGEST_SEGMENT = 24  # words read back from a name: a title list of two or three titles


@dataclass(frozen=True)
class WrongTitle:
    """A title the English gives a person that renders none of the person's titles in the source."""

    zh: str
    person: str
    written: str
    expected: tuple[str, ...]

    def __str__(self) -> str:
        said = "; ".join(self.expected)
        return (f"title “{self.written}” given to {self.person} ({self.zh}) is not a title the source gives "
                f"{self.person}: {said}")


def posts_given(source: str, people: Iterable[str] = (), bylines: Iterable[str] = ()) -> dict[str, list[str]]:
    """Person -> the parts of every title phrase `source` writes before their name, in order
    (区委常委、常务副区长屈连武 -> 屈连武: [区委常委, 常务副区长]); people given no title are left out."""
    found: dict[str, list[str]] = {}
    for mention in find_people(source, known=people, bylines=bylines):
        for part in split_titles(mention.title):
            held = found.setdefault(mention.name, [])
            if part not in held:
                held.append(part)
    return found


def source_titles(source: str, names: Names, bylines: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """Person -> {Chinese title part: its English} for every title phrase `source` gives them.

    `bylines` maps byline names to their role word (记者, 通讯员) when the byline is not in `source`.
    """
    known = {**titles(), **names.glossary.section("titles"), **names.glossary.section("institutions")}
    found: dict[str, dict[str, str]] = {}
    for name, parts in posts_given(source, names.known_people(), bylines or ()).items():
        for part in parts:
            english, _ = render_title(part, known)
            if english:
                found.setdefault(name, {})[part] = english
    for name, role in (bylines or {}).items():
        found.setdefault(name, {})[role] = titles().get(role, role)
    return found


def _forms(parts: dict[str, str], known: dict[str, str]) -> tuple[set[str], set[str]]:
    """(letter forms of the expected renderings, of the bare roles that head them)."""
    renderings = set(parts.values())
    for part in parts:
        if part in known:  # a standard title is rendered whole: 副区长 is no "District Mayor"
            continue
        rest = next((part[cut:] for cut in range(1, len(part)) if part[cut:] in known), "")
        if rest:
            renderings.add(known[rest])  # without the place: 二七区委书记 -> Secretary of the District CPC Committee
    heads = {en.split(" of ", 1)[0] for en in renderings if " of " in en}
    return {letters(en) for en in renderings}, {letters(h) for h in heads}


def wrong_titles(source: str, output: str, names: Names, *, bylines: dict[str, str] | None = None,
                 spelled: Iterable[str] = ()) -> list[WrongTitle]:
    """Titles `output` puts before a source person's name that render none of that person's titles.

    `spelled` (names.english.spelled_in_source) lets the reading go back over the source's own
    places written in pinyin (Erqi) instead of stopping there as at an unknown name.
    """
    known = {**titles(), **names.glossary.section("titles")}
    vocabulary = {letters(en): en for en in known.values() if letters(en)}
    given = source_titles(source, names, bylines)
    english = {zh: names.english(zh) for zh in given}
    person_words = {letters(w) for en in english.values() for w in en.split()}
    place_words = set(spelled)
    tokens = word_tokens(output)
    found: list[WrongTitle] = []
    for zh, parts in given.items():
        expected, heads = _forms(parts, {**known, **names.glossary.section("institutions")})
        target, width = letters(english[zh]), len(english[zh].split())
        for i in range(len(tokens)):
            if not target or "".join(t.norm for t in tokens[i:i + width]) != target:
                continue
            segment = _segment(tokens, i, output, person_words, place_words)
            for written in _titles_in(segment, vocabulary):
                if letters(written) not in expected | heads:
                    shown = tuple(f"{p} = “{en}”" for p, en in parts.items())
                    found.append(WrongTitle(zh, english[zh], written, shown))
    return list(dict.fromkeys(found))


def _segment(tokens: list[Token], at: int, output: str, person_words: set[str],
             place_words: set[str]) -> list[Token]:
    """The words before token `at` that may be its title: capitalised or connectors, one clause, no other name."""
    start = at
    while start > 0 and at - start < _LONGEST_SEGMENT:
        word, norm = tokens[start - 1].text, tokens[start - 1].norm
        gap = output[tokens[start - 1].end:tokens[start].start]
        honorific = norm in _HONORIFICS and gap.startswith(".")
        if not (honorific or _GAP.fullmatch(gap)):
            break
        if not (word[:1].isupper() or norm in CONNECTORS) or norm in person_words:
            break
        if pinyin_shaped(word) and norm not in place_words:  # an unknown name: the title before it is its own
            break
        start -= 1
    return [t for t in tokens[start:at] if t.norm not in _HONORIFICS]


def _titles_in(segment: list[Token], vocabulary: dict[str, str]) -> list[str]:
    """Standard title renderings among the words, longest match first, as written."""
    out: list[str] = []
    p = 0
    while p < len(segment):
        for q in range(min(len(segment), p + _LONGEST_TITLE_WORDS), p, -1):
            if "".join(t.norm for t in segment[p:q]) in vocabulary and segment[p].norm not in CONNECTORS:
                out.append(" ".join(t.text for t in segment[p:q]))
                p = q
                break
        else:
            p += 1
    return out


# A Chinese claim naming a post: 屈连武是区委副书记、区长 / 区长虎荣鑫 / 屈连武任常务副区长.
_STATES_POST = re.compile(r"^\s*(?:是|为|任|担任|系|现任)")
_CLAUSE_END = "，。；！？,;!?\n"
_NARROWING = ("副", "代")  # before a post they make another post: 副区长 is no 区长, 代区长 no 区长


def _posts(phrase: str, vocabulary: Sequence[str]) -> list[str]:
    """Known titles in `phrase`, longest match first, left to right: 二七区委副书记、区长 -> [区委副书记, 区长]."""
    out: list[str] = []
    p = 0
    while p < len(phrase):
        hit = next((t for t in vocabulary if phrase.startswith(t, p)), "")
        if hit:
            out.append(hit)
            p += len(hit)
        else:
            p += 1
    return out


def _holds(post: str, parts: Iterable[str]) -> bool:
    """Whether a title the source gives (one part of its title phrase) is `post`, up to what stands before it
    (a place: 二七区委副书记 is a 区委副书记; 常务: 常务副区长 is a 副区长), unless that makes another post."""
    return any(part == post or (part.endswith(post) and not part[: -len(post)].endswith(_NARROWING))
               for part in parts)


def wrong_titles_zh(given: Mapping[str, Collection[str]], claim: str,
                    vocabulary: Sequence[str]) -> list[tuple[str, str]]:
    """Posts a Chinese claim gives a person whom the source gives other posts: 屈连武是区委副书记、区长 when
    the source says 区委常委、常务副区长屈连武 (`given`: posts_given of the source). Only people the
    source gives a title are judged, and only known posts (`vocabulary`: the standard table's and the
    glossary's titles, longest first); each finding is (person, post)."""
    found: list[tuple[str, str]] = []
    for mention in find_people(claim, known=list(given)):
        if mention.name not in given:
            continue
        said = _posts(mention.title, vocabulary)
        after = claim[mention.end:]
        if _STATES_POST.match(after):
            clause = re.split(f"[{_CLAUSE_END}]", after, maxsplit=1)[0]
            said += _posts(clause, vocabulary)
        for post in said:
            if not _holds(post, given[mention.name]):
                found.append((mention.name, post))
    return list(dict.fromkeys(found))


def post_vocabulary(known: Iterable[str]) -> list[str]:
    """The known titles a Chinese claim is read for, longest first (区委副书记 before 区长)."""
    return sorted((t for t in known if len(t) >= 2), key=len, reverse=True)


# Title words that name a kind of person, not one post an article gives one person.
_NOT_A_POST = frozenset({"记者", "通讯员", "实习生", "区领导", "市领导", "负责人"})


def posts_asked(question: str) -> list[str]:
    """The posts a question names without a person beside them (区长到哪里检查安全生产？ -> [区长]; not
    区长虎荣鑫到哪里… nor 李国英部长要求…, which name the person): the question means whoever holds the post."""
    from bulletin_qa.text.words import tagged

    vocabulary = post_vocabulary(t for t in titles() if t not in _NOT_A_POST)
    named = {part for m in find_people(question) for part in split_titles(m.title)}
    words = tagged(question)
    ends = {b for _, b, _, _ in words}
    people_end = {b for _, b, _, flag in words if flag.startswith("nr")}
    out = []
    for post in dict.fromkeys(_posts(question, vocabulary)):
        at = question.find(post)
        if any(part.endswith(post) for part in named) or at in people_end:
            continue  # 区长虎荣鑫 and 李国英部长 name the person
        if at + len(post) not in ends:
            continue  # 省委常委 in 省委常委会 is a body, not a post
        out.append(post)
    return out


def holders(post: str, given: Mapping[str, Collection[str]]) -> tuple[str, ...]:
    """The people `given` (posts_given of a source) holds `post` for: 区长 -> (虎荣鑫,) over 二七区委副书记、区长虎荣鑫;
    a 副区长 does not hold 区长."""
    return tuple(name for name, parts in given.items() if _holds(post, parts))
