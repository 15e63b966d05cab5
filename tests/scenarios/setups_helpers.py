"""Reading the check-in DMs of a scenario with several setups, and answering them through the
real modal: which person got which prompt or reminder of which setup and period."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.checkins.blocks.prompts import ANSWER_ACTION
from bot.core.runtime import Runtime
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from fakeslack.server import Call
from scheduler.jobs import JobContext, run_job
from tests.checkins.answer_helpers import press
from tests.slack_requests import SlackSender

STAND_UP = "Daily stand-up"
WEEKLY = "weekly"
# "(week of 26 Oct)" for a weekly check-in, "(Mon 26 Oct)" for a stand-up's day
_LABEL = re.compile(r"\((week of \d{1,2} \w{3}|\w{3} \d{1,2} \w{3})\)")


@dataclass(frozen=True, order=True)
class Dm:
    """One check-in DM: to whom, a prompt or a reminder, of which setup and period."""

    user: str
    kind: str  # "prompt" | "reminder"
    setup: str  # STAND_UP | WEEKLY
    label: str  # "Mon 26 Oct" | "week of 26 Oct"


def read_dm(call: Call) -> tuple[Dm, str] | None:
    """The DM a ``chat.postMessage`` call sent and its Answer button's value; None for
    anything else (a channel post, a thread reply)."""
    text = str(call.args.get("text", ""))
    channel = str(call.args["channel"])
    if not channel.startswith("U"):
        return None
    kind = "prompt" if text.startswith("It's ") else "reminder" if "A reminder" in text else ""
    label = _LABEL.search(text)
    if not kind or label is None:
        return None
    setup = STAND_UP if f"*{STAND_UP}*" in text else WEEKLY
    value = str(call.args["blocks"][1]["elements"][0]["value"]) if kind == "prompt" else ""
    return Dm(channel, kind, setup, label.group(1)), value


def dms_since(fake_slack: FakeSlack, seen: int) -> tuple[list[tuple[Dm, str]], int]:
    """The check-in DMs sent since the first ``seen`` calls, and the new count."""
    calls = fake_slack.calls_to("chat.postMessage")
    found = [dm for dm in map(read_dm, calls[seen:]) if dm is not None]
    return found, len(calls)


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def week_label(monday: date) -> str:
    return f"week of {monday.day} {monday:%b}"


def local(day: date, clock: time, tz: str) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(tz)).astimezone(UTC)


async def run_jobs(runtime: Runtime, now: datetime, *names: str) -> None:
    """Run the scheduler's jobs as the scheduler does, at ``now`` on the injected clock."""
    runtime.clock = lambda: now
    client = build_web_client(token="xoxb-test", base_url=runtime.settings.slack_api_url)
    for name in names:
        [outcome] = await run_job(name, JobContext(runtime, SingleWorkspaceClients(client)))
        assert outcome.status == "done", (name, now, outcome.detail)


async def answer(
    slack: SlackSender,
    fake_slack: FakeSlack,
    value: str,
    user_id: str,
    answers: Mapping[str, str | None] | None,
    text: str = "",
) -> None:
    """Press Answer check-in in the DM and submit the modal with ``answers`` (None: ``text``
    in every question); fails with Northstar's words when it answered the press with a
    message instead of the modal."""
    opened = len(fake_slack.calls_to("views.open"))
    response, url = await press(slack, ANSWER_ACTION, value, user_id=user_id)
    assert response.status_code == 200
    name = url.rsplit("/", 1)[-1]
    for _ in range(500):
        told = [c.args for c in fake_slack.calls_to("response_url") if c.args["_name"] == name]
        if told:
            raise AssertionError(f"{user_id} could not answer: {told[-1].get('text')}")
        if len(fake_slack.calls_to("views.open")) > opened:
            break
        await asyncio.sleep(0.01)
    view = fake_slack.calls_to("views.open")[-1].args["view"]
    if answers is None:
        questions = [
            b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("q:")
        ]
        answers = dict.fromkeys(questions, text)
    response = await slack.submit_view(view, answers, user_id=user_id)
    assert response.status_code == 200 and response.text == "", response.text
