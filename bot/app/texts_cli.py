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
    "SLACK_CLIENT_ID": "the Client ID under 'Basic Information' > 'App Credentials' (OAuth)",
    "SLACK_CLIENT_SECRET": (
        "the Client Secret under 'Basic Information' > 'App Credentials' (OAuth)"
    ),
}
OAUTH_SECTION = "'Install into several workspaces (OAuth)'"


def missing_credentials(missing: list[str], *, oauth: bool = False) -> str:
    """What to set, where to find it; ``oauth`` when SLACK_CLIENT_ID or _SECRET is set."""
    names = " and ".join(missing)
    lines = [
        f"Northstar cannot start: {names} {'is' if len(missing) == 1 else 'are'} not set.",
        "Set them in the environment or add them to the .env file (.env.example lists every "
        "setting):",
    ]
    lines += [f"  {name}: {VARIABLE_HELP[name]}" for name in missing]
    if oauth:
        lines += [
            "  With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, Northstar serves /slack/install "
            "and keeps one token per workspace, so SLACK_BOT_TOKEN is not needed. To run in "
            "a single workspace instead, remove both and set SLACK_BOT_TOKEN.",
            f"See the README section {OAUTH_SECTION}.",
        ]
        return "\n".join(lines)
    lines += [
        "  For Socket Mode (no public URL needed) set SLACK_APP_TOKEN instead of "
        "SLACK_SIGNING_SECRET: an app-level token (xapp-...) with the connections:write "
        "scope, from 'Basic Information' > 'App-Level Tokens'.",
        "  To install Northstar into several workspaces, set SLACK_CLIENT_ID and "
        f"SLACK_CLIENT_SECRET instead of SLACK_BOT_TOKEN (README section {OAUTH_SECTION}).",
        "Create the Slack app from manifest.yaml as the README explains in the section "
        "'Create the Slack app'.",
    ]
    return "\n".join(lines)


def socket_mode_with_oauth() -> str:
    return (
        "Northstar cannot start: SLACK_APP_TOKEN (Socket Mode) and SLACK_CLIENT_ID/"
        "SLACK_CLIENT_SECRET (OAuth install into several workspaces) are both set, and they do "
        "not go together in Northstar: the install pages (/slack/install) are served in HTTP "
        "mode, and Slack does not allow apps that use Socket Mode in the Slack Marketplace.\n"
        "  To install into several workspaces, remove SLACK_APP_TOKEN and run in HTTP mode "
        f"(README section {OAUTH_SECTION}).\n"
        "  To run in one workspace over Socket Mode, remove SLACK_CLIENT_ID and "
        "SLACK_CLIENT_SECRET and set SLACK_BOT_TOKEN."
    )


def bot_token_ignored() -> str:
    return (
        "SLACK_BOT_TOKEN is ignored: with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, each "
        "workspace's token comes from its installation (/slack/install)."
    )


def oauth_serving(port: int) -> str:
    return (
        f"OAuth is on: install Northstar into a workspace at https://YOUR-HOST/slack/install "
        f"(served on port {port}); Slack must redirect to https://YOUR-HOST/slack/oauth_redirect."
    )


def secret_key_generated(path: str) -> str:
    return f"Generated a new NORTHSTAR_SECRET_KEY into {path}; keep that file safe and backed up."


def no_workspaces(job: str) -> str:
    return f"{job}: no workspace has Northstar installed yet, so there was nothing to run."


def rekey_counts(table: str, rewritten: int, current: int, unreadable: int) -> str:
    return (
        f"{table}: {rewritten} re-encrypted with NORTHSTAR_SECRET_KEY, {current} already "
        f"encrypted with it, {unreadable} unreadable"
    )


def rekey_done() -> str:
    return (
        "Every stored secret is now encrypted with NORTHSTAR_SECRET_KEY: you can remove "
        "NORTHSTAR_OLD_SECRET_KEYS from every replica."
    )


def rekey_unreadable(count: int) -> str:
    return (
        f"{count} stored {'secret opens' if count == 1 else 'secrets open'} with neither "
        "NORTHSTAR_SECRET_KEY nor NORTHSTAR_OLD_SECRET_KEYS and "
        f"{'was' if count == 1 else 'were'} left as before: keep the old keys, add the key "
        "that wrote them to NORTHSTAR_OLD_SECRET_KEYS and run northstar rekey again."
    )
