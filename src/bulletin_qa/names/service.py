"""One names service: people, titles, institutions and places of a text or a store, and their English.

    Names             the glossary + standard titles (titles.py) + people learned from articles;
                      `english(zh)`, `people_in(text)`, `titles_in(text)`, `glossary_for(text)`
    learn_people      people of a set of articles (people.py finding + bylines), with evidence
    store_names       the Names of a store, learned once per store revision (cached on disk) and
                      fed to jieba (text/words.add_names) so every cut keeps the names whole
    people_in         person names of a text: title-anchored, listed, or already known

Used by the glossary proposals, the English name checks of answers (names/english.py via
answering/citations.py), summaries and translations (writing/), chat's offline rewriting and
the BM25 tokens (retrieval/bm25.py builds its index after `store_names`).
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, Field

from bulletin_qa.names.glossary import Entry, Glossary
from bulletin_qa.names.people import Mention, find_people
from bulletin_qa.names.pinyin import person_pinyin
from bulletin_qa.names.titles import (
    GENERIC,
    institutions,
    render_phrase,
    split_titles,
    titles,
)
from bulletin_qa.text.sentences import split_sentences

if TYPE_CHECKING:
    from bulletin_qa.models import Article


class Store(Protocol):
    """What the names service needs of a store (index/store.Store has it; names/ sits below index/)."""

    cache_dir: Path
    location: str

    def ensure_revision(self) -> str | None:
        """The store's revision (written first when missing)."""

    def chunk_fingerprint(self) -> str:
        """A fingerprint of the stored chunks (stores without a revision)."""

    def list_articles(self) -> list[Article]:
        """Every stored article."""

# Confidence of a learned person by how it was found (raised a little by every further anchored
# mention). Bylines are parsed from the byline block, the surest source; a name after a standard
# title beats one after a generic role word (代表, 负责人), and a listed name is surest least.
CONFIDENCE = {"byline": 0.95, "title": 0.9, "role": 0.75, "list": 0.7}
_CACHE_VERSION = "1"
_MEMO: dict[str, Names] = {}
_LOADING = threading.Lock()


class Person(BaseModel):
    """A person learned from articles, with the evidence for the name and its English."""

    zh: str
    en: str
    count: int = Field(default=0, description="Mentions across the articles read (every later mention counted).")
    title: str = Field(default="", description="The title phrase it was found with most often (区委副书记、区长).")
    title_en: str = Field(default="", description="That title in English, parts joined by 'and'.")
    evidence: str = Field(default="", description="The sentence it was first found in.")
    how: str = Field(default="", description="byline, title, role or list.")
    confidence: float = 0.0
    article_ids: list[str] = Field(default_factory=list)

    @property
    def with_title(self) -> str:
        """Title and name in English: 'District Mayor Hu Rongxin' (the name alone without a title)."""
        return f"{self.title_en} {self.en}".strip()


def _sentence_of(text: str, mention: Mention) -> str:
    pos = 0
    for sentence in split_sentences(text):
        at = text.find(sentence, pos)
        if at <= mention.start < at + len(sentence) or at < 0:
            return sentence.strip()
        pos = max(pos, at)
    return text[max(0, mention.start - 40):mention.end + 40].strip()


def _article_text(article: Article) -> str:
    return "\n".join(p for p in (article.title, article.subtitle, article.text) if p)


def learn_people(articles: Iterable[Article], glossary: Glossary | None = None) -> dict[str, Person]:
    """People of `articles`: names after titles and roles, listed after them, or in bylines.

    Two passes: the first finds anchored names, the second counts every mention of them (樊惠林强调
    after 区委书记樊惠林). The English is the glossary's when it has the name, else pinyin.
    """
    arts = list(articles)
    people: dict[str, Person] = {}
    titles_seen: dict[str, Counter[str]] = {}
    known_titles = {**titles(), **(glossary.section("titles") if glossary else {})}
    for article in arts:
        text = _article_text(article)
        for name in dict.fromkeys(n.strip() for n in (*article.reporters, *article.correspondents)):
            if 2 <= len(name) <= 4 and name not in people:
                people[name] = Person(zh=name, en="", how="byline", confidence=CONFIDENCE["byline"],
                                      evidence=f"byline of {article.id}")
        for m in find_people(text):
            title_parts = split_titles(m.title)
            standard = bool(title_parts) and any(p in known_titles for p in title_parts)
            how = m.how if m.how == "list" else ("title" if standard else "role")
            person = people.get(m.name)
            if person is None:
                person = people[m.name] = Person(zh=m.name, en="", how=how, confidence=CONFIDENCE[how],
                                                 evidence=_sentence_of(text, m))
            elif CONFIDENCE[how] > person.confidence:
                person.how, person.confidence = how, CONFIDENCE[how]
            else:
                person.confidence = min(0.99, person.confidence + 0.02)
            if m.title and m.how != "list":
                titles_seen.setdefault(m.name, Counter())[m.title] += 1
    known = list(people)
    for article in arts:
        mentions = Counter(m.name for m in find_people(_article_text(article), known=known))
        for name in (*article.reporters, *article.correspondents):
            if name in people and name not in mentions:
                mentions[name] = 1
        for name, n in mentions.items():
            if name in people:
                people[name].count += n
                if article.id not in people[name].article_ids:
                    people[name].article_ids.append(article.id)
    glossary_people = glossary.section("people") if glossary else {}
    for person in people.values():
        person.en = glossary_people.get(person.zh) or person_pinyin(person.zh)
        if person.zh in titles_seen:
            person.title = titles_seen[person.zh].most_common(1)[0][0]
            person.title_en, _ = render_phrase(person.title, known_titles | _bodies(glossary))
    return people


def _bodies(glossary: Glossary | None) -> dict[str, str]:
    return glossary.section("institutions") if glossary else {}


@dataclass
class Names:
    """The glossary, the standard title table and known people: one English for every name."""

    glossary: Glossary = field(default_factory=Glossary)
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """A short key of the people known (changes when the store's names change)."""
        import hashlib

        joined = "\n".join(f"{p.zh}={p.en}" for p in sorted(self.people.values(), key=lambda p: p.zh))
        return hashlib.sha256(f"{self.glossary.hash}\n{joined}".encode()).hexdigest()[:10]

    def title_table(self) -> dict[str, str]:
        """Titles and institutions with their English: the standard table overridden by the glossary."""
        return {**titles(), **institutions(), **self.glossary.section("titles"),
                **self.glossary.section("institutions")}

    def known_people(self) -> list[str]:
        """Every person name known here: learned from the store, the glossary's, and those given to jieba."""
        from bulletin_qa.text.words import added_names

        return [*self.people, *self.glossary.section("people"), *added_names()]

    def people_in(self, text: str) -> list[str]:
        """Person names of `text` in order of first mention: known (known_people) and title-anchored."""
        return list(dict.fromkeys(m.name for m in find_people(text, known=self.known_people())))

    def english(self, zh: str) -> str:
        """The English of one name: glossary, then standard titles, then a known person's or any name's pinyin."""
        if zh in self.glossary.entries:
            return self.glossary.entries[zh].en
        table = self.title_table()
        if zh in table:
            return table[zh]
        return self.people[zh].en if zh in self.people else person_pinyin(zh)

    def titles_in(self, text: str) -> list[tuple[str, str]]:
        """(title or institution, English) occurring in `text`, longest match first, without repeats.

        Bare roles (院长, 主任, 记者: titles.GENERIC) are left out unless the glossary names them.
        """
        table = {zh: en for zh, en in self.title_table().items()
                 if zh not in GENERIC or zh in self.glossary.entries}
        found: dict[str, str] = {}
        covered = [False] * len(text)
        for zh in sorted(table, key=len, reverse=True):
            for m in re.finditer(re.escape(zh), text):
                if not any(covered[m.start():m.end()]):
                    found.setdefault(zh, table[zh])
                    for i in range(m.start(), m.end()):
                        covered[i] = True
        return list(found.items())

    def glossary_for(self, text: str, bylines: Iterable[str] = ()) -> Glossary:
        """The glossary plus the people (also `bylines`) and standard titles `text` names, for prompts and checks."""
        entries = dict(self.glossary.entries)
        for zh, en in self.titles_in(text):
            entries.setdefault(zh, Entry(zh=zh, en=en, section="titles"))
        for name in [*self.people_in(text), *(b.strip() for b in bylines if len(b.strip()) >= 2)]:
            entries.setdefault(name, Entry(zh=name, en=self.english(name), section="people"))
        return Glossary(entries=entries, path=self.glossary.path, hash=self.glossary.hash)


def people_in(text: str, names: Names | None = None) -> list[str]:
    """Person names of `text`: title-anchored ones and those already known (`names`, names given to jieba)."""
    from bulletin_qa.text.words import added_names

    known = [*added_names(), *((names.people if names else {}) or {})]
    return list(dict.fromkeys(m.name for m in find_people(text, known=known)))


def _cache_path(store: Store, revision: str) -> Path:
    return store.cache_dir / "names" / f"rev-{revision}-v{_CACHE_VERSION}.json"


def store_names(store: Store, glossary: Glossary | None = None, state: str | None = None) -> Names:
    """The Names of a store: people learned from all its articles once per revision, given to jieba.

    `state` is the store's revision (or chunk fingerprint) when the caller already has it.
    """
    revision = state or store.ensure_revision() or store.chunk_fingerprint()
    memo_key = f"{store.location}:{revision}:{glossary.hash if glossary else ''}"
    found = _MEMO.get(memo_key)
    if found is not None:
        return found
    with _LOADING:  # the server's reader threads: one learns (or reads) the names, the others wait for it
        found = _MEMO.get(memo_key)
        return found if found is not None else _load_names(store, glossary, revision, memo_key)


def _load_names(store: Store, glossary: Glossary | None, revision: str, memo_key: str) -> Names:
    """Read the store's learned people from the cache, or learn and cache them; memoise under memo_key."""
    from bulletin_qa.text.words import add_names

    path = _cache_path(store, revision)
    people: dict[str, Person] | None = None
    if path.is_file():
        try:
            people = {p["zh"]: Person(**p) for p in json.loads(path.read_text(encoding="utf-8"))}
        except (OSError, ValueError, TypeError, KeyError):
            people = None  # a damaged cache is relearned, never trusted
    if people is None:
        people = learn_people(store.list_articles(), glossary)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps([p.model_dump() for p in people.values()], ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    names = Names(glossary=glossary or Glossary(), people=people)
    add_names(names.people)
    _MEMO.clear()
    _MEMO[memo_key] = names
    return names
