"""Key results as lines under their objective: value / target, progress, confidence trend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.core.numbers import format_value, progress_bar
from bot.core.text_input import escape_mrkdwn
from bot.okrs.rollup import key_result_progress
from bot.slack.messages import truncate
from storage.models import KeyResult

TREE_TITLE_CHARS = 60


def confidence_trend(confidences: Sequence[int]) -> str:
    """``6 → 7 → 8``, oldest first."""
    return " → ".join(str(confidence) for confidence in confidences)


def key_result_line(
    key_result: KeyResult, confidences: Sequence[int] = (), *, title_chars: int = 150
) -> str:
    title = escape_mrkdwn(truncate(key_result.title, title_chars))
    unit = escape_mrkdwn(key_result.unit)
    values = (
        f"{format_value(key_result.current_value, unit)} / "
        f"{format_value(key_result.target_value, unit)}"
    )
    bar = progress_bar(key_result_progress(key_result))
    line = f"*KR {key_result.position}* {title} · {values} `{bar}`"
    if key_result.weight != 1:
        line += f" · weight {format_value(key_result.weight)}"
    trend = list(confidences) or ([key_result.confidence] if key_result.confidence else [])
    if trend:
        line += f" · confidence {confidence_trend(trend)}"
    if key_result.kpi_id is not None:
        line += " · _from a KPI_"
    return line


def key_results_text(
    key_results: Sequence[KeyResult], confidences: Mapping[int, Sequence[int]]
) -> str:
    """The *Key results* section of ``/goal show``."""
    lines = [key_result_line(kr, confidences.get(kr.id or 0, ())) for kr in key_results]
    return "*Key results*\n" + "\n".join(lines)


def tree_key_result_lines(key_results: Sequence[KeyResult], indent: str) -> list[str]:
    """Short lines for the cascade tree, indented under their objective."""
    return [
        f"{indent}↳ KR {kr.position} {escape_mrkdwn(truncate(kr.title, TREE_TITLE_CHARS))} "
        f"`{progress_bar(key_result_progress(kr))}`"
        for kr in key_results
    ]
