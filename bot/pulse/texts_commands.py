"""What ``/pulse`` says: help, usage, the survey builder, lists and results."""

from __future__ import annotations

from collections.abc import Sequence

PULSE_USAGE = "`/pulse help`"
RESULTS_USAGE = "`/pulse results P-4`"
CLOSE_USAGE = "`/pulse close P-4`"
THRESHOLD_USAGE = "`/pulse threshold P-4 8`"
LIST_USAGE = "`/pulse list`"
NEW_USAGE = "`/pulse new`"
FEEDBACK_USAGE = "`/pulse feedback your message`"

HELP_HEADER = "Pulse surveys"
HELP_LINES = (
    "`/pulse new` (admins): build an anonymous survey from the built-in questions and your own.",
    "`/pulse list`: surveys with their state, times, and how many answered (counts only).",
    "`/pulse results P-4`: results of a closed survey, by team where it is safe, with a chart.",
    "`/pulse close P-4` (admins): close an open survey now.",
    "`/pulse threshold P-4 8` (admins): raise the minimum number of responses.",
    "`/pulse feedback your message`: send anonymous feedback.",
)
HELP_FOOTER = (
    "Answers are anonymous: results show only after a survey closes with at least its "
    "minimum number of responses (never fewer than 3), and nobody can see who answered."
)


def unknown_subcommand(shown: str, known: Sequence[str]) -> str:
    listed = ", ".join(f"`{name}`" for name in known)
    return f"`/pulse` has no subcommand {shown}. It knows: {listed}. Type {PULSE_USAGE}."


def takes_nothing(verb: str) -> str:
    return f"`/pulse {verb}` takes nothing after it. Try: `/pulse {verb}`."


def which_survey(usage: str) -> str:
    return f"Which survey? Give its number, like this: {usage}."


def not_a_survey_number(shown: str, usage: str) -> str:
    return f"{shown} is not a survey number like `P-4`. Try: {usage}."


def too_much_after(verb: str, usage: str) -> str:
    return f"`/pulse {verb}` takes only a survey number. Try: {usage}."


def threshold_needs_number(usage: str) -> str:
    return f"Give the survey and the new minimum number of responses: {usage}."


def not_a_whole_number(shown: str, usage: str) -> str:
    return f"{shown} is not a whole number. Try: {usage}."


def no_such_survey(number: int) -> str:
    return f"There is no survey P-{number}. Type {LIST_USAGE} to see them."


# --- the builder ------------------------------------------------------------------------------

BUILDER_TITLE = "New pulse survey"
BUILDER_SUBMIT = "Create"
BUILDER_CLOSE = "Cancel"
BUILDER_INTRO = (
    "Answers are always anonymous. Results show only after the survey closes, and only if "
    "at least the minimum number of people answered."
)
LABEL_TITLE = "Title"
LABEL_BANK = "Built-in questions"
HINT_BANK = "Statements are answered from 1 (strongly disagree) to 5 (strongly agree)."
LABEL_CUSTOM_KIND = "Your question {position}: kind"
LABEL_CUSTOM_TEXT = "Your question {position}: text"
LABEL_CUSTOM_OPTIONS = "Your question {position}: options"
HINT_CUSTOM_OPTIONS = "Only for single choice: one option per line, 2 to 10."
KIND_LABELS = {
    "scale": "Agreement, 1 to 5",
    "enps": "0 to 10, would recommend",
    "choice": "Single choice",
    "text": "Free text (comments)",
}
LABEL_AUDIENCE = "Who is asked"
AUDIENCE_EVERYONE = "Everyone"
AUDIENCE_TEAMS = "Chosen teams"
LABEL_TEAMS = "Teams"
HINT_TEAMS = "Used when 'Chosen teams' is picked above."
LABEL_MIN_RESPONSES = "Minimum responses"
HINT_MIN_RESPONSES = (
    "Nothing is shown until this many people answered; at least 3. The survey must go to at "
    "least twice this many people besides you: you are not counted, since you know your own "
    "answer."
)
LABEL_OPENS = "Opens"
LABEL_CLOSES = "Closes"
LABEL_REPEAT = "Repeat"
REPEAT_LABELS = {
    "none": "Does not repeat",
    "weekly": "Weekly",
    "biweekly": "Every two weeks",
    "monthly": "Monthly",
}
PICK_TEAMS = "Choose at least one team, or ask everyone."
NO_TEAMS_YET = "There are no teams yet; ask everyone, or add teams with `/align team add`."
MIN_RESPONSES_NOT_NUMBER = "Write a whole number, such as 5."
NO_TIME = "Choose a date and time."


def survey_created(ref: str, title: str, opens: str, closes: str) -> str:
    return (
        f":white_check_mark: *{ref} {title}* created. It opens {opens} and closes {closes}. "
        f"Type {LIST_USAGE} to follow it."
    )


# --- list, close, threshold -------------------------------------------------------------------

LIST_HEADER = "Pulse surveys"
LIST_EMPTY = "There are no pulse surveys yet. Admins create one with `/pulse new`."
LIST_FOOTER = "Counts only: nobody, admins included, can see who answered."
STATE_LABELS = {"scheduled": "scheduled", "open": "open", "closed": "closed"}


def list_more(count: int) -> str:
    return f"…and {count} older surveys."


def answered_count(answered: int, invited: int) -> str:
    return f"{answered} of {invited} answered"


def survey_line(ref: str, title: str, state: str, opens: str, closes: str, counts: str) -> str:
    return f"*{ref}* {title}\n{state} · opens {opens} · closes {closes} · {counts}"


NOT_OPENED_YET = "not sent yet"


def survey_closed(ref: str, title: str, *, repeats: bool) -> str:
    sentence = f"*{ref} {title}* is closed. See the results with `/pulse results {ref}`."
    if repeats:
        sentence += " It repeats, so its next round is scheduled."
    return sentence


def threshold_changed(ref: str, min_responses: int) -> str:
    return f"*{ref}* now needs at least {min_responses} responses before anything of it is shown."


# --- results ----------------------------------------------------------------------------------


def withheld_open(ref: str, threshold: int) -> str:
    return (
        f":lock: *{ref}* is still open. Its results show after it closes, and only if at "
        f"least {threshold} people answered, so that no answer can be picked out."
    )


def withheld_few(ref: str, count: int, threshold: int) -> str:
    return (
        f":lock: *{ref}* got {count} of the {threshold} responses it needs, so nothing of it "
        "is shown: with so few answers, someone's could be picked out."
    )


def results_header(label: str) -> str:
    return f"Results: {label}"


def responses_line(responses: int, threshold: int) -> str:
    return f"{responses} responses (minimum {threshold}). Comments are shown in random order."


def scale_line(text: str, mean: float | None, distribution: str) -> str:
    shown = "no answers" if mean is None else f"{mean:.2f} of 5"
    return f"*{text}*\n{shown} · {distribution}"


def enps_line(text: str, score: int | None, promoters: int, passives: int, detractors: int) -> str:
    shown = "no answers" if score is None else f"eNPS {score:+d}"
    return (
        f"*{text}*\n{shown} · {promoters} promoters, {passives} passives, {detractors} detractors"
    )


def choice_line(text: str, counts: str) -> str:
    return f"*{text}*\n{counts}"


def comments_line(text: str, count: int, comments: Sequence[str]) -> str:
    quoted = "\n".join(f"> {comment}" for comment in comments) or "No comments."
    return f"*{text}* ({count} comments)\n{quoted}"


def team_line(name: str, responses: int, scores: str) -> str:
    return f"*Team {name}* ({responses} responses): {scores or 'no scores'}"


def teams_hidden(count: int) -> str:
    return f"{count} teams are not shown: showing them could single out a small group."


def trend_line(ref: str, opens_on: str, responses: int, scores: str) -> str:
    return f"Trend · *{ref}* (opened {opens_on}, {responses} responses): {scores}"


def trend_withheld(count: int) -> str:
    return f"Trend · {count} rounds are not shown (still open or too few responses)."


def results_more(count: int) -> str:
    return f"…and {count} more lines; the chart in your DM shows the scores."


CHART_COMMENT = "The chart of these results."
