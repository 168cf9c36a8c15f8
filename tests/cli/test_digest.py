"""The writing commands end to end over the sample pages: summarize, digest, translate, glossary.

The embedder is the FAKE HashingFakeEmbedder (instant) and the LLM, where one is used, a
FakeLLM with queued replies; everything else (store, cache, prompts, rendering) is real.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app
from bulletin_qa.llm.fake import FakeLLM
from fakes import HashingFakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "samples" / "pages"
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables wide enough that names are never cut."""
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample pages ingested once (FAKE embedder) into a store the tests copy."""
    import shutil

    from bulletin_qa.bulletin import Bulletin
    from bulletin_qa.settings import load_settings

    base = tmp_path_factory.mktemp("store")
    settings = load_settings(store=base / "vs", home=base / "home")
    embedder = HashingFakeEmbedder()
    report = Bulletin(settings, embedder=embedder).ingest([PAGES])
    assert report.articles_new == 19
    shutil.rmtree(base / "home", ignore_errors=True)
    return base / "vs"


@pytest.fixture
def store(sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the sample store as BULLETIN_QA_STORE, with the FAKE embedder for every command."""
    import shutil

    copy = tmp_path / "vs"
    shutil.copytree(sample_store, copy)
    monkeypatch.setenv("BULLETIN_QA_STORE", str(copy))
    PARTS["embedder"] = HashingFakeEmbedder()
    return copy


@pytest.fixture(autouse=True)
def parts() -> Iterator[None]:
    """Each test starts with no injected parts: the real embedder and no LLM unless a fixture sets one."""
    PARTS.clear()
    yield
    PARTS.clear()


# Parts every command's library is built with (`invoke(..., obj=...)`).
PARTS: dict[str, object] = {}


@pytest.fixture
def llm() -> FakeLLM:
    """A FakeLLM the commands' library uses (queue replies on it)."""
    fake = FakeLLM()
    PARTS["llm"] = fake
    return fake


def run(*args: object):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args], obj=dict(PARTS))


def test_summarize_offline_is_extractive_and_cited(store: Path) -> None:
    result = run("summarize", "hewan-2024-04-01")
    assert result.exit_code == 0, result.stderr
    assert "## 河湾区全面启动城市更新三年行动" in result.stdout
    assert "抽取式摘要" in result.stdout and "[1] hewan-2024-04-01 《河湾区全面启动城市更新三年行动》 2024-04-02" in result.stdout
    assert [line for line in result.stderr.splitlines() if not line.startswith("summarising: ")] == []  # no warnings


def test_summarize_json(store: Path) -> None:
    result = run("summarize", "hewan-2024-04-01", "hewan-2024-04-05", "--length", "long", "--json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert [s["article_id"] for s in found] == ["hewan-2024-04-01", "hewan-2024-04-05"]
    assert {(s["mode"], s["model"], s["prompt"], s["length"]) for s in found} == {
        ("extractive", "extractive", "textrank", "long")}
    assert found[0]["citation"]["article_id"] == "hewan-2024-04-01" and found[0]["prompt_hash"]


def test_summarize_unknown_ids(store: Path) -> None:
    result = run("summarize", "hewan-2024-04-01", "nope-1", "nope-2")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("Error: No article with id nope-1, nope-2 in the store.")


def test_summarize_english_offline_gives_names_and_what_to_set(store: Path) -> None:
    result = run("summarize", "hewan-2024-04-01", "--lang", "en", "--json")
    assert result.exit_code == 0, result.stderr
    (s,) = json.loads(result.stdout)
    assert s["mode"] == "glossary" and "OPENAI_API_KEY" in s["text"]
    assert s["names"]["韩静怡"] == "Han Jingyi" and s["names"]["区长"] == "District Mayor"
    assert "No LLM configured" in result.stderr and "BULLETIN_QA_CHAT_MODEL" in result.stderr


def test_summarize_with_llm_then_from_cache(store: Path, llm: FakeLLM) -> None:
    llm.queue(json.dumps({"headline": "城市更新", "summary": "4月2日，河湾区启动城市更新三年行动，计划投资48.6亿元。"},
                         ensure_ascii=False),
              json.dumps({"headline": "Hewan starts urban renewal", "summary": "On April 2, Hewan District started "
                          "a three-year urban renewal drive, investing 4.86 billion yuan."}))
    result = run("summarize", "hewan-2024-04-01", "--lang", "both", "--json")
    assert result.exit_code == 0, result.stderr
    zh, en = json.loads(result.stdout)
    assert (zh["lang"], zh["mode"], zh["model"], zh["prompt"]) == ("zh", "llm", "fake-model", "summarize.zh")
    assert (en["lang"], en["title"], en["warnings"]) == ("en", "Hewan starts urban renewal", [])
    assert "LLM: 2 call(s)" in result.stderr
    again = run("summarize", "hewan-2024-04-01", "--lang", "both", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout) == [zh, en]
    assert len(llm.calls) == 2  # the rerun came from the summary cache


def test_digest_of_a_week_in_markdown(store: Path) -> None:
    result = run("digest", "--week", "2024-W15", "--by", "event")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# 新闻周报 · 2024-W15（2024-04-08 至 2024-04-14）")
    assert "共 3 条新闻（3 篇文章）" in out
    assert "### 区领导调研河湾科技城重点项目" in out and "*约 2024-04-10*" in out
    assert "来源：[1] 《区人大代表视察养老服务体系建设》 2024-04-10" in out
    assert "hewan-2024-04-05" not in out and "model extractive" not in out


# hewan-2024-04.txt is the page of 2024-04-10 (its newest dateline); two of its articles report
# events of 04-02 and 04-03 (week 14). Selected by page date they are in that page's week.
@pytest.mark.parametrize(("args", "stories", "in_it", "not_in_it"), [
    ([], 5, ["河湾区全面启动城市更新三年行动", "区领导调研河湾科技城重点项目"], []),
    (["--by", "page"], 5, ["河湾区全面启动城市更新三年行动"], []),
    (["--by", "event"], 3, ["区领导调研河湾科技城重点项目"], ["河湾区全面启动城市更新三年行动"]),
    (["--source", "hewan-2024-04.txt"], 5, ["河湾区全面启动城市更新三年行动"], []),
    (["--source", "hewan-2024-03-15.txt"], None, [], []),
])
def test_digest_selects_by_page_date_by_default(store: Path, args: list[str], stories: int | None,
                                                in_it: list[str], not_in_it: list[str]) -> None:
    result = run("digest", "--week", "2024-W15", "--json", *args)
    if stories is None:
        assert result.exit_code == 2 and "No articles dated 2024-04-08 to 2024-04-14" in result.stderr
        return
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    headlines = [e["headline"] for e in d["entries"]]
    assert len(headlines) == stories and d["selected_by"] == (args[1] if args[:1] == ["--by"] else "page")
    assert all(h in headlines for h in in_it) and not any(h in headlines for h in not_in_it)


def test_digest_source_filter_keeps_districts_apart(store: Path) -> None:
    result = run("digest", "--since", "2024-01-01", "--until", "2024-12-31", "--source", "hewan-2024-01-08.txt",
                 "--source", "hewan-2024-05-20.txt", "--json")
    assert result.exit_code == 0, result.stderr
    ids = sorted(i for e in json.loads(result.stdout)["entries"] for i in e["article_ids"])
    assert ids == [f"hewan-2024-01-08-0{n}" for n in range(1, 5)] + [f"hewan-2024-05-20-0{n}" for n in range(1, 6)]


def test_digest_masthead_and_provenance_sidecar(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_QA_MASTHEAD", "河湾报")
    out = tmp_path / "digest.md"
    result = run("digest", "--week", "2024-W15", "--out", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 河湾报 · 新闻周报 · 2024-W15") and "hewan-2024" not in text and "textrank" not in text
    (record,) = json.loads((tmp_path / "digest.md.provenance.json").read_text(encoding="utf-8"))
    assert record["model"] == "extractive" and record["selected_by"] == "page"
    assert sorted(i for s in record["stories"] for i in s["article_ids"]) == [f"hewan-2024-04-0{n}" for n in range(1, 6)]
    shown = run("digest", "--week", "2024-W15", "--provenance", "--masthead", "Hewan Daily")
    assert shown.exit_code == 0 and shown.stdout.startswith("# Hewan Daily · 新闻周报")
    assert "## 出处（编辑用，不发布）" in shown.stdout and "hewan-2024-04-01" in shown.stdout


def test_digest_json_and_html_file(store: Path, tmp_path: Path) -> None:
    result = run("digest", "--since", "2024-03-11", "--until", "2024-03-17", "--json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert (d["since"], d["until"], d["lang"], d["mode"], d["model"], d["prompt"]) == (
        "2024-03-11", "2024-03-17", "zh", "extractive", "extractive", "textrank")
    assert sorted(i for e in d["entries"] for i in e["article_ids"]) == [f"hewan-2024-03-15-0{n}" for n in range(1, 6)]
    page = tmp_path / "out" / "digest.html"
    result = run("digest", "--week", "2024-W11", "--format", "html", "--out", page)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and f"Wrote {page}" in result.stderr
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "河湾区召开2024年优化营商环境大会" in text
    assert "http" not in text and "<script" not in text


def test_digest_compare_marks_stories(store: Path) -> None:
    result = run("digest", "--week", "2024-W15", "--compare", "--json")
    assert result.exit_code == 0, result.stderr
    assert {e["status"] for e in json.loads(result.stdout)["entries"]} <= {"new", "continuing"}


def test_digest_defaults_to_the_newest_week(store: Path) -> None:
    result = run("digest")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# 新闻周报 · 2024-W21")
    assert "the week of the newest page" in result.stderr


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--week", "2024-W15", "--since", "2024-04-08"], 2, "--week cannot be combined with --since/--until"),
    (["--week", "2024-15"], 2, "is not an ISO week"),
    (["--since", "2024-04-10", "--until", "2024-04-01"], 2, "is after --until"),
    (["--since", "April"], 2, "is not a date"),
    (["--week", "2023-W18"], 2, "No articles dated 2023-05-01 to 2023-05-07"),
    (["--week", "2024-W15", "--lang", "en"], 4, "OPENAI_API_KEY"),
])
def test_digest_bad_input(store: Path, args: list[str], code: int, message: str) -> None:
    result = run("digest", *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr


def test_digest_with_llm_records_prompts(store: Path, llm: FakeLLM) -> None:
    llm.queue(*[json.dumps({"headline": f"标题{n}", "summary": f"摘要{n}。"}, ensure_ascii=False) for n in "甲乙丙"],
              json.dumps([{"n": n, "theme": "民生与社会服务", "importance": 3} for n in (1, 2, 3)], ensure_ascii=False))
    result = run("digest", "--week", "2024-W15", "--by", "event", "--json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert d["mode"] == "llm" and d["prompt"] == "summarize.zh+digest.themes.zh" and len(llm.calls) == 4
    assert {e["theme"] for e in d["entries"]} == {"民生与社会服务"}


def test_translate_without_llm_fails_with_what_to_set(store: Path) -> None:
    result = run("translate", "hewan-2024-04-01", "--to", "en")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith("Error: Translation to English needs an LLM")
    assert "OPENAI_API_KEY" in result.stderr and "BULLETIN_QA_CHAT_MODEL" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    ([], "Give either an ARTICLE_ID or --digest FILE"),
    (["hewan-2024-04-01", "--digest", "x.json"], "Give either an ARTICLE_ID or --digest FILE"),
    (["hewan-2024-04-01", "--to", "fr"], "--to 'fr' is not supported"),
])
def test_translate_bad_input(store: Path, args: list[str], message: str) -> None:
    result = run("translate", *args)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_translate_article_reports_number_mismatches(store: Path, llm: FakeLLM,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_QA_CORRECTIVE_ROUND", "false")
    llm.queue("Hewan District launches three-year urban renewal drive",
              "On April 2, Hewan District launched its urban renewal drive (2024-2026), investing 4.86 billion yuan.")
    result = run("translate", "hewan-2024-04-01", "--to", "en")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Hewan District launches three-year urban renewal drive\n")
    assert "Source: [1] hewan-2024-04-01" in result.stdout
    assert "check: number '62' of the source is missing from the output" in result.stderr


@pytest.mark.parametrize(("command", "reply", "field"), [
    # 韩静怡 is 区委副书记、区长 and 彭浩 区住建局局长 in the sample article: their titles swapped
    (["translate", "hewan-2024-04-01", "--to", "en"], ["Hewan District starts urban renewal",
     "Director Han Jingyi and District Mayor Peng Hao spoke on April 2."], "english_issues"),
    (["summarize", "hewan-2024-04-01", "--lang", "en"], [json.dumps({
        "headline": "Hewan District starts urban renewal",
        "summary": "Director Han Jingyi and District Mayor Peng Hao spoke on April 2."})], "warnings"),
])
def test_wrong_titles_reach_json_and_stderr(store: Path, llm: FakeLLM, monkeypatch: pytest.MonkeyPatch,
                                            command: list[str], reply: list[str], field: str) -> None:
    monkeypatch.setenv("BULLETIN_QA_CORRECTIVE_ROUND", "false")
    llm.queue(*reply)
    result = run(*command, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    found = (data if isinstance(data, dict) else data[0])[field]
    wrong = [f for f in found if f.startswith("title ")]
    assert [f.split(" (")[0] for f in wrong] == ["title “Director” given to Han Jingyi",
                                                 "title “District Mayor” given to Peng Hao"]
    if field == "english_issues":  # the byline the model never saw, rendered by the names service
        assert data["byline"] == "Reporter: Shen Yiming."
        assert all(f"check: {w}" in result.stderr for w in wrong)


def test_translate_unknown_article(store: Path, llm: FakeLLM) -> None:
    result = run("translate", "nope-9", "--to", "en")
    assert result.exit_code == 3 and "nope-9" in result.stderr and result.stdout == ""


def test_translate_a_digest_file(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = tmp_path / "digest.json"
    assert run("digest", "--week", "2024-W15", "--json", "--out", saved).exit_code == 0  # offline, extractive
    entries = json.loads(saved.read_text(encoding="utf-8"))["entries"]
    llm = FakeLLM(["Translated." for _ in range(2 * len(entries))])
    PARTS["llm"] = llm
    monkeypatch.setenv("BULLETIN_QA_CORRECTIVE_ROUND", "false")
    result = run("translate", "--digest", saved, "--json")
    assert result.exit_code == 0, result.stderr
    (en,) = json.loads(result.stdout)
    assert en["lang"] == "en" and en["prompt"] == "textrank+translate.en"
    assert {e["headline"] for e in en["entries"]} == {"Translated."}
    assert en["warnings"] and "check:" in result.stderr  # numbers of the summaries are missing


def test_translate_digest_file_errors(store: Path, llm: FakeLLM, tmp_path: Path) -> None:
    result = run("translate", "--digest", tmp_path / "missing.json")
    assert result.exit_code == 2 and "No digest file" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a digest"}', encoding="utf-8")
    result = run("translate", "--digest", bad)
    assert result.exit_code == 2 and "is not a digest written by" in result.stderr


def test_malformed_glossary_is_reported_with_file_and_line(store: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "glossary.toml"
    bad.write_text('[people]\n"韩静怡" = "Han Jingyi"\n"周明远" = Zhou Mingyuan\n', encoding="utf-8")
    monkeypatch.setenv("BULLETIN_QA_GLOSSARY", str(bad))
    for args in (["summarize", "hewan-2024-04-01", "--lang", "en"], ["glossary", "show"]):
        result = run(*args)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {bad}:3: not valid TOML")
        assert '"二七区" = "Erqi District"' in result.stderr  # the fix


def test_glossary_propose_review_then_add(store: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.toml"
    result = run("glossary", "propose", "--out", review, "--json")
    assert result.exit_code == 0, result.stderr
    proposals = {p["zh"]: p for p in json.loads(result.stdout)}
    assert proposals["韩静怡"]["en"] == "Han Jingyi" and proposals["韩静怡"]["section"] == "people"
    assert proposals["韩静怡"]["with_title"].endswith("District Mayor Han Jingyi")  # title + name pair
    assert "韩静怡" in proposals["韩静怡"]["evidence"] and proposals["韩静怡"]["confidence"] >= 0.9
    assert f"glossary add --from {review}" in result.stderr
    home_glossary = Path(json.loads(run("glossary", "show", "--json").stdout)["path"])
    assert home_glossary.name == "glossary.toml" and "samples" in str(home_glossary)  # still the starter: nothing merged
    result = run("glossary", "add", "--from", review)
    assert result.exit_code == 0, result.stderr
    assert "[people] 韩静怡 = Han Jingyi" in result.stdout
    shown = json.loads(run("glossary", "show", "--json").stdout)
    assert shown["entries"]["people"]["韩静怡"] == "Han Jingyi" and "samples" not in shown["path"]
    assert shown["entries"]["titles"]["区委书记"] == "Secretary of the District CPC Committee"


@pytest.mark.parametrize(("args", "code", "message"), [
    (["周明远", "Zhou Mingyuan", "--section", "people"], 0, "Added 1 entry"),
    (["周明远", "Zhou Mingyuan"], 2, "Nothing to add"),
    (["周明远", "Zhou Mingyuan", "--section", "persons"], 2, "is not a glossary section"),
    (["区委书记", "Party Secretary", "--section", "titles"], 1, "is already rendered"),
])
def test_glossary_add_one(store: Path, args: list[str], code: int, message: str) -> None:
    result = run("glossary", "add", *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(("usage", "expected"), [
    ({"calls": 3, "total_tokens": 900, "cost_usd": 0.00045}, "LLM: 3 call(s), 900 tokens, ~$0.0004 estimated"),
    ({"calls": 2, "total_tokens": 50, "cached_calls": 1}, "LLM: 2 call(s), 50 tokens, 1 from cache\n"),
])
def test_usage_line_shows_cost_when_known(usage: dict, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    from bulletin_qa.cli.writing import _report_usage
    from bulletin_qa.models import Usage

    _report_usage(Usage(**usage), llm_used=True)
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize(("make_out", "message"), [
    (lambda tmp: tmp, "is a directory. Give a file name"),
    (lambda tmp: (tmp / "afile").write_text("x") and tmp / "afile" / "digest.md", "Cannot write --out"),
])
def test_digest_out_that_cannot_be_written(store: Path, tmp_path: Path, make_out, message: str) -> None:  # type: ignore[no-untyped-def]
    """Issue #9: a directory or an unwritable --out was a 40-line traceback."""
    result = run("digest", "--week", "2024-W15", "--out", make_out(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr and len(result.stderr.splitlines()) == 1


def test_digest_and_summarize_show_progress_lines_when_stderr_is_not_a_terminal(store: Path) -> None:
    """A piped or logged digest showed nothing while it summarised (issue #9: progress when piped)."""
    for args, what in [(("digest", "--week", "2024-W15", "--by", "event"), "summarising stories"),
                       (("summarize", "hewan-2024-04-01"), "summarising")]:
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.startswith(f"{what}: ")]
        done, total = lines[-1].removeprefix(f"{what}: ").split()[0].split("/")
        assert lines and done == total and int(total) >= 1
