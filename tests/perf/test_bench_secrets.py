"""The benchmarks sign with the fake Slack's secret, repeated so their servers load less."""

from __future__ import annotations

from bench.ack_floor import SIGNING_SECRET as FLOOR_SECRET
from bench.support import SIGNING_SECRET
from fakeslack.app_requests import DEFAULT_SIGNING_SECRET


def test_the_benchmarks_sign_as_the_fake_slack_does() -> None:
    assert SIGNING_SECRET == FLOOR_SECRET == DEFAULT_SIGNING_SECRET
