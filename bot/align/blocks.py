"""The ``/align help`` message."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.align import texts
from bot.core.texts import ALIGN_COMMANDS, command_lines
from bot.slack.messages import Reply


def build_align_help() -> Reply:
    blocks = [
        HeaderBlock(text=texts.ALIGN_HELP_TITLE),
        SectionBlock(text=MarkdownTextObject(text=texts.ALIGN_HELP_INTRO)),
        SectionBlock(text=MarkdownTextObject(text=command_lines())),
        ContextBlock(elements=[MarkdownTextObject(text=texts.ALIGN_HELP_EXAMPLE)]),
    ]
    fallback = f"{texts.ALIGN_HELP_TITLE}. " + "; ".join(command for command, _ in ALIGN_COMMANDS)
    return Reply(text=fallback, blocks=[block.to_dict() for block in blocks])
