"""The bilingual glossary: one English rendering per Chinese name, kept in a user-editable TOML file.

The file has one table per kind of name; keys are the Chinese terms, values the English::

    [people]
    "樊惠林" = "Fan Huilin"

    [titles]
    "区委书记" = "Secretary of the District CPC Committee"

The glossary reaches the prompts (only entries whose term occurs in the text at hand) and is
checked against outputs afterwards (`Glossary.check`). New entries are proposed by
`bulletin_qa.names.propose` and merged by `add_entries` (never silently).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from bulletin_qa.errors import GlossaryError
from bulletin_qa.text.chars import is_cjk

SECTIONS = ("people", "titles", "institutions", "places", "terms")
_LETTERS = re.compile(r"[^a-z]")
_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_TOML_LINE = re.compile(r"at line (\d+)")
_FORMAT_HINT = ('Each entry is one line "中文" = "English" under a section header, one of: '
                + ", ".join(f"[{s}]" for s in SECTIONS) + ".")


@dataclass(frozen=True)
class Entry:
    """One glossary entry: a Chinese term, its English rendering and its section."""

    zh: str
    en: str
    section: str


@dataclass
class Glossary:
    """The loaded glossary: entries by Chinese term, the file it came from and a content hash."""

    entries: dict[str, Entry] = field(default_factory=dict)
    path: Path | None = None
    hash: str = "empty"

    def __len__(self) -> int:
        return len(self.entries)

    def section(self, name: str) -> dict[str, str]:
        """The entries of one section as {Chinese: English}."""
        return {e.zh: e.en for e in self.entries.values() if e.section == name}

    def relevant(self, text: str) -> list[Entry]:
        """Entries whose term occurs in text, longest first, skipping terms seen only inside longer ones.

        In "区人大常委会" an entry for "人大常委会" is not relevant when "区人大常委会" has its own
        entry: the longer rendering is the one the output must contain.
        """
        covered = [False] * len(text)
        found: list[Entry] = []
        for entry in sorted(self.entries.values(), key=lambda e: (-len(e.zh), e.zh)):
            start, hit = 0, False
            while (pos := text.find(entry.zh, start)) >= 0:
                span = range(pos, pos + len(entry.zh))
                if not all(covered[i] for i in span):
                    hit = True
                    for i in span:
                        covered[i] = True
                start = pos + 1
            if hit:
                found.append(entry)
        return found

    def prompt_block(self, text: str) -> str:
        """The relevant entries as prompt lines 'term = English', or a line saying there are none."""
        entries = self.relevant(text)
        if not entries:
            return "(none)"
        return "\n".join(f"{e.zh} = {e.en}" for e in entries)

    def check(self, source: str, output: str, *, complete: bool) -> list[str]:
        """Report known names the English output renders differently (or, if `complete`, omits)."""
        issues: list[str] = []
        folded = output.casefold()
        spans = _word_spans(folded)
        for entry in self.relevant(source):
            if entry.en.casefold() in folded or _with_place(entry, output):
                continue
            if entry.zh in output:
                issues.append(f"{entry.zh} is left in Chinese; the glossary renders it {entry.en!r}")
            elif _LETTERS.sub("", entry.en.casefold()) in spans or any(form in spans for form in _pinyin_forms(entry)):
                issues.append(f"{entry.zh} is rendered differently; the glossary says {entry.en!r}")
            elif complete and entry.section == "people":
                issues.append(f"person {entry.zh} of the source is missing from the English; write {entry.en!r}")
            elif complete:
                issues.append(f"{entry.zh} should appear as {entry.en!r} (glossary) but does not")
        return issues


def _with_place(entry: Entry, output: str) -> bool:
    """True when the output writes a title or institution with the source's place before its level word.

    二七区委书记 contains the entry 区委书记 = "Secretary of the District CPC Committee", and
    "Secretary of the Erqi District CPC Committee" is its rendering with the place (names/titles.py
    render_title), not another one.
    """
    from bulletin_qa.names.titles import LEVEL_WORDS

    if entry.section not in ("titles", "institutions"):
        return False
    level = "|".join(LEVEL_WORDS)
    pattern, n = re.subn(rf"\b({level})\b", lambda m: r"(?:[A-Z][\w'’-]*\s+){1,2}" + m.group(1),
                         re.escape(entry.en), count=1)
    return bool(n) and re.search(pattern, output, flags=re.IGNORECASE) is not None


def _word_spans(folded: str, longest: int = 12) -> set[str]:
    """Every run of up to `longest` adjacent words, letters only: 'fan hui-lin' -> fan, huilin, fanhuilin.

    Comparing whole word runs (not substrings) keeps "Li Ming" from matching inside "preliminary".
    """
    words = [_LETTERS.sub("", w) for w in _WORD.findall(folded)]
    return {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(i + longest, len(words)) + 1)}


def _pinyin_forms(entry: Entry) -> list[str]:
    """Letter-only spellings a model might use instead of the glossary form (people, places).

    Plain pinyin run together, given name first (Huilin Fan), ü written u or v (Lu Anmin for
    吕安民 = Lyu Anmin) and, for three-character names, the given name alone (Rong Xin for 虎荣鑫):
    each is a different rendering of the same name, never a match.
    """
    if entry.section not in ("people", "places") or len(entry.zh) < 2:
        return []
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(entry.zh)  # ü comes back as v
    forms: list[str] = []
    for u in ("v", "u", "yu"):
        spelling = [s.replace("v", u) for s in syllables]
        forms.append("".join(spelling))
        if entry.section == "people":
            forms.append("".join(spelling[1:] + spelling[:1]))  # given name first: Huilin Fan
            if len(spelling) == 3:
                forms.append("".join(spelling[1:]))
    return list(dict.fromkeys(forms))


def _line_of(text: str, section: str | None, key: str | None = None) -> int:
    """1-based line of a section header (or of a key inside it), for error messages."""
    lines = text.splitlines()
    in_section = section is None
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = section is not None and stripped.strip("[] \t") == section
            if in_section and key is None:
                return number
            continue
        if in_section and key is not None:
            left = stripped.split("=", 1)[0].strip().strip("\"'")
            if left == key:
                return number
    return 1


def parse_glossary(text: str, path: Path | str = "<glossary>") -> Glossary:
    """Parse and validate glossary TOML; any problem is a GlossaryError naming file, line and fix."""
    where = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        line = m.group(1) if m else "?"
        raise GlossaryError(f"{where}:{line}: not valid TOML ({exc}).",
                            hint=_FORMAT_HINT + ' Quote both sides, e.g. "二七区" = "Erqi District".') from None
    entries: dict[str, Entry] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            line = _line_of(text, None, section)
            raise GlossaryError(f"{where}:{line}: entry {section!r} is outside any section.",
                                hint=f"Move it under a section header. {_FORMAT_HINT}")
        if section not in SECTIONS:
            line = _line_of(text, section)
            raise GlossaryError(f"{where}:{line}: unknown section [{section}].",
                                hint=f"Rename it. {_FORMAT_HINT}")
        for zh, en in table.items():
            line = _line_of(text, section, zh)
            if not isinstance(en, str):
                raise GlossaryError(f"{where}:{line}: [{section}] {zh!r} must map to a string, not {en!r}.",
                                    hint=f'Write it as "{zh}" = "English rendering".')
            if not en.strip():
                raise GlossaryError(f"{where}:{line}: [{section}] {zh!r} has an empty English rendering.",
                                    hint="Fill in the English, or delete the line.")
            if not is_cjk(zh):
                raise GlossaryError(f"{where}:{line}: key {zh!r} in [{section}] has no Chinese characters.",
                                    hint='Keys are the Chinese terms: "二七区" = "Erqi District".')
            previous = entries.get(zh)
            if previous and previous.en != en.strip():
                raise GlossaryError(
                    f"{where}:{line}: {zh!r} is in [{previous.section}] as {previous.en!r} and in "
                    f"[{section}] as {en!r}.", hint="Keep one rendering and delete the other line.")
            entries[zh] = Entry(zh=zh, en=en.strip(), section=section)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Glossary(entries=entries, path=Path(path) if path != "<glossary>" else None, hash=digest)


def load_glossary(path: Path) -> Glossary:
    """Load a glossary file (UTF-8 TOML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GlossaryError(f"Glossary file {path} does not exist.",
                            hint="Create it with 'bulletin-qa glossary add', or point BULLETIN_QA_GLOSSARY "
                                 "at an existing file.") from None
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}).",
                            hint="Save the file as UTF-8.") from None
    return parse_glossary(text, path)


def starter_path() -> Path | None:
    """The starter glossary shipped with bulletin-qa (package data, else the repository's samples/)."""
    packaged = Path(str(resources.files("bulletin_qa"))) / "glossary.starter.toml"
    repo = Path(__file__).resolve().parents[3] / "samples" / "glossary.toml"
    return next((p for p in (packaged, repo) if p.is_file()), None)


def glossary_for(path: Path, *, explicit: bool) -> Glossary:
    """The user's glossary at `path`; when absent, the starter one (unless the path was set explicitly)."""
    if path.is_file() or explicit:
        return load_glossary(path)
    starter = starter_path()
    return load_glossary(starter) if starter else Glossary()


def toml_string(value: str) -> str:
    """Quote a value as a TOML basic string."""
    # JSON string escapes are valid TOML basic-string escapes (\" \\ \n \uXXXX).
    return json.dumps(value, ensure_ascii=False)


def add_entries(path: Path, new: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """Merge entries into the glossary file, keeping its comments; returns (added, already present).

    A missing file starts as a copy of the starter glossary. A term already present with another
    rendering is an error: the user decides by editing the file.
    """
    if path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        starter = starter_path()
        text = starter.read_text(encoding="utf-8") if starter else ""
    current = parse_glossary(text, path)
    added: list[Entry] = []
    kept: list[Entry] = []
    for entry in new:
        if entry.section not in SECTIONS:
            raise GlossaryError(f"Unknown section {entry.section!r} for {entry.zh!r}.",
                                hint="Use one of: " + ", ".join(SECTIONS) + ".")
        old = current.entries.get(entry.zh)
        if old and old.en != entry.en:
            line = _line_of(text, old.section, old.zh)
            raise GlossaryError(f"{path}:{line}: {entry.zh!r} is already rendered {old.en!r}, not {entry.en!r}.",
                                hint="Edit that line by hand if the new rendering is the right one.")
        if old:
            kept.append(entry)
            continue
        text = _insert(text, entry)
        current.entries[entry.zh] = entry
        added.append(entry)
    parse_glossary(text, path)  # never write a file we could not read back
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return added, kept


def _insert(text: str, entry: Entry) -> str:
    """Add one entry line at the end of its section (creating the section at the end of the file)."""
    line = f"{toml_string(entry.zh)} = {toml_string(entry.en)}"
    lines = text.splitlines()
    header = next((i for i, row in enumerate(lines) if row.strip() == f"[{entry.section}]"), None)
    if header is None:
        tail = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return f"{text}{tail}[{entry.section}]\n{line}\n"
    end = next((i for i in range(header + 1, len(lines)) if lines[i].strip().startswith("[")), len(lines))
    # Step back over blank lines and the comments that introduce the next section.
    while end > header + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    lines.insert(end, line)
    return "\n".join(lines) + "\n"
