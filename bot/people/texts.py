"""What ``/align admins`` and ``/align team(s)`` say: admins granted and listed, teams changed."""

from __future__ import annotations

from bot.core.texts import ADMINS_EXPLAINED


def admin_added(user_id: str) -> str:
    return f":white_check_mark: <@{user_id}> is now a Northstar admin."


def admin_already(user_id: str) -> str:
    return f"<@{user_id}> is already a Northstar admin; nothing changed."


def admin_removed(user_id: str) -> str:
    return f":white_check_mark: <@{user_id}> is no longer a Northstar admin."


def admin_is_slack_admin(user_id: str) -> str:
    return (
        f"<@{user_id}> is a Slack admin or owner of this workspace, and those are always "
        "Northstar admins; change their role in Slack instead."
    )


def admin_was_not(user_id: str) -> str:
    return f"<@{user_id}> was not a Northstar admin; nothing changed."


def admins_listed(user_ids: list[str]) -> str:
    if not user_ids:
        return f"No Northstar admins are known yet. {ADMINS_EXPLAINED}"
    people = ", ".join(f"<@{user_id}>" for user_id in user_ids)
    return f"Northstar admins: {people}.\n{ADMINS_EXPLAINED}"


# --- teams -----------------------------------------------------------------------------------

NO_TEAMS = (
    "There are no teams yet. An admin creates one with `/align team add Sales #sales lead @ada`."
)
TEAMS_HEADER = "Teams"


def not_team_manager(name: str) -> str:
    return f":no_entry: Only Northstar admins and the lead of {name} can change that team."


def no_such_team(name: str, existing: list[str]) -> str:
    known = ", ".join(existing[:20]) if existing else "none yet"
    return f"There is no team called “{name}”. Teams: {known}. See them all with `/align teams`."


def team_exists(name: str) -> str:
    return f"A team called “{name}” already exists; see `/align teams`."


def team_created(name: str, channel_id: str | None, lead: str | None) -> str:
    parts = [f":white_check_mark: Team *{name}* created"]
    if channel_id:
        parts.append(f"with channel <#{channel_id}>")
    if lead:
        parts.append(f"led by <@{lead}>")
    return " ".join(parts) + f". Add people with `/align team {name} add @person`."


def team_members_added(name: str, added: list[str], asked: list[str]) -> str:
    if not added:
        return f"Everyone you named is already in {name}; nothing changed."
    people = ", ".join(f"<@{user_id}>" for user_id in added)
    already = len(asked) - len(added)
    tail = f" ({already} already were)" if already else ""
    return f":white_check_mark: Added {people} to {name}{tail}."


def team_members_removed(name: str, count: int) -> str:
    if not count:
        return f"None of them were in {name}; nothing changed."
    return f":white_check_mark: Removed {count} {'person' if count == 1 else 'people'} from {name}."


def team_channel_set(name: str, channel_id: str | None) -> str:
    if channel_id is None:
        return (
            f":white_check_mark: {name} has no channel now: its check-ins are not shared and it "
            "gets no team digest."
        )
    return (
        f":white_check_mark: {name}'s channel is now <#{channel_id}>: shared check-ins and the "
        "team digest (if turned on) go there. For a private channel, invite Northstar with "
        "`/invite @Northstar`."
    )


def team_lead_set(name: str, user_id: str) -> str:
    return f":white_check_mark: <@{user_id}> now leads {name}."


def team_line(name: str, channel_id: str | None, lead: str | None, members: list[str]) -> str:
    channel = f" <#{channel_id}>" if channel_id else ""
    led = f" · lead <@{lead}>" if lead else " · no lead"
    shown = ", ".join(f"<@{user_id}>" for user_id in members[:15])
    more = f" and {len(members) - 15} more" if len(members) > 15 else ""
    people = f" · {len(members)} {'person' if len(members) == 1 else 'people'}"
    return f"*{name}*{channel}{led}{people}" + (f": {shown}{more}" if members else "")
