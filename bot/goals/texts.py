"""What Northstar says about goals."""

from __future__ import annotations

from collections.abc import Sequence

from storage.models import Goal
from storage.states import GoalLevel

GOAL_HELP_TITLE = "Goals: what we are aiming for, company to team to you"
GOAL_HELP_INTRO = (
    "Goals are SMART: a specific title, a measure, a due date and an owner. They cascade: "
    "personal goals serve team goals, team goals serve company goals. A goal that serves no "
    "goal above it shows as *not aligned*."
)
GOAL_HELP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("/goal new [title]", "Create a goal in a short form."),
    (
        "/goal list [mine | team Sales | company | @person | all] [period 2026-Q3 | all]",
        "Goals of this quarter with progress. Default: yours.",
    ),
    ("/goal show G-12", "Everything about one goal: progress, parents, sub-goals, history."),
    ("/goal update G-12 45 [note]", "Record progress: 45, 45%, 12,500, $3,000, 1.2k or done."),
    ("/goal update G-12", "Update value, confidence, status and note in a form."),
    ("/goal close G-12 done|dropped [note]", "Close a goal. `/goal reopen G-12` undoes it."),
    ("/goal edit G-12", "Change title, measure, due date, owner, team or parent."),
    ("/goal link G-12 to G-3", "Say which goal it serves (`to none` to unlink)."),
    ("/goal tree [G-3 | team Sales]", "The cascade as a tree, progress rolled up."),
    ("/goal carry G-12", "Move an unfinished goal to the next quarter, keeping its history."),
    ("/goal kr G-12", "Key results: up to 5 measurable targets, optionally fed by a KPI."),
    ("/goal kr G-12 2 45 [confidence 8]", "Record key result #2's value and your confidence."),
    ("/goal export", "A CSV of every goal, sent to you by direct message."),
)
GOAL_HELP_FOOTER = (
    "Only a goal's owner, its team's lead and admins change it; everyone sees every goal. "
    "Company goals are set by admins, team goals by admins and the team's lead."
)

GOAL_GONE = "That goal no longer exists."


def progress_from_key_results(number: int) -> str:
    return (
        f"G-{number}'s progress comes from its key results. Update one of them: "
        f"`/goal kr G-{number} 1 45`."
    )


KEY_RESULTS_FROM_COMMAND = (
    "A goal is measured by key results once it has some: save it with another measure, then "
    "add them with `/goal kr G-12`."
)
TEAM_GONE = "That team no longer exists; choose another."
PARENT_GONE = "That goal no longer exists; choose another."
PARENT_ITSELF = "A goal cannot serve itself."
COMPANY_GOALS_ADMINS = "Only Northstar admins create company goals. Choose team or personal."
PERSONAL_GOALS_FOR_OTHERS = (
    "You can create personal goals for yourself, or for people in a team you lead; admins for "
    "anyone."
)
LINK_USAGE = "Try: `/goal link G-12 to G-3` (or `to none`)."
NO_GOALS_MINE = (
    "You have no open goals yet. Create one with `/goal new`, e.g. `/goal new Close 10 new "
    "customers this quarter`."
)
NO_GOALS = "No open goals here yet. Create one with `/goal new`."
NOT_ALIGNED = "not aligned"
VALUE_FORMAT = "Type a number such as 45, 45%, 12,500, $3,000 or 1.2k."


def no_such_goal(number: int) -> str:
    return f"There is no goal G-{number} in this workspace. See the goals with `/goal list all`."


def cannot_change(number: int) -> str:
    return (
        f":no_entry: Only the owner of G-{number}, the lead of its team and Northstar admins can "
        f"change it. See it with `/goal show G-{number}`."
    )


def team_goals_leads(team: str) -> str:
    who = f"the lead of {team}" if team else "that team's lead"
    return f"Only Northstar admins and {who} create team goals. Choose personal instead."


def level_below_children(children: Sequence[Goal]) -> str:
    names = ", ".join(f"G-{child.number}" for child in children[:5])
    return f"{names} serve this goal, so it must stay above their level."


def parent_closed(number: int) -> str:
    return f"G-{number} is closed; a goal can only serve an open goal."


def parent_wrong_level(number: int, parent_level: str, level: str) -> str:
    return (
        f"G-{number} is a {parent_level} goal; a {level} goal can only serve a goal above its "
        "level (personal → team or company, team → company)."
    )


def closed_goal(number: int, state: str) -> str:
    return f"G-{number} is {state}. Reopen it first with `/goal reopen G-{number}`."


def already_open(number: int) -> str:
    return f"G-{number} is already open; nothing changed."


def goal_saved(goal: Goal, created: bool) -> str:
    verb = "created" if created else "saved"
    aligned = (
        ""
        if goal.parent_id or goal.level == GoalLevel.COMPANY
        else (
            f" It serves no goal above it yet, so it shows as {NOT_ALIGNED}: "
            f"`/goal link G-{goal.number} to G-…`."
        )
    )
    return f":white_check_mark: *G-{goal.number}* {goal.title} {verb}.{aligned}"


def progress_recorded(goal: Goal, progress_text: str) -> str:
    return f":white_check_mark: *G-{goal.number}* {goal.title}: {progress_text}"


def goal_closed(goal: Goal) -> str:
    if goal.state == "done":
        return f":tada: *G-{goal.number}* {goal.title} is done. Well done!"
    return f"*G-{goal.number}* {goal.title} is dropped. `/goal reopen G-{goal.number}` undoes it."


def goal_reopened(goal: Goal) -> str:
    return f":arrows_counterclockwise: *G-{goal.number}* {goal.title} is open again."


def goal_linked(goal: Goal, parent: Goal | None) -> str:
    if parent is None:
        return f"*G-{goal.number}* no longer serves another goal; it shows as {NOT_ALIGNED}."
    return f":link: *G-{goal.number}* {goal.title} now serves *G-{parent.number}* {parent.title}."


def value_refused_for_rollup(number: int) -> str:
    return (
        f"G-{number} is measured by its sub-goals, so it has no value of its own: update those. "
        f"To change confidence or status or add a note, use `/goal update G-{number}`."
    )


def export_sent(count: int) -> str:
    return f":page_facing_up: {count:,} goals exported; the CSV is in your direct messages."
