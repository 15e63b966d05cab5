"""The benchmarks still run: each at its tiniest sizes, asserting that figures come out and
that SQL statements per operation do not depend on the size. Never on timings."""

from __future__ import annotations

import pytest

from bench import ack, digest, fanout, goals
from bench.all import growing_statements, in_order
from bench.digest_seed import Size
from bench.goals_seed import GoalsSize
from bench.report import Row, format_table, parse_rows
from bench.targets import format_verdicts, verdicts
from bot.checkins import run_context
from bot.checkins.rounds import BATCH_GROWTH, FIRST_BATCH
from bot.slack.fanout import SEND_CONCURRENCY


def statements(rows: list[Row]) -> dict[str, float | None]:
    return {row.benchmark: row.sql_per_op for row in rows}


def test_ack_measures_northstar_the_floor_and_their_ratio() -> None:
    northstar, floor, ratio = ack.run(requests=10, rounds=1, goals=30)

    assert northstar.samples == floor.samples == 10
    for row in (northstar, floor):
        assert row.p50 and row.p95 and row.p99 and row.rate
        assert row.p50 <= row.p95 <= row.p99
        assert row.memory_idle and row.memory_peak and row.memory_peak >= row.memory_idle
    assert northstar.sql_per_op and northstar.sql_per_op > 0
    assert floor.sql_per_op == 0
    assert northstar.p99 and floor.p99
    assert ratio.ratio and ratio.p99 == northstar.p99 / floor.p99
    assert "server CPU" in northstar.note
    assert "replies lost: 0 of 10" in northstar.note


def test_goals_statements_do_not_grow_with_the_workspace() -> None:
    # both with the seed's three levels (company, team, personal: past goal 220), as at 1x and
    # 10x, so that the tree reads the same number of levels
    small = goals.run(GoalsSize(goals=300, kpis=2), repeats=2)
    large = goals.run(GoalsSize(goals=900, kpis=4), repeats=2)

    assert [row.benchmark for row in small] == [
        "goals: /goal list all",
        "goals: /goal tree",
        "goals: /kpi list",
        "goals: App Home",
    ]
    assert all(row.p50 and row.p50 > 0 and row.memory_peak for row in small + large)
    assert statements(small) == statements(large)
    assert all(count and count > 0 for count in statements(small).values())


def test_digest_statements_do_not_grow_with_the_workspace() -> None:
    small = digest.run_size(Size(people=40, goals=500, kpis=4), repeats=1)
    large = digest.run_size(Size(people=80, goals=1_000, kpis=8), repeats=1)

    assert small.millis["total"][0] > 0 and small.scopes == 21
    assert small.memory_peak >= small.memory_idle > 0
    assert small.run_statements == large.run_statements
    rows = digest.rows_of(small, digest.size_label(small.size))
    assert [row.sql_per_op for row in rows] == [small.statements[0], None, small.run_statements[0]]


def test_fanout_costs_the_same_statements_for_each_more_person() -> None:
    # one, two and three groups more than the first batch: each run lists its people twice
    sizes = [FIRST_BATCH + groups * SEND_CONCURRENCY for groups in (1, 2, 3)]
    assert sizes[-1] <= FIRST_BATCH * (1 + BATCH_GROWTH)
    rows = [fanout.run(people=people, latency=0) for people in sizes]

    assert [row.samples for row in rows] == sizes
    assert all(row.rate and row.rate > 0 and row.memory_peak for row in rows)
    totals = [round((row.sql_per_op or 0) * row.samples) for row in rows]
    assert totals[1] - totals[0] == totals[2] - totals[1] > 0  # a fixed number per person


def test_fanout_of_several_setups_sends_each_once_at_the_same_cost_per_dm() -> None:
    one, three = fanout.run(people=10, latency=0), fanout.run(people=10, latency=0, setups=3)

    assert (one.samples, three.samples) == (10, 30)  # the run itself checks exactly once
    assert three.sql_per_op is not None and one.sql_per_op is not None
    # a run's fixed statements weigh less per DM the more DMs it sends
    assert three.sql_per_op <= one.sql_per_op + 0.5


def test_fanout_fails_when_slack_would_refuse_its_dms(monkeypatch: pytest.MonkeyPatch) -> None:
    # the fake Slack checks each DM's Block Kit after the run (bench.fanout_slack): still checked
    def too_long(**_: object) -> dict[str, object]:
        return {
            "text": "Check-in",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
        }

    monkeypatch.setattr(run_context, "build_checkin_prompt", too_long)
    with pytest.raises(RuntimeError, match="would have refused"):
        fanout.run(people=3, latency=0)


def test_rows_travel_as_json_lines_and_print_as_one_table() -> None:
    rows = [
        Row("goals: /goal tree", "2,000 goals", 10, 1.5, 2.0, 2.5, sql_per_op=5.0),
        Row("fan-out: DMs", "1,000 people", 1000, rate=140.5, rate_unit="DMs/s", note="fine"),
        Row("goals: /goal tree", "20,000 goals", 10, 15.0, 20.0, 25.0, sql_per_op=6.0),
    ]
    output = "progress on stdout is ignored\n" + "\n".join(row.to_json() for row in rows)

    assert parse_rows(output) == rows
    assert [row.size for row in in_order(rows)] == ["2,000 goals", "20,000 goals", "1,000 people"]
    assert growing_statements(rows) == ["goals: /goal tree"]
    table = format_table(rows).splitlines()
    assert table[0].startswith("| benchmark") and "140.5 DMs/s" in table[3]
    assert table[-1] == "- fan-out: DMs, 1,000 people: fine"


def test_targets_read_each_figure_against_its_own_baseline() -> None:
    rows = [
        Row("ack: Northstar ÷ floor", "200", 600, 1.1, 1.15, 1.3, ratio=True),
        Row("goals: /goal tree", "2,000 goals", 10, 40.0, 50.0, 60.0),
        Row("goals: /goal tree", "20,000 goals", 10, 50.0, 70.0, 80.0),
        Row("goals: /kpi list", "2,000 goals", 10, 20.0, 30.0, 40.0),
        Row("goals: /kpi list", "20,000 goals", 10, 90.0, 95.0, 99.0),
        Row("fan-out: check-in DMs, no rate limits", "1,000", 1000, rate=380.0, floor=400.0),
        Row("fan-out: check-in DMs, 20 x HTTP 429", "1,000", 1000, rate=150.0, floor=200.0),
    ]
    found = {verdict.target.split(":")[0]: verdict.met for verdict in verdicts(rows)}

    assert found["acks p50/p95/p99 within 1.2x the floor"] is False  # p99 is 1.3x
    assert found["/goal tree"] is True  # 50 ms, 1.25x of 1x
    assert found["/kpi list"] is False  # under 100 ms, but 4.5x of 1x
    assert found["/goal list all"] is None  # not measured in this run
    assert found["check-in DMs, no rate limits, 1,000"] is True
    assert found["check-in DMs, 20 x HTTP 429, 1,000"] is False  # 75% of its floor
    assert "not measured" in format_verdicts(verdicts([]))
