"""Tests of the fake Slack server, driven through the real slack_sdk / slack_bolt clients."""

from __future__ import annotations

import asyncio
import json
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from fakeslack import FakeSlack, validate_message, validate_view

Block = dict[str, Any]


def section(text: str, **extra: Any) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def plain(text: str) -> Block:
    return {"type": "plain_text", "text": text}


def option(i: int) -> Block:
    return {"text": plain(f"Option {i}"), "value": f"v{i}"}


def modal(*blocks: Block, **extra: Any) -> Block:
    return {"type": "modal", "title": plain("Check-in"), "blocks": list(blocks), **extra}


INPUT_BLOCK: Block = {
    "type": "input",
    "block_id": "progress",
    "label": plain("Progress"),
    "hint": plain("What moved this week?"),
    "element": {
        "type": "plain_text_input",
        "action_id": "text",
        "multiline": True,
        "max_length": 3000,
        "placeholder": plain("Shipped the thing"),
    },
}


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake
        fake.assert_no_violations()  # what the shared conftest does; tests expecting some take them


@pytest.fixture
def client(slack: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(base_url=slack.api_url, token="xoxb-test")


# ---- basics ---------------------------------------------------------------------------------


async def test_api_url_points_at_a_local_port() -> None:
    fake = FakeSlack()
    with pytest.raises(RuntimeError):
        _ = fake.api_url
    async with fake:
        assert fake.api_url.startswith("http://127.0.0.1:")
        assert fake.api_url.endswith("/api/")
        assert fake.api_url != "http://127.0.0.1:0/api/"
    assert fake._runner is None


async def test_auth_test_answers_and_records_header_token(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    resp = await client.auth_test()
    assert (resp["team_id"], resp["user_id"], resp["bot_id"], resp["team"]) == (
        "T0001",
        "UBOT",
        "BBOT",
        "Acme",
    )
    assert resp["url"] == "https://acme.slack.com/"
    [call] = slack.calls
    assert (call.method, call.token, call.injected) == ("auth.test", "xoxb-test", False)


async def test_json_form_and_query_args_are_parsed(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    blocks = [section("*hello*")]
    await client.chat_postMessage(channel="C1", text="hi", blocks=blocks)  # sent as JSON
    await client.api_call(
        "chat.postMessage",  # form-encoded, blocks as a JSON string
        data={"channel": "C2", "text": "hi", "blocks": json.dumps(blocks)},
    )
    await client.users_list(limit=5)  # GET with query args
    await AsyncWebClient(base_url=slack.api_url).api_call("auth.test", data={"token": "xoxb-form"})
    json_call, form_call = slack.calls_to("chat.postMessage")
    assert json_call.args == {"channel": "C1", "text": "hi", "blocks": blocks}
    assert form_call.args == {"channel": "C2", "text": "hi", "blocks": blocks}
    assert slack.calls_to("users.list")[0].args == {"limit": "5"}
    [auth] = slack.calls_to("auth.test")
    assert auth.token == "xoxb-form"
    assert "token" not in auth.args
    tokenless = await AsyncWebClient(base_url=slack.api_url).api_test(foo="bar")
    assert tokenless["args"] == {"foo": "bar"}  # api.test needs no token, as on Slack


async def test_message_methods_return_realistic_shapes(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    first = await client.chat_postMessage(channel="C1", text="one")
    second = await client.chat_postMessage(channel="U123", text="two")
    assert float(second["ts"]) > float(first["ts"])
    assert second["channel"] == "DU123"
    assert first["message"]["text"] == "one"
    assert first["message"]["bot_id"] == "BBOT"
    eph = await client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    assert float(eph["message_ts"]) > float(second["ts"])
    upd = await client.chat_update(channel="C1", ts=first["ts"], text="edited")
    assert (upd["ts"], upd["text"]) == (first["ts"], "edited")
    assert slack.messages[("C1", first["ts"])]["text"] == "edited"
    await client.chat_delete(channel="C1", ts=first["ts"])
    assert ("C1", first["ts"]) not in slack.messages
    opened = await client.conversations_open(users="U42")
    assert opened["channel"]["id"] == "DU42"
    team = await client.team_info()
    assert team["team"]["id"] == "T0001"


async def test_views_return_a_view_with_an_id(slack: FakeSlack, client: AsyncWebClient) -> None:
    view = modal(INPUT_BLOCK, submit=plain("Save"), callback_id="checkin")
    opened = await client.views_open(trigger_id="trig-1", view=view)
    view_id = opened["view"]["id"]
    assert view_id.startswith("V")
    assert opened["view"]["callback_id"] == "checkin"
    updated = await client.views_update(view_id=view_id, view=view)
    assert updated["view"]["id"] == view_id
    pushed = await client.views_push(trigger_id="trig-2", view=view)
    assert pushed["view"]["id"] != view_id
    home = {"type": "home", "blocks": [section("Welcome")]}
    first = await client.views_publish(user_id="U1", view=home)
    again = await client.views_publish(user_id="U1", view=home)
    assert first["view"]["id"] == again["view"]["id"]
    with pytest.raises(SlackApiError) as err:
        await client.views_open(trigger_id="trig-1", view=view)
    assert err.value.response["error"] == "exchanged_trigger_id"
    assert any("trig-1" in v for v in slack.take_violations())


# ---- waiting ----------------------------------------------------------------------------------


async def test_wait_for_wakes_up_when_the_call_arrives(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await client.chat_postMessage(channel="C1", text="a")
        await client.chat_postMessage(channel="C1", text="b")

    task = asyncio.create_task(later())
    calls = await slack.wait_for("chat.postMessage", count=2, timeout=2)
    assert [c.args["text"] for c in calls] == ["a", "b"]
    await task


async def test_wait_for_timeout_lists_methods_seen(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    await client.auth_test()
    with pytest.raises(AssertionError, match=r"chat\.postMessage.*auth\.test"):
        await slack.wait_for("chat.postMessage", timeout=0.1)
    slack.clear()
    assert slack.calls == []


async def test_unknown_method_and_missing_token_are_violations(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    with pytest.raises(SlackApiError) as err:
        await client.api_call("northstar.magic")
    assert err.value.response["error"] == "unknown_method"
    with pytest.raises(SlackApiError) as err:
        await AsyncWebClient(base_url=slack.api_url).chat_postMessage(channel="C1", text="x")
    assert err.value.response["error"] == "not_authed"
    with pytest.raises(AssertionError, match=r"(?s)2 violation.*northstar\.magic"):
        slack.assert_no_violations()
    assert len(slack.take_violations()) == 2
    slack.assert_no_violations()
    assert [c.method for c in slack.calls] == ["northstar.magic", "chat.postMessage"]


# ---- fault injection ------------------------------------------------------------------------


async def test_rate_limit_is_retried_by_the_sdk_retry_handler(slack: FakeSlack) -> None:
    retrying = AsyncWebClient(
        base_url=slack.api_url,
        token="xoxb-test",
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.inject("chat.postMessage", retry_after=0)
    started = time.monotonic()
    resp = await retrying.chat_postMessage(channel="C1", text="hi")
    assert resp["ok"] is True
    assert time.monotonic() - started < 1.5  # Retry-After 0 -> SDK sleeps 0 + random() s
    assert [c.injected for c in slack.calls_to("chat.postMessage")] == [True, False]


async def test_rate_limit_without_retry_handler_surfaces_429(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.inject("users.list", retry_after=30)
    with pytest.raises(SlackApiError) as err:
        await client.users_list(limit=10)
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "30"
    assert err.value.response["error"] == "ratelimited"
    assert (await client.users_list(limit=10))["ok"] is True


async def test_injected_errors_and_statuses(slack: FakeSlack, client: AsyncWebClient) -> None:
    slack.inject("chat.postMessage", error="not_in_channel", times=2)
    slack.inject("users.info", status=500)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            await client.chat_postMessage(channel="C1", text="hi")
        assert err.value.response["error"] == "not_in_channel"
    assert (await client.chat_postMessage(channel="C1", text="hi"))["ok"] is True
    with pytest.raises(SlackApiError) as err:
        await client.users_info(user="U1")
    assert err.value.response.status_code == 500
    assert [c.injected for c in slack.calls] == [True, True, False, True]
    with pytest.raises(ValueError):
        slack.inject("auth.test")


# ---- users -------------------------------------------------------------------------------------


async def test_users_list_pages_with_limit_and_cursor(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    for i in range(7):
        slack.add_user(f"U{i:03d}")
    seen: list[str] = []
    cursors: list[str] = []
    async for page in await client.users_list(limit=3):
        seen += [m["id"] for m in page["members"]]
        cursors.append(page["response_metadata"]["next_cursor"])
    assert seen == [f"U{i:03d}" for i in range(7)]
    assert len(slack.calls_to("users.list")) == 3
    assert cursors[-1] == "" and all(cursors[:-1])
    assert [c.args.get("cursor") for c in slack.calls_to("users.list")] == [None, *cursors[:-1]]
    with pytest.raises(SlackApiError) as err:
        await client.users_list(cursor="not a cursor!")
    assert err.value.response["error"] == "invalid_cursor"


async def test_users_list_caps_limit_at_1000(slack: FakeSlack, client: AsyncWebClient) -> None:
    for i in range(1001):
        slack.add_user(f"U{i:05d}")
    page = await client.users_list(limit=5000)
    assert len(page["members"]) == 1000
    assert page["response_metadata"]["next_cursor"] != ""


async def test_add_user_and_users_info(slack: FakeSlack, client: AsyncWebClient) -> None:
    made = slack.add_user(
        "U1",
        name="ada",
        real_name="Ada Lovelace",
        display_name="Ada",
        tz="America/New_York",
        is_admin=True,
    )
    got = (await client.users_info(user="U1"))["user"]
    assert got == made
    assert (got["real_name"], got["profile"]["real_name"], got["profile"]["display_name"]) == (
        "Ada Lovelace",
        "Ada Lovelace",
        "Ada",
    )
    assert (got["tz"], got["is_admin"], got["deleted"], got["team_id"]) == (
        "America/New_York",
        True,
        False,
        "T0001",
    )
    assert "display_name" not in got
    with pytest.raises(SlackApiError) as err:
        await client.users_info(user="U404")
    assert err.value.response["error"] == "user_not_found"


# ---- Block Kit ---------------------------------------------------------------------------------

Send = Callable[[AsyncWebClient], Awaitable[Any]]
big_select = {
    "type": "static_select",
    "action_id": "pick",
    "options": [option(i) for i in range(101)],
}
BAD_REQUESTS: dict[str, tuple[Send, str, str]] = {
    "too many blocks": (
        lambda c: c.chat_postMessage(channel="C1", text="t", blocks=[{"type": "divider"}] * 51),
        "invalid_blocks",
        "51 blocks in a message (max 50)",
    ),
    "no text fallback": (
        lambda c: c.chat_postMessage(channel="C1", blocks=[section("hi")]),
        "no_text",
        "without a top-level `text` fallback",
    ),
    "blocks too long overall": (
        lambda c: c.chat_postMessage(channel="C1", text="t", blocks=[section("x" * 2500)] * 5),
        "msg_blocks_too_long",
        "12500 text chars",
    ),
    "text too long": (
        lambda c: c.chat_postMessage(channel="C1", text="x" * 40_001),
        "msg_too_long",
        "40001",
    ),
    "section text": (
        lambda c: c.chat_update(channel="C1", ts="1.0", text="t", blocks=[section("x" * 3001)]),
        "invalid_blocks",
        "text.text is 3001 chars (max 3000)",
    ),
    "too many options": (
        lambda c: c.chat_postEphemeral(
            channel="C1",
            user="U1",
            text="t",
            blocks=[{"type": "actions", "elements": [big_select]}],
        ),
        "invalid_blocks",
        "options has 101 items",
    ),
    "duplicate block_id": (
        lambda c: c.chat_postMessage(
            channel="C1", text="t", blocks=[section("a", block_id="b"), section("b", block_id="b")]
        ),
        "invalid_blocks",
        "block_id 'b' is not unique",
    ),
    "unknown block": (
        lambda c: c.chat_postMessage(channel="C1", text="t", blocks=[{"type": "fancy"}]),
        "invalid_blocks",
        "unknown block type 'fancy'",
    ),
    "confirm title (slack_sdk check)": (
        lambda c: c.chat_postMessage(
            channel="C1",
            text="t",
            blocks=[
                section(
                    "a",
                    accessory={
                        "type": "button",
                        "action_id": "go",
                        "text": plain("Go"),
                        "confirm": {
                            "title": plain("T" * 101),
                            "text": plain("Sure?"),
                            "confirm": plain("Yes"),
                            "deny": plain("No"),
                        },
                    },
                )
            ],
        ),
        "invalid_blocks",
        "slack_sdk: ",
    ),
    "modal title": (
        lambda c: c.views_open(
            trigger_id="t1", view={**modal(section("a")), "title": plain("A" * 25)}
        ),
        "invalid_arguments",
        "view.title.text is 25 chars (max 24)",
    ),
    "modal input without submit": (
        lambda c: c.views_open(trigger_id="t2", view=modal(INPUT_BLOCK)),
        "invalid_arguments",
        "has no submit",
    ),
    "text input max_length": (
        lambda c: c.views_push(
            trigger_id="t3",
            view=modal(
                {**INPUT_BLOCK, "element": {"type": "plain_text_input", "max_length": 3001}},
                submit=plain("Save"),
            ),
        ),
        "invalid_blocks",
        "max_length must be within 1..3000",
    ),
    "home tab with submit": (
        lambda c: c.views_publish(
            user_id="U1", view={"type": "home", "submit": plain("x"), "blocks": [section("a")]}
        ),
        "invalid_arguments",
        "home tab cannot have submit",
    ),
    "empty text": (
        lambda c: c.chat_postMessage(
            channel="C1", text="t", blocks=[{"type": "header", "text": plain("")}]
        ),
        "invalid_blocks",
        "text must be a non-empty string",
    ),
}


@pytest.mark.parametrize("case", list(BAD_REQUESTS))
async def test_block_kit_violations_are_refused_and_recorded(
    slack: FakeSlack, client: AsyncWebClient, case: str
) -> None:
    send, code, needle = BAD_REQUESTS[case]
    with pytest.raises(SlackApiError) as err, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # slack_sdk warns about missing `text`
        await send(client)
    assert err.value.response["error"] == code
    assert any(needle in m for m in err.value.response["response_metadata"]["messages"])
    violations = slack.take_violations()
    assert any(needle in v for v in violations), violations
    assert violations[0].startswith(slack.calls[-1].method + ": ")


async def test_delete_original_excuses_only_a_response_url_reply(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    too_long = {"text": "x", "blocks": [section("x" * 3001)], "delete_original": True}
    with pytest.raises(SlackApiError):
        await client.api_call("chat.postMessage", json={"channel": "C1", **too_long})
    assert slack.take_violations()
    hook = AsyncWebhookClient(slack.response_url("gone"))
    assert (await hook.send_dict({"delete_original": True})).status_code == 200


async def test_valid_rich_surfaces_pass(client: AsyncWebClient) -> None:
    rich = [
        {"type": "header", "text": plain("Weekly alignment digest")},
        section(
            "*Goals on track:* 4 of 5",
            fields=[plain(f"KPI {i}") for i in range(10)],
            accessory={
                "type": "button",
                "text": plain("Open"),
                "action_id": "open",
                "value": "g1",
                "style": "primary",
            },
        ),
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "Updated today"},
                {"type": "image", "image_url": "https://x.test/a.png", "alt_text": "logo"},
            ],
        },
        {"type": "divider"},
        {
            "type": "actions",
            "block_id": "pick",
            "elements": [
                {
                    "type": "static_select",
                    "action_id": "goal",
                    "placeholder": plain("Pick"),
                    "options": [option(i) for i in range(100)],
                    "initial_option": option(3),
                },
                {"type": "users_select", "action_id": "owner", "placeholder": plain("Owner")},
            ],
        },
    ]
    await client.chat_postMessage(channel="C1", text="Weekly digest", blocks=rich)
    select_input = {
        "type": "input",
        "block_id": "goal",
        "label": plain("Goal"),
        "optional": True,
        "element": {
            "type": "multi_static_select",
            "action_id": "g",
            "option_groups": [{"label": plain("Team"), "options": [option(1), option(2)]}],
        },
    }
    view = modal(
        INPUT_BLOCK,
        select_input,
        section("Thanks"),
        submit=plain("Save"),
        close=plain("Cancel"),
        private_metadata="x" * 3000,
        callback_id="checkin",
    )
    await client.views_open(trigger_id="t", view=view)
    home = [section(f"Goal {i}", block_id=f"goal-{i}") for i in range(95)] + rich
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": home})


def test_validators_are_pure_functions() -> None:
    assert validate_message({"text": "plain message"}) == []
    assert validate_message({"text": "t", "blocks": [section("ok")] * 50}) == []
    [problem] = validate_message({"text": "t", "blocks": [{"type": "divider"}] * 51})
    assert problem.error == "invalid_blocks"
    assert validate_view(modal(section("ok"))) == []
    assert [v.error for v in validate_view({"type": "home", "blocks": [section("x")] * 101})]
    too_big = validate_view(modal(section("x" * 3000), private_metadata="y" * 250_000))
    assert "view_too_large" in [v.error for v in too_big]


# ---- response_url and files --------------------------------------------------------------------


async def test_response_url_records_posts(slack: FakeSlack) -> None:
    hook = AsyncWebhookClient(slack.response_url("checkin"))
    resp = await hook.send(text="Saved", response_type="ephemeral", blocks=[section("Saved")])
    assert (resp.status_code, resp.body) == (200, "ok")
    [call] = await slack.wait_for("response_url")
    assert call.args == {
        "text": "Saved",
        "response_type": "ephemeral",
        "blocks": [section("Saved")],
        "_name": "checkin",
    }
    bad = await hook.send(blocks=[section("no fallback")])
    assert bad.status_code == 400
    assert "response_url(checkin): " in slack.take_violations()[0]
    for _ in range(3):
        assert (await hook.send(text="again")).status_code == 200
    assert (await hook.send(text="sixth")).status_code == 404  # Slack allows 5 uses
    assert "used more than 5 times" in slack.take_violations()[0]


async def test_messages_checked_later_are_still_checked(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.check_messages_later = True
    hook = AsyncWebhookClient(slack.response_url("burst"))
    assert (await hook.send(text="Fine", blocks=[section("Fine")])).status_code == 200
    assert (await hook.send(blocks=[section("no fallback")])).status_code == 200  # not yet
    too_long = [section("x" * 3001)]  # a section's text holds 3,000 characters
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # slack_sdk warns about missing `text`
        for post in (client.chat_postMessage, client.chat_postEphemeral):
            answer = await post(channel="C1", user="U1", blocks=too_long)  # not yet either
            assert answer["ok"]
        await client.chat_update(channel="C1", ts=answer["message_ts"], blocks=too_long)
    await client.chat_postMessage(channel="C1", text="Fine", blocks=[section("Fine")])
    assert not slack.violations
    slack.check_messages_now()
    violations = slack.take_violations()
    assert list(dict.fromkeys(v.split(": ")[0] for v in violations)) == [
        "response_url(burst)",
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
    ], violations
    slack.check_messages_now()  # each message is checked once
    assert not slack.violations


async def test_files_upload_v2_round_trip(slack: FakeSlack, client: AsyncWebClient) -> None:
    content = b"goal,progress\nrevenue,0.4\n"
    resp = await client.files_upload_v2(
        content=content,
        filename="report.csv",
        channel="C1",
        title="Report",
        initial_comment="Here it is",
    )
    file_id = resp["file"]["id"]
    assert slack.uploads[file_id] == content
    assert resp["file"]["title"] == "Report"
    assert resp["file"]["channels"] == ["C1"]
    [get_url] = slack.calls_to("files.getUploadURLExternal")
    assert get_url.args == {"filename": "report.csv", "length": str(len(content))}
    [complete] = slack.calls_to("files.completeUploadExternal")
    assert complete.args["files"] == [{"id": file_id, "title": "Report"}]
    assert complete.args["channel_id"] == "C1"


# ---- Socket Mode -------------------------------------------------------------------------------


async def test_hello_message_on_connect(slack: FakeSlack, client: AsyncWebClient) -> None:
    url = (
        await AsyncWebClient(base_url=slack.api_url).apps_connections_open(app_token="xapp-test")
    )["url"]
    assert url == slack.api_url.replace("http://", "ws://").replace("/api/", "/socket-mode")
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        hello = await ws.receive_json(timeout=2)
        assert hello["type"] == "hello"
        assert hello["num_connections"] == 1
        assert hello["connection_info"] == {"app_id": "A0001"}
        assert "host" in hello["debug_info"]
        with pytest.raises(SlackApiError) as err:  # a bot token cannot open connections
            await client.apps_connections_open(app_token="xoxb-test")
        assert err.value.response["error"] == "not_allowed_token_type"
        assert slack.socket_mode.connections == 1
    await slack.wait_disconnected()
    assert slack.socket_mode.connections == 0
    assert "apps.connections.open: needs an app-level" in slack.take_violations()[0]


async def test_socket_mode_round_trip_with_sdk_client(slack: FakeSlack) -> None:
    received: list[SocketModeRequest] = []

    async def listener(client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        await client.send_socket_mode_response(
            SocketModeResponse(envelope_id=req.envelope_id, payload={"text": "pong"})
        )

    sm = SocketModeClient(app_token="xapp-test", web_client=AsyncWebClient(base_url=slack.api_url))
    sm.socket_mode_request_listeners.append(listener)
    try:
        await sm.connect()  # type: ignore[no-untyped-call]
        await slack.wait_connected()
        payload = {"command": "/northstar", "text": "ping", "user_id": "U1"}
        ack = await slack.send_envelope("slash_commands", payload)
        assert ack == {"envelope_id": received[0].envelope_id, "payload": {"text": "pong"}}
        assert (received[0].type, received[0].payload) == ("slash_commands", payload)
        assert received[0].accepts_response_payload is True
        assert received[0].retry_attempt == 0
        [open_call] = slack.calls_to("apps.connections.open")
        assert open_call.token == "xapp-test"

        await slack.socket_mode.send_disconnect()  # the SDK must fetch a new URL and reconnect
        await slack.wait_for("apps.connections.open", count=2)
        await slack.wait_connected(accepted=2)
        ack = await slack.send_envelope("events_api", {"event": {"type": "app_home_opened"}})
        assert ack["envelope_id"] == received[1].envelope_id
        assert slack.socket_mode.connection_count == 2
    finally:
        await sm.close()  # type: ignore[no-untyped-call]
    await slack.wait_disconnected()


async def test_send_envelope_without_ack_times_out(slack: FakeSlack) -> None:
    sm = SocketModeClient(app_token="xapp-test", web_client=AsyncWebClient(base_url=slack.api_url))
    try:
        await sm.connect()  # type: ignore[no-untyped-call]
        with pytest.raises(AssertionError, match="did not acknowledge interactive"):
            await slack.send_envelope("interactive", {"type": "block_actions"}, timeout=0.2)
    finally:
        await sm.close()  # type: ignore[no-untyped-call]
    with pytest.raises(AssertionError, match="no Socket Mode client did connect"):
        await slack.send_envelope("interactive", {}, timeout=0.2)


async def test_bolt_app_over_socket_mode(slack: FakeSlack, client: AsyncWebClient) -> None:
    app = AsyncApp(client=client)

    @app.command("/northstar")
    async def command(ack: AsyncAck, respond: AsyncRespond) -> None:
        await ack(text="Working on it")
        await respond(text="Done", blocks=[section("*Done*")])

    handler = AsyncSocketModeHandler(app, app_token="xapp-test")
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        ack = await slack.send_envelope(
            "slash_commands",
            {
                "command": "/northstar",
                "text": "",
                "user_id": "U1",
                "team_id": "T0001",
                "channel_id": "C1",
                "trigger_id": "trig",
                "api_app_id": "A0001",
                "response_url": slack.response_url("northstar"),
            },
        )
        assert ack["payload"] == {"text": "Working on it"}
        [call] = await slack.wait_for("response_url")
        assert (call.args["_name"], call.args["text"]) == ("northstar", "Done")
        assert slack.calls_to("auth.test"), "Bolt authorizes with auth.test first"
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
