"""The KPI chart at the edges of what the KPI form lets people enter: zones thinner than a
pixel, line breaks in a unit, and a chart that cannot be drawn at all, which must not hold the
digest back."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.digest.chart
from bot.core.runtime import Runtime
from bot.digest.chart import render_kpi_chart
from bot.digest.chart_draw import draw_chart
from fakeslack import FakeSlack
from storage.models import DigestPost
from tests.digest.helpers import DIGEST_CHANNEL, DUE, build_bakery
from tests.digest.layout_checks import drawn_outside, layout_problems
from tests.digest.test_chart import kpi, layout_of
from tests.digest.test_delivery import posts, rows, run_digest


@settings(max_examples=60, deadline=None)
@given(
    green=st.floats(-1e7, 1e7),
    gap=st.floats(1e-6, 1.0),
    spread=st.floats(1.0, 1e6),
    higher_is_better=st.booleans(),
)
def test_an_amber_band_thinner_than_a_pixel_is_drawn_as_nothing(
    green: float, gap: float, spread: float, higher_is_better: bool
) -> None:
    # "green at 12,000 or more, red at 11,999 or less" on an axis of a million: the band
    # between them rounds to no pixel at all
    red = green - gap if higher_is_better else green + gap
    line = kpi(
        [green - spread, green, green + spread],
        target=green + spread / 2,
        green=green,
        red=red,
        higher_is_better=higher_is_better,
    )
    chart = render_kpi_chart([line], title="KPIs")
    assert chart is not None and chart.png.startswith(b"\x89PNG")
    layout = layout_of(line)
    assert all(band.box.bottom > band.box.top for band in layout.panels[0].zones)


def test_line_breaks_in_a_unit_or_title_are_written_as_spaces() -> None:
    line = kpi([1.0, 2.0], unit="requests\nper\r\nsecond\x85now", name="Two\nlines")
    layout = layout_of(line, title="Key KPIs\rthis week")
    assert layout.title.text == "Key KPIs this week"
    unit = layout.panels[0].unit
    assert unit is not None and "\n" not in unit.text and "\r" not in unit.text
    assert layout_problems(layout) == []
    assert drawn_outside(layout, draw_chart(layout)) is None


async def test_a_chart_that_cannot_be_drawn_leaves_the_digest_done_without_it(
    runtime: Runtime,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("cannot open resource")  # as Pillow says of a font it cannot read

    monkeypatch.setattr(bot.digest.chart, "render_kpi_chart", broken)
    await build_bakery(runtime)
    with caplog.at_level(logging.ERROR, logger="bot.digest.thread_posting"):
        outcome = await run_digest(runtime, fake_slack, DUE + timedelta(seconds=30))
    assert outcome.status == "done" and "failed" not in outcome.detail, outcome.detail
    assert posts(fake_slack, DIGEST_CHANNEL, thread=True)  # the thread went out
    assert not fake_slack.calls_to("files.completeUploadExternal")
    assert all(post.chart_done for post in await rows(runtime, DigestPost))
    assert "the KPI chart could not be drawn" in caplog.text

    again = await run_digest(runtime, fake_slack, DUE + timedelta(minutes=5, seconds=30))
    assert "already taken" in again.detail  # finished: not retried every run
