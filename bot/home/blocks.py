"""The App Home tab: each person's dashboard by role, within Slack's 100-block limit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.checkins.blocks.prompts import ANSWER_ACTION as CHECKIN_ANSWER_ACTION
from bot.checkins.blocks.setup_list import setup_buttons, setup_sections
from bot.checkins.texts_setups import LIST_HEADER as SETUPS_HEADER
from bot.goals.blocks.messages import at_least, goal_line
from bot.goals.progress import GoalView
from bot.home import texts
from bot.home.data import HomeData
from bot.home.goal_sections import KPIS_SHOWN, MY_GOALS_SHOWN, OTHER_GOALS_SHOWN
from bot.kpis.health import Health, format_value, kpi_health, sparkline, trend_arrow
from bot.pulse.delivery import ANSWER_ACTION as SURVEY_ANSWER_ACTION
from bot.slack.messages import truncate
from bot.strategy.texts import priority_line
from storage.models import Kpi, KpiValue

OPEN_UPDATE_ACTION = "goal_open_update"
# The Home's own buttons; each opens the modal its slash command opens (bot/home/buttons.py).
NEW_GOAL_ACTION = "home_new_goal"
NEW_KPI_ACTION = "home_new_kpi"
LOG_KPI_ACTION = "home_log_kpi"
FEEDBACK_ACTION = "home_feedback"
CHECKIN_STATUS_ACTION = "home_checkin_status"
CHECKIN_SETTINGS_ACTION = "home_checkin_settings"
NEW_SURVEY_ACTION = "home_new_survey"
SURVEYS_SHOWN = 5
SETUPS_SHOWN = 5
HEALTH_ICONS = {
    Health.GREEN: ":large_green_circle:",
    Health.AMBER: ":large_yellow_circle:",
    Health.RED: ":red_circle:",
    Health.NO_DATA: ":white_circle:",
}


def _statement(title: str, text: str, empty: str) -> list[Any]:
    return [
        HeaderBlock(text=title),
        SectionBlock(text=MarkdownTextObject(text=truncate(text, 3000) if text else empty)),
    ]


def _priorities(data: HomeData) -> list[Any]:
    """The ranked priorities with their why; for admins, what no goal serves and the reverse."""
    lines = [priority_line(p.rank, p.title, p.why) for p in data.priorities]
    if not lines and not data.viewer_is_admin:
        return []
    blocks: list[Any] = [
        HeaderBlock(text=texts.PRIORITIES_HEADER),
        SectionBlock(
            text=MarkdownTextObject(
                text=truncate("\n".join(lines), 3000) if lines else texts.NO_PRIORITIES_ADMIN
            )
        ),
    ]
    if data.strategy_flags:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=truncate(data.strategy_flags, 3000))])
        )
    return blocks


def _more(total: int, shown: int, command: str, *, capped: bool = True) -> list[Any]:
    """ "…and 12 more", or "…and 992+ more" when ``total`` is a ``capped`` count (the goal
    sections' stop at ``COUNT_CAP``)."""
    if total <= shown:
        return []
    plus = at_least(total) if capped else ""
    text = f"…and {total - shown:,}{plus} more: `{command}`"
    return [ContextBlock(elements=[MarkdownTextObject(text=text)])]


def _answer(text: str, action_id: str, value: int) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=truncate(text, 3000)),
        accessory=ButtonElement(
            text=texts.ANSWER_BUTTON, action_id=action_id, value=str(value), style="primary"
        ),
    )


def _to_do(data: HomeData) -> list[Any]:
    """The person's own open check-in and unanswered surveys, each with its Answer button."""
    blocks: list[Any] = []
    pending = data.pending_checkin
    if pending is not None:
        blocks.append(
            _answer(
                texts.pending_checkin(pending.week, pending.closes_local),
                CHECKIN_ANSWER_ACTION,
                pending.delivery_id,
            )
        )
    for survey in data.open_surveys[:SURVEYS_SHOWN]:
        blocks.append(
            _answer(
                texts.open_survey(survey.title, survey.closes_local),
                SURVEY_ANSWER_ACTION,
                survey.survey_id,
            )
        )
    if not blocks:
        return []
    return [HeaderBlock(text=texts.HOME_TODO_HEADER), *blocks, DividerBlock()]


def _button(text: str, action_id: str) -> ButtonElement:
    return ButtonElement(text=text, action_id=action_id, value="home")


def _quick_actions() -> list[Any]:
    return [
        ActionsBlock(
            block_id="home_actions",
            elements=[
                _button(texts.NEW_GOAL_BUTTON, NEW_GOAL_ACTION),
                _button(texts.LOG_KPI_BUTTON, LOG_KPI_ACTION),
                _button(texts.NEW_KPI_BUTTON, NEW_KPI_ACTION),
                _button(texts.FEEDBACK_BUTTON, FEEDBACK_ACTION),
            ],
        )
    ]


def _my_goals(data: HomeData) -> list[Any]:
    blocks: list[Any] = [HeaderBlock(text=":dart: My goals")]
    if data.period_label:
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=texts.goals_period_note(data.period_label))]
            )
        )
    if not data.my_goals:
        return [*blocks, SectionBlock(text=MarkdownTextObject(text=texts.HOME_NO_GOALS))]
    for view in data.my_goals[:MY_GOALS_SHOWN]:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=truncate(goal_line(view, data.page), 3000)),
                accessory=ButtonElement(
                    text="Update", action_id=OPEN_UPDATE_ACTION, value=str(view.goal.number)
                ),
            )
        )
    return blocks + _more(_total(data, "mine"), MY_GOALS_SHOWN, "/goal list")


def _total(data: HomeData, section: str) -> int:
    """How many goals a section holds (its first are shown)."""
    return data.goal_totals.get(section, 0)


def _goal_lines(
    title: str, section: str, views: Sequence[GoalView], data: HomeData, command: str
) -> list[Any]:
    if not views:
        return []
    text = "\n\n".join(goal_line(view, data.page) for view in views[:OTHER_GOALS_SHOWN])
    return [
        HeaderBlock(text=title),
        SectionBlock(text=MarkdownTextObject(text=truncate(text, 3000))),
        *_more(_total(data, section), OTHER_GOALS_SHOWN, command),
    ]


def kpi_line(kpi: Kpi, values: Sequence[KpiValue]) -> str:
    numbers = [value.value for value in values]
    latest = numbers[-1] if numbers else None
    health = kpi_health(
        latest,
        higher_is_better=kpi.higher_is_better,
        green=kpi.green_threshold,
        red=kpi.red_threshold,
    )
    shown = format_value(latest, kpi.unit) if latest is not None else "no value yet"
    return (
        f"{HEALTH_ICONS[health]} *K-{kpi.number}* {kpi.name}: {shown} "
        f"(target {format_value(kpi.target, kpi.unit)}) {trend_arrow(numbers)} {sparkline(numbers)}"
    ).rstrip()


def _my_kpis(data: HomeData) -> list[Any]:
    if not data.my_kpis:
        return []
    text = "\n".join(kpi_line(kpi, values) for kpi, values in data.my_kpis[:KPIS_SHOWN])
    return [
        HeaderBlock(text=":bar_chart: My KPIs"),
        SectionBlock(text=MarkdownTextObject(text=truncate(text, 3000))),
        *_more(data.my_kpis_total, KPIS_SHOWN, "/kpi list", capped=False),
    ]


def _care_buttons(data: HomeData) -> list[ButtonElement]:
    buttons = [_button(texts.CHECKIN_STATUS_BUTTON, CHECKIN_STATUS_ACTION)]
    if data.viewer_is_admin:
        buttons += [
            _button(texts.CHECKIN_SETTINGS_BUTTON, CHECKIN_SETTINGS_ACTION),
            _button(texts.NEW_SURVEY_BUTTON, NEW_SURVEY_ACTION),
        ]
    return buttons


def _setups(data: HomeData) -> list[Any]:
    """The check-in setups, each with its days, time and people, and Edit where allowed."""
    if not data.setups:
        return []
    return [
        HeaderBlock(text=SETUPS_HEADER),
        *setup_sections(data.setups, data.team_names, shown=SETUPS_SHOWN, buttons=False),
        setup_buttons(data.setups, shown=SETUPS_SHOWN, block_id="home_checkin_setups"),
    ]


def _in_care(data: HomeData) -> list[Any]:
    """Admins' and team leads' own section: what needs attention, and their buttons."""
    if not (data.viewer_is_admin or data.viewer_is_lead):
        return []
    if data.viewer_is_admin:
        header = texts.ADMIN_HEADER
        counts: list[Any] = [
            ContextBlock(
                elements=[
                    MarkdownTextObject(text=texts.home_admin_counts(data.not_aligned, data.stale))
                ]
            )
        ]
        if data.next_checkin:
            counts.append(
                ContextBlock(elements=[MarkdownTextObject(text=f":calendar: {data.next_checkin}")])
            )
    else:
        header, counts = texts.lead_header(data.led_team_names), []
    attention = _goal_lines(
        texts.ATTENTION_HEADER, "attention", data.attention_goals, data, "/goal list all"
    ) or [SectionBlock(text=MarkdownTextObject(text=texts.ATTENTION_NONE))]
    return [
        DividerBlock(),
        HeaderBlock(text=header),
        *counts,
        *attention,
        *_setups(data),
        ActionsBlock(block_id="home_care_actions", elements=_care_buttons(data)),
    ]


def build_home_view(data: HomeData) -> dict[str, Any]:
    no_vision = texts.HOME_NO_VISION_ADMIN if data.viewer_is_admin else texts.HOME_NO_VISION
    no_mission = texts.HOME_NO_MISSION_ADMIN if data.viewer_is_admin else texts.HOME_NO_MISSION
    teams = ", ".join(data.my_team_names) or "your teams"
    commands = texts.command_lines(
        lead=data.viewer_is_lead, admin=data.viewer_is_admin, owner=data.viewer_is_owner
    )
    blocks: list[Any] = [
        *_statement(":star2: Our north star", data.vision, no_vision),
        *_statement(":compass: Our mission", data.mission, no_mission),
        *_priorities(data),
        DividerBlock(),
        *_to_do(data),
        *_my_goals(data),
        *_quick_actions(),
        *_goal_lines(
            truncate(f":busts_in_silhouette: Goals of {teams}", 150),
            "team",
            data.team_goals,
            data,
            "/goal list team <name>",
        ),
        *_my_kpis(data),
        *_goal_lines(
            ":office: Company goals", "company", data.company_goals, data, "/goal list company"
        ),
        *_in_care(data),
        DividerBlock(),
        HeaderBlock(text=texts.HOME_COMMANDS_HEADER),
        SectionBlock(text=MarkdownTextObject(text=commands)),
        ContextBlock(elements=[MarkdownTextObject(text=texts.HOME_FOOTER)]),
    ]
    return View(type="home", blocks=blocks).to_dict()
