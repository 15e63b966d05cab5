"""``/align export``: a zip of CSV files of everything the workspace owns, sent to the admin's DM.

Each data set is read with one query and written row batch by row batch into a compressed
entry of an in-memory zip, so memory grows with the compressed size, not with the rows.
Anonymous survey data leaves only as released results, through the same gate as
``/pulse results`` (``bot.pulse.reports.survey_export``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.runtime import Runtime
from bot.people.admins import require_admin
from bot.pulse.reports import survey_export
from bot.slack.messages import Reply, build_notice
from bot.workspace_data import texts
from bot.workspace_data.export_csv import (
    SURVEY_RESULTS_COLUMNS,
    Lookups,
    column_transforms,
    row_cells,
    survey_result_rows,
)
from storage.repositories.teams import list_teams
from storage.repositories.workspace_data import stream_export, workspace_surveys
from storage.repositories.workspace_export_queries import DATA_SETS, export_columns

Notify = Callable[[Reply], Awaitable[None]]
SURVEY_RESULTS = "survey_results"


@dataclass(frozen=True)
class WorkspaceExport:
    content: bytes
    rows_per_file: dict[str, int]  # file name -> data rows (headers not counted)

    @property
    def rows(self) -> int:
        return sum(self.rows_per_file.values())


async def send_workspace_export(
    *,
    runtime: Runtime,
    client: AsyncWebClient,
    team_id: str,
    user_id: str,
    notify: Notify | None = None,
) -> Reply:
    """Check the caller is an admin, say it is coming, build the zip and upload it to their DM."""
    async with runtime.sessions() as session:
        await require_admin(
            session=session, team_id=team_id, user_id=user_id, action=texts.ACTION_EXPORT
        )
    if notify is not None:
        await notify(build_notice(texts.EXPORT_PREPARING))
    moment = runtime.clock()
    export = await build_workspace_export(runtime=runtime, team_id=team_id, moment=moment)
    opened = await client.conversations_open(users=user_id)
    stamp = moment.strftime("%Y-%m-%d %H:%M UTC")
    await client.files_upload_v2(
        channel=opened["channel"]["id"],
        content=export.content,
        filename=f"northstar-export-{team_id}-{moment.date().isoformat()}.zip",
        title=f"{texts.EXPORT_TITLE}, {stamp}",
        initial_comment=texts.export_summary(stamp, export.rows_per_file),
        request_file_info=False,
    )
    return build_notice(texts.export_sent(len(export.rows_per_file), export.rows))


async def build_workspace_export(
    *, runtime: Runtime, team_id: str, moment: datetime
) -> WorkspaceExport:
    buffer = io.BytesIO()
    rows: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        about = texts.EXPORT_ABOUT.format(
            team_id=team_id, moment=moment.isoformat(timespec="seconds")
        )
        archive.writestr("README.txt", about)
        async with runtime.sessions() as session:
            teams = await list_teams(session=session, team_id=team_id)
            lookups = Lookups({team.id: team.name for team in teams if team.id is not None})
            for name in DATA_SETS:
                rows[f"{name}.csv"] = await _write_data_set(
                    archive, session, team_id, name, lookups
                )
            rows[f"{SURVEY_RESULTS}.csv"] = await _write_survey_results(archive, session, team_id)
    return WorkspaceExport(buffer.getvalue(), rows)


async def _write_data_set(
    archive: zipfile.ZipFile, session: AsyncSession, team_id: str, name: str, lookups: Lookups
) -> int:
    columns = export_columns(name)
    transforms = column_transforms(name, lookups)
    written = 0
    with _csv_entry(archive, f"{name}.csv") as entry:
        writer = csv.writer(entry)
        writer.writerow(columns)
        async for batch in stream_export(session=session, team_id=team_id, name=name):
            writer.writerows(row_cells(columns, row, transforms) for row in batch)
            written += len(batch)
    return written


async def _write_survey_results(
    archive: zipfile.ZipFile, session: AsyncSession, team_id: str
) -> int:
    written = 0
    with _csv_entry(archive, f"{SURVEY_RESULTS}.csv") as entry:
        writer = csv.writer(entry)
        writer.writerow(SURVEY_RESULTS_COLUMNS)
        for survey in await workspace_surveys(session=session, team_id=team_id):
            released = await survey_export(session=session, survey=survey)
            rows = survey_result_rows(survey.number, survey.title, released)
            writer.writerows(rows)
            written += len(rows)
    return written


def _csv_entry(archive: zipfile.ZipFile, name: str) -> io.TextIOWrapper:
    # newline="" lets the csv module write its own line ends (RFC 4180).
    return io.TextIOWrapper(archive.open(name, "w"), encoding="utf-8", newline="")
