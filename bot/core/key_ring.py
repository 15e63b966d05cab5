"""The secret keys as one ring: ``NORTHSTAR_SECRET_KEY`` encrypts, it and the old keys decrypt.

Everything Northstar stores encrypted (the sealed authors of anonymous feedback and of survey
comments open to replies; with OAuth, each workspace's Slack tokens) goes through a
``KeyRing`` built from the settings (``Runtime.key_ring``). After a key change, values the old
keys encrypted still open as long as those keys are listed in ``NORTHSTAR_OLD_SECRET_KEYS``;
``northstar rekey`` (``bot.app.rekey``) then encrypts them again with the current key, after which
the old keys can be dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from bot.core.config import Settings

if TYPE_CHECKING:  # cryptography (~7 MiB) loads with the first ring, not at start-up
    from cryptography.fernet import Fernet, MultiFernet

__all__ = ["InvalidToken", "KeyRing", "SecretKeys", "key_ring"]

Result = TypeVar("Result")


class InvalidToken(Exception):
    """No key of the ring opens the token (cryptography's ``InvalidToken``, raised again here
    so that callers need not import cryptography)."""


def _opened(step: Callable[[], Result]) -> Result:
    from cryptography.fernet import InvalidToken as Refused

    try:
        return step()
    except Refused as error:
        raise InvalidToken("no key of the ring opens this token") from error


class KeyRing:
    """The current key and the old ones. Decrypting fails with ``InvalidToken``."""

    def __init__(self, current: str, old: Sequence[str] = ()) -> None:
        from cryptography.fernet import Fernet, MultiFernet

        self._current: Fernet = Fernet(current)
        self._all: MultiFernet = MultiFernet([self._current, *(Fernet(key) for key in old)])

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        return cls(settings.northstar_secret_key.get_secret_value(), settings.old_secret_keys())

    def encrypt(self, data: bytes) -> bytes:
        return self._current.encrypt(data)

    def encrypt_at_time(self, data: bytes, current_time: int) -> bytes:
        """Encrypted with the current key, stamped with ``current_time`` instead of now."""
        return self._current.encrypt_at_time(data, current_time)

    def decrypt(self, token: bytes) -> bytes:
        """The plain data, with whichever key of the ring encrypted it."""
        return _opened(lambda: self._all.decrypt(token))

    def is_current(self, token: bytes) -> bool:
        """True when the current key opens ``token`` (it needs no re-encryption)."""
        try:
            _opened(lambda: self._current.decrypt(token))
        except InvalidToken:
            return False
        return True

    def rotate(self, token: bytes) -> bytes:
        """``token`` encrypted again with the current key, keeping its embedded timestamp (a
        sealed author's stays 0, so rotating tells no time either)."""
        return _opened(lambda: self._all.rotate(token))


# A single key is a ring of one; production code passes the ring built from the settings.
SecretKeys = KeyRing | str


def key_ring(keys: SecretKeys) -> KeyRing:
    return keys if isinstance(keys, KeyRing) else KeyRing(keys)
