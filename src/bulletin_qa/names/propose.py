"""Proposed glossary entries for names found in articles, written to a review file (never merged silently).

People come from names/people.py (title + name, lists, bylines: never jieba's nr tag), titles
and institutions from the standard table of names/titles.py and the title phrases people were
found with, places and organisations from jieba's tags (ns, nt). English: people in pinyin,
surname first, given name joined (樊惠林 -> Fan Huilin), titles in the house style, places as
pinyin plus the English for their suffix (二七区 -> Erqi District), organisations likewise but
flagged for review, since institutions have official English names that transliteration cannot guess.
# SEE: GB/T 28039-2011 (Chinese phonetic alphabet spelling rules for Chinese names).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from bulletin_qa.models import Article
from bulletin_qa.names.glossary import SECTIONS, Glossary, toml_string
from bulletin_qa.names.pinyin import (  # noqa: F401 - re-exported: older imports name them here
    COMPOUND_SURNAMES,
    ORG_SUFFIXES,
    PLACE_SUFFIXES,
    SURNAME_READINGS,
    person_pinyin,
    place_english,
    with_suffix,
)
from bulletin_qa.names.service import Names, Person, learn_people
from bulletin_qa.names.titles import institutions, render_title, split_titles, titles
from bulletin_qa.text.chars import all_han

# Bare role words (主任, 记者) are parts of titles, not entries of their own.
ROLE_WORDS = frozenset({"主任", "副主任", "局长", "副局长", "院长", "校长", "所长", "部长", "书记", "副书记", "主席",
                        "副主席", "负责人", "记者", "通讯员", "实习生", "区领导", "市领导", "总经理", "董事长"})

# Places and institutions still come from jieba's tags (ns, nt); people come from names/people.py.
_TAG_SECTION = {"ns": "places", "nt": "institutions"}


class Proposal(BaseModel):
    """A proposed glossary entry with the evidence for it."""

    zh: str
    en: str
    section: str
    count: int = Field(description="Mentions across the articles read.")
    article_ids: list[str] = Field(default_factory=list, description="Up to three articles that mention it.")
    note: str = Field(default="", description="How the name was found and how sure the rendering is.")
    evidence: str = Field(default="", description="The sentence the name was found in.")
    title: str = Field(default="", description="People: the title it was found with (区委副书记、区长).")
    with_title: str = Field(default="", description="People: title and name in English (District Mayor Hu Rongxin).")
    confidence: float = Field(default=0.0, description="0-1: how sure the entry is a name of its kind, rendered right.")


def _is_name(word: str) -> bool:
    return 2 <= len(word) <= 12 and all_han(word)


def find_names(articles: list[Article],
               exclude: frozenset[str] = frozenset()) -> dict[tuple[str, str], tuple[int, list[str], str]]:
    """(section, name) -> (mentions, article ids, how found) for places and institutions (jieba ns/nt).

    Words that are, or sit inside, one of `exclude` (the people found) are skipped: jieba tags
    安民 of 吕安民 and 爱国 of 李爱国 as places.
    """
    from bulletin_qa.text.words import tagged

    counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    how: dict[tuple[str, str], str] = {}
    for article in articles:
        text = f"{article.title}\n{article.subtitle}\n{article.text}"
        for start, end, tagged_word, flag in tagged(text):
            section = _TAG_SECTION.get(flag[:2])
            word = tagged_word.strip()
            if section is None or not _is_name(word) or any(word in p for p in exclude):
                continue
            if any(text.find(p, max(0, start - 3)) in range(max(0, start - 3), end) for p in exclude):
                continue  # part of a person's name cut differently (虎 | 荣鑫)
            if section == "places":
                word = _place_at(text, word, end)
                if not word:
                    continue
            key = (section, word)
            counts[key] += 1
            how.setdefault(key, f"jieba tag {flag}")
            if article.id not in where[key]:
                where[key].append(article.id)
    return {key: (n, where[key], how[key]) for key, n in counts.items()}


def _place_at(text: str, word: str, end: int) -> str:
    """The place a jieba ns word names, anchored on a place suffix (河湾 + 区 -> 河湾区), or '' when none.

    jieba's ns tag alone is too loose for a glossary (城市, 扎根, 加大力度 are tagged ns on the real
    page), so a place needs its kind: a suffix in the word with a stem of two characters or more,
    or right after it in the text.
    """
    for zh, _ in PLACE_SUFFIXES:
        if word.endswith(zh) and len(word) - len(zh) >= 2:
            return word
    for zh, _ in PLACE_SUFFIXES:
        if text.startswith(zh, end) and len(word) >= 2:
            return word + zh
    return ""


def _people(articles: list[Article], glossary: Glossary) -> tuple[list[Proposal], dict[str, Person]]:
    people = learn_people(articles, glossary)
    known = glossary.section("people")
    out = [Proposal(zh=p.zh, en=p.en, section="people", count=p.count, article_ids=p.article_ids[:3],
                    note=f"{p.how}; pinyin, surname first", evidence=p.evidence, title=p.title,
                    with_title=p.with_title if p.title_en else "", confidence=round(p.confidence, 2))
           for p in people.values() if p.zh not in known]
    return out, people


def _titles(articles: list[Article], glossary: Glossary, people: dict[str, Person]) -> list[Proposal]:
    """Standard titles and institutions the articles use, and title parts found before names."""
    names = Names(glossary=glossary)
    table = {**titles(), **institutions()}
    found: dict[str, Proposal] = {}
    for article in articles:
        text = f"{article.title}\n{article.subtitle}\n{article.text}"
        for zh, en in names.titles_in(text):
            if zh in glossary.entries or zh not in table or zh in ROLE_WORDS:
                continue
            section = "titles" if zh in titles() else "institutions"
            p = found.setdefault(zh, Proposal(zh=zh, en=en, section=section, count=0, confidence=0.9,
                                              note="standard rendering (house style, names/titles.py)"))
            p.count += text.count(zh)
            if article.id not in p.article_ids and len(p.article_ids) < 3:  # three examples, as for people
                p.article_ids.append(article.id)
    for person in people.values():
        for part in split_titles(person.title):
            if part in glossary.entries or part in found or part in table or part in ROLE_WORDS:
                continue
            en, standard = render_title(part, {**glossary.section("titles"), **glossary.section("institutions")})
            if not en:
                continue
            found[part] = Proposal(
                zh=part, en=en, section="titles", count=1, article_ids=person.article_ids[:1],
                evidence=person.evidence, confidence=0.8 if standard else 0.4,
                note=("composed from a standard institution and role" if standard
                      else "only the role is standard: put the institution's official English in front"))
    return list(found.values())


def propose(articles: list[Article], glossary: Glossary, *, min_count: int = 1) -> list[Proposal]:
    """Proposals for names in `articles` that the glossary does not cover, by section, most mentioned first.

    People come with the title they were found with and the pair in English ("区长虎荣鑫 ->
    District Mayor Hu Rongxin"), each proposal with its evidence sentence and a confidence.
    """
    known = list(glossary.entries)
    proposals, people = _people(articles, glossary)
    proposals += _titles(articles, glossary, people)
    names = find_names(articles, frozenset(people))
    # jieba may tag one word both ways; the review file can hold one rendering per term, so the
    # more frequent tag wins and the note names the other.
    best: dict[str, tuple[str, int]] = {}
    for (section, name), (count, _, _) in names.items():
        if name not in best or count > best[name][1]:
            best[name] = (section, count)
    taken = {p.zh for p in proposals}
    for (section, name), (count, ids, how) in names.items():
        # A name inside a known term (二七 in 二七区) is already rendered by that term's entry.
        if best[name][0] != section or name in taken or any(name in term for term in known):
            continue
        if section == "places":
            english, matched = with_suffix(name, PLACE_SUFFIXES)
            note = f"{how}; pinyin" + (" + suffix" if matched else ", kind of place unknown")
            confidence = 0.6 if matched else 0.3
        else:
            english, _ = with_suffix(name, ORG_SUFFIXES)
            note, confidence = f"{how}; transliterated - replace with the official English name", 0.3
        others = sorted(s for s, n in names if n == name and s != section)
        if others:
            note += f"; also tagged as {', '.join(others)}"
        proposals.append(Proposal(zh=name, en=english, section=section, count=count, article_ids=ids[:3],
                                  note=note, confidence=confidence))
    order = {s: i for i, s in enumerate(SECTIONS)}
    proposals = [p for p in proposals if p.count >= min_count]
    proposals.sort(key=lambda p: (order[p.section], -p.count, p.zh))
    return proposals


def review_text(proposals: list[Proposal], articles_read: int) -> str:
    """The review file: valid glossary TOML, one commented line per proposal."""
    lines = [
        "# Proposed glossary entries: review before merging.",
        "# Delete the lines you do not want, correct the English, then merge with:",
        "#   bulletin-qa glossary add --from THIS_FILE",
        f"# Found in {articles_read} article(s); each line says how often and where.",
    ]
    for section in SECTIONS:
        chosen = [p for p in proposals if p.section == section]
        if not chosen:
            continue
        lines += ["", f"[{section}]"]
        for p in chosen:
            pair = f"; {p.title}{p.zh} -> {p.with_title}" if p.with_title else ""
            evidence = f"; “{p.evidence[:60]}”" if p.evidence else ""
            lines.append(f"{toml_string(p.zh)} = {toml_string(p.en)}  "
                         f"# {p.count}x, confidence {p.confidence:.2f}, {p.note}{pair}; "
                         f"e.g. {', '.join(p.article_ids)}{evidence}".replace("\n", " "))
    return "\n".join(lines) + "\n"


def write_review(proposals: list[Proposal], path: Path, articles_read: int) -> None:
    """Write the review file (replacing an older one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(review_text(proposals, articles_read), encoding="utf-8")

