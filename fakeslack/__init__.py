"""A fake Slack, in process: the Web API and Socket Mode on a free local port, and the signed
requests Slack sends to an app. Northstar's tests and ``northstar demo`` run against it, so
neither needs a Slack account or the network."""

from .app_requests import DEFAULT_SIGNING_SECRET, SignedSender, SlackSender, view_state
from .blockkit import Violation, validate_message, validate_view
from .methods import SlackWorkspace
from .server import Call, FakeSlack
from .socket_mode import SocketModeEndpoint

__all__ = [
    "DEFAULT_SIGNING_SECRET",
    "Call",
    "FakeSlack",
    "SignedSender",
    "SlackSender",
    "SlackWorkspace",
    "SocketModeEndpoint",
    "Violation",
    "validate_message",
    "validate_view",
    "view_state",
]
