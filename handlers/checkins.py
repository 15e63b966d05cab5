"""``/checkin``, the check-in setup modal and list buttons, the check-in DMs' buttons and the
answer modal."""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.checkins import service, setup_admin, setup_save
from bot.checkins.answers import Submitted
from bot.checkins.blocks import answer_modal, setup_list, setup_modal
from bot.checkins.blocks.prompts import (
    ANSWER_ACTION,
    SKIP_ACTION,
    SNOOZE_HOUR_ACTION,
    SNOOZE_MORNING_ACTION,
)
from bot.checkins.blocks.settings_modal import Field, SettingsAnswers
from bot.checkins.commands import parse_checkin
from bot.core.request import RequestContext
from bot.slack.outcome import Outcome
from handlers.listeners import (
    act_after,
    button_listener,
    read_modal_listener,
    register_command,
)
from handlers.outcomes import act_on

COMMAND = "/checkin"


async def _run(request: RequestContext, text: str | None, _: AsyncRespond) -> Outcome:
    return await service.run_checkin_command(parse_checkin(text), request)


async def _after_answers(request: RequestContext, submitted: Submitted) -> None:
    await act_on(await service.answers_saved(request, submitted), request)


def register(app: AsyncApp) -> None:
    register_command(app, COMMAND, _run)
    app.view(setup_modal.CALLBACK_ID)(
        read_modal_listener(
            SettingsAnswers,
            setup_save.save_from_modal,
            act_after,
            fault_block=lambda _: Field.NAME.value,
        )
    )
    app.action(setup_list.NEW_ACTION)(
        button_listener(setup_admin.new_from_button, keep_response_url=True)
    )
    app.action(re.compile(rf"^{setup_list.EDIT_ACTION}(:[0-9]+)?$"))(
        button_listener(setup_admin.edit_from_button, keep_response_url=True)
    )
    app.action(ANSWER_ACTION)(button_listener(service.open_answer_form, keep_response_url=True))
    app.action(SKIP_ACTION)(button_listener(service.skip_from_button, keep_response_url=True))
    app.action(SNOOZE_HOUR_ACTION)(
        button_listener(service.snooze_hour_from_button, keep_response_url=True)
    )
    app.action(SNOOZE_MORNING_ACTION)(
        button_listener(service.snooze_morning_from_button, keep_response_url=True)
    )
    app.view(answer_modal.CHECKIN_FORM_CALLBACK)(
        read_modal_listener(
            service.AnswerForm,
            service.save_answers,
            _after_answers,
            fault_block=lambda submitted: submitted.first_block,
        )
    )
