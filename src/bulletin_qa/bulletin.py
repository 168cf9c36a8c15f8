"""The library facade: one `Bulletin` owns settings, store, embedder, LLM and glossary.

    bq = Bulletin(load_settings())                      # what the CLI and `serve` build
    bq = Bulletin(settings, embedder=fake, llm=fake)    # what tests build: no module is patched
    bq.ingest([Path("pages/")]); bq.search("营商环境"); bq.ask("谁主持了会议？")

Every part is built on first use, so a command pays only for what it touches: `articles` never
loads the embedder, an offline `ask` never imports openai. The CLI commands and the HTTP server
are thin skins over these methods (sqlite-utils' `Database` mirrored one to one by its CLI;
paper-qa's `Docs`). Nothing here prints, reads flags or exits: errors are `BulletinQAError`s.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin_qa.settings import Settings

if TYPE_CHECKING:
    from bulletin_qa.answering.ask import SearchScope
    from bulletin_qa.answering.chat import ChatSession
    from bulletin_qa.history import History, HistoryEntry
    from bulletin_qa.index.check import CheckReport
    from bulletin_qa.index.embedders import Embedder
    from bulletin_qa.index.store import Store
    from bulletin_qa.llm.base import LLM
    from bulletin_qa.models import Answer, Article, Digest, Hit, IngestReport, Summary
    from bulletin_qa.names.glossary import Entry, Glossary
    from bulletin_qa.names.propose import Proposal
    from bulletin_qa.writing.summarize import Summarizer
    from bulletin_qa.writing.translate import Translation, Translator

Progress = Callable[[int, int, str], None]
_UNSET: Any = object()


class Bulletin:
    """The application: settings plus lazily built store, embedder, LLM and glossary."""

    def __init__(self, settings: Settings | None = None, *, store: Store | None = None,
                 embedder: Embedder | None = None, llm: LLM | None = _UNSET,
                 glossary: Glossary | None = None) -> None:
        """Parts given here are used as they are (tests pass fakes); the rest come from `settings`."""
        if settings is None:
            from bulletin_qa.settings import load_settings

            settings = load_settings()
        self.settings = settings
        self._store = store
        self._store_checked = store is not None
        self._embedder = embedder
        self._llm = llm
        self._glossary = glossary
        # Each part is built once even when the server's threads ask for it at the same moment.
        self._building = threading.RLock()

    # -- parts ---------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        """The configured embedder behind the on-disk embedding cache."""
        with self._building:
            if self._embedder is None:
                from bulletin_qa.factory import make_embedder

                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def llm(self) -> LLM | None:
        """The chat LLM (cached unless settings say not to), or None offline."""
        if self._llm is _UNSET:
            with self._building:
                if self._llm is _UNSET:
                    from bulletin_qa.llm import make_llm

                    self._llm = make_llm(self.settings, cache=self.settings.llm_cache)
        return self._llm

    @property
    def glossary(self) -> Glossary:
        """The glossary in use: the user's file, else the shipped starter."""
        with self._building:
            if self._glossary is None:
                from bulletin_qa.names.glossary import glossary_for

                self._glossary = glossary_for(self.settings.glossary_path, explicit=self.settings.glossary is not None)
            return self._glossary

    @property
    def records(self) -> Store:
        """The store for reading records only: any embedder's store will do, nothing is loaded."""
        with self._building:
            if self._store is None:
                from bulletin_qa.factory import open_store

                self._store = open_store(self.settings, None)
            return self._store

    @property
    def store(self) -> Store:
        """The store, checked against the embedder (searching and writing need the same one)."""
        with self._building:
            if not self._store_checked:
                from bulletin_qa.factory import open_store

                self._store = open_store(self.settings, self.embedder)
                self._store_checked = True
            assert self._store is not None
            return self._store

    @property
    def location(self) -> str:
        """Where the store is: the Chroma server URL or the store directory."""
        return self.settings.chroma_url or str(self.settings.store)

    # -- the library ---------------------------------------------------------------------

    def ingest(self, paths: list[Path], *, date: dt.date | None = None, prune: bool = False,
               progress: Callable[[int, int], None] | None = None, wait: bool = True,
               on_wait: Callable[[str], None] | None = None) -> IngestReport:
        """Read pages and corpora and store their articles; the store is created only once the input has been read.

        Another process writing the store is waited for (`on_wait` hears why), or with wait=False an error.
        When the store changed, its keyword (BM25) index is rebuilt before returning.
        """
        from bulletin_qa.index.ingest import ingest_articles, page_sources
        from bulletin_qa.reading import read_paths

        started = time.perf_counter()
        result = read_paths(list(paths), date)
        sources = page_sources(result)
        store = self._store if self._store_checked else None
        plan = None
        if store is None:  # opened (created if new) only now, so a bad path never leaves an empty store behind
            from bulletin_qa.factory import open_store

            if not self.settings.chroma_url and not Path(self.settings.store).exists():
                # A new store holds no ids, so every IdCollision is within the input: settle the ids
                # before the store directory is made, not after (an empty store would be left behind).
                from bulletin_qa.index.identity import plan_ids

                plan = plan_ids(sources, {})
            store = open_store(self.settings, self.embedder, create=True, wait=wait, on_wait=on_wait)
        report = ingest_articles(list(result.articles), store=store, embedder=self.embedder, settings=self.settings,
                                 progress=progress, prune=prune, sources=sources, plan=plan)
        if report.chunks_added or report.chunks_deleted:
            # Build the keyword index now, while the user expects to wait, instead of in the first
            # search (27 s for 8,000 articles on 2 cores, benchmarks/RESULTS-evals.md).
            from bulletin_qa.retrieval.bm25 import bm25_index

            built = time.perf_counter()
            bm25_index(store)
            report.keyword_index_seconds = round(time.perf_counter() - built, 3)
        files = result.files
        report.files = files if isinstance(files, int) else len(files)
        report.skipped = [str(s) for s in result.skipped] + report.skipped
        report.warnings = [str(w) for w in result.warnings] + report.warnings
        report.seconds = round(time.perf_counter() - started, 3)
        self._store = None
        self._store_checked = False
        return report

    def articles(self, since: dt.date | None = None, until: dt.date | None = None,
                 source: str | None = None) -> list[Article]:
        """Stored articles in a date range (and of one source), oldest first."""
        return self.records.list_articles(since, until, source)

    def article(self, article_id: str) -> Article:
        """One stored article; NotFound names the command that lists the ids."""
        return self.records.require_article(article_id)

    def check(self, *, repair: bool = False, wait: bool = True,
              on_wait: Callable[[str], None] | None = None) -> CheckReport:
        """Every article against its chunks, vectors and keyword index; `repair` fixes what the store itself can."""
        from bulletin_qa.factory import open_store
        from bulletin_qa.index.check import check_store
        from bulletin_qa.retrieval.bm25 import bm25_index, cache_status

        embedder = self.embedder if repair else None  # re-embedding needs it; checking reads vectors only
        store = open_store(self.settings, embedder, wait=wait, on_wait=on_wait)
        return check_store(store, keyword_status=cache_status, rebuild_keywords=bm25_index, repair=repair,
                           embedder=embedder, settings=self.settings)

    def stats(self) -> dict[str, Any]:
        """Counts, embedder, location and date range of the store."""
        return self.records.stats()

    def search(self, query: str, *, k: int = 5, since: dt.date | None = None, until: dt.date | None = None,
               source: str | None = None, mode: str = "hybrid", keywords: str | None = None) -> list[Hit]:
        """The k articles that best match `query`, each with its matching chunks; `keywords` replace
        the query on the keyword (BM25) side (an English question's Chinese words)."""
        from bulletin_qa.retrieval.hybrid import search

        return search(query, store=self.store, embedder=self.embedder, k=k, since=since, until=until,
                      source=source, mode=mode, keywords=keywords)  # type: ignore[arg-type]  # mode is checked inside search

    def retrieve(self, question: str, *, k: int = 5, since: dt.date | None = None,
                 until: dt.date | None = None) -> list[Hit]:
        """The hits a question is answered from (ask, chat, serve): `search`, and for an English question
        offline a second search whose keyword side gets its Chinese words (answering/english.py)."""
        if self.llm is not None:
            return self.search(question, k=k, since=since, until=until)
        from bulletin_qa.answering.english import cross_lingual

        return cross_lingual(question, lambda words: self.search(question, k=k, since=since, until=until,
                                                                keywords=words), self.glossary)

    def scope(self, hits: list[Hit], *, since: dt.date | None = None, until: dt.date | None = None,
              source: str | None = None) -> SearchScope:
        """What a search covered, for refusals and answer footers."""
        from bulletin_qa.answering.ask import SearchScope

        if since or until or source:
            count = len(self.store.list_articles(since, until, source))
        else:
            count = self.store.count_articles()
        return SearchScope(since=since, until=until, articles=count, retrieved=len(hits), source=source)

    def ask(self, question: str, *, k: int = 5, since: dt.date | None = None, until: dt.date | None = None,
            lang: str | None = None, on_token: Callable[[str], None] | None = None) -> Answer:
        """Search, then answer from what was found: generated and checked, or quoted offline."""
        hits = self.retrieve(question, k=k, since=since, until=until)
        return self.answer(question, hits, self.scope(hits, since=since, until=until), lang=lang, on_token=on_token)

    def answer(self, question: str, hits: list[Hit], scope: SearchScope, *, lang: str | None = None,
               on_token: Callable[[str], None] | None = None) -> Answer:
        """Answer `question` from given hits (ask and chat share it); the adapter prices each call."""
        from bulletin_qa.answering.ask import answer_question
        from bulletin_qa.text.chars import is_cjk

        llm = self.llm
        # The glossary serves the citation check of generated English names and, offline, English
        # questions (their names mapped to Chinese, the quote glossed); a Chinese question offline needs none.
        wanted = llm is not None or not is_cjk(question)
        return answer_question(question, hits, llm=llm, scope=scope, lang=lang,
                               on_token=on_token if llm is not None else None,
                               temperature=self.settings.temperature, glossary=self.glossary if wanted else None,
                               correct=self.settings.corrective_round)

    @property
    def history(self) -> History | None:
        """The log of questions (<home>/history.sqlite), or None when the `history` setting is off."""
        from bulletin_qa.history import open_history

        return open_history(self.settings)

    def follow_up(self, question: str, *, conversation: str | None = None, continue_last: bool = False,
                  k: int = 5, since: dt.date | None = None, until: dt.date | None = None, lang: str | None = None,
                  on_token: Callable[[str], None] | None = None,
                  client: str = "cli") -> tuple[Answer, HistoryEntry | None]:
        """`ask` within a logged conversation: earlier turns resolve 他/这个/呢, and the turn is logged.

        With neither `conversation` nor `continue_last` a new conversation starts; with the history
        off the answer is not logged (and continuing is a UsageError).
        """
        from bulletin_qa.answering.chat import condense
        from bulletin_qa.history import resume

        log = self.history
        cid, turns = resume(log, continue_last=continue_last, conversation=conversation)
        standalone, usage = condense(question, turns, self.llm)
        answer = self.ask(standalone, k=k, since=since, until=until, lang=lang, on_token=on_token)
        answer = answer.model_copy(update={"usage": answer.usage.add(usage)})
        entry = log.record(answer, question=question, conversation=cid, client=client) if log else None
        return answer, entry

    def chat(self, *, k: int = 5, since: dt.date | None = None, until: dt.date | None = None,
             lang: str | None = None, on_token: Callable[[str], None] | None = None) -> ChatSession:
        """A conversation whose follow-ups are rewritten into standalone questions before searching."""
        from bulletin_qa.answering.chat import ChatSession

        scopes: list[SearchScope] = []

        def search(question: str) -> list[Hit]:
            hits = self.retrieve(question, k=k, since=since, until=until)
            scopes.append(self.scope(hits, since=since, until=until))
            return hits

        return ChatSession(search=search, llm=self.llm,
                           answer=lambda q, hits: self.answer(q, hits, scopes[-1], lang=lang, on_token=on_token))

    def summarizer(self, *, cache: bool = True) -> Summarizer:
        """A summariser over this library's LLM and glossary, with its on-disk cache."""
        from bulletin_qa.factory import cache_dir
        from bulletin_qa.writing.summarize import Summarizer
        from bulletin_qa.writing.summary_cache import SummaryCache

        use_cache = cache and self.settings.llm_cache
        store = SummaryCache(cache_dir(self.settings) / "summaries.sqlite" if use_cache else None)
        return Summarizer(llm=self.llm, glossary=self.glossary, cache=store, correct=self.settings.corrective_round)

    def summarize(self, article_ids: list[str], *, langs: list[str], length: str = "short",
                  summarizer: Summarizer | None = None, progress: Progress | None = None) -> list[Summary]:
        """Summaries of stored articles, each citing its article (offline: extractive Chinese)."""
        from bulletin_qa.writing.summarize import summarize_ids

        return summarize_ids(self.records, article_ids, langs=langs, length=length,  # type: ignore[arg-type]  # str codes, checked by the CLI
                             summarizer=summarizer or self.summarizer(), on_progress=progress)

    def digest_range(self, week: str | None = None, since: dt.date | None = None,
                     until: dt.date | None = None, *, by: str = "page",
                     sources: list[str] | None = None) -> tuple[dt.date, dt.date]:
        """The dates a digest covers: --week, --since/--until, else the week of the newest page (or article)."""
        from bulletin_qa.writing.digest import newest_date, resolve_range

        return resolve_range(week, since, until,
                             lambda: newest_date(self.records, by=by, sources=sources))  # type: ignore[arg-type]

    def digest(self, *, since: dt.date, until: dt.date, langs: list[str], compare: bool = False,
               summarizer: Summarizer | None = None, progress: Progress | None = None, by: str = "page",
               sources: list[str] | None = None) -> list[Digest]:
        """Digests of the articles in a date range (by page or event date), one per language, headed by the masthead."""
        from bulletin_qa.writing.digest import make_digests

        masthead = {"zh": self.settings.masthead, "en": self.settings.masthead_en or self.settings.masthead}
        return make_digests(self.store, since=since, until=until, langs=langs,  # type: ignore[arg-type]  # str codes, checked by the CLI
                            summarizer=summarizer or self.summarizer(), embedder=self.embedder, compare=compare,
                            on_progress=progress, by=by, sources=sources, masthead=masthead)  # type: ignore[arg-type]

    def propose_names(self, since: dt.date | None = None, until: dt.date | None = None, *,
                      min_count: int = 1) -> tuple[list[Proposal], int]:
        """Glossary entries proposed for names in the stored articles (none merged), and how many articles were read."""
        from bulletin_qa.names.propose import propose

        found = self.articles(since, until)
        return propose(found, self.glossary, min_count=min_count), len(found)

    def add_names(self, entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
        """Add entries to the user's glossary file; returns (added, already there). The glossary is reloaded."""
        from bulletin_qa.names.glossary import add_entries

        with self._building:
            result = add_entries(self.settings.glossary_path, entries)
            self._glossary = None
        return result

    def translator(self) -> Translator:
        """A translator over this library's LLM and glossary (it refuses offline)."""
        from bulletin_qa.writing.translate import Translator

        return Translator(llm=self.llm, glossary=self.glossary, correct=self.settings.corrective_round)

    def translate(self, article_id: str, *, translator: Translator | None = None) -> Translation:
        """A stored article in English, its numbers and glossary names checked."""
        return (translator or self.translator()).article(self.article(article_id))

    def translate_digest(self, digest: list[Digest] | str, *, source: str = "digest",
                         translator: Translator | None = None) -> tuple[list[Digest] | Translation, list[str]]:
        """A digest in English and the checks' findings: Chinese Digest records translated story by story
        (English ones come back as they are), a Markdown digest (`source` names it) as one Translation."""
        translator = translator or self.translator()
        if isinstance(digest, str):
            translation = translator.document(digest, source)
            return translation, translation.number_issues + translation.glossary_issues + translation.english_issues
        done = [translator.digest(d) for d in digest if d.lang == "zh"] or digest
        return done, [w for d in done for w in d.warnings]

    def translate_digest_file(self, path: Path, *,
                              translator: Translator | None = None) -> tuple[list[Digest] | Translation, list[str]]:
        """A digest file (`digest --json` output or Markdown) in English: `translate_digest` of what it holds."""
        from bulletin_qa.writing.digest_files import read_digest_file

        return self.translate_digest(read_digest_file(path), source=str(path), translator=translator)
