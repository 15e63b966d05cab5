"""A bakery with known goals, updates, KPIs, check-ins and surveys, for digest tests.

Every number the digest should show for this world is worked out by hand in
``tests/digest/test_digest.py``; change the data here and those numbers change with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from cryptography.fernet import Fernet

from bot.checkins.settings import CheckinSettings
from bot.checkins.setups import ensure_default_setup, store_default_settings
from bot.core.runtime import Runtime
from bot.digest.settings import DigestSettings, with_digest_settings
from bot.goals.rollups import rebuild_rollups
from bot.pulse.lifecycle import advance_surveys, create_survey
from bot.pulse.questions import BANK, SurveyDraft
from bot.pulse.surveys import submit_answer
from bot.slack.client import SingleWorkspaceClients, build_web_client
from fakeslack import FakeSlack
from fakeslack.server import Call
from scheduler.jobs import JobContext, JobOutcome, run_job
from storage.db import transaction
from storage.models import (
    AlignmentSnapshot,
    CheckinAnswer,
    CheckinDelivery,
    CheckinRound,
    Goal,
    GoalUpdate,
    Kpi,
    KpiValue,
    Survey,
)
from storage.repositories.members import MemberProfile, upsert_members
from storage.repositories.teams import add_team_members, create_team
from storage.repositories.workspaces import ensure_workspace, get_workspace
from tests.slack_requests import ADMIN_ID, TEAM_ID

WEEK = "2026-W48"  # Monday 23 to Sunday 29 November 2026
DUE = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # Friday 16:00, the default digest moment
DIGEST_CHANNEL, SALES_CHANNEL, OPS_CHANNEL = "CDIGEST01", "CSALES001", "COPS00001"
SALES = ("USALES01", "USALES02", "USALES03", "USALES04")
OPS = ("UOPS0001", "UOPS0002", "UOPS0003", "UOPS0004")
VISION = "Feed the city, one loaf at a time."


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@dataclass
class Bakery:
    teams: dict[str, int] = field(default_factory=dict)
    goals: dict[int, int] = field(default_factory=dict)  # goal number -> id
    surveys: dict[str, Survey] = field(default_factory=dict)
    secret_key: str = field(default_factory=lambda: Fernet.generate_key().decode())


async def build_bakery(runtime: Runtime, *, share_answers: bool = False) -> Bakery:
    bakery = Bakery()
    profiles = [MemberProfile(user_id=ADMIN_ID, name="ada", real_name="Ada Admin", is_admin=True)]
    profiles += [MemberProfile(user_id=user, name=user.lower()) for user in SALES + OPS]
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=TEAM_ID, name="Bakery")
        await upsert_members(session=session, team_id=TEAM_ID, profiles=profiles)
        workspace = await get_workspace(session=session, team_id=TEAM_ID)
        assert workspace is not None
        workspace.vision = VISION
        settings = DigestSettings(
            channel_id=DIGEST_CHANNEL, team_digests=True, configured_at=at(1, 0)
        )
        workspace.settings = with_digest_settings(workspace.settings, settings)
        session.add(workspace)
        await store_default_settings(
            session, TEAM_ID, CheckinSettings(share_in_team_channels=share_answers)
        )
        for name, people, channel in (("Sales", SALES, SALES_CHANNEL), ("Ops", OPS, OPS_CHANNEL)):
            team = await create_team(
                session=session, team_id=TEAM_ID, name=name, channel_id=channel
            )
            await add_team_members(session=session, team=team, user_ids=list(people))
            assert team.id is not None
            bakery.teams[name] = team.id
    await _goals(runtime, bakery)
    await _kpis(runtime, bakery)
    await _checkins(runtime)
    await _surveys(runtime, bakery)
    return bakery


# --- goals: 1 Nov to 31 Dec, so on 27 Nov 26 of 60 days (43.3 %) have gone ---------------------

GOALS: tuple[dict[str, Any], ...] = (
    # number, level, team, owner, parent, current value, state, last progress
    dict(number=1, level="company", team=None, owner=ADMIN_ID, parent=None, value=40,
         title="Grow catering revenue 20%", progress_at=at(20)),
    dict(number=2, level="team", team="Sales", owner=SALES[0], parent=1, value=10,
         title="Sign 10 office catering contracts", progress_at=at(24)),
    dict(number=3, level="team", team="Ops", owner=OPS[0], parent=1, value=25,
         title="Cut delivery time <30 min & keep it", progress_at=at(24)),
    dict(number=4, level="personal", team=None, owner=SALES[0], parent=2, value=45,
         title="Pitch 20 offices", progress_at=at(25)),
    dict(number=5, level="personal", team=None, owner=OPS[0], parent=None, value=50,
         title="Learn the new oven", progress_at=at(16)),
    dict(number=6, level="personal", team=None, owner=OPS[1], parent=3, value=100,
         title="Map every delivery route", progress_at=at(25), state="done", closed_at=at(25)),
    dict(number=7, level="team", team="Ops", owner=OPS[2], parent=1, value=0,
         title="Second delivery van", progress_at=at(1)),
    dict(number=8, level="team", team="Sales", owner=SALES[1], parent=1, value=0,
         title="Dropped idea", progress_at=at(2), state="dropped"),
)  # fmt: skip
# (goal number, value, when): progress history; the week's updates make the movers
UPDATES = ((1, 40, at(20)), (2, 5, at(10)), (2, 10, at(24)), (3, 25, at(24)),
           (4, 30, at(16)), (4, 45, at(25)), (5, 50, at(16)))  # fmt: skip


async def _goals(runtime: Runtime, bakery: Bakery) -> None:
    async with transaction(runtime.sessions) as session:
        for spec in GOALS:
            goal = Goal(
                team_id=TEAM_ID,
                number=spec["number"],
                title=spec["title"],
                level=spec["level"],
                team_ref=bakery.teams[spec["team"]] if spec["team"] else None,
                owner_id=spec["owner"],
                parent_id=bakery.goals[spec["parent"]] if spec["parent"] else None,
                measure="number",
                start_value=0,
                target_value=100,
                current_value=spec["value"],
                start_date=date(2026, 11, 1),
                due_date=date(2026, 12, 31),
                state=spec.get("state", "open"),
                created_by=ADMIN_ID,
                created_at=at(1, 9),
                progress_at=spec["progress_at"],
                closed_at=spec.get("closed_at"),
            )
            session.add(goal)
            await session.flush()
            assert goal.id is not None
            bakery.goals[spec["number"]] = goal.id
        for number, value, when in UPDATES:
            session.add(
                GoalUpdate(
                    team_id=TEAM_ID,
                    goal_id=bakery.goals[number],
                    author_id=ADMIN_ID,
                    kind="progress",
                    value=value,
                    created_at=when,
                )
            )
        await rebuild_rollups(session=session, team_id=TEAM_ID)


# --- KPIs ------------------------------------------------------------------------------------

KPIS: tuple[dict[str, Any], ...] = (
    dict(number=1, name="Catering revenue", unit="$", higher=True, target=15000, green=12000,
         red=8000, team=None, values=((6, 9000), (13, 10000), (20, 11000), (27, 12500))),
    dict(number=2, name="Late deliveries", unit="%", higher=False, target=2, green=3, red=6,
         team="Ops", values=((13, 4), (20, 5), (27, 7))),
    dict(number=3, name="Qualified leads", unit="", higher=True, target=50, green=40, red=20,
         team="Sales", values=((20, 30), (27, 30))),
    dict(number=4, name="Customer NPS", unit="", higher=True, target=60, green=50, red=20,
         team=None, values=()),
)  # fmt: skip


async def _kpis(runtime: Runtime, bakery: Bakery) -> None:
    async with transaction(runtime.sessions) as session:
        for spec in KPIS:
            kpi = Kpi(
                team_id=TEAM_ID,
                number=spec["number"],
                name=spec["name"],
                name_key=spec["name"].lower(),
                unit=spec["unit"],
                higher_is_better=spec["higher"],
                target=spec["target"],
                green_threshold=spec["green"],
                red_threshold=spec["red"],
                owner_id=ADMIN_ID,
                team_ref=bakery.teams[spec["team"]] if spec["team"] else None,
                created_by=ADMIN_ID,
            )
            session.add(kpi)
            await session.flush()
            assert kpi.id is not None
            for day, value in spec["values"]:
                session.add(
                    KpiValue(
                        team_id=TEAM_ID, kpi_id=kpi.id, recorded_on=date(2026, 11, day), value=value
                    )
                )


# --- check-ins: three weeks of rounds --------------------------------------------------------

ROUNDS: dict[str, dict[str, str]] = {
    "2026-W46": {**dict.fromkeys(SALES[:3] + OPS[:3], "answered"), SALES[3]: "sent",
                 OPS[3]: "skipped"},
    "2026-W47": {**dict.fromkeys(SALES[:2] + OPS[:2], "answered"),
                 **dict.fromkeys(SALES[2:] + OPS[2:], "sent")},
    WEEK: {**dict.fromkeys(SALES[:3] + OPS[:2], "answered"), SALES[3]: "sent", OPS[2]: "sent",
           OPS[3]: "skipped"},
}  # fmt: skip
BLOCKERS = {
    SALES[0]: "Waiting on pricing sign-off from <finance> & legal",
    SALES[1]: "none",
    SALES[2]: "",
    OPS[0]: "Van 2 is in the shop",
    OPS[1]: "Need the new route plan.",
}


async def _checkins(runtime: Runtime) -> None:
    async with transaction(runtime.sessions) as session:
        setup = await ensure_default_setup(session, TEAM_ID)
        for week, states in ROUNDS.items():
            round_ = CheckinRound(
                team_id=TEAM_ID, setup_id=setup.id, period=week, week=week, questions=[]
            )
            session.add(round_)
            await session.flush()
            assert round_.id is not None
            for user_id, state in states.items():
                delivery = CheckinDelivery(
                    round_id=round_.id,
                    team_id=TEAM_ID,
                    user_id=user_id,
                    state=state,
                    prompt_at=at(23, 9),
                    closes_at=at(24, 23),
                )
                session.add(delivery)
                await session.flush()
                if state == "answered" and delivery.id is not None:
                    text = BLOCKERS.get(user_id, "") if week == WEEK else "older blocker"
                    session.add(
                        CheckinAnswer(
                            delivery_id=delivery.id,
                            round_id=round_.id,
                            team_id=TEAM_ID,
                            user_id=user_id,
                            answers={"moved": "things", "blockers": text, "next": "more"},
                        )
                    )


# --- surveys: one released this week, one withheld (3 answers of 4 needed) -------------------


async def _surveys(runtime: Runtime, bakery: Bakery) -> None:
    enps = (9, 9, 9, 7, 7, 6)
    scale = (4, 4, 4, 5, 5, 5)
    released = await _survey(runtime, "Alignment pulse", opens=at(19, 9), closes=at(26, 9))
    for user_id, score, value in zip(SALES + OPS[:2], enps, scale, strict=True):
        await _answer(runtime, bakery, released, user_id, agreeing(value, score), at(20))
    withheld = await _survey(runtime, "Kitchen pulse", opens=at(20, 9), closes=at(27, 9))
    for user_id in OPS[:3]:
        await _answer(runtime, bakery, withheld, user_id, agreeing(1, 0), at(21))
    async with transaction(runtime.sessions) as session:
        await advance_surveys(session=session, team_id=TEAM_ID, now=at(27, 9))
    bakery.surveys = {"released": released, "withheld": withheld}


def agreeing(value: int, enps: int) -> dict[str, object]:
    """Every bank statement answered ``value`` and the eNPS question ``enps``."""
    answers: dict[str, object] = {question.key: value for question in BANK[:5]}
    return answers | {"enps": enps}


async def _survey(runtime: Runtime, title: str, *, opens: datetime, closes: datetime) -> Survey:
    draft = SurveyDraft(
        title=title,
        questions=BANK,
        opens_at=opens,
        closes_at=closes,
        team_refs=(),
        min_responses=4,  # the bakery's 8 people besides the admin: twice the threshold
        repeat="none",
    )
    async with transaction(runtime.sessions) as session:
        survey = await create_survey(
            session=session, team_id=TEAM_ID, actor=ADMIN_ID, draft=draft, now=opens
        )
    async with transaction(runtime.sessions) as session:
        await advance_surveys(session=session, team_id=TEAM_ID, now=opens)
    return survey


async def _answer(
    runtime: Runtime,
    bakery: Bakery,
    survey: Survey,
    user_id: str,
    answers: dict[str, object],
    when: datetime,
) -> None:
    assert survey.id is not None
    async with transaction(runtime.sessions) as session:
        await submit_answer(
            session=session,
            team_id=TEAM_ID,
            survey_id=survey.id,
            user_id=user_id,
            submitted=answers,
            allow_replies=False,
            secret_key=bakery.secret_key,
            now=when,
        )


async def remember_score(runtime: Runtime, week: str, scope: str, score: int) -> None:
    async with transaction(runtime.sessions) as session:
        session.add(AlignmentSnapshot(team_id=TEAM_ID, week=week, scope=scope, score=score))


def clock_at(runtime: Runtime, moment: datetime) -> None:
    runtime.clock = lambda: moment


async def post_digest(runtime: Runtime, fake_slack: FakeSlack, moment: datetime) -> JobOutcome:
    """Run the scheduled ``digest`` job at ``moment`` against the fake Slack."""
    clock_at(runtime, moment)
    client = build_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    [outcome] = await run_job("digest", JobContext(runtime, SingleWorkspaceClients(client)))
    return outcome


def digest_messages(fake_slack: FakeSlack, channel: str) -> list[Call]:
    """The digest's main post in ``channel`` and then its thread replies, in posting order."""
    posts = [c for c in fake_slack.calls_to("chat.postMessage") if c.args.get("channel") == channel]
    return sorted(posts, key=lambda call: "thread_ts" in call.args)
