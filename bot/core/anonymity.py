"""Sealing an anonymous author's user id, and the public codes of anonymous threads.

An author's user id is stored only when they ask for replies (a survey comment opened to
replies, or anonymous feedback), and then only sealed: encrypted with ``NORTHSTAR_SECRET_KEY``
(Fernet, from ``cryptography``, through the key ring of ``bot.core.key_ring``, which also opens what
old keys sealed) and opened in memory just long enough to deliver a reply.
The random keys of anonymous rows are made by the tables themselves (``storage.models``).
"""

from __future__ import annotations

import base64
import hmac
import logging
import secrets
import struct

from bot.core.errors import NorthstarError
from bot.core.key_ring import InvalidToken, SecretKeys, key_ring

# A Fernet token begins with a version byte and then its creation time, in clear, as seconds
# since 1970. Made with the real clock, a sealed author would tell exactly when someone
# answered, so every token is made "at" this time instead.
SEAL_TIME = 0
_TIMESTAMP = struct.Struct(">Q")
THREAD_CODE_SPACE = 16**4

# Libraries that, at DEBUG level, log whole payloads: Slack API request bodies with the
# recipient's user id (slack_sdk), incoming requests (slack_bolt). The database driver's
# statement log is kept quiet by ``storage.db.create_engine``.
PAYLOAD_LOGGERS = ("slack_sdk", "slack_bolt")
# The SDK's clients build each call's DEBUG text (the whole payload) whenever their logger has
# no level of its own, and only then find that the text is not to be logged; given their
# inherited level as their own, they do not build it.
PAYLOAD_TEXT_LOGGERS = (
    "slack_sdk.web.async_base_client",
    "slack_sdk.web.base_client",
    "slack_sdk.webhook.async_client",
    "slack_sdk.webhook.client",
)


class SealBroken(NorthstarError):
    """A sealed author cannot be opened: wrong ``NORTHSTAR_SECRET_KEY`` or a damaged token."""


def seal(user_id: str, key: SecretKeys) -> str:
    """Encrypt ``user_id``; the token carries no time (its embedded timestamp is 0)."""
    token = key_ring(key).encrypt_at_time(user_id.encode("utf-8"), current_time=SEAL_TIME)
    return token.decode("ascii")


def unseal(token: str, key: SecretKeys) -> str:
    """The user id inside ``token``. Keep the result in memory only: never store or log it."""
    try:
        return key_ring(key).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as error:
        raise SealBroken("a sealed author could not be opened with this secret key") from error


def is_sealed_author(token: str, user_id: str, key: SecretKeys) -> bool:
    """True when ``token`` seals ``user_id`` (compared in constant time)."""
    return hmac.compare_digest(unseal(token, key).encode("utf-8"), user_id.encode("utf-8"))


def token_timestamp(token: str) -> int:
    """The creation time Fernet wrote in clear into ``token``; for audits and tests."""
    raw = base64.urlsafe_b64decode(token.encode("ascii"))
    (timestamp,) = _TIMESTAMP.unpack_from(raw, 1)
    return int(timestamp)


def new_thread_code() -> str:
    """A feedback thread's public name, four uppercase hex digits (``7F3A``).

    Random rather than counted, so a code says nothing about how many threads came before;
    the caller retries when the code is already taken in the workspace.
    """
    return f"{secrets.randbelow(THREAD_CODE_SPACE):04X}"


def quiet_payload_loggers() -> None:
    """Keep libraries that log whole payloads at DEBUG from logging who answered what.

    Call once after logging is configured: even with ``LOG_LEVEL=DEBUG`` these loggers then
    stop at INFO, and the SDK's clients no longer even build the text of each payload.
    """
    for name in PAYLOAD_LOGGERS:
        library_logger = logging.getLogger(name)
        if library_logger.getEffectiveLevel() < logging.INFO:
            library_logger.setLevel(logging.INFO)
    for name in PAYLOAD_TEXT_LOGGERS:  # no louder than before: their retry lines stay at INFO
        client_logger = logging.getLogger(name)
        client_logger.setLevel(max(logging.INFO, client_logger.getEffectiveLevel()))
