"""Proposed glossary entries for names found in articles, written to a review file (never merged silently).

Names come from jieba's part-of-speech tags (nr person, ns place, nt organisation) and from the
bylines; English proposals come from pypinyin: people surname first with the given name joined
(樊惠林 -> Fan Huilin), places as pinyin plus the English for their suffix (二七区 -> Erqi
District), organisations likewise but flagged for review, since institutions have official
English names that transliteration cannot guess.
# SEE: GB/T 28039-2011 (Chinese phonetic alphabet spelling rules for Chinese names).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from bulletin_qa.names.glossary import SECTIONS, Glossary, toml_string
from bulletin_qa.models import Article

# Two-character surnames: the whole pair is the family name (欧阳修 -> Ouyang Xiu).
COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯",
                     "长孙", "宇文", "司徒", "轩辕", "端木", "申屠", "闻人", "澹台", "万俟", "西门", "南宫"}
# Surname characters whose everyday reading differs from the surname reading (单 dan -> Shan).
SURNAME_READINGS = {"单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "乐": "yue",
                    "区": "ou", "翟": "zhai", "盖": "ge", "缪": "miao", "覃": "qin", "尉迟": "yuchi",
                    "长孙": "zhangsun", "万俟": "moqi", "秘": "bi", "召": "shao", "折": "she", "员": "yun",
                    "华": "hua", "纪": "ji", "重": "chong", "种": "chong", "繁": "po", "祭": "zhai", "宁": "ning",
                    "燕": "yan", "应": "ying", "薄": "bo", "柏": "bai", "贾": "jia", "藏": "zang", "阚": "kan",
                    "冼": "xian", "那": "na", "任": "ren", "沈": "shen", "石": "shi", "尉": "yu"}
# Longest suffix first: 街道办事处 before 街道 before 街.
PLACE_SUFFIXES = [("街道办事处", "Subdistrict Office"), ("街道", "Subdistrict"), ("社区", "Community"),
                  ("大道", "Avenue"), ("公园", "Park"), ("广场", "Square"), ("区", "District"), ("县", "County"),
                  ("市", "City"), ("省", "Province"), ("镇", "Town"), ("乡", "Township"), ("村", "Village"),
                  ("路", "Road"), ("街", "Street"), ("湖", "Lake"), ("河", "River"), ("山", "Mountain")]
ORG_SUFFIXES = [("人民政府", "People's Government"), ("委员会", "Committee"), ("办公室", "Office"),
                ("检察院", "People's Procuratorate"), ("法院", "People's Court"), ("党校", "Party School"),
                ("派出所", "Police Station"), ("医院", "Hospital"), ("大学", "University"), ("学院", "College"),
                ("学校", "School"), ("中学", "Middle School"), ("小学", "Primary School"), ("中心", "Center"),
                ("集团", "Group"), ("公司", "Company"), ("银行", "Bank"), ("协会", "Association"),
                ("局", "Bureau"), ("厅", "Department"), ("委", "Commission")]
_TAG_SECTION = {"nr": "people", "ns": "places", "nt": "institutions"}


class Proposal(BaseModel):
    """A proposed glossary entry with the evidence for it."""

    zh: str
    en: str
    section: str
    count: int = Field(description="Mentions across the articles read.")
    article_ids: list[str] = Field(default_factory=list, description="Up to three articles that mention it.")
    note: str = Field("", description="How the name was found and how sure the rendering is.")


def _syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(text, v_to_u=True)


def _join(syllables: list[str]) -> str:
    """Join pinyin syllables into one word, with the apostrophe before a/o/e (Xi'an, Jia'an)."""
    out = ""
    for s in syllables:
        out += ("'" if out and s[:1] in "aoe" else "") + s
    return out


def person_pinyin(name: str) -> str:
    """A Chinese personal name in pinyin, surname first, given name joined: 樊惠林 -> Fan Huilin."""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    given = name[len(surname):]
    family = SURNAME_READINGS.get(surname) or _join(_syllables(surname))
    parts = [family.capitalize()]
    if given:
        parts.append(_join(_syllables(given)).capitalize())
    return " ".join(parts)


def _with_suffix(name: str, suffixes: list[tuple[str, str]]) -> tuple[str, bool]:
    """Pinyin of the name's stem plus the English of its suffix; the bool says a suffix matched."""
    for zh, en in suffixes:
        if name.endswith(zh) and len(name) > len(zh):
            return f"{_join(_syllables(name[: -len(zh)])).capitalize()} {en}", True
    return _join(_syllables(name)).capitalize(), False


def place_english(name: str) -> str:
    """A place name as pinyin plus its kind: 二七区 -> Erqi District, 郑州市 -> Zhengzhou City."""
    return _with_suffix(name, PLACE_SUFFIXES)[0]


def _is_name(word: str) -> bool:
    return 2 <= len(word) <= 12 and all("\u3400" <= ch <= "\u9fff" for ch in word)


def find_names(articles: list[Article]) -> dict[tuple[str, str], tuple[int, list[str], str]]:
    """(section, name) -> (mentions, article ids, how found), from jieba tags and bylines."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO to stderr
    counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    how: dict[tuple[str, str], str] = {}
    for article in articles:
        for person in [*article.reporters, *article.correspondents]:
            key = ("people", person.strip())
            if _is_name(key[1]) and len(key[1]) <= 4:
                counts[key] += 1
                how.setdefault(key, "byline")
                if article.id not in where[key]:
                    where[key].append(article.id)
        for token in pseg.cut(f"{article.title}\n{article.subtitle}\n{article.text}"):
            section = _TAG_SECTION.get(token.flag[:2])
            word = token.word.strip()
            if section is None or not _is_name(word) or (section == "people" and len(word) > 4):
                continue
            key = (section, word)
            counts[key] += 1
            how.setdefault(key, f"jieba tag {token.flag}")
            if article.id not in where[key]:
                where[key].append(article.id)
    return {key: (n, where[key], how[key]) for key, n in counts.items()}


def propose(articles: list[Article], glossary: Glossary, *, min_count: int = 1) -> list[Proposal]:
    """Proposals for names in `articles` that the glossary does not cover, most mentioned first."""
    known = list(glossary.entries)
    names = find_names(articles)
    # jieba may tag one word both ways (高原: a person and a place); the review file can hold one
    # rendering per term, so the more frequent tag wins and the note names the other.
    best: dict[str, tuple[str, int]] = {}
    for (section, name), (count, _, _) in names.items():
        if name not in best or count > best[name][1]:
            best[name] = (section, count)
    proposals: list[Proposal] = []
    for (section, name), (count, ids, how) in names.items():
        # A name inside a known term (二七 in 二七区) is already rendered by that term's entry.
        if best[name][0] != section or count < min_count or any(name in term for term in known):
            continue
        if section == "people":
            english, note = person_pinyin(name), f"{how}; pinyin, surname first"
        elif section == "places":
            english, matched = _with_suffix(name, PLACE_SUFFIXES)
            note = f"{how}; pinyin" + (" + suffix" if matched else ", kind of place unknown")
        else:
            english, _ = _with_suffix(name, ORG_SUFFIXES)
            note = f"{how}; transliterated - replace with the official English name"
        others = sorted(s for s, n in names if n == name and s != section)
        if others:
            note += f"; also tagged as {', '.join(others)}"
        proposals.append(Proposal(zh=name, en=english, section=section, count=count, article_ids=ids[:3],
                                  note=note))
    order = {s: i for i, s in enumerate(SECTIONS)}
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
            lines.append(f"{toml_string(p.zh)} = {toml_string(p.en)}  "
                         f"# {p.count}x, {p.note}; e.g. {', '.join(p.article_ids)}")
    return "\n".join(lines) + "\n"


def write_review(proposals: list[Proposal], path: Path, articles_read: int) -> None:
    """Write the review file (replacing an older one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(review_text(proposals, articles_read), encoding="utf-8")

