"""What Northstar says when people answer or skip a check-in, and in team channels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.checkins.periods import is_week, period_label
from bot.checkins.texts_prompts import by_end_of, when

MODAL_SUBMIT = "Send"
MODAL_CLOSE = "Cancel"
GOALS_HEADER = "Your goals"
GOALS_HELP = "Change what moved; values you leave as they are are not recorded as updates."
MOOD_LABELS = {1: "1 · Rough", 2: "2 · Meh", 3: "3 · Okay", 4: "4 · Good", 5: "5 · Great"}
MOOD_PLACEHOLDER = "Pick 1 to 5"
CONFIDENCE_PLACEHOLDER = "How sure are you?"
MILESTONE_CHOICES = {"1": "Done", "0": "Not done yet"}

NO_SUCH_CHECKIN = "There is no such check-in. Open yours with `/checkin`."
ANSWER_REQUIRED = "Please answer this question."
MOOD_FORMAT = "Pick a number from 1 to 5."
CONFIDENCE_FORMAT = "Choose a confidence from 1 to 10."
MILESTONE_FORMAT = "Choose done or not done yet."
VALUE_FORMAT = "Type a number, such as 45, 45%, 12,500, $3,000 or 1.2k."
NUMBER_HINT = "A number, such as 12, 3.5, 12,500 or 1.2k."
NUMBER_REQUIRED = "Please answer with a number, such as 12 or 3.5."
NUMBER_FORMAT = "That is not a number. Type digits only, such as 12, 3.5, 12,500 or 1.2k."
GOAL_GONE = "This goal no longer exists. Cancel, and open the check-in again."
ALREADY_ANSWERED_SKIP = (
    "You already answered this check-in, so it stays answered. To change your answers, "
    "press *Answer check-in* again."
)
CHECKINS_OFF = "Check-ins are turned off in this workspace."
NOT_INVITED = (
    "Check-ins go to the teams an admin chose, and you are not in one of them. Ask your lead "
    "or an admin if you think you should be."
)


def week_label(period: str) -> str:
    """``week of 30 Nov`` for a weekly round, ``Tue 3 Dec`` for a stand-up's day."""
    return period_label(period)


def the_period(period: str) -> str:
    """``the week of 30 Nov``, or ``Tue 3 Dec``: after "from" or "of" in a sentence."""
    return f"the {period_label(period)}" if is_week(period) else period_label(period)


def heading(period: str, setup_name: str | None = None) -> str:
    """``Week of 30 Nov``, or ``Daily stand-up · Tue 3 Dec`` for a named setup (its name
    escaped by the caller)."""
    label = period_label(period)
    if setup_name:
        return f"{setup_name} · {label}"
    return label[:1].upper() + label[1:]


def the_checkin(period: str, setup_name: str | None = None) -> str:
    """``the check-in of the week of 30 Nov``; ``*Daily stand-up* (Tue 3 Dec)``."""
    label = period_label(period)
    if setup_name:
        return f"*{setup_name}* ({label})"
    return f"the check-in of the {label}" if is_week(period) else f"the check-in of {label}"


def number_too_big(limit: str) -> str:
    return f"That number is too large; keep it below {limit}."


def modal_title(week: str, setup_name: str | None = None) -> str:
    """At most 24 characters: the caller truncates."""
    return setup_name if setup_name else f"Check-in {week_label(week)}"


def goal_label(number: int, title: str) -> str:
    return f"G-{number} {title}"


def confidence_label(number: int) -> str:
    return f"G-{number}: confidence (1-10)"


def value_hint(current: str, target: str) -> str:
    return f"Now {current}; target {target}."


def more_goals(count: int) -> str:
    return f"and {count} more: `/goal list`"


def modal_intro(
    week: str,
    closes_local: datetime,
    *,
    late: bool,
    answered_local: datetime | None,
    setup_name: str | None = None,
    also_open: Sequence[str] = (),
) -> str:
    """``also_open``: the person's other open check-ins, as ``the_checkin`` names them."""
    label = heading(week, setup_name)
    deadline = by_end_of(closes_local)
    if late:
        text = (
            f"*{label}.* Answers were due {deadline}; yours are still welcome and are marked late."
        )
    else:
        text = f"*{label}.* Answer {deadline}."
    if answered_local is not None:
        text += f" You answered {when(answered_local)}; sending again updates your answers."
    text += " Your team's lead reads your answers."
    if also_open:
        text += (
            f" Also open for you: {', '.join(also_open)}; answer it from its message "
            "after this one, or type `/checkin` again."
        )
    return text


def old_round(week: str, newer_week: str, *, invited: bool) -> str:
    if invited:
        return (
            f"That check-in is from {the_period(week)}; the one of "
            f"{the_period(newer_week)} is open: `/checkin`."
        )
    return (
        f"That check-in is from {the_period(week)} and closed when {the_period(newer_week)} began."
    )


def closed(week: str) -> str:
    return f"The check-in of {the_period(week)} has closed. The next one comes in a direct message."


def not_closed_goal(number: int, state: str) -> str:
    return f"G-{number} is {state}; reopen it with `/goal reopen G-{number}` to update it."


def not_your_goal(number: int) -> str:
    return f"You can no longer change G-{number}; see it with `/goal show G-{number}`."


def none_open(next_local: datetime | None, setup_name: str | None = None) -> str:
    """``setup_name`` (escaped) names the next one's setup when it is not the default."""
    if next_local is None:
        return "You have no open check-in right now."
    what = f"The next one, *{setup_name}*," if setup_name else "The next one"
    return f"You have no open check-in right now. {what} comes {when(next_local)} (your time)."


def skipped(week: str, setup_name: str | None = None) -> str:
    return (
        f":fast_forward: Skipped {the_checkin(week, setup_name)}. Changed your mind? "
        "*Answer check-in* still works until the next check-in."
    )


def answers_saved(
    week: str,
    *,
    setup_name: str | None = None,
    updated: bool,
    late: bool,
    goal_changes: Sequence[str],
    shared_in: Sequence[str],
    not_shared_in: Sequence[str],
) -> str:
    parts = [
        f":white_check_mark: Your {_checkin_for(week, setup_name)} is "
        f"{'updated' if updated else 'in'}. Thank you!"
    ]
    if late:
        parts.append("It came after the window closed, so it is marked late.")
    if goal_changes:
        parts.append("Goals updated: " + "; ".join(goal_changes) + ".")
    if shared_in:
        thread = "weekly thread" if is_week(week) else "thread of the day"
        parts.append(f"Posted in the {thread} of " + ", ".join(shared_in) + ".")
    if not_shared_in:
        parts.append("It is saved, but could not be posted in " + ", ".join(not_shared_in) + ".")
    return " ".join(parts)


def _checkin_for(period: str, setup_name: str | None) -> str:
    label = period_label(period)
    if setup_name:
        return f"*{setup_name}* check-in for {label}"
    return f"check-in for the {label}" if is_week(period) else f"check-in for {label}"


def history_note(week: str) -> str:
    """The note on a goal's history entry written by a check-in."""
    return f"check-in, {week_label(week)}"


def goal_change(number: int, *, value: str | None, confidence: str | None) -> str:
    changes = [text for text in (value, confidence and f"confidence {confidence}") if text]
    return f"G-{number} " + ", ".join(changes)


# --- team channels ---------------------------------------------------------------------------


def thread_parent(week: str, team: str) -> str:
    return (
        f":spiral_note_pad: *Check-ins for {the_period(week)}* · {team}\n"
        "Answers arrive in this thread as people send them."
    )


def shared_header(name: str, *, late: bool, updated: bool) -> str:
    parts = [f"*{name}*"]
    if late:
        parts.append("_late_")
    if updated:
        parts.append("_updated answers_")
    return " · ".join(parts)


def shared_fallback(name: str, week: str) -> str:
    return f"{name}'s check-in for {the_period(week)}"


def shared_continued(name: str) -> str:
    return f"{name}, continued"


def share_failed(team: str, channel_id: str, week: str, error: str) -> str:
    text = (
        f":warning: Northstar could not post the check-ins of *{team}* for "
        f"{'the ' if is_week(week) else ''}{period_label(week)} in "
        f"<#{channel_id}>: Slack said `{error}`. The answers are saved in Northstar; nothing "
        "is lost. "
    )
    if error == "not_in_channel":
        return text + (
            f"Invite Northstar to the channel (type `/invite @Northstar` in <#{channel_id}>) "
            "and the next answers are posted there."
        )
    if error in ("channel_not_found", "is_archived"):
        return text + (
            "The channel is archived or gone. Ask an admin to give the team a channel "
            "(teams get theirs with `/align team add …`) or to turn sharing off in the "
            "check-in settings."
        )
    return text + "Northstar tries again with the next answer."
