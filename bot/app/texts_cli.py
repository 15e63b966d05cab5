"""What the ``northstar`` command prints to the person running it."""

from __future__ import annotations

VARIABLE_HELP = {
    "SLACK_BOT_TOKEN": (
        "the Bot User OAuth Token (xoxb-...), shown under 'OAuth & Permissions' once the app "
        "is installed to your workspace"
    ),
    "SLACK_APP_TOKEN": (
        "an app-level token (xapp-...) with the connections:write scope, made under "
        "'Basic Information' > 'App-Level Tokens'"
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
CREATE_APP = (
    "Create the Slack app from manifest.yaml as the README explains in the section "
    "'Create the Slack app'; the manifest turns Socket Mode on."
)
DEMO = (
    "To see Northstar without Slack first, run `make demo` (or `northstar demo`): a month at a "
    "sample bakery against a fake Slack, no account or token needed."
)


def _is_are(names: list[str]) -> str:
    return "is" if len(names) == 1 else "are"


def _where_to_set(names: list[str]) -> str:
    them = "it" if len(names) == 1 else "them"
    return (
        f"Set {them} in the environment or add {them} to the .env file (.env.example lists "
        "every setting):"
    )


def missing_credentials(
    missing: list[str],
    *,
    oauth: bool = False,
    app_token: bool = False,
    signing_secret: bool = False,
    job: bool = False,
) -> str:
    """What to set and where to find it, Socket Mode first. ``oauth`` when SLACK_CLIENT_ID or
    _SECRET is set; ``app_token`` and ``signing_secret`` say which of those two is set; ``job``
    for ``northstar job``, which needs the bot token only."""
    if oauth:
        return _missing_oauth(missing)
    if job or app_token:
        return _missing_for_socket_mode(missing, offer_http=False)
    if signing_secret:
        return _missing_for_http_mode()
    if "SLACK_BOT_TOKEN" in missing:
        return _missing_for_socket_mode(["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"], offer_http=True)
    return "\n".join(
        [
            "Northstar cannot start: SLACK_BOT_TOKEN is set, but neither SLACK_APP_TOKEN "
            "(Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is.",
            "For Socket Mode (no public URL needed), set SLACK_APP_TOKEN in the environment or "
            "the .env file:",
            f"  SLACK_APP_TOKEN: {VARIABLE_HELP['SLACK_APP_TOKEN']}",
            "For HTTP mode instead (Slack posts to your public URL), set SLACK_SIGNING_SECRET: "
            f"{VARIABLE_HELP['SLACK_SIGNING_SECRET']}.",
        ]
    )


def _missing_for_http_mode() -> str:
    return "\n".join(
        [
            "Northstar cannot start: SLACK_BOT_TOKEN is not set.",
            _where_to_set(["SLACK_BOT_TOKEN"]),
            f"  SLACK_BOT_TOKEN: {VARIABLE_HELP['SLACK_BOT_TOKEN']}",
            "  (That is HTTP mode, as SLACK_SIGNING_SECRET is set. For Socket Mode, with no "
            "public URL, set SLACK_APP_TOKEN too.)",
            CREATE_APP,
        ]
    )


def _missing_for_socket_mode(needed: list[str], *, offer_http: bool) -> str:
    names = " and ".join(needed)
    lines = [
        f"Northstar cannot start: {names} {_is_are(needed)} not set.",
        "Northstar connects to Slack in Socket Mode (no public URL needed) with SLACK_BOT_TOKEN "
        "and SLACK_APP_TOKEN. " + _where_to_set(needed),
        *(f"  {name}: {VARIABLE_HELP[name]}" for name in needed),
        CREATE_APP,
        DEMO,
    ]
    if offer_http:
        lines.append(
            "HTTP mode instead (Slack posts to your public URL): set SLACK_BOT_TOKEN and "
            "SLACK_SIGNING_SECRET and leave SLACK_APP_TOKEN empty (README section 'Socket Mode "
            "or HTTP mode'). Several workspaces: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead "
            f"of SLACK_BOT_TOKEN (README section {OAUTH_SECTION})."
        )
    return "\n".join(lines)


def _missing_oauth(missing: list[str]) -> str:
    names = " and ".join(missing)
    return "\n".join(
        [
            f"Northstar cannot start: {names} {_is_are(missing)} not set.",
            _where_to_set(missing),
            *(f"  {name}: {VARIABLE_HELP[name]}" for name in missing),
            "  With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, Northstar serves /slack/install "
            "and keeps one token per workspace, so SLACK_BOT_TOKEN is not needed. To run in "
            "a single workspace instead, remove both and set SLACK_BOT_TOKEN.",
            f"See the README section {OAUTH_SECTION}.",
        ]
    )


def config_complete(socket_mode: bool, oauth: bool) -> str:
    mode = "Socket Mode" if socket_mode else "HTTP mode"
    reach = "every workspace that installs it (OAuth)" if oauth else "one workspace"
    return f"Configuration is complete: northstar run serves {reach} in {mode}."


def slack_unreachable(reason: str, retry_in: float) -> str:
    return f"cannot reach Slack: {reason}; trying again in {retry_in:g} s"


def slack_dropped_quickly(retry_in: float) -> str:
    return (
        "Slack closed the Socket Mode connection soon after it opened;"
        f" reconnecting in {retry_in:g} s"
    )


def slack_refused(error: str, variable: str) -> str:
    return f"Slack refused the token: {error}, check {variable}"


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
