"""Sentences every room may show: the apology for a fault, the refusal to non-admins, and the
list of commands that both ``/align help`` and the Home tab show."""

from __future__ import annotations

from storage.models import VISION_MAX_CHARS

SOMETHING_WENT_WRONG = (
    ":warning: Sorry, something went wrong on Northstar's side and your request was not "
    "completed. Nothing was half-saved; please try again in a minute. If it keeps happening, "
    "tell whoever runs Northstar for your workspace."
)

FORM_FAULT = "Northstar could not save this just now; nothing was saved. Try again in a minute."

ADMINS_EXPLAINED = (
    "Slack workspace admins and owners are always Northstar admins; others can be added "
    "with `/align admins add @person`."
)


def not_admin(action: str) -> str:
    return (
        f":no_entry: Only Northstar admins can {action}. {ADMINS_EXPLAINED} "
        "Type `/align admins` to see who they are."
    )


def and_more(count: int) -> str:
    return f"…and {count:,} more."


ALIGN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/align help", "Show this help."),
    ("/align vision", "Show the company's vision (its north star)."),
    ("/align vision &lt;text&gt;", "Set the vision. Admins only. Up to {max} characters."),
    ("/align mission", "Show the company's mission."),
    ("/align mission &lt;text&gt;", "Set the mission. Admins only. Up to {max} characters."),
    ("/align admins", "List who administers Northstar here."),
    ("/align admins add @person", "Make someone a Northstar admin. Admins only."),
    ("/align admins remove @person", "Take Northstar admin away. Admins only."),
    ("/align teams", "List teams with their lead and people."),
    ("/align team add Sales #sales lead @ada", "Create a team (channel and lead optional)."),
    ("/align team Sales add @max @sam", "Add people to a team (also `remove`). Admins, lead."),
    ("/align team Sales lead @max", "Change who leads a team. Admins and the team's lead."),
    ("/align digest", "Show where and when the weekly alignment digest goes."),
    (
        "/align digest #channel [day] [time]",
        "Post the digest there every week (default Friday 16:00, your time zone). Admins only.",
    ),
    ("/align digest teams on", "Also post each team's digest in its channel (or `off`). Admins."),
    ("/align digest preview", "See this week's digest now, only you. Admins only."),
    ("/align digest now", "Post this week's digest now; once a week at most. Admins only."),
    ("/align digest off", "Stop the weekly digest. Admins only."),
    ("/align export", "Get all of Northstar's data for this workspace as CSVs in a DM. Admins."),
    ("/align retention", "Show how long check-in answers, notes and comments are kept."),
    ("/align retention 365", "Remove that text after 365 days (30 to 3,650, or `off`). Admins."),
    ("/align kudos on", "Let people give `/kudos` (or `off`); `/align kudos` shows it. Admins."),
    ("/align kudos channel #wins", "Post kudos there (or `none`: the giver's team channel)."),
    ("/align welcome on", "Welcome each newcomer once by DM (or `off`, `preview`). Admins."),
    ("/align fiscal-year", "Show when the fiscal year starts and which quarter this is."),
    ("/align fiscal-year april", "Start the fiscal year in April (a month or 1-12). Admins."),
    ("/align priorities", "Show the strategic priorities, ranked, with their why."),
    ("/align priorities edit", "Set, rename, re-rank or retire priorities in one form. Admins."),
    ("/align swot", "Show the SWOT; `/align swot edit` changes it (admins)."),
    ("/align review channel #leadership", "Post quarterly reviews there. Admins only."),
    ("/align review", "Post the review of the quarter that ended last (or `2026-Q3`). Admins."),
    ("/align review preview", "See that review now, only you (or `preview 2026-Q3`). Admins."),
    ("/align delete-workspace-data", "Delete all Northstar data here for good. Slack owners."),
)


def command_lines() -> str:
    """``ALIGN_COMMANDS`` one per line, as ``/align help`` and the Home tab show them."""
    return "\n".join(
        f"`{command}` {description.format(max=f'{VISION_MAX_CHARS:,}')}"
        for command, description in ALIGN_COMMANDS
    )
