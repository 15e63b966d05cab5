"""Slack listeners, one module per feature; each module's ``register(app)`` ties Slack ids to
functions."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import (
    align,
    checkins,
    digest,
    feedback,
    goals,
    home,
    installations,
    kpis,
    kudos,
    members,
    okrs,
    pulse,
    shortcuts,
    strategy,
)

FEATURES = (
    installations,
    align,
    goals,
    home,
    kpis,
    members,
    checkins,
    pulse,
    feedback,
    digest,
    shortcuts,
    kudos,
    strategy,
    okrs,
)


def register_all(app: AsyncApp) -> None:
    for feature in FEATURES:
        feature.register(app)
