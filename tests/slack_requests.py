"""The tests' workspace, people and signing secret, and Slack's requests in the tests' shape.

Every body is built and signed by ``fakeslack.app_requests``; this module only fills in the
tests' defaults and fixed ids, which tests name (``1337.42.click``, ``command-1``, ``V0001``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from fakeslack import app_requests
from fakeslack.app_requests import Answer
from fakeslack.app_requests import view_state as view_state  # tests import it from here

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
TEAM_ID = "T0001"
TEAM_DOMAIN = "acme"
ADMIN_ID = "UADMIN01"
MEMBER_ID = "UMEMBER1"

CLICK_TRIGGER_ID = "1337.42.click"
SUBMIT_TRIGGER_ID = "1337.42.submit"
ACTION_TS = "1764000000.000100"
HOME_TAB = {"type": "view", "view_id": "VHOME"}
EPHEMERAL_MESSAGE = {"type": "message", "is_ephemeral": True}


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """``x-slack-signature`` and ``x-slack-request-timestamp`` for ``body``."""
    return app_requests.signed_headers(body, secret=secret, timestamp=timestamp)


def command_body(
    text: str,
    *,
    command: str = "/align",
    user_id: str = ADMIN_ID,
    team_id: str = TEAM_ID,
    response_url: str = "https://hooks.slack.invalid/commands/none",
    trigger_id: str = "1337.42.abcdef",
) -> str:
    return app_requests.command_body(
        text,
        command=command,
        user_id=user_id,
        team_id=team_id,
        response_url=response_url,
        trigger_id=trigger_id,
        team_domain=TEAM_DOMAIN,
    )


def event_body(event: dict[str, Any], *, event_id: str, team_id: str = TEAM_ID) -> str:
    return app_requests.event_body(event, event_id=event_id, team_id=team_id)


def view_submission_body(
    view: Mapping[str, Any], answers: Mapping[str, Answer], *, user_id: str, team_id: str = TEAM_ID
) -> str:
    return app_requests.view_submission_body(
        view,
        answers,
        user_id=user_id,
        team_id=team_id,
        trigger_id=SUBMIT_TRIGGER_ID,
        team_domain=TEAM_DOMAIN,
    )


def block_action_body(
    action_id: str,
    value: str,
    *,
    user_id: str,
    team_id: str = TEAM_ID,
    response_url: str | None = None,
    container: dict[str, Any] | None = None,
) -> str:
    """A press of a button in the Home tab, unless ``container`` says where else."""
    return app_requests.block_action_body(
        action_id,
        value,
        user_id=user_id,
        team_id=team_id,
        trigger_id=CLICK_TRIGGER_ID,
        container=container or HOME_TAB,
        response_url=response_url,
        block_id="b1",
        action_ts=ACTION_TS,
        team_domain=TEAM_DOMAIN,
    )


class SlackSender(app_requests.SignedSender):
    """Slack in the tests' workspace, signed with the tests' secret. Commands run as the admin
    unless told otherwise, each with a ``response_url`` of its own (``command-1``, ``-2`` …);
    a click or submission carries a fixed trigger id, so a repeated one is the same body,
    which the sender stamps anew as Slack would."""

    def __init__(self, client: httpx.AsyncClient, *, response_urls: Callable[[str], str]) -> None:
        super().__init__(
            client,
            response_urls=response_urls,
            secret=SIGNING_SECRET,
            team_id=TEAM_ID,
            team_domain=TEAM_DOMAIN,
        )
        self._response_urls_given = 0

    def next_response_url(self) -> str:
        """A fresh ``response_url`` per command (and per press in a message), as Slack gives."""
        self._response_urls_given += 1
        return self._response_urls(f"command-{self._response_urls_given}")

    def trigger_id(self, kind: str) -> str:
        if kind == "command":
            return f"1337.{self._response_urls_given}.command"
        return f"1337.42.{kind}"

    async def command(
        self, text: str, *, command: str = "/align", user_id: str = ADMIN_ID
    ) -> httpx.Response:
        response_url = self.next_response_url()
        body = command_body(
            text,
            command=command,
            user_id=user_id,
            response_url=response_url,
            trigger_id=self.trigger_id("command"),
        )
        return await self.post(body)

    async def submit_view(
        self, view: Mapping[str, Any], answers: Mapping[str, Answer], *, user_id: str = ADMIN_ID
    ) -> httpx.Response:
        """Submit a modal Northstar opened, as Slack would, with some fields answered."""
        return await super().submit_view(view, answers, user_id=user_id)

    async def click(
        self, action_id: str, value: str, *, user_id: str = ADMIN_ID, in_message: bool = False
    ) -> httpx.Response:
        """Press a button, in the Home tab or (``in_message``) in an ephemeral message."""
        body = block_action_body(
            action_id,
            value,
            user_id=user_id,
            response_url=self.next_response_url() if in_message else None,
            container=EPHEMERAL_MESSAGE if in_message else None,
        )
        return await self.post(body)
