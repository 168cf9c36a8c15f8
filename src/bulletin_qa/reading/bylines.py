"""Bylines: `记者 景静`, `通讯员 左学彬 周祎`, `实习生 …`, alone or after the last 。 of a body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bulletin_qa.text.chars import HAN

# Longest first, so 本报记者 wins over 记者. 通讯员 names go to correspondents, the rest to reporters.
ROLES = ("本报记者", "特约记者", "见习记者", "本报通讯员", "记者", "实习生", "通讯员")
_ROLE = "(?:" + "|".join(ROLES) + ")"
# A Han name of 2-4 characters, or a transcribed name with a middle dot (阿依古丽·买买提).
_NOT_NAME = f"(?:{_ROLE}|报道|摄影)"
# A name never runs into a role word or 报道: OCR drops the spaces (`记者陆晴通讯员马骏`, `通讯员高原报道`).
_NAME = f"(?!{_NOT_NAME})(?:(?!{_NOT_NAME})[{HAN}]){{2,4}}(?:[·•][{HAN}]{{1,6}})?"
_NAMES = f"{_NAME}(?:[ \u3000、]+{_NAME})*"  # no commas: `记者了解到，该项目` is prose
_GROUP = f"{_ROLE}[ \u3000]*{_NAMES}"
BYLINE_GROUP = _GROUP  # one `role names` group, for datelines like `本报记者 张三 报道`
_GROUP_SPACED = f"{_ROLE}[ \u3000]+{_NAMES}"  # appended bylines need the space: `。记者了解到` is prose
_BYLINE_RE = re.compile(f"[（(]?[ \u3000]*{_GROUP}(?:[ \u3000]*{_GROUP})*[ \u3000]*[）)]?")
_APPENDED_RE = re.compile(
    f"(?P<body>.*[。！？!?…”’）)])[ \u3000]*(?P<byline>{_GROUP_SPACED}(?:[ \u3000]*{_GROUP})*)"
)
_GROUP_RE = re.compile(f"(?P<role>{_ROLE})[ \u3000]*(?P<names>{_NAMES})")
_NAME_RE = re.compile(_NAME)


@dataclass
class Byline:
    """Names credited in a byline or dateline, split by role."""

    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)

    def merge(self, other: Byline) -> None:
        """Add the other byline's names, keeping order and dropping repeats."""
        for name in other.reporters:
            if name not in self.reporters:
                self.reporters.append(name)
        for name in other.correspondents:
            if name not in self.correspondents:
                self.correspondents.append(name)


def parse_groups(text: str) -> Byline:
    """Names of every `role names` group found in `text` (used for dateline parentheses too)."""
    byline = Byline()
    for group in _GROUP_RE.finditer(text):
        names = _NAME_RE.findall(group.group("names"))
        target = byline.correspondents if group.group("role").endswith("通讯员") else byline.reporters
        for name in names:
            if name not in target:
                target.append(name)
    return byline


def parse_byline(line: str) -> Byline | None:
    """The byline when the whole line is one (`记者 景静`, `（记者 张三 通讯员 李四）`), else None."""
    if not _BYLINE_RE.fullmatch(line.strip()):
        return None
    return parse_groups(line)


def split_appended_byline(line: str) -> tuple[str, Byline] | None:
    """Split `…硬仗。记者 景静` into (`…硬仗。`, byline); None when no byline ends the line."""
    match = _APPENDED_RE.fullmatch(line.strip())
    if not match:
        return None
    return match.group("body"), parse_groups(match.group("byline"))
