"""Every retry of a Web API call is said in the log at INFO: the method and why, never the
payload. The SDK says its own only while its client's logger has no level of its own, and
``quiet_payload_loggers`` (run by ``northstar`` at start) gives it one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from bot.core.anonymity import PAYLOAD_LOGGERS, PAYLOAD_TEXT_LOGGERS, quiet_payload_loggers
from bot.slack.client import build_web_client
from bot.slack.fanout import retry_after_pause
from fakeslack import FakeSlack

PERSON = "U0PRIVATE1"  # a DM's recipient: in the payload, never in the log
TEXT = "How was your week?"


@pytest.fixture
def quieted(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """INFO captured, the payload loggers quieted as ``northstar`` does; their levels restored
    afterwards."""
    loggers = [logging.getLogger(name) for name in (*PAYLOAD_LOGGERS, *PAYLOAD_TEXT_LOGGERS)]
    before = [library_logger.level for library_logger in loggers]
    caplog.set_level(logging.INFO)
    quiet_payload_loggers()
    yield caplog
    for library_logger, level in zip(loggers, before, strict=True):
        library_logger.setLevel(level)


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
    """The API URL of a server that closes every connection as soon as a request arrives."""

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readline()
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}/api/"


async def test_a_dropped_connection_is_retried_once_and_said(
    hanging_up: str, quieted: pytest.LogCaptureFixture
) -> None:
    client = build_web_client(token="xoxb-test", base_url=hanging_up)

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.chat_postMessage(channel=PERSON, text=TEXT)

    assert retry_lines(quieted) == [
        "Slack chat.postMessage: ServerDisconnectedError; trying again (the call's retry 1,"
        " at most 1)"
    ]
    assert_no_payload_logged(quieted)
