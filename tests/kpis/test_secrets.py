"""A KPI source's header sends only a ``NORTHSTAR_KPI_SECRET_*`` variable, set only by admins.

Today's attack, end to end: a member who owns a KPI names ``SLACK_SIGNING_SECRET`` (or any
other server secret) as the header's value, points the source at their own server and presses
Sync now. Each test below fails on the code before the prefix rule.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.runtime import Runtime
from bot.kpis.blocks.modal import Field
from bot.kpis.secrets import read_kpi_secrets
from fakeslack import FakeSlack
from tests.kpis.helpers import answers, inline_errors, kpi_row, make_kpi, open_form, submit
from tests.kpis.http_source_server import Reply, SourceServer
from tests.reliability.helpers import click
from tests.slack_requests import ADMIN_ID, MEMBER_ID, SlackSender

SERVER_SECRETS = (
    "SLACK_SIGNING_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_CLIENT_SECRET",
    "NORTHSTAR_SECRET_KEY",
    "DATABASE_URL",
)


@pytest.fixture
async def server(runtime: Runtime) -> AsyncIterator[SourceServer]:
    runtime.settings = runtime.settings.model_copy(update={"northstar_allow_private_urls": True})
    async with SourceServer() as source_server:
        source_server.reply("/metrics", lambda hit: Reply.json({"total": 7}))
        yield source_server


def header_form(url: str, secret_env: str) -> dict[str, str | None]:
    return answers(source="json", url=url, path="total", header="X-Api-Key", secret_env=secret_env)


async def sync_now(slack: SlackSender, fake_slack: FakeSlack, kpi_id: int, user: str) -> str:
    before = len(fake_slack.calls_to("response_url"))
    response, _ = await click(slack, "kpi_sync_now", str(kpi_id), user_id=user)
    assert response.status_code == 200
    return str((await fake_slack.wait_for("response_url", before + 1))[-1].args["text"])


@pytest.mark.parametrize("variable", SERVER_SECRETS)
async def test_a_member_cannot_send_a_server_secret_to_their_own_server(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, "server-secret-value")
    view = await open_form(slack, fake_slack, user=MEMBER_ID)
    errors = inline_errors(
        await submit(slack, view, header_form(server.url("/metrics"), variable), user=MEMBER_ID)
    )
    assert "cannot hold a header's value" in errors[Field.HEADER.value]
    assert await kpi_row(runtime, 1) is None  # nothing stored

    # Even stored by other means (a source saved before the rule), it is never read.
    source = {
        "kind": "json",
        "url": server.url("/metrics"),
        "path": "total",
        "header_name": "X-Api-Key",
        "secret_env": variable,
    }
    kpi = await make_kpi(runtime, owner=MEMBER_ID, source=source)
    assert kpi.id is not None
    said = await sync_now(slack, fake_slack, kpi.id, MEMBER_ID)
    assert "could not be synced" in said and "server-secret-value" not in said
    assert server.hits == []


async def test_only_admins_set_a_header_and_members_keep_or_drop_it(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, server: SourceServer
) -> None:
    url = server.url("/metrics")
    allowed = "NORTHSTAR_KPI_SECRET_METRICS"
    view = await open_form(slack, fake_slack, user=MEMBER_ID)
    errors = inline_errors(await submit(slack, view, header_form(url, allowed), user=MEMBER_ID))
    assert errors == {Field.HEADER.value: errors[Field.HEADER.value]}
    assert "Only Northstar admins may set or change a header" in errors[Field.HEADER.value]
    assert await kpi_row(runtime, 1) is None

    view = await open_form(slack, fake_slack, user=ADMIN_ID)
    form = header_form(url, allowed) | {Field.OWNER.value: MEMBER_ID}
    assert inline_errors(await submit(slack, view, form, user=ADMIN_ID)) == {}
    kpi = await kpi_row(runtime, 1)
    assert kpi is not None and kpi.owner_id == MEMBER_ID

    # The owner may save the KPI with the admin's header unchanged ...
    view = await open_form(slack, fake_slack, "edit K-1", user=MEMBER_ID)
    kept = header_form(url, allowed) | {Field.NAME.value: "Renamed"}
    assert inline_errors(await submit(slack, view, kept, user=MEMBER_ID)) == {}
    # ... but not send the same secret to another address, nor name another variable.
    for changed in (
        header_form(server.url("/metrics", host="localhost"), allowed),
        header_form(url, "NORTHSTAR_KPI_SECRET_OTHER"),
    ):
        view = await open_form(slack, fake_slack, "edit K-1", user=MEMBER_ID)
        errors = inline_errors(await submit(slack, view, changed, user=MEMBER_ID))
        assert "Only Northstar admins" in errors[Field.HEADER.value]
    stored = await kpi_row(runtime, 1)
    assert stored is not None and stored.name == "Renamed"
    assert stored.source is not None and stored.source["url"] == url
    assert stored.source["secret_env"] == allowed
    # Removing the header is always allowed.
    view = await open_form(slack, fake_slack, "edit K-1", user=MEMBER_ID)
    plain = answers(source="json", url=url, path="total")
    assert inline_errors(await submit(slack, view, plain, user=MEMBER_ID)) == {}


def test_kpi_secrets_come_from_the_environment_and_the_env_file_and_nothing_else(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "NORTHSTAR_SECRET_KEY=not-for-kpis\n"
        "SLACK_SIGNING_SECRET=not-for-kpis\n"
        "NORTHSTAR_KPI_SECRET_FROM_FILE=file-value\n"
        "NORTHSTAR_KPI_SECRET_BOTH=file-loses\n"
        "NORTHSTAR_KPI_SECRET_EMPTY=\n",
        encoding="utf-8",
    )
    environ = {
        "DATABASE_URL": "postgresql+asyncpg://u:pw@db/x",
        "NORTHSTAR_KPI_SECRET_BOTH": "environment-wins",
        "northstar_kpi_secret_lower": "not-this",
    }
    assert read_kpi_secrets(environ, env_file) == {
        "NORTHSTAR_KPI_SECRET_FROM_FILE": "file-value",
        "NORTHSTAR_KPI_SECRET_BOTH": "environment-wins",
    }
    assert read_kpi_secrets(environ, tmp_path / "missing.env") == {
        "NORTHSTAR_KPI_SECRET_BOTH": "environment-wins"
    }


async def test_a_secret_from_the_env_file_reaches_the_source_and_errors_say_nothing_more(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
    tmp_path: Path,
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("NORTHSTAR_KPI_SECRET_METRICS=from-the-env-file\n", encoding="utf-8")
    runtime.kpi_secrets = read_kpi_secrets({}, env_file)
    known = {
        "kind": "json",
        "url": server.url("/metrics"),
        "path": "total",
        "header_name": "X-Api-Key",
        "secret_env": "NORTHSTAR_KPI_SECRET_METRICS",
    }
    kpi = await make_kpi(runtime, owner=MEMBER_ID, source=known)
    assert kpi.id is not None
    said = await sync_now(slack, fake_slack, kpi.id, MEMBER_ID)
    assert "synced" in said and "could not" not in said
    [hit] = server.hits
    assert hit.headers["x-api-key"] == "from-the-env-file"

    # A name that is not set gets the same words as a name that is set but unusable: nobody
    # learns which variables exist.
    runtime.kpi_secrets = {"NORTHSTAR_KPI_SECRET_BROKEN": "bad\nvalue"}
    replies = []
    for name in ("NORTHSTAR_KPI_SECRET_NOT_SET", "NORTHSTAR_KPI_SECRET_BROKEN"):
        other = await make_kpi(
            runtime, name=name, owner=MEMBER_ID, source=known | {"secret_env": name}
        )
        assert other.id is not None
        said = await sync_now(slack, fake_slack, other.id, MEMBER_ID)
        replies.append(said.replace(name, "X").replace(f"K-{other.number}", "K-n"))
    assert replies[0] == replies[1]
    assert "is not available" in replies[0]
    assert len(server.hits) == 1


async def test_a_stored_unprefixed_name_gets_the_same_words_whether_or_not_it_exists(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A source saved before the prefix rule stops working, and its error cannot be used to
    probe which variables the server has."""
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "server-secret-value")
    monkeypatch.delenv("NO_SUCH_VARIABLE_HERE", raising=False)
    replies = []
    for name in ("SLACK_SIGNING_SECRET", "NO_SUCH_VARIABLE_HERE", "NORTHSTAR_KPI_SECRET_UNSET"):
        source = {
            "kind": "json",
            "url": server.url("/metrics"),
            "path": "total",
            "header_name": "X-Api-Key",
            "secret_env": name,
        }
        kpi = await make_kpi(runtime, name=name, owner=MEMBER_ID, source=source)
        assert kpi.id is not None
        said = await sync_now(slack, fake_slack, kpi.id, MEMBER_ID)
        assert "server-secret-value" not in said
        replies.append(said.replace(name, "X").replace(f"K-{kpi.number}", "K-n"))
    # The words depend on the name's form only: an unprefixed name is refused as such, set or
    # not, and a prefixed one that is not set is "not available".
    assert replies[0] == replies[1]
    assert "cannot hold a header's value" in replies[0] and "NORTHSTAR_KPI_SECRET_" in replies[0]
    assert "is not available" in replies[2]
    assert server.hits == []
