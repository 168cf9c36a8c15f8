"""Markdown and HTML renderings, and the HTML digest as a phone browser shows it (headless Chromium)."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletin_qa.models import Citation, Digest, DigestEntry, Summary
from bulletin_qa.rendering.html import digests_html
from bulletin_qa.rendering.markdown import digest_markdown, summaries_markdown, translation_markdown
from bulletin_qa.writing.digest import build_digests
from bulletin_qa.writing.translate import Translation

MON, SUN = dt.date(2023, 5, 1), dt.date(2023, 5, 7)


@pytest.fixture
def digest(articles, summarizer_factory) -> Digest:
    (d,) = build_digests(articles, since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory())
    return d


def test_markdown_digest(digest: Digest) -> None:
    md = digest_markdown(digest)
    assert md.startswith("# 新闻周报 · 2023-W18（2023-05-01 至 2023-05-07）\n")
    assert "共 4 条新闻（5 篇文章）" in md and "抽取式摘要" in md
    assert "## 安全与应急" in md and "### 二七区召开防汛工作部署会" in md
    assert "*约 2023-05-07*" in md  # approximate date marked
    # Published form: no store ids, no model footer, no checks (they are editors' provenance).
    assert "来源：[1] 《二七区召开防汛工作部署会》 2023-05-06; [2] 《" in md
    for internal in ("page-0", "model extractive", "textrank", "核对提示"):
        assert internal not in md, internal
    assert md.rstrip().endswith("《实验小学举办读书节》 2023-05-07")


@pytest.mark.parametrize(("masthead", "lang", "title"), [
    ("二七报", "zh", "# 二七报 · 新闻周报 · 2023-W18（2023-05-01 至 2023-05-07）\n"),
    ("Erqi News", "en", "# Erqi News · Weekly digest · 2023-W18 (2023-05-01 to 2023-05-07)\n"),
    ("", "en", "# Weekly digest · 2023-W18 (2023-05-01 to 2023-05-07)\n"),
])
def test_masthead_heads_the_digest(masthead: str, lang: str, title: str) -> None:
    d = Digest(since=MON, until=SUN, lang=lang, masthead=masthead)  # type: ignore[arg-type]
    assert digest_markdown(d).startswith(title)
    assert f"<h1>{html.escape(title[2:].split(' · 2023', maxsplit=1)[0])} · 2023-W18</h1>" in digests_html([d])


def test_provenance_is_shown_only_when_asked(digest: Digest) -> None:
    digest.warnings = ["二七区召开防汛工作部署会: number '9' not in the article"]
    md = digest_markdown(digest, provenance=True)
    published, editors = md.split("\n---\n")
    assert "page-01" not in published and "textrank" not in published
    assert "## 出处（编辑用，不发布）" in editors and f"hash {digest.prompt_hash}" in editors
    assert "核对提示：二七区召开防汛工作部署会: number '9'" in editors
    assert "- 二七区召开防汛工作部署会：page-01, page-02" in editors
    assert "selected by event date" in editors


def test_untitled_sources_are_named_without_ids() -> None:
    d = Digest(since=MON, until=SUN, lang="zh", entries=[DigestEntry(
        headline="第三届民俗文化节开幕", summary="开幕。", article_ids=["corpus-0007"],
        citations=[Citation(n=1, article_id="corpus-0007", title="", date=None)])])
    assert "来源：[1] （无标题） 日期不详" in digest_markdown(d)
    assert "[1] （无标题） <span" in digests_html([d])


def test_markdown_escapes_model_text_at_line_starts() -> None:
    d = Digest(since=MON, until=SUN, lang="en", entries=[DigestEntry(
        headline="# Not a heading", summary="- not a list", article_ids=["a-1"], status="new")])
    md = digest_markdown(d)
    assert "### \\# Not a heading" in md and "\n\\- not a list\n" in md and "· new" in md


def test_markdown_summaries_and_translation() -> None:
    s = Summary(article_id="a-1", title="标题", lang="zh", text="摘要。", mode="extractive",
                citation=Citation(n=1, article_id="a-1", title="标题", date=MON), model="extractive",
                prompt="textrank", prompt_hash="h1", warnings=["x"])
    md = summaries_markdown([s])
    assert "## 标题" in md and "抽取式摘要" in md and "[1] a-1 《标题》 2023-05-01" in md and "- 核对提示：x" in md
    t = Translation(source="a-1", title="Title", text="Body.", number_issues=["number '1' missing"],
                    citation=Citation(n=1, article_id="a-1", title="标题"), model="m", prompt="translate.en",
                    prompt_hash="h2")
    md = translation_markdown(t)
    assert md.startswith("# Title\n\nBody.") and "- number '1' missing" in md and "hash h2" in md


def test_html_is_self_contained_and_escaped(digest: Digest) -> None:
    digest.entries[0].headline = "<script>alert(1)</script>"
    page = digests_html([digest])
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for external in ("<script", "<link", "<img", "src=", "href=", "http://", "https://", "@import", "url("):
        assert external not in page, external
    assert page.count("<article>") == 4 and '<html lang="zh-CN">' in page


def test_html_keeps_provenance_in_a_comment_nothing_can_close(digest: Digest) -> None:
    digest.entries[0].headline = "标题 --> <b>x</b> <!-- y"
    page = digests_html([digest])
    body, comment = page.split("<!-- bulletin-qa provenance\n")
    assert "page-01" not in body and "textrank" not in body and "<footer>" not in body
    assert comment.count("-->") == 1 and comment.endswith("-->\n</html>\n")
    import json

    record = json.loads(comment.rsplit("\n-->", 1)[0])
    assert record[0]["stories"][0] == {"headline": "标题 --> <b>x</b> <!-- y", "article_ids": ["page-01", "page-02"]}
    assert record[0]["prompt_hash"] == digest.prompt_hash
    shown = digests_html([digest], provenance=True)
    assert "<footer><h2>出处（编辑用，不发布）</h2>" in shown and "&lt;b&gt;x&lt;/b&gt;" in shown


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PHONE = (390, 844)  # CSS pixels of a common phone (iPhone 12-15)


def phone_frame(page: str) -> str:
    """The page inside a phone-sized iframe, with a probe writing what the reader sees into the outer DOM.

    Headless Chromium will not make a window narrower than 500 px, so the phone width comes
    from the iframe; srcdoc keeps the frame same-origin, so the probe may read its layout.
    """
    return (f'<!DOCTYPE html><html><body style="margin:0"><iframe id="phone" style="width:{PHONE[0]}px;'
            f'height:{PHONE[1]}px;border:0" srcdoc="{html.escape(page, quote=True)}"></iframe>'
            '<pre id="seen"></pre><script>addEventListener("load", () => {'
            ' const d = document.getElementById("phone").contentDocument;'
            ' const out = document.getElementById("seen");'
            ' out.dataset.scrollWidth = d.documentElement.scrollWidth;'
            ' out.dataset.fontSize = getComputedStyle(d.body).fontSize;'
            ' out.textContent = d.body.innerText; });</script></body></html>')


def _chromium(*args: str, profile: Path, size: tuple[int, int] = (500, 900)) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", "--hide-scrollbars"]
    return subprocess.run([CHROMIUM, *flags, *args], check=False, capture_output=True, text=True, timeout=90)  # type: ignore[list-item]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium); "
                                              "CI installs it to check the HTML digest in a real browser")
def test_html_digest_in_a_phone_sized_browser(digest: Digest, tmp_path: Path) -> None:
    framed = tmp_path / "phone.html"
    framed.write_text(phone_frame(digests_html([digest])), encoding="utf-8")
    done = _chromium("--dump-dom", framed.as_uri(), profile=tmp_path / "profile-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    seen = re.search(r'<pre id="seen" data-scroll-width="(\d+)" data-font-size="([\d.]+)px">(.*?)</pre>',
                     done.stdout, re.DOTALL)
    assert seen, done.stdout[-1000:]
    assert int(seen.group(1)) <= PHONE[0], "the page scrolls sideways on a phone"
    assert float(seen.group(2)) >= 16, "body text too small to read on a phone"
    text = html.unescape(seen.group(3))
    assert re.match(r"新闻周报 · 2023-W18\s+2023-05-01 至 2023-05-07 · 共 4 条新闻", text)
    for entry in digest.entries:
        assert entry.headline in text and entry.citations[0].title in text
        assert entry.citations[0].article_id not in text
    assert "约 2023-05-07" in text
    # A screenshot of the phone-sized frame, for people to look at (kept in the test's tmp dir).
    shot = tmp_path / "digest-phone.png"
    done = _chromium(f"--screenshot={shot}", framed.as_uri(), profile=tmp_path / "profile-shot")
    assert done.returncode == 0 and shot.stat().st_size > 10_000
