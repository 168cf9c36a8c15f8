"""The retrieved articles as an English question is read over them (answering/english.py).

A name in the question is looked up where the answer must be: in the articles' own characters,
through their pinyin (Hewan -> 河湾, Lü Anmin -> 吕安民). A word with several renderings takes the
one the articles use, read first in the reports naming the question's people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bulletin_qa.text.chars import is_han

if TYPE_CHECKING:
    from bulletin_qa.answering.sources import Source


class Articles:
    """The retrieved articles' text, and the pinyin of every character of it (for names)."""

    def __init__(self, sources: list[Source]) -> None:
        self.texts = [s.full_text for s in sources]
        self.joined = "\n".join(self.texts)
        self._syllables: list[list[str]] | None = None
        self._named: dict[str, str] = {}  # name(): a question's words are read twice (names first, then in place)
        self._picking = self.texts  # the order `pick` reads them in

    def people(self, chinese: list[str]) -> tuple[str, ...]:
        """Those of `chinese` (the question's names, read into the articles' characters) that an article
        names as a person (names/people.py: 区长虎荣鑫, or a name known to jieba)."""
        from bulletin_qa.names.service import people_in

        named = {p for text in self.texts if any(c in text for c in chinese) for p in people_in(text)}
        return tuple(dict.fromkeys(c for c in chinese if c in named))

    def prefer(self, people: tuple[str, ...]) -> None:
        """`pick` reads first the articles naming all these people: Which places did Hu Rongxin visit is
        worded as his own report words it (察看), not as a better-ranked report on someone else (调研)."""
        self._picking = sorted(self.texts, key=lambda t: not all(p in t for p in people))

    def has(self, chinese: str) -> bool:
        """The articles state `chinese`."""
        return bool(chinese) and chinese in self.joined

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        """The option the best-ranked article using any of them uses (inspect -> 督导 when the first hit
        says 督导), else the first (the question's word, not the articles')."""
        for text in self._picking:
            found = next((o for o in options if o in text), None)
            if found:
                return found
        return options[0] if options else ""

    def name(self, spelled: str) -> str:
        """The Chinese characters (two or more, the most frequent) whose pinyin is `spelled`, or ""."""
        if spelled not in self._named:
            self._named[spelled] = self._read_name(spelled)
        return self._named[spelled]

    def _read_name(self, spelled: str) -> str:
        from pypinyin import lazy_pinyin

        from bulletin_qa.names.english_words import loose_letters

        target = loose_letters(spelled)  # Lü, Lv and Lyu Anmin all spell 吕安民 (syllables below write ü as yu)
        if len(target) < 4:  # "He", "Lu": one syllable names nothing reliably
            return ""
        if self._syllables is None:
            # errors=list: one item per non-Han character, so syllable i is character i. pypinyin's
            # stubs type the callback as returning str; it accepts a list (one item each).
            self._syllables = [[s.casefold().replace("v", "yu") for s in lazy_pinyin(t, errors=list)]  # type: ignore[arg-type]
                               for t in self.texts]
        counts: dict[str, int] = {}
        for text, sylls in zip(self.texts, self._syllables):
            for i in range(len(sylls)):
                got, j = "", i
                while j < len(sylls) and is_han(text[j]) and target.startswith(got + sylls[j]):
                    got += sylls[j]
                    j += 1
                    if got == target and j - i >= 2:
                        counts[text[i:j]] = counts.get(text[i:j], 0) + 1
                        break
        return max(counts, key=lambda c: (counts[c], len(c))) if counts else ""
