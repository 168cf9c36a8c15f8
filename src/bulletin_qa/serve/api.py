"""The /api routes: each parses its input, calls the library once and returns what the CLI's --json prints.

Paths are a contract (README "Serve"). Each route's work runs on one of the library's lanes
(library.py): reads side by side, LLM work on its own lane, writes one at a time. A question's
answer streams as server-sent events when the client sends `Accept: text/event-stream`: `token`
events with text as the model writes it, then `meta` (conversation and history ids) and `answer`
(the checked answer, the same JSON as without streaming), or one `error` event. A client that
disconnects mid-stream stops the generation (the model's stream is closed).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import threading
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse

from bulletin_qa.errors import BulletinQAError, UsageError
from bulletin_qa.rendering.records import article_row, glossary_record, hit_record
from bulletin_qa.serve.library import AskRequest, Library
from bulletin_qa.serve.schemas import MAX_QUERY, AskBody, NameBody, SummarizeBody, TranslateBody

log = logging.getLogger("bulletin_qa.serve")
router = APIRouter(prefix="/api")
# Query parameters the FastAPI way: constraints in Annotated[..., Query()], defaults as plain defaults.
Since = Annotated[dt.date | None, Query(description="Only articles dated on or after this day (YYYY-MM-DD).")]
Until = Annotated[dt.date | None, Query(description="Only articles dated on or before this day (YYYY-MM-DD).")]
SourceFile = Annotated[str | None, Query(max_length=200)]


def _library(request: Request) -> Library:
    return request.app.state.library


def _range(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise UsageError(f"since {since} is after until {until}.", hint="Swap the two dates.")


def error_status(exc: BulletinQAError) -> int:
    """The HTTP status of a library error: the caller's fault 4xx, the server's or its LLM's 5xx."""
    from bulletin_qa import errors as e

    for kind, status in ((e.NotFound, 404), (e.EmptyInput, 404), (e.InputError, 400), (e.StoreError, 503),
                         (e.LLMNotConfigured, 409), (e.LLMError, 502), (e.GlossaryError, 409)):
        if isinstance(exc, kind):
            return status
    return 500


def error_body(exc: BulletinQAError) -> dict[str, str]:
    """The JSON of every error: message, how to fix it, and the error's kind."""
    return {"error": exc.message, "hint": exc.hint or "", "type": type(exc).__name__}


@router.get("/status", summary="What the server serves: article count, answer mode, model, history")
async def status(request: Request) -> dict[str, Any]:
    """Counts and modes, for the page's header."""
    lib = _library(request)
    bq = lib.bulletin
    count = await lib.read(lambda: bq.records.count_articles())  # noqa: PLW0108  # opens the store off the loop
    llm = bq.llm
    return {"articles": count, "mode": "llm" if llm is not None else "extractive",
            "model": llm.model if llm is not None else None, "history": bq.settings.history,
            "masthead": bq.settings.masthead}


@router.get("/articles", summary="Stored articles without their text, oldest first (articles --json)")
async def articles(request: Request, since: Since = None, until: Until = None,
                   source: SourceFile = None) -> list[dict[str, Any]]:
    """The article listing, filtered by date range and source file."""
    _range(since, until)
    lib = _library(request)
    found = await lib.read(lib.bulletin.articles, since, until, source)
    return [article_row(a) for a in found]


@router.get("/articles/{article_id}", summary="One stored article in full (show --json)")
async def article(request: Request, article_id: str) -> dict[str, Any]:
    """One article with its text."""
    lib = _library(request)
    found = await lib.read(lib.bulletin.article, article_id)
    return found.model_dump(mode="json")


@router.get("/search", summary="Articles that best match a query, with their chunks (search --json)")
async def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)],
                 k: Annotated[int, Query(ge=1, le=50)] = 5, since: Since = None, until: Until = None,
                 source: SourceFile = None,
                 mode: Literal["hybrid", "bm25", "dense"] = "hybrid") -> list[dict[str, Any]]:
    """Hybrid (default), keyword or semantic search."""
    _range(since, until)
    lib = _library(request)
    hits = await lib.retrieve(lib.bulletin.search, q, k=k, since=since, until=until, source=source, mode=mode)
    return [hit_record(i, h) for i, h in enumerate(hits, 1)]


def _sse(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _meta(entry: Any) -> dict[str, Any]:
    return {"conversation": entry.conversation if entry else None, "history_id": entry.id if entry else None}


async def _answer_events(lib: Library, ask: AskRequest) -> AsyncIterator[bytes]:
    """The SSE stream of one question (see the module docstring).

    When the client disconnects, the server cancels this generator: `stop` is then set, and the
    worker's next token raises ClientGone inside the LLM call, which closes the model's stream.
    """
    loop = asyncio.get_running_loop()
    tokens: asyncio.Queue[str] = asyncio.Queue()
    stop = threading.Event()

    def on_token(piece: str) -> None:  # called on a worker thread
        loop.call_soon_threadsafe(tokens.put_nowait, piece)

    work = asyncio.ensure_future(lib.ask(ask, on_token=on_token, stop=stop))
    try:
        while not work.done():
            getter = asyncio.ensure_future(tokens.get())
            try:
                await asyncio.wait({getter, work}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                if not getter.done():
                    getter.cancel()
            if getter.done() and not getter.cancelled():
                yield _sse("token", {"text": getter.result()})
        await asyncio.sleep(0)  # let tokens scheduled by the worker's last callbacks land
        while not tokens.empty():
            yield _sse("token", {"text": tokens.get_nowait()})
    finally:
        if not work.done():  # the client went away (or the server is stopping): stop generating
            stop.set()
            work.cancel()
            work.add_done_callback(_settled)
    try:
        answer, entry = work.result()
    except BulletinQAError as exc:
        yield _sse("error", error_body(exc))
        return
    except Exception:  # noqa: BLE001  # logged here; the client gets no traceback
        log.exception("ask failed")
        yield _sse("error", {"error": "Internal error; see the server log.", "hint": "", "type": "InternalError"})
        return
    yield _sse("meta", _meta(entry))
    yield _sse("answer", answer.model_dump(mode="json"))


def _settled(task: asyncio.Future[Any]) -> None:
    """Collect the outcome of an answer nobody waits for any more (ClientGone, usually)."""
    if not task.cancelled() and task.exception() is not None:
        log.debug("abandoned answer ended with %r", task.exception())


@router.post("/ask",
             summary="Answer a question with checked citations (ask --json); SSE with Accept: text/event-stream")
async def ask(request: Request, body: AskBody) -> Response:
    """Answer from the stored articles; offline (no LLM) the answer quotes article sentences."""
    _range(body.since, body.until)
    lib = _library(request)
    question = AskRequest(question=body.question.strip(), lang=body.lang, since=body.since, until=body.until,
                          k=body.k, conversation=body.conversation)
    if not question.question:
        raise UsageError("The question is empty.", hint='Ask something, e.g. {"question": "谁主持了会议？"}')
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(_answer_events(lib, question), media_type="text/event-stream",
                                 headers={"cache-control": "no-store", "x-accel-buffering": "no"})
    answer, entry = await lib.ask(question)
    meta = _meta(entry)
    headers = {"x-conversation": meta["conversation"] or "", "x-history-id": str(meta["history_id"] or "")}
    return JSONResponse(answer.model_dump(mode="json"), headers=headers)


@router.get("/digest", summary="The digest of a week or a date range (digest --json / --format md|html)")
async def digest(request: Request, week: Annotated[str | None, Query(max_length=10, examples=["2023-W18"])] = None,
                 since: Since = None, until: Until = None,
                 lang: Literal["zh", "en", "both"] = "zh", format: Literal["md", "html", "json"] = "json",
                 source: Annotated[list[str] | None, Query(max_length=20)] = None,
                 by: Literal["page", "event"] = "page", provenance: bool = False) -> Response:
    """Stories of the range, most significant first; `by` picks articles by page date (default) or event date."""
    from bulletin_qa.rendering.html import digests_html
    from bulletin_qa.rendering.markdown import digests_markdown

    lib = _library(request)
    bq = lib.bulletin
    langs: list[str] = ["zh", "en"] if lang == "both" else [lang]

    def make() -> Any:
        first, last = bq.digest_range(week, since, until, by=by, sources=source)
        return bq.digest(since=first, until=last, langs=langs, by=by, sources=source)

    digests = await lib.generate(make)
    if format == "html":
        return HTMLResponse(digests_html(digests, provenance=provenance))
    if format == "md":
        return PlainTextResponse(digests_markdown(digests, provenance=provenance), media_type="text/markdown")
    data = [d.model_dump(mode="json") for d in digests]
    return JSONResponse(data[0] if len(data) == 1 else data)


@router.post("/summarize", summary="Summaries of stored articles, each citing its article (summarize --json)")
async def summarize(request: Request, body: SummarizeBody) -> list[dict[str, Any]]:
    """Short or long summaries in Chinese, English or both (English needs an LLM)."""
    lib = _library(request)
    langs: list[str] = ["zh", "en"] if body.lang == "both" else [body.lang]
    found = await lib.generate(lib.bulletin.summarize, body.ids, langs=langs, length=body.length)
    return [s.model_dump(mode="json") for s in found]


@router.post("/translate", summary="A stored article or a digest in English, numbers and names checked "
                                   "(translate --json, translate --digest FILE --json)")
async def translate(request: Request, body: TranslateBody) -> Any:
    """Needs an LLM; offline the error says what to set.

    `{"article_id"}`: the article (translate ID --json). `{"digest": <GET /api/digest JSON>}`: the
    list of English digests, stories and citations kept (translate --digest FILE.json --json).
    `{"digest": "<Markdown>"}`: the text translated (translate --digest FILE.md --json).
    """
    lib = _library(request)
    bq = lib.bulletin
    translator = await lib.read(bq.translator)
    if body.article_id is not None:
        found = await lib.read(bq.article, body.article_id)
        return (await lib.generate(translator.article, found)).model_dump(mode="json")
    digest = body.digest
    given = digest if isinstance(digest, str | list) else [digest]
    result, _ = await lib.generate(bq.translate_digest, given, translator=translator)
    return result.model_dump(mode="json") if not isinstance(result, list) else [d.model_dump(mode="json")
                                                                                 for d in result]


@router.get("/glossary", summary="The glossary in use (glossary show --json)")
async def glossary(request: Request) -> dict[str, Any]:
    """Entries by section, and the file they come from."""
    lib = _library(request)
    return glossary_record(await lib.read(lambda: lib.bulletin.glossary))


@router.get("/glossary/proposals",
            summary="Proposed entries for names in the stored articles (glossary propose --json)")
async def glossary_proposals(request: Request, since: Since = None, until: Until = None,
                             min_count: Annotated[int, Query(ge=1, le=1000)] = 1) -> dict[str, Any]:
    """Names the glossary does not cover yet, most mentioned first; nothing is merged."""
    _range(since, until)
    lib = _library(request)
    proposals, read = await lib.retrieve(lib.bulletin.propose_names, since, until, min_count=min_count)
    return {"articles_read": read, "proposals": [p.model_dump(mode="json") for p in proposals]}


@router.post("/glossary", summary="Add one entry to the glossary (glossary add)")
async def glossary_add(request: Request, body: NameBody) -> dict[str, Any]:
    """Accept a proposal as it is or edited; a term already rendered otherwise is a 409 naming the file line."""
    from bulletin_qa.names.glossary import Entry

    lib = _library(request)
    entry = Entry(zh=body.zh.strip(), en=body.en.strip(), section=body.section)
    added, kept = await lib.write(lib.bulletin.add_names, [entry])
    as_json = lambda entries: [{"zh": e.zh, "en": e.en, "section": e.section} for e in entries]  # noqa: E731
    return {"added": as_json(added), "kept": as_json(kept)}


@router.get("/history", summary="Questions asked before, newest first (history --json)")
async def history(request: Request, q: Annotated[str | None, Query(max_length=MAX_QUERY)] = None,
                  conversation: Annotated[str | None, Query(max_length=64)] = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[dict[str, Any]]:
    """Turns whose question or answer contains `q`; one conversation oldest first with `conversation`."""
    log_ = _library(request).bulletin.history
    if log_ is None:
        return []
    entries = await _library(request).read(log_.entries, search=q, conversation=conversation, limit=limit)
    if conversation:
        entries.reverse()
    return [e.model_dump(mode="json") for e in entries]
