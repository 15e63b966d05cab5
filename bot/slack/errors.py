"""Reading a Slack refusal: the error code, whatever the body of Slack's answer was."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError


def error_code(error: SlackApiError) -> str:
    """Slack's ``error`` code (``channel_not_found``), or ``http_<status>`` when the answer
    carried none.

    An HTTP 5xx from Slack (or a proxy in front of it) often has an HTML or text body, and
    ``SlackResponse.get`` fails on anything but a JSON object; reading the code must never
    turn a refusal Northstar knows how to handle into a crash.
    """
    data = error.response.data
    code = data.get("error") if isinstance(data, dict) else None
    return str(code or f"http_{error.response.status_code}")
