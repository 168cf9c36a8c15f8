"""A local log of questions: question, answer, citations, model and time, in <home>/history.sqlite.

    History(path)                    one sqlite file; a connection per operation (safe across threads
                                     of the server and across processes, like llm/cache.py)
      .record(answer, conversation)  store one turn; returns the HistoryEntry (with its ids)
      .entries(search=, limit=)      newest first; `search` matches question or answer text
      .conversation(cid)             the turns of one conversation, oldest first
      .last_conversation()           the conversation of the newest turn (for `ask --continue`)
    open_history(settings)           History, or None when the `history` setting is off

Turns of one conversation share a conversation id, so `ask --continue`, `chat --continue` and the
web page resume a conversation by feeding its turns to `answering.chat.condense`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from bulletin_qa.errors import HistoryError
from bulletin_qa.models import Answer, Citation

if TYPE_CHECKING:
    from bulletin_qa.answering.chat import Turn
    from bulletin_qa.settings import Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL,
    time TEXT NOT NULL,
    question TEXT NOT NULL,
    standalone TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL,
    mode TEXT NOT NULL,
    model TEXT,
    prompt_hash TEXT,
    citations TEXT NOT NULL,
    searched TEXT NOT NULL,
    client TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_conversation ON turns (conversation, id);
"""
MAX_LIMIT = 1000


class HistoryEntry(BaseModel):
    """One logged question and its answer."""

    id: int
    conversation: str = Field(description="Turns of one conversation share this id.")
    time: dt.datetime = Field(description="When the answer was given (UTC).")
    question: str
    standalone: str = Field(description="The question as searched (a follow-up rewritten to stand alone).")
    answer: str
    refused: bool = False
    mode: str
    model: str | None = None
    prompt_hash: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    searched: str = ""
    client: str = Field("cli", description="What asked: cli, chat or web.")


def new_conversation() -> str:
    """A fresh conversation id."""
    return uuid.uuid4().hex[:12]


def _like(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere (% and _ escaped)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class History:
    """The log of questions in one sqlite file (created on first write)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _run(self, sql: str, params: tuple[Any, ...] = (), *, write: bool = False) -> list[tuple[Any, ...]]:
        if not write and not self.path.exists():
            return []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=30)) as db, db:  # closes, and commits
                db.executescript(_SCHEMA)
                cursor = db.execute(sql, params)
                return cursor.fetchall() if not write else [(cursor.lastrowid,)]
        except sqlite3.DatabaseError as exc:  # a corrupt file, or not sqlite at all
            raise HistoryError(f"The history at {self.path} cannot be used: {exc}.",
                               hint=f"Move {self.path} away (a new one is started), or set "
                                    "BULLETIN_QA_HISTORY=0 to keep no history.") from None
        except OSError as exc:
            raise HistoryError(
                f"The history at {self.path} cannot be written: {exc}.",
                hint="Check the permissions of BULLETIN_QA_HOME, or set BULLETIN_QA_HISTORY=0.") from None

    def record(self, answer: Answer, *, question: str | None = None, conversation: str | None = None,
               client: str = "cli", now: dt.datetime | None = None) -> HistoryEntry:
        """Log one answered question; a new conversation unless `conversation` is given.

        `question` is what the user typed when it differs from the question answered (a follow-up
        rewritten to stand alone is `answer.question`).
        """
        entry = HistoryEntry(
            id=0, conversation=conversation or new_conversation(), time=now or dt.datetime.now(dt.UTC),
            question=question or answer.question, standalone=answer.question,
            answer=answer.answer, refused=answer.refused, mode=answer.mode, model=answer.model,
            prompt_hash=answer.prompt_hash, citations=answer.citations, searched=answer.searched, client=client)
        citations = json.dumps([c.model_dump(mode="json") for c in entry.citations], ensure_ascii=False)
        ((row_id,),) = self._run(
            "INSERT INTO turns (conversation, time, question, standalone, answer, refused, mode, model, "
            "prompt_hash, citations, searched, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.conversation, entry.time.isoformat(), entry.question, entry.standalone, entry.answer,
             int(entry.refused), entry.mode, entry.model, entry.prompt_hash, citations, entry.searched,
             entry.client), write=True)
        return entry.model_copy(update={"id": int(row_id)})

    def entries(self, *, search: str | None = None, conversation: str | None = None,
                limit: int = 50) -> list[HistoryEntry]:
        """Logged turns, newest first; `search` keeps those whose question or answer contains it."""
        where: list[str] = []
        params: list[str | int] = []
        if search:
            where.append("(question LIKE ? ESCAPE '\\' OR standalone LIKE ? ESCAPE '\\' OR answer LIKE ? ESCAPE '\\')")
            params += [_like(search)] * 3
        if conversation:
            where.append("conversation = ?")
            params.append(conversation)
        sql = "SELECT * FROM turns" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
        rows = self._run(sql, (*params, max(1, min(limit, MAX_LIMIT))))
        return [_entry(row) for row in rows]

    def conversation(self, conversation: str) -> list[HistoryEntry]:
        """The turns of one conversation, oldest first."""
        return list(reversed(self.entries(conversation=conversation, limit=MAX_LIMIT)))

    def last_conversation(self) -> str | None:
        """The conversation of the newest logged turn, or None when the log is empty."""
        rows = self._run("SELECT conversation FROM turns ORDER BY id DESC LIMIT 1")
        return str(rows[0][0]) if rows else None

    def turns(self, conversation: str) -> list[Turn]:
        """A conversation as answering.chat turns, to resume it."""
        from bulletin_qa.answering.chat import Turn

        return [Turn(question=e.question, standalone=e.standalone, answer=e.answer)
                for e in self.conversation(conversation)]


def _entry(row: tuple[Any, ...]) -> HistoryEntry:
    (row_id, conversation, time, question, standalone, answer, refused, mode, model, prompt_hash,
     citations, searched, client) = row
    return HistoryEntry(id=row_id, conversation=conversation, time=dt.datetime.fromisoformat(time),
                        question=question, standalone=standalone, answer=answer, refused=bool(refused), mode=mode,
                        model=model, prompt_hash=prompt_hash,
                        citations=[Citation.model_validate(c) for c in json.loads(citations)],
                        searched=searched, client=client)


def open_history(settings: Settings) -> History | None:
    """The history log, or None when the `history` setting is off (BULLETIN_QA_HISTORY=0)."""
    return History(settings.history_path) if settings.history else None


def resume(history: History | None, *, continue_last: bool = False,
           conversation: str | None = None) -> tuple[str | None, list[Turn]]:
    """(conversation id, its turns) to continue; (None, []) for a new conversation.

    Raises UsageError when asked to continue with the history off, empty, or an unknown id.
    """
    from bulletin_qa.errors import UsageError

    if not (continue_last or conversation):
        return None, []
    if history is None:
        raise UsageError("The history is off, so there is no conversation to continue.",
                         hint="Unset BULLETIN_QA_HISTORY (or set it to 1) to keep questions, then ask again.")
    cid = conversation or history.last_conversation()
    if cid is None:
        raise UsageError("There is no earlier question to continue from.",
                         hint="Ask one first: bulletin-qa ask \"…\"; `bulletin-qa history` lists them.")
    turns = history.turns(cid)
    if not turns:
        raise UsageError(f"No conversation {cid!r} in the history.",
                         hint="`bulletin-qa history` shows the conversation ids.")
    return cid, turns
