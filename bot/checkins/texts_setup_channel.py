"""What Northstar posts for a named setup: its round's thread and summary in the setup's own
channel, its answers in team channels, and what it tells the setup's owner when a channel
refuses. Names and question texts arrive here already escaped."""

from __future__ import annotations

from bot.checkins.periods import period_label

# --- the round's thread ------------------------------------------------------------------------


def round_thread_parent(setup: str, period: str) -> str:
    return f":spiral_note_pad: *{setup}* · {period_label(period)} — answers in the thread"


def team_thread_parent(setup: str, period: str, team: str) -> str:
    return (
        f":spiral_note_pad: *{setup}* · {period_label(period)} · {team}\n"
        "Answers arrive in this thread as people send them."
    )


def shared_fallback(name: str, setup: str, period: str) -> str:
    """``Max's Daily stand-up answer, Tue 3 Dec``."""
    return f"{name}'s {setup} answer, {period_label(period)}"


# --- the round's summary ----------------------------------------------------------------------


def summary_heading(setup: str, period: str) -> str:
    return f":bar_chart: *{setup}* · {period_label(period)} — summary"


def summary_turnout(*, answered: int, invited: int, skipped: int, missing: int) -> str:
    parts = [f"*{answered:,} of {invited:,}* answered"]
    if skipped:
        parts.append(f"{skipped:,} skipped")
    if missing:
        parts.append(f"{missing:,} did not answer")
    return " · ".join(parts)


def summary_no_answers() -> str:
    return "Nobody answered this time."


def _answers(count: int) -> str:
    return "1 answer" if count == 1 else f"{count:,} answers"


def _number(value: float) -> str:
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def summary_text_question(question: str, count: int) -> str:
    return f"• *{question}* {_answers(count)}"


def summary_mood_question(question: str, count: int, average: float | None) -> str:
    if average is None:
        return f"• *{question}* no answers"
    return f"• *{question}* average {_number(average)} of 5 ({_answers(count)})"


def summary_number_question(
    question: str, count: int, total: float | None, average: float | None
) -> str:
    if total is None or average is None:
        return f"• *{question}* {_answers(count)}, none a number"
    return f"• *{question}* total {_number(total)}, average {_number(average)} ({_answers(count)})"


def summary_fallback(setup: str, period: str, answered: int, invited: int) -> str:
    return f"{setup}, {period_label(period)}: {answered:,} of {invited:,} answered"


# --- a channel that refuses -------------------------------------------------------------------


def channel_failed(*, setup: str, channel_id: str, period: str, error: str, summary: bool) -> str:
    what = "summary" if summary else "answers"
    text = (
        f":warning: Northstar could not post the {what} of *{setup}* for "
        f"{period_label(period)} in <#{channel_id}>: Slack said `{error}`. The answers are "
        "saved in Northstar; nothing is lost. "
    )
    if error == "not_in_channel":
        return text + (
            f"Invite Northstar to the channel (type `/invite @Northstar` in <#{channel_id}>) "
            "and the next posts go there."
        )
    if error in ("channel_not_found", "is_archived"):
        return text + (
            f"The channel is archived or gone. Choose another one with `/checkin edit {setup}`."
        )
    return text + "Northstar tries again with the next post."
