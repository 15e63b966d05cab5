"""The secrets a KPI source may send in a header: only variables the operator set aside.

A member names the variable that holds a header's value; so that nobody can name
``SLACK_SIGNING_SECRET`` or ``DATABASE_URL`` and have it sent to their own server, only
variables called ``NORTHSTAR_KPI_SECRET_<NAME>`` are ever read. They are read once, at
start-up, from the environment and from the ``.env`` file (the environment wins), and carried
on the runtime; nothing else of the environment is reachable from a KPI source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

KPI_SECRET_PREFIX = "NORTHSTAR_KPI_SECRET_"
KPI_SECRET_NAME = re.compile(KPI_SECRET_PREFIX + r"[A-Z0-9_]{1,64}")


def is_kpi_secret_name(name: str) -> bool:
    return KPI_SECRET_NAME.fullmatch(name) is not None


def read_kpi_secrets(environ: Mapping[str, str], env_file: Path | None) -> dict[str, str]:
    """Every ``NORTHSTAR_KPI_SECRET_*`` variable of ``env_file`` and ``environ``, and no other."""
    found: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        found.update({name: value for name, value in dotenv_values(env_file).items() if value})
    found.update(environ)
    return {name: value for name, value in found.items() if is_kpi_secret_name(name)}
