"""What Northstar says about a workspace's data: the export, retention and deletion."""

from __future__ import annotations

from collections.abc import Mapping

EXPORT_FORM = "`/align export`"
RETENTION_FORMS = "`/align retention`, `/align retention 365` or `/align retention off`"
DELETE_FORM = "`/align delete-workspace-data`"

# --- export ----------------------------------------------------------------------------------

ACTION_EXPORT = "export the workspace's data"
EXPORT_PREPARING = ":hourglass_flowing_sand: Preparing your export…"
EXPORT_TAKES_NOTHING = f"{EXPORT_FORM} takes nothing after it; type just {EXPORT_FORM}."
EXPORT_TITLE = "Northstar export"
EXPORT_ABOUT = """Northstar export of workspace {team_id}, made {moment}.

One CSV file per kind of data, UTF-8, with a header row. Rows refer to each other by what
people see in Slack: goal and KPI numbers, team names, ISO weeks (2026-W48).

Left out on purpose:
- single survey answers: survey_results.csv holds each survey's released results, as
  /pulse results shows them; surveys below their minimum of answers, or still open, are
  marked withheld. Comments are counted, not quoted.
- who was or was not invited to a survey, or answered it: surveys.csv has the counts.
- anonymous feedback: feedback_threads.csv holds each thread's metadata, never what was
  written and never who wrote it.
- tokens, secrets and KPI source addresses' query strings.
"""


def export_sent(files: int, rows: int) -> str:
    return (
        f":package: Your export is in your direct messages with Northstar: {files} CSV files, "
        f"{rows:,} rows in all, in one zip file. It holds personal data (names, check-in "
        "answers); keep it somewhere safe."
    )


def export_summary(moment: str, rows_per_file: Mapping[str, int]) -> str:
    lines = [f"Northstar export, {moment}. Rows per file:"]
    lines += [f"• {name}: {count:,}" for name, count in rows_per_file.items()]
    lines.append("README.txt in the zip says what each file holds and what is left out.")
    return "\n".join(lines)


# --- retention -------------------------------------------------------------------------------

ACTION_RETENTION = "change how long Northstar keeps free text"
RETENTION_MIN_DAYS, RETENTION_MAX_DAYS = 30, 3650
RETENTION_RUNS_AT = "04:45 UTC"  # scheduler/runner.py DAILY_SCHEDULE["retention"]
WHAT_RETENTION_REMOVES = (
    "check-in answers (who answered, and their mood, stay), notes on goal updates, survey "
    "comments (scores and choices stay) and the messages of anonymous feedback threads "
    "(threads are closed; their count stays). Goals, KPI values and survey results stay."
)
RETENTION_OFF_SHOWN = (
    "Northstar keeps free text for as long as it runs: retention is off. An admin can set a "
    f"limit, between {RETENTION_MIN_DAYS} and {RETENTION_MAX_DAYS:,} days, with "
    "`/align retention 365`. Every night it would then remove older " + WHAT_RETENTION_REMOVES
)


def retention_usage_error(typed: str) -> str:
    return (
        f"Retention is a number of days between {RETENTION_MIN_DAYS} and "
        f"{RETENTION_MAX_DAYS:,}, or `off`; {typed} is neither. Try {RETENTION_FORMS}."
    )


def retention_out_of_range(days: int | None) -> str:
    shown = "that many" if days is None else f"{days:,}"
    return (
        f"Retention can be between {RETENTION_MIN_DAYS} and {RETENTION_MAX_DAYS:,} days, not "
        f"{shown}. Try `/align retention 365`, or `/align retention off` to keep text."
    )


def retention_shown(days: int) -> str:
    return (
        f"Northstar keeps free text for {days:,} days. Every night (at {RETENTION_RUNS_AT}) it "
        "removes older "
        + WHAT_RETENTION_REMOVES
        + " Change it with `/align retention &lt;days&gt;` or turn it off with "
        "`/align retention off` (admins)."
    )


def retention_set(days: int) -> str:
    return (
        f":white_check_mark: Northstar now keeps free text for {days:,} days. Every night "
        f"(at {RETENTION_RUNS_AT}) it removes older " + WHAT_RETENTION_REMOVES
    )


RETENTION_TURNED_OFF = (
    ":white_check_mark: Retention is off: Northstar keeps free text for as long as it runs. "
    "Text already removed does not come back."
)
RETENTION_WAS_OFF = "Retention was already off; nothing changed."


def retention_report(
    answers: int, notes: int, comments: int, messages: int, threads: int, kudos: int = 0
) -> str:
    return (
        f"{answers} check-in answers, {notes} goal-update notes, {comments} survey comments, "
        f"{messages} feedback messages, {kudos} kudos texts cleared; "
        f"{threads} feedback threads closed"
    )


# --- deletion --------------------------------------------------------------------------------

ACTION_DELETE = "delete the workspace's data"
ONLY_OWNERS = (
    ":no_entry: Only owners of this Slack workspace can delete Northstar's data for it: it "
    "cannot be undone. Ask an owner, or export the data first with `/align export` (admins)."
)


def _rows_by_table(counts: Mapping[str, int]) -> tuple[int, str]:
    listed = ", ".join(f"{name} {counts[name]:,}" for name in sorted(counts))
    return sum(counts.values()), listed or "none"


def delete_preview(team_id: str, counts: Mapping[str, int]) -> str:
    total, tables = _rows_by_table(counts)
    return (
        ":warning: *This deletes everything Northstar holds for this workspace*: vision and "
        "mission, people, teams, goals and their history, KPIs and values, check-ins, "
        "surveys and their answers, feedback threads, digests, settings. It cannot be undone; "
        f"Northstar keeps no copy. {total:,} rows now ({tables}).\n"
        "Export first if you may want it: `/align export`.\n"
        f"To go ahead, type exactly: `/align delete-workspace-data {team_id}`"
    )


def delete_mismatch(team_id: str) -> str:
    return (
        "That does not name this workspace, so nothing was deleted. To delete its data, type "
        f"exactly `/align delete-workspace-data {team_id}`, or {DELETE_FORM} alone to see what "
        "would go."
    )


def deleted(counts: Mapping[str, int]) -> str:
    total, tables = _rows_by_table(counts)
    return (
        f":wastebasket: Deleted all of Northstar's data for this workspace: {total:,} rows "
        f"({tables}). Northstar is still installed: anyone who uses it starts afresh, and the "
        "nightly sync copies the member list again. To stop it for good, remove the app from "
        "the workspace."
    )
