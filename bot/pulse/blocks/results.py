"""What ``/pulse`` shows in messages: help, the survey list, results or why they are withheld."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk.models.blocks import ButtonElement, MarkdownTextObject, SectionBlock

from bot.core.text_input import escape_mrkdwn
from bot.pulse import texts_commands as texts
from bot.pulse.breakdown import TeamBreakdown
from bot.pulse.results import (
    ChoiceResult,
    EnpsResult,
    QuestionResult,
    ScaleResult,
    SurveyResults,
    TextResult,
    Withheld,
)
from bot.pulse.trend import SeriesTrend
from bot.slack.messages import Reply, build_lines, build_notice, truncate

COMMENTS_SHOWN = 20
COMMENT_MAX_CHARS = 300
COMMENT_REPLY_ACTION = "pulse_comment_reply"
REPLY_BUTTONS_MAX = 10  # comments shown with a Reply button; the rest stay text lines
REPLY_BUTTON_TEXT = "Reply"
REPLY_TEXT_BUDGET = 1_500  # on top of the lines' budget, to stay below Slack's message limit


def mrkdwn_safe(text: str) -> str:
    """Stored text (typed raw in a modal) shown as mrkdwn, where ``<`` could make a mention."""
    return escape_mrkdwn(text)


def format_moment(moment: datetime) -> str:
    """A time each reader sees in their own time zone, with a UTC fallback."""
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def build_pulse_help() -> Reply:
    return build_lines(
        texts.HELP_HEADER,
        list(texts.HELP_LINES),
        more=texts.list_more,
        footer=texts.HELP_FOOTER,
    )


@dataclass(frozen=True)
class SurveyRow:
    """One line of ``/pulse list``: counts only, never names."""

    ref: str
    title: str
    state: str
    opens_at: datetime
    closes_at: datetime
    invited: int | None  # ``None``: not sent yet
    answered: int


def build_pulse_list(rows: Sequence[SurveyRow]) -> Reply:
    if not rows:
        return build_notice(texts.LIST_EMPTY)
    lines = [
        texts.survey_line(
            row.ref,
            mrkdwn_safe(row.title),
            texts.STATE_LABELS.get(row.state, row.state),
            format_moment(row.opens_at),
            format_moment(row.closes_at),
            texts.NOT_OPENED_YET
            if row.invited is None
            else texts.answered_count(row.answered, row.invited),
        )
        for row in rows
    ]
    return build_lines(texts.LIST_HEADER, lines, more=texts.list_more, footer=texts.LIST_FOOTER)


def build_withheld(ref: str, withheld: Withheld) -> Reply:
    if withheld.survey_open:
        return build_notice(texts.withheld_open(ref, withheld.threshold))
    return build_notice(texts.withheld_few(ref, withheld.count, withheld.threshold))


def _number(value: float | int | None) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return f"{value:+d}"
    return f"{value:.2f}"


def _comment_text(text: str) -> str:
    return mrkdwn_safe(" ".join(text.split()))[:COMMENT_MAX_CHARS]


def _question_line(result: QuestionResult, replyable: frozenset[str] = frozenset()) -> str:
    text = mrkdwn_safe(result.text)
    if isinstance(result, ScaleResult):
        spread = " ".join(f"{value}: {count}" for value, count in result.distribution.items())
        return texts.scale_line(text, result.mean, spread)
    if isinstance(result, EnpsResult):
        return texts.enps_line(
            text, result.score, result.promoters, result.passives, result.detractors
        )
    if isinstance(result, ChoiceResult):
        counts = " · ".join(
            f"{mrkdwn_safe(option)}: {count}" for option, count in result.counts.items()
        )
        return texts.choice_line(text, counts)
    assert isinstance(result, TextResult)
    comments = [
        _comment_text(comment.text)
        for comment in result.comments[:COMMENTS_SHOWN]
        if comment.reply_token not in replyable
    ]
    return texts.comments_line(text, result.count, comments)


def _scores(results: Sequence[QuestionResult]) -> str:
    parts = []
    for result in results:
        if isinstance(result, ScaleResult):
            parts.append(f"{result.key} {_number(result.mean)}")
        elif isinstance(result, EnpsResult):
            parts.append(f"{result.key} {_number(result.score)}")
    return ", ".join(parts)


def _replyable(results: SurveyResults) -> list[tuple[str, str, str]]:
    """``(question, comment, reply token)`` of the first comments whose author asked for replies."""
    found: list[tuple[str, str, str]] = []
    used = 0
    for result in results.questions:
        if not isinstance(result, TextResult):
            continue
        for comment in result.comments[:COMMENTS_SHOWN]:
            if comment.reply_token is None or len(found) >= REPLY_BUTTONS_MAX:
                continue
            size = len(_reply_text(result.text, comment.text))
            if used + size <= REPLY_TEXT_BUDGET:
                found.append((result.text, comment.text, comment.reply_token))
                used += size
    return found


def _reply_text(question: str, comment: str) -> str:
    return f"*{mrkdwn_safe(question)}*\n> {_comment_text(comment)}"


def _reply_section(question: str, comment: str, token: str) -> dict[str, Any]:
    text = _reply_text(question, comment)
    return SectionBlock(
        text=MarkdownTextObject(text=truncate(text, 3000)),
        accessory=ButtonElement(
            text=REPLY_BUTTON_TEXT, action_id=COMMENT_REPLY_ACTION, value=token
        ),
    ).to_dict()


def build_results(
    label: str,
    results: SurveyResults,
    *,
    breakdown: TeamBreakdown | Withheld | None,
    trend: SeriesTrend | None,
    reply_buttons: bool = False,
) -> Reply:
    """``reply_buttons`` (for admins only) shows comments open to replies with a *Reply* button."""
    replyable = _replyable(results) if reply_buttons else []
    tokens = frozenset(token for _, _, token in replyable)
    lines = [texts.responses_line(results.responses, results.threshold)]
    lines += [_question_line(result, tokens) for result in results.questions]
    if isinstance(breakdown, TeamBreakdown):
        lines += [
            texts.team_line(
                mrkdwn_safe(team.name), team.results.responses, _scores(team.results.questions)
            )
            for team in breakdown.teams
        ]
        if breakdown.hidden:
            lines.append(texts.teams_hidden(breakdown.hidden))
    if trend is not None:
        for point in trend.points:
            scores = ", ".join(f"{key} {_number(value)}" for key, value in point.scores.items())
            lines.append(
                texts.trend_line(
                    f"P-{point.number}", point.opens_on.isoformat(), point.responses, scores
                )
            )
        if trend.withheld_rounds:
            lines.append(texts.trend_withheld(trend.withheld_rounds))
    reply = build_lines(
        texts.results_header(label),
        lines,
        more=texts.results_more,
        max_sections=40 - len(replyable),
    )
    if replyable:
        reply["blocks"] = list(reply["blocks"]) + [
            _reply_section(question, comment, token) for question, comment, token in replyable
        ]
    return reply
