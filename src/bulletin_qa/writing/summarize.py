"""Article summaries: through the LLM prompts when one is configured, extractive Chinese offline.

Every summary cites its article, records model / prompt / prompt hash, and is cached per
(article content, language, length, prompt hash, model, glossary lines given), so re-running a
summary or digest over unchanged articles makes no LLM call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from bulletin_qa.errors import LLM_HINT, NO_LLM, LLMError, NotFound
from bulletin_qa.llm.base import LLM
from bulletin_qa.llm.json_reply import parse_json_reply, strip_fences
from bulletin_qa.models import Article, Citation, Summary, Usage, sha256_hex
from bulletin_qa.names.glossary import Glossary
from bulletin_qa.names.service import Names
from bulletin_qa.prompts_loader import fence, load_prompt
from bulletin_qa.text.numbers import check_numbers
from bulletin_qa.writing import textrank
from bulletin_qa.writing.correction import CORRECT_PROMPT, correct_once
from bulletin_qa.writing.english_checks import check_english, normalise_names, title_findings, without_covered
from bulletin_qa.writing.summary_cache import SummaryCache, cache_key

Lang = Literal["zh", "en"]
Length = Literal["short", "long"]
Progress = Callable[[int, int, str], None]

SUMMARY_PROMPTS: dict[str, str] = {"zh": "summarize.zh", "en": "summarize.en"}
# Upper bounds given to the prompt: Chinese in characters, English in words.
LIMITS: dict[tuple[str, str], int] = {("zh", "short"): 100, ("zh", "long"): 300,
                                      ("en", "short"): 60, ("en", "long"): 180}
# ~4,000 prompt tokens of Chinese: fits the 8k context of small local models with room to answer.
MAX_ARTICLE_CHARS = 6000
# The reply shape both summary prompts ask for, sent as structured output where the endpoint takes it.
SUMMARY_SCHEMA: dict[str, Any] = {"type": "object", "required": ["headline", "summary"],
                                  "properties": {"headline": {"type": "string"}, "summary": {"type": "string"}}}
EXTRACTIVE_MODEL = "extractive"
EXTRACTIVE_PROMPT = "textrank"
# A dateline the reader left at the start of a sentence: 本报讯, 本报3月13日讯（记者 陆晴）, 新华社清川3月12日电,
# 本报记者 陆晴 通讯员 高原 报道.
_DATELINE = re.compile(r"^(?:本报记者[^，。]{0,30}?报道|本报讯|本报[^，。]{0,12}?讯|新华社[^，。]{0,12}?电)\s*"
                       r"(?:[（(][^）)]{0,40}[）)])?\s*")


def citation_for(article: Article, n: int = 1, quote: str = "", verified: bool = False) -> Citation:
    """The citation of one article."""
    return Citation(n=n, article_id=article.id, title=article.title, date=article.date, quote=quote,
                    verified=verified)


class Summarizer:
    """Summarises articles with an optional LLM, a glossary and a cache; sums the LLM usage."""

    def __init__(self, *, llm: LLM | None, glossary: Glossary | None = None, cache: SummaryCache | None = None,
                 correct: bool = True) -> None:
        self.llm = llm
        self.correct = correct  # one corrective round when the checks find problems (writing.correction)
        self.glossary = glossary or Glossary()
        self.names = Names(glossary=self.glossary)  # + the people and standard titles each article names
        self.cache = cache or SummaryCache(None)
        self.usage = Usage()

    def summarize(self, article: Article, lang: Lang, length: Length = "short") -> Summary:
        """One summary: LLM when configured; offline, extractive Chinese or the English glossary note."""
        if self.llm is not None:
            return self._with_llm(article, lang, length)
        if lang == "zh":
            return self._extractive(article, length)
        return self.names_only(article, length)

    def _cached(self, key: str) -> Summary | None:
        payload = self.cache.get(key)
        return Summary.model_validate(payload) if payload is not None else None

    def _extractive(self, article: Article, length: Length) -> Summary:
        key = cache_key("summary", article.content_hash, "zh", length, textrank.ALGORITHM_HASH, EXTRACTIVE_MODEL,
                        _DATELINE.pattern)
        if cached := self._cached(key):
            return cached
        picked = textrank.extract(article.text, length)
        sentences = [_DATELINE.sub("", sentence) for sentence in picked.sentences]
        text = "".join(sentences) or article.title
        summary = Summary(
            article_id=article.id, title=article.title, date=article.date, lang="zh", length=length, text=text,
            mode="extractive", citation=citation_for(article, quote=sentences[0] if sentences else "",
                                                     verified=bool(sentences)),
            model=EXTRACTIVE_MODEL, prompt=EXTRACTIVE_PROMPT, prompt_hash=textrank.ALGORITHM_HASH)
        self.cache.put(key, "summary", summary.model_dump(mode="json"))
        return summary

    def names_only(self, article: Article, length: Length = "short") -> Summary:
        """Offline English: what to configure, plus the glossary rendering of the article's names."""
        from bulletin_qa.names.propose import find_names, place_english

        source = f"{article.title}\n{article.text}"
        bylines = [*article.reporters, *article.correspondents]
        relevant = self.names.glossary_for(source, bylines).relevant(source + "\n" + "\n".join(bylines))
        names = {e.zh: e.en for e in relevant}
        people = frozenset([*self.names.people_in(source), *bylines])
        for (section, name), _ in sorted(find_names([article], people).items(), key=lambda kv: -kv[1][0]):
            if section == "places" and not any(name in known for known in names):
                names[name] = place_english(name)
        listed = "; ".join(f"{zh} = {en}" for zh, en in names.items()) or "none found"
        text = f"No English summary. {NO_LLM}. {LLM_HINT} Names in this article: {listed}."
        return Summary(article_id=article.id, title=article.title, date=article.date, lang="en", length=length,
                       text=text, mode="glossary", citation=citation_for(article), names=names,
                       model=None, prompt="glossary", prompt_hash=self.glossary.hash)

    def _with_llm(self, article: Article, lang: Lang, length: Length) -> Summary:
        assert self.llm is not None
        prompt = load_prompt(SUMMARY_PROMPTS[lang])
        body = article.text[:MAX_ARTICLE_CHARS]
        source = f"{article.title}\n{article.text}"
        labels = ("标题：", "日期：", "正文：") if lang == "zh" else ("Title: ", "Date: ", "Text:")
        values: dict[str, object] = {
            "article": fence(f"{labels[0]}{article.title or '(无标题)'}\n{labels[1]}{_date_text(article)}\n\n"
                             f"{labels[2]}\n{body}"),
            "limit": LIMITS[(lang, length)]}
        glossary_block = ""
        if lang == "en":
            titled = f"{article.title}\n{body}"
            glossary_block = self.names.glossary_for(titled).prompt_block(titled)
            values["glossary"] = glossary_block
        key = cache_key("summary", article.content_hash, lang, length, prompt.hash, self.llm.model,
                        sha256_hex(glossary_block))
        if cached := self._cached(key):
            return cached
        messages = prompt.render(**values)
        completion = self.llm.complete(messages, json_schema=SUMMARY_SCHEMA)

        def check(reply: str) -> list[str]:
            headline, text, _ = _headline_and_text(reply)
            return self.findings(article, lang, self._respelt(article, lang, f"{headline}\n{text}")[0])

        kept = correct_once(self.llm, messages, completion, check(completion.text) if self.correct else [], check,
                            json_schema=SUMMARY_SCHEMA)
        self.usage = self.usage.add(kept.usage)
        warnings: list[str] = []
        if len(article.text) > MAX_ARTICLE_CHARS:
            warnings.append(f"only the first {MAX_ARTICLE_CHARS} characters of the article were summarised")
        headline, text, parsed = _headline_and_text(kept.reply)
        if not text:
            raise LLMError(f"The model returned an empty summary for article {article.id}.",
                           hint="Run again with --no-cache, or try another BULLETIN_QA_CHAT_MODEL.")
        if not parsed:
            warnings.append("the model did not answer in JSON; its whole reply is used as the summary")
        (headline, spelling), (text, respelt) = (self._respelt(article, lang, part) for part in (headline, text))
        warnings += kept.findings if kept.asked else self.findings(article, lang, f"{headline}\n{text}")
        if kept.asked:
            warnings.append(f"one corrective round was run; {'its' if kept.revised else 'the first'} reply is "
                            f"shown, {len(kept.findings)} finding(s) remain")
        names: dict[str, str] = {}
        if lang == "en":
            found = self.names.glossary_for(source)
            warnings += found.check(source, f"{headline}\n{text}", complete=False)
            # Titles are checked after the corrective round and not sent to it (no request changes).
            warnings = without_covered(list(dict.fromkeys(warnings)),
                                       title_findings(article, f"{headline}\n{text}", self.names))
            warnings += dict.fromkeys(spelling + respelt)
            names = {e.zh: e.en for e in found.relevant(source)}
        title = headline if lang == "en" and headline else (article.title or headline)
        summary = Summary(
            article_id=article.id, title=title, date=article.date, lang=lang, length=length, text=text, mode="llm",
            citation=citation_for(article, verified=not any("number" in w for w in warnings)), names=names,
            model=completion.model, prompt=prompt.name + ("+" + CORRECT_PROMPT if kept.asked else ""),
            prompt_hash=prompt.hash, warnings=warnings)
        if parsed:  # a reply we could not parse is not worth keeping: the next run asks again
            self.cache.put(key, "summary", summary.model_dump(mode="json"))
        return summary


    def _respelt(self, article: Article, lang: Lang, output: str) -> tuple[str, list[str]]:
        """English output with its people spelt as their renderings (writing.english_checks.normalise_names)."""
        return normalise_names(article, output, self.names) if lang == "en" else (output, [])

    def findings(self, article: Article, lang: Lang, output: str) -> list[str]:
        """What the checks find in a summary: numbers (text.numbers) and, in English, the glossary,
        dates, leftover Chinese and names (writing.english_checks)."""
        source = f"{article.title}\n{article.text}"
        found = check_numbers(source, output, complete=False, context=_date_text(article))
        if lang == "en":
            found += self.glossary.check(source, output, complete=False)
            found += [str(f) for f in check_english(source, output, glossary=self.glossary, article=article,
                                                    source_date=article.date)]
        return found


def _date_text(article: Article) -> str:
    if article.date is None:
        return "unknown"
    return f"{article.date.isoformat()} (approximate)" if article.date_approximate else article.date.isoformat()


def _headline_and_text(reply: str) -> tuple[str, str, bool]:
    """(headline, summary, parsed as JSON) from a summary reply."""
    try:
        data = parse_json_reply(reply)
        if isinstance(data, dict) and isinstance(data.get("summary"), str):
            return str(data.get("headline") or "").strip(), data["summary"].strip(), True
    except ValueError:
        pass
    return "", strip_fences(reply), False


def fetch_articles(store: Any, article_ids: list[str]) -> list[Article]:
    """The articles with these ids, in the order given; every unknown id is reported at once."""
    found = store.get_articles(article_ids)
    missing = [i for i in dict.fromkeys(article_ids) if i not in found]
    if missing:
        raise NotFound(f"No article with id {', '.join(missing)} in the store.", article_id=missing[0],
                       hint="List the ids with 'bulletin-qa articles' (or 'bulletin-qa search'), "
                            "or ingest the page first with 'bulletin-qa ingest'.")
    return [found[i] for i in dict.fromkeys(article_ids)]


def summarize_articles(articles: list[Article], *, langs: list[Lang], length: Length, summarizer: Summarizer,
                       on_progress: Progress | None = None) -> list[Summary]:
    """Summaries of every article in every language asked for (article order, then language)."""
    out: list[Summary] = []
    total = len(articles) * len(langs)
    for article in articles:
        for lang in langs:
            out.append(summarizer.summarize(article, lang, length))
            if on_progress:
                on_progress(len(out), total, article.id)
    return out


def summarize_ids(store: Any, article_ids: list[str], *, langs: list[Lang], length: Length,
                  summarizer: Summarizer, on_progress: Progress | None = None) -> list[Summary]:
    """Fetch articles by id from the store and summarise them (the `summarize` command's core)."""
    return summarize_articles(fetch_articles(store, article_ids), langs=langs, length=length,
                              summarizer=summarizer, on_progress=on_progress)
