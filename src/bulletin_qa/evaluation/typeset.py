"""Typeset a page's articles as a newspaper page (HTML with CSS columns) and print it with Chromium.

The PDF and image versions of the golden pages are made here, at run time, from OUR text pages
(and from the real page when ../shared/data is present, into a temporary folder only): nothing
third-party is committed. Layouts vary because real papers do:

    stacked   a masthead with the page date, then one full-width box per article: its headline
              spans the box, its body runs in 2-3 columns below, a rule between boxes
    grid      boxes of different widths side by side (3fr | 2fr), each headline over its own
              columns, rules around the boxes
    after     as stacked, but every other headline is printed after its body, as on the real page

`print_pdf` and `rasterise` need Debian's chromium, fonts-noto-cjk and poppler-utils (pdftoppm);
`typeset_tools()` says which are missing so tests and the eval can skip with a note.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bulletin_qa.models import Article

LAYOUTS = ("stacked", "grid", "after")
WEEKDAYS = "一二三四五六日"
_CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--no-first-run", "--hide-scrollbars")
PAGE_WIDTH_MM = 260


@dataclass
class PrintedArticle:
    """One article as it is to be printed: headline parts, body paragraphs (dateline first), byline."""

    title: str
    subtitle: str = ""
    kicker: bool = False  # the subtitle is printed above the title (引题)
    paragraphs: list[str] = field(default_factory=list)
    byline: list[str] = field(default_factory=list)  # lines printed after the body


def print_date(date: dt.date) -> str:
    """`2023年5月8日 星期一`, as mastheads print the page date."""
    return f"{date.year}年{date.month}月{date.day}日 星期{WEEKDAYS[date.weekday()]}"


_CSS = """
@page { size: %(width)smm %(height)smm; margin: 10mm; }
body { margin: 0; font-family: 'Noto Serif CJK SC', serif; font-size: 11pt; line-height: 1.6; color: #000; }
.masthead { display: flex; justify-content: space-between; align-items: flex-end;
            border-bottom: 2px solid #000; padding-bottom: 4mm; margin-bottom: 6mm; }
.masthead .name { font-family: 'Noto Sans CJK SC', sans-serif; font-weight: 900; font-size: 40pt; line-height: 1.1; }
.masthead .info { font-size: 12pt; text-align: right; }
.box { border-bottom: 1px solid #000; padding: 3mm 0 6mm 0; margin-bottom: 6mm; break-inside: avoid; }
.grid { display: grid; grid-template-columns: 3fr 2fr; column-gap: 0; }
.grid .box { padding: 3mm 5mm 6mm 5mm; margin: 0; border-bottom: 1px solid #000; }
.grid .box:nth-child(odd) { border-right: 1px solid #000; }
.grid .wide { grid-column: 1 / span 2; border-right: none !important; }
h1 { font-family: 'Noto Sans CJK SC', sans-serif; font-weight: 700; font-size: 22pt; line-height: 1.3;
     margin: 0 0 2mm 0; text-align: center; }
h2 { font-family: 'Noto Sans CJK SC', sans-serif; font-weight: 400; font-size: 14pt; line-height: 1.4;
     margin: 0 0 2mm 0; text-align: center; }
.head { margin-bottom: 5mm; }
.after .head { margin: 6mm 0 0 0; }
.cols { column-gap: 8mm; column-fill: balance; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.byline { text-indent: 0; text-align: right; }
.page { break-before: page; }
"""


def _head(article: PrintedArticle) -> str:
    title = f"<h1>{html.escape(article.title)}</h1>"
    if not article.subtitle:
        return f'<div class="head">{title}</div>'
    subtitle = f"<h2>{html.escape(article.subtitle)}</h2>"
    return f'<div class="head">{subtitle + title if article.kicker else title + subtitle}</div>'


def _box(article: PrintedArticle, columns: int, head_after: bool, css_class: str = "") -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    paras += "".join(f'<p class="byline">{html.escape(b)}</p>' for b in article.byline)
    body = f'<div class="cols" style="column-count: {columns}">{paras}</div>'
    inner = body + _head(article) if head_after else _head(article) + body
    classes = " ".join(c for c in ("box", css_class, "after" if head_after else "") if c)
    return f'<div class="{classes}">{inner}</div>'


def _columns(article: PrintedArticle, wide: bool) -> int:
    chars = sum(len(p) for p in article.paragraphs)
    if not wide:
        return 1 if chars < 500 else 2  # a narrow box holds one column, two when long
    return 3 if chars > 700 else 2  # short articles get two columns, as papers do


@dataclass
class Sheet:
    """One printed page: its articles, layout, masthead date (None: no date printed) and edition."""

    articles: Sequence[PrintedArticle]
    layout: str = "stacked"
    date: dt.date | None = None
    edition: int = 1


def _sheet(sheet: Sheet, paper: str) -> str:
    if sheet.layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {sheet.layout!r}")
    info = f"第{sheet.edition}版" + (f"<br>{print_date(sheet.date)}" if sheet.date else "")
    masthead = f'<div class="masthead"><div class="name">{paper}</div><div class="info">{info}</div></div>'
    chunk = sheet.articles
    if sheet.layout == "grid":
        boxes = []
        for i, article in enumerate(chunk):
            last_odd = i == len(chunk) - 1 and i % 2 == 0
            boxes.append(_box(article, _columns(article, last_odd or i % 2 == 0), False, "wide" if last_odd else ""))
        content = f'<div class="grid">{"".join(boxes)}</div>'
    else:
        content = "".join(_box(a, _columns(a, True), sheet.layout == "after" and i % 2 == 1)
                          for i, a in enumerate(chunk))
    return masthead + content


def document_html(sheets: Sequence[Sheet], *, paper: str = "河湾日报", height_mm: int | None = None) -> str:
    """A newspaper of one or more pages, one sheet each (all pages share the tallest sheet's height)."""
    def height(sheet: Sheet) -> int:
        chars = sum(len(p) for a in sheet.articles for p in a.paragraphs)
        # About 1,400 characters of 11pt text fill 100 mm of the 240 mm wide text area, plus headlines;
        # side-by-side boxes leave more white (uneven box heights), so a grid page gets half as much again.
        text = chars / 14 * (1.5 if sheet.layout == "grid" else 1.0)
        return int(120 + text + 60 * len(sheet.articles))

    body = "".join(f'<div class="{"page" if i else ""}">{_sheet(sheet, paper)}</div>' for i, sheet in enumerate(sheets))
    css = _CSS % {"width": PAGE_WIDTH_MM, "height": height_mm or max(height(s) for s in sheets)}
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head>'
            f"<body>{body}</body></html>")


def page_html(articles: Sequence[PrintedArticle], layout: str, *, date: dt.date | None = None,
              paper: str = "河湾日报") -> str:
    """A one-page newspaper in one of LAYOUTS."""
    return document_html([Sheet(articles, layout, date)], paper=paper)


def _has_cjk_fonts() -> bool:
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
        return "Noto Sans CJK" in listed.stdout and "Noto Serif CJK" in listed.stdout
    fonts = Path("/usr/share/fonts")
    return any(fonts.glob("**/NotoSerifCJK*")) and any(fonts.glob("**/NotoSansCJK*"))


def typeset_tools() -> list[str]:
    """Debian packages missing for printing (chromium, poppler-utils, fonts-noto-cjk); empty when all are there."""
    missing = [package for tool, package in (("chromium", "chromium"), ("pdftoppm", "poppler-utils"))
               if shutil.which(tool) is None]
    return missing + ([] if _has_cjk_fonts() else ["fonts-noto-cjk"])


def print_pdf(page: str, out: Path, timeout: float = 120.0) -> Path:
    """Print an HTML page to `out` with headless Chromium (no network, throwaway profile)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(page, encoding="utf-8")
        cmd = ["chromium", *_CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", src.as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"chromium printed nothing to {out}")
    return out


def rasterise(pdf: Path, out_stem: Path, dpi: int = 150, fmt: str = "png") -> list[Path]:
    """Each page of `pdf` as an image `<out_stem>-<n>.<fmt>` (pdftoppm), like a scan at `dpi`."""
    flag = {"png": "-png", "jpeg": "-jpeg", "tiff": "-tiff"}[fmt]
    subprocess.run(["pdftoppm", flag, "-r", str(dpi), str(pdf), str(out_stem)], check=True, capture_output=True)
    suffix = {"png": ".png", "jpeg": ".jpg", "tiff": ".tif"}[fmt]
    return sorted(out_stem.parent.glob(f"{out_stem.name}-*{suffix}"))


def printed_articles(expected: Sequence[dict[str, Any]], read: Sequence[Article | None]) -> list[PrintedArticle]:
    """What to print for a golden page: its golden headlines over the bodies the text version read.

    `expected` are the golden entries, `read` the Article records of the text page aligned to them
    (None where the text version missed one: that article is left out of the print too).
    """
    out = []
    for entry, article in zip(expected, read):
        if article is None:
            continue
        dateline = entry.get("dateline", "") or ""
        byline = []
        reporters = [r for r in entry.get("reporters", []) if r not in dateline]
        correspondents = [c for c in entry.get("correspondents", []) if c not in dateline]
        if reporters:
            byline.append("记者 " + " ".join(reporters))
        if correspondents:
            byline.append("通讯员 " + " ".join(correspondents))
        out.append(PrintedArticle(title=entry["title"], subtitle=entry.get("subtitle", "") or "",
                                  paragraphs=[p for p in article.text.split("\n") if p.strip()], byline=byline))
    return out
