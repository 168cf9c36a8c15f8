"""Every error bulletin-qa raises on purpose, in one tree.

    BulletinQAError                 base: the CLI prints "Error: <message>" and exits non-zero
    ├── InputError                  a file or argument the user gave cannot be used
    │   ├── SourceNotFound          a path that does not exist
    │   ├── EmptyInput              an empty file, or a directory with nothing readable
    │   ├── BinaryInput             a file that is not text
    │   ├── EncodingError           text in no encoding we can detect
    │   ├── JsonlError              a malformed line in a JSONL corpus
    │   ├── IdCollision             a corpus id another source already holds (index/identity.py)
    │   ├── Unreadable              permission denied, a symlink loop, an I/O error
    │   ├── PageTooBig              a page file above reading.MAX_PAGE_BYTES
    │   ├── CorpusTooBig            a .jsonl corpus above reading.MAX_CORPUS_BYTES
    │   ├── UnreadableDocument      a PDF or image that is encrypted, damaged or not what its name says
    │   └── UsageError              inconsistent options (bad date, --week with --since, ...)
    ├── StoreError                  the vector store cannot be used
    │   ├── StoreUnavailable        corrupt/foreign store directory, Chroma server down
    │   │   └── StoreDamaged        a store file that exists but is damaged (a 0-byte chroma.sqlite3)
    │   ├── StoreBusy               another process is writing to it (--no-wait)
    │   ├── EmbedderMismatch        the collection was built with another embedder
    │   └── NotFound                an article id that is not in the store
    ├── LLMError                    the LLM endpoint failed
    │   ├── LLMNotConfigured        a feature needs an LLM and none is set
    │   ├── LLMAuthError            401/403: the key is missing or wrong
    │   ├── LLMModelNotFound        404: no such model (or API path) at the endpoint
    │   ├── LLMRateLimited          429 after retries
    │   ├── LLMServerError          5xx after retries
    │   ├── LLMTimeout              no answer in time
    │   ├── LLMConnectionError      connection refused or cut (stream broken halfway)
    │   └── LLMBadReply             a reply that is not what it claims (not JSON, bad events, too long)
    ├── MissingExtra                an optional extra (OCR) is not installed
    ├── PromptError                 a prompt file is missing or its variables do not match
    ├── GlossaryError               the glossary file is malformed
    └── HistoryError                the question log (history.sqlite) cannot be read or written

Every exception carries a message that says how to fix the problem (the flag, the
environment variable or the command), plus structured fields for callers.
"""

from __future__ import annotations

from pathlib import Path

# The one wording of "there is no LLM" and the one fix, for every error and note that needs an LLM.
NO_LLM = "No LLM configured"
LLM_HINT = ("Set OPENAI_API_KEY (and OPENAI_BASE_URL for a provider other than OpenAI, or only OPENAI_BASE_URL "
            "for a local OpenAI-compatible server such as llama.cpp) and BULLETIN_QA_CHAT_MODEL, "
            "then run the command again.")


class BulletinQAError(Exception):
    """Base class: anything the CLI reports as `Error: ...` with a non-zero exit."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class InputError(BulletinQAError):
    """A file or argument the user gave cannot be used."""

    exit_code = 2

    def __init__(self, message: str, *, path: Path | str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path


class SourceNotFound(InputError):
    """A path that does not exist."""


class EmptyInput(InputError):
    """An empty file, or a directory with nothing readable in it."""


class BinaryInput(InputError):
    """A file that is not text."""


class EncodingError(InputError):
    """Text in no encoding we can detect."""


class JsonlError(InputError):
    """A malformed line in a JSONL corpus."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message, path=path, hint=hint)
        self.line = line


class IdCollision(InputError):
    """An article id from a corpus that another source already holds."""


class Unreadable(InputError):
    """A file the operating system will not let us read (permissions, a symlink loop, an I/O error)."""


class PageTooBig(InputError):
    """A page file too big to be one printed page."""
class UnreadableDocument(InputError):
    """A PDF or image that is encrypted, damaged, or not what its name says."""


class CorpusTooBig(InputError):
    """A JSONL corpus too big to hold its articles in memory while they are stored."""


class UsageError(InputError):
    """Options that do not fit together or cannot be parsed."""


class StoreError(BulletinQAError):
    """The vector store cannot be used."""

    exit_code = 3


class StoreUnavailable(StoreError):
    """A corrupt or foreign store directory, or a Chroma server that does not answer."""


class StoreBusy(StoreError):
    """Another process holds the store's write lock and --no-wait was given."""


class StoreDamaged(StoreUnavailable):
    """A store file exists but is damaged (e.g. a 0-byte chroma.sqlite3)."""


class EmbedderMismatch(StoreError):
    """The collection was built with another embedder than the one asked for."""

    def __init__(self, message: str, *, stored: str, requested: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.stored = stored
        self.requested = requested


class NotFound(StoreError):
    """An article id that is not in the store."""

    def __init__(self, message: str, *, article_id: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.article_id = article_id


class LLMError(BulletinQAError):
    """The LLM endpoint failed."""

    exit_code = 4


class LLMNotConfigured(LLMError):
    """A feature needs an LLM and none is configured; `also` adds a way round it (an offline option)."""

    def __init__(self, what: str = "This command", *, also: str = "") -> None:
        super().__init__(f"{what} needs an LLM. {NO_LLM}.", hint=f"{LLM_HINT} {also}".strip())
        self.what = what


class LLMAuthError(LLMError):
    """401/403 from the endpoint: the key is missing or wrong."""


class LLMModelNotFound(LLMError):
    """404 from the endpoint: the model (or the API path) does not exist there."""


class LLMRateLimited(LLMError):
    """429 from the endpoint, after retries."""


class LLMServerError(LLMError):
    """5xx from the endpoint, after retries."""


class LLMTimeout(LLMError):
    """The endpoint did not answer in time."""


class LLMConnectionError(LLMError):
    """Connection refused, or the stream was cut halfway."""


class LLMBadReply(LLMError):
    """The endpoint answered 200 with something that is not a usable reply, or a reply over the length cap."""
class MissingExtra(BulletinQAError):
    """A feature needs an optional extra that is not installed (`pip install "bulletin-qa[ocr]"`)."""

    exit_code = 2

    def __init__(self, message: str, *, extra: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint or f'Install it with: pip install "bulletin-qa[{extra}]"')
        self.extra = extra


class PromptError(BulletinQAError):
    """A prompt file is missing or its variables do not match."""


class GlossaryError(BulletinQAError):
    """The glossary file is malformed."""


class HistoryError(BulletinQAError):
    """The question log (history.sqlite) cannot be read or written."""
