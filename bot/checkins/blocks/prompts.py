"""The check-in direct messages: the weekly prompt and the reminder, which can be snoozed."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

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


@functools.lru_cache(maxsize=256)
def _buttons_of_period(period: str, snooze: bool) -> dict[str, Any]:
    """The buttons of a round, built once: only their value (the invitation) differs per DM.
    Never changed: every DM copies what differs."""
    return _buttons(0, period, snooze=snooze)


def _buttons_for(delivery_id: int, period: str, *, snooze: bool = False) -> dict[str, Any]:
    template = _buttons_of_period(period, snooze)
    value = str(delivery_id)
    return {**template, "elements": [{**button, "value": value} for button in template["elements"]]}


@functools.lru_cache(maxsize=1024)
def _prompt_parts(
    week: str,
    closes_local: datetime,
    wall_clock: datetime,
    questions: int,
    setup_name: str | None,
    goals: bool,
    footer: str | None,
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The fallback text, section and footer of a prompt: the same for everyone of a round
    whose answers close at the same local time, so a fan-out builds them once
    (``wall_clock``, ``closes_local`` without its zone, only keys the cache)."""
    text = texts.prompt_text(week, closes_local, questions, setup_name, goals=goals)
    return plain_fallback(text), section(text), context(footer or texts.PROMPT_FOOTER)


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
    # keyed by the wall-clock time as well: aware datetimes of the same instant in two zones
    # compare equal, and would share one cached text with the other zone's hour in it
    fallback, text_block, footer_block = _prompt_parts(
        week, closes_local, closes_local.replace(tzinfo=None), questions, setup_name, goals, footer
    )
    return Reply(text=fallback, blocks=[text_block, _buttons_for(delivery_id, week), footer_block])


def build_checkin_reminder(
    *, week: str, delivery_id: int, closes_local: datetime, setup_name: str | None = None
) -> Reply:
    text = texts.reminder_text(week, closes_local, setup_name)
    blocks = [section(text), _buttons(delivery_id, week, snooze=True)]
    return Reply(text=plain_fallback(text), blocks=blocks)
