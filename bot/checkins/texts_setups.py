"""What Northstar says about check-in setups: their list, who may change them, removal, and
mistakes in a setup's name. Every setup name passed here is already escaped."""

from __future__ import annotations

from collections.abc import Sequence

SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_DASH = "\u2013"  # Mon\u2013Fri
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

LIST_HEADER = ":calendar: Check-ins"
NEW_BUTTON = "New check-in"
EDIT_BUTTON = "Edit"
DEFAULT_MARK = " (default)"
OFF_MARK = " · _off_"
LIST_HINT = (
    "`/checkin new` creates one, `/checkin edit NAME` changes one, `/checkin remove NAME` "
    "removes one."
)
NOT_ALLOWED_CREATE = (
    ":no_entry: Only Northstar admins and team leads can create check-ins. Ask an admin "
    "(`/align admins` lists them), or the lead of your team."
)
EVERYONE_ADMINS_ONLY = "Only admins can ask everyone: choose teams you lead, or people in them."
SETUP_GONE = "This check-in was removed meanwhile; nothing was saved. `/checkin setups` lists them."
NAME_EMPTY = "Give the check-in a name, e.g. Daily stand-up."
NAME_MARKUP = (
    "A name cannot contain mentions, links or formatting characters (< > ` * _ ~ &); "
    "use letters, digits and spaces."
)
NAME_CONTROL = "The name contains an invisible control character; retype it."
NAME_TEAM_WORD = (
    "A name cannot contain the word “team” on its own, as `/checkin status NAME team X` reads "
    "it as a team; write “Team” or choose another word."
)
BAD_DAYS = "Choose days from the list."
BAD_PEOPLE = "A chosen person is not a Slack user id; choose people from the list."
BAD_CHANNEL = "Choose a channel from the list."


def too_many_people(count: int, limit: int) -> str:
    return f"That is {count} people; choose at most {limit}, or choose teams instead."


def setup_line(
    *, name: str, default: bool, enabled: bool, days: str, time: str, who: str, channel: str
) -> str:
    marks = (DEFAULT_MARK if default else "") + ("" if enabled else OFF_MARK)
    where = f" · {channel}" if channel else ""
    return f"*{name}*{marks}\n{days} at {time} · {who}{where}"


def edit_named(name: str) -> str:
    """A button's plain text: the name as it is."""
    return f"Edit {name}"


def more_setups(count: int) -> str:
    return f"…and {count} more: `/checkin setups`"


def not_allowed_edit(name: str) -> str:
    return (
        f":no_entry: Only Northstar admins, the person who created *{name}* and the lead of "
        "every team in it can change or remove it."
    )


def no_such_setup(name: str) -> str:
    return f"There is no check-in called *{name}*. `/checkin setups` lists them."


def default_stays(name: str) -> str:
    return (
        f"*{name}* is the workspace's default check-in, so it stays. To stop it, turn it off: "
        "`/checkin settings`, then Check-ins: Off."
    )


def removed(name: str, cancelled: int) -> str:
    unsent = (
        f" {cancelled} invitation{'s' if cancelled != 1 else ''} not sent yet "
        f"{'were' if cancelled != 1 else 'was'} cancelled."
        if cancelled
        else ""
    )
    return (
        f":wastebasket: *{name}* is removed: it opens no more rounds.{unsent} Its past answers "
        "stay in `/checkin history`, and the name is free again."
    )


def teams_not_led(names: Sequence[str]) -> str:
    return f"You can only choose teams you lead; you do not lead {', '.join(names)}."


def people_not_in_led_teams(user_ids: Sequence[str]) -> str:
    mentions = ", ".join(f"<@{user_id}>" for user_id in user_ids[:5])
    return f"You can only choose people in teams you lead; not {mentions}."


def name_too_long(length: int, limit: int) -> str:
    return f"The name is {length} characters long; the most is {limit}."


def name_taken(name: str) -> str:
    return f"There is already a check-in called {name}; choose another name."


def days_label(days: Sequence[int], every_weeks: int) -> str:
    """``Mon-Fri`` (with an en dash), ``Thursdays``, ``every other Monday``, ``Sun-Thu``,
    ``Mon, Wed, Fri``."""
    if len(days) == 1:
        name = DAY_NAMES[days[0]]
        return f"every other {name}" if every_weeks == 2 else f"{name}s"
    label = "every day" if len(set(days)) == 7 else ", ".join(_runs(days))
    return f"{label} every other week" if every_weeks == 2 else label


def _runs(days: Sequence[int]) -> list[str]:
    chosen = set(days)
    starts = sorted(day for day in chosen if (day - 1) % 7 not in chosen)
    runs: list[list[int]] = []
    for start in starts:
        run = [start]
        while (run[-1] + 1) % 7 in chosen and (run[-1] + 1) % 7 != start:
            run.append((run[-1] + 1) % 7)
        runs.append(run)
    runs.sort(key=lambda run: (0 not in run or run[0] == 0, run[0]))  # Sun-Thu first
    labels: list[str] = []
    for run in runs:
        if len(run) >= 3:
            labels.append(f"{SHORT_DAYS[run[0]]}{EN_DASH}{SHORT_DAYS[run[-1]]}")
        else:
            labels += [SHORT_DAYS[day] for day in run]
    return labels


def when_label(days: Sequence[int], every_weeks: int) -> str:
    """For a sentence: ``every *Monday*``, ``every other *Monday*``, ``*Mon-Fri*``."""
    if len(days) == 1:
        other = "other " if every_weeks == 2 else ""
        return f"every {other}*{DAY_NAMES[days[0]]}*"
    return f"*{days_label(days, every_weeks)}*"


def who_label(team_names: Sequence[str], people: int, *, everyone: bool) -> str:
    """``everyone``, ``Sales, Ops``, ``Sales and 2 people``; team names already escaped."""
    if everyone:
        return "everyone"
    parts = list(team_names)
    if people:
        parts.append(f"{people} {'person' if people == 1 else 'people'}")
    if len(parts) > 1 and people:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return ", ".join(parts)


def channel_label(channel_id: str | None, mode: str, *, team_channels: bool) -> str:
    places = []
    if channel_id:
        how = "a thread a round" if mode == "thread" else "a summary"
        places.append(f"<#{channel_id}> ({how})")
    if team_channels:
        places.append("team channels")
    return " and ".join(places)
