"""Slack listeners, one module per feature; each module's ``register(app)`` ties Slack ids to
functions."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import (
    align,
    checkin_answers,
    checkin_commands,
    goals,
    home,
    installations,
    kpis,
    members,
    pulse_answers,
    pulse_commands,
    pulse_comment_replies,
    pulse_feedback,
)

FEATURES = (
    installations,
    align,
    goals,
    home,
    kpis,
    members,
    checkin_answers,
    checkin_commands,
    pulse_answers,
    pulse_feedback,
    pulse_comment_replies,
    pulse_commands,
)


def register_all(app: AsyncApp) -> None:
    for feature in FEATURES:
        feature.register(app)
