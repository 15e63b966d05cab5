"""Slack tokens at rest: encrypted with ``NORTHSTAR_SECRET_KEY`` before they reach the database.

An installation (or bot) is copied with its bot, user and refresh tokens replaced by Fernet
tokens of the key ring (``bot.core.key_ring``); reading reverses it, with the current key or an old
one. Nothing else of an installation is secret (ids, names, scopes).
"""

from __future__ import annotations

import copy
from typing import TypeVar

from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation

from bot.core.errors import NorthstarError
from bot.core.key_ring import InvalidToken, SecretKeys, key_ring

BOT_SECRETS = ("bot_token", "bot_refresh_token")
INSTALLATION_SECRETS = (*BOT_SECRETS, "user_token", "user_refresh_token")

Stored = TypeVar("Stored", Installation, Bot)


class TokenUnreadable(NorthstarError):
    """A stored token cannot be decrypted: another ``NORTHSTAR_SECRET_KEY``, or damaged data."""


def _fields(record: Installation | Bot) -> tuple[str, ...]:
    return INSTALLATION_SECRETS if isinstance(record, Installation) else BOT_SECRETS


def encrypted(record: Stored, key: SecretKeys) -> Stored:
    """A copy of ``record`` whose tokens are encrypted; the original is left as it was."""
    keys = key_ring(key)
    sealed = copy.copy(record)
    for name in _fields(record):
        value = getattr(record, name, None)
        if value is not None:
            setattr(sealed, name, keys.encrypt(value.encode("utf-8")).decode("ascii"))
    return sealed


def decrypted(record: Stored, key: SecretKeys) -> Stored:
    """``record`` (as read from the store) with its tokens decrypted, in place."""
    keys = key_ring(key)
    for name in _fields(record):
        value = getattr(record, name, None)
        if value is None:
            continue
        try:
            setattr(record, name, keys.decrypt(value.encode("ascii")).decode("utf-8"))
        except (InvalidToken, UnicodeError) as error:
            raise TokenUnreadable(
                f"a stored Slack token of workspace {record.team_id} cannot be decrypted"
            ) from error
    return record
