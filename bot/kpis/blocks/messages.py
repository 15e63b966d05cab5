"""Messages of ``/kpi``: help, the list, one KPI in detail, and the owner's sync warning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.kpis import texts
from bot.kpis.health import Health, format_value, kpi_health, sparkline, trend_arrow
from bot.slack.messages import Reply, build_lines, build_notice, plain_fallback, truncate
from storage.models import Kpi, KpiValue

SYNC_NOW_ACTION = "kpi_sync_now"
FIELD_TEXT_MAX = 2000
LIST_LINES_MAX = 45  # KPI lines in one /kpi list message, within Slack's 50 blocks
LIST_PAGE = LIST_LINES_MAX + 1  # KPIs read for it: one more, so "…and N more" is written


class Valued(Protocol):
    """A KPI value as stored (``KpiValue``) or read as a plain tuple (``ValuePoint``)."""

    @property
    def value(self) -> float: ...


def health_of(kpi: Kpi, values: Sequence[Valued]) -> Health:
    latest = values[-1].value if values else None
    return kpi_health(
        latest,
        higher_is_better=kpi.higher_is_better,
        green=kpi.green_threshold,
        red=kpi.red_threshold,
    )


def build_kpi_help() -> Reply:
    lines = "\n".join(f"`{command}` {what}" for command, what in texts.HELP_COMMANDS)
    blocks = [
        HeaderBlock(text=texts.HELP_TITLE),
        SectionBlock(text=MarkdownTextObject(text=texts.HELP_INTRO)),
        SectionBlock(text=MarkdownTextObject(text=lines)),
        SectionBlock(text=MarkdownTextObject(text=texts.HELP_RULES)),
        ContextBlock(elements=[MarkdownTextObject(text=texts.HELP_EXAMPLE)]),
    ]
    fallback = f"{texts.HELP_TITLE}. " + "; ".join(command for command, _ in texts.HELP_COMMANDS)
    return Reply(text=fallback, blocks=[block.to_dict() for block in blocks])


def list_line(kpi: Kpi, values: Sequence[KpiValue]) -> str:
    latest = format_value(values[-1].value, kpi.unit) if values else texts.NO_VALUE
    return texts.list_line(
        kpi.number,
        kpi.name,
        latest,
        format_value(kpi.target, kpi.unit),
        health_of(kpi, values).value,
        trend_arrow([value.value for value in values]),
    )


def build_kpi_list(
    kpis: Sequence[Kpi], values: Mapping[int, Sequence[KpiValue]], *, total: int | None = None
) -> Reply:
    """One line per KPI of the page; past Slack's limits the rest is counted ("…and N more").

    ``kpis`` is the first page of a list of ``total`` KPIs (all of them when ``total`` is not
    given); a page of ``LIST_PAGE`` KPIs holds one more than the message shows, so that the
    count of the rest is always written."""
    if not kpis:
        return build_notice(texts.NO_KPIS)
    count = len(kpis) if total is None else max(total, len(kpis))
    not_fetched = count - len(kpis)
    lines = [list_line(kpi, values.get(kpi.id or 0, [])) for kpi in kpis]
    reply = build_lines(
        texts.LIST_HEADER,
        lines,
        more=lambda hidden: texts.and_more(hidden + not_fetched),
        footer=texts.LIST_FOOTER,
        max_sections=LIST_LINES_MAX,
    )
    return Reply(text=plain_fallback(f"{texts.LIST_HEADER}: {count}"), blocks=reply["blocks"])


@dataclass(frozen=True)
class KpiDetails:
    """One KPI and what ``/kpi show`` says about it; ``values`` are oldest first."""

    kpi: Kpi
    values: Sequence[KpiValue]
    team_name: str | None = None
    goal_label: str | None = None
    source_text: str | None = None


def _field(label: str, mrkdwn: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=truncate(f"*{label}*\n{mrkdwn}", FIELD_TEXT_MAX))


def build_kpi_show(details: KpiDetails) -> Reply:
    kpi, values = details.kpi, details.values
    health = health_of(kpi, values)
    numbers = [value.value for value in values]
    latest = values[-1] if values else None
    shown_latest = format_value(latest.value, kpi.unit) if latest else texts.NO_VALUE
    cadence = kpi.cadence.capitalize()
    fields = [
        _field(
            texts.SHOW_LATEST,
            texts.show_latest(shown_latest, latest.recorded_on if latest else None, health.value),
        ),
        _field(texts.SHOW_TARGET, format_value(kpi.target, kpi.unit)),
        _field(
            texts.SHOW_THRESHOLDS,
            texts.show_thresholds(
                kpi.higher_is_better,
                format_value(kpi.green_threshold, kpi.unit),
                format_value(kpi.red_threshold, kpi.unit),
            ),
        ),
        _field(
            texts.SHOW_TREND,
            texts.show_trend(trend_arrow(numbers), sparkline(numbers), len(numbers)),
        ),
        _field(texts.SHOW_OWNER, f"<@{kpi.owner_id}>"),
        _field(texts.SHOW_TEAM, texts.safe(details.team_name or texts.SHOW_NONE)),
        _field(texts.SHOW_GOAL, texts.safe(details.goal_label or texts.SHOW_NONE)),
        _field(texts.SHOW_CADENCE, cadence),
        _field(texts.SHOW_SOURCE, texts.safe(details.source_text or texts.SHOW_NO_SOURCE)),
    ]
    blocks: list[Any] = [
        HeaderBlock(text=truncate(f"K-{kpi.number} · {kpi.name}", 150)),
        SectionBlock(fields=fields),
    ]
    if kpi.last_error:
        blocks.append(_section(texts.show_last_error(kpi.last_error)))
    if kpi.archived:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=texts.show_archived(kpi.number))])
        )
    elif kpi.source:
        button = ButtonElement(
            text=texts.SYNC_NOW, action_id=SYNC_NOW_ACTION, value=str(kpi.id), style="primary"
        )
        blocks.append(ActionsBlock(elements=[button]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=texts.show_footer(kpi.number))]))
    summary = plain_fallback(
        f"K-{kpi.number} {texts.safe(kpi.name)}: {shown_latest}, target "
        f"{format_value(kpi.target, kpi.unit)}, {health.value}"
    )
    return Reply(text=summary, blocks=[block.to_dict() for block in blocks])


def _section(mrkdwn: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=truncate(mrkdwn, 3000)))


def build_owner_sync_warning(kpi: Kpi, error: str, source_text: str) -> Reply:
    """The direct message that tells a KPI's owner, once, that its source stopped working."""
    return build_notice(texts.owner_told_sync_failed(kpi.number, kpi.name, error, source_text))
