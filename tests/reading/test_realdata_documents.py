"""The real page typeset as a newspaper PDF (in a temporary folder only: third-party text).

Its golden entries carry no body text, so the print takes its bodies from the text version and
its headlines from the golden file; the PDF must give back the same six articles.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bulletin_qa.evaluation.typeset import Sheet, document_html, print_pdf
from bulletin_qa.reading import read_paths

from .helpers import GOLDEN, REAL_PAGE, needs_real_page
from .newspaper import needs_printing, printed
from .test_realdata import EXPECTED

pytestmark = [pytest.mark.realdata, needs_real_page, needs_printing]


@pytest.mark.parametrize("layout", ["grid", "after"])
def test_real_page_as_pdf(tmp_path: Path, layout: str) -> None:
    [row] = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if '"realdata": true' in line]
    pdf = print_pdf(document_html([Sheet(printed(REAL_PAGE.name, REAL_PAGE, row["articles"]), layout)]),
                    tmp_path / "erqi-2023-05.pdf")
    articles = read_paths([pdf]).articles
    got = [(a.title, a.subtitle, a.date.isoformat(), a.date_approximate, a.reporters, a.correspondents)  # type: ignore[union-attr]
           for a in articles]
    assert got == EXPECTED
    assert [a.id for a in articles] == [f"erqi-2023-05-{i:02d}" for i in range(1, 7)]
