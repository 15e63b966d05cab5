"""Fake Slack Web API / Socket Mode server for Northstar's tests."""

from .blockkit import Violation, validate_message, validate_view
from .methods import SlackWorkspace
from .server import Call, FakeSlack
from .socket_mode import SocketModeEndpoint

__all__ = [
    "Call",
    "FakeSlack",
    "SlackWorkspace",
    "SocketModeEndpoint",
    "Violation",
    "validate_message",
    "validate_view",
]
