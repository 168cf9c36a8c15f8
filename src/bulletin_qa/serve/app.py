"""The FastAPI app: routes (api.py), the page (static/), errors as JSON, the safety guard (guard.py).

    app = create_app(Bulletin(settings))                     # what `bulletin-qa serve` runs
    app = create_app(Bulletin(settings, embedder=fake, llm=fake_llm))   # what tests run

Every error is JSON `{"error", "hint", "type"}` with a 4xx for the caller's mistakes (a bad date,
an unknown id, a question over the size limit, malformed JSON) and a 5xx for the server's; no
traceback ever reaches a client. FastAPI's own /docs page loads Swagger from a CDN, so it is off:
/docs is our page reading /openapi.json.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from bulletin_qa.errors import BulletinQAError
from bulletin_qa.serve.api import error_body, error_status, router
from bulletin_qa.serve.guard import LOOPBACK_HOSTS, Guard, RateLimit
from bulletin_qa.serve.library import Library

if TYPE_CHECKING:
    from bulletin_qa.bulletin import Bulletin

log = logging.getLogger("bulletin_qa.serve")
STATIC = files("bulletin_qa.serve") / "static"
PAGES = {"/": "index.html", "/docs": "docs.html"}
ASSETS = {"app.js": "text/javascript", "app.css": "text/css", "docs.js": "text/javascript",
          "icon.svg": "image/svg+xml"}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
    return "Bad request: " + "; ".join(parts) + "."


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(BulletinQAError)
    async def library_error(request: Request, exc: BulletinQAError) -> JSONResponse:
        return JSONResponse(error_body(exc), status_code=error_status(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # The problems without the `input` FastAPI would echo back (it may be a 64 KiB body).
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"error": _validation_message(exc), "hint": "See /docs for the request shapes.",
                             "type": "BadRequest", "detail": detail}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        message = "No such page or API path." if exc.status_code == 404 else str(exc.detail)
        return JSONResponse({"error": message, "hint": "See /docs for the API.", "type": "HTTPError"},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"error": "Internal error; see the server log.", "hint": "", "type": "InternalError"},
                            status_code=500)


def _install_pages(app: FastAPI) -> None:
    def page(name: str) -> Any:
        async def serve_page() -> Response:
            return FileResponse(str(STATIC / name), media_type="text/html; charset=utf-8",
                                headers={"cache-control": "no-cache"})
        return serve_page

    for path, name in PAGES.items():
        app.add_api_route(path, page(name), methods=["GET"], include_in_schema=False)

    async def asset(name: str) -> Response:
        if name not in ASSETS:
            raise HTTPException(404)
        return FileResponse(str(STATIC / name), media_type=ASSETS[name], headers={"cache-control": "no-cache"})

    app.add_api_route("/static/{name}", asset, methods=["GET"], include_in_schema=False)


def create_app(bulletin: Bulletin, *, token: str | None = None, cors: list[str] | None = None,
               loopback_only: bool = True, warm_up: bool = True, rate: int | None = None,
               lanes: dict[str, int] | None = None) -> FastAPI:
    """The server over one library: token checked on every request when given; CORS only for `cors` origins.

    loopback_only (no token): only localhost Host headers are served (DNS-rebinding guard).
    rate: requests a minute per client (default: the serve_rate setting; 0 = no limit).
    lanes: thread counts by lane, e.g. {"retrievers": 2} (library.py: readers, retrievers, llm_workers).
    """
    library = Library(bulletin, **(lanes or {}))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            try:
                await library.retrieve(library.warm_up)
            except BulletinQAError as exc:  # an empty or missing store: the page says so per request
                log.warning("warm-up skipped: %s", exc)
            except Exception:  # noqa: BLE001  # serve anyway; each request reports its own failure
                log.exception("warm-up failed")
        yield
        library.close()

    app = FastAPI(title="bulletin-qa", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Questions with checked citations, digests, summaries and translations over "
                              "Chinese district news. JSON shapes are those of the CLI's --json.")
    app.state.library = library
    app.include_router(router)
    _install_pages(app)
    _install_errors(app)
    hosts = LOOPBACK_HOSTS if (loopback_only and token is None) else None
    per_minute = bulletin.settings.serve_rate if rate is None else rate
    app.add_middleware(Guard, token=token, allowed_hosts=hosts, rate=RateLimit(per_minute))
    if cors:  # added last, so outermost: it answers preflight requests, which never carry the token
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors, allow_methods=["GET", "POST"],
                           allow_headers=["authorization", "content-type", "accept"],
                           expose_headers=["x-conversation", "x-history-id"])
    return app
