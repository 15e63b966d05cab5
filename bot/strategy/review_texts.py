"""Every sentence of the quarterly review: commands, the post, its thread and the canvas."""

from __future__ import annotations

USAGE = (
    "`/align review` (the period that ended last), `/align review 2026-Q3`, "
    "`/align review preview [2026-Q3]` or `/align review channel #leadership`"
)
ACTION_CHANNEL = "choose the review channel"
ACTION_POST = "post the quarterly review"
ACTION_PREVIEW = "preview the quarterly review"
NO_CHANNEL = (
    "No review channel yet. Choose one first: `/align review channel #leadership` "
    "(then invite Northstar there with `/invite @Northstar`)."
)
CHANNEL_NEEDED = (
    "Name the channel as a link: type `/align review channel #` and pick it from the list, "
    "for example `/align review channel #leadership`."
)
NO_PRIORITY = "No priority"
NO_GOALS = "_No goal in this period._"
NO_KPIS = "_No KPI has values in this period._"
NO_PULSES = "_No pulse survey closed in this period._"
NO_BLOCKERS = "_No blocker came up twice in check-ins._"
WITHHELD = "results withheld: fewer answers than the anonymity threshold"
UPDATE_BUTTON = "Update priorities"
MORE_IN_CANVAS = "…and more: the canvas holds the whole pack."
PREVIEW_NOTE = ":eyes: A preview, only you can see it: nothing was posted."
BLOCKERS_NOTE = "Words from check-in blocker answers only (never survey text), without names."
ARROWS = {"up": "↑", "down": "↓", "flat": "→", "none": ""}
STATUS_WORDS = {
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "done": "done",
    "dropped": "dropped",
}


def bad_period(typed: str) -> str:
    return (
        f"{typed} is not a quarter. Type it as year and quarter, like `/align review 2026-Q3`, "
        f"or nothing for the period that ended last. Usage: {USAGE}"
    )


def not_ended(label: str) -> str:
    return (
        f"{label} has not ended yet: its review comes the day after it ends. "
        "Try `/align review preview` to see it so far."
    )


def channel_set(channel_id: str) -> str:
    return (
        f":white_check_mark: Quarterly reviews will be posted in <#{channel_id}>, the day after "
        "each quarter ends. Invite Northstar there if it is not in yet: `/invite @Northstar`."
    )


def already_posted(label: str, channel_id: str | None) -> str:
    where = f" in <#{channel_id}>" if channel_id else ""
    return f"The review of {label} was already posted{where}; it is posted once per period."


def post_refused(channel_id: str, code: str) -> str:
    return (
        f"Slack refused the review in <#{channel_id}> (`{code}`). Invite Northstar there with "
        "`/invite @Northstar`, or choose another channel with `/align review channel #name`, "
        "then type `/align review` again."
    )


def in_progress(label: str) -> str:
    return f"The review of {label} is being posted right now by another request; look again soon."


def posted(label: str, channel_id: str) -> str:
    return (
        f":white_check_mark: The review of {label} is posted in <#{channel_id}>, with its canvas."
    )


def header(label: str) -> str:
    return f"Quarterly review: {label}"


def canvas_title(label: str) -> str:
    return f"Quarterly review {label}"


def canvas_link(team_id: str, canvas_id: str) -> str:
    return (
        f":memo: The full review pack is in <https://app.slack.com/docs/{team_id}/{canvas_id}"
        "|its canvas>: edit it during the meeting."
    )


def canvas_failed(error: str) -> str:
    return f":warning: The canvas could not be created ({error}); the thread above has the pack."


def score_line(
    title: str, score: float | None, hits: tuple[int, int], on_track: int, goals: int
) -> str:
    shown = "no goal" if score is None else f"{round(score * 100)}%"
    return (
        f"*{title}*: {shown} · {on_track} of {goals} goals on track or done · "
        f"key results {hits[0]} hit, {hits[1]} missed"
    )


def totals(hits: tuple[int, int]) -> str:
    return f"Key results: *{hits[0]} hit*, *{hits[1]} missed*. Details in the thread."


def question_no_goal_on_track(title: str) -> str:
    return f"Priority {title} has no goal on track: keep it, change it or drop it?"


def question_no_goals(title: str) -> str:
    return f"Priority {title} had no goal this period: does it still belong in the plan?"


def question_unaligned(count: int) -> str:
    return (
        f"{count} goals served no priority: which priority should they serve, or should they stop?"
    )


def question_missed(missed: int, total: int) -> str:
    return (
        f"{missed} of {total} key results were missed: were the targets right, "
        "or what got in the way?"
    )


def question_red_kpi(name: str) -> str:
    return f"KPI {name} ends the period red: what do we change next quarter?"


def question_blocker(word: str, mentions: int) -> str:
    return f"“{word}” came up in {mentions} check-in blockers: who owns removing it?"


def question_pulse(label: str) -> str:
    return f"What do the results of {label} ask of us next quarter?"


QUESTION_NEXT = "Which one or two goals matter most next quarter?"
QUESTION_CARRY = "Which unfinished goals carry over (`/goal carry G-12`), and which do we drop?"
