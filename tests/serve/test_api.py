"""The HTTP API over the sample pages: shapes equal to the CLI's --json, answers (JSON and SSE), digests,
history, glossary, and every malformed request a 4xx JSON error.

The library is a real `Bulletin` over a real store, given the FAKE HashingFakeEmbedder and, where a
test needs generated answers, a FakeLLM with queued replies (tests/serve/conftest.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from bulletin_qa.cli import app as cli
from bulletin_qa.llm.fake import FakeLLM
from serve.conftest import serve

QUESTION = "城市更新三年行动是哪天启动的？"
QUOTE = "4月2日，河湾区召开城市更新工作动员会，正式启动城市更新三年行动（2024—2026年）。"
REPLY = "4月2日，河湾区召开城市更新工作动员会，正式启动城市更新三年行动[1]。"


def cli_json(library: Any, *args: str) -> Any:
    """What the CLI prints with --json over the same library."""
    result = CliRunner().invoke(cli, [*args, "--json"], obj=library())
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("path", "params", "cli_args"), [
    ("/api/articles", {}, ["articles"]),
    ("/api/articles", {"since": "2024-04-01", "until": "2024-04-30"}, ["articles", "--since", "2024-04-01",
                                                                        "--until", "2024-04-30"]),
    ("/api/articles", {"source": "hewan-2024-04.txt"}, ["articles", "--source", "hewan-2024-04.txt"]),
    ("/api/articles/hewan-2024-04-01", {}, ["show", "hewan-2024-04-01"]),
    ("/api/search", {"q": "城市更新", "k": 3}, ["search", "城市更新", "-k", "3"]),
    ("/api/search", {"q": "招聘会", "mode": "bm25", "since": "2024-05-01"}, ["search", "招聘会", "--mode", "bm25",
                                                                          "--since", "2024-05-01"]),
    ("/api/glossary", {}, ["glossary", "show"]),
])
def test_json_is_the_clis_json(client: Any, library: Any, path: str, params: dict, cli_args: list[str]) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(library, *cli_args)
    assert response.json()  # not vacuously equal


def test_offline_answer_quotes_and_is_logged(client: Any) -> None:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["mode"] == "extractive" and not answer["refused"]
    (citation,) = answer["citations"]
    assert citation["article_id"] == "hewan-2024-04-01" and QUOTE in citation["quote"]
    (logged,) = client.get("/api/history").json()
    assert (logged["question"], logged["conversation"], logged["client"]) == (
        QUESTION, response.headers["x-conversation"], "web")
    assert str(logged["id"]) == response.headers["x-history-id"]


def test_refusal_says_what_was_searched(client: Any) -> None:
    answer = client.post("/api/ask", json={"question": "火星基地的第一任站长是谁？", "since": "2024-04-01",
                                           "until": "2024-04-30"}).json()
    assert answer["refused"] and answer["citations"] == []
    assert answer["searched"].startswith("检索范围：2024-04-01 至 2024-04-30") and "篇文章" in answer["searched"]


def sse(text: str) -> list[tuple[str, Any]]:
    """(event, data) pairs of a server-sent-events body."""
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_streamed_answer_then_follow_up_in_the_same_conversation(library: Any) -> None:
    llm = FakeLLM([REPLY, "河湾区召开城市更新工作动员会的时间是哪天？", REPLY], model="gpt-4o-mini")
    with serve(library(llm)) as client:
        response = client.post("/api/ask", json={"question": QUESTION}, headers={"accept": "text/event-stream"})
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        events = sse(response.text)
        names = [e for e, _ in events]
        assert names[-2:] == ["meta", "answer"] and set(names[:-2]) == {"token"}
        assert "".join(d["text"] for e, d in events if e == "token") == REPLY
        answer, meta = events[-1][1], events[-2][1]
        assert answer["mode"] == "llm" and answer["citations"][0]["verified"] and answer["model"] == "gpt-4o-mini"
        follow = client.post("/api/ask", json={"question": "那个会是哪天开的？", "conversation": meta["conversation"]})
        assert follow.status_code == 200, follow.text
        assert follow.json()["question"] == "河湾区召开城市更新工作动员会的时间是哪天？"
        assert QUESTION in json.dumps(llm.calls[1], ensure_ascii=False)  # the condense prompt saw the first turn
        turns = client.get("/api/history", params={"conversation": meta["conversation"]}).json()
        assert [t["question"] for t in turns] == [QUESTION, "那个会是哪天开的？"]


def test_stream_reports_a_failure_as_an_error_event(library: Any) -> None:
    with serve(library(FakeLLM([]))) as client:  # no reply queued: the fake LLM fails
        response = client.post("/api/ask", json={"question": QUESTION}, headers={"accept": "text/event-stream"})
    assert response.status_code == 200
    ((event, data),) = sse(response.text)
    assert event == "error" and data == {"error": "Internal error; see the server log.", "hint": "",
                                         "type": "InternalError"}


@pytest.mark.parametrize(("fmt", "check"), [
    ("json", lambda r: r.json()["selected_by"] == "page" and len(r.json()["entries"]) == 5),
    ("md", lambda r: r.text.startswith("# 河湾报 · 新闻周报 · 2024-W15") and "hewan-2024" not in r.text),
    ("html", lambda r: "<h1>河湾报 · 新闻周报 · 2024-W15</h1>" in r.text
     and "bulletin-qa provenance" in r.text.split("</body>")[1]),
])
def test_digest_formats(library: Any, fmt: str, check: Any) -> None:
    with serve(library(masthead="河湾报")) as client:
        response = client.get("/api/digest", params={"week": "2024-W15", "format": fmt})
    assert response.status_code == 200, response.text
    assert check(response)


def test_digest_by_event_date_and_source(client: Any) -> None:
    by_event = client.get("/api/digest", params={"week": "2024-W15", "by": "event"}).json()
    assert len(by_event["entries"]) == 3 and by_event["selected_by"] == "event"
    one = client.get("/api/digest", params={"since": "2024-01-01", "until": "2024-12-31",
                                            "source": "hewan-2024-01-08.txt"}).json()
    assert {i[:16] for e in one["entries"] for i in e["article_ids"]} == {"hewan-2024-01-08"}


def test_summarize_and_glossary_round_trip(client: Any) -> None:
    (summary,) = client.post("/api/summarize", json={"ids": ["hewan-2024-04-01"]}).json()
    assert summary["mode"] == "extractive" and summary["citation"]["article_id"] == "hewan-2024-04-01"
    found = client.get("/api/glossary/proposals").json()
    assert found["articles_read"] == 19 and found["proposals"]
    first = found["proposals"][0]
    added = client.post("/api/glossary", json={"zh": first["zh"], "en": "Edited Name", "section": first["section"]})
    assert added.status_code == 200 and added.json()["added"] == [
        {"zh": first["zh"], "en": "Edited Name", "section": first["section"]}]
    assert client.get("/api/glossary").json()["entries"][first["section"]][first["zh"]] == "Edited Name"
    clash = client.post("/api/glossary", json={"zh": first["zh"], "en": "Other", "section": first["section"]})
    assert clash.status_code == 409 and "already rendered 'Edited Name'" in clash.json()["error"]


BIG = "问" * 70_000


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "message"), [
    ("get", "/api/articles/nope", {}, 404, "There is no article 'nope'"),
    ("get", "/api/articles", {"params": {"since": "May"}}, 422, "since: Input should be a valid date"),
    ("get", "/api/articles", {"params": {"since": "2024-05-01", "until": "2024-04-01"}}, 400, "is after until"),
    ("get", "/api/search", {"params": {"q": ""}}, 422, "q: String should have at least 1 character"),
    ("get", "/api/search", {"params": {"q": "x", "k": 0}}, 422, "k: Input should be greater than or equal to 1"),
    ("get", "/api/search", {"params": {"q": "x", "mode": "magic"}}, 422, "mode: Input should be 'hybrid'"),
    ("post", "/api/ask", {"json": {"question": "问" * 1001}}, 422, "question: String should have at most 1000"),
    ("post", "/api/ask", {"json": {"question": "   "}}, 400, "The question is empty"),
    ("post", "/api/ask", {"json": {"q": "谁？"}}, 422, "question: Field required"),
    ("post", "/api/ask", {"json": {"question": "谁？", "k": 999}}, 422, "k: Input should be less than or equal to 50"),
    ("post", "/api/ask", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 422,
     "JSON decode error"),
    ("post", "/api/ask", {"data": {"question": "谁？"}}, 422, "Bad request"),  # a cross-site form post
    ("post", "/api/ask", {"json": {"question": BIG}}, 413, "over 65536 bytes"),
    ("post", "/api/translate", {"json": {"article_id": "hewan-2024-04-01"}}, 409, "OPENAI_API_KEY"),
    ("get", "/api/digest", {"params": {"week": "2024-15"}}, 400, "is not an ISO week"),
    ("get", "/api/digest", {"params": {"week": "2023-W18"}}, 404, "No articles dated 2023-05-01 to 2023-05-07"),
    ("get", "/api/digest", {"params": {"week": "2024-W15", "lang": "en"}}, 409, "An English digest needs an LLM"),
    ("post", "/api/summarize", {"json": {"ids": []}}, 422, "ids: List should have at least 1 item"),
    ("post", "/api/glossary", {"json": {"zh": "某", "en": "X", "section": "animals"}}, 422, "section: Input should be"),
    ("get", "/api/nothing-here", {}, 404, "No such page or API path"),
])
def test_malformed_requests_get_a_json_4xx(client: Any, method: str, path: str, kwargs: dict, status: int,
                                           message: str) -> None:
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert message in f"{body['error']} {body['hint']}" and set(body) >= {"error", "hint", "type"}
    assert "Traceback" not in response.text and len(response.text) < 2000


def test_an_unexpected_failure_is_a_500_without_details(library: Any) -> None:
    bulletin = library()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    bulletin.search = broken  # this one library object only; no module is patched
    with serve(bulletin, raise_server_exceptions=False) as client:
        response = client.get("/api/search", params={"q": "城市更新"})
    assert response.status_code == 500
    assert response.json() == {"error": "Internal error; see the server log.", "hint": "", "type": "InternalError"}


def test_history_off_keeps_nothing(library: Any) -> None:
    with serve(library(history=False)) as client:
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
        assert client.get("/api/history").json() == [] and client.get("/api/status").json()["history"] is False


def _cli_translate(library: Any, llm: FakeLLM, path: Any) -> Any:
    result = CliRunner().invoke(cli, ["translate", "--digest", str(path), "--json"], obj=library(llm))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("form", ["json", "md"])
def test_translate_a_digest_as_the_cli_does(client: Any, library: Any, tmp_path: Any, form: str) -> None:
    digest = client.get("/api/digest", params={"week": "2024-W15", "format": form})  # offline: extractive Chinese
    assert digest.status_code == 200
    given = digest.json() if form == "json" else digest.text
    replies = ["Translated." for _ in range(40)]
    with serve(library(FakeLLM(replies), corrective_round=False)) as llm_client:
        response = llm_client.post("/api/translate", json={"digest": given})
    assert response.status_code == 200, response.text
    saved = tmp_path / f"digest.{form}"
    saved.write_text(digest.text, encoding="utf-8")
    expected = _cli_translate(lambda llm: library(llm, corrective_round=False), FakeLLM(replies), saved)
    got = response.json()
    if form == "json":
        (en,) = got
        assert en["lang"] == "en" and {e["headline"] for e in en["entries"]} == {"Translated."}
        assert [e["article_ids"] for e in en["entries"]] == [e["article_ids"] for e in given["entries"]]
    else:
        assert got["text"].startswith("Translated.") and got["source"] == "digest"
        expected["source"] = "digest"  # the CLI names the file it read
    assert got == expected


@pytest.mark.parametrize(("body", "status", "message"), [
    ({}, 422, "send either article_id or digest (exactly one)"),
    ({"article_id": "hewan-2024-04-01", "digest": "# 周报"}, 422, "exactly one"),
    ({"digest": "周" * 10_001}, 422, "String should have at most 10000 characters"),
    ({"digest": ""}, 422, "String should have at least 1 character"),
    ({"digest": {"entries": []}}, 422, "Field required"),
    ({"digest": "# 周报\n\n一条新闻。"}, 409, "OPENAI_API_KEY"),  # offline
])
def test_translate_refuses_bad_digests(client: Any, body: dict, status: int, message: str) -> None:
    response = client.post("/api/translate", json=body)
    assert response.status_code == status, response.text
    assert message in f"{response.json()['error']} {response.json()['hint']}"
