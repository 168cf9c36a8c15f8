"""A server over the sample pages: the FAKE HashingFakeEmbedder and, where asked, a FakeLLM, handed to the
`Bulletin` the app is built on (no module is patched)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_qa.bulletin import Bulletin
from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.settings import load_settings
from fakes import HashingFakeEmbedder

pytest.importorskip("fastapi", reason="the serve extra is not installed: pip install -e '.[serve]'")

from fastapi.testclient import TestClient  # noqa: E402

from bulletin_qa.serve.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "samples" / "pages"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample pages ingested once (FAKE embedder); tests get copies."""
    base = tmp_path_factory.mktemp("serve-store")
    settings = load_settings(store=base / "vs", home=base / "home")
    report = Bulletin(settings, embedder=HashingFakeEmbedder()).ingest([PAGES])
    assert report.articles_new == 19
    return base / "vs"


@pytest.fixture
def library(sample_store: Path, tmp_path: Path) -> Any:
    """Build a Bulletin over a fresh copy of the sample store: library(llm=None | FakeLLM, **settings)."""
    copy = tmp_path / "vs"
    shutil.copytree(sample_store, copy)

    def build(llm: FakeLLM | None = None, **settings: Any) -> Bulletin:
        return Bulletin(load_settings(store=copy, **settings), embedder=HashingFakeEmbedder(), llm=llm)

    return build


@pytest.fixture
def client(library: Any) -> Iterator[TestClient]:
    """An offline (extractive) server on loopback, no token."""
    with TestClient(create_app(library()), base_url="http://127.0.0.1:8000") as c:
        yield c


def serve(bulletin: Bulletin, **kwargs: Any) -> TestClient:
    """A test client over create_app(bulletin, **kwargs) (use it as a context manager)."""
    base = kwargs.pop("base_url", "http://127.0.0.1:8000")
    raise_errors = kwargs.pop("raise_server_exceptions", True)
    return TestClient(create_app(bulletin, **kwargs), base_url=base, raise_server_exceptions=raise_errors)


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def start_server(library: Any) -> Iterator[Any]:
    """start_server(llm | Bulletin, **create_app kwargs) -> base URL of a live uvicorn server in a thread."""
    uvicorn = pytest.importorskip("uvicorn", reason="needs the serve extra")
    servers: list[tuple[Any, threading.Thread]] = []

    def start(llm: Any = None, **kwargs: Any) -> str:
        port = free_port()
        bulletin = llm if isinstance(llm, Bulletin) else library(llm)
        server = uvicorn.Server(uvicorn.Config(create_app(bulletin, **kwargs), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
