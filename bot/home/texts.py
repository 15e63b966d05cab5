"""What the App Home tab says around the goals, KPIs, check-ins and surveys it shows."""

from __future__ import annotations

from datetime import datetime

from bot.checkins.texts_answers import the_period
from bot.core.weeks import moment_label
from bot.goals.blocks.messages import at_least
from bot.slack.messages import truncate

HOME_TITLE = "Northstar"
HOME_NO_VISION = "_No vision has been set yet._"
HOME_NO_VISION_ADMIN = "_No vision has been set yet._ Set it with `/align vision &lt;text&gt;`."
HOME_NO_MISSION = "_No mission has been set yet._"
HOME_NO_MISSION_ADMIN = "_No mission has been set yet._ Set it with `/align mission &lt;text&gt;`."
HOME_COMMANDS_HEADER = "What you can do"
HOME_NO_GOALS = (
    "You have no open goals. Create one with *New goal* or `/goal new`, and link it to the "
    "team or company goal it serves."
)
HOME_TODO_HEADER = ":inbox_tray: Waiting for you"
ANSWER_BUTTON = "Answer"
HOME_ACTIONS_HEADER = ":sparkles: Quick actions"
NEW_GOAL_BUTTON = "New goal"
NEW_KPI_BUTTON = "New KPI"
LOG_KPI_BUTTON = "Log KPI"
FEEDBACK_BUTTON = "Send anonymous feedback"
CHECKIN_STATUS_BUTTON = "Check-in status"
CHECKIN_SETTINGS_BUTTON = "Check-in settings"
NEW_SURVEY_BUTTON = "New survey"
ATTENTION_HEADER = ":rotating_light: Needing attention"
ATTENTION_NONE = (
    "Nothing else in your care needs attention (behind, not aligned, or no update for 14 days)."
)
PRIORITIES_HEADER = ":dart: Our priorities"
NO_PRIORITIES_ADMIN = (
    "_No priorities yet._ Set 3 to 7, each with its why: `/align priorities edit`."
)
HOME_FOOTER = "Type `/align help` in any channel for the full list of commands."


def pending_checkin(period: str, closes_local: datetime) -> str:
    """``period``: the round's week, or a stand-up's day."""
    return (
        f":memo: *Your check-in for {the_period(period)}* is waiting. "
        f"It closes {moment_label(closes_local)} your time."
    )


def open_survey(title: str, closes_local: datetime) -> str:
    """``title`` is stored escaped; it is shown in this person's own Home only."""
    return truncate(
        f":bar_chart: *Survey: {title}* is open until {moment_label(closes_local)} your time. "
        "Your answer is anonymous.",
        3000,
    )


def home_admin_counts(not_aligned: int, stale: int) -> str:
    """The counts stop at ``COUNT_CAP``: "1,000+" then."""
    return (
        f":mag: For admins: {not_aligned:,}{at_least(not_aligned)} open "
        f"goal{'s' if not_aligned != 1 else ''} not aligned, {stale:,}{at_least(stale)} with no "
        "progress update in 14 days. See them: `/goal list all`, `/goal tree`."
    )


def lead_header(team_names: list[str]) -> str:
    return truncate(f":busts_in_silhouette: For the lead of {', '.join(team_names)}", 150)


ADMIN_HEADER = ":shield: For admins"

# Each role's commands, shown only to those who may use them (bot/people/permissions.py):
# everyone, team leads (their own teams), admins, and Slack owners.
EVERYONE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/goal new", "Create a goal (yours, or your team's if you lead it)."),
    ("/goal list", "Your goals; `/goal list team Sales`, `/goal tree` for the cascade."),
    ("/goal update G-12 45 note", "Record progress on a goal you own."),
    ("/kpi new", "Track a number; `/kpi log K-3 12,500` records a value."),
    ("/checkin", "Answer this week's check-in; `skip`, `pause until 2026-08-01`, `history`."),
    ("/pulse feedback", "Send anonymous feedback to the admins or a team's lead."),
    ("/align vision", "Read the vision and mission; `/align teams` lists the teams."),
)
LEAD_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/align team Sales add @max", "Add people to a team you lead (also `remove`)."),
    ("/checkin status", "Who in your teams answered this week's check-in (never what)."),
    ("/checkin new", "A check-in of your teams' own; `/checkin setups` lists them all."),
    ("/goal update G-12 45", "Update the goals of your team and its people."),
)
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/align vision &lt;text&gt;", "Set the vision (`/align mission &lt;text&gt;` too)."),
    ("/align admins add @person", "Make someone a Northstar admin."),
    ("/align team add Sales #sales lead @ada", "Create a team."),
    ("/align digest #channel", "Where and when the weekly digest goes; `preview`, `now`, `off`."),
    ("/checkin settings", "When check-ins go out, to whom, with which questions."),
    ("/pulse new", "Create a pulse survey; `/pulse results P-4` once enough have answered."),
    ("/align export", "All of Northstar's data for this workspace as CSVs in a DM."),
)
OWNER_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/align delete-workspace-data", "Delete all Northstar data here for good."),
)


def command_lines(*, lead: bool, admin: bool, owner: bool) -> str:
    """The commands this person may use, one per line."""
    commands = list(EVERYONE_COMMANDS)
    if lead or admin:
        commands += LEAD_COMMANDS
    if admin:
        commands += ADMIN_COMMANDS
    if owner:
        commands += OWNER_COMMANDS
    return truncate("\n".join(f"`{command}` {text}" for command, text in commands), 3000)


def goals_period_note(period_label: str) -> str:
    """Under *My goals*: the Home shows the current quarter's goals."""
    return f"Goals of {period_label}. Other periods: `/goal list period all`."
