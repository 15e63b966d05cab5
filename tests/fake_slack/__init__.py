"""The fake Slack Web API / Socket Mode server now ships as the ``fakeslack`` package (the demo
uses it too); tests keep importing it from here."""

from fakeslack import (
    Call,
    FakeSlack,
    SlackWorkspace,
    SocketModeEndpoint,
    Violation,
    validate_message,
    validate_view,
)

__all__ = [
    "Call",
    "FakeSlack",
    "SlackWorkspace",
    "SocketModeEndpoint",
    "Violation",
    "validate_message",
    "validate_view",
]
