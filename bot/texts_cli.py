"""What the ``northstar`` command prints to the person running it."""

from __future__ import annotations

VARIABLE_HELP = {
    "SLACK_BOT_TOKEN": (
        "the Bot User OAuth Token (xoxb-...), shown under 'OAuth & Permissions' once the app "
        "is installed to your workspace"
    ),
    "SLACK_SIGNING_SECRET": (
        "the Signing Secret under 'Basic Information' > 'App Credentials' (HTTP mode)"
    ),
}


def missing_credentials(missing: list[str]) -> str:
    names = " and ".join(missing)
    lines = [
        f"Northstar cannot start: {names} {'is' if len(missing) == 1 else 'are'} not set.",
        "Set them in the environment or add them to the .env file (.env.example lists every "
        "setting):",
    ]
    lines += [f"  {name}: {VARIABLE_HELP[name]}" for name in missing]
    lines += [
        "  For Socket Mode (no public URL needed) set SLACK_APP_TOKEN instead of "
        "SLACK_SIGNING_SECRET: an app-level token (xapp-...) with the connections:write "
        "scope, from 'Basic Information' > 'App-Level Tokens'.",
        "Create the Slack app from manifest.yaml as the README explains in the section "
        "'Create the Slack app'.",
    ]
    return "\n".join(lines)


def secret_key_generated(path: str) -> str:
    return f"Generated a new NORTHSTAR_SECRET_KEY into {path}; keep that file safe and backed up."
