"""A round's summary in its setup's channel: counts only, nobody quoted or named."""

from __future__ import annotations

from bot.checkins import texts_setup_channel as texts
from bot.checkins.round_stats import QuestionStats, RoundStats
from bot.core.text_input import escape_mrkdwn
from bot.slack.messages import Reply, plain_fallback, section


def build_round_summary(*, setup_name: str, period: str, stats: RoundStats) -> Reply:
    setup = escape_mrkdwn(setup_name)
    heading = texts.summary_heading(setup, period)
    turnout = texts.summary_turnout(
        answered=stats.answered,
        invited=stats.invited,
        skipped=stats.skipped,
        missing=stats.missing,
    )
    blocks = [section(heading + "\n" + turnout)]
    if stats.answered:
        # A section per question: eight questions of escaped text stay far below the limits.
        blocks += [section(_line(item)) for item in stats.questions]
    else:
        blocks.append(section(texts.summary_no_answers()))
    fallback = texts.summary_fallback(setup, period, stats.answered, stats.invited)
    return Reply(text=plain_fallback(fallback), blocks=blocks)


def _line(item: QuestionStats) -> str:
    question = escape_mrkdwn(item.question.text)
    if item.question.kind == "mood":
        return texts.summary_mood_question(question, item.answered, item.average)
    if item.question.kind == "number":
        return texts.summary_number_question(question, item.answered, item.total, item.average)
    return texts.summary_text_question(question, item.answered)
