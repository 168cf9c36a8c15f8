"""Reading pages and corpora: files and directories -> Article records.

    read_paths(paths, date)    files and directories -> ReadResult (articles, files, skipped, warnings)
    read_page(text, source)    one printed page's text -> articles (segment.py, reflow.py, dates.py)
    read_jsonl(path)           a JSONL corpus -> articles, streamed (jsonl.py)
    read_document(path, date)  a PDF, page image or HTML file -> articles (formats/: layout from
                               PDF characters or OCR, web pages; then read_page)
    decode_bytes(data, source) bytes -> text: UTF-8/BOM, GB18030, detection (decode.py)
    reflow(text)               printed text -> clean paragraphs (reflow.py)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from bulletin_qa.errors import BinaryInput, EmptyInput, EncodingError, SourceNotFound, UnreadableDocument
from bulletin_qa.models import Article
from bulletin_qa.reading.decode import decode_bytes
from bulletin_qa.reading.formats import DOCUMENT_SUFFIXES, document_kind, read_document
from bulletin_qa.reading.jsonl import read_jsonl
from bulletin_qa.reading.page import read_page
from bulletin_qa.reading.reflow import reflow

__all__ = ["ReadResult", "decode_bytes", "read_file", "read_jsonl", "read_page", "read_paths", "reflow"]

PAGE_SUFFIXES = (".txt", *DOCUMENT_SUFFIXES)
CORPUS_SUFFIXES = (".jsonl",)
_SKIP_REASONS: dict[type[Exception], str] = {
    EmptyInput: "empty file",
    BinaryInput: "not a text file",
    EncodingError: "unknown text encoding (save it as UTF-8)",
    UnreadableDocument: "damaged, password-protected or not what its name says",
}


class ReadResult(BaseModel):
    """Articles read from the given paths, with notes on what was skipped and why."""

    articles: list[Article] = Field(default_factory=list)
    files: int = Field(0, description="Files read (pages and corpora).")
    skipped: list[str] = Field(
        default_factory=list, description="'<file>: <reason>, skipped' for files in directories."
    )
    warnings: list[str] = Field(default_factory=list)


def read_file(path: Path, date: dt.date | None = None) -> list[Article]:
    """Articles of one file: a .jsonl corpus, anything else a printed page; errors propagate."""
    if path.suffix.lower() in CORPUS_SUFFIXES:
        articles = list(read_jsonl(path, default_date=date))
        if not articles:
            raise EmptyInput(
                f"{path} has no articles.", path=path, hint="Put one JSON object a line in it, or leave it out."
            )
        return articles
    if (kind := document_kind(path)) is not None:  # PDF, page image, HTML (by suffix or first bytes)
        return read_document(path, date, kind)
    return read_page(decode_bytes(path.read_bytes(), str(path)), path.name, date)


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_directory(root: Path, date: dt.date | None, result: ReadResult) -> None:
    before = len(result.articles)
    for path in sorted(root.rglob("*")):
        if _is_hidden(path, root) or not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        if path.suffix.lower() not in PAGE_SUFFIXES + CORPUS_SUFFIXES:
            result.skipped.append(f"{name}: not a .txt page or .jsonl corpus, skipped")
            continue
        try:
            articles = read_file(path, date)
        except (EmptyInput, BinaryInput, EncodingError, UnreadableDocument) as exc:
            result.skipped.append(f"{name}: {_SKIP_REASONS[type(exc)]}, skipped")
            continue
        _add(result, articles)
    if len(result.articles) == before:
        raise EmptyInput(
            f"Nothing to read in {root}: no .txt page or .jsonl corpus with text in it"
            + (f" ({len(result.skipped)} files skipped)." if result.skipped else "."),
            path=root,
            hint="Put UTF-8 .txt pages or .jsonl corpora in it, or give the files directly.",
        )


def _add(result: ReadResult, articles: list[Article]) -> None:
    result.files += 1
    result.articles.extend(articles)
    for article in articles:
        result.warnings.extend(f"{article.source} #{article.position} ({article.id}): {w}" for w in article.warnings)


def read_paths(paths: Iterable[Path | str], date: dt.date | None = None) -> ReadResult:
    """Read files and directories (recursively: *.txt pages, *.jsonl corpora; hidden files ignored).

    `date` is the page date for pages (see dates.py) and fills null dates in corpora.
    A missing path raises SourceNotFound; a file given explicitly that cannot be read raises;
    in a directory such files are skipped with a note, and a directory with nothing readable
    raises EmptyInput.
    """
    result = ReadResult()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise SourceNotFound(f"No such file or directory: {path}.", path=path, hint="Check the path.")
        if path.is_dir():
            _read_directory(path, date, result)
        else:
            _add(result, read_file(path, date))
    seen: dict[str, str] = {}
    for article in result.articles:
        where = f"{article.source} #{article.position}"
        if article.id in seen:
            result.warnings.append(
                f"duplicate article id {article.id} ({seen[article.id]} and {where}): "
                "the later one replaces the earlier when stored"
            )
        seen[article.id] = where
    return result
