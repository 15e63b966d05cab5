"""The digest's buttons: open a goal, update one's own goal, see a team's (or all) goals,
answer this week's check-in. Pure builders; ``handlers/digest.py`` ties the ids to the
use cases in ``bot.digest.buttons``.

One message may carry several buttons of a kind, and an ``action_id`` must be unique within a
message, so each button's id is its kind plus a running number (``digest_goal_open-3``);
``ACTION_PATTERNS`` match every such id of a kind. The value is what the button acts on
(a goal number, a team's row id); the handler treats it as hostile.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import count
from typing import Any

from bot.core.refs import format_ref
from bot.digest import texts_buttons as texts
from bot.digest.model import GoalLine
from bot.slack.messages import truncate

GOAL_OPEN_ACTION = "digest_goal_open"
GOAL_UPDATE_ACTION = "digest_goal_update"
TEAM_GOALS_ACTION = "digest_team_goals"
ALL_GOALS_ACTION = "digest_all_goals"
CHECKIN_ACTION = "digest_checkin_answer"
ACTIONS_MAX = 25  # elements of one actions block
BUTTON_TEXT_MAX = 75


def action_pattern(kind: str) -> re.Pattern[str]:
    """Every ``action_id`` of one kind of button: ``kind`` or ``kind-N``."""
    return re.compile(rf"^{re.escape(kind)}(?:-[0-9]+)?$")


ACTION_PATTERNS = {
    kind: action_pattern(kind)
    for kind in (
        GOAL_OPEN_ACTION,
        GOAL_UPDATE_ACTION,
        TEAM_GOALS_ACTION,
        ALL_GOALS_ACTION,
        CHECKIN_ACTION,
    )
}


class ButtonIds:
    """Unique ``action_id``s for the buttons of one message."""

    def __init__(self) -> None:
        self._numbers = count(1)

    def __call__(self, kind: str) -> str:
        return f"{kind}-{next(self._numbers)}"


def _button(ids: ButtonIds, kind: str, text: str, value: str | None = None) -> dict[str, Any]:
    """A button as slack_sdk's ``ButtonElement(…).to_dict()`` writes it, built directly (a
    digest has dozens): its text within ``BUTTON_TEXT_MAX``, no value when none is given."""
    button: dict[str, Any] = {
        "action_id": ids(kind),
        "text": {"emoji": True, "text": truncate(text, BUTTON_TEXT_MAX), "type": "plain_text"},
        "type": "button",
    }
    if value:  # slack_sdk leaves out an empty value too
        button["value"] = value
    return button


def _actions(elements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"elements": elements, "type": "actions"}


def build_goal_buttons(
    ids: ButtonIds, goals: Sequence[GoalLine], *, with_update: bool, opened: set[int]
) -> dict[str, Any] | None:
    """An "Open G-n" button for each goal not in ``opened`` (those have one higher up in the
    message; they are added to it) and, ``with_update``, "Update G-n" for its owner; at most
    ``ACTIONS_MAX`` buttons. None when there is no button to show."""
    elements: list[dict[str, Any]] = []
    for goal in goals:
        ref, value = format_ref("G", goal.number), str(goal.number)
        pair = []
        if goal.number not in opened:
            pair.append(_button(ids, GOAL_OPEN_ACTION, texts.open_goal(ref), value))
        if with_update:
            pair.append(_button(ids, GOAL_UPDATE_ACTION, texts.update_goal(ref), value))
        if len(elements) + len(pair) > ACTIONS_MAX:
            break
        opened.add(goal.number)
        elements += pair
    return _actions(elements) if elements else None


def build_more_goals_button(ids: ButtonIds, *, team: tuple[int, str] | None) -> dict[str, Any]:
    """The way to every goal of the digest's scope: the team's (a team digest) or everyone's."""
    if team is None:
        button = _button(ids, ALL_GOALS_ACTION, texts.ALL_GOALS, "all")
    else:
        button = _button(ids, TEAM_GOALS_ACTION, texts.team_goals(team[1]), str(team[0]))
    return _actions([button])


def build_checkin_button(ids: ButtonIds) -> dict[str, Any]:
    """Opens the clicker's own open check-in of this week (whoever clicks)."""
    button = _button(ids, CHECKIN_ACTION, texts.ANSWER_CHECKIN, "current")
    return _actions([button])
