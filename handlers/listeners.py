"""What the features' listeners share, written once: the request of a slash command, and the
shapes of listener (slash command, button, modal).

A button acts on its value: acknowledge, then open the modal or tell the person what the
feature's ``Outcome`` says. A modal is saved before it is acknowledged: mistakes
(``FormErrors``) keep it open on the fields concerned, a fault keeps it open with an apology
on one field, and what follows a save (a confirmation, relayed DMs) runs once it has closed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import FormErrors
from bot.core.request import RequestContext
from bot.slack.forms import SubmittedForm
from bot.slack.outcome import Outcome
from handlers.errors import acknowledge_fault, reporting_errors
from handlers.outcomes import act_on, request_of

Form = TypeVar("Form", bound=SubmittedForm)
Saved = TypeVar("Saved")
Listener = Callable[..., Awaitable[None]]
ButtonUse = Callable[[RequestContext, str], Awaitable[Outcome]]
"""What a button does with its (parsed) value."""


async def command_request(
    context: AsyncBoltContext, client: AsyncWebClient, command: dict[str, Any]
) -> RequestContext:
    """The ``RequestContext`` of a slash command: its response URL, channel and trigger."""
    return await request_of(
        context,
        client,
        response_url=command.get("response_url"),
        channel_id=command.get("channel_id"),
        trigger_id=command.get("trigger_id"),
    )


CommandUse = Callable[[RequestContext, str | None, AsyncRespond], Awaitable[Outcome | None]]
"""What a slash command does with its text: the ``Outcome`` to act on, or ``None`` when it has
answered by itself (through ``respond``)."""


def command_listener(use: CommandUse) -> Listener:
    """Acknowledge at once, then, with errors reported to the person, build the request and
    act on ``use(request, text, respond)``."""

    async def listener(
        ack: AsyncAck,
        command: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        async with reporting_errors(command, respond, client):
            request = await command_request(context, client, command)
            outcome = await use(request, command.get("text"), respond)
            if outcome is not None:
                await act_on(outcome, request, respond)

    return listener


class _AckAtOnce(AsyncMiddleware):
    """Acknowledges the request before its listener starts, for listeners whose first step is
    a plain ``ack()``. Bolt runs a listener in a task of its own and looks every 10 ms whether
    it has acknowledged yet, first before the listener's task has even run; an ack recorded
    before the listener starts is sent at once, without that wait (one 10 ms poll or more
    alone, and a timer per request in a burst)."""

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse | None]],
    ) -> BoltResponse | None:
        await req.context.ack()
        return await next()


ACK_AT_ONCE = _AckAtOnce()


def register_command(app: AsyncApp, command: str, use: CommandUse) -> None:
    """Registers ``command`` as a ``command_listener`` of ``use``, acknowledged as soon as it
    matches: built here, so the listener's ack is always the empty 200 that ``ACK_AT_ONCE``
    sends (the answer follows through ``respond``)."""
    app.command(command, middleware=[ACK_AT_ONCE])(command_listener(use))


def button_text(value: object) -> str:
    """A button's value as text; ``""`` when it has none (the feature says what is wrong)."""
    return str(value or "")


def button_listener(
    use: ButtonUse,
    *,
    value_of: Callable[[object], str] = button_text,
    keep_response_url: bool = False,
) -> Listener:
    """Acknowledge, then act on ``use(request, value_of(button value))``: a modal opens with
    the button's ``trigger_id``; a reply goes by DM, or with ``keep_response_url`` to the
    button's response URL (which the feature may also keep in the modal it opens)."""

    async def listener(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        respond: AsyncRespond | None = None,
    ) -> None:
        await ack()
        async with reporting_errors(body, respond, client):
            request = await request_of(
                context,
                client,
                response_url=body.get("response_url") if keep_response_url else None,
                trigger_id=body.get("trigger_id"),
            )
            await act_on(await use(request, value_of(action.get("value"))), request)

    return listener


async def act_after(request: RequestContext, outcome: Outcome) -> None:
    """The usual step after a save: act on its ``Outcome`` (by response URL or DM, as there is
    no ``respond`` once a modal has closed)."""
    await act_on(outcome, request)


def modal_listener(
    save: Callable[[RequestContext, SubmittedForm], Awaitable[Saved]],
    then: Callable[[RequestContext, Saved], Awaitable[None]],
    *,
    fault_block: str,
) -> Listener:
    """A modal read with ``SubmittedForm``: ``save`` before ``ack()``, then ``then``."""
    return read_modal_listener(SubmittedForm, save, then, fault_block=lambda _: fault_block)


def read_modal_listener(
    read: Callable[[dict[str, Any]], Form],
    save: Callable[[RequestContext, Form], Awaitable[Saved]],
    then: Callable[[RequestContext, Saved], Awaitable[None]],
    *,
    fault_block: Callable[[Form], str],
) -> Listener:
    """A modal read with ``read`` (a ``SubmittedForm`` of the feature's): ``save`` it before
    ``ack()``, a fault shown on ``fault_block(form)``; once the modal has closed, ``then``
    with what was saved. A confirmation goes to the ``response_url`` the modal keeps in its
    metadata, else by DM."""

    async def listener(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        form = read(view)
        url = form.metadata.get("response_url")
        try:
            request = await request_of(
                context, client, response_url=url if isinstance(url, str) else None
            )
            saved = await save(request, form)
        except FormErrors as error:
            await ack(response_action="errors", errors=error.errors)
            return
        except Exception:
            await acknowledge_fault(ack, fault_block(form))
            return
        await ack()  # closes the modal
        async with reporting_errors(body, None, client):
            await then(request, saved)

    return listener
