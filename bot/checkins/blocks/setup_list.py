"""The list of a workspace's check-in setups (``/checkin setups`` and the Home): each with its
days, time, people and channel, an Edit button where the viewer may change it, and a
"New check-in" button for admins and team leads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.checkins import texts_setups as texts
from bot.checkins.settings import CheckinSettings
from bot.core.text_input import escape_mrkdwn
from bot.slack.messages import Reply, plain_fallback, truncate

EDIT_ACTION = "checkin_setup_edit"
NEW_ACTION = "checkin_setup_new"
LISTED_MAX = 40  # a message holds 50 blocks


@dataclass(frozen=True)
class ListedSetup:
    """A setup as the list shows it; ``id`` 0 is the default setup before it is stored."""

    id: int
    name: str
    is_default: bool
    settings: CheckinSettings
    editable: bool


def setup_text(setup: ListedSetup, team_names: Mapping[int, str]) -> str:
    settings = setup.settings
    teams = [escape_mrkdwn(team_names[ref]) for ref in settings.team_refs if ref in team_names]
    return texts.setup_line(
        name=escape_mrkdwn(setup.name),
        default=setup.is_default,
        enabled=settings.enabled,
        days=texts.days_label(settings.days, settings.every_weeks),
        time=settings.local_time.strftime("%H:%M"),
        who=texts.who_label(teams, len(settings.user_ids), everyone=settings.everyone),
        channel=texts.channel_label(
            settings.channel_id,
            settings.channel_mode,
            team_channels=settings.share_in_team_channels,
        ),
    )


def _edit_button(setup: ListedSetup, text: str = texts.EDIT_BUTTON) -> ButtonElement:
    # one action id per setup: Slack refuses a block whose buttons share one
    return ButtonElement(
        text=truncate(text, 75), action_id=f"{EDIT_ACTION}:{setup.id}", value=str(setup.id)
    )


def setup_sections(
    setups: Sequence[ListedSetup],
    team_names: Mapping[int, str],
    *,
    shown: int,
    more: bool = True,
    buttons: bool = True,
) -> list[Any]:
    """A section per setup (at most ``shown``), with its Edit button if the viewer may
    (``buttons``; else ``setup_buttons`` gathers them in one row)."""
    blocks: list[Any] = []
    for setup in setups[:shown]:
        button = _edit_button(setup) if setup.editable and buttons else None
        text = truncate(setup_text(setup, team_names), 3000)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text), accessory=button))
    if more and len(setups) > shown:
        more_text = texts.more_setups(len(setups) - shown)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more_text)]))
    return blocks


def new_setup_button() -> ButtonElement:
    return ButtonElement(text=texts.NEW_BUTTON, action_id=NEW_ACTION, value="new")


def setup_buttons(setups: Sequence[ListedSetup], *, shown: int, block_id: str) -> ActionsBlock:
    """One row: "New check-in", then "Edit <name>" for each shown setup the viewer may edit."""
    edits = [
        _edit_button(setup, texts.edit_named(setup.name))
        for setup in setups[:shown]
        if setup.editable
    ]
    return ActionsBlock(block_id=block_id, elements=[new_setup_button(), *edits])


def build_setup_list(
    setups: Sequence[ListedSetup], team_names: Mapping[int, str], *, may_create: bool
) -> Reply:
    blocks: list[Any] = [
        SectionBlock(text=MarkdownTextObject(text=f"*{texts.LIST_HEADER}*")),
        *setup_sections(setups, team_names, shown=LISTED_MAX, more=False),
    ]
    if len(setups) > LISTED_MAX:
        hidden = ", ".join(escape_mrkdwn(setup.name) for setup in setups[LISTED_MAX:])
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=truncate(hidden, 3000))]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=texts.LIST_HINT)]))
    if may_create:
        blocks.append(
            ActionsBlock(block_id="checkin_setups_actions", elements=[new_setup_button()])
        )
    names = ", ".join(escape_mrkdwn(setup.name) for setup in setups)
    return Reply(
        text=plain_fallback(f"{texts.LIST_HEADER}: {names}"),
        blocks=[block.to_dict() for block in blocks],
    )
