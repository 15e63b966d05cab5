"""What the install pages (``/slack/install`` -> Slack -> ``/slack/oauth_redirect``) say."""

from __future__ import annotations

# Bolt answers a request from a workspace without an installation with this (an ephemeral
# message for slash commands).
NOT_INSTALLED = (
    "Northstar is not installed in this workspace (any more). Ask whoever runs Northstar for "
    "its install link (https://THEIR-HOST/slack/install) and install it again; nothing you "
    "recorded before was deleted."
)
INSTALLED_TITLE = "Northstar is installed"
FAILED_TITLE = "Northstar was not installed"
OPEN_SLACK = "Open Slack"
TRY_AGAIN = "Start the installation again"


def installed(team_name: str) -> list[str]:
    """The success page, paragraph by paragraph (plain text; the page escapes it)."""
    where = f"in {team_name}" if team_name else "in your workspace"
    return [
        f"Northstar is now installed {where}. Its people are being copied from Slack; "
        "that takes a minute.",
        "Next, in Slack: a workspace admin types /align help to set the vision and mission "
        "and /align digest #channel to choose where the weekly digest goes; everyone can "
        "open Northstar's Home tab and type /goal help, /kpi help or /checkin help.",
        "You can close this page.",
    ]


FAILURE_REASONS = {
    "access_denied": "The installation was cancelled in Slack, so nothing was installed.",
    "invalid_browser": (
        "This installation was started in another browser, or its cookie was lost. Start it "
        "again here, in the browser you use for Slack."
    ),
    "invalid_state": (
        "This installation link has expired (it lasts ten minutes) or was already used. "
        "Start the installation again."
    ),
    "missing_code": "Slack did not confirm the installation. Start the installation again.",
    "invalid_code": (
        "Slack did not accept the installation (its code was invalid or already used). "
        "Start the installation again."
    ),
    "storage_error": (
        "Northstar could not save the installation. Ask whoever runs Northstar to check its "
        "log, then start the installation again."
    ),
}


def failed(reason: str) -> list[str]:
    """The failure page for Bolt's ``reason`` (an OAuth error code or one of its own)."""
    known = FAILURE_REASONS.get(reason)
    if known is not None:
        return [known]
    return [
        f"Slack answered the installation with an error ({reason}), so nothing was installed.",
        "Start the installation again; if it fails again, ask whoever runs Northstar.",
    ]
