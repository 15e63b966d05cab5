"""People at their keyboards: slash commands, button presses and modal submissions sent into
the real app as Slack sends them, and what came back read from the fake Slack."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.errors import NorthstarError
from fakeslack import Call, FakeSlack, SlackSender
from fakeslack.app_requests import Answer

SETTLE_SECONDS = 30.0


class DemoFailed(NorthstarError):
    """The simulated month did not go as scripted: Northstar answered something unexpected."""


def text_of(value: Any) -> str:
    """Every ``text`` string in blocks or a view, joined: what a person would read."""
    if isinstance(value, list):
        return " ".join(text_of(item) for item in value)
    if isinstance(value, dict):
        return " ".join(
            item if key == "text" and isinstance(item, str) else text_of(item)
            for key, item in value.items()
        )
    return ""


def options_of(view: dict[str, Any], block_id: str) -> list[dict[str, Any]]:
    """The options of the select in input ``block_id``, from groups too."""
    block = next((b for b in view["blocks"] if b.get("block_id") == block_id), None)
    if block is None:
        raise DemoFailed(f"the {view.get('callback_id')} form has no {block_id}")
    element = block["element"]
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group["options"]
    return options


def option_value(view: dict[str, Any], block_id: str, starts_with: str) -> str:
    """The value of the option in input ``block_id`` whose text starts with ``starts_with``."""
    for option in options_of(view, block_id):
        if option["text"]["text"].startswith(starts_with):
            return str(option["value"])
    raise DemoFailed(f"{starts_with!r} is not offered in {block_id}")


@dataclass(frozen=True)
class Pressed:
    """A button someone pressed in a DM and the modal it opened."""

    user_id: str
    action_id: str
    value: str
    view: dict[str, Any]


class DemoSlack:
    """The fake Slack workspace and the people in it, acting through the real app."""

    def __init__(self, fake: FakeSlack, sender: SlackSender) -> None:
        self.fake = fake
        self.sender = sender
        self.pressed: list[Pressed] = []

    async def settle(self) -> None:
        """Wait for the work Bolt runs after ``ack()`` (replies, modals, Home tabs)."""
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
        if pending:
            _, unfinished = await asyncio.wait(pending, timeout=SETTLE_SECONDS)
            if unfinished:
                raise DemoFailed(f"{len(unfinished)} Slack handlers did not finish")

    def _reply_to(self, response_url: str) -> dict[str, Any] | None:
        name = response_url.rsplit("/", 1)[-1]
        replies = [call.args for call in self.fake.calls_to("response_url")]
        return next((args for args in reversed(replies) if args.get("_name") == name), None)

    async def command(self, user_id: str, command: str, text: str) -> dict[str, Any]:
        """Type ``command text`` as ``user_id``; the ephemeral reply (``text``, ``blocks``)."""
        response, response_url = await self.sender.command(command, text, user_id=user_id)
        await self.settle()
        reply = self._reply_to(response_url)
        if response.status_code != 200 or reply is None:
            raise DemoFailed(f"{command} {text} got no reply ({response.status_code})")
        return reply

    async def _opened_view(self, before: int, what: str) -> dict[str, Any]:
        await self.settle()
        opened = self.fake.calls_to("views.open")
        if len(opened) <= before:
            raise DemoFailed(f"{what} opened no modal")
        view: dict[str, Any] = opened[-1].args["view"]
        return view

    async def open_form(self, user_id: str, command: str, text: str) -> dict[str, Any]:
        """Type a command that opens a modal; the modal."""
        before = len(self.fake.calls_to("views.open"))
        await self.sender.command(command, text, user_id=user_id)
        return await self._opened_view(before, f"{command} {text}")

    async def press(self, user_id: str, action_id: str, value: str) -> dict[str, Any]:
        """Press a button in a DM that opens a modal; the modal."""
        before = len(self.fake.calls_to("views.open"))
        await self.sender.click(action_id, value, user_id=user_id)
        view = await self._opened_view(before, f"the {action_id} button")
        self.pressed.append(Pressed(user_id, action_id, value, view))
        return view

    async def open_home(self, user_id: str) -> dict[str, Any]:
        """Open the app's Home tab as ``user_id``; the view the app published."""
        before = len(self.fake.calls)
        event = {"type": "app_home_opened", "tab": "home", "user": user_id}
        response = await self.sender.event(event, event_id=f"EvHome{user_id}")
        await self.settle()
        published = [
            call.args["view"]
            for call in self.fake.calls[before:]
            if call.method == "views.publish" and call.args.get("user_id") == user_id
        ]
        if response.status_code != 200 or not published:
            raise DemoFailed(f"the Home tab of {user_id} was not published")
        view: dict[str, Any] = published[-1]
        return view

    async def click(self, user_id: str, action_id: str, value: str) -> None:
        """Press a button in a DM that answers in place (such as Skip)."""
        response, _ = await self.sender.click(action_id, value, user_id=user_id)
        await self.settle()
        if response.status_code != 200:
            raise DemoFailed(f"the {action_id} button answered {response.status_code}")

    async def submit(
        self, user_id: str, view: dict[str, Any], answers: Mapping[str, Answer]
    ) -> None:
        """Submit a modal; a modal that stays open with errors fails the demo."""
        response = await self.sender.submit_view(view, answers, user_id=user_id)
        await self.settle()
        if response.status_code != 200 or response.content:
            errors = response.json().get("errors") if response.content else response.status_code
            raise DemoFailed(f"{view.get('callback_id')} was refused: {errors}")

    def dm_buttons(self, user_id: str, action_id: str, since: int) -> list[str]:
        """Values of the ``action_id`` buttons in DMs to ``user_id`` posted after call ``since``."""
        values = []
        for call in self.fake.calls[since:]:
            if call.method != "chat.postMessage" or call.args.get("channel") != user_id:
                continue
            for block in call.args.get("blocks") or []:
                for element in block.get("elements") or []:
                    if isinstance(element, dict) and element.get("action_id") == action_id:
                        values.append(str(element["value"]))
        return values

    def posts_to(self, channel_id: str, since: int = 0) -> list[Call]:
        return [
            call
            for call in self.fake.calls[since:]
            if call.method == "chat.postMessage" and call.args.get("channel") == channel_id
        ]
