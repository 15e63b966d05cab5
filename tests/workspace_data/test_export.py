"""``/align export``: a zip of CSVs in the admin's DM, anonymous data only in aggregate."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import select

from bot.align.commands import parse_align
from bot.align.service import run_align_command
from bot.core.request import RequestContext
from bot.core.runtime import Runtime
from bot.slack.client import build_web_client
from bot.slack.messages import Reply
from bot.workspace_data import texts
from bot.workspace_data.export_csv import Lookups, cell
from fakeslack import FakeSlack
from storage.db import transaction
from storage.models import FeedbackThread, Goal, Kpi, ReplyToken, SurveyAnswer
from storage.repositories.workspace_data import stream_export
from storage.repositories.workspace_export_queries import (
    DATA_SETS,
    NOT_EXPORTED,
)
from tests.digest.helpers import BLOCKERS, SALES, build_bakery
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender
from tests.workspace_data.helpers import (
    EXTRA_USER,
    MARK,
    OTHER_TEAM_ID,
    OTHER_USER,
    add_one_of_everything,
)

Tables = dict[str, list[dict[str, str]]]


async def export_world(runtime: Runtime) -> None:
    await build_bakery(runtime)
    await add_one_of_everything(runtime, TEAM_ID, EXTRA_USER)
    await add_one_of_everything(runtime, OTHER_TEAM_ID, OTHER_USER, words=MARK, number=7)


async def reply_to(
    slack: SlackSender, fake_slack: FakeSlack, text: str, user: str = ADMIN_ID
) -> str:
    """Send ``/align text``; the mrkdwn of the last ephemeral reply, after any interim one
    ("Preparing your export…") the handler may show first."""
    before = len(fake_slack.calls_to("response_url"))
    response = await slack.command(text, user_id=user)
    assert response.status_code == 200 and response.text == ""
    for count in (before + 1, before + 2):
        reply = (await fake_slack.wait_for("response_url", count))[-1].args
        assert reply["response_type"] == "ephemeral" and reply["text"]
        shown = str(reply["blocks"][0]["text"]["text"])
        if shown != texts.EXPORT_PREPARING:
            return shown
    raise AssertionError("only the interim reply arrived")


def unzip(fake_slack: FakeSlack) -> tuple[dict[str, Any], zipfile.ZipFile]:
    [(file_id, content)] = fake_slack.uploads.items()
    return fake_slack.files[file_id], zipfile.ZipFile(io.BytesIO(content))


def read_tables(archive: zipfile.ZipFile) -> Tables:
    return {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


async def test_admin_gets_a_zip_of_every_data_set_in_their_dm(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await export_world(runtime)
    reply = await reply_to(slack, fake_slack, "export")
    assert reply.startswith(":package: Your export is in your direct messages with Northstar")
    info, archive = unzip(fake_slack)
    assert info["channels"] == [f"D{ADMIN_ID}"] and info["name"].endswith(".zip")
    tables = read_tables(archive)
    assert set(tables) == {*DATA_SETS, "survey_results"}
    assert "README.txt" in archive.namelist()
    for name, rows in tables.items():  # the summary counts what the files hold
        assert f"• {name}.csv: {len(rows):,}" in info["initial_comment"]
    assert f"{len(tables)} CSV files, {sum(map(len, tables.values())):,} rows" in reply

    assert tables["workspace"][0]["team_id"] == TEAM_ID
    assert '"channel_id": "CDIGEST01"' in tables["workspace"][0]["settings"]
    goals = {row["number"]: row for row in tables["goals"]}
    assert goals["4"]["parent_number"] == "2" and goals["2"]["team"] == "Sales"
    assert len(tables["goal_updates"]) == 8 and len(tables["kpi_values"]) == 10
    answers = [row["answers"] for row in tables["checkin_answers"]]
    assert any(
        BLOCKERS[SALES[0]].replace("<", "&lt;") in a or BLOCKERS[SALES[0]] in a for a in answers
    )
    assert {row["team"] for row in tables["team_memberships"]} == {"Sales", "Ops", "Extra team"}
    threads = tables["feedback_threads"]
    assert [(t["code"], t["from_survey_comment"], t["author_revealed"]) for t in threads] == [
        ("0100", "true", "false")
    ]


async def test_surveys_leave_only_as_released_results(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await export_world(runtime)
    await reply_to(slack, fake_slack, "export")
    _, archive = unzip(fake_slack)
    tables = read_tables(archive)
    surveys = {row["title"]: row for row in tables["surveys"]}
    assert (surveys["Alignment pulse"]["invited"], surveys["Alignment pulse"]["answered"]) == (
        "9",
        "6",
    )
    results = tables["survey_results"]
    released = [row for row in results if row["survey_title"] == "Alignment pulse"]
    assert {"survey": "P-1", "measure": "responses", "value": "6"}.items() <= released[0].items()
    assert [row["measure"] for row in results if row["survey_title"] == "Kitchen pulse"] == [
        "withheld: fewer answers than its minimum of 4"
    ]
    assert [row["kind"] for row in results if row["survey_title"] == "Extra survey"] == ["withheld"]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    async with runtime.sessions() as session:
        answer_ids = (await session.exec(select(SurveyAnswer.id))).all()
        secrets = (await session.exec(select(ReplyToken.id, ReplyToken.sealed_author))).all()
        sealed = (await session.exec(select(FeedbackThread.sealed_author))).all()
    hidden = [*answer_ids, *(item for pair in secrets for item in pair), *sealed]
    hidden += ["Extra comment", "Extra feedback", "survey_invite", "xoxb-"]
    assert [item for item in hidden if item.encode() in everything] == []


async def test_nothing_of_another_workspace_is_exported(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await export_world(runtime)
    await reply_to(slack, fake_slack, "export")
    _, archive = unzip(fake_slack)
    for name in archive.namelist():
        content = archive.read(name).decode()
        assert MARK not in content and OTHER_TEAM_ID not in content and OTHER_USER not in content


async def test_cells_cannot_run_as_formulas_and_kpi_sources_lose_their_secrets(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    await export_world(runtime)
    async with transaction(runtime.sessions) as session:
        goal = (await session.exec(select(Goal).where(Goal.number == 1))).one()
        goal.title = '=HYPERLINK("https://evil.test","x")'
        kpi = (await session.exec(select(Kpi).where(Kpi.number == 1))).one()
        kpi.source = {
            "kind": "json",
            "url": "https://user:pw@metrics.test/revenue?token=SECRET123",
            "path": "data.total",
            "header_name": "Authorization",
            "secret_env": "REVENUE_TOKEN",
        }
        session.add_all([goal, kpi])
    await reply_to(slack, fake_slack, "export")
    _, archive = unzip(fake_slack)
    tables = read_tables(archive)
    assert tables["goals"][0]["title"] == '\'=HYPERLINK("https://evil.test","x")'
    source = tables["kpis"][0]["source"]
    assert source.startswith("data.total in the JSON at https://metrics.test/revenue")
    assert b"SECRET123" not in archive.read("kpis.csv") and b"pw@" not in archive.read("kpis.csv")


@pytest.mark.parametrize("user", [MEMBER_ID])
async def test_only_admins_may_export(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, user: str
) -> None:
    await export_world(runtime)
    reply = await reply_to(slack, fake_slack, "export", user=user)
    assert reply.startswith(":no_entry: Only Northstar admins can export the workspace's data")
    assert fake_slack.uploads == {}


@pytest.mark.parametrize("text", ["export now", "export all of it", "export " + "x" * 3000])
async def test_export_takes_nothing_after_it(
    slack: SlackSender, fake_slack: FakeSlack, text: str
) -> None:
    reply = await reply_to(slack, fake_slack, text)
    assert reply == texts.EXPORT_TAKES_NOTHING
    assert fake_slack.uploads == {}


async def test_the_admin_is_told_it_is_coming_before_the_upload(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    await export_world(runtime)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    uploads_when_told: list[int] = []
    told: list[Reply] = []

    async def notify(reply: Reply) -> None:
        told.append(reply)
        uploads_when_told.append(len(fake_slack.calls_to("files.completeUploadExternal")))

    for user in (MEMBER_ID, ADMIN_ID):
        try:
            request = RequestContext(runtime=runtime, client=client, team_id=TEAM_ID, user_id=user)
            await run_align_command(parse_align("export"), request, notify=notify)
        except Exception as error:  # the member is refused before anything is said
            assert user == MEMBER_ID and "Only Northstar admins" in str(error)
    assert [reply["text"] for reply in told] == ["Preparing your export…"]
    assert uploads_when_told == [0]
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1


async def test_rows_are_read_in_batches(runtime: Runtime) -> None:
    await build_bakery(runtime)
    async with runtime.sessions() as session:
        batches = [
            len(batch)
            async for batch in stream_export(
                session=session, team_id=TEAM_ID, name="goals", batch_rows=3
            )
        ]
    assert batches == [3, 3, 2]


def test_every_table_is_exported_or_deliberately_left_out() -> None:
    from sqlmodel import SQLModel

    tables = {table.name for table in SQLModel.metadata.sorted_tables}
    exported = {data_set.table for data_set in DATA_SETS.values()}
    assert len(exported) == len(DATA_SETS)
    # A new table must be exported, or listed in NOT_EXPORTED with the reason.
    assert exported | NOT_EXPORTED == tables
    assert not exported & NOT_EXPORTED


def test_cells_are_plain_text_numbers_iso_dates_or_json() -> None:
    moment = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    shown = [cell(value) for value in (None, True, 3, 2.5, moment, moment.date(), {"b": 1})]
    assert shown == ["", "true", 3, 2.5, "2026-11-27T16:00:00+00:00", "2026-11-27", '{"b": 1}']
    assert [cell(text) for text in ("-1+1", "@SUM(A1)", "plain")] == ["'-1+1", "'@SUM(A1)", "plain"]


def test_team_row_ids_are_shown_as_team_names() -> None:
    lookups = Lookups({3: "Sales"})
    assert lookups.scope("team-3") == "team Sales" and lookups.scope("company") == "company"
    assert lookups.audience([]) == "everyone"
    assert lookups.audience([3, 9]) == "Sales; (deleted team)"
