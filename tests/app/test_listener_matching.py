"""Bolt's built-in listener matchers, handed the body directly (``match_on_body``), pick
the same listeners as Bolt's own calls of them do, for every listener Northstar registers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener_matcher.async_builtins import AsyncBuiltinListenerMatcher
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.app.factory import build_app
from bot.app.listener_matching import BodyMatcher, match_on_body
from bot.core.runtime import Runtime
from handlers import register_all


def bare_app() -> AsyncApp:
    app = AsyncApp(token="xoxb-test", signing_secret="secret")
    register_all(app)
    return app


def constraints(value: Any, depth: int = 0) -> Iterator[str]:
    """The names and ids a matcher was built for, found in its closures."""
    if depth > 4:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, re.Pattern):
        yield re.sub(r"\((\?:)?[^)]*\)\?", "", value.pattern).strip("^$")  # without options
    elif isinstance(value, dict | list | tuple):
        for item in value.values() if isinstance(value, dict) else value:
            yield from constraints(item, depth + 1)
    elif callable(value):
        for cell in getattr(value, "__closure__", None) or ():
            yield from constraints(cell.cell_contents, depth + 1)


def bodies(names: set[str]) -> Iterator[dict[str, Any]]:
    for name in sorted(names):
        yield {"command": name, "team_id": "T1", "user_id": "U1"}
        yield {"type": "block_actions", "actions": [{"action_id": name, "block_id": "b"}]}
        yield {"type": "view_submission", "view": {"type": "modal", "callback_id": name}}
        yield {"type": "view_closed", "view": {"type": "modal", "callback_id": name}}
        yield {"type": "event_callback", "event": {"type": name}}
        yield {"type": "block_suggestion", "action_id": name}
        yield {"type": "shortcut", "callback_id": name}
        yield {"type": "message_action", "callback_id": name}


def test_every_built_in_matcher_is_handed_the_body(runtime: Runtime) -> None:
    app = build_app(runtime)
    matchers = [m for listener in app._async_listeners for m in listener.matchers]
    assert len(matchers) >= len(app._async_listeners) >= 50
    assert not [m for m in matchers if isinstance(m, AsyncBuiltinListenerMatcher)]
    assert match_on_body(app) == 0  # nothing left to hand over


async def test_body_matchers_pick_the_listeners_bolt_picks() -> None:
    bolts, ours = bare_app(), bare_app()
    replaced = match_on_body(ours)
    assert replaced == len(ours._async_listeners)
    names = {
        name
        for listener in bolts._async_listeners
        for matcher in listener.matchers
        for name in constraints(getattr(matcher, "func", None))
    }
    assert {"/goal", "/align", "app_home_opened"} <= names
    matched: set[int] = set()
    for body in bodies(names):
        request = AsyncBoltRequest(body="", context={})
        request.body = body
        response = BoltResponse(status=200)
        pairs = zip(bolts._async_listeners, ours._async_listeners, strict=True)
        for index, (theirs, mine) in enumerate(pairs):
            for bolt_matcher, body_matcher in zip(theirs.matchers, mine.matchers, strict=True):
                assert isinstance(body_matcher, BodyMatcher)
                expected = await bolt_matcher.async_matches(request, response)
                assert await body_matcher.async_matches(request, response) == expected, body
                if expected:
                    matched.add(index)
    listeners = bolts._async_listeners
    never_matched = [
        [list(constraints(getattr(m, "func", None))) for m in listeners[index].matchers]
        for index in range(len(listeners))
        if index not in matched
    ]
    assert never_matched == []  # every listener was tried on a body of its own
