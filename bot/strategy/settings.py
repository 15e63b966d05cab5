"""The strategy's workspace settings, kept together in ``workspace.settings["strategy"]``:
``fiscal_year_start`` (a month), ``swot`` (four lists), ``review_channel`` (a channel id),
``welcome`` (on unless an admin turned it off)."""

from __future__ import annotations

from typing import Any

SETTINGS_KEY = "strategy"


def read_strategy(workspace_settings: dict[str, Any] | None) -> dict[str, Any]:
    stored = (workspace_settings or {}).get(SETTINGS_KEY)
    return dict(stored) if isinstance(stored, dict) else {}


def with_strategy(workspace_settings: dict[str, Any] | None, **changes: Any) -> dict[str, Any]:
    """A copy of the workspace's settings with these strategy keys changed (assign it: a
    new dict, so SQLAlchemy sees the change)."""
    strategy = {**read_strategy(workspace_settings), **changes}
    return {**(workspace_settings or {}), SETTINGS_KEY: strategy}
