"""Tenant isolation, adversarially: workspace Beta tries every command, button and modal of
Northstar against workspace Alpha's references (``G-1``, ``K-1``, ``P-1``, team names) and row
ids (goals, KPIs, check-in invitations, surveys, feedback threads, reply tokens).

For each attempt, Beta must be answered exactly as for a reference that exists nowhere (the
same reply once the reference itself is masked), Alpha's rows must not change, and nothing
Beta receives may carry Alpha's titles, texts, people or channels. Beta's own lists, Home tab
and exports are scanned the same way.

Slack signs Beta's requests with the app's one signing secret, so a request's ``team_id`` is
what Northstar must scope by; ``private_metadata`` cannot be forged by a person, but a view
carrying another workspace's ids is still refused (defence in depth).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.checkins.blocks.prompts import ANSWER_ACTION as CHECKIN_ANSWER_ACTION
from bot.checkins.blocks.prompts import SKIP_ACTION as CHECKIN_SKIP_ACTION
from bot.core.runtime import Runtime
from bot.feedback.blocks import (
    AUTHOR_REPLY_ACTION,
    CLOSE_ACTION,
    LEADER_REPLY_ACTION,
    REVEAL_ACTION,
)
from bot.goals.rollups import rebuild_rollups
from bot.home.blocks import OPEN_UPDATE_ACTION
from bot.kpis.blocks.messages import SYNC_NOW_ACTION
from bot.pulse.blocks.results import COMMENT_REPLY_ACTION
from bot.pulse.delivery import ANSWER_ACTION as PULSE_ANSWER_ACTION
from bot.pulse.delivery import send_invitations
from bot.pulse.lifecycle import advance_surveys, create_survey
from bot.pulse.questions import BANK, Question, QuestionKind, SurveyDraft
from bot.pulse.surveys import submit_answer
from bot.slack.client import build_web_client
from fakeslack import FakeSlack
from fakeslack.server import Call
from storage.db import transaction
from storage.models import FeedbackThread, Goal, Kpi, ReplyToken, Survey
from storage.repositories.goals import add_goal
from storage.repositories.kpis import add_kpi, record_value
from storage.repositories.members import MemberProfile
from storage.repositories.teams import add_team_members, create_team
from storage.repositories.workspaces import ensure_workspace
from tests.checkins import answer_helpers as checkin
from tests.conftest import drain_background_tasks
from tests.factories import add_members
from tests.reliability.helpers import click, command, event, snapshot, submit
from tests.slack_requests import ADMIN_ID, MEMBER_ID, TEAM_ID, SlackSender

ALPHA = TEAM_ID
BETA = "T0BETA002"
BETA_ADMIN, BETA_MEMBER = "UBETAADM1", "UBETAMEM1"
MARK = "QX7"  # in every title and text of Alpha's: Beta must never see it
ALPHA_TEAM = "Zenith"
ALPHA_CHANNEL = "C0ALPHA01"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # Monday of 2026-W49
MISSING_ID = 987_654


@dataclass
class Alpha:
    """Alpha's row ids, and the modals Alpha's people were shown (with Alpha's metadata)."""

    goal_ids: list[int]
    kpi_id: int
    closed_survey_id: int
    open_survey_id: int
    delivery_id: int
    thread_id: str
    token_id: str
    views: dict[str, dict[str, Any]]


def goal(title: str, **fields: Any) -> Goal:
    return Goal(
        team_id=ALPHA,
        number=0,
        title=title,
        created_by=ADMIN_ID,
        start_date=date(2026, 11, 1),
        due_date=date(2027, 3, 1),
        **fields,
    )


async def alpha_surveys(runtime: Runtime) -> tuple[Survey, Survey, str]:
    """P-1 closed with five answers (one comment open to replies), P-2 open now."""
    people = [f"UALPHA{number:03d}" for number in range(5)]
    # five more who never answer: a threshold of 5 needs 10 people besides the creator
    silent = [f"UALPHA{number:03d}" for number in range(5, 10)]
    await add_members(runtime, *(MemberProfile(user_id=user) for user in people + silent))
    comment = Question(key="comments", kind=QuestionKind.TEXT, text="Anything else?")
    opened = NOW - timedelta(days=6)
    drafts = [
        SurveyDraft(
            title=f"{MARK} closed pulse",
            questions=(*BANK, comment),
            opens_at=opened,
            closes_at=NOW - timedelta(days=1),
        ),
        SurveyDraft(
            title=f"{MARK} open pulse",
            questions=BANK[:2],
            opens_at=opened,
            closes_at=NOW + timedelta(days=3),
        ),
    ]
    surveys = []
    for draft in drafts:
        async with transaction(runtime.sessions) as session:
            surveys.append(
                await create_survey(
                    session=session, team_id=ALPHA, actor=ADMIN_ID, draft=draft, now=opened
                )
            )
    async with transaction(runtime.sessions) as session:
        await advance_surveys(session=session, team_id=ALPHA, now=opened)
    key = runtime.settings.northstar_secret_key.get_secret_value()
    closed = surveys[0]
    assert closed.id is not None
    for index, user in enumerate(people):
        answers: dict[str, object] = {question.key: 4 for question in BANK[:5]}
        answers |= {"enps": 9, "comments": f"{MARK} comment {index}"}
        async with transaction(runtime.sessions) as session:
            await submit_answer(
                session=session,
                team_id=ALPHA,
                survey_id=closed.id,
                user_id=user,
                submitted=answers,
                allow_replies=index == 0,
                secret_key=key,
                now=opened + timedelta(hours=1),
            )
    async with transaction(runtime.sessions) as session:
        await advance_surveys(session=session, team_id=ALPHA, now=NOW)
    async with runtime.sessions() as session:
        token = (await session.exec(select(ReplyToken))).one()
    return surveys[0], surveys[1], token.id


async def opened(fake_slack: FakeSlack, action: Awaitable[Any]) -> dict[str, Any]:
    before = len(fake_slack.calls_to("views.open"))
    await action
    view: dict[str, Any] = (await fake_slack.wait_for("views.open", before + 1))[-1].args["view"]
    return view


def button_value(call: Call, action_id: str) -> str:
    for block in call.args.get("blocks") or []:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {call.args.get('text')}")


@pytest.fixture
async def alpha(slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime) -> Alpha:
    """Alpha with a team, goals, a KPI, two surveys, a check-in round and a feedback thread;
    Beta with its own admin and member and nothing else."""
    runtime.clock = lambda: NOW
    await checkin.add_people(runtime)
    async with transaction(runtime.sessions) as session:
        team = await create_team(
            session=session,
            team_id=ALPHA,
            name=ALPHA_TEAM,
            channel_id=ALPHA_CHANNEL,
            lead_user_id=ADMIN_ID,
        )
        await add_team_members(session=session, team=team, user_ids=[ADMIN_ID, MEMBER_ID])
        company = await add_goal(
            session=session, goal=goal(f"{MARK} company aim", level="company", owner_id=ADMIN_ID)
        )
        mine = await add_goal(
            session=session,
            goal=goal(
                f"{MARK} member part",
                level="personal",
                owner_id=MEMBER_ID,
                parent_id=company.id,
                target_value=40,
                current_value=10,
            ),
        )
        await rebuild_rollups(session=session, team_id=ALPHA)
        kpi = await add_kpi(
            session=session,
            kpi=Kpi(
                team_id=ALPHA,
                number=0,
                name=f"{MARK} revenue",
                name_key="",
                owner_id=MEMBER_ID,
                created_by=MEMBER_ID,
                target=100,
                green_threshold=80,
                red_threshold=50,
                source={"kind": "json", "url": "https://qx7.example/kpi", "path": "total"},
            ),
        )
        await record_value(
            session=session, kpi=kpi, value=70, recorded_on=date(2026, 11, 27), author_id=MEMBER_ID
        )
    closed, open_survey, token_id = await alpha_surveys(runtime)
    await checkin.prompt_round(runtime, fake_slack)
    runtime.clock = lambda: NOW
    client = build_web_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    await send_invitations(runtime=runtime, client=client, team_id=ALPHA, now=NOW)
    await command(slack, f"feedback {MARK} feedback: the roadmap", name="/pulse", user_id=MEMBER_ID)
    await drain_background_tasks()
    async with runtime.sessions() as session:
        thread = (await session.exec(select(FeedbackThread))).one()
    delivery = checkin.prompt_value(fake_slack, MEMBER_ID, "2026-W49")
    invitation = next(
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args["channel"] == MEMBER_ID and "pulse" in str(call.args["text"]).lower()
    )
    assert all(x.id is not None for x in (company, mine, kpi, closed, open_survey))
    views = {
        "goal update": await opened(fake_slack, command(slack, "update G-2", name="/goal")),
        "goal edit": await opened(fake_slack, command(slack, "edit G-2", name="/goal")),
        "kpi edit": await opened(fake_slack, command(slack, "edit K-1", name="/kpi")),
        "check-in answer": await opened(
            fake_slack, click(slack, CHECKIN_ANSWER_ACTION, delivery, user_id=MEMBER_ID)
        ),
        "pulse answer": await opened(
            fake_slack,
            click(
                slack,
                PULSE_ANSWER_ACTION,
                button_value(invitation, PULSE_ANSWER_ACTION),
                user_id=MEMBER_ID,
            ),
        ),
        "feedback reply": await opened(
            fake_slack, click(slack, LEADER_REPLY_ACTION, thread.id, user_id=ADMIN_ID)
        ),
        "comment reply": await opened(
            fake_slack, click(slack, COMMENT_REPLY_ACTION, token_id, user_id=ADMIN_ID)
        ),
    }
    await drain_background_tasks()
    assert fake_slack.take_violations() == []
    # Beta: its own people, and nothing else.
    for user in (BETA_ADMIN, BETA_MEMBER):
        fake_slack.add_user(user, name=user.lower())
    await add_members(
        runtime,
        MemberProfile(user_id=BETA_ADMIN, name="bea", real_name="Bea Beta", is_admin=True),
        MemberProfile(user_id=BETA_MEMBER, name="bob", real_name="Bob Beta"),
        team_id=BETA,
    )
    async with transaction(runtime.sessions) as session:
        await ensure_workspace(session=session, team_id=BETA)
    fake_slack.clear()
    return Alpha(
        goal_ids=[company.id or 0, mine.id or 0],
        kpi_id=kpi.id or 0,
        closed_survey_id=closed.id or 0,
        open_survey_id=open_survey.id or 0,
        delivery_id=int(delivery),
        thread_id=thread.id,
        token_id=token_id,
        views=views,
    )


# --- what Beta hears -------------------------------------------------------------------------

SHOWN_KEYS = ("text", "blocks", "view", "response_type", "channel", "users", "errors")


def heard(fake_slack: FakeSlack, since: int, extra: str = "") -> str:
    """What reached Slack (and so Beta) since call ``since``, without per-request noise."""
    parts = [extra]
    for call in fake_slack.calls[since:]:
        shown = {key: call.args[key] for key in SHOWN_KEYS if key in call.args}
        if isinstance(shown.get("view"), dict):
            shown["view"] = {k: v for k, v in shown["view"].items() if k != "private_metadata"}
        parts.append(f"{call.method} {json.dumps(shown, sort_keys=True, default=str)}")
    for data in fake_slack.uploads.values():
        parts.append(data.decode(errors="replace"))
    return "\n".join(parts)


ALPHA_TRACES = (MARK, ALPHA_TEAM, ALPHA_CHANNEL, ADMIN_ID, MEMBER_ID, "UALPHA")


def check_nothing_of_alpha(text: str) -> None:
    leaked = [trace for trace in ALPHA_TRACES if trace in text]
    assert not leaked, f"Beta was shown {leaked}: {text[:3000]}"


Attempt = Callable[[str], Awaitable[str]]


async def compare(
    runtime: Runtime,
    fake_slack: FakeSlack,
    attempt: Attempt,
    alphas: str,
    missing: str,
    *,
    shown_as: Callable[[str], str] = str,
) -> None:
    """Beta's attempt on Alpha's reference is answered like one on a missing reference, and
    changes nothing of Alpha's. ``shown_as`` is how a reference appears in a reply."""
    before = await snapshot(runtime.engine, team_id=ALPHA)
    fake_slack.uploads.clear()
    on_alpha = await attempt(alphas)
    on_missing = await attempt(missing)
    pairs = ((on_alpha, alphas), (on_missing, missing))
    masked = [text.replace(shown_as(ref), "<ref>") for text, ref in pairs]
    check_nothing_of_alpha(masked[0])  # Beta's own words echoed back are not a leak
    assert masked[0] == masked[1], f"Alpha's {alphas} is told apart from {missing}"
    assert masked[0].strip(), "Beta heard nothing at all"
    assert await snapshot(runtime.engine, team_id=ALPHA) == before, f"Alpha changed by {alphas}"
    assert fake_slack.take_violations() == []


# --- commands ---------------------------------------------------------------------------------

COMMANDS = [
    ("/goal", "show {}"),
    ("/goal", "update {} 35"),
    ("/goal", "update {}"),
    ("/goal", "close {} done"),
    ("/goal", "reopen {}"),
    ("/goal", "edit {}"),
    ("/goal", "link {} to none"),
    ("/goal", "tree {}"),
    ("/kpi", "show {}"),
    ("/kpi", "log {} 3"),
    ("/kpi", "edit {}"),
    ("/kpi", "archive {}"),
    ("/kpi", "unarchive {}"),
    ("/pulse", "results {}"),
    ("/pulse", "close {}"),
    ("/pulse", "threshold {} 9"),
    ("/pulse", "feedback team {} hello"),
    ("/align", "team {} add <@UBETAMEM1>"),
    ("/align", "team {} remove <@UBETAMEM1>"),
    ("/align", "team {} lead <@UBETAMEM1>"),
    ("/align", "team {} channel <#C0BETA001|beta>"),
    ("/checkin", "status team {}"),
    ("/goal", "list team {}"),
]
REFS = {
    "G": ("G-2", "G-99"),
    "K": ("K-1", "K-99"),
    "P": ("P-1", "P-99"),
    "team": (ALPHA_TEAM, "Nadir"),
}


def refs_for(name: str, template: str) -> tuple[str, str]:
    if "team" in template:
        return REFS["team"]
    return REFS[{"/goal": "G", "/kpi": "K", "/pulse": "P"}[name]]


@pytest.mark.parametrize(("name", "template"), COMMANDS, ids=[f"{n} {t}" for n, t in COMMANDS])
async def test_beta_commands_on_alphas_references_find_nothing(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    alpha: Alpha,
    name: str,
    template: str,
) -> None:
    async def attempt(ref: str) -> str:
        since = len(fake_slack.calls)
        response, _ = await command(
            slack, template.format(ref), name=name, user_id=BETA_ADMIN, team_id=BETA
        )
        assert response.status_code == 200
        await drain_background_tasks()
        return heard(fake_slack, since)

    alphas, missing = refs_for(name, template)
    await compare(runtime, fake_slack, attempt, alphas, missing)


# --- buttons ---------------------------------------------------------------------------------


def buttons(alpha: Alpha) -> list[tuple[str, str, str, str]]:
    """(action, Alpha's value, a value that exists nowhere, who presses in Beta)."""
    return [
        (OPEN_UPDATE_ACTION, "2", "99", BETA_ADMIN),
        (CHECKIN_ANSWER_ACTION, str(alpha.delivery_id), str(MISSING_ID), BETA_MEMBER),
        (CHECKIN_SKIP_ACTION, str(alpha.delivery_id), str(MISSING_ID), BETA_MEMBER),
        (PULSE_ANSWER_ACTION, str(alpha.open_survey_id), str(MISSING_ID), BETA_MEMBER),
        (SYNC_NOW_ACTION, str(alpha.kpi_id), str(MISSING_ID), BETA_ADMIN),
        (LEADER_REPLY_ACTION, alpha.thread_id, "f" * 32, BETA_ADMIN),
        (AUTHOR_REPLY_ACTION, alpha.thread_id, "f" * 32, BETA_MEMBER),
        (REVEAL_ACTION, alpha.thread_id, "f" * 32, BETA_MEMBER),
        (CLOSE_ACTION, alpha.thread_id, "f" * 32, BETA_MEMBER),
        (COMMENT_REPLY_ACTION, alpha.token_id, "e" * 32, BETA_ADMIN),
    ]


BUTTONS = [
    OPEN_UPDATE_ACTION,
    CHECKIN_ANSWER_ACTION,
    CHECKIN_SKIP_ACTION,
    PULSE_ANSWER_ACTION,
    SYNC_NOW_ACTION,
    LEADER_REPLY_ACTION,
    AUTHOR_REPLY_ACTION,
    REVEAL_ACTION,
    CLOSE_ACTION,
    COMMENT_REPLY_ACTION,
]


@pytest.mark.parametrize("action_id", BUTTONS)
async def test_beta_buttons_with_alphas_ids_find_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, alpha: Alpha, action_id: str
) -> None:
    _, alphas, missing, user_id = next(b for b in buttons(alpha) if b[0] == action_id)

    async def attempt(value: str) -> str:
        since = len(fake_slack.calls)
        response, _ = await click(slack, action_id, value, user_id=user_id, team_id=BETA)
        assert response.status_code == 200
        await drain_background_tasks()
        return heard(fake_slack, since)

    await compare(runtime, fake_slack, attempt, alphas, missing)


# --- modals carrying Alpha's ids ------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """A modal submitted in Beta with Alpha's id in its metadata."""

    key: str  # the metadata key holding the id
    answers: dict[str, str | None]
    user_id: str  # who submits, in Beta
    shown_as: Callable[[str], str] = str  # how the id appears in a reply, if it does


BETA_OWNER: dict[str, str | None] = {"owner": BETA_ADMIN}
VIEWS: dict[str, Probe] = {
    "goal update": Probe("goal", {"value": "35", "confidence": "6"}, BETA_ADMIN),
    "goal edit": Probe("goal", BETA_OWNER, BETA_ADMIN),
    "kpi edit": Probe("kpi", {"kpi_owner": BETA_ADMIN}, BETA_ADMIN, lambda n: f"K-{n}"),
    "check-in answer": Probe("delivery", {"q:moved": "a lot", "q:next": "more"}, BETA_MEMBER),
    "pulse answer": Probe("survey", {"q:direction": "4", "q:contribution": "5"}, BETA_MEMBER),
    "feedback reply": Probe("thread", {"text": "hello"}, BETA_ADMIN),
    "comment reply": Probe("token", {"text": "hello"}, BETA_ADMIN),
}


def with_metadata(view: dict[str, Any], key: str, value: object) -> dict[str, Any]:
    metadata = json.loads(view["private_metadata"])
    metadata[key] = value
    metadata.pop("response_url", None)  # Beta's answer must not go to Alpha's command URL
    return {**view, "private_metadata": json.dumps(metadata)}


@pytest.mark.parametrize("modal", sorted(VIEWS))
async def test_beta_submitting_modals_with_alphas_ids_changes_and_learns_nothing(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, alpha: Alpha, modal: str
) -> None:
    probe = VIEWS[modal]
    view = alpha.views[modal]
    alphas = json.loads(view["private_metadata"])[probe.key]
    missing: object = (MISSING_ID if alphas != 1 else 99) if isinstance(alphas, int) else "d" * 32

    async def attempt(ref: str) -> str:
        since = len(fake_slack.calls)
        value = alphas if ref == str(alphas) else missing
        target = with_metadata(view, probe.key, value)
        response = await submit(
            slack, target, user_id=probe.user_id, team_id=BETA, answers=probe.answers
        )
        assert response.status_code == 200
        await drain_background_tasks()
        return heard(fake_slack, since, extra=response.text)

    await compare(runtime, fake_slack, attempt, str(alphas), str(missing), shown_as=probe.shown_as)


async def test_beta_cannot_pick_alphas_teams_or_goals_in_its_own_forms(
    slack: SlackSender, fake_slack: FakeSlack, runtime: Runtime, alpha: Alpha
) -> None:
    """Option values are ids; a stale or forged one from another workspace is refused on the
    field, and nothing is created."""
    before = await snapshot(runtime.engine)
    new_goal = await opened(
        fake_slack, command(slack, "new", name="/goal", user_id=BETA_ADMIN, team_id=BETA)
    )
    answers: dict[str, str | None] = {
        "title": "Beta goal",
        "level": "personal",
        "measure": "number",
        "start_value": "0",
        "target_value": "10",
        "due_date": "2027-01-31",
        "parent": str(alpha.goal_ids[0]),
    }
    response = await submit(slack, new_goal, user_id=BETA_ADMIN, team_id=BETA, answers=answers)
    assert "parent" in response.json()["errors"], response.text
    [alpha_team] = await _team_refs(runtime)
    builder = await opened(
        fake_slack, command(slack, "new", name="/pulse", user_id=BETA_ADMIN, team_id=BETA)
    )
    state = _builder_state(builder, alpha_team)
    response = await submit(slack, builder, user_id=BETA_ADMIN, team_id=BETA, state=state)
    assert response.json()["response_action"] == "errors", response.text
    await drain_background_tasks()
    after = await snapshot(runtime.engine)
    changed = {name for name in after if after[name] != before[name]}
    assert changed <= {"workspace", "processed_event", "member"}, changed
    check_nothing_of_alpha(heard(fake_slack, 0))


async def _team_refs(runtime: Runtime) -> list[int]:
    from storage.models import Team

    async with runtime.sessions() as session:
        return [t.id for t in (await session.exec(select(Team))).all() if t.id is not None]


def _builder_state(view: dict[str, Any], team_ref: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        kind = element["type"]
        entry: dict[str, Any] = {"type": kind}
        if kind == "plain_text_input":
            entry["value"] = "Beta pulse" if block_id.endswith("title") else None
        elif kind == "multi_static_select":
            entry["selected_options"] = (
                [{"text": {"type": "plain_text", "text": "x"}, "value": str(team_ref)}]
                if "team" in block_id
                else element.get("initial_options") or element.get("options", [])[:2]
            )
        elif kind == "static_select":
            chosen = element.get("initial_option")
            if "audience" in block_id:
                chosen = next(o for o in element["options"] if o["value"] != chosen["value"])
            entry["selected_option"] = chosen
        elif kind == "datetimepicker":
            entry["selected_date_time"] = element.get("initial_date_time")
        values[block_id] = {element["action_id"]: entry}
    return {"values": values}


# --- what Beta can list and see ---------------------------------------------------------------

LISTINGS = [
    ("/goal", "list all"),
    ("/goal", "tree"),
    ("/goal", "export"),
    ("/kpi", "list"),
    ("/pulse", "list"),
    ("/align", "teams"),
    ("/align", "admins"),
    ("/align", "digest preview"),
    ("/align", "export"),
    ("/checkin", "status"),
    ("/checkin", "history"),
    ("/checkin", ""),
]


@pytest.mark.parametrize(("name", "text"), LISTINGS, ids=[f"{n} {t}" for n, t in LISTINGS])
async def test_betas_lists_exports_and_home_show_nothing_of_alpha(
    slack: SlackSender,
    fake_slack: FakeSlack,
    runtime: Runtime,
    alpha: Alpha,
    name: str,
    text: str,
) -> None:
    before = await snapshot(runtime.engine, team_id=ALPHA)
    response, _ = await command(slack, text, name=name, user_id=BETA_ADMIN, team_id=BETA)
    assert response.status_code == 200
    home = {"type": "app_home_opened", "user": BETA_ADMIN, "channel": "DBETA", "tab": "home"}
    await event(slack, home, event_id=f"EvBETA-{name}-{text}"[:60], team_id=BETA)
    await drain_background_tasks()
    shown = heard(fake_slack, 0)
    assert "response_url" in shown and "views.publish" in shown
    check_nothing_of_alpha(shown)
    assert await snapshot(runtime.engine, team_id=ALPHA) == before
    assert fake_slack.take_violations() == []
