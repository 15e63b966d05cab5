"""A KPI's source as stored in ``Kpi.source`` (JSON) and back.

Only the name of the environment variable holding a header's value is stored, never the
value itself.
"""

from __future__ import annotations

from typing import Any

from bot.kpis.sources import CsvSource, JsonSource, Source, SourceError

KIND_JSON = "json"
KIND_CSV = "csv"


def source_to_data(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    if isinstance(source, JsonSource):
        return {
            "kind": KIND_JSON,
            "url": source.url,
            "path": source.path,
            "header_name": source.header_name,
            "secret_env": source.secret_env,
        }
    return {
        "kind": KIND_CSV,
        "url": source.url,
        "column": source.column,
        "match_column": source.match_column,
        "match_value": source.match_value,
    }


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise SourceError("The stored source is incomplete; set it again with `/kpi edit`.")
    return value


def _optional(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def source_from_data(data: Any) -> Source | None:
    """The stored source, ``None`` when the KPI has none; ``SourceError`` if it is damaged."""
    if not data:
        return None
    if not isinstance(data, dict):
        raise SourceError("The stored source is unreadable; set it again with `/kpi edit`.")
    if data.get("kind") == KIND_JSON:
        return JsonSource(
            url=_text(data, "url"),
            path=_text(data, "path"),
            header_name=_optional(data, "header_name"),
            secret_env=_optional(data, "secret_env"),
        )
    if data.get("kind") == KIND_CSV:
        return CsvSource(
            url=_text(data, "url"),
            column=_text(data, "column"),
            match_column=_optional(data, "match_column"),
            match_value=_optional(data, "match_value"),
        )
    raise SourceError("The stored source has an unknown kind; set it again with `/kpi edit`.")
