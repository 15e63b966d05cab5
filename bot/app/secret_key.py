"""Create ``NORTHSTAR_SECRET_KEY`` in ``.env`` on first run; its value is never logged."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet
from dotenv import dotenv_values

from bot.core.config import ConfigError

SECRET_KEY_VARIABLE = "NORTHSTAR_SECRET_KEY"


def ensure_secret_key(env_file: Path) -> bool:
    """Append a new Fernet key to ``env_file`` unless one is already configured.

    Returns True when a key was generated.
    """
    if os.environ.get(SECRET_KEY_VARIABLE):
        return False
    if env_file.exists() and dotenv_values(env_file).get(SECRET_KEY_VARIABLE):
        return False
    key = Fernet.generate_key().decode("ascii")
    try:
        existing = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
        separator = "" if existing == "" or existing.endswith("\n") else "\n"
        with env_file.open("a", encoding="utf-8") as handle:
            handle.write(f"{separator}{SECRET_KEY_VARIABLE}={key}\n")
        env_file.chmod(0o600)
    except OSError as error:
        raise ConfigError(
            f"{SECRET_KEY_VARIABLE} is not set and could not be written to {env_file} "
            f"({error.strerror}): set it in the environment instead, for example to the "
            'output of: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        ) from None
    return True
