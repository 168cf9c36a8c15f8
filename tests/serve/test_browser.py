"""The reading room in a real browser: Debian's chromium driven by Selenium through chromium-driver.

A uvicorn server runs in a thread over the sample store (FAKE embedder; offline, or a FakeLLM whose
reply is streamed). The browser asks a question, sees the answer, clicks its citation and must see
the article opened with the quoted sentence highlighted. Skipped when chromium, chromium-driver or
selenium is missing (.ci/run installs them).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bulletin_qa.llm.fake import FakeLLM

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs chromium and chromium-driver "
                                "(apt-get install -y chromium chromium-driver; CI installs them)")
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the test extra)")
uvicorn = pytest.importorskip("uvicorn", reason="needs the serve extra")

QUESTION = "城市更新三年行动是哪天启动的？"
QUOTE = "4月2日，河湾区召开城市更新工作动员会，正式启动城市更新三年行动（2024—2026年）。"
REPLY = "4月2日，河湾区召开城市更新工作动员会，正式启动城市更新三年行动[1]。"
WAIT = 20.0


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless chromium at a phone's width, one for the module (starting it takes seconds)."""
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=412,915",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: Any, script: str) -> Any:
    """Poll a JavaScript expression until it is truthy; returns its value."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = driver.execute_script(f"return {script}")
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {script}\n{driver.execute_script('return document.body.innerText')}")


@pytest.mark.parametrize(("llm", "mode_text", "cite"), [
    (None, "离线：引用原文句子", "#answer .source-link"),        # offline: extractive, open from the source list
    (FakeLLM([REPLY], model="fake-model"), "模型 Model: fake-model", "#answer .cite"),  # streamed, open from [1]
], ids=["offline", "llm"])
def test_ask_see_the_answer_and_the_highlighted_sentence(start_server: Any, browser: Any, llm: FakeLLM | None,
                                                         mode_text: str, cite: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(start_server(llm) + "/")
    wait_for(browser, "document.body.dataset.ready === 'true'")
    assert "19 篇文章" in browser.find_element(By.ID, "status").text
    browser.find_element(By.ID, "question").send_keys(QUESTION)
    browser.find_element(By.ID, "ask-button").click()
    answer = wait_for(browser, f"document.querySelector('{cite}') && document.getElementById('answer').innerText")
    assert mode_text in answer and "4月2日" in answer
    browser.find_element(By.CSS_SELECTOR, cite).click()
    marked = wait_for(browser, "!document.getElementById('reader').hidden && document.querySelector('#reader mark')"
                               " && document.querySelector('#reader mark').textContent")
    assert QUOTE in marked.replace(" ", "")
    assert browser.find_element(By.ID, "reader-title").text == "河湾区全面启动城市更新三年行动"
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), \
        "the page scrolls sideways at a phone's width"


def test_article_text_is_shown_as_text_not_html(start_server: Any, browser: Any, library: Any) -> None:
    """An article whose title and text hold markup shows it literally (nothing is parsed or run)."""
    from selenium.webdriver.common.by import By

    from bulletin_qa.models import Article

    hostile = Article(id="x-01", title="<img src=x onerror=alert(1)>标题", source="x.txt", position=1,
                      text="正文<script>document.title='pwned'</script>结束。")
    bulletin = library()
    bulletin.store.put_articles([hostile], bulletin.embedder.embed_passages([hostile.text]), [0])
    base = start_server(None)
    browser.get(base + "/")
    wait_for(browser, "document.body.dataset.ready === 'true'")
    browser.execute_script("openArticle('x-01')")
    title = wait_for(browser, "!document.getElementById('reader').hidden && "
                              "document.getElementById('reader-title').textContent")
    assert title == hostile.title
    assert browser.find_element(By.ID, "reader-text").text == hostile.text
    assert browser.execute_script("return document.querySelectorAll('#reader img, #reader script').length") == 0
    assert browser.title != "pwned"


class EditorLLM(FakeLLM):
    """A FAKE LLM for the digest page: each summary prompt gets a fixed JSON reply in the prompt's
    language, theme prompts an unusable reply (the digest falls back to its offline themes)."""

    def complete(self, messages: Any, **kwargs: Any) -> Any:
        """Queue the reply this prompt gets, then answer as FakeLLM does."""
        system, user = messages[0]["content"], messages[-1]["content"]
        if "JSON array" in system or "JSON 数组" in system:
            self.queue("[]")
        elif "English" in system:
            title = next(line for line in user.splitlines() if line.startswith("Title:"))[6:].strip()
            self.queue(json.dumps({"headline": f"English brief of {title}", "summary": "An English brief."}))
        else:
            title = next(line for line in user.splitlines() if line.startswith("标题："))[3:].strip()
            self.queue(json.dumps({"headline": title, "summary": "中文摘要。"}, ensure_ascii=False))
        return super().complete(messages, **kwargs)


def test_digest_of_a_week_in_chinese_and_english_side_by_side(start_server: Any, browser: Any, library: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from selenium.webdriver.common.by import By

    monkeypatch.setenv("BULLETIN_QA_CORRECTIVE_ROUND", "false")  # EditorLLM answers summary and theme prompts only

    browser.get(start_server(EditorLLM(model="fake-model")) + "/")
    wait_for(browser, "document.body.dataset.ready === 'true'")
    browser.find_element(By.CSS_SELECTOR, "[data-tab=digest]").click()
    browser.find_element(By.ID, "digest-week").send_keys("2024-W15")
    browser.find_element(By.CSS_SELECTOR, "#digest-form button").click()
    sections = wait_for(browser, "document.querySelectorAll('#digest-columns section').length === 2 && "
                                 "[...document.querySelectorAll('#digest-columns section')].map(s => s.lang + '|' + s.innerText)")
    zh, en = sections
    assert zh.startswith("zh-CN|新闻周报") and "河湾区全面启动城市更新三年行动" in zh and "中文摘要。" in zh
    assert en.startswith("en|Weekly digest") and "English brief of 河湾区全面启动城市更新三年行动" in en
    assert "hewan-2024" not in zh + en  # readers see titles, not store ids
    note = browser.find_element(By.ID, "digest-note").text
    assert "by page date" in note and "2024-04-08 – 2024-04-14" in note


def test_api_docs_page_lists_the_contract(start_server: Any, browser: Any) -> None:
    browser.get(start_server(None) + "/docs")
    text = wait_for(browser, "document.querySelectorAll('#paths section').length > 5 && document.body.innerText")
    for route in ("GET /api/articles", "GET /api/articles/{article_id}", "GET /api/search", "POST /api/ask",
                  "GET /api/digest", "POST /api/summarize", "POST /api/translate", "GET /api/glossary",
                  "GET /api/history"):
        assert route + "\n" in text, route
    assert "question: string" in text  # the ask body's fields, from /openapi.json


def test_a_token_protected_server_works_after_opening_the_token_link_once(start_server: Any, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    base = start_server(None, token="browser-token-0123456789")
    browser.get(base + "/api/status")
    assert "A valid token is required." in browser.find_element(By.TAG_NAME, "body").text
    browser.get(base + "/?token=browser-token-0123456789")
    wait_for(browser, "document.body.dataset.ready === 'true'")
    assert browser.current_url == base + "/"  # the token left the address bar (the cookie carries it)
    assert browser.execute_script("return document.cookie") == ""  # HttpOnly: scripts cannot read it
    browser.find_element(By.ID, "question").send_keys(QUESTION)
    browser.find_element(By.ID, "ask-button").click()
    assert "4月2日" in wait_for(browser, "document.querySelector('#answer .source-link') && "
                                         "document.getElementById('answer').innerText")
