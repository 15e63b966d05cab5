"""A KPI as the digest shows it: its recent values, latest value, health and trend."""

from __future__ import annotations

from collections.abc import Sequence

from bot.digest.model import KpiLine, KpiPoint
from bot.kpis.blocks.messages import health_of
from bot.kpis.health import trend_arrow
from storage.models import Kpi
from storage.repositories.kpis import ValuePoint


def kpi_line(kpi: Kpi, rows: Sequence[ValuePoint]) -> KpiLine:
    """``kpi`` with its recent values ``rows`` (oldest first), not charted."""
    history = tuple(KpiPoint(row.recorded_on, row.value) for row in rows)
    latest = history[-1] if history else None
    return KpiLine(
        number=kpi.number,
        name=kpi.name,
        unit=kpi.unit,
        higher_is_better=kpi.higher_is_better,
        target=kpi.target,
        green_threshold=kpi.green_threshold,
        red_threshold=kpi.red_threshold,
        latest=latest.value if latest else None,
        latest_on=latest.day if latest else None,
        health=health_of(kpi, rows),
        arrow=trend_arrow([point.value for point in history]),
        history=history,
        charted=False,
    )
