"""The weekly digest of a bakery whose every number is worked out by hand.

The world (tests/digest/helpers.py) on Friday 27 November 2026, 16:00 UTC, week 2026-W48.
Goals run 1 Nov to 31 Dec: 26 of 60 days have gone, so a goal is on track from 33.3 %
progress (43.3 - 10 points), at risk from 18.3 % and off track below that.

- Open goals: G1 40 % on track, G2 10 % off track, G3 25 % at risk, G4 45 % on track,
  G5 50 % on track, G7 0 % off track (no update since 1 Nov: stale). G6 was completed on
  Wednesday; G8 is dropped and counts nowhere.
  On track 3 of 6 = 50. Linked: G2, G3, G4, G7 of G2, G3, G4, G5, G7 = 4 of 5 = 80.
- Movers this week: G3 0 -> 25 (+25, no earlier update: its start value), G4 30 -> 45
  (+15), G2 5 -> 10 (+5). G1's last update was last week.
- KPIs: K1 $12,500 green (>= 12,000) rising; K2 7 % red (lower is better, >= 6) rising;
  K3 30 amber, flat; K4 no data. Health: 1 green + 1/2 amber of 3 = 50.
- Check-ins: W46 6 of 7 (one skipped) = 86, W47 4 of 8 = 50, W48 5 of 7 = 71.
  Blockers this week: Sales 1 (USALES01; "none" and "" do not count), Ops 2.
- Pulse: "Alignment pulse" closed Thursday with 6 answers: five statements at 4.5 / 5
  (87.5 each) and eNPS (3 promoters - 1 detractor) / 6 = +33 (66.5): pulse part
  (5 * 87.5 + 66.5) / 6 = 84. "Kitchen pulse" closed Friday with 3 of 5 answers: withheld.
- Score: (80 + 50 + 71 + 50 + 84) / 5 = 67; last week's digest showed 60, so +7.
- Sales slice: G2 off, G4 on; linked 2/2 = 100, on track 1/2 = 50, check-ins 3/4 = 75,
  KPI K3 amber = 50, pulse 84: score 359 / 5 = 71.8 -> 72.
- Ops slice: G3 at risk, G5 on, G7 off (+ G6 done); linked 2/3 = 67, on track 1/3 = 33,
  check-ins 2/3 = 67, KPI K2 red = 0, pulse 84: score 251 / 5 = 50.2 -> 50.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.local_time import zone
from bot.core.runtime import Runtime
from bot.digest.build import build_digest
from bot.digest.model import COMPANY_SCOPE, Digest, team_scope
from bot.digest.source import DigestWeek, load_source
from bot.goals.progress import Status
from bot.kpis.health import Health
from tests.digest.helpers import (
    DUE,
    OPS,
    SALES,
    VISION,
    WEEK,
    Bakery,
    build_bakery,
    clock_at,
    remember_score,
)
from tests.slack_requests import TEAM_ID

NOW = DUE + timedelta(seconds=30)


async def digest_of(runtime: Runtime, scope: str = COMPANY_SCOPE) -> Digest:
    period = DigestWeek(week=WEEK, tz=zone("UTC"), now=NOW)
    source = await load_source(runtime=runtime, team_id=TEAM_ID, period=period)
    return build_digest(source, scope=scope)


def parts(digest: Digest) -> dict[str, int | None]:
    return {part.key: part.value for part in digest.score.parts}


@pytest.fixture
async def bakery(runtime: Runtime) -> Bakery:
    world = await build_bakery(runtime)
    clock_at(runtime, NOW)
    return world


async def test_company_digest_numbers_match_the_hand_computed_ones(
    runtime: Runtime, bakery: Bakery
) -> None:
    await remember_score(runtime, "2026-W47", COMPANY_SCOPE, 60)
    digest = await digest_of(runtime)

    assert (digest.week, str(digest.week_start), str(digest.week_end)) == (
        WEEK,
        "2026-11-23",
        "2026-11-29",
    )
    assert digest.vision == VISION and digest.scope_name == "Bakery"
    assert parts(digest) == {
        "linked": 80,
        "on_track": 50,
        "participation": 71,
        "kpi_health": 50,
        "pulse": 84,
    }
    assert (digest.score.score, digest.score.previous, digest.score.change) == (67, 60, 7)

    goals = digest.goals
    assert (goals.on_track, goals.at_risk, goals.off_track) == (3, 1, 2)
    assert [line.number for line in goals.completed] == [6]
    assert [(m.goal.number, round(m.before, 2), round(m.after, 2)) for m in goals.movers] == [
        (3, 0.0, 0.25),
        (4, 0.30, 0.45),
        (2, 0.05, 0.10),
    ]
    assert [(line.number, line.status) for line in goals.needs_attention] == [
        (2, Status.OFF_TRACK),
        (7, Status.OFF_TRACK),
        (3, Status.AT_RISK),
    ]
    assert [(line.number, str(line.last_update)) for line in goals.stale] == [(7, "2026-11-01")]
    assert goals.needs_attention[0].owner_id == SALES[0]

    kpis = {line.number: line for line in digest.kpis}
    assert [(k.latest, k.health, k.arrow) for k in kpis.values()] == [
        (12500, Health.GREEN, "↑"),
        (7, Health.RED, "↑"),
        (30, Health.AMBER, "→"),
        (None, Health.NO_DATA, ""),
    ]
    assert [k.number for k in digest.kpis if k.charted] == [1, 2, 3]
    assert [p.value for p in kpis[1].history] == [9000, 10000, 11000, 12500]

    checkins = digest.checkins
    assert checkins is not None
    assert (checkins.this_week.answered, checkins.this_week.asked, checkins.this_week.rate) == (
        5,
        7,
        71,
    )
    assert [(r.week, r.rate) for r in checkins.trend] == [("2026-W46", 86), ("2026-W47", 50)]
    assert [(b.team, b.count, b.quotes) for b in checkins.blockers] == [
        ("Ops", 2, ()),
        ("Sales", 1, ()),
    ]
    assert checkins.blockers_quoted is False

    pulse = {line.title: line for line in digest.pulse}
    assert pulse["Alignment pulse"].responses == 6
    assert pulse["Alignment pulse"].headlines == (
        "eNPS +33",
        "average agreement 4.5 / 5",
        "lowest: “I understand where the company is heading” 4.5 / 5",
    )
    assert pulse["Kitchen pulse"].responses is None
    assert pulse["Kitchen pulse"].headlines == ()


async def test_team_slices_count_only_their_goals_kpis_and_people(
    runtime: Runtime, bakery: Bakery
) -> None:
    sales = await digest_of(runtime, team_scope(bakery.teams["Sales"]))
    assert sales.scope_name == "Sales"
    assert parts(sales) == {
        "linked": 100,
        "on_track": 50,
        "participation": 75,
        "kpi_health": 50,
        "pulse": 84,
    }
    assert sales.score.score == 72 and sales.score.previous is None
    assert [line.number for line in sales.goals.needs_attention] == [2]
    assert [k.number for k in sales.kpis] == [3]

    ops = await digest_of(runtime, team_scope(bakery.teams["Ops"]))
    assert parts(ops) == {
        "linked": 67,
        "on_track": 33,
        "participation": 67,
        "kpi_health": 0,
        "pulse": 84,
    }
    assert ops.score.score == 50
    assert [line.number for line in ops.goals.completed] == [6]
    assert [(b.team, b.count) for b in ops.checkins.blockers] == [("Ops", 2)]  # type: ignore[union-attr]


async def test_blockers_are_quoted_only_where_teams_share_their_check_ins(
    runtime: Runtime,
) -> None:
    await build_bakery(runtime, share_answers=True)
    digest = await digest_of(runtime)
    assert digest.checkins is not None and digest.checkins.blockers_quoted
    quotes = {b.team: b.quotes for b in digest.checkins.blockers}
    assert quotes == {
        "Ops": ((OPS[0], "Van 2 is in the shop"), (OPS[1], "Need the new route plan.")),
        "Sales": ((SALES[0], "Waiting on pricing sign-off from <finance> & legal"),),
    }


def shown_text(blocks: list[dict[str, object]]) -> str:
    """All text a reader sees in the blocks, in order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


async def test_the_post_shows_every_hand_computed_number(runtime: Runtime, bakery: Bakery) -> None:
    from bot.digest.blocks.post import build_digest_post
    from bot.digest.blocks.thread import build_digest_thread

    await remember_score(runtime, "2026-W47", COMPANY_SCOPE, 60)
    digest = await digest_of(runtime)
    post = build_digest_post(digest)
    text = shown_text(post["blocks"])
    for expected in (
        "week of 23 Nov",
        VISION,
        "67 / 100",
        "+7 from last week",
        "80% · 4 of 5",
        "50% · 3 of 6",
        "71% · 5 of 7",
        "50% · 1 green, 1 amber, 1 red",
        "84% · P-1",
        "3 on track",
        "1 at risk",
        "2 off track",
        "1 completed this week",
        "*G-6* Map every delivery route",
        "*G-3* Cut delivery time &lt;30 min &amp; keep it 0% → 25% (+25 pts)",
        "*G-4* Pitch 20 offices 30% → 45% (+15 pts)",
        "*G-2* Sign 10 office catering contracts 5% → 10% (+5 pts)",
        # USALES01 was mentioned in the movers just above: named here, not mentioned again.
        f"*G-4* Pitch 20 offices 30% → 45% (+15 pts) <@{SALES[0]}>",
        "*G-2* Sign 10 office catering contracts · usales01 · 10%",
        f"*G-7* Second delivery van · <@{OPS[2]}> · 0%",
        "1 goal has had no update in 14 days",
        "$12,500 ↑ · target $15,000",
        "7% ↑ · target 2%",
        "30 → · target 50",
        "Participation this week: 71% (5 of 7) · trend: 86% → 50% → 71%",
        "Ops: 2 people named a blocker",
        "Sales: 1 person named a blocker",
        "*P-1* Alignment pulse: 6 responses · eNPS +33 · average agreement 4.5 / 5",
        "*P-2* Kitchen pulse closed; fewer than 4 answered, so no results are shown",
        "See all goals",
        "Open G-2",
        "Update G-2",
        "Answer this week's check-in",
        "`/kpi list`",
        "`/pulse results P-1`",
    ):
        assert expected in text, expected
    assert "Waiting on pricing" not in text  # not shared in team channels: counted only
    assert len(post["blocks"]) <= 50 and len(text) <= 12_000

    thread = "\n".join(shown_text(reply["blocks"]) for reply in build_digest_thread(digest))
    assert "last update 2026-11-01" in thread
    assert "`▁▃▅█`" in thread  # K-1's four weekly values
    assert "Waiting on pricing" not in thread
