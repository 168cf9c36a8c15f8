"""A digest as one self-contained HTML file: inline CSS, system fonts, no scripts, images or links out.

Laid out for a phone first (one column, 17px text, generous line height for Chinese), widened
with a max-width on larger screens; follows the reader's dark mode setting.

Ready to publish: store ids, checks and the model footer are not shown; they travel in an HTML
comment at the end of the file (provenance_comment), or as a visible section with provenance=True.
"""

from __future__ import annotations

import json
from html import escape
from itertools import groupby
from typing import Any

from bulletin_qa.messages import msg
from bulletin_qa.models import Citation, Digest
from bulletin_qa.rendering.labels import digest_counts, digest_span, digest_title, entry_date, provenance_line

CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5f6368; --line: #e3e3e6; --accent: #b3261e;
        --bg: #ffffff; --card: #f7f7f8; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #ececee; --muted: #a8abb0; --line: #3a3b3f; --accent: #ff8a80; --bg: #17181a; --card: #222326; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
       font: 17px/1.75 -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB",
             "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; overflow-wrap: break-word; }
.nw { white-space: nowrap; }
main { max-width: 42rem; margin: 0 auto; padding: 1.25rem 1rem 2.5rem; }
h1 { font-size: 1.45rem; line-height: 1.35; margin: 0 0 .35rem; }
.counts { color: var(--muted); font-size: .9rem; margin: 0 0 1.25rem; }
h2 { font-size: 1.05rem; margin: 1.75rem 0 .6rem; padding-left: .6rem; border-left: 4px solid var(--accent); }
article { background: var(--card); border-radius: 12px; padding: .9rem 1rem; margin: 0 0 .9rem; }
h3 { font-size: 1.12rem; line-height: 1.45; margin: 0 0 .25rem; }
.meta { color: var(--muted); font-size: .85rem; margin: 0 0 .4rem; }
.badge { display: inline-block; font-size: .75rem; line-height: 1.4; padding: 0 .45rem; border-radius: 999px;
         border: 1px solid var(--accent); color: var(--accent); margin-left: .35rem; }
.summary { margin: 0 0 .5rem; }
.sources { color: var(--muted); font-size: .8rem; line-height: 1.5; margin: 0; padding-left: 1.1rem; }
.checks { font-size: .85rem; }
footer { color: var(--muted); font-size: .75rem; border-top: 1px solid var(--line); margin-top: 2rem;
         padding-top: .75rem; }
section + section { border-top: 2px solid var(--line); margin-top: 2.5rem; }
"""


def _citation(c: Citation, lang: str) -> str:
    """'[1] 《title》 date' (published form: no store id), the date kept on one line."""
    title = f"《{escape(c.title)}》" if c.title else escape(msg("untitled", lang))
    date = escape(str(c.date) if c.date else msg("no_date", lang))
    return f'[{c.n}] {title} <span class="nw">{date}</span>'


def provenance_comment(record: Any) -> str:
    """A JSON record as an HTML comment that no text inside it can close early."""
    text = json.dumps(record, ensure_ascii=False, indent=1)
    # JSON strings may carry '<', '>' and '--'; their \u escapes keep the comment intact.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("--", "-\\u002d")
    return f"<!-- bulletin-qa provenance\n{text}\n-->"


def _provenance_section(digest: Digest) -> str:
    lang = digest.lang
    colon = msg("colon", lang)
    items = [f"{msg('made_by', lang)}{colon}{provenance_line(digest)}",
             f"selected by {digest.selected_by} date" + (f"; sources: {', '.join(digest.sources)}"
                                                          if digest.sources else "")]
    items += [f"{msg('checks', lang)}{colon}{w}" for w in digest.warnings]
    items += [f"{e.headline}{colon}{', '.join(e.article_ids)}" for e in digest.entries]
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f'<footer><h2>{escape(msg("provenance", lang))}</h2><ul class="checks">{lis}</ul></footer>'


def _section(digest: Digest, provenance: bool) -> str:
    lang = digest.lang
    counts = f'<span class="nw">{escape(digest_span(digest))}</span> · {escape(digest_counts(digest))}'
    if digest.mode == "extractive":
        counts += f" · {escape(msg('extractive_summary', lang))}"
    parts = [f'<section lang="{"zh-CN" if lang == "zh" else "en"}">',
             f"<h1>{escape(digest_title(digest, with_span=False))}</h1>", f'<p class="counts">{counts}</p>']
    for theme, entries in groupby(digest.entries, key=lambda e: e.theme):
        if theme:
            parts.append(f"<h2>{escape(theme)}</h2>")
        for entry in entries:
            badge = f'<span class="badge">{escape(msg(entry.status, lang))}</span>' if entry.status else ""
            items = "".join(f"<li>{_citation(c, lang)}</li>" for c in entry.citations)
            sources = f'<ul class="sources" aria-label="{escape(msg("sources", lang))}">{items}</ul>' if items else ""
            parts.append(
                "<article>"
                f"<h3>{escape(entry.headline)}</h3>"
                f'<p class="meta"><span class="nw">{escape(entry_date(entry, lang))}</span>{badge}</p>'
                f'<p class="summary">{escape(entry.summary)}</p>'
                f"{sources}"
                "</article>")
    if provenance:
        parts.append(_provenance_section(digest))
    parts.append("</section>")
    return "\n".join(parts)


def digests_html(digests: list[Digest], *, provenance: bool = False) -> str:
    """One HTML document holding the digests (one section per language), provenance in a comment at the end."""
    from bulletin_qa.writing.digest import digest_provenance

    lang = "zh-CN" if digests and digests[0].lang == "zh" else "en"
    title = digest_title(digests[0]) if digests else "Digest"
    body = "\n".join(_section(d, provenance) for d in digests)
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n"
            f"{provenance_comment(digest_provenance(digests))}\n</html>\n")
