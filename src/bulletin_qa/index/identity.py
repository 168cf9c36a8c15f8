"""Article identity: which source owns which id, so two sources never share or overwrite articles.

A source is identified by its key: the resolved path of the file it was read from (two
`page1.txt` in different folders are two sources), or `name:<file name>` for articles handed to
`ingest_articles` without their files and for records stored before keys existed (schema 1).

    pages      ids are `<stem>-NN` when no other source holds them, else `<stem>-<hex>-NN` with the
               shortest of 4, 6, 8... hex digits of the source key's hash that is free: the first
               page1.txt keeps the short ids, the second gets e.g. page1-3fa2-05; a source keeps the
               prefix it was stored under on every later ingest.
    corpora    ids are the corpus's own: one already held by another source is an IdCollision naming
               both sources; nothing is written.
    same bytes a file whose SHA-256 equals a stored (or earlier in this run) source of another key is
               the same page under another name: skipped, with a note naming where it is stored.
    schema 1   a record without a key is owned by `name:<source>`; a file of that name takes it over
               when at least one of its articles has the stored content hash (it is that file), and
               corpora take over their own ids by file name (the ids are the corpus's own).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal, NamedTuple

from bulletin_qa.errors import IdCollision
from bulletin_qa.models import Article

_HEX_LENGTHS = (4, 6, 8, 12, 64)
_NN_RE = re.compile(r"-\d+$")


class StoredArticle(NamedTuple):
    """What the store's article record says about identity and completeness."""

    content_hash: str
    source: str
    source_key: str
    source_digest: str
    chunks: int

    @property
    def owner(self) -> str:
        """The key of the source that owns this id (schema-1 records: by file name)."""
        return self.source_key or name_key(self.source)


def name_key(name: str) -> str:
    """The key of a source known only by its file name."""
    return f"name:{name}"


def _shown(key: str) -> str:
    return key.removeprefix("name:")


@dataclass
class Source:
    """One source's articles, as read, before ids are settled."""

    key: str
    name: str
    kind: Literal["page", "corpus", "given"]
    digest: str
    articles: list[Article]


@dataclass
class Plan:
    """Articles with their final ids, the key and digest of their source, and notes for the user."""

    articles: list[Article] = field(default_factory=list)
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # article id -> (source key, digest)
    sources: set[str] = field(default_factory=set)  # keys of the sources ingested (for stale articles)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _hex(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _prefixes(source: Source) -> list[str]:
    stem = PurePath(source.name).stem
    digest = _hex(source.key)
    return [stem] + [f"{stem}-{digest[:n]}" for n in _HEX_LENGTHS]


class _Owners:
    """Who holds each id: stored records, then the sources placed earlier in this run."""

    def __init__(self, stored: dict[str, StoredArticle]) -> None:
        self.stored = stored
        self.claimed: dict[str, str] = {}
        self.keys = {record.owner for record in stored.values()}

    def owner(self, article_id: str) -> str | None:
        if article_id in self.claimed:
            return self.claimed[article_id]
        record = self.stored.get(article_id)
        return record.owner if record else None

    def takes_over(self, source: Source, article: Article, new_id: str) -> bool:
        """May `source` take a schema-1 record held by its file name (see the module docstring)?"""
        record = self.stored.get(new_id)
        if record is None or record.source_key or new_id in self.claimed or record.source != source.name:
            return False
        if source.kind != "page":
            return True
        return any(self.stored.get(a.id, (None,))[0] == a.content_hash for a in source.articles)

    def free_for(self, source: Source, article: Article, new_id: str) -> bool:
        owner = self.owner(new_id)
        return owner is None or owner == source.key or self.takes_over(source, article, new_id)


def _page_prefix(source: Source, owners: _Owners) -> str:
    """The prefix the source already holds, else the shortest free one."""
    candidates = _prefixes(source)
    own = {aid for aid, record in owners.stored.items() if record.source_key == source.key}
    for prefix in candidates:
        if any(_NN_RE.sub("", aid) == prefix for aid in own):
            return prefix
    for prefix in candidates:
        if all(owners.free_for(source, a, f"{prefix}-{a.position:02d}") for a in source.articles):
            return prefix
    raise AssertionError("a 64-hex prefix of the source key is always free")  # pragma: no cover


def plan_ids(sources: list[Source], stored: dict[str, StoredArticle]) -> Plan:
    """Settle every article's id (see the module docstring); IdCollision before anything is written."""
    plan = Plan()
    owners = _Owners(stored)
    stored_digests: dict[str, str] = {}
    for record in stored.values():
        if record.source_digest:
            stored_digests.setdefault(record.source_digest, record.owner)
    run_digests: dict[str, str] = {}
    placed: list[tuple[Source, list[Article]]] = []
    # Corpus ids are fixed, page ids are not: corpora claim theirs first.
    for source in sorted(sources, key=lambda s: s.kind == "page"):
        if source.key in plan.sources:  # the same file given twice (a folder and a file in it)
            continue
        known = source.key in owners.keys
        if source.digest and not known:
            earlier = run_digests.get(source.digest) or stored_digests.get(source.digest)
            if earlier and earlier != source.key:
                plan.skipped.append(f"{source.key}: the same file as {_shown(earlier)}, already stored; skipped")
                continue
        if source.digest:
            run_digests.setdefault(source.digest, source.key)
        articles = source.articles
        if source.kind == "page":
            prefix = _page_prefix(source, owners)
            articles = [a.model_copy(update={"id": f"{prefix}-{a.position:02d}"}) for a in source.articles]
            stem = PurePath(source.name).stem
            if prefix != stem and articles and not known:
                plan.notes.append(f"{source.key}: another source already has the ids {stem}-NN; "
                                  f"this file's articles are {prefix}-NN")
        for original, article in zip(source.articles, articles):
            if not owners.free_for(source, original, article.id):
                other = owners.owner(article.id) or "?"
                raise IdCollision(
                    f"Article id {article.id!r} ({source.name} #{article.position}) is already used by "
                    f"another source, {_shown(other)}. Nothing was stored.",
                    path=source.key,
                    hint=f"Give it another id in {source.name}; ids must be unique across all sources of a store."
                    if source.kind != "page" else f"Rename the other source's id, or ingest {source.name} into "
                    "another --store.")
            if owners.takes_over(source, original, article.id):
                plan.sources.add(name_key(source.name))  # its schema-1 articles count for stale/--prune
        for article in articles:
            owners.claimed[article.id] = source.key
            plan.keys[article.id] = (source.key, source.digest)
        owners.keys.add(source.key)
        plan.sources.add(source.key)
        placed.append((source, articles))
    order = {id(s): i for i, s in enumerate(sources)}
    for _, articles in sorted(placed, key=lambda item: order[id(item[0])]):
        plan.articles.extend(articles)
    return plan


def given_sources(articles: list[Article]) -> list[Source]:
    """Articles without their files: one source per file name, ids as given."""
    by_name: dict[str, Source] = {}
    for article in articles:
        source = by_name.setdefault(article.source, Source(name_key(article.source), article.source, "given", "", []))
        source.articles.append(article)
    return list(by_name.values())
