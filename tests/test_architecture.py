"""The house as drawn by its imports: each job its own room, no arrow running back up the pipeline.

reading -> index -> retrieval -> answering / writing -> rendering -> cli, with text/ and names/
underneath as shared ideas and the facade (bulletin.py) above the core. The table below is the
architecture; a new package must be added to it, and an import it does not allow fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "bulletin_qa"
BASE = {"errors", "models", "messages"}  # messages: the zh/en catalogue, imports nothing

# Package (or top-level module) -> the packages of ours it may import.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "messages": set(),
    "models": {"errors"},
    "settings": {"errors"},
    "prompts_loader": {"errors"},
    "text": BASE,
    "names": BASE | {"text"},
    "reading": BASE | {"text"},
    "llm": BASE | {"settings", "text"},
    "index": BASE | {"reading", "text", "settings"},
    "retrieval": BASE | {"index", "text", "names", "settings"},
    "answering": BASE | {"text", "names", "llm", "prompts_loader", "settings"},
    "writing": BASE | {"text", "names", "llm", "prompts_loader", "settings"},
    "rendering": BASE | {"text", "names", "writing", "answering"},
    "factory": {"index", "llm", "settings"},
    "bulletin": BASE | {"settings", "factory", "index", "retrieval", "llm", "names", "answering", "writing",
                        "reading", "text", "rendering", "history"},
    "evaluation": BASE | {"settings", "factory", "bulletin", "index", "retrieval", "llm", "names", "answering",
                          "writing", "reading", "text"},
    "history": BASE | {"answering", "settings"},
    "serve": BASE | {"bulletin", "rendering", "history", "answering", "names", "settings"},
    "cli": {"*"},
}

# Third-party modules that only some files may import: (module, allowed path prefixes).
CONFINED = [
    ("openai", ("llm/openai_adapter.py",)),
    ("httpx2", ("llm/",)),
    ("chromadb", ("index/store/",)),
    ("typer", ("cli/",)),
    ("rich", ("cli/",)),
    ("fastapi", ("serve/",)),
    ("starlette", ("serve/",)),
    ("uvicorn", ("serve/", "cli/serve.py")),
]


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
        elif isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
    return out


FILES = sorted(SRC.rglob("*.py"))


def test_every_package_is_in_the_table() -> None:
    rooms = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in FILES} - {"__init__"}
    assert rooms <= set(ALLOWED), f"add {sorted(rooms - set(ALLOWED))} to ALLOWED with the imports it may make"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_pipeline(path: Path) -> None:
    rel = path.relative_to(SRC)
    room = rel.parts[0].removesuffix(".py")
    if room == "__init__" or "*" in ALLOWED[room]:
        return
    ours = {m.split(".")[1] for m in _imports(path) if m.startswith("bulletin_qa.")} - {room}
    assert ours <= ALLOWED[room], f"{rel} imports {sorted(ours - ALLOWED[room])}, which {room}/ may not"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_services_stay_in_their_module(path: Path) -> None:
    rel = path.relative_to(SRC).as_posix()
    for module in _imports(path):
        for confined, homes in CONFINED:
            if module.split(".")[0] == confined:
                assert rel.startswith(homes), f"{rel} imports {confined}; only {', '.join(homes)} may"
