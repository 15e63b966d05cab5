"""Every sentence about key results that people read."""

from __future__ import annotations

from bot.okrs.rollup import MAX_KEY_RESULTS

KR_USAGE = "`/goal kr G-12` (a form) or `/goal kr G-12 2 45 [confidence 8]`"
FORM_TITLE = "Key results"
FORM_SUBMIT = "Save"
FORM_INTRO = (
    f"Up to {MAX_KEY_RESULTS} key results: each a measurable target from a start to a target value "
    "(a target below the start means lower is better). The objective's progress is their "
    "weighted mean. Clear a title to remove that key result."
)
NO_KPI = "No KPI (I update it)"
KPI_PLACEHOLDER = "Bind to a KPI"
TITLE_NEEDED = "Give this key result a title, or clear its other fields."
AT_LEAST_ONE = "An objective needs at least one key result: give the first one a title."
NOT_A_NUMBER = "Type a number, like 45, 12,500 or 3.5%."
START_NEEDED = "Type where it starts, like 0."
TARGET_NEEDED = "Type the target, like 100."
TARGET_EQUALS_START = "The target must differ from the start."
WEIGHT_POSITIVE = "The weight must be a number above 0, like 1 or 2."
KPI_GONE = "That KPI is not in this workspace any more. Pick another, or none."
GOAL_GONE = "That goal no longer exists. See `/goal list`."
CONFIDENCE_HINT = "How sure are you (1-10) that each key result will be hit?"
CONFIDENCE_FORMAT = "Pick a confidence from 1 to 10."


def title_label(position: int) -> str:
    return f"KR {position}: title"


def form_header(number: int, title: str) -> str:
    return f"G-{number} {title}"


def children_refused(number: int) -> str:
    return (
        f"G-{number} is measured by its sub-goals, so it cannot have key results. Change how "
        f"it is measured first with `/goal edit G-{number}`."
    )


def no_key_results(number: int) -> str:
    return f"G-{number} has no key results yet. Add them with `/goal kr G-{number}`."


def no_such_key_result(number: int, position: int, count: int) -> str:
    return (
        f"G-{number} has no key result #{position}; it has {count} "
        f"(#1 to #{count}). See them with `/goal show G-{number}`."
    )


def too_many(position: int) -> str:
    return (
        f"An objective has at most {MAX_KEY_RESULTS} key results, so there is no #{position}. "
        f"Try: {KR_USAGE}"
    )


def bad_position(word: str) -> str:
    return f"Say which key result by its number, not {word}. Try: {KR_USAGE}"


def bad_value(word: str) -> str:
    return f"{word} is not a number. Try: {KR_USAGE}"


def bad_confidence(word: str) -> str:
    return f"Confidence is a whole number from 1 to 10, not {word}. Try: {KR_USAGE}"


def nothing_to_set(number: int) -> str:
    return f"Give a value, a confidence, or both: `/goal kr G-{number} 2 45 confidence 8`."


def use_key_results(number: int) -> str:
    return (
        f"G-{number}'s progress comes from its key results. Update one of them: "
        f"`/goal kr G-{number} 1 45`."
    )


def saved(number: int, count: int, progress: str) -> str:
    plural = "s" if count != 1 else ""
    return f":dart: *G-{number}* has {count} key result{plural} · {progress}"


def key_result_set(number: int, position: int, what: str, progress: str) -> str:
    return f":dart: *G-{number}* KR #{position}: {what} · objective {progress}"


def checkin_confidence_label(number: int, position: int, title: str) -> str:
    return f"G-{number} KR {position}: {title} · confidence"


def checkin_more(count: int) -> str:
    return f"…and {count} more key results: set them with `/goal kr G-12 2 confidence 8`."


def checkin_change(number: int, position: int, before: int | None, after: int) -> str:
    return (
        f"G-{number} KR {position} confidence {before if before is not None else 'none'} → {after}"
    )


ROLLED_FROM_FORM = "from its key results (edited)"


def rolled_from_key_result(position: int) -> str:
    return f"from key result #{position}"


def rolled_from_kpi(number: int) -> str:
    return f"from K-{number}, which a key result follows"


def no_such_goal(number: int) -> str:
    return f"There is no goal G-{number} in this workspace. See the goals with `/goal list all`."


def cannot_change(number: int) -> str:
    return (
        f":no_entry: Only the owner of G-{number}, the lead of its team and Northstar admins can "
        f"change its key results. See them with `/goal show G-{number}`."
    )


def closed_goal(number: int, state: str) -> str:
    return f"G-{number} is {state}. Reopen it first with `/goal reopen G-{number}`."


def not_an_objective(number: int) -> str:
    return (
        f"G-{number} is no longer measured by its key results. To measure it by them again,"
        f" save them in `/goal kr G-{number}`."
    )
