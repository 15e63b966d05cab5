"""Settings, read once at start-up from the environment and a ``.env`` file.

This module imports nothing else of the project.
"""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum
from urllib.parse import urlsplit

import sqlalchemy as sa
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./northstar.db"
DATABASE_URL_FORMS = (
    "sqlite+aiosqlite:///PATH/TO/northstar.db or "
    "postgresql+asyncpg://USER:PASSWORD@HOST:5432/DATABASE"
)
FERNET_KEY_FORM = "a Fernet key (32 url-safe base64-encoded bytes)"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_RESPONSE_URL_PREFIX = "https://hooks.slack.com/"
ENV_FILE = ".env"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class RunMode(StrEnum):
    SOCKET = "socket"
    HTTP = "http"


class ConfigError(Exception):
    """Start-up cannot go on; the message is one sentence a person can act on."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    # Replies go only to response_urls under this prefix; tests point it at a fake Slack.
    slack_response_url_prefix: str = DEFAULT_RESPONSE_URL_PREFIX
    database_url: str = DEFAULT_DATABASE_URL
    northstar_secret_key: SecretStr
    # Keys that encrypted earlier data, comma-separated: they only decrypt (key rotation).
    northstar_old_secret_keys: SecretStr | None = None
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: str = "INFO"
    northstar_allow_private_urls: bool = False  # KPI sources may fetch private addresses
    # How often the frequent jobs (check-ins, reminders, surveys, digest) run; 300 = the
    # five-minute clock schedule. Tests and demos shorten it.
    northstar_frequent_seconds: int = Field(default=300, ge=1, le=3600)

    @field_validator("northstar_secret_key")
    @classmethod
    def _must_be_fernet_key(cls, value: SecretStr) -> SecretStr:
        if not is_valid_secret_key(value.get_secret_value()):
            raise ValueError(f"it must be {FERNET_KEY_FORM}")
        return value

    @field_validator("northstar_old_secret_keys")
    @classmethod
    def _must_be_fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        keys = split_keys(value.get_secret_value()) if value else []
        for position, key in enumerate(keys, start=1):
            if not is_valid_secret_key(key):  # the key itself is never echoed
                raise ValueError(
                    f"key {position} of its comma-separated list is not {FERNET_KEY_FORM}"
                )
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database_url(cls, value: str) -> str:
        if not is_supported_database_url(value):  # the URL (and its password) is never echoed
            raise ValueError(f"it must look like {DATABASE_URL_FORMS}")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"it must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("slack_api_url")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_response_url_prefix")
    @classmethod
    def _is_a_url_prefix(cls, value: str) -> str:
        """A scheme and a host, ending with ``/``: ``https://hooks.slack.com`` alone would also
        let ``https://hooks.slack.com.evil.example/`` through."""
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError("it must be a URL such as https://hooks.slack.com/")
        return value if value.endswith("/") else value + "/"

    def old_secret_keys(self) -> list[str]:
        """``NORTHSTAR_OLD_SECRET_KEYS`` as a list, in the order given."""
        value = self.northstar_old_secret_keys
        return split_keys(value.get_secret_value()) if value else []

    @property
    def run_mode(self) -> RunMode:
        return RunMode.SOCKET if self.slack_app_token else RunMode.HTTP

    @property
    def oauth_enabled(self) -> bool:
        """Installable into several workspaces: ``/slack/install`` and per-workspace tokens."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def oauth_requested(self) -> bool:
        """At least one of the two OAuth variables is set (both are needed to turn OAuth on)."""
        return bool(self.slack_client_id or self.slack_client_secret)

    @property
    def socket_mode_with_oauth(self) -> bool:
        """Both Socket Mode and OAuth are asked for, which Northstar refuses: the install
        pages are served in HTTP mode, and Slack does not allow Socket Mode apps in the
        Slack Marketplace, so distributed apps run in HTTP mode."""
        return self.run_mode is RunMode.SOCKET and self.oauth_requested

    def missing_slack_variables(self) -> list[str]:
        """The Slack variables ``northstar run`` still needs, in the order to set them."""
        missing: list[str] = []
        if self.oauth_requested:
            if not self.slack_client_id:
                missing.append("SLACK_CLIENT_ID")
            if not self.slack_client_secret:
                missing.append("SLACK_CLIENT_SECRET")
        elif not self.slack_bot_token:
            missing.append("SLACK_BOT_TOKEN")
        if self.run_mode is RunMode.HTTP and not self.slack_signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        return missing


def is_valid_secret_key(key: str) -> bool:
    """Exactly a Fernet key: decoding ignores stray characters and whatever follows the
    padding (``KEY1;KEY2`` would decode to KEY1), so the key must also encode back to itself."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False
    return len(raw) == 32 and base64.urlsafe_b64encode(raw) == key.encode("ascii")


def split_keys(value: str) -> list[str]:
    return [key.strip() for key in value.split(",") if key.strip()]


def is_supported_database_url(url: str) -> bool:
    """SQLite through aiosqlite, or PostgreSQL through asyncpg with a database name."""
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        return False
    if parsed.drivername == "sqlite+aiosqlite":
        return True
    return parsed.drivername == "postgresql+asyncpg" and bool(parsed.database)


def load_settings(env_file: str | None = ENV_FILE) -> Settings:
    """Read settings, turning validation errors into one sentence per problem."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        raise ConfigError(_explain(error)) from None


def _explain(error: ValidationError) -> str:
    sentences = []
    for problem in error.errors():
        name = str(problem["loc"][0]).upper() if problem["loc"] else "a setting"
        if problem["type"] == "missing":
            sentences.append(f"{name} is not set: add it to the environment or to {ENV_FILE}.")
        else:
            reason = problem["msg"].removeprefix("Value error, ")
            sentences.append(f"{name} is not valid: {reason}.")
    return " ".join(sentences)
