"""Bad documents: one clear error each, in the library and at the CLI, and nothing stored changes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from bulletin_qa.errors import EmptyInput, MissingExtra, UnreadableDocument
from bulletin_qa.reading import read_paths
from bulletin_qa.reading.formats import ocr as ocr_module
from fakes import HashingFakeEmbedder

from .helpers import SAMPLES

runner = CliRunner()


def minimal_pdf(extra_objects: list[bytes] = (), trailer: bytes = b"") -> bytes:  # type: ignore[assignment]
    """A valid one-page PDF with nothing on its page (objects and trailer entries may be added)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] >>", *extra_objects]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer + b" >>\n"
    return out + f"startxref\n{xref}\n%%EOF\n".encode()


# A standard security handler whose user password is not empty (the /U check fails for "").
ENCRYPTED = minimal_pdf([b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"],
                        b"/Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">]")


@pytest.mark.parametrize(
    ("name", "data", "error", "message"),
    [
        ("empty.pdf", b"", EmptyInput, r"empty.pdf is empty \(0 bytes\)"),
        ("corrupt.pdf", b"%PDF-1.4\n1 0 obj << /Type /Cat", UnreadableDocument, "is not a readable PDF"),
        ("locked.pdf", ENCRYPTED, UnreadableDocument, "is password-protected"),
        ("notes.pdf", b"just some text, not a PDF", UnreadableDocument, "is not a readable PDF"),
        ("broken.png", b"\x89PNG\r\n\x1a\n\x00\x00", UnreadableDocument, "is not a readable image"),
        ("empty.html", b"   ", EmptyInput, "empty.html is empty"),
        ("menu.html", "<html><body><nav><a href='/'>首页</a></nav></body></html>".encode(), EmptyInput,
         "No article text found"),
    ],
)
def test_bad_documents_raise_one_clear_error(tmp_path: Path, name: str, data: bytes, error: type[Exception],
                                             message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error, match=message) as caught:
        read_paths([path])
    assert caught.value.hint  # type: ignore[attr-defined]


def test_pdf_with_a_blank_page_and_no_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(minimal_pdf())
    with pytest.raises(EmptyInput, match=r"No text found in .*blank.pdf \(1 page\)"):
        read_paths([path])


def test_image_with_no_text(tmp_path: Path) -> None:
    cv2 = pytest.importorskip("cv2")
    np = pytest.importorskip("numpy")
    path = tmp_path / "white.png"
    cv2.imwrite(str(path), np.full((300, 400, 3), 255, dtype=np.uint8))
    with pytest.raises(EmptyInput, match="No text found in .*white.png"):
        read_paths([path])


def test_a_damaged_document_in_a_folder_is_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "locked.pdf").write_bytes(ENCRYPTED)
    (tmp_path / "hewan-2024-01-08.txt").write_bytes((SAMPLES / "pages" / "hewan-2024-01-08.txt").read_bytes())
    result = read_paths([tmp_path])
    assert result.skipped == ["locked.pdf: damaged, password-protected or not what its name says, skipped"]
    assert len(result.articles) == 4


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Pretend the `ocr` extra is not installed."""
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    ocr_module.ocr_engine.cache_clear()
    yield
    ocr_module.ocr_engine.cache_clear()


def test_missing_ocr_extra_names_the_install_command(tmp_path: Path, no_ocr: None) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(MissingExtra) as caught:
        read_paths([path])
    assert str(caught.value) == ("Reading scanned pages and photos needs the OCR extra, which is not installed. "
                                 'Install it with: pip install "bulletin-qa[ocr]"')


def ingest(*args: object, obj: object = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["ingest", *map(str, args)], obj=obj)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("locked.pdf", ENCRYPTED, "Error: {path} is password-protected. Save an unprotected copy"),
        ("scan.png", b"\x89PNG\r\n\x1a\n", ('Error: Reading scanned pages and photos needs the OCR extra, which is '
                                            'not installed. Install it with: pip install "bulletin-qa[ocr]"')),
    ],
)
def test_cli_ingest_bad_document_leaves_the_store_alone(tmp_path: Path, no_ocr: None, name: str, data: bytes,
                                                        message: str) -> None:
    parts = {"embedder": HashingFakeEmbedder()}
    store = tmp_path / "vs"
    first = ingest(SAMPLES / "pages" / "hewan-2024-01-08.txt", "--store", store, "--json", obj=parts)
    assert first.exit_code == 0, first.stderr
    path = tmp_path / name
    path.write_bytes(data)
    bad = ingest(path, "--store", store, obj=parts)
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert bad.stderr.startswith(message.format(path=path)) and bad.stderr.count("Error:") == 1
    again = ingest(SAMPLES / "pages" / "hewan-2024-01-08.txt", "--store", store, "--json", obj=parts)
    assert json.loads(again.stdout)["articles_unchanged"] == 4
