"""Every sentence of ``/kpi``, its form and its sync, in one place.

Names reaching these functions passed ``check_name`` (no ``<``, ``>`` or formatting
characters); anything else shown in mrkdwn (source errors, addresses) goes through ``safe``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.text_input import escape_mrkdwn

KPI_USAGE = "`/kpi help`"
NEW_USAGE = "`/kpi new` or `/kpi new Monthly revenue`"
LOG_USAGE = (
    "`/kpi log K-3 12,500` (date optional: `/kpi log K-3 12,500 2026-01-31`) "
    "or `/kpi log revenue 12500`"
)
LIST_USAGE = "`/kpi list`"
NAME_USAGE = "a short name such as Monthly revenue"


def target_usage(verb: str) -> str:
    return f"`/kpi {verb} K-3` (or `/kpi {verb} revenue` by name)"


def safe(text: str) -> str:
    """Text from elsewhere (a source's error, an address) made inert in mrkdwn."""
    return escape_mrkdwn(text)


def kpi_ref(number: int) -> str:
    return f"K-{number}"


def kpi_title(number: int, name: str) -> str:
    return f"*K-{number}* {safe(name)}"


# --- help ------------------------------------------------------------------------------------

HELP_TITLE = "Northstar: KPIs"
HELP_INTRO = (
    "KPIs are the numbers you watch all the time: revenue, churn, response time. Each has a "
    "target and two thresholds, and Northstar shows how healthy it is and where it is heading. "
    "Log values by hand, or let Northstar fetch them from a JSON or CSV address."
)
HELP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/kpi new [name]", "Create a KPI in a form; you own it unless you choose someone else."),
    (
        "/kpi log K-3 12,500 [YYYY-MM-DD]",
        "Record a value, for today (UTC) unless you give a date in the last two years. "
        "Logging the same day again replaces that value. A name works instead of `K-3`.",
    ),
    ("/kpi list", "Every active KPI: latest value, target, health and trend."),
    ("/kpi show K-3", "One KPI: latest value, target, health, the last 12 values, its source."),
    ("/kpi edit K-3", "Change a KPI in the same form."),
    ("/kpi archive K-3", "Hide a KPI from lists (`/kpi unarchive K-3` brings it back)."),
)
HELP_RULES = (
    "Health: :large_green_circle: at or beyond the green threshold, :red_circle: at or beyond "
    "the red one, :large_yellow_circle: between, :white_circle: no value yet. A KPI can be "
    "changed, logged and synced by its owner, the lead of its team and Northstar admins."
)
HELP_EXAMPLE = "Example: `/kpi log K-3 $12,500` or `/kpi log churn 2.5% 2026-01-31`"

HEALTH_ICONS = {
    "green": ":large_green_circle:",
    "amber": ":large_yellow_circle:",
    "red": ":red_circle:",
    "no data": ":white_circle:",
}


# --- parsing ---------------------------------------------------------------------------------


def unknown_subcommand(shown: str, known: Sequence[str]) -> str:
    listed = ", ".join(f"`{name}`" for name in known)
    return f"`/kpi` has no subcommand {shown}. It knows: {listed}. Type {KPI_USAGE} for examples."


def takes_nothing(verb: str) -> str:
    return f"`/kpi {verb}` takes nothing after it: {LIST_USAGE}."


def which_kpi(verb: str) -> str:
    return f"Which KPI? Give its number or name: {target_usage(verb)}."


LOG_NEEDS_VALUE = f"Give the KPI and then the value: {LOG_USAGE}."


def not_a_number(shown: str) -> str:
    return (
        f"{shown} is not a number. Write values like 12500, 12,500, 45%, $3,000 or 1.2k, and a "
        f"date last as YYYY-MM-DD: {LOG_USAGE}."
    )


def not_a_date(shown: str) -> str:
    return f"{shown} is not a date. Write dates as YYYY-MM-DD, like 2026-01-31: {LOG_USAGE}."


def date_in_future(day: date, today: date) -> str:
    return (
        f"{day.isoformat()} is in the future (today is {today.isoformat()} in UTC); log values "
        f"for today or earlier: {LOG_USAGE}."
    )


def date_too_old(day: date, earliest: date) -> str:
    return (
        f"{day.isoformat()} is more than two years ago; the earliest date you can log is "
        f"{earliest.isoformat()}: {LOG_USAGE}."
    )


# --- finding and permissions -----------------------------------------------------------------


def no_such_kpi(number: int) -> str:
    return f"There is no KPI K-{number}. See the KPIs with {LIST_USAGE}."


def no_kpi_named(name: str) -> str:
    return (
        f"There is no active KPI called “{safe(name)}”. See the KPIs and their numbers with "
        f"{LIST_USAGE}."
    )


def several_kpis_named(name: str, numbers: Sequence[int]) -> str:
    refs = ", ".join(f"`K-{number}`" for number in numbers[:20])
    return (
        f"Several KPIs are called “{safe(name)}”: {refs}. Use the K-number, like "
        f"`/kpi log K-{numbers[0]} 12,500`."
    )


def kpi_is_archived(number: int) -> str:
    return f"K-{number} is archived. Bring it back first with `/kpi unarchive K-{number}`."


def not_kpi_changer(number: int, action: str) -> str:
    return (
        f":no_entry: Only the owner of K-{number}, the lead of its team and Northstar admins "
        f"can {action} it. See who owns it with `/kpi show K-{number}`."
    )


def cannot_create_for(owner_id: str) -> str:
    return (
        f":no_entry: You can create KPIs that you own. To make <@{owner_id}> the owner, you "
        "must lead the KPI's team or be a Northstar admin: choose yourself as the owner, or "
        "ask them or an admin."
    )


KPI_GONE = "That KPI no longer exists in this workspace. See the KPIs with `/kpi list`."


# --- replies ---------------------------------------------------------------------------------


def value_logged(
    number: int, name: str, shown: str, day: date, health: str, replaced: str | None
) -> str:
    again = f" (replacing {replaced})" if replaced is not None else ""
    return (
        f":white_check_mark: Logged {shown} for {kpi_title(number, name)} on {day.isoformat()}"
        f"{again}. Health: {HEALTH_ICONS[health]} {health}."
    )


def archived(number: int, name: str) -> str:
    return (
        f":white_check_mark: {kpi_title(number, name)} is archived: it no longer appears in "
        f"lists or syncs. `/kpi show K-{number}` still shows it; `/kpi unarchive K-{number}` "
        "brings it back."
    )


def unarchived(number: int, name: str) -> str:
    return f":white_check_mark: {kpi_title(number, name)} is active again."


def already_archived(number: int) -> str:
    return f"K-{number} is already archived; nothing changed."


def not_archived(number: int) -> str:
    return f"K-{number} is not archived; nothing changed."


def kpi_saved(number: int, name: str, *, created: bool, has_source: bool) -> str:
    verb = "created" if created else "updated"
    tail = (
        " Northstar fetches its source on its cadence; press *Sync now* in "
        f"`/kpi show K-{number}` to fetch it at once."
        if has_source
        else f" Log values with `/kpi log K-{number} <value>`."
    )
    return f":white_check_mark: {kpi_title(number, name)} {verb}.{tail}"


NO_KPIS = "There are no KPIs yet. Create the first with `/kpi new`."
LIST_HEADER = "KPIs"
LIST_FOOTER = "Details of one: `/kpi show K-3` · Log a value: `/kpi log K-3 12,500`"
NO_VALUE = "no value yet"


def and_more(count: int) -> str:
    return f"…and {count:,} more. See one with `/kpi show K-<number>`."


def list_line(number: int, name: str, latest: str, target: str, health: str, arrow: str) -> str:
    trend = f" {arrow}" if arrow else ""
    return f"{HEALTH_ICONS[health]} {kpi_title(number, name)} · {latest}{trend} · target {target}"


# --- show ------------------------------------------------------------------------------------

SHOW_LATEST = "Latest"
SHOW_TARGET = "Target"
SHOW_THRESHOLDS = "Thresholds"
SHOW_TREND = "Trend"
SHOW_OWNER = "Owner"
SHOW_TEAM = "Team"
SHOW_GOAL = "Linked goal"
SHOW_CADENCE = "Cadence"
SHOW_SOURCE = "Source"
SHOW_NONE = "none"
SHOW_NO_SOURCE = "none: values are logged by hand"
SYNC_NOW = "Sync now"


def show_latest(shown: str, day: date | None, health: str) -> str:
    when = f" on {day.isoformat()}" if day else ""
    return f"{HEALTH_ICONS[health]} *{shown}*{when} ({health})"


def show_thresholds(higher_is_better: bool, green: str, red: str) -> str:
    direction = "higher is better" if higher_is_better else "lower is better"
    return f"green at {green}, red at {red} ({direction})"


def show_trend(arrow: str, spark: str, count: int) -> str:
    if not count:
        return NO_VALUE
    return f"{arrow} `{spark}` last {count} {'value' if count == 1 else 'values'}".strip()


def show_last_error(error: str) -> str:
    return f":warning: The last sync failed: {safe(error)}"


def show_archived(number: int) -> str:
    return f":file_cabinet: Archived. `/kpi unarchive K-{number}` brings it back."


def show_footer(number: int) -> str:
    return f"Log a value: `/kpi log K-{number} 12,500` · Change it: `/kpi edit K-{number}`"


# --- sync ------------------------------------------------------------------------------------

SYNC_UNEXPECTED = "Northstar failed while fetching the source; the error is in its log."


def no_source(number: int) -> str:
    return f"K-{number} has no source to sync. Add one with `/kpi edit K-{number}`."


def synced(number: int, name: str, shown: str, health: str) -> str:
    return (
        f":white_check_mark: {kpi_title(number, name)} synced: {shown} for today. "
        f"Health: {HEALTH_ICONS[health]} {health}."
    )


def sync_failed(number: int, name: str, error: str) -> str:
    return (
        f":warning: {kpi_title(number, name)} could not be synced: {safe(error)} "
        f"Fix the source with `/kpi edit K-{number}`, then press *Sync now* in "
        f"`/kpi show K-{number}`."
    )


def owner_told_sync_failed(number: int, name: str, error: str, source: str) -> str:
    return (
        f":warning: Your KPI {kpi_title(number, name)} could not be synced from "
        f"{safe(source)}: {safe(error)}\nFix the source with `/kpi edit K-{number}`, then press "
        f"*Sync now* in `/kpi show K-{number}`. Northstar keeps trying on the KPI's cadence and "
        "will not message you again about it until a sync has worked."
    )
