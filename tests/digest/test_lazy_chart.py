"""The digest never imports matplotlib (about 50 MiB with numpy): its KPI chart is drawn with
Pillow, so a process that builds and charts digests does not pay for it; and a server that has
not drawn a chart yet has not loaded Pillow either (about 5 MiB)."""

from __future__ import annotations

import subprocess
import sys


def test_drawing_the_digest_chart_leaves_matplotlib_unimported() -> None:
    probe = """
import sys
from datetime import date
import bot.digest.chart, bot.digest.delivery, bot.digest.service
from bot.digest.chart import render_kpi_chart
from bot.digest.model import KpiLine, KpiPoint
from bot.kpis.health import Health
history = (KpiPoint(date(2026, 9, 7), 10.0), KpiPoint(date(2026, 9, 14), 12.5))
line = KpiLine(
    number=1, name="Revenue", unit="$", higher_is_better=True, target=15.0,
    green_threshold=14.0, red_threshold=11.0, latest=12.5, latest_on=date(2026, 9, 14),
    health=Health.AMBER, arrow="", history=history, charted=True,
)
chart = render_kpi_chart([line, line], title="KPIs")
print(chart is not None and len(chart.png) > 1000, "matplotlib" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False"]


def test_the_server_loads_no_charting_library_until_a_chart_is_drawn() -> None:
    probe = (
        "import sys, bot.app.process, bot.digest.delivery, bot.digest.service; "
        "print(sorted(name for name in ('PIL', 'matplotlib') if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
