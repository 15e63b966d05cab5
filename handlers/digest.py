"""The weekly digest's buttons: open a goal, update one's own goal, see a team's or all goals,
answer this week's check-in. (``/align digest`` itself is a form of ``/align``.)"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.digest import buttons
from bot.digest.blocks.actions import (
    ACTION_PATTERNS,
    ALL_GOALS_ACTION,
    CHECKIN_ACTION,
    GOAL_OPEN_ACTION,
    GOAL_UPDATE_ACTION,
    TEAM_GOALS_ACTION,
)
from handlers.listeners import button_listener

# Every answer is ephemeral in the digest's channel (its response URL), seen by the clicker
# alone; a form opens with the click's trigger id and confirms through the same URL.
handle_open_goal = button_listener(buttons.open_goal, keep_response_url=True)
handle_update_goal = button_listener(buttons.update_own_goal, keep_response_url=True)
handle_team_goals = button_listener(buttons.team_goals, keep_response_url=True)
handle_all_goals = button_listener(buttons.all_goals, keep_response_url=True)
handle_answer_checkin = button_listener(buttons.answer_checkin, keep_response_url=True)


def register(app: AsyncApp) -> None:
    app.action(ACTION_PATTERNS[GOAL_OPEN_ACTION])(handle_open_goal)
    app.action(ACTION_PATTERNS[GOAL_UPDATE_ACTION])(handle_update_goal)
    app.action(ACTION_PATTERNS[TEAM_GOALS_ACTION])(handle_team_goals)
    app.action(ACTION_PATTERNS[ALL_GOALS_ACTION])(handle_all_goals)
    app.action(ACTION_PATTERNS[CHECKIN_ACTION])(handle_answer_checkin)
