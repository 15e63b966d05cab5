"""Setting up the bakery the way its people would: Slack users, then ``/align``, ``/goal``,
``/kpi`` and ``/checkin settings`` typed into the real app, and a year of KPI history
imported through the KPI repository."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from bot.checkins.setups import default_settings
from bot.core.runtime import Runtime
from bot.demo import bakery
from bot.demo.bakery import GoalSpec, KpiSpec
from bot.demo.slack import DemoFailed, DemoSlack, option_value
from bot.digest.settings import read_digest_settings
from bot.strategy.blocks.forms import title_block, why_block
from storage.db import transaction
from storage.repositories.goals import workspace_goals
from storage.repositories.kpis import get_kpi_by_number, list_kpis, record_value
from storage.repositories.teams import list_teams, members_by_team
from storage.repositories.workspaces import get_workspace

HISTORY_WEEKS = 52


def add_slack_users(slack: DemoSlack) -> None:
    for person in bakery.PEOPLE:
        slack.fake.add_user(
            person.user_id,
            name=person.handle,
            real_name=person.real_name,
            tz=person.tz,
            is_admin=person.admin,
            is_owner=person.admin,
        )


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


async def set_up_company(slack: DemoSlack) -> None:
    """Vision, mission, teams with channels and leads, the digest and shared check-ins."""
    owner = bakery.OWNER
    await slack.command(owner, "/align", f"vision {bakery.VISION}")
    await slack.command(owner, "/align", f"mission {bakery.MISSION}")
    priorities = await slack.open_form(owner, "/align", "priorities edit")
    await slack.submit(owner, priorities, _priority_answers())
    for team in bakery.TEAMS:
        channel = f"<#{team.channel_id}|{team.channel_name}>"
        await slack.command(
            owner, "/align", f"team add {team.name} {channel} lead {mention(team.lead)}"
        )
        people = " ".join(mention(user) for user in team.members if user != team.lead)
        await slack.command(team.lead, "/align", f"team {team.name} add {people}")
    digest = f"<#{bakery.DIGEST_CHANNEL}|{bakery.DIGEST_CHANNEL_NAME}>"
    await slack.command(owner, "/align", f"digest {digest} friday 16:00")
    await slack.command(owner, "/align", "digest teams on")
    settings = await slack.open_form(owner, "/checkin", "settings")
    await slack.submit(owner, settings, {"checkin_share": "on"})


async def create_goals(slack: DemoSlack, runtime: Runtime) -> None:
    """Every goal through ``/goal new`` and its form, by its owner, parents first."""
    for goal in bakery.GOALS:
        view = await slack.open_form(goal.owner, "/goal", "new")
        await slack.submit(goal.owner, view, _goal_answers(goal, view))
    async with runtime.sessions() as session:
        made = await workspace_goals(session=session, team_id=bakery.TEAM_ID)
    if len(made) != len(bakery.GOALS):
        raise DemoFailed(f"{len(made)} goals were created, not {len(bakery.GOALS)}")


def _priority_answers() -> dict[str, str | None]:
    answers: dict[str, str | None] = {}
    for rank, (title, why) in enumerate(bakery.PRIORITIES, start=1):
        answers[title_block(rank)], answers[why_block(rank)] = title, why
    return answers


def _goal_answers(goal: GoalSpec, view: dict[str, Any]) -> dict[str, str | None]:
    answers: dict[str, str | None] = {
        "title": goal.title,
        "level": goal.level,
        "measure": goal.measure,
        "due_date": goal.due.isoformat(),
        "unit": goal.unit or None,
    }
    if goal.measure == "number":
        answers |= {"start_value": f"{goal.start:g}", "target_value": f"{goal.target:g}"}
    if goal.team:
        answers["team"] = option_value(view, "team", goal.team)
    if goal.level == "company":  # it serves the first priority
        answers["priority"] = option_value(view, "priority", "1. ")
    if goal.parent:
        parent = f"G-{bakery.GOAL_NUMBERS[goal.parent]} "
        answers["parent"] = option_value(view, "parent", parent)
    return answers


async def create_kpis(slack: DemoSlack) -> None:
    """Every KPI through ``/kpi new`` and its form, by its owner."""
    for kpi in bakery.KPIS:
        view = await slack.open_form(kpi.owner, "/kpi", "new")
        answers: dict[str, str | None] = {
            "kpi_name": kpi.name,
            "kpi_unit": kpi.unit or None,
            "kpi_direction": "higher" if kpi.higher_is_better else "lower",
            "kpi_target": f"{kpi.target:g}",
            "kpi_green": f"{kpi.green:g}",
            "kpi_red": f"{kpi.red:g}",
            "kpi_cadence": "weekly",
            "kpi_source": "none",
        }
        if kpi.team:
            answers["kpi_team"] = option_value(view, "kpi_team", kpi.team)
        if kpi.goal:
            goal = f"G-{bakery.GOAL_NUMBERS[kpi.goal]} "
            answers["kpi_goal"] = option_value(view, "kpi_goal", goal)
        await slack.submit(kpi.owner, view, answers)


def kpi_value(kpi: KpiSpec, week: int, rng: random.Random) -> float:
    """The KPI's value ``week`` weeks after the simulation began (negative: history)."""
    if week <= 0:
        trend = kpi.latest + (kpi.latest - kpi.year_ago) * week / HISTORY_WEEKS
    else:
        trend = kpi.latest + kpi.weekly * week
    value = trend + rng.uniform(-kpi.noise, kpi.noise)
    return round(round(value / kpi.step) * kpi.step, 2)


async def import_kpi_history(runtime: Runtime, rng: random.Random) -> None:
    """A year of weekly values for every KPI, on the Fridays before the simulation."""
    first_friday = bakery.FIRST_MONDAY + timedelta(days=4)
    async with transaction(runtime.sessions) as session:
        for number, spec in enumerate(bakery.KPIS, start=1):
            kpi = await get_kpi_by_number(session=session, team_id=bakery.TEAM_ID, number=number)
            if kpi is None:
                raise DemoFailed(f"K-{number} ({spec.name}) was not created")
            for week in range(-HISTORY_WEEKS + 1, 1):
                await record_value(
                    session=session,
                    kpi=kpi,
                    value=kpi_value(spec, week, rng),
                    recorded_on=first_friday + timedelta(weeks=week - 1),
                    author_id=spec.owner,
                )


async def check_setup(runtime: Runtime) -> None:
    """What the commands above should have stored; a reply that was an error shows here."""
    team_id = bakery.TEAM_ID
    async with runtime.sessions() as session:
        workspace = await get_workspace(session=session, team_id=team_id)
        teams = await list_teams(session=session, team_id=team_id)
        members = await members_by_team(session=session, team_id=team_id)
        kpis = await list_kpis(session=session, team_id=team_id)
        checkins = await default_settings(session, team_id)
    stored = workspace.settings if workspace else None
    problems = []
    if workspace is None or not workspace.vision or not workspace.mission:
        problems.append("no vision or mission")
    expected = {(t.name, t.channel_id, t.lead, frozenset(t.members)) for t in bakery.TEAMS}
    found = {
        (t.name, t.channel_id, t.lead_user_id, frozenset(members.get(t.id or 0, []))) for t in teams
    }
    if found != expected:
        problems.append(f"teams are {sorted(found)}")
    digest = read_digest_settings(stored)
    if digest.channel_id != bakery.DIGEST_CHANNEL or not digest.team_digests:
        problems.append("the digest is not set up")
    if not checkins.share_in_team_channels:
        problems.append("check-ins are not shared")
    if len(kpis) != len(bakery.KPIS):
        problems.append(f"{len(kpis)} KPIs")
    if problems:
        raise DemoFailed("the setup went wrong: " + "; ".join(problems))
