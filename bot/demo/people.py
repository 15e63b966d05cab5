"""What each simulated person does with a DM from Northstar: answer the check-in (and move
their goals in it), skip it, or let it wait; answer the pulse survey. Seeded, so every run
of the demo is the same month."""

from __future__ import annotations

import random
import re
from enum import StrEnum
from typing import Any

from bot.checkins.blocks.prompts import ANSWER_ACTION as CHECKIN_ANSWER
from bot.checkins.blocks.prompts import SKIP_ACTION as CHECKIN_SKIP
from bot.demo import bakery
from bot.demo.slack import DemoSlack
from bot.pulse.delivery import ANSWER_ACTION as PULSE_ANSWER
from fakeslack.app_requests import Answer

_GOAL_VALUE_BLOCK = re.compile(r"^goal:[0-9]+:value$")
_GOAL_LABEL = re.compile(r"^G-([0-9]+) ")


class Habit(StrEnum):
    """How someone treats this week's check-in prompt."""

    PROMPT = "answers when the prompt arrives"
    LATE = "answers after the reminder"
    SKIPS = "presses Skip"
    SILENT = "does not answer"


HABIT_WEIGHTS = {Habit.PROMPT: 70, Habit.LATE: 14, Habit.SKIPS: 8, Habit.SILENT: 8}
BLOCKER_CHANCE = 0.3


def weekly_habits(rng: random.Random) -> dict[str, Habit]:
    """Who does what with this week's check-in."""
    habits, weights = list(HABIT_WEIGHTS), list(HABIT_WEIGHTS.values())
    return {person.user_id: rng.choices(habits, weights)[0] for person in bakery.PEOPLE}


async def answer_checkin(
    slack: DemoSlack, user_id: str, delivery: str, week: int, rng: random.Random
) -> None:
    """Open the check-in from the DM's button and submit it, with this week's goal values."""
    view = await slack.press(user_id, CHECKIN_ANSWER, delivery)
    team = bakery.team_of(user_id)
    answers: dict[str, Answer] = {
        "q:moved": rng.choice(bakery.MOVED[team]),
        "q:blockers": rng.choice(bakery.BLOCKERS[team]) if rng.random() < BLOCKER_CHANCE else None,
        "q:next": rng.choice(bakery.NEXT[team]),
        "q:mood": str(rng.choice((3, 4, 4, 4, 5, 5))),
    }
    answers |= goal_values(view, week)
    await slack.submit(user_id, view, answers)


async def skip_checkin(slack: DemoSlack, user_id: str, delivery: str) -> None:
    await slack.click(user_id, CHECKIN_SKIP, delivery)


def goal_values(view: dict[str, Any], week: int) -> dict[str, Answer]:
    """The value of each goal in the check-in form that its plan moves this week."""
    values: dict[str, Answer] = {}
    for block in view["blocks"]:
        block_id = str(block.get("block_id", ""))
        label = _GOAL_LABEL.match(str(block.get("label", {}).get("text", "")))
        if not _GOAL_VALUE_BLOCK.match(block_id) or label is None:
            continue
        goal = bakery.GOALS[int(label.group(1)) - 1]
        if goal.measure == "milestone" and goal.done_week is not None and week >= goal.done_week:
            values[block_id] = "1"
        elif goal.measure == "number" and goal.pace:
            values[block_id] = f"{goal.value_in_week(week):g}"
    return values


async def answer_pulse(slack: DemoSlack, user_id: str, survey: str, rng: random.Random) -> None:
    """Open the survey from the invitation and answer every question."""
    view = await slack.press(user_id, PULSE_ANSWER, survey)
    answers: dict[str, Answer] = {}
    for block in view["blocks"]:
        block_id = str(block.get("block_id", ""))
        element = block.get("element", {})
        if not block_id.startswith("q:"):
            continue
        if element.get("type") == "plain_text_input":
            answers[block_id] = rng.choice(bakery.SURVEY_COMMENTS)
        elif block_id == "q:enps":
            answers[block_id] = str(rng.choice((6, 7, 8, 8, 9, 9, 10)))
        else:
            answers[block_id] = str(rng.choice((3, 4, 4, 4, 5, 5)))
    await slack.submit(user_id, view, answers)
