"""What a use case asks Slack to show once it is done: the one result shape handlers act on.

A feature returns an ``Outcome``; ``handlers.outcomes.act_on`` opens the view, sends the reply and
redraws the Home tabs it names. No handler inspects feature-specific result types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.slack.messages import Reply


@dataclass(frozen=True)
class Outcome:
    reply: Reply | None = None
    """An ephemeral answer to the person who asked."""
    view: dict[str, Any] | None = None
    """A modal to open with the request's ``trigger_id``."""
    homes: tuple[str, ...] = field(default=())
    """People whose Home tab now shows something different."""

    @classmethod
    def replying(cls, reply: Reply, *, homes: Iterable[str] = ()) -> Outcome:
        return cls(reply=reply, homes=tuple(homes))

    @classmethod
    def opening(cls, view: dict[str, Any]) -> Outcome:
        return cls(view=view)
