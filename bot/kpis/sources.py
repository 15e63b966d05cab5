"""Sources that fill a KPI by themselves: a number in a JSON document or in a CSV file.

Knows nothing of Slack or the database: the caller stores the source, calls
``fetch_value`` and records the value or the ``SourceError`` message on the KPI.
Network safety (addresses, redirects, limits) lives in ``bot.kpis.safe_fetch``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.numbers import parse_number
from bot.kpis.safe_fetch import (
    FetchPolicy,
    Resolver,
    SourceError,
    check_url,
    fetch_bytes,
    policy_from_env,
    system_resolve,
)
from bot.kpis.secrets import KPI_SECRET_PREFIX, is_kpi_secret_name

if TYPE_CHECKING:  # httpx loads with the first fetch or address shown (bot/kpis/safe_fetch.py)
    import httpx

__all__ = [
    "CsvSource",
    "FetchPolicy",
    "JsonSource",
    "Source",
    "SourceError",
    "describe",
    "fetch_value",
    "parse_number",
    "policy_from_env",
    "validate_source",
]

_HEADER_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_INDEX = re.compile(r"-?[0-9]+")
# Headers that steer the connection itself; a source may not set them.
_RESERVED_HEADERS = frozenset({"host", "connection", "content-length", "transfer-encoding"})
_SHOWN_COLUMNS = 10
_SHOWN_TEXT = 40

Hide = Callable[[str], str]


@dataclass(frozen=True)
class JsonSource:
    url: str
    path: str
    header_name: str | None = None
    secret_env: str | None = None


@dataclass(frozen=True)
class CsvSource:
    url: str
    column: str
    match_column: str | None = None
    match_value: str | None = None


Source = JsonSource | CsvSource


def describe(source: Source) -> str:
    """A short description for people, without query string, credentials or secrets."""
    import httpx

    try:
        parsed = httpx.URL(source.url)
        where = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}{parsed.path}"
    except (httpx.InvalidURL, TypeError, ValueError):
        where = "an invalid address"
    if isinstance(source, JsonSource):
        header = f", sending {source.header_name} from ${source.secret_env}"
        return f"{source.path} in the JSON at {where}" + (header if source.header_name else "")
    if source.match_column is None:
        return f"{source.column} in the last row of the CSV at {where}"
    return (
        f"{source.column} where {source.match_column} is {source.match_value!r} "
        f"in the CSV at {where}"
    )


def validate_source(source: Source) -> None:
    """Raise ``SourceError`` for a source that cannot work, without touching the network."""
    check_url(source.url)
    if isinstance(source, CsvSource):
        if not source.column.strip():
            raise SourceError("Name the CSV column that holds the value.")
        if (source.match_column is None) != (source.match_value is None):
            raise SourceError("To pick a row, give both the column to match and the value.")
        if source.match_column is not None and not source.match_column.strip():
            raise SourceError("The column to match rows on has no name.")
        return
    if not source.path.strip() or any(not part for part in source.path.split(".")):
        raise SourceError("Give the path to the number, like data.total or items.0.value.")
    if source.header_name is None and source.secret_env is None:
        return
    if not source.header_name or not source.secret_env:
        raise SourceError(
            "A header needs both its name and the environment variable holding its value."
        )
    if not _HEADER_TOKEN.fullmatch(source.header_name):
        raise SourceError(f"{source.header_name!r} is not a valid HTTP header name.")
    if source.header_name.lower() in _RESERVED_HEADERS:
        raise SourceError(f"The {source.header_name} header is set by Northstar itself.")
    if not is_kpi_secret_name(source.secret_env):
        raise SourceError(
            f"{source.secret_env!r} cannot hold a header's value: only variables named "
            f"{KPI_SECRET_PREFIX}SOMETHING (capital letters, digits and underscores), set by "
            "whoever runs Northstar, can."
        )


async def fetch_value(
    source: Source,
    *,
    policy: FetchPolicy,
    secrets: Mapping[str, str],
    client: httpx.AsyncClient | None = None,
    resolve: Resolver = system_resolve,
) -> float:
    """Fetch the source and return its current value.

    Raises ``SourceError`` for every failure, with a message that never contains the secret
    header value, even when the source echoes it back.

    Args:
        source: What to fetch and where the number is.
        policy: Limits and address rules; see ``bot.kpis.safe_fetch``.
        secrets: The ``NORTHSTAR_KPI_SECRET_*`` variables (``bot.kpis.secrets``), where the
            header's value is looked up; no other variable is ever reachable.
        client: Optional client to send through; see ``bot.kpis.safe_fetch.fetch_bytes``.
        resolve: Host name resolver; tests inject one, production uses the system's.
    """
    validate_source(source)
    secret_headers = _secret_headers(source, secrets)

    def hide(text: str) -> str:
        for secret in secret_headers.values():
            # Case-insensitive: a host name carrying the secret comes back lower-cased.
            text = re.sub(re.escape(secret), "[secret]", text, flags=re.IGNORECASE)
        return text

    try:
        body = await fetch_bytes(
            source.url,
            policy=policy,
            secret_headers=secret_headers,
            client=client,
            resolve=resolve,
        )
        if isinstance(source, JsonSource):
            return _value_from_json(body, source.path, hide)
        return _value_from_csv(body, source, hide)
    except SourceError as error:
        # A redirect may put the secret in a host name that a message names.
        if hide(error.message) == error.message:
            raise
        raise SourceError(hide(error.message)) from None


def _secret_headers(source: Source, secrets: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(source, JsonSource) or not source.header_name or not source.secret_env:
        return {}
    # A source stored before the prefix rule may name any variable: it is never read. One
    # message for "not set", "not allowed" and "unusable", so it tells nobody what exists.
    value = secrets.get(source.secret_env, "") if is_kpi_secret_name(source.secret_env) else ""
    # Checked here so that no HTTP library error ever quotes the value back.
    if not value or not all(" " <= char <= "~" or char == "\t" for char in value):
        raise SourceError(
            f"The header's value {source.secret_env} is not available: ask whoever runs "
            f"Northstar to set a usable {KPI_SECRET_PREFIX}… variable and name it here."
        )
    return {source.header_name: value}


def _short(text: str, hide: Hide) -> str:
    """Text from the source, fit for a message: secrets hidden first, then shortened."""
    text = hide(text)
    return text if len(text) <= _SHOWN_TEXT else text[:_SHOWN_TEXT] + "…"


def _quote(text: str, hide: Hide) -> str:
    return repr(_short(text, hide))


def _value_from_json(body: bytes, path: str, hide: Hide) -> float:
    try:
        node: object = json.loads(body)
    except (ValueError, RecursionError):
        raise SourceError("The source did not return valid JSON.") from None
    walked: list[str] = []
    for key in path.split("."):
        where = ".".join(walked) or "the top level"
        node = _json_step(node, key, path=path, where=where, hide=hide)
        walked.append(key)
    return _json_number(node, path, hide)


def _json_step(node: object, key: str, *, path: str, where: str, hide: Hide) -> object:
    missing = f"The JSON has no value at {path}: {where}"
    if isinstance(node, dict):
        if key in node:
            return node[key]
        keys = ", ".join(_short(name, hide) for name in list(node)[:_SHOWN_COLUMNS]) or "no keys"
        raise SourceError(f"{missing} has no key {key!r} (it has {keys}).")
    if isinstance(node, list):
        if _INDEX.fullmatch(key) and -len(node) <= int(key) < len(node):
            return node[int(key)]
        raise SourceError(f"{missing} is a list of {len(node)} items, so {key!r} picks nothing.")
    raise SourceError(f"{missing} is {_json_kind(node, hide)}, not an object or a list.")


def _json_kind(node: object, hide: Hide) -> str:
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, dict):
        return "an object"
    if isinstance(node, list):
        return "a list"
    if isinstance(node, str):
        return _quote(node, hide)
    return str(node)


def _json_number(node: object, path: str, hide: Hide) -> float:
    value: float | None = None
    if isinstance(node, str):
        value = parse_number(node)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        try:
            value = float(node)
        except OverflowError:
            value = None
        if value is not None and not math.isfinite(value):
            value = None
    if value is None:
        raise SourceError(f"The value at {path} is {_json_kind(node, hide)}, not a number.")
    return value


def _decode_csv(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _column_index(header: list[str], name: str, hide: Hide) -> int:
    wanted = name.strip().casefold()
    for index, title in enumerate(header):
        if title.strip().casefold() == wanted:
            return index
    shown = ", ".join(_short(title.strip(), hide) for title in header[:_SHOWN_COLUMNS])
    more = f" and {len(header) - _SHOWN_COLUMNS} more" if len(header) > _SHOWN_COLUMNS else ""
    raise SourceError(f"The CSV has no column {name.strip()!r}; its columns are {shown}{more}.")


def _value_from_csv(body: bytes, source: CsvSource, hide: Hide) -> float:
    try:
        rows = [row for row in csv.reader(io.StringIO(_decode_csv(body), newline="")) if row]
    except csv.Error:
        raise SourceError("The source is not a readable CSV file.") from None
    if not rows:
        raise SourceError("The CSV is empty.")
    header, records = rows[0], rows[1:]
    column = _column_index(header, source.column, hide)

    def cell(row: list[str], index: int) -> str:
        return row[index].strip() if index < len(row) else ""

    if source.match_column is None or source.match_value is None:
        found = next((cell(row, column) for row in reversed(records) if cell(row, column)), None)
        if found is None:
            raise SourceError(f"The CSV has no row with a value in column {source.column!r}.")
    else:
        match = _column_index(header, source.match_column, hide)
        wanted = source.match_value.strip().casefold()
        row = next((r for r in reversed(records) if cell(r, match).casefold() == wanted), None)
        if row is None:
            raise SourceError(
                f"The CSV has no row where {source.match_column} is {source.match_value!r}."
            )
        found = cell(row, column)
    value = parse_number(found)
    if value is None:
        shown = _quote(found, hide) if found else "empty"
        raise SourceError(f"The value in column {source.column!r} is {shown}, not a number.")
    return value
