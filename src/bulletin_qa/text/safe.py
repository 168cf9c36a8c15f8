"""Outside text made safe to show: articles, files and model replies are data, never terminal control.

Every string that came from an article, a file or a model passes through here before it reaches
a terminal:

- `clean` removes what a terminal would act on: escape sequences (CSI ``ESC [ … m``, OSC
  ``ESC ] … BEL`` such as window titles and hyperlinks, DCS/SOS/PM/APC strings, other ``ESC x``),
  their 8-bit C1 forms (``\\x9b``, ``\\x9d`` …), every other C0/C1 control character except newline
  and tab (a carriage return could overwrite a line) and the bidi overrides that reorder what is
  shown ("Trojan Source"). The visible text stays.
- `for_console` is `clean` plus escaping of rich markup, for text printed by a rich console or put
  in a rich table (``[bold]`` or ``[link=…]`` in an article is shown, not obeyed; ``[/]`` no longer
  raises MarkupError).
- `StreamCleaner` does `clean` on streamed model tokens, where one escape sequence may be split
  across several tokens: the unfinished tail is held back until the next token completes it.

No rich import at module level: `clean` is also used by the core (URLs in messages).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# A complete escape sequence, 7-bit or 8-bit. SEE: ECMA-48 §5 (C1 set, control strings) and §5.4 (CSI).
_STRING_END = r"(?:\x07|\x1b\\|\x9c)"
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"                       # CSI: cursor moves, clear screen, colours
    r"|\x9b[0-?]*[ -/]*[@-~]"                        # CSI, 8-bit
    rf"|\x1b[\]PX^_][^\x07\x1b\x9c]*{_STRING_END}"   # OSC (titles, hyperlinks), DCS, SOS, PM, APC
    rf"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*{_STRING_END}"  # the same, 8-bit introducer
    r"|\x1b[ -/]*[0-OQ-WYZ\\`-~]"                    # nF, Fp, Fe, Fs (not the introducers above)
)
# An escape sequence begun at the end of the text but not finished yet (a streamed token cut it).
_UNFINISHED = re.compile(
    r"(?:\x1b(?:\[[0-?]*[ -/]*|[\]PX^_][^\x07\x1b\x9c]*\x1b?|[ -/]*)"
    r"|\x9b[0-?]*[ -/]*|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*\x1b?)\Z"
)
# Controls left after the sequences are gone: C0 but \t and \n, DEL, C1, and bidi embeddings/overrides/isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# rich markup: an opening bracket that starts a tag, e.g. [bold], [/], [link=...], [#ff0000], [@click].
# SEE: rich/markup.py escape(); written out here so the core needs no rich import.
_MARKUP = re.compile(r"(\\*)(\[[a-zA-Z#/@][^[]*?\])")
# Longest unfinished sequence held back while streaming; past it the text is let through, cleaned.
MAX_HELD_CHARS = 4096


def clean(text: str) -> str:
    """`text` without terminal escape sequences and control characters (newline and tab are kept)."""
    if not text:
        return text
    text = text.replace("\r\n", "\n")
    text = _SEQUENCE.sub("", text)
    text = _UNFINISHED.sub("", text)
    return _CONTROL.sub("", text)


def escape_markup(text: str) -> str:
    """`text` with rich markup tags escaped, so rich prints them literally."""

    def _escape(m: re.Match[str]) -> str:
        backslashes, tag = m.groups()
        return f"{backslashes}{backslashes}\\{tag}"

    text = _MARKUP.sub(_escape, text)
    # A trailing backslash would escape the closing bracket of markup rich adds around the text.
    return text + "\\" if text.endswith("\\") and not text.endswith("\\\\") else text


def for_console(text: object) -> str:
    """Outside text ready for a rich console or table: cleaned, and its markup shown, not obeyed."""
    return escape_markup(clean(str(text)))


class StreamCleaner:
    """`clean` for a stream of tokens: an escape sequence split across tokens is still removed whole."""

    def __init__(self) -> None:
        self._held = ""

    def feed(self, piece: str) -> str:
        """The shareable part of the text so far; an unfinished escape sequence at the end waits."""
        text = _SEQUENCE.sub("", self._held + piece.replace("\r\n", "\n"))
        self._held = ""
        tail = _UNFINISHED.search(text)
        if tail and tail.start() < len(text) and len(text) - tail.start() <= MAX_HELD_CHARS:
            self._held = text[tail.start():]
            text = text[:tail.start()]
        return _CONTROL.sub("", text)

    def flush(self) -> str:
        """What is left at the end of the stream (an unfinished sequence is dropped)."""
        held, self._held = self._held, ""
        return clean(held)


def display_url(url: str) -> str:
    """A URL as it may be shown or stored: without user:password@ (people put keys there), cleaned."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return clean(url.rsplit("@", 1)[-1])
    if "@" not in parts.netloc:
        return clean(url)
    return clean(urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])))


def url_secrets(url: str | None) -> list[str]:
    """The credential written in a URL's userinfo, as written and decoded: the password, else a lone
    user part (``https://TOKEN@host``); a user name beside a password is not secret."""
    if not url:
        return []
    from urllib.parse import unquote

    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    value = parts.password or parts.username
    return list(dict.fromkeys([value, unquote(value)])) if value else []
