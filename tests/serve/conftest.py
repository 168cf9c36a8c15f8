"""A server over the sample pages: the FAKE HashingFakeEmbedder and, where asked, a FakeLLM, handed to the
`Bulletin` the app is built on (no module is patched)."""

from __future__ import annotations

import shutil
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
