"""Socket Mode: envelopes over a local websocket are acknowledged and answered; the connection
survives Slack's reconnect requests, drops and errors, and stops on a refused token."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from urllib.parse import parse_qsl

import aiohttp
import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.socket_mode.request import SocketModeRequest
from yarl import URL

from bot.app import socket_mode
from bot.app.factory import build_app
from bot.app.socket_mode import SlackRefusedToken, SocketModeConnection, describe, retry_delays
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.slack_requests import command_body


async def test_slash_command_envelope_is_acked_and_answered(
    runtime: Runtime, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = runtime.after_ack  # as bot.app.process passes it
    answering: list[int] = []
    dispatch = run_async_bolt_app

    async def counted_dispatch(app: AsyncApp, request: SocketModeRequest) -> BoltResponse:
        answering.append(gate.answering)
        response: BoltResponse = await dispatch(app, request)
        return response

    monkeypatch.setattr(socket_mode, "run_async_bolt_app", counted_dispatch)
    connection = SocketModeConnection(build_app(runtime), "xapp-1-test", gate=gate)
    await connection.start()
    try:
        await fake_slack.wait_connected()
        payload = dict(
            parse_qsl(command_body("vision Sockets work", response_url=fake_slack.response_url()))
        )
        gate.acks_first = 30.0
        with contextlib.ExitStack() as other_request:
            other_request.enter_context(gate.answering_request())  # waiting for its ack
            ack = await fake_slack.send_envelope("slash_commands", payload)
            assert set(ack) == {"envelope_id"}  # an empty ack, sent before the work is done
            await asyncio.sleep(0.05)
            assert answering == [2]  # the envelope counted while Bolt answered it
            assert gate.answering == 1 and gate.waiting == 1  # acks first, then the work
        reply = (await fake_slack.wait_for("response_url"))[0].args
        assert "Sockets work" in reply["text"]
        assert reply["response_type"] == "ephemeral"
        opened = fake_slack.calls_to("apps.connections.open")
        assert opened and opened[0].token == "xapp-1-test"
        await fake_slack.wait_for("views.publish")  # the admin's Home shows the new vision
    finally:
        await connection.stop()
    await fake_slack.wait_disconnected()


async def test_reconnects_when_slack_asks_and_when_the_socket_drops(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    connection = SocketModeConnection(build_app(runtime), "xapp-1-test", first_retry=0.01)
    await connection.start()
    try:
        await fake_slack.wait_connected()
        await fake_slack.socket_mode.send_disconnect()  # Slack rotates its hosts
        await fake_slack.wait_connected(accepted=2)
        await fake_slack.socket_mode.close()  # the server goes away under the open socket
        await fake_slack.wait_connected(accepted=3)
        assert fake_slack.socket_mode.connections == 1  # the old sockets are not kept open
        payload = dict(parse_qsl(command_body("help", response_url=fake_slack.response_url())))
        ack = await fake_slack.send_envelope("slash_commands", payload)
        assert set(ack) == {"envelope_id"}
        assert len(fake_slack.calls_to("apps.connections.open")) == 3  # a fresh URL each time
    finally:
        await connection.stop()
    await fake_slack.wait_disconnected()


async def test_connections_that_drop_at_once_back_off_instead_of_a_reconnect_storm(
    runtime: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    connection = SocketModeConnection(build_app(runtime), "xapp-1-test", first_retry=0.01)
    await connection.start()
    try:
        await fake_slack.wait_connected()
        for accepted in (2, 3, 4):
            await fake_slack.socket_mode.close()  # dropped seconds after it opened, again
            await fake_slack.wait_connected(accepted=accepted)
    finally:
        await connection.stop()
    await fake_slack.wait_disconnected()
    waits = [r.getMessage() for r in caplog.records if "soon after it opened" in r.getMessage()]
    assert [line.rsplit(" in ", 1)[1] for line in waits] == ["0.01 s", "0.02 s", "0.04 s"]


async def test_slack_errors_are_retried_with_back_off_one_line_each(
    runtime: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake_slack.inject("auth.test", status=503)
    fake_slack.inject("apps.connections.open", error="internal_error", times=2)
    connection = SocketModeConnection(build_app(runtime), "xapp-1-test", first_retry=0.01)
    await connection.start()
    try:
        await fake_slack.wait_connected()
        await asyncio.wait_for(connection.verified.wait(), 1)
    finally:
        await connection.stop()
    lines = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert lines == [
        "cannot reach Slack: Slack answered HTTP 503; trying again in 0.01 s",
        "cannot reach Slack: Slack answered internal_error; trying again in 0.01 s",
        "cannot reach Slack: Slack answered internal_error; trying again in 0.02 s",
    ]
    assert not any(record.exc_info for record in caplog.records)
    assert "xapp-1-test" not in caplog.text


@pytest.mark.parametrize(
    ("method", "variable"),
    [("auth.test", "SLACK_BOT_TOKEN"), ("apps.connections.open", "SLACK_APP_TOKEN")],
)
async def test_a_refused_token_stops_the_connection_without_retrying(
    runtime: Runtime, fake_slack: FakeSlack, method: str, variable: str
) -> None:
    stopped: asyncio.Queue[BaseException] = asyncio.Queue()
    fake_slack.inject(method, error="invalid_auth", times=10)
    connection = SocketModeConnection(
        build_app(runtime), "xapp-1-test", on_stopped=stopped.put_nowait, first_retry=0.01
    )
    await connection.start()
    try:
        error = await asyncio.wait_for(stopped.get(), 5)
    finally:
        await connection.stop()
    assert isinstance(error, SlackRefusedToken)
    assert str(error) == f"Slack refused the token: invalid_auth, check {variable}"
    assert len(fake_slack.calls_to(method)) == 1
    assert fake_slack.socket_mode.connection_count == 0
    assert connection.verified.is_set() is (method != "auth.test")


def test_retry_delays_double_up_to_a_minute() -> None:
    delays = retry_delays()
    assert [next(delays) for _ in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


async def test_rate_limited_connection_waits_as_long_as_slack_asks(
    runtime: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.inject("apps.connections.open", retry_after=1)
    connection = SocketModeConnection(build_app(runtime), "xapp-1-test", first_retry=0.01)
    await connection.start()
    try:
        await fake_slack.wait_connected()
    finally:
        await connection.stop()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["cannot reach Slack: Slack answered ratelimited; trying again in 1 s"]


def test_a_refused_websocket_handshake_is_described_without_its_ticket() -> None:
    url = URL("wss://wss-primary.slack.com/link/?ticket=secret-ticket&app_id=A1")
    info = aiohttp.RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    error = aiohttp.WSServerHandshakeError(info, (), status=401, message="Invalid response")
    assert "secret-ticket" in str(error)  # what aiohttp would have logged
    assert describe(error) == "Slack answered HTTP 401"
