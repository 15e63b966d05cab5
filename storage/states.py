"""The fixed words stored in state and kind columns, as enums: compare with these, never with
bare strings. Each is a ``StrEnum``, so a member equals the string stored in the database."""

from __future__ import annotations

from enum import StrEnum


class GoalLevel(StrEnum):
    """Where a goal sits in the cascade, from the top down."""

    COMPANY = "company"
    TEAM = "team"
    PERSONAL = "personal"


class CheckinState(StrEnum):
    """Where one person's check-in invitation of a week stands (``checkin_delivery.state``)."""

    PENDING = "pending"  # due, not yet claimed
    SENDING = "sending"  # claimed by one run, which is sending the prompt
    SENT = "sent"
    ANSWERED = "answered"
    SKIPPED = "skipped"
    FAILED = "failed"  # Slack said this person cannot get a DM


class DeliveryState(StrEnum):
    """Where one survey invitation stands (``survey_invite.state``)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class SurveyState(StrEnum):
    """Where a pulse survey is in its life (``survey.state``)."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class RunStatus(StrEnum):
    """A scheduled job's run of one period in the run ledger (``run_ledger.status``)."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # only reported, never stored: another run already has the period


class GoalState(StrEnum):
    """Whether a goal is still being worked on (``goal.state``)."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class ThreadState(StrEnum):
    """Whether an anonymous feedback thread still takes messages (``feedback_thread.state``)."""

    OPEN = "open"
    CLOSED = "closed"
