"""The App Home tab: the company's vision and mission, and what each command does."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import texts
from bot.blocks.help import command_lines
from bot.blocks.messages import truncate


def _statement(title: str, text: str, empty: str) -> list[Any]:
    return [
        HeaderBlock(text=title),
        SectionBlock(text=MarkdownTextObject(text=truncate(text, 3000) if text else empty)),
    ]


def build_home_view(*, vision: str, mission: str, viewer_is_admin: bool) -> dict[str, Any]:
    no_vision = texts.HOME_NO_VISION_ADMIN if viewer_is_admin else texts.HOME_NO_VISION
    no_mission = texts.HOME_NO_MISSION_ADMIN if viewer_is_admin else texts.HOME_NO_MISSION
    blocks: list[Any] = [
        *_statement(":star2: Our north star", vision, no_vision),
        *_statement(":compass: Our mission", mission, no_mission),
        DividerBlock(),
        HeaderBlock(text=texts.HOME_COMMANDS_HEADER),
        SectionBlock(text=MarkdownTextObject(text=command_lines())),
        ContextBlock(elements=[MarkdownTextObject(text=texts.HOME_FOOTER)]),
    ]
    return View(type="home", blocks=blocks).to_dict()
