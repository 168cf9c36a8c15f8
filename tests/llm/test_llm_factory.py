"""make_llm / make_adapter: offline mode, local servers, the cache switch; openai stays unimported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx2
import pytest
from llm_helpers import Endpoint, chat_reply

from bulletin_qa.errors import LLMNotConfigured
from bulletin_qa.llm import make_adapter, make_llm
from bulletin_qa.llm.cache import CachedLLM
from bulletin_qa.llm.openai_adapter import PLACEHOLDER_KEY, OpenAIAdapter
from bulletin_qa.settings import Settings, load_settings

MESSAGES = [{"role": "user", "content": "你好"}]


def test_offline_without_key_or_base_url() -> None:
    settings = load_settings()
    assert make_llm(settings) is None
    with pytest.raises(LLMNotConfigured, match="OPENAI_API_KEY"):
        make_adapter(settings)


@pytest.mark.parametrize(("env", "cache", "wrapped", "url"), [
    ({"OPENAI_API_KEY": "sk-x"}, True, True, "https://api.openai.com/v1"),
    ({"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1"}, True, True, "http://127.0.0.1:8080/v1"),
    ({"OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": "https://api.deepseek.com/"}, False, False,
     "https://api.deepseek.com"),
    ({"OPENAI_API_KEY": "sk-x", "BULLETIN_QA_LLM_CACHE": "false"}, True, False, "https://api.openai.com/v1"),
])
def test_make_llm_from_environment(monkeypatch: pytest.MonkeyPatch, env, cache, wrapped, url) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    llm = make_llm(load_settings(), cache=cache)
    assert isinstance(llm, CachedLLM) is wrapped
    adapter = llm.inner if isinstance(llm, CachedLLM) else llm
    assert isinstance(adapter, OpenAIAdapter)
    assert adapter.base_url == url


def test_settings_reach_the_adapter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_QA_CHAT_MODEL", "qwen-plus")
    monkeypatch.setenv("BULLETIN_QA_MAX_RETRIES", "5")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    adapter = make_adapter(load_settings(timeout=7.5))
    assert (adapter.model, adapter.max_retries) == ("qwen-plus", 5)
    assert adapter._client.timeout == 7.5
    assert adapter._client.api_key == PLACEHOLDER_KEY


def test_cached_llm_over_http_sends_one_request(tmp_path: Path) -> None:
    endpoint = Endpoint(chat_reply("一次"))
    settings = Settings(home=tmp_path, openai_api_key="sk-x", openai_base_url="https://llm.example.test/v1")
    llm = make_llm(settings, http_client=httpx2.Client(transport=httpx2.MockTransport(endpoint)))
    assert llm is not None
    assert [llm.complete(MESSAGES).cached, llm.complete(MESSAGES).cached] == [False, True]
    assert len(endpoint.requests) == 1
    assert (tmp_path / "cache" / "llm.sqlite").is_file()


def test_importing_the_llm_package_does_not_import_openai() -> None:
    code = ("import sys, bulletin_qa.llm, bulletin_qa.llm.cache, bulletin_qa.llm.pricing; "
            "print('openai' in sys.modules, 'httpx2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
