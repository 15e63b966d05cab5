"""The check-in direct messages: the weekly prompt and the one reminder."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.checkins import texts_prompts as texts
from bot.slack.messages import Reply, context, plain_fallback, section

ANSWER_ACTION = "checkin_answer"
SKIP_ACTION = "checkin_skip"


def _buttons(delivery_id: int) -> dict[str, object]:
    return ActionsBlock(
        block_id="checkin_actions",
        elements=[
            ButtonElement(
                text=texts.ANSWER_BUTTON,
                action_id=ANSWER_ACTION,
                value=str(delivery_id),
                style="primary",
            ),
            ButtonElement(text=texts.SKIP_BUTTON, action_id=SKIP_ACTION, value=str(delivery_id)),
        ],
    ).to_dict()


def build_checkin_prompt(
    *, week: str, delivery_id: int, closes_local: datetime, questions: int
) -> Reply:
    text = texts.prompt_text(week, closes_local, questions)
    return Reply(
        text=plain_fallback(text),
        blocks=[section(text), _buttons(delivery_id), context(texts.PROMPT_FOOTER)],
    )


def build_checkin_reminder(*, week: str, delivery_id: int, closes_local: datetime) -> Reply:
    text = texts.reminder_text(week, closes_local)
    return Reply(text=plain_fallback(text), blocks=[section(text), _buttons(delivery_id)])
