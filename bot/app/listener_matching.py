"""Bolt picks a request's listener by asking each registered listener in turn whether it
matches; a built-in matcher (a command's name, an action or callback id, an event type) looks
at the body alone, yet Bolt works out its arguments afresh on every call (about 40 µs, for
each of the 60 listeners before the one that matches). ``match_on_body`` hands those matchers
the body directly; what they decide is Bolt's own function, unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener_matcher.async_builtins import AsyncBuiltinListenerMatcher
from slack_bolt.listener_matcher.async_listener_matcher import AsyncListenerMatcher
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

BodyTest = Callable[..., Awaitable[bool]]


class BodyMatcher(AsyncListenerMatcher):
    """One of Bolt's built-in matchers, called with the request's body and nothing else."""

    def __init__(self, test: BodyTest) -> None:
        self.test = test

    async def async_matches(self, req: AsyncBoltRequest, resp: BoltResponse) -> bool:
        return await self.test(body=req.body)


def match_on_body(app: AsyncApp) -> int:
    """Give every registered listener's built-in matchers the body directly; call it once all
    listeners are registered. Returns how many matchers it replaced."""
    replaced = 0
    for listener in app._async_listeners:  # no public way to reach them in Bolt 1.x
        matchers: list[AsyncListenerMatcher] = []
        for matcher in listener.matchers:
            if isinstance(matcher, AsyncBuiltinListenerMatcher) and matcher.arg_names == ["body"]:
                # Bolt's async built-ins wrap each test in a coroutine function of ``body``
                matchers.append(BodyMatcher(cast(BodyTest, matcher.func)))
                replaced += 1
            else:
                matchers.append(matcher)
        listener.matchers = matchers
    return replaced
