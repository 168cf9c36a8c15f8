"""Markdown for email and chat: digests, summaries and translations.

Text from articles and models is inert here: HTML is escaped (a Markdown renderer would pass
``<script>`` through), only http(s) links survive, and line starts cannot make headings or lists.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from itertools import groupby

from bulletin_qa.messages import msg
from bulletin_qa.models import Digest, Summary
from bulletin_qa.rendering.labels import (
    citation_text,
    digest_counts,
    digest_title,
    entry_date,
    provenance_line,
)
from bulletin_qa.text.safe import clean
from bulletin_qa.writing.translate import Translation

# A Markdown link or image whose target is not http(s) (javascript:, data:, file:, a relative path),
# and a link reference definition ("[x]: javascript:…") at a line start.
_BAD_LINK = re.compile(r"\]\(\s*<?(?!https?://)", re.IGNORECASE)
_LINK_DEFINITION = re.compile(r"^(\s{0,3})\[([^\]\n]*)\]:", re.MULTILINE)


def _text(text: str) -> str:
    """Outside text as inert Markdown: no controls, HTML escaped, only http(s) links."""
    text = html_escape(clean(text), quote=False)  # <script>, <img onerror=…>, <javascript:…> autolinks
    text = _BAD_LINK.sub(r"\\](", text)  # "[click](javascript:…)" stays readable text, not a link
    return _LINK_DEFINITION.sub(r"\1\\[\2]:", text)


def _escape(text: str) -> str:
    """`_text`, and no Markdown headings, quotes or lists made by line starts."""
    return "\n".join(("\\" + line) if line[:1] in "#>-*+" else line for line in _text(text).splitlines())


def digest_markdown(digest: Digest, *, provenance: bool = False) -> str:
    """One digest as Markdown ready to publish: title, counts, then per theme one section per story.

    Store ids, checks and the model/prompt footer stay out of it; provenance=True appends them
    in a section for the editor (see provenance_markdown).
    """
    lang = digest.lang
    out = [f"# {_escape(digest_title(digest))}", ""]
    counts = digest_counts(digest)
    if digest.mode == "extractive":
        counts += f" · {msg('extractive_summary', lang)}"
    out += [counts, ""]
    for theme, entries in groupby(digest.entries, key=lambda e: e.theme):
        if theme:
            out += [f"## {_escape(theme)}", ""]
        for entry in entries:
            meta = entry_date(entry, lang)
            if entry.status:
                meta += f" · {msg(entry.status, lang)}"
            out += [f"### {_escape(entry.headline)}", "", f"*{meta}*", "", _escape(entry.summary), ""]
            if entry.citations:
                sources = "; ".join(citation_text(c, lang, with_id=False) for c in entry.citations)
                out += [msg("sources", lang) + msg("colon", lang) + _text(sources), ""]
    if provenance:
        out += ["---", "", provenance_markdown(digest)]
    return "\n".join(out).rstrip("\n") + "\n"


def provenance_markdown(digest: Digest) -> str:
    """For the editor, never published: what made the digest, failed checks, and each story's article ids."""
    lang = digest.lang
    colon = msg("colon", lang)
    out = [f"## {msg('provenance', lang)}", "",
           f"- {msg('made_by', lang)}{colon}{_text(provenance_line(digest))}",
           f"- selected by {digest.selected_by} date" + (f"; sources: {_text(', '.join(digest.sources))}"
                                                          if digest.sources else "")]
    out += [f"- {msg('checks', lang)}{colon}{_escape(w)}" for w in digest.warnings]
    out += [f"- {_escape(e.headline)}{colon}{_text(', '.join(e.article_ids))}" for e in digest.entries]
    return "\n".join(out) + "\n"


def digests_markdown(digests: list[Digest], *, provenance: bool = False) -> str:
    """Several digests (e.g. --lang both) one after the other."""
    return "\n\n".join(digest_markdown(d, provenance=provenance) for d in digests)


def summaries_markdown(summaries: list[Summary]) -> str:
    """Summaries, each with its citation, its mode and any failed checks."""
    out: list[str] = []
    for s in summaries:
        out += [f"## {_escape(s.title or s.article_id)}", ""]
        if s.mode == "extractive":
            out += [f"*{msg('extractive_summary', s.lang)}*", ""]
        out += [_escape(s.text), ""]
        if s.citation:
            out += [msg("sources", s.lang) + msg("colon", s.lang) + _text(citation_text(s.citation, s.lang)), ""]
        if s.names and s.mode != "glossary":
            out += [msg("names", s.lang) + msg("colon", s.lang)
                    + _text("; ".join(f"{zh} = {en}" for zh, en in s.names.items())), ""]
        out += [f"- {msg('checks', s.lang)}{msg('colon', s.lang)}{_text(w)}" for w in s.warnings]
        # "--" would end the HTML comment early
        out += [f"<!-- {_text(provenance_line(s)).replace('--', '- -')} -->", ""]
    return "\n".join(out)


def translation_markdown(t: Translation) -> str:
    """A translation with its source and the findings of the number and glossary checks."""
    out = [f"# {_escape(t.title)}", ""] if t.title else []
    out += [_escape(t.text), ""]
    if t.byline:
        out += [_escape(t.byline), ""]
    if t.citation:
        out += [f"Source: {_text(citation_text(t.citation, 'en'))}", ""]
    issues = t.number_issues + t.glossary_issues + t.english_issues
    if issues:
        out += ["## Checks", ""] + [f"- {_text(i)}" for i in issues] + [""]
    out += ["---", f"Translated by: {_text(provenance_line(t))}"]
    return "\n".join(out) + "\n"
