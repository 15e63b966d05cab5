"""Every sentence of the welcome DM and of ``/align welcome``. Arguments named ``*_shown`` are
already escaped; user ids become mentions here."""

from __future__ import annotations

# --- the welcome DM --------------------------------------------------------------------------

HEADER = ":wave: Welcome aboard!"
PREVIEW_NOTE = (
    ":eyes: *Preview*: this is the welcome a new person gets, shown as you would see it. "
    "Nothing was recorded and nobody else got it."
)
VISION_TITLE = ":star2: *Our north star*"
MISSION_TITLE = ":compass: *Our mission*"
NO_STATEMENTS = "Our vision and mission are not written down yet: ask an admin about them."
PRIORITIES_TITLE = ":dart: *What we put first*"
NO_GOALS = "No goals this quarter yet."
CHECKIN_TITLE = ":spiral_note_pad: *Check-ins*"
CHECKIN_HOW = (
    "Every check-in comes as a direct message from me: answer it from its button, or type "
    "`/checkin` any time. `/checkin pause until YYYY-MM-DD` takes a break, `/checkin history` "
    "shows your answers."
)
KUDOS_TITLE = ":raised_hands: *Kudos*"
KUDOS_HOW = (
    "Thank someone for their work with `/kudos @ada for shipping the beta`; name a goal "
    "(like `G-12`) to tie it to what it moved."
)
FOOTER = "Open *Northstar* under *Apps* any time: its Home tab shows your goals and what is due."


def intro(user_id: str, workspace_shown: str, team_shown: str | None) -> str:
    where = f" to *{workspace_shown}*" if workspace_shown else ""
    if team_shown:
        return (
            f"Hi <@{user_id}>, welcome to *{team_shown}*! Here is the plan you are part of, "
            "in one message."
        )
    return f"Hi <@{user_id}>, welcome{where}! Here is the plan you join, in one message."


def priority_line(rank: int, title_shown: str, why_shown: str) -> str:
    line = f"*{rank}. {title_shown}*"
    return f"{line}\n{why_shown}" if why_shown else line


def team_title(name_shown: str, lead_id: str | None, user_id: str, quarter: str) -> str:
    if lead_id == user_id:
        lead = "you lead it"
    elif lead_id:
        lead = f"led by <@{lead_id}>"
    else:
        lead = "no lead yet"
    return f":busts_in_silhouette: *{name_shown}* ({lead}): goals of {quarter}"


def goal_line(number: int, title_shown: str, bar: str, status: str) -> str:
    return f"• `G-{number}` {title_shown}\n   {bar} · {status}"


def more_goals(count: int, team_shown: str) -> str:
    return f"…and {count} more: `/goal list team {team_shown}`"


def more_teams(count: int) -> str:
    return f"…and {count} more of your teams: `/align teams` lists them."


NO_TEAM = (
    ":busts_in_silhouette: You are not in a team yet; once you are, `/goal list team <name>` "
    "shows its goals."
)


def fallback(user_id: str) -> str:
    return (
        f"Welcome aboard, <@{user_id}>: our vision, priorities, your team's goals and how to "
        "check in."
    )


# --- /align welcome --------------------------------------------------------------------------

USAGE = "`/align welcome on`, `/align welcome off` or `/align welcome preview`"


def not_understood(typed: str) -> str:
    """``typed`` is already quoted with ``echo``."""
    return (
        f"`/align welcome` does not take {typed}: it takes {USAGE}, or nothing to see the switch."
    )


TURNED_ON = (
    ":white_check_mark: Welcome DMs are on: each person who joins the workspace or a team "
    "gets one welcome, once."
)
TURNED_OFF = (
    ":no_entry_sign: Welcome DMs are off: nobody who joins gets one until you turn them on."
)
PREVIEW_SENT = ":incoming_envelope: I sent you the welcome by direct message, as a preview."


def shown(*, enabled: bool, welcomed: int) -> str:
    state = "on" if enabled else "off"
    people = "1 person has" if welcomed == 1 else f"{welcomed:,} people have"
    return (
        f"Welcome DMs are *{state}*: each person who joins the workspace or a team gets one "
        f"welcome, once ({people} been welcomed). Change with {USAGE}."
    )


def preview_off_note(enabled: bool) -> str:
    return "" if enabled else " Welcome DMs are *off*, so nobody gets it now."


def preview_refused(code: str) -> str:
    return (
        f"Slack refused the preview DM (`{code}`). Open *Northstar* under *Apps* so I can "
        "message you, then try `/align welcome preview` again."
    )
