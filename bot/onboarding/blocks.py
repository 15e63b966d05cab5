"""The welcome DM's Block Kit: pure, content in, message out.

Every stored text (vision, mission, priorities, team names, goal titles) is shown through
``shown``: unescaped first, so text stored escaped is not escaped twice, then escaped, so no
mention, broadcast or disguised link reaches the newcomer. Each part is cut to a share of
Slack's budget, so the whole message stays far below the ~13k characters Slack accepts.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject

from bot.core.text_input import escape_mrkdwn, unescape_stored
from bot.goals.progress import STATUS_LABELS, progress_bar
from bot.onboarding import texts
from bot.onboarding.content import TeamPlan, WelcomeContent
from bot.slack.messages import Reply, plain_fallback, section, truncate

STATEMENT_MAX = 1200
PRIORITIES_MAX = 3000
TEAM_MAX = 1500
NAME_MAX = 80


def shown(text: str, limit: int = 3000) -> str:
    """Stored text as the newcomer may see it, escaped, at most ``limit`` characters once
    escaped (an entity such as ``&amp;`` is never cut)."""
    pieces, used = [], 0
    for char in unescape_stored(text).strip():
        piece = escape_mrkdwn(char)
        if used + len(piece) > limit - 1:
            pieces.append("…")
            break
        pieces.append(piece)
        used += len(piece)
    return "".join(pieces)


def _statements(content: WelcomeContent) -> list[dict[str, Any]]:
    parts = [
        f"{title}\n>" + shown(text, STATEMENT_MAX).replace("\n", "\n>")
        for title, text in (
            (texts.VISION_TITLE, content.vision),
            (texts.MISSION_TITLE, content.mission),
        )
        if text.strip()
    ]
    return [section(part) for part in parts] or [section(texts.NO_STATEMENTS)]


def _priorities(content: WelcomeContent) -> list[dict[str, Any]]:
    if not content.priorities:
        return []
    lines = [
        texts.priority_line(
            priority.rank, shown(priority.title, NAME_MAX), shown(priority.why, 300)
        )
        for priority in content.priorities
    ]
    return [section(truncate("\n\n".join([texts.PRIORITIES_TITLE, *lines]), PRIORITIES_MAX))]


def _team(plan: TeamPlan, content: WelcomeContent) -> dict[str, Any]:
    name = shown(plan.name, NAME_MAX)
    lines = [texts.team_title(name, plan.lead_user_id, content.user_id, content.quarter.label)]
    lines += [
        texts.goal_line(
            view.goal.number,
            shown(view.goal.title, 150),
            progress_bar(view.progress),
            STATUS_LABELS[view.status],
        )
        for view in plan.goals
    ] or [texts.NO_GOALS]
    if plan.more_goals:
        lines.append(texts.more_goals(plan.more_goals, name))
    return section(truncate("\n".join(lines), TEAM_MAX))


def _teams(content: WelcomeContent) -> list[dict[str, Any]]:
    if not content.teams:
        return [section(texts.NO_TEAM)]
    blocks = [_team(plan, content) for plan in content.teams]
    if content.more_teams:
        blocks.append(section(texts.more_teams(content.more_teams)))
    return blocks


def build_welcome(content: WelcomeContent, *, preview: bool = False) -> Reply:
    """The one welcome DM of ``content.user_id`` (``preview``: marked as a preview)."""
    workspace = shown(content.workspace_name, NAME_MAX)
    team = shown(content.joined_team, NAME_MAX) if content.joined_team else None
    blocks: list[dict[str, Any]] = [HeaderBlock(text=texts.HEADER).to_dict()]
    if preview:
        blocks.append(section(texts.PREVIEW_NOTE))
    blocks += [
        section(texts.intro(content.user_id, workspace, team)),
        *_statements(content),
        *_priorities(content),
        DividerBlock().to_dict(),
        *_teams(content),
        DividerBlock().to_dict(),
        section(f"{texts.CHECKIN_TITLE}\n{texts.CHECKIN_HOW} {content.next_checkin}"),
    ]
    if content.kudos_on:
        blocks.append(section(f"{texts.KUDOS_TITLE}\n{texts.KUDOS_HOW}"))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=texts.FOOTER)]).to_dict())
    return Reply(text=plain_fallback(texts.fallback(content.user_id)), blocks=blocks)
