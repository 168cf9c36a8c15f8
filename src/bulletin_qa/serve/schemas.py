"""Request bodies of the API, with size limits (longer input is a 422 naming the field, never work)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bulletin_qa.models import Digest

MAX_QUESTION = 1000   # characters; the longest real question in news_qa_dev is under 100
MAX_QUERY = 500
MAX_IDS = 20
MAX_NAME = 120
# A week's Markdown digest is ~2,000-4,000 characters (8-10 stories of ~200 each); room for a
# month's. JSON-escaped (\uXXXX, 6 bytes a character) 10,000 still fit the 64 KiB body limit.
MAX_DIGEST = 10_000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskBody(_Body):
    """POST /api/ask."""

    question: str = Field(min_length=1, max_length=MAX_QUESTION, description="The question, Chinese or English.")
    lang: Literal["zh", "en"] | None = Field(None, description="Answer language (default: the question's).")
    since: dt.date | None = Field(None, description="Only articles dated on or after this day.")
    until: dt.date | None = Field(None, description="Only articles dated on or before this day.")
    k: int = Field(5, ge=1, le=50, description="Articles to retrieve.")
    conversation: str | None = Field(None, max_length=64, description=(
        "Continue this conversation (the id comes back in the X-Conversation header or the SSE `meta` "
        "event); follow-ups may then say 他, 这个, 呢."))


class SummarizeBody(_Body):
    """POST /api/summarize."""

    ids: list[str] = Field(min_length=1, max_length=MAX_IDS, description="Article ids.")
    lang: Literal["zh", "en", "both"] = "zh"
    length: Literal["short", "long"] = "short"


class TranslateBody(_Body):
    """POST /api/translate: a stored article, or a digest an editor may have edited, into English."""

    article_id: str | None = Field(None, min_length=1, max_length=200, description="A stored article's id.")
    digest: Annotated[str, Field(min_length=1, max_length=MAX_DIGEST)] | Digest | Annotated[
        list[Digest], Field(min_length=1, max_length=2)] | None = Field(None, description=(
            "A Chinese digest: the JSON of GET /api/digest?format=json (one digest or the list of both "
            "languages; the English ones come back as they are), or its Markdown (format=md) as text."))
    to: Literal["en"] = "en"

    @model_validator(mode="after")
    def _one_source(self) -> TranslateBody:
        if (self.article_id is None) == (self.digest is None):
            raise ValueError('send either article_id or digest (exactly one), e.g. {"article_id": '
                             '"erqi-2023-05-01"} or {"digest": "# 新闻周报 …"}')
        return self


class NameBody(_Body):
    """POST /api/glossary: one entry to add (an accepted or edited proposal)."""

    zh: str = Field(min_length=1, max_length=40)
    en: str = Field(min_length=1, max_length=MAX_NAME)
    section: Literal["people", "titles", "institutions", "places", "terms"]
