"""Settings, read once at start-up from the environment and a ``.env`` file.

This module imports nothing else of the project.
"""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./northstar.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
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
    database_url: str = DEFAULT_DATABASE_URL
    northstar_secret_key: SecretStr
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
            raise ValueError("it must be a Fernet key (32 url-safe base64-encoded bytes)")
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
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


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
