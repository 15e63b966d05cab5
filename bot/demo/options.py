"""The options of ``northstar demo``, importable without loading the simulation."""

from __future__ import annotations

from pathlib import Path

DEFAULT_FOLDER = Path("northstar-demo")
DEFAULT_WEEKS = 4
MAX_WEEKS = 8
DEFAULT_SEED = 7
