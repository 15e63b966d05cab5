"""The kudos as people see them: posted in a channel, and in each recipient's DM."""

from __future__ import annotations

from bot.core.text_input import escape_mrkdwn
from bot.kudos import texts
from bot.slack.messages import Reply, context, plain_fallback, section
from storage.models import Goal, Kudos


def _quoted(text: str) -> str:
    """The stored (already escaped) text as a mrkdwn quote, line by line."""
    return "\n".join(f">{line}" for line in text.split("\n"))


def _kudos_message(headline: str, kudos: Kudos, goal: Goal | None) -> Reply:
    blocks = [section(f"{headline}\n{_quoted(kudos.text)}")]
    if goal is not None:
        blocks.append(context(texts.goal_line(goal.number, escape_mrkdwn(goal.title))))
    return Reply(text=plain_fallback(f"{headline}: {kudos.text}"), blocks=blocks)


def build_kudos_post(kudos: Kudos, goal: Goal | None) -> Reply:
    """For the channel: who thanked whom, what for, and the goal as ``G-12 Title``."""
    return _kudos_message(texts.posted_headline(kudos.giver_id, kudos.recipient_ids), kudos, goal)


def build_kudos_dm(kudos: Kudos, goal: Goal | None) -> Reply:
    """For each recipient: the same kudos, addressed to them."""
    return _kudos_message(texts.dm_headline(kudos.giver_id), kudos, goal)
