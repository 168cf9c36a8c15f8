"""Markdown for email and chat: digests, summaries and translations."""

from __future__ import annotations

from itertools import groupby

from bulletin_qa.writing.translate import Translation
from bulletin_qa.models import Digest, Summary
from bulletin_qa.rendering.labels import (
    citation_text,
    digest_counts,
    digest_title,
    entry_date,
    label,
    provenance,
)


def _escape(text: str) -> str:
    """Keep model text from turning into Markdown headings or lists at line starts."""
    return "\n".join(("\\" + line) if line[:1] in "#>-*+" else line for line in text.splitlines())


def digest_markdown(digest: Digest) -> str:
    """One digest as Markdown: title, counts, then per theme one section per story."""
    lang = digest.lang
    out = [f"# {digest_title(digest)}", ""]
    counts = digest_counts(digest)
    if digest.mode == "extractive":
        counts += f" · {label(lang, 'extractive')}"
    out += [counts, ""]
    for theme, entries in groupby(digest.entries, key=lambda e: e.theme):
        if theme:
            out += [f"## {theme}", ""]
        for entry in entries:
            meta = entry_date(entry, lang)
            if entry.status:
                meta += f" · {label(lang, entry.status)}"
            out += [f"### {_escape(entry.headline)}", "", f"*{meta}*", "", _escape(entry.summary), ""]
            sources = [citation_text(c, lang) for c in entry.citations] or [f"[{i}] {a}" for i, a in
                                                                          enumerate(entry.article_ids, 1)]
            out += [label(lang, "sources") + label(lang, "colon") + "; ".join(sources), ""]
    if digest.warnings:
        out += [f"## {label(lang, 'checks')}", ""] + [f"- {w}" for w in digest.warnings] + [""]
    out += ["---", label(lang, "made_by") + label(lang, "colon")
            + provenance(digest.model, digest.prompt, digest.prompt_hash)]
    return "\n".join(out) + "\n"


def digests_markdown(digests: list[Digest]) -> str:
    """Several digests (e.g. --lang both) one after the other."""
    return "\n\n".join(digest_markdown(d) for d in digests)


def summaries_markdown(summaries: list[Summary]) -> str:
    """Summaries, each with its citation, its mode and any failed checks."""
    out: list[str] = []
    for s in summaries:
        out += [f"## {_escape(s.title or s.article_id)}", ""]
        if s.mode == "extractive":
            out += [f"*{label(s.lang, 'extractive')}*", ""]
        out += [_escape(s.text), ""]
        if s.citation:
            out += [label(s.lang, "sources") + label(s.lang, "colon") + citation_text(s.citation, s.lang), ""]
        if s.names and s.mode != "glossary":
            out += [label(s.lang, "names") + label(s.lang, "colon")
                    + "; ".join(f"{zh} = {en}" for zh, en in s.names.items()), ""]
        out += [f"- {label(s.lang, 'checks')}{label(s.lang, 'colon')}{w}" for w in s.warnings]
        out += [f"<!-- {provenance(s.model, s.prompt, s.prompt_hash)} -->", ""]
    return "\n".join(out)


def translation_markdown(t: Translation) -> str:
    """A translation with its source and the findings of the number and glossary checks."""
    out = [f"# {_escape(t.title)}", ""] if t.title else []
    out += [t.text, ""]
    if t.citation:
        out += [f"Source: {citation_text(t.citation, 'en')}", ""]
    issues = t.number_issues + t.glossary_issues + t.english_issues
    if issues:
        out += ["## Checks", ""] + [f"- {i}" for i in issues] + [""]
    out += ["---", f"Translated by: {provenance(t.model, t.prompt, t.prompt_hash)}"]
    return "\n".join(out) + "\n"
