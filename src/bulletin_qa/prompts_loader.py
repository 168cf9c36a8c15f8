"""Prompts are files under `prompts/`, loaded by name, with declared variables.

A prompt file looks like this (``string.Template`` syntax, so JSON braces need no escaping)::

    # variables: question, sources
    # description: one line saying what the prompt is for
    [system]
    ...text using $question...
    [user]
    ...text using $sources...

Names are file stems: ``ask.zh`` is ``prompts/ask.zh.txt``.

Outside text (articles, summaries, earlier answers) goes into a prompt only through `fence`: between
``<source …>`` and ``</source>`` tags it cannot close or forge, and every prompt that carries such text
says in its system message that what is inside the tags is data, never instructions. One convention
for every prompt (ask, summarize, translate, digest themes, chat condense).
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from bulletin_qa.errors import PromptError

# Outside text must not be able to close its <source> fence or open a new one, so ASCII angle
# brackets inside it become full-width lookalikes (readable, inert).
_NEUTRAL = str.maketrans({"<": "＜", ">": "＞"})


def neutralise(text: str) -> str:
    """Outside text made unable to forge or close the prompt's <source> tags."""
    return text.translate(_NEUTRAL)


def fence(text: str, n: int | None = None) -> str:
    """Outside text as data in a prompt: ``<source n=…>`` … ``</source>``, its own brackets neutralised."""
    opening = "<source>" if n is None else f"<source n={n}>"
    return f"{opening}\n{neutralise(text)}\n</source>"


_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_SECTION = re.compile(r"^\[(system|user|assistant)\]\s*$", re.MULTILINE)


def prompts_dir() -> Path:
    """The folder holding the prompt files shipped with the package."""
    return Path(str(resources.files("bulletin_qa") / "prompts"))


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt: its name, declared variables, message templates and text hash."""

    name: str
    variables: tuple[str, ...]
    description: str
    messages: tuple[tuple[str, string.Template], ...]
    hash: str

    def render(self, **values: object) -> list[dict[str, str]]:
        """Fill the variables; every missing or undeclared name is reported at once."""
        missing = [v for v in self.variables if v not in values]
        extra = sorted(set(values) - set(self.variables))
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing variables: " + ", ".join(missing))
            if extra:
                parts.append("undeclared variables: " + ", ".join(extra))
            raise PromptError(f"Prompt {self.name!r}: " + "; ".join(parts) + ".",
                              hint=f"Declare them in the '# variables:' line of {self.name}.txt or pass them.")
        return [{"role": role, "content": tpl.substitute({k: str(v) for k, v in values.items()})}
                for role, tpl in self.messages]


def parse_prompt(name: str, text: str) -> Prompt:
    """Parse prompt file text; the variables used must be exactly the declared ones."""
    header: dict[str, str] = {}
    lines = text.splitlines()
    body_start = 0
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if not m:
            body_start = i
            break
        header[m.group(1).lower()] = m.group(2).strip()
    else:
        body_start = len(lines)
    body = "\n".join(lines[body_start:])
    if "variables" not in header:
        raise PromptError(f"Prompt {name!r} has no '# variables:' line.",
                          hint="Add '# variables: a, b' as its first line.")
    declared = tuple(v.strip() for v in header["variables"].split(",") if v.strip())
    pieces = _SECTION.split(body)
    if len(pieces) < 3 or pieces[0].strip():
        raise PromptError(f"Prompt {name!r} must consist of [system]/[user] sections.",
                          hint="Start the body with a '[system]' or '[user]' line.")
    messages = []
    used: set[str] = set()
    for role, content in zip(pieces[1::2], pieces[2::2]):
        tpl = string.Template(content.strip("\n"))
        if not tpl.is_valid():
            raise PromptError(f"Prompt {name!r} has an invalid '$' placeholder in its [{role}] section.",
                              hint="Write a literal dollar sign as '$$'.")
        used.update(tpl.get_identifiers())
        messages.append((role, tpl))
    if used != set(declared):
        raise PromptError(
            f"Prompt {name!r}: declared variables {sorted(declared)} differ from those used {sorted(used)}.",
            hint="Make the '# variables:' line list exactly the $names the text uses.")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Prompt(name=name, variables=declared, description=header.get("description", ""),
                  messages=tuple(messages), hash=digest)


@lru_cache(maxsize=64)
def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Load `prompts/<name>.txt`; a missing file is a PromptError listing the available names."""
    folder = directory or prompts_dir()
    path = folder / f"{name}.txt"
    if not path.is_file():
        available = sorted(p.stem for p in folder.glob("*.txt"))
        raise PromptError(f"No prompt named {name!r} in {folder}.",
                          hint="Available: " + (", ".join(available) or "none") + ".")
    return parse_prompt(name, path.read_text(encoding="utf-8"))
