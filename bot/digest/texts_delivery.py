"""What Northstar says about digest delivery (the commands' texts live beside the commands)."""

from __future__ import annotations

from bot.core.weeks import week_label
from bot.digest.model import COMPANY_SCOPE

CHART_TITLE = "KPI trends"
CHART_COMMENT = ":chart_with_upwards_trend: The most important KPIs over their recent values."


def where(scope_name: str, scope: str) -> str:
    return "the company digest" if scope == COMPANY_SCOPE else f"the *{scope_name}* team digest"


def channel_problem(*, what: str, channel_id: str, week: str, error: str) -> str:
    """The one DM admins get when a digest channel refuses the post, with what to do."""
    text = (
        f":warning: Northstar could not post {what} for the {week_label(week)} in "
        f"<#{channel_id}>: Slack said `{error}`. Other digests are not affected; Northstar "
        "tries again every few minutes until the day after the week ends. "
    )
    if error == "not_in_channel":
        return text + (
            f"Invite Northstar to the channel (type `/invite @Northstar` in <#{channel_id}>) "
            "and the digest follows, marked late."
        )
    if error == "is_archived":
        return text + (
            "The channel is archived. Unarchive it, or choose another with "
            "`/align digest #channel`."
        )
    return text + (
        "The channel no longer exists or Northstar cannot see it. Choose another with "
        "`/align digest #channel`, or turn the "
        "digest off with `/align digest off`."
    )
