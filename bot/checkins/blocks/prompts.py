"""The check-in direct messages: the weekly prompt and the reminder, which can be snoozed."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.checkins import texts_prompts as texts
from bot.slack.messages import Reply, context, plain_fallback, section

ANSWER_ACTION = "checkin_answer"
SKIP_ACTION = "checkin_skip"
SNOOZE_HOUR_ACTION = "checkin_snooze_hour"
SNOOZE_MORNING_ACTION = "checkin_snooze_morning"


def _buttons(delivery_id: int, period: str, *, snooze: bool = False) -> dict[str, object]:
    value = str(delivery_id)
    answer = ButtonElement(
        text=texts.ANSWER_BUTTON, action_id=ANSWER_ACTION, value=value, style="primary"
    )
    skip = ButtonElement(text=texts.skip_button(period), action_id=SKIP_ACTION, value=value)
    later = [
        ButtonElement(text=texts.SNOOZE_HOUR_BUTTON, action_id=SNOOZE_HOUR_ACTION, value=value),
        ButtonElement(
            text=texts.SNOOZE_MORNING_BUTTON, action_id=SNOOZE_MORNING_ACTION, value=value
        ),
    ]
    elements = [answer, *later, skip] if snooze else [answer, skip]
    return ActionsBlock(block_id="checkin_actions", elements=elements).to_dict()


def build_checkin_prompt(
    *,
    week: str,
    delivery_id: int,
    closes_local: datetime,
    questions: int,
    setup_name: str | None = None,
    goals: bool = True,
    footer: str | None = None,
) -> Reply:
    """The prompt of one round; ``week`` is the round's period (an ISO week or a day) and
    ``setup_name`` the name of a setup other than the default, escaped for mrkdwn."""
    text = texts.prompt_text(week, closes_local, questions, setup_name, goals=goals)
    return Reply(
        text=plain_fallback(text),
        blocks=[
            section(text),
            _buttons(delivery_id, week),
            context(footer or texts.PROMPT_FOOTER),
        ],
    )


def build_checkin_reminder(
    *, week: str, delivery_id: int, closes_local: datetime, setup_name: str | None = None
) -> Reply:
    text = texts.reminder_text(week, closes_local, setup_name)
    blocks = [section(text), _buttons(delivery_id, week, snooze=True)]
    return Reply(text=plain_fallback(text), blocks=blocks)
