"""The serve command: the reading room and the JSON API over one warm library (thin: check, build, run)."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

import typer

from bulletin_qa.cli.common import ChromaUrlOpt, EmbedderOpt, StoreOpt, note, open_bulletin
from bulletin_qa.errors import UsageError

TOKEN = re.compile(r"^[A-Za-z0-9._~-]{16,200}$")  # cookie- and header-safe, long enough not to guess
MAKE_TOKEN = "python -c 'import secrets; print(secrets.token_urlsafe(24))'"


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_token(host: str, token: str | None) -> None:
    """A non-loopback host needs a token; a token must be long and cookie-safe."""
    if token is not None and not TOKEN.match(token):
        raise UsageError("The token must be 16 to 200 characters of letters, digits and . _ ~ -.",
                         hint=f"Make one with: {MAKE_TOKEN}")
    if token is None and not is_loopback(host):
        raise UsageError(f"--host {host} is reachable from other machines, so it needs a token.",
                         hint=f"Pass --token or set BULLETIN_QA_SERVE_TOKEN (make one with: {MAKE_TOKEN}), "
                              "or serve on 127.0.0.1.")


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to bind; any but loopback needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="BULLETIN_QA_SERVE_TOKEN", show_envvar=True,
        help="Require this token on every request (Authorization: Bearer, or open /?token=… once).")] = None,
    cors: Annotated[list[str] | None, typer.Option(
        "--cors", help="Allow browser pages from this origin to call the API (repeatable); none by default.")] = None,
    rate: Annotated[int | None, typer.Option(
        "--rate", min=0, envvar="BULLETIN_QA_SERVE_RATE", show_envvar=True,
        help="Requests a minute per client (its token, else its address); over it 429. 0 = no limit. "
             "[default: 600]")] = None,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
) -> None:
    """Serve the reading room (http://127.0.0.1:8000/) and the JSON API (/docs) over the store."""
    check_token(host, token)
    try:
        import uvicorn

        from bulletin_qa.serve.app import create_app
    except ImportError as exc:
        raise UsageError(f"`serve` needs the serve extra ({exc.name} is not installed).",
                         hint="pip install 'bulletin-qa[serve]'") from None
    bq = open_bulletin(ctx, store=store, chroma_url=chroma_url, embedder=embedder, serve_rate=rate)
    app = create_app(bq, token=token, cors=cors, loopback_only=is_loopback(host))
    shown = f"[{host}]" if ":" in host else host
    note(f"Serving {bq.location} at http://{shown}:{port}/ (API docs at /docs)"
         + (f"; open http://{shown}:{port}/?token=YOUR_TOKEN once in a browser." if token else ".")
         + " Ctrl-C stops.")
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning", server_header=False)


def register(app: typer.Typer) -> None:
    """Add the serve command to the root app."""
    app.command("serve")(serve)
