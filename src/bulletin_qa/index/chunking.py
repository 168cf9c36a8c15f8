"""Split one article into overlapping chunks at Chinese sentence boundaries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bulletin_qa.models import Article, Chunk, sha256_hex

if TYPE_CHECKING:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

# Paragraph, line, then sentence-final punctuation, then clause punctuation; "" is the
# last resort for a run with no punctuation at all (hard cut at `size`).
SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", "，", " ", ""]


def indexed_text(title: str, text: str) -> str:
    """What is embedded and keyword-indexed for a chunk: the title, then the chunk text.

    Every chunk carries its headline because a chunk from the middle of an article
    often never names the subject the headline names.
    """
    return f"{title}\n{text}" if title else text


def chunk_id(article_id: str, index: int, title: str, text: str) -> str:
    """Content-based id: '<article_id>:<index>:<sha256 of the indexed text, 10 hex>'.

    The hash covers the title too, so an edited headline gives new ids (and new
    embeddings), while an unchanged article always gets the same ids.
    """
    return f"{article_id}:{index}:{sha256_hex(indexed_text(title, text))[:10]}"


def _splitter(size: int, overlap: int) -> RecursiveCharacterTextSplitter:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    # keep_separator="end" keeps "。" at the end of the sentence it closes, not at the
    # start of the next chunk. SEE: langchain_text_splitters.character._split_text_with_regex
    return RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        separators=SEPARATORS,
        keep_separator="end",
        strip_whitespace=True,
    )


def _offsets(text: str, pieces: list[str], overlap: int) -> list[int]:
    """Start offset of each piece in `text`, searching forward like langchain's add_start_index.

    Piece n+1 starts at or after (start_n + len_n - overlap): the splitter never repeats
    more than `overlap` characters. E.g. a 300-char piece at 0 with overlap 40 means the
    next piece is searched from 260, so an earlier repeat of the same words is skipped.
    """
    starts: list[int] = []
    start, previous_len = 0, 0
    for piece in pieces:
        found = text.find(piece, max(0, start + previous_len - overlap))
        if found < 0:  # cannot happen for a substring; guard against splitter changes
            found = text.find(piece)
        if found < 0:
            raise ValueError(f"chunk not found in its article text: {piece[:30]!r}")
        starts.append(found)
        start, previous_len = found, len(piece)
    return starts


def chunk_article(article: Article, size: int = 300, overlap: int = 40) -> list[Chunk]:
    """Split one article's text into chunks of at most `size` characters (never across articles)."""
    if overlap >= size:
        raise ValueError(f"chunk overlap {overlap} must be smaller than the chunk size {size}")
    text = article.text
    if not text.strip():
        return []
    pieces = [p for p in _splitter(size, overlap).split_text(text) if p]
    starts = _offsets(text, pieces, overlap)
    return [
        Chunk(
            id=chunk_id(article.id, i, article.title, piece),
            article_id=article.id,
            index=i,
            text=piece,
            start=start,
        )
        for i, (piece, start) in enumerate(zip(pieces, starts))
    ]
