"""Where a request may have Northstar's replies sent: only to Slack's own response URLs.

A ``response_url`` arrives in the request body (and Northstar keeps it in a modal's
``private_metadata`` to answer after the modal closes). Northstar POSTs its replies there, so
one pointing anywhere else would make Northstar send requests to any address, internal ones
too. Only URLs under ``SLACK_RESPONSE_URL_PREFIX`` (``https://hooks.slack.com/``) are used.
"""

from __future__ import annotations

from typing import Any

from bot.slack.messages import view_metadata


def response_urls_in(body: dict[str, Any]) -> list[str]:
    """Every response URL a request carries: its own, a modal's ``response_urls``, and the one
    Northstar kept in the modal's ``private_metadata``. Non-strings are listed as text too, so
    they are refused rather than overlooked."""
    found: list[object] = []
    if "response_url" in body:
        found.append(body["response_url"])
    for entry in body.get("response_urls") or []:
        found.append(entry.get("response_url") if isinstance(entry, dict) else entry)
    view = body.get("view")
    kept = view_metadata(view) if isinstance(view, dict) else {}
    if kept.get("response_url") is not None:
        found.append(kept["response_url"])
    return [str(url) for url in found if url not in (None, "")]


def is_allowed_response_url(url: str, prefix: str) -> bool:
    """True for a URL under ``prefix`` (which ends with ``/``, so its host cannot be extended)
    that holds no whitespace or control character (``split`` splits on exactly what
    ``isspace`` calls whitespace; both run in C, not a character at a time in Python)."""
    return url.startswith(prefix) and url.isprintable() and url.split() == [url]


def foreign_response_urls(body: dict[str, Any], prefix: str) -> list[str]:
    return [url for url in response_urls_in(body) if not is_allowed_response_url(url, prefix)]
