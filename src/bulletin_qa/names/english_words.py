"""English words as the name checks read them, and the spellings of one name in English copy.

    words          word_tokens: each word as written, its letters (case-folded, ü as v, possessive
                   dropped) and its span; capitalised_runs: the runs a name is stated in
                   ("District Mayor Zhou Mingyuan", "Standing Committee of the District")
    pinyin shape   pinyin_shaped: a capitalised word that reads as pinyin (Huilin, Erqi), not English;
                   is_syllable: one toneless pinyin syllable (Hu, Zhuang)
    spellings      renders, loose_letters and normalise_people: "Fan Hui-lin", "Fan Hui Lin" and
                   "Fan Huilin" are one spelling; "Lü Anmin" and "Lv Anmin" are respelled "Lyu Anmin"

names/english.py checks the names a sentence states against a Chinese source with these; the
post checks (names/person_titles.py) and the English question reading (answering/) use them too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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


def is_syllable(word: str) -> bool:
    """True when letter-only `word` (Token.norm) is one toneless pinyin syllable: hu, zhuang, lyu."""
    return word in _syllables()


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
