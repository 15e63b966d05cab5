"""Every retry of a Web API call is said in the log at INFO: the method and why, never the
payload. The SDK says its own only while its client's logger has no level of its own, and
``quiet_payload_loggers`` (run by ``northstar`` at start) gives it one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.core.anonymity import quiet_payload_loggers
from bot.slack.client import build_web_client
from bot.slack.connections import webhook_client
from bot.slack.fanout import retry_after_pause
from bot.slack.retries import what_was_called
from fakeslack import FakeSlack
from tests.reliability.helpers import instant_retries

PERSON = "U0PRIVATE1"  # a DM's recipient: in the payload, never in the log
TEXT = "How was your week?"


@pytest.fixture
def quieted(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    """INFO captured, the payload loggers quieted as ``northstar`` does (the levels are put
    back after each test by ``tests/conftest.py``), and the retries' waits recorded, not
    slept."""
    caplog.set_level(logging.INFO)
    quiet_payload_loggers()
    instant_retries(monkeypatch)
    return caplog


def retry_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if "trying again" in record.message]


def assert_no_payload_logged(caplog: pytest.LogCaptureFixture) -> None:
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert PERSON not in logged
    assert TEXT not in logged
    assert "A retry handler found" not in logged  # the SDK's own line, quieted with the rest


async def test_a_429_and_a_5xx_are_retried_and_each_retry_said(
    fake_slack: FakeSlack, quieted: pytest.LogCaptureFixture
) -> None:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    fake_slack.inject("chat.postMessage", retry_after=0)
    fake_slack.inject("chat.postMessage", status=503)

    answer = await client.chat_postMessage(channel=PERSON, text=TEXT)

    assert answer["ok"]
    assert retry_lines(quieted) == [
        "Slack chat.postMessage: HTTP 429; trying again (the call's retry 1, at most 3)",
        "Slack chat.postMessage: HTTP 503; trying again (the call's retry 2, at most 2)",
    ]
    assert_no_payload_logged(quieted)


async def test_the_fan_outs_shared_pause_says_its_retries_too(
    fake_slack: FakeSlack, quieted: pytest.LogCaptureFixture
) -> None:
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    retry_after_pause(client)  # what every fan-out puts in place of the 429 retry
    fake_slack.inject("chat.postMessage", retry_after=0, times=2)

    await client.chat_postMessage(channel=PERSON, text=TEXT)

    assert retry_lines(quieted) == [
        "Slack chat.postMessage: HTTP 429; trying again (the call's retry 1, at most 3)",
        "Slack chat.postMessage: HTTP 429; trying again (the call's retry 2, at most 3)",
    ]
    assert_no_payload_logged(quieted)


@pytest.fixture
async def hanging_up() -> AsyncIterator[str]:
    """The base URL of a server that reads each request whole, then closes the connection
    without an answer."""

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lengths = [
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ]
        await reader.readexactly(lengths[0] if lengths else 0)
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


async def test_a_dropped_connection_is_retried_once_and_said(
    hanging_up: str, quieted: pytest.LogCaptureFixture
) -> None:
    client = build_web_client(token="xoxb-test", base_url=hanging_up + "/api/")

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.chat_postMessage(channel=PERSON, text=TEXT)

    assert retry_lines(quieted) == [
        "Slack chat.postMessage: ServerDisconnectedError; trying again (the call's retry 1,"
        " at most 1)"
    ]
    assert_no_payload_logged(quieted)


async def test_a_reply_to_a_response_url_says_its_retry_without_the_url(
    hanging_up: str, quieted: pytest.LogCaptureFixture
) -> None:
    secret_path = "/actions/T0001/123456/aSecretPartOfTheUrl"

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await webhook_client(hanging_up + secret_path).send(text=TEXT)

    assert retry_lines(quieted) == [
        "Slack response URL: ServerDisconnectedError; trying again (the call's retry 1, at most 1)"
    ]
    assert "aSecretPartOfTheUrl" not in "\n".join(r.getMessage() for r in quieted.records)
    assert_no_payload_logged(quieted)


def test_only_a_web_api_method_is_named() -> None:
    assert what_was_called("https://slack.com/api/chat.postMessage") == "chat.postMessage"
    assert what_was_called("https://hooks.slack.com/actions/T1/2/x?y=1") == "response URL"
    assert what_was_called("https://hooks.slack.com/commands/T1/2/x") == "response URL"
    assert what_was_called("https://files.slack.com/upload/v1/CwABAAAA") == "file upload"
