"""The acknowledgement benchmark counts lost replies and can draw charts during a burst.
Never on timings."""

from __future__ import annotations

from bench import ack


def test_the_ack_bench_reports_no_lost_reply_with_charts_drawn_beside() -> None:
    northstar, _floor, _ratio = ack.run(requests=12, rounds=1, goals=30, charts=2)

    assert northstar.size == "12 concurrent, 30 goals, 2 charts in a thread"
    assert "replies lost: 0 of 12" in northstar.note
