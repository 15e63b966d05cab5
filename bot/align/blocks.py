"""The ``/align help`` message."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.align import texts
from bot.slack.messages import Reply
from storage.models import VISION_MAX_CHARS


def command_lines() -> str:
    return "\n".join(
        f"`{command}` {description.format(max=f'{VISION_MAX_CHARS:,}')}"
        for command, description in texts.ALIGN_HELP_COMMANDS
    )


def build_align_help() -> Reply:
    blocks = [
        HeaderBlock(text=texts.ALIGN_HELP_TITLE),
        SectionBlock(text=MarkdownTextObject(text=texts.ALIGN_HELP_INTRO)),
        SectionBlock(text=MarkdownTextObject(text=command_lines())),
        ContextBlock(elements=[MarkdownTextObject(text=texts.ALIGN_HELP_EXAMPLE)]),
    ]
    fallback = f"{texts.ALIGN_HELP_TITLE}. " + "; ".join(
        command for command, _ in texts.ALIGN_HELP_COMMANDS
    )
    return Reply(text=fallback, blocks=[block.to_dict() for block in blocks])
