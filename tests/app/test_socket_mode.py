"""Socket Mode: a slash-command envelope over a local websocket is acknowledged and answered."""

from __future__ import annotations

from urllib.parse import parse_qsl

from bot.app.factory import build_app
from bot.app.socket_mode import SocketModeConnection
from bot.core.runtime import Runtime
from fakeslack import FakeSlack
from tests.slack_requests import command_body


async def test_slash_command_envelope_is_acked_and_answered(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    connection = SocketModeConnection(build_app(runtime), "xapp-1-test")
    await connection.start()
    try:
        await fake_slack.wait_connected()
        payload = dict(
            parse_qsl(command_body("vision Sockets work", response_url=fake_slack.response_url()))
        )
        ack = await fake_slack.send_envelope("slash_commands", payload)
        assert set(ack) == {"envelope_id"}  # an empty ack, sent before the work is done
        reply = (await fake_slack.wait_for("response_url"))[0].args
        assert "Sockets work" in reply["text"]
        assert reply["response_type"] == "ephemeral"
        opened = fake_slack.calls_to("apps.connections.open")
        assert opened and opened[0].token == "xapp-1-test"
        await fake_slack.wait_for("views.publish")  # the admin's Home shows the new vision
    finally:
        await connection.stop()
    await fake_slack.wait_disconnected()
