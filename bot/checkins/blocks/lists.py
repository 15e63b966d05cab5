"""Messages of ``/checkin``: help, a person's history, a round's status, the holidays."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import HeaderBlock

from bot.checkins import texts
from bot.checkins import texts_calendar as calendar_texts
from bot.checkins.texts import StatusGroup
from bot.checkins.texts_answers import heading
from bot.checkins.texts_prompts import when
from bot.core.text_input import escape_mrkdwn
from bot.slack.messages import (
    Reply,
    build_lines,
    build_notice,
    context,
    plain_fallback,
    section,
    truncate,
)
from storage.models import CheckinAnswer, CheckinDelivery, CheckinRound
from storage.repositories.checkins import ANSWERED, FAILED, PENDING, SENDING, SENT, SKIPPED

HISTORY_ENTRY_MAX = 2000  # five entries stay inside one message's character budget
QUESTION_LABEL_MAX = 150
PEOPLE_LINE_MAX = 1400  # eight lists of people stay inside one message's character budget
HOLIDAYS_SHOWN = 100


def _quote(text: str) -> str:
    return "\n".join(f">{line}" for line in text.splitlines() or [""])


def build_checkin_help() -> Reply:
    lines = "\n".join(f"`{command}` {text}" for command, text in texts.HELP_COMMANDS)
    blocks = [
        HeaderBlock(text=truncate(texts.HELP_TITLE, 150)).to_dict(),
        section(texts.HELP_INTRO),
        section(lines),
        context(texts.HELP_FOOTER),
    ]
    return Reply(text=plain_fallback(texts.HELP_TITLE), blocks=blocks)


# --- history ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One answered round; ``setup_name`` (as typed) labels it when answers of several
    setups are listed together."""

    answer: CheckinAnswer
    round_: CheckinRound
    setup_name: str | None = None


def history_entry(
    answer: CheckinAnswer, round_: CheckinRound, setup_name: str | None = None
) -> str:
    """One round's answers, question by question, cut to fit beside four other rounds. A
    number answer stands on its question's line; the goals question is not an answer."""
    questions = [q for q in round_.questions if isinstance(q, dict) and q.get("kind") != "goals"]
    text_questions = [q for q in questions if q.get("kind") not in ("mood", "number")]
    per_answer = max(80, HISTORY_ENTRY_MAX // max(1, len(text_questions)) - QUESTION_LABEL_MAX)
    late = f" · _{texts.ANSWERED_LATE}_" if answer.late else ""
    name = escape_mrkdwn(setup_name) if setup_name else None
    parts = [f"*{heading(round_.period or round_.week, name)}*{late}"]
    mood_label = "Mood"
    for question in questions:
        label = escape_mrkdwn(truncate(str(question.get("text") or ""), QUESTION_LABEL_MAX))
        if question.get("kind") == "mood":
            mood_label = label
            continue
        reply = str(answer.answers.get(str(question.get("key")), "")).strip()
        if question.get("kind") == "number":
            number = escape_mrkdwn(truncate(reply, 40)) if reply else texts.NO_ANSWER
            parts.append(f"*{label}* {number}")
            continue
        shown = _quote(escape_mrkdwn(truncate(reply, per_answer))) if reply else texts.NO_ANSWER
        parts.append(f"*{label}*\n{shown}")
    if answer.mood is not None:
        parts.append(f"*{mood_label}* {texts.mood_line(answer.mood)}")
    return truncate("\n".join(parts), HISTORY_ENTRY_MAX)


def build_history(entries: Sequence[HistoryEntry], setup_name: str | None = None) -> Reply:
    """The person's last answers; ``setup_name`` (as typed) when they are of one setup."""
    if not entries:
        if setup_name:
            return build_notice(texts.history_empty_of(escape_mrkdwn(setup_name)))
        return build_notice(texts.HISTORY_EMPTY)
    return build_lines(
        texts.history_header(setup_name) if setup_name else texts.HISTORY_HEADER,
        [history_entry(entry.answer, entry.round_, entry.setup_name) for entry in entries],
        more=texts.history_more,
        footer=texts.HISTORY_FOOTER,
    )


# --- status ----------------------------------------------------------------------------------


def people_line(title: str, user_ids: Sequence[str], marks: Mapping[str, str] | None = None) -> str:
    """``*Title (n):* <@U1>, <@U2> (late), …`` within ``PEOPLE_LINE_MAX`` characters."""
    line = f"*{title} ({len(user_ids)}):* "
    shown = 0
    for user_id in user_ids:
        mark = (marks or {}).get(user_id)
        piece = ("" if shown == 0 else ", ") + f"<@{user_id}>" + (f" ({mark})" if mark else "")
        if len(line) + len(piece) > PEOPLE_LINE_MAX:
            break
        line += piece
        shown += 1
    if shown < len(user_ids):
        line += f", {texts.people_more(len(user_ids) - shown)}"
    return line


def status_of(delivery: CheckinDelivery, now: datetime) -> StatusGroup:
    """Where one invitation honestly stands: only a sent prompt can go unanswered."""
    if delivery.state == ANSWERED:
        return StatusGroup.ANSWERED
    if delivery.state == SENT:
        return StatusGroup.OPEN if delivery.closes_at > now else StatusGroup.NO_ANSWER
    if delivery.state == SKIPPED:
        return StatusGroup.NOT_TAKING_PART if delivery.error else StatusGroup.SKIPPED
    if delivery.state == FAILED:
        return StatusGroup.UNREACHABLE
    if delivery.state in (PENDING, SENDING) and delivery.closes_at > now:
        return StatusGroup.WAITING
    return StatusGroup.EXPIRED


def _waiting_mark(delivery: CheckinDelivery, now: datetime, tz: ZoneInfo) -> str:
    if delivery.prompt_at <= now:
        return texts.STATUS_DUE_NOW
    return when(delivery.prompt_at.astimezone(tz))


def build_status(
    *,
    week: str,
    scope: str,
    deliveries: Sequence[CheckinDelivery],
    late: Collection[str],
    now: datetime,
    tz: ZoneInfo,
    setup_name: str | None = None,
) -> Reply:
    """Counts, then who stands where; never the answers themselves. Times are the viewer's.
    ``week`` is the round's period; ``setup_name`` (as typed) names a setup other than the
    default."""
    if not deliveries:
        shown = escape_mrkdwn(setup_name) if setup_name else None
        return build_notice(texts.status_nobody(week, scope, shown))
    groups: dict[StatusGroup, list[CheckinDelivery]] = {group: [] for group in StatusGroup}
    for delivery in deliveries:
        groups[status_of(delivery, now)].append(delivery)
    count = {group: len(rows) for group, rows in groups.items()}
    counts = texts.status_counts(
        invited=len(deliveries),
        sent=sum(1 for d in deliveries if d.sent_at is not None),
        answered=count[StatusGroup.ANSWERED],
        late=sum(1 for d in groups[StatusGroup.ANSWERED] if d.user_id in late),
        skipped=count[StatusGroup.SKIPPED],
        waiting=count[StatusGroup.WAITING],
        not_sent=count[StatusGroup.UNREACHABLE]
        + count[StatusGroup.NOT_TAKING_PART]
        + count[StatusGroup.EXPIRED],
    )
    header = texts.status_header(week, scope, setup_name)
    blocks: list[dict[str, Any]] = [HeaderBlock(text=truncate(header, 150)).to_dict()]
    blocks.append(section(counts))
    marks = {d.user_id: texts.LATE_MARK for d in groups[StatusGroup.ANSWERED] if d.user_id in late}
    marks.update({d.user_id: _waiting_mark(d, now, tz) for d in groups[StatusGroup.WAITING]})
    for group in StatusGroup:
        user_ids = [d.user_id for d in groups[group]]
        if user_ids:
            blocks.append(section(people_line(texts.STATUS_TITLES[group], user_ids, marks)))
    footer = texts.STATUS_FOOTER
    if groups[StatusGroup.WAITING]:
        footer = f"{texts.STATUS_TIMES_YOURS} {footer}"
    blocks.append(context(footer))
    return Reply(text=plain_fallback(f"{header}: {counts}"), blocks=blocks)


# --- holidays --------------------------------------------------------------------------------


def build_holidays(days: Sequence[date]) -> Reply:
    if not days:
        return build_notice(calendar_texts.HOLIDAYS_NONE)
    lines = "\n".join(f"• {texts.day_text(day)}" for day in days[:HOLIDAYS_SHOWN])
    if len(days) > HOLIDAYS_SHOWN:
        lines += "\n" + calendar_texts.holidays_more(len(days) - HOLIDAYS_SHOWN)
    header = f"{calendar_texts.HOLIDAYS_HEADER} ({len(days)})"
    blocks = [
        HeaderBlock(text=header).to_dict(),
        section(lines),
        context(calendar_texts.HOLIDAYS_FOOTER),
    ]
    return Reply(text=plain_fallback(header), blocks=blocks)
