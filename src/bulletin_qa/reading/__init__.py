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
import errno
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from bulletin_qa.errors import (
    BinaryInput,
    CorpusTooBig,
    EmptyInput,
    EncodingError,
    PageTooBig,
    SourceNotFound,
    Unreadable,
    UnreadableDocument,
)
from bulletin_qa.models import Article
from bulletin_qa.reading.decode import decode_bytes
from bulletin_qa.reading.formats import DOCUMENT_SUFFIXES, document_kind, read_document
from bulletin_qa.reading.jsonl import read_jsonl
from bulletin_qa.reading.page import read_page
from bulletin_qa.reading.reflow import reflow

__all__ = ["MAX_CORPUS_BYTES", "MAX_PAGE_BYTES", "ReadResult", "SourceFile", "decode_bytes", "read_file",
           "read_jsonl", "read_page", "read_paths", "reflow"]

PAGE_SUFFIXES = (".txt", *DOCUMENT_SUFFIXES)
CORPUS_SUFFIXES = (".jsonl",)
# A printed page is text for one sheet of newsprint: the largest of the real pages in
# /work/shared/data/pages is 21 KB. A page file above 2 MB (100x that) is not a page: reading it
# whole and segmenting it as one page took 2 GB of memory for 50 MB, so it is refused with the
# reason; a big collection of articles belongs in a JSONL corpus, which is streamed line by line.
MAX_PAGE_BYTES = 2_000_000
# A corpus is streamed line by line, but its articles are kept until ingest stores them: reading
# costs ~5.5 bytes of memory per input byte (277 MB for a 50 MB corpus, benchmarks/RESULTS-big-input.md).
# Above 200 MB (~1.1 GB to read; the 8,000-article news corpus is 16 MB) a corpus is refused with the
# fix, split it into files of at most this size, which ingest reads and stores one after another.
MAX_CORPUS_BYTES = 200_000_000
_HASH_BLOCK = 1 << 20


_SKIP_REASONS: dict[type[Exception], str] = {
    EmptyInput: "empty file",
    BinaryInput: "not a text file",
    EncodingError: "unknown text encoding (save it as UTF-8)",
    UnreadableDocument: "damaged, password-protected or not what its name says",
}


class SourceFile(BaseModel):
    """One file read: what identifies it (its resolved path) and what it held (by content)."""

    key: str = Field(description="The resolved path: two files of the same name in different folders differ.")
    name: str = Field(description="The file name, as recorded in Article.source.")
    kind: Literal["page", "corpus"]
    digest: str = Field(description="SHA-256 of the file's bytes: the same page under another name is recognised.")
    first: int = Field(description="Index of its first article in ReadResult.articles.")
    count: int = Field(description="How many articles it gave.")


class ReadResult(BaseModel):
    """Articles read from the given paths, with notes on what was skipped and why."""

    articles: list[Article] = Field(default_factory=list)
    files: int = Field(0, description="Files read (pages and corpora).")
    skipped: list[str] = Field(
        default_factory=list, description="'<file>: <reason>, skipped' for files in directories."
    )
    warnings: list[str] = Field(default_factory=list)
    sources: list[SourceFile] = Field(default_factory=list, description="The files read, in order.")


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_HASH_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _os_problem(path: Path, exc: OSError) -> Unreadable:
    """The InputError for a file the system refuses to read, with the fix."""
    if exc.errno == errno.ELOOP:
        return Unreadable(f"{path} is a symbolic link that loops back on itself.", path=path,
                          hint="Point the link at a real file, or remove it.")
    if isinstance(exc, PermissionError):
        return Unreadable(f"{path} cannot be read: permission denied.", path=path,
                          hint="Give yourself read access (chmod u+r) or leave the file out.")
    return Unreadable(f"{path} cannot be read: {exc.strerror or exc}.", path=path,
                      hint="Check the file and the disk, or leave the file out.")


def read_file(path: Path, date: dt.date | None = None) -> list[Article]:
    """Articles of one file: a .jsonl corpus, anything else a printed page; errors propagate."""
    if path.suffix.lower() in CORPUS_SUFFIXES:
        size = path.stat().st_size
        if size > MAX_CORPUS_BYTES:
            raise CorpusTooBig(
                f"{path} is {size / 1e6:.0f} MB: a corpus may be at most {MAX_CORPUS_BYTES // 1_000_000} MB, "
                "because its articles are held in memory until they are stored.",
                path=path, hint="Split it into several .jsonl files (e.g. split -C 150m corpus.jsonl part-) and "
                                "ingest them together; articles keep their ids.")
        articles = list(read_jsonl(path, default_date=date))
        if not articles:
            raise EmptyInput(
                f"{path} has no articles.", path=path, hint="Put one JSON object a line in it, or leave it out."
            )
        return articles
    if (kind := document_kind(path)) is not None:  # PDF, page image, HTML (by suffix or first bytes)
        return read_document(path, date, kind)
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise PageTooBig(
            f"{path} is {size / 1e6:.1f} MB: too big for one printed page (at most {MAX_PAGE_BYTES // 1_000_000} MB).",
            path=path, hint="Split it into one .txt file per page, or put its articles in a .jsonl corpus "
                            "(one JSON object a line), which is read line by line.")
    return read_page(decode_bytes(path.read_bytes(), str(path)), path.name, date)


def _read_source(path: Path, date: dt.date | None, result: ReadResult) -> None:
    """Read one file into `result` (articles and its SourceFile); OS errors become Unreadable."""
    try:
        articles = read_file(path, date)
        digest = _file_digest(path)
        key = str(path.resolve(strict=True))
    except OSError as exc:
        raise _os_problem(path, exc) from exc
    kind: Literal["page", "corpus"] = "corpus" if path.suffix.lower() in CORPUS_SUFFIXES else "page"
    result.sources.append(SourceFile(key=key, name=path.name, kind=kind, digest=digest,
                                     first=len(result.articles), count=len(articles)))
    _add(result, articles)


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_directory(root: Path, date: dt.date | None, result: ReadResult) -> None:
    before = len(result.articles)
    for path in sorted(root.rglob("*")):
        if _is_hidden(path, root):
            continue
        name = path.relative_to(root).as_posix()
        if path.is_symlink() and not path.exists():
            result.skipped.append(f"{name}: a symbolic link that loops or points nowhere, skipped")
            continue
        if not path.is_file():
            continue
        if path.suffix.lower() not in PAGE_SUFFIXES + CORPUS_SUFFIXES:
            result.skipped.append(f"{name}: not a .txt page or .jsonl corpus, skipped")
            continue
        if not os.access(path, os.R_OK):
            result.skipped.append(f"{name}: cannot be read (permission denied), skipped")
            continue
        try:
            _read_source(path, date, result)
        except (EmptyInput, BinaryInput, EncodingError, UnreadableDocument) as exc:
            result.skipped.append(f"{name}: {_SKIP_REASONS[type(exc)]}, skipped")
        except (Unreadable, PageTooBig, CorpusTooBig) as exc:
            result.skipped.append(f"{name}: {exc.message.removeprefix(str(path) + ' ')} Skipped.")
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
            if path.is_symlink():
                try:
                    path.resolve(strict=True)
                except (OSError, RuntimeError):  # 3.11 reports a loop as RuntimeError
                    if _loops(path):
                        raise Unreadable(f"{path} is a symbolic link that loops back on itself.", path=path,
                                         hint="Point the link at a real file, or remove it.") from None
                raise SourceNotFound(f"{path} is a symbolic link to nothing: {os.readlink(path)} does not exist.",
                                     path=path, hint="Point the link at a real file, or remove it.")
            raise SourceNotFound(f"No such file or directory: {path}.", path=path, hint="Check the path.")
        if path.is_dir():
            _read_directory(path, date, result)
        else:
            _read_source(path, date, result)
    return result


def _loops(path: Path) -> bool:
    """True when following the symlink comes back to a link already seen."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False
